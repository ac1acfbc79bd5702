"""The learned stance of PS101's suggestions: its model file, from the user's side."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_judge import FIRES, _doc


@pytest.mark.parametrize("damage", ["missing", "truncated", "not-a-zip", "wrong-shape"])
def test_stance_model_file_errors(tmp_path, damage):
    import numpy as np

    from psense_lint import stance

    bad = tmp_path / "stance.npz"
    good = Path(str(stance.model_path())).read_bytes()
    if damage == "truncated":
        bad.write_bytes(good[: len(good) // 2])
    elif damage == "not-a-zip":
        bad.write_text("hello")
    elif damage == "wrong-shape":
        np.savez(bad, weights=np.zeros(3, dtype=np.float32), bias=np.zeros(3), sure=0.5)
    doc = _doc(tmp_path, FIRES[0])
    result = run_cli(doc, env={"PSENSE_LINT_PS101_STANCE_MODEL": str(bad)})
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines and all("Traceback" not in line for line in lines)
    assert "PS101 stance model file is" in lines[0] and str(bad) in lines[0]


def test_shipped_stance_model_is_a_plain_npz():
    """No pickles: numpy loads it with allow_pickle=False."""
    from psense_lint import stance

    with zipfile.ZipFile(str(stance.model_path())) as z:
        assert sorted(z.namelist()) == sorted(f"{a}.npy" for a in stance.ARRAYS)
    models = stance.load()
    assert models.stance.weights.shape == (len(stance.STANCES), stance.DIM)
    assert models.kind.weights.shape == (len(stance.KINDS), stance.DIM)
    assert 0 < models.stance.sure < 1 and 0 < models.kind.sure <= 1
