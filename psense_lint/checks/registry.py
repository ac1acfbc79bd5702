"""Which function runs each ``check:`` a rule names, and the check that every rule
names one (the engine calls it when it loads a pack). Apart from the package
``__init__`` so that importing ``psense_lint.checks.common`` (as suggest and
audience do) does not import every mechanism, which import suggest."""
from __future__ import annotations

from psense_lint import rulepack
from psense_lint.checks import arguments, claims, document, suppressions
from psense_lint.model import ConfigError

REGISTRY = {
    "engineering-only-argument": arguments.check,
    "document-questions": document.check,
    "vague-goal": claims.vague_goal,
    "unsupported-claim": claims.unsupported_claim,
    "suppression-comments": suppressions.check,
}


def validate(pack: rulepack.RulePack) -> None:
    """Raise ConfigError (at the rule's file:line:col) for a rule whose ``check``
    names no mechanism."""
    for rid, spec in sorted(pack.rules.items()):
        if spec.check not in REGISTRY:
            path, line, column = rulepack.rule_position(pack.sources, rid)
            raise ConfigError(f"rule {rid}: unknown check '{spec.check}' "
                              f"(known: {', '.join(sorted(REGISTRY))})",
                              path=path, line=line, column=column)
