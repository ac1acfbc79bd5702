"""Helpers the check mechanisms share: matchers per pack, sections, spans, quotes."""
from __future__ import annotations

import functools
import re
from typing import Iterable, Mapping

from psense_lint import regex_cache
from psense_lint.patterns import PatternSet

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@functools.lru_cache(maxsize=64)
def _cached_set(vocab_id, vocab, groups_key, lexicons_key):
    groups = {k: v for k, v in groups_key}
    lexicons = {k: v for k, v in lexicons_key}
    return PatternSet(vocab, groups, lexicons)


def pattern_set(ctx, groups: Mapping[str, Iterable[str]]) -> PatternSet:
    """A PatternSet for these label -> patterns groups, built once per process."""
    vocab, lexicons = ctx.nlp.vocab, _lexicons_key(ctx.pack)
    hit = _SETS_BY_ID.get(id(groups))  # the same groups object as last time (a config's)
    if hit is not None and hit[0] is groups and hit[1] is vocab and hit[2] is lexicons:
        return hit[3]
    key = tuple(sorted((k, tuple(v)) for k, v in groups.items()))
    found = _cached_set(id(vocab), vocab, key, lexicons)
    if len(_SETS_BY_ID) > 64:
        _SETS_BY_ID.clear()
    _SETS_BY_ID[id(groups)] = (groups, vocab, lexicons, found)  # held: the id is not reused
    return found


# id(groups) -> (groups, vocab, lexicons key, PatternSet): skips building and hashing
# the key of a large groups mapping asked for again (the doc-level check's, per doc).
# Groups are read-only once built (a config's, or a dict made for one call).
_SETS_BY_ID: dict = {}


_LEX_KEYS: dict = {}  # id(pack) -> (pack, its lexicons as a sorted tuple)


def _lexicons_key(pack) -> tuple:
    """The pack's lexicons as the hashable key of ``_cached_set``, built once per pack
    (sorting hundreds of lexicons on every call cost more than the lookup)."""
    hit = _LEX_KEYS.get(id(pack))
    if hit is None or hit[0] is not pack or hit[2] is not pack.lexicons:
        hit = _LEX_KEYS[id(pack)] = (pack, tuple(sorted(pack.lexicons.items())), pack.lexicons)
    return hit[1]


def lexicon_groups(ctx, names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    return {name: ctx.pack.lexicons.get(name, ()) for name in names}


def lexicon_words(ctx, *names: str) -> frozenset[str]:
    """The words of these lexicons of the rule pack, lower-cased."""
    return frozenset(w.lower() for n in names for w in ctx.pack.lexicons.get(n, ()))


def doc_memo(ctx) -> dict:
    """What is worked out once per doc is kept here (``ctx.memo``; a fresh dict, so
    nothing is kept, for a context that has none)."""
    memo = getattr(ctx, "memo", None)
    return memo if memo is not None else {}


def section_matches(section: tuple[str, ...], words: Iterable[str]) -> bool:
    """Does the nearest heading contain any of these words (case-insensitive, whole words)?"""
    if not section:
        return False
    words = tuple(words)
    if not words:
        return False
    return _words_regex(words).search(section[-1].lower()) is not None


@functools.lru_cache(maxsize=256)
def _words_regex(words: tuple[str, ...]) -> re.Pattern:
    r"""One regex for "any of these words": ``\b(?:w1|w2|...)\b``."""
    return regex_cache.compile(
        r"\b(?:" + "|".join(re.escape(w.lower()) for w in words) + r")\b")


def overlaps_masked(unit, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in unit.masked)


def fill(template: str, **values: str) -> str:
    """Fill {placeholders}; unknown ones are left as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template).strip()


def each_rule(check_one):
    """A check mechanism that runs ``check_one(ctx, spec)`` for each of its rules."""
    def check(ctx, specs):
        for spec in specs:
            yield from check_one(ctx, spec)
    return check


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) of text so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
