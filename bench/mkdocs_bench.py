"""Benchmark: ``mkdocs build`` time of a generated docs site, with and without the
psense plugin, cold (no result cache) and warm (cache from the previous build).

    python bench/mkdocs_bench.py                 # 320 pages, 5 runs per case
    python bench/mkdocs_bench.py --pages 600 --runs 3 --keep bench/out/site
    python bench/mkdocs_bench.py --jobs 0         # lint inside the MkDocs process

Each build is a fresh ``python -m mkdocs build`` process (what a user or CI runs),
timed wall-clock from start to exit, with its CPU time (worker processes
included); the cases alternate run by run and the median is reported. The
default ``.psense_cache`` beside the site is deleted before each cold build. The
generated site mixes design docs / RFCs / ADRs (some with engineering-only
arguments, so the plugin has findings to print), guides, API references with code
blocks and tables, admonitions, pymdown tabs and front matter.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

# ----------------------------------------------------------------- site generator

SERVICES = ["orders", "billing", "search", "notifications", "inventory", "checkout", "accounts",
            "payments", "shipping", "catalog", "reviews", "recommendations", "auth", "reports"]
USERS = ["shoppers", "store owners", "support agents", "warehouse staff", "finance analysts",
         "API clients", "mobile users", "operators", "administrators", "partners"]
TECH = ["the event bus", "a gRPC gateway", "PostgreSQL 16", "a Redis cache", "Kafka", "the new "
        "job scheduler", "a shared schema registry", "OpenTelemetry tracing", "a read replica",
        "feature flags", "the monorepo build", "a typed client library"]

ENGINEERING = [
    "We should move to {tech} because it gives a cleaner architecture and less coupling "
    "between the services.",
    "Rewriting the {svc} module pays down technical debt and makes the code simpler to maintain.",
    "This refactor improves code quality and removes a lot of boilerplate.",
    "Adopting {tech} is more elegant and follows industry best practices.",
    "The current implementation is hard to maintain, so we want to modernise the stack.",
]
USER_FOCUSED = [
    "Today {users} wait up to {n} seconds for the {svc} page to load, and {pct}% of them "
    "give up before it does.",
    "{users_cap} told us in {n} support tickets last quarter that exports time out on large "
    "accounts.",
    "With {tech}, {users} see their changes within one second instead of after the nightly job.",
    "Success means the p95 latency of the {svc} API drops from {n}00 ms to under 200 ms for "
    "{users}.",
    "{users_cap} can retry a failed payment without calling support.",
]
NEUTRAL = [
    "The {svc} service owns the {noun} table and publishes a change event for every write.",
    "Requests are authenticated at the gateway and carry the caller's tenant id.",
    "Each worker processes one partition and commits its offset after the write succeeds.",
    "The migration runs in three phases so that old and new readers can coexist.",
    "Configuration lives in the deployment manifest; see the runbook for the defaults.",
    "Errors are retried with exponential backoff, capped at {n} attempts.",
    "The dashboard shows throughput, error rate and queue depth per region.",
    "Rollback is a redeploy of the previous image; no data migration is needed.",
    "The {noun} endpoint is paginated with an opaque cursor and returns at most {n}0 items.",
    "Metrics are exported every ten seconds and kept for thirty days.",
]
NOUNS = ["order", "invoice", "customer", "shipment", "product", "session", "refund", "report"]


def _fill(rng: random.Random, template: str) -> str:
    users = rng.choice(USERS)
    return template.format(tech=rng.choice(TECH), svc=rng.choice(SERVICES), users=users,
                           users_cap=users[0].upper() + users[1:], n=rng.randint(2, 9),
                           pct=rng.randint(5, 40), noun=rng.choice(NOUNS))


def _paragraph(rng: random.Random, pool: list[str], k: int = 3) -> str:
    text = " ".join(_fill(rng, rng.choice(pool)) for _ in range(k))
    return textwrap.fill(text, 88)


def _code(rng: random.Random) -> str:
    svc = rng.choice(SERVICES)
    return rng.choice([
        f'```python\nclient = {svc.title()}Client(base_url=URL)\n'
        f'resp = client.list(limit=50)  # cleaner architecture: never flagged in code\n'
        f'for item in resp.items:\n    print(item.id)\n```',
        f'```yaml\n{svc}:\n  replicas: 3\n  resources:\n    cpu: 500m\n    memory: 512Mi\n```',
        f'```bash\nkubectl -n {svc} rollout status deploy/{svc}\ncurl -s https://api.example.com/'
        f'{svc}/health | jq .\n```',
    ])


def _table(rng: random.Random) -> str:
    rows = ["| Field | Type | Description |", "| --- | --- | --- |"]
    for noun in rng.sample(NOUNS, 4):
        rows.append(f"| `{noun}_id` | string | Id of the {noun} this record refers to. |")
    return "\n".join(rows)


def _admonition(rng: random.Random) -> str:
    kind = rng.choice(["note", "warning", "tip"])
    body = textwrap.indent(_paragraph(rng, NEUTRAL, 2), "    ")
    return f'!!! {kind} "Heads up"\n{body}'


def _tabs(rng: random.Random) -> str:
    return ('=== "Python"\n\n    ```python\n    client.refresh()\n    ```\n\n'
            '=== "Shell"\n\n    ```bash\n    mkctl refresh\n    ```')


def _list(rng: random.Random, pool: list[str]) -> str:
    return "\n".join(f"- {_fill(rng, rng.choice(pool))}" for _ in range(rng.randint(3, 5)))


def design_doc(rng: random.Random, title: str, engineering: bool) -> str:
    parts = []
    if rng.random() < 0.5:
        parts.append(f"---\ntitle: {title}\nstatus: {rng.choice(['draft', 'accepted'])}\n"
                     f"authors: [{rng.choice(['ana', 'bo', 'chen', 'dee'])}]\n---\n")
    parts.append(f"# {title}\n")
    parts.append("## Summary\n\n" + _paragraph(rng, NEUTRAL, 2) + "\n")
    motivation = _paragraph(rng, USER_FOCUSED, 2)
    if engineering:
        motivation = _paragraph(rng, ENGINEERING, 1) + "\n\n" + motivation
    parts.append("## Motivation\n\n" + motivation + "\n")
    parts.append("## Goals\n\n" + _list(rng, USER_FOCUSED) + "\n")
    parts.append("## Non-goals\n\n- Changing the public API is out of scope.\n")
    parts.append("## Design\n\n" + _paragraph(rng, NEUTRAL, 4) + "\n\n" + _code(rng) + "\n\n"
                 + _paragraph(rng, NEUTRAL, 3) + "\n\n" + _table(rng) + "\n\n"
                 + _admonition(rng) + "\n")
    parts.append("## Rollout\n\n" + _list(rng, NEUTRAL) + "\n\n" + _paragraph(rng, NEUTRAL, 3)
                 + "\n")
    alt = _paragraph(rng, ENGINEERING if engineering and rng.random() < 0.5 else NEUTRAL, 2)
    parts.append("## Alternatives\n\n" + alt + "\n")
    return "\n".join(parts)


def guide(rng: random.Random, title: str) -> str:
    parts = [f"# {title}\n", _paragraph(rng, NEUTRAL, 3) + "\n"]
    for i in range(rng.randint(3, 5)):
        parts.append(f"## Step {i + 1}\n\n" + _paragraph(rng, NEUTRAL, 3) + "\n\n" + _code(rng)
                     + "\n")
        if rng.random() < 0.4:
            parts.append(_admonition(rng) + "\n")
        if rng.random() < 0.3:
            parts.append(_tabs(rng) + "\n")
    return "\n".join(parts)


def reference(rng: random.Random, title: str) -> str:
    parts = [f"# {title}\n", _paragraph(rng, NEUTRAL, 2) + "\n"]
    for noun in rng.sample(NOUNS, 4):
        parts.append(f"## `GET /{noun}s`\n\n" + _paragraph(rng, NEUTRAL, 2) + "\n\n" + _table(rng)
                     + "\n\n" + _code(rng) + "\n")
    return "\n".join(parts)


def make_site(root: Path, pages: int, seed: int = 1) -> Path:
    """Write mkdocs.yml and ``pages`` Markdown files under ``root``; return root."""
    rng = random.Random(seed)
    docs = root / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Engineering handbook\n\n" + _paragraph(rng, NEUTRAL, 3)
                                   + "\n", encoding="utf-8")
    kinds = ["design", "rfc", "adr", "guides", "reference"]
    for i in range(1, pages):
        kind = kinds[i % len(kinds)]
        svc = SERVICES[i % len(SERVICES)]
        title = f"{svc.title()} {kind} {i:03d}"
        if kind in ("design", "rfc", "adr"):
            text = design_doc(rng, title, engineering=rng.random() < 0.3)
        elif kind == "guides":
            text = guide(rng, title)
        else:
            text = reference(rng, title)
        path = docs / kind / f"{svc}-{i:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


MKDOCS_YML = """\
site_name: Bench handbook
markdown_extensions:
  - admonition
  - tables
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
{plugins}"""


def write_config(root: Path, plugin: bool, jobs: int | None = None) -> Path:
    psense = "  - psense\n" if jobs is None else f"  - psense:\n      jobs: {jobs}\n"
    plugins = "plugins:\n  - search\n" + (psense if plugin else "")
    path = root / ("mkdocs-psense.yml" if plugin else "mkdocs-plain.yml")
    path.write_text(MKDOCS_YML.format(plugins=plugins), encoding="utf-8")
    return path


# ----------------------------------------------------------------- timing

def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def build(root: Path, config: Path, site: Path) -> tuple[float, float, str]:
    """One ``mkdocs build`` process: (wall seconds, CPU seconds of the process and its
    workers, stderr)."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
    c0, t0 = _cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build failed ({proc.returncode}):\n{proc.stderr}")
    return wall, cpu, proc.stderr


def measure(root: Path, runs: int, jobs: int | None = None) -> dict:
    """Median wall and CPU time of each case; the cases alternate run by run so that
    a busy machine slows them alike."""
    plain, with_plugin = write_config(root, False), write_config(root, True, jobs)
    cache = root / ".psense_cache"  # the default: the CLI's cache folder beside the config
    site = root / "site"
    samples: dict[str, list[tuple[float, float]]] = {"plain": [], "cold": [], "warm": []}
    build(root, plain, site)  # warm the OS file cache and .pyc files once
    findings = 0
    for _ in range(runs):
        samples["plain"].append(build(root, plain, site)[:2])
        shutil.rmtree(cache, ignore_errors=True)
        wall, cpu, err = build(root, with_plugin, site)
        samples["cold"].append((wall, cpu))
        findings = sum(1 for line in err.splitlines()
                       if line.startswith("WARNING") and re.search(r":\d+:\d+: PS\d+ ", line))
        wall, cpu, err = build(root, with_plugin, site)
        assert ", 0 linted" in err, "warm build missed the cache"
        samples["warm"].append((wall, cpu))
    out: dict = {"runs": runs, "findings_logged": findings}
    for case, values in samples.items():
        out[case] = {"wall_s": round(statistics.median(w for w, _ in values), 2),
                     "cpu_s": round(statistics.median(c for _, c in values), 2),
                     "wall_all": [round(w, 2) for w, _ in values]}
    for case in ("cold", "warm"):
        for what in ("wall", "cpu"):
            base = out["plain"][f"{what}_s"]
            out[case][f"{what}_overhead_pct"] = round(
                100 * (out[case][f"{what}_s"] - base) / base, 1)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=320)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, help="the plugin's jobs option (default: not set)")
    ap.add_argument("--keep", metavar="DIR", help="build the site in DIR and keep it")
    args = ap.parse_args(argv)
    if args.keep:
        root = Path(args.keep)
        root.mkdir(parents=True, exist_ok=True)
        tmp = None
    else:
        tmp = tempfile.TemporaryDirectory(prefix="psense-mkdocs-bench-")
        root = Path(tmp.name)
    try:
        make_site(root, args.pages, args.seed)
        out = measure(root, args.runs, args.jobs)
        out["jobs"] = args.jobs
        out["pages"] = sum(1 for _ in (root / "docs").rglob("*.md"))
        out["python"] = sys.version.split()[0]
        out["cpus"] = os.cpu_count()
        print(json.dumps(out, indent=2))
        print(f"\n{out['pages']} pages, {out['findings_logged']} findings logged, median of "
              f"{args.runs} builds (whole `mkdocs build` process; CPU includes workers):")
        print(f"  plain build         {out['plain']['wall_s']:6.2f} s wall  "
              f"{out['plain']['cpu_s']:6.2f} s CPU")
        for case in ("cold", "warm"):
            o = out[case]
            print(f"  psense, {case} cache  {o['wall_s']:6.2f} s wall  {o['cpu_s']:6.2f} s CPU"
                  f"   overhead {o['wall_overhead_pct']:+.1f}% wall, "
                  f"{o['cpu_overhead_pct']:+.1f}% CPU")
        return 0
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
