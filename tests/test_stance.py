"""The learned stance of PS101's suggestions: its model file, from the user's side."""
from __future__ import annotations

import zipfile

import pytest

from tests.conftest import MODEL_DAMAGE, assert_model_error, damaged_model, run_cli
from tests.test_judge import FIRES, _doc


@pytest.mark.parametrize("damage", MODEL_DAMAGE)
def test_stance_model_file_errors(tmp_path, damage):
    import numpy as np

    from psense_lint import stance

    bad = damaged_model(stance.model_path(), tmp_path / "stance.npz", damage,
                        weights=np.zeros(3, dtype=np.float32), bias=np.zeros(3), sure=0.5)
    doc = _doc(tmp_path, FIRES[0])
    result = run_cli(doc, env={"PSENSE_LINT_PS101_STANCE_MODEL": str(bad)})
    assert_model_error(result, "PS101 stance", bad)


def test_shipped_stance_model_is_a_plain_npz():
    """No pickles: numpy loads it with allow_pickle=False."""
    from psense_lint import stance

    with zipfile.ZipFile(str(stance.model_path())) as z:
        assert sorted(z.namelist()) == sorted(f"{a}.npy" for a in stance.ARRAYS)
    models = stance.load()
    assert models.stance.weights.shape == (len(stance.STANCES), stance.DIM)
    assert models.kind.weights.shape == (len(stance.KINDS), stance.DIM)
    assert 0 < models.stance.sure < 1 and 0 < models.kind.sure <= 1
