"""The per-user cache of compiled regexes (regex_cache.py): a regex from it is the
one ``re.compile`` makes, and a missing, corrupt, refused or unwritable cache only
means compiling as usual."""
from __future__ import annotations

import json
import re

import pytest

from psense_lint import regex_cache, rulepack

PATTERNS = [(r"\b(?:user|users)\b", re.I), (r"(?P<num>\d+)\s*(ms|s)\b", 0), (r"^[-*+]\s+", re.M),
            (r"[\u2018\u2019']s$", 0), (r"(?!)", 0)]
TEXT = "Users wait 30 ms, then 2 s.\n- it's a user's list\n* USERS"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv(rulepack.PACK_CACHE_ENV, str(d))
    fresh_process(monkeypatch)
    return d


def fresh_process(monkeypatch):
    monkeypatch.setattr(regex_cache, "_loaded", None)
    monkeypatch.setattr(regex_cache, "_new", {})
    monkeypatch.setattr(regex_cache, "_used", set())


def same(a: re.Pattern, b: re.Pattern) -> bool:
    return (a == b and a.flags == b.flags and a.groupindex == b.groupindex
            and [m.span() for m in a.finditer(TEXT)] == [m.span() for m in b.finditer(TEXT)]
            and [m.groups() for m in a.finditer(TEXT)] == [m.groups() for m in b.finditer(TEXT)])


def entry_file(d):
    (path,) = d.glob("regex-*.json")
    return path


def stored_entries(d) -> list:
    stored = json.loads(entry_file(d).read_text("utf-8"))
    assert stored["stamp"] == regex_cache._stamp()
    assert stored["sha256"] == regex_cache._digest(stored["entries"])
    return json.loads(stored["entries"])


def test_a_cached_regex_is_the_compiled_one(cache_dir, monkeypatch):
    first = [regex_cache.compile(p, f) for p, f in PATTERNS]
    regex_cache.save()
    assert len(stored_entries(cache_dir)) == len(PATTERNS)
    fresh_process(monkeypatch)
    built = []
    monkeypatch.setattr(regex_cache, "_build", lambda p, e, b=regex_cache._build:
                        built.append(p) or b(p, e))
    again = [regex_cache.compile(p, f) for p, f in PATTERNS]
    assert built == [p for p, _ in PATTERNS]  # every one from the cache
    for (p, f), a, b in zip(PATTERNS, first, again):
        assert same(a, re.compile(p, f)) and same(b, re.compile(p, f))


def test_spacy_affix_regexes_from_the_cache(cache_dir, monkeypatch):
    from spacy.lang.en import English
    from spacy.util import compile_infix_regex, compile_suffix_regex

    from psense_lint.nlp import _regex

    infix, suffix = compile_infix_regex(English.Defaults.infixes), \
        compile_suffix_regex(English.Defaults.suffixes)
    assert _regex(English.Defaults.infixes) == infix
    regex_cache.save()
    fresh_process(monkeypatch)
    assert _regex(English.Defaults.infixes) == infix
    assert _regex(English.Defaults.suffixes, after="$") == suffix


def write(d, entries, digest=None):
    text = json.dumps(entries)
    entry_file(d).write_text(json.dumps({"stamp": regex_cache._stamp(), "entries": text,
                                         "sha256": digest or regex_cache._digest(text)}), "utf-8")


@pytest.mark.parametrize("junk", [b"", b"{not json", b"[]", b'{"stamp": 1}', b"\xff\xfe",
                                  b'{"stamp": %s, "entries": 3}'])
def test_corrupt_files_are_ignored_and_rewritten(cache_dir, monkeypatch, junk):
    regex_cache.compile(r"\d+")
    regex_cache.save()
    stamp = json.dumps(regex_cache._stamp()).encode()
    entry_file(cache_dir).write_bytes(junk.replace(b"%s", stamp))
    fresh_process(monkeypatch)
    assert same(regex_cache.compile(r"\d+"), re.compile(r"\d+"))
    regex_cache.save()
    assert [e[:2] for e in stored_entries(cache_dir)] == [[r"\d+", 0]]


def test_changed_code_is_not_used(cache_dir, monkeypatch):
    """Changed integers in the SRE code can crash _sre (it does not check enough):
    an entry whose checksum is not its own is never handed to it."""
    regex_cache.compile(r"(\w+)\s\1")
    regex_cache.save()
    (entry,) = stored_entries(cache_dir)
    good = regex_cache._digest(json.dumps([entry]))
    entry[2][1][3] += 7
    write(cache_dir, [entry], digest=good)
    fresh_process(monkeypatch)
    assert regex_cache._load() == {}
    assert same(regex_cache.compile(r"(\w+)\s\1"), re.compile(r"(\w+)\s\1"))


@pytest.mark.parametrize("entry", [3, [r"\d+", 0, [1, 2, 3, 4, 5]], [r"\d+", 0, [32, [99], 0, {}, []]],
                                   [r"\d+", 0, [32, "x", 0, {}, []]], [r"\d+", "0", [32, [], 0, {}, []]]])
def test_entries_of_the_wrong_shape_are_compiled_again(cache_dir, monkeypatch, entry):
    regex_cache.compile(r"\d+")
    regex_cache.save()
    write(cache_dir, [entry])
    fresh_process(monkeypatch)
    assert same(regex_cache.compile(r"\d+"), re.compile(r"\d+"))
    regex_cache.save()
    assert [e[:2] for e in stored_entries(cache_dir)] == [[r"\d+", 0]]


def test_another_interpreter_is_ignored(cache_dir, monkeypatch):
    regex_cache.compile(r"\d+")
    regex_cache.save()
    path = entry_file(cache_dir)
    stored = json.loads(path.read_text("utf-8"))
    stored["stamp"][1] = "another Python"
    path.write_text(json.dumps(stored), "utf-8")
    fresh_process(monkeypatch)
    assert regex_cache._load() == {}


def test_unwritable_or_off(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    for value in (str(blocker / "cache"), ""):
        monkeypatch.setenv(rulepack.PACK_CACHE_ENV, value)
        fresh_process(monkeypatch)
        assert same(regex_cache.compile(r"\bx\b", re.I), re.compile(r"\bx\b", re.I))
        regex_cache.save()  # silently nothing
    assert blocker.read_text("utf-8") == "not a folder"


def test_past_the_limit_only_this_runs_are_kept(cache_dir, monkeypatch):
    monkeypatch.setattr(regex_cache, "MAX_ENTRIES", 3)
    for n in range(3):
        regex_cache.compile(rf"a{n}")
    regex_cache.save()
    fresh_process(monkeypatch)
    regex_cache.compile("a0")
    regex_cache.compile("b")
    regex_cache.save()
    assert sorted(e[0] for e in stored_entries(cache_dir)) == ["a0", "b"]
