#!/usr/bin/env python3
"""Score a blind A/B round of issue-10 suggestions.

  python tools/score_suggestions.py --key KEY.json --verdicts verdicts.csv [--sample sample.json]

verdicts.csv is in the rubric's format (docs/judge/README.md) with a slot column for two
suggestions per item: n,slot,verdict,garbled,note (slot 1 or 2, as listed in sample.md;
a file without a slot column is read as slot 1). The key says which version each slot is
(order: ["new", "old"] or ["old", "new"]). Prints, per version, useful / generic / wrong /
garbled of the items judged, and, over the items whose two texts differ, how often the new
version is better, worse or the same (useful > generic > wrong; garbled counts as wrong).
"""
import argparse
import csv
import json
from collections import Counter
from pathlib import Path

RANK = {"useful": 2, "generic": 1, "wrong": 0}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--key", type=Path, required=True)
    ap.add_argument("--verdicts", type=Path, required=True)
    ap.add_argument("--sample", type=Path, help="sample.json: to tell items with the same text")
    a = ap.parse_args(argv)
    key = {int(k["n"]): k for k in json.loads(a.key.read_text())}
    same = {}
    if a.sample:
        for it in json.loads(a.sample.read_text()):
            s = it["suggestions"]
            same[int(it["n"])] = len(s) == 2 and s[0] == s[1]
    got = {}  # (n, version) -> (verdict, garbled)
    for row in csv.DictReader(a.verdicts.open(encoding="utf-8")):
        n = int(row["n"])
        slot = int(row.get("slot") or 1)
        verdict = row["verdict"].strip().lower()
        if verdict not in RANK:
            raise SystemExit(f"{a.verdicts}: item {n} slot {slot}: verdict {verdict!r} is not "
                             "useful / generic / wrong")
        version = key[n]["order"][slot - 1]
        got[(n, version)] = (verdict, row.get("garbled", "n").strip().lower().startswith("y"))
    versions = sorted({v for _n, v in got}, key=lambda v: (v != "old", v))
    items = sorted({n for n, _v in got})
    print(f"items judged: {len(items)} of {len(key)}")
    for v in versions:
        c = Counter(got[(n, v)][0] for n in items if (n, v) in got)
        g = sum(got[(n, v)][1] for n in items if (n, v) in got)
        total = sum(c.values())
        print(f"{v:>4}: useful {c['useful']:2d}  generic {c['generic']:2d}  wrong {c['wrong']:2d}  "
              f"garbled {g:2d}   (useful {100 * c['useful'] / max(total, 1):.0f}% of {total})")
    if {"old", "new"} <= set(versions):
        better = worse = equal = 0
        for n in items:
            if (n, "old") not in got or (n, "new") not in got or same.get(n):
                continue
            rank = {v: 0 if got[(n, v)][1] else RANK[got[(n, v)][0]] for v in ("old", "new")}
            better += rank["new"] > rank["old"]
            worse += rank["new"] < rank["old"]
            equal += rank["new"] == rank["old"]
        changed = better + worse + equal
        note = "" if a.sample else " (no --sample: items with the same text counted too)"
        print(f"items whose text changed: {changed}{note}; new better on {better}, worse on "
              f"{worse}, same verdict on {equal}")
    print("bar: 48 of 60 useful and 0 garbled for the new version")


if __name__ == "__main__":
    main()
