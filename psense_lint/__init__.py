"""psense-lint: lint the arguments in Markdown design docs."""

__version__ = "0.1.0"
