r"""Regular expressions in rule packs (the lexicons whose names end in ``_re``, and
any lexicon a rule option ending in ``_re`` or ``line_cues`` names): checked when
a pack loads, so a bad one is one error at the pack's file:line:col, not an
internal error on every Markdown file.

Python's ``re`` backtracks: ``(a+)+$`` on "aaaa...a!" tries every way of cutting
the a's, 2**n of them. ``check_regex`` refuses the constructs that make that
happen (it needs no match to find them): a backreference; a repetition of
something that can match empty text; inside a repetition, a part that may stop
or go on (``a+``, ``x?``) where the character after it could also continue it,
or an alternation whose branches can start with the same character. Each test
is made on the characters a part can start with (over ASCII, Latin-1 and a
sample of other scripts, case folded: packs' regexes are case-insensitive).
Every built-in regex passes. What is not refused is at most polynomial (``\w*\w*x``
on a long line of letters), and runs on one sentence or heading at a time.
"""
from __future__ import annotations

import functools
import re

try:
    from re import _constants as _C, _parser as _P
except ImportError:  # Python 3.10
    import sre_constants as _C  # type: ignore[no-redef]
    import sre_parse as _P  # type: ignore[no-redef]

MAX_REGEX_CHARS = 1000
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT} | ({_C.POSSESSIVE_REPEAT}
                                            if hasattr(_C, "POSSESSIVE_REPEAT") else set())
_SAMPLE = [chr(c) for c in range(256)] + list("\u0100\u0131\u017f\u0391\u03b1\u0410\u0430"
                                              "\u05d0\u0660\u0966\u2009\u2028\u2014\u2026"
                                              "\u3000\u65e5\uff10\U0001f600\u212a")
_ANY = frozenset(_SAMPLE)


@functools.lru_cache(maxsize=None)
def _category(av) -> frozenset:
    rx = {_C.CATEGORY_DIGIT: r"\d", _C.CATEGORY_NOT_DIGIT: r"\D",
          _C.CATEGORY_SPACE: r"\s", _C.CATEGORY_NOT_SPACE: r"\S",
          _C.CATEGORY_WORD: r"\w", _C.CATEGORY_NOT_WORD: r"\W"}.get(av)
    if rx is None:
        return _ANY
    return frozenset(c for c in _SAMPLE if re.match(rx, c))


def _in_set(items, flags):
    out = set()
    neg = False
    for op, av in items:
        if op is _C.NEGATE:
            neg = True
        elif op is _C.LITERAL:
            out.add(chr(av))
        elif op is _C.RANGE:
            out.update(c for c in _SAMPLE if av[0] <= ord(c) <= av[1])
        elif op is _C.CATEGORY:
            out.update(_category(av))
        else:
            return _ANY
    return _ANY - out if neg else frozenset(out)


def _first(seq, flags):
    """(the sample characters a match of ``seq`` can start with, can it match empty)."""
    out: set = set()
    for op, av in seq:
        if op is _C.LITERAL:
            return out | {chr(av)}, False
        if op is _C.NOT_LITERAL or op is _C.ANY:
            return out | _ANY, False
        if op is _C.IN:
            return out | _in_set(av, flags), False
        if op is _C.AT or op is _C.ASSERT or op is _C.ASSERT_NOT:
            continue  # zero-width
        if op is _C.SUBPATTERN:
            f, empty = _first(av[-1], flags)
        elif op is _C.BRANCH:
            f, empty = set(), False
            for alt in av[1]:
                a, e = _first(alt, flags)
                f |= a
                empty = empty or e
        elif op in _REPEATS:
            f, empty = _first(av[2], flags)
            empty = empty or av[0] == 0
        elif getattr(_C, "ATOMIC_GROUP", None) is not None and op is _C.ATOMIC_GROUP:
            f, empty = _first(av, flags)
        else:
            return out | _ANY, False
        out |= f
        if not empty:
            return out, False
    return out, True


def _fold(chars):
    return frozenset(x for c in chars for x in {c, c.lower(), c.upper()} if len(x) == 1)


def _first_f(seq):
    f, empty = _first(seq, 0)
    return _fold(f), empty


def _then(seq, follow):
    """What the text right after a match of ``seq`` may start with, when
    ``follow`` may come after it."""
    f, empty = _first_f(seq)
    return f | follow if empty else f


_EXP = "it can take exponential time on text that almost matches"


def _walk(seq, follow, in_loop):
    """The first construct in ``seq`` that makes a backtracking search blow up (a
    backreference; inside a repetition, a part that may repeat or stop and then
    match the same character as what follows it), or None. ``follow``: what may
    come after ``seq``; ``in_loop``: ``seq`` is (in) the body of a repetition."""
    seq = list(seq)
    for i, (op, av) in enumerate(seq):
        fol = _then(seq[i + 1:], follow)
        problem = None
        if op is _C.GROUPREF or op is _C.GROUPREF_EXISTS:
            return "a backreference (\\1, (?P=name), (?(1)...)): " + _EXP
        if op in _REPEATS:
            lo, hi, body = av
            first, empty = _first_f(body)
            if hi > 1 and empty:
                return "a repetition of something that can match empty text ((a?)*, (a*)+): " + _EXP
            if in_loop and lo < hi and first & fol:
                return ("a repetition inside a repetition where the inner one may stop or go "
                        "on at the same character ((a+)+, (\\w+\\s?)*, (x?){20}): " + _EXP)
            problem = _walk(body, (first | fol) if hi > 1 else fol, in_loop or hi > 1)
        elif op is _C.SUBPATTERN:
            problem = _walk(av[-1], fol, in_loop)
        elif op is _C.BRANCH:
            seen = frozenset()
            for alt in av[1]:
                first, empty = _first_f(alt)
                if in_loop and (first & seen or (empty and fol & seen)):
                    return ("a repeated alternation whose branches can match the same text "
                            "((a|a?b)+): " + _EXP)
                seen |= first | (fol if empty else frozenset())
                problem = problem or _walk(alt, fol, in_loop)
        elif op is _C.ASSERT or op is _C.ASSERT_NOT:
            problem = _walk(av[1], _ANY, False)
        elif getattr(_C, "ATOMIC_GROUP", None) is not None and op is _C.ATOMIC_GROUP:
            problem = _walk(av, fol, in_loop)
        if problem:
            return problem
    return None


def check_regex(text) -> str | None:
    """What is wrong with a rule pack's regular expression, in a few words (None:
    nothing): not a string, too long, not valid, or able to take exponential time."""
    if not isinstance(text, str):
        return "a regular expression must be a string"
    if len(text) > MAX_REGEX_CHARS:
        return f"regular expression longer than {MAX_REGEX_CHARS} characters"
    try:
        re.compile(text, re.I)
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        return f"invalid regular expression: {exc}"
    try:
        tree = _P.parse(text, re.I)
    except Exception:  # pragma: no cover - it compiled
        return None
    return _walk(tree, frozenset(), False)
