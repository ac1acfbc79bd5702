#!/usr/bin/env python3
"""The candidate evidence lines of issue 11's line labels (training/evidence-line-labels.jsonl).

    python tools/eval_docs.py --features F.pkl       # the engine's run, cached
    python tools/evidence_lines.py F.pkl ../shared/corpus/docs OUTDIR

Per question (user pain, non-goals), every evidence line of the docs whose evidence has no
kind that answers alone, with its doc title, heading path, sentence and raw context; shuffled
(seed 7) and cut into shards (2 and 5), OUTDIR/<question>-<k>.jsonl, as the helpers read them.
"""
import json
import pickle
import random
import sys
from pathlib import Path

from psense_lint import markdown

rows = pickle.load(open(sys.argv[1], "rb"))
DOCS = Path(sys.argv[2])
OUT = Path(sys.argv[3])
OUT.mkdir(parents=True, exist_ok=True)
alone = {"user_pain": {"sec_phrase","now","sec_people_words"}, "non_goals": {"sec","cue"}}
out = {"user_pain": [], "non_goals": []}
for r in rows:
    text = (DOCS / r["name"]).read_text(encoding="utf-8")
    lines = text.splitlines()
    heads = [(h.line, h.level, h.text) for h in markdown.parse(text).headings]
    title = next((h[2] for h in heads if h[1] == 1), heads[0][2] if heads else "")
    for q in out:
        ev = r["evidence"][q] if r["evidence"] else []
        if not ev or {k for k, _ in ev} & alone[q]:
            continue
        for line in sorted({l for _, l in ev}):
            path = []
            for hl, lvl, txt in heads:
                if hl > line: break
                path = [p for p in path if p[0] < lvl] + [(lvl, txt)]
            text = r["texts"].get(line) or lines[line - 1].strip()
            out[q].append({"id": f"{r['name']}:{line}", "doc_title": title,
                           "section": " > ".join(t for _, t in path[1:] or path),
                           "sentence": text,
                           "context": "\n".join(lines[max(0, line - 3):line + 2])})
for q, items in out.items():
    random.Random(7).shuffle(items)
    n = 2 if q == "user_pain" else 5
    for k in range(n):
        part = items[k::n]
        with open(OUT / f"{q}-{k}.jsonl", "w") as fh:
            for it in part:
                fh.write(json.dumps(it) + "\n")
        print(q, k, len(part))
