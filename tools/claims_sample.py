#!/usr/bin/env python3
"""Write every PS301 and PS401 finding on the corpus docs as a sample to judge blind.

    python tools/claims_sample.py [CORPUS] [--out docs/claims-sample.md]
                                  [--exclude JUDGED.md ...] [--score JUDGED.md ...]
    python tools/claims_sample.py --blind DIR --key KEY.json [--seed 11] [--max 80]
    python tools/claims_sample.py --score [JUDGED.md ...] --score-blind KEY.json VERDICTS.csv

--exclude leaves out the findings an earlier (judged) sample already holds (same
rule, doc and flagged words), so a judge sees only findings it has not seen;
--score prints, instead of writing a sample, the precision of the current
findings by the verdicts of judged samples (and how many are not judged yet).

Each finding is shown with its doc (repository, path, line), the nearest
heading above it, its paragraph and the flagged sentence; the judge writes a
verdict (right / wrong) against the definitions at the top of the file, with
LABELING.md for what counts as users and evidence. The linter's own view of
the finding is not in the file beyond the flagged words.

--blind DIR writes DIR/sample.md and DIR/sample.json: up to --max findings of
each rule (all of them when there are fewer; else drawn at random with --seed),
in a shuffled order, each with an opaque id, its repository, path, line, the
rule's message, its section heading and paragraph, and nothing else (no earlier
verdict, no version); --key gets the id -> finding map, kept apart from the judge.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")

DEFINITIONS = """\
Judge each finding on its own, from the paragraph shown (open the source doc if needed),
against these definitions (from issue 11), with /work/shared/eval-dev/LABELING.md for who
counts as users and what counts as evidence. Write `right` or `wrong` after "verdict:".

- PS301 (vague goal) is right when the flagged sentence is a goal statement (an item of a
  Goals / Objectives / Success section, or a sentence saying "the goal / aim / objective /
  intent is ...", "we aim to ...") whose improvement names nothing checkable (no metric,
  number, baseline or target). It is wrong for a decision or description in Alternatives or
  Design, an author's plan, a user story, or a goal that is already concrete.
- PS401 (unsupported claim about users) is right when the flagged words claim what users
  (customers, developers, operators, people, organizations ...) want, need, prefer, expect,
  know or usually do, and nothing in the paragraph gives evidence (a survey, data, tickets,
  a link, a number, an experiment). It is wrong for the authors' plans or expectations about
  their own work, a claim about an API or about what the design spares users, a condition,
  a question, a scenario or persona, or a consequence of the design.
"""


def paragraph(lines: list[str], line: int, end_line: int) -> tuple[str, str]:
    """The nearest heading above ``line`` and the paragraph (blank-line bounded) around it."""
    head = ""
    for k in range(line - 1, -1, -1):
        m = HEADING.match(lines[k])
        if m:
            head = m.group(1)
            break
    a = line - 1
    while a > 0 and lines[a - 1].strip() and not HEADING.match(lines[a - 1]) and line - a < 8:
        a -= 1
    b = end_line - 1
    while b + 1 < len(lines) and lines[b + 1].strip() and b - end_line < 8:
        b += 1
    return head, "\n".join(lines[a:b + 1])


ITEM = re.compile(r"^## \d+\. (PS\d+) - (\S+) `(.*?)` line \d+.*?^Flagged words: \"(.*?)\"$"
                  r"(.*?)^verdict:([^\n]*)$", re.M | re.S)


def judged(paths) -> dict:
    """(rule, repo, path, flagged words) -> verdict ("right", "wrong" or "") of earlier samples."""
    out = {}
    for path in paths or ():
        for m in ITEM.finditer(Path(path).read_text(encoding="utf-8")):
            verdict = m.group(6).strip().lower()
            out[m.group(1, 2, 3, 4)] = ("right" if verdict.startswith("right") else
                                         "wrong" if verdict.startswith("wrong") else "")
    return out


def blind_verdicts(pairs) -> dict:
    """(rule, repo, path, line) -> verdict of blind rounds, from (key JSON, verdicts
    CSV) pairs; by line, so a finding whose quoted words changed keeps its verdict
    (the later pair wins)."""
    import csv

    out = {}
    for key_path, csv_path in pairs or ():
        key = json.loads(Path(key_path).read_text(encoding="utf-8"))
        with open(csv_path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                k = key.get(row["id"])
                verdict = (row.get("verdict") or "").strip().lower()
                if k and verdict in ("right", "wrong"):
                    out[(k["rule"], k["repo"], k["path"], int(k["line"]))] = verdict
    return out


BLIND_HEAD = """\
Judge each finding on its own, from the section heading and paragraph shown (open the source
doc at the repository's file if you need more), against the definitions below and
/work/shared/eval-dev/LABELING.md (who counts as users, what counts as evidence). Write
`right` or `wrong` after "verdict:", and a few words why after "why:".

- PS301 (vague goal) is right when the quoted words are a goal statement of the document (an
  item of a Goals / Objectives / Success section, or a sentence saying "the goal / aim /
  objective / intent is ...", "we aim to ...") whose improvement names nothing checkable (no
  metric, number, baseline or target). It is wrong for a decision or description in
  Alternatives or Design, an author's plan, a user story, or a goal that is already concrete.
- PS401 (unsupported claim about users) is right when the quoted words claim what users
  (customers, developers, operators, people, organizations ...) want, need, prefer, expect,
  know or usually do, and nothing in the paragraph gives evidence (a survey, data, tickets, a
  link, a number, an experiment). It is wrong for the authors' plans or expectations about
  their own work, a claim about an API or about what the design spares users, a condition, a
  question, a scenario or persona, or a consequence of the design.
"""


def write_blind(items, messages, out_dir: Path, key_path: Path, seed: int, most: int) -> int:
    """The blind sample (sample.md, sample.json in out_dir) and its key (key_path)."""
    import random

    rng = random.Random(seed)
    chosen = []
    for rule in ("PS301", "PS401"):
        idx = [k for k, i in enumerate(items) if i[0] == rule]
        chosen += idx if len(idx) <= most else sorted(rng.sample(idx, most))
    rng.shuffle(chosen)
    out_dir.mkdir(parents=True, exist_ok=True)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    md = ["# Findings of two rules on design docs, to judge", "", BLIND_HEAD]
    records, key = [], {}
    fence = "`" * 3
    for n, k in enumerate(chosen, 1):
        rule, repo, path, line, head, para, flagged = items[k]
        fid = f"F{n:03d}"
        records.append({"id": fid, "repo": repo, "path": path, "line": line,
                        "rule": rule, "message": messages[k], "section": head,
                        "paragraph": para})
        key[fid] = {"rule": rule, "repo": repo, "path": path, "line": line,
                    "flagged": flagged}
        md += [f"## {fid}: {repo} `{path}` line {line}", "", f"{rule}: {messages[k]}", "",
               f"Section: {head or '(none)'}", "", fence + "text",
               para.replace(fence, "~~~"), fence, "", "verdict:", "", "why:", ""]
    (out_dir / "sample.md").write_text("\n".join(md), encoding="utf-8")
    (out_dir / "sample.json").write_text(json.dumps(records, indent=1, ensure_ascii=False),
                                         encoding="utf-8")
    key_path.write_text(json.dumps(key, indent=1, ensure_ascii=False), encoding="utf-8")
    counts = {r: sum(items[k][0] == r for k in chosen) for r in ("PS301", "PS401")}
    print(f"wrote {len(chosen)} findings ({counts}) to {out_dir}; key in {key_path}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--out", default=str(ROOT / "docs" / "claims-sample.md"))
    ap.add_argument("--exclude", nargs="*", default=(), metavar="SAMPLE",
                    help="leave out the findings these earlier samples hold")
    ap.add_argument("--score", nargs="*", default=None, metavar="SAMPLE",
                    help="print the precision of the current findings by these judged samples")
    ap.add_argument("--score-blind", nargs=2, action="append", default=[],
                    metavar=("KEY", "VERDICTS"),
                    help="with --score: also the verdicts of a blind round (its key JSON and "
                         "verdicts CSV), matched by rule, doc and line")
    ap.add_argument("--blind", metavar="DIR", help="write DIR/sample.md and sample.json")
    ap.add_argument("--key", metavar="FILE", help="with --blind: where the id -> finding map goes")
    ap.add_argument("--seed", type=int, default=11, help="with --blind: the random seed")
    ap.add_argument("--max", type=int, default=80, help="with --blind: findings per rule at most")
    args = ap.parse_args(argv)
    if args.blind and not args.key:
        ap.error("--blind needs --key")
    from psense_lint.config import Config
    from psense_lint.engine import Linter

    corpus = Path(args.corpus)
    linter = Linter(Config(root=corpus, source=None, select=("PS301", "PS401")))
    items = []
    messages: dict[int, str] = {}
    for raw in (corpus / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        d = json.loads(raw)
        name = d["source_repo"].replace("/", "+") + "__" + d["path"].replace("/", "__")
        text = (corpus / "docs" / name).read_text(encoding="utf-8")
        result = linter.lint_text(text, name, rel=Path(d["path"]))
        lines = text.splitlines()
        for f in result.findings:
            if f.rule not in ("PS301", "PS401"):
                continue
            head, para = paragraph(lines, f.line, f.end_line)
            flagged = re.search(r'"(.*?)"', f.message, re.S)
            items.append((f.rule, d["source_repo"], d["path"], f.line, head, para,
                          " ".join((flagged.group(1) if flagged else "").split())))
            messages[len(items) - 1] = " ".join(f.message.split())
    if args.blind:
        return write_blind(items, messages, Path(args.blind), Path(args.key), args.seed,
                           args.max)
    if args.score is not None or args.score_blind:
        verdicts = judged(args.score)
        by_line = blind_verdicts(args.score_blind)
        for rule in ("PS301", "PS401"):
            got = [by_line.get((i[0], i[1], i[2], i[3]))
                   or verdicts.get((i[0], i[1], i[2], i[6]), "") for i in items if i[0] == rule]
            right, wrong = got.count("right"), got.count("wrong")
            prec = f"{right / (right + wrong):.3f}" if right + wrong else "-"
            print(f"{rule}: {len(got)} findings, {right + wrong} judged: {right} right, "
                  f"{wrong} wrong (precision {prec}); {len(got) - right - wrong} not judged")
        return 0
    total = len(items)
    seen = judged(args.exclude)
    items = [i for i in items if (i[0], i[1], i[2], i[6]) not in seen]
    left_out = total - len(items)
    how = "python tools/claims_sample.py" + (" --exclude " + " ".join(args.exclude)
                                              if args.exclude else "")
    out = ["# PS301 / PS401 findings on the corpus docs, to judge blind", "",
           f"Made by `{how}` ({len(items)} findings: "
           f"{sum(i[0] == 'PS301' for i in items)} PS301, "
           f"{sum(i[0] == 'PS401' for i in items)} PS401: every one the shipped rules "
           "give on the 550 corpus docs"
           + (f", but for the {left_out} an earlier sample already holds" if seen else "")
           + ").", "", DEFINITIONS]
    for n, (rule, repo, path, line, head, para, flagged) in enumerate(items, 1):
        out += [f"## {n:02d}. {rule} - {repo} `{path}` line {line}", "",
                f"Section: {head or '(none)'}", "", f"Flagged words: \"{flagged}\"", "",
                "```text", para.replace("```", "'''"), "```", "", "verdict:", ""]
    Path(args.out).write_text("\n".join(out), encoding="utf-8")
    print(f"wrote {len(items)} findings to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
