"""Inline psense-lint directives in HTML comments."""
from __future__ import annotations

import re

import pytest

from psense_lint.suppress import Directive, make_filter, parse_directives

EXPECTED_ACTIONS = "expected disable, enable, disable-next-line or disable-file"


# ---------------------------------------------------------------- parsing

@pytest.mark.parametrize("text, action, rules, reason", [
    ("psense-lint disable PS101 PS301 -- reason text", "disable", {"PS101", "PS301"},
     "reason text"),
    (" psense-lint enable ", "enable", set(), ""),
    ("psense-lint enable PS101", "enable", {"PS101"}, ""),
    ("psense-lint disable-next-line PS101,PS102", "disable-next-line", {"PS101", "PS102"}, ""),
    ("psense-lint disable-next-line PS101, PS102 -- quoted from a user", "disable-next-line",
     {"PS101", "PS102"}, "quoted from a user"),
    ("psense-lint disable-file PS2 -- generated", "disable-file", {"PS2"}, "generated"),
    ("psense-lint disable-file", "disable-file", set(), ""),
    ("psense-lint disable -- why not", "disable", set(), "why not"),
    ("psense-lint disable --terse", "disable", set(), "terse"),
    ("psense-lint disable PS101 --", "disable", {"PS101"}, ""),
    ("psense-lint disable PS101 --   spaced \n  out  ", "disable", {"PS101"}, "spaced out"),
    ("psense-lint disable PS101 -- a -- b", "disable", {"PS101"}, "a -- b"),
    ("psense-lint disable ALL", "disable", set(), ""),
    ("psense-lint DISABLE PS101", "disable", {"PS101"}, ""),
    ("\n  psense-lint disable\n  PS101\n  PS102\n", "disable", {"PS101", "PS102"}, ""),
    ("psense-lint\tdisable\tPS101", "disable", {"PS101"}, ""),
    # unknown ids are kept; the caller may warn about them
    ("psense-lint disable PSX99 custom-rule", "disable", {"PSX99", "custom-rule"}, ""),
])
def test_parse_directive(text, action, rules, reason):
    directives, problems = parse_directives([(text, 4, 6)])
    assert problems == []
    assert directives == [Directive(action, frozenset(rules), 4, 6, reason)]


@pytest.mark.parametrize("text", [
    "just a comment", "", "   ", "TODO: psense-lint disable", "prettier-ignore",
    "markdownlint-disable MD013", "Psense-lint disable",
])
def test_not_a_directive(text):
    assert parse_directives([(text, 1, 1)]) == ([], [])


@pytest.mark.parametrize("text, message", [
    ("psense-lint", f"psense-lint comment without an action ({EXPECTED_ACTIONS})"),
    ("psense-lint -- reason only", f"psense-lint comment without an action ({EXPECTED_ACTIONS})"),
    ("psense-lint disabel PS101", "unknown psense-lint directive 'disabel' "
                                  "(did you mean 'disable'?)"),
    ("psense-lint disable-nextline", "unknown psense-lint directive 'disable-nextline' "
                                     "(did you mean 'disable-next-line'?)"),
    ("psense-lint disable-line PS101", "unknown psense-lint directive 'disable-line' "
                                       "(put 'disable-next-line' on the line before instead)"),
    ("psense-lint frobnicate", f"unknown psense-lint directive 'frobnicate' ({EXPECTED_ACTIONS})"),
    ("psense-lint PS101", f"unknown psense-lint directive 'PS101' ({EXPECTED_ACTIONS})"),
    ("psense-lint-disable PS101", "unknown psense-lint directive 'psense-lint-disable' "
                                  "(did you mean 'psense-lint disable'?)"),
    ("psense-lint:enable", "unknown psense-lint directive 'psense-lint:enable' "
                           "(did you mean 'psense-lint enable'?)"),
    ("psense-linting is fun", "unknown psense-lint directive 'psense-linting'"),
    ("psense-lint-", "unknown psense-lint directive 'psense-lint-'"),
    ("psense-lint disable PS101!", "invalid rule id 'PS101!' in psense-lint disable "
                                   "(put a reason after ' -- ')"),
    ("psense-lint disable-file PS2 (generated)", "invalid rule id '(generated)' in psense-lint "
                                                 "disable-file (put a reason after ' -- ')"),
])
def test_malformed_directive(text, message):
    assert parse_directives([(text, 7, 9)]) == ([], [(7, message)])


def test_parse_keeps_order_and_reports_problems_with_their_lines():
    directives, problems = parse_directives([
        ("psense-lint disable PS1", 1, 1),
        ("a note", 2, 2),
        ("psense-lint nope", 3, 3),
        ("psense-lint enable", 5, 4),   # end before start is clamped
    ])
    assert [(d.action, d.line, d.end_line) for d in directives] == [
        ("disable", 1, 1), ("enable", 5, 5)]
    assert problems == [(3, f"unknown psense-lint directive 'nope' ({EXPECTED_ACTIONS})")]


def test_parse_accepts_a_generator():
    directives, _ = parse_directives((t, i, i) for i, t in enumerate(["psense-lint enable"], 1))
    assert len(directives) == 1


# ---------------------------------------------------------------- filtering

COMMENT = re.compile(r"<!--(.*?)-->", re.S)


def comments(doc: str):
    """(text, start line, end line) of every HTML comment, as the parser reports them."""
    for m in COMMENT.finditer(doc):
        start = doc.count("\n", 0, m.start()) + 1
        yield m.group(1), start, start + m.group(0).count("\n")


def suppressor(doc: str):
    directives, problems = parse_directives(comments(doc))
    assert problems == []
    return make_filter(directives, doc.splitlines())


RANGE = """\
intro
<!-- psense-lint disable PS101 -- quoted -->
text
<!-- psense-lint enable PS101 -->
text
"""

DISABLE_ALL_ENABLE_ONE = """\
intro
<!-- psense-lint disable -->
text
<!-- psense-lint enable PS101 -->
text
"""

PREFIX_THEN_SPECIFIC = """\
intro
<!-- psense-lint disable PS1 -->
text
<!-- psense-lint enable PS101 -->
text
<!-- psense-lint disable PS101 -->
text
"""

ONE_THEN_ALL = """\
<!-- psense-lint disable PS101 PS2 -->
text
<!-- psense-lint enable -->
text
"""

UNCLOSED = """\
intro
<!-- psense-lint disable PS101 -->
text
""" + "more\n" * 50

NEXT_LINE = """\
intro
<!-- psense-lint disable-next-line PS101 -- an example -->


flagged line
after
"""

STACKED = """\
<!-- psense-lint disable-next-line PS101 -->
<!-- psense-lint disable-next-line PS102 -->

target
after
"""

MULTILINE_COMMENT = """\
intro
<!--
psense-lint disable-next-line PS101
-- because
-->
target
"""

INLINE_NEXT_LINE = """\
text here <!-- psense-lint disable-next-line -->
target
"""

AT_END = """\
text
<!-- psense-lint disable-next-line -->

"""

WHOLE_FILE = """\
first
text
<!-- psense-lint enable PS201 -->
text
<!-- psense-lint disable-file PS2 -- generated -->
"""

SAME_LINE = """\
intro
text <!-- psense-lint disable PS101 --> x <!-- psense-lint enable PS101 -->
text <!-- psense-lint disable PS102 -->
more
"""

ENABLE_ONLY = """\
<!-- psense-lint enable PS101 -->
text
"""

NEXT_LINE_AND_RANGE = """\
<!-- psense-lint disable PS101 -->
<!-- psense-lint disable-next-line PS102 -->
<!-- psense-lint enable PS101 -->
target
"""


@pytest.mark.parametrize("doc, rule, line, expected", [
    # disable ... enable: the comment's own line is affected
    (RANGE, "PS101", 1, False), (RANGE, "PS101", 2, True), (RANGE, "PS101", 3, True),
    (RANGE, "PS101", 4, False), (RANGE, "PS101", 5, False), (RANGE, "PS102", 3, False),
    # disable (all) then enable X re-enables only X
    (DISABLE_ALL_ENABLE_ONE, "PS101", 3, True), (DISABLE_ALL_ENABLE_ONE, "PS101", 5, False),
    (DISABLE_ALL_ENABLE_ONE, "PS102", 5, True), (DISABLE_ALL_ENABLE_ONE, "PS301", 5, True),
    (DISABLE_ALL_ENABLE_ONE, "PS301", 1, False),
    # prefixes, and later directives win per rule
    (PREFIX_THEN_SPECIFIC, "PS102", 3, True), (PREFIX_THEN_SPECIFIC, "PS101", 3, True),
    (PREFIX_THEN_SPECIFIC, "PS101", 5, False), (PREFIX_THEN_SPECIFIC, "PS102", 5, True),
    (PREFIX_THEN_SPECIFIC, "PS101", 7, True), (PREFIX_THEN_SPECIFIC, "PS201", 3, False),
    # enable (all) re-enables everything
    (ONE_THEN_ALL, "PS202", 2, True), (ONE_THEN_ALL, "PS101", 4, False),
    (ONE_THEN_ALL, "PS202", 4, False),
    # a disable without an enable lasts to the end of the file (and beyond its last line)
    (UNCLOSED, "PS101", 52, True), (UNCLOSED, "PS101", 1000, True),
    # disable-next-line: the next non-blank line after the comment
    (NEXT_LINE, "PS101", 2, False), (NEXT_LINE, "PS101", 3, False),
    (NEXT_LINE, "PS101", 5, True), (NEXT_LINE, "PS101", 6, False),
    (NEXT_LINE, "PS102", 5, False),
    # stacked disable-next-line comments all apply to the first real line
    (STACKED, "PS101", 4, True), (STACKED, "PS102", 4, True), (STACKED, "PS102", 2, False),
    (STACKED, "PS101", 5, False),
    # a multi-line comment: counted from its end line
    (MULTILINE_COMMENT, "PS101", 6, True), (MULTILINE_COMMENT, "PS101", 5, False),
    # after text on the same line: still the next line, not this one
    (INLINE_NEXT_LINE, "PS301", 1, False), (INLINE_NEXT_LINE, "PS301", 2, True),
    # nothing after it: no effect, no crash
    (AT_END, "PS101", 1, False), (AT_END, "PS101", 3, False),
    # disable-file, wherever it is, covers the whole file; enable does not undo it
    (WHOLE_FILE, "PS201", 1, True), (WHOLE_FILE, "PS202", 4, True),
    (WHOLE_FILE, "PS201", 4, True), (WHOLE_FILE, "PS101", 1, False),
    # several directives on one line: the last one wins on that line
    (SAME_LINE, "PS101", 2, False), (SAME_LINE, "PS101", 3, False),
    (SAME_LINE, "PS102", 3, True), (SAME_LINE, "PS102", 4, True), (SAME_LINE, "PS102", 2, False),
    # enable without disable: nothing to do
    (ENABLE_ONLY, "PS101", 2, False),
    # disable-next-line skips other directive lines, and ranges still apply
    (NEXT_LINE_AND_RANGE, "PS102", 4, True), (NEXT_LINE_AND_RANGE, "PS101", 4, False),
    (NEXT_LINE_AND_RANGE, "PS101", 2, True), (NEXT_LINE_AND_RANGE, "PS102", 3, False),
])
def test_filter(doc, rule, line, expected):
    assert suppressor(doc)(rule, line) is expected


def test_no_directives_suppress_nothing():
    is_suppressed = make_filter([], ["a", "b"])
    assert not any(is_suppressed(r, n) for r in ("PS101", "PS2") for n in range(0, 4))


def test_filter_with_directives_made_by_hand():
    directives = [Directive("disable", frozenset({"PS3"}), 2, 2, ""),
                  Directive("disable-next-line", frozenset(), 10, 12, "")]
    is_suppressed = make_filter(directives, ["x"] * 15)
    assert is_suppressed("PS301", 2) and not is_suppressed("PS301", 1)
    assert is_suppressed("PS101", 13) and not is_suppressed("PS101", 12)


def test_crlf_and_out_of_range_lines():
    doc = "a\r\n<!-- psense-lint disable-next-line PS101 -->\r\n\r\nb\r\n"
    assert suppressor(doc)("PS101", 4)
    # directives that point past the end of the given lines do not crash
    is_suppressed = make_filter([Directive("disable-next-line", frozenset(), 40, 41, "")],
                                ["a"])
    assert not is_suppressed("PS101", 1)
