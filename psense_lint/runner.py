"""From paths on the command line to results: find the files, read them safely,
lint each with the engine. Front ends (CLI, pre-commit, MkDocs) share this."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

from psense_lint.config import Config, is_included
from psense_lint.model import FileResult, InputError, PsenseError

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__",
             ".psense_cache", ".tox", ".nox", "site"}
MAX_BYTES = 64 * 1024 * 1024


class Source(NamedTuple):
    path: str        # as the user will read it in findings
    rel: Path        # matched against config globs
    text: str


def _rel(config: Config, path: Path) -> Path:
    try:
        return path.resolve().relative_to(config.root.resolve())
    except ValueError:
        return path


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
        return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()
    except ValueError:  # other drive on Windows
        return path.as_posix()


def discover(config: Config, args: Sequence[str]) -> tuple[list[Path], list[PsenseError]]:
    """Expand the command-line paths into Markdown files, in a stable order."""
    files: list[Path] = []
    errors: list[PsenseError] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = []
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
                for name in sorted(filenames):
                    candidate = Path(dirpath, name)
                    if is_included(config, _rel(config, candidate)):
                        found.append(candidate)
            if not found:
                errors.append(InputError("no Markdown files found in this directory", path=arg))
            files.extend(found)
        elif path.exists() or path.is_symlink():
            if is_included(config, _rel(config, path)):
                files.append(path)
        else:
            errors.append(InputError("no such file or directory", path=arg))
    seen = set()
    unique = []
    for f in files:
        key = os.path.normcase(os.path.abspath(f))
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, errors


def decode(data: bytes, path: str) -> str:
    """Bytes of a Markdown file -> text, or an InputError naming what is wrong."""
    if b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes), not Markdown", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded)",
                         path=path, line=line) from None
    return text


def read(config: Config, path: Path) -> Source:
    shown = _display(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"file too large ({size // (1024 * 1024)} MB; limit "
                             f"{MAX_BYTES // (1024 * 1024)} MB)", path=shown)
        data = path.read_bytes()
    except InputError:
        raise
    except IsADirectoryError:
        raise InputError("is a directory", path=shown) from None
    except PermissionError:
        raise InputError("permission denied", path=shown) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path=shown) from None
    return Source(shown, _rel(config, path), decode(data, shown))


def lint_sources(linter, sources: Iterable[Source]) -> tuple[list[FileResult], list[PsenseError]]:
    results, errors = [], []
    for src in sources:
        try:
            results.append(linter.lint_text(src.text, src.path, src.rel))
        except PsenseError as exc:
            if exc.path is None:
                exc.path = src.path
            errors.append(exc)
        except RecursionError:
            errors.append(InputError("document too deeply nested to lint", path=src.path))
    return results, errors


def lint_paths(linter, args: Sequence[str]) -> tuple[list[FileResult], list[PsenseError], int]:
    """Lint files and folders. Returns (results, errors, number of files considered)."""
    files, errors = discover(linter.config, args)
    sources = []
    for f in files:
        try:
            sources.append(read(linter.config, f))
        except InputError as exc:
            errors.append(exc)
    results, lint_errors = lint_sources(linter, sources)
    return results, errors + lint_errors, len(files)
