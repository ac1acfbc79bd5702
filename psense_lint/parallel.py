"""Worker processes for a lint session (``session.py``): how many, which start
method, how the work is cut into chunks. Nothing here knows what linting is:
the session submits its per-file function to the pool this module starts.

Start method: ``fork`` when allowed and this process runs a single thread (the
CLI, ``mkdocs build``): workers inherit what the parent built (the spaCy
pipeline, copy-on-write). ``spawn`` otherwise: forking a process that runs
other threads (``mkdocs serve``) can deadlock the child, and each spawned worker
imports spaCy and builds its own pipeline. ``PSENSE_LINT_START_METHOD`` picks one.

Files go out in chunks of decreasing size (guided scheduling: big batches
first, small ones at the end so the workers finish together). Workers ignore
Ctrl-C (the parent's to handle) and leave when their parent does.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from typing import Sequence

START_METHOD_ENV = "PSENSE_LINT_START_METHOD"
# Below this much uncached work the pool is not worth starting (measured on
# 2 cores, see docs/performance.md): a forked worker costs ~0.04-0.05 s (fork,
# compiling the rule patterns, sending files and results), a spawned one also
# imports spaCy and builds its pipeline (~1 s of CPU). 40 KB of Markdown is
# ~6,500 words, ~0.06 s of linting at ~110,000 words/s: two workers break even
# at ~50-60 KB in all, and 8 files of ~90 KB take ~0.13 s on two instead of ~0.16 s.
MIN_FILES = 8                      # fewer uncached files: lint in this process
MIN_WORKER_BYTES = 40 * 1024       # at least this much Markdown for each worker
# chunk sizes (bytes of Markdown) for guided scheduling
MIN_CHUNK_BYTES = 16 * 1024
# and at most this much (a worker holds a chunk's results until it ends, and the
# first chunks of a big run were a quarter of it: a worker's memory grew with the
# corpus); ~40 chunks for 10 MB, each ~1 s of linting, a few ms to hand out
MAX_CHUNK_BYTES = 256 * 1024


def size_of(item) -> int:
    """How much work an item is: a size (int), or a source's text length."""
    return item if isinstance(item, int) else len(item.text)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def workers_for(jobs: int, sources: Sequence) -> int:
    """How many worker processes to start for these (uncached) sources (or their
    sizes, see size_of): 0 means lint in this process."""
    if jobs <= 1 or len(sources) < MIN_FILES:
        return 0
    size = sum(size_of(s) for s in sources)
    n = min(jobs, len(sources) // (MIN_FILES // 2), size // MIN_WORKER_BYTES)
    return n if n >= 2 else 0


def chunks(sources: Sequence, workers: int) -> list[list[int]]:
    """Indices of ``sources`` (or sizes, see size_of) in consecutive chunks: each
    chunk holds about 1/(2*workers) of the work still to hand out, at least
    MIN_CHUNK_BYTES and at most MAX_CHUNK_BYTES (a file larger than that is a
    chunk of its own)."""
    sizes = [size_of(s) for s in sources]
    remaining = sum(sizes)
    out: list[list[int]] = []
    current: list[int] = []
    size = 0

    def target() -> int:
        return min(MAX_CHUNK_BYTES, max(MIN_CHUNK_BYTES, remaining // (2 * workers)))

    limit = target()
    for i, n in enumerate(sizes):
        current.append(i)
        size += n
        if size >= limit:
            out.append(current)
            remaining -= size
            current, size = [], 0
            limit = target()
    if current:
        out.append(current)
    return out


def _context(fork: bool):
    import multiprocessing

    method = os.environ.get(START_METHOD_ENV) or None
    if method is not None:
        try:
            return multiprocessing.get_context(method)
        except ValueError:  # not a start method here: as if unset
            pass
    if fork and threading.active_count() == 1 \
            and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def forks(fork: bool) -> bool:
    """Would a pool started now (``start_pool(..., fork)``) fork its workers?"""
    return _context(fork).get_start_method() == "fork"


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (forked)
    watch_parent()


def watch_parent(interval: float = 0.5) -> None:
    """Leave (at once, exit 0) when the parent process is gone: a worker holds both
    ends of its task queue, so it must not outlive a parent killed without a
    shutdown (SIGKILL, a closed terminal), holding the caller's pipes."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="psense-parent-watch", daemon=True).start()


def start_pool(size: int, fork: bool = True):
    """A process pool of ``size`` workers (``fork``: they may be forked, see above).
    ProcessPoolExecutor starts all its fork workers at once, at the first submit,
    so such a pool never forks later from a threaded process."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=size, initializer=_worker_init,
                               mp_context=_context(fork))


def stop_pool(pool, *, kill: bool = False) -> None:
    """Shut the pool down: wait for the workers, or (``kill``: Ctrl-C, an error in
    the caller) stop them now."""
    if not kill:
        pool.shutdown(wait=True, cancel_futures=True)
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        try:
            proc.terminate()
        except Exception:  # already gone
            pass
