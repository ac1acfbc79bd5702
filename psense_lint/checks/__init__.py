"""Check mechanisms. A rule in a YAML pack names its mechanism with ``check:``;
each mechanism is one function ``(ctx, specs) -> iterable of Hit / DocSummary``."""
from __future__ import annotations

from psense_lint.checks import arguments

REGISTRY = {
    "engineering-only-argument": arguments.check,
}
