"""Output options, from the user's side: the real CLI, the output read back."""
from __future__ import annotations

import json
import re

from conftest import run_cli

BAD = "We should split the service because it gives a cleaner architecture.\n"
DOC = ("# Order events\n\n## Motivation\n\n" + BAD + "\n## Goals\n\n- Improve search quality.\n")


def project(tmp_path):
    (tmp_path / "design").mkdir()
    (tmp_path / "design" / "a.md").write_text(DOC, encoding="utf-8")
    (tmp_path / "design" / "b.md").write_text(DOC, encoding="utf-8")
    return tmp_path


def test_quiet_prints_findings_only(tmp_path):
    full = run_cli("design", cwd=project(tmp_path))
    quiet = run_cli("--quiet", "design", cwd=tmp_path)
    assert quiet.returncode == full.returncode == 1
    assert "Found " in full.stdout and "answers user pain" in full.stdout
    assert "Found " not in quiet.stdout and "answers user pain" not in quiet.stdout
    assert quiet.stdout.splitlines() == [
        line for line in full.stdout.splitlines() if re.match(r"design/.\.md:\d+:\d+: |  sugg", line)]


def test_statistics_counts_per_rule(tmp_path):
    proc = run_cli("--statistics", "--select", "PS101,PS301", "design", cwd=project(tmp_path))
    assert proc.returncode == 1
    assert proc.stdout == ("2  PS101  engineering-only-argument\n2  PS301  vague-goal\n"
                           "Found 4 findings in 2 files.\n")
    as_json = run_cli("--statistics", "--format", "json", "--select", "PS101", "design",
                      cwd=tmp_path)
    assert json.loads(as_json.stdout) == [
        {"rule": "PS101", "name": "engineering-only-argument", "count": 2}]


def test_output_file_writes_the_format_and_prints_text(tmp_path):
    proc = run_cli("--format", "sarif", "--output-file", "out.sarif", "design",
                   cwd=project(tmp_path))
    assert proc.returncode == 1
    assert proc.stdout.startswith("design/a.md:") and "Found " in proc.stdout
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    bad = run_cli("--output-file", "no/such/dir/out.json", "design", cwd=tmp_path)
    assert bad.returncode == 2
    assert "no/such/dir/out.json: cannot write the output file" in bad.stderr


def test_list_rules_as_json(tmp_path):
    proc = run_cli("--list-rules", "--format", "json", cwd=tmp_path)
    rules = {r["id"]: r for r in json.loads(proc.stdout)}
    assert rules["PS101"]["name"] == "engineering-only-argument"
    assert rules["PS101"]["help_uri"].endswith("/rules/ps101/")
    assert {"PS001", "PS002", "PS201", "PS301", "PS401"} <= set(rules)


def test_force_color_colours_output_that_is_not_a_terminal(tmp_path):
    project(tmp_path)
    plain = run_cli("design", cwd=tmp_path, env={"NO_COLOR": "", "FORCE_COLOR": ""})
    assert "\x1b[" not in plain.stdout
    forced = run_cli("design", cwd=tmp_path, env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert "\x1b[33mPS101\x1b[0m" in forced.stdout
    both = run_cli("design", cwd=tmp_path, env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" not in both.stdout
    never = run_cli("--color", "never", "design", cwd=tmp_path, env={"NO_COLOR": "",
                                                                   "FORCE_COLOR": "1"})
    assert "\x1b[" not in never.stdout


def test_github_format_one_doc_summary_notice_per_run_and_one_line_messages(tmp_path):
    proc = run_cli("--format", "github", "design", cwd=project(tmp_path))
    lines = proc.stdout.splitlines()
    notices = [line for line in lines if "doc summary" in line]
    assert len(notices) == 1, lines
    assert notices[0].startswith("::notice title=psense-lint doc summary::2 design docs: "
                                 "design/a.md answers user pain")
    assert "design/b.md answers" in notices[0]
    assert all("%0A" not in line and "%0D" not in line for line in lines), lines


def test_no_newline_inside_any_message_even_from_a_rule_pack(tmp_path):
    project(tmp_path)
    (tmp_path / "extra.yml").write_text(
        "rules:\n  PS301:\n    message: |-\n      Vague goal:\n      \"{goal}\" has no target.\n",
        encoding="utf-8")
    (tmp_path / ".psense.yml").write_text("rule-files: [extra.yml]\n", encoding="utf-8")
    for fmt in ("json", "sarif"):
        proc = run_cli("--format", fmt, "--select", "PS301", "design", cwd=tmp_path)
        data = json.loads(proc.stdout)
        texts = ([f["message"] for f in data["findings"]] if fmt == "json" else
                 [r["message"]["text"] for r in data["runs"][0]["results"]])
        assert texts and all("\n" not in t for t in texts), texts
        assert any('Vague goal: "Improve search quality" has no target.' in t for t in texts)


def test_sarif_fingerprints_do_not_move_when_lines_are_inserted(tmp_path):
    doc = tmp_path / "design" / "a.md"
    project(tmp_path)
    doc.write_text("# Plan\n\n## Drawbacks\n\n- It is more work.\n\n" + BAD, encoding="utf-8")

    def prints():
        proc = run_cli("--format", "sarif", "design/a.md", cwd=tmp_path)
        run = json.loads(proc.stdout)["runs"][0]
        return {(r["ruleId"], r["partialFingerprints"]["psenseFindingHash/v1"])
                for r in run["results"]}, run

    before, run = prints()
    assert {"PS101", "PS204"} <= {rule for rule, _ in before}
    assert all(r["helpUri"].endswith(f"/rules/{r['id'].lower()}/")
               for r in run["tool"]["driver"]["rules"])
    doc.write_text("# Plan\n\nIntro.\n\nMore intro.\n\n" + doc.read_text(encoding="utf-8")[8:],
                   encoding="utf-8")
    after, _run = prints()
    assert after == before
