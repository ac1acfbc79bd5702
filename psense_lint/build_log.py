"""A lint session's outcomes as the lines of a site build's log: one line per
finding (at which level it is logged), one per page that could not be linted, a
summary; and the report page's entries. The MkDocs plugin logs these lines; they
are the engine's, like the other output formats, so another host logs the same."""
from __future__ import annotations

from typing import NamedTuple

from psense_lint.config import FAIL_ON_LEVELS as STRICT_LEVELS
from psense_lint.markdown_report import Entry, counts, plural
from psense_lint.model import SEVERITIES, Finding, InternalError, PsenseError, severity_rank


class Page(NamedTuple):
    name: str                # MkDocs' src_uri
    path: str                # as findings and errors show it


def page_error(err: PsenseError) -> str:
    """One line for a page that could not be linted."""
    if isinstance(err, InternalError):
        err = PsenseError(f"internal error while linting this page: {err.what}", path=err.path)
    return str(err)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def format_finding(f: Finding) -> str:
    """``docs/design/x.md:12:5: PS101 message (suggestion: ...)``: one line, the
    source file's own line and column (front matter counted)."""
    line = f"{f.path}:{f.line}:{f.column}: {f.rule} {_one_line(f.message)}"
    if f.suggestion and f.suggestion.strip():
        line += f" (suggestion: {_one_line(f.suggestion)})"
    return line


def shown(f: Finding, min_severity: str) -> bool:
    """Is the finding reported at all?"""
    return severity_rank(f.severity) >= severity_rank(min_severity)


def is_warning(f: Finding, strict_on: str) -> bool:
    """Logged as a WARNING (counts for ``mkdocs build --strict``) rather than INFO?"""
    return severity_rank(f.severity) >= severity_rank(strict_on)


class Line(NamedTuple):
    level: str               # "warning" | "info" | "error" | "debug"
    message: str


def build_log(results, min_severity: str, strict_on: str, *, cached: int = 0,
              linted: int = 0, changed_only: bool = False) -> list[Line]:
    """What to log for one build's ``(page, outcome)`` results, in page order: one
    line per shown finding (WARNING from ``strict_on`` up, else INFO), one ERROR per
    page that could not be linted, and an INFO summary. ``changed_only`` (a
    ``mkdocs serve`` rebuild): findings of the pages that came from the cache, i.e.
    did not change, are counted but not logged again."""
    out: list[Line] = []
    shown_findings: list[Finding] = []
    as_warnings = failed = 0
    unchanged = unchanged_findings = 0
    for _page, outcome in results:
        if outcome.error is not None:
            failed += 1
            if outcome.details is not None:  # an unexpected exception: a bug
                out.append(Line("error", f"{page_error(outcome.error)} (the other pages were "
                                         "linted; this is a bug in psense-lint, please report "
                                         "it)"))
                out.append(Line("debug", outcome.details))
            else:
                out.append(Line("error", str(outcome.error)))
            continue
        quiet = changed_only and outcome.cached
        unchanged += quiet
        for f in outcome.result.findings:
            if not shown(f, min_severity):
                continue
            shown_findings.append(f)
            if quiet:
                unchanged_findings += 1
                continue
            warn = is_warning(f, strict_on)
            as_warnings += warn
            out.append(Line("warning" if warn else "info", format_finding(f)))
    n = counts(shown_findings)
    pages_with = len({f.path for f in shown_findings})
    summary = (f"{plural(len(shown_findings), 'finding')} ({n['error']} errors, "
               f"{n['warning']} warnings, {n['info']} infos; {as_warnings} logged as warnings) "
               f"in {pages_with} of {plural(len(results), 'page')}; {cached} from the cache, "
               f"{linted} linted")
    if failed:
        summary += f", {failed} could not be linted"
    if changed_only:
        out.append(Line("info", f"{plural(len(results) - unchanged, 'changed page')} logged; "
                                f"{plural(unchanged_findings, 'finding')} on "
                                f"{plural(unchanged, 'unchanged page')} not repeated"))
    out.append(Line("info", summary))
    return out


def entries(results, min_severity: str) -> list[Entry]:
    """Report-page entries for one build's ``(page, outcome)`` results."""
    out = []
    for page, outcome in results:
        found = outcome.result.findings if outcome.result is not None else ()
        out.append(Entry(page.name, page.path,
                         tuple(f for f in found if shown(f, min_severity)),
                         page_error(outcome.error) if outcome.error is not None else None))
    return out
