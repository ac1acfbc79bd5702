"""A lint session: lint a project's sources through the results cache, on worker
processes, with a fallback when a worker dies. Every front end lints through it:
the CLI and the pre-commit hook (``lint_paths``), the MkDocs plugin (``submit``,
then ``Batch.outcome`` / ``Batch.wait`` while the site builds).

``Session.submit`` looks every source up in the results cache (in memory, then
on disk: ``cache.py``, shared by the CLI and the docs build) and hands the
others to worker processes, then returns at once; ``Batch.wait`` collects the
outcomes, in the order the sources were given, so the output is the same
whatever the number of workers or the order chunks finish in. A run whose
every source is cached starts no process and never imports spaCy.

Two ways to use workers. ``background=False`` (the CLI): workers only when
there is enough uncached work to pay for them (``parallel.workers_for``), and
the pipeline is built here first so forked workers inherit it. ``background=True``
(the plugin): with ``jobs`` > 0 the work always goes to workers and this process
goes on building the site; ``jobs=0`` lints here, synchronously.

The worker pool lives as long as the session (under ``mkdocs serve``, as long as
the plugin): each worker loads the project and builds its pipeline once, and
loads the project again only when its settings change. Each source is linted
on its own: an unexpected exception becomes that source's ``InternalError``
outcome, never the run's. A worker that dies loses nothing: what it had not
returned is linted in this process (``Batch.notes`` says so).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Collection, Iterable, NamedTuple, Sequence

from psense_lint import parallel
from psense_lint.model import FileResult, InputError, InternalError, PsenseError
from psense_lint.project import Project, load_project
from psense_lint.runner import Source


class Outcome(NamedTuple):
    result: FileResult | None
    error: PsenseError | None = None    # why the source could not be linted
    cached: bool = False
    key: str | None = None    # the cache key of the text linted, when it was read again

    @property
    def details(self) -> str | None:
        """The traceback of an internal error (a bug), else None."""
        return self.error.details if isinstance(self.error, InternalError) else None


def lint_file(linter, src: Source, settings: str | None = None) -> Outcome:
    """Lint one source; a failure is this source's outcome, never an exception. A
    source without its text is read again from its file (with ``settings``, the
    outcome then carries the cache key of what was read, which the file may have
    changed since it was looked up)."""
    try:
        if src.text is None:
            from psense_lint import runner

            src = runner.reread(linter.config, src)
            key = None
            if settings is not None:
                from psense_lint.cache import text_key

                key = text_key(settings, src.rel, src.text)
            return Outcome(linter.lint_text(src.text, src.path, src.rel), key=key)
        return Outcome(linter.lint_text(src.text, src.path, src.rel))
    except PsenseError as exc:
        if exc.path is None:
            exc.path = src.path
        return Outcome(None, exc)
    except RecursionError:
        return Outcome(None, InputError("document too deeply nested to lint", path=src.path))
    except ImportError:  # a dependency imported on first use is missing: the install's fault
        raise
    except Exception as exc:  # a bug (or out of memory): this file only, one line
        return Outcome(None, InternalError.from_exception(exc, src.path))


# One Linter per settings and process: it holds the spaCy pipeline (built on first use).
_LINTERS: dict[str, object] = {}


def linter_for(project: Project, on_pipeline: Callable[[], None] | None = None):
    linter = _LINTERS.get(project.settings)
    if linter is None:
        from psense_lint.engine import Linter

        _LINTERS.clear()  # settings changed: drop the old one (the pipeline stays cached)
        linter = _LINTERS[project.settings] = Linter(project.config, project.pack,
                                                     on_pipeline=on_pipeline)
    return linter


_worker_project: Project | None = None


def _lint_chunk(ref: tuple, sources: list[Source]) -> tuple[str, list[Outcome]]:
    """Run in a worker: (the settings it linted with, one outcome per source). A
    forked worker inherits the parent's Linter; another loads the project itself."""
    global _worker_project
    config_file, start, cli, root, settings = ref
    linter = _LINTERS.get(settings)
    if linter is None:
        _worker_project = load_project(config_file, start, cli=dict(cli),
                                       previous=_worker_project, root=root)
        linter = linter_for(_worker_project)
        settings = _worker_project.settings
    return settings, [lint_file(linter, src, settings) for src in sources]


class Batch:
    """The outcomes of one submit, some still being computed."""

    def __init__(self, session: "Session", project: Project) -> None:
        self.session = session
        self.project = project
        self.names: list = []                  # in the order submitted
        self.sources: dict[object, Source] = {}
        self.outcomes: dict[object, Outcome] = {}
        self.keys: dict[object, str] = {}
        self.pending: list[tuple[object, list]] = []   # (future, names)
        self.notes: list[str] = []      # things worth an INFO line in a build log
        self.linted = 0                 # sources linted (cache misses)
        self.disk = None                # psense_lint.cache.Cache, or None

    @property
    def cached(self) -> int:
        return sum(1 for o in self.outcomes.values() if o.cached)

    def outcome(self, name) -> Outcome | None:
        """The source's outcome (waiting for it if needed), None for one not in this batch."""
        if name not in self.outcomes:
            for item in list(self.pending):
                if name in item[1]:
                    self._collect(item)
                    break
        return self.outcomes.get(name)

    def wait(self) -> list[tuple[object, Outcome]]:
        """Every (name, outcome), in the order submitted."""
        for item in list(self.pending):
            self._collect(item)
        return [(n, self.outcomes[n]) for n in self.names if n in self.outcomes]

    def cancel(self) -> None:
        for future, _ in self.pending:
            future.cancel()
        self.pending = []

    def _collect(self, item) -> None:
        future, names = item
        self.pending.remove(item)
        try:
            settings, outcomes = future.result()
        except Exception as exc:  # a worker died, or the pool is gone: lint them here
            self.notes.append(f"background linting failed ({type(exc).__name__}: {exc}); "
                              f"linting {len(names)} file(s) in this process")
            self.session.discard_pool()
            settings, outcomes = self.project.settings, self._here(names)
        for name, outcome in zip(names, outcomes):
            self._done(name, outcome, cacheable=settings == self.project.settings)

    def _here(self, names) -> list[Outcome]:
        linter = linter_for(self.project, self.session.on_pipeline)
        return [lint_file(linter, self.sources[n], self.project.settings) for n in names]

    def _done(self, name, outcome: Outcome, cacheable: bool = True) -> None:
        if outcome.key is not None:  # read again: cache it under what was linted
            self.keys[name] = outcome.key
            outcome = outcome._replace(key=None)
        self.outcomes[name] = outcome
        self.linted += 1
        if cacheable and outcome.result is not None:  # errors are tried again next time
            self.session.remember(self, name, outcome)


class Session:
    """Results cache + worker pool; keep one as long as its workers are worth
    keeping (the CLI: one run; the MkDocs plugin: a whole serve session)."""

    def __init__(self, *, background: bool = False,
                 on_pipeline: Callable[[], None] | None = None) -> None:
        self.background = background
        self.on_pipeline = on_pipeline   # called once this process built a pipeline
        self._pool = None
        self._pool_size = 0
        self._memory: dict[tuple[str, str], Outcome] = {}
        self._disk = None

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(kill=exc_type is not None)  # Ctrl-C or an error: stop the workers now

    # -- cache
    def _disk_cache(self, cache_dir: Path | None, settings: str):
        if cache_dir is None:
            return None
        from psense_lint.cache import Cache

        if self._disk is None or self._disk[0] != (Path(cache_dir), settings):
            self._disk = ((Path(cache_dir), settings), Cache(Path(cache_dir), settings))
        return self._disk[1]

    def remember(self, batch: Batch, name, outcome: Outcome) -> None:
        src, key = batch.sources[name], batch.keys[name]
        self._memory[(key, src.path)] = outcome._replace(cached=True)
        if batch.disk is not None:
            batch.disk.put(key, src.path, outcome.result)

    # -- pool
    def _pool_for(self, size: int, fork: bool):
        if self._pool is not None and (self._pool_size != size
                                       or getattr(self._pool, "_broken", False)):
            self.discard_pool()
        if self._pool is None:
            self._pool = parallel.start_pool(size, fork)
            self._pool_size = size
        return self._pool

    def discard_pool(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self, *, kill: bool = False) -> None:
        """Stop the workers (``kill``: at once, without waiting for them), and keep
        the regexes compiled for the next run (``regex_cache``)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                parallel.stop_pool(pool, kill=kill)
            except BaseException:  # a signal while waiting for them: stop them now
                if not kill:
                    parallel.stop_pool(pool, kill=True)
                raise
        from psense_lint import regex_cache

        regex_cache.save()

    # -- work
    def submit(self, project: Project, items: Iterable[tuple[object, Source | PsenseError]],
               *, jobs: int, cache_dir: Path | None = None, fork: bool = True,
               reread: bool = False) -> Batch:
        """Begin linting. ``items``: (name, source) pairs, or (name, the error that
        kept the source from being read). ``jobs``: worker processes; ``cache_dir``:
        the results cache (None: none on disk); ``fork``: workers may be forked;
        ``reread``: a source read from a file is not held after its cache lookup
        (``batch.sources`` then has no text for it) but read again where it is linted,
        so neither this process nor the workers it forks hold every text (the CLI:
        memory flat in corpus size)."""
        from psense_lint.cache import text_key

        batch = Batch(self, project)
        batch.disk = self._disk_cache(cache_dir, project.settings)
        memory: dict[tuple[str, str], Outcome] = {}
        todo: list = []
        sizes: list[int] = []
        for name, src in items:
            batch.names.append(name)
            if isinstance(src, PsenseError):
                batch.outcomes[name] = Outcome(None, src)
                continue
            batch.sources[name] = src
            key = batch.keys[name] = text_key(project.settings, src.rel, src.text)
            hit = self._memory.get((key, src.path))
            if hit is None and batch.disk is not None:
                got = batch.disk.get(key, src.path)
                if isinstance(got, FileResult):
                    hit = Outcome(got, None, True)
            if hit is not None:
                memory[(key, src.path)] = hit
                batch.outcomes[name] = hit
            else:
                todo.append(name)
                sizes.append(len(src.text))
                if reread and src.file is not None:
                    batch.sources[name] = src._replace(text=None)
        self._memory = memory   # keep what this batch uses: memory stays the size of a run
        if not todo:
            return batch
        sources = [batch.sources[n] for n in todo]
        workers = jobs if self.background else parallel.workers_for(jobs, sizes)
        if workers <= 0:
            for name, outcome in zip(todo, batch._here(todo)):
                batch._done(name, outcome)
            return batch
        if not self.background and parallel.forks(fork):
            # build the pipeline once, here: forked workers inherit it (copy-on-write)
            # instead of each importing spaCy and building their own (~1 s of CPU each)
            try:
                linter_for(project, self.on_pipeline).nlp
            except Exception:  # reported per file, by the workers
                pass
        here: list = []   # what the pool would not take: linted here, after
        with parallel.signals_held():  # a signal now would hit fork's bookkeeping
            pool = self._pool_for(workers, fork)
            for chunk in parallel.chunks(sizes, workers):
                names = [todo[i] for i in chunk]
                try:
                    future = pool.submit(_lint_chunk, project.ref, [sources[i] for i in chunk])
                except Exception as exc:  # pool broken or shut down: lint here
                    batch.notes.append(f"cannot use worker processes ({exc}); linting in "
                                       "this process")
                    self.discard_pool()
                    here.extend(names)
                    continue
                batch.pending.append((future, names))
        if here:
            for name, outcome in zip(here, batch._here(here)):
                batch._done(name, outcome)
        return batch


def lint_sources(project: Project, sources: Iterable[Source], *, cache_dir: Path | None = None,
                 jobs: int = 1, on_pipeline: Callable[[], None] | None = None,
                 reread: bool = False) -> tuple[list[FileResult], list[PsenseError]]:
    """Lint sources and wait: results and errors, in the order of ``sources``
    (``reread``: as in ``Session.submit``)."""
    with Session(on_pipeline=on_pipeline) as session:
        outcomes = session.submit(project, enumerate(sources), jobs=jobs,
                                  cache_dir=cache_dir, reread=reread).wait()
    return ([o.result for _, o in outcomes if o.result is not None],
            [o.error for _, o in outcomes if o.error is not None])


def lint_paths(project: Project, args: Sequence[str], *, cache: bool = False,
               jobs: int | None = 1, on_pipeline: Callable[[], None] | None = None,
               respect_gitignore: bool = True, prune: Collection[str] = ()
               ) -> tuple[list[FileResult], list[PsenseError], int]:
    """Lint files and folders (the CLI). Returns (results, errors, number of files
    considered). ``cache``: the config's results cache; ``jobs``: worker processes
    (None: the config's ``jobs``, else the number of CPUs); ``respect_gitignore``
    and ``prune`` (folders left out of the walk) as in ``runner.discover``."""
    from psense_lint import runner

    config = project.config
    runner._real_dir.cache_clear()  # symlinks may have changed since the last call
    files, errors = runner.discover(config, args, respect_gitignore=respect_gitignore,
                                    prune=prune)

    def sources():  # one text at a time: each is looked up in the cache, then let go
        for f in files:
            try:
                yield runner.read(config, f)
            except InputError as exc:
                errors.append(exc)
    if jobs is None:
        jobs = config.jobs if config.jobs is not None else parallel.default_jobs()
    cache_dir = None
    if cache:
        from psense_lint.cache import cache_dir as where

        cache_dir = where(config)
    results, lint_errors = lint_sources(project, sources(), cache_dir=cache_dir, jobs=jobs,
                                        on_pipeline=on_pipeline, reread=True)
    return results, errors + lint_errors, len(files)
