"""Who a document serves, in its own words.

Computed once per doc (held in ``ctx.memo``): the noun phrases whose head names
people (``audience_heads``: users, operators, programmers, authors ...) found by
``chunks`` in the doc's prose, weighted up in the sections that say who a doc
is for (``audience_sections``: Summary, Motivation, User stories, Goals ...).
The team building the thing ("our developers", maintainers) does not count.
When the doc names nobody often enough, the fallback for its kind of project is
used (``project_kinds``: platform, language, library, protocol, framework,
tool; each with cue words ``kind_<kind>`` and its users ``users_<kind>``).
All the words are data in rules/suggestions.yml.
"""
from __future__ import annotations

import array
import functools
import itertools
import re
from collections import Counter
from typing import NamedTuple

from psense_lint import chunks
from psense_lint.checks.common import doc_memo, lexicon_words, section_matches
from psense_lint.patterns import tokens


class Audience(NamedTuple):
    users: str          # plural noun phrase: "cluster operators"
    source: str         # "doc" (found in it) or "kind" (the fallback for its kind)
    kind: str           # the kind of project, "" when not decided


def of(ctx) -> Audience:
    memo = doc_memo(ctx)
    if "audience" not in memo:
        memo["audience"] = detect(ctx)
    return memo["audience"]


def _lex(ctx, name):
    return ctx.pack.lexicons.get(name, ())


def detect(ctx) -> Audience:
    heads = lexicon_words(ctx, "audience_heads")
    _VERB_MARKERS["words"] = lexicon_words(ctx, "verb_markers")
    need_mod = lexicon_words(ctx, "audience_heads_need_modifier")
    kind = project_kind(ctx)
    if sure_kind(ctx) == "platform":  # (a doc that says "operator" often is no platform doc
        need_mod -= {"operator"}     # for that: "PyTorch operators" are software)
    bad_mods = lexicon_words(ctx, "audience_not_modifiers")
    not_after_name = lexicon_words(ctx, "audience_heads_not_after_name")
    team = lexicon_words(ctx, "team", "audience_not")
    sections = tuple(_lex(ctx, "audience_sections"))
    non_goals = tuple(w.lower() for w in _lex(ctx, "non_goal_sections"))
    own = lexicon_words(ctx, "team_possessives")
    own_heads = lexicon_words(ctx, "team_heads")
    mid_caps = mid_sentence_caps(ctx)  # capitalised words seen inside a sentence: names
    title = ctx.parsed.headings[0].text.lower() if ctx.parsed.headings else ""
    groups: dict[str, Counter] = {}
    strings = ctx.docs[0].vocab.strings if ctx.docs else None
    head_hashes = {strings[w] for w in heads} if strings is not None else set()
    for unit, doc in zip(ctx.units, ctx.docs):
        norms = tokens(doc).full.norms
        if head_hashes.isdisjoint(norms):
            continue  # no sentence of this unit names people (a set operation, in C)
        weight = 3 if section_matches(unit.section, sections) else 1
        if unit.section and any(w in unit.section[-1].lower() for w in non_goals):
            weight = 1
        for sent in doc.sents:
            if head_hashes.isdisjoint(norms[sent.start:sent.end]):
                continue
            for ch in chunks.chunks(sent, unit):
                head = doc[ch.head]
                if head.norm_ not in heads or ch.code:
                    continue
                first = next((t.i for t in sent if t.is_alpha), sent.start)
                nxt = doc[head.i + 1] if head.i + 1 < len(doc) else None
                if nxt is not None and (nxt.lower_ in ("and", "or") and head.i + 2 < len(doc)
                                        and doc[head.i + 2].norm_ in heads
                                        or nxt.is_alpha and nxt.lower_ not in chunks.FUNCTION
                                        and "noun" in chunks._classes(nxt)
                                        and "verb" not in chunks._classes(nxt)):
                    continue  # "user and developer experience": a modifier, not people
                named = any(t.text[:1].isupper() and (t.i != first or t.text in mid_caps)
                            for t in doc[ch.start:head.i] if t.is_alpha)
                if head.norm_ in not_after_name and named:
                    continue  # "PyTorch operators", "Kubernetes operators": software, not people
                phrase = _phrase(doc, ch, head, bad_mods, team, mid_caps, first, own, own_heads)
                if phrase and head.norm_ in need_mod and (
                        _times_written(ctx, phrase) < 2 or phrase[:-1].lower() in title):
                    continue  # "wrapper readers", said once of software: no kind of user;
                    # "heap dump viewers" in "Go Heap Dump Viewer": what the doc proposes
                if phrase and phrase.count(" ") > 1 and ch.start != first and _said_once(
                        ctx, phrase):
                    phrase = phrase.rsplit(" ", 1)[1]  # "bits of flow customization users
                    # currently aren't able to do": two words in front of people, said once
                    # inside a sentence, are a clause cut wrong more often than a kind of
                    # user (not "Map viewer users pan and zoom maps.")
                if phrase and (len(phrase.split()) > 1 or head.norm_ not in need_mod):
                    groups.setdefault(head.norm_, Counter())[phrase] += weight
    if groups:
        head, variants = max(groups.items(), key=lambda kv: (sum(kv[1].values()), kv[0]))
        total = sum(variants.values())
        if total >= 2:
            ranked = sorted(variants.items(), key=lambda kv: (-kv[1], -len(kv[0].split()), kv[0]))
            best, n = ranked[0]
            if len(best.split()) == 1:  # "users": take "notebook users" when the doc says it enough
                for phrase, m in ranked[1:]:
                    if m >= max(2, n / 3):
                        best = phrase
                        break
            words = best.split()
            if len(words) == 1 and best[:1].isupper() and best[1:].islower():
                best = best.lower()  # "Customers" at the start of a list item
            name = project_name(ctx)
            generic = lexicon_words(ctx, "generic_users")
            if name and best.lower() in generic:  # "users" -> "Rust users"
                return Audience(f"{name} {best.lower()}", "doc", kind)
            if name and name not in words and any(w[:1].isupper() for w in words[:-1]):
                # "RocksDB users" in a TiKV doc: the users of another product it names
                return Audience(f"{name} {words[-1]}", "doc", kind)
            if not name and _times_written(ctx, best) < 2 and not _top_name(ctx, words[:-1]):
                # "JavaScript users" in an Ember doc, "Meta developers" in an aside, "AnyValue
                # users" (a type of the design): with no project name to check it against, a
                # capitalised word in front of the people word, written once and not the
                # doc's most used name, may name another product, a company or the feature;
                # the people word alone is shorter but not wrong
                head_word = words[-1] if not words[-1][:1].isupper() else words[-1].lower()
                return Audience(head_word, "doc", kind)
            return Audience(best, "doc", kind)
    name = project_name(ctx)
    sure = kind if kind and sure_kind(ctx) == kind else ""
    if sure and _lex(ctx, f"users_{sure}") and kind in _lex(ctx, "kinds_before_name"):
        # a KEP that says "OpenAPI" often: its users are the platform's, not OpenAPI's
        return Audience(_lex(ctx, f"users_{sure}")[0], "kind", kind)
    title = ctx.parsed.headings[0].text if ctx.parsed.headings else ""
    if name and not re.search(rf"\b{re.escape(name)}\b", title):
        # (a name in the title is most often what the doc proposes, not whose users
        # it serves: "Mapping to OTLP AnyValue", "Publish versioning in OpenAPI")
        named = _lex(ctx, f"named_users_{kind}") or _lex(ctx, "named_users")
        if named:
            return Audience(named[0].replace("{name}", name), "name", kind)
    fallback = _lex(ctx, f"users_{sure}") if sure else ()
    if not fallback:
        fallback = _lex(ctx, "users_default") or ("the people who use it",)
    return Audience(fallback[0], "kind", kind)


def _times_written(ctx, phrase: str, at_most: int = 2) -> int:
    """How often the doc's text says the phrase (singular or plural, as whole words),
    counted up to ``at_most`` (the callers ask "at least twice?"; counting every one
    made a long doc quadratic: each call read the whole text)."""
    words = (phrase[:-1] if phrase.endswith("s") else phrase).split()
    if not words or not all(_WORD.fullmatch(w) for w in words):
        stem = r"\s+".join(re.escape(w) for w in words)
        found = re.finditer(rf"\b{stem}(?:s|es)?\b", ctx.parsed.text)
        return sum(1 for _ in itertools.islice(found, at_most))
    # the same count from the doc's words, indexed once (as the pattern reads it: whole
    # words, whitespace between them, the last one with an optional "s" / "es")
    ids, spaced, where, vocab = _word_index(ctx)
    want = [vocab.get(w, -1) for w in words[1:-1]]
    last = {vocab.get(w, -1) for w in (words[-1], words[-1] + "s", words[-1] + "es")}
    k = len(words)
    n = 0
    for first in ((words[0],) if k > 1 else (words[0], words[0] + "s", words[0] + "es")):
        after = -1   # the word after the last match (matches do not overlap)
        for i in where.get(first, ()):
            if i < after or i + k > len(ids):
                continue
            if k > 1 and not (ids[i + k - 1] in last and all(spaced[i + j] for j in range(1, k))
                              and all(ids[i + 1 + j] == w for j, w in enumerate(want))):
                continue
            n += 1
            after = i + k
            if n >= at_most:
                return n
    return n


def _said_once(ctx, phrase: str) -> bool:
    """Does the doc write the phrase (as here, or opening a sentence) only once?"""
    return _times_written(ctx, phrase) + _times_written(ctx, phrase[:1].upper() + phrase[1:]) < 2


_WORD = re.compile(r"\w+")
_WORD_SPLIT = re.compile(r"(\w+)")


def _word_index(ctx):
    """The doc's words, once per doc (memo): each word's id, whether only whitespace
    stands between it and the word before, word -> its indices (``_Where``), and
    word -> id. One split of the text (gaps and words, alternately), the ids in
    order of first use; a word's indices are found when it is first asked for."""
    memo = doc_memo(ctx)
    if "word_index" in memo:
        return memo["word_index"]
    parts = _WORD_SPLIT.split(ctx.parsed.text)  # gap, word, gap, word ..., gap
    words = parts[1::2]
    vocab: dict[str, int] = {w: i for i, w in enumerate(dict.fromkeys(words))}
    ids = array.array("i", map(vocab.__getitem__, words))
    # the gap before each word ("" only before a word at the very start: not spaced)
    spaced = bytearray(map(str.isspace, parts[0:-1:2]))
    memo["word_index"] = out = (ids, spaced, _Where(ids, vocab), vocab)
    return out


class _Where:
    """word -> the indices of its occurrences in the doc's words (an ``array``, in
    order), for ``get``: computed with numpy when a word is first asked for (the
    callers ask for a few words of a doc, not for all of them)."""

    __slots__ = ("ids", "vocab", "found", "np_ids")

    def __init__(self, ids, vocab) -> None:
        self.ids, self.vocab, self.found, self.np_ids = ids, vocab, {}, None

    def get(self, word, default=None):
        hit = self.found.get(word)
        if hit is None:
            i = self.vocab.get(word)
            if i is None:
                return default
            import numpy as np

            if self.np_ids is None:
                self.np_ids = np.frombuffer(self.ids, dtype=np.intc)
            hit = self.found[word] = array.array("i", np.flatnonzero(self.np_ids == i).tolist())
        return hit


def _top_name(ctx, modifiers) -> bool:
    """Are the capitalised words in front of a people word (if any) the doc's most used
    name, and not in its title (a name in the title is the feature: "AnyValue")?"""
    names = [w for w in modifiers if w[:1].isupper() and not w.isupper()]  # "CLI users": a kind
    if not names:
        return True
    caps, _lower = _word_cases(ctx)
    top = caps.most_common(1)[0][0] if caps else ""
    title = ctx.parsed.headings[0].text if ctx.parsed.headings else ""
    return all(w == top and not re.search(rf"\b{re.escape(w)}\b", title) for w in names)


def _phrase(doc, ch, head, bad_mods, team, mid_caps, sent_start, own=frozenset(),
            own_heads=frozenset()) -> str:
    words = [t for t in doc[ch.start:ch.end] if not t.is_space]
    while words and (words[0].lower_ in chunks.DETERMINERS or words[0].lower_ in bad_mods
                     or not words[0].is_alpha and words[0].i != head.i):
        if words[0].lower_ in own and head.norm_ in own_heads:
            return ""  # "our developers": the team
        words = words[1:]
    if not words or words[-1].i != head.i:
        return ""
    words = words[-3:]  # at most two words in front of the head
    mods = [t for t in words[:-1] if t.lower_ not in bad_mods and t.is_alpha]
    if mods and mods[0].i > 0 and doc[mods[0].i - 1].text in ("-", "\u2010"):
        mods = []  # "well-intentioned users": the compound is not a kind of user
    mods = [t for t in mods if _noun_like(t)]
    if mods and mods[0].i > 0 and doc[mods[0].i - 1].lower_ in _verb_markers(doc):
        mods = []  # "to help users understand", "will let users": a verb, not a kind of user
    if mods and mods[0].i > 0 and _name_part(doc[mods[0].i - 1]):
        return ""  # "the .NET Core developers", "Google Cloud users" cut short: part of a name
    words = mods + [words[-1]]
    text = " ".join(t.text for t in words)
    if head.i != sent_start and head.text[:1].isupper() and len(words) > 1:
        return ""  # "the Go Authors": a named group, not a kind of user
    if text.lower() in team or any(f"{t.lower_}" in team for t in words[:-1]):
        return ""
    out = []
    for t in words[:-1]:
        w = t.text
        if t.i == sent_start and w[:1].isupper() and w not in mid_caps and not w.isupper():
            w = w.lower()
        out.append(w)
    h = head.text
    if head.i == sent_start and h not in mid_caps and not h.isupper():
        h = h.lower()
    if head.lower_ == head.norm_:  # singular: say it in the plural
        h = h + ("es" if h.endswith(("s", "x", "sh", "ch")) else "s")
    return " ".join([*out, h])


_VERB_MARKERS: dict = {}


def _verb_markers(doc) -> frozenset:
    """Words after which a word is a verb ("to", the modals): lexicon ``verb_markers``,
    read once per pack (set by ``detect``)."""
    return _VERB_MARKERS.get("words", frozenset())


def _name_part(tok) -> bool:
    """Is the token the end of a name written in front of the chunk ("Core" after
    ".NET", "Cloud" after "Google")?"""
    return (not tok.is_space and not tok.is_punct and not tok.is_sent_start
            and (tok.text[:1].isupper() or tok.text.endswith("NET")) and not tok.is_stop)


def _noun_like(tok) -> bool:
    """A word in front of a people word that says which people: a name or a noun
    ("cluster", "notebook", "Swift"), not an adjective only ("active", "large")."""
    if tok.text[:1].isupper():
        return True
    if tok.norm_ != tok.lower_ and tok.lower_.endswith(("ed", "en")):
        return False  # "updated operators", "given users": a participle, no kind of user
    cls = chunks._classes(tok)
    if not cls and tok.lower_.endswith(("ize", "ise", "ify", "ized", "ised")):
        return False  # "incentivize": a verb WordNet does not know
    return "noun" in cls or not cls  # "app", "plugin": words WordNet does not know


def mid_sentence_caps(ctx) -> set:
    """The words written with a capital first letter somewhere inside a sentence
    (after its first word: ``chunks.after_first_word``) in the doc's prose, as
    written; once per doc (memo). Read from the token arrays, not from spaCy
    Token objects (~10x faster)."""
    return _cases(ctx)[0]


def _cases(ctx) -> tuple:
    """One pass over the doc's tokens after each sentence's first word, once per doc
    (memo): the words written with a capital first letter (``mid_sentence_caps``),
    and the counts of ``_word_cases`` by orth hash (capitalised, lower case)."""
    memo = doc_memo(ctx)
    found = memo.get("cases")
    if found is not None:
        return found
    from spacy.attrs import IDX, IS_ALPHA, IS_SPACE, ORTH, SENT_START, SPACY

    mid_caps: set = set()
    caps: dict = {}
    lower: dict = {}
    upper = _UPPER
    case = _CASE
    joiners: set = set()
    strings = None
    for unit, doc in zip(ctx.units, ctx.docs):
        n = len(doc)
        if not n:
            continue
        if strings is None:
            strings = doc.vocab.strings
            joiners = {strings[c] for c in ("-", "/", "+")}
        orths, alphas, spaces, idxs, spacy_, starts = doc.to_array(
            [ORTH, IS_ALPHA, IS_SPACE, IDX, SPACY, SENT_START]).T.tolist()
        masked = unit.masked
        before = True  # skip up to and including each sentence's first word
        for i in range(n):
            if i and starts[i] == 1:  # a new sentence (where ``doc.sents`` splits)
                before = True
            if spaces[i]:
                continue
            if before:
                before = not alphas[i]
                continue
            h = orths[i]
            text = upper.get(h, False)
            if text is False:
                word = strings[h]
                text = upper[h] = word if word[:1].isupper() else None
            if text is not None:
                mid_caps.add(text)
            # _word_cases: words only, outside inline code, not part of a longer name
            if not alphas[i] or (masked and any(s <= idxs[i] < e for s, e in masked)):
                continue
            if i + 1 < n and not spacy_[i] and orths[i + 1] in joiners:
                continue  # "Objective-C", "Kotlin/Native": part of a longer name
            kind = case.get(h)
            if kind is None:
                word = strings[h]
                kind = case[h] = ("c" if word[:1].isupper() and not word.isupper()
                                  else "l" if word.islower() else "")
            if kind == "c":
                caps[h] = caps.get(h, 0) + 1
            elif kind == "l":
                lower[h] = lower.get(h, 0) + 1
    if len(upper) > 200_000:
        upper.clear()
    if len(case) > 200_000:
        case.clear()
    found = memo["cases"] = (mid_caps, caps, lower, strings)
    return found


_UPPER: dict = {}  # orth hash -> the word, when its first letter is a capital (else None)
_CASE: dict = {}  # orth hash -> "c" (capitalised, not all capitals), "l" (lower case) or ""


def project_name(ctx) -> str:
    """The project's name as the doc writes it: a capitalised word, not all
    capitals, used inside sentences at least 8 times and at least 3 times as
    often as its lower-case form ("TiKV", "PyTorch", "Go"), not the doc's own
    feature (a word of its title used fewer than 15 times); "" when none. A
    wrong name puts another product's users in every suggestion, so it takes
    more evidence than a word used a few times."""
    caps, lower = _word_cases(ctx)
    not_names = lexicon_words(ctx, "not_project_names")
    known = _known_words()
    first = " ".join([h.text for h in ctx.parsed.headings[:1]] + [u.text for u in ctx.units[:5]])

    def name_like(w, n):
        low = lower.get(w.lower(), 0)
        if w.lower() in known or len(w) <= 2:  # "Rust", "Go", "Nix": words, but always capitalised here
            return n >= 5 and 10 * low <= n and w.lower() not in chunks.FUNCTION
        return n >= 4 and n >= 3 * low
    headings = {h.text.strip().lower() for h in ctx.parsed.headings}
    title = " ".join([h.text for h in ctx.parsed.headings[:1]] + [u.text for u in ctx.units[:1]])
    best = [(n, w) for w, n in caps.items()
            if name_like(w, n) and w.lower() not in not_names and len(w) > 1
            and (w.lower() not in known or re.search(rf"\b{re.escape(w)}\b", title))
            and w.lower() not in headings  # "Summary": a section's name
            and not (w.endswith("s") and w[-2].isupper())
            and not (w.lower() in known and caps.get(w + "s", 0) + caps.get(w + "es", 0) >= 2)
            and not (w.endswith("s") and caps.get(w[:-1], 0) >= 2)  # "Mixins" and "Mixin"
            and re.search(rf"\b{re.escape(w)}\b", first)]
    # ("Regions", "Fleets": a capitalised word also said in the plural is a thing
    # of the design, not the project)
    if not best:
        return ""
    best.sort(reverse=True)
    n, w = best[0]
    if len(best) > 1 and best[1][0] >= 0.8 * n:
        return ""  # "OAuth" and "Matrix" as often: not sure which is the project
    total = sum(caps.values())
    heading = ctx.parsed.headings[0].text if ctx.parsed.headings else ""
    if re.search(rf"\b{re.escape(w)}\b", heading) and (n < 15 or (
            w.lower() in known and len(w) > 2 and _in_compound(ctx, w))):
        return ""  # "Remove SelfLink", "Construct Hub", "Source Link": the feature, not the project
    if _fixed_phrase(ctx, w):
        return ""  # "Dev tools" every time: a team's or a thing's name, not the project's
    return w if n >= max(8, total * 0.08) else ""


def _in_compound(ctx, word) -> bool:
    """Is ``word`` mostly written next to another capitalised word ("Source Link",
    ".NET Core", "Construct Hub"): part of a longer name, not the project's own?"""
    near = total = 0
    for doc in ctx.docs:
        for t in doc:
            if t.text != word:
                continue
            total += 1
            side = [doc[t.i - 1]] if t.i else []
            side += [doc[t.i + 1]] if t.i + 1 < len(doc) else []
            near += any((x.is_alpha and x.text[:1].isupper() or x.text.endswith("NET"))
                        and not x.is_sent_start for x in side) and not t.is_sent_start
    return total > 0 and near >= total / 2


def _fixed_phrase(ctx, word) -> bool:
    """Is ``word`` written, three times in four or more, before one and the same
    lower-case word ("Dev tools", "Cloud console"): the first word of a longer name?
    (Not before a people word: "Python programmers" names the project's users.)"""
    people = lexicon_words(ctx, "audience_heads")
    after: Counter = Counter()
    total = 0
    for doc in ctx.docs:
        for t in doc:
            if t.text == word and not t.is_sent_start:
                total += 1
                nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
                if (nxt is not None and nxt.is_alpha and nxt.text.islower()
                        and nxt.norm_ not in people and nxt.lemma_ not in people):
                    after[nxt.lower_] += 1
    return total > 0 and bool(after) and after.most_common(1)[0][1] >= 0.75 * total


def _word_cases(ctx) -> tuple[Counter, Counter]:
    """How often each word is written capitalised (not all capitals) and in lower
    case inside a sentence (after its first word, outside inline code), not as part
    of a longer name ("Objective-C", "Kotlin/Native"). From the token arrays, in the
    same pass as ``mid_sentence_caps`` (``_cases``)."""
    _mid, caps, lower, strings = _cases(ctx)
    if strings is None:
        return Counter(), Counter()
    return (Counter({strings[h]: n for h, n in caps.items()}),
            Counter({strings[h]: n for h, n in lower.items()}))


class _Known:
    """The words WordNet knows (a noun, verb, adjective or adverb), for ``in``: the
    four sets are asked in turn (their union took ~10 ms to build, once per process)."""

    def __init__(self, classes) -> None:
        self.sets = tuple(classes[k] for k in ("noun", "verb", "adj", "adv"))

    def __contains__(self, word) -> bool:
        return any(word in s for s in self.sets)


@functools.lru_cache(maxsize=1)
def _known_words() -> _Known:
    return _Known(chunks.word_classes())


def sure_kind(ctx) -> str:
    """The doc's kind of project when the evidence is strong enough to name that
    kind's people ("cluster operators") without the doc naming them: at least
    ``kind_sure_distinct`` different cue words of the kind and ``kind_sure_ratio``
    times the next kind's count; "" otherwise (the suggestion then says "users":
    shorter, but not another project's people)."""
    memo = doc_memo(ctx)
    if "sure_kind" in memo:
        return memo["sure_kind"]
    kind = project_kind(ctx)
    sure = ""
    if kind:
        counts, distinct = _kind_counts(ctx)
        ranked = sorted(counts.values(), reverse=True)
        second = ranked[1] if len(ranked) > 1 else 0
        opts = {k: float((_lex(ctx, k) or [d])[0]) for k, d in
                (("kind_sure_distinct", 3), ("kind_sure_ratio", 1.5))}
        if distinct.get(kind, 0) >= opts["kind_sure_distinct"] and \
                counts[kind] >= opts["kind_sure_ratio"] * second:
            sure = kind
    memo["sure_kind"] = sure
    return sure


def _kind_counts(ctx):
    kinds = list(_lex(ctx, "project_kinds"))
    strings = ctx.docs[0].vocab.strings
    cues = {k: {strings[w.lower()] for w in _lex(ctx, f"kind_{k}")} for k in kinds}
    norms: Counter = Counter()
    for doc in ctx.docs:
        norms.update(tokens(doc).full.norms)
    counts, distinct = Counter(), Counter()
    for k in kinds:
        hits = [norms[h] for h in cues[k] if h in norms]
        if hits:
            counts[k], distinct[k] = sum(hits), len(hits)
    return counts, distinct


def project_kind(ctx) -> str:
    kinds = list(_lex(ctx, "project_kinds"))
    if not ctx.docs:
        return ""
    strings = ctx.docs[0].vocab.strings
    # the cue words as norm hashes: count each doc's norms once (in C), then look up
    cues = {k: {strings[w.lower()] for w in _lex(ctx, f"kind_{k}")} for k in kinds}
    norms: Counter = Counter()
    for doc in ctx.docs:
        norms.update(tokens(doc).full.norms)
    counts = Counter()
    for k in kinds:
        n = sum(norms[h] for h in cues[k] if h in norms)
        if n:
            counts[k] = n
    if not counts:
        return ""
    ranked = sorted(kinds, key=lambda k: (-counts[k], kinds.index(k)))
    best, second = counts[ranked[0]], counts[ranked[1]] if len(ranked) > 1 else 0
    if best < 5 or best < 1.5 * second:
        return ""  # no clear kind: "users", not another kind's people
    return ranked[0]
