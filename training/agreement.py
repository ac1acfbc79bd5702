#!/usr/bin/env python3
"""How well a second, blind labeller agrees with the corpus labels.

    python training/agreement.py --corpus ../shared/corpus

training/agreement-labels.jsonl holds a blind relabelling (by LABELING.md, labels not
shown) of 400 corpus units drawn at random: where each unit starts, and the label.
It is a measurement only (never trained on): it says how far a careful reader gets
on these labels, the ceiling a learned judgement can aim for.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ("ENG_ONLY", "USER", "MIXED", "NONE")


def kappa(pairs, labels) -> float:
    n = len(pairs)
    seen = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(first[x] * second[x] for x in labels) / n / n
    return (seen - chance) / (1 - chance)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--labels", type=Path, default=ROOT / "training" / "agreement-labels.jsonl")
    args = ap.parse_args(argv)
    corpus = {}
    for line in (args.corpus / "units.jsonl").read_text().splitlines():
        u = json.loads(line)
        corpus[(u["source_repo"], u["path"], u["start_line"])] = u["label"]
    pairs = [(corpus[(r["source_repo"], r["path"], r["line"])], r["label"])
             for r in map(json.loads, args.labels.read_text().splitlines())]
    binary = [(a == "ENG_ONLY", b == "ENG_ONLY") for a, b in pairs]
    tp = sum(a and b for a, b in binary)
    fp = sum(b and not a for a, b in binary)
    fn = sum(a and not b for a, b in binary)
    print(json.dumps({
        "units": len(pairs),
        "agreement": round(sum(a == b for a, b in pairs) / len(pairs), 3),
        "kappa": round(kappa(pairs, LABELS), 3),
        "eng_only_kappa": round(kappa(binary, (True, False)), 3),
        "second_labeller_as_ps101": {"precision": round(tp / (tp + fp), 3),
                                     "recall": round(tp / (tp + fn), 3), "tp": tp, "fp": fp, "fn": fn},
    }, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
