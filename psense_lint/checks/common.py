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
    words = tuple(words)
    if not words:
        return False
    return _words_regex(words).search(section[-1].lower()) is not None


@functools.lru_cache(maxsize=256)
def _words_regex(words: tuple[str, ...]) -> re.Pattern:
    r"""One regex for "any of these words": ``\b(?:w1|w2|...)\b``."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w.lower()) for w in words) + r")\b")


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


_PRONOUNS = {"we", "i", "it", "this", "that", "these", "those", "they", "there", "he", "she",
             "you", "our", "its", "which", "what", "also", "however", "but", "and", "so"}
_STOP = {"because", "since", "so", "and", "or", "but", "which", "that", "to", "for", "with",
         "by", "in", "on", "is", "are", "was", "were", "will", "would", "should", "can",
         "could", "may", "might", "must", "has", "have", "had"}
_MOVE = {"move", "switch", "migrate", "port", "rewrite", "replace", "split", "decouple",
         "adopt", "refactor", "extract"}
_VERBS = {"be", "make", "give", "improve", "help", "reduce", "add", "enhance", "keep", "let",
          "allow", "enable", "cut", "remove", "simplify", "require", "create", "mean"}


def subject_of(unit, sent, after: int | None = None) -> str:
    """The thing the sentence is about, in the doc's own words: an inline-code
    name, the object of "move to / switch to / split ...", the sentence's
    opening noun phrase, or a CapitalisedName. Falls back to 'this change'."""
    text = unit.text
    for s, e in unit.masked:
        if sent.start_char <= s < sent.end_char and 1 < e - s <= 40 and "://" not in text[s:e]:
            return text[s:e]
    toks = [t for t in sent if not t.is_space]
    for i, tok in enumerate(toks):
        if tok.norm_ in _MOVE:
            j = i + 1
            if j < len(toks) and toks[j].lower_ in ("to", "into", "onto", "out"):
                j += 1
            if j < len(toks) and (toks[j].lower_ in ("the", "a", "an", "our", "its")
                                  or toks[j].text[:1].isupper()):
                phrase = _phrase(toks[j:])
                if phrase:
                    return phrase
    for i, tok in enumerate(toks[:7]):
        if tok.norm_ in _VERBS or tok.lower_ in _STOP:
            head = toks[:i]
            while head and (head[0].lower_ in _PRONOUNS or not head[0].is_alpha):
                head = head[1:]
            first = head[0] if head else None
            if first is not None and (first.lower_ in ("the", "a", "an") or first.text.endswith("ing")
                                      or (first.text[:1].isupper() and first.i != sent.start)):
                return sent.doc[head[0].i:head[-1].i + 1].text
            break
    if after is not None:  # "... technical debt in the notification code"
        rest = [t for t in toks if t.i >= after]
        for i, tok in enumerate(rest[:-1]):
            if tok.lower_ in ("in", "of", "for", "across", "between") and rest[i + 1].lower_ in (
                    "the", "our", "this", "its"):
                phrase = _phrase(rest[i + 2:])
                if phrase:
                    return phrase
    for tok in toks[1:]:
        if tok.text[:1].isupper() and tok.is_alpha and len(tok.text) > 2 and tok.lower_ not in _STOP:
            return tok.text
    return "this change"


def _phrase(toks, limit: int = 5) -> str:
    out = []
    for tok in toks:
        if tok.is_space:
            continue
        if tok.is_punct or tok.lower_ in _STOP or tok.norm_ in _VERBS or len(out) >= limit:
            break
        out.append(tok)
    if not out or all(t.lower_ in ("the", "a", "an") for t in out):
        return ""
    return out[0].doc[out[0].i:out[-1].i + 1].text
