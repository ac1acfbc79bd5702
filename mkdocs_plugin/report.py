"""The site-wide report page: every finding, grouped by document."""
from __future__ import annotations

import posixpath
import re
from typing import NamedTuple, Sequence

from psense_lint.model import Finding

from psense_mkdocs.output import counts, plural, shown

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")


class Entry(NamedTuple):
    name: str                        # the page's src_uri (link target)
    path: str                        # as findings show it
    findings: tuple[Finding, ...]
    error: str | None = None         # why the page could not be linted


def entries(results, min_severity: str) -> list[Entry]:
    """Report entries for one build's ``(page, outcome)`` results."""
    out = []
    for page, outcome in results:
        found = outcome.result.findings if outcome.result is not None else ()
        out.append(Entry(page.name, page.path,
                         tuple(f for f in found if shown(f, min_severity)),
                         str(outcome.error) if outcome.error is not None else None))
    return out


def md_text(text: str) -> str:
    """Plain text that Markdown renders as itself, on one line."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def link(from_uri: str, to_uri: str) -> str:
    """Relative link from one docs page to another (MkDocs resolves .md links)."""
    base = posixpath.dirname(from_uri)
    return posixpath.relpath(to_uri, base or ".")


def render(entries: Sequence[Entry], report_uri: str, pages_checked: int,
           title: str = "Design-doc argument report") -> str:
    """Markdown of the report page."""
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
