"""PS101's learned judgement: does this prose unit argue only from engineering merit?

A logistic model over features the engine already has for a unit: its words and
word pairs (lower-cased lemmas, ``token.norm_``), the words of its section
heading, and what the PS101 rule pack sees in it (claim categories, argument
cues, people and team words, section role). Features are hashed (crc32, so the
same in every process) into a fixed-size weight vector. The weights ship in
``psense_lint/data/ps101-judge.npz``; ``training/train_ps101.py`` rebuilds them
from the corpus. Scoring is a sum of looked-up weights: no training framework,
no network.
"""
from __future__ import annotations

import functools
import math
import os
import re
import zlib
from importlib import resources
from pathlib import Path
from typing import Iterable, NamedTuple

from psense_lint.model import ConfigError

DIM = 1 << 18
MODEL_FILE = "ps101-judge.npz"
_HEADING_WORD = re.compile(r"[a-z][a-z'-]*")


class Signals(NamedTuple):
    """What PS101's rule pack finds in one unit."""

    claims: tuple[tuple[str, bool], ...]   # (category, strong) of each claim match
    cue: bool                              # an argument cue outside the claim words
    linked: bool                           # people / user effect (not the team) in the unit
    group_linked: bool                     # ... or anywhere in its paragraph group
    team: bool                             # the team building the thing is named
    arg_section: bool                      # a section where reasons are given
    skip_section: bool                     # a section that is never argued


def features(doc, section: str, signals: Signals) -> list[str]:
    """The feature names of one unit (spaCy Doc of its text, its heading)."""
    words = [t.norm_ for t in doc if t.is_alpha]
    out = ["w:" + w for w in words]
    out += ["b:" + a + "_" + b for a, b in zip(words, words[1:])]
    rest = _rest(section, signals, len(words))
    return rest[:1] + out + rest[1:]


_INDEX: dict[str, int] = {}


def hashed(names: Iterable[str]) -> list[int]:
    """The distinct weight indices of these features (each counts once: binary features)."""
    index = _INDEX
    if len(index) > 400_000:  # a bound on the memo, not on the features
        index.clear()
    out = set()
    for n in names:
        i = index.get(n)
        if i is None:
            i = index[n] = zlib.crc32(n.encode("utf-8")) & (DIM - 1)
        out.add(i)
    return sorted(out)


def indices(doc, section: str, signals: Signals) -> list[int]:
    """``hashed(features(doc, section, signals))``, the same list, computed from the
    Doc's token arrays (norm hashes) with the word and word-pair indices memoised by
    norm hash: no spaCy Token objects and no feature strings per token. ``doc`` is a
    Doc or a Span (a sentence)."""
    from spacy.attrs import IS_ALPHA, NORM

    whole = getattr(doc, "doc", doc)
    arrays = whole.user_data.get(_ARRAYS_KEY)
    if arrays is None:
        arrays = ([], []) if not len(whole) else whole.to_array([NORM, IS_ALPHA]).T.tolist()
        whole.user_data[_ARRAYS_KEY] = arrays
    norms, alpha = arrays
    start, end = (doc.start, doc.end) if whole is not doc else (0, len(norms))
    words = [norms[i] for i in range(start, end) if alpha[i]]
    if len(_WORD) > 400_000 or len(_PAIR) > 400_000:  # bounds on the memos
        _WORD.clear()
        _PAIR.clear()
    strings = whole.vocab.strings
    out = set()
    for h in words:
        i = _WORD.get(h)
        if i is None:
            i = _WORD[h] = zlib.crc32(("w:" + strings[h]).encode("utf-8")) & (DIM - 1)
        out.add(i)
    for pair in zip(words, words[1:]):
        i = _PAIR.get(pair)
        if i is None:
            name = "b:" + strings[pair[0]] + "_" + strings[pair[1]]
            i = _PAIR[pair] = zlib.crc32(name.encode("utf-8")) & (DIM - 1)
        out.add(i)
    rest = _rest(section, signals, len(words))
    out.update(hashed(rest))
    return sorted(out)


_ARRAYS_KEY = "psense_lint.judge_arrays"
_WORD: dict[int, int] = {}                 # norm hash -> index of "w:<norm>"
_PAIR: dict[tuple[int, int], int] = {}     # (norm hash, norm hash) -> index of "b:<a>_<b>"


def _rest(section: str, signals: Signals, n: int) -> list[str]:
    """The features of ``features`` that are not words or word pairs."""
    out = ["bias"]
    out += ["s:" + w for w in _HEADING_WORD.findall(section.lower())]
    out.append("len:" + ("0" if n < 8 else "1" if n < 20 else "2" if n < 45 else "3" if n < 90 else "4"))
    for cat, strong in set(signals.claims):
        out.append("claim:" + cat)
        out.append(("strong:" if strong else "weak:") + cat)
    if signals.claims:
        out.append("claim")
        if any(strong for _, strong in signals.claims):
            out.append("strong")
    for name in ("cue", "linked", "group_linked", "team", "arg_section", "skip_section"):
        if getattr(signals, name):
            out.append("r:" + name)
            if signals.claims:
                out.append("claim&" + name)
    return out


class Judge(NamedTuple):
    weights: object        # numpy float32 array of DIM
    bias: float
    threshold: float       # default decision threshold (probability)

    def score(self, names: Iterable[str]) -> float:
        """Probability that the unit argues only from engineering merit."""
        return self.score_indices(hashed(names))

    def score_unit(self, doc, section: str, signals: Signals) -> float:
        """``score(features(doc, section, signals))``, the same number, faster (``indices``)."""
        return self.score_indices(indices(doc, section, signals))

    def score_indices(self, idx: list[int]) -> float:
        z = self.bias + float(self.weights[idx].sum())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def model_path():
    """The model file: $PSENSE_LINT_PS101_MODEL if set (to try a retrained model), else the shipped one."""
    override = os.environ.get("PSENSE_LINT_PS101_MODEL")
    return Path(override) if override else resources.files("psense_lint.data").joinpath(MODEL_FILE)


def load() -> Judge:
    return _load(str(model_path()))


def read_npz(where: str, names: tuple, what: str, rebuild: str) -> dict:
    """The named arrays of a shipped model file (``allow_pickle=False``); a missing or
    unreadable file is a ConfigError (one line naming it, exit 2)."""
    import numpy as np

    try:
        with open(where, "rb") as fh, np.load(fh, allow_pickle=False) as data:
            return {k: np.asarray(data[k]) for k in names}
    except FileNotFoundError:
        raise ConfigError(f"{where}: {what} model file is missing (reinstall psense-lint, or "
                          f"rebuild it: {rebuild})") from None
    except Exception as exc:  # truncated zip, missing arrays, not an npz at all
        raise ConfigError(f"{where}: {what} model file is corrupt ({type(exc).__name__}); "
                          "reinstall psense-lint") from None


def corrupt(where: str, what: str) -> ConfigError:
    return ConfigError(f"{where}: {what} model file is corrupt (unexpected shape or values); "
                       "reinstall psense-lint")


@functools.lru_cache(maxsize=2)
def _load(where: str) -> Judge:
    import numpy as np

    data = read_npz(where, ("weights", "bias", "threshold"), "PS101",
                    "python training/train_ps101.py")
    weights = data["weights"].astype(np.float32)
    bias, threshold = float(data["bias"]), float(data["threshold"])
    if weights.shape != (DIM,) or not 0.0 < threshold < 1.0 or not np.isfinite(weights).all():
        raise corrupt(where, "PS101")
    return Judge(weights, bias, threshold)
