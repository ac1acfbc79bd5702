"""Suggestion text: how to restate a finding as an outcome for this doc's users.

One entry point per kind of finding, all reading their templates from the rule
pack (each rule's file, e.g. rules/ps101.yml: its ``suggestion``, options and
category templates; rules/suggestions.yml: the words every suggestion reads):

* ``ps101(ctx, unit_index, sent, category, claim=None)``: an engineering-only
  argument. ``category`` is a PS101 category name (the lexicon's or a model's);
  ``claim`` is the (start, end) token span of the claim in the unit's Doc, or
  None when the decision has no lexicon claim. The stance and the kind of
  outcome (steps, waits, errors, what users can now do, adoption ...) are read
  from the sentence's words by the rules and, where it is sure or no cue word
  names a kind, by the learned models (``stance``); the claim is quoted in the
  doc's words, and no slot ever holds words of the sentence.
* ``help_text(spec)``: a rule's suggestion with its example fillers, for
  --explain, --list-rules and SARIF help (never raw ``{slots}``).

Every slot is filled with a whole phrase or the slot is not used: ``render``
refuses a template whose slots it cannot fill.
"""
from __future__ import annotations

import functools
import re
from typing import NamedTuple

from psense_lint import audience, chunks, regex_cache, stance
from psense_lint.checks.common import (doc_memo, lexicon_words as _lexset, pattern_set,
                                       section_matches)
from psense_lint.patterns import lemma as _lemma

_SLOT = re.compile(r"\{(\w+)\}")
_MAY_BE_EMPTY: frozenset = frozenset()
KINDS = ("errors", "security", "waits", "resources", "steps", "can_do", "adoption", "team")


def render(template: str, **values: str) -> str | None:
    """Fill every {slot}; None when one has no value (the caller then says it
    another way). ``{x_cap}`` is ``{x}`` with a capital first letter."""
    missing = False

    def sub(m):
        nonlocal missing
        name = m.group(1)
        cap = name.endswith("_cap")
        key = name[:-4] if cap else name
        value = values.get(key)
        if value is None or (value == "" and key not in _MAY_BE_EMPTY):
            missing = True
            return ""
        return capitalised(value) if cap else value
    out = _SLOT.sub(sub, template)
    return None if missing else " ".join(out.split())


def capitalised(phrase: str) -> str:
    """The phrase to open a sentence: a first word in lower case gets a capital;
    a name that is not ("gRPC", "`kubectl`", "iOS") stays as written."""
    first = phrase.split(" ", 1)[0]
    if not first[:1].isalpha() or not first.islower():
        return phrase
    return phrase[:1].upper() + phrase[1:]


# ------------------------------------------------------------------ PS101
#
# A PS101 suggestion is three choices, each from the sentence's own words:
#
# * the stance (``frame_of``): a gain the doc claims, a problem of how things are
#   today, a cost of the proposal (Drawbacks, Risks, "would make ... harder"), a
#   cost / merit of another option (Alternatives, "(-)" / "(+)", "rejected because"),
#   or, about another option with no word saying which, "weigh" (asked either way);
# * the kind of user outcome (``outcome_kind``): waits, resources, errors, steps,
#   can_do, adoption, team, from cue words of the sentence (then of its paragraph),
#   the category's usual kind breaking ties; "open" when nothing says which;
# * the quote (``claim_quote``): the clause of the sentence around the claim or the
#   cue word, in the doc's words, so the suggestion is about this sentence.
#
# The template for (stance, kind) is data (rules/ps101.yml, options.frames);
# its only slots are {users} (the doc's users), {subject} ("this change", or the
# option a heading names, quoted) and agreement-free text: nothing from the
# sentence is pasted into a slot that a grammar depends on.

FRAMES = ("gain", "problem", "cost", "weigh")
# "removal": the doc removes, deprecates or leaves something out; asked as who relies
# on it and what they do instead (not scored from cue words like the others: it
# replaces a "can now" or "adopt" reading, see ``removal_kind``)
KINDS_ALL = (*KINDS, "removal", "open")


class Reading(NamedTuple):
    frame: str      # gain | problem | cost | weigh (another option, neither merit nor cost)
    kind: str       # one of KINDS_ALL
    quote: str      # the claim in the doc's words ("" when none)
    option: str     # the other option it weighs (quoted), "" for the doc's own proposal
    also: str = ""  # a second kind of outcome, offered when the kind is a guess


def ps101(ctx, unit_index: int, sent, category: str, claim: tuple[int, int] | None = None) -> str:
    """The suggestion for a PS101 finding on ``sent`` (a Span of
    ``ctx.docs[unit_index]``)."""
    spec = ctx.pack.rules.get("PS101")
    if spec is None:
        return ""
    r = read(ctx, unit_index, sent, category, claim)
    return say(spec, r, audience.of(ctx).users)


def say(spec, r: Reading, users: str) -> str:
    """Render a reading with the rule's templates; falls back to the rule's own
    suggestion (never a half-filled template)."""
    opts = spec.options or {}
    frames = opts.get("frames") or {}
    table = frames.get(r.frame) or {}
    template = table.get(r.kind) or table.get("open")
    subject = r.option or str(opts.get("subject", "this change"))
    text = render(template or "", users=users, subject=subject)
    if not text:
        return help_text(spec)
    if table.get(r.also):  # the kind is a guess: the next likeliest is offered too
        other = render(table[r.also], users=users, subject=subject)
        either = other and render(str(opts.get("either", "")), text=other,
                                  what=str((opts.get("kind_names") or {}).get(r.also, "")))
        text = f"{text} {either}" if either else text
    leads = opts.get("leads") or {}
    lead = ""
    if r.quote:
        key = ("option_cost" if r.frame == "cost" else "option_gain") if r.option else "plain"
        if r.option and r.frame == "weigh":
            key = "option"  # no word says it is a merit: only that the doc weighs it
        lead = render(leads.get(key) or leads.get("plain") or "", quote=r.quote,
                      option=r.option) or ""
    return f"{lead} {text}" if lead else text[:1].upper() + text[1:]


class RulesReading(NamedTuple):
    cat: object                     # the finding's category (None: the model's "general")
    frame: str
    option: str
    neg: tuple[int, int] | None     # the word that says something is bad
    reason: tuple[int, int] | None  # "rejected because ..."
    kind: str
    cue: tuple[int, int] | None     # the word that says the kind


def rules_reading(ctx, unit_index: int, sent, category: str, claim=None) -> RulesReading:
    """The stance and the kind of outcome as the word lists read them."""
    unit = ctx.units[unit_index]
    spec = ctx.pack.rules.get("PS101")
    cat = next((c for c in spec.categories if c.name == category), None)
    frame, option, neg, reason = frame_of(ctx, unit, sent, claim)
    kind, cue = outcome_kind(ctx, sent, cat, unit, neg, claim)
    kind = removal_kind(ctx, sent, unit, kind, option)
    if team_side(ctx, sent, unit, kind, cue):
        kind = "team"  # "we would need to maintain it", "hard to review": the project's own work
    if frame == "gain" and option and claim is None and _marks(ctx)[0].match(unit.text) is None:
        frame = "weigh"  # about another option, and no merit word (the lexicon's claim) nor
        # a "(+)" mark says it is one of its merits: asked either way
    return RulesReading(cat, frame, option, neg, reason, kind, cue)


def says_otherwise(ctx, unit, sent, neg, learnt: str) -> bool:
    """Do the sentence's own words say the opposite of ``learnt``: a word saying something
    is bad in it (``neg``) against a gain, or a merit word (``merit_words``: "simpler",
    "better") and no bad word against a problem or a cost?"""
    bad = neg is not None and sent.start <= neg[0] < sent.end
    if learnt == "gain":
        return bad
    return not bad and _has(ctx, _words(sent, unit), "merit_words")


def read(ctx, unit_index: int, sent, category: str, claim=None) -> Reading:
    unit = ctx.units[unit_index]
    rules = rules_reading(ctx, unit_index, sent, category, claim)
    cat, frame, option, neg, reason, kind, cue = rules
    # the learned stance and kind (``stance``), read from the same features
    names = stance.features(ctx.docs[unit_index], sent, unit.section[-1] if unit.section else "",
                            (frame, kind, bool(option)), category)
    models = stance.load()
    (learnt, p), ranked = models.stance.read(names), models.kind.ranked(names)
    learnt_kind, pk = ranked[0]
    if p >= models.stance.sure and not says_otherwise(ctx, unit, sent, neg, learnt):
        # the learned stance where it is sure, the rules' elsewhere; never against what the
        # sentence's own words say (the unit's stance is not always its flagged sentence's)
        frame = "cost" if option and learnt == "problem" else learnt
    if kind == "open" or pk >= models.kind.sure:
        kind = learnt_kind  # no cue word names one, or the model is sure
    # where the model gives the kind read less than ``kind_either_below``, that kind is
    # right about half the time or less (docs/model.md): the likeliest other is offered too
    also = ""
    below = float((ctx.pack.rules["PS101"].options or {}).get("kind_either_below", 0.0))
    if dict(ranked).get(kind, 0.0) < below:
        also = next(k for k, _p in ranked if k != kind)
    if reason is not None:  # "rejected because we already have a `peek` API"
        quote = claim_quote(ctx, unit, sent, reason, whole_clause=True)
        if quote:
            return Reading(frame, kind, quote, option, also)
    anchor = None
    usual = cat.outcome if cat is not None else None
    if cue is not None and not (sent.start <= cue[0] < sent.end) and (
            claim is None or rules.kind != usual) and kind == rules.kind:
        # the kind comes from another sentence (and not from the claim's category): quote
        # that one, so that the quote and the kind of outcome agree
        anchor = cue
    elif claim is not None:
        anchor = claim
    elif neg is not None and frame != "gain":
        anchor = neg
    elif cue is not None and kind == rules.kind:
        anchor = cue
    return Reading(frame, kind, claim_quote(ctx, unit, sent, anchor), option, also)


def team_side(ctx, sent, unit, kind, cue) -> bool:
    """Is the sentence about the project's own work rather than its users', though no
    cue word of the team's kind says so? It names none of the doc's users, and the
    authors take on work in it (``team_work``: "we would have to build", "forces us to",
    "cannot be easily implemented"), or it names the team or its work (``team_work_words``:
    "contributors", "review", "CI") and no cue word of a kind users feel directly
    (``team_not_over``: waits, errors ...) is in the sentence: "our CI cuts the p99
    latency" is theirs. Words in inline code do not count."""
    if kind in ("team", "removal"):
        return False
    words = _words(sent, unit)
    people = set(_lexset(ctx, "audience_heads")) | {"you", "your"}
    users = audience.of(ctx).users.lower().split()
    if users:
        people.add(users[-1].rstrip("s"))
    if any(t.norm_ in people or t.lower_.rstrip("s") in people for t in words):
        return False
    if any(sent.start <= s < sent.end and not _in_code(unit, sent.doc[s]) for _l, s, _e in
           pattern_set(ctx, {"team": ctx.pack.lexicons.get("team_work", ())}).find(sent.doc)):
        return True
    work = _lexset(ctx, "team_work_words")
    if not any(t.lower_ in work or t.norm_ in work for t in words):
        return False
    inside = cue is not None and sent.start <= cue[0] < sent.end
    return not (inside and kind in _lexset(ctx, "team_not_over"))


# -------- removal


def removal_kind(ctx, sent, unit, kind, option="") -> str:
    """"removal" in place of a "can now", "adopt" or open reading when the sentence
    says something goes or is left out (lexicon ``outcome_removal``: "deprecated",
    "out of scope") or the doc's title says it removes something ("Demote ...",
    ``removal_title_verbs``); else ``kind``. About another option, never. The paragraph's
    words count: the reason for leaving something out is often the sentence before."""
    if kind not in ("can_do", "adoption", "open") or option:
        return kind  # (the team's kind stays: "a maintenance burden" is the project's)
    found = pattern_set(ctx, {"removal": ctx.pack.lexicons.get("outcome_removal", ())}).find(
        sent.doc)
    if any(not _in_code(unit, sent.doc[s]) for _l, s, _e in found):
        return "removal"  # "a deprecated legacy feature", "declared out of scope" (paragraph)
    return "removal" if _removal_title(ctx) else kind


def _removal_title(ctx) -> bool:
    memo = doc_memo(ctx)
    if "removal_title" not in memo:
        heads = getattr(getattr(ctx, "parsed", None), "headings", None) or []
        title = heads[0].text if heads and heads[0].level == 1 else ""
        m = _FEATURE_LINE.search((getattr(getattr(ctx, "parsed", None), "text", "") or "")[:3000])
        names = [title] + ([m.group(1).replace("_", " ")] if m else [])
        prefixes = sorted((p.lower() for p in ctx.pack.lexicons.get("title_prefixes", ())),
                          key=len, reverse=True)
        verbs = _lexset(ctx, "removal_title_verbs")
        hit = False
        for name in names:
            low = " ".join(re.findall(r"[a-z][a-z'-]*", name.lower()))
            for p in prefixes:  # "KEP-1234: Remove ...", "RFC: Deprecate ..."
                if low.startswith(p + " "):
                    low = low[len(p) + 1:]
                    break
            hit = hit or any(low == v or low.startswith(v + " ") for v in verbs)
        memo["removal_title"] = hit
    return memo["removal_title"]


# -------- stance


def _marks(ctx):
    """The "(+)" / "Pros:" and "(-)" / "Cons:" marks that open a list item, built from
    the lexicons ``pro_marks`` and ``con_marks`` (the words; the symbols are fixed)."""
    return _mark_res(tuple(_lexset(ctx, "pro_marks")), tuple(_lexset(ctx, "con_marks")))


@functools.lru_cache(maxsize=8)
def _mark_res(pros: tuple, cons: tuple):
    def alt(words):
        # longest first; words of one length in a fixed order (the cached regex is the same)
        return "|".join(re.escape(w) for w in sorted(sorted(words), key=len, reverse=True)) \
            or "(?!)"
    lead = r"^\s*(?:[-*+]\s*)?(?:\d+\.\s*)?(?:\*\*|__)?"  # (a bold mark: "**Why not:**")
    pro = regex_cache.compile(
        lead + rf"(?:\(\+\)|\+\s|(?:{alt(pros)})\b[^:\n]{{0,60}}:)", re.I)
    con = regex_cache.compile(
        lead + rf"(?:\(-\)|\(\u2212\)|-\s|(?:{alt(cons)})\b[^:\n]{{0,60}}:)", re.I)
    marker = regex_cache.compile(
        rf"^\s*(?:\(?\s*[+\-\u2212]\s*\)|[+\-*]\s+|(?:{alt(set(pros) | set(cons))})\b"
        r"[^:]{0,60}:)\s*", re.I)
    return pro, con, marker


def _words(sent, unit):
    return [t for t in sent if not t.is_space and not _in_code(unit, t)]


def negative_at(ctx, sent, unit) -> tuple[int, int] | None:
    """The first word of the sentence that says something is bad (a cost word, a
    negative judgement, or a negated good word: "not consistent", "does not
    support"), unless a word before it removes or avoids it ("avoid most
    performance penalties"); its token span, or None."""
    costs = _lexset(ctx, "cost_words", "negative_words")
    removers = _lexset(ctx, "cost_removers")
    good = _lexset(ctx, "negatable_words")
    negs = _lexset(ctx, "negations")
    toks = _words(sent, unit)
    modals = _lexset(ctx, "future_modals")
    needs = _lexset(ctx, "modal_costs")
    adverbs = _lexset(ctx, "cost_adverbs")
    growth = _lexset(ctx, "growth_words")
    paid = _lexset(ctx, "paid_quantities")
    for n, t in enumerate(toks):
        w, lem = t.lower_, t.norm_
        if lem in growth and any(x.lower_ in paid or x.norm_ in paid
                                 for x in toks[max(0, n - 3):n + 5] if x is not t):
            before = toks[max(0, n - 5):n]
            if not any(x.lower_ in removers or x.norm_ in removers for x in before):
                return (t.i, t.i + 1)  # "binary size increases", "increases CPU usage"
        if lem in needs and any(x.lower_ in modals or x.lower_ in adverbs
                                for x in toks[max(0, n - 2):n]):
            return (t.i, t.i + 1)  # "would need a corresponding version", "will require"
        if w in ("not", "n't") and n and toks[n - 1].lower_ in ("can", "could", "ca"):
            return (toks[n - 1].i, t.i + 1)  # "cannot be used" (the tokenizer splits it)
        if w not in costs and lem not in costs:
            if (w in good or lem in good) and any(
                    x.lower_ in negs for x in toks[max(0, n - 3):n]) and not any(
                    x.lower_ == "by" for x in toks[max(0, n - 3):n]):
                return (t.i, t.i + 1)  # "not consistent", "does not support" (not "by not supporting")
            continue
        before = toks[max(0, n - 5):n]
        if any(x.lower_ in removers or x.norm_ in removers for x in before):
            continue  # "to avoid the overhead", "no longer needs a special case"
        return (t.i, t.i + 1)
    return None


def frame_of(ctx, unit, sent, claim=None):
    """(frame, option, the negative word's span, the rejection's span): a gain, a
    problem of how things are, or a cost; ``option`` names the other option the
    sentence weighs when it stands in a section about other options. The
    sentence's own words decide first, then its paragraph's."""
    lex = ctx.pack.lexicons
    section = tuple(unit.section or ())
    neg = negative_at(ctx, sent, unit)
    text = unit.text
    pro_re, con_re, _m = _marks(ctx)
    pro, con = pro_re.match(text) is not None, con_re.match(text) is not None
    if not (pro or con) and section:
        p = section_matches(section, lex.get("pro_sections", ()))
        c = section_matches(section, lex.get("con_sections", ()))
        pro, con = p and not c, c and not p
    reason = _rejection(ctx, sent.doc, unit)
    in_alt = (section_matches(section, lex.get("alternative_sections", ()))
              and not section_matches(section, lex.get("rationale_sections", ()))) or (
        bool(section) and _option_prefix(ctx).match(section[-1].strip()) is not None)
    under_alt = any(section_matches(section[:n], lex.get("alternative_sections", ()))
                    and not section_matches(section[:n], lex.get("rationale_sections", ()))
                    for n in range(1, len(section)))
    other = str((ctx.pack.rules["PS101"].options or {}).get("other_option", "this option"))
    drawback = section_matches(section, lex.get("drawback_sections", ()))
    if section_matches(section[-1:], lex.get("mitigation_sections", ())) and not drawback:
        drawback, pro, con = False, True, False  # "Mitigation: resolve the slow paths": a gain
    elif drawback and neg is None and not con and _has(ctx, _words(sent, unit), "merit_words"):
        drawback, pro = False, True  # "Simplicity is a main design goal" under "Trade-offs"
    elif not drawback and section and _bad_heading(ctx, section[-1]):
        drawback = True  # "### Quality of custom templates may be inconsistent": a risk
    if neg is None and (claim is None or in_alt or under_alt):
        # a sentence with its own merit word speaks for itself, except about another
        # option ("The problem with keeping X is ... So we need a migration path")
        neg = next((n for s in sent.doc.sents if s.start != sent.start
                    for n in [negative_at(ctx, s, unit)] if n is not None), None)
    if in_alt or under_alt or reason is not None:
        if drawback and not pro:
            return "cost", other, neg, reason  # "Drawbacks of the Scheduler Approach"
        option = (_option_name(ctx, section) if in_alt or under_alt else "") or other
        if pro or (neg is None and reason is None and not con):
            return "gain", option, neg, None  # a merit of the option, or what it is
        return "cost", option, neg, reason
    if pro:
        return "gain", "", neg, None
    if con or drawback:
        return "cost", "", neg, None
    if section and section_matches(section[-1:], lex.get("problem_headings", ())):
        return "problem", "", neg, None  # "### Pitfalls of the current solution"
    if neg is None:
        return "gain", "", None, None
    if (sent.doc[neg[0]].norm_ in _lexset(ctx, "growth_words")
            and not section_matches(section, lex.get("problem_sections", ()))):
        return "cost", "", neg, None  # "binary size increases with the new op": its cost
    if (sent.doc[neg[0]].norm_ in _lexset(ctx, "drawback_sections")
            and not section_matches(section, lex.get("problem_sections", ()))):
        return "cost", "", neg, None  # "This solution has a drawback that ..."
    # a bad thing said of the proposal ("will get very complicated") is its cost;
    # said of how things are (Motivation, "currently", present tense), a problem
    modals = _lexset(ctx, "future_modals")
    toks = _words(sent.doc[neg[0]:neg[1]].sent, unit)
    before = [t for t in toks if t.i < neg[0]][-6:]
    if (not section_matches(section, lex.get("problem_sections", ()))
            and any(t.lower_ in modals for t in before)):
        return "cost", "", neg, None
    return "problem", "", neg, None


def _has(ctx, toks, lexicon) -> bool:
    words = _lexset(ctx, lexicon)
    return any(t.lower_ in words or t.norm_ in words for t in toks)


def _bad_heading(ctx, head: str) -> bool:
    """Does a heading say something is bad ("Quality may be inconsistent", "Added
    latency"), not a section of the problem today nor one that removes it?"""
    lex = ctx.pack.lexicons
    if section_matches((head,), lex.get("problem_sections", ())) or \
            section_matches((head,), lex.get("mitigation_sections", ())):
        return False
    words = re.findall(r"[a-z][a-z-]*", head.lower())
    forms = set(words) | {_lemma(w) for w in words}
    bad = _lexset(ctx, "cost_words", "negative_words", "heading_risk_words")
    removers = _lexset(ctx, "cost_removers")
    return bool(forms & bad) and not forms & removers


def _rejection(ctx, doc, unit):
    """The span of "rejected because ..." (from the rejection word) in the paragraph, or None."""
    words = _lexset(ctx, "rejection_words")
    links = _lexset(ctx, "rejection_links")
    for t in doc:
        if t.norm_ in words or t.lower_ in words:
            if _in_code(unit, t):
                continue
            nxt = next((x for x in doc[t.i + 1:t.i + 3] if not x.is_space), None)
            if nxt is not None and nxt.lower_ in links:
                return (t.i, nxt.i + 1)
    return None


def _option_prefix(ctx):
    """"Alternative 2 -", "Option B:", "Approach #3." at the start of a heading: the
    words (lexicon ``option_heading_words``) then a number or letter and a mark."""
    return _option_re(tuple(_lexset(ctx, "option_heading_words")))


@functools.lru_cache(maxsize=8)
def _option_re(words: tuple):
    alt = "|".join(re.escape(w) for w in sorted(sorted(words), key=len, reverse=True)) or "(?!)"
    return regex_cache.compile(rf"^(?:{alt})\s*#?\d*\s*[:.)\-\u2013\u2014]\s*", re.I)


def _option_name(ctx, section) -> str:
    """The option a heading names ("### Alternative 2 - Bundle the dependencies"),
    as a quote of the heading's words, or ""."""
    if not section:
        return ""
    head = section[-1].strip()
    lex = ctx.pack.lexicons
    alt = lex.get("alternative_sections", ())
    if section_matches(section, alt) and _option_prefix(ctx).match(head) is None:
        return ""  # "Alternatives" itself: no name
    name = _option_prefix(ctx).sub("", head).strip()
    name = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", name).strip(" *_")
    not_names = _lexset(ctx, "drawback_sections", "vague_things", "audience_sections")
    words = re.findall(r"[A-Za-z]+", name.lower())
    weighing = _lexset(ctx, "drawback_sections", "pro_sections", "weighing_words")
    if (not name or "?" in name or len(name.split()) > 8 or not words
            or all(w in not_names or w in chunks.FUNCTION for w in words)
            or any(w in weighing for w in words)):
        return ""
    return f"\u201c{name}\u201d" if not re.fullmatch(r"`[^`]+`", name) else name


# -------- kind of outcome


def outcome_kind(ctx, sent, cat, unit=None, neg=None,
                 claim=None) -> tuple[str, tuple[int, int] | None]:
    """Which kind of user outcome the sentence is about, and the span of the cue
    word that says so: the kind whose cue words (``outcome_<kind>``, outside
    inline code) the sentence holds most; words of its paragraph's other
    sentences, and words in parentheses (examples), count half; the word that
    says the thing is bad (``neg``) counts double; the category's usual kind
    breaks ties and stands alone when nothing else speaks; "open" when nothing
    does."""
    kinds = KINDS
    groups = {k: ctx.pack.lexicons.get(f"outcome_{k}", ()) for k in kinds}
    doc = sent.doc
    found = pattern_set(ctx, groups).find(doc)
    score = {k: 0.0 for k in kinds}
    first: dict[str, tuple[int, int]] = {}
    outside: dict[str, float] = {}
    depth, paren = 0, set()
    leads = _lexset(ctx, "example_leads")
    clause = _lexset(ctx, "clause_words")
    listing = False
    for t in doc:
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        elif depth:
            paren.add(t.i)
        if _example_lead(t, leads):
            listing = True  # "such as maintenance activity, documentation": examples
        elif t.text in (".", ";", ":", "!", "?") or t.lower_ in clause:
            listing = False
        elif listing:
            paren.add(t.i)  # (examples count like words in parentheses: half)
    title = _title_words(ctx)
    caps = audience.mid_sentence_caps(ctx) if title else set()
    weak = _lexset(ctx, "outcome_weak_cues")
    strong: set = set()  # the kinds with a cue word that is not only a weak one
    found = [(label, s, e) for label, s, e in found  # the longest match says the sense:
             if not any(o != label and os <= s and e <= oe and (os, oe) != (s, e)
                        for o, os, oe in found)]  # "communication overhead" is no CPU cost
    for label, s, e in sorted(found, key=lambda f: (f[1], -f[2])):
        if _in_code(unit, doc[s]):
            continue
        inside = sent.start <= s < sent.end
        w = 1.0 if inside else 0.5
        if all((t.norm_ in title or t.lower_ in title) and t.text.capitalize() in caps
               for t in doc[s:e] if t.is_alpha):
            w *= 0.25  # a word of the doc's title that it writes as a name names its feature
            # ("Declarative Validation"), not the outcome of this sentence
        if s in paren:
            w *= 0.5
        if neg is not None and (s <= neg[0] < e or abs(s - neg[0]) <= 4):
            w *= 2  # the bad word itself, or a word next to it ("harder to read")
        elif claim is not None and s < claim[1] and claim[0] < e:
            w *= 2  # the claim's own words: "increases the *memory usage*"
        score[label] += w
        if e - s > 1 or not (doc[s].lower_ in weak or doc[s].norm_ in weak):
            strong.add(label)
        if not inside:
            outside[label] = outside.get(label, 0.0) + w
        if label not in first or (inside and not sent.start <= first[label][0] < sent.end):
            first[label] = (s, e)
    for label, _s, _e in _heading_cues(ctx, unit):  # "## Compatibility", "### Security"
        score[label] += 0.5
    default = cat.outcome if cat is not None and cat.outcome in kinds else None
    if default is not None:
        # the claim is the argument, but a cue word of the sentence says more about
        # the outcome than the category does ("to maintain consistency": steps)
        score[default] += 0.9 if claim is not None else 0.6
    # a kind read only from weak cue words ("meant to be adopted", "excluding tests") is no
    # reading unless the category says it too: the learned kind decides (read())
    sure = [k for k in kinds if k in strong or k == default]
    best = max(sure or kinds, key=lambda k: (score[k], k == default, -kinds.index(k)))
    if score[best] <= 0:
        return "open", None
    if not sure:  # (the weak word still says where the claim is: the quote is around it)
        cue = first.get(best)
        return "open", cue if cue is not None and sent.start <= cue[0] < sent.end else None
    cue = first.get(best)
    if cue is not None and not sent.start <= cue[0] < sent.end and outside.get(best, 0) < 1:
        cue = None  # one cue word in another sentence: too little to quote that sentence
    return best, cue


def _example_lead(tok, leads) -> bool:
    """Does the token open a list of examples: "such as", "e.g.", ", like", "including"?"""
    if tok.lower_ not in leads:
        return False
    doc = tok.doc
    if tok.lower_ == "such":
        return tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "as"
    if tok.lower_ == "like":
        return tok.i > 0 and doc[tok.i - 1].text == ","
    return True


def _title_words(ctx) -> frozenset:
    """The words (and their lemmas) of the doc's title, once per doc (memo)."""
    memo = doc_memo(ctx)
    if "title_words" not in memo:
        heads = getattr(getattr(ctx, "parsed", None), "headings", None) or []
        title = heads[0].text.lower() if heads and heads[0].level == 1 else ""
        words = re.findall(r"[a-z][a-z-]*", title)
        memo["title_words"] = frozenset(words) | frozenset(_lemma(w) for w in words)
    return memo["title_words"]


def _heading_cues(ctx, unit) -> list:
    """The one-word outcome cues of the unit's nearest heading, as (kind, 0, 0), once
    per heading (memo); matched on the words' lemmas without running the pipeline
    again (each file goes through spaCy once)."""
    if unit is None or not unit.section:
        return []
    head = unit.section[-1]
    memo = doc_memo(ctx)
    seen = memo.setdefault("heading_cues", {})
    if head not in seen:
        words = {_lemma(w) for w in re.findall(r"[a-z][a-z-]*", head.lower())}
        seen[head] = [(k, 0, 0) for k in KINDS if words & _one_word_cues(ctx, k)]
    return seen[head]


def _one_word_cues(ctx, kind) -> frozenset:
    key = (kind, id(ctx.pack))
    hit = _CUES.get(key)
    if hit is not None and hit[0] is ctx.pack:
        return hit[1]
    found = frozenset(_lemma(w.lower()) for w in ctx.pack.lexicons.get(f"outcome_{kind}", ())
                      if re.fullmatch(r"[A-Za-z][A-Za-z-]*", w))
    if len(_CUES) > 64:
        _CUES.clear()
    _CUES[key] = (ctx.pack, found)  # the pack is held: its id is not reused
    return found


_CUES: dict = {}


def _in_code(unit, tok) -> bool:
    return unit is not None and any(s <= tok.idx < e for s, e in unit.masked)


# -------- the quote

_BOUNDARY_PUNCT = frozenset(",;:[]{}.!?\u2014\u2013") | {"--", "-"}
_MAX_WORDS = 14


def claim_quote(ctx, unit, sent, anchor, whole_clause=False) -> str:
    """The clause around ``anchor`` (a token span) in the doc's own words, at most
    about 12 words, cut at word boundaries with "..." where it goes on; a short
    sentence whole; with no anchor, the sentence's first clause when it is short;
    "" when nothing readable is left (only a URL or code). An opening adverbial ("In
    the face of X, ...": ``quote_intro_words``) is never quoted alone: with its main
    clause, or the main clause alone; a parenthesis is quoted whole or not at all; a
    sentence break glued to inline code ("a DAG.`Source` does") ends the quote."""
    doc = sent.doc
    clause = _lexset(ctx, "clause_words")
    if anchor is not None and not (sent.start <= anchor[0] < sent.end):
        sent = next((s for s in doc.sents if s.start <= anchor[0] < s.end), sent)
    start, end = sent.start, sent.end
    while end < len(doc) and _in_code(unit, doc[end - 1]) and _in_code(unit, doc[end]):
        end = doc[end].sent.end  # the sentencizer split inside `Activity.Kind`
    while start > 0 and _in_code(unit, doc[start]) and _in_code(unit, doc[start - 1]):
        start = doc[start - 1].sent.start  # ... and the sentence is the part after the dot
    toks = [t for t in doc[start:end] if not t.is_space]
    if not toks:
        return ""
    depth = _paren_depth(toks, unit)
    if anchor is not None:
        p = next((n for n, t in enumerate(toks) if t.i >= anchor[0]), 0)
        while depth[p] > 0:
            p -= 1
        if toks[p].text == "(" and p + 1 < len(toks) and _example_lead(
                toks[p + 1], _lexset(ctx, "example_leads")):
            anchor = None  # an example in an aside ("(e.g. a standard way of ...)"): not
            # the claim, which is what the sentence says before it
    if anchor is None:  # from the first word, after list marks and "(+)"
        a = 0
        while a < len(toks):
            a = _lead(ctx, toks, unit, a)
            if a >= len(toks) or toks[a].is_alpha or _in_code(unit, toks[a]):
                break
            a += 1
        a = a if a < len(toks) else 0
        b = a + 1
    else:
        a = next((n for n, t in enumerate(toks) if t.i >= anchor[0]), 0)
        b = max(a + 1, next((n for n, t in enumerate(toks) if t.i >= anchor[1]), len(toks)))
    a0 = a  # the anchor, or the parenthesis it stands in: "the old (more expensive) object"
    while depth[a0] > 0:
        a0 -= 1

    def stop(n):  # a clause boundary outside parentheses
        return depth[n] == 0 and _boundary(toks[n], unit, clause)
    short = _nwords(toks, unit) <= 9
    if whole_clause:  # from the anchor to the end of the clause it opens
        lo, hi = a, b
        while hi < len(toks) and not stop(hi):
            hi += 1
        if _nwords(toks[b:hi], unit) == 0:
            return ""  # "rejected because:" and a list: no reason in this sentence
    elif short:
        lo, hi = 0, len(toks)
    else:
        lo = a0
        while lo > 0 and not stop(lo - 1):
            lo -= 1
        hi = b
        while hi < len(toks) and not stop(hi):
            hi += 1
    if not whole_clause and _nwords(toks[lo:hi], unit) < 4:  # "best practices", in a list
        while lo > 0 and (toks[lo - 1].text == "," or not stop(lo - 1)):
            lo -= 1
        while hi < len(toks) and (toks[hi].text == "," or not stop(hi)):
            hi += 1
    leads = _lexset(ctx, "example_leads")
    if not whole_clause and 1 < lo and toks[lo - 1].lower_ in _lexset(ctx, "relative_words") \
            and not _in_code(unit, toks[lo - 1]) and _nwords(toks[lo:hi], unit) <= 9:
        k = lo - 1  # "... format strings which are not type safe": the noun it is said of
        while k > lo - 3 and k > 0 and toks[k - 1].is_alpha and toks[k - 1].lower_ not in \
                chunks.FUNCTION and not stop(k - 1):
            k -= 1
        if k < lo - 1:
            lo = k
    if not whole_clause and lo > 0 and _example_lead(toks[lo], leads):
        lo -= 1  # "such as maintenance activity": quote the clause the examples belong to
        while lo > 0 and (toks[lo].text == "," or not stop(lo - 1)):
            lo -= 1
    intro = None if whole_clause or short else _intro(ctx, toks, unit, depth, clause)
    keep = -1  # a quote from the adverbial's first word keeps it ("As we add ..., ...")
    if intro is not None and lo <= intro[1]:
        first, comma = intro
        main = comma + 1  # the main clause after the opening adverbial
        end = min(main + 1, len(toks))
        while end < len(toks) and not stop(end):
            end += 1
        while end < len(toks) and _nwords(toks[main:end], unit) < 4 and (
                toks[end].text == "," or not stop(end)):
            end += 1  # "any change, addition, or deletion of a core API should ..."
        said = _nwords(toks[main:end], unit) >= 4
        purpose = toks[first].lower_ in _lexset(ctx, "quote_intro_purpose")
        if said and anchor is not None and a < comma and not purpose:
            if _nwords(toks[first:max(hi, end)], unit) <= _MAX_WORDS:
                lo, hi, keep = first, max(hi, end), first  # "In the face of X, the pacer ..."
            else:
                lo, hi, a, b = main, end, main, main + 1  # ... or what it says of the pacer
        elif said and (anchor is None or a > comma):
            lo, hi = main, (end if anchor is None else max(hi, end))
            if anchor is None:
                a, b = main, main + 1
    if lo < a and lo != keep:
        lo = min(_lead(ctx, toks, unit, lo), a)

    def ends(hi):  # the clause ends there: "... falls behind." keeps its last word
        return hi == len(toks) or toks[hi].text in ".!?;,"  # (not before ":" and a list)
    while hi > b and _bad_end(toks[hi - 1], punct_only=ends(hi)):
        hi -= 1
    cut_lo = cut_hi = False
    if _nwords(toks[lo:hi], unit) > _MAX_WORDS:
        if _nwords(toks[a0:b], unit) > _MAX_WORDS - 3:
            a0 = a  # a long parenthesis: around the anchor in it
        i = lo if _nwords(toks[lo:b], unit) <= _MAX_WORDS - 3 else max(lo, a0 - 4)
        j = i
        while j < hi and _nwords(toks[i:j + 1], unit) <= _MAX_WORDS:
            j += 1
        while i > lo and _nwords(toks[i - 1:j], unit) <= _MAX_WORDS:
            i -= 1
        if j < b:
            return ""  # the claim itself is longer than a quote
        while i > lo and not toks[i - 1].whitespace_ and not toks[i - 1].is_space:
            i -= 1  # not inside "sub-optimal"
        cut_lo, cut_hi = i > lo, j < hi
        lo, hi = i, j
    while lo < a and toks[lo].is_punct:
        lo += 1
    while (bad := _unpaired(toks, unit, lo, hi)) is not None:
        if bad < a:  # "... (cumulative, gauge": quote what is outside the parenthesis
            lo, cut_lo = bad + 1, cut_lo or _nwords(toks[lo:bad], unit) > 0
        else:
            hi, cut_hi = bad, cut_hi or _nwords(toks[bad:hi], unit) > 0
    while hi > b and _bad_end(toks[hi - 1], punct_only=not cut_hi and ends(hi)):
        hi, cut_hi = hi - 1, True
    if anchor is None and _nwords(toks[lo:hi], unit) < 4:
        return ""
    if lo >= hi:
        return ""
    text = _clean(_quote_text(unit, doc, toks[lo].i, toks[hi - 1].i + 1), _marks(ctx)[2])
    parts = _glued_sentences(text)
    if len(parts) > 1:  # "... a structural DAG.`Source` does not ...": two sentences
        word = doc[anchor[0]].text if anchor is not None else ""
        n = next((n for n, p in enumerate(parts) if word and word in p), 0)
        text = parts[n].strip(" .!?")
        cut_lo, cut_hi = cut_lo and n == 0, cut_hi and n == len(parts) - 1
    if re.search(r"(?:^|\s)@\w", text):
        return ""  # "@thockin with respect to ...": an attribution, not the claim
    if not text or not re.search(r"[A-Za-z]{3}", re.sub(r"`[^`]*`", "", text)):
        return ""
    return ("\u2026" if cut_lo else "") + text + ("\u2026" if cut_hi else "")


def _lead(ctx, toks, unit, n) -> int:
    """The first token from ``n`` on that a quote may start with: not punctuation nor a
    conjunction (``quote_trim_lead``), "to" before a verb (``quote_trim_before_verb``),
    "as" before a clause's subject (``quote_trim_before_subject``, ``clause_subjects``)."""
    trim = _lexset(ctx, "quote_trim_lead")
    verb_leads = [w.split() for w in _lexset(ctx, "quote_trim_before_verb")]
    subject_leads = _lexset(ctx, "quote_trim_before_subject")
    subjects = _lexset(ctx, "clause_subjects")
    while n < len(toks):
        t, nxt = toks[n], toks[n + 1] if n + 1 < len(toks) else None
        if (t.is_punct and not _in_code(unit, t)) or t.lower_ in trim:
            n += 1
        elif nxt is not None and t.lower_ in subject_leads and nxt.lower_ in subjects:
            n += 1
        else:
            k = next((len(w) for w in verb_leads if n + len(w) < len(toks)
                      and [x.lower_ for x in toks[n:n + len(w)]] == w
                      and "verb" in chunks._classes(toks[n + len(w)])), 0)
            if not k:
                return n
            n += k
    return n


def _intro(ctx, toks, unit, depth, clause) -> tuple[int, int] | None:
    """(its first word, the comma that ends it) for an opening adverbial of the sentence
    ("In the face of a high allocation rate, ...", "To support this, ..."): the sentence
    (after list marks) opens with one of ``quote_intro_words`` and a comma outside
    parentheses comes before any other clause boundary; None when it does not."""
    first = next((n for n, t in enumerate(toks) if t.is_alpha or _in_code(unit, t)), None)
    if first is None or toks[first].lower_ not in _lexset(ctx, "quote_intro_words"):
        return None
    words = _lexset(ctx, "quote_intro_words")
    for n in range(first + 1, len(toks)):
        if depth[n] == 0 and _boundary(toks[n], unit, clause):
            if toks[n].text != ",":
                return None
            if n + 1 < len(toks) and toks[n + 1].lower_ in words:
                continue  # another adverbial follows: "Although X, due to Y, Z"
            return first, n
    return None


def _paren_depth(toks, unit) -> list[int]:
    """How many parentheses of the prose (not inline code) hold each token; a
    parenthesis itself counts as outside."""
    out, d = [], 0
    for t in toks:
        code = _in_code(unit, t)
        if t.text == ")" and not code:
            d = max(0, d - 1)
        out.append(d)
        if t.text == "(" and not code:
            d += 1
    return out


def _unpaired(toks, unit, lo, hi) -> int | None:
    """The index of the first parenthesis of the prose in toks[lo:hi] whose pair is
    outside it, or None."""
    opened = []
    for n in range(lo, hi):
        t = toks[n]
        if t.text in ("(", ")") and not _in_code(unit, t):
            if t.text == "(":
                opened.append(n)
            elif opened:
                opened.pop()
            else:
                return n
    return opened[0] if opened else None


def _glued_sentences(text: str) -> list[str]:
    """The quote cut where a sentence ends glued to inline code ("a DAG.`Source`"): a
    word, then ".", "!" or "?", then a code span's opening backtick."""
    cuts = [m.start() for m in re.finditer(r"(?<=[A-Za-z]{2}[.!?])`", text)
            if text[:m.start()].count("`") % 2 == 0]
    return [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)])]


def _nwords(toks, unit) -> int:
    """Words in a token run, a run of inline code counting as one."""
    n, code = 0, False
    for t in toks:
        c = _in_code(unit, t)
        if c:
            n += not code
        elif t.is_alpha or t.like_num or "_" in t.text:
            n += 1
        code = c
    return n


_OBJECTS = frozenset("it them us me him".split())


def _bad_end(tok, punct_only=False) -> bool:
    """A token a quote does not end with: punctuation, or (unless ``punct_only``: where
    the clause ends, "falls behind" is the doc's own ending) a function word, but not
    the object of the word before it ("I did not propose it": "propose" alone would
    leave the verb without what it is said of)."""
    if tok.is_punct:
        return tok.text not in ")`'\""
    if punct_only or not (tok.lower_ in chunks.FUNCTION or tok.lower_ in chunks.DETERMINERS):
        return False
    before = tok.nbor(-1) if tok.i > 0 else None
    return not (tok.lower_ in _OBJECTS and before is not None and before.is_alpha
                and before.lower_ not in chunks.FUNCTION)


def _boundary(tok, unit, clause_words) -> bool:
    if _URL.match(tok.text):
        return True  # (a quote drops URLs: "a branch on <URL>" would end on "on")
    if _in_code(unit, tok):
        return False
    if tok.text in ("-", "--"):  # a dash between words, not a hyphen inside one
        return bool(tok.whitespace_) and tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_)
    return tok.text in _BOUNDARY_PUNCT or tok.lower_ in clause_words


def _quote_text(unit, doc, i, j) -> str:
    """The unit's text of tokens i..j, inline code back in backticks (the unit's
    text holds code without them), a code span cut by the edge taken whole."""
    start, end = doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
    spans = sorted((s, e) for s, e in (unit.masked if unit is not None else ())
                   if s < end and start < e)
    if spans:
        start, end = min(start, spans[0][0]), max(end, spans[-1][1])
    text = unit.text if unit is not None else doc.text
    out, at = [], start
    for s, e in spans:
        inner = text[s:e]
        if inner.startswith("`"):
            continue  # already written with its backticks
        out += [text[at:s], "`", inner, "`"]
        at = e
    out.append(text[at:end])
    return "".join(out)


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)?")
_URL = re.compile(r"\(?https?://\S+")


def _clean(text: str, marker) -> str:
    """Markdown out of a quote: links keep their text, URLs and emphasis go, and a
    "(+)" / "Pros:" mark (``marker``: ``_marks(ctx)[2]``) that opens it."""
    text = marker.sub("", _LINK.sub(r"\1", text.strip()))
    text = _URL.sub("", text)
    text = "".join(p if n % 2 else re.sub(r"(?<![`\w])[*_]{1,3}|[*_]{1,3}(?![`\w])", "", p)
                   for n, p in enumerate(re.split(r"(`[^`]*`)", text)))  # (not `__dir__`)
    text = text.replace("\u201c", "'").replace("\u201d", "'").replace('"', "'")
    text = marker.sub("", " ".join(text.split())).strip(" ,;:")
    if text.endswith(" '") or text.endswith("('"):
        text = text[:-1].rstrip(" (")
    if text.startswith("' ") or (text.startswith("'") and text.count("'") % 2):
        text = text[1:].lstrip()
    marks = [m.start() for m in re.finditer("'", text)
             if not (0 < m.start() < len(text) - 1 and (text[m.start() - 1].isalnum()
                                                         or text[m.start() - 1] == "`")
                     and text[m.start() + 1].isalnum())]  # not an apostrophe ("it's", "`x`'s")
    if len(marks) % 2:  # "rejected because ...' in": the mark of a quote cut in two
        # (unless the odd one is a plural's possessive: "the class' name", "users' data")
        plural = [m for m in marks if 0 < m < len(text) - 1 and text[m - 1] == "s"
                  and text[m + 1] == " " and text[m + 2:m + 3].isalpha()]
        if len(plural) != 1:
            text = " ".join("".join(c for i, c in enumerate(text) if i not in marks).split())
    text = text.replace("...", "\u2026")
    text = _paired(text)
    text = re.sub(r"\s*``\s*", " ", text).strip()  # an empty code span says nothing
    if text.count("`") % 2:
        return text.replace("`", "")
    # a code span the doc glued to a word ("type`loop_token`", "`Source`does"): a space
    # between them (not before a plural "s": "`Callback`s")
    parts = re.split(r"(`[^`]*`)", text)
    for n in range(1, len(parts), 2):
        if parts[n - 1][-1:].isalpha():
            parts[n - 1] += " "
        if re.match(r"[A-Za-z]{2}", parts[n + 1]):
            parts[n + 1] = " " + parts[n + 1]
    return "".join(parts)


def _paired(text: str) -> str:
    """The text without what stands beyond a parenthesis of the prose (not inline code)
    whose pair is not in it: "... parameters(iops and" -> "... parameters"."""
    code, opened, start = False, [], 0
    for i, c in enumerate(text):
        if c == "`":
            code = not code
        elif c == "(" and not code:
            opened.append(i)
        elif c == ")" and not code:
            if opened:
                opened.pop()
            else:
                start = i + 1  # "... cumulative) with a set": from after it
    end = opened[0] if opened else len(text)
    return text[start:end].strip(" ,;:") if (start or opened) else text


# ------------------------------------------------------------------ help text


def help_text(spec) -> str:
    """The rule's suggestion as people read it: slots filled with the rule's
    example fillers (``options.example_fillers``); a slot with no filler is said
    as a placeholder for the writer, never as a raw ``{slot}``."""
    fillers = dict((spec.options or {}).get("example_fillers") or {})
    if not spec.info.suggestion:
        return ""
    text = render(spec.info.suggestion, **fillers)
    if text is None:
        text = _SLOT.sub(lambda m: fillers.get(m.group(1)) or f"<{m.group(1)}>",
                         spec.info.suggestion)
    return text


_NO_MARK = re.compile(r"(?!)")


def worked_examples(spec):
    """(category, kind, sentence, suggestion) for each category's worked example:
    the reading its example states, said by the same templates as a finding
    (--explain prints them; tests check them against the linter)."""
    for c in spec.categories:
        ex = c.example
        if not ex or not ex.get("sentence"):
            continue
        kind = ex.get("kind") or c.outcome or "open"
        r = Reading(ex.get("frame", "gain"), kind, _clean(ex.get("quote", ""), _NO_MARK), "")
        yield c, kind, ex["sentence"], say(spec, r, ex.get("users", ""))


# ------------------------------------------------------------------ doc-level questions


def doc_style(ctx) -> str:
    """Which template the doc follows: kep, rfc, adr, design, or doc (none of them),
    from its headings (lexicons ``style_<name>``)."""
    memo = doc_memo(ctx)
    if "style" in memo:
        return memo["style"]
    heads = [" ".join(h.text.lower().split()) for h in ctx.parsed.headings]
    best, best_n = "doc", 0
    for style in ("kep", "rfc", "adr", "design"):
        phrases = _style_res(tuple(ctx.pack.lexicons.get(f"style_{style}", ())))
        # a phrase is in a heading only if it is a substring of it: test that first
        n = sum(any(p in h and rx.search(h) for h in heads) for p, rx in phrases)
        if style == "kep" and re.search(r"\bkep-?\d+", " ".join(heads)):
            n += 2
        if n > best_n or (n == best_n and n and style == "adr" and len(heads) <= 6):
            best, best_n = style, n
    style = best if best_n >= 2 else "doc"
    memo["style"] = style
    return style


@functools.lru_cache(maxsize=16)
def _style_res(phrases: tuple) -> tuple:
    """Each style phrase, lower-cased, with its compiled whole-word pattern."""
    return tuple((p, regex_cache.compile(rf"\b{re.escape(p)}\b"))
                 for p in (q.lower() for q in phrases))


_FEATURE_LINE = re.compile(r"^\s*(?:#+\s*)?[-*]?\s*feature[ _-]name:\s*[`'\"]?([^`'\"\n]+?)[`'\"]?\s*$",
                           re.I | re.M)


def feature_name(ctx) -> str:
    """The doc's name for what it proposes: a "Feature Name:" line, else its title
    without "KEP-123:" / "RFC:" / "Design:" prefixes; "" when it has neither."""
    m = _FEATURE_LINE.search(ctx.parsed.text[:3000])
    if m and m.group(1).strip().lower() not in ("", "n/a", "none", "tbd"):
        return f"`{m.group(1).strip()}`"
    heads = ctx.parsed.headings
    if not heads or heads[0].level != 1:
        return ""
    title = heads[0].text.strip()
    prefixes = sorted((p.lower() for p in ctx.pack.lexicons.get("title_prefixes", ())),
                      key=len, reverse=True)
    for _ in range(2):
        low = title.lower()
        for p in prefixes:
            m = re.match(rf"{re.escape(p)}(?:[\s#-]*\d+)?\b\s*[:.\-–—]?\s*", low)
            if m and m.end() < len(title):
                title = title[m.end():].strip()
                break
    title = re.sub(r"^\d+[\s:.\-–—]+", "", title).strip(" :-–—.;,")
    words = title.split()
    first = words[0].lower() if words else ""
    if first.endswith("ing") or first in _lexset(ctx, "title_verbs"):
        return ""  # "Deprecate hasBlock", "Transitioning away from X": a sentence, no name
    if not words or len(words) > 8 or title.lower() in _lexset(ctx, "not_feature_names") \
            or re.search(r"[{}]", title):
        return ""  # ("Deprecate {{hasBlock}}": braces would read as a slot)
    return title


def doc_question(ctx, spec, section: str | None) -> str:
    """A PS201-PS203 suggestion: a fill-in skeleton in the doc's template style.
    ``section`` is the (quoted) section the finding stands on, or None."""
    opts = spec.options or {}
    skeletons = opts.get("skeletons") or {}
    style = doc_style(ctx)
    template = skeletons.get(style) or skeletons.get("doc")
    if not template:
        return spec.info.suggestion
    users = audience.of(ctx).users
    feature = feature_name(ctx)
    if not feature:
        feature = "this decision" if style == "adr" else "this proposal"
    where = section or (opts.get("sections") or {}).get(style) or (
        opts.get("sections") or {}).get("doc") or "the doc"
    text = render(template, section=where, users=users, feature=feature)
    return text or spec.info.suggestion


# ------------------------------------------------------------------ PS301


def ps301(ctx, unit_index: int, sent, goal_start: int) -> str:
    """A vague goal's suggestion: the goal's own words when they make a whole
    phrase (up to the end of the clause, at most 10 words, not ending on a
    function word), else without them; the doc's users in both."""
    spec = ctx.pack.rules.get("PS301")
    if spec is None:
        return ""
    doc = sent.doc
    words = []
    for t in doc[goal_start:sent.end]:
        if t.is_space:
            continue
        if t.is_punct and t.text not in ("-", "'", "/"):
            break
        words.append(t)
    goal = ""
    if words and len(words) <= 10 and words[-1].lower_ not in chunks.FUNCTION \
            and words[-1].lower_ not in chunks.DETERMINERS and words[-1].is_alpha:
        goal = doc[words[0].i:words[-1].i + 1].text
    users = audience.of(ctx).users
    text = render(spec.info.suggestion, goal=goal, users=users)
    if text is None:
        text = render(str((spec.options or {}).get("suggestion_no_goal", "")), users=users)
    return text or ""


# ------------------------------------------------------------------ --explain


def explain_lines(spec) -> list[str]:
    """What --explain adds under a rule's suggestion: each PS101 category's worked
    example and every (stance, kind) template with the example fillers, or each
    doc template's skeleton with the example fillers."""
    out: list[str] = []
    opts = spec.options or {}
    fillers = dict(opts.get("example_fillers") or {})
    examples = list(worked_examples(spec))
    if examples:
        out += ["", "Suggestion by category (worked examples: the claim quoted in the doc's "
                "words, the doc's users, the kind of outcome the sentence is about)"]
        for cat, kind, sentence, text in examples:
            out += [f"  {cat.name} ({kind.replace('_', ' ')}): {sentence}", f"    -> {text}"]
    names = {"gain": "a gain the doc claims", "problem": "a problem of how things are today",
             "cost": "a drawback or risk, or a cost of another option",
             "weigh": "neither a merit nor a cost of another option the doc weighs"}
    for frame, templates in (opts.get("frames") or {}).items():
        lines = []
        for kind in KINDS_ALL:
            text = render((templates or {}).get(kind, ""), **fillers)
            if text:
                lines.append(f"  {kind.replace('_', ' ')}: {text[:1].upper()}{text[1:]}")
        if lines:
            out += ["", f"When the sentence states {names.get(frame, frame)}, by kind of "
                    "outcome", *lines]
    gain = (opts.get("frames") or {}).get("gain") or {}
    either = render(str(opts.get("either", "")), what=str((opts.get("kind_names") or {}).get(
        "errors", "")), text=render(gain.get("errors", ""), **fillers) or "")
    if either and opts.get("kind_either_below"):
        out += ["", f"When the kind of outcome is a guess (the learned kind gives it less than "
                f"{opts['kind_either_below']}), the next likeliest kind follows, e.g.",
                f"  ... {either}"]
    skeletons = opts.get("skeletons") or {}
    if skeletons:
        sections = opts.get("sections") or {}
        out += ["", "Suggestion by doc template (with the doc's users and feature name)"]
        names = {"kep": "KEP", "rfc": "RFC", "adr": "ADR", "design": "design doc",
                 "doc": "other docs"}
        for style, template in skeletons.items():
            text = render(template, **{**fillers, "section": sections.get(style)
                                       or fillers.get("section", "")})
            if text:
                out.append(f"  {names.get(style, style)}: {text}")
    return out
