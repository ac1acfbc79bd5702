#!/usr/bin/env python3
"""Train, cross-validate and ship the learned stance of PS101's suggestions.

    pip install -e '.[train]'
    python training/train_stance.py --corpus ../shared/corpus            # CV report + write the model
    python training/train_stance.py --corpus ../shared/corpus --cv-only  # figures only
    python training/train_stance.py --without SAMPLE.json --out M.npz    # for a blind judge:
    PSENSE_LINT_PS101_STANCE_MODEL=M.npz python tools/suggest_sample.py ...   # render it so

Labels: ``training/reading-labels.jsonl``, the stance (gain / problem / cost) and the kind of
outcome of each of the 1,161 ENG_ONLY corpus units, given by six helpers from the unit, its
section and the corpus labeller's note, by ``training/reading-guide.md``. Each unit is read in
its whole corpus document through the engine: the sentence PS101 flags in it (else its first
sentence) gets the features ``psense_lint.stance`` computes at lint time, the rules' reading
among them. A multinomial logistic regression (C fixed at 1) is cross-validated by document
(5 folds, grouped) and leave one project out: the rules' stance and the stance as the linter
reads it (the learned one where its probability is at least ``sure``, chosen in inner folds
of each training fold, and the sentence's own words do not say the opposite: a bad word
against a gain, a merit word against a cost or problem; else the rules') are scored on
the held-out units. Deterministic: the
same corpus and labels give the same file (psense_lint/data/ps101-stance.npz, figures in
training/stance-figures.json).
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
from sklearn.model_selection import GroupKFold

from psense_lint import markdown, stance, suggest
from psense_lint.config import Config
from psense_lint.engine import Linter

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "psense_lint" / "data" / stance.MODEL_FILE
LABELS = ROOT / "training" / "reading-labels.jsonl"
FIGURES = ROOT / "training" / "stance-figures.json"
SURE = (0.4, 0.5, 0.6, 0.7, 0.8)  # the candidates for ``sure``


def doc_name(repo: str, path: str) -> str:
    return repo.replace("/", "+") + "__" + path.replace("/", "__")


def examples(corpus: Path):
    """(unit, labels, feature names, rules' (stance, kind), flagged by PS101?, which
    stances the sentence's own words say the opposite of) of each labelled unit."""
    labels = {x["id"]: x for x in map(json.loads, LABELS.read_text().splitlines()) if x}
    units = [json.loads(x) for x in (corpus / "units.jsonl").read_text().splitlines() if x]
    by_doc = defaultdict(list)
    for u in units:
        if u["id"] in labels:
            by_doc[doc_name(u["source_repo"], u["path"])].append(u)
    linter = Linter(Config(ROOT, None))
    flagged, seen = {}, []
    real = suggest.read

    def spy(ctx, unit_index, sent, category, claim=None):  # (no model needed to train one)
        seen[:] = [ctx]
        flagged.setdefault(unit_index, (sent, category, claim))
        return suggest.Reading("gain", "open", "", "")
    out = []
    suggest.read = spy
    try:
        for n, name in enumerate(sorted(by_doc)):
            text = (corpus / "docs" / name).read_text(encoding="utf-8")
            flagged.clear()
            seen.clear()
            linter.lint_text(text, name)  # PS101's own sentences (and its context): spied on
            ctx = seen[0] if seen else linter.context(markdown.parse(text), name)
            for u in by_doc[name]:
                i = next((i for i, p in enumerate(ctx.units)
                          if u["start_line"] <= p.line <= u["end_line"]), None)
                if i is None:
                    continue
                sent, category, claim = flagged.get(i) or (next(ctx.docs[i].sents), "general", None)
                rules = suggest.rules_reading(ctx, i, sent, category, claim)
                section = ctx.units[i].section[-1] if ctx.units[i].section else ""
                names = stance.features(ctx.docs[i], sent, section,
                                         (rules.frame, rules.kind, bool(rules.option)), category)
                says = {s: suggest.says_otherwise(ctx, ctx.units[i], sent, rules.neg, s)
                        for s in stance.STANCES}
                out.append((u, labels[u["id"]], names, (rules.frame, rules.kind), i in flagged,
                            says))
            if n % 50 == 0:
                print(f"  docs {n}/{len(by_doc)}", file=sys.stderr, flush=True)
    finally:
        suggest.read = real
    return out


def matrix(rows):
    r, c = [], []
    for k, names in enumerate(rows):
        idx = stance.indices(names)
        r += [k] * len(idx)
        c += idx
    return sparse.csr_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=(len(rows), stance.DIM))


def fit(X, y):
    return LogisticRegression(C=1.0, max_iter=3000).fit(X, y)


def predict(model, X, labels):
    p = model.predict_proba(X)
    classes = list(model.classes_)
    full = np.zeros((X.shape[0], len(labels)))
    for j, c in enumerate(classes):
        full[:, labels.index(c)] = p[:, j]
    return full


def against(model, says) -> np.ndarray:
    """Where the sentence's own words say the opposite of the model's stance."""
    return np.array([d[m] for m, d in zip(model, says)], dtype=bool)


def pick_sure(X, y, rules, says, groups) -> float:
    """The ``sure`` with the best stance accuracy in inner folds of these units."""
    score = {s: 0.0 for s in SURE}
    for tr, te in GroupKFold(n_splits=3).split(X, y, groups):
        p = predict(fit(X[tr], y[tr]), X[te], stance.STANCES)
        model = np.array([stance.STANCES[k] for k in p.argmax(axis=1)])
        for s in SURE:
            trust = (p.max(axis=1) >= s) & ~against(model, says[te])
            score[s] += float((np.where(trust, model, rules[te]) == y[te]).mean())
    return max(SURE, key=lambda s: (score[s], -s))


def evaluate(ex, split: str):
    """Accuracy on held-out units of the rules' stance and of the stance as the linter
    reads it (the learned one where its probability is at least ``sure``, chosen in the
    training folds, and the sentence's own words do not say the opposite; the rules'
    elsewhere); and, for the record, of a learned kind where
    the rules find none ("open"), which the linter does not use."""
    X = matrix([e[2] for e in ex])
    y_s = np.array([e[1]["stance"] for e in ex])
    y_k = np.array([e[1]["kind"] for e in ex])
    rules_s = np.array([e[3][0] for e in ex])
    rules_k = np.array([e[3][1] for e in ex])
    docs = np.array([doc_name(e[0]["source_repo"], e[0]["path"]) for e in ex])
    projects = np.array([e[0]["source_repo"] for e in ex])
    flagged = np.array([e[4] for e in ex])
    says = np.array([e[5] for e in ex])
    folds = (GroupKFold(n_splits=5).split(X, y_s, docs) if split == "cv" else
             ((np.where(projects != p)[0], np.where(projects == p)[0]) for p in sorted(set(projects))))
    learned = np.empty(len(ex), dtype=object)
    kind = np.empty(len(ex), dtype=object)
    for tr, te in folds:
        sure = pick_sure(X[tr], y_s[tr], rules_s[tr], says[tr], docs[tr])
        p = predict(fit(X[tr], y_s[tr]), X[te], stance.STANCES)
        model = np.array([stance.STANCES[k] for k in p.argmax(axis=1)])
        trust = (p.max(axis=1) >= sure) & ~against(model, says[te])
        learned[te] = np.where(trust, model, rules_s[te])
        kinds = sorted(set(y_k[tr]))
        p = predict(fit(X[tr], y_k[tr]), X[te], kinds)
        kind[te] = np.array([kinds[k] for k in p.argmax(axis=1)])
    out = {}
    for name, mask in (("all", np.ones(len(ex), bool)), ("flagged", flagged)):
        out[f"stance, {name} units"] = {
            "units": int(mask.sum()), "rules": round(float((rules_s[mask] == y_s[mask]).mean()), 3),
            "learned where sure": round(float((learned[mask] == y_s[mask]).mean()), 3)}
    none = flagged & (rules_k == "open")
    out["kind (not used), flagged units"] = {
        "units": int(flagged.sum()), "rules": round(float((rules_k[flagged] == y_k[flagged]).mean()), 3),
        "open units": int(none.sum()),
        "learned on the open units": round(float((kind[none] == y_k[none]).mean()), 3)}
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--without", type=Path, action="append", default=[],
                    help="a judge's sample.json: train without its documents' units, write the "
                         "model to --out only, no figures (to render that sample blind)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    ex = examples(args.corpus)
    print(f"labelled units read: {len(ex)}", file=sys.stderr)
    held = {doc_name(it["repo"], it["path"]) for f in args.without for it in json.loads(f.read_text())}
    if held:
        ex = [e for e in ex if doc_name(e[0]["source_repo"], e[0]["path"]) not in held]
        print(f"without the {len(held)} documents of the samples: {len(ex)} units", file=sys.stderr)
    else:
        figures = {"cv by document": evaluate(ex, "cv"), "leave one project out": evaluate(ex, "lopo")}
        print(json.dumps(figures, indent=1))
        if args.cv_only:
            return
    X = matrix([e[2] for e in ex])
    y = np.array([e[1]["stance"] for e in ex])
    docs = np.array([doc_name(e[0]["source_repo"], e[0]["path"]) for e in ex])
    sure = pick_sure(X, y, np.array([e[3][0] for e in ex]), np.array([e[5] for e in ex]), docs)
    m = fit(X, y)
    weights = np.zeros((len(stance.STANCES), stance.DIM), dtype=np.float32)
    bias = np.zeros(len(stance.STANCES), dtype=np.float32)
    for j, c in enumerate(m.classes_):  # (all three stances are in the labels)
        weights[stance.STANCES.index(c)] = m.coef_[j]
        bias[stance.STANCES.index(c)] = m.intercept_[j]
    with open(args.out, "wb") as fh:
        np.savez_compressed(fh, weights=weights, bias=bias, sure=np.float32(sure))
    if not held:
        figures["sure"] = sure
        FIGURES.write_text(json.dumps(figures, indent=1) + "\n")
    print(f"wrote {args.out} (sure={sure})", file=sys.stderr)


if __name__ == "__main__":
    main()
