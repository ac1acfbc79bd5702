"""Small immutable records passed between the engine's stages."""
from __future__ import annotations

from typing import NamedTuple

SEVERITIES = ("info", "warning", "error")


def severity_rank(level: str) -> int:
    """info < warning < error; "never" ranks above everything."""
    return {"info": 1, "warning": 2, "error": 3, "never": 99}[level]


class Finding(NamedTuple):
    """One thing a rule found. Lines and columns are 1-based and count Unicode
    code points in the original file (a tab is one column; CRLF ends a line).
    end_column is exclusive: the column just after the last character, as in SARIF."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    category: str
    severity: str
    message: str
    suggestion: str


class PsenseError(Exception):
    """A user-facing error: printed as one line, exit code 2."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = str(self.path)
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


class ConfigError(PsenseError):
    """A bad config file, rule pack or command-line setting."""


class InputError(PsenseError):
    """A file that cannot be read or linted."""


class InternalError(PsenseError):
    """A bug: an unexpected exception while linting one file. Printed as one line
    naming the file (exit code 3); ``details`` holds the traceback (``--debug``)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 column: int | None = None, details: str | None = None,
                 what: str | None = None) -> None:
        super().__init__(message, path=path, line=line, column=column)
        self.details = details
        self.what = what      # the exception, in a few words

    @classmethod
    def from_exception(cls, exc: BaseException, path: str | None) -> "InternalError":
        import traceback

        if isinstance(exc, MemoryError):
            what = "out of memory"
        else:
            msg = " ".join(str(exc).split())
            what = type(exc).__name__ + (f": {msg[:200]}" if msg else "")
        return cls(f"internal error: {what} (this is a bug in psense-lint; run with "
                   "--debug for the traceback and please report it)", path=path,
                   details="".join(traceback.format_exception(type(exc), exc,
                                                              exc.__traceback__)),
                   what=what)


class RuleInfo(NamedTuple):
    """A rule's metadata, read from its YAML pack (rules/*.yml)."""

    id: str             # "PS101"
    name: str           # "engineering-only-argument"
    level: str          # default severity: info | warning | error
    summary: str        # one line: what it flags
    why: str            # why it matters
    suggestion: str     # the generic advice (category templates refine it per finding)
    fires: tuple[str, ...] = ()    # example texts that must fire
    passes: tuple[str, ...] = ()   # example texts that must not fire


class DocSummary(NamedTuple):
    """Which of the three questions a doc answers, and where (1-based line or None).
    applies is False when the doc-level checks do not apply to this doc (not a design doc)."""

    applies: bool
    user_pain: int | None = None
    success: int | None = None
    non_goals: int | None = None


class Hit(NamedTuple):
    """What a check reports: a span of one prose unit, or a whole-doc line."""

    rule: str
    unit: int | None          # index into DocContext.units, or None for a line-level hit
    start: int                # char offsets into that unit's text (or column span on `line`)
    end: int
    category: str
    message: str
    suggestion: str
    line: int | None = None   # for unit=None: 1-based line


class DocContext(NamedTuple):
    """What a check mechanism sees of one document (built by the engine)."""

    path: str
    parsed: object                        # psense_lint.markdown.ParsedDoc
    units: tuple                          # markdown.Prose units (headings excluded), in order
    docs: tuple                           # spaCy Doc for each unit
    pack: object                          # psense_lint.rulepack.RulePack
    nlp: object
    design_doc: bool | None               # None: neither front matter nor globs decide
    memo: dict | None = None              # what is worked out once per doc (e.g. its audience)


class FileResult(NamedTuple):
    path: str
    findings: tuple[Finding, ...]
    summary: DocSummary | None = None
