"""The MkDocs plugin: options, a real `mkdocs build` of a small site (exact warning
lines, --strict, opt-outs, syntax that must not fire), annotate, report, serve
behaviour, caching and errors."""
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")
pytest.importorskip("pymdownx")

from mkdocs.commands.build import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config as mkdocs_load_config  # noqa: E402
from mkdocs.exceptions import Abort  # noqa: E402

from conftest import FIXTURES, alive, sigint_as_a_terminal_leaves_it, started_children  # noqa: E402
from psense_lint.model import Finding  # noqa: E402
from psense_lint import markdown_report as report  # noqa: E402
from psense_mkdocs import annotate  # noqa: E402
from psense_mkdocs.plugin import PsenseConfig, PsensePlugin  # noqa: E402

SITE = FIXTURES / "mkdocs" / "shop"
PREFIX = "psense_mkdocs: "
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# (path, line, column, rule) of every finding the fixture site must produce
EXPECTED = [
    ("docs/design/admonition.md", 4, 28, "PS101"),    # inside `!!! note`: the claim at column 28
    ("docs/design/event-bus.md", 5, 52, "PS101"),
    ("docs/design/event-bus.md", 12, 26, "PS101"),
    ("docs/design/front-matter.md", 9, 23, "PS101"),  # 6 lines of front matter before it
]


# ----------------------------------------------------------------- helpers

def make_site(tmp_path, **options) -> Path:
    """Copy the fixture site and write its mkdocs.yml with these plugin options."""
    site = tmp_path / "site"
    shutil.copytree(SITE, site, ignore=shutil.ignore_patterns(".psense_cache", "_site"))
    opts = {"exclude": ["drafts/**"], **options}
    lines = ["site_name: psense plugin fixture", "markdown_extensions:", "  - admonition",
             "  - pymdownx.details", "  - pymdownx.superfences",
             "  - pymdownx.tabbed:", "      alternate_style: true",
             "  - pymdownx.snippets:", "      base_path: [snippets]",
             "plugins:", "  - psense:"]
    lines += [f"      {k}: {json.dumps(v)}" for k, v in opts.items()]  # JSON is YAML
    (site / "mkdocs.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return site


def mkdocs(site, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", "_site", *args],
                          cwd=site, capture_output=True, text=True, env=env, timeout=600)
    proc.lines = [ANSI.sub("", line) for line in proc.stderr.splitlines()]
    proc.output = proc.stderr + proc.stdout  # MkDocs prints "Aborted ..." on stdout
    return proc


def logged(proc, level):
    """Messages the plugin logged at this level (prefix removed)."""
    head = f"{level:<8}-  {PREFIX}"
    return [line[len(head):] for line in proc.lines if line.startswith(head)]


def cli_findings(site, *paths):
    """The same files through the CLI: the plugin must print exactly these."""
    proc = subprocess.run([sys.executable, "-m", "psense_lint", "--no-cache", "--format", "json",
                           *paths], cwd=site, capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr
    return [Finding(**{k: f[k] for k in Finding._fields}) for f in
            json.loads(proc.stdout)["findings"]]


def expected_lines(site):
    found = cli_findings(site, *sorted({p for p, *_ in EXPECTED}))
    assert [(f.path, f.line, f.column, f.rule) for f in found] == EXPECTED
    return [f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message} (suggestion: {f.suggestion})"
            for f in found]


def summary(proc):
    return [m for m in logged(proc, "INFO") if " from the cache, " in m][-1]


def build_in_process(site, command="build", strict=False):
    """What `mkdocs build` / each `mkdocs serve` rebuild does, in this process."""
    cfg = mkdocs_load_config(str(site / "mkdocs.yml"), site_dir=str(site / "_site"),
                             strict=strict)
    cfg.plugins.on_startup(command=command, dirty=False)
    try:
        mkdocs_build(cfg)
    finally:
        if command != "serve":
            cfg.plugins.on_shutdown()
    return cfg


def plugin_records(caplog, level=None):
    return [r.getMessage()[len(PREFIX):] for r in caplog.records
            if r.name == "mkdocs.plugins.psense_mkdocs.plugin"
            and (level is None or r.levelno == level)]


# ----------------------------------------------------------------- options

def test_config_defaults():
    cfg = PsenseConfig()
    cfg.load_dict({})
    errors, warnings = cfg.validate()
    assert errors == [] and warnings == []
    assert cfg.config_file is None
    assert cfg.include == ["**"] and cfg.exclude == []
    assert cfg.min_severity == "info" and cfg.strict_on is None
    assert cfg.serve.enabled is True and cfg.serve.strict_on == "never"
    assert cfg.annotate is False and cfg.report is False
    assert cfg.report_page == "psense-report.md"
    assert cfg.cache is True and cfg.cache_dir is None and cfg.jobs is None
    plugin = PsensePlugin()
    assert plugin.load_config({}) == ([], [])


@pytest.mark.parametrize("options, key", [
    ({"min_severity": "loud"}, "min_severity"),
    ({"strict_on": "sometimes"}, "strict_on"),
    ({"serve": {"strict_on": "always"}}, "serve"),
    ({"include": "design/**"}, "include"),
    ({"annotate": "yes please"}, "annotate"),
])
def test_config_rejects_bad_values(options, key):
    errors, _ = PsensePlugin().load_config(options)
    assert [k for k, _ in errors] == [key]


def test_config_file_is_relative_to_mkdocs_yml(tmp_path):
    yml = tmp_path / "mkdocs.yml"
    plugin = PsensePlugin()
    assert plugin.load_config({"config_file": "conf/psense.yml"}, str(yml)) == ([], [])
    assert plugin.config.config_file == str(tmp_path / "conf" / "psense.yml")


# ----------------------------------------------------------------- real builds

def test_build_prints_one_warning_per_finding_with_source_lines(tmp_path):
    site = make_site(tmp_path)
    proc = mkdocs(site)
    assert proc.returncode == 0, proc.stderr
    assert logged(proc, "WARNING") == expected_lines(site)
    assert logged(proc, "ERROR") == []
    # what a user reads, start of the line included
    assert ("WARNING -  psense_mkdocs: docs/design/event-bus.md:5:52: PS101 Engineering-only "
            "argument: ") in proc.stderr
    # excluded (plugin glob), opted out (front matter), and pages whose admonitions,
    # details, tabs, snippets, code blocks and suppressed line must not fire
    for quiet in ("drafts/", "opted-out", "syntax", "user-focused", "index.md"):
        assert quiet not in "\n".join(logged(proc, "WARNING"))
    assert summary(proc).startswith("4 findings (0 errors, 4 warnings, 0 infos; 4 logged as "
                                    "warnings) in 3 of 7 pages; 0 from the cache, 7 linted")


def test_strict_build_fails_after_printing_every_finding(tmp_path):
    site = make_site(tmp_path)
    proc = mkdocs(site, "--strict")
    assert proc.returncode == 1
    assert logged(proc, "WARNING") == expected_lines(site)
    assert proc.stdout.strip() == "Aborted with 4 warnings in strict mode!"


def test_second_build_is_served_from_the_cache(tmp_path):
    site = make_site(tmp_path)
    first = mkdocs(site)
    second = mkdocs(site)
    assert logged(second, "WARNING") == logged(first, "WARNING")
    assert summary(second).endswith("7 from the cache, 0 linted")
    # the cache lives beside the config (the CLI's), outside docs_dir
    assert (site / ".psense_cache" / "CACHEDIR.TAG").is_file()
    assert not any(p.name == ".psense_cache" for p in (site / "docs").rglob("*"))


def test_a_cli_run_warms_the_docs_build(tmp_path):
    site = make_site(tmp_path)
    cli = subprocess.run([sys.executable, "-m", "psense_lint", "docs"], cwd=site,
                         capture_output=True, text=True)
    assert cli.returncode == 1, cli.stderr          # the same findings, from the CLI
    proc = mkdocs(site)
    assert summary(proc).endswith("7 from the cache, 0 linted")
    assert logged(proc, "WARNING") == expected_lines(site)


def test_strict_on_and_min_severity(tmp_path):
    site = make_site(tmp_path, strict_on="error")
    proc = mkdocs(site, "--strict")
    assert proc.returncode == 0, proc.stderr
    assert logged(proc, "WARNING") == []
    assert [m.split(": PS101")[0] for m in logged(proc, "INFO") if ": PS101" in m] == [
        f"{p}:{line}:{col}" for p, line, col, _ in EXPECTED]
    site = make_site(tmp_path / "b", min_severity="error")
    proc = mkdocs(site, "--strict")
    assert proc.returncode == 0 and "PS101" not in proc.stderr


def test_severity_from_the_psense_config(tmp_path):
    site = make_site(tmp_path)
    (site / ".psense.yml").write_text("select: [PS101]\nseverity: {PS101: info}\n")
    proc = mkdocs(site, "--strict")
    assert proc.returncode == 0, proc.stderr  # fail-on: warning, and these are infos
    assert len([m for m in logged(proc, "INFO") if ": PS101 " in m]) == len(EXPECTED)


def test_include_glob_and_config_exclude(tmp_path):
    site = make_site(tmp_path, include=["design/event-*.md"])
    proc = mkdocs(site)
    assert [m.split(": PS101")[0] for m in logged(proc, "WARNING")] == [
        "docs/design/event-bus.md:5:52", "docs/design/event-bus.md:12:26"]
    site = make_site(tmp_path / "b")
    (site / ".psense.yml").write_text("select: [PS101]\nexclude: [docs/design/event-bus.md]\n")
    proc = mkdocs(site)
    assert "event-bus" not in "\n".join(logged(proc, "WARNING"))
    assert len(logged(proc, "WARNING")) == len(EXPECTED) - 2


def test_annotate_puts_each_finding_after_its_block(tmp_path):
    site = make_site(tmp_path, annotate=True)
    proc = mkdocs(site, "--strict")
    assert proc.returncode == 1 and len(logged(proc, "WARNING")) == len(EXPECTED)
    page = (site / "_site" / "design" / "event-bus" / "index.html").read_text()
    first = page.index("less coupling.</p>")
    note = page.index('<div class="admonition warning psense"', first)
    assert note < page.index("Today a shopper") < page.index("simpler to maintain.</p>") \
        < page.index('data-psense-line="12"')
    assert page.count('class="admonition warning psense"') == 2
    assert "PS101 · line 5" in page and "which today needs &lt;workaround&gt;" in page
    # in an admonition: after the whole admonition, not inside it
    page = (site / "_site" / "design" / "admonition" / "index.html").read_text()
    assert page.index("search service.</p>\n</div>") < page.index('data-psense-line="4"')
    # front matter offset: the finding is on source line 9
    page = (site / "_site" / "design" / "front-matter" / "index.html").read_text()
    assert 'data-psense-line="9"' in page
    assert page.index("technical debt.</p>") < page.index('class="admonition warning psense"') \
        < page.index("Shoppers see")
    # pages without findings are untouched: tabs and details still render
    page = (site / "_site" / "guides" / "syntax" / "index.html").read_text()
    assert "admonition warning psense" not in page
    assert page.count('class="tabbed-set') == 1 and "<details" in page


def test_report_page_lists_every_finding(tmp_path):
    site = make_site(tmp_path, report=True, report_page="reports/psense.md")
    proc = mkdocs(site)
    assert proc.returncode == 0, proc.stderr
    page = (site / "_site" / "reports" / "psense" / "index.html").read_text()
    assert "psense-lint checked 7 pages: 4 findings (0 errors, 4 warnings, 0 infos) in 3 pages" \
        in page
    for path, line, col, rule in EXPECTED:
        assert f"<h2 id=" in page and f">{path}</h2>" in page
        assert f"<strong>{line}:{col}</strong> <code>{rule}</code> warning" in page
    assert '<a href="../../design/event-bus/">Open the page</a>' in page
    # the report page itself is not linted, and strict still counts the findings
    assert "reports/psense" not in proc.stderr
    assert mkdocs(site, "--strict").returncode == 1


def test_broken_config_fails_with_one_line(tmp_path):
    site = make_site(tmp_path)
    (site / ".psense.yml").write_text("select: [PS101]\nseverty: {PS101: info}\n")
    proc = mkdocs(site)
    assert proc.returncode == 1
    errors = [line for line in proc.lines if line.startswith("ERROR")]
    assert errors == ["ERROR   -  psense: .psense.yml:2:1: unknown key 'severty' "
                      "(did you mean 'severity'?)"]
    assert "Traceback" not in proc.stderr
    assert "Aborted with a BuildError!" in proc.output


def test_broken_rule_pack_fails_with_one_line(tmp_path):
    site = make_site(tmp_path)
    (site / ".psense.yml").write_text("select: [PS101]\nrule-files: [rules/extra.yml]\n")
    (site / "rules").mkdir()
    (site / "rules" / "extra.yml").write_text("rules:\n  PS101:\n    level: loud\n")
    proc = mkdocs(site)
    assert proc.returncode == 1
    errors = [line for line in proc.lines if line.startswith("ERROR")]
    assert len(errors) == 1 and errors[0].startswith("ERROR   -  psense: rules/extra.yml:3:")
    assert "level must be one of" in errors[0] and "Traceback" not in proc.stderr


def test_missing_explicit_config_file(tmp_path):
    site = make_site(tmp_path, config_file="conf/nope.yml")
    proc = mkdocs(site)
    assert proc.returncode == 1
    assert "ERROR   -  psense: conf/nope.yml: config file not found" in proc.lines


def test_cache_dir_inside_docs_dir_is_refused(tmp_path):
    site = make_site(tmp_path, cache_dir="docs/.cache")
    proc = mkdocs(site)
    assert proc.returncode == 1
    assert "option 'cache_dir' (docs/.cache) is inside docs_dir" in proc.output


# ----------------------------------------------------------------- in-process behaviour

def test_a_bug_on_one_page_is_an_error_naming_it(tmp_path, caplog, monkeypatch):
    from psense_lint.engine import Linter

    real = Linter.lint_text

    def buggy(self, text, path, rel=None):
        if str(path).endswith("event-bus.md"):
            raise ZeroDivisionError("boom")
        return real(self, text, path, rel)

    monkeypatch.setattr(Linter, "lint_text", buggy)
    site = make_site(tmp_path, jobs=0)
    caplog.set_level(logging.INFO)
    build_in_process(site)  # not strict: the build goes on
    errors = plugin_records(caplog, logging.ERROR)
    assert errors == ["docs/design/event-bus.md: internal error while linting this page: "
                      "ZeroDivisionError: boom (the other pages were linted; this is a bug in "
                      "psense-lint, please report it)"]
    warnings = plugin_records(caplog, logging.WARNING)
    assert [w.split(": PS101")[0] for w in warnings] == [
        "docs/design/admonition.md:4:28", "docs/design/front-matter.md:9:23"]
    with pytest.raises(Abort, match="1 errors, 2 warnings"):
        build_in_process(site, strict=True)


def test_serve_logs_info_and_relints_only_the_edited_page(tmp_path, caplog):
    site = make_site(tmp_path, jobs=0, cache=False)
    caplog.set_level(logging.INFO)
    cfg = build_in_process(site, command="serve", strict=True)  # INFO: strict does not stop it
    plugin = cfg.plugins["psense"]
    assert plugin_records(caplog, logging.WARNING) == []
    assert len([m for m in plugin_records(caplog, logging.INFO) if ": PS101 " in m]) == 4
    assert plugin_records(caplog)[-1].endswith("0 from the cache, 7 linted")
    from psense_lint import session

    linter = next(iter(session._LINTERS.values()))
    nlp = linter.nlp

    page = site / "docs" / "design" / "user-focused.md"
    page.write_text(page.read_text() + "\nRewriting the checkout pays down technical debt.\n")
    caplog.clear()
    cfg2 = build_in_process(site, command="serve", strict=True)
    assert cfg2.plugins["psense"] is plugin          # MkDocs kept the plugin object
    assert plugin_records(caplog)[-1].endswith("6 from the cache, 1 linted")
    assert "docs/design/user-focused.md:7:24: PS101" in "\n".join(plugin_records(caplog))
    # a rebuild logs the findings of the changed page only, and counts the others
    rebuilt = [m for m in plugin_records(caplog) if ": PS101 " in m]
    assert rebuilt and all(m.startswith("docs/design/user-focused.md:") for m in rebuilt)
    assert "1 changed page logged; 4 findings on 6 unchanged pages not repeated" in \
        plugin_records(caplog)
    assert next(iter(session._LINTERS.values())) is linter and linter.nlp is nlp

    class Server:
        watched = []

        def watch(self, path, recursive=True):
            self.watched.append(path)

    (site / "extra.yml").write_text("lexicons:\n  people: [shopper]\n")
    (site / ".psense.yml").write_text("select: [PS101]\nrule-files: [extra.yml]\n")
    caplog.clear()
    cfg3 = build_in_process(site, command="serve")  # config changed: everything re-linted
    assert plugin_records(caplog)[-1].endswith("0 from the cache, 7 linted")
    server = cfg3.plugins.on_serve(Server(), config=cfg3, builder=None)
    assert server.watched == [str(site / ".psense.yml"), str(site / "extra.yml")]
    cfg3.plugins.on_shutdown()


def test_serve_can_be_disabled(tmp_path, caplog):
    site = make_site(tmp_path, serve={"enabled": False}, jobs=0)
    caplog.set_level(logging.INFO)
    cfg = build_in_process(site, command="serve")
    cfg.plugins.on_shutdown()
    assert plugin_records(caplog) == []


def test_background_workers_and_in_process_agree(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    build_in_process(make_site(tmp_path / "a", jobs=2, cache=False))
    with_workers = plugin_records(caplog)
    caplog.clear()
    build_in_process(make_site(tmp_path / "b", jobs=0, cache=False))
    assert plugin_records(caplog) == with_workers


# ----------------------------------------------------------------- plain modules

def _f(line, rule="PS101", severity="warning"):
    return Finding("docs/x.md", line, 1, line, 5, rule, "c", severity, "msg <b>", "do & this")


def test_annotate_blocks_keep_lists_tabs_and_fences_whole():
    md = "\n".join([
        "# Title",                      # 0
        "",
        "Para one",                     # 2
        "still para one",
        "",
        "- item one",                   # 5
        "",
        "- item two",                   # 7
        "    continued",
        "",
        '=== "A"',                      # 10
        "",
        "    tab a",
        "",
        '=== "B"',                      # 14
        "    tab b",
        "",
        "```",                          # 17
        "code",
        "",
        "not a new block",
        "```",                          # 21
        "",
        "Last",                         # 23
    ])
    assert annotate.blocks(md.split("\n")) == [(0, 0), (2, 3), (5, 8), (10, 15), (17, 21),
                                               (23, 23)]


def test_annotate_inserts_after_the_block_and_handles_front_matter():
    source = "---\ntitle: x\n---\n# T\n\nFirst para\nline two\n\n- a\n- b\n"
    markdown = "# T\n\nFirst para\nline two\n\n- a\n- b\n"
    assert annotate.markdown_offset(source, markdown) == 3
    out = annotate.annotate(markdown, source, [_f(7), _f(10, severity="error")])
    lines = out.split("\n")
    assert lines[3] == "line two" and lines[5].startswith('<div class="admonition warning psense"')
    assert '<div class="admonition danger psense"' in out.split("- b")[1]
    assert "msg &lt;b&gt;" in out and "do &amp; this" in out
    assert annotate.annotate("changed by another plugin\n", source, [_f(7)]) is None
    assert annotate.annotate(markdown, source, []) == markdown


def test_report_escapes_markdown():
    text = report.render([report.Entry("a/b.md", "docs/a/b.md", (_f(3),))], "r/report.md", 2)
    assert "[Open the page](../a/b.md)" in text
    assert "msg &lt;b&gt;" in text and "do &amp; this" in text
    assert "checked 2 pages: 1 finding (0 errors, 1 warning, 0 infos) in 1 page." in text
    assert report.md_text("a *b* [c](d) `e`") == r"a \*b\* \[c\]\(d\) \`e\`"


def test_project_is_reused_until_a_file_it_was_read_from_changes(tmp_path):
    from psense_lint.project import load_project

    site = make_site(tmp_path)
    (site / ".psense.yml").write_text("select: [PS101]\nrule-files: [extra.yml]\n")
    (site / "extra.yml").write_text("lexicons:\n  people: [shopper]\n")
    full = load_project(None, site)
    assert full.sources[-1] == site / "extra.yml"
    assert load_project(None, site, previous=full) is full
    (site / "extra.yml").write_text("lexicons:\n  people: [shopper, buyer]\n")
    again = load_project(None, site, previous=full)
    assert again.settings != full.settings
    assert again.pack.lexicons["people"][-2:] == ("shopper", "buyer")


def test_the_mkdocs_process_never_imports_spacy(tmp_path):
    """Cold: the pages are linted on worker processes; warm: nothing is linted."""
    site = make_site(tmp_path)
    script = ("import sys\n"
              "from mkdocs.config import load_config\n"
              "from mkdocs.commands.build import build\n"
              "cfg = load_config('mkdocs.yml', site_dir='_site')\n"
              "cfg.plugins.on_startup(command='build', dirty=False)\n"
              "build(cfg)\n"
              "cfg.plugins.on_shutdown()\n"
              "print('spacy' in sys.modules, 'psense_lint.engine' in sys.modules)\n")
    for _ in ("cold", "warm"):
        proc = subprocess.run([sys.executable, "-c", script], cwd=site, capture_output=True,
                              text=True, timeout=600)
        assert proc.stdout.strip() == "False False", proc.stderr
        assert proc.stderr.count(": PS101 ") == len(EXPECTED)


def test_a_dead_worker_loses_no_page(tmp_path):
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from psense_lint import runner
    from psense_lint.project import load_project
    from psense_lint.session import Session

    class DeadPool:
        def submit(self, *args, **kwargs):
            future = Future()
            future.set_exception(BrokenProcessPool("a worker died"))
            return future

        def shutdown(self, **kwargs):
            pass

    site = make_site(tmp_path)
    session = Session(background=True)
    session._pool_for = lambda *args: DeadPool()
    names = sorted({p for p, *_ in EXPECTED})
    project = load_project(None, site)
    items = [(n, runner.read(project.config, site / n, n)) for n in names]
    batch = session.submit(project, items, jobs=2)
    found = [(f.path, f.line, f.column, f.rule) for _, o in batch.wait()
             for f in o.result.findings]
    assert found == EXPECTED
    assert any("a worker died" in note for note in batch.notes)


def test_serve_stops_cleanly_on_sigterm(tmp_path):
    """The real `mkdocs serve` with lint workers, stopped by SIGTERM (a closed
    terminal, a process manager): it shuts down like Ctrl-C, exit 0, and the
    workers are closed, so no leaked-semaphore warning."""
    import signal
    import socket
    import time

    site = make_site(tmp_path, jobs=1, cache=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a",
                                 f"127.0.0.1:{port}"], cwd=site, stdout=out, stderr=out)
        try:
            deadline = time.monotonic() + 300
            while "linted" not in log.read_text() and time.monotonic() < deadline:
                assert proc.poll() is None, log.read_text()
                time.sleep(0.5)
            assert "linted" in log.read_text(), log.read_text()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
    time.sleep(1)  # the resource tracker reports after the server is gone
    text = log.read_text()
    assert code == 0, text
    assert "Shutting down" in text and "leaked" not in text, text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signame,group", [("SIGTERM", False), ("SIGINT", True)])
def test_build_stopped_by_a_signal_leaves_no_worker_and_no_half_entry(tmp_path, signame,
                                                                       group):
    """The real `mkdocs build`, its lint workers busy on 40 pages, stopped by
    SIGTERM (a CI timeout) or Ctrl-C (SIGINT to the process group): it ends
    promptly, prints no psense traceback, leaves no worker process behind (they
    hold the caller's pipes) and no half-written cache entry."""
    import signal
    import time

    site = make_site(tmp_path, jobs=2)
    body = "\n\n".join(["The cleaner architecture is better because we refactor it. " * 8] * 40)
    for i in range(40):
        (site / "docs" / "design" / f"d{i:02}.md").write_text(f"# Doc {i}\n\n{body}\n",
                                                              encoding="utf-8")
    env = {**os.environ, "PSENSE_LINT_START_METHOD": "fork"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-d", "_site"], cwd=site,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, env=env,
                            start_new_session=group, preexec_fn=sigint_as_a_terminal_leaves_it)
    try:
        # the workers (the resource tracker is a child too, and sleeps)
        kids = started_children(proc, 300)
        assert len(kids) >= 2, "the workers never started"
        time.sleep(0.5)  # let them take work
        sig = getattr(signal, signame)
        if group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        out, err = proc.communicate(timeout=120)  # returns once every pipe holder is gone
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode != 0
    assert "Traceback" not in err + out, err
    deadline = time.monotonic() + 120
    while any(alive(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(k) for k in kids), "orphaned workers"
    time.sleep(0.5)  # the resource tracker reports after its parent is gone
    cache = site / ".psense_cache"
    files = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
    assert not [p for p in files if p.name.startswith(".tmp-")], "partial cache writes"
    for p in files:
        if p.suffix == ".json":
            json.loads(p.read_text(encoding="utf-8"))
