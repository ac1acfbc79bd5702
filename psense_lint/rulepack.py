"""Rule packs: YAML files under rules/ (and any the config adds).

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
"""
from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any, Mapping, NamedTuple, Sequence

from psense_lint.model import ConfigError, RuleInfo, SEVERITIES

RULE_KEYS = {"name", "check", "level", "summary", "why", "message", "suggestion",
             "examples", "categories", "options"}
CATEGORY_KEYS = {"label", "patterns", "strong", "suggestion", "message"}
TOP_KEYS = {"version", "lexicons", "rules"}


class Category(NamedTuple):
    name: str
    label: str
    patterns: tuple[str, ...]   # need an argument cue in the sentence or section
    strong: tuple[str, ...]     # evaluative on their own
    suggestion: str
    message: str | None


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
        return {rid: spec.info for rid, spec in self.rules.items()}

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
    from psense_lint import checks

    rules: dict[str, dict] = {}
    lexicons: dict[str, list[str]] = {}
    files = [*builtin_files(), *extra]
    for path in files:
        data = _read_yaml(path)
        _merge(path, data, rules, lexicons)
    specs = {}
    for rid, raw in sorted(rules.items()):
        path, node = raw["__where__"]
        for key in ("check", "summary", "message"):
            if key not in raw:
                raise _err(path, node, f"rule {rid} has no '{key}'")
        if raw["check"] not in checks.REGISTRY:
            raise _err(path, node, f"rule {rid}: unknown check '{raw['check']}' "
                       f"(known: {', '.join(sorted(checks.REGISTRY))})")
        specs[rid] = _spec(rid, raw)
    return RulePack(specs, {k: tuple(v) for k, v in lexicons.items()}, tuple(files))


def _read_yaml(path: Path):
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    yaml = YAML(typ="rt")  # round-trip loader: line info, builds no arbitrary objects
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("rule file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read rule file: {exc}", path=str(path)) from None
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise ConfigError(f"invalid YAML: {problem}", path=str(path),
                          line=mark.line + 1 if mark else None,
                          column=mark.column + 1 if mark else None) from None
    except Exception as exc:  # other ruamel errors carry no mark
        raise ConfigError(f"invalid YAML: {exc}".splitlines()[0], path=str(path)) from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigError("a rule file must be a mapping with 'rules' and/or 'lexicons'",
                          path=str(path), line=1)
    return data


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


def _strings(path, node, key, value):
    if value is None:  # "patterns:" with nothing under it
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise _err(path, node, f"'{key}' must be a list of strings", key)
    return list(value)


def _merge(path, data, rules, lexicons):
    for key in data:
        if key not in TOP_KEYS:
            raise _err(path, data, f"unknown key '{key}' (expected one of: "
                       f"{', '.join(sorted(TOP_KEYS))})", key)
    lex = data.get("lexicons") or {}
    if not isinstance(lex, Mapping):
        raise _err(path, data, "'lexicons' must be a mapping of name to list", "lexicons")
    for name, words in lex.items():
        lexicons.setdefault(name, []).extend(_strings(path, lex, name, words))
    raw_rules = data.get("rules") or {}
    if not isinstance(raw_rules, Mapping):
        raise _err(path, data, "'rules' must be a mapping of rule id to rule", "rules")
    for rid, body in raw_rules.items():
        if not isinstance(rid, str) or not rid[:2].isalpha() or not rid[2:].isdigit():
            raise _err(path, raw_rules, f"rule id '{rid}' must look like PS101", rid)
        if not isinstance(body, Mapping):
            raise _err(path, raw_rules, f"rule {rid} must be a mapping", rid)
        for key in body:
            if key not in RULE_KEYS:
                raise _err(path, body, f"rule {rid}: unknown key '{key}'", key)
        if "level" in body and body["level"] not in SEVERITIES:
            raise _err(path, body, f"rule {rid}: level must be one of {', '.join(SEVERITIES)}",
                       "level")
        target = rules.setdefault(rid, {"__where__": (path, body), "categories": {}})
        for key, value in body.items():
            if key == "categories":
                if not isinstance(value, Mapping):
                    raise _err(path, body, f"rule {rid}: 'categories' must be a mapping", key)
                for cname, cbody in value.items():
                    target["categories"][cname] = _category(path, value, rid, cname, cbody,
                                                            target["categories"].get(cname))
            else:
                target[key] = value


def _category(path, parent, rid, name, body, previous):
    if not isinstance(body, Mapping):
        raise _err(path, parent, f"rule {rid}: category '{name}' must be a mapping", name)
    for key in body:
        if key not in CATEGORY_KEYS:
            raise _err(path, body, f"rule {rid}: category '{name}': unknown key '{key}'", key)
    old = previous or Category(name, name, (), (), "", None)
    return Category(
        name,
        str(body.get("label", old.label)),
        old.patterns + tuple(_strings(path, body, "patterns", body.get("patterns", []))),
        old.strong + tuple(_strings(path, body, "strong", body.get("strong", []))),
        str(body.get("suggestion", old.suggestion)),
        body.get("message", old.message),
    )


def _spec(rid: str, raw: dict) -> RuleSpec:
    examples = raw.get("examples") or {}
    info = RuleInfo(
        id=rid,
        name=str(raw.get("name", rid.lower())),
        level=str(raw.get("level", "warning")),
        summary=str(raw["summary"]).strip(),
        why=str(raw.get("why", "")).strip(),
        suggestion=str(raw.get("suggestion", "")).strip(),
        fires=tuple(str(x) for x in examples.get("fires", ()) or ()),
        passes=tuple(str(x) for x in examples.get("passes", ()) or ()),
    )
    return RuleSpec(info, str(raw["check"]), str(raw["message"]).strip(),
                    tuple(raw["categories"].values()), dict(raw.get("options") or {}))
