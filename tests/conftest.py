import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The parsed rule packs are cached per user (~/.cache/psense-lint): the tests, and
# every CLI they start (the variable is inherited), use a throw-away folder instead.
# Set here, before any test module loads a pack at import time.
_PACK_CACHE = tempfile.mkdtemp(prefix="psense-test-pack-cache-")
os.environ["PSENSE_LINT_PACK_CACHE"] = _PACK_CACHE


def pytest_unconfigure(config):
    shutil.rmtree(_PACK_CACHE, ignore_errors=True)


BOUND = 120  # seconds: far above any honest run, far below a hang


def bounded(fn, *args, timeout=BOUND):
    """fn(*args) on a daemon thread: its result, or a failure if it does not return."""
    out = {}

    def target():
        try:
            out["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            out["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), f"{getattr(fn, '__name__', fn)} did not return in {timeout} s"
    if "error" in out:
        raise out["error"]
    return out["value"]


def run_cli(*args, cwd=None, stdin=None, env=None):
    """Run the real CLI as a user would, in a subprocess."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "psense_lint", "--no-cache", *map(str, args)],
                          cwd=cwd, input=stdin, capture_output=True, text=True, env=full_env)


@pytest.fixture
def cli():
    return run_cli


MODEL_DAMAGE = ["missing", "truncated", "not-a-zip", "wrong-shape"]


def damaged_model(good: Path, bad: Path, damage: str, **wrong_shape) -> Path:
    """``bad``: the shipped model file ``good`` damaged as a user's install might be
    (``MODEL_DAMAGE``; "wrong-shape" writes these arrays); "missing" writes nothing."""
    import numpy as np

    if damage == "truncated":
        data = Path(str(good)).read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "not-a-zip":
        bad.write_text("hello")
    elif damage == "wrong-shape":
        np.savez(bad, **wrong_shape)
    return bad


def assert_model_error(result, what: str, bad: Path) -> None:
    """The CLI stopped with exit 2 and one line naming the model file, no traceback."""
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines and all("Traceback" not in line for line in lines)
    assert f"{what} model file is" in lines[0] and str(bad) in lines[0]


def sigint_as_a_terminal_leaves_it():
    """``preexec_fn`` for a CLI a test stops with SIGINT: the default disposition. A
    test run started as a shell's background job (``cmd &``, nohup) inherits SIGINT
    ignored, and the CLI, like Python itself, leaves an inherited SIG_IGN alone, so
    Ctrl-C would never reach it there."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def children_of(pid):
    """The pids whose parent is ``pid`` (Linux: reads /proc)."""
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                kids.append(int(entry))
    return kids


def alive(pid):
    """Whether ``pid`` runs (a zombie does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def started_children(proc, bound, n=2):
    """The live children of ``proc`` once there are ``n`` of them (or what there is
    when ``bound`` seconds pass or it exits)."""
    import time

    deadline = time.monotonic() + bound
    kids = []
    while time.monotonic() < deadline and proc.poll() is None:
        kids = [k for k in children_of(proc.pid) if alive(k)]
        if len(kids) >= n:
            break
        time.sleep(0.05)
    return kids


def first_kind(said: str) -> str:
    """A PS101 suggestion less the second kind of outcome it offers where the kind read is
    a guess ("... Or, if it is rather about failures, ...")."""
    return said.partition(" Or, if it is rather about ")[0]
