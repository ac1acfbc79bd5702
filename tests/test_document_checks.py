"""PS201-PS204 and PS302, from the user's side: the real CLI on fixture folders.

tests/fixtures/docs holds short, realistic design docs in each template style
(KEP, Rust RFC, MADR, Google design doc, PR/FAQ, TensorFlow RFC, Go proposal), one
that answers the three questions and one that misses some, plus placeholder-only
sections, prose-only answers and docs that are not design docs at all.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from psense_lint.cli import main
from psense_lint.rulepack import load_pack

DOCS = Path(__file__).resolve().parent / "fixtures" / "docs"
DOC_RULES = "PS201,PS202,PS203,PS204,PS302"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the fixture docs as the current folder (no config file above it)."""
    root = tmp_path / "proj"
    shutil.copytree(DOCS, root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    return root


def run(capsys, *args):
    code = main(["--no-cache", "--jobs", "1", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def run_json(capsys, *args):
    code, out, err = run(capsys, "--format", "json", *args)
    assert err == ""
    return code, json.loads(out)


# (path, (user pain line, success line, non-goals line), [(rule, line), ...])
ANSWERS = [
    ("templates/kep-answers.md", (21, 92, 33), []),
    ("templates/rust-rfc-answers.md", (15, 19, 53), []),
    ("templates/madr-answers.md", (12, 40, 31), []),
    ("templates/google-answers.md", (8, 16, 20), []),
    ("templates/prfaq-answers.md", (11, 38, 43), []),
    ("templates/tf-rfc-answers.md", (18, 37, 14), []),
    ("templates/go-proposal-answers.md", (15, 29, 26), []),
]
MISSES = [
    # a motivation that is only the code's ("hard to change": nobody named, so no
    # user pain), empty Non-Goals, process-only graduation, SLO "N/A"
    ("templates/kep-misses.md", (None, None, None),
     [("PS201", 13), ("PS202", 19), ("PS203", 24)]),
    # no success measure; drawbacks and rejected alternatives are no non-goals
    ("templates/rust-rfc-misses.md", (14, None, None),
     [("PS202", 6), ("PS203", 6), ("PS204", 30)]),
    # the team's pain only; considered options are no non-goals
    ("templates/madr-misses.md", (None, None, None),
     [("PS201", 7), ("PS202", 5), ("PS203", 5), ("PS204", 18)]),
    # system description as context, vague goals, "Non-goals: TBD"
    ("templates/google-misses.md", (None, None, None),
     [("PS201", 5), ("PS202", 11), ("PS203", 11)]),
    ("templates/prfaq-misses.md", (11, None, None), [("PS202", 1), ("PS203", 1)]),
    # build-time motivation, "User Benefit: TBD"
    ("templates/tf-rfc-misses.md", (None, None, None),
     [("PS201", 8), ("PS202", 1), ("PS203", 1), ("PS204", 26)]),
    ("templates/go-proposal-misses.md", (13, None, None), [("PS202", 1), ("PS203", 1)]),
]
PLACEHOLDERS_AND_PROSE = [
    # every section holds only a comment, "N/A" or "TBD"
    ("design/placeholders.md", (None, None, None),
     [("PS201", 3), ("PS202", 7), ("PS203", 11)]),
    # no question sections at all: prose answers each question
    ("design/prose-only.md", (5, 13, 8), []),
    ("design/no-headings.md", (1, None, None), [("PS202", 1), ("PS203", 1)]),
    # Goals are measurable, but the success section is not
    ("design/vague-success.md", (5, 10, 18), [("PS302", 12)]),
    # not a design doc by path or headings, but front matter says it is
    ("notes/export-plan.md", (None, None, None),
     [("PS201", 4), ("PS202", 4), ("PS203", 4)]),
]
NOT_DESIGN = [
    "not-design/CHANGELOG.md",        # no template headings
    "not-design/how-to-deploy.md",    # one "Background" is not a template
    "not-design/README.md",           # "Motivation" + usage is not a template
    "not-design/opted-out.md",        # template headings, but front matter says false
    "rfcs/CHANGELOG.md",              # in an rfcs folder, but front matter names its type
]


@pytest.mark.parametrize("path, where, expected", ANSWERS + MISSES + PLACEHOLDERS_AND_PROSE,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_doc_questions(project, capsys, path, where, expected):
    _code, data = run_json(capsys, "--select", DOC_RULES, path)
    found = sorted((f["rule"], f["line"]) for f in data["findings"])
    assert found == sorted(expected)
    (doc,) = data["documents"]
    assert doc == {"path": path, "design_doc": True, "user_pain": where[0],
                   "success": where[1], "non_goals": where[2]}


@pytest.mark.parametrize("path", NOT_DESIGN)
def test_docs_excluded_by_type(project, capsys, path):
    code, data = run_json(capsys, "--select", DOC_RULES, path)
    assert data["findings"] == []
    assert data["documents"] == [{"path": path, "design_doc": False, "user_pain": None,
                                  "success": None, "non_goals": None}]
    assert code == 0


def test_text_output_of_a_doc_that_misses_everything(project, capsys):
    code, out, _err = run(capsys, "--select", DOC_RULES, "design/placeholders.md")
    assert code == 1
    assert out.splitlines() == [
        'design/placeholders.md:3:4: PS201 warning The doc never says which problem of the '
        'people it serves it reduces ("Motivation" names no pain of theirs).',
        "  suggestion: Add to \"Motivation\": 'Today, users have to <workaround / extra step / "
        "wait> when <situation>, which costs them <time / errors / money>. With Team calendar "
        "sync, <what changes for them>.'",
        'design/placeholders.md:7:4: PS202 warning The doc never says how anyone will know it '
        'worked (nothing under "Success metrics" is measurable).',
        "  suggestion: Add to \"Success metrics\": '<what users feel, as a number> goes from "
        "<baseline> to <target> by <date>, measured by <source>' (or: 'at least <N> users adopt "
        "Team calendar sync within <period>').",
        'design/placeholders.md:11:4: PS203 warning The doc never says what it will not do '
        '(nothing under "Non-goals" says so).',
        "  suggestion: Add to \"Non-goals\": '- Team calendar sync will not <thing users might "
        "expect>; <why, or where it is handled instead>.'",
        "design/placeholders.md: answers user pain (missing), success measure (missing), "
        "non-goals (missing)",
        "Found 3 findings (0 errors, 3 warnings, 0 infos) in 1 of 1 file.",
    ]


def test_text_output_of_a_weak_answer_and_a_missing_section(project, capsys):
    code, out, _err = run(capsys, "--select", DOC_RULES, "templates/rust-rfc-misses.md")
    assert code == 1
    findings = [line for line in out.splitlines() if not line.startswith("  ")]
    assert findings[:3] == [
        "templates/rust-rfc-misses.md:6:3: PS202 warning The doc never says how anyone will "
        "know it worked.",
        "templates/rust-rfc-misses.md:6:3: PS203 warning The doc never says what it will not do.",
        'templates/rust-rfc-misses.md:30:3: PS204 info What the doc will not do is only implied '
        'by "Drawbacks" (line 30); it states no non-goals.',
    ]
    assert findings[-2:] == [
        "templates/rust-rfc-misses.md: answers user pain (line 14), success measure (missing), "
        "non-goals (missing)",
        "Found 3 findings (0 errors, 2 warnings, 1 info) in 1 of 1 file.",
    ]
    assert out.splitlines()[1].startswith(  # a skeleton in the RFC's own style and name
        "  suggestion: Add to \"Motivation\": 'We will know `const_sort` worked when <N> of ")


def test_a_whole_folder_reports_each_question_once_per_doc(project, capsys):
    _code, data = run_json(capsys, "--select", DOC_RULES, ".")
    per_doc = {}
    for f in data["findings"]:
        key = (f["path"], f["rule"])
        per_doc[key] = per_doc.get(key, 0) + 1
    assert {k: n for k, n in per_doc.items() if k[1] != "PS302" and n > 1} == {}
    summaries = {d["path"]: d["design_doc"] for d in data["documents"]}
    assert sorted(p for p, design in summaries.items() if not design) == sorted(NOT_DESIGN)


def test_summary_in_text_and_json(project, capsys):
    _code, out, _err = run(capsys, "--select", DOC_RULES, "templates/kep-answers.md")
    assert out.splitlines() == [
        "templates/kep-answers.md: answers user pain (line 21), success measure (line 92), "
        "non-goals (line 33)",
        "No findings in 1 file.",
    ]
    _code, data = run_json(capsys, "--select", DOC_RULES, "templates/kep-answers.md")
    assert data["documents"][0]["success"] == 92


def test_design_docs_globs_come_from_the_config(project, capsys):
    (project / ".psense.yml").write_text("design-docs:\n  - 'not-design/**'\n", encoding="utf-8")
    _code, data = run_json(capsys, "--select", DOC_RULES, "not-design/how-to-deploy.md")
    assert sorted(f["rule"] for f in data["findings"]) == ["PS201", "PS202", "PS203"]
    assert data["documents"][0]["design_doc"] is True


def test_front_matter_false_wins_over_a_design_folder(project, capsys):
    target = project / "design" / "placeholders.md"
    target.write_text("---\ndesign-doc: false\n---\n" + target.read_text(encoding="utf-8"),
                      encoding="utf-8")
    _code, data = run_json(capsys, "--select", DOC_RULES, "design/placeholders.md")
    assert data["findings"] == []
    assert data["documents"][0]["design_doc"] is False


def test_only_one_rule_enabled_still_gives_the_whole_summary(project, capsys):
    _code, data = run_json(capsys, "--select", "PS203", "templates/kep-misses.md")
    assert [(f["rule"], f["line"]) for f in data["findings"]] == [("PS203", 24)]
    assert data["documents"][0]["user_pain"] is None
    assert data["documents"][0]["success"] is None
    assert data["documents"][0]["non_goals"] is None


def test_a_users_rule_pack_extends_the_section_names(project, capsys):
    (project / "extra.yml").write_text(
        "lexicons:\n  ps2_non_goal_sections:\n    - what we leave out\n", encoding="utf-8")
    (project / ".psense.yml").write_text("rule-files: [extra.yml]\n", encoding="utf-8")
    doc = project / "design" / "leave-out.md"
    doc.write_text(
        "# Bulk export\n\n## Motivation\n\nAnalysts currently copy reports by hand.\n\n"
        "## What we leave out\n\n- Scheduled exports.\n", encoding="utf-8")
    _code, data = run_json(capsys, "--select", "PS203", "design/leave-out.md")
    assert data["findings"] == []
    assert data["documents"][0]["non_goals"] == 9  # the item, not its heading


# ---------------------------------------------------------------- rule examples

def _examples():
    pack = load_pack(())
    for rid, spec in sorted(pack.rules.items()):
        assert spec.info.fires and spec.info.passes, f"{rid} needs examples that fire and pass"
        for n, text in enumerate(spec.info.fires):
            yield pytest.param(rid, text, True, id=f"{rid}-fires-{n}")
        for n, text in enumerate(spec.info.passes):
            yield pytest.param(rid, text, False, id=f"{rid}-passes-{n}")


@pytest.mark.parametrize("rule, text, fires", list(_examples()))
def test_rule_examples(tmp_path, monkeypatch, capsys, rule, text, fires):
    """Every rule's examples, read from the loaded pack: a doc-level example is a
    whole short doc, linted as a design doc; a sentence example is a one-line doc."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "design").mkdir()
    (tmp_path / "design" / "example.md").write_text(text + "\n", encoding="utf-8")
    _code, data = run_json(capsys, "--select", rule, "design/example.md")
    rules = [f["rule"] for f in data["findings"]]
    assert (rule in rules) == fires, data["findings"]


def test_the_line_shown_is_not_a_vetoed_one_and_a_preferred_one_wins():
    from psense_lint.checks.document import shown_lines

    evidence = [("sec_phrase", 3), ("now", 5), ("phrase", 7)]
    feats = {3: frozenset({"cue:condition"}), 5: frozenset(), 7: frozenset({"has:people"})}
    assert shown_lines(evidence, feats, ["cue:condition"], ["has:people"]) == [("phrase", 7)]
    assert shown_lines(evidence, feats, ["cue:condition"], ()) == [("now", 5), ("phrase", 7)]
    # when every line is vetoed, they all stay: the decision, not the line, says answered
    assert shown_lines(evidence, {n: frozenset({"cue:x"}) for n in (3, 5, 7)},
                       ["cue:x"], ()) == evidence


@pytest.mark.parametrize("where, design", [
    ("text/0092-asset-publishing.md", True),          # a long number: an RFC's name
    ("text/3392-council/non-goals.md", True),         # a file of a numbered RFC folder
    ("accepted/2020/form-factors.md", True),          # a folder of a design process
    ("notes/how-to-deploy.md", False),
    ("notes/01-how-to-deploy.md", False),             # a short number needs a heading
])
def test_numbered_names_and_process_folders_make_design_docs(project, capsys, where, design):
    target = project / where
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(project / "not-design" / "CHANGELOG.md", target)  # no template heading
    _code, data = run_json(capsys, "--select", DOC_RULES, where)
    assert data["documents"][0]["design_doc"] is design


def test_a_number_inside_a_name_is_no_measure(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    doc = tmp_path / "design" / "x.md"
    doc.parent.mkdir()
    doc.write_text("# X\n\n## Motivation\n\nUsers currently wait too long for the page.\n\n"
                   "## Success criteria\n\n- Works with k8s and microk8s clusters.\n\n"
                   "## Non-Goals\n\n- A new UI.\n", encoding="utf-8")
    _code, data = run_json(capsys, "--select", DOC_RULES, "design/x.md")
    assert data["documents"][0]["success"] is None
    assert "PS202" in {f["rule"] for f in data["findings"]}


def test_user_pain_needs_people_or_a_friction_and_shows_the_motivation_line(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    doc = tmp_path / "design" / "x.md"
    doc.parent.mkdir()
    # a pain word with nobody named (the code's): no answer, PS201 fires
    doc.write_text("# X\n\n## Motivation\n\nThe parser is hard to change.\n\n"
                   "## Non-Goals\n\n- A new UI.\n", encoding="utf-8")
    _code, data = run_json(capsys, "--select", DOC_RULES, "design/x.md")
    assert data["documents"][0]["user_pain"] is None
    assert "PS201" in {f["rule"] for f in data["findings"]}
    # people and a pain word anywhere answer; a Motivation line, when there is
    # one, is the line shown rather than that sentence
    doc.write_text("# X\n\n## Motivation\n\nThe parser is hard to change.\n\n"
                   "## Design\n\nPlugin authors cannot load a grammar of their own.\n\n"
                   "## Non-Goals\n\n- A new UI.\n", encoding="utf-8")
    _code, data = run_json(capsys, "--select", DOC_RULES, "design/x.md")
    assert data["documents"][0]["user_pain"] == 5
    assert "PS201" not in {f["rule"] for f in data["findings"]}


def test_line_features_are_decision_features():
    """features(): besides the counts, ``l:<name>`` counts the evidence lines of a
    question with each line feature (what PS203's decision weighs)."""
    import math

    from psense_lint.checks import document

    ev = {"user_pain": [], "success": [], "non_goals": [("defer", 3), ("limit", 7)]}
    line_feats = {("non_goals", 3): {"kind:defer", "in:weak", "cue:condition"},
                  ("non_goals", 7): {"kind:limit", "in:weak"}, ("success", 7): {"in:weak"}}
    f = document.features(ev, {"headings": 2}, line_feats)
    assert f["non_goals"]["l:in:weak"] == math.log1p(2)
    assert f["non_goals"]["l:cue:condition"] == math.log1p(1)
    assert f["non_goals"]["ev_defer"] == math.log1p(1)
    assert f["success"]["l:in:weak"] == math.log1p(1) and "l:in:weak" not in f["user_pain"]
    assert document.features(ev, {"headings": 2})["non_goals"].keys() == {"headings", "ev_defer",
                                                                          "ev_limit"}


def test_an_out_of_the_scope_sentence_answers_non_goals_wherever_it_sits(
        tmp_path, monkeypatch, capsys):
    """"X is out of the scope of this RFC" (with "the") says what the doc will not
    do, in prose or in a Future work section, and is the line the summary shows."""
    monkeypatch.chdir(tmp_path)
    doc = tmp_path / "design" / "x.md"
    doc.parent.mkdir()
    head = ("# X\n\n## Motivation\n\nOperators currently restart the cache by hand.\n\n"
            "## Design\n\nThe cache reloads itself when its file changes.\n\n")
    # in prose: line 11
    doc.write_text(head + "Reloading over the network is out of the scope of this RFC.\n\n"
                   "## Drawbacks\n\nThe reload takes a lock for a moment.\n", encoding="utf-8")
    _code, data = run_json(capsys, "--select", DOC_RULES, "design/x.md")
    assert data["documents"][0]["non_goals"] == 11
    assert "PS203" not in {f["rule"] for f in data["findings"]}
    # in a Future work section, a sentence that says it is left out is the line shown
    doc.write_text(head + "## Future work\n\nA web page could list the reloads.\n\n"
                   "Reloading over the network is outside of this proposal's scope.\n",
                   encoding="utf-8")
    _code, data = run_json(capsys, "--select", DOC_RULES, "design/x.md")
    assert data["documents"][0]["non_goals"] == 15
    assert "PS203" not in {f["rule"] for f in data["findings"]}
