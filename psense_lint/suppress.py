"""Inline control comments, in the style of markdownlint and ESLint.

    <!-- psense-lint disable PS101 PS301 -- reason -->   off from this line on
    <!-- psense-lint enable PS101 -->                     back on from this line on
    <!-- psense-lint disable-next-line PS101 -->          off on the next non-blank line
    <!-- psense-lint disable-file PS2 -->                 off in the whole file

No ids means every rule ("ALL" says the same); ids may be prefixes ("PS2" = every
PS2xx rule) and are separated by spaces or commas; `` -- reason`` is optional.
A ``disable`` lasts until a matching ``enable`` or the end of the file; the
comment's own line is affected. ``disable-next-line`` skips blank lines and other
whole-line directive comments. Any other comment starting with ``psense-lint`` is
reported as a problem. Ids that match no rule are kept: ``unknown_ids`` names them
(with a "did you mean"), and ``unused`` names the suppressions that hid nothing
(``make_filter`` records which ones did). The engine reports both as findings
(PS001 invalid-suppression, PS002 unused-suppression).
"""
from __future__ import annotations

import bisect
import difflib
import re
from typing import Callable, Iterable, Mapping, NamedTuple, Sequence

PREFIX = "psense-lint"
ACTIONS = ("disable", "enable", "disable-next-line", "disable-file")
_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*\Z")
_REASON_RE = re.compile(r"(?:^|\s)--")


class Directive(NamedTuple):
    action: str              # one of ACTIONS
    rules: frozenset[str]    # ids or prefixes; empty = every rule
    line: int                # 1-based line of the comment's start
    end_line: int            # 1-based line of the comment's end
    reason: str              # text after " -- ", or ""


def _expected() -> str:
    return ", ".join(ACTIONS[:-1]) + " or " + ACTIONS[-1]


def _parse_one(text: str) -> Directive | str | None:
    """A Directive (line numbers 0), an error message, or None (not a directive)."""
    body = text.strip()
    if not body.startswith(PREFIX):
        return None
    rest = body[len(PREFIX):]
    if rest and not rest[0].isspace():
        word = PREFIX + rest.split(None, 1)[0]
        hint = ""
        after = rest[1:].split(None, 1)
        if rest[0] in "-:" and after and after[0] in ACTIONS:
            hint = f" (did you mean '{PREFIX} {after[0]}'?)"
        return f"unknown psense-lint directive {word!r}{hint}"
    m = _REASON_RE.search(rest)
    reason = ""
    if m:
        reason = " ".join(rest[m.end():].split())
        rest = rest[: m.start()]
    words = [w for w in re.split(r"[\s,]+", rest) if w]
    if not words:
        return f"psense-lint comment without an action (expected {_expected()})"
    action, ids = words[0].lower(), words[1:]
    if action not in ACTIONS:
        close = difflib.get_close_matches(action, ACTIONS, n=1, cutoff=0.6)
        if action == "disable-line":
            hint = " (put 'disable-next-line' on the line before instead)"
        elif close:
            hint = f" (did you mean {close[0]!r}?)"
        else:
            hint = f" (expected {_expected()})"
        return f"unknown psense-lint directive {words[0]!r}{hint}"
    for rid in ids:
        if not _ID_RE.match(rid):
            return f"invalid rule id {rid!r} in psense-lint {action} (put a reason after ' -- ')"
    rules = frozenset() if "ALL" in ids else frozenset(ids)
    return Directive(action, rules, 0, 0, reason)


def parse_directives(comments: Iterable[tuple[str, int, int]]
                     ) -> tuple[list[Directive], list[tuple[int, str]]]:
    """Directives from HTML comments given as (text without ``<!--``/``-->``, start
    line, end line). Malformed psense-lint comments come back as (line, message)."""
    directives: list[Directive] = []
    problems: list[tuple[int, str]] = []
    for text, line, end_line in comments:
        parsed = _parse_one(text)
        if parsed is None:
            continue
        if isinstance(parsed, str):
            problems.append((line, parsed))
        else:
            directives.append(parsed._replace(line=line, end_line=max(line, end_line)))
    return directives, problems


def _covers(rules: frozenset[str], rule_id: str) -> bool:
    return not rules or any(rule_id.startswith(r) for r in rules)


def _next_line(lines: Sequence[str], after: int, skip: dict[int, int]) -> int | None:
    """The first non-blank line after line ``after`` (1-based), jumping over lines
    that hold nothing but a directive comment (``skip``: start line -> end line)."""
    n = after + 1
    while n <= len(lines):
        if n in skip:
            n = skip[n] + 1
            continue
        if lines[n - 1].strip():
            return n
        n += 1
    return None


def _mark(used: set | None, index: int, rules: frozenset[str], rule_id: str) -> None:
    """Record that directive ``index`` hid ``rule_id``: (index, selector) for each
    of its selectors that covers the rule, (index, None) when it names no rule."""
    if used is None:
        return
    if not rules:
        used.add((index, None))
    for sel in rules:
        if rule_id.startswith(sel):
            used.add((index, sel))


def make_filter(directives: Iterable[Directive], lines: Sequence[str],
                used: set | None = None) -> Callable[[str, int], bool]:
    """``is_suppressed(rule_id, line)`` for findings starting on ``line`` (1-based).
    ``used``, when given, collects (directive index, selector or None) for every
    suppression that hid a finding (see ``unused``)."""
    directives = list(directives)
    whole_file = [(i, d.rules) for i, d in enumerate(directives) if d.action == "disable-file"]
    ranges = sorted(((i, d) for i, d in enumerate(directives)
                     if d.action in ("disable", "enable")),
                    key=lambda x: x[1].line)  # stable: same-line directives keep their order

    # lines that contain only a directive comment (skipped by disable-next-line)
    skip: dict[int, int] = {}
    for d in directives:
        if 1 <= d.line <= d.end_line <= len(lines):
            first, last = lines[d.line - 1].strip(), lines[d.end_line - 1].strip()
            if first.startswith("<!--") and last.endswith("-->") and (
                    d.line != d.end_line or first.count("<!--") == 1):
                skip[d.line] = d.end_line
    next_line: dict[int, list[tuple[int, frozenset[str]]]] = {}
    for i, d in enumerate(directives):
        if d.action == "disable-next-line":
            target = _next_line(lines, d.end_line, skip)
            if target is not None:
                next_line.setdefault(target, []).append((i, d.rules))

    transitions: dict[str, tuple[list[int], list[int | None]]] = {}

    def changes(rule_id: str) -> tuple[list[int], list[int | None]]:
        """Lines where this rule's disabled state changes, and from there the index
        of the ``disable`` that turned it off (None: on)."""
        if rule_id not in transitions:
            at: list[int] = []
            state: list[int | None] = []
            for i, d in ranges:
                if _covers(d.rules, rule_id):
                    off = i if d.action == "disable" else None
                    if at and at[-1] == d.line:
                        state[-1] = off
                    else:
                        at.append(d.line)
                        state.append(off)
            transitions[rule_id] = (at, state)
        return transitions[rule_id]

    def is_suppressed(rule_id: str, line: int) -> bool:
        hidden = False
        for i, rules in (*whole_file, *next_line.get(line, ())):
            if _covers(rules, rule_id):
                _mark(used, i, rules, rule_id)
                hidden = True
        if hidden and used is None:
            return True
        at, state = changes(rule_id)
        k = bisect.bisect_right(at, line)
        off = state[k - 1] if k else None
        if off is not None:
            _mark(used, off, directives[off].rules, rule_id)
            hidden = True
        return hidden

    return is_suppressed


def unknown_ids(directives: Iterable[Directive], known: Iterable[str],
                names: Mapping[str, str] | None = None) -> list[tuple[Directive, str, str]]:
    """(directive, id, hint) for every id or prefix that matches no known rule;
    hint is " (did you mean 'PS101'?)" or "". ``names``: rule name -> id, so that
    a rule's name given instead of its id gets its id suggested."""
    known = sorted(known)
    names = dict(names or {})
    out = []
    for d in directives:
        for rid in sorted(d.rules):
            if any(k.startswith(rid) for k in known):
                continue
            if rid.upper() != rid and any(k.startswith(rid.upper()) for k in known):
                close = [rid.upper()]
            elif rid.lower() in names:
                close = [names[rid.lower()]]
            else:
                close = difflib.get_close_matches(rid.upper(), known, n=1, cutoff=0.6)
            out.append((d, rid, f" (did you mean {close[0]!r}?)" if close else ""))
    return out


def unused(directives: Sequence[Directive], used: set, enabled: Iterable[str]
           ) -> list[tuple[int, tuple[str, ...]]]:
    """Suppressions that hid nothing: (directive index, the ids among its own that
    hid nothing; () when it names no rule). Only ids that cover a rule that ran
    (``enabled``) count: of a rule that did not run nothing can be said."""
    enabled = sorted(enabled)
    out = []
    for i, d in enumerate(directives):
        if d.action == "enable":
            continue
        if not d.rules:
            if (i, None) not in used and enabled:
                out.append((i, ()))
            continue
        idle = tuple(sel for sel in sorted(d.rules) if (i, sel) not in used
                     and any(r.startswith(sel) for r in enabled))
        if idle:
            out.append((i, idle))
    return out


__all__ = ["Directive", "ACTIONS", "parse_directives", "make_filter", "unknown_ids", "unused"]
