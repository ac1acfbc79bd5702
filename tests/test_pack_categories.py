"""A user's rule pack that names a category PS101 does not have: an error with
"did you mean", unless the category says it is new. The real CLI, exit 2."""
from __future__ import annotations

import json

from conftest import run_cli

BAD = "We should move because it gives us hexagonal purity.\n"


def setup(tmp_path, pack: str):
    (tmp_path / "ours.yml").write_text(pack, encoding="utf-8")
    (tmp_path / ".psense.yml").write_text("rule-files: [ours.yml]\n", encoding="utf-8")
    (tmp_path / "doc.md").write_text(BAD, encoding="utf-8")


def test_misspelt_category_is_an_error_with_did_you_mean(tmp_path):
    setup(tmp_path, "rules:\n  PS101:\n    categories:\n      architecure:\n"
                    "        strong: [hexagonal purity]\n")
    proc = run_cli("doc.md", cwd=tmp_path)
    assert proc.returncode == 2
    (line,) = proc.stderr.splitlines()
    assert line.startswith("psense-lint: error: ")
    assert "ours.yml:4:7: rule PS101: unknown category 'architecure' (did you mean " \
           "'architecture'? known: " in line
    assert "to add a category, give it 'new: true')" in line


def test_a_new_category_that_says_so_is_used(tmp_path):
    setup(tmp_path, "rules:\n  PS101:\n    categories:\n      purity:\n        new: true\n"
                    "        label: architectural purity\n        strong: [hexagonal purity]\n")
    proc = run_cli("--format", "json", "--select", "PS101", "doc.md", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    (finding,) = json.loads(proc.stdout)["findings"]
    assert finding["category"] == "purity"


def test_existing_category_needs_no_marker(tmp_path):
    setup(tmp_path, "rules:\n  PS101:\n    categories:\n      architecture:\n"
                    "        strong: [hexagonal purity]\n")
    proc = run_cli("--select", "PS101", "doc.md", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
