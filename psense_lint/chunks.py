"""Noun phrases in a sentence, without a parser.

The default pipeline is a blank English tokenizer with lookup lemmas: no tagger,
no parser, so spaCy's ``noun_chunks`` is not there. This module finds the noun
phrases itself, from token shapes and from the word classes of WordNet's index
as shipped in spacy-lookups-data (``lemma_index``: which lemmas can be a noun,
a verb, an adjective, an adverb). A phrase is an optional determiner, then
modifiers, then a head that can be a noun; it stops at function words,
punctuation, words that can only be verbs or adverbs, and at a verb in "-s"
right after a noun ("the scheduler *watches* pods"). Inline code is one word.

With a trained pipeline that has a parser, spaCy's own noun chunks are used.
"""
from __future__ import annotations

import functools
from typing import NamedTuple

DETERMINERS = frozenset(
    "the a an this these those our its their his her my your each every any some no "
    "another either neither both".split())
# words that are never part of a noun phrase (they start or end one)
FUNCTION = frozenset("""
    about above across after against along among around as at before behind below beneath
    beside between beyond but by despite down during except for from in inside into like near
    of off on onto out outside over past per since than through throughout till to toward
    towards under underneath unlike until up upon versus via with within without
    and or nor so yet if then else because although though while whereas unless whether
    that i me we us you he him she it they them myself ourselves itself themselves
    who whom whose which what where when why how whatever whichever
    is are was were be been being am do does did done doing has have had having
    will would shall should can could may might must ought
    not n't no also just only even still already very too quite rather really
    there here now thus hence therefore however moreover furthermore instead
    such same other others more most less least much many few several all both
    one ones something anything everything nothing someone anyone everyone
    etc e.g. i.e. vs
""".split())
PRONOUN_HEADS = frozenset("this that these those it they them one ones".split())


class Chunk(NamedTuple):
    start: int      # token index in the Doc (first token, determiner included)
    end: int        # exclusive
    head: int       # token index of the head word
    text: str       # the words as written (inline code in backticks)
    code: bool      # the phrase is (or holds) inline code


@functools.lru_cache(maxsize=1)
def word_classes() -> dict[str, frozenset]:
    """lemma sets by word class (noun, verb, adj, adv); empty sets when the
    lookups are not installed (every word then counts as a possible noun)."""
    try:
        import spacy_lookups_data
        from spacy.util import load_language_data

        data = load_language_data(spacy_lookups_data.en["lemma_index"])
        return {k: frozenset(v) for k, v in data.items()}
    except Exception:
        return {"noun": frozenset(), "verb": frozenset(), "adj": frozenset(), "adv": frozenset()}


def _classes(tok) -> set:
    wc = word_classes()
    if not wc["noun"]:
        return {"noun"}
    out = set()
    for form in {tok.norm_, tok.lower_}:
        for k in ("noun", "verb", "adj", "adv"):
            if form in wc[k]:
                out.add(k)
    return out


def _in_code(unit, tok) -> tuple[int, int] | None:
    if unit is None:
        return None
    for s, e in unit.masked:
        if s <= tok.idx < e:
            return s, e
    return None


def _is_word(tok) -> bool:
    t = tok.text
    return any(c.isalnum() for c in t) and not tok.like_url and not tok.like_email


def chunks(sent, unit=None) -> list[Chunk]:
    """The noun phrases of a sentence (a spaCy Span), in order."""
    doc = sent.doc
    if doc.has_annotation("DEP"):
        try:
            return [_chunk(doc, c.start, c.end, c.root.i, unit) for c in sent.noun_chunks]
        except (NotImplementedError, ValueError):
            pass
    out: list[Chunk] = []
    toks = [t for t in sent if not t.is_space]
    i = 0
    while i < len(toks):
        tok = toks[i]
        low = tok.lower_
        j = i
        if low in DETERMINERS:
            j = i + 1
        words = []
        k = j
        while k < len(toks):
            t = toks[k]
            code = _in_code(unit, t)
            if code is not None:
                words.append(t)
                k += 1
                continue
            if (_is_word(t) and t.lower_ not in FUNCTION and t.lower_ not in DETERMINERS
                    and not t.like_num and k + 2 < len(toks) and toks[k + 1].text in ("-", "\u2010")
                    and not t.whitespace_ and not toks[k + 1].whitespace_
                    and _is_word(toks[k + 2]) and toks[k + 2].lower_ not in DETERMINERS):
                words += [t, toks[k + 1], toks[k + 2]]  # "non-ascii", "kube-proxy": one word
                k += 3
                continue
            if (t.text in ("-", "\u2010") and words and words[-1].i == t.i - 1
                    and not words[-1].whitespace_ and not t.whitespace_ and k + 1 < len(toks)
                    and _is_word(toks[k + 1]) and toks[k + 1].lower_ not in DETERMINERS):
                words += [t, toks[k + 1]]  # "kube-proxy", "non-ascii": one word
                k += 2
                continue
            if (t.lower_ in ("'s", "\u2019s") and words and words[-1].i == t.i - 1
                    and (words[-1].text[:1].isupper() or "-" in doc[words[0].i:t.i].text
                         or _in_code(unit, words[-1]) is not None)
                    and k + 1 < len(toks) and _is_word(toks[k + 1])):
                words.append(t)  # "kube-proxy's iptables mode": a name's possessive
                k += 1
                continue
            if not _is_word(t) or t.lower_ in FUNCTION or t.lower_ in DETERMINERS:
                break
            if t.like_num and not words:
                break
            cls = _classes(t)
            if not words and "verb" in cls and (_verb_context(toks, k) or (
                    k == j and t.lower_.endswith("ing") and t.norm_ != t.lower_)):
                break  # "we should *move* ...", "*Splitting* the controller": a verb phrase
            if (t.text[:1].isupper() and t.i != sent.start) or "-" in t.text or "_" in t.text \
                    or not cls:
                words.append(t)  # a name, a compound, or a word WordNet does not know
                k += 1
                continue
            if "noun" not in cls and "adj" not in cls:
                break  # only a verb or an adverb
            if cls == {"adv"} or (t.lower_.endswith("ly") and "adv" in cls and "noun" not in cls):
                break
            if words and "verb" in cls and _verb_s(toks, k):
                break  # "the scheduler watches pods": a verb after the noun
            if words and _plural(words[-1]):
                break  # "the benchmarks *show*": a plural noun ends its phrase
            words.append(t)
            k += 1
        # trim trailing words that cannot be a noun head
        while words and _in_code(unit, words[-1]) is None and not _can_head(words[-1]):
            words.pop()
        if words:
            start = toks[i].i if j > i else words[0].i
            out.append(_chunk(doc, start, words[-1].i + 1, words[-1].i, unit))
            i = toks.index(words[-1]) + 1
        else:
            i += 1
    return out


_AUX = frozenset("""to will would shall should can could may might must do does did not n't we i
    you they it he she also which who that is are was were be been has have had""".split())


def _verb_context(toks, k) -> bool:
    """A verb-capable word right after a modal, "to", a subject pronoun, or
    after a noun (in "-s"): it is a verb here."""
    if k > 0 and toks[k - 1].lower_ in _AUX:
        return True
    return k > 0 and (toks[k - 1].lower_ not in DETERMINERS or toks[k - 1].lower_ == "this") \
        and _verb_s(toks, k)


def _verb_s(toks, k) -> bool:
    t = toks[k]
    if not (t.lower_.endswith("s") and t.norm_ != t.lower_ and k + 1 < len(toks)):
        return False
    nxt = toks[k + 1]
    if nxt.lower_.endswith("s") and nxt.norm_ != nxt.lower_ and "verb" in _classes(nxt):
        return False  # "non-ascii characters *sidesteps*": the verb is the next word
    return _is_word(nxt) and nxt.lower_ not in _BE and nxt.lower_ not in _NOUN_NEXT


_BE = frozenset("is are was were be been being has have had will would can could should may "
                "might must do does did shall not".split())


_NOUN_NEXT = frozenset("of in for with on from to at by and or as than per into across within "
                       "between like".split())


def _plural(tok) -> bool:
    return tok.is_alpha and tok.lower_.endswith("s") and tok.norm_ != tok.lower_ \
        and tok.lower_.startswith(tok.norm_[:3]) and not tok.text[:1].isupper()


def _can_head(tok) -> bool:
    if tok.text[:1].isupper() or not tok.is_alpha:
        return True
    cls = _classes(tok)
    if "adj" in cls and tok.norm_ != tok.lower_ and tok.lower_.endswith(("er", "est")):
        return False  # "simpler", "cleanest"
    return "noun" in cls or not cls


def _chunk(doc, start, end, head, unit) -> Chunk:
    """Text of doc[start:end] with inline code put back in backticks."""
    if unit is None or not unit.masked:
        return Chunk(start, end, head, doc[start:end].text, False)
    text = unit.text
    a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    pieces, pos, code = [], a, False
    for s, e in sorted(unit.masked):
        if e <= a or s >= b:
            continue
        s, e = max(s, a), min(e, b)
        pieces.append(text[pos:s])
        pieces.append(f"`{text[s:e]}`")
        pos, code = e, True
    pieces.append(text[pos:b])
    return Chunk(start, end, head, "".join(pieces), code)


def after_first_word(sent):
    """The tokens of a sentence after its first word (list markers and brackets
    in front of it do not count as words)."""
    toks = [t for t in sent if not t.is_space]
    first = next((n for n, t in enumerate(toks) if t.is_alpha), len(toks))
    return toks[first + 1:]
