import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run_cli(*args, cwd=None, stdin=None, env=None):
    """Run the real CLI as a user would, in a subprocess."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "psense_lint", "--no-cache", *map(str, args)],
                          cwd=cwd, input=stdin, capture_output=True, text=True, env=full_env)


@pytest.fixture
def cli():
    return run_cli
