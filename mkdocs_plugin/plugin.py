"""The MkDocs plugin ``psense``: options, events and logging. The work is done by
the plain modules beside this one (see __init__.py).

Timeline of one build:

* ``on_config``  load the ``.psense.yml`` and rule packs (a broken one is a
  PluginError: the build stops with one line saying what and where);
* ``on_files``   pick the pages to lint, look them up in the results cache and
  start linting the others on background workers (the build goes on);
* ``on_page_markdown``  only with ``annotate``/``report``: wait for that page's
  findings and write them into the page;
* ``on_post_build``  wait for the rest and log one line per finding (WARNING, so
  ``mkdocs build --strict`` fails after printing them all; or INFO).
"""
from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel

from psense_lint import markdown_report, runner
from psense_lint.build_log import SEVERITIES, STRICT_LEVELS, Page, build_log, entries, shown
from psense_lint.config import Config as _Globs
from psense_lint.config import is_included
from psense_lint.model import PsenseError
from psense_lint.parallel import default_jobs as _cpus
from psense_lint.project import load_project
from psense_lint.session import Session

from psense_mkdocs import annotate as _annotate

log = get_plugin_logger(__name__)


class ServeOptions(base.Config):
    """Settings for ``mkdocs serve`` (live preview)."""

    enabled = c.Type(bool, default=True)
    # which findings are WARNINGs while serving; the default logs them all as INFO,
    # so `strict: true` in mkdocs.yml does not stop the preview
    strict_on = c.Choice(STRICT_LEVELS, default="never")


class PsenseConfig(base.Config):
    config_file = c.Optional(c.File(exists=False))   # relative to mkdocs.yml
    include = c.ListOfItems(c.Type(str), default=["**"])  # globs on the page's src_uri
    exclude = c.ListOfItems(c.Type(str), default=[])
    min_severity = c.Choice(SEVERITIES, default="info")
    strict_on = c.Optional(c.Choice(STRICT_LEVELS))  # default: the config's fail-on
    serve = c.SubConfig(ServeOptions)
    annotate = c.Type(bool, default=False)
    report = c.Type(bool, default=False)
    report_page = c.Type(str, default="psense-report.md")
    cache = c.Type(bool, default=True)
    cache_dir = c.Optional(c.Type(str))              # default: the CLI's cache folder
    jobs = c.Optional(c.Type(int))                   # default: the config's jobs, else CPUs-1
    rule_pages = c.Optional(c.Type(str))             # folder in the site for one page per rule


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(os.path.abspath(path)).resolve().relative_to(Path(os.path.abspath(folder)).resolve())
        return True
    except ValueError:
        return False


def _stop_cleanly_on_sigterm() -> None:
    """SIGTERM (a terminal closed, a process manager) stops `mkdocs serve` the way
    Ctrl-C does, so on_shutdown closes the workers: no leaked-semaphore warning."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        def stop(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)


def _stop_workers_on_ctrl_c(session):
    """Ctrl-C in `mkdocs build` or `serve`: stop the lint workers at once, then
    interrupt as Python does. (The workers ignore SIGINT, and at exit Python waits
    for a pool's workers to finish what they hold: a build took ~10 s to end.)
    Returns the handler to put back, or None when another one is installed."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return None

    def interrupt(signum, frame):
        session.close(kill=True)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    return signal.default_int_handler


class PsensePlugin(BasePlugin[PsenseConfig]):
    def __init__(self) -> None:
        self._command = "build"
        self._session = Session(background=True)  # survives serve rebuilds: warm workers
        self._pages: dict[str, Page] = {}
        self._project = None
        self._batch = None
        self._report_file = None
        self._builds = 0                # under serve: rebuilds log changed pages only

    # ------------------------------------------------------------- lifetime
    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup also keeps this object across `mkdocs serve` rebuilds.
        self._command = command
        self._sigint = _stop_workers_on_ctrl_c(self._session)

    def on_shutdown(self) -> None:
        self._session.close()
        saved, self._sigint = getattr(self, "_sigint", None), None
        if saved is not None:
            import signal
            import threading

            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGINT, saved)

    def on_serve(self, server, *, config, builder):
        self._command = "serve"
        _stop_cleanly_on_sigterm()
        if self._project is not None:
            docs = Path(config.docs_dir)
            for path in self._project.watch_paths:
                if not _inside(path, docs):
                    server.watch(os.fspath(path), recursive=False)
        return server

    def on_build_error(self, *, error) -> None:
        if self._batch is not None:
            self._batch.cancel()
            self._batch = None
        if self._command != "serve":
            self._session.close()

    # ------------------------------------------------------------- setup
    def on_config(self, config):
        opts = self.config
        self._batch = None
        self._report_file = None
        self._serving = self._command == "serve"
        self._active = opts.serve.enabled or not self._serving
        if not self._active:
            return config
        self._root = Path(os.path.dirname(os.path.abspath(config.config_file_path))
                          if config.config_file_path else os.getcwd())
        explicit = Path(opts.config_file) if opts.config_file else None
        try:
            self._project = load_project(explicit, self._root, previous=self._project)
        except PsenseError as exc:
            raise self._error(exc) from None
        project = self._project
        self._strict_on = (opts.serve.strict_on if self._serving
                           else opts.strict_on or project.config.fail_on)
        self._globs = _Globs(root=Path("."), source=None, include=tuple(opts.include),
                             exclude=tuple(opts.exclude))
        if opts.jobs is not None and opts.jobs < 0:
            raise PluginError("psense: option 'jobs' must be 0 (lint in the MkDocs process) "
                              f"or a number of worker processes, got {opts.jobs}")
        if opts.jobs is not None:
            self._jobs = opts.jobs
        elif project.config.jobs is not None:
            self._jobs = project.config.jobs
        else:  # one worker per CPU but one: this process keeps a CPU to build pages
            self._jobs = max(1, _cpus() - 1)
        self._cache_dir = self._resolve_cache_dir(config)
        if opts.report:
            page = opts.report_page.strip().replace("\\", "/").lstrip("/")
            if not page.endswith(".md") or ".." in page.split("/"):
                raise PluginError(f"psense: option 'report_page' must be a .md path inside "
                                  f"docs_dir, got {opts.report_page!r}")
            self._report_uri = page
        return config

    def _resolve_cache_dir(self, config) -> Path | None:
        if not self.config.cache:
            return None
        docs = Path(config.docs_dir)
        if self.config.cache_dir:
            path = Path(self.config.cache_dir)
            path = path if path.is_absolute() else self._root / path
            if _inside(path, docs):
                raise PluginError(f"psense: option 'cache_dir' ({self.config.cache_dir}) is "
                                  "inside docs_dir: a cache there would make `mkdocs serve` "
                                  "rebuild in a loop; put it outside docs_dir")
            return path
        from psense_lint.cache import cache_dir

        path = cache_dir(self._project.config)   # the CLI's: both share results
        if _inside(path, docs):
            path = self._root / ".cache" / "psense"
        return path

    def _error(self, exc: PsenseError) -> PluginError:
        if exc.path and _inside(Path(exc.path), self._root):
            exc.path = self._display(exc.path)
        return PluginError(f"psense: {exc}")

    def _display(self, path) -> str:
        """A path as findings show it: relative to the folder of mkdocs.yml."""
        try:
            return Path(os.path.relpath(os.path.abspath(path), self._root)).as_posix()
        except ValueError:  # another drive (Windows)
            return Path(path).as_posix()

    # ------------------------------------------------------------- linting
    @event_priority(-50)  # late: lint the pages other plugins added too
    def on_files(self, files, *, config):
        if not self._active:
            return files
        project = self._project
        inclusion = InclusionLevel.is_in_serve if self._serving else InclusionLevel.is_included
        self._pages, items = {}, []
        for f in files.documentation_pages(inclusion=inclusion):
            if f.generated_by is not None or not f.abs_src_path:
                continue  # made by a plugin: no source lines to point at
            if not is_included(self._globs, Path(f.src_uri)):
                continue
            path = Path(f.abs_src_path)
            rel = runner.rel_path(project.config, path)
            if not is_included(project.config, rel):
                continue  # the .psense.yml excludes it: the CLI skips it too
            page = self._pages[f.src_uri] = Page(f.src_uri, self._display(path))
            try:
                items.append((f.src_uri, runner.read(project.config, path, page.path, rel)))
            except PsenseError as exc:
                items.append((f.src_uri, exc))
        self._batch = self._session.submit(project, items, jobs=self._jobs,
                                           cache_dir=self._cache_dir, fork=not self._serving)
        self._drop_special_files(files)
        if self.config.rule_pages:
            self._add_rule_pages(files, config)
        if self.config.report:
            if files.get_file_from_path(self._report_uri) is not None:
                raise PluginError(f"psense: report_page '{self._report_uri}' already exists in "
                                  "docs_dir; choose another name")
            self._report_file = File.generated(config, self._report_uri,
                                               content="# Design-doc argument report\n")
            files.append(self._report_file)
        return files

    def _drop_special_files(self, files) -> None:
        """A FIFO, device or socket in docs_dir (``x.md`` a FIFO, or a symlink to
        /dev/zero) is left out of the site: MkDocs would read it, and block for ever
        or fill memory. A page the plugin lints already has its one-line error."""
        import stat

        from psense_lint.safeio import _kind

        for f in list(files):
            if f.generated_by is not None or not f.abs_src_path:
                continue
            try:
                mode = os.stat(f.abs_src_path).st_mode  # never blocks, even on a FIFO
            except OSError:
                continue  # gone, or unreadable: MkDocs says so
            if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
                continue
            files.remove(f)
            if f.src_uri not in self._pages:
                log.warning(f"{self._display(Path(f.abs_src_path))}: not a regular file "
                            f"({_kind(mode)}); left out of the site")

    def _add_rule_pages(self, files, config) -> None:
        """One generated page per rule of the loaded pack (psense_lint.rule_docs)."""
        from psense_lint.rule_docs import pages

        for uri, text in pages(self._project.pack, self.config.rule_pages).items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"psense: rule page '{uri}' already exists in docs_dir; "
                                  "choose another rule_pages folder")
            files.append(File.generated(config, uri, content=text))

    @event_priority(50)  # early: before other plugins rewrite the Markdown
    def on_page_markdown(self, markdown, *, page, config, files):
        if not self._active or self._batch is None:
            return markdown
        if self._report_file is not None and page.file is self._report_file:
            found = entries(self._results(), self.config.min_severity)
            return markdown_report.render(found, self._report_uri, len(self._batch.names))
        if not self.config.annotate:
            return markdown
        outcome = self._batch.outcome(page.file.src_uri)
        if outcome is None or outcome.result is None:
            return markdown
        findings = [f for f in outcome.result.findings if shown(f, self.config.min_severity)]
        src = self._batch.sources[page.file.src_uri]
        annotated = _annotate.annotate(markdown, src.text, findings)
        if annotated is None:
            log.info(f"{src.path}: findings not shown in the page: its Markdown was changed "
                     "before psense saw it (by another plugin?), so source lines cannot be "
                     "matched")
            return markdown
        return annotated

    def on_post_build(self, *, config):
        batch, self._batch = self._batch, None
        if batch is None:
            return
        try:
            results = self._results(batch)
        finally:
            if self._command != "serve":
                self._session.close()
        for note in batch.notes:
            log.info(note)
        rebuild = self._serving and self._builds > 0
        self._builds += 1
        for line in build_log(results, self.config.min_severity, self._strict_on,
                              cached=batch.cached, linted=batch.linted, changed_only=rebuild):
            getattr(log, line.level)(line.message)

    def _results(self, batch=None):
        """(page, outcome) for every page of the build, in page order."""
        return [(self._pages[name], outcome) for name, outcome in (batch or self._batch).wait()]
