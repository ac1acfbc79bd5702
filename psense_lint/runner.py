"""From paths to sources: find the Markdown files, read them safely. Front ends
(CLI, pre-commit, MkDocs) share this; ``session.py`` lints what it reads."""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Collection, NamedTuple, Sequence

from psense_lint.config import DEFAULT_MAX_FILE_SIZE, Config, is_included
from psense_lint.model import InputError, PsenseError

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__",
             ".psense_cache", ".tox", ".nox", "site"}
MAX_BYTES = DEFAULT_MAX_FILE_SIZE  # per file unless the config says (max-file-size)
SIZE_HINT = "set max-file-size to lint larger files"


class Source(NamedTuple):
    path: str        # as the user will read it in findings
    rel: Path        # matched against config globs
    text: str | None  # None: not held in memory, read from ``file`` where it is linted
    file: Path | None = None  # the file it was read from (None: standard input, a test)


@functools.lru_cache(maxsize=4096)
def _real_dir(directory: str) -> str:
    return os.path.realpath(directory)


def rel_path(config: Config, path: Path) -> Path:
    """``path`` relative to the config root, symlinks resolved (as ``Path.resolve``
    would, but resolving each directory once: this runs for every file)."""
    full = os.path.abspath(path)
    if ".." in Path(path).parts or os.path.islink(full):
        real = os.path.realpath(path)
    else:
        head, tail = os.path.split(full)
        real = os.path.join(_real_dir(head), tail)
    root = _real_dir(os.path.abspath(config.root))
    if real == root:
        return Path(".")
    prefix = root if root.endswith(os.sep) else root + os.sep
    if real.startswith(prefix):
        return Path(real[len(prefix):])
    return path


_rel = rel_path


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
        return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()
    except ValueError:  # other drive on Windows
        return path.as_posix()


def discover(config: Config, args: Sequence[str], *, respect_gitignore: bool = True,
             prune: Collection[str] = ()) -> tuple[list[Path], list[PsenseError]]:
    """Expand the command-line paths into Markdown files, in a stable order. In a
    folder, files git ignores are skipped (``respect_gitignore``); a file named
    on the command line is linted even when git ignores it."""
    files: list[Path] = []
    errors: list[PsenseError] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = []
            ignored = None
            if respect_gitignore:
                from psense_lint import gitignore

                root = gitignore.repo_root(path)
                ignored = gitignore.Ignored(root) if root is not None else None
            if ignored is not None and ignored(path, True):
                ignored = None  # the user named an ignored folder: lint it
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not (
                    ignored is not None and ignored(Path(dirpath, d), True)) and not (
                    prune and os.path.abspath(os.path.join(dirpath, d)) in prune))
                for name in sorted(filenames):
                    candidate = Path(dirpath, name)
                    if ignored is not None and ignored(candidate):
                        continue
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


def read_bytes(path, shown: str, limit: int | None = None) -> bytes:
    """The bytes of a Markdown file: a regular file of at most ``limit`` bytes
    (default MAX_BYTES; a FIFO, device or socket is refused without blocking; see
    safeio), else InputError."""
    import errno

    from psense_lint.safeio import ReadError, read_regular

    try:
        return read_regular(path, MAX_BYTES if limit is None else limit)
    except ReadError as exc:
        reason = f"{exc.reason}; {SIZE_HINT}" if exc.code == errno.EFBIG else exc.reason
        raise InputError(reason, path=shown) from None


def read(config: Config, path: Path, shown: str | None = None,
         rel: Path | None = None) -> Source:
    """The source of one Markdown file, or InputError. ``shown``: the path findings
    print (default: relative to the working directory); ``rel``: the path config
    globs see (default: rel_path)."""
    shown = _display(path) if shown is None else shown
    data = read_bytes(path, shown, config.max_file_size)
    return Source(shown, _rel(config, path) if rel is None else rel, decode(data, shown),
                  Path(path))


def read_stream(config: Config, stream, name: str) -> Source:
    """A Source from a binary stream (standard input) shown as ``name``: read with
    the same bound as files, else the same one-line InputError."""
    from psense_lint.safeio import too_large

    limit = config.max_file_size
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{too_large(None, limit)}; {SIZE_HINT}", path=name)
    return Source(name, rel_path(config, Path(name)), decode(data, name))


def reread(config: Config, src: Source) -> Source:
    """``src`` with its text: as it is, or read again from its file (a source
    dropped after its cache lookup, see ``session.py``), or InputError."""
    if src.text is not None:
        return src
    return read(config, src.file, src.path, src.rel)
