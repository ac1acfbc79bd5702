"""The Markdown report: every finding, grouped by document (``--format markdown``;
the MkDocs plugin's report page is this output, with links between pages)."""
from __future__ import annotations

import posixpath
import re
from typing import Iterable, NamedTuple, Sequence

from psense_lint.model import FileResult, Finding, PsenseError, SEVERITIES

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")
TITLE = "Design-doc argument report"


class Entry(NamedTuple):
    name: str                        # link target of the document (MkDocs: its src_uri)
    path: str                        # as findings show it
    findings: tuple[Finding, ...]
    error: str | None = None         # why the document could not be linted


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    out = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def md_text(text: str) -> str:
    """Plain text that Markdown renders as itself, on one line."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def link(from_uri: str, to_uri: str) -> str:
    """Relative link from one page to another (MkDocs resolves .md links)."""
    base = posixpath.dirname(from_uri)
    return posixpath.relpath(to_uri, base or ".")


def render(entries: Sequence[Entry], report_uri: str, pages_checked: int,
           title: str = TITLE) -> str:
    """Markdown of the report (``report_uri``: where it lives, for the links)."""
    findings = [f for e in entries for f in e.findings]
    c = counts(findings)
    with_findings = [e for e in entries if e.findings]
    errors = [e for e in entries if e.error]
    out = [f"# {title}", "",
           f"psense-lint checked {plural(pages_checked, 'page')}: "
           f"{plural(len(findings), 'finding')} ({plural(c['error'], 'error')}, "
           f"{plural(c['warning'], 'warning')}, {plural(c['info'], 'info')}) in "
           f"{plural(len(with_findings), 'page')}.", ""]
    if errors:
        out += ["## Pages that could not be linted", ""]
        out += [f"- [{md_text(e.path)}]({link(report_uri, e.name)}): {md_text(e.error)}"
                for e in errors]
        out.append("")
    if not with_findings:
        out += ["No findings.", ""]
    for e in with_findings:
        out += [f"## {md_text(e.path)}", "",
                f"[Open the page]({link(report_uri, e.name)}) · "
                f"{plural(len(e.findings), 'finding')}", ""]
        for f in e.findings:
            out.append(f"- **{f.line}:{f.column}** `{f.rule}` {f.severity}: {md_text(f.message)}")
            if f.suggestion and f.suggestion.strip():
                out += ["", f"    *Suggestion:* {md_text(f.suggestion)}", ""]
        out.append("")
    return "\n".join(out)


def render_results(results: Sequence[FileResult], errors: Sequence[PsenseError] = ()) -> str:
    """The report of a CLI run (links relative to the working directory)."""
    entries = [Entry(r.path, r.path, tuple(sorted(r.findings, key=lambda f: (f.line, f.column,
                                                                              f.rule))))
               for r in sorted(results, key=lambda r: r.path)]
    entries += [Entry(str(e.path), str(e.path), (), e.message)
                for e in sorted(errors, key=lambda e: str(e.path or "")) if e.path]
    return render(entries, "report.md", len(entries)).rstrip("\n") + "\n"
