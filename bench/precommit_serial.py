"""require_serial: one psense-lint process for the whole commit, or one per CPU?

Usage::

    python bench/precommit_serial.py [--files 40] [--runs 5] [--jobs-variants] [--json FILE]

Builds a throw-away git repository, stages ``--files`` design docs (500 to 2,500
words each, ~1,500 on average; seeded, so every run lints the same text) and times
the real ``pre-commit run`` of the hook on those staged files - what ``git commit``
triggers - with the two settings:

* ``require_serial: true``  - pre-commit starts one psense-lint with all the files:
  one spaCy start-up, then psense-lint's own ``--jobs`` (default: CPUs) decides
  how the files are spread over cores;
* ``require_serial: false`` - pre-commit's default: the files are shuffled and
  split into one batch per CPU, one psense-lint process each, run side by side
  (each process pays the start-up, and each has its own ``--jobs``).

Both are ``repo: local`` hooks calling this interpreter's psense-lint with
``--no-cache`` (every run lints for real); pre-commit runs a hook with the same
code whatever its language, so this is what the published hook does once its
environment is installed. ``--jobs-variants`` adds both settings with
``args: [--jobs, 1]``, to see how psense-lint's own parallelism interacts.
Runs are interleaved; medians of wall time and of CPU time (all processes), and the
best wall time (the least disturbed by other work on the machine).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hook_startup import (bench_env, git, hook_yaml, make_doc, make_repo,  # noqa: E402
                          psense_command, timed)


def variants(jobs_variants: bool) -> dict[str, tuple[bool, list[str]]]:
    out = {"require_serial: true": (True, ["--no-cache"]),
           "require_serial: false": (False, ["--no-cache"])}
    if jobs_variants:
        out["require_serial: true,  --jobs 1"] = (True, ["--no-cache", "--jobs", "1"])
        out["require_serial: false, --jobs 1"] = (False, ["--no-cache", "--jobs", "1"])
    return out


def processes(n_files: int, serial: bool) -> int:
    """How many psense-lint processes pre-commit starts (pre_commit.xargs.partition,
    ignoring the command-line length limit, which 40 short paths are far from)."""
    if serial:
        return 1
    try:
        from pre_commit.lang_base import target_concurrency
        cpus = target_concurrency()
    except ImportError:  # pragma: no cover
        cpus = os.cpu_count() or 1
    if cpus <= 1:
        return 1
    return math.ceil(n_files / max(4, math.ceil(n_files / cpus)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=40, help="design docs in the commit (default 40)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each setting (default 5)")
    ap.add_argument("--jobs-variants", action="store_true",
                    help="also time both settings with psense-lint --jobs 1")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args(argv)

    todo = variants(args.jobs_variants)
    entry = psense_command()
    with tempfile.TemporaryDirectory(prefix="psense-serial-") as tmp:
        tmp_path = Path(tmp)
        hooks = {f"h{i}": v for i, v in enumerate(todo.values())}
        config = "repos:\n  - repo: local\n    hooks:\n" + "".join(
            hook_yaml(hid, entry, args=extra, require_serial=serial)
            for hid, (serial, extra) in hooks.items())
        repo = make_repo(tmp_path, config)
        rnd = random.Random(40)
        words = 0
        for i in range(args.files):
            folder = ("docs/design", "docs/rfcs", "docs/adr", "rfcs")[i % 4]
            path = repo / folder / f"{i:03d}-proposal.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            text = make_doc(rnd.randint(500, 2500), seed=i)
            words += len(text.split())
            path.write_text(text, encoding="utf-8")
        git(repo, "add", ".")  # staged, not committed: `pre-commit run` lints the staged files
        env = bench_env(tmp_path / "pre-commit-home")
        cmds = {name: [sys.executable, "-m", "pre_commit", "run", "--color", "never", hid]
                for name, hid in zip(todo, hooks)}
        for cmd in cmds.values():  # warm-up
            timed(cmd, repo, env)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
        for _ in range(args.runs):
            for name, cmd in cmds.items():
                samples[name].append(timed(cmd, repo, env))

    figures = {name: {"processes": processes(args.files, todo[name][0]),
                      "median_s": statistics.median(w for w, _ in s),
                      "min_s": min(w for w, _ in s),
                      "median_cpu_s": statistics.median(c for _, c in s),
                      "runs_s": [round(w, 3) for w, _ in s]}
               for name, s in samples.items()}
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, Python "
          f"{sys.version.split()[0]}; commit: {args.files} design docs, {words} words; "
          f"median of {args.runs} runs of `pre-commit run`")
    print(f"  {'setting':<34} {'processes':>9} {'wall':>9} {'(best)':>8} {'CPU':>9}")
    for name, fig in figures.items():
        print(f"  {name:<34} {fig['processes']:>9} {fig['median_s']:8.2f}s "
              f"{fig['min_s']:7.2f}s {fig['median_cpu_s']:8.2f}s")
    serial = figures["require_serial: true"]["median_s"]
    parallel = figures["require_serial: false"]["median_s"]
    faster, slower = (("require_serial: true", parallel / serial) if serial < parallel
                      else ("require_serial: false", serial / parallel))
    print(f"faster: {faster}, by {abs(serial - parallel):.2f} s ({slower:.2f}x)")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "cpus": os.cpu_count(), "python": sys.version.split()[0], "files": args.files,
            "words": words, "runs": args.runs, "figures": figures, "faster": faster,
            "ratio": slower}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
