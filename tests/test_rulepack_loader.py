"""Rule packs are read with PyYAML's C safe loader; anything it cannot vouch for
(an error, an alias, a duplicate key, a date) is read with ruamel, which places
errors at file:line:col. Both give the same pack."""
from __future__ import annotations

import pytest

from psense_lint import rulepack
from psense_lint.checks import validate
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
        fast = rulepack._fast_yaml(text)
    except rulepack._Unsure:
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
