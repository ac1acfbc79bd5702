"""Check mechanisms. A rule in a YAML pack names its mechanism with ``check:``;
each mechanism is one function ``(ctx, specs) -> iterable of Hit / DocSummary``
(which name runs which function: ``psense_lint.checks.registry``)."""
