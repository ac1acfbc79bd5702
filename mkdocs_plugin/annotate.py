"""Findings as admonitions in a page: each finding becomes a
``<div class="admonition warning psense">`` inserted into the page's Markdown
right after the top-level block (paragraph, list, table, admonition, tab group,
code block...) that holds the finding's line.

Why raw HTML in the Markdown: Python-Markdown keeps no source lines, so the
place is found in the Markdown (where the lines are known) and the block is
written as HTML so that it renders the same with or without the ``admonition``
extension (themes style ``.admonition``). Top-level blocks are found the way
Python-Markdown splits them: a block ends at a blank line followed by a line
indented less than four columns, outside fenced code; consecutive list items
and consecutive ``===`` tabs stay one block, so a note never splits a list or a
tab group.
"""
from __future__ import annotations

import html
import re
from typing import Callable, Iterable

from psense_lint.model import Finding

_FENCE_RE = re.compile(r"^[ \t]*(?:>[ \t]?)*(`{3,}|~{3,})")
_LIST_RE = re.compile(r"^ {0,3}(?:([-*+])|\d{1,9}[.)])(?:[ \t]|$)")
_TAB_RE = re.compile(r"^===[+!]*(?:[ \t]|$)")
_CLASS = {"error": "danger", "warning": "warning", "info": "info"}


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def markdown_offset(source: str, markdown: str) -> int | None:
    """How many source lines come before the Markdown MkDocs renders (the front
    matter it strips), or None when that Markdown is not the tail of the source
    (another plugin rewrote it: then lines cannot be matched up)."""
    src = _lf(source[1:] if source.startswith("\ufeff") else source)
    md = _lf(markdown)
    if not src.endswith(md):
        return None
    return src[: len(src) - len(md)].count("\n")


def _indent(line: str) -> int:
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _same_group(first: str, line: str) -> bool:
    """Does ``line`` (after a blank line) continue the block that began with
    ``first``: the next item of the same list, or the next tab of a tab group?"""
    a, b = _LIST_RE.match(first), _LIST_RE.match(line)
    if a and b:
        return (a.group(1) is None) == (b.group(1) is None)
    return bool(_TAB_RE.match(first) and _TAB_RE.match(line))


def blocks(lines: list[str]) -> list[tuple[int, int]]:
    """Top-level blocks as (first, last) 0-based line indexes."""
    out: list[tuple[int, int]] = []
    start = end = None
    fence: str | None = None
    blank = False
    for i, line in enumerate(lines):
        if fence is not None:
            m = _FENCE_RE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line[m.end():].strip():
                fence = None
            end = i
            continue
        if not line.strip():
            blank = True
            continue
        if start is None or (blank and _indent(line) < 4 and not _same_group(lines[start], line)):
            if start is not None:
                out.append((start, end))
            start = i
        end = i
        blank = False
        m = _FENCE_RE.match(line)
        if m:
            fence = m.group(1)
    if start is not None:
        out.append((start, end))
    return out


def render_html(f: Finding) -> str:
    """One finding as an admonition (no blank line inside: one raw HTML block)."""
    esc = lambda s: html.escape(" ".join(str(s).split()), quote=True)  # noqa: E731
    kind = _CLASS.get(f.severity, "warning")
    out = [f'<div class="admonition {kind} psense" data-psense-rule="{esc(f.rule)}" '
           f'data-psense-line="{f.line}">',
           f'<p class="admonition-title">{esc(f.rule)} · line {f.line}</p>',
           f"<p>{esc(f.message)}</p>"]
    if f.suggestion and f.suggestion.strip():
        out.append(f"<p><em>Suggestion:</em> {esc(f.suggestion)}</p>")
    out.append("</div>")
    return "\n".join(out)


def annotate(markdown: str, source: str, findings: Iterable[Finding],
             render: Callable[[Finding], str] = render_html) -> str | None:
    """``markdown`` with each finding rendered after its block; None when the
    Markdown cannot be matched to the source (then leave the page alone)."""
    findings = sorted(findings, key=lambda f: (f.line, f.column, f.rule))
    if not findings:
        return markdown
    offset = markdown_offset(source, markdown)
    if offset is None:
        return None
    lines = markdown.split("\n")
    spans = blocks(lines)
    after: dict[int, list[str]] = {}
    for f in findings:
        idx = f.line - 1 - offset
        target = -1  # before everything (a finding in the front matter)
        if idx >= 0:
            for first, last in spans:
                if first > idx:
                    break
                target = last
            if target == -1 and spans:
                target = spans[0][1]
        after.setdefault(target, []).append(render(f))
    out: list[str] = []
    if -1 in after:
        for block in after[-1]:
            out += [block, ""]
    for i, line in enumerate(lines):
        out.append(line)
        for block in after.get(i, ()):
            out += ["", block, ""]
    return "\n".join(out)
