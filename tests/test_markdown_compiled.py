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
    return markdown._compiled_can_parse(markdown._blank_snippets(markdown._normalize(src)[0]))


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
