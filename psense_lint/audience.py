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

from collections import Counter
from typing import NamedTuple

from psense_lint import chunks
from psense_lint.checks.common import section_matches


class Audience(NamedTuple):
    users: str          # plural noun phrase: "cluster operators"
    source: str         # "doc" (found in it) or "kind" (the fallback for its kind)
    kind: str           # the kind of project, "" when not decided


def of(ctx) -> Audience:
    memo = getattr(ctx, "memo", None)
    if memo is not None and "audience" in memo:
        return memo["audience"]
    found = detect(ctx)
    if memo is not None:
        memo["audience"] = found
    return found


def _lex(ctx, name):
    return ctx.pack.lexicons.get(name, ())


def detect(ctx) -> Audience:
    heads = {w.lower() for w in _lex(ctx, "audience_heads")}
    bad_mods = {w.lower() for w in _lex(ctx, "audience_not_modifiers")}
    team = {w.lower() for w in (*_lex(ctx, "team"), *_lex(ctx, "audience_not"))}
    sections = tuple(_lex(ctx, "audience_sections"))
    mid_caps = set()  # capitalised words seen inside a sentence: names, kept as written
    for doc in ctx.docs:
        for sent in doc.sents:
            for t in [t for t in sent if not t.is_space][1:]:
                if t.text[:1].isupper():
                    mid_caps.add(t.text)
    groups: dict[str, Counter] = {}
    for unit, doc in zip(ctx.units, ctx.docs):
        weight = 3 if section_matches(unit.section, sections) else 1
        if unit.section and any(w in unit.section[-1].lower() for w in ("non-goal", "non goal")):
            weight = 1
        for sent in doc.sents:
            if not any(t.norm_ in heads for t in sent):
                continue
            for ch in chunks.chunks(sent, unit):
                head = doc[ch.head]
                if head.norm_ not in heads or ch.code:
                    continue
                first = next((t.i for t in sent if not t.is_space), sent.start)
                phrase = _phrase(doc, ch, head, bad_mods, team, mid_caps, first)
                if phrase:
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
            return Audience(best, "doc", project_kind(ctx))
    kind = project_kind(ctx)
    fallback = _lex(ctx, f"users_{kind}") if kind else ()
    if not fallback:
        fallback = _lex(ctx, "users_default") or ("the people who use it",)
    return Audience(fallback[0], "kind", kind)


def _phrase(doc, ch, head, bad_mods, team, mid_caps, sent_start) -> str:
    words = [t for t in doc[ch.start:ch.end] if not t.is_space]
    while words and (words[0].lower_ in chunks.DETERMINERS or words[0].lower_ in bad_mods
                     or not words[0].is_alpha and words[0].i != head.i):
        if words[0].lower_ in ("our", "my") and head.norm_ in ("developer", "engineer"):
            return ""  # "our developers": the team
        words = words[1:]
    if not words or words[-1].i != head.i:
        return ""
    words = words[-3:]  # at most two words in front of the head
    words = [t for t in words[:-1] if t.lower_ not in bad_mods and t.is_alpha] + [words[-1]]
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


def project_kind(ctx) -> str:
    kinds = list(_lex(ctx, "project_kinds"))
    cues = {k: {w.lower() for w in _lex(ctx, f"kind_{k}")} for k in kinds}
    counts = Counter()
    for doc in ctx.docs:
        for t in doc:
            for k in kinds:
                if t.norm_ in cues[k]:
                    counts[k] += 1
    if not counts:
        return ""
    return max(kinds, key=lambda k: (counts[k], -kinds.index(k)))
