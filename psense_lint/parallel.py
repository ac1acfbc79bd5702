"""Lint many files on worker processes: one Linter (one spaCy pipeline) per worker.

With the ``fork`` start method (the Linux default) the parent builds the
pipeline once and the workers inherit it, copy-on-write; with ``spawn`` (or
``forkserver``) each worker imports spaCy and builds its own in the pool
initializer, all at the same time. ``PSENSE_LINT_START_METHOD`` picks one.

Files go out in chunks of decreasing size (guided scheduling: big batches
first, small ones at the end so the workers finish together) and come back
with their index, so the caller puts results in input order: the output is the
same whatever the number of workers or the order chunks finish in. Errors
(``PsenseError``) come back per file, as without workers. A worker that dies
(killed, out of memory) loses no files: what it had not returned is linted in
the parent. Ctrl-C stops the workers.
"""
from __future__ import annotations

import os
import signal
from typing import Callable, Iterator, Sequence

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

_linter = None  # the worker's Linter
_lint_file = None  # the worker's per-file function: (linter, source) -> outcome


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def workers_for(jobs: int, sources: Sequence) -> int:
    """How many worker processes to start for these (uncached) sources: 0 means
    lint in this process."""
    if jobs <= 1 or len(sources) < MIN_FILES:
        return 0
    size = sum(len(s.text) for s in sources)
    n = min(jobs, len(sources) // (MIN_FILES // 2), size // MIN_WORKER_BYTES)
    return n if n >= 2 else 0


def chunks(sources: Sequence, workers: int) -> list[list[int]]:
    """Indices of ``sources`` in consecutive chunks: each chunk holds about
    1/(2*workers) of the work still to hand out, at least MIN_CHUNK_BYTES."""
    remaining = sum(len(s.text) for s in sources)
    out: list[list[int]] = []
    current: list[int] = []
    size = 0
    target = max(MIN_CHUNK_BYTES, remaining // (2 * workers))
    for i, src in enumerate(sources):
        current.append(i)
        size += len(src.text)
        if size >= target:
            out.append(current)
            remaining -= size
            current, size = [], 0
            target = max(MIN_CHUNK_BYTES, remaining // (2 * workers))
    if current:
        out.append(current)
    return out


def _context():
    import multiprocessing

    method = os.environ.get(START_METHOD_ENV) or None
    try:
        return multiprocessing.get_context(method)
    except ValueError:  # not a start method here: the default
        return multiprocessing.get_context()


def _init(config, pack, lint_file) -> None:
    """Pool initializer: build this worker's Linter and pipeline."""
    global _linter, _lint_file
    _lint_file = lint_file
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (forked)
    watch_parent()
    from psense_lint.engine import Linter

    _linter = Linter(config, pack)
    try:
        _linter.nlp  # build it now (forked: inherited, already built)
    except Exception:  # reported per file, as without workers
        pass


def watch_parent(interval: float = 0.5) -> None:
    """Leave (at once, exit 0) when the parent process is gone: a worker must not
    outlive a parent killed without a shutdown (SIGKILL, a closed terminal), holding
    the caller's pipes."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="psense-parent-watch", daemon=True).start()


def _lint_chunk(items):
    return [(i, _lint_file(_linter, src)) for i, src in items]


def lint(linter, sources: Sequence, workers: int,
         lint_file: Callable) -> Iterator[tuple[int, tuple]]:
    """Yield (index into sources, ``lint_file(linter, source)``) as chunks finish,
    in no particular order. ``lint_file`` is a module-level function (workers
    receive it by name)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    pending = {i for i in range(len(sources))}
    ctx = _context()
    if ctx.get_start_method() == "fork":
        # build the pipeline once, here: forked workers inherit it (copy-on-write)
        # instead of each importing spaCy and building their own (~1 s of CPU each)
        try:
            linter.nlp
        except Exception:  # reported per file, by the workers
            pass
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                               initializer=_init, initargs=(linter.config, linter.pack, lint_file))
    try:
        futures = [pool.submit(_lint_chunk, [(i, sources[i]) for i in chunk])
                   for chunk in chunks(sources, workers)]
        try:
            for future in as_completed(futures):
                for i, outcome in future.result():
                    pending.discard(i)
                    yield i, outcome
        except BrokenProcessPool:
            pass  # a worker died: lint what is left here
    except BaseException:
        _stop(pool)
        raise
    else:
        pool.shutdown(wait=True)
    for i in sorted(pending):
        yield i, lint_file(linter, sources[i])


def _stop(pool) -> None:
    """Stop the workers now (Ctrl-C, or an error in the caller)."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        try:
            proc.terminate()
        except Exception:  # already gone
            pass
