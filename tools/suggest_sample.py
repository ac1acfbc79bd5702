#!/usr/bin/env python3
"""Draw the blind sample of PS101 suggestions for the judge (docs/judge/, issue 10).

True findings: PS101 findings of this checkout, run on the corpus *documents*, whose line lies
in a unit labelled ENG_ONLY in the corpus units.jsonl. The sample: 60 of them, at most 3 per
document, documents taken round-robin over projects, from a fixed seed. Each item shows the
unit and its suggestion; with ``--old`` (the ``--format json`` output of another version on
the same documents) two suggestions in a random order, this checkout's and the old one. The
key (the unit ids, and which is which) is written to ``--key`` only, never into ``--out``;
the sample itself says nothing about who or which version wrote what.

``--seed`` draws a fresh sample; ``--exclude`` (sample.json or key files of earlier samples,
repeatable) leaves out their documents, so a final sample holds none that were looked at.
When too few documents are left for that, ``--exclude-findings`` leaves out only the units
those files showed (by unit id, or by the finding's line inside a unit): every item is a
sentence nobody has judged or tuned on, though its document may have been read. When too few
such units are left, ``--extra-labels training/extra-labels.jsonl`` adds the units helpers
labelled ENG_ONLY in the same documents (not near a corpus unit) as true findings.

  python tools/suggest_sample.py --corpus ../shared/corpus --seed 7 --key /tmp/key.json \
      --exclude /tmp/iter1/sample.json --out /tmp/iter2
"""
from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

from psense_lint import markdown
from psense_lint.config import load_config
from psense_lint.engine import Linter
from psense_lint.rulepack import load_pack

SEED, SIZE, PER_DOC = 20261201, 60, 3


def doc_name(repo: str, path: str) -> str:
    """The corpus file name of a document: ``owner+repo__path__with__underscores``."""
    return repo.replace("/", "+") + "__" + path.replace("/", "__")


def extra_units(corpus: Path, labels: Path) -> list[dict]:
    """The ENG_ONLY units of helper labels (``training/extra-labels.jsonl``: a corpus
    document and the line its prose unit starts on) as corpus-like units: the unit runs to
    the line before the next prose unit; its section and text are the document's."""
    commits = {doc_name(u["source_repo"], u["path"]): u["commit"]
               for u in map(json.loads, (corpus / "units.jsonl").read_text().splitlines()) if u}
    by_doc = defaultdict(list)
    for x in map(json.loads, labels.read_text().splitlines()):
        if x["label"] == "ENG_ONLY":
            by_doc[doc_name(x["source_repo"], x["path"])].append(x)
    out = []
    for name, xs in sorted(by_doc.items()):
        text = (corpus / "docs" / name).read_text(encoding="utf-8")
        lines = text.splitlines()
        prose = markdown.parse(text).units
        starts = sorted({p.line for p in prose} | {len(lines) + 1})
        for x in xs:
            unit = next((p for p in prose if p.line == x["line"]), None)
            if unit is None:
                continue
            end = next(n for n in starts if n > x["line"]) - 1
            while end > x["line"] and not lines[end - 1].strip():
                end -= 1
            out.append({"id": f"x:{name}:{x['line']}", "source_repo": x["source_repo"],
                        "path": x["path"], "commit": commits.get(name, ""),
                        "start_line": x["line"], "end_line": end,
                        "section": unit.section[-1] if unit.section else "",
                        "text": "\n".join(lines[x["line"] - 1:end]) + "\n", "label": "ENG_ONLY"})
    return out


def true_findings(corpus: Path, extra: Path | None = None):
    pack = load_pack(())
    config = load_config(None, start=Path.cwd(), known_rules=set(pack.rules),
                         cli={"select": ("PS101",)})
    linter = Linter(config, pack)
    units = [json.loads(x) for x in (corpus / "units.jsonl").read_text().splitlines() if x]
    if extra is not None:
        units += extra_units(corpus, extra)
    by_doc = defaultdict(list)
    for u in units:
        by_doc[doc_name(u["source_repo"], u["path"])].append(u)
    out = []
    for name in sorted(by_doc):
        if not any(u["label"] == "ENG_ONLY" for u in by_doc[name]):
            continue
        path = corpus / "docs" / name
        for f in linter.lint_text(path.read_text(encoding="utf-8"), str(path)).findings:
            u = next((u for u in by_doc[name] if u["start_line"] <= f.line <= u["end_line"]), None)
            if u is not None and u["label"] == "ENG_ONLY":
                out.append((name, u, f))
    return out


def draw(found, seed=SEED):
    rng = random.Random(seed)
    per_doc = defaultdict(list)
    for item in found:
        per_doc[item[0]].append(item)
    docs = sorted(per_doc)
    rng.shuffle(docs)
    by_repo = defaultdict(list)
    for d in docs:
        by_repo[per_doc[d][0][1]["source_repo"]].append(d)
    repos = sorted(by_repo)
    rng.shuffle(repos)
    sample = []
    while len(sample) < SIZE and any(by_repo.values()):
        for r in repos:
            if by_repo[r] and len(sample) < SIZE:
                items = per_doc[by_repo[r].pop(0)][:]
                rng.shuffle(items)
                sample += items[:min(PER_DOC, SIZE - len(sample))]
    return sample


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    ap.add_argument("--old", type=Path)
    ap.add_argument("--key", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("docs/judge"))
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--exclude", type=Path, action="append", default=[])
    ap.add_argument("--exclude-findings", action="store_true",
                    help="leave out the units the --exclude files showed, not their documents")
    ap.add_argument("--extra-labels", type=Path,
                    help="helper labels (training/extra-labels.jsonl): their ENG_ONLY units count "
                         "as true findings too")
    ap.add_argument("--only-docs", type=Path,
                    help="a file of corpus doc file names, one a line: draw only from these "
                         "(a round on the docs a change touches)")
    args = ap.parse_args(argv)
    old = None
    if args.old:
        old = {}
        for f in json.loads(args.old.read_text())["findings"]:
            if f["rule"] == "PS101":
                old.setdefault((Path(f["path"]).name, f["line"], f["category"]), f["suggestion"])
    shown_docs, shown_units, shown_lines = set(), set(), set()
    for path in args.exclude:
        for it in json.loads(path.read_text()):
            doc = it.get("doc") or doc_name(it["repo"], it["path"])
            shown_docs.add(doc)
            shown_units.add(it.get("unit"))
            shown_lines.add((doc, it.get("finding_line")))

    def shown(name, u):
        if not args.exclude_findings:
            return name in shown_docs
        return u["id"] in shown_units or any(
            (name, n) in shown_lines for n in range(u["start_line"], u["end_line"] + 1))

    found = true_findings(args.corpus, args.extra_labels)
    only = set(args.only_docs.read_text().split()) if args.only_docs else None
    sample = draw([f for f in found if not shown(f[0], f[1]) and (only is None or f[0] in only)],
                  args.seed)
    rng = random.Random(args.seed + 1)
    items, key = [], []
    for n, (name, u, f) in enumerate(sample, 1):
        pair = [("new", f.suggestion)]
        if old is not None:
            pair.append(("old", old.get((name, f.line, f.category), "")))
            rng.shuffle(pair)
        items.append({"n": n, "repo": u["source_repo"], "path": u["path"],
                      "commit": u["commit"][:12], "lines": f"{u['start_line']}-{u['end_line']}",
                      "section": u["section"], "text": u["text"], "finding_line": f.line,
                      "category": f.category, "message": f.message,
                      "suggestions": [p[1] for p in pair]})
        key.append({"n": n, "unit": u["id"], "doc": name, "order": [p[0] for p in pair]})
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "sample.json").write_text(json.dumps(items, indent=1, ensure_ascii=False) + "\n")
    args.key.write_text(json.dumps(key, indent=1) + "\n")
    two = old is not None
    lines = ["# Blind sample: suggestions on 60 true PS101 findings", "",
             "Read `README.md` in this folder first (the rubric). Each item is one ENG_ONLY unit "
             "of the", "training corpus that psense-lint flags when run on the whole source "
             "document" + ("; two" if two else "."),
             ("suggestions are shown in an order drawn at random per item. Rate each one on its "
              "own." if two else "Rate its suggestion."), ""]
    for it in items:
        lines += [f"## {it['n']}. {it['repo']} `{it['path']}` lines {it['lines']}", "",
                  f"Section: {it['section']}  ",
                  f"Category given: {it['category']}", "", "```text",
                  it["text"].rstrip("\n").replace("\r", ""), "```", ""]
        if two:
            lines += [f"- Suggestion {j}: {s}" for j, s in enumerate(it["suggestions"], 1)]
            lines += ["", "Verdict 1: ___  Verdict 2: ___  (useful / generic / wrong; garbled? "
                      "y/n)", ""]
        else:
            lines += [f"- Suggestion: {it['suggestions'][0]}", "",
                      "Verdict: ___  (useful / generic / wrong; garbled? y/n)", ""]
    (args.out / "sample.md").write_text("\n".join(lines) + "\n")
    docs = {(i["repo"], i["path"]) for i in items}
    print(f"true findings={len(found)} sample={len(items)} documents={len(docs)} "
          f"projects={len({i['repo'] for i in items})}")


if __name__ == "__main__":
    main()
