"""PS2xx (and PS302): does the doc say what user pain it reduces, how anyone will
know it worked, and what it will not do?

One mechanism, ``document-questions``, answers the three questions for the whole
doc, once, from two kinds of evidence:

* sections: a heading whose name is in one of the rule pack's ``*_sections``
  lists, with real content under it (not empty, not only a placeholder such as
  "TBD" or a template comment), and for some lists content of the right kind
  (a pain section must name the people served and their pain; a Goals or gate
  section must hold a measurable item);
* prose anywhere: cue phrases ("out of scope", "we will measure ... by",
  "users currently have to ...").

It reports each unanswered question once, at the heading where the answer was
expected (or the doc's first heading, or line 1), and yields one DocSummary.
Which rule reports which question is the rule's ``options.reports``; the
options of all rules of this mechanism are read together, so the summary is
complete even when only some of the rules are enabled.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from psense_lint import painreader, prefilter, regex_cache, suggest
from psense_lint.checks.common import fill, pattern_set
from psense_lint.model import DocSummary, Hit

CHECK = "document-questions"

# ------------------------------------------------------------------ headings

_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[a-z]\.|[ivxlc]+\.)\s+", re.I)
_PARTS = re.compile(r"\band\b|\bor\b|\bvs\b\.?|[&/:,;()\[\]?!]")
_PUNCT = re.compile(r"[^\w\s-]+")


def _words(text: str) -> tuple[str, ...]:
    words = _PUNCT.sub(" ", text.lower().replace("\u2019", "'")).split()
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


def heading_parts(text: str) -> tuple[tuple[str, ...], ...]:
    """A heading split at "and", "or", "&", "/", ":" ... into word tuples."""
    text = _NUMBERING.sub("", text)
    return tuple(w for w in (_words(p) for p in _PARTS.split(text.lower())) if w)


def name_list(names) -> tuple[tuple[str, ...], ...]:
    return tuple(w for w in (_words(n) for n in names) if w)


def _name_index(names) -> tuple:
    """``names`` as (length, set of the names of that length) pairs, for
    ``_index_matches``: does a part of the heading start with one of the names,
    word for word? (a set lookup per length)"""
    by_len: dict[int, set] = {}
    for n in names:
        by_len.setdefault(len(n), set()).add(n)
    return tuple(by_len.items())


def _index_matches(parts, index) -> bool:
    return any(part[:size] in group for part in parts for size, group in index)


def _role_indexes(names: dict) -> list:
    return [(role, _name_index(ns)) for role, ns in names.items()]


class Outline(NamedTuple):
    headings: tuple            # markdown.Heading, document order
    lines: tuple[int, ...]
    parts: tuple               # heading_parts of each heading
    parent: tuple              # index of the enclosing heading, or None
    title: int | None          # the doc's title heading: a lone H1 first heading

    def nearest(self, line: int) -> int | None:
        """Index of the last heading above ``line``."""
        i = bisect_left(self.lines, line) - 1
        return i if i >= 0 else None

    def ancestors(self, idx: int | None):
        while idx is not None:
            yield idx
            idx = self.parent[idx]


def outline(parsed) -> Outline:
    heads = tuple(parsed.headings)
    parent: list[int | None] = []
    stack: list[int] = []
    for i, h in enumerate(heads):
        while stack and heads[stack[-1]].level >= h.level:
            stack.pop()
        parent.append(stack[-1] if stack else None)
        stack.append(i)
    title = None
    if heads and heads[0].level == 1 and sum(h.level == 1 for h in heads) == 1:
        title = 0
    return Outline(heads, tuple(h.line for h in heads), tuple(heading_parts(h.text) for h in heads),
                   tuple(parent), title)


def heading_roles(out: Outline, names: dict) -> list[frozenset]:
    """The lists (by role name) each heading matches; the title matches none."""
    roles = []
    indexes = _role_indexes(names)
    for i, parts in enumerate(out.parts):
        if i == out.title:
            roles.append(frozenset())
        else:
            roles.append(frozenset(r for r, idx in indexes if _index_matches(parts, idx)))
    return roles


def section_of(out: Outline, roles, line: int) -> int | None:
    """The nearest heading above ``line`` (or an ancestor of it) that has a role."""
    for idx in out.ancestors(out.nearest(line)):
        if roles[idx]:
            return idx
    return None


# ------------------------------------------------------------------ options


class Config(NamedTuple):
    rule_of: dict              # role -> rule id
    specs: dict                # rule id -> RuleSpec
    names: dict                # section role -> name tuples
    regex: dict                # option key -> compiled regexes
    groups: dict               # option key -> phrase patterns
    options: dict              # all options, merged
    lexicons: dict = {}        # the pack's lexicons


_CACHE: dict[int, tuple] = {}
SECTION_ROLES = {"pain": "pain_sections", "success": "success_sections", "goal": "goal_sections",
                 "gate": "gate_sections", "non_goal": "non_goal_sections",
                 "future": "future_sections",
                 "weak": "weak_non_goal_sections", "template": "template_sections",
                 "checked": "checked_sections"}


def config(pack) -> Config:
    """The merged options of every rule of this mechanism, compiled once per pack."""
    hit = _CACHE.get(id(pack))
    if hit is not None and hit[0] is pack:
        return hit[1]
    specs = {rid: s for rid, s in pack.rules.items() if s.check == CHECK}
    options: dict = {}
    rule_of = {}
    for rid, spec in sorted(specs.items()):
        options.update(spec.options)
        if "reports" in spec.options:
            rule_of[str(spec.options["reports"])] = rid

    def lex(key):
        out = []
        for name in options.get(key, ()) or ():
            out.extend(pack.lexicons.get(name, ()))
        return out

    names = {role: name_list(lex(key)) for role, key in SECTION_ROLES.items()}
    regex = {key: [regex_cache.compile(p, re.I) for p in lex(key)]
             for key in options if key.endswith("_re")}
    groups = {key: tuple(lex(key)) for key in options
              if isinstance(options[key], list) and not key.endswith(("_re", "_sections"))}
    cfg = Config(rule_of, specs, names, regex, groups, options, pack.lexicons)
    _CACHE[id(pack)] = (pack, cfg)
    return cfg


def any_re(regexes, text: str) -> bool:
    return prefilter.any_of(regexes)(text)  # gated: the same answers, fewer searches


def is_placeholder(cfg: Config, text: str) -> bool:
    text = " ".join(text.split())
    return not text or any(r.match(text) for r in cfg.regex.get("placeholders_re", ()))


# ------------------------------------------------------------------ sentences


class Sentence(NamedTuple):
    unit: int
    start: int                 # where it starts in its unit's text (``line_of``: its line)
    text: str
    labels: frozenset          # option keys of the phrase groups found in it
    prose: str = ""            # text without inline code and other masked spans


def line_of(ctx, sent: Sentence) -> int:
    from psense_lint.markdown import unit_span

    return unit_span(ctx.parsed, ctx.units[sent.unit], sent.start, sent.start + 1)[0]


def sentences(ctx, cfg: Config):
    """Every sentence of every prose unit with the phrase groups it contains.
    People named by a "team" phrase ("our developers") are not people served."""
    ps = pattern_set(ctx, cfg.groups)
    out = []
    for i, (unit, doc) in enumerate(zip(ctx.units, ctx.docs)):
        found = find(ps, doc)
        if found and unit.masked:
            found = [m for m in found if not _masked(unit, doc, m[1], m[2])]
        sents = list(doc.sents)
        labels: list[set] = [set() for _ in sents]
        if found:
            team = {t for lab, s, e in found if lab == "team" for t in range(s, e)}
            starts = [sent.start for sent in sents]
            for lab, s, e in found:
                if lab == "people" and any(t in team for t in range(s, e)):
                    continue
                labels[bisect_right(starts, s) - 1].add(lab)  # the sentence it starts in
        text = unit.text  # the Doc's text: a sentence's text is a slice of it
        for sent, labs in zip(sents, labels):
            raw = text[sent.start_char:sent.end_char]
            stripped = raw.strip()
            start = sent.start_char + len(raw) - len(raw.lstrip())  # its first character
            if stripped:
                prose = stripped
                if unit.masked:
                    chars = list(raw)
                    for a, b in unit.masked:
                        for k in range(max(a, sent.start_char), min(b, sent.end_char)):
                            chars[k - sent.start_char] = " "
                    prose = "".join(chars).strip()
                out.append(Sentence(i, start, stripped, frozenset(labs), prose))
    return out


def find(ps, doc):
    """``ps.find(doc)``, reading across line breaks: spaCy makes a token of each
    "\n" inside a paragraph, and a phrase broken over two lines would never match.
    The patterns then run on the doc's tokens without those (``find_across_lines``)."""
    return ps.find_across_lines(doc)


def _masked(unit, doc, s, e) -> bool:
    a, b = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
    return any(x < b and a < y for x, y in unit.masked)


class Place(NamedTuple):
    """Where a section starts: its heading, or a label paragraph ("Non-goals:")."""

    line: int
    start: int                 # columns of the name on that line (0: whole line)
    end: int
    name: str
    roles: frozenset


def places(ctx, names: dict, out: Outline, roles):
    """The sections of the doc, and for each unit the index of the one it is in
    (or None). A label is a short paragraph that names a section ("Goals:",
    "Non-goals:" in a Google design doc): the units after it, up to the next label
    or heading, belong to it; the label itself answers nothing."""
    found: list[Place] = []
    of_heading: dict[int, int] = {}
    for i, h in enumerate(out.headings):
        if roles[i]:
            of_heading[i] = len(found)
            found.append(Place(h.line, h.column, h.end_column, h.text, roles[i]))
    unit_place: list[int | None] = []
    labels: set[int] = set()
    label_of: dict[int | None, int] = {}
    indexes = None
    for i, unit in enumerate(ctx.units):
        near = out.nearest(unit.line)
        text = unit.text.strip()
        if (unit.kind == "paragraph" and len(text.split()) <= 5
                and not text.endswith((".", "?", "!"))):
            parts = heading_parts(text)
            if indexes is None:
                indexes = _role_indexes(names)
            r = frozenset(role for role, idx in indexes if _index_matches(parts, idx))
            if r:
                label_of[near] = len(found)
                found.append(Place(unit.line, 0, 0, text.rstrip(":").strip(), r))
                labels.add(i)
        if near in label_of:
            unit_place.append(label_of[near])
        else:
            idx = section_of(out, roles, unit.line)
            unit_place.append(of_heading.get(idx) if idx is not None else None)
    order = sorted(range(len(found)), key=lambda k: found[k].line)
    rank = {k: n for n, k in enumerate(order)}
    return ([found[k] for k in order],
            [rank[p] if p is not None else None for p in unit_place], labels)


# ------------------------------------------------------------------ the check


def applies(ctx, cfg: Config, out: Outline, roles) -> bool:
    if ctx.design_doc is not None:
        return bool(ctx.design_doc)
    kinds = {"pain": "pain", "success": "success", "goal": "success", "gate": "success",
             "non_goal": "non_goal", "future": "non_goal", "weak": "non_goal", "template": "template"}
    matched = [r for r in roles if r & kinds.keys()]
    found = {kinds[k] for r in matched for k in r if k in kinds}
    if (len(matched) >= int(cfg.options.get("template_min_headings", 3))
            and len(found) >= int(cfg.options.get("template_min_kinds", 2))):
        return True
    # a numbered file name ("0042-event-bus.md", "KEP-1234-...") is how RFCs and
    # ADRs are named: with one heading of a design-doc template it is one
    from pathlib import PurePath

    # (or a file in a numbered directory: "text/3392-leadership-council/non-goals.md")
    path = PurePath(str(ctx.path).replace("\\", "/"))
    names = (path.stem, path.parent.name) if path.parent.name else (path.stem,)
    # a long number ("0092-asset-publishing") or a folder of a design process
    # ("accepted/", "proposed/") says so without any heading
    if any(any_re(cfg.regex.get("numbered_alone_re", ()), n) for n in names) or any(
            any_re(cfg.regex.get("design_dirs_re", ()), part) for part in path.parent.parts):
        return True
    return (len(matched) >= int(cfg.options.get("numbered_min_headings", 1))
            and any(any_re(cfg.regex.get("numbered_names_re", ()), n) for n in names))


class Analysis(NamedTuple):
    """What the doc says about the three questions, before deciding.

    ``evidence[q]``: (kind, line) of every sentence that may answer question q
    ("user_pain", "success", "non_goals"), document order; ``features[q]``: the
    numbers the decision reads (see ``features``)."""

    secs: list                 # Place of each section
    evidence: dict
    features: dict
    strength: dict             # (question, line) -> how many cues the sentence there has
    weak: list                 # sections that only weakly answer non-goals
    has_content: set
    measured: set
    # (question, line) -> the names of what the evidence sentence there has:
    # "kind:<evidence kind>", "has:<phrase group>", "in:<section role>",
    # "cue:<line cue>" (``line_features``); what the line shown is chosen by
    line_features: dict = {}
    pain_units: tuple = ()     # the units of pain sections, for the reader (``read_pain``)


QUESTIONS = ("user_pain", "success", "non_goals")
# the phrase groups that make a sentence a clearer answer to each question: of the
# evidence of one kind, the summary shows the sentence with most of them
STRENGTH = {
    "user_pain": frozenset({"people", "pain_now", "pain_phrases", "pain_words"}),
    "success": frozenset({"metric_words", "success_cues", "success_states", "target_cues"}),
    "non_goals": frozenset({"non_goal_cues", "accept_cues", "defer_cues", "limit_cues"}),
}


def analyse(ctx, cfg: Config | None = None) -> Analysis | None:
    """The evidence and features of a doc, or None when the doc-level checks do
    not apply to it (not a design doc)."""
    cfg = cfg or config(ctx.pack)
    out = outline(ctx.parsed)
    roles = heading_roles(out, cfg.names)
    if not applies(ctx, cfg, out, roles):
        return None
    secs, unit_place, labels = places(
        ctx, {r: n for r, n in cfg.names.items() if r not in ("template", "checked")}, out, roles)
    regex = cfg.regex

    seen_measurable: dict[str, bool] = {}  # a sentence is asked up to 4 times

    def measurable(text: str, gate=False) -> bool:
        found = seen_measurable.get(text)
        if found is None:
            found = seen_measurable[text] = any_re(regex.get("measurable_re", ()), text)
        if not found:
            return False
        return not (gate and any_re(regex.get("gate_noise_re", ()), text))

    ev: dict[str, list] = {q: [] for q in QUESTIONS}
    count: dict[str, float] = {}

    def add(name, n=1):
        count[name] = count.get(name, 0) + n

    weak: list[int] = []
    has_content: set[int] = set()
    measured: set[int] = set()
    sents = sentences(ctx, cfg)
    with_people = {s.unit for s in sents if "people" in s.labels}
    placeholder: dict[int, bool] = {}
    toc = {i for i, u in enumerate(ctx.units) if _toc_entry(ctx, u)}
    seen_pain_sec: set[int] = set()
    pain_units: dict[int, None] = {}  # (ordered)
    strength: dict = {}
    line_feats: dict = {}
    cues = line_cues(cfg)
    opening = int(cfg.options.get("opening_units", 6))  # the doc's first paragraphs
    for s in sents:
        if s.unit in labels or s.unit in toc:
            continue
        if s.unit not in placeholder:
            placeholder[s.unit] = is_placeholder(cfg, ctx.units[s.unit].text)
        if placeholder[s.unit]:
            continue
        lab = s.labels
        p = unit_place[s.unit]
        sec = secs[p] if p is not None else None
        role = sec.roles if sec is not None else frozenset()
        if "pain" in role:
            pain_units.setdefault(s.unit)
        if s.prose.rstrip("*_ ").endswith("?"):
            continue  # a question (a template's) answers nothing
        if p is not None:
            has_content.add(p)
        line = None

        def here():
            nonlocal line
            if line is None:
                line = line_of(ctx, s)
            return line

        disrupt = "disruption" in lab
        for q, groups in STRENGTH.items():
            n = len(lab & groups) + (2 if q == "success" and measurable(s.prose) else 0)
            if n:
                k = (q, here())
                strength[k] = max(strength.get(k, 0), n)
        add("sentences")
        if "people" in lab:
            add("people")
        if "team" in lab:
            add("team")
        # user pain
        if "pain" in role:
            if p not in seen_pain_sec:
                seen_pain_sec.add(p)
                add("pain_sections")
            add("pain_sec_sentences")
            if "people" in lab:
                add("pain_sec_people")
            if "team" in lab:
                add("pain_sec_team")
            if disrupt:
                add("pain_sec_disruption")
        if not disrupt:
            if "pain" in role and "pain_phrases" in lab:
                ev["user_pain"].append(("sec_phrase", here()))
            elif "pain" in role and s.unit in with_people and "pain_words" in lab:
                ev["user_pain"].append(("sec_people_words", here()))
            elif {"people", "pain_now"} <= lab and lab & {"pain_phrases", "pain_words"}:
                ev["user_pain"].append(("now", here()))
            elif "people" in lab and "pain_phrases" in lab:
                ev["user_pain"].append(("people_phrase", here()))
            elif "pain" in role and "pain_words" in lab:
                ev["user_pain"].append(("sec_words", here()))
            elif "pain_phrases" in lab:
                ev["user_pain"].append(("phrase", here()))
            elif "people" in lab and "pain_words" in lab:
                # the people served and a pain word, anywhere ("plugin authors cannot
                # ship ..."): a brief statement of their pain still states it
                ev["user_pain"].append(("people_words", here()))
            elif s.unit < opening and "pain_words" in lab:
                ev["user_pain"].append(("opening_words", here()))
        # success measure
        kind = None
        if "success" in role:
            if measurable(s.prose):
                kind = "sec_measure"
            elif lab & {"metric_words", "success_states", "success_cues"}:
                kind = "sec_metric"
            else:
                add("success_sec_other")
        elif "goal" in role and measurable(s.prose):
            kind = "goal_measure"
        elif "gate" in role and measurable(s.prose, gate=True):
            kind = "gate_measure"
        if kind is None:
            if "success_states" in lab:
                kind = "state"
            elif "success_cues" in lab and (measurable(s.prose) or "metric_words" in lab):
                kind = "cue_measure"
            elif "target_cues" in lab and measurable(s.prose):
                kind = "target_measure"
            elif measurable(s.prose):
                kind = "measure_any"
            elif "metric_words" in lab and "success_cues" in lab:
                kind = "cue_metric"
            elif any_re(regex.get("metric_name_re", ()), s.text):
                kind = "metric_name"
        if kind == "measure_any" and any_re(regex.get("metric_name_re", ()), s.text):
            kind = "measure_named"
        if kind is not None:
            ev["success"].append((kind, here()))
            if kind not in ("measure_any", "metric_name", "measure_named") and p is not None:
                measured.add(p)
        if "metric_words" in lab:
            add("metric_words")
        # non-goals
        if "non_goal" in role:
            ev["non_goals"].append(("sec", here()))
        elif "non_goal_cues" in lab:
            # an out-of-scope or deferral sentence says so wherever it sits, a
            # Future work or Limitations section included
            ev["non_goals"].append(("cue", here()))
        elif "future" in role:
            ev["non_goals"].append(("future_sec", here()))
        elif "weak" in role:
            weak.append(p)
            ev["non_goals"].append(("weak", here()))
        else:
            for cue in ("accept_cues", "defer_cues", "limit_cues"):
                if cue in lab:
                    ev["non_goals"].append((cue[:-5], here()))
                    break
        if "weak" in role:
            for cue in ("accept_cues", "defer_cues", "limit_cues", "non_goal_cues"):
                if cue in lab:
                    add("weak_" + cue[:-5])
        if line is not None:  # the sentence is evidence for some question
            names = None
            for q in QUESTIONS:
                got = [kind for kind, at in ev[q][-3:] if at == line]
                if not got:
                    continue
                if names is None:
                    flat = " ".join(s.prose.split())  # a cue may be broken over lines
                    names = ({"has:" + g for g in lab} | {"in:" + r for r in role}
                             | {"cue:" + c for c, rx in cues if any_re(rx, flat)})
                    if s.unit < opening:
                        names.add("opening")
                line_feats.setdefault((q, line), set()).update(
                    names | {"kind:" + k for k in got})
    count["headings"] = len(out.headings)
    for r in ("pain", "success", "goal", "gate", "non_goal", "future", "weak"):
        count[r + "_headings"] = sum(1 for sec in secs if r in sec.roles)
        count[r + "_empty"] = sum(1 for k, sec in enumerate(secs)
                                  if r in sec.roles and k not in has_content)
    return Analysis(secs, ev, features(ev, count, line_feats), strength, weak, has_content,
                    measured, {k: frozenset(v) for k, v in line_feats.items()},
                    tuple(pain_units))


def read_pain(ctx, a: Analysis, at_least, reader=None) -> int | None:
    """The line of the paragraph of a pain section that the reader (``painreader``) is
    likeliest to read as stating a pain of the doc's users, when that is at least
    ``at_least`` (``options.reader_at_least``); None when none is, or with no threshold."""
    if at_least is None or not a.pain_units:
        return None
    reader = reader or painreader.load()
    best = None
    for i in a.pain_units:
        p = reader.score(painreader.features(ctx.docs[i], ctx.units[i]))
        if p >= float(at_least) and (best is None or p > best[0]):
            best = (p, ctx.units[i].line)
    return best[1] if best else None


def line_cues(cfg: Config) -> tuple:
    """The line cues (``options.line_cues``: name -> lexicons of regexes), compiled:
    what a sentence says besides its phrase groups (a condition, an open question,
    a "none" answer ...), features of the line the summary shows."""
    hit = _CUES.get(id(cfg))
    if hit is not None and hit[0] is cfg:
        return hit[1]
    out = []
    for name, lexicons in sorted((cfg.options.get("line_cues") or {}).items()):
        pats = []
        for lx in lexicons or ():
            pats.extend(cfg.lexicons.get(lx, ()))
        out.append((str(name), [regex_cache.compile(p, re.I) for p in pats]))
    _CUES[id(cfg)] = (cfg, tuple(out))
    return tuple(out)


_CUES: dict = {}


def _toc_entry(ctx, unit) -> bool:
    """A list item that is only a link to a heading of the doc (a table of contents)."""
    if unit.kind != "list_item" or not unit.offsets or len(unit.text.split()) > 10:
        return False
    raw = ctx.parsed.text[unit.offsets[0]:unit.offsets[-1] + 4]
    return "](#" in raw


def features(evidence: dict, count: dict, line_feats: dict | None = None) -> dict:
    """The numbers a decision reads: log(1 + n) of each evidence kind and of the
    doc's counts, by question; and ``l:<name>``, log(1 + the number of evidence
    lines of the question with that line feature: "cue:defer_cond", "in:weak",
    "has:limit_cues" ...). A decision names the features it weighs."""
    import math

    out = {}
    for q in QUESTIONS:
        f = {k: math.log1p(v) for k, v in count.items()}
        kinds: dict[str, int] = {}
        for kind, _line in evidence[q]:
            kinds[kind] = kinds.get(kind, 0) + 1
        for kind, n in kinds.items():
            f["ev_" + kind] = math.log1p(n)
        names: dict[str, int] = {}
        for (q2, _line), got in (line_feats or {}).items():
            if q2 == q:
                for name in got:
                    names[name] = names.get(name, 0) + 1
        for name, n in names.items():
            f["l:" + name] = math.log1p(n)
        out[q] = f
    return out


def decide(decision, feats: dict, evidence: list, order=(), alone=(),
           strength=None, veto=(), prefer=(), line_features=None) -> int | None:
    """The line that answers a question, or None when the doc does not answer it.

    Evidence of a kind in ``alone`` (a rule's ``options.answers_alone``: a real
    Non-Goals item, a measurable item of a success section ...) answers on its
    own. Otherwise ``decision`` (``options.decision``) weighs the weaker
    evidence: a linear score over the features, ``bias + sum(weights[f] *
    feats[f])``; the doc answers when the score is above 0 and some sentence is
    evidence (without a decision, any evidence answers). The line shown is the
    sentence of the first kind of evidence in ``order`` (``options.evidence_order``)
    the doc has: of those, the one with most cues (``strength``: line -> count),
    the first on a tie. Before that, the candidates are narrowed (``shown_lines``):
    lines with a feature in ``veto`` (``options.line_veto``) are left out and lines
    with one in ``prefer`` (``options.line_prefer``) kept, unless none would be left."""
    if not evidence:
        return None
    if decision and not any(kind in alone for kind, _ in evidence):
        weights = decision.get("weights", {})
        score = float(decision.get("bias", 0.0)) + sum(
            float(w) * feats.get(name, 0.0) for name, w in weights.items())
        if score <= 0:
            return None
    if line_features is not None and (veto or prefer):
        evidence = shown_lines(evidence, line_features, veto, prefer)
    strength = strength or {}
    for want in tuple(order) + (None,):
        lines = [line for kind, line in evidence if want is None or kind == want]
        if lines:
            return max(lines, key=lambda line: (strength.get(line, 0), -line))
    return evidence[0][1]


def shown_lines(evidence: list, line_features: dict, veto=(), prefer=()) -> list:
    """The evidence whose line may be shown: not one that says something else
    first (a condition, an open question, a "none" answer, a benefit of the
    design ...: ``veto``), and of the rest those that name what the question
    asks (``prefer``), when there are any."""
    veto, prefer = frozenset(veto), frozenset(prefer)
    kept = [e for e in evidence if not (line_features.get(e[1], frozenset()) & veto)] or evidence
    best = [e for e in kept if line_features.get(e[1], frozenset()) & prefer]
    return best or kept


def check(ctx, specs):
    cfg = config(ctx.pack)
    enabled = {s.info.id for s in specs}
    out = outline(ctx.parsed)
    a = analyse(ctx, cfg)
    if a is None:
        yield DocSummary(False)
        return
    secs = a.secs

    def option(role, key, default=None):
        rid = cfg.rule_of.get(role)
        return cfg.specs[rid].options.get(key, default) if rid in cfg.specs else default

    def answering(q):
        """The evidence the line is chosen from, or [] when none may answer q.
        With ``options.answer_kinds``, only evidence of those kinds answers (the
        others may still be the line shown, as a clearer statement of the same
        answer); kinds in ``options.line_last_resort`` are shown only when the
        doc has no other evidence."""
        kinds = option(q, "answer_kinds")
        ev = a.evidence[q]
        if kinds is not None and not any(kind in kinds for kind, _ in ev):
            return []
        last = option(q, "line_last_resort", ())
        return [e for e in ev if e[0] not in last] or ev

    answer = {q: decide(option(q, "decision"), a.features[q], answering(q),
                        option(q, "evidence_order", ()), option(q, "answers_alone", ()),
                        {line: n for (q2, line), n in a.strength.items() if q2 == q},
                        option(q, "line_veto", ()), option(q, "line_prefer", ()),
                        {line: f for (q2, line), f in a.line_features.items() if q2 == q})
              for q in QUESTIONS}
    if answer["user_pain"] is None:  # what the word lists miss, the reader may read
        answer["user_pain"] = read_pain(ctx, a, option("user_pain", "reader_at_least"))

    def first_with(*role_order):
        for role in role_order:
            for k, sec in enumerate(secs):
                if role in sec.roles:
                    return k
        return None

    hits = []

    def report(role, k):
        rid = cfg.rule_of.get(role)
        if rid is None or rid not in enabled:
            return
        spec = cfg.specs[rid]
        opts = spec.options
        if k is not None:
            sec = secs[k]
            vals = {"section": sec.name, "line": str(sec.line)}
            where = " " + fill(str(opts.get("message_where", "")), **vals)
            target = fill(str(opts.get("suggest_where", '"{section}"')), **vals)
            line, start, end = sec.line, sec.start, sec.end
        else:
            vals, where = {}, ""
            target = str(opts.get("suggest_default", "the doc"))
            line, start, end = 1, 0, 0
            if out.headings:
                h = out.headings[0]
                line, start, end = h.line, h.column, h.end_column
        message = fill(spec.message, **{**vals, "where": where.rstrip()})
        if opts.get("skeletons"):  # a fill-in skeleton in the doc's own template style
            suggestion = suggest.doc_question(ctx, spec, target if k is not None else None)
        else:
            suggestion = fill(spec.info.suggestion, **{**vals, "section": target})
        hits.append(Hit(rid, None, start, end, str(opts.get("category", role)), message,
                        suggestion, line))

    pain_at, success_at, non_goal_at = (answer[q] for q in QUESTIONS)
    if pain_at is None:
        report("user_pain", first_with("pain"))
    success_anchor = first_with("success", "goal", "gate")
    if success_at is None:
        report("success", success_anchor)
    if non_goal_at is None:
        report("non_goals", first_with("non_goal", "goal"))
    # PS204, the hint: only drawbacks, alternatives (and the like) say what is not
    # done, whether or not the decision takes that for an answer
    if a.weak and all(kind in option("weak_non_goals", "weak_kinds", ("weak",))
                      for kind, _ in a.evidence["non_goals"]):
        report("weak_non_goals", a.weak[0])
    # PS302: a success or Goals section with content and nothing measurable in it
    for k, sec in enumerate(secs):
        if "checked" not in sec.roles or k not in a.has_content or k in a.measured:
            continue
        if "success" not in sec.roles and success_at is not None:
            continue  # vague Goals of a doc that measures success elsewhere: PS301's business
        if success_at is None and k == success_anchor:
            continue  # PS202 already stands on this section
        report("vague_success_section", k)
    yield from sorted(hits, key=lambda h: (h.line, h.rule))
    yield DocSummary(True, pain_at, success_at, non_goal_at)

