"""PS101 suggestions' learned stance: a gain, a problem of today, or a cost.

A suggestion asks a writer to restate an engineering-only argument as a user outcome;
which template fits depends on the stance of the flagged sentence: a gain it claims, a
problem of how things are today, or a cost (a drawback of the proposal, a reason against
another option). The rules read it from cue words and sections (``suggest.frame_of``); this
model reads it from the words of the unit and of the sentence, the section heading and the
rules' own reading, and decides where it is sure (the rules elsewhere: an option the doc
weighs with no merit or cost word stays "weigh"). The kind of outcome stays the rules': on
the sentences where no cue word names one, a learned kind was right on only ~38% of
held-out units, less than the honest open question costs (docs/quality.md).

A multinomial logistic model over hashed binary features (crc32, as ``psense_lint.judge``),
in ``psense_lint/data/ps101-stance.npz``; rebuilt from the corpus and its labels by
``training/train_stance.py``. Scoring is a few hundred looked-up weights: no training
framework, no network.
"""
from __future__ import annotations

import functools
import os
import re
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from psense_lint import judge

DIM = 1 << 15
MODEL_FILE = "ps101-stance.npz"
STANCES = ("gain", "problem", "cost")
_WORD = re.compile(r"[a-z][a-z'-]*")


def features(unit_doc, sent, section: str, rules: tuple[str, str, bool], category: str) -> list[str]:
    """The feature names of a flagged sentence: the words and word pairs of its unit and
    the words of the sentence (lower-cased lemmas), its heading's words, the finding's
    category and the rules' reading (frame, kind, whether it is about another option)."""
    frame, kind, option = rules
    out = ["bias", "cat:" + category, "h:frame=" + frame, "h:kind=" + kind]
    if option:
        out.append("h:option")
    words = [t.norm_ for t in unit_doc if t.is_alpha]
    out += ["w:" + w for w in words]
    out += ["b:" + a + "_" + b for a, b in zip(words, words[1:])]
    out += ["sw:" + t.norm_ for t in sent if t.is_alpha]
    out += ["s:" + w for w in _WORD.findall(section.lower())]
    return out


def indices(names) -> list[int]:
    return sorted({i & (DIM - 1) for i in judge.hashed(names)})


class Stance(NamedTuple):
    weights: object    # numpy float32 (len(STANCES), DIM)
    bias: object       # numpy float32 (len(STANCES),)
    sure: float        # the probability above which it is trusted over the rules'

    def read(self, names) -> tuple[str, float]:
        """(stance, its probability)."""
        import numpy as np

        z = self.bias + self.weights[:, indices(names)].sum(axis=1)
        p = np.exp(z - z.max())
        k = int(p.argmax())
        return STANCES[k], float(p[k] / p.sum())


def model_path():
    """$PSENSE_LINT_PS101_STANCE_MODEL if set (to try a retrained model), else the shipped one."""
    override = os.environ.get("PSENSE_LINT_PS101_STANCE_MODEL")
    return Path(override) if override else resources.files("psense_lint.data").joinpath(MODEL_FILE)


def load() -> Stance:
    return _load(str(model_path()))


@functools.lru_cache(maxsize=2)
def _load(where: str) -> Stance:
    import numpy as np

    data = judge.read_npz(where, ("weights", "bias", "sure"), "PS101 stance",
                          "python training/train_stance.py")
    weights, bias = data["weights"].astype(np.float32), data["bias"].astype(np.float32)
    sure = float(data["sure"])
    if (weights.shape != (len(STANCES), DIM) or bias.shape != (len(STANCES),)
            or not 0.0 < sure < 1.0 or not np.isfinite(weights).all() or not np.isfinite(bias).all()):
        raise judge.corrupt(where, "PS101 stance")
    return Stance(weights, bias, sure)
