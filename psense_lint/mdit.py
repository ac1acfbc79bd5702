"""markdown-it-py as ``markdown.parse`` uses it: every inline token with its
source position, the MkDocs extras (admonitions, content tabs, definition lists,
footnotes, dollar math, front matter), and a long source parsed a block at a time.
For the docs the compiled parser does not read: imported only when one is parsed."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline.state_inline import StateInline

try:  # mdit_py_plugins is a hard dependency, but degrade rather than crash.
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
except ImportError:  # pragma: no cover
    admon_plugin = deflist_plugin = dollarmath_plugin = None  # type: ignore[assignment]
    footnote_plugin = front_matter_plugin = None  # type: ignore[assignment]

try:
    from markdown_it.common.utils import MD_TRIM_CHARS as MD_TRIM
except ImportError:  # pragma: no cover
    MD_TRIM = " \t\n\r\f\v"

# Block nesting limit (blockquotes, list items, admonitions ...).  Content nested
# deeper than this is dropped by markdown-it (never an error).
MAX_NESTING = 40


class _PosStateInline(StateInline):
    _pstart = 0  # where the pending text started

    def pushPending(self):  # type: ignore[override]
        token = super().pushPending()
        content = token.content
        src = self.src
        p = self._pstart
        if not src.startswith(content, p):
            q = src.rfind(content, 0, self.pos + 1)
            p = q if q >= 0 else p
        token.meta["p0"] = p
        return token


def _mark(tokens: list, n: int, pos: int, end: int) -> None:
    """Give tokens made by one inline rule call their start positions."""
    p = pos
    for i in range(n, len(tokens)):
        t = tokens[i]
        m = t.meta
        if "p0" in m:
            continue  # flushed pending text, or made by a nested tokenize call
        m["p0"] = p
        m["p1"] = end
        if t.type == "text":
            p += len(t.content)  # emphasis / strikethrough delimiter runs


class _PosParserInline(ParserInline):
    def tokenize(self, state: StateInline) -> None:  # type: ignore[override]
        rules = self.ruler.getRules("")
        end = state.posMax
        max_nesting = state.md.options["maxNesting"]
        tokens = state.tokens
        src = state.src
        append = getattr(state, "append_pending", None)
        fast = append is not None and hasattr(state, "_pending_buffer")
        while state.pos < end:
            pos = state.pos
            ok = False
            if fast:
                if not state._pending and not state._pending_buffer:  # type: ignore[attr-defined]
                    state._pstart = pos  # type: ignore[attr-defined]
            elif not state.pending:
                state._pstart = pos  # type: ignore[attr-defined]
            if state.level < max_nesting:
                n = len(tokens)
                for rule in rules:
                    ok = rule(state, False)
                    if ok:
                        if state.pos <= pos:
                            raise RuntimeError("inline rule didn't increment state.pos")
                        break
                if ok:
                    if len(tokens) > n:
                        _mark(tokens, n, pos, state.pos)
                    if state.pos >= end:
                        break
                    continue
            if append is not None:
                append(src[state.pos])
            else:  # pragma: no cover - older markdown-it-py
                state.pending += src[state.pos]
            state.pos += 1
        if state.pending:
            state.pushPending()

    def parse(self, src, md, env, tokens):  # type: ignore[override]
        state = _PosStateInline(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


def _fragments_join(state: StateInline) -> None:
    """markdown-it's fragments_join, keeping the FIRST token of a merged text run
    (so its recorded start position stays right)."""
    tokens = state.tokens
    level = 0
    maximum = len(tokens)
    curr = last = 0
    while curr < maximum:
        tok = tokens[curr]
        if tok.nesting < 0:
            level -= 1
        tok.level = level
        if tok.nesting > 0:
            level += 1
        if tok.type == "text" and curr + 1 < maximum and tokens[curr + 1].type == "text":
            parts = [tok.content]
            curr += 1
            while curr < maximum and tokens[curr].type == "text":
                parts.append(tokens[curr].content)
                curr += 1
            tok.content = "".join(parts)
            tokens[last] = tok
            last += 1
            continue
        if curr != last:
            tokens[last] = tok
        last += 1
        curr += 1
    if curr != last:
        del tokens[last:]


def _wrap_block_rule(fn):
    def rule(state, start_line, end_line, silent):
        if silent:
            return fn(state, start_line, end_line, silent)
        n = len(state.tokens)
        ok = fn(state, start_line, end_line, silent)
        if ok:
            tokens = state.tokens
            bm, ts, em = state.bMarks, state.tShift, state.eMarks
            nl = len(bm)
            for i in range(n, len(tokens)):
                t = tokens[i]
                if t.type != "inline" or "lb" in t.meta or not t.map:
                    continue
                a, b = t.map[0], t.map[1]
                b = max(b, a + t.content.count("\n") + 1)
                t.meta["lb"] = [(ln, bm[ln], bm[ln] + ts[ln], em[ln])
                                for ln in range(a, min(b, nl))]
        return ok

    return rule


_TAB_RE = re.compile(r'===[!+]?[ \t]+"[^"\n]*"[ \t]*$')


def _tabbed_rule(state, start_line: int, end_line: int, silent: bool) -> bool:
    """pymdownx.tabbed content tabs: `=== "Title"` then a body indented 4 spaces.
    The title is not prose; the body is ordinary Markdown."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    maximum = state.eMarks[start_line]
    if not state.src.startswith("===", start) or not _TAB_RE.match(state.src[start:maximum]):
        return False
    if silent:
        return True
    indent = state.sCount[start_line] + 4
    next_line = start_line + 1
    while next_line < end_line:
        if not state.isEmpty(next_line) and state.sCount[next_line] < indent:
            break
        next_line += 1
    old = (state.parentType, state.lineMax, state.blkIndent)
    state.parentType = "tabbed"
    state.lineMax = next_line
    state.blkIndent = indent
    token = state.push("tabbed_open", "div", 1)
    token.block = True
    token.map = [start_line, next_line]
    token.info = state.src[start:maximum]
    state.md.block.tokenize(state, start_line + 1, next_line)
    token = state.push("tabbed_close", "div", -1)
    token.block = True
    state.parentType, state.lineMax, state.blkIndent = old
    state.line = next_line
    return True


_MD: MarkdownIt | None = None
# Block rules that never push an inline token themselves (containers push none: the
# paragraphs inside them come from the wrapped paragraph rule).  Everything else,
# including unknown plugin rules, is wrapped.
_NO_INLINE_RULES = frozenset({
    "code", "fence", "blockquote", "hr", "list", "reference", "html_block",
    "math_block", "math_block_label", "front_matter", "footnote_def", "admonition",
    "tabbed",
})


def markdown() -> MarkdownIt:
    global _MD
    if _MD is not None:
        return _MD
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])
    md.inline.__class__ = _PosParserInline
    if front_matter_plugin is not None:
        md.use(front_matter_plugin)
        md.use(admon_plugin)
        md.use(deflist_plugin)
        md.use(footnote_plugin, inline=False, move_to_end=False)
        md.use(dollarmath_plugin, allow_space=False, allow_digits=False,
               double_inline=True, allow_blank_lines=False)
    md.block.ruler.before("fence", "tabbed", _tabbed_rule,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.disable("text_join", ignoreInvalid=True)
    md.inline.ruler2.at("fragments_join", _fragments_join)
    ruler = md.block.ruler
    for r in list(ruler.__rules__):
        if r.name not in _NO_INLINE_RULES:
            ruler.at(r.name, _wrap_block_rule(r.fn), {"alt": list(r.alt)})
    _MD = md
    return md


def tokens(norm: str, stream: bool = False):
    """``markdown().parse(norm)``: a list, or (``stream``: for a long source) the
    same tokens streamed a top-level block at a time (``_stream``)."""
    md = markdown()
    if not stream or not _streamable(md):
        return md.parse(norm)
    return _stream(md, norm)


def _streamable(md) -> bool:
    """Is ``md.parse`` what ``_stream`` does: the core rules normalize, block and
    inline only, markdown-it's own block and core parsers?"""
    from markdown_it.parser_block import ParserBlock
    from markdown_it.parser_core import ParserCore

    return (type(md.block).tokenize is ParserBlock.tokenize
            and type(md.block).parse is ParserBlock.parse
            and type(md.core).process is ParserCore.process
            and md.core.ruler.get_active_rules() == ["normalize", "block", "inline"])


def _stream(md, src: str):
    """The tokens of ``md.parse(src)``, in order, each block's as soon as it is
    parsed, its inline tokens' children parsed then: the token list of a long doc
    (~20 bytes per byte of Markdown) is never held at once. Inline parsing reads
    what the whole block phase found (``env``: link reference and footnote
    definitions, which may come after their use), so a source with a definition
    (a "]:") is block-parsed once more first, its tokens dropped, to fill ``env``.
    Block parsing reads nothing inline parsing writes (its footnote ids, unused
    here)."""
    from markdown_it.rules_core import normalize
    from markdown_it.rules_core.state_core import StateCore

    env: dict = {}
    state = StateCore(src, md, env)
    normalize(state)
    src = state.src
    if "]:" in src:
        for _ in _blocks(md, src, env):
            pass
    inline = md.inline
    for block in _blocks(md, src, env):
        for tok in block:
            if tok.type == "inline":  # markdown-it's core "inline" rule, for one token
                if tok.children is None:
                    tok.children = []
                inline.parse(tok.content, md, env, tok.children)
            yield tok


def _blocks(md, src: str, env: dict):
    """``ParserBlock.parse``, a top-level block at a time: its loop (``tokenize``) at
    the top level, handing out the tokens of each block it parsed (then dropped).
    A rule reads only the tokens of its own block (``markTightParagraphs``)."""
    from markdown_it.rules_block.state_block import StateBlock

    if not src:
        return
    tokens: list = []
    state = StateBlock(src, md, env, tokens)
    rules = md.block.ruler.getRules("")
    line, end_line = state.line, state.lineMax
    max_nesting = md.options.maxNesting
    has_empty_lines = False
    while line < end_line:
        state.line = line = state.skipEmptyLines(line)
        if line >= end_line:
            break
        if state.sCount[line] < state.blkIndent:
            break
        if state.level >= max_nesting:
            state.line = end_line
            break
        ok = False
        for rule in rules:
            ok = rule(state, line, end_line, False)
            if ok:
                if state.line <= line:
                    raise RuntimeError("block rule didn't increment state.line")
                break
        if not ok:
            raise RuntimeError("none of the block rules matched")
        state.tight = not has_empty_lines
        line = state.line
        if (line - 1) < end_line and state.isEmpty(line - 1):
            has_empty_lines = True
        if line < end_line and state.isEmpty(line):
            has_empty_lines = True
            line += 1
            state.line = line
        if tokens:
            yield tokens
            del tokens[:]
