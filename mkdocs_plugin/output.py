"""What a finding looks like in the build log, and at which level it is logged."""
from __future__ import annotations

from typing import Iterable

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
