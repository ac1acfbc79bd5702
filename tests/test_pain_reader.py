"""PS201's reader of pain sections (psense_lint/painreader.py), from the user's side."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_cli

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


@pytest.mark.parametrize("damage", ["missing", "truncated", "wrong-shape"])
def test_reader_model_file_errors(tmp_path, damage):
    import numpy as np

    from psense_lint import painreader

    bad = tmp_path / "reader.npz"
    good = Path(str(painreader.model_path())).read_bytes()
    if damage == "truncated":
        bad.write_bytes(good[: len(good) // 2])
    elif damage == "wrong-shape":
        np.savez(bad, weights=np.zeros(3, dtype=np.float32), bias=np.float32(0))
    doc = _doc(tmp_path, OWN_WORDS)
    result = run_cli(doc, cwd=tmp_path, env={"PSENSE_LINT_PS201_READER": str(bad)})
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines and all("Traceback" not in line for line in lines)
    assert "PS201 reader model file is" in lines[0] and str(bad) in lines[0]


def test_shipped_reader_is_a_plain_npz():
    """No pickles: numpy loads it with allow_pickle=False."""
    from psense_lint import judge, painreader

    with zipfile.ZipFile(str(painreader.model_path())) as z:
        assert sorted(z.namelist()) == ["bias.npy", "weights.npy"]
    assert painreader.load().weights.shape == (judge.DIM,)
