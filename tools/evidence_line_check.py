#!/usr/bin/env python3
"""What the evidence-line labels can do for PS201 / PS203 (issue 11), measured.

    python tools/eval_docs.py --features F.pkl             # the engine's run, cached
    python tools/evidence_line_check.py F.pkl [../shared/corpus]

On the docs whose evidence has no kind that answers alone (the docs the decision decides),
against the doc labels (docs.jsonl):

* the oracle: the doc answers when a labelled line of it states the answer
  (training/evidence-line-labels.jsonl), else the finding fires: the best any line reader
  working on these candidate lines could do;
* a line classifier (logistic regression over the line's words and word pairs, its heading's
  words and the engine's line features, balanced classes), trained on the labelled lines of
  the training docs of each fold (5 folds by document, tools/eval_docs.py's), and the doc
  answering when its likeliest line is at least a threshold;
* the engine's decision today on the same docs, in the same folds.
"""
import json
import pickle
import re
import sys
from pathlib import Path

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import eval_docs as E  # noqa: E402
from psense_lint import markdown  # noqa: E402

WORD = re.compile(r"[a-z][a-z'\-]*")
KEY = {"user_pain": "user_pain", "non_goals": "non_goals"}


def main(features: str, corpus: str = str(ROOT.parent / "shared" / "corpus")) -> None:
    rows = pickle.loads(Path(features).read_bytes())
    for _k, q, _r in E.CHECKS:
        E.ALONE[q] = E.alone(q)
    labels = {(x["question"], x["id"]): x["states"] for x in map(json.loads, (
        ROOT / "training" / "evidence-line-labels.jsonl").read_text().splitlines()) if x}
    heads = {}

    def heading(name, line):
        if name not in heads:
            text = (Path(corpus) / "docs" / name).read_text(encoding="utf-8")
            heads[name] = [(h.line, h.text) for h in markdown.parse(text).headings]
        return next((t for hl, t in reversed(heads[name]) if hl <= line), "")

    def feats(r, q, line):
        w = WORD.findall(r["texts"].get(line, "").lower())
        f = {"w:" + a: 1 for a in w}
        f.update({"b:" + a + "_" + b: 1 for a, b in zip(w, w[1:])})
        f.update({"s:" + a: 1 for a in WORD.findall(heading(r["name"], line).lower())})
        f.update({"f:" + x: 1 for x in r["line_features"].get((q, line), ())})
        return f

    def lines(r, q):
        return sorted({ln for _k, ln in r["evidence"][q]})

    def weak(r, q):
        ev = r["evidence"][q] if r["evidence"] else []
        return bool(ev) and not ({k for k, _ in ev} & E.ALONE[q])

    for q, key in KEY.items():
        docs = [r for r in rows if r["features"] and weak(r, q)]
        oracle = sum(any(labels.get((q, f"{r['name']}:{ln}")) for ln in lines(r, q))
                     == r["labels"][key] for r in docs)
        print(f"{q}: {len(docs)} docs decided by the decision, "
              f"{sum(r['labels'][key] for r in docs)} labelled true; "
              f"{sum(1 for r in docs for ln in lines(r, q) if (q, r['name'] + ':' + str(ln)) in labels)}"
              f" lines labelled; oracle agreement {oracle / len(docs):.3f}")
        got = {t: 0 for t in ("today", 0.1, 0.2, 0.3, 0.4, 0.5)}
        for test in E.folds_by_doc(rows):
            held = set(test)
            train = [r for i, r in enumerate(rows) if i not in held]
            X, y = [], []
            for r in train:
                if r["evidence"]:
                    for ln in lines(r, q):
                        lab = labels.get((q, f"{r['name']}:{ln}"))
                        if lab is not None:
                            X.append(feats(r, q, ln))
                            y.append(lab)
            dv = DictVectorizer()
            clf = LogisticRegression(C=0.3, max_iter=3000, class_weight="balanced").fit(
                dv.fit_transform(X), y)
            dec = E.learn(train, key, q)
            for i in test:
                r = rows[i]
                if not (r["features"] and weak(r, q)):
                    continue
                p = clf.predict_proba(dv.transform([feats(r, q, ln) for ln in lines(r, q)]))[:, 1]
                got["today"] += E.answers(dec, r, q) == r["labels"][key]
                for t in got:
                    if t != "today":
                        got[t] += (p.max() >= t) == r["labels"][key]
        print("  cv5 by document, agreement on these docs: " + ", ".join(
            f"{t if t == 'today' else f'line classifier, max p >= {t}'} {n / len(docs):.3f}"
            for t, n in got.items()))


if __name__ == "__main__":
    main(*sys.argv[1:])
