"""How long does one pre-commit hook run take, next to a bare ``import spacy``?

Usage::

    python bench/hook_startup.py [--runs 5] [--words 3000] [--breakdown] [--json FILE]

Everything runs on this machine with this interpreter (the one psense-lint is
installed in). In a throw-away git repository holding one ~3,000-word design doc
it times, median of ``--runs`` (after one untimed warm-up of each):

* ``python -c "import spacy"``                   - the floor: spaCy's own import
* ``psense-lint --no-cache doc.md``              - the hook's command, bare
* ``pre-commit run psense-lint --files doc.md``  - the hook as pre-commit runs it
* ``pre-commit run noop --files doc.md``         - pre-commit's own overhead (a no-op hook)

The hook is a ``repo: local`` hook calling this interpreter's psense-lint, so the
timing has no hook-environment install in it (pre-commit builds that once and keeps
it); running a hook is the same code in pre-commit whatever the language.
``--no-cache`` keeps the results cache out of it: every run lints for real.

Goal (issue 3): the hook's run within 1.5x of the bare import. ``--breakdown`` adds
an in-process split of where a run's time goes (imports, rule pack, pipeline build,
linting, rendering); ``python -X importtime -m psense_lint FILE`` gives the import tree.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 1.5

# Sentences of the kind design docs are made of: engineering-only reasons, user
# outcomes, plain description. Several of them fire PS101, the rest pass.
SENTENCES = (
    "We should move to the event bus because it gives a cleaner architecture and less "
    "coupling between the two services.",
    "Today a shopper who places an order waits up to 8 seconds for the confirmation page, "
    "because the order service blocks on the notification call.",
    "Splitting the controller improves maintainability and makes future extensions easier.",
    "The controller watches pods and records their state in a cache that the scheduler "
    "reads on every pass.",
    "This refactoring pays down technical debt in the scheduler and removes two layers of "
    "indirection.",
    "Operators who run more than fifty clusters have asked for a single place to see "
    "failed rollouts.",
    "The new storage layer reduces memory usage by 30 percent on our build servers.",
    "Customers on the free plan can now export their data in two clicks instead of filing "
    "a support ticket.",
    "Keeping the HTTP call is simpler to maintain, and the team already knows how to "
    "debug it.",
    "The migration runs in the background and copies each table in batches of one "
    "thousand rows.",
)
SECTIONS = ("Summary", "Motivation", "Goals", "Non-goals", "Design", "Alternatives", "Risks")


def make_doc(words: int = 3000, seed: int = 0) -> str:
    """A design doc of about ``words`` words: headings, paragraphs, a list, a code block."""
    rnd = random.Random(seed)
    out = [f"# RFC {seed}: Move order events to an event bus", ""]
    count = 0
    while count < words:
        for section in SECTIONS:
            out += [f"## {section}", ""]
            for _ in range(rnd.randint(2, 4)):
                para = " ".join(rnd.choice(SENTENCES) for _ in range(rnd.randint(2, 5)))
                count += len(para.split())
                out += [para, ""]
            if section == "Goals":
                out += ["- Cut the p95 time from order to confirmation from 8 s to under 1 s.",
                        "- Improve the developer experience.", ""]
            if section == "Design":
                out += ["```python", 'bus.publish("OrderPlaced", order.id)', "```", ""]
            if count >= words:
                break
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- the temp repo

def psense_command() -> list[str]:
    """This interpreter's psense-lint: the console script beside it, else ``-m``."""
    script = shutil.which("psense-lint", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "psense_lint"]


def local_language() -> str:
    """pre-commit 4.4+ calls a hook that runs a command already installed
    ``unsupported``; older versions call it ``system``."""
    try:
        from pre_commit.all_languages import languages
    except ImportError:  # pragma: no cover - very old pre-commit
        return "system"
    return "unsupported" if "unsupported" in languages else "system"


def hook_yaml(hook_id: str, entry: list[str], *, args=(), require_serial: bool = True,
              files: str | None = None, types_or=("markdown",)) -> str:
    lines = [f"    - id: {hook_id}",
             f"      name: {hook_id}",
             f"      entry: {json.dumps(shlex.join(entry))}",
             f"      language: {local_language()}",
             f"      types_or: [{', '.join(types_or)}]",
             f"      require_serial: {'true' if require_serial else 'false'}"]
    if args:
        lines.append(f"      args: {json.dumps(list(args))}")
    if files:
        lines.append(f"      files: {json.dumps(files)}")
    return "\n".join(lines) + "\n"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t",
                    "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                   cwd=repo, check=True, capture_output=True)


def make_repo(root: Path, config: str) -> Path:
    """A git repository whose first commit holds ``.pre-commit-config.yaml``."""
    repo = root / "repo"
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    (repo / ".gitignore").write_text(".psense_cache/\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "pre-commit config")
    return repo


def bench_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1")
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(var, None)
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: Path, env: dict[str, str], ok=(0, 1)) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and all its descendants)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    if proc.returncode not in ok:
        raise SystemExit(f"command failed ({proc.returncode}): {shlex.join(cmd)}\n"
                         f"{proc.stdout.decode(errors='replace')}"
                         f"{proc.stderr.decode(errors='replace')}")
    return elapsed, cpu


def medians(commands: dict[str, tuple[list[str], tuple[int, ...]]], cwd: Path,
            env: dict[str, str], runs: int) -> dict[str, dict]:
    """Median wall time of each command; runs are interleaved so that drift in the
    machine's load hits every command alike."""
    for cmd, ok in commands.values():  # warm-up: page cache, .pyc files
        timed(cmd, cwd, env, ok)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (cmd, ok) in commands.items():
            times[name].append(timed(cmd, cwd, env, ok))
    return {name: {"median_s": statistics.median(w for w, _ in t),
                   "median_cpu_s": statistics.median(c for _, c in t),
                   "min_s": min(w for w, _ in t),
                   "runs_s": [round(w, 4) for w, _ in t]}
            for name, t in times.items()}


# ---------------------------------------------------------------- breakdown

def breakdown(doc: Path, cwd: Path) -> list[tuple[str, float]]:
    """Split one run into steps, in a fresh interpreter (so imports are cold)."""
    code = r"""
import json, sys, time
from pathlib import Path
steps, t0 = [], time.perf_counter()
def lap(name):
    global t0
    t = time.perf_counter(); steps.append((name, t - t0)); t0 = t
import psense_lint.cli, psense_lint.model
lap("import psense_lint.cli")
from psense_lint.rulepack import load_pack
pack = load_pack(())
lap("rule pack: read YAML, import checks, compile patterns")
from psense_lint.project import load_project
project = load_project(None, Path.cwd(), cli={"pipeline": None})
cfg = project.config
lap("project: find and read the config (and the packs again)")
from psense_lint import engine, report, session
lap("import engine, session, report (markdown-it)")
import spacy
lap("import spacy")
from psense_lint import nlp as nlp_mod
nlp_mod.load(cfg.pipeline)
lap("build pipeline '" + cfg.pipeline + "' (spacy.blank, lookups, initialize)")
results, errors, _ = session.lint_paths(project, [sys.argv[1]])
lap("lint the doc (parse Markdown, nlp.pipe, checks)")
report.render("text", results, rules=pack.rule_infos(), errors=errors, color=False,
              tool_version="bench")
lap("render text output")
print(json.dumps(steps))
"""
    proc = subprocess.run([sys.executable, "-c", code, str(doc)], cwd=cwd,
                          capture_output=True, text=True, check=True)
    return [tuple(s) for s in json.loads(proc.stdout.strip().splitlines()[-1])]


# ---------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each command (default 5)")
    ap.add_argument("--words", type=int, default=3000, help="words in the doc (default 3000)")
    ap.add_argument("--breakdown", action="store_true",
                    help="also split one run into steps (median of --runs)")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="psense-startup-") as tmp:
        tmp_path = Path(tmp)
        entry = psense_command()
        config = ("repos:\n  - repo: local\n    hooks:\n"
                  + hook_yaml("psense-lint", entry, args=["--no-cache"])
                  + hook_yaml("noop", ["true"]))
        repo = make_repo(tmp_path, config)
        doc = repo / "docs" / "design" / "event-bus.md"
        doc.parent.mkdir(parents=True)
        doc.write_text(make_doc(args.words), encoding="utf-8")
        words = len(doc.read_text(encoding="utf-8").split())
        git(repo, "add", ".")
        env = bench_env(tmp_path / "pre-commit-home")
        rel = doc.relative_to(repo).as_posix()
        pc = [sys.executable, "-m", "pre_commit", "run", "--color", "never"]
        commands = {
            "python -c 'import spacy'": ([sys.executable, "-c", "import spacy"], (0,)),
            "psense-lint --no-cache doc.md": ([*entry, "--no-cache", rel], (0, 1)),
            "pre-commit run psense-lint --files doc.md": ([*pc, "psense-lint", "--files", rel],
                                                          (0, 1)),
            "pre-commit run noop --files doc.md": ([*pc, "noop", "--files", rel], (0,)),
        }
        figures = medians(commands, repo, env, args.runs)
        steps = None
        if args.breakdown:
            samples = [breakdown(doc, repo) for _ in range(args.runs)]
            steps = [(name, statistics.median(s[i][1] for s in samples))
                     for i, (name, _) in enumerate(samples[0])]

    base = figures["python -c 'import spacy'"]["median_s"]
    bare = figures["psense-lint --no-cache doc.md"]["median_s"]
    hook = figures["pre-commit run psense-lint --files doc.md"]["median_s"]
    noop = figures["pre-commit run noop --files doc.md"]["median_s"]
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, Python "
          f"{sys.version.split()[0]}; doc: {words} words; median of {args.runs} runs")
    base_cpu = figures["python -c 'import spacy'"]["median_cpu_s"]
    print(f"  {'':<45} {'wall':>8}  {'':11} {'CPU':>8}")
    for name, fig in figures.items():
        print(f"  {name:<45} {fig['median_s']:6.3f} s  {fig['median_s'] / base:4.2f}x import  "
              f"{fig['median_cpu_s']:6.3f} s  {fig['median_cpu_s'] / base_cpu:4.2f}x import")
    print(f"hook run / import spacy = {hook / base:.2f}x via pre-commit, {bare / base:.2f}x bare "
          f"(goal {GOAL}x: {'met' if hook / base <= GOAL else 'missed'} via pre-commit, "
          f"{'met' if bare / base <= GOAL else 'missed'} bare); pre-commit's own overhead "
          f"{noop:.3f} s")
    if steps:
        print("where one run's time goes (in-process, median):")
        for name, secs in steps:
            print(f"  {name:<60} {secs * 1000:6.0f} ms")
        print(f"  {'total (plus interpreter start-up)':<60} {sum(s for _, s in steps) * 1000:6.0f} ms")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "cpus": os.cpu_count(), "python": sys.version.split()[0], "words": words,
            "runs": args.runs, "figures": figures, "ratio_hook": hook / base,
            "ratio_bare": bare / base, "goal": GOAL,
            "breakdown_s": dict(steps) if steps else None}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
