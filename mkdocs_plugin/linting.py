"""Lint the pages of a docs site while the site builds.

``LintService.start`` looks every page up in the results cache (in memory, then
psense-lint's on-disk cache, ``psense_lint/cache.py``, the one the CLI uses) and
hands the pages that missed to background worker processes, then returns at
once: the docs build goes on while they lint, and ``Batch.outcome`` /
``Batch.wait`` collect the results when the caller needs them. A warm build
(every page cached) starts no process and never imports spaCy.

The workers live as long as the service: under ``mkdocs serve`` the service
lives as long as the plugin, so each worker builds its spaCy pipeline once per
session and a rebuild after editing one page lints that page only, on a warm
worker. Workers are started with ``spawn``, or forked for a one-off build
(``mkdocs build``: one thread, nothing to keep). ``jobs=0`` lints in this process instead,
synchronously; its Linter is kept per process too.

Every page is linted on its own: an unexpected exception on one page becomes
that page's ``InternalError`` outcome (with the traceback), never the build's.
A worker that dies loses nothing: its pages are linted here.
"""
from __future__ import annotations

import functools
import os
import signal
import threading
import time
import traceback
from pathlib import Path
from typing import NamedTuple, Sequence

from psense_lint import model
from psense_lint.config import Config
from psense_lint.model import FileResult, InputError, InternalError, PsenseError
from psense_lint.runner import Source, decode, lint_one, read_bytes

from psense_mkdocs.project import Project, complete, load_project



class Page(NamedTuple):
    name: str                # the caller's id for it (MkDocs: src_uri)
    abs_path: Path           # the source file
    path: str                # as findings and errors show it
    rel: Path | None = None  # rel_path(config, abs_path), if already known


class Outcome(NamedTuple):
    result: FileResult | None
    error: PsenseError | None = None    # why the page could not be linted
    details: str | None = None          # traceback, for an InternalError
    cached: bool = False


_ERROR_TYPES = {cls.__name__: cls for cls in
                (PsenseError, model.ConfigError, InputError, InternalError)}


def rel_path(config: Config, abs_path: Path) -> Path:
    """The path config globs (and the cache key) see: relative to the config's
    root, as the CLI computes it, so the CLI and the docs build share entries."""
    try:
        return Path(abs_path).resolve().relative_to(_resolved(os.fspath(config.root)))
    except ValueError:
        return Path(abs_path)


@functools.lru_cache(maxsize=16)
def _resolved(path: str) -> Path:
    return Path(path).resolve()


def read_source(config: Config, page: Page) -> Source:
    data = read_bytes(page.abs_path, page.path)  # regular files only, bounded
    rel = page.rel if page.rel is not None else rel_path(config, page.abs_path)
    return Source(page.path, rel, decode(data, page.path))


def lint_safely(linter, src: Source) -> Outcome:
    try:
        result, error = lint_one(linter, src)
        if isinstance(error, InternalError):  # a bug in a check: this page only
            return Outcome(None, InternalError(
                f"internal error while linting this page: {error.what}", path=src.path),
                error.details or "")
    except Exception as exc:  # a bug in a check: this page only
        msg = " ".join(str(exc).split())
        return Outcome(None, InternalError(
            f"internal error while linting this page: {type(exc).__name__}"
            + (f": {msg}" if msg else ""), path=src.path), traceback.format_exc())
    return Outcome(result, error)


# One Linter per settings and process: it holds the spaCy pipeline (built on first use).
_LINTERS: dict[str, object] = {}


def linter_for(project: Project):
    linter = _LINTERS.get(project.settings)
    if linter is None:
        from psense_lint.engine import Linter

        _LINTERS.clear()  # settings changed: drop the old one (the pipeline stays cached)
        linter = _LINTERS[project.settings] = Linter(project.config, project.pack)
    return linter


# --------------------------------------------------------------------------- workers

_worker_project: Project | None = None


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the MkDocs process
    # A worker holds both ends of its task queue, so it would outlive a MkDocs process
    # killed without a shutdown (SIGTERM, closed terminal): leave when the parent does.
    parent = os.getppid()

    def watch_parent() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch_parent, name="psense-parent-watch", daemon=True).start()


def _encode(outcome: Outcome):
    err = outcome.error
    if err is not None:
        err = (type(err).__name__, err.message, err.path, err.line, err.column)
    return outcome.result, err, outcome.details


def _decode(payload) -> Outcome:
    result, err, details = payload
    if err is not None:
        name, message, path, line, column = err
        err = _ERROR_TYPES.get(name, PsenseError)(message, path=path, line=line, column=column)
    return Outcome(result, err, details)


def _lint_chunk(config_file: str | None, start: str, sources: list[Source]):
    """Run in a worker: (the settings it linted with, encoded outcomes)."""
    global _worker_project
    _worker_project = load_project(Path(config_file) if config_file else None, Path(start),
                                   previous=_worker_project)
    linter = linter_for(_worker_project)
    return _worker_project.settings, [_encode(lint_safely(linter, src)) for src in sources]


# --------------------------------------------------------------------------- batches

class Batch:
    """The outcomes of one build's pages, some still being computed."""

    def __init__(self, service: "LintService", project: Project, pages: Sequence[Page]):
        self.service = service
        self.project = project
        self.pages = list(pages)
        self.sources: dict[str, Source] = {}
        self.outcomes: dict[str, Outcome] = {}
        self.keys: dict[str, str] = {}
        self.pending: list[tuple[object, list[str]]] = []   # (future, page names)
        self.notes: list[str] = []      # things worth an INFO line in the build log
        self.linted = 0                 # pages linted in this build (cache misses)
        self.disk = None                # psense_lint.cache.Cache, or None

    @property
    def cached(self) -> int:
        return sum(1 for o in self.outcomes.values() if o.cached)

    def outcome(self, name: str) -> Outcome | None:
        """The page's outcome (waiting for it if needed), None for a page not in this batch."""
        if name not in self.outcomes:
            for item in list(self.pending):
                if name in item[1]:
                    self._collect(item)
                    break
        return self.outcomes.get(name)

    def wait(self) -> list[tuple[Page, Outcome]]:
        """Every outcome, in page order."""
        for item in list(self.pending):
            self._collect(item)
        return [(p, self.outcomes[p.name]) for p in self.pages if p.name in self.outcomes]

    def cancel(self) -> None:
        for future, _ in self.pending:
            future.cancel()
        self.pending = []

    def _collect(self, item) -> None:
        future, names = item
        self.pending.remove(item)
        try:
            settings, payloads = future.result()
        except Exception as exc:  # a worker died, or the pool is gone: lint them here
            self.notes.append(f"background linting failed ({type(exc).__name__}: {exc}); "
                              f"linting {len(names)} page(s) in the MkDocs process")
            self.service.discard_pool()
            linter = linter_for(self.project)
            settings = self.project.settings
            payloads = [_encode(lint_safely(linter, self.sources[n])) for n in names]
        for name, payload in zip(names, payloads):
            self._done(name, _decode(payload), cacheable=settings == self.project.settings)

    def _done(self, name: str, outcome: Outcome, cacheable: bool = True) -> None:
        self.outcomes[name] = outcome
        self.linted += 1
        if cacheable and outcome.details is None:
            self.service.remember(self, name, outcome)


def _start_context(fork: bool):
    """``fork`` when allowed and this process runs a single thread (``mkdocs build``):
    cheaper than ``spawn``, which re-imports MkDocs in each worker. ``spawn``
    otherwise: forking a process that runs other threads can deadlock the child.
    (ProcessPoolExecutor starts all its fork workers at once, at the first submit,
    so such a pool never forks later from a threaded process.)"""
    import multiprocessing
    import threading

    if fork and threading.active_count() == 1 \
            and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def default_jobs() -> int:
    """One worker per CPU but one: the MkDocs process keeps a CPU to build pages."""
    from psense_lint.parallel import default_jobs as cpus

    return max(1, cpus() - 1)


class LintService:
    """Results cache + worker pool; keep one per plugin (it survives serve rebuilds)."""

    def __init__(self) -> None:
        self._pool = None
        self._pool_size = 0
        self._memory: dict[tuple[str, str], Outcome] = {}
        self._disk = None

    # -- cache
    def _disk_cache(self, cache_dir: Path | None, settings: str):
        if cache_dir is None:
            return None
        from psense_lint.cache import Cache

        if self._disk is None or self._disk[0] != (Path(cache_dir), settings):
            self._disk = ((Path(cache_dir), settings), Cache(Path(cache_dir), settings))
        return self._disk[1]

    @staticmethod
    def key(settings: str, src: Source) -> str:
        from psense_lint.cache import Cache

        return Cache(Path("."), settings).key(src.rel, src.text)  # key() touches no file

    def remember(self, batch: Batch, name: str, outcome: Outcome) -> None:
        src = batch.sources[name]
        key = batch.keys[name]
        if outcome.result is not None:
            self._memory[(key, src.path)] = outcome._replace(cached=True)
        disk = batch.disk
        if disk is not None and outcome.result is not None:  # errors are tried again
            disk.put(key, src.path, outcome.result)

    # -- pool
    def _pool_for(self, size: int, fork: bool = False):
        if self._pool is not None and (self._pool_size != size
                                       or getattr(self._pool, "_broken", False)):
            self.discard_pool()
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=size, initializer=_worker_init,
                                             mp_context=_start_context(fork))
            self._pool_size = size
        return self._pool

    def discard_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers (end of a build; end of a serve session)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    # -- work
    def start(self, project: Project, pages: Sequence[Page], *, cache_dir: Path | None,
              jobs: int, fork: bool = False) -> Batch:
        """Begin linting ``pages``; returns at once unless ``jobs`` is 0 (``fork``: the
        workers may be forked, see _start_context; a one-off build). When a page
        must be linted and ``project`` was loaded quickly, its packs are loaded in
        full first (a broken pack raises ConfigError here); ``batch.project`` is the
        project the batch ended up using."""
        batch = Batch(self, project, pages)
        batch.disk = self._disk_cache(cache_dir, project.settings)
        memory: dict[tuple[str, str], Outcome] = {}
        todo: list[str] = []
        for page in batch.pages:
            try:
                src = read_source(project.config, page)
            except PsenseError as exc:
                batch.outcomes[page.name] = Outcome(None, exc)
                continue
            batch.sources[page.name] = src
            key = batch.keys[page.name] = self.key(project.settings, src)
            hit = self._memory.get((key, src.path))
            if hit is None and batch.disk is not None:
                got = batch.disk.get(key, src.path)
                if isinstance(got, FileResult):
                    hit = Outcome(got, None, None, True)
            if hit is not None:
                memory[(key, src.path)] = hit
                batch.outcomes[page.name] = hit
            else:
                todo.append(page.name)
        self._memory = memory   # keep what this build uses: memory stays the size of the site
        if not todo:
            return batch
        if project.pack is None:
            full = complete(project)
            if full.settings != project.settings:  # the quick key was off: look up again
                return self.start(full, pages, cache_dir=cache_dir, jobs=jobs, fork=fork)
            batch.project = project = full
        if jobs <= 0:
            linter = linter_for(project)
            for name in todo:
                batch._done(name, lint_safely(linter, batch.sources[name]))
            return batch
        from psense_lint.parallel import chunks

        sources = [batch.sources[n] for n in todo]
        pool = self._pool_for(jobs, fork)
        cfg = os.fspath(project.config_file) if project.explicit else None
        for chunk in chunks(sources, jobs):
            names = [todo[i] for i in chunk]
            try:
                future = pool.submit(_lint_chunk, cfg, os.fspath(project.start),
                                     [sources[i] for i in chunk])
            except Exception as exc:  # pool broken or shut down: lint here
                batch.notes.append(f"cannot use worker processes ({exc}); linting in the "
                                   "MkDocs process")
                self.discard_pool()
                linter = linter_for(project)
                for name in names:
                    batch._done(name, lint_safely(linter, batch.sources[name]))
                continue
            batch.pending.append((future, names))
        return batch
