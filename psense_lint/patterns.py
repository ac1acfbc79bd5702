"""Compile rule-pack phrase patterns (see rulepack's docstring) to spaCy Matchers."""
from __future__ import annotations

import re
from typing import Iterable, Mapping

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


class PatternSet:
    """Named groups of patterns matched together in one pass over a Doc."""

    def __init__(self, vocab, groups: Mapping[str, Iterable[str]], lexicons) -> None:
        from spacy.matcher import Matcher

        self.matcher = Matcher(vocab)
        for label, patterns in groups.items():
            compiled = []
            for p in patterns:
                try:
                    compiled.extend(compile_pattern(p, lexicons))
                except ConfigError as exc:
                    raise ConfigError(f"{exc.message} in pattern '{p}' ({label})") from None
            if compiled:
                self.matcher.add(label, compiled)

    def find(self, doc) -> list[tuple[str, int, int]]:
        """(label, start token, end token) of every match, longest first at each start."""
        vocab = doc.vocab
        found = [(vocab.strings[m], s, e) for m, s, e in self.matcher(doc)]
        found.sort(key=lambda x: (x[1], -(x[2] - x[1])))
        return found
