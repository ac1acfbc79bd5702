"""Attacks on psense-lint's reliability (issue 13): each ends in a one-line error or
a correct result. Every run that could hang has a time bound in the harness (a
subprocess timeout, or a worker thread joined with a timeout): a regression fails
the test instead of hanging CI. No timing assertions."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import (BOUND, FIXTURES, alive, bounded, sigint_as_a_terminal_leaves_it,
                      started_children)
from psense_lint import cli
from psense_lint.model import InputError

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
DOC = (FIXTURES / "cli" / "docs" / "design" / "event-bus.md").read_text(encoding="utf-8")


def run(*args, cwd=None, env=None, timeout=BOUND):
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "psense_lint", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=full_env, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def one_error_line(proc):
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert "Traceback" not in proc.stderr
    return lines


# ----------------------------------------------------------------- reads

@needs_fifo
def test_fifo_and_dev_zero_are_one_line_errors_and_others_still_linted(tmp_path):
    os.mkfifo(tmp_path / "x.md")
    (tmp_path / "z.md").symlink_to("/dev/zero")
    (tmp_path / "ok.md").write_text(DOC, encoding="utf-8")
    proc = run("--no-cache", "x.md", "z.md", "ok.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert one_error_line(proc) == [
        "psense-lint: error: x.md: not a regular file (a FIFO)",
        "psense-lint: error: z.md: not a regular file (a character device)"]
    assert "ok.md:10:52: PS101" in proc.stdout
    # found by walking a folder: the same
    proc = run("--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 2 and len(one_error_line(proc)) == 2


def test_read_is_bounded_whatever_stat_says(tmp_path, monkeypatch):
    from psense_lint import runner

    (tmp_path / "big.md").write_bytes(b"word " * 1000)
    monkeypatch.setattr(runner, "MAX_BYTES", 100)
    with pytest.raises(InputError, match=r"file too large"):
        runner.read_bytes(tmp_path / "big.md", "big.md")
    if os.path.exists("/dev/zero"):  # stat says 0 bytes; a read never ends
        with pytest.raises(InputError, match="not a regular file"):
            bounded(runner.read_bytes, "/dev/zero", "zero.md")


@needs_fifo
def test_plugin_reads_refuse_a_fifo(tmp_path):
    pytest.importorskip("mkdocs")
    from psense_lint import runner
    from psense_lint.config import Config

    os.mkfifo(tmp_path / "x.md")
    with pytest.raises(InputError, match=r"x.md: not a regular file \(a FIFO\)"):
        bounded(runner.read, Config(root=tmp_path, source=None), tmp_path / "x.md", "x.md")


@needs_fifo
def test_mkdocs_build_with_a_fifo_or_dev_zero_in_docs_ends(tmp_path):
    """A real `mkdocs build` whose docs hold a FIFO page, a page that is a symlink to
    /dev/zero and a FIFO asset: MkDocs itself would read them (blocking for ever, or
    until memory runs out); the plugin leaves them out of the site, one line each."""
    pytest.importorskip("mkdocs")
    docs = tmp_path / "docs"
    (docs / "design").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - psense\n",
                                         encoding="utf-8")
    (docs / "index.md").write_text("# Home\n\nFine.\n", encoding="utf-8")
    (docs / "design" / "ok.md").write_text(DOC, encoding="utf-8")
    os.mkfifo(docs / "design" / "x.md")
    os.mkfifo(docs / "img.png")
    if os.path.exists("/dev/zero"):
        (docs / "design" / "z.md").symlink_to("/dev/zero")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", "_site"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=BOUND,
                          stdin=subprocess.DEVNULL, env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [ln.split("psense_mkdocs: ", 1)[1] for ln in proc.stderr.splitlines()
             if "psense_mkdocs: docs/" in ln and "PS" not in ln]
    assert "docs/design/x.md: not a regular file (a FIFO)" in lines
    assert "docs/img.png: not a regular file (a FIFO); left out of the site" in lines
    if os.path.exists("/dev/zero"):
        assert "docs/design/z.md: not a regular file (a character device)" in lines
    assert "event-bus" not in proc.stderr and "docs/design/ok.md:10:52: PS101" in proc.stderr
    assert (tmp_path / "_site" / "design" / "ok" / "index.html").exists()


@needs_fifo
def test_fifo_config_and_rule_pack_do_not_hang(tmp_path):
    os.mkfifo(tmp_path / "conf.yml")
    (tmp_path / "a.md").write_text("Fine.\n", encoding="utf-8")
    proc = run("--no-cache", "--config", "conf.yml", "a.md", cwd=tmp_path)
    # --config names a file that is not one
    assert proc.returncode == 2 and len(one_error_line(proc)) == 1


# ----------------------------------------------------------------- config and packs

def _config_error(tmp_path, name, text, *args):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    (tmp_path / "a.md").write_text("Fine.\n", encoding="utf-8")
    proc = run("--no-cache", *args, "a.md", cwd=tmp_path)
    lines = one_error_line(proc)
    assert proc.returncode == 2, proc.stderr
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("name,text,expect", [
    (".psense.yml", "jobs: " + "9" * 5000 + "\n", ".psense.yml:1:7: invalid YAML: number "),
    (".psense.yml", "select: " + "[" * 5000 + "]" * 5000 + "\n",
     ".psense.yml:1:72: invalid YAML: nested deeper than 64 levels"),
    (".psense.yml", "a: &a [x, x]\nb: &b [*a, *a]\nselect: *b\n",
     ".psense.yml:2:8: invalid YAML: YAML aliases (*a) are not allowed"),
    ("pyproject.toml", '[tool.psense-lint]\njobs = ' + "9" * 5000 + "\n",
     "pyproject.toml:2:8: invalid TOML: number "),
    ("pyproject.toml", "[tool.psense-lint]\nselect = " + "[" * 5000 + "]" * 5000 + "\n",
     "pyproject.toml:2:74: invalid TOML: nested deeper than 64 levels"),
    ("pyproject.toml", b"[tool.psense-lint]\nselect = ['PS1']\n# caf\xe9\n",
     "pyproject.toml:3: config file is not UTF-8 text"),
])
def test_config_parse_attacks_are_one_line_with_file_and_line(tmp_path, name, text, expect):
    line = _config_error(tmp_path, name, text)
    assert line.startswith(f"psense-lint: error: {tmp_path}{os.sep}"), line
    assert expect in line, line


@pytest.mark.parametrize("text,expect", [
    ("lexicons:\n  people: &p [a, b]\n  more: *p\n", "pack.yml:3:9: invalid YAML: YAML aliases"),
    ("rules:\n  PS101:\n    options: &o {a: [1, 2]}\n    name: *o\n", "pack.yml:4:11:"),
    ("lexicons: " + "{a: " * 3000 + "b" + "}" * 3000 + "\n", "nested deeper than 64"),
    ("version: " + "1" * 5000 + "\n", "pack.yml:1:10: invalid YAML: number"),
])
def test_rule_pack_parse_attacks_are_one_line(tmp_path, text, expect):
    (tmp_path / "pack.yml").write_text(text, encoding="utf-8")
    line = _config_error(tmp_path, ".psense.yml", "rule-files: [pack.yml]\n")
    assert expect in line, line


# ----------------------------------------------------------------- internal errors

def _boom(monkeypatch):
    from psense_lint.engine import Linter

    real = Linter.lint_text

    def buggy(self, text, path, rel=None):
        if str(path).endswith("bad.md"):
            raise ZeroDivisionError("boom")
        return real(self, text, path, rel)

    monkeypatch.setattr(Linter, "lint_text", buggy)


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_error_is_one_line_exit_3(tmp_path, monkeypatch, capsys, debug):
    _boom(monkeypatch)
    (tmp_path / "bad.md").write_text("Fine.\n", encoding="utf-8")
    (tmp_path / "ok.md").write_text(DOC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = cli.main(["--no-cache", "--jobs", "1", "bad.md", "ok.md"]
                    + (["--debug"] if debug else []))
    out, err = capsys.readouterr()
    assert code == 3
    lines = [ln for ln in err.splitlines() if ln.startswith("psense-lint:")]
    assert lines == ["psense-lint: error: bad.md: internal error: ZeroDivisionError: boom "
                     "(this is a bug in psense-lint; run with --debug for the traceback and "
                     "please report it)"]
    assert ("Traceback" in err) is debug
    assert "ok.md:10:52: PS101" in out  # the other file is still linted


def test_an_unexpected_error_outside_linting_is_exit_3(monkeypatch, capsys):
    def broken(*a, **k):
        raise KeyError("x")

    monkeypatch.setattr("psense_lint.project.load_project", broken)
    assert cli.main(["--no-cache", "x.md"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("psense-lint: error: internal error: KeyError: 'x'")
    assert "Traceback" not in err and len(err.splitlines()) == 1


# ----------------------------------------------------------------- the results cache

def _cached_site(tmp_path):
    (tmp_path / "doc.md").write_text(DOC, encoding="utf-8")
    first = run("doc.md", cwd=tmp_path)
    entries = list((tmp_path / ".psense_cache").rglob("*.json"))
    assert len(entries) == 1
    return first, entries[0]


def test_type_corrupt_cache_entry_is_a_miss(tmp_path):
    first, entry = _cached_site(tmp_path)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["result"]["v"][1][0]["v"][1] = "3"  # a finding's line as a string
    entry.write_text(json.dumps(data), encoding="utf-8")
    again = run("doc.md", cwd=tmp_path)
    assert (again.returncode, again.stdout, again.stderr) == (
        first.returncode, first.stdout, first.stderr)
    from psense_lint.cache import _validate, _decode

    with pytest.raises(ValueError):
        _validate(_decode(data["result"], "doc.md"))


@needs_fifo
def test_fifo_in_place_of_a_cache_entry_is_a_miss(tmp_path):
    first, entry = _cached_site(tmp_path)
    entry.unlink()
    os.mkfifo(entry)
    again = run("doc.md", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)


def test_symlinked_folder_in_the_cache_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    site = tmp_path / "site"
    site.mkdir()
    _first, entry = _cached_site(site)
    version_dir = entry.parent.parent
    for p in sorted(version_dir.rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()
    version_dir.rmdir()
    version_dir.symlink_to(outside, target_is_directory=True)
    again = run("doc.md", cwd=site)
    assert again.returncode == 1 and "doc.md:10:52: PS101" in again.stdout
    assert list(outside.rglob("*")) == []  # nothing written outside the cache folder


# ----------------------------------------------------------------- patterns

def _pack_run(tmp_path, pattern, doc=DOC):
    (tmp_path / "pack.yml").write_text(
        "rules:\n  PS101:\n    categories:\n      architecture:\n        strong:\n"
        f"          - clean code\n          - \"{pattern}\"\n", encoding="utf-8")
    (tmp_path / ".psense.yml").write_text("rule-files: [pack.yml]\n", encoding="utf-8")
    (tmp_path / "doc.md").write_text(doc, encoding="utf-8")
    return run("--no-cache", "doc.md", cwd=tmp_path)


@pytest.mark.parametrize("pattern,expect", [
    ("clean " + " ".join(["a-b?"] * 20), "pack.yml:7:13: rule PS101: category 'architecture': pattern "
                              "expands to more than 256 variants"),
    (" ".join(["a-b|c-d|e-f"] * 8), "pack.yml:7:13: rule PS101: category 'architecture': "
                                    "pattern expands to more than 256 variants"),
    (" ".join(["x"] * 40), "pattern has 40 tokens (at most 32)"),
    (" ".join(["*?"] * 12) + " code", "pattern starts with 12 optional or wildcard tokens"),
    ("x" * 1200, "pattern longer than 1000 characters"),
    ("faster @nolex", "pack.yml:7:13: pattern refers to unknown lexicon '@nolex'"),
])
def test_pattern_limits_are_one_line_naming_the_pack(tmp_path, pattern, expect):
    proc = _pack_run(tmp_path, pattern)
    lines = one_error_line(proc)
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert expect in lines[0]


@pytest.mark.parametrize("pattern", [" ".join(["*?"] * 26), " ".join(["word?"] * 26),
                                     "* * #num *?"])
def test_patterns_without_a_required_word_are_refused(tmp_path, pattern):
    proc = _pack_run(tmp_path, pattern)
    lines = one_error_line(proc)
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert "pack.yml:7:13: rule PS101: category 'architecture': pattern has no required word" \
        in lines[0]


@pytest.mark.parametrize("pattern", ["clean " + " ".join(["*?"] * 30),
                                     "clean " + " ".join(["word?"] * 25) + " code",
                                     "*? * *? #num code " + " ".join(["*?"] * 12)])
def test_optional_chains_match_in_linear_time(tmp_path, pattern):
    # a backtracking matcher took ~2**26 steps per start here
    doc = "\n\n".join(["The word clean code is cleaner because we refactor it. " * 20] * 20)
    proc = _pack_run(tmp_path, pattern, doc)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


@pytest.mark.parametrize("regex,expect", [
    ("(a+)+$", "a repetition inside a repetition"),
    ("(?:\\w+\\s?)*!", "a repetition inside a repetition"),
    ("(x?){30}x{30}", "a repetition of something that can match empty text"),
    ("(a|a)*b", "a repeated alternation"),
    ("(.)\\1", "a backreference"),
    ("[", "invalid regular expression: unterminated character set"),
    ("x" * 1200, "regular expression longer than 1000 characters"),
])
def test_pack_regexes_that_can_blow_up_are_refused_at_their_line(tmp_path, regex, expect):
    """A user pack's regular expression (a lexicon ending in _re) that Python's
    backtracking matcher could take exponential time on is refused when the pack
    loads: one line at the pack's file:line:col, exit 2 (before: the run hung, or
    an invalid one was an internal error on every Markdown file)."""
    (tmp_path / "pack.yml").write_text(
        "lexicons:\n  ps2_measurable_re:\n    - " + json.dumps(regex) + "\n", encoding="utf-8")
    line = _config_error(tmp_path, ".psense.yml", "rule-files: [pack.yml]\n")
    assert line.startswith(f"psense-lint: error: {tmp_path / 'pack.yml'}:3:7: lexicon "
                           "'ps2_measurable_re': " + expect), line


def test_a_regex_lexicon_named_by_a_rule_option_is_checked_too(tmp_path):
    (tmp_path / "pack.yml").write_text(
        "lexicons:\n  mine:\n    - 'fine'\n    - '(\\d+\\.?)+x'\n"
        "rules:\n  PS301:\n    options:\n      not_vague_re: [mine]\n", encoding="utf-8")
    line = _config_error(tmp_path, ".psense.yml", "rule-files: [pack.yml]\n")
    assert f"pack.yml:4:7: lexicon 'mine': a repetition inside a repetition" in line, line


def test_every_builtin_regex_passes_the_check():
    from psense_lint.rulepack import load_pack
    from psense_lint.safe_regex import check_regex

    pack = load_pack()
    regexes = [r for name, items in pack.lexicons.items() if name.endswith("_re") for r in items]
    assert len(regexes) > 40
    assert [r for r in regexes if check_regex(r)] == []


def test_safe_regex_check_agrees_with_a_timed_match():
    """What the check lets through does not blow up on the inputs that make the
    refused ones exponential (a run of the repeated character, then a mismatch)."""
    import re

    from psense_lint.safe_regex import check_regex

    allowed = [r"(?:_[a-z0-9]+)+_x", r"^\W*(?:\S+\s+){0,4}\S+\W*$", r"(?:ab|cd)+e",
               r"\b(?:\w+ ){2,5}users\b", r"(?:foo|bar)+$", r"(a|ab)*c"]
    for regex in allowed:
        assert check_regex(regex) is None, regex
        for ch in "a_ 1x":
            bounded(re.search, regex, ch * 5000 + "!", re.I, timeout=BOUND)


def test_long_runs_without_spaces_tokenize_in_linear_time(nlp):
    """spaCy strips affixes from a whitespace-free run one at a time, searching
    the whole run each time: 16 KB of "[" took 73 s. Bounded now, and ordinary
    text is cut as before."""
    for text in ["[" * 200_000, "'s!" * 70_000, "(" * 50_000 + "x" + ")" * 50_000]:
        doc = bounded(nlp.make_doc, text)
        assert doc.text == text
    assert [t.text for t in nlp("See (https://example.com/a/b), e.g. kube-proxy's mode...")] == [
        "See", "(", "https://example.com/a/b", ")", ",", "e.g.", "kube", "-", "proxy", "'s",
        "mode", "..."]
    assert nlp.max_length >= 64 * 1024 * 1024  # a paragraph as long as the largest file allowed


def test_inputs_the_parser_is_slow_on_are_one_line_errors_naming_the_line(tmp_path):
    """1 MB of '[' (192 s before), a 1 MB table of one-word rows (48 s, 1.6 GB), 1 MB
    of one-word lines, nested brackets, a table of more cells than its limit: each is
    refused with file:line and a reason, exit 2, and a normal doc beside them is
    still linted. (What the corpus has is far below every limit: psense_lint/limits.py.)"""
    attacks = {
        "brackets.md": "[" * 1_000_000,
        "nested.md": "intro\n\n" + "[" * 400_000 + "]" * 400_000,
        "table.md": "| a |\n| - |\n" + "| w |\n" * 166_000,
        "lines.md": "w\n" * 500_000,
        "cells.md": "| a | b | c |\n| - | - | - |\n" + "| w | x | y |\n" * 7_000,
    }
    for name, text in attacks.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "ok.md").write_text(DOC, encoding="utf-8")
    proc = run("--no-cache", "--jobs", "1", "--format", "json", ".", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    errors = sorted(one_error_line(proc))
    assert errors == [
        "psense-lint: error: brackets.md:1: too many unclosed or deeply nested '[' to lint "
        "(more than 5,000 by this line; the Markdown parser's link search is slow on them)",
        "psense-lint: error: cells.md:6668: too many paragraphs, list items and table cells "
        "to lint (21,003; limit 20,000 for a file this size)",
        "psense-lint: error: lines.md:83334: too many lines to lint (500,001; limit 83,333 "
        "for a file this size)",
        "psense-lint: error: nested.md:3: too many unclosed or deeply nested '[' to lint "
        "(more than 5,000 by this line; the Markdown parser's link search is slow on them)",
        "psense-lint: error: table.md:83002: too many lines to lint (166,003; limit 83,001 "
        "for a file this size)",
    ]
    findings = json.loads(proc.stdout)["findings"]
    assert findings and {f["path"] for f in findings} == {"ok.md"}


def test_limits_sit_far_above_real_docs():
    """The bounds grow with the file: a long real doc raised past max-file-size is
    never refused by them (each fixture repeated to 4 MB, as a user might lint)."""
    from psense_lint import limits, markdown

    for path in sorted(FIXTURES.rglob("*.md"))[:40]:
        text = path.read_text(encoding="utf-8")
        if len(text) < 200:
            continue
        big = text * (4_000_000 // len(text))
        limits.check_text(big)
        limits.check_units(markdown.parse(text).units * (4_000_000 // len(text)), len(big))


@pytest.mark.parametrize("setting,expect", [
    ("max-file-size: 1KB", "big.md: file too large (2 KB; limit 1 KB); set max-file-size"),
    ("max-file-size: lots", ".psense.yml:1:16: max-file-size: expected a size such as 1MB"),
    ("max-file-size: 128MB", ".psense.yml:1:16: max-file-size: expected a size from 1KB to 64MB"),
])
def test_max_file_size_setting(tmp_path, setting, expect):
    (tmp_path / "big.md").write_text("Fine words here.\n" * 130, encoding="utf-8")
    line = _config_error(tmp_path, ".psense.yml", setting + "\n", "big.md")
    assert expect in line, line
    proc = run("--no-cache", "--max-file-size", "4KB", "big.md", cwd=tmp_path)
    if "1KB" in setting:  # the command line wins over the file
        assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def nlp():
    from psense_lint import nlp as nlp_mod

    return nlp_mod.load("blank")


def test_wildcards_never_cross_a_sentence(nlp):
    from psense_lint.patterns import PatternSet

    ps = PatternSet(nlp.vocab, {"x": ["faster *? *? code"]}, {})
    one = nlp("It is faster than old code. Fine.")
    assert [(lab, one[s:e].text) for lab, s, e in ps.find(one)] == [("x", "faster than old code")]
    two = nlp("It is faster. Code is here.")
    assert ps.find(two) == []
    assert ps.find_across_lines(nlp("It is faster\nthan.\nCode is here.")) == []


def test_matcher_states_equal_backtracking_search():
    """The state simulation (used for many optional tokens) and the backtracking
    search find the same ends, sentence starts included."""
    from hypothesis import given, settings, strategies as st

    from psense_lint.patterns import _Tok, _ends_dfs, _ends_nfa

    tok = st.builds(_Tok, st.one_of(st.none(), st.frozensets(st.integers(0, 3), max_size=3)),
                    st.booleans(), st.booleans())

    @settings(max_examples=400, deadline=None, database=None)
    @given(st.lists(tok, min_size=1, max_size=7), st.lists(st.integers(0, 3), max_size=12),
           st.data())
    def prop(toks, norms, data):
        n = len(norms)
        nums = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
        spaces = data.draw(st.one_of(st.none(), st.lists(st.booleans(), min_size=n, max_size=n)))
        sents = data.draw(st.one_of(st.none(), st.lists(st.booleans(), min_size=n, max_size=n)))
        toks = tuple(toks)
        for i in range(n + 1):
            a = _ends_dfs(toks, 0, i, n, norms, nums, spaces, sents, i, [])
            b = _ends_nfa(toks, 0, i, n, norms, nums, spaces, sents, i)
            assert sorted(set(a)) == sorted(set(b))

    prop()


# ----------------------------------------------------------------- spans (property)

_PIECES = [
    "cleaner architecture", "technical debt", "maintainability", "is simpler", "decoupled",
    "tightly coupled", "users", "customers", "because", "it improves", "faster", "the code",
    "we", "refactor", "the", "a", "and", "is", "than", "42", "10 ms", "é", "日本", "😀",
    " ", " ", " ", "  ", "\t", ".", ". ", "! ", "? ", ",", ":", "\n", "\n", "\n\n", "\r\n",
    "\r", "# Motivation\n", "## Drawbacks\n", "### Goals\n", "- ", "* ", "1. ", "> ",
    "**", "_", "`", "```\n", "    ", "[link](http://x.y)", "<!-- c -->", "<b>", "|", " | ",
    "!!! note\n    ", "$x$", "---\n", "\u00a0", "\u2028", "\x0c", "\ufeff",
    "Users want", "most users", "everyone knows", "significantly", "improve the experience",
    "better performance", "## Success metrics\n", "## Non-goals\n", "<!-- psense-lint disable PS101 -->",
    "<!-- psense-lint disable-next-line PS9 -->",
]


def _lines(text):
    import re

    return re.split(r"\r\n|\r|\n", text)


def _check_positions(text, result):
    import re

    lines = _lines(text)
    for f in result.findings:
        assert 1 <= f.line <= f.end_line <= len(lines), f
        def width(ln):
            return len(lines[ln - 1]) - (1 if ln == 1 and lines[0].startswith("\ufeff") else 0)

        for ln, col in ((f.line, f.column), (f.end_line, f.end_column)):
            assert 1 <= col <= width(ln) + 1, (f, repr(lines[ln - 1]))
        assert (f.line, f.column) <= (f.end_line, f.end_column), f
        if f.line == f.end_line and width(f.line) > 0 and f.rule.startswith("PS2"):
            assert f.end_column > f.column, f
        # the quoted claim lies inside the span (letters and digits, in order)
        m = re.search(r'"([^"]+)"', f.message)
        if m and not f.rule.startswith("PS2"):
            def at(ln, col):
                off = sum(len(x) + 1 for x in lines[: ln - 1])
                return off + col - 1 + (1 if ln == 1 and lines[0].startswith("\ufeff") else 0)
            flat = "\n".join(lines)
            span = flat[at(f.line, f.column): at(f.end_line, f.end_column)]
            # letters and digits of the quote, in order, among the span's (markup such
            # as a link target is in the source, not in the quoted prose)
            key = lambda s: re.sub(r"\W+", "", s.casefold())  # noqa: E731
            rest = iter(key(span))
            assert all(ch in rest for ch in key(m.group(1))), (m.group(1), span, f)


@pytest.fixture(scope="module")
def linter():
    from psense_lint.config import Config
    from psense_lint.engine import Linter

    lt = Linter(Config(root=Path("."), source=None))
    lt.nlp  # build it once
    return lt


def test_positions_and_quotes_property(linter):
    """Generated Markdown: no exception, every position inside the file and its
    line, every quoted claim inside its finding's span."""
    from hypothesis import HealthCheck, given, settings, strategies as st

    text_st = st.one_of(
        st.lists(st.sampled_from(_PIECES), max_size=60).map("".join),
        st.text(max_size=80),
        st.lists(st.sampled_from(_PIECES + ["x"]), max_size=6).map("".join))

    @settings(max_examples=int(os.environ.get("PSENSE_PROPERTY_EXAMPLES", "2000")),
              deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(text_st, st.sampled_from(["design/x.md", "notes/x.md"]))
    def prop(text, path):
        result = linter.lint_text(text, path)
        _check_positions(text, result)

    prop()


@pytest.mark.parametrize("text", ["", "x", "\ufeff", "\ufeffx", "\ufeff# T\n", "\n", "\r\n",
                                  "é", "\ufeffcleaner architecture is better because"])
def test_doc_level_findings_stay_inside_their_line(linter, text):
    result = linter.lint_text(text, "design/x.md")
    _check_positions(text, result)


# ----------------------------------------------------------------- signals


def _cache_entries_whole(cache):
    """Every file in the results cache is a whole entry: no temp file left behind,
    each entry parses (a write cut short by the signal would not)."""
    files = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
    assert not [p for p in files if p.name.startswith(".tmp-")], "partial cache writes"
    for p in files:
        if p.suffix == ".json":
            json.loads(p.read_text(encoding="utf-8"))
    return [p for p in files if p.suffix == ".json"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signame,code,group", [("SIGTERM", 143, False),
                                                ("SIGINT", 130, True)])
def test_signal_stops_the_workers_and_exits(tmp_path, signame, code, group):
    """A real `--jobs 2` run over a folder, stopped while its two workers lint:
    SIGTERM to the CLI (a CI runner's timeout), or SIGINT to the whole process
    group (Ctrl-C in a terminal). It exits 128 + the signal with one line on
    stderr and no traceback, leaves no worker behind and no half-written
    cache entry."""
    import signal
    import time

    body = "\n\n".join(["The cleaner architecture is better because we refactor it. " * 8] * 40)
    for i in range(40):
        (tmp_path / f"d{i:02}.md").write_text(f"# Doc {i}\n\n{body}\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "psense_lint", "--jobs", "2",
                             "."], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                            start_new_session=group,
                            preexec_fn=sigint_as_a_terminal_leaves_it,
                            env={**os.environ, "PSENSE_LINT_START_METHOD": "fork"})
    try:
        kids = started_children(proc, BOUND)
        assert len(kids) >= 2, "the workers never started"
        time.sleep(0.3)  # let them take work
        sig = getattr(signal, signame)
        if group:  # as a terminal delivers Ctrl-C: to every process of the group
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        # the workers hold the pipes too: this returns only once they are gone
        _out, err = proc.communicate(timeout=BOUND)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == code, err
    assert "Traceback" not in err
    assert [ln for ln in err.splitlines() if ln.strip()] == [
        f"psense-lint: stopped by {signame}; nothing reported for the files not yet linted"]
    deadline = time.monotonic() + BOUND
    while any(alive(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(k) for k in kids), "orphaned workers"
    assert "leaked semaphore" not in err
    _cache_entries_whole(tmp_path / ".psense_cache")


# A signal at the worst moments, made to arrive exactly then: the harness's own
# script sends it from inside the run (right after the pool forks a worker, or
# while spaCy's C extensions are being imported), as a CI runner's timeout or a
# Ctrl-C could under load. It was swallowed there ("Exception ignored in
# _releaseLock", an ImportError per file) and the run went on to the end.
_SIGNAL_AT = {
    "fork": "os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), SIG))",
    "import": ("fired = []\n"
               "def hook(event, args):\n"
               "    if event == 'import' and args[0] == 'numpy' and not fired:\n"
               "        fired.append(1)\n"
               "        os.kill(os.getpid(), SIG)\n"
               "sys.addaudithook(hook)"),
}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork, /proc")
@pytest.mark.parametrize("moment,signame,code", [("fork", "SIGTERM", 143),
                                                  ("fork", "SIGINT", 130),
                                                  ("import", "SIGTERM", 143)])
def test_a_signal_while_workers_start_or_spacy_loads_still_stops_the_run(
        tmp_path, moment, signame, code):
    body = "\n\n".join(["The cleaner architecture is better because we refactor it. " * 8] * 40)
    for i in range(40):
        (tmp_path / f"d{i:02}.md").write_text(f"# Doc {i}\n\n{body}\n", encoding="utf-8")
    script = (f"import os, signal, sys\nSIG = signal.{signame}\n{_SIGNAL_AT[moment]}\n"
              "from psense_lint.cli import main\nsys.exit(main())\n")
    proc = subprocess.run([sys.executable, "-c", script, "--jobs", "2", "."], cwd=tmp_path,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          preexec_fn=sigint_as_a_terminal_leaves_it,
                          timeout=BOUND,  # the workers hold the pipes: they are gone too
                          env={**os.environ, "PSENSE_LINT_START_METHOD": "fork",
                               "NO_COLOR": "1"})
    assert proc.returncode == code, proc.stderr
    assert [ln for ln in proc.stderr.splitlines() if ln.strip()] == [
        f"psense-lint: stopped by {signame}; nothing reported for the files not yet linted"]
    assert proc.stdout == ""
    _cache_entries_whole(tmp_path / ".psense_cache")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork, /proc")
@pytest.mark.parametrize("start", [2, 600])
def test_sigterm_while_a_worker_is_still_starting_stops_it(tmp_path, start):
    """Workers slow to start (a loaded machine; here the harness makes each sleep
    ``start`` seconds as it is forked) are stopped by SIGTERM all the same. They ran
    the parent's handler until their own was set, which swallowed the parent's
    terminate(): 'Exception ignored' tracebacks, and the workers linted on while the
    CLI, its line printed, waited for them at exit, holding the caller's pipes. One
    that does not exit when told (600: longer than the harness waits) is killed."""
    import signal
    import time

    body = "\n\n".join(["The cleaner architecture is better because we refactor it. " * 8] * 40)
    for i in range(40):
        (tmp_path / f"d{i:02}.md").write_text(f"# Doc {i}\n\n{body}\n", encoding="utf-8")
    script = ("import os, sys, time\n"
              f"os.register_at_fork(after_in_child=lambda: time.sleep({start}))\n"
              "from psense_lint.cli import main\nsys.exit(main())\n")
    proc = subprocess.Popen([sys.executable, "-c", script, "--jobs", "2", "."], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PSENSE_LINT_START_METHOD": "fork",
                                 "NO_COLOR": "1"})
    try:
        kids = started_children(proc, BOUND)
        assert len(kids) >= 2, "the workers never started"
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=BOUND)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 143, err
    assert [ln for ln in err.splitlines() if ln.strip()] == [
        "psense-lint: stopped by SIGTERM; nothing reported for the files not yet linted"]
    assert not any(alive(k) for k in kids), "orphaned workers"


# ----------------------------------------------------------------- long docs

def test_a_long_doc_streamed_and_windowed_gives_the_same_findings(linter, monkeypatch):
    """A long doc (max-file-size raised) is parsed a block at a time and its spaCy
    Docs held a window at a time (rebuilt when a pass asks for them again): the
    findings are those of the whole doc held at once, doc-level ones included.
    The thresholds are lowered so that the fixtures concatenated (~115 KB) take both."""
    from psense_lint import markdown, window

    parts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.md"))]
    text = "\n\n".join(p for p in parts if "psense-lint" not in p)  # no suppressions
    whole = linter.lint_text(text, "docs/design/long.md")
    rules = {f.rule for f in whole.findings}
    assert len(whole.findings) > 20 and {"PS101", "PS301", "PS302"} <= rules, rules

    built = []
    real = window.Docs.__init__

    def spy(self, *args, **kwargs):
        real(self, *args, **kwargs)
        built.append(self)
    monkeypatch.setattr(window.Docs, "__init__", spy)
    monkeypatch.setattr(markdown, "STREAM_CHARS", 0)
    monkeypatch.setattr(window, "CHUNK_CHARS", 2_000)
    monkeypatch.setattr(window, "KEEP", 1)
    streamed = bounded(linter.lint_text, text, "docs/design/long.md")
    assert streamed == whole
    docs = built[-1]
    # the checks share their sweeps (window.Lockstep): each chunk is built again only
    # for the passes that need what an earlier one worked out over the whole doc
    assert len(docs.starts) > 20 and 2 * len(docs.starts) < docs.built < 8 * len(docs.starts)
    monkeypatch.setattr(window, "LOCKSTEP", False)  # pass after pass, each its own sweep
    assert bounded(linter.lint_text, text, "docs/design/long.md") == whole
    assert built[-1].built > max(8 * len(docs.starts), 1.5 * docs.built)


def test_lockstep_tasks_give_their_results_and_errors_in_order():
    """The checks of a windowed doc run as lockstep tasks: each result, or the
    exception it raised, comes back in the tasks' order, whatever order they ran
    in; a memo one task works out is worked out once, the others wait for it (and
    two tasks each waiting for the other's memo do not hang)."""
    from psense_lint import window

    class FakeNlp:
        pipe_names = ()

        def pipe(self, texts):
            return [("doc", t) for t in texts]

    docs = window.Docs(FakeNlp(), [f"u{i}" for i in range(40)], chunk_chars=4, keep=1)
    assert docs.windowed
    lockstep = window.Lockstep(docs)
    memo = window.SharedMemo(lockstep, {})
    worked = []

    def total(tag):
        def fn():
            if "total" not in memo:
                worked.append(tag)
                memo["total"] = sum(1 for _ in docs)
            return [tag, memo["total"], len(list(docs))]
        return fn

    def boom():
        next(iter(docs))
        raise ValueError("boom")

    def cross(a, b):
        def fn():
            if a not in memo:
                list(docs)
                got = b in memo   # the other task works b out, and waits for a
                memo[a] = 1
                return got
            return None
        return fn

    tasks = [total("a"), boom, total("b"), cross("x", "y"), cross("y", "x")]
    results = bounded(lockstep.run, tasks)
    assert results[0] == ["a", 40, 40] and results[2] == ["b", 40, 40]
    assert isinstance(results[1], window._Raised) and str(results[1].exc) == "boom"
    assert worked == ["a"]
    assert results[3] in (True, False) and results[4] in (True, False)
    assert docs.lockstep is None
    shared = docs.built
    # the same tasks one after the other, each sweeping on its own: more builds
    docs = window.Docs(FakeNlp(), [f"u{i}" for i in range(40)], chunk_chars=4, keep=1)
    memo = {}
    for fn in tasks:
        try:
            fn()
        except ValueError:
            pass
    assert docs.built > shared + 20
