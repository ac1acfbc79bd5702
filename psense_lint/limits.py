"""Bounds on the work one Markdown file may ask for, past which it is refused with
one line naming the file and line (exit 2) instead of taking minutes.

Both bounds sit far above any real design doc (the 550 corpus docs: at most 37
"hard" brackets and 1,195 prose units in a doc, 23 units per KB) and grow with
the file, so raising ``max-file-size`` for a long doc is not refused by them.

* Brackets. markdown-it's link search walks up to its nesting limit (40 levels)
  from every ``[`` that is unclosed or nested deep: ~25 us each, so 1 MB of ``[``
  took 100 s in the parser alone. A "hard" bracket is one that is still open at
  the end of its line, or opened inside three others on that line; closed,
  shallow ones end their search at their own ``]``.
* Lines. The Markdown parser spends ~20 us on each line of short lines (a table
  row, a one-word list item or paragraph), against ~1 us per 40-character line of
  prose: 1 MB of one-word table rows took ~6 s of CPU to parse alone. The corpus's
  densest doc has a line per 23 characters; the bound is one per 12.
* Prose units. Every paragraph, list item and table cell is one spaCy Doc and one
  pass of each check: ~150 us and ~7 KB each, whatever its length, so a 1 MB
  table of one-word rows (170,000 cells) took 48 s and 1.6 GB.
"""
from __future__ import annotations

import re

from psense_lint.model import InputError

HARD_BRACKETS = 5_000          # at least this many allowed in any file
BYTES_PER_HARD_BRACKET = 200   # and one more per this many characters
LINES = 20_000                 # at least this many lines in any file
BYTES_PER_LINE = 12            # and one more per this many characters
UNITS = 20_000                 # at least this many prose units in any file
BYTES_PER_UNIT = 20            # and one more per this many characters
DEEP = 3                       # brackets open on the line before a "hard" one

_BRACKET = re.compile(r"(?<!\\)[\[\]]")


def bracket_limit(size: int) -> int:
    return max(HARD_BRACKETS, size // BYTES_PER_HARD_BRACKET)


def unit_limit(size: int) -> int:
    return max(UNITS, size // BYTES_PER_UNIT)


def line_limit(size: int) -> int:
    return max(LINES, size // BYTES_PER_LINE)


def check_text(text: str) -> None:
    """Refuse, before parsing, a text with more lines or hard brackets than its limits."""
    limit = line_limit(len(text))
    lines = text.count("\n") + 1
    if lines > limit:
        raise InputError(f"too many lines to lint ({lines:,}; limit {limit:,} for a file "
                         "this size)", line=limit + 1)
    _check_brackets(text)


def _check_brackets(text: str) -> None:
    limit = bracket_limit(len(text))
    if text.count("[") <= limit:  # every real doc: nothing more to look at
        return
    hard = 0
    for number, line in enumerate(text.splitlines(), 1):
        if "[" not in line:
            continue
        depth = 0
        for m in _BRACKET.finditer(line):
            if m.group() == "[":
                if depth >= DEEP:
                    hard += 1
                depth += 1
            elif depth:
                depth -= 1
        hard += min(depth, DEEP)  # still open at the end of the line (deeper ones counted)
        if hard > limit:
            raise InputError(f"too many unclosed or deeply nested '[' to lint (more than "
                             f"{limit:,} by this line; the Markdown parser's link search "
                             "is slow on them)", line=number)


def check_units(units, size: int) -> None:
    """Refuse, after parsing, a doc with more prose units than its limit."""
    limit = unit_limit(size)
    if len(units) > limit:
        raise InputError(f"too many paragraphs, list items and table cells to lint "
                         f"({len(units):,}; limit {limit:,} for a file this size)",
                         line=units[limit].line)
