"""PS101 engineering-only argument, decided by the rules alone (``decide: rules``):
sentences that must fire and must not. The learned judgement, the default, has its
own tables in test_judge.py.

The examples in rules/ps101.yml (what --explain prints) are checked here with the
default judgement, so the docs and the behaviour cannot drift apart."""
from pathlib import Path

import pytest

from psense_lint.config import load_config
from psense_lint.engine import Linter
from psense_lint.rulepack import load_pack

PACK = load_pack(())


def _linter(root, pack):
    config = load_config(None, start=root, known_rules=set(pack.rules), cli={"select": ("PS101",)})
    linter = Linter(config, pack)
    return lambda text, section="Motivation": linter.lint_text(
        f"## {section}\n\n{text}\n", "notes/x.md").findings


@pytest.fixture(scope="module")
def lint(tmp_path_factory):
    root = tmp_path_factory.mktemp("ps101")
    rules_only = root / "rules-only.yml"
    rules_only.write_text("rules:\n  PS101:\n    options:\n      decide: rules\n")
    return _linter(root, load_pack((rules_only,)))


@pytest.fixture(scope="module")
def lint_default(tmp_path_factory):
    return _linter(tmp_path_factory.mktemp("ps101-default"), PACK)


FIRES = [
    "We should move to the event bus because it gives a cleaner architecture and less coupling.",
    "Splitting the controller improves maintainability.",
    "This pays down technical debt in the billing module.",
    "The current code is tightly coupled and hard to modify.",
    "Moving to a modern stack keeps the codebase healthy.",
    "- Decouple the scheduler from the storage layer.",
    "The new design promotes separation of concerns and extensibility.",
    "The main drawback is the added complexity in the implementation.",
    "It reduces the maintenance burden on the core team.",
    "This lowers memory usage of the controller by 30%.",
    "The current implementation is hard to reason about.",
    "It consolidates the code paths for both modes.",
    "This cuts the load on the apiserver.",
    "It reduces flaky tests in CI.",
]

PASSES = [
    # user outcome in the same sentence or paragraph
    "The cleaner architecture lets customers check out in two steps instead of five.",
    "Splitting the controller lets cluster administrators replace it with their own.",
    "This pays down technical debt. Today users wait 8 seconds for search results.",
    "The refactoring removes the confusing error message users see on login.",
    "Programs may want to plug in their own allocator; the modular design allows that.",
    # not an argument: description, mechanics
    "The controller watches pods and records their state in a cache.",
    "The service is split into two processes: one reads, one writes.",
    "We propose to decouple the reader from the writer.",
    "The new output is easier to read for users.",
    # engineering words inside code or links are not prose
    "Set `clean_architecture = true` in the config file.",
    "See [the guide](https://example.com/clean-architecture-maintainability).",
]


@pytest.mark.parametrize("text", FIRES)
def test_fires(lint, text):
    findings = lint(text)
    assert [f.rule for f in findings] == ["PS101"], text
    assert '"' in findings[0].message           # the message quotes the claim


@pytest.mark.parametrize("text", PASSES)
def test_passes(lint, text):
    assert lint(text) == (), text


@pytest.mark.parametrize("section", ["Implementation History", "Non-Goals", "Test Plan"])
def test_skipped_sections(lint, section):
    assert lint("Splitting the controller improves maintainability.", section) == ()


def test_weak_claim_needs_an_argument(lint):
    text = "The scheduler has a separate queue for each tenant group."
    assert lint(text, "Design Details") == ()


def test_suggestion_is_category_specific_and_reuses_the_docs_words(lint):
    finding, = lint("We should move to the event bus because it gives a cleaner architecture.")
    assert finding.category == "architecture"
    assert "cleaner architecture" in finding.suggestion  # the claim, in the doc's words
    debt, = lint("It also pays down technical debt in the notification code.")
    assert debt.category == "tech_debt" and "notification code" in debt.suggestion


def test_finding_points_at_the_claim_phrase(lint):
    finding, = lint("The queue holds jobs. Splitting the controller improves maintainability.",
                    "Design")
    # line 3 of "## Design\n\n<text>": the claim "maintainability" spans columns 57-72
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (3, 57, 3, 72)


INFOS = PACK.rule_infos()


@pytest.mark.parametrize("rid", sorted(r for r in INFOS if r.startswith("PS1")))
def test_rule_examples_from_yaml(lint_default, rid):
    info = INFOS[rid]
    assert info.fires and info.passes, f"{rid} needs examples in its YAML"
    for text in info.fires:
        assert rid in {f.rule for f in lint_default(text)}, text
    for text in info.passes:
        assert rid not in {f.rule for f in lint_default(text)}, text
