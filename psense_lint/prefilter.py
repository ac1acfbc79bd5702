"""A cheap test that rules out most regex searches before they run.

``required(rx)`` reads a compiled pattern's parse tree and returns sets of literal
strings such that every match holds one string of each set ("rate", and one of
"error" or "failure", for ``\\b(?:error|failure)\\s+rates?\\b``; "ms" and one of the
ten digits for ``\\d+\\s?ms\\b``), or None when it finds none. ``any_of(regexes)``
then answers ``any(r.search(text) for r in regexes)`` behind gates: one search for
those literal strings over the lower-cased text, which rules out most texts at
once, then each regex's own. A literal search is many times cheaper than ten
searches with ``re.I``, and most sentences hold none of the words a cue needs.

Only ASCII text is gated (other text gets the plain searches): in ASCII text a
pattern's ASCII letters match under ``re.I`` exactly when the lower-cased text
holds their lower-case form, and ``\\d`` means 0-9. Anything the analysis does not
know (a negated class, ``\\w``, ``.``, a back reference, a flag changed inside the
pattern, a non-ASCII character that might match an ASCII one) gives no strings
there, so the answer is always the regexes' own: a gate never changes a result,
it only skips searches that cannot succeed.
"""
from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

__all__ = ["required", "any_of", "AnyOf", "could_match"]

_LIMIT = 64  # most strings an exact set may hold
_SETS = 3  # most sets tested per search
_DIGITS = frozenset("0123456789")
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
if hasattr(_c, "POSSESSIVE_REPEAT"):
    _REPEATS.add(_c.POSSESSIVE_REPEAT)
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}


class _Unknown(Exception):
    pass


def _char(c: int, icase: bool) -> frozenset:
    """The strings one literal character can match in ASCII text."""
    ch = chr(c)
    if c < 128:
        return frozenset({ch.lower() if icase else ch})
    if icase and any(re.fullmatch(re.escape(ch), chr(a), re.I) for a in range(128)):
        raise _Unknown  # a non-ASCII letter matching an ASCII one (the Kelvin sign ...)
    return frozenset({ch})  # never in ASCII text


def _class(items, icase: bool) -> frozenset:
    out: set = set()
    for op, av in items:
        if op is _c.LITERAL:
            out |= _char(av, icase)
        elif op is _c.RANGE:
            lo, hi = av
            if hi - lo > 96:
                raise _Unknown
            for c in range(lo, hi + 1):
                out |= _char(c, icase)
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            out |= _DIGITS
        else:  # NEGATE, \w, \s ...
            raise _Unknown
    if len(out) > _LIMIT:
        raise _Unknown
    return frozenset(out)


def _good(cands) -> list:
    """The usable requirement sets (no empty string), most selective first: a few
    long strings before many or short ones."""
    good = {_minimal(c) for c in cands if c and "" not in c}
    return sorted(good, key=lambda s: (len(s) > 4, -len(s[0]), len(s), s))


def _node(op, av, icase: bool):
    """(exact, reqs): every string the node matches (or None), and sets of strings
    such that every match holds one string of each set."""
    if op is _c.LITERAL:  # exact: the run of exact strings it is part of is the requirement
        return _char(av, icase), []
    if op is _c.IN:
        return _class(av, icase), []
    if op in _ZERO_WIDTH:
        return frozenset({""}), []
    if op is _c.SUBPATTERN:
        _group, add, remove, sub = av
        if (add | remove) & (re.A | re.L) or add & re.I:
            raise _Unknown
        # (?-i:...) in a pattern that ignores case: its matches, lower-cased, hold the
        # strings it would need ignoring case (the gates read the lower-cased text)
        return _seq(sub, icase)
    if hasattr(_c, "ATOMIC_GROUP") and op is _c.ATOMIC_GROUP:
        return _seq(av, icase)
    if op is _c.BRANCH:
        alts = []
        for alt in av[1]:
            try:
                alts.append(_seq(alt, icase))
            except _Unknown:
                alts.append((None, []))
        exact = None
        if all(e is not None for e, _ in alts):
            exact = frozenset().union(*(e for e, _ in alts))
            if len(exact) > _LIMIT:
                exact = None
        if exact is not None:
            return exact, [exact]
        if all(reqs for _, reqs in alts):  # one string of each alternative's best set
            return None, [frozenset().union(*(frozenset(reqs[0]) for _, reqs in alts))]
        return None, []
    if op in _REPEATS:
        lo, hi, sub = av
        try:
            exact, reqs = _seq(sub, icase)
        except _Unknown:
            exact, reqs = None, []
        if lo == 0:
            if hi == 1 and exact is not None:
                return exact | {""}, []
            raise _Unknown  # unknown content, breaks a run of exact strings
        if lo == hi == 1:
            return exact, reqs
        return None, reqs
    raise _Unknown  # ANY, NOT_LITERAL, GROUPREF, ...


def _seq(items, icase: bool):
    """(exact, reqs) of a sequence of parse-tree nodes."""
    cands = []
    run = frozenset({""})
    whole = True  # every node exact so far, and the run never restarted
    for op, av in items:
        try:
            exact, reqs = _node(op, av, icase)
        except _Unknown:
            exact, reqs = None, []
        cands.extend(reqs)
        if exact is not None and len(run) * len(exact) <= _LIMIT:
            run = frozenset(a + b for a in run for b in exact)
            continue
        cands.append(run)
        whole = False
        run = exact if exact is not None else frozenset({""})
    cands.append(run)
    return (run if whole else None), _good(cands)


def _minimal(strings) -> tuple:
    """Drop every string that holds a shorter one of the set (that one is enough)."""
    out: list = []
    for s in sorted(set(strings), key=lambda t: (len(t), t)):
        if not any(t in s for t in out):
            out.append(s)
    return tuple(out)


_CACHE: dict = {}  # compiled pattern -> (its required strings or None, anchored)


def _analyse(rx: re.Pattern) -> tuple:
    """(``required(rx)``, whether ``rx`` only matches at the start of the text), from
    one parse of the pattern, once per process."""
    out = _CACHE.get(rx)
    if out is not None:
        return out
    reqs, anchored = None, False
    if isinstance(rx.pattern, str):
        try:
            items = list(_p.parse(rx.pattern, rx.flags))
            anchored = (not rx.flags & re.M and bool(items) and items[0][0] is _c.AT
                        and items[0][1] in (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING))
            _exact, found = _seq(items, bool(rx.flags & re.I))
            reqs = tuple(found[:_SETS]) or None
        except Exception:  # _Unknown, or a parser this code does not know
            reqs = None
    out = _CACHE[rx] = (reqs, anchored)
    return out


def required(rx: re.Pattern):
    """Sets of strings such that every match of ``rx`` in ASCII text holds one
    string of each set (lower-cased when ``rx`` ignores case), most selective set
    first; None when the analysis finds none."""
    return _analyse(rx)[0]


class _Literals:
    """``.search(text)``: whether the text holds one of these literal strings (True,
    else None), as a search for their alternation would say, in less time: the
    one-character strings by one character-class search, the longer ones by
    ``in`` each (a fast substring search), where the alternation is tried branch
    by branch at every position that starts one (a digit or a common letter)."""

    __slots__ = ("chars", "words", "always")

    def __init__(self, strings) -> None:
        strings = set(strings)
        one = sorted(x for x in strings if len(x) == 1)
        self.chars = (re.compile("[" + "".join(re.escape(c) for c in one) + "]").search
                      if one else None)
        self.words = tuple(sorted((x for x in strings if len(x) > 1), key=lambda t: (-len(t), t)))
        self.always = "" in strings

    def search(self, text: str):
        if self.always or (self.chars is not None and self.chars(text) is not None):
            return True
        for w in self.words:
            if w in text:
                return True
        return None


def _gate(strings) -> _Literals:
    """One test for any of these literal strings."""
    return _Literals(strings)


# Searches an AnyOf runs plainly before it builds its gates: analysing the patterns
# costs ~0.3 ms each, more than a small doc's searches would save.
WARM_UP = 48


class AnyOf:
    """``any(r.search(text) for r in regexes)``, with gates (once asked ``WARM_UP``
    times): one search over the lower-cased ASCII text for the first required set
    of every regex (when none is there, no regex can match), then each regex's own
    gate before its search. No gate when a regex has no required strings, does not
    ignore case, or when every regex is anchored at the start (already quick)."""

    __slots__ = ("regexes", "gate", "each", "calls")

    def __init__(self, regexes) -> None:
        self.regexes = tuple(regexes)
        self.gate = None
        self.each: tuple = ()
        self.calls = 0

    def _build(self) -> None:
        found = [_analyse(r) for r in self.regexes]
        reqs = [q for q, _ in found]
        if (self.regexes and all(reqs) and all(r.flags & re.I for r in self.regexes)
                and not all(a for _, a in found)):
            self.gate = _gate({x for q in reqs for x in q[0]})
            self.each = tuple((r, _gate(q[0]) if len(self.regexes) > 1 else None)
                              for r, q in zip(self.regexes, reqs))

    def __call__(self, text: str) -> bool:
        if self.gate is None and self.calls <= WARM_UP:
            self.calls += 1
            if self.calls > WARM_UP:
                self._build()
        if self.gate is not None and text.isascii():
            low = _lower(text)
            if self.gate.search(low) is None:
                return False
            for r, gate in self.each:
                if (gate is None or gate.search(low) is not None) and r.search(text):
                    return True
            return False
        for r in self.regexes:
            if r.search(text):
                return True
        return False


_LAST = ["", ""]  # the last text lowered, and its lower-cased form (asked ~17 times in a row)


def _lower(text: str) -> str:
    if text is not _LAST[0]:
        _LAST[0], _LAST[1] = text, text.lower()
    return _LAST[1]


_GATES: dict = {}  # compiled pattern -> the gates of its required sets (() when none)


def could_match(rx: re.Pattern, text: str) -> bool:
    """False only when ``rx`` cannot match ``text``: an ASCII text whose lower-cased
    form lacks every string of one of the sets ``required(rx)`` gives (patterns that
    ignore case; for others, and for other text, always True)."""
    gates = _GATES.get(rx)
    if gates is None:
        reqs = required(rx) if rx.flags & re.I else None
        if len(_GATES) > 1000:
            _GATES.clear()
        gates = _GATES[rx] = tuple(_gate(q) for q in reqs) if reqs else ()
    if not gates or not text.isascii():
        return True
    low = _lower(text)
    return all(g.search(low) is not None for g in gates)


_BY_ID: dict = {}  # id(list of patterns) -> (the list, its AnyOf): the lists a config holds
_ANY: dict = {}  # tuple of compiled patterns -> AnyOf


def any_of(regexes) -> AnyOf:
    """The ``AnyOf`` of these compiled patterns, built once per process for each
    tuple of patterns (whatever list holds them)."""
    hit = _BY_ID.get(id(regexes))
    if hit is not None and hit[0] is regexes:
        return hit[1]
    key = tuple(regexes)
    found = _ANY.get(key)
    if found is None:
        if len(_ANY) > 1000:
            _ANY.clear()
        found = _ANY[key] = AnyOf(key)
    if len(_BY_ID) > 256:
        _BY_ID.clear()
    _BY_ID[id(regexes)] = (regexes, found)  # held, so the id is not reused while here
    return found
