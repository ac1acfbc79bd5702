"""Config found from the files, like ruff: the nearest .psense.yml / pyproject.toml
table above each linted file decides, whatever the cwd; the results cache lives at
that project's root, never in the cwd. The real CLI, run from elsewhere."""
from __future__ import annotations

import json
import subprocess

from conftest import run_cli

BAD = "We should split the service because it gives a cleaner architecture.\n"


def make(tmp_path):
    shop = tmp_path / "shop"
    (shop / "docs" / "design").mkdir(parents=True)
    (shop / ".psense.yml").write_text("select: [PS101]\nseverity: {PS101: error}\n",
                                      encoding="utf-8")
    (shop / "docs" / "design" / "bus.md").write_text(BAD, encoding="utf-8")
    lib = shop / "vendor" / "lib"       # a nested project with a config of its own
    (lib / "docs").mkdir(parents=True)
    (lib / "pyproject.toml").write_text('[tool.psense-lint]\nselect = ["PS101"]\n'
                                        'fail-on = "never"\n', encoding="utf-8")
    (lib / "docs" / "x.md").write_text(BAD, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    return shop, lib, elsewhere


def run(cwd, *args):
    proc = run_cli("--format", "json", *args, cwd=cwd)
    return proc, {f["path"]: f["severity"] for f in json.loads(proc.stdout)["findings"]}


def test_project_config_applies_when_run_from_another_folder(tmp_path):
    shop, _lib, elsewhere = make(tmp_path)
    proc, found = run(elsewhere, str(shop / "docs" / "design" / "bus.md"))
    assert proc.returncode == 1
    assert list(found.values()) == ["error"]          # the shop's severity, not the default


def test_each_file_gets_its_nearest_config_and_nested_projects_theirs(tmp_path):
    shop, lib, elsewhere = make(tmp_path)
    proc, found = run(elsewhere, str(shop))
    assert sorted(found.values()) == ["error", "warning"]
    # only the nested project's findings: its fail-on is never
    proc, found = run(elsewhere, str(lib / "docs" / "x.md"))
    assert proc.returncode == 0 and list(found.values()) == ["warning"]
    proc, found = run(elsewhere, str(lib), str(shop / "docs"))
    assert proc.returncode == 1 and len(found) == 2


def test_cache_lives_at_the_project_root_not_in_the_cwd(tmp_path):
    shop, lib, elsewhere = make(tmp_path)
    proc = subprocess.run([*_cmd(), str(shop)], cwd=elsewhere, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert not (elsewhere / ".psense_cache").exists()
    assert (shop / ".psense_cache").is_dir() and (lib / ".psense_cache").is_dir()


def test_no_config_cache_goes_to_the_git_work_tree(tmp_path):
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "a.md").write_text(BAD, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run([*_cmd(), str(repo / "docs")], cwd=elsewhere, capture_output=True,
                          text=True)
    assert proc.returncode == 1, proc.stderr
    assert (repo / ".psense_cache").is_dir() and not (elsewhere / ".psense_cache").exists()


def _cmd():
    import sys

    return [sys.executable, "-m", "psense_lint", "--select", "PS101"]  # cache on
