"""PS001 invalid-suppression and PS002 unused-suppression, from the user's side:
the real CLI on a doc with psense-lint comments, the output lines read back."""
from __future__ import annotations

import json

from conftest import run_cli

BAD = "We should split the service because it gives a cleaner architecture."
GOOD = "Shoppers wait 8 seconds for the confirmation page."


def write(tmp_path, text):
    (tmp_path / "design").mkdir(exist_ok=True)
    doc = tmp_path / "design" / "doc.md"
    doc.write_text(text, encoding="utf-8")
    return doc


def findings(tmp_path, *args):
    proc = run_cli("--no-cache", "--format", "json", *args, "design/doc.md", cwd=tmp_path)
    data = json.loads(proc.stdout)
    return proc.returncode, [(f["rule"], f["line"], f["column"], f["message"])
                             for f in data["findings"]]


def test_typo_in_directive_is_a_finding_and_suppresses_nothing(tmp_path):
    write(tmp_path, f"# Plan\n\n<!-- psense-lint disabel-next-line PS101 -->\n{BAD}\n")
    proc = run_cli("--no-cache", "--select", "PS001,PS101", "design/doc.md", cwd=tmp_path)
    assert proc.returncode == 1
    assert ("design/doc.md:3:1: PS001 warning Suppression comment does nothing: unknown "
            "psense-lint directive 'disabel-next-line' (did you mean 'disable-next-line'?).\n"
            in proc.stdout)
    assert "design/doc.md:4:48: PS101 warning" in proc.stdout  # at "cleaner architecture"


def test_unknown_rule_id_points_at_the_id_with_did_you_mean(tmp_path):
    write(tmp_path, f"<!-- psense-lint disable-next-line PS1O1 -->\n{BAD}\n"
                    f"<!-- psense-lint disable-file vague-goal -->\n")
    code, found = findings(tmp_path, "--select", "PS0,PS1")
    assert ("PS001", 1, 36, "Suppression comment does nothing: unknown rule id 'PS1O1' in "
            "psense-lint disable-next-line (did you mean 'PS101'?).") in found
    assert ("PS001", 3, 31, "Suppression comment does nothing: unknown rule id 'vague-goal' "
            "in psense-lint disable-file (did you mean 'PS301'?).") in found
    assert ("PS101", 2) in {f[:2] for f in found}
    assert code == 1


def test_prefixes_all_and_known_ids_are_fine(tmp_path):
    write(tmp_path, f"<!-- psense-lint disable PS1 PS30 -->\n{BAD}\n<!-- psense-lint enable ALL -->\n"
                    f"<!-- psense-lint disable-next-line PS101 -->\n{BAD}\n")
    code, found = findings(tmp_path, "--select", "PS0,PS1")
    assert found == [] and code == 0


def test_unused_suppression_is_opt_in(tmp_path):
    write(tmp_path, f"# Plan\n\n<!-- psense-lint disable-next-line PS101 -- old -->\n{GOOD}\n\n"
                    f"<!-- psense-lint disable-next-line PS101 -->\n{BAD}\n")
    code, found = findings(tmp_path, "--select", "PS1")
    assert found == [] and code == 0           # off by default, and not by ALL
    _, found = findings(tmp_path, "--select", "ALL")
    assert "PS002" not in {f[0] for f in found}
    code, found = findings(tmp_path, "--select", "PS1,PS002")
    assert found == [("PS002", 3, 36, "Unused suppression: nothing here is reported by PS101.")]
    assert code == 1


def test_unused_suppression_from_config_and_only_for_rules_that_ran(tmp_path):
    (tmp_path / ".psense.yml").write_text("select: [ALL, PS002]\nignore: [PS2, PS3, PS4]\n",
                                          encoding="utf-8")
    write(tmp_path, f"<!-- psense-lint disable-next-line PS101 PS301 -->\n{GOOD}\n\n"
                    f"<!-- psense-lint disable PS101 -->\n{BAD}\n<!-- psense-lint enable -->\n")
    code, found = findings(tmp_path)
    # PS301 did not run here: nothing can be said about it; the range hid a PS101
    assert found == [("PS002", 1, 36, "Unused suppression: nothing here is reported by PS101.")]


def test_an_unused_suppression_can_itself_be_suppressed(tmp_path):
    write(tmp_path, "<!-- psense-lint disable-file PS002 -- kept for the next revision -->\n"
                    f"<!-- psense-lint disable-next-line PS101 -->\n{GOOD}\n")
    code, found = findings(tmp_path, "--select", "PS1,PS002")
    assert found == [] and code == 0
