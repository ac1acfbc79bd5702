"""PS101's learned judgement, from the user's side: the real CLI on fixture docs.

Fire/pass tables on real-looking design-doc paragraphs, offline runs, identical
output whatever --jobs is, the threshold option, and the model-file errors."""
import json
import os
import zipfile

import pytest

from tests.conftest import MODEL_DAMAGE, assert_model_error, damaged_model, run_cli

FIRES = [
    # engineering merit only, in the words of the categories
    "Splitting the controller improves maintainability and makes the code easier to reason about.",
    "The current implementation is tightly coupled, which makes every change to the scheduler risky.",
    "This refactoring pays down technical debt that has accumulated in the storage layer.",
    # no category word at all: the model still sees an argument from how the thing is built
    "The new design is more elegant and the implementation is much simpler than the old one.",
]

PASSES = [
    # a user outcome
    "Today operators have to restart every node by hand after an upgrade, which takes hours and "
    "often causes downtime for their applications.",
    "With this flag, users can see why their pod was evicted instead of guessing from the events.",
    # mechanics, not an argument
    "The controller watches pods and records their state in a local cache.",
    "The `spec.replicas` field is copied to the status when the object is created.",
]


def _doc(tmp_path, text, section="Motivation", name="proposal.md"):
    path = tmp_path / name
    path.write_text(f"# A proposal\n\n## {section}\n\n{text}\n", encoding="utf-8")
    return path


def _ps101(result):
    return [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "PS101"]


@pytest.mark.parametrize("text", FIRES)
def test_fires(tmp_path, text):
    result = run_cli("--select", "PS101", "--format", "json", _doc(tmp_path, text))
    found = _ps101(result)
    assert result.returncode == 1, result.stderr
    assert len(found) == 1
    f = found[0]
    assert (f["line"], f["end_line"]) == (5, 5)
    assert f["category"] and f["suggestion"] and "{" not in f["suggestion"] + f["message"]


@pytest.mark.parametrize("text", PASSES)
def test_passes(tmp_path, text):
    result = run_cli("--select", "PS101", "--format", "json", _doc(tmp_path, text))
    assert result.returncode == 0, result.stdout + result.stderr
    assert _ps101(result) == []


def test_finding_names_the_claim_and_its_category(tmp_path):
    text = "Splitting the scheduler into two controllers gives a cleaner architecture and less duplicated code."
    result = run_cli("--select", "PS101", "--format", "json", _doc(tmp_path, text))
    (f,) = _ps101(result)
    # the column points at the claim phrase, not the sentence start
    assert text[f["column"] - 1:f["end_column"] - 1] == "cleaner architecture"
    assert '"cleaner architecture"' in f["message"]
    assert f["category"] == "architecture"


def test_threshold_option_trades_precision_for_recall(tmp_path):
    doc = _doc(tmp_path, PASSES[2])  # mechanics: under the default threshold
    assert run_cli("--select", "PS101", doc, cwd=tmp_path).returncode == 0
    loose = tmp_path / "loose.yml"
    loose.write_text("rules:\n  PS101:\n    options:\n      threshold: 0.01\n")
    (tmp_path / ".psense.yml").write_text("rule-files: [loose.yml]\n")
    result = run_cli("--select", "PS101", "--format", "json", doc, cwd=tmp_path)
    assert result.returncode == 1 and len(_ps101(result)) == 1, result.stdout + result.stderr
    loose.write_text("rules:\n  PS101:\n    options:\n      threshold: 2\n")
    result = run_cli("--select", "PS101", doc, cwd=tmp_path)
    assert result.returncode == 2
    assert "option 'threshold' must be a number between 0 and 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_rules_only_mode(tmp_path):
    doc = _doc(tmp_path, "The new design is more elegant and the implementation is much simpler than the old one.")
    (tmp_path / "rules-only.yml").write_text("rules:\n  PS101:\n    options:\n      decide: rules\n")
    (tmp_path / ".psense.yml").write_text("rule-files: [rules-only.yml]\n")
    result = run_cli("--select", "PS101", "--format", "json", doc, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr


def test_runs_with_the_network_cut_off(tmp_path):
    """A sitecustomize that makes every socket fail: linting must not notice."""
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(
        "import socket\n"
        "def _no(*a, **k):\n    raise OSError('network is cut off in this test')\n"
        "socket.socket.connect = _no\nsocket.socket.connect_ex = _no\n"
        "socket.create_connection = _no\nsocket.getaddrinfo = _no\n")
    doc = _doc(tmp_path, FIRES[0])
    env = {"PYTHONPATH": os.pathsep.join([str(guard), os.environ.get("PYTHONPATH", "")]),
           "HF_HUB_OFFLINE": "1"}
    result = run_cli("--select", "PS101", "--jobs", "1", doc, env=env)
    assert result.returncode == 1, result.stderr
    assert "PS101" in result.stdout


def test_output_identical_across_jobs(tmp_path):
    for n, text in enumerate(FIRES + PASSES):
        _doc(tmp_path, text, name=f"doc{n}.md")
    one = run_cli("--format", "json", "--jobs", "1", tmp_path)
    two = run_cli("--format", "json", "--jobs", "2", tmp_path)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout


@pytest.mark.parametrize("damage", MODEL_DAMAGE)
def test_model_file_errors(tmp_path, damage):
    import numpy as np

    from psense_lint import judge

    bad = damaged_model(judge.model_path(), tmp_path / "model.npz", damage,
                        weights=np.zeros(3, dtype=np.float32), bias=0.0, threshold=0.5)
    doc = _doc(tmp_path, FIRES[0])
    other = _doc(tmp_path, "Nothing to see here.", name="other.md")
    result = run_cli(doc, other, env={"PSENSE_LINT_PS101_MODEL": str(bad)})
    assert_model_error(result, "PS101", bad)


def test_shipped_model_is_a_plain_npz():
    """No pickles in the model file: numpy loads it with allow_pickle=False."""
    from psense_lint import judge

    with zipfile.ZipFile(str(judge.model_path())) as z:
        assert sorted(z.namelist()) == ["bias.npy", "threshold.npy", "weights.npy"]


def test_fast_indices_are_the_feature_hashes():
    """``judge.indices`` (token arrays, memoised per norm) gives the very indices of
    ``hashed(features(...))`` for a unit and for each of its sentences: the scores
    are the same numbers."""
    from psense_lint import judge, nlp

    pipe = nlp.load()
    sig = judge.Signals(claims=(("coupling", False), ("coupling", False), ("debt", True)),
                        cue=True, linked=False, group_linked=True, team=False,
                        arg_section=True, skip_section=False)
    texts = [*FIRES, *PASSES, "", "   \n  ", "Don't couple it; it's 2x simpler.\nThe end."]
    for text in texts:
        doc = pipe(text)
        for part in (doc, *doc.sents):
            for section, s in (("Motivation and goals", sig), ("", judge.Signals((), *[False] * 6))):
                want = judge.hashed(judge.features(part, section, s))
                assert judge.indices(part, section, s) == want
