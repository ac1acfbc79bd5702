"""The engine API both front ends call: load_project, then a Session."""
from __future__ import annotations

from psense_lint import runner, session
from psense_lint.model import InputError
from psense_lint.project import load_project

DOC = "# Design\n\n## Motivation\n\nThis refactor improves maintainability.\n"


def test_submit_then_wait_gives_outcomes_in_submission_order(tmp_path):
    (tmp_path / "a.md").write_text(DOC, encoding="utf-8")
    (tmp_path / "b.md").write_text("Plain text.\n", encoding="utf-8")
    project = load_project(None, tmp_path)
    items = [(name, runner.read(project.config, tmp_path / name, name)) for name in
             ("b.md", "a.md")]
    items.append(("gone.md", InputError("no such file", path="gone.md")))
    with session.Session(background=True) as s:
        batch = s.submit(project, items, jobs=0, cache_dir=tmp_path / "cache")
        outcomes = batch.wait()
        assert [n for n, _ in outcomes] == ["b.md", "a.md", "gone.md"]
        assert [f.rule for f in batch.outcome("a.md").result.findings] == ["PS101"]
        assert outcomes[2][1].error is not None and batch.linted == 2
        again = s.submit(project, items[:2], jobs=0, cache_dir=tmp_path / "cache")
        assert again.cached == 2 and again.linted == 0   # from the session's memory
    fresh = session.Session().submit(project, items[:2], jobs=0, cache_dir=tmp_path / "cache")
    assert fresh.cached == 2                             # from the disk cache


def test_cli_markdown_format_is_the_report_page(tmp_path, monkeypatch, capsys):
    from psense_lint import cli

    (tmp_path / "a.md").write_text(DOC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--no-cache", "--format", "markdown", "--fail-on", "never", "a.md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Design-doc argument report\n\npsense-lint checked 1 page: ")
    assert "## a.md\n\n[Open the page](a.md) · " in out and "`PS101` warning" in out


def test_sources_are_not_held_and_a_file_changed_before_linting_is_cached_as_linted(tmp_path):
    """A source read from a file is let go after its cache lookup and read again
    where it is linted (memory flat in corpus size); if the file changed in
    between, the result is the new text's and is cached under the new text's key."""
    from psense_lint.cache import Cache

    path = tmp_path / "a.md"
    path.write_text("Plain text.\n", encoding="utf-8")
    project = load_project(None, tmp_path)
    src = runner.read(project.config, path, "a.md")
    assert src.file == path
    path.write_text(DOC, encoding="utf-8")  # changed after the lookup read it
    with session.Session() as s:
        batch = s.submit(project, [("a.md", src)], jobs=1, cache_dir=tmp_path / "cache",
                         reread=True)
        assert batch.sources["a.md"].text is None
        outcome = batch.outcome("a.md")
    assert [f.rule for f in outcome.result.findings] == ["PS101"] and outcome.key is None
    keys = Cache(tmp_path, project.settings)
    assert batch.keys["a.md"] == keys.key(src.rel, DOC)
    disk = Cache(tmp_path / "cache", project.settings)
    assert disk.get(keys.key(src.rel, DOC), "a.md") == outcome.result
    assert disk.get(keys.key(src.rel, "Plain text.\n"), "a.md") is None


def test_a_file_gone_before_linting_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(DOC, encoding="utf-8")
    project = load_project(None, tmp_path)
    src = runner.read(project.config, path, "a.md")
    path.unlink()
    results, errors = session.lint_sources(project, [src], reread=True)
    assert results == [] and len(errors) == 1 and errors[0].path == "a.md"
