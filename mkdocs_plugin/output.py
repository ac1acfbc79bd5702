"""What a finding looks like in the build log, and at which level it is logged."""
from __future__ import annotations

from typing import Iterable, NamedTuple

from psense_lint.model import Finding, severity_rank

SEVERITIES = ("info", "warning", "error")
STRICT_LEVELS = SEVERITIES + ("never",)


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


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    out = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


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
                out.append(Line("error", f"{outcome.error} (the other pages were linted; this "
                                         "is a bug in psense-lint, please report it)"))
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
