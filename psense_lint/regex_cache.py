"""Compiled regular expressions kept between runs, in the per-user pack cache folder.

Compiling a regex is pure-Python work in CPython's ``re`` (parsing, then code
generation): spaCy's English affix regexes take ~30 ms and the rule packs' ~30 ms,
a tenth of linting one doc. What that work makes is a list of integers (the SRE
code) that ``_sre.compile`` turns into a pattern object in microseconds. Those
lists are stored as JSON (``regex-<interpreter>.json``, data, not code) under the
interpreter's version and SRE magic number. An entry is written only when the
pattern it gives compares equal to ``re.compile``'s (Pattern equality compares the
code). ``_sre`` checks the code it is given, but not enough to survive any code
(changed integers can crash it): the entries are read only when their SHA-256,
stored beside them, is theirs. Anything missing, stale, corrupt or unwritable is
ignored and the regex is compiled as usual. (The file is the user's own, like the
pack cache: the checksum stops corruption, not someone who can write there.)
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
import threading

FORMAT = 1
MAX_ENTRIES = 2000   # written at most; past it only those this run asked for are kept
MAX_BYTES = 16 * 1024 * 1024

_lock = threading.Lock()
_loaded: dict | None = None   # (pattern, flags) -> entry, read once per process
_new: dict = {}               # entries made in this process, not yet written
_used: set = set()            # the keys this process asked for


def compile(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, from the cache when it holds the pattern."""
    key = (pattern, int(flags))
    with _lock:
        _used.add(key)
        entry = _load().get(key) or _new.get(key)
    if entry is not None:
        try:
            return _build(pattern, entry)
        except Exception:  # refused by _sre, wrong types: compiled as usual
            pass
    compiled = re.compile(pattern, flags)
    entry = _entry(pattern, int(flags), compiled)
    if entry is not None:
        with _lock:
            _new[key] = entry
    return compiled


def _build(pattern: str, entry: list) -> re.Pattern:
    import _sre

    flags, code, groups, groupindex, indexgroup = entry
    return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))


def _entry(pattern: str, flags: int, compiled: re.Pattern) -> list | None:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` for this pattern, as
    JSON data, if it gives back ``compiled`` (None: not cached)."""
    try:
        from re import _compiler, _parser

        p = _parser.parse(pattern, flags)
        code = _compiler._code(p, flags)
        groupindex = dict(p.state.groupdict)
        indexgroup = [None] * p.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        entry = [flags | p.state.flags, list(code), p.state.groups - 1, groupindex, indexgroup]
        if _build(pattern, entry) == compiled and compiled.flags == entry[0]:
            return entry
    except Exception:  # another interpreter's internals
        pass
    return None


def _stamp() -> list:
    import _sre

    return [FORMAT, sys.version, getattr(_sre, "MAGIC", None), getattr(_sre, "CODESIZE", None)]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _path():
    from psense_lint import user_cache

    directory = user_cache.folder()
    if directory is None or sys.implementation.name != "cpython":
        return None
    return directory / f"regex-{sys.implementation.cache_tag}.json"


def _load() -> dict:
    global _loaded
    if _loaded is None:
        _loaded = {}
        try:
            from psense_lint.safeio import read_regular

            path = _path()
            if path is not None:
                stored = json.loads(read_regular(path, MAX_BYTES))
                text = stored["entries"]
                if stored["stamp"] == _stamp() and stored["sha256"] == _digest(text):
                    _loaded = {(p, f): entry for p, f, entry in json.loads(text)
                               if type(p) is str and type(f) is int and type(entry) is list
                               and len(entry) == 5}
        except Exception:  # missing, corrupt, foreign: compile as usual
            _loaded = {}
    return _loaded


def save() -> None:
    """Write this process's new entries with the ones read (past MAX_ENTRIES, only
    those asked for in this process); a session does when it closes. Failures
    are silent: the cache is an optimisation."""
    with _lock:
        if not _new:
            return
        merged = {**_load(), **_new}
        if len(merged) > MAX_ENTRIES:
            merged = {k: merged[k] for k in _used if k in merged}
        _loaded.update(_new)
        _new.clear()
    try:
        path = _path()
        if path is None:
            return
        entries = json.dumps([[p, f, e] for (p, f), e in merged.items()], ensure_ascii=False)
        text = json.dumps({"stamp": _stamp(), "sha256": _digest(entries), "entries": entries})
        from psense_lint.cache import atomic_write

        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text.encode("ascii"))
    except Exception:
        pass
