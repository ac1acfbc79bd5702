"""The project's own docs site: the real ``mkdocs build --strict`` of mkdocs.yml,
with the psense plugin on, generating one page per rule from the loaded packs;
SARIF helpUri and --explain point at those pages."""
from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from psense_lint.report import DOCS_URI
from psense_lint.rule_docs import pages
from psense_lint.rulepack import load_pack

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "psense_mkdocs: 0 findings" in proc.stderr, proc.stderr  # the docs pass their own lint
    return out


def test_every_rule_has_a_page_with_its_parts(site):
    pack = load_pack(())
    assert len(pack.rules) >= 10
    for rid, spec in pack.rules.items():
        page = site / "rules" / rid.lower() / "index.html"
        assert page.is_file(), rid
        text = html.unescape(page.read_text(encoding="utf-8"))
        for part in ("What it does", "Why it matters", "Fires on", "Passes", "Suggestion",
                     "Configuration", spec.info.summary):
            assert part in text, (rid, part)
        assert spec.info.fires[0].splitlines()[0] in text, rid
    index = html.unescape((site / "rules" / "index.html").read_text(encoding="utf-8"))
    assert all(rid in index for rid in pack.rules)


def test_sarif_help_uri_and_explain_link_the_pages(site, tmp_path):
    (tmp_path / "a.md").write_text("Text.\n", encoding="utf-8")
    sarif = json.loads(run_cli("--format", "sarif", "a.md", cwd=tmp_path).stdout)
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]:
        assert rule["helpUri"].startswith(DOCS_URI)
        local = site / rule["helpUri"][len(DOCS_URI):] / "index.html"
        assert local.is_file(), rule["helpUri"]
    explain = run_cli("--explain", "PS101").stdout
    assert f"Docs: {DOCS_URI}rules/ps101/" in explain


def test_pages_come_from_the_loaded_pack_data(tmp_path):
    extra = tmp_path / "ours.yml"
    extra.write_text("rules:\n  PS901:\n    check: vague-goal\n    summary: Our own rule.\n"
                     "    message: m\n    examples:\n      fires: [x]\n      passes: [y]\n",
                     encoding="utf-8")
    made = pages(load_pack((extra,)))
    assert "rules/ps901/index.md" in made and "Our own rule." in made["rules/ps901/index.md"]
    assert made["rules/ps901/index.md"].startswith("---\npsense: false\n---\n")
