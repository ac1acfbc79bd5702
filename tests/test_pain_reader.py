"""PS201's reader of pain sections (psense_lint/painreader.py), from the user's side."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.conftest import MODEL_DAMAGE, assert_model_error, damaged_model, run_cli

# a user pain in the doc's own words: no people word next to a pain word the lists know
OWN_WORDS = ("When two people edit the same notebook, the diff shows a wall of JSON, and "
             "reviewers cannot see which cell changed.")
# the code's own trouble: no pain of its users
INTERNAL = "The parser is hard to change."


def _doc(tmp_path: Path, motivation: str) -> Path:
    doc = tmp_path / "x.md"
    doc.write_text(f"# Notebook merges\n\n## Motivation\n\n{motivation}\n\n## Goals\n\n"
                   "- Merge notebooks cell by cell.\n\n## Non-Goals\n\n- A new UI.\n",
                   encoding="utf-8")
    return doc


@pytest.mark.parametrize("motivation, answered", [(OWN_WORDS, True), (INTERNAL, False)])
def test_a_pain_said_in_the_docs_own_words_answers_and_the_codes_own_does_not(
        tmp_path, motivation, answered):
    doc = _doc(tmp_path, motivation)
    result = run_cli("--format", "json", "--fail-on", "never", "--select", "PS201", doc,
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # the summary points at the paragraph the reader read (line 5), or says it is missing
    assert data["documents"][0]["user_pain"] == (5 if answered else None)
    assert ("PS201" in {f["rule"] for f in data["findings"]}) is not answered


@pytest.mark.parametrize("damage", MODEL_DAMAGE)
def test_reader_model_file_errors(tmp_path, damage):
    import numpy as np

    from psense_lint import painreader

    bad = damaged_model(painreader.model_path(), tmp_path / "reader.npz", damage,
                        weights=np.zeros(3, dtype=np.float32), bias=np.float32(0))
    doc = _doc(tmp_path, OWN_WORDS)
    result = run_cli(doc, cwd=tmp_path, env={"PSENSE_LINT_PS201_READER": str(bad)})
    assert_model_error(result, "PS201 reader", bad)


def test_shipped_reader_is_a_plain_npz():
    """No pickles: numpy loads it with allow_pickle=False."""
    from psense_lint import judge, painreader

    with zipfile.ZipFile(str(painreader.model_path())) as z:
        assert sorted(z.namelist()) == ["bias.npy", "weights.npy"]
    assert painreader.load().weights.shape == (judge.DIM,)
