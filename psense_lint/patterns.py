"""Compile rule-pack phrase patterns (see rulepack's docstring) and match them."""
from __future__ import annotations

import re
from typing import Iterable, Mapping, NamedTuple

from psense_lint.model import ConfigError


def _lemma(word: str) -> str:
    from psense_lint.nlp import _lemma_table

    table = _lemma_table()
    low = word.lower()
    return table.get(low, low) if table is not None else low


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


def compile_pattern(text: str, lexicons) -> list[list[dict]]:
    """One pattern string -> one or more Matcher patterns. Hyphenated words are
    several tokens to spaCy ("well-structured" is well, -, structured), so an
    alternative with a hyphen becomes its own variant."""
    toks = text.split()
    if not toks:
        raise ConfigError("empty pattern")
    variants: list[list[dict]] = [[]]
    for tok in toks:
        optional = tok.endswith("?") and len(tok) > 1
        body = tok[:-1] if optional else tok
        alts = body.split("|")
        plain = [a for a in alts if "-" not in a.strip("-") or a.startswith("@")]
        hyphened = [a for a in alts if a not in plain]
        choices: list[list[dict]] = []
        if plain:
            choices.append([compile_token("|".join(plain) + ("?" if optional else ""), lexicons)])
        for alt in hyphened:
            parts = [p for p in re.split(r"(-)", alt) if p]
            choices.append([compile_token(p, lexicons) for p in parts])
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


def _view(norms, nums, spaces) -> _View:
    return _View(norms, nums, spaces, set(norms))


class Tokens:
    """A Doc's tokens as the matcher reads them, computed once per Doc (not once
    per token per pattern set): ``full`` (every token) and, built when first
    asked for, ``compact`` (without the whitespace tokens; ``keep`` holds the
    Doc index of each of its tokens)."""

    __slots__ = ("full", "keep", "_compact")

    def __init__(self, doc) -> None:
        from spacy.attrs import IS_SPACE, LIKE_NUM, NORM

        if len(doc):
            norms, nums, spaces = doc.to_array([NORM, LIKE_NUM, IS_SPACE]).T.tolist()
        else:
            norms, nums, spaces = [], [], []
        has_space = any(spaces)
        self.full = _view(norms, nums, spaces if has_space else None)
        self.keep = None if has_space else range(len(norms))
        self._compact = None if has_space else self.full

    @property
    def compact(self) -> _View:
        if self._compact is None:
            spaces = self.full.spaces
            keep = self.keep = [i for i, sp in enumerate(spaces) if not sp]
            norms, nums = self.full.norms, self.full.nums
            self._compact = _view([norms[i] for i in keep], [nums[i] for i in keep], None)
        return self._compact


_TOKENS_KEY = "psense_lint.tokens"


def tokens(doc) -> Tokens:
    """The matcher's view of ``doc``, kept in ``doc.user_data`` (the pipeline
    has set every norm by the time the checks run)."""
    cached = doc.user_data.get(_TOKENS_KEY)
    if cached is None:
        cached = doc.user_data[_TOKENS_KEY] = Tokens(doc)
    return cached


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
        for label, patterns in groups.items():
            for p in patterns:
                try:
                    compiled = compile_pattern(p, lexicons)
                except ConfigError as exc:
                    raise ConfigError(f"{exc.message} in pattern '{p}' ({label})") from None
                for variant in compiled:
                    self._add(label, tuple(_to_tok(t) for t in variant))
        # by first word: the one-token patterns' labels; the patterns whose next
        # token may be anything (optional, a number, *); the others by next word
        self._first: dict[int, tuple[list, list, dict]] = {}
        for w, cands in self.by_first.items():
            singles: list[str] = []
            open_: list[tuple[str, tuple[_Tok, ...]]] = []
            by_next: dict[int, list[tuple[str, tuple[_Tok, ...]]]] = {}
            for label, toks in cands:
                if len(toks) == 1:
                    singles.append(label)
                    continue
                nxt = toks[1]
                if nxt.optional or nxt.number or nxt.words is None:
                    open_.append((label, toks))
                else:
                    for w2 in nxt.words:
                        by_next.setdefault(w2, []).append((label, toks))
            self._first[w] = (singles, open_, by_next)

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
        Whitespace tokens are skipped inside a match."""
        return self.scan(tokens(doc).full)

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
        norms, nums, spaces, norm_set = view
        n = len(norms)
        first = self._first
        found = set()
        for h in first.keys() & norm_set:  # (a set operation, over the smaller)
            singles, open_, by_next = first[h]
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
                    for end in _ends(toks, 1, i + 1, n, norms, nums, spaces):
                        found.add((label, i, end))
                if by_next:
                    j = i + 1
                    if spaces is not None:
                        while j < n and spaces[j]:
                            j += 1
                    if j < n:
                        for label, toks in by_next.get(norms[j], ()):  # and the second
                            for end in _ends(toks, 2, j + 1, n, norms, nums, spaces):
                                found.add((label, i, end))
        if self.anywhere:
            for i in range(n):
                if spaces is not None and spaces[i]:
                    continue
                for label, toks in self.anywhere:
                    for end in _ends(toks, 0, i, n, norms, nums, spaces):
                        found.add((label, i, end))
        if not found:
            return []
        return sorted(found, key=lambda x: (x[1], -(x[2] - x[1]), x[0]))


def _ends(toks, k, i, n, norms, nums, spaces, out=None):
    """End positions where toks[k:] matches starting at token i (whitespace
    tokens before each pattern token are skipped)."""
    if out is None:
        out = []
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
            _ends(toks, k + 1, i, n, norms, nums, spaces, out)
        if i < n and (nums[i] if number else (words is None or norms[i] in words)):
            k += 1
            i += 1
        else:
            return out
