"""The per-user cache folder: parsed rule packs (rulepack.py) and compiled regexes
(regex_cache.py) are kept there, never in the project."""
from __future__ import annotations

import os
from pathlib import Path

PACK_CACHE_ENV = "PSENSE_LINT_PACK_CACHE"  # another folder, or empty: no cache


def folder() -> Path | None:
    """``$PSENSE_LINT_PACK_CACHE``, else ``$XDG_CACHE_HOME/psense-lint`` (``%LOCALAPPDATA%``
    on Windows), else ``~/.cache/psense-lint`` (None: no cache)."""
    env = os.environ.get(PACK_CACHE_ENV)
    if env is not None:
        return Path(env) if env.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or (
        os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
    try:
        root = Path(base) if base else Path.home() / ".cache"
    except (RuntimeError, KeyError):  # no home directory
        return None
    return root / "psense-lint"
