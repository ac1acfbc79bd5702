"""The psense-lint settings a docs site is linted with: the ``.psense.yml`` the CLI
reads and the rule packs it names, loaded the way the CLI loads them.

Two speeds. ``load_project(quick=True)`` reads the config in full but takes only
the rule ids from the packs (PyYAML's C loader: a few ms, where the full,
position-keeping parse takes ~150 ms), which is all that is needed to validate
the config and compute the results-cache key. That is enough for a warm build:
a cache hit means these exact config and pack bytes were loaded in full and
linted with before (the key covers them). As soon as a page must be linted,
``complete`` loads the packs in full; a broken pack is reported then.

Under ``mkdocs serve`` the previous ``Project`` is passed back in and returned
as is (nothing parsed) unless one of the files it was read from changed, or a
config file appeared or disappeared.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import NamedTuple

from psense_lint.cache import hash_files
from psense_lint.config import Config, find_config, load_config
from psense_lint.rulepack import RulePack, builtin_files, load_pack


class Project(NamedTuple):
    config: Config
    pack: RulePack | None        # None: packs not parsed in full yet (see complete())
    sources: tuple[Path, ...]    # the rule pack files, built-in ones first
    config_file: Path | None     # the file read, None when running on the defaults
    start: Path                  # where the search for a config file starts
    explicit: bool               # config_file was named (not found by searching)
    signature: str               # digest of the files read: changes when one does
    settings: str                # psense_lint.cache.settings_key(config, pack)

    @property
    def watch_paths(self) -> tuple[Path, ...]:
        """Files whose change should trigger a rebuild: the config file and the
        rule packs it adds (the built-in packs are package data)."""
        paths = [self.config_file] if self.config_file is not None else []
        paths += [Path(p) for p in self.config.rule_files]
        return tuple(p for p in paths if p.is_file())


class _PackFiles(NamedTuple):
    """What settings_key reads of a pack: which files it came from."""

    sources: tuple[Path, ...]


def _signature(config_file: Path | None, packs) -> str:
    h = hashlib.sha256()
    hash_files(h, ([config_file] if config_file is not None else []) + list(packs))
    return h.hexdigest()


def _fresh_pack(extra: tuple[Path, ...]) -> RulePack:
    # load_pack caches by file names; under `mkdocs serve` a pack's content may have
    # changed since, so read the files again.
    return getattr(load_pack, "__wrapped__", load_pack)(extra)


def _rule_ids(files) -> set[str]:
    """The rule ids the packs define, from a plain YAML parse (no validation)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    ids: set[str] = set()
    for path in files:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)
        if data is None:
            continue
        rules = data.get("rules") if isinstance(data, dict) else None
        if not isinstance(data, dict) or not isinstance(rules, (dict, type(None))):
            raise ValueError(f"{path}: not a rule pack")
        ids.update(str(k) for k in rules or ())
    return ids


def _quick(path: Path | None, start: Path, explicit: bool) -> Project | None:
    from psense_lint.cache import settings_key

    try:
        builtin = tuple(builtin_files())
        ids = _rule_ids(builtin)
        config = load_config(path, start=start, known_rules=ids)
        extra = tuple(config.rule_files)
        if extra:
            ids |= _rule_ids(extra)
            config = load_config(path, start=start, known_rules=ids)
        sources = builtin + extra
        settings = settings_key(config, _PackFiles(sources))
    except Exception:  # anything odd: the full load decides (and reports errors)
        return None
    return Project(config, None, sources, path, start, explicit, _signature(path, sources),
                   settings)


def _full(path: Path | None, start: Path, explicit: bool) -> Project:
    from psense_lint.cache import settings_key

    # as the CLI does: the built-in rules decide which ids the config may name, then
    # the packs the config adds are loaded and the config is read again against them
    pack = _fresh_pack(())
    config = load_config(path, start=start, known_rules=set(pack.rules))
    if config.rule_files:
        pack = _fresh_pack(tuple(config.rule_files))
        config = load_config(path, start=start, known_rules=set(pack.rules))
    from psense_lint.checks import validate

    validate(pack)
    sources = tuple(Path(p) for p in pack.sources)
    return Project(config, pack, sources, path, start, explicit, _signature(path, sources),
                   settings_key(config, pack))


def load_project(config_file: Path | None, start: Path, previous: Project | None = None,
                 *, quick: bool = False) -> Project:
    """Load (or reuse ``previous``). ``config_file``: an explicit file, else the
    nearest ``.psense.yml`` / ``.psense.yaml`` / ``pyproject.toml`` at or above
    ``start``. Raises psense_lint.model.ConfigError for a broken config (and, unless
    ``quick``, a broken pack)."""
    start = Path(os.path.abspath(start))
    explicit = config_file is not None
    path = Path(os.path.abspath(config_file)) if explicit else find_config(start)
    if (previous is not None and previous.config_file == path and previous.start == start
            and previous.explicit == explicit and (previous.pack is not None or quick)
            and previous.signature == _signature(path, previous.sources)):
        return previous
    if quick:
        project = _quick(path, start, explicit)
        if project is not None:
            return project
    return _full(path, start, explicit)


def complete(project: Project) -> Project:
    """The project with its packs loaded in full (raises ConfigError for a broken
    pack). Its ``settings`` are recomputed from the real pack."""
    if project.pack is not None:
        return project
    return _full(project.config_file, project.start, project.explicit)
