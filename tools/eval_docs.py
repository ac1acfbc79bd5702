#!/usr/bin/env python3
"""Measure (and learn) the doc-level decisions PS201, PS202, PS203 on a corpus.

    python tools/eval_docs.py [CORPUS] [--write] [--features FILE]

CORPUS (default ../shared/corpus) holds docs.jsonl and docs/<file>: whole
design docs with the flags user_pain, success_metric, non_goals. The engine
runs once over every doc (the same Linter the CLI uses, every rule on); a
wrapper around the document-questions check records what it measured of each
doc (``document.analyse``: evidence and features). Then, per check:

* shipped: the findings of the shipped decision (rules/ps201.yml ... ps203.yml) on
  every doc. The decision was learned on these docs: an in-sample figure.
* cv5: 5-fold cross-validation by document: the decision is learned on four
  folds (logistic regression over the features, L2), scored on the fifth.
* lopo: leave one project out: learned on the other projects' docs.
* majority: always answering what most training docs answer.

PS201's reader (``options.reader_at_least``, psense_lint/painreader.py) is retrained in
cv5 and lopo on the corpus units of each fold's training docs only.

A finding "fires" when the decision says the doc does not answer; it is right
when the label says the answer is missing. Agreement counts both ways.
Each doc is linted under its path in its repository (design-docs globs and
numbered file names decide as they would there); docs the checks do not apply
to get no finding.

--write learns the decision on every doc and writes it into the marked
block of each rule's file (rules/ps201.yml ...). --features FILE caches the engine's run.
"""
from __future__ import annotations

import argparse
import json
import math
import pickle
import random
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CHECKS = (("user_pain", "user_pain", "PS201"), ("success_metric", "success", "PS202"),
          ("non_goals", "non_goals", "PS203"))
RULES_DIR = ROOT / "rules"  # one file per rule: rules/ps201.yml ...
L2 = 10.0
SEED = 11


def doc_name(d: dict) -> str:
    return d["source_repo"].replace("/", "+") + "__" + d["path"].replace("/", "__")


def run_engine(corpus: Path) -> list[dict]:
    """One engine run over the corpus: per doc its flags, findings, summary and analysis."""
    from psense_lint import painreader
    from psense_lint.checks import document, registry
    from psense_lint.config import Config
    from psense_lint.engine import Linter

    seen: dict[str, object] = {}
    texts: dict[str, dict] = {}
    pains: dict[str, list] = {}
    real = registry.REGISTRY["document-questions"]

    def recording(ctx, specs):
        a = seen[ctx.path] = document.analyse(ctx)
        if a is not None:  # the text of each evidence line, to compare with the notes
            want = {line for q in document.QUESTIONS for _k, line in a.evidence[q]}
            by_line: dict[int, list] = {}
            for s in document.sentences(ctx, document.config(ctx.pack)):
                line = document.line_of(ctx, s)
                if line in want:
                    by_line.setdefault(line, []).append(s.text)
            texts[ctx.path] = {line: " ".join(v) for line, v in by_line.items()}
            pains[ctx.path] = [  # what the PS201 reader reads (document.read_pain)
                (ctx.units[i].line, painreader.features(ctx.docs[i], ctx.units[i]))
                for i in a.pain_units]
        return real(ctx, specs)

    registry.REGISTRY["document-questions"] = recording
    try:
        linter = Linter(Config(root=corpus, source=None))
        rows = []
        for line in (corpus / "docs.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            name = doc_name(d)
            text = (corpus / "docs" / name).read_text(encoding="utf-8")
            # the doc's path in its repository decides, as it would there (the
            # design-docs globs, a numbered file name); findings print the file name
            # findings print the doc's path in its repository (a numbered file
            # name or directory is read from it, as the CLI reads it there)
            shown = d["source_repo"] + "/" + d["path"]
            r = linter.lint_text(text, shown, rel=Path(d["path"]))
            a = seen.pop(shown, None)
            rows.append({
                "name": name, "project": d["source_repo"],
                "labels": {k: bool(d[k]) for k, _, _ in CHECKS},
                "rules": sorted({f.rule for f in r.findings}),
                "summary": tuple(r.summary) if r.summary else None,
                "features": a.features if a else None,
                "evidence": a.evidence if a else None,
                "line_features": a.line_features if a else None,
                "strength": a.strength if a else None,
                "texts": texts.pop(shown, {}),
                "pain_units": pains.pop(shown, []),
                "notes": d.get("notes", ""),
            })
        return rows
    finally:
        registry.REGISTRY["document-questions"] = real


# ------------------------------------------------------------------ learning

ALONE: dict = {}


def fit(X: np.ndarray, y: np.ndarray, l2: float = L2):
    """L2 logistic regression by Newton steps on standardised features; the
    weights are returned for the raw features."""
    mu, sd = X.mean(0), X.std(0)
    sd[sd == 0] = 1.0
    Z = np.hstack([np.ones((len(X), 1)), (X - mu) / sd])
    w = np.zeros(Z.shape[1])
    reg = np.full(Z.shape[1], l2)
    reg[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-Z @ w))
        g = Z.T @ (p - y) + reg * w
        H = (Z * (p * (1 - p))[:, None]).T @ Z + np.diag(reg) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    raw = w[1:] / sd
    bias = w[0] - float((w[1:] * mu / sd).sum())
    return float(bias), raw


def matrix(rows, q, names):
    return np.array([[r["features"][q].get(n, 0.0) for n in names] for r in rows])


def feature_names(rows, q):
    return sorted({n for r in rows if r["features"] for n in r["features"][q]})


OPTIONS: dict = {}


def alone(q):
    """The evidence kinds that answer q on their own (options.answers_alone)."""
    from psense_lint.checks.document import config
    from psense_lint.rulepack import load_pack

    cfg = config(load_pack(()))
    rid = cfg.rule_of[q]
    OPTIONS[q] = dict(cfg.specs[rid].options)
    return set(cfg.specs[rid].options.get("answers_alone", ()))


def learn(rows, key, q, l2=None, line_feats=None):
    """A decision (bias, weights) learned on these rows: on the docs the
    decision decides (evidence, none of a kind that answers alone); None for a
    rule whose options say ``decision_learned: false`` (any evidence answers).
    The L2 weight and whether the line features (``l:...``) are weighed are the
    rule's ``decision_l2`` and ``decision_line_features``, unless given."""
    strong = alone(q)
    if OPTIONS[q].get("decision_learned", True) is False:
        return None  # the rule has no learned decision: any evidence answers
    rows = [r for r in rows if r["features"] and r["evidence"][q]
            and not any(k in strong for k, _ in r["evidence"][q])]
    lines = OPTIONS[q].get("decision_line_features", False) if line_feats is None else line_feats
    names = [n for n in feature_names(rows, q) if lines or not n.startswith("l:")]
    X = matrix(rows, q, names)
    y = np.array([1.0 if r["labels"][key] else 0.0 for r in rows])
    bias, w = fit(X, y, float(OPTIONS[q].get("decision_l2", L2)) if l2 is None else l2)
    # options.decision_margin: the doc is taken to answer unless the score is
    # below -margin (a finding only when the weights are that sure it is missing)
    bias += float(OPTIONS[q].get("decision_margin", 0.0))
    weights = {n: round(float(v), 4) for n, v in zip(names, w) if abs(v) >= 1e-4}
    return {"bias": round(bias, 4), "weights": weights}


def answers(decision, row, q, reader=None) -> bool:
    """Does the doc answer q under this decision (what the engine would say)? For user
    pain, with ``reader`` (a ``painreader.Reader``), what it reads counts too, as
    ``document.read_pain`` counts it (``options.reader_at_least``)."""
    from psense_lint.checks.document import decide

    if row["features"] is None:
        return True  # the checks do not apply: no finding
    kinds = OPTIONS[q].get("answer_kinds")
    evidence = [e for e in row["evidence"][q] if kinds is None or e[0] in kinds]
    if decide(decision, row["features"][q], evidence, (), ALONE[q]) is not None:
        return True
    at_least = OPTIONS[q].get("reader_at_least")
    return (reader is not None and at_least is not None
            and any(reader.score(names) >= float(at_least) for _l, names in row["pain_units"]))


UNITS: list = []  # the corpus units with the reader's features (train_pain_reader.units)


def reader_for(train) -> object:
    """The PS201 reader learned on the corpus units of these docs only."""
    sys.path.insert(0, str(ROOT / "training"))
    import train_pain_reader

    names = {r["name"] for r in train}
    return train_pain_reader.fit([u for u in UNITS if u["doc"] in names])


# ------------------------------------------------------------------ answer lines
#
# Which evidence sentence states the answer? The labeller's notes say, for each
# flag, what the doc states (often in its own words): an evidence sentence that
# shares enough content words with the note of its flag is taken to state the
# answer (a weak label). The line weights are learned on those labels; the
# figure is how often the line shown is such a sentence, on the docs the engine
# says answer (a doc whose flag is false has no right line).

_STOP = frozenset("""this that with from have will would they their there which when what
about into also only such than then them these those been were being does other more most
some very just over your each much many make made like using used uses user users their
said says section doc document proposal none""".split())
NOTE_KEY = {"user_pain": "user_pain", "success": "success_metric", "non_goals": "non_goals"}


def _content(text: str) -> set:
    import re
    return {w for w in re.findall(r"[a-z][a-z\-]{3,}", text.lower()) if w not in _STOP}


def note_of(notes: str, key: str) -> str:
    import re
    m = re.search(key + r":(.*?)(?=(?:user_pain|success_metric|non_goals):|$)", notes, re.S)
    return m.group(1) if m else ""


def states(row, q, line) -> bool:
    """Weak label: does the sentence at ``line`` say what the note of q says?"""
    key = NOTE_KEY[q]
    if not row["labels"][key]:
        return False
    note = _content(note_of(row["notes"], key))
    words = _content(row["texts"].get(line, ""))
    shared = len(words & note)
    return shared >= 2 or (bool(words) and shared / len(words) >= 0.25)


def shown_line(row, q, veto=None, prefer=None):
    """The line the summary shows for q (None: not answered); with ``veto`` /
    ``prefer`` given, the line those would show instead (same decision)."""
    from psense_lint.checks.document import decide

    line = row["summary"][1 + list(NOTE_KEY).index(q)] if row["summary"] else None
    if line is None or veto is None:
        return line
    lf = {l: f for (q2, l), f in row["line_features"].items() if q2 == q}
    st = {l: n for (q2, l), n in row["strength"].items() if q2 == q}
    return decide(None, {}, row["evidence"][q], OPTIONS[q].get("evidence_order", ()), (), st,
                  veto, prefer or (), lf)


def line_figures(rows, q, veto=None, prefer=None):
    """How often the shown line states the answer (weak label), on the docs the
    engine says answer; and how often some evidence line does (the best any
    choice of line could do)."""
    answered = [r for r in rows if r["summary"] and r["summary"][0]
                and r["summary"][1 + list(NOTE_KEY).index(q)] is not None]
    shown = sum(states(r, q, shown_line(r, q, veto, prefer)) for r in answered)
    best = sum(any(states(r, q, line) for _k, line in r["evidence"][q]) for r in answered)
    n = len(answered) or 1
    return {"answered": len(answered), "states": shown / n, "best_possible": best / n}


# ------------------------------------------------------------------ figures

def figures(pairs):
    """pairs: (fired, missing) per doc -> agreement, precision, recall, n, fired."""
    tp = sum(1 for f, m in pairs if f and m)
    fp = sum(1 for f, m in pairs if f and not m)
    fn = sum(1 for f, m in pairs if not f and m)
    n = len(pairs)
    agree = sum(1 for f, m in pairs if f == m) / n if n else 0.0
    prec = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / (tp + fn) if tp + fn else float("nan")
    return {"agreement": agree, "precision": prec, "recall": rec, "n": n, "fired": tp + fp}


def folds_by_doc(rows, k=5):
    idx = list(range(len(rows)))
    random.Random(SEED).shuffle(idx)
    return [sorted(idx[i::k]) for i in range(k)]


def folds_by_project(rows):
    by: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by[r["project"]].append(i)
    return dict(sorted(by.items()))


GRID = tuple((l2, lines) for lines in (False, True) for l2 in (10.0, 30.0, 100.0))


def choose(train, key, q, by_project: bool):
    """(l2, line features) of GRID with the best agreement in an inner cross-
    validation on these training docs only (by project for an outer leave-one-
    project-out, else 5 folds by document): no setting is chosen on held-out docs."""
    if by_project:
        inner = [test for _name, test in folds_by_project(train).items()]
    else:
        inner = folds_by_doc(train)
    best = None
    for l2, lines in GRID:
        ok = 0
        for test in inner:
            held = set(test)
            dec = learn([r for i, r in enumerate(train) if i not in held], key, q, l2, lines)
            ok += sum(answers(dec, train[i], q) == train[i]["labels"][key] for i in test)
        if best is None or ok > best[0]:
            best = (ok, (l2, lines))
    return best[1]


def cross(rows, folds, key, q, nested=None):
    """(fired, missing) and majority (fired, missing) per held-out doc, and per fold.
    With ``nested`` ("doc" or "project"), the L2 weight and the line features are
    chosen per outer fold by ``choose`` on its training docs."""
    pairs, majority, per_fold = [], [], {}
    for name, test in folds:
        test_set = set(test)
        train = [r for i, r in enumerate(rows) if i not in test_set]
        if nested and OPTIONS[q].get("decision_learned", True) is not False:
            dec = learn(train, key, q, *choose(train, key, q, nested == "project"))
        else:
            dec = learn(train, key, q)
        reader = reader_for(train) if OPTIONS[q].get("reader_at_least") is not None else None
        share = sum(r["labels"][key] for r in train) / len(train)
        maj_fires = share < 0.5  # most training docs miss the answer: always fire
        fold_pairs = []
        for i in test:
            r = rows[i]
            fold_pairs.append((not answers(dec, r, q, reader), not r["labels"][key]))
            majority.append((maj_fires, not r["labels"][key]))
        pairs += fold_pairs
        per_fold[name] = figures(fold_pairs)
    return figures(pairs), figures(majority), per_fold


def fmt(f):
    def num(v):
        return "  -  " if isinstance(v, float) and math.isnan(v) else f"{v:.3f}"
    return (f"agreement {num(f['agreement'])}  precision {num(f['precision'])}  "
            f"recall {num(f['recall'])}  (fired {f['fired']} of {f['n']})")


def write_decisions(decisions: dict, block: str = "decision", key: str = "decision") -> None:
    """Replace the marked block of each rule in its file, rules/ps201.yml ...
    (``# BEGIN learned decision PS201`` ... or ``# BEGIN learned lines PS201``)."""
    for rid, dec in decisions.items():
        rules_file = RULES_DIR / f"{rid.lower()}.yml"
        text = rules_file.read_text(encoding="utf-8")
        begin, end = f"      # BEGIN learned {block} {rid}", f"      # END learned {block} {rid}"
        a, b = text.index(begin), text.index(end)
        body = [f"      {key}:", f"        bias: {dec['bias']}", "        weights:"]
        body += [f"          {json.dumps(n)}: {w}" for n, w in sorted(dec["weights"].items())]
        if not dec["weights"]:
            body[-1] = "        weights: {}"
        text = text[:a] + begin + "\n" + "\n".join(body) + "\n" + text[b:]
        rules_file.write_text(text, encoding="utf-8")


def judged_docs(paths) -> set:
    """The doc file names of earlier samples (their "## NN. question: name line N" heads)."""
    import re
    out = set()
    for path in paths or ():
        for m in re.finditer(r"^## \d+\. \w+: (\S+) line \d+", Path(path).read_text(
                encoding="utf-8"), re.M):
            out.add(m.group(1))
    return out


def write_lines_sample(rows, corpus: Path, out: Path, per_question: int = 20,
                       seed: int = SEED, exclude: set = frozenset(),
                       exclude_paths=()) -> None:
    """For a blind judge: does the line the summary shows state the answer?"""
    what = {"user_pain": "a problem, pain or friction of the doc's users that the change reduces",
            "success": "an observable or measurable criterion for judging the change",
            "non_goals": "something the doc explicitly will not do (out of scope, deferred, "
                         "rejected scope, an accepted named trade-off)"}
    how = f"--lines-sample {out.as_posix()} --seed {seed}" + (
        " --exclude " + " ".join(exclude_paths) if exclude_paths else "")
    text = ["# Answer lines of the doc summary, to judge blind", "",
            f"Made by `python tools/eval_docs.py {how}`: "
            f"{per_question} corpus docs per question (random, seed {seed}), among those the "
            "engine says answer it"
            + (f" and not in the earlier samples ({len(exclude)} docs left out)" if exclude
               else "")
            + ". For each, write `right` after \"verdict:\" when the line shown (read "
            "with its paragraph) states what the question asks, else `wrong`.", ""]
    rng = random.Random(seed)
    fence = "`" * 3
    n = 0
    for pos, (q, ask) in enumerate(what.items(), start=1):
        answered = [r for r in rows if r["summary"] and r["summary"][0] and r["summary"][pos]
                    and r["name"] not in exclude]
        for r in sorted(rng.sample(answered, min(per_question, len(answered))),
                        key=lambda r: r["name"]):
            line = r["summary"][pos]
            src = (corpus / "docs" / r["name"]).read_text(encoding="utf-8").splitlines()
            a, b = line - 1, line - 1
            while a > 0 and src[a - 1].strip() and line - a < 4:
                a -= 1
            while b + 1 < len(src) and src[b + 1].strip() and b - line < 4:
                b += 1
            n += 1
            text += [f"## {n:02d}. {q}: {r['name']} line {line}", "",
                     f"Asks for: {ask}.", "", f"Line shown: `{src[line - 1].strip()}`", "",
                     fence + "text", "\n".join(src[a:b + 1]).replace(fence, "'''"), fence, "",
                     "verdict:", ""]
    out.write_text("\n".join(text), encoding="utf-8")
    print(f"wrote {n} answer lines to {out}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--write", action="store_true", help="learn on all docs, write rules")
    ap.add_argument("--features", help="cache the engine's run in this file")
    ap.add_argument("--json", help="also write the figures as JSON here")
    ap.add_argument("--nested", action="store_true",
                    help="also nested CV / LOPO: the L2 weight and the line features chosen "
                         "inside each outer fold's training docs")
    ap.add_argument("--lines-sample", metavar="FILE",
                    help="write 20 answered docs per question, with the line the summary "
                         "shows, for a blind judge")
    ap.add_argument("--seed", type=int, default=SEED, help="random seed of --lines-sample")
    ap.add_argument("--exclude", nargs="*", default=(), metavar="SAMPLE",
                    help="earlier --lines-sample files: their docs are left out")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    cache = Path(args.features) if args.features else None
    if cache and cache.exists():
        rows = pickle.loads(cache.read_bytes())
    else:
        rows = run_engine(corpus)
        if cache:
            cache.write_bytes(pickle.dumps(rows))
    for _key, q, _rid in CHECKS:
        ALONE[q] = alone(q)
    if any(OPTIONS[q].get("reader_at_least") is not None for _k, q, _r in CHECKS):
        sys.path.insert(0, str(ROOT / "training"))
        import train_pain_reader
        UNITS[:] = train_pain_reader.units(corpus)
    n = len(rows)
    print(f"{n} docs, {len({r['project'] for r in rows})} projects, "
          f"{sum(1 for r in rows if r['features'] is None)} not taken for design docs")
    report: dict = {}
    if args.lines_sample:
        write_lines_sample(rows, corpus, Path(args.lines_sample), seed=args.seed,
                           exclude=judged_docs(args.exclude), exclude_paths=args.exclude)
        return 0
    if args.write:
        learned = {rid: learn(rows, key, q) for key, q, rid in CHECKS}
        write_decisions({rid: dec for rid, dec in learned.items() if dec is not None})
        print(f"wrote the decisions to {RULES_DIR}/ps20*.yml; run again to measure them")
        return 0
    doc_folds = [(f"fold{i}", f) for i, f in enumerate(folds_by_doc(rows))]
    proj_folds = list(folds_by_project(rows).items())
    for key, q, rid in CHECKS:
        shipped = figures([(rid in r["rules"], not r["labels"][key]) for r in rows])
        cv, cv_maj, _ = cross(rows, doc_folds, key, q)
        lopo, lopo_maj, per_proj = cross(rows, proj_folds, key, q)
        print(f"\n{rid} ({key}: {sum(r['labels'][key] for r in rows)} of {n} docs answer)")
        print(f"  shipped, in-sample   {fmt(shipped)}")
        print(f"  cv5 by document      {fmt(cv)}")
        print(f"    majority           {fmt(cv_maj)}")
        print(f"  leave-one-project-out {fmt(lopo)}")
        print(f"    majority           {fmt(lopo_maj)}")
        for proj, f in per_proj.items():
            print(f"    {proj:<36} {fmt(f)}")
        report[rid] = {"shipped": shipped, "cv5": cv, "cv5_majority": cv_maj,
                       "lopo": lopo, "lopo_majority": lopo_maj, "lopo_per_project": per_proj}
        if args.nested:
            ncv, _, _ = cross(rows, doc_folds, key, q, nested="doc")
            nlopo, _, nper = cross(rows, proj_folds, key, q, nested="project")
            print(f"  nested cv5            {fmt(ncv)}")
            print(f"  nested leave-one-project-out {fmt(nlopo)}")
            for proj, f in nper.items():
                print(f"    {proj:<36} {fmt(f)}")
            report[rid].update({"nested_cv5": ncv, "nested_lopo": nlopo,
                                "nested_lopo_per_project": nper})
    print("\nanswer lines: of the docs the engine says answer, the share whose line shown"
          "\nstates the answer by the labeller's notes (a weak label: see states()); without"
          "\nline_veto / line_prefer; the best any choice among the evidence lines could do")
    for key, q, rid in CHECKS:
        lf = line_figures(rows, q)
        plain = line_figures(rows, q, (), ())
        print(f"  {rid} {q:<10} answered {lf['answered']:>3}  shown {lf['states']:.3f}  "
              f"without veto/prefer {plain['states']:.3f}  best possible "
              f"{lf['best_possible']:.3f}")
        report[rid]["lines"] = {"shipped": lf, "without_veto_prefer": plain}
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
