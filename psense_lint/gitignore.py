"""Which files git ignores, by git's own rules, for linting folders.

Inside a git work tree, ``.gitignore`` files (the one of each folder applies to
what is under it, and a deeper one overrides a higher one), then the
repository's ``.git/info/exclude``. Patterns are gitignore patterns (via
``pathspec``): ``!`` re-includes, a trailing ``/`` matches folders, and a file in
an ignored folder stays ignored (git does not look inside it). Outside a git
work tree nothing is ignored, as for git. The user's global excludes file is
not read: what one person's machine ignores should not change a team's results.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path


def repo_root(start: Path) -> Path | None:
    """The work tree holding ``start`` (the nearest folder with a ``.git``), or None."""
    here = Path(os.path.abspath(start))
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return None


@functools.lru_cache(maxsize=1024)
def _spec(path: str):
    """The compiled patterns of one ignore file, or None (missing, unreadable, empty)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    from pathspec import GitIgnoreSpec

    spec = GitIgnoreSpec.from_lines(lines)
    return spec if len(spec) else None


class Ignored:
    """``Ignored(root)(path, is_dir)``: does git ignore this path? ``root`` is the
    work tree; paths are absolute or relative to the cwd, inside the work tree."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.abspath(root))
        _spec.cache_clear()  # ignore files may have changed since the last run
        self.exclude = _spec(str(self.root / ".git" / "info" / "exclude"))

    def __call__(self, path: Path, is_dir: bool = False) -> bool:
        full = Path(os.path.abspath(path))
        try:
            rel = full.relative_to(self.root)
        except ValueError:
            return False
        parts = rel.parts
        if not parts:
            return False
        # a file under an ignored folder is ignored whatever the deeper files say
        for depth in range(1, len(parts)):
            if self._decide(parts[:depth], True):
                return True
        return self._decide(parts, is_dir)

    def _decide(self, parts: tuple[str, ...], is_dir: bool) -> bool:
        """The verdict of the ignore files for this path alone: the deepest file
        with a matching pattern decides, then info/exclude."""
        for level in range(len(parts) - 1, -1, -1):
            spec = _spec(str(self.root.joinpath(*parts[:level], ".gitignore")))
            if spec is not None:
                verdict = _check(spec, parts[level:], is_dir)
                if verdict is not None:
                    return verdict
        if self.exclude is not None:
            verdict = _check(self.exclude, parts, is_dir)
            if verdict is not None:
                return verdict
        return False


def _check(spec, parts: tuple[str, ...], is_dir: bool) -> bool | None:
    rel = "/".join(parts) + ("/" if is_dir else "")
    return spec.check_file(rel).include

