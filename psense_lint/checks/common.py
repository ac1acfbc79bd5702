"""Helpers the check mechanisms share: matchers per pack, sections, subjects."""
from __future__ import annotations

import functools
import re
from typing import Iterable, Mapping

from psense_lint.patterns import PatternSet

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@functools.lru_cache(maxsize=64)
def _cached_set(vocab_id, vocab, groups_key, lexicons_key):
    groups = {k: v for k, v in groups_key}
    lexicons = {k: v for k, v in lexicons_key}
    return PatternSet(vocab, groups, lexicons)


def pattern_set(ctx, groups: Mapping[str, Iterable[str]]) -> PatternSet:
    """A PatternSet for these label -> patterns groups, built once per process."""
    key = tuple(sorted((k, tuple(v)) for k, v in groups.items()))
    lex = tuple(sorted(ctx.pack.lexicons.items()))
    return _cached_set(id(ctx.nlp.vocab), ctx.nlp.vocab, key, lex)


def lexicon_groups(ctx, names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    return {name: ctx.pack.lexicons.get(name, ()) for name in names}


def section_matches(section: tuple[str, ...], words: Iterable[str]) -> bool:
    """Does the nearest heading contain any of these words (case-insensitive, whole words)?"""
    if not section:
        return False
    head = section[-1].lower()
    return any(re.search(r"\b" + re.escape(w.lower()) + r"\b", head) for w in words)


def overlaps_masked(unit, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in unit.masked)


def fill(template: str, **values: str) -> str:
    """Fill {placeholders}; unknown ones are left as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template).strip()


def quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def subject_of(unit, sent) -> str:
    """The thing the sentence is about, in the doc's own words: an inline-code
    name, else a Capitalized multi-word name, else the sentence's first noun-ish
    phrase before the verb. Falls back to 'this change'."""
    text = unit.text
    for s, e in unit.masked:
        if sent.start_char <= s < sent.end_char and e - s <= 40:
            return text[s:e]
    for tok in sent[1:]:
        if tok.text[:1].isupper() and tok.is_alpha and len(tok.text) > 2:
            return tok.text
    return "this change"
