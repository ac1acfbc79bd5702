"""Rule packs are read with PyYAML's C safe loader; anything it cannot vouch for
(an error, an alias, a duplicate key, a date) is read with ruamel, which places
errors at file:line:col. Both give the same pack."""
from __future__ import annotations

import pytest

from psense_lint import rulepack, safeio
from psense_lint.checks.registry import validate
from psense_lint.model import ConfigError

load = rulepack.load_pack.__wrapped__


def test_fast_and_ruamel_loaders_give_the_same_packs():
    files = rulepack.builtin_files()
    texts = rulepack._read_texts(files)
    assert rulepack._parse_with(files, texts, fast=True) == \
        rulepack._parse_with(files, texts, fast=False)


@pytest.mark.parametrize("text", [
    "a: [no, on, yes, off, 1:20, 1e3, .5, true, null, ~, 0x1f, 1.5e+3, +1, -0, .inf, 1.]\n",
    "a: 012\n", "a: 1_000\n", "a: 0o7\n", "a: 0b11\n",
    "a: 2024-01-01\n",
    "a: &x [1]\nb: *x\n",
    "a: 1\na: 2\n",
    "a: {<<: {b: 1}, c: 2}\n",
])
def test_fast_loader_agrees_with_ruamel_or_steps_aside(text):
    try:
        fast = safeio.fast_yaml(text)
    except safeio.Unsure:
        return
    assert fast == rulepack._plain(rulepack._ruamel_yaml(None, text))


def test_errors_still_have_file_line_col(tmp_path, monkeypatch):
    monkeypatch.setenv(rulepack.PACK_CACHE_ENV, "")
    extra = tmp_path / "extra.yml"
    for text, where in [
        ("rules:\n  PS901:\n    check: vague-goal\n    summary: x\n    message: y\n"
         "    bogus: 1\n", "extra.yml:6:5: rule PS901: unknown key 'bogus'"),
        ("lexicons:\n  people: [a, {b: c}]\n", "extra.yml:2:3: 'people' must be a list"),
        ("rules: [\n", "extra.yml:2:1: invalid YAML"),
        ("a: 1\na: 2\n", "extra.yml:2:1: invalid YAML"),
    ]:
        extra.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            validate(load((extra,)))
        assert where in str(err.value)


RULE = "rules:\n  PS901:\n    check: vague-goal\n    summary: x\n    message: y\n"


@pytest.mark.parametrize("text, where", [
    # every key of a pack is declared (rulepack.PACK_SCHEMA): unknown keys and wrong
    # types are one error at the file's line and column
    ("version: one\n", "extra.yml:1:1: 'version' must be a whole number"),
    ("rulez: {}\n", "extra.yml:1:1: unknown key 'rulez' (expected one of: lexicons, rules, "
     "version)"),
    ("lexicons: [a]\n", "extra.yml:1:1: 'lexicons' must be a mapping of names to lists of "
     "strings"),
    ("rules:\n  ps-1: {}\n", "extra.yml:2:3: rule id 'ps-1' must look like PS101"),
    (RULE + "    summry: z\n", "extra.yml:6:5: rule PS901: unknown key 'summry' (did you mean "
     "'summary'?)"),
    (RULE + "    why: [a]\n", "extra.yml:6:5: rule PS901: 'why' must be a string"),
    (RULE + "    level:\n", "extra.yml:6:5: rule PS901: level must be one of info, warning, "
     "error"),
    (RULE + "    options: [a]\n", "extra.yml:6:5: rule PS901: 'options' must be a mapping"),
    (RULE + "    examples:\n      fire: [a]\n",
     "extra.yml:7:7: rule PS901: examples: unknown key 'fire' (did you mean 'fires'?)"),
    (RULE + "    examples:\n      fires: [a, 3]\n",
     "extra.yml:7:7: rule PS901: examples: 'fires' must be a list of strings"),
    (RULE + "    categories:\n      a: {label: x, new: 'yes'}\n",
     "extra.yml:7:21: rule PS901: category 'a': 'new' must be true or false"),
    (RULE + "    categories:\n      a: {strong: [x], outcomes: {steps: 3}}\n",
     "extra.yml:7:24: rule PS901: category 'a': 'outcomes' must map names to strings"),
    (RULE + "    categories:\n      a: [x]\n",
     "extra.yml:7:7: rule PS901: category 'a' must be a mapping"),
])
def test_pack_schema_errors(tmp_path, monkeypatch, text, where):
    monkeypatch.setenv(rulepack.PACK_CACHE_ENV, "")
    extra = tmp_path / "extra.yml"
    extra.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load((extra,))
    assert str(err.value).endswith(where) and "\n" not in str(err.value)
