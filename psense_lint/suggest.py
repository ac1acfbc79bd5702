"""Suggestion text: how to restate a finding as an outcome for this doc's users.

One entry point per kind of finding, all reading their templates from the rule
pack (rules/suggestions.yml and the rules' own ``suggestion``):

* ``ps101(ctx, unit_index, sent, category, claim=None)``: an engineering-only
  argument. ``category`` is a PS101 category name (the lexicon's or a model's);
  ``claim`` is the (start, end) token span of the claim in the unit's Doc, or
  None when the decision has no lexicon claim. The kind of outcome (steps,
  waits, errors, what users can now do, adoption) is chosen from the sentence's
  words, else the category's usual one; ``{thing}`` is a noun phrase of the
  sentence naming what it is about (``chunks``), never its first tokens; with
  no such phrase the suggestion is a question naming the claim and the users.
* ``help_text(spec)``: a rule's suggestion with its example fillers, for
  --explain, --list-rules and SARIF help (never raw ``{slots}``).

Every slot is filled with a whole phrase or the slot is not used: ``render``
refuses a template whose slots it cannot fill.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from psense_lint import audience, chunks
from psense_lint.checks.common import pattern_set, section_matches

_SLOT = re.compile(r"\{(\w+)\}")
_MAY_BE_EMPTY = frozenset({"s"})  # agreement: "{topic_cap} let{s}"
KINDS = ("can_do", "waits", "errors", "steps", "adoption")


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
        return value[:1].upper() + value[1:] if cap else value
    out = _SLOT.sub(sub, template)
    return None if missing else " ".join(out.split())


# ------------------------------------------------------------------ PS101


def ps101(ctx, unit_index: int, sent, category: str, claim: tuple[int, int] | None = None) -> str:
    """The suggestion for a PS101 finding on ``sent`` (a Span of
    ``ctx.docs[unit_index]``)."""
    spec = ctx.pack.rules.get("PS101")
    if spec is None:
        return ""
    opts = spec.options
    cat = next((c for c in spec.categories if c.name == category), None)
    users = audience.of(ctx).users
    unit = ctx.units[unit_index]
    kind = outcome_kind(ctx, sent, cat, unit)
    gains = opts.get("gains") or {}
    gain = gains.get(f"{category}.{kind}") or gains.get(category) or "this change"
    found = find_thing(ctx, unit_index, sent, claim)
    if found is not None and found.title and cat is not None and cat.outcomes.get("question"):
        found = None  # team-work claims ask what the saved time ships, not what the doc does
    if found is not None:
        thing, topic, plural = found.text, found.topic, found.plural
        agree = {"s": "" if plural else "s", "does": "do" if plural else "does"}
        against = _against(ctx, unit, sent, claim, cat is None)
        if against == "cost_today" and cat is not None:
            against = ""  # the category's own templates say what its cost does today
        if against:
            costs = opts.get("costs") or {}
            cost = costs.get(f"{category}.{kind}") or costs.get(category) or costs.get("general", "")
            template = (opts.get(against) or {}).get(kind)
            text = render(template or "", users=users, thing=thing, topic=topic, cost=cost,
                          **agree)
            if text:
                return text
        templates = []
        if cat is not None and not found.title:
            templates.append(cat.outcomes.get(kind) or cat.outcomes.get(cat.outcome) or "")
        # no category's claim (a model's finding), or only an action on the phrase
        # ("adding `$schema` to ..."): the phrase or the action as the subject
        templates.append((opts.get("topics") or {}).get(kind) or "")
        for template in templates:
            text = render(template, users=users, thing=thing, topic=topic, gain=gain, **agree)
            if text:
                cited = _cited_claim(sent, claim) if found.title else ""
                if cited:  # the claim in the doc's own words, then what the doc proposes
                    text = f"On \u201c{cited}\u201d: {text[:1].lower()}{text[1:]}"
                return text
    thing = ""
    questions = opts.get("questions") or {}
    question = (cat.outcomes.get("question") if cat is not None else None) or questions.get(
        kind) or questions.get("can_do") or ""
    text = render(question, users=users, gain=gain, thing=thing or "") or spec.info.suggestion
    cited = _cited_claim(sent, claim)
    if cited:  # name the claim in the doc's own words
        text = f"On \u201c{cited}\u201d: {text[:1].lower()}{text[1:]}"
    return text


def _against(ctx, unit, sent, claim, unclaimed=True) -> str:
    """Does the sentence hold an engineering cost (complexity, overhead, coupling ...)
    rather than a gain? "against" when it stands in a section that weighs a choice
    (drawbacks, alternatives, risks: the cost would come with it), "cost_today" when it
    describes how things are; "" for a gain (or a cost the sentence removes)."""
    lex = ctx.pack.lexicons
    costs = {w.lower() for w in lex.get("cost_words", ())}
    removers = {w.lower() for w in lex.get("cost_removers", ())}
    toks = [t for t in sent if not t.is_space and not _in_code(unit, t)]
    hit = None
    for n, t in enumerate(toks):
        if t.norm_ in costs or t.lower_ in costs:
            hit = n
            break
    if hit is None:
        # a drawback or risk is a cost whatever its words
        return "against" if unclaimed and section_matches(
            unit.section, lex.get("drawback_sections", ())) else ""
    if any(t.norm_ in removers or t.lower_ in removers for t in toks[:hit]):
        return ""  # "it removes the overhead": a gain
    if section_matches(unit.section, lex.get("against_sections", ())):
        return "against"
    return "cost_today"


def _cited_claim(sent, claim) -> str:
    """The claim's own words, to quote (at most 6 words), or ""."""
    if claim is None:
        return ""
    s, e = claim
    toks = [t for t in sent.doc[s:e] if not t.is_space]
    if not toks or len(toks) > 6:
        return ""
    return " ".join(sent.doc[toks[0].i:toks[-1].i + 1].text.split())


def outcome_kind(ctx, sent, cat, unit=None) -> str:
    """Which kind of user outcome the sentence is about: the kind whose cue
    words it holds most (outside inline code), else the category's usual kind."""
    groups = {k: ctx.pack.lexicons.get(f"outcome_{k}", ()) for k in KINDS}
    found = pattern_set(ctx, groups).find(sent.doc)
    score = {k: 0.0 for k in KINDS}
    for label, s, _e in found:
        if sent.start <= s < sent.end and not _in_code(unit, sent.doc[s]):
            score[label] += 1
    default = cat.outcome if cat is not None and cat.outcome in KINDS else "can_do"
    score[default] += 0.5
    return max(KINDS, key=lambda k: (score[k], k == default))


def _in_code(unit, tok) -> bool:
    return unit is not None and any(s <= tok.idx < e for s, e in unit.masked)


def _claim_spans(ctx, doc):
    spec = ctx.pack.rules.get("PS101")
    groups = {}
    for c in spec.categories:
        groups[f"strong:{c.name}"] = c.strong
        groups[f"weak:{c.name}"] = c.patterns
    return [(s, e) for _lab, s, e in pattern_set(ctx, groups).find(doc)]


class Thing(NamedTuple):
    text: str       # the noun phrase: "the glue layer"
    topic: str      # what the sentence does with it: "dropping the glue layer", else text
    plural: bool    # for agreement: "TXT records let", "the property lets"
    title: bool = False  # from the doc's title (what it proposes), not from the sentence


def find_thing(ctx, unit_index: int, sent, claim=None) -> Thing | None:
    """A noun phrase naming the component, feature or flow the sentence argues
    about, or None when none is reliable: from the sentence itself, else from the
    first sentence of its paragraph or list item (which names the option a
    "Drawbacks" or "Alternatives" item weighs)."""
    best, score = _best_thing(ctx, unit_index, sent, claim)
    if best is not None:
        return best
    first = next(iter(ctx.docs[unit_index].sents), None)
    if first is not None and first.start != sent.start:
        best, score = _best_thing(ctx, unit_index, first, None)
        if best is not None and score >= 3:
            return best
    unit = ctx.units[unit_index]
    lex = ctx.pack.lexicons
    alt = lex.get("alternative_sections", ())
    option = _option_heading(ctx, unit)
    if option is not None:
        return option  # "### Alternative syntax using `&&`", "#### Alt 1: Google Docs only"
    if not section_matches(unit.section, alt) or section_matches(
            unit.section, lex.get("rationale_sections", ())):
        return title_thing(ctx)  # what the doc proposes (not in a section about other options)
    return None


_OPTION_PREFIX = re.compile(r"^(?:alt(?:ernative)?|option|approach|proposal)\s*#?\d*\s*[:.)\-–—]\s*",
                            re.I)


def _option_heading(ctx, unit) -> Thing | None:
    """The option a unit weighs, named by its heading: one under an "Alternatives"
    section ("### `useSubscription`"), or one led by "Alternative 2:" / "Alt 1:"."""
    path = tuple(unit.section or ())
    if not path:
        return None
    alt = ctx.pack.lexicons.get("alternative_sections", ())
    named = _OPTION_PREFIX.match(path[-1].strip()) is not None
    under = not section_matches(path, alt) and any(
        section_matches(path[:n], alt) for n in range(1, len(path)))
    if not (named or under):
        return None
    name = _OPTION_PREFIX.sub("", path[-1].strip()).strip()
    if not name or "?" in name or len(name.split()) > 8:
        return None
    lex = ctx.pack.lexicons
    not_names = {w.lower() for k in ("drawback_sections", "vague_things", "audience_sections")
                 for w in lex.get(k, ())} | {"pro", "pros", "cons", "summary", "example", "examples"}
    if any(w in not_names for w in re.findall(r"[a-z]+", name.lower())):
        return None  # "Cons", "Pros and cons", "Example": a part of the section, not an option
    found = _title_phrase(ctx, name)
    return found._replace(title=True) if found is not None else None


def title_thing(ctx) -> Thing | None:
    """What the doc proposes, from its feature name or title, said as a phrase:
    "the element modifier manager", "adding `$schema` to notebook format"; None
    when the doc has no usable title."""
    memo = ctx.memo if getattr(ctx, "memo", None) is not None else {}
    if "title_thing" in memo:
        return memo["title_thing"]
    found = None
    name = re.sub(r"\s*\([^)]*\)\s*", " ", feature_name(ctx)).strip()
    if re.fullmatch(r"`[a-z0-9]+(?:[-_][a-z0-9]+)*`", name):
        words = re.split(r"[-_]", name.strip("`"))
        wc = chunks.word_classes()
        if all(w in wc["noun"] | wc["adj"] | wc["verb"] and len(w) > 2 for w in words):
            name = " ".join(words)  # `curve-trait`: the curve trait (`cfg_attr_multi` stays code)
    if name and "?" not in name and not name.endswith((":", ",")):
        found = _title_phrase(ctx, name)
        if found is not None:
            found = found._replace(title=True)
    memo["title_thing"] = found
    return found


def _title_phrase(ctx, name) -> Thing | None:
    if name.startswith("`"):
        return Thing(name, name, False)
    lex = ctx.pack.lexicons
    sections = {p.lower() for k in ("style_kep", "style_rfc", "style_adr", "style_design",
                                    "audience_sections") for p in lex.get(k, ())}
    if any(c in name for c in ",;:") or name.lower() in sections or len(name) > 70:
        return None  # "Rationale and alternatives": a section's name, not the proposal's
    doc = ctx.nlp.make_doc(name)  # the tokenizer only: the pipeline runs once per doc
    toks = [t for t in doc if not t.is_space]
    while toks and (toks[-1].lower_ in chunks.FUNCTION or toks[-1].is_punct):
        toks.pop()  # "Google Docs only"
    if not toks or not toks[0].is_alpha or toks[0].lower_ in chunks.FUNCTION:
        return None  # "and implementation of ...": what is left after a prefix
    if re.fullmatch(r"[a-z]+[A-Z_.][\w.]*|\w+_\w+|[\w.-]+(?:/[\w.-]+)+", name):
        return Thing(f"`{name}`", f"`{name}`", False)  # an identifier or a path
    names = _mid_caps(ctx)
    caps = [t.is_alpha and t.text[:1].isupper() and not t.text.isupper() for t in toks]
    lower = [c and t.text[1:] == t.text[1:].lower() and t.text not in names
             and bool(chunks._classes(t)) for c, t in zip(caps, toks)]
    changed = True
    while changed:  # a word next to a name keeps its capital: "Google Docs", "Kernel Gateway"
        changed = False
        for n in range(len(toks)):
            if lower[n] and any(0 <= m < len(toks) and caps[m] and not lower[m]
                                for m in (n - 1, n + 1)):
                lower[n], changed = False, True
    words = []
    for t, low in zip(toks, lower):
        w = t.text.lower() if low else t.text  # Title Case: "Element Modifier Manager"
        words.append(w + (t.whitespace_ if t is not toks[-1] else ""))
    text = "".join(words).strip()
    first = toks[0]
    cls = chunks._classes(first)
    second = toks[1] if len(toks) > 1 else None
    if first.lower_.endswith("ing") and "verb" in cls:
        return Thing("", text[:1].lower() + text[1:], False)  # "Minimizing ... size"
    if first.lower_ in chunks.word_classes()["verb"] and (
            "noun" not in cls or first.lower_ in lex.get("title_verbs", ())):
        if second is None or not (second.lower_ in chunks.DETERMINERS or not second.is_alpha
                                  or second.text[:1].isupper() or _plural_word(second.text)
                                  or not chunks._classes(second)):
            return None  # "Derive Component": no phrase a writer would repeat
        rest = text[len(first.text):]
        return Thing("", gerund(first.lower_) + rest, False)  # "Add $schema to ..."
    plural = _plural_word(toks[-1].text) and not any(
        t.lower_ in ("of", "for", "in", "on", "to", "with") for t in toks[1:])
    if first.text[:1].isupper() and (not cls or first.text.isupper()) and (
            first.text in names or not first.text.islower()):
        return Thing(text, text, plural)  # "TensorFlow on DirectML", "ABI stable strings"
    if first.lower_ in chunks.DETERMINERS:
        text = "the" + text[len(first.text):]
        return Thing(text, text, plural)
    text = "the " + text[:1].lower() + text[1:]
    return Thing(text, text, plural)


def _plural_word(word: str) -> bool:
    w = word.lower()
    if not w.isalpha() or not w.endswith("s") or w.endswith(("ss", "us", "is")):
        return False
    wc = chunks.word_classes()
    nouns = wc["noun"] | wc["adj"]  # "atomics"
    return w[:-1] in nouns or (w.endswith("es") and w[:-2] in nouns) or (
        w.endswith("ies") and w[:-3] + "y" in nouns)


def _mid_caps(ctx):
    return audience.mid_sentence_caps(ctx)  # the same set, from the token arrays (memo)


def thing_of(ctx, unit_index: int, sent, claim=None) -> str:
    found = find_thing(ctx, unit_index, sent, claim)
    return found.text if found is not None else ""


def gerund(verb: str) -> str:
    """"drop" -> "dropping", "move" -> "moving", "split" -> "splitting"."""
    v = verb.lower()
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith(("ee", "ye", "oe")):
        return v[:-1] + "ing"
    vowels = "aeiou"
    if (len(v) <= 5 and len(v) >= 3 and v[-1] not in vowels + "wxy" and v[-2] in vowels
            and v[-3] not in vowels and sum(c in vowels for c in v) == 1):
        return v + v[-1] + "ing"
    return v + "ing"


_QUANT = frozenset("a an each every any some no another either neither both their his her my "
                   "your".split())
_SUBORDINATE = frozenset("when if since because while although though as once unless after "
                         "before whereas given by with without to in for".split())


def _best_thing(ctx, unit_index: int, sent, claim=None) -> tuple[str, float]:
    unit = ctx.units[unit_index]
    doc = sent.doc
    lex = ctx.pack.lexicons
    vague = {w.lower() for w in lex.get("vague_things", ())}
    people = {w.lower() for w in (*lex.get("audience_heads", ()), *lex.get("people", ()),
                                  *lex.get("team", ()))}
    verbs = {w.lower() for w in lex.get("thing_verbs", ())}
    merit = _claim_spans(ctx, doc)
    if claim is not None:
        merit.append(tuple(claim))
    framing = {w.lower() for w in lex.get("framing_verbs", ())}
    best, best_score = None, 0.0
    toks = [t for t in sent if not t.is_space]
    if not toks:
        return None, 0.0
    found = chunks.chunks(sent, unit)
    # the main clause's subject: the first phrase, after a leading "When ..., " clause
    # a sentence led by a verb: "Reduce the attack surface ...", "Calling the shell ..."
    t0 = next((t for t in toks if t.is_alpha), None)
    lead_verb = None
    if t0 is not None and not t0.text.isupper():
        cls = chunks._classes(t0)
        nxt = next((t for t in toks if t.i > t0.i), None)
        if "verb" in cls and (t0.lower_.endswith("ing") or t0.lower_ == t0.norm_) and nxt is not None \
                and ("noun" not in cls or nxt.lower_ in chunks.DETERMINERS or (
                    t0.lower_.endswith("ing") and (nxt.text[:1].isupper() or _in_code(unit, nxt)))):
            lead_verb = t0
    lead = t0.i if t0 is not None else toks[0].i
    if t0 is not None and t0.lower_ in _SUBORDINATE:
        comma = next((t for t in toks if t0.i < t.i < t0.i + 12 and t.text == ","), None)
        lead = comma.i + 1 if comma is not None else -1
    subject = next((c for c in found if c.start >= lead), None) if lead >= 0 else None
    if subject is not None and subject.start - lead > 1:
        subject = None
    for n, ch in enumerate(found):
        if ch is subject and ch.end - ch.start >= 3 and ch.end < sent.end:
            last, before = doc[ch.end - 1], doc[ch.end - 2]
            if (last.lower_.endswith("s") and last.norm_ != last.lower_ and last.is_alpha
                    and "verb" in chunks._classes(last) and not chunks._plural(before)
                    and doc[ch.end].lower_ in ("by", "with", "on", "in", "as", "like", "for",
                                               "well", "fine", "without")):
                ch = ch._replace(end=ch.end - 1, head=ch.end - 2, text=chunks._chunk(
                    doc, ch.start, ch.end - 1, ch.end - 2, unit).text)  # "the protocol *works* by"
                subject = ch
        words = [t for t in doc[ch.start:ch.end] if not t.is_space]
        first = words[0].lower_
        content = [t for t in words if t.lower_ not in chunks.DETERMINERS]
        if not content or any(s < ch.end and ch.start < e for s, e in merit):
            continue
        head = doc[ch.head]
        prev = [t for t in toks if t.i < ch.start][-2:]
        verb = None
        if prev and prev[-1].norm_ in verbs:
            verb = [prev[-1]]
        elif len(prev) == 2 and prev[0].norm_ in verbs and prev[1].lower_ in ("out", "up", "away"):
            verb = prev
        elif len(prev) == 2 and prev[0].norm_ in verbs and prev[1].lower_ in ("to", "into", "the"):
            verb = [prev[0]]
        elif lead_verb is not None and prev and prev[-1].i == lead_verb.i:
            verb = [lead_verb]
        after_verb = verb is not None
        if first in _QUANT and not (first in ("a", "an") and (after_verb or ch is subject)) \
                or first in ("its", "our"):  # "our strategy": the team's own work
            continue
        if head.norm_ in people or head.lower_ in people or head.lower_ in chunks.PRONOUN_HEADS:
            continue
        if len(content) == 1 and (head.norm_ in vague or head.lower_ in vague) and not ch.code:
            continue
        if " ".join(t.lower_ for t in content) in vague | people:
            continue
        if (head.norm_ in vague or head.lower_ in vague) and not ch.code and not any(
                _noun_only(t) for t in content[:-1]):
            continue  # "the main cost": a vague word with only adjectives in front
        if first not in chunks.DETERMINERS and not all(
                t.text[:1].isupper() or _in_code(unit, t) for t in content):
            continue  # "new helpers", "check `metric`": no determiner, not only names or code
        if ch.code and len(ch.text) > 48:
            continue  # a long code span is not a name a writer repeats
        if (len(content) == 1 and not ch.code and t0 is not None and words[0].i <= t0.i
                and words[0].lower_ not in chunks.DETERMINERS and not _named_elsewhere(ctx, words[0])):
            continue  # "Note that ...", "Transparent retry ...": a sentence's first word alone
        if len(content) > 5 or all(t.like_num for t in content):
            continue
        if any("'" in t.text or "\u2019" in t.text for t in content) or not _can_end(words[-1]):
            continue
        score = 0.0
        if after_verb:
            score += 3  # "splitting the controller", "moving `pkg/kubectl` to ..."
        if claim is not None:
            between = [t for t in toks if claim[1] <= t.i < ch.start]
            if 1 <= len(between) <= 2 and between[0].lower_ in ("in", "of", "for", "on", "across",
                                                               "between", "within"):
                score += 2  # "technical debt in the notification code"
            elif (ch.end <= claim[0] and claim[0] - ch.end <= 3 and _is_subject(doc, ch)
                  and ch.start <= toks[0].i + 1):
                score += 2  # "The scheduler is tightly coupled"
        if subject is not None:
            if ch is subject and _is_subject(doc, ch):
                score += 2  # "The `BinaryFormatter` protocol works by ..."
            elif (n > 0 and found[n - 1].start == subject.start and doc[subject.head].norm_ in vague
                  and ch.start == subject.end + 1 and doc[subject.end].lower_ == "of"):
                score += 2.5  # "The addition of the `$schema` property removes ..."
        if ch.code:
            score += 0.5
        if first in ("the", "our", "its", "this", "these", "those"):
            score += 0.5
        if any(t.text[:1].isupper() and t.i != sent.start for t in content) or any(
                "_" in t.text or (t.text[1:] != t.text[1:].lower() and t.is_alpha) for t in content):
            score += 0.5
        if score > best_score:
            text = _text(ch, words, sent)
            topic = text
            if verb is not None and verb[0].norm_ not in framing and verb[0].is_alpha:
                ing = verb[0].lower_ if verb[0].lower_.endswith("ing") else gerund(verb[0].norm_)
                topic = " ".join([ing] + [t.lower_ for t in verb[1:]] + [text])
            plural = topic == text and (chunks._plural(head) and not ch.code or (
                len(content) > 1 and any(t.lower_ == "and" for t in words)))
            best, best_score = Thing(text, topic, bool(plural)), score
    return (best, best_score) if best_score >= 2.5 else (None, best_score)


def _noun_only(tok) -> bool:
    cls = chunks._classes(tok)
    return tok.text[:1].isupper() or ("noun" in cls and "adj" not in cls)


def _can_end(tok) -> bool:
    """A phrase ends on a noun or a name, not on a verb form ("says", "needing")."""
    if not tok.is_alpha or tok.text[:1].isupper():
        return True
    if tok.lower_ != tok.norm_ and tok.lower_.endswith("ed"):
        return False
    if tok.lower_ != tok.norm_ and tok.lower_.endswith("ing"):
        return tok.lower_ in chunks.word_classes()["noun"]  # "building", not "staying"
    cls = chunks._classes(tok)
    return "noun" in cls or not cls


def _named_elsewhere(ctx, tok) -> bool:
    """Is this capitalised word written so inside a sentence somewhere in the doc (a name)?"""
    return tok.text in audience.mid_sentence_caps(ctx)


def _is_subject(doc, ch) -> bool:
    """The phrase is followed by a word (a verb), not by a "Label:" colon."""
    nxt = next((t for t in doc[ch.end:ch.end + 2] if not t.is_space), None)
    return nxt is not None and not nxt.is_punct


def _text(ch, words, sent) -> str:
    text = ch.text
    first = words[0]
    start = next((t.i for t in sent if t.is_alpha), sent.start)
    if first.lower_ in chunks.DETERMINERS or (
            first.i == start and first.text[:1].isupper() and not first.text.isupper()
            and first.lower_ in chunks.word_classes()["noun"]
            and not any(t.text[:1].isupper() for t in words[1:])):  # "Validating Admission Policy"
        text = text[:1].lower() + text[1:]
    if first.lower_ in ("this", "these", "those", "a", "an"):
        text = "the" + text[len(first.text):]
    return text


# ------------------------------------------------------------------ help text


def help_text(spec) -> str:
    """The rule's suggestion as people read it: slots filled with the rule's
    example fillers (``options.example_fillers``), or the first category's
    worked example."""
    fillers = dict((spec.options or {}).get("example_fillers") or {})
    text = render(spec.info.suggestion, **fillers) if spec.info.suggestion else ""
    if text is None:
        text = _SLOT.sub(lambda m: fillers.get(m.group(1)) or f"<{m.group(1)}>",
                         spec.info.suggestion)
    return text


def worked_examples(spec):
    """(category, kind, sentence, rendered template) for each category's worked
    example: what --explain prints and the tests check against the linter."""
    gains = (spec.options or {}).get("gains") or {}
    for c in spec.categories:
        ex = c.example
        if not ex or not c.outcomes:
            continue
        kind = ex.get("kind") or c.outcome
        template = c.outcomes.get(kind)
        if not template:
            continue
        text = render(template, users=ex.get("users", ""), thing=ex.get("thing", ""),
                      gain=gains.get(c.name, ""))
        yield c, kind, ex.get("sentence", ""), text


# ------------------------------------------------------------------ doc-level questions


def doc_style(ctx) -> str:
    """Which template the doc follows: kep, rfc, adr, design, or doc (none of them),
    from its headings (lexicons ``style_<name>``)."""
    memo = ctx.memo if getattr(ctx, "memo", None) is not None else {}
    if "style" in memo:
        return memo["style"]
    heads = [" ".join(h.text.lower().split()) for h in ctx.parsed.headings]
    best, best_n = "doc", 0
    for style in ("kep", "rfc", "adr", "design"):
        phrases = [p.lower() for p in ctx.pack.lexicons.get(f"style_{style}", ())]
        n = sum(any(re.search(rf"\b{re.escape(p)}\b", h) for h in heads) for p in phrases)
        if style == "kep" and re.search(r"\bkep-?\d+", " ".join(heads)):
            n += 2
        if n > best_n or (n == best_n and n and style == "adr" and len(heads) <= 6):
            best, best_n = style, n
    style = best if best_n >= 2 else "doc"
    memo["style"] = style
    return style


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
    title = re.sub(r"^\d+[\s:.\-–—]+", "", title).strip(" :-–—")
    words = title.split()
    if not words or len(words) > 8 or title.lower() in _SECTION_NAMES:
        return ""
    return title


_SECTION_NAMES = {"summary", "motivation", "abstract", "overview", "introduction", "background",
                  "context", "status", "proposal", "design", "goals"}


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


def _per_kind(templates, fillers, title) -> list[str]:
    """--explain lines for templates keyed by kind of outcome, with example fillers."""
    lines = []
    for kind in KINDS:
        text = render((templates or {}).get(kind, ""), **fillers)
        if text:
            lines.append(f"  {kind.replace('_', ' ')}: {text}")
    return ["", title, *lines] if templates else []


def explain_lines(spec) -> list[str]:
    """What --explain adds under a rule's suggestion: each PS101 category's worked
    example rendered, or each doc template's skeleton with the example fillers."""
    out: list[str] = []
    examples = list(worked_examples(spec))
    if examples:
        out += ["", "Suggestion by category (worked examples; the doc's users and a phrase of "
                "the sentence fill it in)"]
        for cat, kind, sentence, text in examples:
            out += [f"  {cat.name} ({kind.replace('_', ' ')}): {sentence}", f"    -> {text}"]
        fillers = dict((spec.options or {}).get("example_fillers") or {})
        out += _per_kind((spec.options or {}).get("questions"), fillers,
                         "When the sentence names no component or feature: a question per kind "
                         "of outcome")
        out += _per_kind((spec.options or {}).get("topics"), fillers,
                         "When no category's words are in it (a model's finding): the phrase of the "
                         "sentence, or what the doc proposes, per kind of outcome")
    skeletons = (spec.options or {}).get("skeletons") or {}
    if skeletons:
        fillers = dict((spec.options or {}).get("example_fillers") or {})
        sections = (spec.options or {}).get("sections") or {}
        out += ["", "Suggestion by doc template (with the doc's users and feature name)"]
        names = {"kep": "KEP", "rfc": "RFC", "adr": "ADR", "design": "design doc",
                 "doc": "other docs"}
        for style, template in skeletons.items():
            text = render(template, **{**fillers, "section": sections.get(style)
                                       or fillers.get("section", "")})
            if text:
                out.append(f"  {names.get(style, style)}: {text}")
    return out

