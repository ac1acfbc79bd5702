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
    words: frozenset | None   # None: any token
    number: bool
    optional: bool

    def accepts(self, tok) -> bool:
        if self.number:
            return tok.like_num
        return self.words is None or tok.norm_ in self.words


def _to_tok(spec: dict) -> _Tok:
    words = spec.get("NORM", {}).get("IN")
    return _Tok(frozenset(words) if words is not None else None,
                bool(spec.get("LIKE_NUM")), spec.get("OP") == "?")


class PatternSet:
    """Named groups of patterns matched together in one pass over a Doc.

    A small matcher of our own over ``token.norm_``: patterns are indexed by the
    words their first required token accepts, so each token costs one dict
    lookup. (spaCy's Matcher with set predicates and optional tokens was ~50x
    slower on large docs.)"""

    def __init__(self, vocab, groups: Mapping[str, Iterable[str]], lexicons) -> None:
        self.by_first: dict[str, list[tuple[str, tuple[_Tok, ...]]]] = {}
        self.anywhere: list[tuple[str, tuple[_Tok, ...]]] = []
        for label, patterns in groups.items():
            for p in patterns:
                try:
                    compiled = compile_pattern(p, lexicons)
                except ConfigError as exc:
                    raise ConfigError(f"{exc.message} in pattern '{p}' ({label})") from None
                for variant in compiled:
                    self._add(label, tuple(_to_tok(t) for t in variant))

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
        found = set()
        n = len(doc)
        for i in range(n):
            tok = doc[i]
            if tok.is_space:
                continue
            cands = self.by_first.get(tok.norm_, ())
            for label, toks in (*cands, *self.anywhere):
                for end in _match(doc, toks, 0, i, n):
                    found.add((label, i, end))
        return sorted(found, key=lambda x: (x[1], -(x[2] - x[1]), x[0]))


def _match(doc, toks, k, i, n):
    """End positions where toks[k:] matches starting at token i."""
    if k == len(toks):
        yield i
        return
    while i < n and doc[i].is_space:
        i += 1
    t = toks[k]
    if t.optional:
        yield from _match(doc, toks, k + 1, i, n)
    if i < n and t.accepts(doc[i]):
        yield from _match(doc, toks, k + 1, i + 1, n)
