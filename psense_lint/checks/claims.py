"""Sentence rules about goals and claims; they run on every doc.

``vague-goal`` (PS301): a goal that opens with a vague improvement ("improve
engagement", "better developer experience", "make it faster") and has nothing
checkable in the sentence (no number, metric or baseline). Goals are the
sentences of Goals / success sections (their first words) and, anywhere, the
words right after a goal cue ("the goal is to", "we aim to").

``unsupported-claim`` (PS401): a statement of what a group of users wants,
needs, dislikes or will do ("users want", "nobody uses", "obviously customers
will") in a paragraph or list that gives no evidence (research, data, tickets,
an experiment, a number, a link). Scenarios are not claims: a singular subject
("a user wants to ..."), a clause opened by "if", "when", "who" ..., a question,
a quote, a user-stories section.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from psense_lint import chunks, prefilter, regex_cache, suggest
from psense_lint.checks import document
from psense_lint.checks.common import each_rule, fill, lexicon_words, pattern_set, quote, trim
from psense_lint.model import Hit

_CLAUSE_BREAK = {",", ";", ":", "(", ")", "—", "–", "-"}


def _lexicon(ctx, names) -> list[str]:
    out: list[str] = []
    for name in names or ():
        out.extend(ctx.pack.lexicons.get(name, ()))
    return out


def _regexes(ctx, names):
    return [regex_cache.compile(p, re.I) for p in _lexicon(ctx, names)]


def _section_roles(ctx, out, names):
    """For each unit, the roles of the section (heading or label) it is in."""
    roles = document.heading_roles(out, names)
    secs, unit_place, _labels = document.places(ctx, names, out, roles)
    return [secs[p].roles if p is not None else frozenset() for p in unit_place]


def _head(sent, lead=frozenset()) -> int | None:
    """Token index where the sentence's own words start: past list numbering,
    punctuation, a leading word of ``lead`` ("to", rules/ps301.yml ps3_lead_words),
    or a short "Label:" prefix."""
    toks = [t for t in sent if not t.is_space]
    for j, t in enumerate(toks[:6]):
        if t.text == ":" and j + 1 < len(toks):
            toks = toks[j + 1:]
            break
    for t in toks:
        if t.is_punct or t.like_num or t.lower_ in lead or t.text in ("*", "-"):
            continue
        return t.i
    return None


def _words_after(doc, start, end, limit=8) -> str:
    toks = []
    for t in doc[start:end]:
        if t.is_punct and t.text not in ("-", "'"):
            break
        toks.append(t)
        if len(toks) >= limit:
            break
    return doc[toks[0].i:toks[-1].i + 1].text if toks else ""


# ------------------------------------------------------------------ PS301


def _vague_goal(ctx, spec):
    opts = spec.options
    out = document.outline(ctx.parsed)
    flags = _section_roles(ctx, out, {
        "goal": document.name_list(_lexicon(ctx, opts.get("goal_sections"))),
        "non_goal": document.name_list(_lexicon(ctx, opts.get("non_goal_sections"))),
        "local": document.name_list(_lexicon(ctx, opts.get("local_sections")))})
    ps = pattern_set(ctx, {"cue": tuple(_lexicon(ctx, opts.get("goal_cues"))),
                           "vague": tuple(_lexicon(ctx, opts.get("vague"))),
                           "verb": tuple(_lexicon(ctx, opts.get("vague_verbs"))),
                           "pred": tuple(_lexicon(ctx, opts.get("goal_predicates")))})
    lead = lexicon_words(ctx, *(opts.get("lead_words") or ()))
    means = _Means(*(lexicon_words(ctx, *(opts.get(key) or ())) for key in (
        "means_markers", "means_gerund_markers", "means_skip", "means_empty",
        "to_preposition_next")))
    checkable = _regexes(ctx, opts.get("checkable_re"))
    not_vague = _regexes(ctx, opts.get("not_vague_re"))
    local_re = _regexes(ctx, opts.get("local_re"))
    baseline_re = _regexes(ctx, opts.get("baseline_next_re"))
    for i, (unit, doc) in enumerate(zip(ctx.units, ctx.docs)):
        in_goals = "goal" in flags[i] and "non_goal" not in flags[i]
        # a "the goal is ..." in a section about one step or alternative of the
        # design is that step's goal, not the doc's
        local = "local" in flags[i] and "goal" not in flags[i]
        # a "this proposal is intended to ..." in an item of a Non-Goals list
        # says why that thing is left out, not what the doc is for
        local = local or ("non_goal" in flags[i] and unit.kind == "list_item")
        found = document.find(ps, doc)
        if not found:
            continue
        cue_at = {e: s for lab, s, e in found if lab == "cue"}
        sents = list(doc.sents)
        for k, sent in enumerate(sents):
            head = _head(sent, lead) if in_goals else None
            chosen = None
            for lab, s, e in found:
                if lab != "vague" or not sent.start <= s < sent.end:
                    continue
                if s == head:
                    chosen = (s, e)
                    break
                if s in cue_at and not local and not any(
                        r.search(doc[sent.start:s].text) for r in local_re):
                    chosen = (s, e)
                    break
            by_predicate = False
            if chosen is None and head is not None:
                chosen = _predicate(doc, found, head, sent.end)
                by_predicate = chosen is not None
            if chosen is None or sent.text.rstrip().endswith("?"):
                continue
            if chosen[0] == head and sent.text.rstrip().endswith(":"):
                continue  # a Goals item that a list below spells out ("... by:")
            after = doc[chosen[1]].text if chosen[1] < sent.end else ""
            if after == ":" or (after == "to" and chosen[1] - chosen[0] == 1):
                continue  # "the goal is simple: ...", "optimize to only ...": no vague goal
            if any(r.search(sent.text) for r in checkable):
                continue
            nxt = _next_sentence(ctx, i, sents, k) if baseline_re else ""
            if nxt and any(r.search(nxt) for r in baseline_re):
                continue  # "... easier. Currently, the only way is ...": a baseline follows
            s, e = chosen
            vague_at = sorted(a for lab, a, _ in found if lab in ("vague", "verb")
                              and sent.start <= a < sent.end)
            if means.markers and any(lab == "verb" and a == s for lab, a, _ in found) and \
                    _concrete_means(doc, e, sent.end, vague_at, means):
                continue  # "improve X by caching Y", "simplify X via the Z API"
            goal = _goal_words(doc, s, sent.end, means.markers) or _words_after(
                doc, s, sent.end)
            if by_predicate and len(goal) < len(doc[s:e].text):
                goal = doc[s:e].text  # through the quality it asks for
            if any(r.search(goal) for r in not_vague):
                continue
            obj = (_words_after(doc, e, sent.end, limit=6)
                   or (doc[s + 1:e - 1].text if e - s > 2 else goal))
            values = {"goal": quote(goal, 140), "object": quote(obj, 40),
                      "sentence": quote(sent.text)}
            start, end = trim(unit.text, sent.start_char, sent.end_char)
            yield Hit(spec.info.id, i, start, end, "vague-goal",
                      fill(spec.message, **values), suggest.ps301(ctx, i, sent, s))


def _predicate(doc, found, head, end):
    """A Goals item that says what its subject should be like ("X should be
    easy to ...", "keep X simple"): (head, end of that predicate) when one
    opens in the item's first clause, else None."""
    stop = _clause_end(doc, head, end)
    for lab, s, e in found:
        if lab == "pred" and head <= s < stop and e <= end:
            # the goal's words start after a leading "Finally," or "Ideally,"
            start = max((t.i + 1 for t in doc[head:s] if t.text == ","), default=head)
            while start < s and doc[start].is_space:
                start += 1
            return (start, e)
    return None


class _Means(NamedTuple):
    """The word sets that read the means of a vague verb (rules/ps301.yml)."""

    markers: set           # "by", "via", "through", "using"
    gerund_markers: set    # "by": its means is a verb in -ing
    skip: set              # words before the means' head ("not", "the")
    empty: set             # heads that name nothing done ("being", "default")
    to_preposition: set    # words after "to" that make it a preposition


def _head_word(doc, j, end) -> str:
    """The whole word (hyphenated parts joined: "co-locating") at token ``j``."""
    parts = []
    while j < end:
        t = doc[j]
        parts.append(t.text)
        if t.whitespace_ or j + 1 >= end or doc[j + 1].is_space:
            break
        j += 1
    return "".join(parts).lower()


def _concrete_means(doc, e, end, vague_at, means) -> bool:
    """Does the vague verb ending at token ``e`` come with a concrete means:
    "by <a verb in -ing>" or "via / through / using <a noun phrase>", whose
    clause holds no vague word itself ("by reducing load" is as vague as the
    goal; "by not including unchanged rules" is not)? A "to <verb>" before the
    marker ("easy to extend X by ...") gives the means to that verb instead."""
    j = e
    while j < end:
        t = doc[j]
        low = t.lower_
        if t.text in (";", ":", "(", "?", "!") or (t.text == "." and j + 1 < end
                                                  and not doc[j + 1].is_space):
            return False
        if low == "to" and j + 1 < end:
            nxt = doc[j + 1]
            if nxt.is_alpha and nxt.lower_ not in means.to_preposition and nxt.text.islower():
                return False  # "to extend": the means is that verb's
        if low in means.markers:
            k = j + 1
            stop = k
            while stop < end and doc[stop].lower_ not in means.markers and doc[stop].text not in (
                    ";", ":", "(", ",", "."):
                stop += 1
            while k < stop and (doc[k].is_space or doc[k].lower_ in means.skip
                                or doc[k].lower_.endswith("ly") and doc[k].is_alpha
                                and low in means.gerund_markers):
                k += 1
            word = _head_word(doc, k, stop) if k < stop else ""
            ok = bool(word) and word not in means.empty and word[:1].isalnum()
            if ok and low in means.gerund_markers:
                ok = word.endswith("ing") and len(word) > 4
            if ok and not any(j < a < stop for a in vague_at):
                return True
            j = stop
            continue
        j += 1
    return False


def _goal_words(doc, s, end, markers, limit=8, means_limit=8, reach=14) -> str:
    """The goal's own words from token ``s``: up to the end of its clause, at
    most ``limit`` words, or through its means when a means marker opens within
    ``reach`` words ("improve X in Y mode, by reducing Z": the means is shown
    too, up to ``means_limit`` words of it); never ending inside a word or on a
    function word. A slice of the sentence, so it stays inside the finding."""
    toks = []
    words = 0
    budget = limit
    for t in doc[s:end]:
        if t.is_space:
            continue
        if t.is_punct and t.text not in ("-", "'", "/"):
            nxt = next((x for x in doc[t.i + 1:end] if not x.is_space), None)
            if not (t.text == "," and nxt is not None and nxt.lower_ in markers):
                break
        if t.lower_ in markers and words < reach and budget == limit:
            budget = words + 1 + means_limit  # the means, in full, too
        if words >= budget and budget == limit:
            if not any(x.lower_ in markers for x in doc[t.i:_clause_end(doc, t.i, end)]):
                break
            budget = reach + means_limit  # a means comes later in the clause: read on
        if words >= budget:
            break
        toks.append(t)
        if t.whitespace_ or t.i + 1 >= end:
            words += 1
    while toks and (toks[-1].lower_ in chunks.FUNCTION or toks[-1].lower_ in chunks.DETERMINERS
                    or (toks[-1].is_punct and toks[-1].text != "'")):
        toks.pop()
    return doc[toks[0].i:toks[-1].i + 1].text if toks else ""


def _clause_end(doc, j, end) -> int:
    """Where the clause at token ``j`` ends: the next punctuation that is not a
    hyphen, an apostrophe, a slash or a comma."""
    while j < end and not (doc[j].is_punct and doc[j].text not in ("-", "'", "/", ",")):
        j += 1
    return j


def _next_sentence(ctx, i, sents, k) -> str:
    """The sentence after ``sents[k]`` of unit ``i``: in the unit, else the first
    of the next unit (the next paragraph)."""
    if k + 1 < len(sents):
        return sents[k + 1].text
    if i + 1 < len(ctx.docs):
        nxt = next(iter(ctx.docs[i + 1].sents), None)
        return nxt.text if nxt is not None else ""
    return ""


# ------------------------------------------------------------------ PS401


def _unsupported_claim(ctx, spec):
    opts = spec.options
    out = document.outline(ctx.parsed)
    flags = _section_roles(ctx, out, {
        "skip": document.name_list(_lexicon(ctx, opts.get("skip_sections")))})
    ps = pattern_set(ctx, {"claim": tuple(_lexicon(ctx, opts.get("claims"))),
                           "not": tuple(_lexicon(ctx, opts.get("not_claims"))),
                           "evidence": tuple(_lexicon(ctx, opts.get("evidence")))})
    lemmas = _lemma_set(ctx, _lexicon(ctx, opts.get("subjects")))
    universal = lexicon_words(ctx, *(opts.get("universal") or ()))
    openers = lexicon_words(ctx, *(opts.get("clause_openers") or ()))
    demand = lexicon_words(ctx, *(opts.get("demand_words") or ()))
    impersonal = lexicon_words(ctx, *(opts.get("impersonal_words") or ()))
    compound = _Compound(lexicon_words(ctx, *(opts.get("compound_demand") or ())),
                         lexicon_words(ctx, *(opts.get("load_verbs") or ())))
    before_not = lexicon_words(ctx, *(opts.get("not_after") or ()))
    evidence_re = _regexes(ctx, opts.get("evidence_re"))
    not_evidence_re = _regexes(ctx, opts.get("not_evidence_re"))
    consequence_re = _regexes(ctx, opts.get("consequence_re"))
    modal = lexicon_words(ctx, *(opts.get("modal_words") or ()))
    hypothetical_re = _regexes(ctx, opts.get("hypothetical_re"))
    skip_kinds = set(opts.get("skip_kinds", ()))
    text = ctx.parsed.text
    personas = _personas(text, _regexes(ctx, opts.get("persona_label_re")))

    found_by_unit = []
    group_evidence: dict[int, bool] = {}
    for unit, doc in zip(ctx.units, ctx.docs):
        found = document.find(ps, doc)
        found_by_unit.append(found)
        if group_evidence.get(unit.group):
            continue  # the paragraph's group already has evidence
        raw = text[unit.offsets[0]:unit.offsets[-1]] if unit.offsets else unit.text
        group_evidence[unit.group] = any(lab == "evidence" for lab, _, _ in found) or \
            document.any_re(evidence_re, _blank(raw, not_evidence_re))

    for i, (unit, doc) in enumerate(zip(ctx.units, ctx.docs)):
        if unit.kind in skip_kinds or "skip" in flags[i] or group_evidence.get(unit.group):
            continue
        found = found_by_unit[i]
        claims = [(s, e) for lab, s, e in found if lab == "claim"
                  and not any(lab2 == "not" and s2 < e <= e2 for lab2, s2, e2 in found)]
        if not claims:
            continue
        for sent in doc.sents:
            if sent.text.rstrip().endswith("?"):
                continue
            for s, e in claims:
                if not sent.start <= s < sent.end or _masked(unit, doc, s, e):
                    continue
                subject = _subject(doc, s, e, lemmas, universal, demand, impersonal, compound)
                if subject is None or _in_condition(doc, sent.start, s, openers):
                    continue
                if s > sent.start and doc[s - 1].lower_ in before_not:
                    continue  # "alongside users needs": the object of a preposition
                before = doc[sent.start:s].text if s > sent.start else ""
                if any(r.search(before) for r in consequence_re):
                    continue  # "in that case developers need ...": a consequence
                if any(t.lower_ in modal for t in doc[s:e]) and any(
                        r.search(before) for r in hypothetical_re):
                    continue  # "it would be ..., and most people would not know": a hypothesis
                if before.count("(") > before.count(")"):
                    continue  # "(`kubectl apply` fails, operators need ...)": an aside
                if _participle(doc, s, e, lemmas, universal):
                    continue  # "novice users struggling with ...": a noun phrase
                if personas and _persona(before, doc, s, e, lemmas, universal, personas):
                    continue  # "example-first users want ...": a persona the doc defines
                claim = doc[s:e].text
                values = {"claim": claim, "subject": subject, "sentence": quote(sent.text)}
                start, end = trim(unit.text, sent.start_char, sent.end_char)
                yield Hit(spec.info.id, i, start, end, "unsupported-claim",
                          fill(spec.message, **values), fill(spec.info.suggestion, **values))
                break


def _blank(text: str, regexes) -> str:
    """``text`` with the matches of ``regexes`` blanked out (spaces, so offsets
    stay): numbers that count nothing (a year, "option 2", "Python 3", a
    literal in inline code) are no evidence."""
    for r in regexes:
        if prefilter.could_match(r, text):  # (the text as blanked so far)
            text = r.sub(_spaces, text)
    return text


def _spaces(m) -> str:
    return " " * len(m.group(0))


def _personas(text: str, label_res) -> set[str]:
    """The personas a doc defines: the labels of its definition items
    ("- **Example-first:** these users ..."), lower case, hyphens as spaces."""
    out = set()
    for r in label_res:
        for m in r.finditer(text):
            label = " ".join(m.group(1).lower().replace("-", " ").split()).strip(" :")
            if label and len(label.split()) <= 3:
                out.add(label)
    return out


def _subject_index(doc, s, e, lemmas, universal) -> int | None:
    for t in doc[s:e]:
        if t.lower_ in universal or t.norm_ in lemmas or t.lower_ in lemmas:
            return t.i
    return None


def _participle(doc, s, e, lemmas, universal) -> bool:
    """Is the claim's verb a bare -ing form right after the group ("users
    struggling with X"): a noun phrase, not a statement about them."""
    k = _subject_index(doc, s, e, lemmas, universal)
    if k is None or k + 1 >= len(doc):
        return False
    nxt = doc[k + 1].lower_
    return len(nxt) > 4 and nxt.endswith("ing")


def _persona(before: str, doc, s, e, lemmas, universal, personas) -> bool:
    """Do the words right before the group name a persona the doc defines?"""
    k = _subject_index(doc, s, e, lemmas, universal)
    if k is None:
        return False
    lead = doc[s:k].text if k > s else ""
    words = " ".join((before + " " + lead).lower().replace("-", " ").split())
    return any(words == p or words.endswith(" " + p) for p in personas)


def _lemma_set(ctx, words):
    from psense_lint.patterns import _lemma

    return {_lemma(w) for w in words} | {w.lower() for w in words}


class _Compound(NamedTuple):
    """A group word as a modifier of demand ("user demand", "customer
    requests"): a claim that they want it, unless the demand is load to meet
    ("to meet player demand")."""

    demand: set = frozenset()   # "demand", "requests", "interest"
    load: set = frozenset()     # "meet", "handle", "serve"


def _subject(doc, s, e, lemmas, universal, demand=frozenset(), impersonal=frozenset(),
             compound=_Compound()) -> str | None:
    """The group the claim is about, or None when it is one person (a scenario).
    A claim with no group word is about users when it has a word of demand
    (``demand``: "a common request") or is impersonal (``impersonal``: "it is
    well known that ...") and the rest of the sentence names them."""
    for t in doc[s:e]:
        low = t.lower_
        pair = f"{doc[t.i - 1].lower_} {low}" if t.i > s else ""
        if low in universal or pair in universal:
            return pair if pair in universal else low
        if t.norm_ in lemmas or low in lemmas:
            if low == t.norm_ and not low.endswith("s"):
                nxt = doc[t.i + 1].lower_ if t.i + 1 < len(doc) else ""
                prev = doc[t.i - 1].lower_ if t.i > 0 else ""
                if nxt in compound.demand and prev not in compound.load and not (
                        t.i > 1 and doc[t.i - 2].lower_ in compound.load):
                    return low + "s"  # "user demand", "customer requests"
                return None  # "a user wants": singular
            return low
    if any(t.lower_ in demand for t in doc[s:e]):
        return "users"  # "common knowledge", "a frequently requested feature"
    if any(t.lower_ in impersonal for t in doc[s:e]):
        # "it is well known that ...": a claim about users only when the rest
        # of the sentence is about them (not "... that the crawler used ...")
        sent = doc[s].sent
        if any(t.lower_ in universal or t.norm_ in lemmas or t.lower_ in lemmas
               or (t.lower_.endswith("s") and t.lower_[:-1] in lemmas)
               for t in doc[e:sent.end]):
            return "users"
    return None


def _in_condition(doc, sent_start, s, openers) -> bool:
    j = s - 1
    while j >= sent_start:
        t = doc[j]
        if t.text in _CLAUSE_BREAK:
            return False
        if t.lower_ in openers:
            return True
        j -= 1
    return False


def _masked(unit, doc, s, e) -> bool:
    a, b = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
    return any(x < b and a < y for x, y in unit.masked)



vague_goal = each_rule(_vague_goal)
unsupported_claim = each_rule(_unsupported_claim)
