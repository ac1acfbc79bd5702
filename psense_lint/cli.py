"""The command line: ``psense-lint [OPTIONS] [PATH ...]``."""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path
from typing import Sequence

from psense_lint import __version__
from psense_lint.model import PsenseError, severity_rank

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: one line, exit 2
        self.exit(EXIT_ERROR, f"psense-lint: error: {message} (see psense-lint --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from psense_lint.report import FORMATS

    p = _Parser(prog="psense-lint", description=(
        "Lint the arguments in Markdown design docs: engineering-only reasoning, missing "
        "user pain / success measure / non-goals, vague goals, unsupported claims about users."))
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="Markdown files or folders (default: .); '-' reads standard input")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    p.add_argument("--config", metavar="FILE", help="use this config file instead of searching "
                   "for .psense.yml / pyproject.toml")
    p.add_argument("--select", metavar="RULES", help="comma-separated rule ids or prefixes to enable")
    p.add_argument("--ignore", metavar="RULES", help="comma-separated rule ids or prefixes to disable")
    p.add_argument("--exclude", metavar="GLOB", action="append",
                   help="extra exclude glob (repeatable)")
    p.add_argument("--fail-on", choices=("info", "warning", "error", "never"),
                   help="lowest severity that makes the exit code 1 (default: warning)")
    p.add_argument("--pipeline", metavar="NAME",
                   help="spaCy pipeline: 'blank' (default) or an installed package name")
    p.add_argument("--stdin-filename", metavar="PATH",
                   help="path to report (and match config globs against) for input read from '-'")
    p.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="worker processes (default: number of CPUs)")
    p.add_argument("--max-file-size", metavar="SIZE",
                   help="refuse larger files (exit 2), e.g. 2MB or 512KB (default: 1MB)")
    p.add_argument("--no-respect-gitignore", action="store_true",
                   help="in folders, lint files that .gitignore lists too (files named on the "
                   "command line are always linted)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the results cache")
    p.add_argument("--cache-dir", metavar="DIR", help="results cache folder (default: .psense_cache)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour text output (default: auto, only on a terminal)")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="text output: the findings only (no doc summaries, no count line)")
    p.add_argument("--statistics", action="store_true",
                   help="print the number of findings per rule instead of the findings")
    p.add_argument("--output-file", "-o", metavar="FILE",
                   help="write the --format output to FILE and print the text output too")
    p.add_argument("--show-config", action="store_true", help="print the effective config and exit")
    p.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    p.add_argument("--explain", metavar="RULE", help="explain a rule, with examples, and exit")
    p.add_argument("--debug", action="store_true",
                   help="print the traceback of an internal error (exit code 3)")
    p.add_argument("--version", action="version", version=f"psense-lint {__version__}")
    return p


def _split(value: str | None):
    if value is None:
        return None
    return tuple(v.strip() for v in value.replace(" ", ",").split(",") if v.strip())


def explain(info, spec=None) -> str:
    out = [f"{info.id} ({info.name})", "", "What it does", f"  {info.summary}", "",
           "Why it matters"]
    out += textwrap.wrap(info.why, 88, initial_indent="  ", subsequent_indent="  ") or ["  -"]
    out += ["", "Fires on"] + [f"  - {x}" for x in info.fires]
    out += ["", "Passes"] + [f"  - {x}" for x in info.passes]
    out += ["", "Suggestion", f"  {info.suggestion}"]
    if spec is not None:
        from psense_lint import suggest

        out += suggest.explain_lines(spec)
    out += ["", f"Default level: {info.level}", f"Docs: {rule_uri(info.id, info.name)}"]
    return "\n".join(out) + "\n"


def list_rules_json(infos) -> str:
    import json

    return json.dumps([{"id": i.id, "name": i.name, "level": i.level, "summary": i.summary,
                        "help_uri": rule_uri(i.id, i.name)}
                       for _rid, i in sorted(infos.items())], indent=2, ensure_ascii=False) + "\n"


def rule_uri(rid: str, name: str) -> str:
    from psense_lint.report import rule_help_uri

    return rule_help_uri(rid, name)


def use_color(choice: str, stream, environ=os.environ) -> bool:
    """--color: always / never; auto colours a terminal, unless NO_COLOR is set (not
    empty), and any output when FORCE_COLOR is set (not empty, not "0"), as CI logs want."""
    if choice != "auto":
        return choice == "always"
    if environ.get("NO_COLOR"):  # no-color.org: set and not empty
        return False
    force = environ.get("FORCE_COLOR")
    if force is not None and force not in ("", "0"):
        return True
    return stream.isatty()


def list_rules(infos) -> str:
    width = max((len(i.name) for i in infos.values()), default=4)
    lines = [f"{rid}  {info.name:<{width}}  {info.level:<7}  {info.summary}"
             for rid, info in sorted(infos.items())]
    return "\n".join(lines) + "\n"


class Terminated(BaseException):
    """SIGTERM (or SIGHUP) arrived: unwind (stopping the workers) and exit 128 + signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


# Signals whose exception has not reached main() yet. Code outside psense-lint may
# swallow the exception a handler raises (an import in C that turns it into an
# ImportError, an "Exception ignored" callback): the run still ends as stopped.
_CAUGHT: list[int] = []


def _on_signal(signum, _frame):
    _CAUGHT.append(signum)
    raise Terminated(signum)


def _on_interrupt(signum, _frame):
    _CAUGHT.append(signum)
    raise KeyboardInterrupt


def _handle_signals():
    """SIGTERM/SIGHUP unwind like Ctrl-C does (workers are stopped on the way out);
    only in the main thread of a process that still has the default handler."""
    import signal
    import threading

    saved = {}
    if threading.current_thread() is not threading.main_thread():
        return saved
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) == signal.SIG_DFL:
            saved[sig] = signal.signal(sig, _on_signal)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        saved[signal.SIGINT] = signal.signal(signal.SIGINT, _on_interrupt)
    return saved


def _stopped(signum: int) -> int:
    """One line saying why the run ended early (a CI log shows it), exit 128 + signal."""
    import signal

    _CAUGHT.clear()  # said once
    try:
        name = signal.Signals(signum).name
    except ValueError:  # pragma: no cover
        name = f"signal {signum}"
    try:
        print(f"psense-lint: stopped by {name}; nothing reported for the files not yet "
              "linted", file=sys.stderr)
    except (OSError, ValueError):  # stderr is gone too
        pass
    return 128 + signum


def main(argv: Sequence[str] | None = None) -> int:
    import gc
    import signal

    collecting = gc.isenabled()
    gc.disable()  # until the pipeline is built (_after_pipeline)
    gc.set_threshold(*GC_THRESHOLDS)
    args = build_parser().parse_args(argv)
    _CAUGHT.clear()
    saved = _handle_signals()
    try:
        code = _main(args)
        if _CAUGHT:  # the signal's exception was swallowed on the way
            return _stopped(_CAUGHT[0])
        return code
    except Terminated as exc:
        return _stopped(exc.signum)
    finally:
        for sig, handler in saved.items():  # called in-process (tests): put them back
            signal.signal(sig, handler)
        if collecting:
            gc.enable()


# Young objects a collection waits for (Python's default is 700), set when the CLI
# starts (a process of the CLI only, never a library's host): linting makes many
# objects, almost none in reference cycles; 700 meant ~4,800 collections on the 550
# corpus docs, ~9% of the CPU time. Until the pipeline is built the collector does not
# run at all: importing spaCy and building the pipeline make ~160,000 objects that
# live as long as the process and hardly any garbage (~200 collections at Python's
# thresholds, ~30 at these: 1.23x -> 1.18x `import spacy`'s CPU for one doc).
GC_THRESHOLDS = (10_000, 10, 10)


def _after_pipeline() -> None:
    """Once the spaCy pipeline is built: spaCy's modules and the pipeline live as long
    as this process, so move them out of the garbage collector's way (each full
    collection walked them all; ~13% of the CPU time of linting 60 docs; forked
    workers also copy fewer pages), and let it run from now on."""
    import gc

    gc.freeze()
    gc.enable()


def _main(args) -> int:
    try:
        return _run(args)
    except PsenseError as exc:
        print(f"psense-lint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        import signal

        return _stopped(signal.SIGINT)
    except BrokenPipeError:  # the reader went away (`| head`): nothing more to say
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141
    except ImportError as exc:  # a broken install: say what is missing, no traceback
        print(f"psense-lint: error: a dependency is missing ({exc}); reinstall psense-lint "
              "with pip", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug: one line (the traceback only with --debug), exit 3
        from psense_lint.model import InternalError

        err = InternalError.from_exception(exc, None)
        if args.debug:
            sys.stderr.write(err.details or "")
        print(f"psense-lint: error: {err}", file=sys.stderr)
        return EXIT_INTERNAL


def _load(args, explicit: Path | None, start: Path):
    """The project (config and rule packs) of the files under ``start`` (or of
    --config), with the command line's overrides."""
    from psense_lint.project import load_project

    cli = {"select": _split(args.select), "ignore": _split(args.ignore), "fail_on": args.fail_on,
           "pipeline": args.pipeline, "exclude": tuple(args.exclude) if args.exclude else None,
           "jobs": args.jobs, "cache_dir": args.cache_dir,
           "max_file_size": args.max_file_size}
    # no config: globs stay relative to the cwd, as before; the cache goes to the
    # project (git work tree, else the folder linted), never to an unrelated cwd
    return load_project(explicit, start, cli=cli, root=Path.cwd())


def _project_start(path: Path) -> Path:
    """Where to look for the config of ``path`` (a file or folder named on the
    command line), and the project root when there is none: the config found
    upwards decides; with none, the git work tree, else the folder itself."""
    from psense_lint import config as config_mod
    from psense_lint.gitignore import repo_root

    folder = Path(os.path.abspath(path))
    if not folder.is_dir():
        folder = folder.parent
    if config_mod.find_config(folder) is not None:
        return folder
    return repo_root(folder) or folder


def _groups(paths: Sequence[str]) -> list[tuple[Path | None, Path, list[str], set[str]]]:
    """Like ruff: each path gets the config found upwards from it, and a folder's
    subfolders that hold a config of their own are linted with theirs. Returns
    (config file or None, start, paths, folders to leave out of the walk) per
    config, in the order first met."""
    from psense_lint import config as config_mod
    from psense_lint.runner import SKIP_DIRS

    groups: dict[str, tuple] = {}

    def add(path: str, prune: set[str] = frozenset()) -> None:
        start = _project_start(Path(path))
        found = config_mod.find_config(start)
        group = groups.setdefault(str(found or start), (found, start, [], set()))
        group[2].append(path)
        group[3].update(prune)

    def walk(folder: str) -> None:
        nested = []
        for dirpath, dirnames, _files in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for d in list(dirnames):
                sub = os.path.join(dirpath, d)
                found = config_mod.find_config(Path(sub))
                if found is not None and found.parent == Path(os.path.abspath(sub)):
                    nested.append(sub)  # its own project: linted with its config
                    dirnames.remove(d)
        add(folder, {os.path.abspath(d) for d in nested})
        for sub in nested:
            walk(sub)

    for arg in paths:
        walk(arg) if os.path.isdir(arg) else add(arg)
    return list(groups.values())


def _run(args) -> int:
    from psense_lint import config as config_mod

    cwd = Path.cwd()
    explicit = Path(args.config) if args.config else None
    if explicit is not None and not explicit.is_file():
        raise PsenseError("config file not found", path=args.config)
    paths = args.paths or ["."]
    stdin = "-" in paths
    if explicit is not None or stdin or args.show_config or args.list_rules or args.explain:
        if stdin:
            start = _project_start(Path(args.stdin_filename)) if args.stdin_filename else cwd
        else:
            start = _project_start(Path(paths[0]))
        groups = [(explicit, start, paths, set())]
    else:
        groups = _groups(paths)
    project = _load(args, explicit, groups[0][1] if groups else cwd)
    config, pack = project.config, project.pack
    infos = pack.rule_infos()

    if args.show_config:
        sys.stdout.write(config_mod.dump_config(config))
        return EXIT_OK
    if args.list_rules:
        sys.stdout.write(list_rules_json(infos) if args.format == "json" else list_rules(infos))
        return EXIT_OK
    if args.explain:
        rid = args.explain.upper()
        if rid not in infos:
            raise PsenseError(f"unknown rule '{args.explain}' (see psense-lint --list-rules)")
        sys.stdout.write(explain(infos[rid], pack.rules[rid]))
        return EXIT_OK

    from psense_lint import runner, session
    from psense_lint.report import render

    freeze = _after_pipeline
    failing = False  # findings at or above the fail-on of their own config
    if stdin:
        if len(paths) > 1:
            raise PsenseError("'-' (standard input) cannot be combined with other paths")
        name = args.stdin_filename or "<stdin>"
        try:
            source = runner.read_stream(config, sys.stdin.buffer, name)
            results, errors = session.lint_sources(project, [source], on_pipeline=freeze)
        except PsenseError as exc:
            results, errors = [], [exc]
    else:
        results, errors = [], []
        for n, (_found, start, group_paths, prune) in enumerate(groups):
            if n:
                project = _load(args, explicit, start)
                config = project.config
                infos = {**project.pack.rule_infos(), **infos}
            got, errs, _count = session.lint_paths(
                project, group_paths, cache=not args.no_cache, jobs=config.jobs,
                on_pipeline=freeze, respect_gitignore=not args.no_respect_gitignore,
                prune=prune)
            results += got
            errors += errs
            threshold = severity_rank(config.fail_on)
            failing = failing or any(severity_rank(f.severity) >= threshold
                                     for r in got for f in r.findings)

    color = use_color(args.color, sys.stdout)
    from psense_lint.model import InternalError

    for err in sorted(errors, key=lambda e: (str(e.path or ""), e.line or 0)):
        if args.debug and getattr(err, "details", None):
            sys.stderr.write(err.details)
        print(f"psense-lint: error: {err}", file=sys.stderr)
    from psense_lint.report import render_statistics

    shown_fmt = "text" if args.output_file else args.format
    if args.output_file:
        out = render(args.format, results, rules=infos, errors=errors, color=False,
                     tool_version=__version__)
        try:
            Path(args.output_file).write_text(out, encoding="utf-8")
        except OSError as exc:
            raise PsenseError(f"cannot write the output file: {exc.strerror or exc}",
                              path=args.output_file) from None
    if args.statistics:
        sys.stdout.write(render_statistics(results, infos, shown_fmt, color=color))
    else:
        sys.stdout.write(render(shown_fmt, results, rules=infos, errors=errors, color=color,
                                tool_version=__version__, quiet=args.quiet))
    if any(isinstance(e, InternalError) for e in errors):
        return EXIT_INTERNAL
    if errors:
        return EXIT_ERROR
    if stdin:
        threshold = severity_rank(config.fail_on)
        failing = any(severity_rank(f.severity) >= threshold for r in results for f in r.findings)
    return EXIT_FINDINGS if failing else EXIT_OK

