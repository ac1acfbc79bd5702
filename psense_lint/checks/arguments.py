"""PS1xx: arguments made only from engineering merit.

The rule pack finds, per prose unit, engineering-merit claims (category
patterns: "strong" ones are evaluative on their own, the others need an
argument cue or a section where reasons are given), argument cues, and words
that tie the unit to the people the product serves (not the team building it).

Who decides: by default the learned judgement (``psense_lint.judge``) scores
each unit from its words, its heading and those rule signals, and the unit
fires at or above the threshold, or when it holds a "strong" claim (evaluative
on its own: a user's pack can add them). The rules keep a veto: a unit whose paragraph
or list item names the people served, or that sits in a section that is never
argued (history, test plan, non-goals ...), does not fire. With ``decide: rules``
in the rule's options, the rules alone decide, as before: a claim made as an
argument and no link to people.

Either way the finding points at a claim phrase and quotes its sentence: the
claim the rules chose, else any claim match; with no claim match, it points at
the start of the sentence the model scores highest.
"""
from __future__ import annotations

from typing import NamedTuple

from psense_lint import judge as judgement, suggest
from psense_lint.checks.common import (each_rule, fill, trim, lexicon_groups, overlaps_masked, pattern_set,
                                       quote, section_matches)
from psense_lint.model import ConfigError, Hit


class UnitScan(NamedTuple):
    signals: judgement.Signals
    claims: list               # (label, start token, end token) outside masked spans
    # per sentence with a claim: ((its first token, past its last), the claim the rules
    # accept or None, the first claim): bounds, not a Span, so that no Doc outlives
    # its pass (``psense_lint.window``); ``sentences`` makes the Spans again
    chosen: list


def sentences(doc, seen: UnitScan) -> list:
    """``seen.chosen`` with each sentence's Span of ``doc`` (the unit's Doc)."""
    return [(doc[a:b], pick, first) for (a, b), pick, first in seen.chosen]


def scan(ctx, spec) -> list[UnitScan]:
    """What the rule pack sees in each unit of the doc."""
    opts = spec.options
    claim_groups = {}
    for c in spec.categories:
        claim_groups[f"strong:{c.name}"] = c.strong
        claim_groups[f"weak:{c.name}"] = c.patterns
    claims = pattern_set(ctx, claim_groups)
    link_names = [*opts.get("people", ()), *opts.get("user_effects", ())]
    team_names = list(opts.get("team", ()))
    cue_names = list(opts.get("cues", ()))
    links = pattern_set(ctx, lexicon_groups(ctx, link_names + team_names + cue_names))
    arg_sections = opts.get("argument_sections", ())
    skip_sections = opts.get("skip_sections", ())

    group_linked: dict[int, bool] = {}
    per_unit = []
    for unit, doc in zip(ctx.units, ctx.docs):
        found = links.find(doc)
        team_tokens = {t for lab, s, e in found if lab in team_names for t in range(s, e)}
        linked = any(lab in link_names and not any(t in team_tokens for t in range(s, e))
                     for lab, s, e in found)
        group_linked[unit.group] = group_linked.get(unit.group, False) or linked
        cue_tokens = {t for lab, s, e in found if lab in cue_names for t in range(s, e)}
        per_unit.append((linked, bool(team_tokens), cue_tokens))

    out = []
    for (unit, doc), (linked, team, cue_tokens) in zip(zip(ctx.units, ctx.docs), per_unit):
        in_arg_section = section_matches(unit.section, arg_sections)
        matches = [m for m in claims.find(doc)
                   if not overlaps_masked(unit, doc[m[1]].idx, doc[m[2] - 1].idx + len(doc[m[2] - 1]))]
        chosen = []
        for sent in (doc.sents if matches else ()):
            inside = [m for m in matches if sent.start <= m[1] < sent.end]
            if not inside:
                continue
            pick = next((m for m in inside if m[0].startswith("strong:")), None)
            if pick is None and in_arg_section:  # a goal stated as an imperative: "Decouple X"
                lead = next((t.i for t in sent if t.is_alpha), None)
                pick = next((m for m in inside if m[1] == lead), None)
            if pick is None:  # a weak claim needs a cue outside its own words
                pick = next((m for m in inside if any(not m[1] <= t < m[2] for t in cue_tokens)), None)
            chosen.append(((sent.start, sent.end), pick, inside[0]))
        signals = judgement.Signals(
            claims=tuple((m[0].split(":", 1)[1], m[0].startswith("strong:")) for m in matches),
            cue=any(not any(m[1] <= t < m[2] for m in matches) for t in cue_tokens),
            linked=linked,
            group_linked=group_linked[unit.group],
            team=team,
            arg_section=in_arg_section,
            skip_section=section_matches(unit.section, skip_sections),
        )
        out.append(UnitScan(signals, matches, chosen))
    return out


def heading(unit) -> str:
    return unit.section[-1] if unit.section else ""


def _check_rule(ctx, spec):
    cats = {c.name: c for c in spec.categories}
    model = judgement.load() if spec.options.get("decide", "model") != "rules" else None
    threshold = _threshold(spec, model)
    for i, (unit, doc, seen) in enumerate(zip(ctx.units, ctx.docs, scan(ctx, spec))):
        sig = seen.signals
        if sig.skip_section or sig.group_linked:  # the rules' veto, for the model too (docs/model.md)
            continue
        chosen = sentences(doc, seen)
        if model is None:
            picked = next(((sent, m) for sent, m, _ in chosen if m is not None), None)
        else:
            strong = any(m is not None and m[0].startswith("strong:") for _, m, _ in chosen)
            if not strong and model.score_unit(doc, heading(unit), sig) < threshold:
                continue
            picked = (next(((sent, m) for sent, m, _ in chosen if m is not None), None)
                      or next(((sent, first) for sent, _, first in chosen), None)
                      or (_best_sentence(model, doc, heading(unit), sig), None))
        if picked is None:
            continue
        sent, claim = picked
        if claim is None:  # the model's sentence, with no lexicon claim in it
            name, span, quoted = "general", None, quote(sent.text, 60)
        else:
            label, s, e = claim
            name, span, quoted = label.split(":", 1)[1], (s, e), doc[s:e].text
        cat = cats.get(name)
        values = {"claim": quoted, "category": cat.label if cat else "engineering merit",
                  "sentence": quote(sent.text)}
        message = fill((cat.message if cat else None) or spec.message, **values)
        suggestion = suggest.ps101(ctx, i, sent, name, span)
        if span is None:
            start, end = trim(unit.text, sent.start_char, sent.end_char)
        else:  # point at the claim phrase itself, as Vale and ruff point at the match
            start, end = doc[span[0]].idx, doc[span[1] - 1].idx + len(doc[span[1] - 1])
        yield Hit(spec.info.id, i, start, end, name, message, suggestion)


def _threshold(spec, model) -> float:
    """The rule's ``threshold`` option (lower: more findings, less precise), else the model's."""
    value = spec.options.get("threshold")
    if value is None:
        return model.threshold if model else 0.5
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise ConfigError(f"rule {spec.info.id}: option 'threshold' must be a number between 0 and 1, "
                          f"not {value!r}")
    return float(value)


def _best_sentence(model, doc, section, sig):
    """The sentence of a unit the model scores highest on its own."""
    sents = list(doc.sents)
    if len(sents) == 1:
        return sents[0]
    return max(sents, key=lambda s: model.score_unit(s, section, sig))



check = each_rule(_check_rule)
