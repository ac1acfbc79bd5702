"""Load a project once: its config file and the rule packs it names.

``load_project`` is what every front end calls (CLI, pre-commit hook, MkDocs
plugin, the worker processes of a lint session): the built-in rules decide
which rule ids the config may name, the packs the config adds are loaded, and
the config is read again against them (with the command line's overrides, if
any). The ``Project`` it returns is a plain record: the config, the merged
pack, the files both were read from and ``settings``, the results-cache key of
everything but a file's own text.

Under ``mkdocs serve`` the previous project is passed back in and returned as
it is (nothing parsed) unless one of the files it was read from changed, or a
config file appeared or disappeared.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Mapping, NamedTuple

from psense_lint.config import Config, find_config, load_config
from psense_lint.rulepack import RulePack, load_pack


class Project(NamedTuple):
    config: Config
    pack: RulePack
    config_file: Path | None     # the file read, None when running on the defaults
    start: Path                  # where the search for a config file starts
    explicit: bool               # config_file was named (not found by searching)
    cli: tuple                   # command-line overrides, as (key, value) pairs
    root: Path | None            # with no config file: where globs are relative to
    signature: str               # digest of the files read: changes when one does
    settings: str                # psense_lint.cache.settings_key(config, pack)

    @property
    def sources(self) -> tuple[Path, ...]:
        """The rule pack files, built-in ones first."""
        return tuple(Path(p) for p in self.pack.sources)

    @property
    def watch_paths(self) -> tuple[Path, ...]:
        """Files whose change should trigger a rebuild: the config file and the
        rule packs it adds (the built-in packs are package data)."""
        paths = [self.config_file] if self.config_file is not None else []
        paths += [Path(p) for p in self.config.rule_files]
        return tuple(p for p in paths if p.is_file())

    @property
    def ref(self) -> tuple:
        """What a worker process needs to load the same project (picklable)."""
        return (self.config_file if self.explicit else None, self.start, self.cli,
                self.root, self.settings)


def _signature(config_file: Path | None, packs) -> str:
    from psense_lint.cache import hash_files

    h = hashlib.sha256()
    hash_files(h, ([config_file] if config_file is not None else []) + list(packs))
    return h.hexdigest()


def _fresh_pack(extra: tuple[Path, ...]) -> RulePack:
    # load_pack caches by file names; a pack's content may have changed since (under
    # `mkdocs serve`, or between two calls in one process), so read the files again
    # (the per-user pack cache makes that cheap).
    return load_pack.__wrapped__(extra)


def load_project(config_file: Path | None, start: Path, *,
                 cli: Mapping[str, Any] | None = None,
                 previous: Project | None = None, root: Path | None = None) -> Project:
    """Load the project (or reuse ``previous``). ``config_file``: an explicit file,
    else the nearest ``.psense.yml`` / ``.psense.yaml`` / ``pyproject.toml`` at or
    above ``start``. ``cli``: command-line overrides (see config.load_config).
    ``root``: when no config file is found, the folder the config's globs are
    relative to (default: ``start``); the results cache then lives in ``start``
    all the same (the project: the CLI passes the git work tree or the folder
    linted), never in an unrelated working directory.
    Raises psense_lint.model.ConfigError for a broken config or pack."""
    from psense_lint.cache import settings_key
    from psense_lint.checks.registry import validate

    start = Path(os.path.abspath(start))
    explicit = config_file is not None
    path = Path(os.path.abspath(config_file)) if explicit else find_config(start)
    overrides = tuple(sorted((cli or {}).items()))
    root = Path(os.path.abspath(root)) if root is not None else None
    if (previous is not None and previous.config_file == path and previous.start == start
            and previous.explicit == explicit and previous.cli == overrides
            and previous.root == root
            and previous.signature == _signature(path, previous.sources)):
        return previous
    pack = _fresh_pack(())
    config = load_config(path, start=start, known_rules=set(pack.rules))
    if config.rule_files:
        pack = _fresh_pack(tuple(config.rule_files))
    validate(pack)  # every rule's check names a mechanism
    if config.rule_files or overrides:
        config = load_config(path, start=start, known_rules=set(pack.rules),
                             cli=dict(overrides) or None)
    if path is None and root is not None:
        import dataclasses

        from psense_lint.cache import DEFAULT_NAME

        config = dataclasses.replace(config, root=root,
                                     cache_dir=config.cache_dir or start / DEFAULT_NAME)
    return Project(config, pack, path, start, explicit, overrides, root,
                   _signature(path, pack.sources), settings_key(config, pack))
