"""The pre-commit hook, with the real pre-commit and real git commits.

* The manifest (.pre-commit-hooks.yaml) passes ``pre-commit validate-manifest``.
* Fast end-to-end tests: a temporary git repository whose .pre-commit-config.yaml
  has a ``repo: local`` hook built from the manifest's own settings, running the
  psense-lint installed beside this interpreter. ``pre-commit install`` and then
  ``git commit``: the commit is refused on an engineering-only argument, with
  file:line:col, rule, message and suggestion in the output, and goes through on
  a doc that argues from its users; exclude globs of the project's config hold
  for the file names pre-commit passes; advisory mode; the trained-pipeline error.
* The real thing: this checkout (working tree, uncommitted changes included)
  copied into a git repository and committed, used as ``repo: <path>`` + ``rev``:
  pre-commit clones it, builds the hook's virtualenv with ``pip install .`` and
  runs it - then runs it again with no network at all. A second one installs a
  small spaCy pipeline package through ``additional_dependencies``. These need the
  package registry for pip (about 20-60 s each here).

PRE_COMMIT_HOME is always a temporary directory.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
DOC = ROOT / "docs" / "pre-commit.md"

BAD = textwrap.dedent("""\
    # Move order events to the event bus

    We should move to the event bus because it gives a cleaner architecture and less coupling.
    """)

GOOD = textwrap.dedent("""\
    # Faster order confirmation

    ## Problem

    Shoppers wait up to 8 seconds for the confirmation page after they press
    "Place order" (p95 in the checkout dashboard, October). Support receives
    about 40 tickets a week from shoppers who pressed the button twice and were
    charged for two orders.

    ## Goals

    - The confirmation page appears within 1 second (p95) of pressing "Place order".
    - Tickets about duplicate orders fall from about 40 a week to under 5.

    ## Non-goals

    - Changing the email templates.

    ## Proposal

    The order service publishes an `OrderPlaced` event on the event bus and shows
    the confirmation page at once; the notification service sends the email when it
    receives the event, so shoppers no longer wait for the email to be sent.

    ## Success measure

    The p95 time from "Place order" to the confirmation page stays under 1 second
    for two weeks after the launch, as shown in the checkout dashboard.
    """)

# what psense-lint prints for BAD at docs/design/event-bus.md
FINDING = re.compile(r"^docs/design/event-bus\.md:3:\d+: PS101 warning Engineering-only "
                     r"argument: .*cleaner architecture.*$", re.M)
SUGGESTION = re.compile(r"^  suggestion: \S.*$", re.M)


# ---------------------------------------------------------------- helpers

def load_yaml(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def manifest_hook() -> dict:
    hooks = load_yaml(MANIFEST)
    (hook,) = [h for h in hooks if h["id"] == "psense-lint"]
    return hook


def base_env(home: Path) -> dict[str, str]:
    """The environment for git and pre-commit: our PRE_COMMIT_HOME, no user or
    system git config, nothing inherited from a git hook that runs pytest."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "PRE_COMMIT")) and k != "NO_COLOR"}
    env.update(PRE_COMMIT_HOME=str(home), GIT_CONFIG_GLOBAL=os.devnull,
               GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    return env


def run(cmd, cwd: Path, env: dict[str, str], timeout: float = 600):
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    proc.output = proc.stdout + proc.stderr  # type: ignore[attr-defined]
    return proc


def git(cwd: Path, env: dict[str, str], *args, check: bool = True):
    proc = run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c",
                "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args], cwd, env)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(map(str, args))} failed:\n{proc.output}")
    return proc


def pre_commit(cwd: Path, env: dict[str, str], *args, timeout: float = 600):
    return run([sys.executable, "-m", "pre_commit", *args], cwd, env, timeout=timeout)


def psense_command() -> list[str]:
    script = shutil.which("psense-lint", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "psense_lint"]


def local_language() -> str:
    """A hook that runs an installed command: ``unsupported`` from pre-commit 4.4
    on, ``system`` before (now a deprecated alias)."""
    from pre_commit.all_languages import languages

    return "unsupported" if "unsupported" in languages else "system"


def local_config(args=(), verbose: bool = False) -> dict:
    """A ``repo: local`` hook with the manifest's settings, entry = our psense-lint."""
    hook = {k: v for k, v in manifest_hook().items()
            if k not in ("language", "entry", "minimum_pre_commit_version", "description")}
    hook.update(entry=shlex.join(psense_command()), language=local_language())
    if args:
        hook["args"] = list(args)
    if verbose:
        hook["verbose"] = True
    return {"repos": [{"repo": "local", "hooks": [hook]}]}


def dump_yaml(data) -> str:
    import io

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


class Project:
    """A user's repository with pre-commit installed as its git hook."""

    def __init__(self, path: Path, home: Path, config) -> None:
        self.path = path
        self.env = base_env(home)
        path.mkdir(parents=True, exist_ok=True)
        git(path, self.env, "init", "-q")
        self.write(".pre-commit-config.yaml",
                   config if isinstance(config, str) else dump_yaml(config))
        self.write(".gitignore", ".psense_cache/\n")
        git(path, self.env, "add", ".")
        git(path, self.env, "commit", "-q", "--no-verify", "-m", "pre-commit config")
        proc = pre_commit(path, self.env, "install")
        assert proc.returncode == 0, proc.output

    def write(self, rel: str, text: str) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(self, *files: str, cwd: str = ".", timeout: float = 600):
        """Stage ``files`` and ``git commit`` from ``cwd`` (relative to the
        repository): the installed hook runs."""
        git(self.path, self.env, "add", "--", *files)
        return run(["git", "commit", "-m", "docs"], self.path / cwd, self.env, timeout=timeout)

    def unstage(self, *files: str) -> None:
        git(self.path, self.env, "reset", "-q", "--", *files)

    def head_files(self) -> str:
        return git(self.path, self.env, "ls-tree", "-r", "--name-only", "HEAD").stdout


def assert_refused(proc, project: Project, *files: str) -> None:
    assert proc.returncode == 1, proc.output
    assert "psense-lint" in proc.output and "Failed" in proc.output, proc.output
    head = project.head_files()
    assert not any(f in head for f in files), head


def assert_finding(output: str) -> None:
    """file:line:col: RULE severity message, then the suggestion on the next line."""
    match = FINDING.search(output)
    assert match, output
    rest = output[match.end() + 1:]
    assert SUGGESTION.match(rest), output


# ---------------------------------------------------------------- the manifest

def test_manifest_validates_with_pre_commit(tmp_path):
    proc = pre_commit(ROOT, base_env(tmp_path / "home"), "validate-manifest", str(MANIFEST))
    assert proc.returncode == 0, proc.output


def test_manifest_settings():
    hook = manifest_hook()
    assert hook["entry"] == "psense-lint"
    assert hook["language"] == "python"
    assert hook["types_or"] == ["markdown"]
    assert isinstance(hook["require_serial"], bool)
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(hook["minimum_pre_commit_version"]))
    assert "args" not in hook  # defaults, and the project's config, decide


def readme_snippet(repo: Path) -> str:
    """The README's .pre-commit-config.yaml, with its repository URL replaced by ``repo``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", text, re.S)
    url = "https://github.com/psense-lint/psense-lint"
    assert url in block and "rev: main" in block, block
    return block.replace(url, str(repo))


def test_readme_snippet_names_no_release_that_does_not_exist(tmp_path):
    """No tag exists yet: the README's snippet must not name one; it validates."""
    block = readme_snippet(Path("/x"))
    assert "v0.1.0" not in block
    path = tmp_path / "config.yaml"
    path.write_text(block, encoding="utf-8")
    proc = pre_commit(tmp_path, base_env(tmp_path / "home"), "validate-config", str(path))
    assert proc.returncode == 0, proc.output
    for doc in (ROOT / "README.md", DOC):
        assert "rev: v0.1.0" not in re.sub(r"`rev: v0\.1\.0`", "", doc.read_text()), doc


def test_docs_snippets_are_valid_configs(tmp_path):
    """Every .pre-commit-config.yaml snippet in docs/pre-commit.md passes
    ``pre-commit validate-config``, and the suggested files: pattern selects the
    usual design-doc folders."""
    text = DOC.read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "repos:" in b]
    assert blocks
    env = base_env(tmp_path / "home")
    patterns = []
    for i, block in enumerate(blocks):
        path = tmp_path / f"config{i}.yaml"
        path.write_text(block, encoding="utf-8")
        proc = pre_commit(tmp_path, env, "validate-config", str(path))
        assert proc.returncode == 0, f"{block}\n{proc.output}"
        for repo in load_yaml(path)["repos"]:
            for hook in repo["hooks"]:
                assert hook["id"] == "psense-lint"
                if "files" in hook:
                    patterns.append(hook["files"])
    assert patterns
    files = re.compile(patterns[0])
    for path in ("docs/design/cache.md", "docs/rfcs/0001-bus.md", "docs/rfc/x.md",
                 "docs/adr/0003-db.md", "rfcs/0042-events.md", "rfc/text/1.md"):
        assert files.search(path), path
    for path in ("README.md", "docs/guide/install.md", "CHANGELOG.md", "src/rfc.py"):
        assert not files.search(path), path


# ---------------------------------------------------------------- fast end to end

@pytest.fixture
def home(tmp_path):
    return tmp_path / "pre-commit-home"


def test_commit_refused_on_engineering_only_argument_and_accepted_on_user_argument(
        tmp_path, home):
    project = Project(tmp_path / "project", home, local_config())
    project.write("docs/design/event-bus.md", BAD)
    proc = project.commit("docs/design/event-bus.md")
    assert_refused(proc, project, "docs/design/event-bus.md")
    assert_finding(proc.output)
    assert "- exit code: 1" in proc.output

    project.unstage("docs/design/event-bus.md")
    project.write("docs/design/checkout.md", GOOD)
    proc = project.commit("docs/design/checkout.md")
    assert proc.returncode == 0, proc.output
    assert re.search(r"psense-lint.*Passed", proc.output), proc.output
    assert "docs/design/checkout.md" in project.head_files()


def test_only_markdown_files_are_passed(tmp_path, home):
    project = Project(tmp_path / "project", home, local_config())
    project.write("docs/design/notes.txt", BAD)
    project.write("docs/design/tool.py", f"# {BAD.splitlines()[2]}\n")
    proc = project.commit("docs/design/notes.txt", "docs/design/tool.py")
    assert proc.returncode == 0, proc.output
    assert re.search(r"psense-lint.*\(no files to check\)Skipped", proc.output), proc.output


@pytest.mark.parametrize("config_file", [".psense.yml", "pyproject.toml"])
def test_project_config_excludes_apply_to_files_pre_commit_passes(tmp_path, home,
                                                                  config_file):
    """pre-commit runs the hook at the repository root and names each staged file;
    the root's config is found and its exclude globs drop the named files."""
    project = Project(tmp_path / "project", home, local_config())
    if config_file == ".psense.yml":
        project.write(".psense.yml", 'exclude:\n  - "docs/design/drafts/**"\n  - "**/*.draft.md"\n')
    else:
        project.write("pyproject.toml", '[project]\nname = "shop"\n\n[tool.psense-lint]\n'
                      'exclude = ["docs/design/drafts/**", "**/*.draft.md"]\n')
    git(project.path, project.env, "add", config_file)
    project.write("docs/design/drafts/wip.md", BAD)
    project.write("docs/design/later.draft.md", BAD)
    proc = project.commit("docs/design/drafts/wip.md", "docs/design/later.draft.md")
    assert proc.returncode == 0, proc.output
    assert "docs/design/drafts/wip.md" in project.head_files()

    # the same argument outside the excluded paths, committed with an excluded one,
    # from a subfolder (pre-commit still runs the hook at the root)
    project.write("docs/design/event-bus.md", BAD)
    project.write("docs/design/drafts/next.md", BAD)
    proc = project.commit("docs/design/event-bus.md", "docs/design/drafts/next.md",
                          cwd="docs/design")
    assert_refused(proc, project, "docs/design/event-bus.md")
    assert_finding(proc.output)
    assert "drafts/next.md" not in proc.output


def test_config_in_a_subfolder_through_args(tmp_path, home):
    """A config kept beside the docs is used when the hook is pointed at it; its
    globs are relative to its own folder."""
    project = Project(tmp_path / "project", home,
                      local_config(args=["--config", "docs/.psense.yml"]))
    project.write("docs/.psense.yml", 'exclude:\n  - "design/drafts/**"\n')
    project.write("docs/design/drafts/wip.md", BAD)
    proc = project.commit("docs/.psense.yml", "docs/design/drafts/wip.md")
    assert proc.returncode == 0, proc.output
    project.write("docs/design/event-bus.md", BAD)
    proc = project.commit("docs/design/event-bus.md")
    assert_refused(proc, project, "docs/design/event-bus.md")
    assert_finding(proc.output)


def test_project_config_fail_on_is_honoured(tmp_path, home):
    project = Project(tmp_path / "project", home, local_config())
    project.write(".psense.yml", "fail-on: error\n")
    project.write("docs/design/event-bus.md", BAD)
    proc = project.commit(".psense.yml", "docs/design/event-bus.md")
    assert proc.returncode == 0, proc.output


def test_advisory_mode_shows_findings_and_lets_the_commit_through(tmp_path, home):
    project = Project(tmp_path / "project", home,
                      local_config(args=["--fail-on", "never"], verbose=True))
    project.write("docs/design/event-bus.md", BAD)
    proc = project.commit("docs/design/event-bus.md")
    assert proc.returncode == 0, proc.output
    assert re.search(r"psense-lint.*Passed", proc.output), proc.output
    assert_finding(proc.output)
    assert "docs/design/event-bus.md" in project.head_files()


def test_trained_pipeline_not_installed_is_a_clear_error_not_a_download(tmp_path, home):
    project = Project(tmp_path / "project", home, local_config())
    project.write(".psense.yml", "pipeline: psense_no_such_pipeline\n")
    project.write("docs/design/checkout.md", GOOD)
    proc = project.commit(".psense.yml", "docs/design/checkout.md")
    assert proc.returncode == 1, proc.output
    assert "- exit code: 2" in proc.output
    assert "psense_no_such_pipeline" in proc.output
    assert "never downloads" in proc.output


# ---------------------------------------------------------------- the real manifest

def _checkout_files() -> list[Path]:
    """The files of this checkout a clone would have, plus new files not yet
    committed (ignored files left out); a plain copy if it is not a git repo."""
    proc = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                           "--exclude-standard"], cwd=ROOT, capture_output=True)
    if proc.returncode == 0 and proc.stdout:
        names = [n for n in proc.stdout.decode().split("\0") if n]
        return [Path(n) for n in names if (ROOT / n).is_file()]
    skip = {".git", ".venv", "venv", ".ci-venv", "build", "dist", "__pycache__",
            ".pytest_cache", ".psense_cache", "site"}
    out = []
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in skip and not d.endswith(".egg-info")]
        out += [Path(dirpath, f).relative_to(ROOT) for f in filenames]
    return out


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """This working tree, committed in a fresh git repository: (path, rev)."""
    return snapshot_repo(tmp_path_factory, tmp_path_factory.mktemp("psense-lint-hook-repo"))


def snapshot_repo(tmp_path_factory, repo: Path) -> tuple[Path, str]:
    """Copy this working tree's checked-out files into ``repo`` and commit them: (path, sha)."""
    for rel in _checkout_files():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, repo / rel)
    env = base_env(tmp_path_factory.mktemp("unused-home"))
    git(repo, env, "init", "-q")
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "--no-verify", "-m", "snapshot of the working tree")
    return repo, git(repo, env, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="module")
def real_home(tmp_path_factory):
    """One PRE_COMMIT_HOME for the tests below: the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _no_network(cmd: list[str]) -> list[str] | None:
    """``cmd`` in a new network namespace with no interfaces up, if this machine
    lets us make one (root, or unprivileged user namespaces)."""
    unshare = shutil.which("unshare")
    if not unshare:
        return None
    for prefix in ([unshare, "-n"], [unshare, "-rn"]):
        if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return [*prefix, *cmd]
    return None


def test_real_hook_installs_from_the_checkout_and_runs_offline(tmp_path, hook_repo,
                                                                real_home):
    """The README's snippet as written, with ``repo:`` pointed at a local clone:
    ``pre-commit autoupdate`` pins ``rev: main`` to the clone's commit sha (there is
    no tag), then the hook installs and runs."""
    repo, rev = hook_repo
    project = Project(tmp_path / "project", real_home, readme_snippet(repo))
    proc = pre_commit(project.path, project.env, "autoupdate")
    assert proc.returncode == 0, proc.output
    pinned = load_yaml(project.path / ".pre-commit-config.yaml")["repos"][0]
    assert pinned["rev"] == rev, proc.output
    git(project.path, project.env, "add", ".pre-commit-config.yaml")
    proc = pre_commit(project.path, project.env, "install-hooks")  # pip install . (registry)
    assert proc.returncode == 0, proc.output

    project.write("docs/design/event-bus.md", BAD)
    proc = project.commit("docs/design/event-bus.md")
    assert_refused(proc, project, "docs/design/event-bus.md")
    assert_finding(proc.output)

    project.unstage("docs/design/event-bus.md")
    project.write("docs/design/checkout.md", GOOD)
    proc = project.commit("docs/design/checkout.md")
    assert proc.returncode == 0, proc.output
    assert "docs/design/checkout.md" in project.head_files()

    # once installed, the hook needs no network: no model or data download
    project.write("docs/design/event-bus.md", BAD)
    git(project.path, project.env, "add", "docs/design/event-bus.md")
    cmd = _no_network([sys.executable, "-m", "pre_commit", "run", "psense-lint"])
    if cmd is None:
        pytest.skip("cannot make a network namespace here to prove the no-network run")
    proc = run(cmd, project.path, project.env)
    assert proc.returncode == 1, proc.output
    assert_finding(proc.output)

    # and the hook environment holds no trained pipeline
    envs = list(Path(real_home).glob("repo*/py_env-*"))
    assert envs, list(Path(real_home).iterdir())
    site = list(envs[0].glob("lib/python*/site-packages"))
    assert site and not list(site[0].glob("en_core_web_*")), site


def _tiny_pipeline_package(where: Path) -> Path:
    """A pip-installable spaCy pipeline package (blank English + sentencizer) built
    on the spot: what ``additional_dependencies`` brings in for a trained pipeline,
    without downloading one."""
    pkg = where / "psense-tiny-pipeline"
    (pkg / "psense_tiny_pipeline").mkdir(parents=True)
    (pkg / "pyproject.toml").write_text(textwrap.dedent("""\
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "psense-tiny-pipeline"
        version = "0.0.1"
        dependencies = ["spacy>=3.7,<4"]
        """), encoding="utf-8")
    (pkg / "psense_tiny_pipeline" / "__init__.py").write_text(textwrap.dedent("""\
        import spacy


        def load(**overrides):
            nlp = spacy.blank("en")
            nlp.add_pipe("sentencizer")
            nlp.meta["name"] = "tiny_pipeline"
            return nlp
        """), encoding="utf-8")
    return pkg


def test_real_hook_with_a_pipeline_from_additional_dependencies(tmp_path, hook_repo,
                                                               real_home):
    repo, rev = hook_repo
    pkg = _tiny_pipeline_package(tmp_path)
    config = {"repos": [{"repo": str(repo), "rev": rev, "hooks": [
        {"id": "psense-lint", "additional_dependencies": [str(pkg)]}]}]}
    project = Project(tmp_path / "project", real_home, config)
    project.write(".psense.yml", "pipeline: psense_tiny_pipeline\n")
    git(project.path, project.env, "add", ".psense.yml")
    project.write("docs/design/event-bus.md", BAD)
    proc = project.commit("docs/design/event-bus.md")
    assert_refused(proc, project, "docs/design/event-bus.md")
    assert_finding(proc.output)
