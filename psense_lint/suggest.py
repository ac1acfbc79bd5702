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

from psense_lint import audience, chunks
from psense_lint.checks.common import pattern_set

_SLOT = re.compile(r"\{(\w+)\}")
KINDS = ("can_do", "waits", "errors", "steps", "adoption")


def render(template: str, **values: str) -> str | None:
    """Fill every {slot}; None when one has no value (the caller then says it
    another way). ``{x_cap}`` is ``{x}`` with a capital first letter."""
    missing = False

    def sub(m):
        nonlocal missing
        name = m.group(1)
        cap = name.endswith("_cap")
        value = values.get(name[:-4] if cap else name)
        if not value:
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
    kind = outcome_kind(ctx, sent, cat, ctx.units[unit_index])
    gains = opts.get("gains") or {}
    gain = gains.get(f"{category}.{kind}") or gains.get(category) or "this change"
    thing = thing_of(ctx, unit_index, sent, claim)
    if cat is not None and thing:
        template = cat.outcomes.get(kind) or cat.outcomes.get(cat.outcome)
        if template:
            text = render(template, users=users, thing=thing, gain=gain)
            if text:
                return text
    questions = opts.get("questions") or {}
    question = (cat.outcomes.get("question") if cat is not None else None) or questions.get(
        kind) or questions.get("can_do") or ""
    text = render(question, users=users, gain=gain, thing=thing or "") or spec.info.suggestion
    cited = _cited_claim(sent, claim)
    if cited:  # name the claim in the doc's own words
        text = f"On \u201c{cited}\u201d: {text[:1].lower()}{text[1:]}"
    return text


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


def thing_of(ctx, unit_index: int, sent, claim=None) -> str:
    """A noun phrase of the sentence naming the component, feature or flow it
    argues about, or "" when none is reliable."""
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
    best, best_score = "", 0.0
    toks = [t for t in sent if not t.is_space]
    for ch in chunks.chunks(sent, unit):
        words = [t for t in doc[ch.start:ch.end] if not t.is_space]
        first = words[0].lower_
        if first in ("a", "an", "each", "every", "any", "some", "no", "another", "either",
                     "neither", "both", "their", "his", "her", "my", "your"):
            continue
        content = [t for t in words if t.lower_ not in chunks.DETERMINERS]
        if not content or any(s < ch.end and ch.start < e for s, e in merit):
            continue
        head = doc[ch.head]
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
        if (len(content) == 1 and not ch.code and words[0].i == sent.start
                and words[0].lower_ not in chunks.DETERMINERS and not _named_elsewhere(ctx, words[0])):
            continue  # "Note that ...", "Transparent retry ...": a sentence's first word alone
        if len(content) > 5 or all(t.like_num for t in content):
            continue
        if any("'" in t.text or "\u2019" in t.text for t in content) or not _can_end(words[-1]):
            continue
        score = 0.0
        prev = [t for t in toks if t.i < ch.start][-2:]
        if prev and (prev[-1].norm_ in verbs or (len(prev) == 2 and prev[0].norm_ in verbs
                                                 and prev[1].lower_ in ("to", "into", "out",
                                                                        "the", "up"))):
            score += 3  # "splitting the controller", "moving `pkg/kubectl` to ..."
        if claim is not None:
            between = [t for t in toks if claim[1] <= t.i < ch.start]
            if 1 <= len(between) <= 2 and between[0].lower_ in ("in", "of", "for", "on", "across",
                                                               "between", "within"):
                score += 2  # "technical debt in the notification code"
            elif (ch.end <= claim[0] and claim[0] - ch.end <= 3 and _is_subject(doc, ch)
                  and ch.start <= toks[0].i + 1):
                score += 2  # "The scheduler is tightly coupled"
        if ch.code:
            score += 0.5
        if first in ("the", "our", "its", "this", "these", "those"):
            score += 0.5
        if any(t.text[:1].isupper() and t.i != sent.start for t in content) or any(
                "_" in t.text or (t.text[1:] != t.text[1:].lower() and t.is_alpha) for t in content):
            score += 0.5
        if score > best_score:
            best, best_score = _text(ch, words, sent), score
    return best if best_score >= 2.5 else ""


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
    memo = ctx.memo if getattr(ctx, "memo", None) is not None else {}
    names = memo.get("mid_caps")
    if names is None:
        names = {t.text for doc in ctx.docs for sent in doc.sents
                 for t in [t for t in sent if not t.is_space][1:] if t.text[:1].isupper()}
        memo["mid_caps"] = names
    return tok.text in names


def _is_subject(doc, ch) -> bool:
    """The phrase is followed by a word (a verb), not by a "Label:" colon."""
    nxt = next((t for t in doc[ch.end:ch.end + 2] if not t.is_space), None)
    return nxt is not None and not nxt.is_punct


def _text(ch, words, sent) -> str:
    text = ch.text
    first = words[0]
    start = next((t.i for t in sent if not t.is_space), sent.start)
    if first.lower_ in chunks.DETERMINERS or (
            first.i == start and first.text[:1].isupper() and not first.text.isupper()
            and first.lower_ in chunks.word_classes()["noun"]):
        text = text[:1].lower() + text[1:]
    if first.lower_ in ("this", "these", "those"):
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


_FEATURE_LINE = re.compile(r"^\s*[-*]?\s*feature[ _-]name:\s*`?([^`\n]+?)`?\s*$", re.I | re.M)


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
            m = re.match(rf"{re.escape(p)}\b[\s#-]*\d*\s*[:.\-–—]?\s*", low)
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
        questions = (spec.options or {}).get("questions") or {}
        if questions:
            out += ["", "When the sentence names no component or feature: a question per kind "
                    "of outcome"]
            fillers = dict((spec.options or {}).get("example_fillers") or {})
            for kind in KINDS:
                q = render(questions.get(kind, ""), **fillers)
                if q:
                    out.append(f"  {kind.replace('_', ' ')}: {q}")
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
