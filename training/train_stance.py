#!/usr/bin/env python3
"""Train, cross-validate and ship the learned stance of PS101's suggestions.

    pip install -e '.[train]'
    python training/train_stance.py --corpus ../shared/corpus            # CV report + write the model
    python training/train_stance.py --corpus ../shared/corpus --cv-only  # figures only
    python training/train_stance.py --without SAMPLE.json --out M.npz    # for a blind judge:
    PSENSE_LINT_PS101_STANCE_MODEL=M.npz python tools/suggest_sample.py ...   # render it so

Labels: ``training/reading-labels.jsonl``, the stance (gain / problem / cost) and the kind of
outcome of each of the 1,161 ENG_ONLY corpus units, given by six helpers from the unit, its
section and the corpus labeller's note, by ``training/reading-guide.md``; and
``training/reading-labels-extra.jsonl``, the same for the 744 units helpers labelled ENG_ONLY
in the corpus documents (``training/extra-labels.jsonl``), by
``training/reading-guide-extra.md``. Each unit is read in
its whole corpus document through the engine: the sentence PS101 flags in it (else its first
sentence) gets the features ``psense_lint.stance`` computes at lint time, the rules' reading
among them. A multinomial logistic regression (C fixed at 1) is cross-validated by document
(5 folds, grouped) and leave one project out: the rules' stance and the stance as the linter
reads it (the learned one where its probability is at least ``sure``, chosen in inner folds
of each training fold, and the sentence's own words do not say the opposite: a bad word
against a gain, a merit word against a cost or problem; else the rules') are scored on
the held-out units; so are the rules' kind of outcome and the kind as the linter reads it
(the learned one where the rules find none, "open", or its probability is at least
``kind_sure``, chosen the same way). Deterministic: the
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
sys.path.insert(0, str(ROOT / "tools"))
from suggest_sample import doc_name, extra_units  # noqa: E402  (the extra units, as sampled)

OUT = ROOT / "psense_lint" / "data" / stance.MODEL_FILE
LABELS = (ROOT / "training" / "reading-labels.jsonl",
          ROOT / "training" / "reading-labels-extra.jsonl")
EXTRA = ROOT / "training" / "extra-labels.jsonl"
FIGURES = ROOT / "training" / "stance-figures.json"
SURE = (0.4, 0.5, 0.6, 0.7, 0.8)  # the candidates for ``sure``
KIND_SURE = (*SURE, 1.0)  # ... for ``kind_sure`` (1.0: only where the rules find no kind)


def examples(corpus: Path):
    """(unit, labels, feature names, rules' (stance, kind), flagged by PS101?, which
    stances the sentence's own words say the opposite of) of each labelled unit."""
    labels = {x["id"]: x for f in LABELS for x in map(json.loads, f.read_text().splitlines())
              if x}
    units = [json.loads(x) for x in (corpus / "units.jsonl").read_text().splitlines() if x]
    units += extra_units(corpus, EXTRA)
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


def reads(p, classes, rules, s, veto):
    """The labels as the linter reads them: the model's where its probability is at least
    ``s`` and ``veto`` does not forbid it, the rules' elsewhere. For the kind, the model's
    wherever the rules find none ("open")."""
    model = np.array([classes[k] for k in p.argmax(axis=1)])
    trust = (p.max(axis=1) >= s) & ~veto(model) | (rules == "open")
    return np.where(trust, model, rules)


def pick_sure(X, y, rules, groups, classes, candidates, veto) -> float:
    """The ``sure`` with the best accuracy in inner folds of these units."""
    score = {s: 0.0 for s in candidates}
    for tr, te in GroupKFold(n_splits=3).split(X, y, groups):
        p = predict(fit(X[tr], y[tr]), X[te], classes)
        for s in candidates:
            score[s] += float((reads(p, classes, rules[te], s, veto(te)) == y[te]).mean())
    return max(candidates, key=lambda s: (score[s], -s))


class Task:
    """One of the two things learned: the stance or the kind of outcome."""

    def __init__(self, ex, what: str):
        self.classes = stance.STANCES if what == "stance" else stance.KINDS
        self.candidates = SURE if what == "stance" else KIND_SURE
        self.y = np.array([e[1][what] for e in ex])
        self.rules = np.array([e[3][0 if what == "stance" else 1] for e in ex])
        says = np.array([e[5] for e in ex])
        self.says = says if what == "stance" else None

    def veto(self, idx):
        if self.says is None:
            return lambda model: np.zeros(len(model), dtype=bool)
        return lambda model: against(model, self.says[idx])

    def sure(self, X, idx, groups) -> float:
        return pick_sure(X[idx], self.y[idx], self.rules[idx], groups[idx], self.classes,
                         self.candidates, lambda te: self.veto(idx[te]))


def evaluate(ex, split: str):
    """Accuracy on held-out units of the rules' stance and kind, and of the stance and the
    kind as the linter reads them (the learned one where its probability is at least
    ``sure``, chosen in the training folds, and, for the stance, the sentence's own words
    do not say the opposite; for the kind, also wherever the rules find none; the rules'
    elsewhere)."""
    X = matrix([e[2] for e in ex])
    docs = np.array([doc_name(e[0]["source_repo"], e[0]["path"]) for e in ex])
    projects = np.array([e[0]["source_repo"] for e in ex])
    flagged = np.array([e[4] for e in ex])
    tasks = {"stance": Task(ex, "stance"), "kind": Task(ex, "kind")}
    folds = (GroupKFold(n_splits=5).split(X, docs, docs) if split == "cv" else
             ((np.where(projects != p)[0], np.where(projects == p)[0]) for p in sorted(set(projects))))
    learned = {k: np.empty(len(ex), dtype=object) for k in tasks}
    kind_p = np.zeros((len(ex), len(stance.KINDS)))
    for tr, te in folds:
        for name, t in tasks.items():
            s = t.sure(X, tr, docs)
            p = predict(fit(X[tr], t.y[tr]), X[te], t.classes)
            learned[name][te] = reads(p, t.classes, t.rules[te], s, t.veto(te))
            if name == "kind":
                kind_p[te] = p
    out = {}
    for name, t in tasks.items():
        for part, mask in (("all", np.ones(len(ex), bool)), ("flagged", flagged)):
            row = {"units": int(mask.sum()),
                   "rules": round(float((t.rules[mask] == t.y[mask]).mean()), 3),
                   "as the linter reads it": round(float((learned[name][mask] == t.y[mask]).mean()), 3)}
            if name == "kind":
                none = mask & (t.rules == "open")
                row["rules find none"] = int(none.sum())
                row["learned, where the rules find none"] = round(
                    float((learned[name][none] == t.y[none]).mean()), 3)
            out[f"{name}, {part} units"] = row
    out["kind, flagged units, by the model's probability of the kind read"] = either(
        learned["kind"][flagged], kind_p[flagged], tasks["kind"].y[flagged])
    return out


def either(read, p, y) -> dict:
    """How often the kind read is right, by the model's probability of it (bands of 0.1),
    and how often it or the next likeliest is, offered below ``kind_either_below``
    (rules/ps101.yml): the band where the kind read is more often wrong than right."""
    from psense_lint.rulepack import load_pack

    below = float(load_pack(()).rules["PS101"].options.get("kind_either_below", 0.0))
    own = p[np.arange(len(read)), [stance.KINDS.index(k) for k in read]]
    masked = p.copy()
    masked[np.arange(len(read)), [stance.KINDS.index(k) for k in read]] = -1
    alt = np.array([stance.KINDS[k] for k in masked.argmax(axis=1)])
    right = read == y
    band = np.minimum((own * 10).astype(int), 9)
    bands = {f"{b / 10:.1f}-{(b + 1) / 10:.1f}": {"units": int((band == b).sum()),
                                                  "right": round(float(right[band == b].mean()), 3)}
             for b in sorted(set(band.tolist()))}
    offered = own < below
    return {"bands": bands, "kind_either_below": below, "offered": int(offered.sum()),
            "kind read right": round(float(right.mean()), 3),
            "kind read or the one offered right": round(float(
                (right | (offered & (alt == y))).mean()), 3)}


def model_arrays(X, t: Task, docs, prefix: str) -> dict:
    """The arrays of one model for the file: weights (float16: half the size, the same
    readings), bias, sure."""
    idx = np.arange(X.shape[0])
    sure = t.sure(X, idx, docs)
    m = fit(X, t.y)
    weights = np.zeros((len(t.classes), stance.DIM), dtype=np.float32)
    bias = np.zeros(len(t.classes), dtype=np.float32)
    for j, c in enumerate(m.classes_):  # (a class with no label keeps zero weights)
        weights[t.classes.index(c)] = m.coef_[j]
        bias[t.classes.index(c)] = m.intercept_[j]
    if len(m.classes_) < len(t.classes):
        bias[[t.classes.index(c) for c in t.classes if c not in m.classes_]] = -30.0
    return {prefix + "weights": weights.astype(np.float16), prefix + "bias": bias,
            prefix + "sure": np.float32(sure)}


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
    docs = np.array([doc_name(e[0]["source_repo"], e[0]["path"]) for e in ex])
    arrays = {**model_arrays(X, Task(ex, "stance"), docs, ""),
              **model_arrays(X, Task(ex, "kind"), docs, "kind_")}
    with open(args.out, "wb") as fh:
        np.savez_compressed(fh, **arrays)
    if not held:
        figures["sure"] = float(arrays["sure"])
        figures["kind_sure"] = float(arrays["kind_sure"])
        FIGURES.write_text(json.dumps(figures, indent=1) + "\n")
    print(f"wrote {args.out} (sure={float(arrays['sure'])}, kind_sure={float(arrays['kind_sure'])})",
          file=sys.stderr)


if __name__ == "__main__":
    main()
