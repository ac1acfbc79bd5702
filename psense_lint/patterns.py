"""Compile rule-pack phrase patterns (see rulepack's docstring) and match them."""
from __future__ import annotations

import re
from typing import Iterable, Mapping, NamedTuple

from psense_lint.model import ConfigError

# Limits on one pattern (checked when a pack loads, with the pack's file:line:col):
# the matcher's work grows with the pattern's length, and hyphenated alternatives
# multiply into variants.
MAX_PATTERN_CHARS = 1000
MAX_PATTERN_TOKENS = 32
MAX_LEADING = 4            # optional or wildcard tokens before a pattern's first word
MAX_ALTERNATIVES = 2000    # in one token (a|b|c...)
MAX_VARIANTS = 256         # hyphenated alternatives and optional ones multiply
MAX_PATTERNS = 50000       # in all the packs together


def check_pattern(text: str, lexicons: Mapping[str, Iterable[str]] | None = None) -> str | None:
    """What is wrong with a phrase pattern, in a few words (None: nothing). Needs
    no spaCy: run on every category pattern when a pack loads."""
    if not isinstance(text, str):
        return "a pattern must be a string"
    if len(text) > MAX_PATTERN_CHARS:
        return f"pattern longer than {MAX_PATTERN_CHARS} characters"
    toks = text.split()
    if not toks:
        return "empty pattern"
    if len(toks) > MAX_PATTERN_TOKENS:
        return f"pattern has {len(toks)} tokens (at most {MAX_PATTERN_TOKENS})"
    loose = [(t.endswith("?") and len(t) > 1) or t in ("*", "#num") for t in toks]
    if all(loose):
        return ("pattern has no required word (only optional tokens, '*' or '#num': it "
                "would match almost anywhere)")
    if loose.index(False) > MAX_LEADING:  # each is tried at every token of every doc
        return (f"pattern starts with {loose.index(False)} optional or wildcard tokens "
                f"before its first word (at most {MAX_LEADING})")
    variants = 1
    for tok in toks:
        optional = tok.endswith("?") and len(tok) > 1
        alts = (tok[:-1] if optional else tok).split("|")
        if len(alts) > MAX_ALTERNATIVES:
            return f"token with {len(alts)} alternatives (at most {MAX_ALTERNATIVES})"
        for alt in alts:
            if alt.startswith("@") and lexicons is not None and alt[1:] not in lexicons:
                return f"pattern refers to unknown lexicon '{alt}'"
        hyphened = sum(1 for a in alts if "-" in a.strip("-") and not a.startswith("@"))
        choices = (len(alts) > hyphened) + hyphened + (1 if optional and hyphened else 0)
        variants *= max(1, choices)
        if variants > MAX_VARIANTS:
            return (f"pattern expands to more than {MAX_VARIANTS} variants (each hyphenated "
                    "alternative is a variant of its own; split it into several patterns)")
    return None


def lemma(word: str) -> str:
    """The word's lemma in lower case, as the patterns match it ("parsers" -> "parser");
    the word in lower case when the lemma table is not there."""
    from psense_lint.nlp import _lemma_table

    table = _lemma_table()
    low = word.lower()
    return table.get(low, low) if table is not None else low


_lemma = lemma  # the name this module's own code uses


def compile_token(tok: str, lexicons: Mapping[str, Iterable[str]]) -> dict:
    optional = tok.endswith("?") and len(tok) > 1
    if optional:
        tok = tok[:-1]
    if tok == "*":
        spec: dict = {}
    elif tok == "#num":
        spec = {"LIKE_NUM": True}
    else:
        alts: set[str] = set()
        for alt in tok.split("|"):
            if alt.startswith("@"):
                words = lexicons.get(alt[1:])
                if words is None:
                    raise ConfigError(f"pattern refers to unknown lexicon '{alt}'")
                alts.update(_lemma(w) for w in words if " " not in w)
            elif alt:
                low = alt.lower()
                # the lemma table does not know every plural ("admins"): match the
                # plain -s/-es forms too
                alts.update((low, _lemma(low), low + "s", low + "es"))
        spec = {"NORM": {"IN": sorted(alts)}}
    if optional:
        spec["OP"] = "?"
    return spec


def compile_pattern(text: str, lexicons, token=None) -> list[list]:
    """One pattern string -> one or more Matcher patterns. Hyphenated words are
    several tokens to spaCy ("well-structured" is well, -, structured), so an
    alternative with a hyphen becomes its own variant. ``token`` compiles one
    token (default: ``compile_token`` with these lexicons)."""
    problem = check_pattern(text)
    if problem:
        raise ConfigError(problem)
    if token is None:
        token = lambda tok: compile_token(tok, lexicons)  # noqa: E731
    toks = text.split()
    variants: list[list] = [[]]
    for tok in toks:
        optional = tok.endswith("?") and len(tok) > 1
        body = tok[:-1] if optional else tok
        alts = body.split("|")
        plain = [a for a in alts if "-" not in a.strip("-") or a.startswith("@")]
        plain_set = set(plain)
        hyphened = [a for a in alts if a not in plain_set]
        choices: list[list[dict]] = []
        if plain:
            choices.append([token("|".join(plain) + ("?" if optional else ""))])
        for alt in hyphened:
            parts = [p for p in re.split(r"(-)", alt) if p]
            choices.append([token(p) for p in parts])
        if optional and hyphened:
            choices.append([])
        variants = [v + c for v in variants for c in choices]
    return [v for v in variants if v]


class _Tok(NamedTuple):
    words: frozenset | None   # hashes of the norms it accepts; None: any token
    number: bool
    optional: bool


def _to_tok(spec: dict) -> _Tok:
    from spacy.strings import get_string_id

    words = spec.get("NORM", {}).get("IN")
    return _Tok(frozenset(get_string_id(w) for w in words) if words is not None else None,
                bool(spec.get("LIKE_NUM")), spec.get("OP") == "?")


class _View(NamedTuple):
    """What the matcher reads of a Doc's tokens, as plain lists: the hash of
    each token's norm, its ``like_num`` flag, its ``is_space`` flag (None: no
    whitespace tokens), and the set of the norms."""

    norms: list
    nums: list
    spaces: list | None
    norm_set: set
    sents: list | None = None   # 1 where a token starts a sentence (None: not known)


def _view(norms, nums, spaces, sents=None) -> _View:
    return _View(norms, nums, spaces, set(norms), sents)


class Tokens:
    """A Doc's tokens as the matcher reads them, computed once per Doc (not once
    per token per pattern set): ``full`` (every token) and, built when first
    asked for, ``compact`` (without the whitespace tokens; ``keep`` holds the
    Doc index of each of its tokens)."""

    __slots__ = ("full", "keep", "_compact")

    def __init__(self, doc) -> None:
        from spacy.attrs import IS_SPACE, LIKE_NUM, NORM, SENT_START

        if len(doc):
            norms, nums, spaces, starts = doc.to_array(
                [NORM, LIKE_NUM, IS_SPACE, SENT_START]).T.tolist()
        else:
            norms, nums, spaces, starts = [], [], [], []
        # a sentence start after the first token (spaCy: 1 starts, -1 does not, 0 unknown)
        sents = [s == 1 for s in starts] if 1 in starts[1:] else None
        has_space = any(spaces)
        if sents is not None and has_space:  # a start on a whitespace token: the next one
            for t in range(len(sents) - 1):
                if sents[t] and spaces[t]:
                    sents[t + 1] = True
        self.full = _view(norms, nums, spaces if has_space else None, sents)
        self.keep = None if has_space else range(len(norms))
        self._compact = None if has_space else self.full

    @property
    def compact(self) -> _View:
        if self._compact is None:
            spaces = self.full.spaces
            keep = self.keep = [i for i, sp in enumerate(spaces) if not sp]
            norms, nums, sents = self.full.norms, self.full.nums, self.full.sents
            self._compact = _view([norms[i] for i in keep], [nums[i] for i in keep], None,
                                  None if sents is None else _starts(sents, spaces))
        return self._compact


def _starts(sents, spaces) -> list:
    """In the view without whitespace tokens: does each token start a sentence
    (it does, or a whitespace token dropped just before it does; for the first,
    only itself)?"""
    out: list = []
    dropped = False  # a dropped whitespace token since the last kept one starts one
    for t, sp in enumerate(spaces):
        if sp:
            dropped = dropped or sents[t]
            continue
        out.append((dropped or sents[t]) if out else sents[t])
        dropped = False
    return out


_TOKENS_KEY = "psense_lint.tokens"


def tokens(doc) -> Tokens:
    """The matcher's view of ``doc``, kept in ``doc.user_data`` (the pipeline
    has set every norm by the time the checks run)."""
    cached = doc.user_data.get(_TOKENS_KEY)
    if cached is None:
        cached = doc.user_data[_TOKENS_KEY] = Tokens(doc)
    return cached


_FOUND_KEY = "psense_lint.found"


class PatternSet:
    """Named groups of patterns matched together in one pass over a Doc.

    A small matcher of our own over ``token.norm_`` (as string hashes, read once
    per Doc by ``tokens``): patterns are indexed by the words their first
    required token accepts, and only the tokens whose norm is one of those (a set
    intersection) are tried. (spaCy's Matcher with set predicates and optional
    tokens was ~50x slower on large docs.)"""

    def __init__(self, vocab, groups: Mapping[str, Iterable[str]], lexicons) -> None:
        self.by_first: dict[int, list[tuple[str, tuple[_Tok, ...]]]] = {}
        self.anywhere: list[tuple[str, tuple[_Tok, ...]]] = []
        made: dict[str, _Tok] = {}  # a token written alike in several patterns: compiled once

        def token(tok: str) -> _Tok:
            found = made.get(tok)
            if found is None:
                found = made[tok] = _to_tok(compile_token(tok, lexicons))
            return found

        for label, patterns in groups.items():
            for p in patterns:
                try:
                    compiled = compile_pattern(p, lexicons, token)
                except ConfigError as exc:
                    raise ConfigError(f"{exc.message} in pattern '{p}' ({label})") from None
                for variant in compiled:
                    self._add(label, tuple(variant))
        self._first: dict[int, tuple[list, list, dict]] = {}  # see _index

    def _index(self, w: int) -> tuple[list, list, dict]:
        """The patterns whose first token accepts the word ``w``, as ``scan`` tries
        them: the one-token patterns' labels; the patterns whose next token may be
        anything (optional, a number, *); the others by next word. Built when a
        doc first has the word (a doc has few of the words a pack starts with)."""
        singles: list[str] = []
        open_: list[tuple[str, tuple[_Tok, ...]]] = []
        by_next: dict[int, list[tuple[str, tuple[_Tok, ...]]]] = {}
        for label, toks in self.by_first[w]:
            if len(toks) == 1:
                singles.append(label)
                continue
            nxt = toks[1]
            if nxt.optional or nxt.number or nxt.words is None:
                open_.append((label, toks))
            else:
                for w2 in nxt.words:
                    by_next.setdefault(w2, []).append((label, toks))
        found = self._first[w] = (singles, open_, by_next)
        return found

    def _add(self, label, toks):
        while toks and toks[0].optional:  # a leading optional token: index both variants
            self._add(label, (toks[0]._replace(optional=False),) + toks[1:])
            toks = toks[1:]
        if not toks:
            return
        first = toks[0]
        if first.words is None or first.number:
            self.anywhere.append((label, toks))
        else:
            for w in first.words:
                self.by_first.setdefault(w, []).append((label, toks))

    def find(self, doc) -> list[tuple[str, int, int]]:
        """(label, start token, end token) of every match, longest first at each start.
        Whitespace tokens are skipped inside a match. Scanned once per Doc and
        pattern set: the checks and the suggestions that ask again get a copy."""
        seen = doc.user_data.get(_FOUND_KEY)
        if seen is None:
            seen = doc.user_data[_FOUND_KEY] = {}
        found = seen.get(self)  # keyed by the set itself (held, so never a reused id)
        if found is None:
            found = seen[self] = self.scan(tokens(doc).full)
        return list(found)

    def find_across_lines(self, doc) -> list[tuple[str, int, int]]:
        """Like ``find``, but matched on the doc without its whitespace tokens (a
        phrase broken over two lines matches), in that doc's order; the token
        indices are the Doc's own."""
        t = tokens(doc)
        found = self.scan(t.compact)
        if t.full.spaces is None:
            return found
        keep = t.keep
        return [(lab, keep[s], keep[e - 1] + 1) for lab, s, e in found]

    def scan(self, view: _View) -> list[tuple[str, int, int]]:
        """``find`` over a view of the tokens."""
        norms, nums, spaces, norm_set, sents = view
        n = len(norms)
        first = self._first
        found = set()
        for h in self.by_first.keys() & norm_set:  # (a set operation, over the smaller)
            singles, open_, by_next = first.get(h) or self._index(h)
            i = -1
            while True:  # each token with this norm (list.index: the scan is in C)
                try:
                    i = norms.index(h, i + 1)
                except ValueError:
                    break
                if spaces is not None and spaces[i]:
                    continue
                # the first token of these patterns accepts this one
                for label in singles:
                    found.add((label, i, i + 1))
                for label, toks in open_:
                    for end in _ends(toks, 1, i + 1, n, norms, nums, spaces, sents, i):
                        found.add((label, i, end))
                if by_next:
                    j = i + 1
                    if spaces is not None:
                        while j < n and spaces[j]:
                            j += 1
                    if j < n and (sents is None or not sents[j]):
                        for label, toks in by_next.get(norms[j], ()):  # and the second
                            for end in _ends(toks, 2, j + 1, n, norms, nums, spaces, sents, i):
                                found.add((label, i, end))
        if self.anywhere:
            for i in range(n):
                if spaces is not None and spaces[i]:
                    continue
                for label, toks in self.anywhere:
                    for end in _ends(toks, 0, i, n, norms, nums, spaces, sents, i):
                        found.add((label, i, end))
        if not found:
            return []
        return sorted(found, key=lambda x: (x[1], -(x[2] - x[1]), x[0]))


def _ends(toks, k, i, n, norms, nums, spaces, sents=None, first=-1):
    """End positions where toks[k:] matches starting at token i (whitespace
    tokens before each pattern token are skipped; no token after the match's
    first, at ``first``, may start a sentence: a match, and so a quoted claim,
    stays inside one sentence)."""
    opt = _OPTIONALS.get(id(toks))
    if opt is None:
        opt = _OPTIONALS[id(toks)] = sum(1 for t in toks if t.optional)
    if opt > 3:  # 2**opt paths for a backtracking search: simulate the states instead
        return _ends_nfa(toks, k, i, n, norms, nums, spaces, sents, first)
    return _ends_dfs(toks, k, i, n, norms, nums, spaces, sents, first, [])


_OPTIONALS: dict[int, int] = {}  # id(pattern) -> its number of optional tokens


def _ends_dfs(toks, k, i, n, norms, nums, spaces, sents, first, out):
    last = len(toks)
    while True:
        if k == last:
            out.append(i)
            return out
        if spaces is not None:
            while i < n and spaces[i]:
                i += 1
        words, number, optional = toks[k]
        if optional:
            _ends_dfs(toks, k + 1, i, n, norms, nums, spaces, sents, first, out)
        if i < n and (nums[i] if number else (words is None or norms[i] in words)) \
                and (sents is None or i == first or not sents[i]):
            k += 1
            i += 1
        else:
            return out


def _ends_nfa(toks, k, i, n, norms, nums, spaces, sents=None, first=-1):
    """End positions where toks[k:] matches starting at token i (whitespace
    tokens before each pattern token are skipped; no token after the match's
    first, ``first``, may start a sentence). A set-of-states simulation: each
    (pattern token, text position) pair is visited once, so the time is linear
    in the pattern's length times the text it covers, whatever the optional
    tokens (a backtracking search doubled its work with each ``word?``)."""
    last = len(toks)
    out = []
    todo = {i: {k}}
    while todo:
        i = min(todo)
        ks = todo.pop(i)
        j = i
        if spaces is not None:
            while j < n and spaces[j]:
                j += 1
        ok = j < n and not (sents is not None and j != first and sents[j])
        here = sorted(ks)
        seen = set(here)
        idx = 0
        while idx < len(here):
            kk = here[idx]
            idx += 1
            if kk == last:
                out.append(i)
                continue
            words, number, optional = toks[kk]
            if optional:
                if j == i:
                    if kk + 1 not in seen:
                        seen.add(kk + 1)
                        here.append(kk + 1)  # larger than every k before it
                else:
                    todo.setdefault(j, set()).add(kk + 1)
            if ok and (nums[j] if number else (words is None or norms[j] in words)):
                todo.setdefault(j + 1, set()).add(kk + 1)
    return out
