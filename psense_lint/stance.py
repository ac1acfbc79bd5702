"""PS101 suggestions' learned reading: the stance and the kind of outcome of a sentence.

A suggestion asks a writer to restate an engineering-only argument as a user outcome;
which template fits depends on the stance of the flagged sentence (a gain it claims, a
problem of how things are today, or a cost: a drawback of the proposal, a reason against
another option) and on the kind of outcome it is about (waits, resources, errors, security,
steps, what users can do, adoption, the project's own work, something removed). The rules
read both from cue words and sections (``suggest.frame_of``, ``suggest.outcome_kind``);
two models read them from the words of the unit and of the sentence, the section heading
and the rules' own reading, and decide where they are sure (the rules elsewhere; the kind
model always where no cue word names a kind, since a kind, even a guessed one, gives a
suggestion the writer can fill in and an open question did not: docs/quality.md).

Multinomial logistic models over hashed binary features (crc32, as ``psense_lint.judge``),
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
KINDS = ("waits", "resources", "errors", "security", "steps", "can_do", "adoption", "team",
         "removal")
# the arrays of the file: per model its weights (float16 in the file), bias and ``sure``
ARRAYS = ("weights", "bias", "sure", "kind_weights", "kind_bias", "kind_sure")
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


class Model(NamedTuple):
    classes: tuple     # its labels (STANCES or KINDS)
    weights: object    # numpy float32 (len(classes), DIM)
    bias: object       # numpy float32 (len(classes),)
    sure: float        # the probability from which it is trusted over the rules' reading

    def read(self, names) -> tuple[str, float]:
        """(label, its probability)."""
        return self.ranked(names)[0]

    def ranked(self, names) -> list[tuple[str, float]]:
        """(label, probability) of every label, the most probable first."""
        import numpy as np

        z = self.bias + self.weights[:, indices(names)].sum(axis=1)
        p = np.exp(z - z.max())
        p /= p.sum()
        return [(self.classes[k], float(p[k])) for k in np.argsort(-p, kind="stable")]


class Learned(NamedTuple):
    stance: Model
    kind: Model


def model_path():
    """$PSENSE_LINT_PS101_STANCE_MODEL if set (to try a retrained model), else the shipped one."""
    override = os.environ.get("PSENSE_LINT_PS101_STANCE_MODEL")
    return Path(override) if override else resources.files("psense_lint.data").joinpath(MODEL_FILE)


def load() -> Learned:
    return _load(str(model_path()))


@functools.lru_cache(maxsize=2)
def _load(where: str) -> Learned:
    import numpy as np

    data = judge.read_npz(where, ARRAYS, "PS101 stance", "python training/train_stance.py")
    models = []
    for prefix, classes in (("", STANCES), ("kind_", KINDS)):
        weights = data[prefix + "weights"].astype(np.float32)
        bias = data[prefix + "bias"].astype(np.float32)
        sure = float(data[prefix + "sure"])
        if (weights.shape != (len(classes), DIM) or bias.shape != (len(classes),)
                or not 0.0 < sure <= 1.0 or not np.isfinite(weights).all()
                or not np.isfinite(bias).all()):
            raise judge.corrupt(where, "PS101 stance")
        models.append(Model(classes, weights, bias, sure))
    return Learned(*models)
