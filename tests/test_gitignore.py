""".gitignore is honoured when linting folders, by git's own rules: checked
against ``git check-ignore`` itself on the same tree, then through the real CLI."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli

BAD = "We should split the service because it gives a cleaner architecture.\n"

TREE = {
    ".gitignore": "site/\n*.draft.md\n/notes.md\nvendor/**\n!vendor/keep/\n",
    "docs/.gitignore": "generated/\n!important.draft.md\n",
    "docs/design/a.md": BAD,
    "docs/design/b.draft.md": BAD,
    "docs/important.draft.md": BAD,
    "docs/generated/api.md": BAD,
    "docs/notes.md": BAD,          # /notes.md is anchored at the root: not this one
    "notes.md": BAD,
    "site/index.md": BAD,
    "vendor/lib/readme.md": BAD,
    "vendor/keep/readme.md": BAD,
    "docs/sub/.gitignore": "*.md\n",
    "docs/sub/x.md": BAD,
}


@pytest.fixture
def repo(tmp_path):
    for rel, text in TREE.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("docs/design/a.md\n", encoding="utf-8")
    return tmp_path


def linted(repo, *args):
    proc = run_cli("--format", "json", "--select", "PS101", *args, cwd=repo)
    return proc, sorted({f["path"] for f in json.loads(proc.stdout)["findings"]})


def git_ignored(repo) -> set[str]:
    names = [rel for rel in TREE if rel.endswith(".md")]
    proc = subprocess.run(["git", "check-ignore", "--no-index", *names], cwd=repo,
                          capture_output=True, text=True)
    return set(proc.stdout.split())


def test_same_verdicts_as_git(repo):
    from psense_lint.gitignore import Ignored

    ignored = Ignored(repo)
    ours = {rel for rel in TREE if rel.endswith(".md") and ignored(repo / rel)}
    assert ours == git_ignored(repo)
    assert ours == {"docs/design/a.md", "docs/design/b.draft.md", "docs/generated/api.md",
                    "notes.md", "site/index.md", "vendor/lib/readme.md",
                    "vendor/keep/readme.md", "docs/sub/x.md"}


def test_folders_skip_ignored_files_explicit_files_are_linted(repo):
    proc, paths = linted(repo, ".")
    assert proc.returncode == 1
    assert paths == ["docs/important.draft.md", "docs/notes.md"]
    _, paths = linted(repo, "docs/design/b.draft.md", "site/index.md", "docs")
    assert paths == ["docs/design/b.draft.md", "docs/important.draft.md", "docs/notes.md",
                     "site/index.md"]


def test_no_respect_gitignore_lints_everything(repo):
    _, paths = linted(repo, "--no-respect-gitignore", ".")
    assert len(paths) == len([r for r in TREE if r.endswith(".md")]) - 1  # site/ is skipped


def test_outside_a_git_work_tree_nothing_is_ignored(tmp_path):
    (tmp_path / ".gitignore").write_text("*.md\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(BAD, encoding="utf-8")
    _, paths = linted(tmp_path, ".")
    assert paths == ["a.md"]
