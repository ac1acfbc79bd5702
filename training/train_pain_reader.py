#!/usr/bin/env python3
"""Train and ship PS201's reader of pain-section paragraphs (psense_lint/painreader.py).

    pip install -e '.[train]'
    python training/train_pain_reader.py --corpus ../shared/corpus   # writes the model

Each corpus unit (its ``units/<id>.md`` file: the section heading and the unit's text)
goes through the engine and becomes the features ``psense_lint.painreader`` computes at
lint time; the label is whether the unit argues from an outcome for the people the
product serves (USER or MIXED). A logistic regression (L2, C=0.1) over the hashed
features is written to psense_lint/data/ps201-reader.npz. What it does for PS201 is
measured by document, the reader retrained inside each fold, by ``python
tools/eval_docs.py`` (docs/quality.md). Deterministic: the same corpus gives the same file.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from psense_lint import judge, markdown, painreader
from psense_lint.config import Config
from psense_lint.engine import Linter

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "psense_lint" / "data" / painreader.MODEL_FILE
C = 0.1
POSITIVE = ("USER", "MIXED")


def doc_name(repo: str, path: str) -> str:
    return repo.replace("/", "+") + "__" + path.replace("/", "__")


def units(corpus: Path) -> list[dict]:
    """The corpus units, each with its doc's file name (``doc``), its label as a bool
    (``user``) and the reader's features (``names``: the union over its prose units)."""
    linter = Linter(Config(ROOT, None))
    out = []
    for line in (corpus / "units.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        u = json.loads(line)
        text = (corpus / "units" / f"{u['id']}.md").read_bytes().decode("utf-8")
        ctx = linter.context(markdown.parse(text), "unit.md")
        names: set[str] = set()
        for unit, doc in zip(ctx.units, ctx.docs):
            names.update(painreader.features(doc, unit))
        out.append({"doc": doc_name(u["source_repo"], u["path"]), "user": u["label"] in POSITIVE,
                    "names": sorted(names)})
    return out


def fit(rows: list[dict]) -> painreader.Reader:
    """The reader learned on these units."""
    r, c = [], []
    for n, row in enumerate(rows):
        idx = judge.hashed(row["names"])
        r += [n] * len(idx)
        c += idx
    X = sparse.csr_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=(len(rows), judge.DIM))
    model = LogisticRegression(C=C, max_iter=3000).fit(X, [row["user"] for row in rows])
    return painreader.Reader(model.coef_[0].astype(np.float32), float(model.intercept_[0]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = ap.parse_args(argv)
    rows = units(args.corpus)
    reader = fit(rows)
    np.savez_compressed(OUT, weights=reader.weights.astype(np.float16),
                        bias=np.float32(reader.bias))
    print(f"{len(rows)} units, {sum(r['user'] for r in rows)} USER or MIXED; "
          f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
