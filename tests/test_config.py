"""Config discovery, validation, globs, per-file rules and --show-config."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from psense_lint.config import (DEFAULT_DESIGN_DOCS, DEFAULT_INCLUDE, Config, Override,
                                dump_config, find_config, is_design_doc_path, is_included,
                                load_config, rules_for)
from psense_lint.model import ConfigError

KNOWN = ("PS101", "PS102", "PS201", "PS202", "PS301")
LEVELS = {"PS101": "warning", "PS102": "warning", "PS201": "info", "PS202": "info",
          "PS301": "error"}


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load(path: Path | None, start: Path | None = None, **cli) -> Config:
    return load_config(path, start=start or (path.parent if path else Path.cwd()),
                       known_rules=KNOWN, cli=cli)


# ---------------------------------------------------------------- discovery

TABLE = "[tool.psense-lint]\nselect = ['PS1']\n"


def test_no_config_means_defaults(tmp_path):
    cfg = load_config(None, start=tmp_path, known_rules=KNOWN)
    if cfg.source is not None:  # a stray config above the temp dir
        pytest.skip(f"found {cfg.source}")
    assert cfg == Config(root=tmp_path, source=None)
    assert cfg.include == DEFAULT_INCLUDE
    assert cfg.design_docs == DEFAULT_DESIGN_DOCS
    assert (cfg.select, cfg.ignore, cfg.exclude, dict(cfg.severity)) == (("ALL",), (), (), {})
    assert (cfg.fail_on, cfg.pipeline, cfg.cache_dir, cfg.jobs) == ("warning", "blank", None, None)


@pytest.mark.parametrize("files, start, expected", [
    # same directory: .psense.yml, then .psense.yaml, then pyproject.toml
    ({".psense.yml": "", ".psense.yaml": "", "pyproject.toml": TABLE}, ".", ".psense.yml"),
    ({".psense.yaml": "", "pyproject.toml": TABLE}, ".", ".psense.yaml"),
    ({"pyproject.toml": TABLE}, ".", "pyproject.toml"),
    # nearer beats farther, even a farther .psense.yml
    ({".psense.yml": "", "a/pyproject.toml": TABLE}, "a/b", "a/pyproject.toml"),
    ({".psense.yml": "", "a/b/.psense.yaml": ""}, "a/b", "a/b/.psense.yaml"),
    # a pyproject.toml without the table is skipped and the walk goes on
    ({".psense.yml": "", "a/pyproject.toml": "[project]\nname = 'x'\n"}, "a", ".psense.yml"),
    ({"pyproject.toml": TABLE, "a/pyproject.toml": "[tool.ruff]\nline-length = 9\n"},
     "a/b", "pyproject.toml"),
    # a pyproject that only mentions psense-lint elsewhere is skipped too
    ({".psense.yml": "", "a/pyproject.toml": "[project]\nname = 'psense-lint'\n"}, "a",
     ".psense.yml"),
    # an unrelated broken pyproject.toml is skipped, not an error
    ({".psense.yml": "", "a/pyproject.toml": "[project\n"}, "a", ".psense.yml"),
    # the table written as a dotted key counts
    ({"pyproject.toml": "[tool]\npsense-lint = { select = ['PS1'] }\n"}, ".", "pyproject.toml"),
    # a start that is a file starts from its directory
    ({".psense.yml": "", "a/doc.md": "# x\n"}, "a/doc.md", ".psense.yml"),
    # directories named like config files are ignored
    ({"a/.psense.yml/x": "", ".psense.yaml": ""}, "a", ".psense.yaml"),
])
def test_find_config(tmp_path, files, start, expected):
    for name, text in files.items():
        write(tmp_path / name, text)
    assert find_config(tmp_path / start) == tmp_path / expected


def test_find_config_relative_start(tmp_path, monkeypatch):
    write(tmp_path / ".psense.yml", "")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    assert find_config(Path("sub")) == tmp_path / ".psense.yml"


def test_find_config_broken_pyproject_with_table_is_an_error(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.psense-lint]\nselect = [\n  "PS1"\n')
    with pytest.raises(ConfigError) as exc:
        find_config(tmp_path)
    assert str(exc.value) == (f"{tmp_path / 'pyproject.toml'}:3: invalid TOML: "
                              "Unclosed array")


def test_found_config_sets_root_and_source(tmp_path):
    cfg_file = write(tmp_path / ".psense.yml", "select: [PS1]\n")
    (tmp_path / "docs" / "deep").mkdir(parents=True)
    cfg = load_config(None, start=tmp_path / "docs" / "deep", known_rules=KNOWN)
    assert cfg.source == cfg_file
    assert cfg.root == tmp_path
    assert cfg.select == ("PS1",)


def test_explicit_config_wins_over_discovery(tmp_path):
    write(tmp_path / ".psense.yml", "select: [PS1]\n")
    other = write(tmp_path / "conf" / "lint.yaml", "select: [PS2]\n")
    cfg = load_config(other, start=tmp_path, known_rules=KNOWN)
    assert (cfg.select, cfg.root, cfg.source) == (("PS2",), tmp_path / "conf", other)


def test_explicit_relative_config_path(tmp_path, monkeypatch):
    write(tmp_path / "conf" / "x.yml", "fail-on: error\n")
    monkeypatch.chdir(tmp_path)
    cfg = load_config(Path("conf/x.yml"), start=Path("."), known_rules=KNOWN)
    assert cfg.root == tmp_path / "conf"
    assert cfg.source == tmp_path / "conf" / "x.yml"
    assert cfg.root.is_absolute()


# ---------------------------------------------------------------- every key

EXTRA_RULES = "rules:\n"


def test_every_key_yaml(tmp_path):
    write(tmp_path / "packs" / "extra.yml", EXTRA_RULES)
    cfg_file = write(tmp_path / ".psense.yml", """\
include: ["docs/**/*.md"]
exclude: [vendor/]
extend-exclude: "*.draft.md"
select: [PS1, PS2]
ignore: PS102, PS202
severity:
  PS1: error
  PS101: info
overrides:
  - files: "design/**"
    select: [PS2]
    ignore: [PS201]
    severity: {PS202: warning}
  - files: [legacy/, old/]
    ignore: PS1
fail-on: error
rule-files: [packs/extra.yml]
pipeline: en_core_web_sm
design-docs: ["specs/**"]
cache-dir: .cache/psense
jobs: 3
""")
    cfg = load(cfg_file, start=tmp_path / "docs")
    assert cfg == Config(
        root=tmp_path, source=cfg_file,
        include=("docs/**/*.md",), exclude=("vendor/", "*.draft.md"),
        select=("PS1", "PS2"), ignore=("PS102", "PS202"),
        severity={"PS1": "error", "PS101": "info"},
        overrides=(Override(files=("design/**",), select=("PS2",), ignore=("PS201",),
                            severity={"PS202": "warning"}),
                   Override(files=("legacy/", "old/"), ignore=("PS1",))),
        fail_on="error", rule_files=(tmp_path / "packs" / "extra.yml",),
        pipeline="en_core_web_sm", design_docs=("specs/**",),
        cache_dir=tmp_path / ".cache" / "psense", jobs=3)


def test_every_key_pyproject_matches_yaml(tmp_path):
    write(tmp_path / "packs" / "extra.yml", EXTRA_RULES)
    py = write(tmp_path / "pyproject.toml", """\
[project]
name = "demo"

[tool.psense-lint]
include = ["docs/**/*.md"]
exclude = ["vendor/"]
extend-exclude = "*.draft.md"
select = ["PS1", "PS2"]
ignore = "PS102, PS202"
fail-on = "error"
rule-files = ["packs/extra.yml"]
pipeline = "en_core_web_sm"
design-docs = ["specs/**"]
cache-dir = ".cache/psense"
jobs = 3

[tool.psense-lint.severity]
PS1 = "error"
PS101 = "info"

[[tool.psense-lint.overrides]]
files = "design/**"
select = ["PS2"]
ignore = ["PS201"]
severity = { PS202 = "warning" }

[[tool.psense-lint.overrides]]
files = ["legacy/", "old/"]
ignore = "PS1"
""")
    yml = write(tmp_path / "y" / ".psense.yml", """\
include: ["docs/**/*.md"]
exclude: [vendor/, "*.draft.md"]
select: [PS1, PS2]
ignore: [PS102, PS202]
severity: {PS1: error, PS101: info}
overrides:
  - {files: "design/**", select: [PS2], ignore: [PS201], severity: {PS202: warning}}
  - {files: [legacy/, old/], ignore: [PS1]}
fail-on: error
rule-files: [../packs/extra.yml]
pipeline: en_core_web_sm
design-docs: ["specs/**"]
cache-dir: ../.cache/psense
jobs: 3
""")
    from_toml = load(py)
    from_yaml = load(yml)
    assert from_toml.source == py and from_toml.root == tmp_path
    for name in Config.__dataclass_fields__:
        if name not in ("root", "source"):
            assert getattr(from_toml, name) == getattr(from_yaml, name), name


@pytest.mark.parametrize("text, field, value", [
    ("fail_on: info\n", "fail_on", "info"),
    ("fail-on: never\n", "fail_on", "never"),
    ("design_docs: docs/rfcs\n", "design_docs", ("docs/rfcs",)),
    ("extend_exclude: [a, b]\nexclude: c\n", "exclude", ("c", "a", "b")),
    ("cache_dir: /abs/cache\n", "cache_dir", Path("/abs/cache")),
    ("select: ps1\n", "select", ("PS1",)),            # case-insensitive ids
    ("select: all\n", "select", ("ALL",)),
    ("select: []\n", "select", ()),
    ("ignore: 'PS101 PS2'\n", "ignore", ("PS101", "PS2")),
    ("severity: {ALL: info, PS3: error}\n", "severity", {"ALL": "info", "PS3": "error"}),
    ("include: '*.md'\n", "include", ("*.md",)),
    ("jobs: null\n", "jobs", None),
    ("select:\n", "select", ("ALL",)),               # null = default
    ("overrides: []\n", "overrides", ()),
    ("overrides:\n  - files: x\n    select:\n", "overrides", (Override(files=("x",)),)),
    ("", "select", ("ALL",)),                        # empty file = defaults
    ("# only a comment\n", "include", DEFAULT_INCLUDE),
    ("\ufeffpipeline: blank\n", "pipeline", "blank"),  # BOM
])
def test_yaml_values(tmp_path, text, field, value):
    cfg = load(write(tmp_path / ".psense.yml", text))
    assert getattr(cfg, field) == value


def test_rule_files_resolve_against_root_not_start(tmp_path):
    write(tmp_path / "extra.yml", EXTRA_RULES)
    write(tmp_path / ".psense.yml", "rule_files: extra.yml\n")
    (tmp_path / "sub").mkdir()
    cfg = load_config(None, start=tmp_path / "sub", known_rules=KNOWN)
    assert cfg.rule_files == (tmp_path / "extra.yml",)


def test_standalone_toml_config(tmp_path):
    cfg = load(write(tmp_path / "psense.toml", "select = ['PS3']\n[severity]\nPS301 = 'info'\n"))
    assert cfg.select == ("PS3",) and dict(cfg.severity) == {"PS301": "info"}


# ---------------------------------------------------------------- errors

@pytest.mark.parametrize("text, expected", [
    ("slect: [PS1]\n", "1:1: unknown key 'slect' (did you mean 'select'?)"),
    ("include: x\nfail-onn: error\n", "2:1: unknown key 'fail-onn' (did you mean 'fail-on'?)"),
    ("frobnicate: 1\n", "1:1: unknown key 'frobnicate'"),
    ("1: x\n", "1:1: unknown key '1'"),
    ("fail-on: error\nfail_on: info\n", "2:1: duplicate key 'fail_on' (same as 'fail-on')"),
    # rule ids
    ("select: [PS1, PS999]\n", "1:15: select: unknown rule 'PS999'"),
    ("select:\n  - PS1\n  - PS999\n", "3:5: select: unknown rule 'PS999'"),
    ("ignore: PS999\n", "1:9: ignore: unknown rule 'PS999'"),
    ("ignore: 'PS1, XX'\n", "1:9: ignore: unknown rule 'XX'"),
    ("ignore: ''\n", "1:9: ignore: unknown rule ''"),
    ("select: {a: 1}\n", "1:9: select: expected a rule id or a list of rule ids, got a mapping"),
    ("select: [PS1, 7]\n", "1:15: select[1]: expected a rule id, got an integer"),
    ("severity:\n  PS999: error\n", "2:3: severity: unknown rule 'PS999'"),
    ("severity: {PS101: fatal}\n",
     "1:19: severity: invalid level 'fatal' for 'PS101' (expected info, warning or error)"),
    ("severity: {PS101: 3}\n",
     "1:19: severity: invalid level 3 for 'PS101' (expected info, warning or error)"),
    ("severity: [PS101]\n",
     "1:11: severity: expected a mapping of rule ids to levels, got a list"),
    # globs
    ("include: 3\n", "1:10: include: expected a string or a list of strings, got an integer"),
    ("include: ['*.md', 3]\n", "1:19: include[1]: expected a string, got an integer"),
    ("exclude: ['']\n", "1:11: exclude[0]: empty pattern"),
    ("exclude: [a, 'docs/[draft.md']\n", "1:14: exclude[1]: invalid pattern 'docs/[draft.md': "
     "an unclosed '[' (write '\\[' to match a '[')"),
    ("overrides:\n  - files: '[x'\n", "2:12: overrides[0].files: invalid pattern '[x': an "
     "unclosed '[' (write '\\[' to match a '[')"),
    ("extend-exclude: {a: b}\n",
     "1:17: extend-exclude: expected a string or a list of strings, got a mapping"),
    ("design-docs: true\n",
     "1:14: design-docs: expected a string or a list of strings, got a boolean"),
    # scalars
    ("fail-on: warn\n",
     "1:10: fail-on: invalid value 'warn' (expected info, warning, error or never)"),
    ("fail_on: 2\n", "1:10: fail_on: invalid value 2 (expected info, warning, error or never)"),
    ("pipeline: ''\n", "1:11: pipeline: expected a non-empty string, got an empty string"),
    ("pipeline: [a]\n", "1:11: pipeline: expected a non-empty string, got a list"),
    ("jobs: 0\n", "1:7: jobs: expected a positive integer, got 0"),
    ("jobs: four\n", "1:7: jobs: expected a positive integer, got a string"),
    ("jobs: true\n", "1:7: jobs: expected a positive integer, got a boolean"),
    ("jobs: 1.5\n", "1:7: jobs: expected a positive integer, got a number"),
    ("cache-dir: 3\n", "1:12: cache-dir: expected a path, got an integer"),
    ("rule-files: [extra.yml]\n", "1:14: rule-files: no such file 'extra.yml'"),
    ("rule_files: missing.yml\n", "1:13: rule_files: no such file 'missing.yml'"),
    # overrides
    ("overrides: {files: x}\n", "1:12: overrides: expected a list of mappings, got a mapping"),
    ("overrides: [3]\n", "1:13: overrides[0]: expected a mapping with 'files', got an integer"),
    ("overrides:\n  - files: x\n    selct: [PS1]\n",
     "3:5: overrides[0]: unknown key 'selct' (did you mean 'select'?)"),
    ("overrides:\n  - files: x\n  - select: [PS1]\n",
     "3:5: overrides[1]: missing required key 'files'"),
    ("overrides:\n  - files: []\n  - files: [a, 5]\n",
     "3:16: overrides[1].files[1]: expected a string, got an integer"),
    ("overrides:\n  - files: x\n    ignore: [PS9]\n",
     "3:14: overrides[0].ignore: unknown rule 'PS9'"),
    ("overrides:\n  - files: x\n    select: PS9\n",
     "3:13: overrides[0].select: unknown rule 'PS9'"),
    ("overrides:\n  - files: x\n    severity: {PS101: loud}\n",
     "3:23: overrides[0].severity: invalid level 'loud' for 'PS101' "
     "(expected info, warning or error)"),
    # the document
    ("- select\n", "1:1: expected a mapping of settings at the top level, got a list"),
    ("just text\n", "1:1: expected a mapping of settings at the top level, got a string"),
    ("select: [PS1\n", "2:1: invalid YAML: expected ',' or ']', but got '<stream end>'"),
    ("select: a: b\n", "1:10: invalid YAML: mapping values are not allowed here"),
    ("select: [PS1]\nselect: [PS2]\n",
     "2:1: invalid YAML: found duplicate key \"select\" with value \"['PS2']\" "
     "(original value: \"['PS1']\")"),
    ("a: 1\n---\nb: 2\n", "2:1: invalid YAML: but found another document"),
    ("include: x\n\tselect: y\n", "2:1: invalid YAML: found character '\\t' that cannot "
     "start any token"),
])
def test_yaml_errors(tmp_path, text, expected):
    path = write(tmp_path / ".psense.yml", text)
    with pytest.raises(ConfigError) as exc:
        load(path)
    assert str(exc.value) == f"{path}:{expected}"
    assert exc.value.path == str(path)


@pytest.mark.parametrize("text, expected", [
    ("[tool.psense-lint]\nslect = ['PS1']\n",
     "2:1: unknown key 'slect' (did you mean 'select'?)"),
    ('[project]\nname = "x"\n\n[tool.psense-lint]\nselect = ["PS1", "PS999"]\n',
     "5:18: select: unknown rule 'PS999'"),
    ('[tool.psense-lint]\nselect = [\n  "PS1",\n  "PS999",\n]\n',
     "4:3: select: unknown rule 'PS999'"),
    ('[tool.psense-lint]\nfail-on = "warn"\n',
     "2:11: fail-on: invalid value 'warn' (expected info, warning, error or never)"),
    ('[tool.psense-lint]\njobs = -1\n', "2:8: jobs: expected a positive integer, got -1"),
    ('[tool.psense-lint]\ninclude = 5\n',
     "2:11: include: expected a string or a list of strings, got an integer"),
    ('[tool.psense-lint.severity]\nPS101 = "fatal"\n',
     "2:9: severity: invalid level 'fatal' for 'PS101' (expected info, warning or error)"),
    ('[tool.psense-lint.severity]\nPS101 = "info"\nPS999 = "info"\n',
     "3:1: severity: unknown rule 'PS999'"),
    ('[tool.psense-lint]\nseverity = { PS101 = "error", PS999 = "info" }\n',
     "2:31: severity: unknown rule 'PS999'"),
    ('[tool.psense-lint]\nselect = ["PS1"]\n\n[[tool.psense-lint.overrides]]\nfiles = "a"\n'
     '\n[[tool.psense-lint.overrides]]\nfiles = "b"\nignore = ["PS7"]\n',
     "9:11: overrides[1].ignore: unknown rule 'PS7'"),
    ('[[tool.psense-lint.overrides]]\nfiles = "a"\nfils = "b"\n',
     "3:1: overrides[0]: unknown key 'fils' (did you mean 'files'?)"),
    ("[[tool.psense-lint.overrides]]\nfiles = 'a'\n[tool.psense-lint.overrides.severity]\n"
     "PS101 = 'bad'\n",
     "4:9: overrides[0].severity: invalid level 'bad' for 'PS101' "
     "(expected info, warning or error)"),
    ('[tool.psense-lint]\nrule-files = ["nope.yml"]\n',
     "2:15: rule-files: no such file 'nope.yml'"),
    ("[tool]\npsense-lint = 3\n", "2:1: [tool.psense-lint] must be a table, got an integer"),
    ("[tool]\nx = 1\npsense-lint = { jobs = 1, select = ['PS9'] }\n",
     "3:37: select: unknown rule 'PS9'"),
    ("[tool]\npsense-lint = { jobs = 1, slect = ['PS1'] }\n",
     "2:27: unknown key 'slect' (did you mean 'select'?)"),
    ('[tool.psense-lint]\nselect = "PS1" x\n',
     "2:16: invalid TOML: Expected newline or end of document after a statement"),
    ('[tool.psense-lint]\nselect = [\n  "PS1"\n', "3: invalid TOML: Unclosed array"),
    ("[tool.psense-lint]\nselect = [\n", "2: invalid TOML: Invalid value"),
    ("[tool.psense-lint]\na = 1\na = 2\n", "3:6: invalid TOML: Cannot overwrite a value"),
])
def test_pyproject_errors(tmp_path, text, expected):
    path = write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigError) as exc:
        load(path)
    assert str(exc.value) == f"{path}:{expected}"


@pytest.mark.parametrize("name, content, expected", [
    ("missing.yml", None, "config file not found"),
    ("dir.yml", "DIR", "config file is a directory"),
    (".psense.yml", b"select: [PS1]\n# caf\xe9\n", "2: config file is not UTF-8 text"),
    ("pyproject.toml", "[project]\nname = 'x'\n",
     "no [tool.psense-lint] table in this pyproject.toml"),
])
def test_file_errors(tmp_path, name, content, expected):
    path = tmp_path / name
    if content == "DIR":
        path.mkdir()
    elif content is not None:
        write(path, content)
    with pytest.raises(ConfigError) as exc:
        load(path)
    sep = ":" if expected[0].isdigit() else ": "
    assert str(exc.value) == f"{path}{sep}{expected}"


def test_found_config_errors_name_the_found_file(tmp_path):
    write(tmp_path / ".psense.yml", "jobs: x\n")
    (tmp_path / "a").mkdir()
    with pytest.raises(ConfigError) as exc:
        load_config(None, start=tmp_path / "a", known_rules=KNOWN)
    assert str(exc.value) == (f"{tmp_path / '.psense.yml'}:1:7: jobs: expected a positive "
                              "integer, got a string")


# ---------------------------------------------------------------- command line

def test_cli_overrides_file(tmp_path, monkeypatch):
    write(tmp_path / "a.yml", EXTRA_RULES)
    write(tmp_path / "conf" / "b.yml", EXTRA_RULES)
    path = write(tmp_path / "conf" / ".psense.yml", """\
exclude: [vendor/]
select: [PS1]
severity: {PS101: info, PS102: info}
fail-on: error
rule-files: [b.yml]
pipeline: blank
jobs: 2
""")
    monkeypatch.chdir(tmp_path)
    cfg = load(path, select=["PS2,PS3"], ignore="PS301", fail_on="info",
               exclude=["*.draft.md"], extend_exclude=("old/",), severity={"PS101": "error"},
               rule_files=["a.yml"], pipeline="en_core_web_sm", jobs=4,
               cache_dir="cache", include=None, design_docs="specs/**")
    assert cfg.select == ("PS2", "PS3")                  # replaces
    assert cfg.ignore == ("PS301",)
    assert cfg.exclude == ("vendor/", "*.draft.md", "old/")  # extends
    assert dict(cfg.severity) == {"PS101": "error", "PS102": "info"}  # merged
    assert cfg.rule_files == (tmp_path / "conf" / "b.yml", tmp_path / "a.yml")
    assert (cfg.fail_on, cfg.pipeline, cfg.jobs) == ("info", "en_core_web_sm", 4)
    assert cfg.cache_dir == tmp_path / "cache"            # CLI paths: relative to cwd
    assert cfg.include == DEFAULT_INCLUDE                 # None = not given
    assert cfg.design_docs == ("specs/**",)


def test_cli_without_config_file(tmp_path):
    cfg = load_config(None, start=tmp_path, known_rules=KNOWN,
                      cli={"fail-on": "never", "select": None})
    assert cfg.fail_on == "never"
    assert cfg.select == ("ALL",)


@pytest.mark.parametrize("cli, expected", [
    ({"select": ["PS999"]}, "--select: unknown rule 'PS999'"),
    ({"select": "PS999"}, "--select: unknown rule 'PS999'"),
    ({"ignore": "PS1,PS999"}, "--ignore: unknown rule 'PS999'"),
    ({"ignore": ["PS1", "PS2,PS999"]}, "--ignore: unknown rule 'PS999'"),
    ({"select": ["PS1", ""]}, "--select: unknown rule ''"),
    ({"fail_on": "warn"},
     "--fail-on: invalid value 'warn' (expected info, warning, error or never)"),
    ({"jobs": 0}, "--jobs: expected a positive integer, got 0"),
    ({"severity": {"PS101": "loud"}},
     "--severity: invalid level 'loud' for 'PS101' (expected info, warning or error)"),
    ({"severity": {"PS9": "info"}}, "--severity: unknown rule 'PS9'"),
    ({"rule_files": ["nope.yml"]}, "--rule-files: no such file 'nope.yml'"),
    ({"exclude": [""]}, "--exclude[0]: empty pattern"),
    ({"pipeline": ""}, "--pipeline: expected a non-empty string, got an empty string"),
])
def test_cli_errors(tmp_path, monkeypatch, cli, expected):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as exc:
        load_config(None, start=tmp_path, known_rules=KNOWN, cli=cli)
    assert str(exc.value) == expected
    assert exc.value.path is None


def test_cli_unknown_key_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError):
        load_config(None, start=tmp_path, known_rules=KNOWN, cli={"paths": ["x"]})


# ---------------------------------------------------------------- globs

def cfg_at(root: Path, **kw) -> Config:
    return Config(root=root, source=None, **kw)


@pytest.mark.parametrize("include, exclude, path, expected", [
    # default include
    (DEFAULT_INCLUDE, (), "a.md", True),
    (DEFAULT_INCLUDE, (), "docs/x/y.md", True),
    (DEFAULT_INCLUDE, (), "docs/page.mdx", True),
    (DEFAULT_INCLUDE, (), "notes.markdown", True),
    (DEFAULT_INCLUDE, (), "a.txt", False),
    (DEFAULT_INCLUDE, (), "a.md.txt", False),
    (DEFAULT_INCLUDE, (), "README.MD", False),           # case-sensitive, like git
    (DEFAULT_INCLUDE, (), "./docs/a.md", True),
    # "*" does not cross "/", "**" spans zero or more directories
    (("docs/*.md",), (), "docs/a.md", True),
    (("docs/*.md",), (), "docs/sub/a.md", False),
    (("docs/*.md",), (), "x/docs/a.md", False),          # a "/" anchors at the root
    (("docs/**/*.md",), (), "docs/a.md", True),
    (("docs/**/*.md",), (), "docs/a/b/c.md", True),
    (("**/x/*.md",), (), "x/a.md", True),
    (("*.md",), (), "deep/er/a.md", True),                # no "/": basename anywhere
    (("?.md",), (), "a.md", True),
    (("?.md",), (), "ab.md", False),
    (("[ab].md",), (), "b.md", True),
    (("[!ab].md",), (), "b.md", False),
    (("[!ab].md",), (), "c.md", True),
    (("*.{md,mdx}",), (), "x/y.mdx", True),
    (("*.{md,mdx}",), (), "x/y.markdown", False),
    ((r"\*.md",), (), "*.md", True),
    ((r"\*.md",), (), "a.md", False),
    ((r"\[unclosed.md",), (), "[unclosed.md", True),
    (("docs/{a,b{c,d}}.md",), (), "docs/bd.md", True),   # braces, nested too
    (("docs/{a,b{c,d}}.md",), (), "docs/b.md", False),
    (("#notes.md",), (), "#notes.md", True),              # no comments in a list
    (("docs/",), (), "docs/a/b.txt", True),              # a directory: all under it
    (("docs",), (), "docs/a.md", False),                 # include matches whole paths
    # exclude
    (DEFAULT_INCLUDE, ("CHANGELOG.md",), "CHANGELOG.md", False),
    (DEFAULT_INCLUDE, ("CHANGELOG.md",), "pkg/CHANGELOG.md", False),
    (DEFAULT_INCLUDE, ("CHANGELOG.md",), "pkg/CHANGELOG.md.md", True),
    (DEFAULT_INCLUDE, ("*.draft.md",), "a/b.draft.md", False),
    (DEFAULT_INCLUDE, ("*.draft.md",), "a/b.md", True),
    (DEFAULT_INCLUDE, ("vendor/",), "vendor/a.md", False),
    (DEFAULT_INCLUDE, ("vendor/",), "x/vendor/y/a.md", False),
    (DEFAULT_INCLUDE, ("vendor/",), "vendor.md", True),
    (DEFAULT_INCLUDE, ("vendor",), "vendor/a.md", False),
    (DEFAULT_INCLUDE, ("vendor",), "x/vendor/y/z.md", False),
    (DEFAULT_INCLUDE, ("vendor",), "vendors/a.md", True),
    (DEFAULT_INCLUDE, ("docs/api",), "docs/api/x.md", False),
    (DEFAULT_INCLUDE, ("docs/api",), "x/docs/api/x.md", True),
    (DEFAULT_INCLUDE, ("/README.md",), "README.md", False),
    (DEFAULT_INCLUDE, ("/README.md",), "docs/README.md", True),
    (DEFAULT_INCLUDE, ("./build",), "build/x.md", False),
    (DEFAULT_INCLUDE, ("./build",), "src/build/x.md", True),
    (DEFAULT_INCLUDE, ("**/generated/**",), "a/generated/b/c.md", False),
    (DEFAULT_INCLUDE, ("**",), "a.md", False),
    (DEFAULT_INCLUDE, ("./",), "a.md", False),             # the root: everything
    (DEFAULT_INCLUDE, ("*/",), "a.md", True),             # any folder, not top-level files
    (DEFAULT_INCLUDE, ("*/",), "a/b.md", False),
    (DEFAULT_INCLUDE, ("vendor/", "!vendor/keep.md"), "vendor/keep.md", True),  # gitignore's "!"
    (DEFAULT_INCLUDE, ("vendor/", "!vendor/keep.md"), "vendor/drop.md", False),
])
def test_globs(tmp_path, include, exclude, path, expected):
    cfg = cfg_at(tmp_path, include=include, exclude=exclude)
    assert is_included(cfg, Path(path)) is expected
    # an absolute path under the root behaves the same
    if not path.startswith("./"):
        assert is_included(cfg, tmp_path / path) is expected


@pytest.mark.parametrize("exclude, path, expected", [
    ((), "/elsewhere/a.md", True),                       # include "**/*.md" matches as given
    (("vendor",), "/elsewhere/vendor/a.md", False),      # basename rules still apply
    (("docs/*.md",), "/elsewhere/docs/a.md", True),      # anchored patterns do not
    (("*.draft.md",), "../sibling/x.draft.md", False),
])
def test_globs_outside_root(tmp_path, exclude, path, expected):
    cfg = cfg_at(tmp_path / "root", exclude=exclude)
    assert is_included(cfg, Path(path)) is expected


def test_globs_through_symlinked_root(tmp_path):
    real = tmp_path / "real"
    (real / "vendor").mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(real)
    cfg = cfg_at(link, exclude=("/vendor",))
    assert not is_included(cfg, (real / "vendor" / "a.md"))
    assert is_included(cfg, (real / "a.md"))


# ---------------------------------------------------------------- design docs

@pytest.mark.parametrize("path, expected", [
    ("design/x.md", True), ("docs/designs/x.md", True), ("design-docs/a/b.md", True),
    ("rfcs/0001.md", True), ("docs/rfc/a.md", True), ("adr/0001.md", True),
    ("docs/decisions/a.md", True), ("proposals/a.md", True), ("keps/sig/x.md", True),
    ("docs/x.md", False), ("design.md", False), ("README.md", False),
    ("mydesign/x.md", False),
])
def test_design_doc_defaults(tmp_path, path, expected):
    assert is_design_doc_path(cfg_at(tmp_path), Path(path)) is expected


def test_design_doc_custom_globs(tmp_path):
    cfg = cfg_at(tmp_path, design_docs=("docs/specs", "*.rfc.md"))
    assert is_design_doc_path(cfg, Path("docs/specs/a/b.md"))
    assert is_design_doc_path(cfg, tmp_path / "x" / "y.rfc.md")
    assert not is_design_doc_path(cfg, Path("design/x.md"))


# ---------------------------------------------------------------- rules per file

OVR = (
    Override(files=("design/**",), ignore=("PS1",)),
    Override(files=("design/legacy",), select=("PS1",), severity={"PS101": "error"}),
    Override(files=("*.notes.md",), severity={"PS1": "info"}),
    Override(files=("*.notes.md",), severity={"PS102": "error"}),
)


@pytest.mark.parametrize("kw, path, expected", [
    ({}, "a.md", LEVELS),
    ({"select": ("PS1",)}, "a.md", {"PS101": "warning", "PS102": "warning"}),
    ({"select": ("PS1",), "ignore": ("PS102",)}, "a.md", {"PS101": "warning"}),
    # like ruff: the more specific selector wins; a tie goes to ignore
    ({"select": ("PS101",), "ignore": ("PS1",)}, "a.md", {"PS101": "warning"}),
    ({"select": ("PS1",), "ignore": ("PS1",)}, "a.md", {}),
    ({"select": ("PS3",), "ignore": ("ALL",)}, "a.md", {"PS301": "error"}),
    ({"ignore": ("ALL",)}, "a.md", {}),
    ({"select": ()}, "a.md", {}),
    # severity: most specific key wins
    ({"select": ("PS1",), "severity": {"PS1": "error", "PS102": "info"}}, "a.md",
     {"PS101": "error", "PS102": "info"}),
    ({"select": ("PS2", "PS3"), "severity": {"ALL": "info"}}, "a.md",
     {"PS201": "info", "PS202": "info", "PS301": "info"}),
    # overrides, in order
    ({"overrides": OVR}, "a.md", LEVELS),
    ({"overrides": OVR}, "design/a.md",
     {"PS201": "info", "PS202": "info", "PS301": "error"}),
    ({"overrides": OVR}, "design/legacy/old.md", {"PS101": "error", "PS102": "warning"}),
    ({"overrides": OVR}, "x/y.notes.md", {**LEVELS, "PS101": "info", "PS102": "error"}),
    ({"overrides": OVR}, "design/legacy/y.notes.md", {"PS101": "info", "PS102": "error"}),
    # an override's select replaces the selection, even what the top level ignores
    ({"ignore": ("PS3",), "overrides": (Override(files=("*",), select=("PS3",)),)}, "a.md",
     {"PS301": "error"}),
    # an override's ignore removes, whatever the top level's specificity
    ({"select": ("PS101",), "overrides": (Override(files=("a.md",), ignore=("PS1",)),)},
     "a.md", {}),
])
def test_rules_for(tmp_path, kw, path, expected):
    assert rules_for(cfg_at(tmp_path, **kw), Path(path), LEVELS) == expected


def test_rules_for_absolute_path(tmp_path):
    cfg = cfg_at(tmp_path, overrides=(Override(files=("design/",), select=("PS2",)),))
    assert set(rules_for(cfg, tmp_path / "design" / "a.md", LEVELS)) == {"PS201", "PS202"}


# ---------------------------------------------------------------- --show-config

def test_dump_defaults(tmp_path):
    text = dump_config(cfg_at(tmp_path))
    assert text.startswith("source: none\n")
    data = YAML(typ="safe").load(text)
    assert list(data)[:2] == ["source", "root"]
    assert data["root"] == str(tmp_path)
    assert data["cache-dir"] == str(tmp_path / ".psense_cache")   # effective values
    assert data["jobs"] == (os.cpu_count() or 1)
    assert data["include"] == list(DEFAULT_INCLUDE)


def test_dump_round_trip(tmp_path):
    write(tmp_path / "extra.yml", EXTRA_RULES)
    path = write(tmp_path / ".psense.yml", """\
include: ["docs/**/*.md"]
exclude: [vendor/, "*.draft.md"]
select: [PS1, PS2]
ignore: [PS102]
severity: {PS101: error}
overrides:
  - files: [design/**]
    select: [PS2]
    severity: {PS202: warning}
  - files: ["*.notes.md"]
    ignore: [PS1]
fail-on: never
rule-files: [extra.yml]
pipeline: en_core_web_sm
design-docs: [specs/]
cache-dir: .c
jobs: 2
""")
    cfg = load(path)
    text = dump_config(cfg)
    assert text.startswith(f"source: {path}\n")
    data = YAML(typ="safe").load(text)
    assert data["rule-files"] == [str(tmp_path / "extra.yml")]
    del data["source"], data["root"]
    again_file = tmp_path / "again" / ".psense.yml"
    again_file.parent.mkdir()
    YAML(typ="safe").dump(data, again_file)
    again = load(again_file)
    for name in Config.__dataclass_fields__:
        if name not in ("root", "source"):
            assert getattr(again, name) == getattr(cfg, name), name


def test_config_is_hashable_and_immutable(tmp_path):
    cfg = cfg_at(tmp_path, severity={"PS1": "info"},
                 overrides=[Override(files=["a"], severity={"PS1": "error"})])
    assert hash(cfg) == hash(cfg_at(tmp_path, severity={"PS1": "info"},
                                    overrides=(Override(files=("a",),
                                                        severity={"PS1": "error"}),)))
    with pytest.raises(TypeError):
        cfg.severity["PS1"] = "error"  # type: ignore[index]
