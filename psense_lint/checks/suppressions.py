"""``suppression-comments`` (PS001 invalid-suppression, PS002 unused-suppression):
what is wrong with the psense-lint comments of a doc.

The engine reads the comments (``suppress.parse_directives``) and filters the
other rules' findings through them, recording which suppressions hid something;
then it calls ``hits`` here. As a check mechanism (``check``) it yields nothing:
its findings need the others' first."""
from __future__ import annotations

from typing import Iterable, Sequence

from psense_lint import suppress
from psense_lint.checks.common import fill
from psense_lint.model import Hit


def check(ctx, specs):  # the engine calls hits() once every other rule has run
    return ()


def _span(lines: Sequence[str], line: int, needle: str = "") -> tuple[int, int]:
    """1-based (start, end) columns: ``needle`` in the psense-lint comment that
    starts on ``line``, else that comment, else the whole line."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    start = 0
    for pos in _comment_starts(text):
        if text[pos + 4:].lstrip().startswith(suppress.PREFIX):
            start = pos
            break
    close = text.find("-->", start)
    end = close + 3 if close >= 0 else len(text)
    if needle:
        at = text.find(needle, start)
        if at >= 0:
            return at + 1, at + 1 + len(needle)
    return start + 1, max(end, start + 1) + 1


def _comment_starts(text: str):
    pos = text.find("<!--")
    while pos >= 0:
        yield pos
        pos = text.find("<!--", pos + 1)


def _ids_text(ids: Iterable[str]) -> str:
    ids = list(ids)
    return " ".join(ids) if ids else "any rule"


def hits(ctx, directives, problems, specs, used, enabled, lines):
    """Hits for PS001 (``problems`` from parse_directives, and ids matching no
    rule of the pack) and PS002 (suppressions that hid nothing, from ``used``)."""
    by_id = {s.info.id: s for s in specs}
    out = []
    invalid = by_id.get("PS001")
    if invalid is not None:
        for line, problem in problems:
            start, end = _span(lines, line)
            out.append(Hit("PS001", None, start, end, "directive",
                           fill(invalid.message, problem=problem),
                           fill(invalid.info.suggestion), line))
        names = {spec.info.name.lower(): rid for rid, spec in ctx.pack.rules.items()}
        for d, rid, hint in suppress.unknown_ids(directives, ctx.pack.rules, names):
            start, end = _span(lines, d.line, rid)
            problem = f"unknown rule id {rid!r} in psense-lint {d.action}{hint}"
            out.append(Hit("PS001", None, start, end, "rule-id",
                           fill(invalid.message, problem=problem),
                           fill(invalid.info.suggestion), d.line))
    idle = by_id.get("PS002")
    if idle is not None:
        for index, ids in suppress.unused(directives, used, enabled):
            d = directives[index]
            start, end = _span(lines, d.line, ids[0] if len(ids) == 1 else "")
            rules = _ids_text(ids)
            out.append(Hit("PS002", None, start, end, "unused",
                           fill(idle.message, rules=rules),
                           fill(idle.info.suggestion, rules=rules), d.line))
    return out
