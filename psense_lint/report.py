"""Output formats: render lint results as text, JSON, GitHub Actions commands or SARIF.

Everything here is a pure function of its input: findings, documents, rules and errors are
sorted before rendering, so identical input gives byte-identical output whatever order the
files were linted in (e.g. with different ``--jobs`` values).

Errors (files that could not be read, bad config) are not part of the text and github
output: the CLI prints them to stderr. JSON lists them under "errors"; SARIF reports them as
tool execution notifications and marks the invocation unsuccessful.
"""
from __future__ import annotations

import hashlib
import json
import re
import ntpath
import os
from collections import Counter
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import quote

from psense_lint.model import ConfigError, FileResult, Finding, PsenseError, RuleInfo

FORMATS = ("text", "json", "github", "sarif", "markdown")

JSON_SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "findings.schema.json"
"""JSON Schema (draft 2020-12) describing the ``json`` output."""

JSON_OUTPUT_VERSION = 1
TOOL_NAME = "psense-lint"
INFORMATION_URI = "https://github.com/psense-lint/psense-lint"
DOCS_URI = "https://psense-lint.github.io/psense-lint/"
"""Where the project's MkDocs site (docs/, with one page per rule) is published."""
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"

# Order used in summaries: most severe first.
_SEVERITY_ORDER = ("error", "warning", "info")

_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_SEVERITY_COLOR = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}


# --------------------------------------------------------------------------- helpers

def rule_page(rid: str) -> str:
    """The rule's page in the docs site, relative to its root: ``rules/ps101/``."""
    return f"rules/{rid.lower()}/"


def rule_help_uri(rid: str, name: str = "") -> str:
    return DOCS_URI + rule_page(rid)


def _finding_key(f: Finding) -> tuple:
    # path, line, col, rule decide the order; the rest only breaks ties deterministically.
    return (f.path, f.line, f.column, f.rule, f.end_line, f.end_column,
            f.severity, f.category, f.message, f.suggestion)


def sorted_findings(results: Iterable[FileResult]) -> list[Finding]:
    """All findings of all results in output order (path, line, column, rule)."""
    return sorted((f for r in results for f in r.findings), key=_finding_key)


def _error_key(e: PsenseError) -> tuple:
    return (e.path is not None, str(e.path or ""), e.line or 0, e.column or 0, e.message)


def _sorted_errors(errors: Iterable[PsenseError]) -> list[PsenseError]:
    return sorted(errors, key=_error_key)


def doc_summary_text(s) -> str:
    """One line: which of the three questions a design doc answers, and where."""
    def where(line: int | None) -> str:
        return f"line {line}" if line is not None else "missing"

    return (f"answers user pain ({where(s.user_pain)}), success measure ({where(s.success)}), "
            f"non-goals ({where(s.non_goals)})")


def _document_records(results: Iterable[FileResult]) -> list[dict]:
    return [{"path": r.path, "design_doc": bool(r.summary.applies),
             "user_pain": r.summary.user_pain, "success": r.summary.success,
             "non_goals": r.summary.non_goals} for r in _documents(results)]


def _documents(results: Iterable[FileResult]) -> list[FileResult]:
    return sorted((r for r in results if r.summary is not None), key=lambda r: r.path)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


class _Stats:
    def __init__(self, results: Sequence[FileResult], findings: Sequence[Finding]) -> None:
        self.files = len({r.path for r in results})
        self.files_with_findings = len({f.path for f in findings})
        self.findings = len(findings)
        sev = Counter(f.severity for f in findings)
        self.by_severity = {s: sev.get(s, 0) for s in _SEVERITY_ORDER}
        self.by_rule = dict(sorted(Counter(f.rule for f in findings).items()))


def _one_line(text: str) -> str:
    """Text output is one line per record: fold any line breaks into spaces."""
    if "\n" in text or "\r" in text:
        text = " ".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return text


# --------------------------------------------------------------------------- text

def _render_text(results: Sequence[FileResult], findings: list[Finding], color: bool,
                 quiet: bool = False) -> str:
    def bold(s: str) -> str:
        return f"{_BOLD}{s}{_RESET}" if color else s

    def rule_id(f: Finding) -> str:
        code = _SEVERITY_COLOR.get(f.severity)
        return f"{code}{f.rule}{_RESET}" if color and code else f.rule

    lines: list[str] = []
    for f in findings:
        lines.append(f"{bold(f.path)}:{f.line}:{f.column}: {rule_id(f)} {f.severity} "
                     f"{_one_line(f.message)}")
        if f.suggestion:
            lines.append(f"  suggestion: {_one_line(f.suggestion)}")

    if quiet:
        return "".join(line + "\n" for line in lines)
    for r in _documents(results):
        if r.summary.applies:
            lines.append(f"{bold(r.path)}: {doc_summary_text(r.summary)}")

    st = _Stats(results, findings)
    if st.findings:
        sev = st.by_severity
        lines.append(
            f"Found {_plural(st.findings, 'finding')} ({_plural(sev['error'], 'error')}, "
            f"{_plural(sev['warning'], 'warning')}, {_plural(sev['info'], 'info')}) "
            f"in {st.files_with_findings} of {_plural(st.files, 'file')}.")
    else:
        lines.append(f"No findings in {_plural(st.files, 'file')}.")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- json

def _dumps(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def build_json(results: Sequence[FileResult], *, errors: Sequence[PsenseError] = (),
               tool_version: str = "0.1.0") -> dict:
    """The ``json`` output as a Python object (see schema/findings.schema.json)."""
    findings = sorted_findings(results)
    st = _Stats(results, findings)
    return {
        "version": JSON_OUTPUT_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version},
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "end_line": f.end_line,
                "end_column": f.end_column,
                "rule": f.rule,
                "category": f.category,
                "severity": f.severity,
                "message": f.message,
                "suggestion": f.suggestion,
            }
            for f in findings
        ],
        "documents": _document_records(results),
        "errors": [
            {"path": None if e.path is None else str(e.path), "line": e.line or None,
             "message": e.message}
            for e in _sorted_errors(errors)
        ],
        "summary": {
            "files": st.files,
            "files_with_findings": st.files_with_findings,
            "findings": st.findings,
            "by_severity": st.by_severity,
            "by_rule": st.by_rule,
        },
    }


# --------------------------------------------------------------------------- github

def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def _render_github(results, findings: list[Finding], rules: Mapping[str, RuleInfo]) -> str:
    out = []
    for f in findings:
        info = rules.get(f.rule)
        title = f"{f.rule} {info.name}" if info is not None and info.name else f.rule
        props = ",".join([
            f"file={_gh_prop(f.path)}",
            f"line={f.line}",
            f"col={f.column}",
            f"endLine={f.end_line}",
            f"endColumn={f.end_column}",
            f"title={_gh_prop(title)}",
        ])
        text = _one_line(f.message) + (f" Suggestion: {_one_line(f.suggestion)}"
                                       if f.suggestion else "")
        out.append(f"::{_GITHUB_COMMAND.get(f.severity, 'warning')} {props}::{_gh_data(text)}\n")
    # annotation slots are scarce (GitHub shows 10 per type and step): one notice per run
    docs = [r for r in _documents(results) if r.summary.applies]
    if docs:
        text = f"{_plural(len(docs), 'design doc')}: " + "; ".join(
            f"{r.path} {doc_summary_text(r.summary)}" for r in docs)
        out.append(f"::notice title={_gh_prop('psense-lint doc summary')}::{_gh_data(text)}\n")
    return "".join(out)


# --------------------------------------------------------------------------- sarif

# RFC 3986 pchar minus ":" (a ":" in the first segment of a relative reference would be read
# as a scheme), plus "/" as the segment separator.
_URI_SAFE = "/-._~!$&'()*+,;=@"


def path_to_uri(path: str) -> str:
    """A file path as a SARIF artifact URI: relative paths become percent-encoded relative
    references with "/" separators; absolute paths become file:// URIs."""
    p = str(path)
    if os.sep == "\\" or ntpath.splitdrive(p)[0]:
        win = PureWindowsPath(p)
        if win.is_absolute():
            return win.as_uri()
        p = win.as_posix()
    posix = PurePosixPath(p)
    if posix.is_absolute():
        return "file://" + quote(p, safe=_URI_SAFE)
    return quote(p, safe=_URI_SAFE)


def _sarif_level(level: str) -> str:
    return _SARIF_LEVEL.get(level, "none")


def _message_text(f: Finding) -> str:
    return _one_line(f.message) + (f" Suggestion: {_one_line(f.suggestion)}"
                                   if f.suggestion else "")


_LINE_REF = re.compile(r"\blines? \d+(?:\s*[-\u2013]\s*\d+)?", re.I)


def fingerprint_text(message: str) -> str:
    """The message without the line numbers it may quote ("(line 12)"), so that a
    fingerprint does not move when lines are inserted above."""
    return _LINE_REF.sub("line", message)


def build_sarif(results: Sequence[FileResult], *, rules: Mapping[str, RuleInfo],
                errors: Sequence[PsenseError] = (), tool_version: str = "0.1.0") -> dict:
    """The ``sarif`` output (SARIF 2.1.0) as a Python object."""
    findings = sorted_findings(results)
    rule_list = [rules[k] for k in sorted(rules)]
    rule_index = {r.id: i for i, r in enumerate(rule_list)}

    sarif_rules = [
        {
            "id": r.id,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.why},
            "help": {"text": r.suggestion},
            "helpUri": rule_help_uri(r.id, r.name),
            "defaultConfiguration": {"level": _sarif_level(r.level)},
        }
        for r in rule_list
    ]

    sarif_results = []
    seen: Counter = Counter()
    for f in findings:
        # Stable across line moves: rule, file, message and which occurrence it is.
        ident = (f.rule, f.path, fingerprint_text(f.message))
        seen[ident] += 1
        digest = hashlib.sha256(
            "\0".join((*ident, str(seen[ident]))).encode("utf-8")).hexdigest()[:32]
        res: dict[str, Any] = {"ruleId": f.rule}
        if f.rule in rule_index:
            res["ruleIndex"] = rule_index[f.rule]
        res["level"] = _sarif_level(f.severity)
        res["message"] = {"text": _message_text(f)}
        res["locations"] = [{
            "physicalLocation": {
                "artifactLocation": {"uri": path_to_uri(f.path)},
                "region": {
                    "startLine": f.line,
                    "startColumn": f.column,
                    "endLine": f.end_line,
                    "endColumn": f.end_column,
                },
            },
        }]
        res["partialFingerprints"] = {"psenseFindingHash/v1": digest}
        sarif_results.append(res)

    notifications = []
    for e in _sorted_errors(errors):
        note: dict[str, Any] = {"level": "error", "message": {"text": e.message}}
        if e.path:
            phys: dict[str, Any] = {"artifactLocation": {"uri": path_to_uri(str(e.path))}}
            if e.line:
                region = {"startLine": e.line}
                if e.column:
                    region["startColumn"] = e.column
                phys["region"] = region
            note["locations"] = [{"physicalLocation": phys}]
        notifications.append(note)

    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": TOOL_NAME,
                "version": tool_version,
                "informationUri": INFORMATION_URI,
                "rules": sarif_rules,
            }},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
            "properties": {"documents": _document_records(results)},
        }],
    }


# --------------------------------------------------------------------------- entry point

def render_statistics(results: Sequence[FileResult], rules: Mapping[str, RuleInfo],
                      fmt: str = "text", color: bool = False) -> str:
    """``--statistics``: findings per rule, most first (JSON: a list of records)."""
    counts = Counter(f.rule for r in results for f in r.findings)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if fmt == "json":
        return _dumps([{"rule": rid, "name": rules[rid].name if rid in rules else "",
                        "count": n} for rid, n in rows])
    width = max((len(str(n)) for _rid, n in rows), default=1)
    lines = []
    for rid, n in rows:
        name = rules[rid].name if rid in rules else ""
        code = f"{_BOLD}{rid}{_RESET}" if color else rid
        lines.append(f"{n:>{width}}  {code}  {name}".rstrip())
    total = sum(counts.values())
    lines.append(f"Found {_plural(total, 'finding')} in {_plural(len(results), 'file')}.")
    return "\n".join(lines) + "\n"


def render(fmt: str, results: Sequence[FileResult], *, rules: Mapping[str, RuleInfo],
           errors: Sequence[PsenseError] = (), color: bool = False,
           tool_version: str = "0.1.0", quiet: bool = False) -> str:
    """Render ``results`` in format ``fmt`` (one of FORMATS). Returns the whole output,
    ending with a newline unless it is empty (github with no findings). ``quiet``:
    text output holds the findings only."""
    if fmt == "text":
        return _render_text(results, sorted_findings(results), color, quiet)
    if fmt == "json":
        return _dumps(build_json(results, errors=errors, tool_version=tool_version))
    if fmt == "github":
        return _render_github(results, sorted_findings(results), rules)
    if fmt == "sarif":
        return _dumps(build_sarif(results, rules=rules, errors=errors,
                                  tool_version=tool_version))
    if fmt == "markdown":  # the MkDocs plugin's report page, as a file
        from psense_lint.markdown_report import render_results

        return render_results(results, errors)
    raise ConfigError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")
