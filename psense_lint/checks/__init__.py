"""Check mechanisms. A rule in a YAML pack names its mechanism with ``check:``;
each mechanism is one function ``(ctx, specs) -> iterable of Hit / DocSummary``."""
from __future__ import annotations

from psense_lint.checks import arguments, claims, document, suppressions

REGISTRY = {
    "engineering-only-argument": arguments.check,
    "document-questions": document.check,
    "vague-goal": claims.vague_goal,
    "unsupported-claim": claims.unsupported_claim,
    "suppression-comments": suppressions.check,
}
