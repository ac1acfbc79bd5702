"""The per-user cache of parsed rule packs (rulepack.py): it gives back the same
pack as parsing the YAML, ignores entries that are corrupt or stale, follows
edits to a pack, and never hides an error in one."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from psense_lint import rulepack
from psense_lint.checks.registry import validate
from psense_lint.model import ConfigError

load = rulepack.load_pack.__wrapped__  # no in-process lru_cache: every call reads


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "pack-cache"
    monkeypatch.setenv(rulepack.PACK_CACHE_ENV, str(d))
    return d


def entries(d: Path) -> list[Path]:
    return sorted(d.glob("pack-*.json")) if d.is_dir() else []


def test_cached_pack_equals_parsed_pack(cache_dir, monkeypatch):
    first = load(())                      # parses the YAML, writes the entry
    assert len(entries(cache_dir)) == 1
    second = load(())                     # from the entry
    monkeypatch.setenv(rulepack.PACK_CACHE_ENV, "")
    parsed = load(())                     # cache off: parsed again
    assert first == second == parsed
    spec = second.rules["PS101"]
    assert type(spec.options) is dict
    assert all(type(v) in (list, str, int, float, dict) for v in spec.options.values())


def test_entry_is_used(cache_dir, monkeypatch):
    load(())
    (entry,) = entries(cache_dir)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["pack"]["rules"]["PS101"]["info"]["summary"] = "from the cache"
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert load(()).rules["PS101"].info.summary == "from the cache"


@pytest.mark.parametrize("junk", [b"", b"{not json", b"[]", b'{"key": 1}', b"\xff\xfe",
                                  b'{"key": "%s", "pack": {"rules": 3}}'])
def test_corrupt_entry_is_ignored_and_rewritten(cache_dir, junk):
    expected = load(())
    (entry,) = entries(cache_dir)
    key = json.loads(entry.read_text(encoding="utf-8"))["key"]
    entry.write_bytes(junk.replace(b"%s", key.encode()))
    assert load(()) == expected
    assert json.loads(entry.read_text(encoding="utf-8"))["key"] == key  # written again


def test_entry_with_wrong_types_is_ignored(cache_dir):
    expected = load(())
    (entry,) = entries(cache_dir)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["pack"]["lexicons"]["people"] = [1, 2]
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert load(()) == expected


def test_edited_pack_invalidates_entry(cache_dir, tmp_path):
    extra = tmp_path / "extra.yml"
    extra.write_text("lexicons:\n  my_words: [alpha]\n", encoding="utf-8")
    assert load((extra,)).lexicons["my_words"] == ("alpha",)
    extra.write_text("lexicons:\n  my_words: [alpha, beta]\n", encoding="utf-8")
    assert load((extra,)).lexicons["my_words"] == ("alpha", "beta")
    assert load((extra,)).lexicons["my_words"] == ("alpha", "beta")  # the new entry


def test_error_in_edited_pack_still_has_file_line_col(cache_dir, tmp_path):
    extra = tmp_path / "extra.yml"
    extra.write_text("rules:\n  PS901:\n    check: vague-goal\n    summary: x\n    message: y\n",
                     encoding="utf-8")
    assert "PS901" in load((extra,)).rules
    extra.write_text("rules:\n  PS901:\n    check: nope\n    summary: x\n    message: y\n",
                     encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        validate(load((extra,)))
    assert "extra.yml:3:5: rule PS901: unknown check 'nope'" in str(err.value)
    extra.write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load((extra,))
    assert "extra.yml:2:1: invalid YAML" in str(err.value)


def test_missing_pack_file_is_the_usual_error(cache_dir, tmp_path):
    with pytest.raises(ConfigError, match="rule file not found"):
        load((tmp_path / "gone.yml",))


def test_unwritable_cache_dir_is_silent(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(rulepack.PACK_CACHE_ENV, str(blocker / "sub"))
    assert load(()).rules


def test_options_json_cannot_hold_are_not_cached(cache_dir, tmp_path):
    extra = tmp_path / "extra.yml"
    extra.write_text("rules:\n  PS301:\n    options:\n      1: number key\n", encoding="utf-8")
    pack = load((extra,))
    assert pack.rules["PS301"].options[1] == "number key"
    assert not any("number key" in p.read_text(encoding="utf-8") for p in entries(cache_dir))


def test_default_location_is_per_user_not_the_project(monkeypatch, tmp_path):
    monkeypatch.delenv(rulepack.PACK_CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert rulepack.pack_cache_dir() == tmp_path / "xdg" / "psense-lint"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert rulepack.pack_cache_dir() == tmp_path / "home" / ".cache" / "psense-lint"
    monkeypatch.setenv(rulepack.PACK_CACHE_ENV, "")
    assert rulepack.pack_cache_dir() is None
