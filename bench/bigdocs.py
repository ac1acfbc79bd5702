"""Time and peak memory of linting one long doc, with ``max-file-size`` raised.

    python bench/bigdocs.py                  # 1, 10 and 50 MB
    python bench/bigdocs.py --sizes 1 10     # some of them
    python bench/bigdocs.py --build-only     # just write the docs (bench/out/bigdocs/docN.md)

Each doc is the corpus docs (``--corpus``, default ../shared/corpus/docs beside
the repo) concatenated in file-name order, repeated to N MB (N * 1,000,000
bytes) and cut at the last line end before that. Each is linted in a fresh
subprocess, one at a time, as a user would::

    psense-lint --no-cache --jobs 1 --max-file-size 64M --format json docN.md

and the wall time, CPU seconds (user + sys of the child) and peak RSS
(``ru_maxrss``, read with ``os.wait4``) are printed, with the load average
before and after: on a shared machine, CPU seconds are the figure to compare.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MB = 1_000_000


def build(corpus: Path, size: int, out: Path) -> Path:
    """Write the corpus docs, in file-name order, repeated to ``size`` bytes and cut
    at the last line end before it."""
    files = sorted(p for p in corpus.iterdir() if p.suffix == ".md" and p.is_file())
    if not files:
        raise SystemExit(f"no *.md in {corpus}")
    parts = []
    for p in files:
        data = p.read_bytes()
        if not data.endswith(b"\n"):
            data += b"\n"
        parts.append(data)
    whole = b"".join(parts)
    data = whole * (size // len(whole) + 1)
    data = data[:size]
    data = data[:data.rfind(b"\n") + 1]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


def measure(path: Path, cmd: list[str]) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen([*cmd, str(path)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace").strip()
    proc.stderr.close()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "exit": proc.returncode, "err": err}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus" / "docs")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50], help="MB")
    ap.add_argument("--out", type=Path, default=HERE / "out" / "bigdocs")
    ap.add_argument("--build-only", action="store_true")
    args = ap.parse_args(argv)
    cmd = [sys.executable, "-m", "psense_lint", "--no-cache", "--jobs", "1",
           "--max-file-size", "64M", "--format", "json"]
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"{'size':>6} {'bytes':>12} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12}  exit")
    for n in args.sizes:
        path = build(args.corpus, n * MB, args.out / f"doc{n}.md")
        if args.build_only:
            print(f"{n:>4} MB {path.stat().st_size:>12,}  {path}")
            continue
        r = measure(path, cmd)
        print(f"{n:>4} MB {path.stat().st_size:>12,} {r['wall']:>8.1f} {r['cpu']:>8.1f} "
              f"{r['rss_mb']:>12.0f}  {r['exit']}" + (f"  {r['err'][:200]}" if r["exit"] > 1 else ""),
              flush=True)
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
