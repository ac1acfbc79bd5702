"""PS201's reader: does this paragraph of a pain section state a pain of the doc's users?

The word lists find most statements of user pain (a people word and a pain word, a
pain phrase); what they miss is said in the doc's own words ("line-based diff tools do
not handle notebooks properly"). Where they find no answer, the doc-level check asks
this reader of each paragraph of the doc's pain sections (Motivation, Background,
Problem, user stories ...): a logistic model over the paragraph's words and word pairs (``token.norm_``) and
its heading's words, hashed as PS101's judgement is (``judge.hashed``). It is trained on
the corpus units labelled USER or MIXED (an argument from an outcome for the people the
product serves) against the others: ``python training/train_pain_reader.py``. The weights
ship in ``psense_lint/data/ps201-reader.npz``; scoring is a sum of looked-up weights.
"""
from __future__ import annotations

import functools
import math
import os
import re
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from psense_lint import judge

MODEL_FILE = "ps201-reader.npz"
_HEADING_WORD = re.compile(r"[a-z][a-z'-]*")


def features(doc, unit) -> list[str]:
    """The feature names of one paragraph (spaCy Doc of its text, its ``markdown.Prose``)."""
    section = unit.section[-1] if unit.section else ""
    words = [t.norm_ for t in doc if t.is_alpha]
    return (["bias"] + ["w:" + w for w in words]
            + ["b:" + a + "_" + b for a, b in zip(words, words[1:])]
            + ["s:" + w for w in _HEADING_WORD.findall(section.lower())])


class Reader(NamedTuple):
    weights: object        # numpy float32 array of judge.DIM
    bias: float

    def score(self, names) -> float:
        """Probability that the paragraph argues from an outcome for the doc's users."""
        z = self.bias + float(self.weights[judge.hashed(names)].sum())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def model_path():
    """$PSENSE_LINT_PS201_READER if set (to try a retrained model), else the shipped one."""
    override = os.environ.get("PSENSE_LINT_PS201_READER")
    return Path(override) if override else resources.files("psense_lint.data").joinpath(MODEL_FILE)


def load() -> Reader:
    return _load(str(model_path()))


@functools.lru_cache(maxsize=2)
def _load(where: str) -> Reader:
    import numpy as np

    data = judge.read_npz(where, ("weights", "bias"), "PS201 reader",
                          "python training/train_pain_reader.py")
    weights = data["weights"].astype(np.float32)
    if weights.shape != (judge.DIM,) or not np.isfinite(weights).all():
        raise judge.corrupt(where, "PS201 reader")
    return Reader(weights, float(data["bias"]))
