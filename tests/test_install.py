"""The README's install lines, run as a user types them (no release exists yet):
pip from a clone's path and from a VCS URL at a commit, with the ``mkdocs`` extra;
the README's first command exits 1 on the shipped example, as the README says.

pip runs with ``--dry-run --no-deps``: it builds the package's metadata from the
clone (the build backend comes from the package registry, as for any user) and
resolves the extra, without installing spaCy again."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_precommit import snapshot_repo

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """This working tree committed in a git repository named psense-lint: (path, sha)."""
    return snapshot_repo(tmp_path_factory, tmp_path_factory.mktemp("src") / "psense-lint")


def readme_pip_lines() -> list[str]:
    (block,) = [b for b in re.findall(r"```sh\n(.*?)```", README, re.S) if "git+" in b]
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def pip_dry_run(spec: str, cwd: Path):
    return subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps",
                           "--quiet", "--report", "-", spec], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def test_readme_pip_lines_name_no_release(clone):
    lines = readme_pip_lines()
    assert [line.split()[:2] for line in lines] == [["pip", "install"]] * 2, lines
    assert "pip install \"psense-lint[mkdocs]\"" not in README.replace(
        "become `pip install \"psense-lint[mkdocs]\"`", "")


@pytest.mark.parametrize("which", ["path", "vcs"])
def test_readme_pip_line_resolves_from_a_clone(clone, which):
    repo, sha = clone
    path_line, vcs_line = readme_pip_lines()
    if which == "path":
        spec = re.search(r'"(\./psense-lint\[mkdocs\])"', path_line).group(1)
    else:
        spec = re.search(r'"([^"]+)"', vcs_line).group(1)
        # pip 23 wants a host in a git+file URL; git accepts localhost
        spec = spec.replace("https://github.com/psense-lint/psense-lint",
                            "file://localhost" + repo.as_posix())
        spec = spec.replace("@main", f"@{sha}")
    proc = pip_dry_run(spec, repo.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    import json

    report = json.loads(proc.stdout)
    (item,) = report["install"]
    assert item["metadata"]["name"] == "psense-lint"
    assert item["requested_extras"] == ["mkdocs"]
    assert any(r.startswith("mkdocs") for r in item["metadata"]["requires_dist"])


def test_readme_first_command_exits_1_on_the_example_as_it_says():
    assert "exits 1, as expected" in README
    proc = subprocess.run([sys.executable, "-m", "psense_lint", "--no-cache",
                           "examples/design/event-bus.md"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "examples/design/event-bus.md:" in proc.stdout
