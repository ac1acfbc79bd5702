"""The results cache: lint a file once, re-lint it only when something that
decides its findings changed (in the manner of ruff's cache).

An entry is keyed by everything a file's result depends on: its text, its path
relative to the config root (globs pick its rules and whether it is a design
doc), the effective config, the contents of the rule packs, the psense-lint
version and code, the pipeline name, and the installed spaCy,
spacy-lookups-data and pipeline package versions. The path a finding shows is
NOT part of the key: entries store ``None`` where that path stood and put the
current one back on load, so running from another directory still hits.
Only results are stored: a file that failed (an error line) is linted again
next time.

Layout: ``<cache dir>/<psense-lint version>/<2 hex>/<62 hex>.json``, plus a
``.gitignore`` holding ``*`` and a ``CACHEDIR.TAG``. The cache dir defaults to
``.psense_cache`` beside the config file (or in the starting directory when
there is none); ``--cache-dir`` / ``cache-dir`` move it, ``--no-cache`` turns
it off. Deleting the folder at any time is safe.

Safety: entries are JSON (never pickle: a cache folder may come from anyone's
repository), written to a temp file in the same folder and moved into place
with ``os.replace``, so a reader (another run at the same time) sees a whole
entry or none. A missing, corrupt, foreign or unreadable entry is a miss, never
an error; a folder that cannot be written just is not written. Nothing outside
the cache folder is ever written, and a folder that already exists, is not
empty and has no ``CACHEDIR.TAG`` (so is not a psense-lint cache) is not
written into at all.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from dataclasses import fields, is_dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from psense_lint import __version__, model
from psense_lint.model import FileResult

FORMAT = 1  # bump when the entry layout changes
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a larger entry is a miss
DEFAULT_NAME = ".psense_cache"
GITIGNORE = "# Created by psense-lint: this folder is a cache.\n*\n"
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by psense-lint.\n"
                "# For information about cache directory tags see https://bford.info/cachedir/\n")
# config fields that do not change what a file's findings are (fail_on: the exit code)
_NOT_IN_KEY = {"cache_dir", "jobs", "fail_on"}
# record types an entry may hold (decoded by name)
_TYPES = {name: getattr(model, name) for name in ("Finding", "DocSummary", "FileResult")}


def cache_dir(config) -> Path:
    """Where the cache of this config lives."""
    return Path(config.cache_dir) if config.cache_dir else Path(config.root) / DEFAULT_NAME


# --------------------------------------------------------------------------- keys

def _package_fingerprint() -> list:
    """psense-lint's own code: name, size and mtime of its modules (a stat each;
    an editable install re-lints after the code changes)."""
    here = Path(__file__).resolve().parent
    out = []
    for dirpath, dirnames, filenames in os.walk(here):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".py", ".json")):
                st = os.stat(os.path.join(dirpath, name))
                out.append((os.path.relpath(os.path.join(dirpath, name), here), st.st_size,
                            st.st_mtime_ns))
    return out


def _dist_version(module: str) -> str:
    """Version of the installed distribution providing ``module``, found without
    importing it (importing spaCy is what the cache saves; importlib.metadata
    alone costs ~50 ms): the ``*.dist-info`` folder name beside the package,
    else the size and mtime of its files."""
    try:
        spec = find_spec(module)
    except (ImportError, ValueError):
        return "absent"
    if spec is None:
        return "absent"
    locations = list(spec.submodule_search_locations or [])
    origin = spec.origin if spec.origin and os.path.exists(spec.origin) else None
    base = Path(locations[0]) if locations else Path(origin) if origin else None
    if base is None:
        return "unknown"
    want = module.lower().replace("-", "_").replace(".", "_")
    try:
        for name in sorted(os.listdir(base.parent)):
            if name.endswith((".dist-info", ".egg-info")) and \
                    name.split("-")[0].lower().replace(".", "_") == want:
                return name
    except OSError:
        pass
    try:
        target = Path(origin) if origin else base
        st = target.stat()
        return f"{target}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        return "unknown"


def _plain(value: Any) -> Any:
    """A config value as JSON-able data, deterministically."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, dict) or hasattr(value, "items"):
        return sorted((str(k), _plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def settings_key(config, pack) -> str:
    """Digest of everything but the file itself that decides its findings."""
    cfg = {f.name: _plain(getattr(config, f.name)) for f in fields(config)
           if f.name not in _NOT_IN_KEY}
    h = hashlib.sha256()
    h.update(json.dumps({
        "format": FORMAT, "version": __version__, "code": _package_fingerprint(),
        "python": sys.version_info[:2], "config": cfg, "pipeline": config.pipeline,
        "spacy": _dist_version("spacy"), "lookups": _dist_version("spacy_lookups_data"),
        "model": _dist_version(config.pipeline) if config.pipeline != "blank" else None,
        "markdown": [_dist_version("markdown_it"), _dist_version("markdown_it_pyrs")],
        "packs": [os.fspath(p) for p in pack.sources],
    }, sort_keys=True, default=repr).encode())
    from psense_lint import judge  # the PS101 model decides findings too

    hash_files(h, [*pack.sources, judge.model_path()])
    return h.hexdigest()


def hash_files(h, paths) -> None:
    """Feed each file's name and bytes into the hash ``h`` (a missing or unreadable
    file hashes as such, so it changes the digest instead of failing)."""
    for path in paths:
        h.update(os.fspath(path).encode("utf-8", "surrogatepass") + b"\0")
        try:
            h.update(Path(path).read_bytes())
        except OSError:
            h.update(b"\0unreadable\0")
        h.update(b"\0")


# --------------------------------------------------------------------------- entries

def _encode(value: Any, path: str) -> Any:
    """Findings and summaries as JSON; a record's ``path`` equal to the displayed
    path is stored as None."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        name = type(value).__name__
        if _TYPES.get(name) is not type(value):
            raise TypeError(f"cannot cache a {name}")
        items = [None if f == "path" and v == path else _encode(v, path)
                 for f, v in zip(value._fields, value)]
        return {"t": name, "v": items}
    if isinstance(value, (list, tuple)):
        return [_encode(v, path) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _validate(result: Any) -> None:
    """Raise ValueError unless ``result`` is a FileResult exactly as the engine
    makes them (an entry may have been edited or corrupted into valid JSON of the
    wrong types: a line as a string would crash whoever sorts or prints it)."""
    def is_int(v, low=1):
        return type(v) is int and v >= low

    if type(result) is not FileResult or type(result.path) is not str \
            or type(result.findings) is not tuple:
        raise ValueError("not a result")
    for f in result.findings:
        if type(f) is not model.Finding or not all(type(v) is str for v in (
                f.path, f.rule, f.category, f.severity, f.message, f.suggestion)) \
                or f.severity not in model.SEVERITIES \
                or not all(is_int(v) for v in (f.line, f.column, f.end_line, f.end_column)) \
                or (f.end_line, f.end_column) < (f.line, f.column):
            raise ValueError("not a finding")
    summary = result.summary
    if summary is not None:
        if type(summary) is not model.DocSummary or type(summary.applies) is not bool or \
                not all(v is None or is_int(v) for v in summary[1:]):
            raise ValueError("not a summary")


def _decode(value: Any, path: str) -> Any:
    if isinstance(value, dict):
        cls = _TYPES[value["t"]]
        items = value["v"]
        if len(items) != len(cls._fields):
            raise ValueError("record changed shape")
        return cls(*(path if f == "path" and v is None else _decode(v, path)
                     for f, v in zip(cls._fields, items)))
    if isinstance(value, list):
        return tuple(_decode(v, path) for v in value)
    return value



def text_key(settings: str | bytes, rel: Path | str, text: str) -> str:
    """The cache key of ``text`` linted as ``rel`` with these settings (touches no file)."""
    h = hashlib.sha256(settings.encode() if isinstance(settings, str) else settings)
    h.update(b"\0" + Path(rel).as_posix().encode("utf-8", "surrogatepass") + b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()

class Cache:
    """One run's view of the cache: ``get`` and ``put`` by source."""

    def __init__(self, directory: Path, settings: str) -> None:
        self.dir = Path(directory)
        self.base = self.dir / __version__
        self.settings = settings.encode()
        self._writable: bool | None = None  # decided at the first write

    @classmethod
    def for_config(cls, config, pack) -> "Cache":
        return cls(cache_dir(config), settings_key(config, pack))

    def key(self, rel: Path | str, text: str) -> str:
        return text_key(self.settings, rel, text)

    def _entry(self, key: str) -> Path:
        return self.base / key[:2] / (key[2:] + ".json")

    def _folders_ok(self, key: str) -> bool:
        """Are the entry's folders below the cache dir real folders (or absent)? A
        symlink there could lead reads and writes out of the cache."""
        for folder in (self.base, self.base / key[:2]):
            try:
                mode = os.lstat(folder).st_mode
            except FileNotFoundError:
                return True
            except OSError:
                return False
            if not stat.S_ISDIR(mode):
                return False
        return True

    def get(self, key: str, path: str) -> FileResult | None:
        """The cached result for ``key``, shown at ``path``; None for a miss."""
        from psense_lint.safeio import read_regular

        try:
            if not self._folders_ok(key):
                raise ValueError("not a real folder")
            # a regular file, not a symlink, of bounded size (a FIFO would hang a read)
            raw = read_regular(self._entry(key), MAX_ENTRY_BYTES, follow_symlinks=False)
            data = json.loads(raw)
            if data["key"] != key:
                raise ValueError("wrong entry")
            result = _decode(data["result"], path)
            _validate(result)
        except Exception:  # missing, unreadable, corrupt, from another version: a miss
            return None
        return result

    def put(self, key: str, path: str, result: FileResult) -> None:
        """Store the result for ``key`` (errors are not cached: a file that
        failed is tried again next time). Failures to write are silent."""
        if self._writable is False:
            return
        try:
            data = json.dumps({"key": key, "result": _encode(result, path)},
                              ensure_ascii=False, separators=(",", ":")).encode()
        except (TypeError, ValueError):
            return  # something the cache cannot hold: just not cached
        if self._writable is None:
            self._writable = self._prepare()
            if not self._writable:
                return
        target = self._entry(key)
        try:
            if not self._folders_ok(key):
                return  # a symlink (or a file) where a folder of the cache should be
            for folder in (self.base, target.parent):
                if not folder.is_dir():
                    folder.mkdir(exist_ok=True)  # one level at a time: dir exists
            if not self._folders_ok(key):
                return
            atomic_write(target, data)
        except OSError:
            self._writable = False  # read-only, full disk...: stop trying for this run

    def _prepare(self) -> bool:
        """Create the cache folder (with its .gitignore and CACHEDIR.TAG) or check
        that an existing one is a psense-lint cache."""
        d = self.dir
        try:
            if d.is_dir():
                names = [n for n in os.listdir(d) if not n.startswith(".tmp-")]
                ours = (not names or "CACHEDIR.TAG" in names
                        or set(names) <= {".gitignore", __version__})
                if not ours:
                    print(f"psense-lint: warning: not writing the results cache into {d}: it "
                          f"is not empty and has no CACHEDIR.TAG (not a psense-lint cache)",
                          file=sys.stderr)
                    return False
            else:
                d.mkdir(parents=True, exist_ok=True)
            for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", GITIGNORE)):
                if not (d / name).exists():
                    atomic_write(d / name, text.encode())
            return True
        except OSError:
            return False


def atomic_write(target: Path, data: bytes) -> None:
    """Write data to target via a temp file in the same folder and a rename, so a
    reader never sees half a file."""
    import tempfile  # only runs that write need it

    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


__all__ = ["Cache", "cache_dir", "settings_key", "DEFAULT_NAME"]
