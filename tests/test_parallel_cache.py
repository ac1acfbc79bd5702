"""Issue 6: --jobs (worker processes) and the results cache, from the user's side.

Most tests run the real CLI in a subprocess on a copy of tests/fixtures/many (12
design docs, ~8,000 words) and compare its output byte for byte with a plain
``--jobs 1 --no-cache`` run. Nothing here is timed.
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from psense_lint import parallel, runner
from psense_lint.config import load_config
from psense_lint.rulepack import load_pack

MANY = Path(__file__).resolve().parent / "fixtures" / "many"

# Runs the CLI like ``python -m psense_lint`` and then reports on stderr whether
# spaCy was imported; with PSENSE_TEST_LOG set, appends the path of every file
# the engine lints to that file.
DRIVER = r"""
import os, sys
log = os.environ.get("PSENSE_TEST_LOG")
if log:
    from psense_lint import engine
    real = engine.Linter.lint_text
    def traced(self, text, path, rel=None):
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(str(path) + "\n")
        return real(self, text, path, rel)
    engine.Linter.lint_text = traced
from psense_lint.cli import main
code = main(sys.argv[1:])
sys.stderr.write("SPACY_IMPORTED=%s\n" % ("spacy" in sys.modules))
sys.exit(code)
"""


class Run:
    def __init__(self, proc):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        lines = proc.stderr.splitlines(keepends=True)
        self.spacy = None
        if lines and lines[-1].startswith("SPACY_IMPORTED="):
            self.spacy = lines.pop().strip().endswith("True")
        self.stderr = "".join(lines)


def _env(**extra):
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop(parallel.START_METHOD_ENV, None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def psense(*args, cwd, env=None, popen=False):
    cmd = [sys.executable, "-c", DRIVER, *map(str, args)]
    if popen:
        return subprocess.Popen(cmd, cwd=cwd, env=env or _env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return Run(subprocess.run(cmd, cwd=cwd, env=env or _env(), capture_output=True, text=True))


def _make_project(root):
    """A copy of the fixture docs in a project with a config file at its root."""
    shutil.copytree(MANY, root / "docs")
    (root / ".psense.yml").write_text("fail-on: never\n", encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path):
    return _make_project(tmp_path / "proj")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """Output of the plain, uncached, single-process run (text format) on a
    project laid out like ``project``."""
    root = _make_project(tmp_path_factory.mktemp("ref") / "proj")
    run = psense("--jobs", "1", "--no-cache", "docs", cwd=root)
    assert run.returncode == 0, run.stderr
    assert run.stderr == "" and run.spacy is True
    assert "Found" in run.stdout and run.stdout.count("PS1") >= 5  # it does find things
    return run.stdout


def entries(cache_dir):
    return sorted(p for p in Path(cache_dir).rglob("*.json"))


def tree(root):
    """Every file under root with its content and mtime."""
    return {p.relative_to(root): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- jobs

def test_fixture_is_big_enough_to_start_workers(project):
    """So that the --jobs 2 runs below really use worker processes."""
    pack = load_pack(())
    config = load_config(None, start=project, known_rules=set(pack.rules))
    files, errors = runner.discover(config, [str(project / "docs")])
    assert not errors and len(files) == 12
    sources = [runner.read(config, f) for f in files]
    assert parallel.workers_for(2, sources) == 2
    assert parallel.workers_for(1, sources) == 0
    assert parallel.workers_for(2, sources[:3]) == 0  # a few files: no processes


def test_chunks_cover_every_file_once_in_order(project):
    sources = [runner.Source(str(i), Path(str(i)), "x" * (1000 * (i % 7 + 1)))
               for i in range(200)]
    for workers in (2, 3, 8):
        chunks = parallel.chunks(sources, workers)
        assert [i for c in chunks for i in c] == list(range(200))
        sizes = [sum(len(sources[i].text) for i in c) for c in chunks]
        assert sizes[0] >= sizes[-1]  # big batches first, small ones last
    big = [parallel.MAX_CHUNK_BYTES // 3] * 60 + [parallel.MAX_CHUNK_BYTES * 2] + [10] * 5
    chunks = parallel.chunks(big, 2)  # sizes will do; a chunk never grows with the run
    assert [i for c in chunks for i in c] == list(range(len(big)))
    # a chunk ends at the file that takes it to MAX_CHUNK_BYTES
    assert all(sum(big[i] for i in c[:-1]) < parallel.MAX_CHUNK_BYTES for c in chunks)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_jobs_1_and_2_give_identical_output(project, fmt):
    one = psense("--jobs", "1", "--no-cache", "--format", fmt, "docs", cwd=project)
    two = psense("--jobs", "2", "--no-cache", "--format", fmt, "docs", cwd=project)
    assert one.returncode == two.returncode == 0
    assert one.stderr == two.stderr == ""
    assert two.stdout == one.stdout


def test_spawn_start_method_gives_identical_output(project, reference):
    run = psense("--jobs", "2", "--no-cache", "docs", cwd=project,
                 env=_env(**{parallel.START_METHOD_ENV: "spawn"}))
    assert run.stderr == ""
    assert run.stdout == reference


def test_errors_from_workers_keep_the_one_line_form(project):
    args = ("--no-cache", "--pipeline", "no_such_pipeline_pkg", "docs")
    one = psense("--jobs", "1", *args, cwd=project)
    two = psense("--jobs", "2", *args, cwd=project)
    assert one.returncode == two.returncode == 2
    lines = two.stderr.splitlines()
    assert len(lines) == 12
    assert all(line.startswith("psense-lint: error: docs/") and "no_such_pipeline_pkg" in line
               for line in lines)
    assert two.stderr == one.stderr and two.stdout == one.stdout


# --------------------------------------------------------------------------- cache

def test_warm_run_hits_the_cache_without_importing_spacy(project, reference):
    cold = psense("docs", cwd=project)
    assert cold.stdout == reference and cold.stderr == ""
    cache = project / ".psense_cache"  # default: beside the config file
    assert len(entries(cache)) == 12
    warm = psense("docs", cwd=project)
    assert warm.stdout == reference and warm.stderr == "" and warm.returncode == 0
    assert warm.spacy is False
    cached = psense("--format", "sarif", "docs", cwd=project)
    assert cached.spacy is False
    assert cached.stdout == psense("--no-cache", "--format", "sarif", "docs", cwd=project).stdout


def test_cache_folder_has_gitignore_and_tag(project, reference):
    psense("docs", cwd=project)
    cache = project / ".psense_cache"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (cache / "CACHEDIR.TAG").read_text().startswith(
        "Signature: 8a477f597d28d172789f06886806bc55")
    # git would ignore everything in it
    git = shutil.which("git")
    if git:
        subprocess.run([git, "init", "-q", str(project)], check=True)
        out = subprocess.run([git, "status", "--porcelain", "--untracked-files=all"],
                             cwd=project, capture_output=True, text=True, check=True).stdout
        assert ".psense_cache" not in out and "docs/" in out


def test_default_cache_is_at_the_config_root(project, reference):
    run = psense(".", cwd=project / "docs" / "design")
    assert run.returncode == 0
    assert (project / ".psense_cache").is_dir()
    assert not (project / "docs" / "design" / ".psense_cache").exists()


def test_changing_one_file_relints_only_that_file(project, reference, tmp_path):
    psense("docs", cwd=project)
    target = project / "docs" / "rfcs" / "05-queue.md"
    text = target.read_text(encoding="utf-8")
    target.write_text("\n\n" + text, encoding="utf-8")  # its findings move down two lines
    assert "docs/rfcs/05-queue.md:" in reference
    log = tmp_path / "linted.txt"
    run = psense("--jobs", "2", "docs", cwd=project, env=_env(PSENSE_TEST_LOG=log))
    assert log.read_text().splitlines() == ["docs/rfcs/05-queue.md"]
    expected = psense("--jobs", "1", "--no-cache", "docs", cwd=project).stdout
    assert run.stdout == expected != reference
    assert len(entries(project / ".psense_cache")) == 13
    log.unlink()
    again = psense("docs", cwd=project, env=_env(PSENSE_TEST_LOG=log))
    assert not log.exists() and again.spacy is False and again.stdout == expected


def test_settings_are_part_of_the_key(project, reference):
    psense("docs", cwd=project)
    for args in (["--ignore", "PS101"], ["--select", "PS101", "--fail-on", "info"]):
        cached = psense(*args, "docs", cwd=project)
        plain = psense(*args, "--no-cache", "docs", cwd=project)
        assert cached.stdout == plain.stdout and cached.returncode == plain.returncode
    # a config-file change too
    (project / ".psense.yml").write_text("fail-on: never\nignore: [PS101]\n")
    cached = psense("docs", cwd=project)
    assert cached.stdout == psense("--no-cache", "docs", cwd=project).stdout
    assert "PS101" not in cached.stdout


def test_shown_paths_follow_the_current_directory(project, reference):
    psense("docs", cwd=project)
    sub = project / "docs"
    warm = psense(".", cwd=sub)
    assert warm.spacy is False  # same files, same config root: cache hits
    assert warm.stdout == psense("--no-cache", ".", cwd=sub).stdout
    assert "design/01-storage.md" in warm.stdout and "docs/design" not in warm.stdout


def test_no_cache_writes_nothing(project, reference):
    before = tree(project.parent)
    run = psense("--no-cache", "docs", cwd=project)
    assert run.stdout == reference
    assert tree(project.parent) == before


def test_cache_dir_option(project, reference, tmp_path):
    where = tmp_path / "elsewhere" / "cache"
    run = psense("--cache-dir", where, "docs", cwd=project)
    assert run.stdout == reference
    assert len(entries(where)) == 12 and (where / ".gitignore").is_file()
    assert not (project / ".psense_cache").exists()
    warm = psense("--cache-dir", where, "docs", cwd=project)
    assert warm.spacy is False and warm.stdout == reference
    # the config file's cache-dir, relative to the config file
    (project / ".psense.yml").write_text("fail-on: never\ncache-dir: build/lint-cache\n")
    psense("docs", cwd=project)
    assert len(entries(project / "build" / "lint-cache")) == 12


def test_corrupt_entries_are_ignored_and_repaired(project, reference):
    psense("docs", cwd=project)
    files = entries(project / ".psense_cache")
    garbage = [b"", b"{", b"\x00\xff\xfe binary", b'{"key": "nope", "result": null}',
               b"[1, 2, 3]", b'{"key": "%s", "result": {"t": "FileResult", "v": [null]}}']
    for i, path in enumerate(files):
        body = garbage[i % len(garbage)]
        if b"%s" in body:
            body = body.replace(b"%s", (path.parent.name + path.stem).encode())
        path.write_bytes(body)
    run = psense("docs", cwd=project)
    assert run.returncode == 0 and run.stderr == ""
    assert run.stdout == reference
    for path in entries(project / ".psense_cache"):
        json.loads(path.read_bytes())  # rewritten whole
    assert psense("docs", cwd=project).spacy is False


def test_unreadable_entry_is_a_miss(project, reference):
    psense("docs", cwd=project)
    for path in entries(project / ".psense_cache"):
        path.unlink()
        path.mkdir()  # open() fails, and so does replacing it
    run = psense("docs", cwd=project)
    assert run.stdout == reference and run.stderr == "" and run.returncode == 0


def test_unusable_cache_dir_is_not_an_error(project, reference, tmp_path):
    a_file = tmp_path / "not-a-dir"
    a_file.write_text("user data\n")
    run = psense("--cache-dir", a_file, "docs", cwd=project)
    assert run.returncode == 0 and run.stderr == "" and run.stdout == reference
    assert a_file.read_text() == "user data\n"


def test_foreign_folder_is_never_written_into(project, reference, tmp_path):
    foreign = tmp_path / "my-notes"
    foreign.mkdir()
    (foreign / "todo.txt").write_text("keep me\n")
    before = tree(foreign)
    run = psense("--cache-dir", foreign, "docs", cwd=project)
    assert run.stdout == reference and run.returncode == 0
    assert "not a psense-lint cache" in run.stderr
    assert tree(foreign) == before


def test_two_runs_at_once_do_not_corrupt_the_cache(project, reference):
    cache = project / "shared-cache"
    for _ in range(2):
        procs = [psense("--cache-dir", cache, "--jobs", jobs, "docs", cwd=project, popen=True)
                 for jobs in ("1", "2")]
        outs = [p.communicate() for p in procs]
        for proc, (out, err) in zip(procs, outs):
            assert proc.returncode == 0, err
            assert out == reference
    for path in entries(cache):
        data = json.loads(path.read_bytes())
        assert path.parent.name + path.stem == data["key"]
    assert not [p for p in cache.rglob("*") if p.name.startswith(".tmp-")]
    warm = psense("--cache-dir", cache, "docs", cwd=project)
    assert warm.spacy is False and warm.stdout == reference


# --------------------------------------------------------------------------- engine

def test_only_prose_is_fed_to_spacy_once(project):
    """Code blocks, indented code and front matter never reach spaCy; each file is
    parsed once and goes through one nlp.pipe call."""
    from psense_lint import engine, markdown

    pack = load_pack(())
    config = load_config(None, start=project, known_rules=set(pack.rules))
    linter = engine.Linter(config, pack)

    class Spy:
        def __init__(self, real):
            self.real, self.calls, self.texts = real, 0, []

        def pipe(self, texts, *args, **kwargs):
            texts = list(texts)
            self.calls += 1
            self.texts += texts
            return self.real.pipe(texts, *args, **kwargs)

        def __call__(self, text, *args, **kwargs):
            self.calls += 1
            self.texts.append(text)
            return self.real(text, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.real, name)

    real_parse = markdown.parse
    parses = []

    def counting_parse(text, *args, **kwargs):
        parses.append(text)
        return real_parse(text, *args, **kwargs)

    files, _ = runner.discover(config, [str(project / "docs")])
    saw_sentinel_doc = False
    for f in files:
        src = runner.read(config, f)
        spy = Spy(linter.nlp)
        linter.__dict__["nlp"] = spy
        parses.clear()
        markdown.parse = counting_parse
        try:
            linter.lint_text(src.text, src.path, src.rel)
        finally:
            markdown.parse = real_parse
        assert len(parses) == 1, src.path
        assert spy.calls <= 1, src.path
        units = real_parse(src.text).units
        assert len(spy.texts) <= len(units), src.path
        joined = "\n".join(spy.texts).lower()
        for sentinel in ("frontmattersentinel", "codesentinel", "indentsentinel",
                         "def sync(", "```"):
            assert sentinel not in joined, (src.path, sentinel)
        saw_sentinel_doc |= "Codesentinel" in src.text
    assert saw_sentinel_doc
