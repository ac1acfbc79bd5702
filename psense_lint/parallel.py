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

Signals while the pool starts: ``signals_held`` keeps SIGINT, SIGTERM and SIGHUP
pending while the pool forks (and while the pipeline is built): a signal that
arrived then ran the parent's handler inside fork's bookkeeping (``os.register_at_fork``
callbacks) or a C extension's import, which swallowed the exception: the run went on
to the end as if never stopped, or stopped with an ImportError per file. A
worker starts with them held too and lets them in only once its own handlers are
set, so it never runs the parent's handler: ``terminate`` always stops it.
"""
from __future__ import annotations

import contextlib
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


# the signals that stop a run (held while the pool starts, see above)
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))
KILL_AFTER = 2.0   # seconds a terminated worker has to exit before it is killed


@contextlib.contextmanager
def signals_held():
    """Keep the stop signals pending in this thread for the block; they arrive when
    it ends (at a point where the handler's exception unwinds cleanly). Blocks that
    use this are short: a pool's start, building the pipeline, stopping workers."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _worker_init(parent: int | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for name in ("SIGTERM", "SIGHUP"):  # not the parent's handler (forked)
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    watch_parent(parent=parent)
    if hasattr(signal, "pthread_sigmask"):  # held since the fork (signals_held)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def watch_parent(interval: float = 0.5, parent: int | None = None) -> None:
    """Leave (at once, exit 0) when the parent process is gone: a worker holds both
    ends of its task queue, so it must not outlive a parent killed without a
    shutdown (SIGKILL, a closed terminal), holding the caller's pipes. ``parent``:
    the pid that started this worker (a worker slow to start may find its parent
    gone already: then ``os.getppid()`` is init's, or a subreaper's)."""
    if parent is None:
        parent = os.getppid()
    if os.getppid() != parent:
        os._exit(0)

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
                               initargs=(os.getpid(),), mp_context=_context(fork))


def stop_pool(pool, *, kill: bool = False) -> None:
    """Shut the pool down: wait for the workers, or (``kill``: a signal, an error in
    the caller) stop them now: SIGTERM, then SIGKILL for any still there after
    ``KILL_AFTER`` seconds. Returns once they are gone, so the caller never exits
    (and never waits, at exit, on the pool's own threads) with a worker alive."""
    if not kill:
        pool.shutdown(wait=True, cancel_futures=True)
        return
    with signals_held():  # a second Ctrl-C does not cut this short
        processes = list((getattr(pool, "_processes", None) or {}).values())
        results = getattr(pool, "_result_queue", None)
        manager = getattr(pool, "_executor_manager_thread", None)  # shutdown drops it
        pool.shutdown(wait=False, cancel_futures=True)
        for how in ("terminate", "kill"):
            for proc in processes:
                try:
                    getattr(proc, how)()
                except Exception:  # already gone
                    pass
            processes = _still_running(processes, KILL_AFTER)
            if not processes:
                break
        if not processes and results is not None:
            # a worker stopped while it sent a result leaves half a message in the
            # result pipe: the pool's thread would wait for the rest for ever (and
            # Python waits for that thread at exit). This process holds the pipe's
            # only other write end: closing it ends that wait.
            try:
                results._writer.close()
            except Exception:  # pragma: no cover - already closed
                pass
        if manager is not None:
            # Wait for the pool's manager thread to finish its cleanup (it sees the
            # workers gone, then closes its wakeup pipe) before returning. Otherwise it
            # could still be doing that when this process exits, and at exit
            # concurrent.futures' _python_exit writes to that pipe without a lock
            # (Python < 3.12.8 / 3.13.1, gh-125451): now and then the write hit the fd
            # just closed, giving an "Exception ignored ... OSError: [Errno 9] Bad file
            # descriptor" traceback after the "stopped by" line. Once the thread is done
            # the pipe is marked closed and that write is skipped. Bounded: the thread
            # only waits on the workers' sentinels and the result pipe, both done by now
            # (and _python_exit would wait for it anyway).
            manager.join(KILL_AFTER)


def _still_running(processes: list, timeout: float) -> list:
    """Those of ``processes`` that have not exited within ``timeout`` seconds
    (read from their sentinels: nothing is reaped here, the pool's thread does that)."""
    from multiprocessing.connection import wait

    deadline = time.monotonic() + timeout
    left = []
    for proc in processes:
        try:
            left.append((proc.sentinel, proc))
        except Exception:  # never started, or closed
            pass
    while left:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        ready = set(wait([s for s, _ in left], remaining))
        left = [(s, p) for s, p in left if s not in ready]
    return [p for _, p in left]
