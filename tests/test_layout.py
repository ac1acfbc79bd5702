"""The package's shape: no import cycles (function-level imports included),
Python 3.10 still works, the MkDocs plugin stays a thin adapter."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"psense_lint": ROOT / "psense_lint", "psense_mkdocs": ROOT / "mkdocs_plugin"}


def _modules() -> dict[str, Path]:
    mods = {}
    for pkg, folder in PACKAGES.items():
        for f in folder.rglob("*.py"):
            parts = [p for p in f.relative_to(folder).with_suffix("").parts if p != "__init__"]
            mods[".".join([pkg, *parts])] = f
    return mods


def _import_graph(mods: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                subs = [f"{node.module}.{a.name}" for a in node.names]
                names = [s for s in subs if s in mods]
                if len(names) < len(subs):
                    names.append(node.module)
            else:
                continue
            for name in names:
                while name and name not in mods:
                    name = name.rpartition(".")[0]
                while name:  # importing a.b.c runs a.b's __init__ too
                    if name in mods and name != mod and not mod.startswith(name + "."):
                        graph[mod].add(name)
                    name = name.rpartition(".")[0]
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}   # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycles():
    """Every import counts, at module level or inside a function, and so does the
    package ``__init__`` an import of a submodule runs."""
    cycle = _cycle(_import_graph(_modules()))
    assert cycle is None, " -> ".join(cycle)


def test_sources_parse_as_python_3_10():
    for path in _modules().values():
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 10))


def test_runs_without_tomllib_using_tomli():
    """Python 3.10 has no tomllib: psense-lint then uses tomli (same API)."""
    code = (
        "import sys, importlib.abc\n"
        "import tomllib as real\n"
        "del sys.modules['tomllib']\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'tomllib':\n"
        "            raise ImportError('no tomllib on 3.10')\n"
        "sys.meta_path.insert(0, Block())\n"
        "sys.modules['tomli'] = real\n"
        "from psense_lint import config, markdown, cli\n"
        "doc = markdown.parse('+++\\ndesign-doc = true\\n+++\\n\\nText.\\n')\n"
        "assert doc.front_matter == {'design-doc': True}, doc.front_matter\n"
        "assert config._toml is real\n"
        "print('ok')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "ok", proc.stderr


def test_the_mkdocs_plugin_is_a_thin_adapter():
    """Options, MkDocs events and annotate: linting, the pool and the cache are the
    engine's (psense_lint.session), the same for the CLI and the plugin."""
    files = sorted((ROOT / "mkdocs_plugin").glob("*.py"))
    assert sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files) < 500
    for f in files:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] not in ("multiprocessing", "concurrent"), (f, name)


def test_one_rule_one_file():
    """rules/ps101.yml defines PS101 and no other rule; the other files (shared.yml,
    suggestions.yml) hold words only."""
    import yaml

    from psense_lint.rulepack import builtin_files

    seen = {}
    for path in builtin_files():
        rules = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("rules") or {}
        for rid in rules:
            assert path.name == f"{rid.lower()}.yml", f"{rid} is defined in {path.name}"
            seen[rid] = path.name
    assert set(seen) == {p.stem.upper() for p in builtin_files() if p.stem[:2] == "ps"}
