"""Suggestions as a writer sees them: for real-looking docs of several templates
(a KEP, a Rust-style RFC, an ADR, a design doc), one rendered PS101 suggestion
per category, naming the doc's own users and a phrase from the flagged sentence;
a question when the sentence names nothing reliable; never a raw slot."""
import re
from pathlib import Path

import pytest

from conftest import first_kind
from psense_lint import audience, markdown, suggest
from psense_lint.config import load_config
from psense_lint.engine import Linter
from psense_lint.model import DocContext
from psense_lint.rulepack import load_pack

PACK = load_pack(())
KIND_NAMES = PACK.rules["PS101"].options["kind_names"]
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
    ('adr-event-bus.md', 14, 'architecture',
     # no slot holds words of the sentence: the claim is quoted, the template is data
     'On \u201cit gives a cleaner architecture\u201d: say what app developers can do that they '
     "cannot today: 'App developers can now <task>, which today needs <workaround>.'"),
    ('adr-event-bus.md', 18, 'modernisation',
     'On \u201cMoving the notification worker to a modern stack keeps it healthy\u201d: say who '
     "can adopt it, or upgrade, thanks to this, among app developers: 'App developers on "
     "<platform / tool / version> can adopt it without <rewrite / workaround>.'"),
    ('adr-event-bus.md', 22, 'team_convenience',
     "On \u201cThe event schema registry lowers the review burden\u201d: say what app developers get "
     "from this gain of the project's own: 'App developers get <fix / feature / release> "
     "<sooner / more reliably> because <the team's gain>.'"),
    ('design-notebooks.md', 14, 'simplicity',
     'On \u201cReusing the kernel manager is simpler\u201d (a merit of this option, to weigh against'
     ' the proposal): say which task of notebook users takes fewer steps or concepts: '
     "'Notebook users <task> in <N> steps instead of <M>, without <concept / special "
     "case>.'"),
    ('kep-eviction.md', 12, 'decoupling',
     'On \u201cThe node lifecycle controller is tightly coupled to the taint manager\u201d: say what'
     " it keeps cluster operators from doing today: 'Today cluster operators cannot <task> "
     "without <workaround>; with this change, they can.'"),
    ('kep-eviction.md', 14, 'maintainability',
     "On \u201cSplitting `NodeLifecycleController` improves maintainability\u201d: say what cluster "
     "operators get from this gain of the project's own: 'Cluster operators get <fix / feature "
     "/ release> <sooner / more reliably> because <the team's gain>.'"),
    ('kep-eviction.md', 28, 'performance',
     'On \u201cRunning a second controller increases the memory usage of the control plane\u201d: '
     "say how much of this cost reaches cluster operators: 'Cluster operators would pay <N> "
     "more <memory / bandwidth / CPU / money> for <what>.'"),
    ('rfc-dbg.md', 14, 'tech_debt',
     "On \u201cThe macro expansion pays down technical debt in the formatting machinery\u201d: say what "
     "Rust programmers get from this gain of the project's own: 'Rust programmers get <fix / "
     "feature / release> <sooner / more reliably> because <the team's gain>.'"),
    ('rfc-dbg.md', 16, 'consistency',
     'On \u201cconsistent with the existing code\u201d: say which task of Rust programmers takes '
     "fewer steps or concepts: 'Rust programmers <task> in <N> steps instead of <M>, "
     "without <concept / special case>.'"),
    ('rfc-dbg.md', 20, 'testability',
     # harder to test: the project's own cost (the learned kind)
     "On \u201cThe new macro makes the standard library harder to test\u201d: say whether Rust "
     "programmers feel this cost to the project: '<fix / feature / release Rust programmers "
     "wait for> would <slip / get less reliable> because <the team's cost>.'"),
    ('rfc-dbg.md', 24, 'extensibility',
     'On \u201cGeneralizing the `Debug` trait would make future extensions easier\u201d: say what '
     "Rust programmers can do that they cannot today: 'Rust programmers can now <task>, which "
     "today needs <workaround>.'"),
]


def test_every_category_is_pinned():
    assert {c for _d, _l, c, _s in PINNED} == {c.name for c in PACK.rules["PS101"].categories}


@pytest.mark.parametrize("doc, line, category, expected", PINNED,
                         ids=[p[2] for p in PINNED])
def test_one_rendered_suggestion_per_category(findings, doc, line, category, expected):
    f = findings[(doc, line)]
    assert (f.rule, f.category) == ("PS101", category)
    # (where the learned kind is a guess, the next likeliest kind's template follows:
    # test_a_guessed_kind_offers_the_next_likeliest_too)
    assert first_kind(f.suggestion) == expected


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
     "syntax accept it, and the grammar of the language keeps one keyword for it.\n",
     "programmers using the language"),
    ("# Proposal\n\nNothing to see here.\n", "users"),
])
def test_fallback_per_kind_of_project(linter, text, users):
    found = audience.of(_ctx(linter, text))
    assert (found.users, found.source) == (users, "kind")


def test_the_team_is_not_the_audience(linter):
    text = ("# Summary\n\nOur developers and the maintainers want this. Our developers agree.\n\n"
            "## Motivation\n\nMaintainers review every change.\n")
    assert audience.of(_ctx(linter, text)).source == "kind"


@pytest.mark.parametrize("cat", PACK.rules["PS101"].categories, ids=lambda c: c.name)
def test_worked_example_is_what_the_linter_says(linter, cat):
    """The worked example sentence, in a doc naming the example's users, fires in
    its category and gets the example's rendering (then, where the learned kind is a
    guess, the next likeliest kind's: "Or, if it is rather about ...")."""
    ex = cat.example
    users = ex["users"]
    text = (f"# Proposal\n\n## Summary\n\nIt is for {users}. We asked {users}.\n\n"
            f"## Motivation\n\n{ex['sentence']}\n")
    found = [f for f in linter.lint_text(text, "x.md").findings if f.rule == "PS101"]
    rendered = {c.name: t for c, _k, _s, t in suggest.worked_examples(PACK.rules["PS101"])}
    assert [f.category for f in found] == [cat.name]
    said = found[0].suggestion
    assert first_kind(said) == rendered[cat.name]
    also = said.partition(" Or, if it is rather about ")[2]
    assert not also or any(also.startswith(name + ", ") for name in KIND_NAMES.values())


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
     "Add to \"Goals\": '- The share of cluster operators that can <task> without <workaround> goes "
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
    # a title with template braces would read as a raw slot: no feature name
    braces = _ctx(linter, "# Deprecate {{hasBlock}} in templates\n\n## Summary\n\nText.\n")
    assert suggest.feature_name(braces) == ""


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
    if rid == "PS101":  # and says that a guessed kind brings the next likeliest
        assert "  ... Or, if it is rather about failures, say which failure cluster operators" \
            in out, out


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


# ------------------------------------------------------------------ how a sentence is read


def _say(linter, section, text, category="general", claim=None, whole=False):
    """The suggestion for the first sentence of ``text`` under ``section`` in a KEP
    whose users are cluster operators: for the kind read (where that kind is a guess, the
    next likeliest kind's template follows it: ``whole`` keeps that too)."""
    doc = (DOCS / "kep-eviction.md").read_text() + f"\n{section}\n\n{text}\n"
    ctx = _ctx(linter, doc)
    unit = len(ctx.units) - 1
    said = suggest.ps101(ctx, unit, next(ctx.docs[unit].sents), category, claim)
    return said if whole else first_kind(said)


@pytest.mark.parametrize("section, text, expected", [
    # a gain: what users get, in the kind of outcome its words name
    ("## Design Details", "The new cache makes every lookup much faster.",
     "On \u201cThe new cache makes every lookup much faster\u201d: say how much sooner cluster "
     "operators get what they wait for: 'Cluster operators wait <X> instead of <Y> for <what "
     "they wait on>.'"),
    # a problem of how things are today (Motivation): what it costs users now
    ("## Motivation", "Today every pod watch copies the whole object, which is quite expensive "
     "for the apiserver on large clusters.",
     "On \u201cis quite expensive for the apiserver on large clusters\u201d: say what it "
     "costs cluster operators today: 'Today cluster operators pay <CPU / memory / bandwidth> "
     "for <what>; with this change, <less>.'"),
    # a drawback of the proposal: who pays this cost and how much
    ("## Drawbacks", "Having two controllers complicates the upgrade path.",
     "On \u201cHaving two controllers complicates the upgrade path\u201d: say how much of this cost "
     "reaches cluster operators, in steps or concepts: 'Cluster operators would need <N> more "
     "steps, or learn <concept>, to <task>.'"),
    # a bad thing the proposal will bring, outside Drawbacks
    ("## Design Details", "The eviction logic will get very complicated because each taint "
     "needs its own timer and its own retry loop in the controller.",
     "On \u201cThe eviction logic will get very complicated\u201d: say whether cluster operators feel "
     "this cost to the project: '<fix / feature / release cluster operators wait for> would "
     "<slip / get less reliable> because <the team's cost>.'"),
    # another option, rejected: the reason, as the option's cost
    ("## Alternatives", "- A per-node flag instead of the new controller, rejected because "
     "every node would need its own configuration file.",
     "On \u201crejected because every node would need its own configuration file\u201d (a cost "
     "of this option): say how much of this cost reaches cluster operators, in steps or "
     "concepts: 'Cluster operators would need <N> more steps, or learn <concept>, to <task>.'"),
    # a merit of another option ("(+)"), named by its heading
    ("## Alternatives\n\n### Alternative 2: a webhook", "- (+) Avoids a restart of the "
     "kubelet, because nothing runs on the node.",
     "On \u201cAvoids a restart of the kubelet\u201d (a merit of \u201ca webhook\u201d, to weigh "
     "against the proposal): say how much sooner cluster operators get what they wait for: "
     "'Cluster operators wait <X> instead of <Y> for <what they wait on>.'"),
    # a removed cost is a gain ("avoid the overhead"), not a cost
    ("## Design Details", "The flag exists to avoid most of the overhead of the extra watch.",
     "On \u201cThe flag exists to avoid most of the overhead of the extra watch\u201d: say what "
     "the saving is worth to cluster operators: 'Cluster operators need <N> less <CPU / "
     "memory / bandwidth> for <workload>, or pay <less>.'"),
    # team time: what it buys users
    ("## Motivation", "The current code is a heavy maintenance burden for the maintainers of "
     "the node controller.",
     "On \u201cThe current code is a heavy maintenance burden for the maintainers of the node\u2026\u201d: "
     "say what this problem of the project's own means for cluster operators today: 'Today "
     "cluster operators <wait for / miss> <fix / feature / release> because <the team's "
     "problem>.'"),
])
def test_the_stance_and_the_kind_of_outcome_come_from_the_sentence(linter, section, text,
                                                                   expected):
    assert _say(linter, section, text) == expected


def test_no_word_says_which_outcome_the_learned_kind_picks_one(linter):
    text = _say(linter, "## Design Details", "The controller keeps a list of the nodes it has "
                "seen so far.")
    # no cue word says which kind of outcome: the learned kind picks one (blind judges read
    # the open catch-all, "say what it lets users do, or stop doing", as generic every time)
    gain = PACK.rules["PS101"].options["frames"]["gain"]
    said = text.split("\u201d: ", 1)[1]
    assert any(said == suggest.render(gain[k], users="cluster operators",
                                      users_cap="Cluster operators", subject="this change")
               for k in suggest.KINDS_ALL if k != "open"), text


@pytest.mark.parametrize("text, quoted", [
    # a link keeps its text, the URL goes; inline code keeps its backticks
    ("Secret tokens are [less secure than bound tokens](https://example.com/a/b) in every "
     "cluster we have seen so far.", "Secret tokens are less secure than bound tokens"),
    ("Calling `store.peek(id)` again for every row is quite expensive on large clusters with "
     "many nodes.", "`store.peek(id)`"),
    # the sentencizer splitting inside inline code does not cut the quote
    ("This was rejected because making `Activity.Kind` settable seems very unfortunate.",
     "making `Activity.Kind` settable seems very unfortunate"),
    # emphasis and "(-)" markers go
    ("- (-) Makes *further* migrations to new layouts harder.",
     "Makes further migrations to new layouts harder"),
])
def test_the_quote_is_the_docs_words_without_markdown(linter, text, quoted):
    said = _say(linter, "## Motivation", text)
    assert quoted in said, said
    assert "http" not in said and "*" not in said and "(-)" not in said


# sentences that once broke a slot: a fragment, a doubled "who", a cut code span,
# a stray quote mark, an empty quote
NASTY = [
    "- `store.recordForIdentifier(identifier)` instead of these changes, rejected because we "
    "already have a `peek` API.",
    "* **Prometheus maintainers and the Prometheus team** who currently get asked \"which MCP "
    "server should I use?\" with no canonical answer.",
    "With this RFC, `@vue/runtime-dom` can use the `effectScope` to collect the effects directly "
    "and computed rewrapping will not be necessary anymore.",
    "*Not applicable*: doing so would not guarantee that the compaction filters are able to run.",
    "- (+) Looks temporary, intention to move to `pkgs` itself once everything is sharded",
    "As BoundServiceAccountTokenVolume is GA in 1.22, pods\u2019 service account tokens would be "
    "obtained via [TokenRequest API](https://x.io/a_b) and stored as projected volume.",
    "`method` and `host` are reffed for every call.",
    "An option was \"rejected because ...\" in the review, which is consistent with the old one.",
    "It is.",
    # inline code that is only a parenthesis: no empty code span, no lost backtick
    "This proposal encourages aggressive use of the `(` nested helper syntax. Encouraging "
    "this has been slightly controversial.",
]


@pytest.mark.parametrize("section", ["## Motivation", "## Drawbacks", "## Alternatives",
                                     "## Alternatives\n\n### Option 1: a flag", "## Design"])
@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_never_garbled(linter, section, text):
    said = _say(linter, section, text)
    assert said and said[0].isupper(), said
    assert not re.search(r"[{}]|<>|\u201c\u201d|\u201c\s|\s\u201d|\s[,.;:]|  ", said), said
    assert said.count("\u201c") == said.count("\u201d") <= 2, said
    assert said.count("`") % 2 == 0 and "http" not in said and "``" not in said, said
    quote = re.search(r"\u201c([^\u201d]*)\u201d", said)
    if quote:
        assert len(quote.group(1).split()) <= 14, said
        assert set(re.findall(r"\w+", quote.group(1))) <= set(re.findall(r"\w+", text)), said
    assert not re.search(r"\bwho\b[^'<]*\bwho\b", said), said


def test_templates_are_data_one_per_stance_and_kind():
    spec = PACK.rules["PS101"]
    frames = spec.options["frames"]
    assert set(frames) == set(suggest.FRAMES)
    for frame, templates in frames.items():
        # one per kind; no slot holds words of the sentence (the claim is quoted before it)
        assert set(templates) == set(suggest.KINDS_ALL), frame
        for kind, template in templates.items():
            assert "{users}" in template or "{users_cap}" in template, (frame, kind)
            assert set(re.findall(r"\{(\w+)\}", template)) <= {"users", "users_cap", "subject"}, (
                frame, kind)
            # "{users} who ..." doubles a "who" when the users are "developers who use it"
            assert not re.search(r"\{users(_cap)?\} who|which \{users", template), template
    for cat in spec.categories:
        assert cat.outcome in suggest.KINDS, cat.name
        assert cat.example.get("sentence") and cat.example.get("quote"), cat.name
    examples = list(suggest.worked_examples(spec))
    assert len(examples) == len(spec.categories)
    for cat, _kind, _sentence, text in examples:
        assert text and "{" not in text and cat.example["users"] in text


def test_users_capitalised_only_when_a_word():
    assert suggest.capitalised("cluster operators") == "Cluster operators"
    assert suggest.capitalised("gRPC users") == "gRPC users"
    assert suggest.capitalised("`kubectl` users") == "`kubectl` users"


@pytest.mark.parametrize("section, text, lead, stance", [
    # "Pros of X:" / "Cons of X:" labels say the stance; the label is not quoted
    ("## Alternatives\n\n### Bridge: one class vs. two", "- Pros of two classes: stronger type "
     "separation, no way to mix the two kinds of traffic.", "(a merit of", "say "),
    ("## Alternatives\n\n### Bridge: one class vs. two", "- Cons of two classes: doubles the "
     "number of classes users must learn.", "(a cost of", "of this cost reaches"),
    # a drawbacks heading under the alternatives is a cost, and no option's name
    ("## Alternatives\n\n### Drawbacks of the webhook approach", "- Reduced flexibility: every "
     "operation would have to go through one scheduler.", "(a cost of this option)",
     "of this cost reaches"),
    # a section about the proposal's complexity weighs its cost
    ("## Complexity", "The main cost is more complexity in the store layer.", "",
     "cost to the project"),
])
def test_pros_cons_and_cost_sections(linter, section, text, lead, stance):
    said = _say(linter, section, text)
    assert lead in said and stance in said, said
    assert "Pros of" not in said and "Cons of" not in said, said


def test_a_parenthesis_stays_inside_the_quote(linter):
    said = _say(linter, "## Design Details", "Note also that we can always update the hint, "
                "making all subsequent allocations (large and small) faster.")
    assert "\u201cmaking all subsequent allocations (large and small) faster\u201d" in said, said


@pytest.mark.parametrize("text", [
    "Raft learners replicate the log. Learners catch up. Learners do not vote.",
    "Builtin operators are folded. Builtin operators are fast. Builtin operators are typed.",
])
def test_words_that_only_look_like_people_are_not_the_audience(linter, text):
    assert audience.of(_ctx(linter, f"# Design\n\n## Summary\n\n{text}\n")).source != "doc"


def _say_in(linter, fixture, section, text):
    """As ``_say``, in another fixture doc (``rfc-dbg.md``: a language RFC for Rust
    programmers)."""
    doc = (DOCS / fixture).read_text() + f"\n{section}\n\n{text}\n"
    ctx = _ctx(linter, doc)
    unit = len(ctx.units) - 1
    return suggest.ps101(ctx, unit, next(ctx.docs[unit].sents), "general", None)


def test_no_word_names_the_outcome_in_a_language_rfc_asks_one_open_question(linter):
    # a guessed kind (steps, for a language) was wrong about as often as right on blind
    # samples (a security or scoping claim asked about steps): with no cue word the
    # suggestion asks one open question that still quotes the claim and names the users
    said = _say_in(linter, "rfc-dbg.md", "## Alternatives", "Both lints should exhibit the "
                   "same treatment in every crate.")
    assert "takes fewer steps or concepts" not in said and "Rust programmers" in said, said
    assert "\u201cBoth lints should exhibit the same treatment in every crate\u201d" in said, said


@pytest.mark.parametrize("fixture, section, text, wanted, unwanted", [
    # a growth word next to what users pay is the proposal's cost, not a saving
    ("rfc-dbg.md", "## Engineering impact", "Binary sizes increase slightly with the "
     "inclusion of this new macro.", "of this cost reaches", "saving is worth"),
    # "worse" is not an error ("wrong" is its lemma); a performance claim is a wait
    ("rfc-dbg.md", "## Risks", "The speed gain of the new table is insignificant or even "
     "worse than the old lookup.", "in waiting", "in failures"),
    # "a large number of" is no size users pay
    ("rfc-dbg.md", "## Motivation", "We have a large number of open tickets about the "
     "formatting macros.", "", "CPU / memory"),
    # a complexity described in the Motivation is today's problem, not the proposal's cost
    ("rfc-dbg.md", "## Motivation", "There is significant complexity in the way seemingly "
     "equivalent macros are defined.", "Today Rust programmers", "would need"),
    # a bad thing the other option would bring ("will be ruined") is a cost
    ("rfc-dbg.md", "## Unified macro", "The simplicity of the macro will be ruined if we "
     "merge the three options.", "of this cost reaches", "takes fewer steps"),
    # a cost said to be negligible is no cost
    ("rfc-dbg.md", "## Motivation", "The helper can be copied with negligible duplication.", "",
     "Today Rust programmers must"),
])
def test_stance_and_kind_in_a_language_rfc(linter, fixture, section, text, wanted, unwanted):
    said = _say_in(linter, fixture, section, text)
    assert wanted in said and (not unwanted or unwanted not in said), said


@pytest.mark.parametrize("text", [
    # a capitalised word the doc also says in the plural is a thing of its design
    "Each Region splits when it grows. A Region holds keys. The Regions move between stores. "
    "A Region has a leader. The Regions are balanced. The Region size is checked. Every Region "
    "reports its size. A Region is split by size. The Region peers vote. One Region is hot. "
    "The Region leader moves. Each Region is small.",
    # two names used about as often: not sure which is the project's
    "Matrix clients use OAuth. OAuth servers issue tokens for Matrix. Matrix homeservers trust "
    "OAuth. OAuth scopes map to Matrix APIs. Matrix and OAuth differ. OAuth flows suit Matrix. "
    "Matrix users log in with OAuth. OAuth is widely used by Matrix. Matrix needs OAuth.",
])
def test_no_project_name_when_unsure(linter, text):
    ctx = _ctx(linter, f"# Batch split\n\n## Summary\n\n{text}\n")
    assert audience.project_name(ctx) == "", audience.project_name(ctx)


@pytest.mark.parametrize("text", [
    # "operators" after a name are software (the operator pattern, a library's ops)
    "Kubernetes operators reconcile the objects. We run Kubernetes operators in every "
    "cluster. Kubernetes operators watch the CRDs.",
    "PyTorch operators are registered. New PyTorch operators need a schema. PyTorch operators "
    "run on the device.",
])
def test_operators_after_a_name_are_software(linter, text):
    ctx = _ctx(linter, f"# Design\n\n## Summary\n\n{text}\n")
    assert "operators" not in audience.of(ctx).users, audience.of(ctx)


def test_a_dictionary_word_in_the_title_is_the_feature_not_the_project(linter):
    # a word of the title that the doc mostly writes inside a longer name ("Source Link")
    body = " ".join(["The Source Link file maps paths."] * 12 + ["Tools read the Link map."] * 3
                    + ["We add a Source Link entry."] * 4)
    ctx = _ctx(linter, f"# Source Link\n\n## Summary\n\n{body}\n")
    assert audience.project_name(ctx) == "", audience.project_name(ctx)
    # ... but a name the doc writes alone stays ("Async API for gRPC Python": Python users)
    body = " ".join(["The new API suits Python 3 code."] * 3 + ["It follows what Python "
                     "programmers expect."] * 14)
    ctx = _ctx(linter, f"# Async API for gRPC Python\n\n## Summary\n\n{body}\n")
    assert audience.project_name(ctx) == "Python", audience.project_name(ctx)


# ---- what the blind rounds 4 and 5 found wrong, by kind (each test is a mechanism, on
# sentences written for it: none is a judged item)

@pytest.mark.parametrize("section, text, wanted, unwanted", [
    # a security gain is asked as an attack users are kept from, not as "fewer steps"
    ("## Design Details", "Signing each callback closes the gap that lets a runner send "
     "spoofed results.", "say which attack or leak cluster operators are kept from", "steps"),
    # "communication overhead" is the team's, not CPU or memory
    ("## Drawbacks", "There is more communication overhead between the two release managers.",
     "this cost to the project", "memory / bandwidth"),
    # a "Mitigation:" heading answers a risk: a gain
    ("## Risks\n\n### Mitigation: cache the lookups", "Caching the lookups keeps the extra "
     "latency of the webhook small.", "cluster operators", "of this cost reaches"),
    # a merit stated in a Trade-offs section, with no word that says something is bad
    ("## Trade-offs", "Simplicity is the main design goal of the bucket layout.",
     "takes fewer steps", "would need"),
    # a heading that names a risk makes its items costs
    ("## Proposal\n\n### Quality of custom templates may be inconsistent", "- The CLI checks "
     "only the file layout, not whether the template builds.", "of this cost reaches",
     "no longer hit"),
    # under "Pitfalls of the current solution" a plain statement is today's problem
    ("## Background\n\n### Pitfalls of the current solution", "- Each write is split into two "
     "requests that are applied one by one.", "Today cluster operators", "can now"),
    # a "low" burden is no cost: the team's gain
    ("## Implementation", "The change has a very low implementation burden.",
     "this gain of the project's own", "problem of the project's own"),
])
def test_the_kinds_of_wrong_suggestion_blind_judges_found(linter, section, text, wanted,
                                                          unwanted):
    said = _say(linter, section, text)
    assert wanted in said and unwanted not in said, said


@pytest.mark.parametrize("section, text, quote", [
    # round 14's garbled quotes: a verb left without its object ("I did not propose") ...
    ("## Alternatives\n\n### Keeping both kinds of widget", "I did not pick it here because I "
     "think using only slots is about as good on balance, and having only slots feels a little "
     "nicer.", "I did not pick it"),
    # ... and a plural's possessive taken for a quotation mark ("the class jsii type name")
    ("## Rationale", "To not proliferate variants of keys too much, it is preferable for this "
     "key to be the same as the class' type name.",
     "\u2026is preferable for this key to be the same as the class' type name"),
    # round 15's: a concession quoted alone ("Whatever we do here"), not what it concedes to
    ("## Alternatives", "Whatever we pick here, it should match whatever the async form means "
     "later.", "it should match whatever the async form means later"),
    ("## Motivation", "Although this makes the queue look slow, due to the batch size, this is "
     "only a limit of the benchmark.", "this is only a limit of the benchmark"),
])
def test_a_quote_keeps_the_words_that_make_it_read(linter, section, text, quote):
    said = _say(linter, section, text)
    assert said.startswith(f"On \u201c{quote}\u201d"), said


def test_a_claim_word_in_an_example_aside_quotes_the_sentence_not_the_aside(linter):
    # round 15: "On '...e.g. standard way of representing ...'": the example, not the claim
    text = ("The old format is loosely specified, while the new schema offers more structure "
            "(e.g. a standard way of writing durations such as 100 seconds or ten minutes).")
    doc = (DOCS / "kep-eviction.md").read_text() + f"\n## Alternatives\n\n{text}\n"
    ctx = _ctx(linter, doc)
    unit = len(ctx.units) - 1
    word = next(t for t in ctx.docs[unit] if t.text == "standard")
    said = suggest.ps101(ctx, unit, next(ctx.docs[unit].sents), "general", (word.i, word.i + 1))
    assert said.startswith("On \u201cThe old format is loosely specified\u201d"), said


def test_security_suggestion_rendered_whole(linter):
    said = _say(linter, "## Motivation", "Today the format strings are not type safe and "
                "an attacker can exploit them.")
    assert said == ("On \u201cToday the format strings are not type safe and an attacker can "
                    "exploit them\u201d: say what it exposes cluster operators to today: 'Today "
                    "cluster operators are exposed to <attack / leak> when <situation>; with this "
                    "change, <protection>.'"), said


def test_quote_of_an_example_list_takes_its_clause(linter):
    said = _say(linter, "## Motivation", "The score is per repository, because the signals we "
                "read, such as maintenance activity and test coverage, are per repository.")
    assert "\u201csuch as" not in said, said


def test_an_attribution_is_not_quoted(linter):
    said = _say(linter, "## Design Details", "There is much low-hanging fruit - @someone with "
                "respect to performance improvements in the validation code.")
    assert "@someone" not in said, said


@pytest.mark.parametrize("body, users", [
    # a verb in front of the people word is no kind of user ("help users understand")
    ("We need diagnostics to (1) help users understand where it applies and (2) help users "
     "find the allocation sites. Users read the report.", "users"),
    # a capitalised word in front of the people word, written once and not the doc's name:
    # maybe another company or product; the people word alone
    ("An aside: this would incentivize Acme developers to join. Developers review changes. "
     "The Zed tool formats code. Then Zed checks code. Only Zed runs fast.", "developers"),
])
def test_the_people_are_the_docs_users_not_a_phrase_lifted_from_it(linter, body, users):
    ctx = _ctx(linter, f"# Diagnostics\n\n## Summary\n\n{body}\n")
    assert audience.of(ctx).users == users


def test_a_kinds_people_only_when_the_doc_is_clearly_of_that_kind(linter):
    # two platform words ("scheduler", "node") in a runtime doc: "users", not "cluster operators"
    text = ("# Soft heap limit\n\n## Background\n\nThe runtime scheduler runs the collector. "
            "Each node of the heap is scanned. The scheduler pauses the collector. The collector "
            "marks each node. The scheduler resumes it.\n")
    assert audience.of(_ctx(linter, text)).users == "users"
    kep = _ctx(linter, (DOCS / "kep-eviction.md").read_text())
    assert audience.sure_kind(kep) == "platform"


def test_a_title_that_is_a_sentence_is_no_feature_name(linter):
    # "at least <N> users adopt Remove the legacy flag" would not parse
    for title in ("Remove the legacy flag.", "Transitioning away from reply fallbacks"):
        ctx = _ctx(linter, f"# {title}\n\n## Summary\n\nText.\n")
        assert suggest.feature_name(ctx) == "", title
    ctx = _ctx(linter, "# Decoupled Taint Manager.\n\n## Summary\n\nText.\n")
    assert suggest.feature_name(ctx) == "Decoupled Taint Manager"


def test_times_written_from_the_word_index_counts_as_the_pattern_does():
    """audience._times_written counts a phrase from a per-doc word index (a long doc
    asked it once per candidate phrase, each a scan of the whole text); the count is
    the one the plain pattern gives, on texts built to trip it up."""
    import itertools
    import random
    from types import SimpleNamespace

    def by_pattern(text, phrase, at_most=2):
        stem = r"\s+".join(re.escape(w) for w in (phrase[:-1] if phrase.endswith("s") else phrase).split())
        return sum(1 for _ in itertools.islice(re.finditer(rf"\b{stem}(?:s|es)?\b", text), at_most))

    pieces = ["user", "users", "useres", "cluster", "operator", "operators", "op", "a", "s",
              " ", "  ", "\n", "-", "_", ",", "(", "é", "C++", "\u00a0"]
    phrases = ["users", "user", "cluster operators", "cluster operator", "a a", "a a a",
               "operators s", "C++ users", "op", "s", "cluster  operators"]
    rng = random.Random(7)
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        ctx = SimpleNamespace(parsed=SimpleNamespace(text=text), memo={})
        for phrase in phrases:
            for at_most in (1, 2, 5):
                assert audience._times_written(ctx, phrase, at_most) == by_pattern(text, phrase, at_most), (text, phrase)


def test_a_name_always_written_before_the_same_word_is_not_the_project(linter):
    # "Dev tools" each time: the first word of a team's name, so no "Dev users"
    body = " ".join(["The Dev tools team owns the registry."] * 10
                    + ["Moving it under Dev tools groups the work."] * 4)
    ctx = _ctx(linter, f"# Move the registry team\n\n## Summary\n\n{body}\n")
    assert audience.project_name(ctx) == "", audience.project_name(ctx)


@pytest.mark.parametrize("section, text, expected", [
    # the authors take on work: the project's own cost, asked as what users feel of it
    ("## Motivation", "A string-based API would force us into writing a compiler pass that "
     "turns each string into a symbol.",
     "On \u201cA string-based API would force us into writing a compiler pass that turns\u2026\u201d: say "
     "what this problem of the project's own means for cluster operators today: 'Today cluster "
     "operators <wait for / miss> <fix / feature / release> because <the team's problem>.'"),
    # reviewing and the project's CI are the team's work, whatever the cue words say
    ("## Drawbacks", "Behaviors end up scattered through the test files, making it hard "
     "to review whether the list is complete.",
     "On \u201cmaking it hard to review whether the list is complete\u201d: say whether cluster "
     "operators feel this cost to the project: '<fix / feature / release cluster operators "
     "wait for> would <slip / get less reliable> because <the team's cost>.'"),
    ("## Motivation", "The goal is for us to keep the test coverage while spending less on CI.",
     "On \u201cThe goal is for us to keep the test coverage\u201d: say what cluster operators get from "
     "this gain of the project's own: 'Cluster operators get <fix / feature / release> <sooner "
     "/ more reliably> because <the team's gain>.'"),
    # ... but a kind users feel directly stays theirs
    ("## Design Details", "We cut the p99 latency of every pod lookup in half.",
     "On \u201cWe cut the p99 latency of every pod lookup in half\u201d: say how much sooner "
     "cluster operators get what they wait for: 'Cluster operators wait <X> instead of <Y> "
     "for <what they wait on>.'"),
])
def test_the_projects_own_work_is_asked_as_what_users_get_from_it(linter, section, text,
                                                                  expected):
    assert _say(linter, section, text) == expected
