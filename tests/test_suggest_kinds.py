"""PS101 suggestions, from the user's side: the real CLI on real-looking docs, one rendered
suggestion per failure kind a blind judge found (issue 10, rounds 4-6), each fixed by a
mechanism with its words in rules/ (suggestions.yml, ps101.yml)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import first_kind, run_cli

DOCS = Path(__file__).parent / "fixtures" / "suggest-kinds"


@pytest.fixture(scope="module")
def said():
    proc = run_cli("--format", "json", "--select", "PS101", ".", cwd=DOCS)
    assert proc.returncode == 1, proc.stderr
    return {(Path(f["path"]).name, f["line"]): f["suggestion"]
            for f in json.loads(proc.stdout)["findings"]}


def test_a_removal_asks_who_relies_on_what_goes_not_what_users_can_now_do(said):
    # the doc removes something ("Feature Name: `remove_legacy_targets`"): its claims are
    # asked as who relies on what goes and what they do instead, never "with this change,
    # they can"
    text = first_kind(said[("rfc-remove-legacy-targets.md", 14)])
    assert text == (
        "On \u201cKeeping the legacy targets means the cleaner architecture of the new backend"
        "\u2026\u201d: say what keeping it costs Rust programmers today, and who relies on it: "
        "'Today Rust programmers <pay / wait for / hit> <what> because of <what goes>; with "
        "this change, those who use it move to <replacement>.'")
    # ... while the team's own burden stays the team's
    assert "this problem of the project's own" in said[("rfc-remove-legacy-targets.md", 12)]


def test_one_word_in_another_sense_reads_no_kind(said):
    # "editions are meant to be adopted": adoption is not what this claim is about
    text = said[("rfc-editions.md", 14)]
    assert "adopt" not in text.split("\u201d", 1)[1], text


def test_lines_of_code_are_the_projects_own_gain(said):
    # "some 5 lines of code (excluding tests ...)": the team's work, not a failure users hit
    assert first_kind(said[("design-rawtoken.md", 9)]) == (
        "On \u201ccomprising some 5 lines of code (excluding tests and comments)\u201d: say what go "
        "developers get from this gain of the project's own: 'Go developers get <fix / feature "
        "/ release> <sooner / more reliably> because <the team's gain>.'")


def test_consistent_results_are_about_failures_not_concepts(said):
    assert first_kind(said[("kep-consistent.md", 13)]) == (
        "On \u201cthe controller produces consistent results when an update is retried by another "
        "replica\u201d: say which failure cluster operators stop hitting: 'Cluster operators no "
        "longer hit <error> when <situation>.'")


def test_a_people_word_said_once_of_software_names_no_users(said):
    # "wrapper readers" (io readers, written once) is no kind of user
    assert first_kind(said[("rfc-readbuf.md", 11)]) == (
        "On \u201cThe new trait gives a much cleaner architecture than the current\u2026\u201d: say "
        "what users can do that they cannot today: 'Users can now <task>, which today needs "
        "<workaround>.'")
    assert "readers" not in " ".join(said.values())


def test_a_guessed_kind_offers_the_next_likeliest_too(said):
    # "a much cleaner architecture": no cue word names the outcome and the learned kind is
    # below ``kind_either_below`` (more often wrong than right there): two templates
    assert said[("rfc-readbuf.md", 11)] == (
        "On \u201cThe new trait gives a much cleaner architecture than the current\u2026\u201d: say "
        "what users can do that they cannot today: 'Users can now <task>, which today needs "
        "<workaround>.' Or, if it is rather about the project's own work, say what users get "
        "from this gain of the project's own: 'Users get <fix / feature / release> <sooner / "
        "more reliably> because <the team's gain>.'")
    # a sure reading ("lines of code": the team's) gets one
    assert "Or, if" not in said[("design-rawtoken.md", 9)]


def test_no_slot_holds_a_fragment(said):
    for text in said.values():
        assert "{" not in text and "}" not in text and "<>" not in text, text
        assert " the the " not in text and "  " not in text, text


def test_no_words_of_the_sentence_are_pasted_into_the_template(said):
    # rounds 7-12: every garbled suggestion was a phrase of the sentence in a slot ("lean
    # relative", "the agreement", "users can do with <an internal IR construct>"); the claim is
    # quoted in the doc's words, and the template after the quote is the rule pack's text only
    for (name, line), text in said.items():
        after = text.split("\u201d", 1)[-1]
        for phrase in ("plan fragments", "tile budget", "the new trait", "commitment",
                       "consensus", "lean relative"):
            assert phrase not in after, (name, line, text)
