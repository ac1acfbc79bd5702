"""PS1xx: arguments made only from engineering merit.

A sentence fires when it makes an engineering-merit claim (a category pattern
from the rule pack) *as an argument* -- the claim is evaluative on its own
("strong" patterns), or the sentence carries an argument cue, or it sits in a
section where reasons are given (Motivation, Drawbacks, ...) -- and neither the
sentence nor the paragraph or list item it stands in names an outcome for the
people the product serves (a "people" or "user effect" pattern that is not the
team building it).
"""
from __future__ import annotations

from psense_lint import suggest
from psense_lint.checks.common import (each_rule, fill, trim, lexicon_groups, overlaps_masked, pattern_set,
                                       quote, section_matches)


def _check_rule(ctx, spec):
    opts = spec.options
    cats = {c.name: c for c in spec.categories}
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

    # which groups tie their argument to people: computed once per group
    group_linked: dict[int, bool] = {}
    unit_hits = []
    for i, (unit, doc) in enumerate(zip(ctx.units, ctx.docs)):
        found = links.find(doc)
        team_tokens = {t for lab, s, e in found if lab in team_names for t in range(s, e)}
        linked = any(lab in link_names and not any(t in team_tokens for t in range(s, e))
                     for lab, s, e in found)
        group_linked[unit.group] = group_linked.get(unit.group, False) or linked
        cue_tokens = {t for lab, s, e in found if lab in cue_names for t in range(s, e)}
        unit_hits.append(cue_tokens)

    for i, (unit, doc) in enumerate(zip(ctx.units, ctx.docs)):
        if group_linked.get(unit.group) or section_matches(unit.section, skip_sections):
            continue
        in_arg_section = section_matches(unit.section, arg_sections)
        cue_tokens = unit_hits[i]
        matches = [m for m in claims.find(doc)
                   if not overlaps_masked(unit, doc[m[1]].idx, doc[m[2] - 1].idx + len(doc[m[2] - 1]))]
        if not matches:
            continue
        for sent in doc.sents:
            inside = [m for m in matches if sent.start <= m[1] < sent.end]
            if not inside:
                continue
            chosen = next((m for m in inside if m[0].startswith("strong:")), None)
            if chosen is None and in_arg_section:  # a goal stated as an imperative: "Decouple X"
                lead = next((t.i for t in sent if t.is_alpha), None)
                chosen = next((m for m in inside if m[1] == lead), None)
            if chosen is None:  # a weak claim needs a cue outside its own words
                chosen = next((m for m in inside if any(
                    not m[1] <= t < m[2] for t in cue_tokens)), None)
            if chosen is None:
                continue
            label, s, e = chosen
            cat = cats[label.split(":", 1)[1]]
            claim = doc[s:e].text
            values = {"claim": claim, "category": cat.label, "sentence": quote(sent.text)}
            message = fill(cat.message or spec.message, **values)
            suggestion = suggest.ps101(ctx, i, sent, cat.name, (s, e))
            start, end = trim(unit.text, sent.start_char, sent.end_char)
            yield _hit(spec.info.id, i, start, end, cat.name, message, suggestion)


def _hit(*args):
    from psense_lint.engine import Hit

    return Hit(*args)


check = each_rule(_check_rule)
