"""CPU time of today's Markdown stage against compiled Markdown parsers, on a real corpus.

    python bench/frontends.py DIR [REPEAT]    # every *.md of DIR (default REPEAT: 3)

Each row is the best of REPEAT passes over every file, in CPU seconds of this process
(``time.process_time``), the texts read before timing. Rows:

* ``psense_lint.markdown.parse``: the whole stage as the linter runs it (normalising,
  the compiled parser for the docs it can take and markdown-it-py with its position
  hooks and plugins for the rest, the walk to prose units and offsets); then the same
  with markdown-it-py for every doc (the stage before the compiled front end), and the
  check that chooses.
* markdown-it-py alone: the same configured parser's ``parse`` on the normalised
  text, and a plain ``MarkdownIt("commonmark")`` with tables (no hooks, no plugins).
* each compiled parser, its parse alone plus a walk that reads every node's
  positions (what a front end would need at the least), with the extensions nearest
  to what psense-lint reads: tables, strikethrough, footnotes, front matter, and
  (where it has them) definition lists and math. A parser that is not installed is
  skipped (``pip install markdown-it-pyrs cmarkgfm pyromark comrak-ext``).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path


def _best(fn, texts, repeat):
    best = None
    for _ in range(repeat):
        t = time.process_time()
        for s in texts:
            fn(s)
        d = time.process_time() - t
        best = d if best is None else min(best, d)
    return best


def candidates():
    from psense_lint import markdown, mdit

    rows = [("psense_lint.markdown.parse (the stage as it runs)", markdown.parse)]
    if markdown._pyrs is not None:
        def py_only(s, _m=markdown):
            saved, _m._pyrs = _m._pyrs, None
            try:
                return _m.parse(s)
            finally:
                _m._pyrs = saved
        rows.append(("psense_lint.markdown.parse, markdown-it-py for every doc", py_only))
        rows.append(("  the check that sends a doc to one parser or the other",
                     lambda s: markdown._compiled_can_parse(markdown._normalize(s)[0])))

    md = mdit.markdown()

    def mdit_configured(s):
        norm, _ = markdown._normalize(s)
        return md.parse(norm)
    rows.append(("markdown-it-py, configured parser alone", mdit_configured))

    from markdown_it import MarkdownIt
    plain = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    rows.append(("markdown-it-py, plain commonmark + table", plain.parse))

    try:
        import markdown_it_pyrs as pyrs
        mdrs = pyrs.MarkdownIt("commonmark").enable_many(
            ["table", "strikethrough", "front_matter", "footnote", "deflist"])

        def rs(s):
            n = 0
            for node in mdrs.tree(s).walk():
                n += node.srcmap[1] if node.srcmap else 0
            return n
        rows.append(("markdown-it-pyrs 0.4.0: tree + walk of srcmaps", rs))
        rows.append(("markdown-it-pyrs 0.4.0: tree alone", mdrs.tree))
    except ImportError:
        pass
    try:
        import pyromark
        opts = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES
                | pyromark.Options.ENABLE_STRIKETHROUGH | pyromark.Options.ENABLE_MATH
                | pyromark.Options.ENABLE_YAML_STYLE_METADATA_BLOCKS
                | pyromark.Options.ENABLE_DEFINITION_LIST)

        def pm(s):
            return sum(1 for _ in pyromark.events_with_range(s, options=opts))
        rows.append(("pyromark 0.10.3: events_with_range (consumed)", pm))
    except (ImportError, AttributeError):
        pass
    try:
        import comrak
        ext = comrak.ExtensionOptions(strikethrough=True, table=True, footnotes=True,
                                      description_lists=True, front_matter_delimiter="---",
                                      math_dollars=True)
        popt = comrak.ParseOptions(sourcepos_chars=True)

        def walk(node):
            n = node.sourcepos.end.column
            for c in node.children:
                n += walk(c)
            return n

        def cm(s):
            return walk(comrak.parse_document(s, ext, popt))
        rows.append(("comrak-ext 0.2.8: parse_document + walk of sourcepos", cm))
        rows.append(("comrak-ext 0.2.8: parse_document alone",
                     lambda s: comrak.parse_document(s, ext, popt)))
    except ImportError:
        pass
    try:
        import cmarkgfm
        from cmarkgfm.cmark import Options
        exts = ["table", "strikethrough", "autolink", "tagfilter"]

        def gfm(s):
            return cmarkgfm.markdown_to_html_with_extensions(
                s, options=Options.CMARK_OPT_SOURCEPOS | Options.CMARK_OPT_UNSAFE,
                extensions=exts)
        rows.append(("cmarkgfm 2025.10.22: HTML with data-sourcepos (no AST API)", gfm))
    except ImportError:
        pass
    return rows


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        sys.exit(__doc__.split("\n\n")[1])
    files = sorted(Path(argv[0]).glob("*.md"))
    repeat = int(argv[1]) if len(argv) > 1 else 3
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    chars = sum(len(s) for s in texts)
    print(f"{len(texts)} files, {chars:,} characters, best of {repeat}")
    from psense_lint import markdown
    if markdown._pyrs is not None:
        n = sum(markdown._compiled_can_parse(markdown._normalize(s)[0]) for s in texts)
        print(f"{n} of them go to the compiled parser")
    for label, fn in candidates():
        fn(texts[0])  # import / first-call costs out of the timing
        cpu = _best(fn, texts, repeat)
        print(f"{cpu:8.3f} s  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
