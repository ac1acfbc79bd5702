"""Benchmark psense-lint against proselint, in one run, on a real corpus of design docs.

    python bench/bench.py --corpus DIR        # every *.md under DIR (e.g. the Rust RFCs' text/)
    python bench/bench.py                     # DIR: ../shared/corpus/docs beside the repo, if there
    python bench/bench.py --corpus DIR --quick        # no scaling rows, fewer repeats
    python bench/bench.py --generated 600     # no real corpus here: a generated one (not comparable)
    python bench/bench.py --markdown out.md   # also write the tables as Markdown
    python bench/bench.py --baseline TREE     # also the cold rows for an older source tree

Needs only what the tests need, plus proselint (``pip install -e '.[test,bench]'``).
The corpus is copied to bench/out/corpus (flat, in name order) so that the
1-file-edited row can edit a file. Each measured command runs in a fresh
subprocess; CPU seconds and peak RSS are read with ``os.wait4`` (CPU: the process
and the worker processes it waited for; RSS: the largest ``ru_maxrss`` among
them, so for a multi-process run the peak of the largest single process). Words
are whitespace-separated tokens of the whole Markdown source, code and tables
included, the same count for both tools. The machine's load average is printed
before and after: on a shared machine compare the ratios taken in the same run.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20240611

# --------------------------------------------------------------------------- corpus

COMPONENTS = [
    "the scheduler", "the ingest pipeline", "the billing service", "the search index",
    "the config loader", "the auth gateway", "the job queue", "the storage layer",
    "the notification service", "the metrics exporter", "the sync engine", "the API server",
    "the build cache", "the payment worker", "the rendering service", "the import tool",
    "the session store", "the rate limiter", "the audit log", "the feature-flag service",
]
NAMES = ["`JobRunner`", "`ShardMap`", "`RetryPolicy`", "`IndexWriter`", "`TokenBucket`",
         "`EventBus`", "`BlobStore`", "`QueryPlanner`", "`LeaseManager`", "`SchemaRegistry`",
         "`Reconciler`", "`WriteAheadLog`", "`ConfigWatcher`", "`Dispatcher`"]
TECH = ["Rust", "Go", "gRPC", "Kafka", "PostgreSQL", "Redis", "SQLite", "protobuf", "WebAssembly",
        "Kubernetes", "an LRU cache", "a B-tree", "a message bus", "an event log", "async I/O"]
PEOPLE = ["customers", "users", "operators", "on-call engineers", "admins", "analysts",
          "support agents", "new users", "mobile users", "API clients", "tenants", "sellers"]
TASKS = ["checkout", "the nightly export", "search", "sign-in", "report generation",
         "onboarding", "a deploy", "file upload", "the billing run", "dashboard loading",
         "a restore from backup", "password reset"]
METRICS = ["p95 latency", "error rate", "time to first byte", "memory use", "CPU time",
           "queue depth", "build time", "cold-start time", "disk usage", "page weight"]
TEAMS = ["our team", "the core team", "the platform team", "maintainers", "reviewers"]

ENGINEERING = [  # engineering-only reasons: what the linter is meant to question
    "{Comp} is tightly coupled to {comp2}, which makes the code hard to change.",
    "Rewriting {comp} in {tech} makes the code cleaner and more maintainable.",
    "The new design is more scalable and more elegant than the current one.",
    "This refactor reduces technical debt and simplifies {comp}.",
    "Moving to {tech} is the modern approach and is more idiomatic.",
    "{Name} is faster and uses less memory than the old implementation.",
    "The current implementation is slow, brittle and hard to test.",
    "Decoupling {comp} from {comp2} gives us a cleaner separation of concerns.",
    "This approach is more consistent with the rest of the codebase.",
    "It improves throughput by {n}% and cuts {metric} in half.",
    "A single abstraction is simpler and easier to reason about.",
    "The existing module is a mess of special cases that {team} has to maintain.",
    "Using {tech} would make {comp} more robust and more extensible.",
    "We should adopt {tech} because it is best practice.",
]
USER_FACING = [  # reasons tied to people: the linter lets these pass
    "{People} wait up to {n} seconds for {task} today, and {n2}% of them give up before it finishes.",
    "With this change {people} see {task} finish in under {n} seconds instead of {n2}.",
    "Support gets about {n} tickets a week from {people} who cannot finish {task}.",
    "{People} told us in {n} interviews that {task} is the slowest part of their day.",
    "When {comp} is down, {people} cannot complete {task}, which cost us {n} orders last month.",
    "This lets {people} retry {task} themselves instead of filing a ticket and waiting a day.",
    "{People} on slow networks lose their work when {task} times out after {n} seconds.",
]
NEUTRAL = [  # description: neither argument nor claim
    "{Comp} reads its settings from a YAML file at start-up and watches it for changes.",
    "Each request carries a tenant id, a deadline and an idempotency key.",
    "{Name} keeps one entry per shard and flushes it every {n} seconds.",
    "The worker pulls a batch of up to {n} jobs, processes them and acknowledges each one.",
    "Writes go to the primary; reads may go to any replica that is less than {n} ms behind.",
    "The client library exposes {name} with two methods, `open` and `close`.",
    "We run {n} replicas of {comp} behind the load balancer in each region.",
    "Old records are compacted once a day and deleted after {n} days.",
    "A migration script copies the existing rows in batches of {n2} and records its progress.",
    "The feature is behind a flag until the rollout reaches every region.",
    "See [the previous proposal](../rfcs/{n:04d}-{slug}.md) for the background.",
    "The dashboard at [metrics](https://metrics.example.com/d/{slug}) tracks {metric}.",
    "Errors are logged with the request id so that they can be traced across services.",
    "{Comp} talks to {comp2} over {tech}, with a timeout of {n} ms per call.",
]
GOALS = [
    "{People} can finish {task} in under {n} seconds at p95.",
    "Cut {metric} of {comp} by {n}%.",
    "Make {comp} easier to maintain.",
    "Support {n}x the current load without new hardware.",
    "No {people} lose data when {comp} restarts.",
    "Ship the migration without downtime for {people}.",
    "Improve the performance of {comp}.",
    "Fewer than {n} support tickets a month about {task}.",
]
NON_GOALS = [
    "Replacing {comp2}; it keeps its current API.",
    "Changing how {people} are billed.",
    "Multi-region writes: a later proposal will cover them.",
    "A new UI for {task}.",
    "Migrating the historical data older than {n} days.",
]
QUESTIONS = [
    "Do we need a per-tenant limit, or is a global one enough?",
    "Who owns {comp} once the migration is done?",
    "Should {name} be part of the public API?",
    "What happens to in-flight jobs during a deploy?",
    "How long do we keep the old path around?",
]
CODE = [
    ("python", "def handle(request):\n    job = queue.pop(timeout={n})\n    if job is None:\n"
               "        return Response(status=204)\n    result = runner.run(job)\n"
               "    queue.ack(job.id)\n    return Response(result.to_json())\n"),
    ("go", "func (s *Server) Get(ctx context.Context, id string) (*Item, error) {{\n"
           "\tctx, cancel := context.WithTimeout(ctx, {n}*time.Millisecond)\n\tdefer cancel()\n"
           "\treturn s.store.Load(ctx, id)\n}}\n"),
    ("yaml", "scheduler:\n  workers: {n}\n  batch_size: {n2}\n  retry:\n    max_attempts: 5\n"
             "    backoff: exponential\n"),
    ("sql", "CREATE TABLE jobs (\n  id BIGSERIAL PRIMARY KEY,\n  tenant_id BIGINT NOT NULL,\n"
            "  state TEXT NOT NULL DEFAULT 'queued',\n  created_at TIMESTAMPTZ NOT NULL\n);\n"
            "CREATE INDEX jobs_tenant_state ON jobs (tenant_id, state);\n"),
    ("text", "client -> gateway -> {slug}-service -> store\n                 \\-> audit log\n"),
]
TABLE_HEAD = "| Option | {metric} | Cost per month | Risk |\n| --- | --- | --- | --- |\n"
TABLE_ROW = "| {tech} | {n} ms | ${n2} | {risk} |\n"
RISKS = ["low", "medium", "high", "unknown"]
FOLDERS = ["design", "rfcs", "adr", "proposals", "docs/architecture"]
SLUGS = ["cache", "queue", "billing", "search", "auth", "export", "sync", "storage",
         "flags", "limits", "audit", "upload", "sessions", "metrics", "onboarding"]


class _Gen:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def fill(self, template: str) -> str:
        r = self.rng
        comp, comp2 = r.sample(COMPONENTS, 2)
        people = r.choice(PEOPLE)
        values = dict(comp=comp, Comp=comp[0].upper() + comp[1:], comp2=comp2,
                      tech=r.choice(TECH), name=r.choice(NAMES), Name=r.choice(NAMES),
                      people=people, People=people[0].upper() + people[1:],
                      task=r.choice(TASKS), metric=r.choice(METRICS), team=r.choice(TEAMS),
                      n=r.randint(2, 90), n2=r.randint(100, 5000), slug=r.choice(SLUGS),
                      risk=r.choice(RISKS))
        return template.format(**values)

    def sentence(self, engineering: float) -> str:
        r = self.rng.random()
        if r < engineering:
            return self.fill(self.rng.choice(ENGINEERING))
        if r < engineering + 0.25:
            return self.fill(self.rng.choice(USER_FACING))
        return self.fill(self.rng.choice(NEUTRAL))

    def paragraph(self, engineering: float = 0.15) -> str:
        return " ".join(self.sentence(engineering) for _ in range(self.rng.randint(3, 7)))

    def bullets(self, pool, lo=3, hi=6, numbered=False) -> str:
        items = self.rng.sample(pool, min(len(pool), self.rng.randint(lo, hi)))
        return "\n".join((f"{i + 1}. " if numbered else "- ") + self.fill(t)
                         for i, t in enumerate(items))

    def code(self) -> str:
        lang, body = self.rng.choice(CODE)
        return f"```{lang}\n{self.fill(body)}```"

    def table(self) -> str:
        rows = "".join(self.fill(TABLE_ROW) for _ in range(self.rng.randint(2, 5)))
        return self.fill(TABLE_HEAD) + rows.rstrip("\n")

    def doc(self, number: int, target_words: int) -> str:
        r = self.rng
        slug = r.choice(SLUGS)
        title = f"{number:04d}: {self.fill('{Comp}')[4:].capitalize()} {slug} redesign"
        parts: list[str] = []
        if r.random() < 0.5:
            parts.append(f"---\ntitle: \"{title}\"\nstatus: {r.choice(['draft', 'accepted', 'review'])}"
                         f"\nauthors: [{r.choice(['ana', 'bo', 'chen', 'dev'])}]\n"
                         f"created: 2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}\n---")
        parts += [f"# {title}", "## Summary", self.paragraph(0.1)]
        parts += ["## Motivation", self.paragraph(0.4), self.paragraph(0.3)]
        parts += ["## Goals", self.bullets(GOALS)]
        if r.random() < 0.7:
            parts += ["## Non-goals", self.bullets(NON_GOALS, 2, 4)]
        design = ["## Design", "### Overview", self.paragraph(0.1), self.code(),
                  "### Data model", self.paragraph(0.05), self.table(),
                  "### Rollout", self.bullets(NEUTRAL, 3, 5, numbered=True)]
        parts += design
        alternatives = ["## Alternatives considered"]
        drawbacks = ["## Drawbacks", self.paragraph(0.3)]
        tail = []
        if r.random() < 0.6:
            tail += ["## Success metrics", self.bullets(GOALS, 2, 4)]
        tail += ["## Open questions", self.bullets(QUESTIONS, 2, 4)]

        def words():
            return sum(len(p.split()) for p in parts + alternatives + drawbacks + tail)

        k = 0
        while words() < target_words:
            k += 1
            choice = r.random()
            if choice < 0.45:
                extra = [f"### {self.fill('{Name}').strip('`')} details", self.paragraph(0.12)]
                if r.random() < 0.3:
                    extra.append(self.code())
                elif r.random() < 0.3:
                    extra.append(self.bullets(NEUTRAL, 2, 5))
                parts += extra
            elif choice < 0.75:
                alternatives += [f"### Option {k}: {self.fill('{tech}')}", self.paragraph(0.35)]
                if r.random() < 0.25:
                    alternatives.append(self.table())
            elif choice < 0.9:
                drawbacks.append(self.paragraph(0.3))
            else:
                parts.append("> " + self.paragraph(0.2))
        return "\n\n".join(parts + alternatives + drawbacks + tail) + "\n"


def make_corpus(root: Path, files: int, seed: int = SEED) -> tuple[list[Path], int]:
    """Write ``files`` design docs of 1,000-3,000 words under ``root`` (emptied
    first). Returns the paths, in order, and the total word count."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    gen = _Gen(rng)
    paths, total = [], 0
    for i in range(files):
        folder = root / FOLDERS[i % len(FOLDERS)]
        folder.mkdir(parents=True, exist_ok=True)
        text = gen.doc(i + 1, rng.randint(1000, 3000))
        path = folder / f"{i + 1:04d}-{rng.choice(SLUGS)}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        total += len(text.split())
    return paths, total


def single_doc(path: Path, seed: int = SEED + 1, words: int = 3000) -> int:
    """One doc of about ``words`` words (the single-file latency check)."""
    rng = random.Random(seed)
    text = _Gen(rng).doc(1, words - 150)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return len(text.split())


# --------------------------------------------------------------------------- measuring

def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, float]:
    """Run ``cmd``; returns (wall seconds, CPU seconds, peak RSS in MB). CPU and RSS
    come from ``os.wait4``: CPU is the process's plus its waited-for children's
    (workers); RSS is the largest of them. Output is discarded."""
    # as users run it: with Python's bytecode cache (a PYTHONDONTWRITEBYTECODE in the
    # environment made every run compile psense-lint's sources again, ~0.1 s, while
    # spaCy's came precompiled from its wheel)
    env = {k: v for k, v in (os.environ if env is None else env).items()
           if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    stderr = proc.stderr.read() if proc.stderr else b""
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n{stderr.decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def tool(name: str) -> str:
    """The console script beside this interpreter (the venv's), else on PATH."""
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)


def version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def default_corpus() -> Path | None:
    """../shared/corpus/docs beside the repository (this project's real design docs)."""
    for base in (HERE.parent.parent, HERE.parent.parent.parent):
        candidate = base / "shared" / "corpus" / "docs"
        if candidate.is_dir():
            return candidate
    return None


def copy_corpus(source: Path, dest: Path, copies: int = 1) -> tuple[list[Path], int]:
    """Copy every *.md under ``source`` into ``dest`` (emptied first), flat, ``copies``
    times (copy k in dest/k/). Returns the paths and the total word count."""
    if dest.exists():
        shutil.rmtree(dest)
    files = sorted(p for p in source.rglob("*.md") if p.is_file())
    if not files:
        sys.exit(f"bench: no *.md files under {source}")
    paths, words = [], 0
    for k in range(copies):
        folder = dest / f"{k}"
        folder.mkdir(parents=True)
        for i, f in enumerate(files):
            data = f.read_bytes()
            target = folder / f"{i:05d}-{f.name}"
            target.write_bytes(data)
            paths.append(target)
            words += len(data.decode("utf-8", "replace").split())
    return paths, words


def medians(commands: dict[str, tuple[list[str], dict | None]], cwd: Path,
            times: int = 5) -> dict[str, tuple[float, float]]:
    """Medians of the wall and CPU seconds of ``times`` runs of each (command, env),
    interleaved so that the machine's load hits them alike (after one more run
    each that warms the OS file cache and writes the bytecode cache)."""
    for cmd, env in commands.values():
        run(cmd, cwd, env)
    runs: dict[str, list] = {label: [] for label in commands}
    for _ in range(times):
        for label, (cmd, env) in commands.items():
            runs[label].append(run(cmd, cwd, env))
    return {label: (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs))
            for label, rs in runs.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="folder of real Markdown docs (default: "
                    "../shared/corpus/docs beside the repository)")
    ap.add_argument("--generated", type=int, metavar="FILES",
                    help="lint a generated corpus of FILES docs instead (figures not comparable)")
    ap.add_argument("--out", type=Path, default=HERE / "out",
                    help="work folder (default bench/out/, gitignored)")
    ap.add_argument("--no-proselint", action="store_true", help="skip the proselint row")
    ap.add_argument("--runs", type=int, default=1,
                    help="runs of each cold corpus timing; the fastest is shown (default 1)")
    ap.add_argument("--repeat", type=int, default=5,
                    help="runs of the single-doc and import-spacy timings (median)")
    ap.add_argument("--scaling", default="1,2,4",
                    help="corpus copies for the scaling rows (default 1,2,4; '' for none)")
    ap.add_argument("--quick", action="store_true", help="no scaling rows, 3 repeats")
    ap.add_argument("--markdown", type=Path, help="also write the tables to this file")
    ap.add_argument("--baseline", type=Path, metavar="TREE",
                    help="also time the cold rows with psense-lint's code from this source tree "
                    "(e.g. `git archive` of an older commit), in the same run: before and after")
    args = ap.parse_args(argv)
    if args.quick:
        args.scaling, args.repeat = "", 3

    out = args.out.resolve()
    corpus = out / "corpus"
    cache = out / "cache"
    if args.generated:
        paths, words = make_corpus(corpus, args.generated)
        source = f"a generated corpus ({args.generated} docs; not comparable with a real one)"
        real = None
    else:
        real = args.corpus or default_corpus()
        if real is None:
            sys.exit("bench: no corpus: pass --corpus DIR (a folder of real Markdown design "
                     "docs), or --generated N")
        paths, words = copy_corpus(real.resolve(), corpus)
        source = str(real)
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    cpus = os.cpu_count() or 1
    command = " ".join(["python bench/bench.py", *(sys.argv[1:] if argv is None else argv)])
    say(f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} with `{command}`.")
    say()
    say(f"Corpus: {source}: {len(paths)} docs, {words:,} words.")
    say(f"Machine: {cpus} CPUs, Python {sys.version.split()[0]}, psense-lint "
        f"{version('psense-lint')}, spaCy {version('spacy')}, proselint {version('proselint')}; "
        f"load average before: {load()}.")

    psense = [tool("psense-lint"), "--fail-on", "never"]

    def fresh(name: str) -> Path:
        target = cache / name
        shutil.rmtree(target, ignore_errors=True)
        return target

    rows = []

    def measure(label: str, cmd: list[str], cwd: Path = corpus, runs: int = 1,
                before=None, n_words: int = words, env: dict | None = None):
        results = []
        for _ in range(runs):
            if before:
                before()
            results.append(run(cmd, cwd, env))
        wall, cpu, _rss = min(results)
        rows.append((label, wall, cpu, n_words, max(r[2] for r in results)))
        print(f"  {label}: {wall:.2f} s wall, {cpu:.2f} s CPU, {max(r[2] for r in results):.0f} MB",
              flush=True)
        return wall, cpu

    default_cache = cache / "default"
    cold = measure(f"psense-lint, cold cache, default jobs ({cpus})",
                   psense + ["--cache-dir", str(default_cache), "."], runs=args.runs,
                   before=lambda: fresh("default"))
    one = measure("psense-lint, cold cache, --jobs 1",
                  psense + ["--jobs", "1", "--cache-dir", str(cache / "jobs1"), "."],
                  runs=args.runs, before=lambda: fresh("jobs1"))
    env = None
    if args.baseline:
        tree = args.baseline.resolve()
        if not (tree / "psense_lint").is_dir():
            sys.exit(f"bench: {tree} has no psense_lint/ package")
        if not (tree / "psense_lint" / "rules").exists() and (tree / "rules").is_dir():
            (tree / "psense_lint" / "rules").symlink_to("../rules")  # as the install maps it
        env = dict(os.environ, PYTHONPATH=str(tree))
        base = measure(f"baseline ({tree.name}): psense-lint, cold cache, default jobs ({cpus})",
                psense + ["--cache-dir", str(cache / "base"), "."], runs=args.runs,
                before=lambda: fresh("base"), env=env)
        base1 = measure("baseline: psense-lint, cold cache, --jobs 1",
                psense + ["--jobs", "1", "--cache-dir", str(cache / "base1"), "."],
                runs=args.runs, before=lambda: fresh("base1"), env=env)
    else:
        base = base1 = None
    prose = None
    if not args.no_proselint:
        prose = measure(f"proselint {version('proselint')} (CLI, one process)",
                        [tool("proselint"), "check", *[str(p.relative_to(corpus)) for p in paths]],
                        runs=args.runs)
    measure("psense-lint, warm cache, default jobs",
            psense + ["--cache-dir", str(default_cache), "."], runs=3)
    edited = paths[len(paths) // 2]
    original = edited.read_bytes()
    counter = iter(range(1000))

    def edit() -> None:
        edited.write_bytes(original + f"\nEdited for the benchmark ({next(counter)}).\n".encode())

    measure("psense-lint, 1 file edited, rest cached, default jobs",
            psense + ["--cache-dir", str(default_cache), "."], runs=3, before=edit)
    edited.write_bytes(original)

    scaling = []
    for k in [int(x) for x in args.scaling.split(",") if x.strip()]:
        if real is None:
            break
        scaled = out / f"corpus-x{k}"
        k_paths, k_words = copy_corpus(real.resolve(), scaled, k)
        for label, k_env in [("", None)] + ([("baseline ", env)] if args.baseline else []):
            shutil.rmtree(cache / f"x{k}", ignore_errors=True)
            wall, cpu, rss = run(psense + ["--cache-dir", str(cache / f"x{k}"), "."], scaled,
                                 k_env)
            scaling.append((f"{label}{k}x", len(k_paths), k_words, wall, cpu, rss))
            print(f"  {label}scaling x{k}: {wall:.2f} s wall, {cpu:.2f} s CPU, {rss:.0f} MB",
                  flush=True)
        shutil.rmtree(scaled)

    # one real doc of about 3,000 words (the closest in the corpus), linted alone
    sized = sorted(paths, key=lambda p: abs(len(p.read_text("utf-8", "replace").split()) - 3000))
    single = out / "single"
    shutil.rmtree(single, ignore_errors=True)
    single.mkdir(parents=True)
    doc = single / "doc.md"
    shutil.copyfile(sized[0], doc)
    doc_words = len(doc.read_text("utf-8", "replace").split())
    one_doc = {"this tree": (psense + ["--no-cache", "doc.md"], None),
               "import spacy": ([sys.executable, "-c", "import spacy"], None)}
    if env is not None:
        one_doc["baseline"] = (psense + ["--no-cache", "doc.md"], env)
    one_doc = medians(one_doc, single, args.repeat)
    t_spacy, c_spacy = one_doc["import spacy"]

    say()
    say("| run | wall (s) | CPU (s) | words per CPU-s | peak RSS per process (MB) |")
    say("| --- | ---: | ---: | ---: | ---: |")
    for label, wall, cpu, n, rss in rows:
        say(f"| {label} | {wall:.2f} | {cpu:.2f} | {n / cpu:,.0f} | {rss:.0f} |")
    say()
    if prose:
        say(f"psense-lint / proselint, same run: words per CPU-second {prose[1] / cold[1]:.2f}x "
            f"(default jobs), {prose[1] / one[1]:.2f}x (--jobs 1); cold wall time, default jobs "
            f"{prose[0] / cold[0]:.2f}x, --jobs 1 {prose[0] / one[0]:.2f}x (above 1: psense-lint "
            "is faster).")
        say()
    if base:
        say(f"This tree against the baseline, same run: CPU seconds {base[1] / cold[1]:.2f}x fewer "
            f"(default jobs), {base1[1] / one[1]:.2f}x fewer (--jobs 1); wall {base[0] / cold[0]:.2f}x, "
            f"{base1[0] / one[0]:.2f}x.")
        say()
    if scaling:
        say("Scaling (the corpus copied k times, cold cache, default jobs; with --baseline, "
            "also the baseline's):")
        say()
        say("| copies | docs | words | wall (s) | CPU (s) | words per CPU-s | peak RSS per process (MB) |")
        say("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for k, n_docs, n_words, wall, cpu, rss in scaling:
            say(f"| {k} | {n_docs:,} | {n_words:,} | {wall:.2f} | {cpu:.2f} | "
                f"{n_words / cpu:,.0f} | {rss:.0f} |")
        say()
    say(f"One doc of {doc_words:,} words ({sized[0].name.split('-', 1)[1]}), `psense-lint --no-cache`: "
        + "; ".join(f"{label} {t:.2f} s wall, {c:.2f} s CPU ({t / t_spacy:.2f}x, {c / c_spacy:.2f}x "
                    "`import spacy`)" for label, (t, c) in one_doc.items() if label != "import spacy")
        + f"; `python -c \"import spacy\"`: {t_spacy:.2f} s wall, {c_spacy:.2f} s CPU (medians of "
        f"{args.repeat}, interleaved).")
    say()
    say(f"Load average after: {load()}.")
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
