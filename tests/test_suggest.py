"""Suggestions as a writer sees them: for real-looking docs of several templates
(a KEP, a Rust-style RFC, an ADR, a design doc), one rendered PS101 suggestion
per category, naming the doc's own users and a phrase from the flagged sentence;
a question when the sentence names nothing reliable; never a raw slot."""
import re
from pathlib import Path

import pytest

from psense_lint import audience, markdown, suggest
from psense_lint.config import load_config
from psense_lint.engine import Linter
from psense_lint.model import DocContext
from psense_lint.rulepack import load_pack

PACK = load_pack(())
DOCS = Path(__file__).parent / "fixtures" / "suggest"


@pytest.fixture(scope="module")
def linter(tmp_path_factory):
    root = tmp_path_factory.mktemp("suggest")
    config = load_config(None, start=root, known_rules=set(PACK.rules), cli={"select": ("PS1",)})
    return Linter(config, PACK)


@pytest.fixture(scope="module")
def findings(linter):
    out = {}
    for path in sorted(DOCS.glob("*.md")):
        for f in linter.lint_text(path.read_text(encoding="utf-8"), path.name).findings:
            out[(path.name, f.line)] = f
    return out


PINNED = [
    ("adr-event-bus.md", 14, "architecture",
     "Say what the cleaner design gives app developers: 'With the order service restructured, "
     "app developers can <task they cannot do today>' - or which user-facing work it unblocks, "
     "and when."),
    ("adr-event-bus.md", 18, "modernisation",
     "Say what the new stack does for app developers: 'Moving the notification worker to "
     "<stack> lets app developers <new capability>.'"),
    ("adr-event-bus.md", 22, "team_convenience",
     "Team time is a real cost, but say what it buys app developers: 'The time saved on the "
     "event schema registry ships <user-facing item> to app developers by <when> instead of "
     "<later>.'"),
    ("design-notebooks.md", 14, "simplicity",
     "Say what the simplicity lets notebook users do: 'With the kernel manager simpler, "
     "notebook users can <task they cannot do today>.'"),
    ("kep-eviction.md", 12, "decoupling",
     "Say what the separation lets cluster operators do: 'With the node lifecycle controller "
     "separate, cluster operators can <replace / upgrade / configure> it without <what they "
     "must do today>.'"),
    ("kep-eviction.md", 14, "maintainability",
     "Tie the easier upkeep to what cluster operators see: 'With `NodeLifecycleController` "
     "easier to maintain, cluster operators get fixes for <what> in <days> instead of "
     "<weeks>.'"),
    ("kep-eviction.md", 28, "performance",
     "Say what the lower resource use lets cluster operators do: 'With the control plane using "
     "less <CPU / memory>, cluster operators can run <more of what> on <the same / smaller "
     "machines>, or pay <less>.'"),
    ("rfc-dbg.md", 14, "tech_debt",
     "Say what the debt costs Rust programmers today: 'Because of the debt in the macro "
     "expansion, Rust programmers hit <bug / limit> when <situation>; paying it down removes "
     "that.'"),
    ("rfc-dbg.md", 16, "consistency",
     # no phrase of the sentence names a thing: the claim, then what the doc proposes
     "On \u201cconsistent with the existing code\u201d: which task of Rust programmers does "
     "`dbg_macro` make shorter, and by how many steps or concepts? Say it in the paragraph: "
     "'`dbg_macro` lets Rust programmers <task> in <N> steps instead of <M>.'"),
    ("rfc-dbg.md", 20, "testability",
     # a cost named in "Drawbacks": what it would cost the doc's users
     "Say which failures the missing tests of the new macro would bring Rust programmers: 'The "
     "new macro would make Rust programmers hit <error> when <situation>.'"),
    ("rfc-dbg.md", 24, "extensibility",
     "Name the future user-facing change this makes possible: 'With the `Debug` trait "
     "extensible, we can offer <feature> to Rust programmers, who today must <workaround>.'"),
]


def test_every_category_is_pinned():
    assert {c for _d, _l, c, _s in PINNED} == {c.name for c in PACK.rules["PS101"].categories}


@pytest.mark.parametrize("doc, line, category, expected", PINNED,
                         ids=[p[2] for p in PINNED])
def test_one_rendered_suggestion_per_category(findings, doc, line, category, expected):
    f = findings[(doc, line)]
    assert (f.rule, f.category) == ("PS101", category)
    assert f.suggestion == expected


def test_no_slot_or_empty_placeholder_in_any_suggestion(findings):
    for f in findings.values():
        assert not re.search(r"[{}]", f.suggestion), f.suggestion
        assert "<>" not in f.suggestion and "  " not in f.suggestion


def _ctx(linter, text, path="doc.md"):
    parsed = markdown.parse(text)
    units = tuple(u for u in parsed.units if u.kind != "heading")
    docs = tuple(linter.nlp.pipe(u.text for u in units))
    return DocContext(path, parsed, units, docs, PACK, linter.nlp, True, {})


def test_users_come_from_the_doc_in_its_own_words(linter):
    ctx = _ctx(linter, (DOCS / "design-notebooks.md").read_text())
    assert audience.of(ctx) == audience.Audience("notebook users", "doc", audience.of(ctx).kind)
    assert ctx.memo["audience"] is audience.of(ctx)  # worked out once per doc


@pytest.mark.parametrize("text, users", [
    ("# KEP-1: Node drain\n\n## Motivation\n\nThe kubelet evicts pods from the node when the "
     "cluster drains it, and the scheduler places them in another namespace.\n",
     "cluster operators"),
    ("# Summary\n\nAllow a trailing comma in a match expression; the compiler and the macro "
     "syntax accept it.\n", "programmers who use the language"),
    ("# Proposal\n\nNothing to see here.\n", "users"),
])
def test_fallback_per_kind_of_project(linter, text, users):
    found = audience.of(_ctx(linter, text))
    assert (found.users, found.source) == (users, "kind")


def test_the_team_is_not_the_audience(linter):
    text = ("# Summary\n\nOur developers and the maintainers want this. Our developers agree.\n\n"
            "## Motivation\n\nMaintainers review every change.\n")
    assert audience.of(_ctx(linter, text)).source == "kind"


def test_a_question_when_the_sentence_names_no_thing(linter):
    ctx = _ctx(linter, "# Summary\n\nCluster operators drain nodes. Cluster operators wait.\n\n"
                       "## Motivation\n\nIt improves maintainability.\n")
    unit = 1
    sent = next(ctx.docs[unit].sents)
    text = suggest.ps101(ctx, unit, sent, "maintainability", (2, 3))
    assert text.startswith("On \u201cmaintainability\u201d: which fix or feature that cluster "
                           "operators wait for would the easier upkeep let the team ship")


def test_entry_point_without_a_lexicon_claim(linter):
    """A model's finding has a sentence and a category, no claim span."""
    ctx = _ctx(linter, (DOCS / "kep-eviction.md").read_text())
    unit = next(i for i, u in enumerate(ctx.units) if "tightly coupled" in u.text)
    sent = next(ctx.docs[unit].sents)
    text = suggest.ps101(ctx, unit, sent, "decoupling")
    assert "cluster operators" in text and "{" not in text
    # no category: the kind of outcome and the phrase of the sentence still shape it
    other = suggest.ps101(ctx, unit, sent, "no-such-category")
    assert "the node lifecycle controller" in other and "cluster operators" in other


def test_templates_are_data_one_per_category_and_kind_with_a_worked_example():
    spec = PACK.rules["PS101"]
    for cat in spec.categories:
        assert set(suggest.KINDS) <= set(cat.outcomes) <= {*suggest.KINDS, "question"}, cat.name
        assert cat.outcome in suggest.KINDS
        for kind, template in cat.outcomes.items():
            assert "{users}" in template or "{users_cap}" in template, (cat.name, kind)
            assert set(re.findall(r"\{(\w+)\}", template)) <= {"users", "users_cap", "thing",
                                                               "thing_cap", "gain"}
        assert cat.example.get("sentence") and cat.example.get("thing"), cat.name
    examples = list(suggest.worked_examples(spec))
    assert len(examples) == len(spec.categories)
    for cat, _kind, _sentence, text in examples:
        assert text and "{" not in text and cat.example["users"] in text


@pytest.mark.parametrize("cat", PACK.rules["PS101"].categories, ids=lambda c: c.name)
def test_worked_example_is_what_the_linter_says(linter, cat):
    """The worked example sentence, in a doc naming the example's users, fires in
    its category and gets the example's rendering."""
    ex = cat.example
    users = ex["users"]
    text = (f"# Proposal\n\n## Summary\n\nIt is for {users}. We asked {users}.\n\n"
            f"## Motivation\n\n{ex['sentence']}\n")
    found = [f for f in linter.lint_text(text, "x.md").findings if f.rule == "PS101"]
    rendered = {c.name: t for c, _k, _s, t in suggest.worked_examples(PACK.rules["PS101"])}
    assert [(f.category, f.suggestion) for f in found] == [(cat.name, rendered[cat.name])]


# ------------------------------------------------------------------ PS201-PS203, PS301


@pytest.fixture(scope="module")
def doc_findings(tmp_path_factory):
    root = tmp_path_factory.mktemp("suggest-docs")
    config = load_config(None, start=root, known_rules=set(PACK.rules),
                         cli={"select": ("PS2", "PS3")})
    linter = Linter(config, PACK)
    out = {}
    for path in sorted(DOCS.glob("*.md")):
        for f in linter.lint_text(path.read_text(encoding="utf-8"), path.name).findings:
            out[(path.name, f.rule)] = f.suggestion
    return out


@pytest.mark.parametrize("doc, rule, expected", [
    ("kep-eviction.md", "PS202",
     "Add to \"Goals\": '- The share of cluster operators who <task> without <workaround> goes "
     "from <baseline> to <target> by <release>, measured by <metric / SLI>.' and name that SLI "
     "in the Production Readiness answers."),
    ("rfc-dbg.md", "PS202",
     "Add to \"Motivation\": 'We will know `dbg_macro` worked when <N> of Rust programmers <use "
     "it / drop the workaround> within <period>, measured by <downloads / survey / issue "
     "count>.'"),
    ("adr-event-bus.md", "PS203",
     "Add to \"Decision\": 'We will not <thing app developers might expect>; <why, or where it "
     "is decided instead>.'"),
    ("design-notebooks.md", "PS202",
     "Add to \"Goals and non-goals\": '- Success: <what notebook users feel, as a number> goes "
     "from <baseline> to <target> by <date>, measured by <source>.'"),
], ids=["kep", "rfc", "adr", "design"])
def test_doc_question_skeleton_in_the_docs_template_style(doc_findings, doc, rule, expected):
    assert doc_findings[(doc, rule)] == expected


def test_feature_name_and_style(linter):
    kep = _ctx(linter, (DOCS / "kep-eviction.md").read_text())
    assert (suggest.doc_style(kep), suggest.feature_name(kep)) == ("kep", "Decoupled Taint Manager")
    rfc = _ctx(linter, (DOCS / "rfc-dbg.md").read_text())
    assert (suggest.doc_style(rfc), suggest.feature_name(rfc)) == ("rfc", "`dbg_macro`")
    adr = _ctx(linter, (DOCS / "adr-event-bus.md").read_text())
    assert suggest.doc_style(adr) == "adr"


def test_vague_goal_never_pastes_a_fragment(tmp_path):
    config = load_config(None, start=tmp_path, known_rules=set(PACK.rules),
                         cli={"select": ("PS301",)})
    linter = Linter(config, PACK)
    text = ("# Plan\n\n## Summary\n\nApp developers ship apps. App developers test them.\n\n"
            "## Goals\n\n- Make it easier for developers to fall into the pit of success, "
            "without having to read every page of the guide first and all the notes.\n")
    f, = [f for f in linter.lint_text(text, "p.md").findings if f.rule == "PS301"]
    assert f.suggestion == ("Make the goal checkable: '<what app developers will see, as a "
                            "number> goes from <baseline> to <target> by <date>, measured by "
                            "<source>'.")


# ------------------------------------------------------------------ every output


SLOT = re.compile(r"\{\w*\}|<>|<\s*<")


@pytest.mark.parametrize("rid", sorted(PACK.rules))
def test_explain_renders_examples_never_raw_slots(rid, capsys):
    from psense_lint.cli import main

    assert main(["--explain", rid]) == 0
    out = capsys.readouterr().out
    assert not SLOT.search(out), out


def test_sarif_help_and_every_format_have_no_raw_slot(capsys):
    import json

    from psense_lint.cli import main

    for fmt in ("text", "json", "github", "sarif"):
        main(["--no-cache", "--jobs", "1", "--format", fmt, "--fail-on", "never", str(DOCS)])
        out = capsys.readouterr().out
        assert not SLOT.search(out), (fmt, SLOT.search(out))
        if fmt == "sarif":
            rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
            assert rules and all(r["help"]["text"] for r in rules)


# ------------------------------------------------------------------ model findings (no category)


@pytest.mark.parametrize("text, expected", [
    # an action on a phrase of the sentence: the action is what the question names
    ("- Reduce the attack surface of the kubelet for every node.",
     "What does reducing the attack surface let cluster operators do that they cannot today? "
     "Say it in the paragraph: 'Reducing the attack surface lets cluster operators <task>, "
     "which today needs <workaround>.'"),
    # the main clause's subject, after a leading "When ..." clause; plural agreement
    ("When the controller restarts, the cached leases are loaded again from the apiserver.",
     "What do the cached leases let cluster operators do that they cannot today? Say it in the "
     "paragraph: 'The cached leases let cluster operators <task>, which today needs "
     "<workaround>.'"),
    # no phrase of the sentence: what the doc proposes (its title), with the kind of outcome
    ("It is much faster than before.",
     "Which wait of cluster operators does the decoupled taint manager shorten, and from how "
     "long to how long? Say it in the paragraph: 'The decoupled taint manager cuts the time "
     "cluster operators wait for <what> from <X> to <Y>.'"),
])
def test_model_finding_names_the_sentence_or_the_proposal(linter, text, expected):
    doc = (DOCS / "kep-eviction.md").read_text() + "\n## Design Details\n\n" + text + "\n"
    ctx = _ctx(linter, doc)
    unit = len(ctx.units) - 1
    sent = next(ctx.docs[unit].sents)
    assert suggest.ps101(ctx, unit, sent, "general") == expected


def test_a_drawback_is_said_as_what_it_would_cost_users(linter):
    doc = (DOCS / "kep-eviction.md").read_text() + (
        "\n## Drawbacks\n\nThe new controller keeps a second copy of every pod.\n")
    ctx = _ctx(linter, doc)
    unit = len(ctx.units) - 1
    assert suggest.ps101(ctx, unit, next(ctx.docs[unit].sents), "general") == (
        "Say what the cost of the new controller would cost cluster operators in steps: 'The new "
        "controller would make cluster operators take <N> more steps, or learn <concept>, to "
        "<task>.'")


def test_title_is_not_used_for_a_sentence_about_another_option(linter):
    doc = (DOCS / "kep-eviction.md").read_text() + "\n## Alternatives\n\nIt is much faster.\n"
    ctx = _ctx(linter, doc)
    unit = len(ctx.units) - 1
    text = suggest.ps101(ctx, unit, next(ctx.docs[unit].sents), "general")
    assert "taint manager" not in text and "cluster operators" in text


@pytest.mark.parametrize("verb, form", [("drop", "dropping"), ("move", "moving"),
                                        ("split", "splitting"), ("rename", "renaming"),
                                        ("refactor", "refactoring"), ("add", "adding")])
def test_gerund(verb, form):
    assert suggest.gerund(verb) == form


@pytest.mark.parametrize("heading, expected", [
    ("`useSubscription`", "`useSubscription`"),
    ("Alt 1: Shared Docs only", "the shared docs"),
    ("Option 2: a separate controller", "the separate controller"),
])
def test_a_heading_under_alternatives_names_the_option(linter, heading, expected):
    doc = (DOCS / "kep-eviction.md").read_text() + (
        f"\n## Alternatives\n\n### {heading}\n\nIt is much faster than the proposal.\n")
    ctx = _ctx(linter, doc)
    unit = len(ctx.units) - 1
    text = suggest.ps101(ctx, unit, next(ctx.docs[unit].sents), "general")
    assert f" {expected} shorten" in text, text
