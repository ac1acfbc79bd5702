"""The compiled front end (markdown-it.rs) gives what markdown-it-py gives, to the offset.

`parse` sends a doc to the compiled parser when `_compiled_can_parse` says it reads
it as markdown-it-py would, and to markdown-it-py otherwise; these tests parse the
same text both ways and compare every field of the result."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from psense_lint import markdown

pytestmark = pytest.mark.skipif(markdown._pyrs is None, reason="markdown-it-pyrs not installed")

ROOT = Path(__file__).resolve().parent.parent


def _fields(doc):
    return (doc.text, doc.front_matter, doc.front_matter_lines,
            [(u.kind, u.text, tuple(u.offsets), u.masked, u.section, u.line, u.group)
             for u in doc.units],
            doc.headings, doc.comments)


def _both(src: str, monkeypatch):
    compiled = markdown.parse(src)
    with monkeypatch.context() as m:
        m.setattr(markdown, "_pyrs", None)
        plain = markdown.parse(src)
    return _fields(compiled), _fields(plain)


def _routed(src: str) -> bool:
    return markdown._compiled_reads(markdown._blank_snippets(markdown._normalize(src)[0]))


FILES = sorted(p for d in ("tests/fixtures", "examples", "docs") for p in (ROOT / d).rglob("*.md"))


def test_every_fixture_and_doc_page_parses_the_same(monkeypatch):
    routed = 0
    for path in FILES:
        src = path.read_text(encoding="utf-8", errors="replace")
        routed += _routed(src)
        a, b = _both(src, monkeypatch)
        assert a == b, path
    assert routed >= len(FILES) // 3  # the compiled path is really taken


# Pieces of the position fuzz test, less the plugin syntax that always goes to
# markdown-it-py, plus more ordinary Markdown, so that most docs take the compiled path.
_PIECES = [
    "word", "other", " ", "  ", "*", "**", "_", "`", "``", "[", "]", "](http://u.v)", "![",
    "<", ">", "&amp;", "&copy;", "&#35;", "&bogus;", "\\*", "\\", "|", "\\|",
    "\n", "\n\n", "\n> ", "\n- ", "\n  - ", "\n1. ", "\t", "é", "日本", "😀", "<b>", "<!-- c -->",
    "<http://a.b>", "\r\n", "\r", "\n# ", "\n---\n", "\n| a | b |\n|---|---|\n| ", "~~",
    "\n    ", "http://x.y/z", " #", '--8<-- "f"', "\u00a0", "[ ] ", "{#id}", "\0",
    "\n\n", "word word.", "\n  ", "\n   ", "``x``", "`y`", "[a](b)", "\n> > ",
    "\n\n| x |\n|---|\n| y |\n", "**bold**", "_it_", "\n```\ncode\n```\n", "<div>\n",
    "\n</div>\n", "&#x41;", "\\`", "  \n", "\\\n", "\n---\ntitle: t\n---\n", "[r]: /u\n", "[r]",
]


def test_random_markdown_parses_the_same(monkeypatch):
    rng = random.Random(20261201)
    routed = 0
    for _ in range(400):
        src = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40)))
        routed += _routed(src)
        a, b = _both(src, monkeypatch)
        assert a == b, src
    assert routed >= 80


@pytest.mark.parametrize("src", [
    '!!! note "Title"\n    Body text.\n',   # admonition
    '=== "Tab"\n    Body.\n',             # content tab
    "Cost $x$ here.\n",                   # dollar math
    "a $b\nc$ d\n",                       # inline math over a line end
    "$$\nx = 1\n$$\n",                     # a math block
    "Pay $$5$$ now.\n",                   # double inline math
    "[a $b](u)$ c\n",                     # math from a link's text past its end
    "`x` $a `b$` c\n",                    # math over a code span
    "v1beta$(n) to\nv1beta$(n+1).\n",      # a corpus doc's version numbers: math to the plugin
    "A claim.[^1]\n\n[^1]: A note.\n",    # footnote
    "Term\n: Definition.\n",              # definition list
    "A\u00a0b.\n",                        # a Unicode space
    "See [`foo here.\n",                  # an unclosed code span after "[" (a panic there)
    "- one\n-\n- three\n",                # an empty list item
    "*\u2192*x\n",                        # a symbol beside an emphasis marker
    "---- \ntitle: x\n----\n",            # front matter fences other than "---"
])
def test_what_goes_to_markdown_it_py(src, monkeypatch):
    assert not _routed(src)
    a, b = _both(src, monkeypatch)
    assert a == b


def test_ordinary_markdown_takes_the_compiled_parser(monkeypatch):
    src = ("---\ntitle: T\n---\n# Title\n\nSome *prose* with `code`, a [link](u) and &amp;.\n\n"
           "> - quoted item\n\n| a | b |\n|---|---|\n| c | d |\n")
    assert _routed(src)
    a, b = _both(src, monkeypatch)
    assert a == b


def test_a_panic_in_the_compiled_parser_falls_back(monkeypatch):
    monkeypatch.setattr(markdown, "_compiled_can_parse", lambda norm: True)
    doc = markdown.parse("See [`foo here.\n")  # markdown-it.rs 0.6 panics on this
    assert [u.text for u in doc.units] == ["See [`foo here."]


@pytest.mark.parametrize("src", [
    "It costs $5 to $10 a month.\n",           # prices: "$" before a digit
    "From $5-$10, or $20/$30.\n",
    "Set `$HOME` and `$PATH` first.\n",        # shell variables in code spans
    "Run:\n\n```sh\necho $HOME $PATH\n```\n",  # and in fenced code
    "    $ ls $DIR\n",                          # indented code
    "Escaped \\$x$ here.\n",                  # an escaped opener
    "A $ sign and a $.\n",                     # space after the opener
    "One $\n\nanother $x.\n",                 # a blank line between
    "<span title=\"$a$\">x</span> text\n",   # inline HTML
    "<div>\n$a$\n</div>\n",                  # an HTML block
    "See <http://x.y/$a$> here.\n",            # an autolink
])
def test_dollars_that_hold_no_math_take_the_compiled_parser(src, monkeypatch):
    assert _routed(src)
    a, b = _both(src, monkeypatch)
    assert a == b


# Dollar signs beside everything the math rule looks at (digits, spaces, escapes,
# code spans, links, line ends, blank lines): whichever way each doc is routed, both
# parses must agree.
_DOLLAR_PIECES = _PIECES + [
    "$", "$", "$x", "x$", "$5", "5$", " $ ", "\\$", "`$a`", "$HOME", "\n```\n$ x $y\n```\n",
    "[$a](b)", "<a href='$x'>", "$(n)", "*$*", "\n\n$", "$\n",
]


def test_random_markdown_with_dollars_parses_the_same(monkeypatch):
    rng = random.Random(20261202)
    routed = 0
    for _ in range(400):
        src = "".join(rng.choice(_DOLLAR_PIECES) for _ in range(rng.randint(1, 40)))
        routed += "$" in src and _routed(src)
        a, b = _both(src, monkeypatch)
        assert a == b, src
    assert routed >= 20  # dollar docs really take the compiled path
