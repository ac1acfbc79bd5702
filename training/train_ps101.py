#!/usr/bin/env python3
"""Train, cross-validate and ship PS101's learned judgement.

    pip install -e '.[train]'
    python training/train_ps101.py --corpus ../shared/corpus            # CV report + write the model
    python training/train_ps101.py --corpus ../shared/corpus --cv-only  # figures only

Each corpus unit is linted the way ``score_eval.py`` lints it (its ``units/<id>.md``
file: the section heading and the unit's text) through the engine, and turned into
the features ``psense_lint.judge`` computes at lint time. A logistic regression
over those hashed features is cross-validated by document (5 folds, grouped) and
leave-one-project-out; the default threshold is the one where cross-validated
precision first reaches the target (0.50 unless --precision says otherwise).
The model is written to psense_lint/data/ps101-judge.npz with its figures beside
it (training/ps101-figures.json). Deterministic: the same corpus gives the same file.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from psense_lint import judge, markdown
from psense_lint.checks import arguments
from psense_lint.config import Config
from psense_lint.engine import Linter

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "psense_lint" / "data" / judge.MODEL_FILE
FIGURES = ROOT / "training" / "ps101-figures.json"


def load_units(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in (corpus / "units.jsonl").read_text().splitlines() if line.strip()]


def unit_features(linter: Linter, spec, text: str) -> list[str]:
    """The union of the features of the prose units in one unit file."""
    parsed = markdown.parse(text)
    ctx = linter.context(parsed, "unit.md")
    names: set[str] = set()
    for unit, doc, seen in zip(ctx.units, ctx.docs, arguments.scan(ctx, spec)):
        names.update(judge.features(doc, arguments.heading(unit), seen.signals))
    return sorted(names)


def featurize(texts: list[str]) -> list[list[str]]:
    linter = Linter(Config(ROOT, None))
    spec = linter.pack.rules["PS101"]
    out = []
    for n, text in enumerate(texts):
        out.append(unit_features(linter, spec, text))
        if n % 2000 == 0:
            print(f"  features {n}/{len(texts)}", file=sys.stderr, flush=True)
    return out


def matrix(feats: list[list[str]]):
    rows, cols = [], []
    for r, names in enumerate(feats):
        idx = judge.hashed(names)
        rows += [r] * len(idx)
        cols += idx
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(feats), judge.DIM))


def weights_for(units, low_weight: float) -> np.ndarray:
    return np.array([low_weight if u["confidence"] == "low" else 1.0 for u in units])


def fit(X, y, w, C: float) -> LogisticRegression:
    model = LogisticRegression(C=C, solver="liblinear", max_iter=2000, class_weight="balanced")
    model.fit(X, y, sample_weight=w)
    return model


def doc_folds(units, k: int = 5) -> np.ndarray:
    """Fold of each unit: documents in a fixed pseudo-random order, dealt round-robin."""
    docs = sorted({(u["source_repo"], u["path"]) for u in units})
    order = {d: i % k for i, d in enumerate(sorted(docs, key=lambda d: judge.hashed([d[0] + d[1]])[0]))}
    return np.array([order[(u["source_repo"], u["path"])] for u in units])


def cross_val(X, y, w, groups, C, scored) -> np.ndarray:
    """Out-of-fold scores: each group's ``scored`` units by a model trained on the
    other groups (all their units, extra labels included)."""
    scores = np.zeros(len(y))
    for g in sorted(set(groups[scored])):
        test = groups == g
        model = fit(X[~test], y[~test], w[~test], C)
        scores[test & scored] = model.predict_proba(X[test & scored])[:, 1]
    return scores[scored]


def pr_at(scores, y, threshold):
    pred = scores >= threshold
    tp = int((pred & y).sum())
    fp = int((pred & ~y).sum())
    fn = int((~pred & y).sum())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"threshold": round(float(threshold), 4), "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(f1, 3), "tp": tp, "fp": fp, "fn": fn}


def curve(scores, y, steps=None):
    steps = steps or [round(t, 2) for t in np.arange(0.05, 1.0, 0.05)]
    return [pr_at(scores, y, t) for t in steps]


def best_f1(scores, y):
    return max((pr_at(scores, y, t) for t in np.unique(np.round(scores, 3))), key=lambda d: d["f1"])


def threshold_for(scores, y, target: float):
    """The lowest threshold at which precision reaches the target (and stays there
    for the next few thresholds up, so one lucky point does not set it)."""
    grid = np.round(np.arange(0.30, 0.99, 0.01), 2)
    ok = [pr_at(scores, y, t)["precision"] >= target for t in grid]
    for i, t in enumerate(grid):
        if all(ok[i:i + 3]):
            return float(t)
    return float(grid[-1])


def load_extra(corpus: Path, path: Path) -> tuple[list[dict], list[str]]:
    """Extra labelled units of the corpus documents (training/extra-labels.jsonl: where
    the unit starts, and its label) with the unit files built from the documents."""
    if not path.exists():
        return [], []
    by_doc: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for line in path.read_text().splitlines():
        if line.strip():
            rec = json.loads(line)
            by_doc[(rec["source_repo"], rec["path"])].append(rec)
    units, texts = [], []
    for (repo, rel), recs in sorted(by_doc.items()):
        name = repo.replace("/", "+") + "__" + rel.replace("/", "__")
        parsed = markdown.parse((corpus / "docs" / name).read_bytes().decode("utf-8", "replace"))
        at = {u.line: u for u in parsed.units if u.kind != "heading"}
        for rec in recs:
            unit = at.get(rec["line"])
            if unit is not None:
                units.append(rec)
                texts.append(f"## {arguments.heading(unit)}\n\n{unit.text}\n")
    return units, texts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--extra", type=Path, default=ROOT / "training" / "extra-labels.jsonl")
    ap.add_argument("--extra-weight", type=float, default=0.5)
    ap.add_argument("--C", type=float, default=0.1)
    ap.add_argument("--low-weight", type=float, default=0.5)
    # findings right more often than wrong in cross-validation (see docs/model.md)
    ap.add_argument("--precision", type=float, default=0.5)
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--features-cache", type=Path)
    args = ap.parse_args(argv)

    units = load_units(args.corpus)
    texts = [(args.corpus / "units" / f"{u['id']}.md").read_bytes().decode("utf-8") for u in units]
    extra, extra_texts = load_extra(args.corpus, args.extra)
    if args.features_cache and args.features_cache.exists():
        feats = json.loads(args.features_cache.read_text())
    else:
        feats = featurize(texts + extra_texts)
        if args.features_cache:
            args.features_cache.write_text(json.dumps(feats))
    everything = units + extra
    X = matrix(feats)
    y_all = np.array([u["label"] == "ENG_ONLY" for u in everything])
    w = weights_for(everything, args.low_weight)
    w[len(units):] *= args.extra_weight
    scored = np.arange(len(everything)) < len(units)  # figures: the corpus's own labels only
    y = y_all[scored]
    folds = doc_folds(everything)
    projects = np.array([u["source_repo"] for u in everything])

    # the rules' veto, as at lint time: a unit whose paragraph names the people served,
    # or in a section that is never argued, does not fire whatever its score
    vetoed = np.array([not {"r:group_linked", "r:skip_section"}.isdisjoint(f) for f in feats])[scored]
    cv = np.where(vetoed, 0.0, cross_val(X, y_all, w, folds, args.C, scored))
    lopo = np.where(vetoed, 0.0, cross_val(X, y_all, w, projects, args.C, scored))
    projects = projects[scored]
    threshold = threshold_for(cv, y, args.precision)
    high = np.array([u["confidence"] == "high" for u in units])
    report = {
        "units": len(units), "extra_units": len(extra), "positives": int(y.sum()), "C": args.C,
        "low_weight": args.low_weight, "extra_weight": args.extra_weight,
        "threshold": threshold,
        "cv_by_document": {"at_threshold": pr_at(cv, y, threshold), "best_f1": best_f1(cv, y),
                           "high_confidence_at_threshold": pr_at(cv[high], y[high], threshold),
                           "curve": curve(cv, y)},
        "leave_one_project_out": {"at_threshold": pr_at(lopo, y, threshold), "best_f1": best_f1(lopo, y),
                                  "per_project": {p: pr_at(lopo[projects == p], y[projects == p], threshold)
                                                  for p in sorted(set(projects))}},
    }
    print(json.dumps({k: v for k, v in report.items() if k != "leave_one_project_out"}, indent=1))
    if args.cv_only:
        return 0
    model = fit(X, y_all, w, args.C)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, weights=model.coef_[0].astype(np.float32),
                        bias=np.float32(model.intercept_[0]), threshold=np.float32(threshold))
    FIGURES.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes) and {FIGURES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
