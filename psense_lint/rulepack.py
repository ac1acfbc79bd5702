"""Rule packs: YAML files under rules/ (and any the config adds).

One file per rule, as Vale and ruff lay rules out: ``rules/ps101.yml`` holds
PS101's words, messages, suggestion templates and examples; the words more than
one rule reads are in ``shared.yml``, those every suggestion reads (audiences,
project kinds, doc styles) in ``suggestions.yml``.

A pack holds ``lexicons`` (named lists of phrase patterns) and ``rules`` (by id:
metadata, the check mechanism that runs it, messages, suggestion templates,
examples). Packs are merged in order: a later pack may add rules, add
categories to a rule, or extend a lexicon. Code holds mechanisms only; every
word list, message and example lives here as data.

Pattern syntax (matched against lower-cased lemmas, so "decoupling",
"Decoupled" and "decouple" are one word): tokens separated by spaces; a token
is one or more alternatives joined by ``|``; a trailing ``?`` makes it
optional; ``*`` is any one token, ``*?`` any one optional token; ``#num`` is a
number; ``@name`` inlines the alternatives of the one-word lexicon ``name``.

Parsed packs are kept in a small per-user cache (``pack-*.json`` under
``$XDG_CACHE_HOME/psense-lint``, else ``~/.cache/psense-lint``; the environment
variable ``PSENSE_LINT_PACK_CACHE`` names another folder, or turns it off when
empty): reading YAML with line numbers costs ~100 ms, more than linting a doc.
An entry is the merged, validated pack as JSON (data, not code), keyed by the
packs' paths and bytes, the psense-lint version and this module; anything
missing, stale or unreadable there is ignored and the YAML is parsed, so every
error in a pack is still reported at its file, line and column.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any, Mapping, NamedTuple, Sequence

from psense_lint import __version__
from psense_lint.model import ConfigError, RuleInfo, SEVERITIES
from psense_lint.safeio import Unsure, fast_yaml
from psense_lint.user_cache import PACK_CACHE_ENV, folder as pack_cache_dir  # noqa: F401

PACK_CACHE_FORMAT = 2  # bump when the entry layout changes


# The declared schema of a pack file: each key -> its kind, checked by _check
# before anything is merged. A kind is a type (str, int, bool, dict: any
# mapping), "strings" (a string or a list of them), "names to strings", "text or
# null", a tuple of choices, a nested schema (a dict), or ("each", kind, label):
# a mapping of names (``label`` names one in messages) to values of that kind.
CATEGORY_SCHEMA: dict[str, Any] = {
    "label": str, "patterns": "strings", "strong": "strings", "suggestion": str,
    "message": "text or null", "outcome": str, "outcomes": "names to strings",
    "example": "names to strings", "new": bool}
RULE_SCHEMA: dict[str, Any] = {
    "name": str, "check": str, "level": SEVERITIES, "summary": str, "why": str, "message": str,
    "suggestion": str, "examples": {"fires": "strings", "passes": "strings"},
    "categories": ("each", CATEGORY_SCHEMA, "category '{}'"), "options": dict}
PACK_SCHEMA: dict[str, Any] = {
    "version": int, "lexicons": ("each", "strings", ""), "rules": ("each", RULE_SCHEMA, "rule {}")}
RULE_KEYS, CATEGORY_KEYS, TOP_KEYS = set(RULE_SCHEMA), set(CATEGORY_SCHEMA), set(PACK_SCHEMA)
MAX_PACK_BYTES = 4 * 1024 * 1024  # a rule pack larger than this is refused


class Category(NamedTuple):
    name: str
    label: str
    patterns: tuple[str, ...]   # need an argument cue in the sentence or section
    strong: tuple[str, ...]     # evaluative on their own
    suggestion: str
    message: str | None
    outcome: str = ""                # the kind of user outcome it usually stands for
    outcomes: Mapping[str, str] = {}  # kind of outcome -> suggestion template
    example: Mapping[str, str] = {}   # a worked example: sentence, quote, users, kind, frame


class RuleSpec(NamedTuple):
    info: RuleInfo
    check: str
    message: str
    categories: tuple[Category, ...]
    options: Mapping[str, Any]


class RulePack(NamedTuple):
    rules: Mapping[str, RuleSpec]
    lexicons: Mapping[str, tuple[str, ...]]
    sources: tuple[Path, ...]

    def rule_infos(self) -> dict[str, RuleInfo]:
        """Each rule's metadata for people to read (--explain, --list-rules, SARIF
        help): its suggestion is rendered with the rule's example fillers, never
        shown with raw {slots}."""
        from psense_lint import suggest

        return {rid: spec.info._replace(suggestion=suggest.help_text(spec))
                for rid, spec in self.rules.items()}

    def levels(self) -> dict[str, str]:
        return {rid: spec.info.level for rid, spec in self.rules.items()}


def builtin_files() -> list[Path]:
    """The shipped packs. rules/ is installed as the package data ``psense_lint.rules``
    (a namespace package: files() may be a MultiplexedPath, so walk it, don't str() it);
    in an editable install it is the repository's rules/ folder beside psense_lint/."""
    try:
        items = list(resources.files("psense_lint.rules").iterdir())
    except ModuleNotFoundError:
        items = list((Path(__file__).resolve().parent.parent / "rules").iterdir())
    return sorted(Path(str(p)) for p in items if p.name.endswith((".yml", ".yaml")))


@functools.lru_cache(maxsize=8)
def load_pack(extra: tuple[Path, ...] = ()) -> RulePack:
    """Load the built-in packs, then ``extra`` ones, and merge them."""
    files = [*builtin_files(), *extra]
    texts = _read_texts(files)  # None: some file cannot be read (the parse says why)
    entry = _cache_entry(files, texts) if texts is not None else None
    if entry is not None:
        pack = _load_cached(entry, files)
        if pack is not None:
            return pack
    data = _parse(files, texts)
    if entry is not None:
        _store_cached(entry, data)
    return _from_data(data, files)


def _parse(files, texts) -> dict:
    """Read, merge and validate the packs: the merged pack as plain data. (Whether
    each rule's ``check`` names a mechanism is for the checks to say:
    ``psense_lint.checks.registry.validate``.) The YAML is read with PyYAML's C safe loader
    (~30x faster than ruamel's round-trip one); a pack with an error in it is read
    again with ruamel, which places the error at file:line:col."""
    try:
        return _parse_with(files, texts, fast=True)
    except ConfigError:
        return _parse_with(files, texts, fast=False)


def _parse_with(files, texts, fast: bool) -> dict:
    from psense_lint.patterns import MAX_PATTERNS, check_pattern

    rules: dict[str, dict] = {}
    lexicons: dict[str, list[str]] = {}
    where: dict[str, ConfigError] = {}  # category pattern -> an error pointing at it
    entries: list = []  # (lexicon, entry, file, node, key): to place a bad regex
    for n, path in enumerate(files):
        data = _read_yaml(path, texts[n] if texts is not None else None, fast=fast)
        _merge(path, data, rules, lexicons, where, entries)
    total = sum(len(v) for v in lexicons.values()) + len(where)
    if total > MAX_PATTERNS:
        raise ConfigError(f"the rule packs hold {total} patterns and lexicon entries (at "
                          f"most {MAX_PATTERNS})", path=str(files[-1]))
    for pattern, err in where.items():  # now that every lexicon is known
        problem = check_pattern(pattern, lexicons)
        if problem:
            raise ConfigError(f"{problem} in pattern {pattern[:80]!r}", path=err.path,
                              line=err.line, column=err.column)
    _check_regexes(lexicons, rules, entries)
    specs = {}
    for rid, raw in sorted(rules.items()):
        path, node = raw["__where__"]
        for key in ("check", "summary", "message"):
            if key not in raw:
                raise _err(path, node, f"rule {rid} has no '{key}'")
        specs[rid] = _spec_data(rid, raw)
    return {"rules": specs, "lexicons": {k: [_plain(w) for w in v] for k, v in lexicons.items()}}


def _from_data(data: dict, files) -> RulePack:
    specs = {}
    for rid, d in data["rules"].items():
        info = d["info"]
        specs[rid] = RuleSpec(
            RuleInfo(info["id"], info["name"], info["level"], info["summary"], info["why"],
                     info["suggestion"], tuple(info["fires"]), tuple(info["passes"])),
            d["check"], d["message"],
            tuple(Category(c[0], c[1], tuple(c[2]), tuple(c[3]), c[4], c[5], *c[6:9])
                  for c in d["categories"]),
            d["options"])
    return RulePack(specs, {k: tuple(v) for k, v in data["lexicons"].items()}, tuple(files))


# ------------------------------------------------------------------ the pack cache


def _read_texts(files) -> list[str] | None:
    from psense_lint.safeio import read_regular

    texts = []
    for path in files:
        try:
            texts.append(read_regular(path, MAX_PACK_BYTES).decode("utf-8"))
        except (OSError, UnicodeDecodeError):
            return None
    return texts


def _cache_entry(files, texts) -> tuple[Path, str] | None:
    """(entry file, key) for these packs: the file is named by their paths, the
    key (stored inside) covers their contents and the code that parses them."""
    directory = pack_cache_dir()
    if directory is None:
        return None
    try:
        paths = [os.path.abspath(p) for p in files]
        code = [(m, os.stat(m).st_size, os.stat(m).st_mtime_ns)
                for m in (__file__, *(os.path.join(os.path.dirname(__file__), name)
                                      for name in ("model.py", "patterns.py", "safe_regex.py",
                                                   "safeio.py")))]
    except OSError:
        return None
    h = hashlib.sha256(json.dumps([PACK_CACHE_FORMAT, __version__, code, _ruamel_stamp(),
                                   paths]).encode())
    for text in texts:
        h.update(b"\0" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
    name = hashlib.sha256("\0".join(paths).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return directory / f"pack-{name}.json", h.hexdigest()


def _ruamel_stamp():
    """Which ruamel.yaml parses the packs, found without importing it."""
    try:
        from importlib.util import find_spec

        spec = find_spec("ruamel.yaml")
        st = os.stat(spec.origin)
        return [spec.origin, st.st_size, st.st_mtime_ns]
    except Exception:
        return None


def _load_cached(entry, files) -> RulePack | None:
    path, key = entry
    try:
        with open(path, "rb") as fh:
            stored = json.loads(fh.read())
        if stored.get("key") != key:
            return None
        pack = _from_data(stored["pack"], files)
        _check_types(pack)
        return pack
    except Exception:  # missing, corrupt, foreign: parse the YAML
        return None


def _check_types(pack: RulePack) -> None:
    """An entry that does not hold what a parse makes is not used."""
    strs = lambda xs: all(type(x) is str for x in xs)  # noqa: E731
    for rid, spec in pack.rules.items():
        info = spec.info
        if not (type(rid) is str and strs(info[:6]) and strs(info.fires) and strs(info.passes)
                and strs((spec.check, spec.message)) and type(spec.options) is dict):
            raise ValueError("bad rule")
        for c in spec.categories:
            if not (strs(c[:2]) and strs(c.patterns) and strs(c.strong) and type(c[4]) is str
                    and type(c.outcome) is str and type(c.outcomes) is dict
                    and type(c.example) is dict):
                raise ValueError("bad category")
    if not all(type(k) is str and strs(v) for k, v in pack.lexicons.items()):
        raise ValueError("bad lexicon")


def _store_cached(entry, data: dict) -> None:
    """Write the entry (atomically); only data that JSON gives back unchanged.
    Failures are silent: the cache is an optimisation."""
    path, key = entry
    try:
        text = json.dumps({"key": key, "pack": data}, ensure_ascii=False)
        if json.loads(text)["pack"] != data:
            return  # e.g. a YAML date or a number as a mapping key in options
        from psense_lint.cache import atomic_write

        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text.encode("utf-8", "surrogatepass"))
    except Exception:
        pass


# ------------------------------------------------------------------ parsing


def _read_yaml(path: Path, text: str | None = None, fast: bool = False):
    import errno

    from psense_lint.safeio import ReadError, read_regular

    if text is None:
        try:
            raw = read_regular(path, MAX_PACK_BYTES)  # regular files only, bounded
        except ReadError as exc:
            if exc.code == errno.ENOENT:
                raise ConfigError("rule file not found", path=str(path)) from None
            raise ConfigError(f"cannot read rule file: {exc.reason}", path=str(path)) from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError("rule file is not UTF-8 text", path=str(path),
                              line=raw[: exc.start].count(b"\n") + 1) from None
    try:
        if not fast:
            raise Unsure()
        data = fast_yaml(text)
    except Unsure:
        data = _ruamel_yaml(path, text)
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigError("a rule file must be a mapping with 'rules' and/or 'lexicons'",
                          path=str(path), line=1)
    return data


def _ruamel_yaml(path: Path, text: str):
    from ruamel.yaml.error import MarkedYAMLError

    from psense_lint.safeio import ParseProblem, load_yaml

    try:  # round-trip loader: line info, no arbitrary objects, no aliases
        data = load_yaml(text)
    except ParseProblem as exc:
        raise ConfigError(f"invalid YAML: {exc.message}", path=str(path), line=exc.line,
                          column=exc.column) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise ConfigError(f"invalid YAML: {problem}", path=str(path),
                          line=mark.line + 1 if mark else None,
                          column=mark.column + 1 if mark else None) from None
    except Exception as exc:  # other ruamel errors carry no mark
        raise ConfigError(f"invalid YAML: {exc}".splitlines()[0], path=str(path)) from None
    return data


def rule_position(files, rid: str) -> tuple[str | None, int | None, int | None]:
    """Where rule ``rid`` is first defined in these packs: (file, line, column), for
    an error found after loading (the YAML is read again, with positions)."""
    for path in files:
        try:
            data = _read_yaml(Path(path))
            rules = data.get("rules")
            if isinstance(rules, Mapping) and rid in rules:
                return (str(path), *_pos(rules[rid]))
        except ConfigError:
            continue
    return None, None, None


def _pos(node, key=None):
    try:
        if key is None:
            return node.lc.line + 1, node.lc.col + 1
        line, col = node.lc.key(key) if isinstance(node, Mapping) else node.lc.item(key)
        return line + 1, col + 1
    except Exception:
        return None, None


def _err(path, node, message, key=None):
    line, col = _pos(node, key)
    return ConfigError(message, path=str(path), line=line, column=col)


def _strings(value) -> list[str]:
    """A checked "strings" value as a list (null, as in "patterns:" with nothing
    under it: none)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


_KIND_NAMES = {str: "be a string", int: "be a whole number", bool: "be true or false",
               dict: "be a mapping", "strings": "be a list of strings",
               "text or null": "be a string", "names to strings": "map names to strings"}


_MAY_BE_NULL = ("strings", "text or null", "names to strings", dict)


def _is_bool(value) -> bool:
    return isinstance(value, bool) or type(value).__name__ == "ScalarBoolean"  # ruamel's


def _kind_ok(kind, value) -> bool:
    if kind is bool:
        return _is_bool(value)
    if kind is int:
        return isinstance(value, int) and not _is_bool(value)
    if kind is dict:
        return isinstance(value, Mapping)
    if kind is str:
        return isinstance(value, str)
    if kind == "text or null":
        return value is None or isinstance(value, str)
    if kind == "strings":
        return value is None or isinstance(value, str) or (
            isinstance(value, Sequence) and all(isinstance(v, str) for v in value))
    if kind == "names to strings":
        return isinstance(value, Mapping) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    raise AssertionError(kind)  # pragma: no cover


def _check(path, node, schema: Mapping[str, Any], prefix: str = "") -> None:
    """``node`` (a mapping) against ``schema``: unknown keys and values of the
    wrong kind are errors at their file:line:col. Null means "none" for lists
    and mappings; text, numbers, flags and choices must be given."""
    import difflib

    for key in node:
        if key not in schema:
            close = difflib.get_close_matches(str(key), list(schema), n=1, cutoff=0.6)
            hint = (f" (did you mean '{close[0]}'?)" if close and prefix
                    else "" if prefix else f" (expected one of: {', '.join(sorted(schema))})")
            raise _err(path, node, f"{prefix}unknown key '{key}'{hint}", key)
    for key, kind in schema.items():
        if key in node:
            _check_value(path, node, key, node[key], kind, prefix)


def _check_value(path, node, key, value, kind, prefix: str) -> None:
    if value is None and (kind in _MAY_BE_NULL or isinstance(kind, dict)
                          or isinstance(kind, tuple) and kind[0] == "each"):
        return
    if isinstance(kind, tuple) and kind[0] == "each":
        _, sub, label = kind
        if not isinstance(value, Mapping):
            raise _err(path, node, f"{prefix}'{key}' must be a mapping of names to "
                       f"{key if label else 'lists of strings'}", key)
        for name, entry in value.items():
            if sub is RULE_SCHEMA and not (isinstance(name, str) and name[:2].isalpha()
                                           and name[2:].isdigit()):
                raise _err(path, value, f"rule id '{name}' must look like PS101", name)
            if isinstance(sub, dict):
                here = prefix + label.format(name)
                if not isinstance(entry, Mapping):
                    raise _err(path, value, f"{here} must be a mapping", name)
                _check(path, entry, sub, here + ": ")
            else:
                _check_value(path, value, name, entry, sub, prefix)
    elif isinstance(kind, tuple):  # choices
        if value not in kind:
            raise _err(path, node, f"{prefix}{key} must be one of {', '.join(kind)}", key)
    elif isinstance(kind, dict):
        if not isinstance(value, Mapping):
            raise _err(path, node, f"{prefix}'{key}' must be a mapping", key)
        _check(path, value, kind, f"{prefix}{key}: ")
    elif not _kind_ok(kind, value):
        raise _err(path, node, f"{prefix}'{key}' must {_KIND_NAMES[kind]}", key)


def _check_regexes(lexicons, rules, entries) -> None:
    """Every entry of a lexicon used as regular expressions (its name ends in _re,
    or a rule option ending in _re or ``line_cues`` names it) compiles and cannot
    take exponential time (safe_regex); else one error at its file:line:col."""
    from psense_lint.safe_regex import check_regex

    names = {n for n in lexicons if isinstance(n, str) and n.endswith("_re")}
    for raw in rules.values():
        options = raw.get("options")
        if not isinstance(options, Mapping):
            continue
        for key, value in options.items():
            if key == "line_cues" and isinstance(value, Mapping):
                value = [n for v in value.values() if isinstance(v, list) for n in v]
            elif not (isinstance(key, str) and key.endswith("_re")):
                continue
            if isinstance(value, list):
                names.update(n for n in value if isinstance(n, str))
    for name, text, path, node, at in entries:
        if name in names:
            problem = check_regex(text)
            if problem:
                raise _err(path, node, f"lexicon '{name}': {problem}", at)


def _merge(path, data, rules, lexicons, where=None, entries=None):
    _check(path, data, PACK_SCHEMA)
    lex = data.get("lexicons") or {}
    for name, words in lex.items():
        items = _strings(words)
        lexicons.setdefault(name, []).extend(items)
        if entries is not None:
            single = isinstance(words, str)
            entries.extend((name, text, path, lex if single else words, name if single else i)
                           for i, text in enumerate(items))
    for rid, body in (data.get("rules") or {}).items():
        existed = rid in rules
        target = rules.setdefault(rid, {"__where__": (path, body), "categories": {}})
        for key, value in body.items():
            if key == "categories":
                for cname, cbody in (value or {}).items():
                    if existed and cname not in target["categories"]:
                        _new_category(path, value, rid, cname, cbody, target["categories"])
                    target["categories"][cname] = _category(path, value, rid, cname, cbody,
                                                            target["categories"].get(cname),
                                                            where)
            elif key == "options" and isinstance(value, Mapping) and isinstance(
                    target.get("options"), Mapping):
                target["options"] = {**target["options"], **value}  # a later pack adds options
            else:
                target[key] = value


def _new_category(path, parent, rid, name, body, known):
    """A pack that names a category an earlier pack's rule does not have: a typo
    unless the category says ``new: true``."""
    if isinstance(body, Mapping) and _is_bool(body.get("new")) and body["new"]:
        return
    import difflib

    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise _err(path, parent, f"rule {rid}: unknown category '{name}' ({hint}known: "
               f"{', '.join(sorted(known))}; to add a category, give it 'new: true')", name)


def _category(path, parent, rid, name, body, previous, where=None):
    old = previous or Category(name, name, (), (), "", None)
    if where is not None:  # where each pattern is, to report a bad one there
        from psense_lint.patterns import check_pattern

        for key in ("patterns", "strong"):
            value = body.get(key)
            items = [value] if isinstance(value, str) else value
            for i, text in enumerate(items or ()):
                node, at = (body, key) if isinstance(value, str) else (value, i)
                err = _err(path, node, "", at)
                problem = check_pattern(text) if isinstance(text, str) else None
                if problem:
                    raise _err(path, node, f"rule {rid}: category '{name}': {problem}", at)
                if isinstance(text, str):
                    where.setdefault(text, err)
    return Category(
        name,
        str(body.get("label", old.label)),
        old.patterns + tuple(_strings(body.get("patterns"))),
        old.strong + tuple(_strings(body.get("strong"))),
        str(body.get("suggestion", old.suggestion)),
        body.get("message", old.message),
        str(body.get("outcome", old.outcome)),
        {**old.outcomes, **{str(k): str(v) for k, v in (body.get("outcomes") or {}).items()}},
        {**old.example, **{str(k): str(v) for k, v in (body.get("example") or {}).items()}},
    )


def _spec_data(rid: str, raw: dict) -> dict:
    """One merged rule as plain data (dicts, lists, str, numbers: ruamel's
    commented containers are slow to read in the checks' loops)."""
    examples = raw.get("examples") or {}
    info = {
        "id": rid,
        "name": str(raw.get("name", rid.lower())),
        "level": str(raw.get("level", "warning")),
        "summary": str(raw["summary"]).strip(),
        "why": str(raw.get("why", "")).strip(),
        "suggestion": str(raw.get("suggestion", "")).strip(),
        "fires": [str(x) for x in examples.get("fires", ()) or ()],
        "passes": [str(x) for x in examples.get("passes", ()) or ()],
    }
    categories = [_plain(list(c)) for c in raw["categories"].values()]
    return {"info": _plain(info), "check": _plain(str(raw["check"])),
            "message": _plain(str(raw["message"]).strip()), "categories": categories,
            "options": _plain(dict(raw.get("options") or {}))}


def _plain(value):
    """YAML data as plain Python: dict, list, str, int, float, bool (anything
    else, e.g. a date, as it is)."""
    if isinstance(value, Mapping):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool) or type(value).__name__ == "ScalarBoolean":
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value
