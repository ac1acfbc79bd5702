"""Configuration: find the config file, validate it, and answer per-file questions.

Sources, first found wins: ``--config FILE``; else, walking up from the start
directory, ``.psense.yml``, ``.psense.yaml`` or a ``pyproject.toml`` that has a
``[tool.psense-lint]`` table (checked in that order in each directory). No config
means the defaults. Globs are relative to the directory holding the config file.

Globs are gitignore patterns (compiled by pathspec): ``**`` matches any number of
directories, ``*`` and ``?`` do not cross ``/``, ``[abc]``/``[!abc]`` classes, ``\\``
escapes, a pattern without a ``/`` matches at any depth, one with a ``/`` (or
starting with ``./``) is anchored at the root, a trailing ``/`` matches folders
only, a pattern that names a folder matches everything under it (except in
``include``, which names files), and ``!`` re-includes what an earlier pattern of
the same list matched. ``{a,b}`` alternatives are expanded first, as before.
"""
from __future__ import annotations

import dataclasses
import difflib
import functools
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection, Iterator, Mapping

from psense_lint.model import SEVERITIES, ConfigError

try:  # Python 3.11+
    import tomllib as _toml
except ImportError:  # pragma: no cover - Python 3.10
    try:
        import tomli as _toml  # type: ignore[no-redef]
    except ImportError:
        _toml = None  # type: ignore[assignment]

CONFIG_NAMES = (".psense.yml", ".psense.yaml", "pyproject.toml")
PYPROJECT_TABLE = "tool.psense-lint"
FAIL_ON_LEVELS = SEVERITIES + ("never",)
MAX_CONFIG_BYTES = 4 * 1024 * 1024  # a config file larger than this is refused


class FrozenMap(Mapping[str, str]):
    """A small immutable, hashable mapping (keeps Config hashable)."""

    __slots__ = ("_d",)

    def __init__(self, data: Mapping[str, str] | Any = ()) -> None:
        self._d = dict(data)

    def __getitem__(self, key: str) -> str:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __hash__(self) -> int:
        return hash(frozenset(self._d.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({self._d!r})"


# ---------------------------------------------------------------- the schema
#
# Every setting is declared once, as a field of Config (or Override) made by
# _setting(): its kind (the _Parser method that checks and converts a value), and
# how a command-line value combines with the file's. The file spells a field in
# kebab-case (``fail-on``; ``fail_on`` is accepted too); validation, the
# command-line keys and --show-config are all read off these declarations.

_REQUIRED = dataclasses.MISSING


def _setting(kind: str, default: Any = _REQUIRED, *, cli: str | None = "set", **args: Any):
    """A declared setting. ``cli``: "set" (a command-line value replaces the
    file's), "add" (appends to it), "merge" (updates the mapping), None (no
    command-line form). ``args`` go to the kind's method."""
    meta = {"kind": kind, "cli": cli, "args": args}
    if default is _REQUIRED:
        return dataclasses.field(metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


@dataclass(frozen=True)
class Override:
    """Settings for the files matching ``files``. ``select`` (when given) replaces
    the selection for those files; ``ignore`` removes rules; ``severity`` adds
    per-rule levels. Later overrides win."""

    files: tuple[str, ...] = _setting("globs")
    select: tuple[str, ...] | None = _setting("rules", None)
    ignore: tuple[str, ...] = _setting("rules", ())
    severity: Mapping[str, str] = _setting("levels", FrozenMap())

    def __post_init__(self) -> None:
        _freeze(self)


DEFAULT_INCLUDE = ("**/*.md", "**/*.markdown", "**/*.mdx")
# Per file (README: "Limits"): ~7x the largest of 550 real design docs (150 KB); the
# worst Markdown measured at this size lints in under a minute within ~1.7 GB.
DEFAULT_MAX_FILE_SIZE = 1024 * 1024
MAX_FILE_SIZE_CEILING = 64 * 1024 * 1024  # what max-file-size may be raised to
_SIZE = re.compile(r"\s*([0-9]{1,12})\s*(b|k|kb|kib|m|mb|mib)?\s*", re.I)
_UNITS = {None: 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024,
          "m": 1024 * 1024, "mb": 1024 * 1024, "mib": 1024 * 1024}
DEFAULT_DESIGN_DOCS = ("**/design*/**", "**/rfc*/**", "**/adr*/**", "**/decisions/**",
                       "**/proposals/**", "**/keps/**")


@dataclass(frozen=True)
class Config:
    root: Path                  # directory globs are relative to
    source: Path | None         # the config file, or None
    include: tuple[str, ...] = _setting("globs", DEFAULT_INCLUDE)
    exclude: tuple[str, ...] = _setting("globs", (), cli="add")
    select: tuple[str, ...] = _setting("rules", ("ALL",))
    ignore: tuple[str, ...] = _setting("rules", ())
    severity: Mapping[str, str] = _setting("levels", FrozenMap(), cli="merge")
    overrides: tuple[Override, ...] = _setting("records", (), cli=None, of=Override)
    fail_on: str = _setting("choice", "warning", choices=FAIL_ON_LEVELS)
    rule_files: tuple[Path, ...] = _setting("files", (), cli="add")
    pipeline: str = _setting("text", "blank")
    design_docs: tuple[str, ...] = _setting("globs", DEFAULT_DESIGN_DOCS)
    cache_dir: Path | None = _setting("path", None)      # None means root/.psense_cache
    jobs: int | None = _setting("positive_int", None)    # None = number of CPUs
    max_file_size: int = _setting("size", DEFAULT_MAX_FILE_SIZE)  # bytes; larger: exit 2

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))
        if self.source is not None:
            object.__setattr__(self, "source", Path(self.source))
        _freeze(self)


# more keys that add to a setting ("add" kind): key -> field
_EXTENDS = {"extend_exclude": "exclude"}

# each kind's immutable form (keeps Config hashable)
_FROZEN = {"globs": tuple, "rules": tuple, "records": tuple, "levels": FrozenMap,
           "files": lambda v: tuple(map(Path, v)), "path": Path}


def _freeze(record) -> None:
    for f in _settings(type(record)):
        value = getattr(record, f.name)
        if value is not None and f.metadata["kind"] in _FROZEN:
            object.__setattr__(record, f.name, _FROZEN[f.metadata["kind"]](value))


def _settings(cls) -> tuple[dataclasses.Field, ...]:
    return tuple(f for f in dataclasses.fields(cls) if "kind" in f.metadata)


def _kebab(name: str) -> str:
    return name.replace("_", "-")


@functools.lru_cache(maxsize=None)
def _spellings(cls) -> dict[str, str]:
    """Each key as a file may write it (kebab- or snake-case) -> field name."""
    names = [f.name for f in _settings(cls)] + [n for n in _EXTENDS if cls is Config]
    return {spelled: name for name in names for spelled in dict.fromkeys((_kebab(name), name))}


# ---------------------------------------------------------------- discovery

def _has_table(path: Path) -> bool:
    """Does this pyproject.toml have a [tool.psense-lint] table?"""
    from psense_lint.safeio import ReadError, read_regular

    try:
        raw = read_regular(path, MAX_CONFIG_BYTES)
    except ReadError:
        return False
    if b"psense-lint" not in raw:  # fast path; also ignores unrelated broken files
        return False
    data = _parse_toml(_decode_config(raw, path), path)
    tool = data.get("tool")
    return isinstance(tool, dict) and "psense-lint" in tool


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a directory, or a file whose
    directory is used), or None."""
    here = Path(os.path.abspath(start))
    if here.is_file():
        here = here.parent
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and not _has_table(candidate):
                continue
            return candidate
    return None


# ---------------------------------------------------------------- reading

def _decode_config(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError("config file is not UTF-8 text", path=str(path), line=line) from None


def _parse_problem(exc, path: Path, kind: str) -> ConfigError:
    return ConfigError(f"invalid {kind}: {exc.message}", path=str(path), line=exc.line,
                       column=exc.column)


def _parse_toml(text: str, path: Path) -> dict:
    from psense_lint.safeio import ParseProblem, load_toml

    if _toml is None:  # pragma: no cover - Python 3.10 without tomli
        raise ConfigError("reading TOML needs Python 3.11+ or the 'tomli' package",
                          path=str(path))
    try:
        return load_toml(text, _toml)
    except ParseProblem as exc:
        raise _parse_problem(exc, path, "TOML") from None
    except _toml.TOMLDecodeError as exc:
        message = " ".join(str(exc).split())
        line = column = None
        m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if m:
            line, column = int(m.group(1)), int(m.group(2))
            message = message[: m.start()]
        elif message.endswith("(at end of document)"):
            message = message[: -len("(at end of document)")].rstrip()
            line = max(1, len(text.splitlines()))
        raise ConfigError(f"invalid TOML: {message}", path=str(path), line=line,
                          column=column) from None


def _parse_yaml(text: str, path: Path):
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from psense_lint.safeio import ParseProblem, load_yaml

    try:  # round-trip loader: line info, no arbitrary objects, no aliases
        return load_yaml(text)
    except ParseProblem as exc:
        raise _parse_problem(exc, path, "YAML") from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(exc.problem or exc.context or "syntax error").split())
        raise ConfigError(f"invalid YAML: {problem}", path=str(path),
                          line=mark.line + 1 if mark else None,
                          column=mark.column + 1 if mark else None) from None
    except YAMLError as exc:
        first = (str(exc).strip().splitlines() or ["syntax error"])[0]
        raise ConfigError(f"invalid YAML: {first}", path=str(path)) from None


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__}"


# ---------------------------------------------------------------- locating errors

_Pos = tuple  # (line | None, column | None), 1-based


class _NoLoc:
    """Command-line values: no position."""

    def top(self, node):
        return None, None

    def key(self, node, path, key):
        return None, None

    def value(self, node, path, key):
        return None, None

    def item(self, node, path, key, index, value):
        return None, None


class _YamlLoc(_NoLoc):
    """Positions from ruamel's round-trip nodes (0-based -> 1-based)."""

    def top(self, node):
        try:
            return node.lc.line + 1, node.lc.col + 1
        except AttributeError:
            return 1, 1

    def key(self, node, path, key):
        try:
            line, col = node.lc.key(key)
            return line + 1, col + 1
        except (AttributeError, KeyError, TypeError):
            return self.top(node)

    def value(self, node, path, key):
        try:
            line, col = node.lc.value(key)
            return line + 1, col + 1
        except (AttributeError, KeyError, TypeError):
            return self.key(node, path, key)

    def item(self, node, path, key, index, value):
        seq = node.get(key) if isinstance(node, Mapping) else None
        if index is not None and isinstance(seq, list):
            try:
                line, col = seq.lc.item(index)
                return line + 1, col + 1
            except (AttributeError, KeyError, TypeError):
                pass
        return self.value(node, path, key)


_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*(\]\]?)\s*(?:#.*)?$")


class _TomlLoc(_NoLoc):
    """Best-effort positions in TOML text: tables are found by their headers, keys
    by scanning the lines of their table."""

    def __init__(self, text: str, table: str) -> None:
        self.lines = text.splitlines()
        self.regions: dict[tuple, tuple[int, int]] = {}  # path -> (header idx, end idx)
        prefix = table.split(".") if table else []
        starts: list[tuple[int, tuple | None]] = []
        if not table:
            starts.append((-1, ()))
        arrays: dict[tuple, int] = {}
        last_array: tuple | None = None
        for idx, line in enumerate(self.lines):
            m = _HEADER_RE.match(line)
            if not m:
                continue
            parts = [p.strip().strip("\"'") for p in m.group(2).split(".")]
            if parts[: len(prefix)] != prefix:
                starts.append((idx, None))
                continue
            sub = tuple(parts[len(prefix):])
            if m.group(1) == "[[":
                n = arrays.get(sub, 0)
                arrays[sub] = n + 1
                path = sub + (n,)
                last_array = path
            elif last_array is not None and sub[: len(last_array) - 1] == last_array[:-1] \
                    and len(sub) > len(last_array) - 1:
                path = last_array + sub[len(last_array) - 1:]
            else:
                path = sub
            starts.append((idx, path))
        for i, (idx, path) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else len(self.lines)
            if path is not None and path not in self.regions:
                self.regions[path] = (idx, end)
        self.inline: set[tuple] = set()
        if table and () not in self.regions:  # [tool] psense-lint = { ... }
            last = table.split(".")[-1]
            pat = re.compile(rf"\s*(?:{re.escape(prefix[0])}\s*\.\s*)?([\"']?){re.escape(last)}"
                             rf"\1\s*=")
            for idx, line in enumerate(self.lines):
                if pat.match(line):
                    self.regions[()] = (idx, idx + 1)
                    self.inline.add(())
                    break

    def _region(self, path: tuple) -> tuple[tuple, tuple[int, int]] | None:
        while True:
            if path in self.regions:
                return path, self.regions[path]
            if not path:
                return None
            path = path[:-1]

    def _header_pos(self, idx: int):
        return (idx + 1, 1) if idx >= 0 else (1, 1)

    def top(self, node):
        found = self._region(())
        return self._header_pos(found[1][0]) if found else (None, None)

    def _find_key(self, path, key):
        """(line idx, col idx) of ``key =`` in the table at ``path`` (or of the
        header of the sub-table ``path.key``); None if not found."""
        sub = tuple(path) + (key,)
        if sub in self.regions or sub + (0,) in self.regions:
            idx = self.regions.get(sub, self.regions.get(sub + (0,)))[0]
            return idx, 0
        found = self._region(tuple(path))
        if not found:
            return None
        owner, (start, end) = found
        k = re.escape(str(key))
        exact = owner == tuple(path) and owner not in self.inline
        pattern = (re.compile(rf"^\s*([\"']?){k}\1\s*=") if exact
                   else re.compile(rf"(?<![\w-])([\"']?){k}\1\s*="))
        for idx in range(start + (owner not in self.inline), end):
            m = pattern.search(self.lines[idx])
            if m:
                return idx, m.start(1) if exact else m.start()
        return None

    def key(self, node, path, key):
        hit = self._find_key(path, key)
        if hit:
            return hit[0] + 1, hit[1] + 1
        found = self._region(tuple(path))
        return self._header_pos(found[1][0]) if found else (None, None)

    def value(self, node, path, key):
        hit = self._find_key(path, key)
        if not hit:
            return self.key(node, path, key)
        idx, col = hit
        line = self.lines[idx]
        eq = line.find("=", col)
        if eq < 0:
            return idx + 1, col + 1
        rest = line[eq + 1:]
        return idx + 1, eq + 2 + (len(rest) - len(rest.lstrip()))

    def item(self, node, path, key, index, value):
        hit = self._find_key(path, key)
        if not hit or not isinstance(value, str):
            return self.value(node, path, key)
        idx, col = hit
        found = self._region(tuple(path))
        end = found[1][1] if found else len(self.lines)
        needles = [f'"{value}"', f"'{value}'"]
        for i in range(idx, max(end, idx + 1)):
            text = self.lines[i]
            offset = text.find("=", col) + 1 if i == idx else 0
            positions = [p for p in (text.find(n, offset) for n in needles) if p >= 0]
            if positions:
                return i + 1, min(positions) + 1
        return self.value(node, path, key)


# ---------------------------------------------------------------- validation

def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _norm_selector(sel: str, known: frozenset[str]) -> str | None:
    """The selector as stored, or None if it names no known rule."""
    for candidate in (sel, sel.upper()):
        if candidate == "ALL" or (candidate and any(r.startswith(candidate) for r in known)):
            return candidate
    return None


class _Parser:
    """Checks values against the declared settings. Each kind of value is a
    method ``(label, value, node, path, key, **args) -> converted value``;
    ``node``/``path``/``key`` say where the value is, for the error's position."""

    def __init__(self, file: str | None, loc: _NoLoc, known: frozenset[str],
                 base: Path) -> None:
        self.file = file
        self.loc = loc
        self.known = known
        self.base = base      # relative paths are resolved against this

    def fail(self, message: str, pos: _Pos = (None, None)):
        raise ConfigError(message, path=self.file, line=pos[0], column=pos[1])

    def setting(self, field: dataclasses.Field, label, value, node, path, key):
        return getattr(self, field.metadata["kind"])(label, value, node, path, key,
                                                     **field.metadata["args"])

    def record(self, cls, label: str, data: Mapping, node, path,
               whole: _Pos = (None, None)) -> dict[str, Any]:
        """The settings mapping ``data`` for the dataclass ``cls``: field name ->
        converted value (null means the default). Unknown and duplicate keys are
        errors, and so is a missing required one (reported at ``whole``)."""
        spellings = _spellings(cls)
        fields = {f.name: f for f in _settings(cls)}
        prefix = f"{label}: " if label else ""
        seen: dict[str, str] = {}
        for key in data:
            name = spellings.get(key) if isinstance(key, str) else None
            if name is None:
                self.fail(f"{prefix}unknown key {str(key)!r}"
                          f"{_did_you_mean(str(key), spellings)}", self.loc.key(node, path, key))
            if name in seen:
                self.fail(f"{prefix}duplicate key {key!r} (same as {seen[name]!r})",
                          self.loc.key(node, path, key))
            seen[name] = key
        for name, f in fields.items():
            if f.default is _REQUIRED and data.get(seen.get(name)) is None:
                self.fail(f"{prefix}missing required key {_kebab(name)!r}", whole)
        out: dict[str, Any] = {}
        for key, value in data.items():
            if value is None:
                continue
            name = spellings[key]
            where = f"{label}.{key}" if label else str(key)
            out[name] = self.setting(fields.get(name) or fields[_EXTENDS[name]], where,
                                     value, node, path, key)
        return out

    # --- the kinds of value

    def names(self, label, value, node, path, key) -> tuple[str, ...]:
        """A string or a list of non-empty strings."""
        if isinstance(value, (str, os.PathLike)):
            items = [(None, value)]
        elif isinstance(value, (list, tuple)):
            items = list(enumerate(value))
        else:
            self.fail(f"{label}: expected a string or a list of strings, got "
                      f"{_type_name(value)}", self.loc.value(node, path, key))
        out = []
        for i, item in items:
            if isinstance(item, os.PathLike):
                item = os.fspath(item)
            where = label if i is None else f"{label}[{i}]"
            if not isinstance(item, str):
                self.fail(f"{where}: expected a string, got {_type_name(item)}",
                          self.loc.item(node, path, key, i, item))
            if not item.strip():
                self.fail(f"{where}: empty pattern", self.loc.item(node, path, key, i, item))
            out.append(str(item))
        return tuple(out)

    def globs(self, label, value, node, path, key) -> tuple[str, ...]:
        out = self.names(label, value, node, path, key)
        for i, item in enumerate(out):
            problem = glob_problem(item)
            if problem:
                index = i if isinstance(value, (list, tuple)) else None
                where = label if index is None else f"{label}[{i}]"
                self.fail(f"{where}: {problem}", self.loc.item(node, path, key, index, item))
        return out

    def rules(self, label, value, node, path, key) -> tuple[str, ...]:
        if isinstance(value, str):
            items = [(None, value, part) for part in re.split(r"[\s,]+", value) if part]
            if not items:
                self.fail(f"{label}: unknown rule {value!r}", self.loc.value(node, path, key))
        elif isinstance(value, (list, tuple)):
            items = []
            for i, item in enumerate(value):
                if not isinstance(item, str):
                    self.fail(f"{label}[{i}]: expected a rule id, got {_type_name(item)}",
                              self.loc.item(node, path, key, i, item))
                parts = [part for part in re.split(r"[\s,]+", item) if part]
                items.extend((i, item, part) for part in parts or [item.strip()])
        else:
            self.fail(f"{label}: expected a rule id or a list of rule ids, got "
                      f"{_type_name(value)}", self.loc.value(node, path, key))
        out = []
        for i, raw, sel in items:
            norm = _norm_selector(sel, self.known)
            if norm is None:
                pos = (self.loc.item(node, path, key, i, raw) if i is not None
                       else self.loc.item(node, path, key, None, sel))
                self.fail(f"{label}: unknown rule {sel!r}", pos)
            out.append(norm)
        return tuple(out)

    def levels(self, label, value, node, path, key) -> FrozenMap:
        if not isinstance(value, Mapping):
            self.fail(f"{label}: expected a mapping of rule ids to levels, got "
                      f"{_type_name(value)}", self.loc.value(node, path, key))
        out = {}
        sub = tuple(path) + (key,)
        for rule, level in value.items():
            norm = _norm_selector(rule, self.known) if isinstance(rule, str) else None
            if norm is None:
                self.fail(f"{label}: unknown rule {str(rule)!r}",
                          self.loc.key(value, sub, rule))
            if level not in SEVERITIES:
                shown = repr(level) if isinstance(level, str) else str(level)
                self.fail(f"{label}: invalid level {shown} for {norm!r} (expected info, "
                          f"warning or error)", self.loc.value(value, sub, rule))
            out[norm] = str(level)
        return FrozenMap(out)

    def choice(self, label, value, node, path, key, choices) -> str:
        if value not in choices:
            shown = repr(value) if isinstance(value, str) else str(value)
            self.fail(f"{label}: invalid value {shown} (expected "
                      f"{', '.join(choices[:-1])} or {choices[-1]})",
                      self.loc.value(node, path, key))
        return str(value)

    def text(self, label, value, node, path, key) -> str:
        if not isinstance(value, str) or not value.strip():
            got = "an empty string" if isinstance(value, str) else _type_name(value)
            self.fail(f"{label}: expected a non-empty string, got {got}",
                      self.loc.value(node, path, key))
        return value.strip()

    def positive_int(self, label, value, node, path, key) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            got = str(value) if isinstance(value, int) and not isinstance(value, bool) \
                else _type_name(value)
            self.fail(f"{label}: expected a positive integer, got {got}",
                      self.loc.value(node, path, key))
        return int(value)

    def size(self, label, value, node, path, key) -> int:
        """A number of bytes: an integer, or a string such as "512KB" or "2MB"
        (K and M are 1024-based), from 1 KB up to MAX_FILE_SIZE_CEILING."""
        m = _SIZE.fullmatch(value) if isinstance(value, str) else None
        if isinstance(value, int) and not isinstance(value, bool):
            n = value
        elif m:
            n = int(m.group(1)) * _UNITS[(m.group(2) or "").lower() or None]
        else:
            self.fail(f"{label}: expected a size such as 1MB or 512KB, got "
                      f"{value if isinstance(value, str) else _type_name(value)}",
                      self.loc.value(node, path, key))
        if not 1024 <= n <= MAX_FILE_SIZE_CEILING:
            self.fail(f"{label}: expected a size from 1KB to "
                      f"{MAX_FILE_SIZE_CEILING // (1024 * 1024)}MB, got {value}",
                      self.loc.value(node, path, key))
        return n

    def path(self, label, value, node, path, key) -> Path:
        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        if not isinstance(value, str) or not value.strip():
            got = "an empty string" if isinstance(value, str) else _type_name(value)
            self.fail(f"{label}: expected a path, got {got}", self.loc.value(node, path, key))
        return Path(os.path.abspath(self.base / os.path.expanduser(value)))

    def files(self, label, value, node, path, key) -> tuple[Path, ...]:
        names = self.names(label, value, node, path, key)
        out = []
        for i, name in enumerate(names):
            resolved = Path(os.path.abspath(self.base / os.path.expanduser(name)))
            if not resolved.is_file():
                index = i if isinstance(value, (list, tuple)) else None
                self.fail(f"{label}: no such file {name!r}",
                          self.loc.item(node, path, key, index, name))
            out.append(resolved)
        return tuple(out)

    def records(self, label, value, node, path, key, of) -> tuple:
        if not isinstance(value, (list, tuple)):
            self.fail(f"{label}: expected a list of mappings, got {_type_name(value)}",
                      self.loc.value(node, path, key))
        required = [_kebab(f.name) for f in _settings(of) if f.default is _REQUIRED]
        out = []
        for i, entry in enumerate(value):
            where = f"{label}[{i}]"
            whole = self.loc.item(node, path, key, i, entry)
            if not isinstance(entry, Mapping):
                with_ = f" with {', '.join(map(repr, required))}" if required else ""
                self.fail(f"{where}: expected a mapping{with_}, got {_type_name(entry)}",
                          whole)
            out.append(of(**self.record(of, where, entry, entry, tuple(path) + (key, i),
                                        whole)))
        return tuple(out)


# ---------------------------------------------------------------- loading

def _read_file(path: Path, known: frozenset[str]) -> dict[str, Any]:
    import errno

    from psense_lint.safeio import ReadError, read_regular

    shown = str(path)
    try:
        raw = read_regular(path, MAX_CONFIG_BYTES)  # regular files only, bounded
    except ReadError as exc:
        if exc.code == errno.ENOENT:
            raise ConfigError("config file not found", path=shown) from None
        if exc.code == errno.EISDIR:
            raise ConfigError("config file is a directory", path=shown) from None
        raise ConfigError(f"cannot read config file: {exc.reason}", path=shown) from None
    text = _decode_config(raw, path)
    base = Path(os.path.abspath(path)).parent

    if path.name.endswith(".toml"):
        data = _parse_toml(text, path)
        table = ""
        if path.name == "pyproject.toml":
            table = PYPROJECT_TABLE
            tool = data.get("tool")
            if not isinstance(tool, dict) or "psense-lint" not in tool:
                raise ConfigError("no [tool.psense-lint] table in this pyproject.toml",
                                  path=shown)
            data = tool["psense-lint"]
        loc = _TomlLoc(text, table)
        if not isinstance(data, dict):
            line, col = loc.top(data)
            raise ConfigError(f"[{table}] must be a table, got {_type_name(data)}",
                              path=shown, line=line, column=col)
        return _Parser(shown, loc, known, base).record(Config, "", data, data, ())

    from psense_lint.safeio import Unsure, fast_yaml

    try:  # PyYAML's C loader; ruamel's (below) only to place an error at file:line:col
        data = fast_yaml(text)
        if data is None or isinstance(data, Mapping):
            return _Parser(shown, _NoLoc(), known, base).record(Config, "", data or {},
                                                                 data or {}, ())
    except (Unsure, ConfigError):
        pass
    data = _parse_yaml(text, path)
    if data is None:
        return {}
    loc = _YamlLoc()
    if not isinstance(data, Mapping):
        line, col = loc.top(data)
        raise ConfigError(f"expected a mapping of settings at the top level, got "
                          f"{_type_name(data)}", path=shown, line=line, column=col)
    return _Parser(shown, loc, known, base).record(Config, "", data, data, ())


def _read_cli(cli: Mapping[str, object], known: frozenset[str]) -> dict[str, Any]:
    parser = _Parser(None, _NoLoc(), known, Path(os.getcwd()))
    fields = {f.name: f for f in _settings(Config) if f.metadata["cli"]}
    out: dict[str, Any] = {}
    for key, value in cli.items():
        name = key.replace("-", "_")
        field = fields.get(name) or fields.get(_EXTENDS.get(name, ""))
        if field is None:
            raise ValueError(f"unknown command-line config key {key!r}")
        if value is not None:
            out[name] = parser.setting(field, "--" + _kebab(key), value, None, (), key)
    return out


def load_config(path: Path | None, *, start: Path, known_rules: Collection[str],
                cli: Mapping[str, object] | None = None) -> Config:
    """The effective config. ``path`` is an explicit ``--config`` file (None: search
    from ``start``). ``cli`` holds command-line values (same names as the file keys,
    ``-`` or ``_``); each combines with the file's value as its field declares:
    ``exclude``/``extend_exclude`` and ``rule_files`` add to it, ``severity`` is
    merged, the others replace it."""
    known = frozenset(known_rules)
    start = Path(os.path.abspath(start))
    if start.is_file():
        start = start.parent
    if path is None:
        path = find_config(start)
    values: dict[str, Any] = {}
    if path is not None:
        values = _read_file(Path(path), known)
        root = Path(os.path.abspath(path)).parent
        source: Path | None = Path(os.path.abspath(path))
    else:
        root, source = start, None
    extra = _read_cli(cli or {}, known)
    settings: dict[str, Any] = {}
    for field in _settings(Config):
        name, how = field.name, field.metadata["cli"]
        names = (name, *(k for k, target in _EXTENDS.items() if target == name))
        if how == "add":
            parts = [got[n] for got in (values, extra) for n in names if n in got]
            if parts:
                settings[name] = sum(parts, ())
        elif how == "merge":
            if name in values or name in extra:
                settings[name] = FrozenMap({**values.get(name, {}), **extra.get(name, {})})
        elif name in extra or name in values:
            settings[name] = extra.get(name, values.get(name))
    return Config(root=root, source=source, **settings)


# ---------------------------------------------------------------- globs
#
# gitignore's patterns (compiled by pathspec), plus, as before: ``{a,b}``
# alternatives (expanded here, nested ones too), a leading ``./`` anchors like
# ``/``, and ``.`` alone means everything. A literal ``#`` or ``!`` at the start
# is what the pattern means (no comments); ``!`` negates as in a .gitignore.

def _expand_braces(pattern: str) -> list[str]:
    """``a{b,c}d`` -> [abd, acd]; ``\\{`` and an unclosed ``{`` are literal."""
    depth, start, commas, i = 0, -1, [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            if depth == 0:
                start, commas = i, []
            depth += 1
        elif c == "}" and depth:
            depth -= 1
            if depth == 0:
                cuts = [start, *commas, i]
                head, tail = pattern[:start], pattern[i + 1:]
                return [head + alt + rest
                        for a, b in zip(cuts, cuts[1:])
                        for alt in _expand_braces(pattern[a + 1:b])
                        for rest in _expand_braces(tail)]
        elif c == "," and depth == 1:
            commas.append(i)
        i += 1
    if depth:  # unclosed: the "{" is literal, braces after it may still pair
        return [pattern[:start + 1] + rest for rest in _expand_braces(pattern[start + 1:])]
    return [pattern]


def _gitignore_lines(pattern: str) -> list[str]:
    p = pattern.strip()
    negate = p.startswith("!")
    if negate:
        p = p[1:]
    out = []
    for q in _expand_braces(p):
        anchored = q.startswith(("/", "./"))
        q = q.lstrip("/")
        while q.startswith("./"):
            q = q[2:].lstrip("/")
        if q in ("", "."):
            q = "**"
        elif anchored:
            q = "/" + q
        elif q[0] in "#!":
            q = "\\" + q
        out.append(("!" if negate else "") + q)
    return out


@functools.lru_cache(maxsize=512)
def _compile(patterns: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], bool, bool], ...]:
    """(regex, includes?, directory-only?) per pattern line, in order."""
    from pathspec import GitIgnoreSpec

    lines = [line for p in patterns for line in _gitignore_lines(p)]
    out = []
    for line, pat in zip(lines, GitIgnoreSpec.from_lines(lines).patterns):
        if pat.include is None:  # gitignore would ignore the line: match nothing
            raise ValueError("an unclosed '[' (write '\\[' to match a '[')" if "[" in line
                             else "not a gitignore pattern")
        out.append((pat.regex, bool(pat.include), line.endswith("/")))
    return tuple(out)


def glob_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a glob, or None."""
    try:
        _compile((pattern,))
    except Exception as exc:  # ours, or pathspec's GitWildMatchPatternError
        return f"invalid pattern {pattern!r}: {exc}".splitlines()[0]
    return None


def _matches(patterns: tuple[str, ...], rel: str, tree: bool) -> bool:
    """Does the last pattern matching ``rel`` include it (gitignore's order)?
    ``tree``: a pattern naming a directory matches everything under it, as in
    gitignore; without it (include) a pattern must match the file itself, unless
    it ends with ``/``."""
    hit = False
    for regex, include, dir_only in _compile(patterns):
        m = regex.search(rel)  # as pathspec matches
        if m and (tree or dir_only or m.groupdict().get("ps_d") is None):
            hit = include
    return hit


def _relpath(config: Config, path: Path | str) -> str:
    """``path`` relative to the root, posix form. A relative path is taken as already
    relative to the root; an absolute one outside the root is returned as given."""
    p = Path(path)
    if p.is_absolute():
        root = Path(os.path.abspath(config.root))
        for a, b in ((Path(os.path.abspath(p)), root), (p.resolve(), root.resolve())):
            try:
                rel = a.relative_to(b).as_posix()
                return "" if rel == "." else rel
            except ValueError:
                continue
        return p.as_posix()
    rel = p.as_posix()
    while rel.startswith("./"):
        rel = rel[2:]
    return rel


def is_included(config: Config, path: Path) -> bool:
    rel = _relpath(config, path)
    if _matches(config.exclude, rel, tree=True):
        return False
    return _matches(config.include, rel, tree=False)


def is_design_doc_path(config: Config, path: Path) -> bool:
    return _matches(config.design_docs, _relpath(config, path), tree=True)


# ---------------------------------------------------------------- rules per file

def _specificity(selectors, rule: str) -> int:
    """Length of the longest selector matching ``rule`` ("ALL" = 0), or -1."""
    best = -1
    for sel in selectors:
        if sel == "ALL":
            best = max(best, 0)
        elif rule.startswith(sel):
            best = max(best, len(sel))
    return best


def _selected(rules, select, ignore) -> set[str]:
    """Like ruff: a rule is on if selected, unless an equally or more specific
    ignore matches it."""
    out = set()
    for rule in rules:
        s = _specificity(select, rule)
        if s >= 0 and s > _specificity(ignore, rule):
            out.add(rule)
    return out


def _level(severity: Mapping[str, str], rule: str) -> str | None:
    best, level = -1, None
    for sel, lvl in severity.items():
        s = _specificity((sel,), rule)
        if s > best:
            best, level = s, lvl
    return level


def rules_for(config: Config, path: Path, all_rules: Mapping[str, str]) -> dict[str, str]:
    """Enabled rule id -> effective severity for this file."""
    rel = _relpath(config, path)
    enabled = _selected(all_rules, config.select, config.ignore)
    layers = [config.severity]
    for ov in config.overrides:
        if not _matches(ov.files, rel, tree=True):
            continue
        if ov.select is not None:
            enabled = _selected(all_rules, ov.select, ov.ignore)
        else:
            enabled = {r for r in enabled if _specificity(ov.ignore, r) < 0}
        layers.append(ov.severity)
    out = {}
    for rule in sorted(enabled):
        level = all_rules[rule]
        for layer in layers:
            level = _level(layer, rule) or level
        out[rule] = level
    return out


# ---------------------------------------------------------------- --show-config

def _plain_setting(value):
    if isinstance(value, Override):
        return {_kebab(f.name): _plain_setting(getattr(value, f.name))
                for f in _settings(Override) if getattr(value, f.name) is not None}
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (tuple, list)):
        return [_plain_setting(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def dump_config(config: Config) -> str:
    """The effective config as YAML (``--show-config``): every declared setting,
    with the effective cache folder and number of jobs."""
    from ruamel.yaml import YAML

    data = {"source": str(config.source) if config.source else "none",
            "root": str(config.root)}
    for field in _settings(Config):
        data[_kebab(field.name)] = _plain_setting(getattr(config, field.name))
    data["cache-dir"] = str(config.cache_dir or Path(config.root) / ".psense_cache")
    data["jobs"] = config.jobs or os.cpu_count() or 1
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # keep our order
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


__all__ = ["Config", "Override", "FrozenMap", "find_config", "load_config", "is_included",
           "rules_for", "is_design_doc_path", "dump_config", "glob_problem",
           "DEFAULT_INCLUDE", "DEFAULT_DESIGN_DOCS"]
