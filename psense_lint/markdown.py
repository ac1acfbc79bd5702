"""Read a Markdown design doc and extract its prose with exact source positions.

`parse(text)` returns a `ParsedDoc`: the prose units (paragraphs, list items,
blockquotes, table cells, admonition bodies, headings, footnotes) as plain text,
each character mapped back to its offset in the ORIGINAL string, plus the
headings, HTML comments and front matter.

How positions are kept exact
----------------------------
markdown-it-py gives block tokens a line map but no positions for inline
content.  We parse a normalized copy of the text (BOM stripped, CRLF/CR -> LF,
NUL -> U+FFFD, TOML front matter and MkDocs snippet lines blanked with spaces so
lengths never change except for the removed BOM/CR characters) and:

* wrap every block rule so that, when it emits an ``inline`` token, the
  container-adjusted start/end of each of its source lines (``bMarks``,
  ``tShift``, ``eMarks``) is snapshotted while the parser state still holds
  them; each line of the inline content is then aligned to its source line;
* run the inline tokenizer through a subclass that records, for every inline
  token, the position in the inline content where it starts (``meta["p0"]``)
  and where the rule that made it stopped (``meta["p1"]``).

Both are checked against the source before use; when a check fails we fall
back to a forward search and, failing that, to the best known position, so odd
input never raises.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Any, NamedTuple

try:  # Python 3.11+
    import tomllib
except ImportError:  # Python 3.10: the same parser, packaged as tomli
    import tomli as tomllib  # type: ignore[no-redef]

try:  # the compiled parser (markdown-it.rs): optional, markdown-it-py does the rest
    import markdown_it_pyrs as _pyrs
except ImportError:  # pragma: no cover - no wheel for this platform
    _pyrs = None

# markdown-it-py itself is set up in psense_lint.mdit, imported for the first doc the
# compiled parser does not read (importing it and its plugins: ~18 ms)

__all__ = ["Prose", "Heading", "Comment", "ParsedDoc", "Offsets", "parse", "unit_span"]


# --------------------------------------------------------------------------- offsets


class Offsets:
    """The original-text offset of each character of a unit's text (plus one past
    its end), kept as runs: a run starts at ``starts[j]`` in the unit, with the
    offset ``vals[j]`` there, and goes up by ``steps[j]`` (1: consecutive source
    characters, 0: all at one offset, as an entity's decoded characters). A
    sequence of ints like the tuple it replaces (``len``, indexing, slicing,
    iteration, ``==``), but nothing is computed per character until asked: only
    the units with a finding are ever mapped back.

    Built by appending (``run``, ``append``), then not changed."""

    __slots__ = ("starts", "vals", "steps", "n")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.vals: list[int] = []
        self.steps: list[int] = []
        self.n = 0

    # -- building
    def run(self, value: int, count: int, step: int = 1) -> None:
        """Append ``value, value + step, ...`` (``count`` of them)."""
        if count <= 0:
            return
        vals = self.vals
        if vals:
            j = len(vals) - 1
            last_len = self.n - self.starts[j]
            d = self.steps[j]
            last = vals[j] + (last_len - 1) * d
            if (d == step or count == 1) and last + d == value:
                self.n += count  # the last run goes on
                return
            if last_len == 1 and value - last in (0, 1) \
                    and (count == 1 or value - last == step):
                self.steps[j] = value - last  # a lone value starts a run
                self.n += count
                return
        self.starts.append(self.n)
        vals.append(value)
        self.steps.append(step if count > 1 else 1)
        self.n += count

    def append(self, value: int) -> None:
        self.run(value, 1)

    def extend(self, values) -> None:
        for v in values:
            self.run(v, 1)

    # -- reading
    def __len__(self) -> int:
        return self.n

    def _at(self, i: int) -> int:
        j = bisect_right(self.starts, i) - 1
        return self.vals[j] + (i - self.starts[j]) * self.steps[j]

    def __getitem__(self, i):
        n = self.n
        if isinstance(i, slice):
            a, b, step = i.indices(n)
            if step != 1:
                return tuple(self)[i]
            return self.slice(a, b)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("offset index out of range")
        return self._at(i)

    def slice(self, a: int, b: int) -> "Offsets":
        """The offsets of characters a..b-1 (0 <= a <= b <= len), as a new Offsets."""
        out = Offsets()
        if b <= a:
            return out
        starts, vals, steps = self.starts, self.vals, self.steps
        j = bisect_right(starts, a) - 1
        pos = a
        while pos < b:
            end = starts[j + 1] if j + 1 < len(starts) else self.n
            stop = min(end, b)
            out.run(vals[j] + (pos - starts[j]) * steps[j], stop - pos, steps[j])
            pos = stop
            j += 1
        return out

    def __iter__(self):
        starts, vals, steps, n = self.starts, self.vals, self.steps, self.n
        for j, st in enumerate(starts):
            end = starts[j + 1] if j + 1 < len(starts) else n
            v, d = vals[j], steps[j]
            if d == 1:
                yield from range(v, v + end - st)
            else:
                for _ in range(end - st):
                    yield v

    def __bool__(self) -> bool:
        return self.n > 0

    def __eq__(self, other) -> bool:
        if isinstance(other, Offsets):
            return self.n == other.n and tuple(self) == tuple(other)
        if isinstance(other, (tuple, list)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Offsets({tuple(self)!r})"


# --------------------------------------------------------------------------- records


class Prose(NamedTuple):
    kind: str
    text: str
    offsets: Offsets   # a sequence of ints, one per character of text, plus one
    masked: tuple[tuple[int, int], ...]
    section: tuple[str, ...]
    line: int
    group: int


class Heading(NamedTuple):
    level: int
    text: str
    line: int
    column: int
    end_column: int


class Comment(NamedTuple):
    text: str
    line: int
    end_line: int
    block: bool


class _DocFields(NamedTuple):
    text: str
    front_matter: dict
    front_matter_lines: int
    units: tuple[Prose, ...]
    headings: tuple[Heading, ...]
    comments: tuple[Comment, ...]


class ParsedDoc(_DocFields):
    """The parse result.  A NamedTuple (fields as in `_DocFields`) plus `position`."""

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), 1-based, of a char offset into `text` (code points; a tab
        is one column; \\n, \\r\\n and lone \\r end lines; a leading BOM is not a column)."""
        starts = self.__dict__.get("_line_starts")
        if starts is None:
            starts = _line_starts(self.text)
            self.__dict__["_line_starts"] = starts
        text = self.text
        if offset < 0:
            offset = 0
        elif offset > len(text):
            offset = len(text)
        idx = bisect_right(starts, offset) - 1
        col = offset - starts[idx] + 1
        if idx == 0 and text.startswith("\ufeff") and offset > 0:
            col -= 1
        return idx + 1, col


def unit_span(doc: ParsedDoc, unit: Prose, start: int, end: int) -> tuple[int, int, int, int]:
    """(line, column, end_line, end_column) of unit.text[start:end] in the original file;
    end exclusive, computed as offsets[end-1]+1 so a range ending on a softbreak does not
    spill onto the next line."""
    offs = unit.offsets
    n = len(unit.text)
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    s = offs[start] if offs else 0
    e = offs[end - 1] + 1 if end > start else s
    line, col = doc.position(s)
    end_line, end_col = doc.position(e)
    return line, col, end_line, end_col


# --------------------------------------------------------------------------- helpers

_LINEBREAK_RE = re.compile(r"\r\n|\r|\n")


def _line_starts(text: str) -> list[int]:
    if "\r" not in text:  # the same list, without a Python call per line
        return list(accumulate(map((1).__add__, map(len, text.split("\n")[:-1])), initial=0))
    starts = [0]
    starts.extend(m.end() for m in _LINEBREAK_RE.finditer(text))
    return starts


def _normalize(text: str) -> tuple[str, int]:
    """markdown-it's own normalization, done here so we control the offset map."""
    bom = 1 if text.startswith("\ufeff") else 0
    norm = text[bom:]
    if "\r" in norm:
        norm = norm.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in norm:
        norm = norm.replace("\0", "\ufffd")
    return norm, bom


def _line_shifts(text: str, norm: str, bom: int) -> list[int]:
    """shift[l] such that original offset = normalized offset + shift[l] on line l."""
    if "\r" not in text:  # only the BOM was taken out (NUL -> U+FFFD keeps lengths)
        return [bom] * (text.count("\n") + 1)
    orig = _line_starts(text)
    normst = [0]
    normst.extend(m.end() for m in re.finditer("\n", norm))
    n = min(len(orig), len(normst))
    shifts = [orig[i] - normst[i] for i in range(n)]
    if shifts:
        shifts[0] = bom
    return shifts


_TOML_RE = re.compile(r"\A\+\+\+[ \t]*\n(.*?\n)??\+\+\+[ \t]*(?:\n|\Z)", re.S)
_BLANK_RE = re.compile(r"[^\n]")


def _toml_front_matter(norm: str) -> tuple[str, dict, int]:
    if not norm.startswith("+++"):
        return norm, {}, 0
    m = _TOML_RE.match(norm)
    if not m:
        return norm, {}, 0
    region = m.group(0)
    data: dict = {}
    try:
        loaded = tomllib.loads(m.group(1) or "")
        if isinstance(loaded, dict):
            data = loaded
    except Exception:  # bad TOML is not our problem: report no front matter
        data = {}
    nlines = region.count("\n") + (0 if region.endswith("\n") else 1)
    return _BLANK_RE.sub(" ", region) + norm[m.end():], data, nlines


def _yaml_front_matter(content: str) -> dict:
    try:
        from ruamel.yaml import YAML

        loaded = YAML(typ="safe", pure=True).load(content)
    except Exception:
        return {}
    return loaded if isinstance(loaded, dict) else {}


_SNIP_LINE_RE = re.compile(r"^((?:[ \t]{0,3}>)*[ \t]*)(-{2,}8<-{2,})[ \t]*(.*)$")
_ABBR_RE = re.compile(r"^((?:[ \t]{0,3}>)*[ \t]{0,3})\*\[[^\]\n]+\]:")
_FENCE_RE = re.compile(r"^(?:[ \t]{0,3}>)*[ \t]*(`{3,}|~{3,})")


def _blank_snippets(norm: str) -> str:
    """Blank MkDocs snippet lines (`--8<-- "file"`, and block form) and abbreviation
    definitions (`*[HTML]: ...`) with spaces, outside fenced code; `>` prefixes are kept."""
    if "8<" not in norm and "*[" not in norm:
        return norm
    lines = norm.split("\n")
    fence: str | None = None
    in_block = False
    changed = False
    for i, line in enumerate(lines):
        fm = _FENCE_RE.match(line)
        if fence is not None:
            if fm and fm.group(1)[0] == fence[0] and len(fm.group(1)) >= len(fence) \
                    and not line[fm.end():].strip():
                fence = None
            continue
        if fm and not in_block:
            fence = fm.group(1)
            continue
        m = _SNIP_LINE_RE.match(line)
        if m:
            prefix = m.group(1)
            lines[i] = prefix + " " * (len(line) - len(prefix))
            changed = True
            if not m.group(3):  # bare marker: opens or closes a block of file names
                in_block = not in_block
            continue
        if in_block:
            lines[i] = " " * len(line)
            changed = True
            continue
        m = _ABBR_RE.match(line)
        if m:
            prefix = m.group(1)
            lines[i] = prefix + " " * (len(line) - len(prefix))
            changed = True
    return "\n".join(lines) if changed else norm


# --------------------------------------------------------------------------- alignment


class _CMap:
    """Maps positions in an inline token's content to ORIGINAL text offsets, as
    runs: content[cs[j]:cs[j]+ln[j]] <-> original[os[j]:os[j]+ln[j]]."""

    __slots__ = ("cs", "os", "ln", "base")

    def __init__(self, base: int) -> None:
        self.cs: list[int] = []
        self.os: list[int] = []
        self.ln: list[int] = []
        self.base = base

    def add(self, c: int, o: int, n: int) -> None:
        self.cs.append(c)
        self.os.append(o)
        self.ln.append(n)

    def map1(self, c: int) -> int:
        cs = self.cs
        if not cs:
            return self.base
        j = bisect_right(cs, c) - 1
        if j < 0:
            return self.os[0]
        d = c - cs[j]
        if d < self.ln[j]:
            return self.os[j] + d
        if j + 1 < len(cs):
            return self.os[j + 1]
        return self.os[j] + self.ln[j]

    def extend(self, out: Offsets, c: int, n: int) -> None:
        """Append the offsets of content[c:c+n] to out."""
        if n <= 0:
            return
        cs = self.cs
        if cs:
            j = bisect_right(cs, c) - 1
            if j >= 0 and c + n <= cs[j] + self.ln[j]:
                out.run(self.os[j] + c - cs[j], n)
                return
        map1 = self.map1
        out.extend(map1(c + i) for i in range(n))


_WS = " \t"


def _md_trim() -> str:
    """The characters markdown-it-py's mdTrim strips (the tokens aligned here are its)."""
    from psense_lint.mdit import MD_TRIM

    return MD_TRIM


def _align_block(content: str, lb: list, norm: str, shifts: list[int], heading: bool) -> _CMap:
    """Align each content line of a paragraph / heading to its source line."""
    first = lb[0] if lb else None
    base = 0
    if first is not None:
        base = first[2] + _shift(shifts, first[0])
    cmap = _CMap(base)
    lines = content.split("\n")
    last = len(lines) - 1
    # mdTrim may have dropped whole leading lines made only of Unicode spaces (NBSP...)
    skip = 0
    while skip < len(lb) - 1 and skip < len(lb) - len(lines) \
            and not norm[lb[skip][2]:lb[skip][3]].strip(_md_trim()):
        skip += 1
    cpos = 0
    for i, cl in enumerate(lines):
        if i + skip >= len(lb):
            break
        ln, bm, bt, em = lb[i + skip]
        st = cl.lstrip(_WS)
        lw = len(cl) - len(st)
        n = len(st)
        if heading and not st:
            s = em
        elif norm.startswith(st, bt) and bt + n <= em:
            s = bt
        else:
            s = norm.rfind(st, bm, em) if heading else norm.find(st, bm, em)
        if s >= 0:
            k = lw
            while k > 0 and s > bm and norm[s - 1] == cl[k - 1]:
                s -= 1
                k -= 1
            sh = _shift(shifts, ln)
            if k and s > bm and norm[s - 1] == "\t":
                # spaces that getLines made out of a partly consumed tab: map to the tab
                for c in range(k):
                    cmap.add(cpos + c, s - 1 + sh, 1)
            length = len(cl) - k + (1 if i < last else 0)  # + the "\n" -> line break
            cmap.add(cpos + k, s + sh, length)
        cpos += len(cl) + 1
    return cmap


def _line_offset(doc: ParsedDoc, line0: int) -> int:
    """Original offset of the first char of 0-based line line0 (best effort)."""
    doc.position(0)  # make sure line starts are cached
    starts = doc.__dict__["_line_starts"]
    line0 = max(0, min(line0, len(starts) - 1))
    off = starts[line0]
    if line0 == 0 and doc.text.startswith("\ufeff"):
        off += 1
    return off


def _shift(shifts: list[int], ln: int) -> int:
    if ln < len(shifts):
        return shifts[ln]
    return shifts[-1] if shifts else 0


def _split_row(norm: str, start: int, end: int) -> list[list[tuple[int, int]]]:
    """markdown-it's escapedSplit on norm[start:end], returning each column as a
    list of (start, end) source pieces (escaped pipes drop their backslash)."""
    trim = _md_trim()
    while start < end and norm[start] in trim:
        start += 1
    while end > start and norm[end - 1] in trim:
        end -= 1
    cols: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    last = start
    escaped = False
    pos = norm.find("|", start, end)
    # walk only the pipes, checking the char before each one
    while pos >= 0:
        escaped = pos > start and norm[pos - 1] == "\\"
        if not escaped:
            cur.append((last, pos))
            cols.append(cur)
            cur = []
            last = pos + 1
        else:
            cur.append((last, pos - 1))
            last = pos
        pos = norm.find("|", pos + 1, end)
    cur.append((last, end))
    cols.append(cur)

    def empty(col: list[tuple[int, int]]) -> bool:
        return all(a >= b for a, b in col)

    if cols and empty(cols[0]):
        cols.pop(0)
    if cols and empty(cols[-1]):
        cols.pop()
    return cols


def _align_cell(content: str, pieces: list[tuple[int, int]] | None, norm: str,
                line: tuple, shifts: list[int], cursor: int) -> tuple[_CMap, int]:
    ln, bm, bt, em = line
    sh = _shift(shifts, ln)
    cmap = _CMap(bt + sh)
    if pieces is not None:
        idx: list[int] = []
        for a, b in pieces:
            idx.extend(range(a, b))
        raw = "".join(norm[i] for i in idx)
        trimmed = raw.strip(_md_trim())
        lead = len(raw) - len(raw.lstrip(_md_trim()))
        if trimmed == content and len(content) <= len(idx) - lead:
            sel = idx[lead:lead + len(content)]
            run_c, run_o, run_n = 0, None, 0
            for c, o in enumerate(sel):
                if run_o is not None and o == run_o + run_n:
                    run_n += 1
                    continue
                if run_o is not None:
                    cmap.add(run_c, run_o + sh, run_n)
                run_c, run_o, run_n = c, o, 1
            if run_o is not None:
                cmap.add(run_c, run_o + sh, run_n)
            end = sel[-1] + 1 if sel else cursor
            return cmap, end
    s = norm.find(content, max(cursor, bt), em) if content else -1
    if s >= 0:
        cmap.add(0, s + sh, len(content))
        return cmap, s + len(content)
    return cmap, cursor


# --------------------------------------------------------------------------- inline -> text


def _inline_text(children: list, content: str, cmap: _CMap, comments: list,
                 doc_pos) -> tuple[str, Offsets, list[tuple[int, int]]]:
    parts: list[str] = []
    offs = Offsets()
    masked: list[tuple[int, int]] = []
    n = 0
    cursor = 0
    autolink: tuple[int, int] | None = None
    ext = cmap.extend
    map1 = cmap.map1

    for tok in children:
        tt = tok.type
        meta = tok.meta
        p0 = meta.get("p0")
        if tt == "text":
            s = tok.content
            if not s:
                continue
            if autolink is not None:
                a, b = autolink
                raw_start = a + 1
                raw = content[raw_start:b - 1]
                if raw == s:
                    ext(offs, raw_start, len(s))
                else:
                    hi = max(raw_start, b - 2)
                    offs.extend(map1(min(raw_start + i, hi)) for i in range(len(s)))
                masked.append((n, n + len(s)))
                cursor = b
            else:
                if p0 is None or not content.startswith(s, p0):
                    q = content.find(s, cursor)
                    p0 = q if q >= 0 else cursor
                ext(offs, p0, len(s))
                cursor = p0 + len(s)
            parts.append(s)
            n += len(s)
        elif tt == "text_special":
            s = tok.content
            if not s:
                continue
            if p0 is None:
                p0 = cursor
            if tok.info == "escape" and tok.markup[1:] == s:
                ext(offs, p0 + 1, len(s))
            elif content.startswith(s, p0):
                ext(offs, p0, len(s))
            else:  # entity: every decoded char maps to the "&"
                offs.run(map1(p0), len(s), 0)
            cursor = max(cursor, meta.get("p1", p0 + 1))
            parts.append(s)
            n += len(s)
        elif tt in ("softbreak", "hardbreak"):
            start = p0 if p0 is not None else cursor
            nl = content.find("\n", start)
            if nl < 0:
                nl = start
            offs.append(map1(nl))
            parts.append("\n")
            n += 1
            cursor = max(cursor, nl + 1)
        elif tt in ("code_inline", "math_inline", "math_inline_double"):
            s = tok.content
            p1 = meta.get("p1")
            if not s:
                if p1 is not None:
                    cursor = max(cursor, p1)
                continue
            if p0 is None or p1 is None:
                q = content.find(s, cursor)
                start = q if q >= 0 else cursor
            else:
                m = len(tok.markup) if tok.markup else 0
                raw = content[p0 + m:p1 - m]
                flat = raw.replace("\n", " ") if tt == "code_inline" else raw
                if flat == s:
                    lead = 0
                else:
                    q = flat.find(s)
                    lead = q if q >= 0 else 0
                start = p0 + m + lead
                cursor = max(cursor, p1)
            ext(offs, start, len(s))
            masked.append((n, n + len(s)))
            parts.append(s)
            n += len(s)
        elif tt == "link_open":
            if tok.markup == "autolink" and p0 is not None:
                autolink = (p0, meta.get("p1", p0))
        elif tt == "link_close":
            if autolink is not None:
                cursor = max(cursor, autolink[1])
            autolink = None
        elif tt == "html_inline":
            s = tok.content
            if s.startswith("<!--"):
                start = p0 if p0 is not None else cursor
                endp = meta.get("p1", start + len(s))
                body = s[4:-3] if s.endswith("-->") and len(s) >= 7 else s[4:]
                line = doc_pos(map1(start))[0]
                end_line = doc_pos(map1(max(start, endp - 1)))[0]
                comments.append(Comment(body.strip(), line, end_line, False))
            if p0 is not None:
                cursor = max(cursor, meta.get("p1", p0))
        else:
            # image (alt text dropped), footnote_ref, em/strong markers, unknown plugin
            # tokens: nothing to emit
            if p0 is not None and tt in ("image", "footnote_ref"):
                cursor = max(cursor, meta.get("p1", p0))
    return "".join(parts), offs, masked


_TASK_RE = re.compile(r"\[[ xX]\][ \t]+")
_ATTR_LIST_RE = re.compile(r"[ \t]*\{:?[ \t]*[#.][^{}\n]*\}[ \t]*$")
_URL_RE = re.compile(r"(?:https?|ftp)://[^\s<>\"'`]+|www\.[^\s<>\"'`]+", re.I)
_URL_TRAIL = ".,;:!?'\")]}*_"


def _bare_urls(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    if "://" not in text and "www." not in text.lower():
        return out  # every match holds one or the other: no search (most units)
    for m in _URL_RE.finditer(text):
        a, b = m.span()
        while b > a and text[b - 1] in _URL_TRAIL:
            if text[b - 1] == ")" and text.count("(", a, b) >= text.count(")", a, b):
                break
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _merge(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    if not ranges:
        return ()
    ranges = sorted(ranges)
    out = [list(ranges[0])]
    for a, b in ranges[1:]:
        if a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1][1] = b
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def _finish(text: str, offs: Offsets, masked: list[tuple[int, int]]):
    """Strip surrounding whitespace; add bare-URL masks; end the offsets with one
    past the last character."""
    if len(offs) != len(text):  # never expected; keep the invariant anyway
        if len(offs) > len(text):
            offs = offs.slice(0, len(text))
        else:
            offs.run(offs[-1] if offs else 0, len(text) - len(offs), 0)
    stripped = text.strip()
    if not stripped:
        return None
    if len(stripped) != len(text):
        a = len(text) - len(text.lstrip())
        b = a + len(stripped)
        offs = offs[a:b]
        masked = [(max(x - a, 0), min(y - a, len(stripped))) for x, y in masked
                  if y > a and x < b]
        text = stripped
    masked = [m for m in masked if m[1] > m[0]]
    masked.extend(_bare_urls(text))
    offs.append(offs[-1] + 1)
    return text, offs, _merge(masked)


# --------------------------------------------------------------------------- main


_CONTAINERS_OPEN = {
    "blockquote_open": "blockquote",
    "list_item_open": "list_item",
    "admonition_open": "admonition",
    "footnote_reference_open": "footnote",
    "dl_open": "list_item",
    "tr_open": "table_cell",
    "th_open": "table_cell",
    "td_open": "table_cell",
    "tabbed_open": "",  # transparent: the kind comes from what is inside the tab
}
_CONTAINERS_CLOSE = {
    "blockquote_close", "list_item_close", "admonition_close",
    "footnote_reference_close", "dl_close", "tr_close", "th_close", "td_close",
    "tabbed_close",
}


def parse(text: str) -> ParsedDoc:
    """Parse a Markdown document.  Never raises for any str input (only ImportError,
    when markdown-it-py, imported for the first doc the compiled parser does not
    read, is missing: a broken install)."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    elif not isinstance(text, str):
        text = str(text)
    try:
        return _parse(text)
    except ImportError:
        raise
    except (Exception, RecursionError):  # pragma: no cover - last-resort safety net
        return ParsedDoc(text, {}, 0, (), (), ())


def _parse(text: str) -> ParsedDoc:
    norm, bom = _normalize(text)
    norm, front_matter, fm_lines = _toml_front_matter(norm)
    norm = _blank_snippets(norm)
    shifts = _line_shifts(text, norm, bom)

    doc = ParsedDoc(text, {}, 0, (), (), ())
    doc_pos = doc.position

    if _pyrs is not None and len(norm) < STREAM_CHARS and _compiled_can_parse(norm):
        # (a long doc is streamed by markdown-it-py instead: its token list is never held)
        try:
            return _compiled(doc, norm, bom, shifts, front_matter, fm_lines)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # _Fallback, any error, a panic in the Rust code
            doc = ParsedDoc(text, {}, 0, (), (), ())
            doc_pos = doc.position

    from psense_lint import mdit

    try:
        tokens = mdit.tokens(norm, stream=len(norm) >= STREAM_CHARS)
    except (Exception, RecursionError):
        tokens = []
    toml = front_matter, fm_lines

    out = _Out(doc)
    comments = out.comments
    stack: list[tuple[str, Any]] = []
    heading_level = 0
    in_admon_title = False
    row_line: tuple | None = None
    row_cols: list | None = None
    row_cursor = 0
    cell_idx = -1

    tokens = iter(tokens)
    idx = -1
    while True:
        try:
            tok = next(tokens)
        except StopIteration:
            break
        except (Exception, RecursionError):  # streamed: as if the parse had failed
            out = _Out(doc)
            comments = out.comments
            front_matter, fm_lines = toml
            break
        idx += 1
        tt = tok.type
        try:
            if tt in _CONTAINERS_OPEN:
                key: Any = idx
                if tt == "tr_open":
                    row_line, row_cols, row_cursor, cell_idx = None, None, 0, -1
                elif tt in ("th_open", "td_open"):
                    cell_idx += 1
                stack.append((_CONTAINERS_OPEN[tt], key))
                continue
            if tt in _CONTAINERS_CLOSE:
                if stack:
                    stack.pop()
                continue
            if tt == "heading_open":
                try:
                    heading_level = int(tok.tag[1:])
                except ValueError:
                    heading_level = 1
                continue
            if tt == "heading_close":
                heading_level = 0
                continue
            if tt == "admonition_title_open":
                in_admon_title = True
                continue
            if tt == "admonition_title_close":
                in_admon_title = False
                continue
            if tt == "front_matter":
                if tok.map and not fm_lines:
                    fm_lines = tok.map[1] - tok.map[0]
                    front_matter = _yaml_front_matter(tok.content)
                continue
            if tt == "html_block":
                _block_comments(tok, comments)
                continue
            if tt != "inline" or in_admon_title:
                continue

            content = tok.content
            lb = tok.meta.get("lb") or []
            in_cell = bool(stack) and stack[-1][0] == "table_cell" and not heading_level
            if in_cell:
                if not lb:
                    continue
                line = lb[0]
                if row_line != line:
                    row_line = line
                    row_cols = _split_row(norm, line[2], line[3])
                    row_cursor = line[2]
                pieces = row_cols[cell_idx] if row_cols and 0 <= cell_idx < len(row_cols) else None
                cmap, row_cursor = _align_cell(content, pieces, norm, line, shifts, row_cursor)
            else:
                if lb:
                    cmap = _align_block(content, lb, norm, shifts, bool(heading_level))
                else:
                    cmap = _CMap(_line_offset(doc, tok.map[0] if tok.map else 0))
            children = tok.children or []
            utext, offs, masked = _inline_text(children, content, cmap, comments, doc_pos)

            kind = "heading" if heading_level else _kind(stack)
            gkey = ("c", stack[0][1]) if stack else ("u", idx)
            start = endo = fl = 0
            if heading_level:
                start = cmap.map1(0)
                fl = content.find("\n")
                if fl < 0:
                    fl = len(content)
                endo = cmap.map1(fl - 1) + 1 if fl > 0 else start
            out.add(kind, utext, offs, masked, gkey, heading_level, start, endo, fl)
        except (Exception, RecursionError):
            continue

    return out.result(front_matter, fm_lines)


def _kind(stack) -> str:
    for k, _ in reversed(stack):
        if k:
            return k
    return "paragraph"


class _Out:
    """What a parse collects, whichever parser made the tree: units, headings (and the
    section path they open), comments; group ids in order of first appearance."""

    def __init__(self, doc: ParsedDoc) -> None:
        self.doc = doc
        self.pos = doc.position
        self.units: list[Prose] = []
        self.headings: list[Heading] = []
        self.comments: list[Comment] = []
        self.sections: list[tuple[int, str]] = []
        self.group_ids: dict[Any, int] = {}

    def add(self, kind: str, utext: str, offs: Offsets, masked: list, gkey: Any,
            heading_level: int, start: int, endo: int, fl: int) -> None:
        """One unit's text, offsets and masks, as read from the inline content; for
        a heading, the original offsets of its content's start and of the end of its
        first line, and that line's length."""
        if kind == "list_item":
            tm = _TASK_RE.match(utext)
            if tm:  # task list checkbox "[ ] " / "[x] "
                cut = tm.end()
                utext, offs = utext[cut:], offs[cut:]
                masked = [(max(a - cut, 0), b - cut) for a, b in masked if b > cut]
        sections = self.sections
        if heading_level:
            am = _ATTR_LIST_RE.search(utext)
            if am:  # MkDocs attr_list: "## Title {#id .class}"
                cut = am.start()
                utext, offs = utext[:cut], offs[:cut]
                masked = [(a, min(b, cut)) for a, b in masked if a < cut]
            plain = " ".join(utext.split())
            if am:
                stripped = utext.rstrip()
                if stripped and "\n" not in stripped:
                    endo = offs[len(stripped) - 1] + 1
            hl, hc = self.pos(start)
            hl2, hec = self.pos(endo)
            if hl2 != hl or hec < hc:
                hec = hc + fl
            self.headings.append(Heading(heading_level, plain, hl, hc, hec))
            while sections and sections[-1][0] >= heading_level:
                sections.pop()
            section = tuple(s for _, s in sections)
            sections.append((heading_level, plain))
        else:
            section = tuple(s for _, s in sections)

        fin = _finish(utext, offs, masked)
        if fin is None:
            return
        utext, offsets, umask = fin
        gid = self.group_ids.get(gkey)
        if gid is None:
            gid = self.group_ids[gkey] = len(self.group_ids) + 1
        self.units.append(Prose(kind, utext, offsets, umask, section,
                                self.pos(offsets[0])[0], gid))

    def result(self, front_matter: dict, fm_lines: int) -> ParsedDoc:
        comments = sorted(self.comments, key=lambda c: (c.line, c.end_line))
        doc = self.doc
        result = ParsedDoc(doc.text, front_matter, fm_lines, tuple(self.units),
                           tuple(self.headings), tuple(comments))
        if "_line_starts" in doc.__dict__:
            result.__dict__["_line_starts"] = doc.__dict__["_line_starts"]
        return result


# Source this long or longer is parsed by markdown-it-py a block at a time
# (``mdit.tokens``); shorter, with one ``MarkdownIt.parse``.
STREAM_CHARS = 1_000_000


_COMMENT_RE = re.compile(r"<!--(.*?)(?:-->|\Z)", re.S)


def _block_comments(tok, comments: list) -> None:
    content = tok.content
    if "<!--" not in content or not tok.map:
        return
    first = tok.map[0] + 1
    for m in _COMMENT_RE.finditer(content):
        a, b = m.span()
        line = first + content.count("\n", 0, a)
        end_line = line + content.count("\n", a, max(a, b - 1))
        comments.append(Comment(m.group(1).strip(), line, end_line, True))


# --------------------------------------------------------------------------- compiled parser
#
# markdown-it-pyrs (markdown-it.rs, a Rust port of the same parser) gives every node,
# inline ones included, its source range: no alignment is needed for most text. It has
# CommonMark, tables, strikethrough and front matter, but none of the MkDocs / plugin
# syntax markdown-it-py is set up for here (admonitions, content tabs, definition lists,
# footnotes, dollar math), and it follows CommonMark 0.30 where markdown-it-py follows
# 0.31 (a Unicode symbol beside `*`, `_` or `~` counts as punctuation there). A doc that
# may hold any of these goes to markdown-it-py; so does one nested deeper than a few
# levels short of mdit.MAX_NESTING, and any doc the compiled walk fails on. The output is the
# same either way (tests compare the two on every fixture and on random input).

class _Fallback(Exception):
    pass


# What sends a doc to markdown-it-py. The line patterns are searched in "\n" + the
# text, so that each starts with a literal (the fast search) instead of "^".
_EOL = r"(?=\n|\Z)"
_PLUGIN_LINE_RE = re.compile(r"\n[ \t>]*(?:!!!|\?\?\?|===|[:~](?=[ \t\n]|\Z))")
_FM_FIRST_RE = re.compile(r"\A-{3,}[ \t]*\n")
_COMPILED_MAX_DEPTH = 18  # tree depth (inline nodes included) well under mdit.MAX_NESTING
# Where the two parsers were seen to differ (random input against markdown-it-py):
# an empty list item (it ends a lazy paragraph or a table there, not here); Unicode
# spaces (NBSP, EM SPACE ...: trimmed apart); a table not after a blank line, or whose
# delimiter row has no pipe, or with an escaped pipe; a tab in a line's indent; a code
# span over several lines.
_EMPTY_ITEM_RE = re.compile(r"\n[ \t>]*(?:[-+*]|\d{1,9}[.)])[ \t]*" + _EOL)
_USPACE_RE = re.compile("[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]")
_DELIM_ROW_RE = re.compile(r"\n[ \t>]*[-:| \t]*-[-:| \t]*" + _EOL)
_PREFIX_RE = re.compile(r"[ \t>]*")
_NONASCII_RE = re.compile(r"[^\x00-\x7f]+")
_HAZARD_CHAR_RE = re.compile(r"[`~\t]")
_TICK_SCAN_RE = re.compile(r"\\.|`+")
_TICKS_RE = re.compile(r"`+")
_LEAD_RE = re.compile(r"[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])(?=[ \t]))?[ \t>]*")
_CLOSERS: dict[int, re.Pattern] = {}


def _compiled_can_parse(norm: str) -> bool:
    """Whether the compiled parser reads this (normalized) doc as markdown-it-py would."""
    if "$$" in norm or "[^" in norm:
        return False  # dollar math blocks (and double inline math), footnotes
    nl = "\n" + norm
    if _PLUGIN_LINE_RE.search(nl) or _EMPTY_ITEM_RE.search(nl):
        return False  # admonitions, content tabs, definition lists; an empty list item
    if norm.startswith("-") and _FM_FIRST_RE.match(norm) and not norm.startswith("---\n"):
        return False  # front matter fences other than a bare "---": left to the plugin
    if not norm.isascii() and (_USPACE_RE.search(norm) or _symbol_by_marker(norm)):
        return False
    if "|" in norm and ("\\|" in norm or _odd_tables(norm, nl)):
        return False
    ticks = "`" in norm
    if (ticks or "\t" in norm) and _line_hazards(norm, ticks):
        return False
    return True


def _symbol_by_marker(norm: str) -> bool:
    """A Unicode symbol beside `*`, `_` or `~`: punctuation for CommonMark 0.31
    (markdown-it-py), not for 0.30 (markdown-it.rs), so emphasis may pair apart."""
    import unicodedata

    n = len(norm)
    for m in _NONASCII_RE.finditer(norm):
        a, b = m.span()
        if a > 0 and norm[a - 1] in "*_~" and unicodedata.category(norm[a])[0] == "S":
            return True
        if b < n and norm[b] in "*_~" and unicodedata.category(norm[b - 1])[0] == "S":
            return True
    return False


def _odd_tables(norm: str, nl: str) -> bool:
    lines = None
    for m in _DELIM_ROW_RE.finditer(nl):
        if lines is None:
            lines = norm.split("\n")
            starts = _line_starts(norm)
        i = bisect_right(starts, m.start()) - 1
        if i == 0 or "|" not in lines[i - 1]:
            continue
        if "|" not in lines[i]:
            return True
        if i >= 2 and lines[i - 2][_PREFIX_RE.match(lines[i - 2]).end():].strip(" \t"):
            return True
    return False


def _line_hazards(norm: str, ticks: bool) -> bool:
    """Whether some line outside fenced code has a tab in its indent (or after its
    ">" and list markers), or a backtick run that nothing closes on the same line
    (markdown-it.rs 0.6 panics on such a run after a "["). Only the lines that hold
    a backtick, a tilde or a tab are read."""
    fence: str | None = None
    pos = 0
    search = _HAZARD_CHAR_RE.search
    while True:
        hit = search(norm, pos)
        if hit is None:
            return False
        a = norm.rfind("\n", 0, hit.start()) + 1
        b = norm.find("\n", hit.start())
        if b < 0:
            b = len(norm)
        pos = b + 1
        line = norm[a:b]
        fm = _FENCE_RE.match(line)
        if fm and fm.group(1)[0] == "`" and "`" in line[fm.end():]:
            fm = None  # a backtick in the info string: not a fence
        if fence is not None:
            if fm and fm.group(1)[0] == fence[0] and len(fm.group(1)) >= len(fence) \
                    and not line[fm.end():].strip():
                fence = None
            continue
        if fm:
            fence = fm.group(1)
            continue
        if "\t" in line and "\t" in _LEAD_RE.match(line).group():
            return True  # a tab in the indent: the spaces made of it map apart
        if not ticks or "`" not in line:
            continue
        if "\\" not in line:  # no escapes: each run closes at the next of its length
            runs = _TICKS_RE.findall(line)
            i, n = 0, len(runs)
            while i < n:
                try:
                    i = runs.index(runs[i], i + 1) + 1
                except ValueError:
                    return True
            continue
        p = 0
        while True:
            m = _TICK_SCAN_RE.search(line, p)
            if m is None:
                break
            run = m.group()
            if run[0] == "\\":
                p = m.end()
                continue
            k = len(run)
            close = _CLOSERS.get(k)
            if close is None:
                close = _CLOSERS[k] = re.compile(r"(?<!`)" + "`" * k + "(?!`)")
            c = close.search(line, m.end())
            if c is None:
                return True
            p = c.end()


_MDRS = None


def _mdrs():
    global _MDRS
    if _MDRS is None:
        _MDRS = _pyrs.MarkdownIt("commonmark").enable_many(
            ["table", "strikethrough", "front_matter"])
    return _MDRS


_INLINE_NODES = frozenset({
    "text", "text_special", "softbreak", "hardbreak", "em", "strong", "strikethrough",
    "code_inline", "link", "image", "autolink", "html_inline",
})
_COMPILED_CONTAINERS = {"blockquote": "blockquote", "list_item": "list_item",
                        "trow": "table_cell"}
_COMPILED_SKIP = frozenset({"code_block", "fence", "hr", "definition"})


class _Compiled:
    """Walks markdown-it.rs's node tree (UTF-8 byte ranges into the normalized text)."""

    def __init__(self, out: _Out, norm: str, bom: int, shifts: list[int]) -> None:
        self.out = out
        self.norm = norm
        self.stack: list[tuple[str, int]] = []
        self.nkeys = 0
        self.heading_level = 0
        self.front_matter: dict = {}
        self.fm_lines = 0
        # bytes -> characters
        if norm.isascii():
            self.ends: list[int] | None = None
        else:
            ends: list[int] = []
            extra: list[int] = []
            e = 0
            for m in re.finditer(r"[^\x00-\x7f]+", norm):
                i = m.start()
                for k, ch in enumerate(m.group()):
                    c = ord(ch)
                    e += 1 if c < 0x800 else 2 if c < 0x10000 else 3
                    ends.append(i + k + e + 1)
                    extra.append(e)
            self.ends, self.extra = ends, extra
        # normalized -> original offsets
        self.bom = bom
        if len(set(shifts)) <= 1:
            self.flat = shifts[0] if shifts else bom
        else:
            self.flat = None
            self.shifts = shifts
            self.nstarts = [0]
            self.nstarts.extend(m.end() for m in re.finditer("\n", norm))

    def ch(self, b: int) -> int:
        ends = self.ends
        if ends is None:
            return b
        j = bisect_right(ends, b) - 1
        return b - self.extra[j] if j >= 0 else b

    def orig(self, p: int) -> int:
        if self.flat is not None:
            return p + self.flat
        return p + _shift(self.shifts, bisect_right(self.nstarts, p) - 1)

    def span(self, node) -> tuple[int, int]:
        sm = node.srcmap
        if sm is None:
            raise _Fallback
        if self.ends is None:
            return sm
        return self.ch(sm[0]), self.ch(sm[1])

    def run(self, offs: Offsets, p: int, n: int) -> None:
        """The offsets of norm[p:p+n] (may cross line ends)."""
        if self.flat is not None:
            offs.run(p + self.flat, n)
            return
        for i in range(p, p + n):
            offs.append(self.orig(i))

    # -- blocks
    def block(self, node, depth: int) -> None:
        if depth > _COMPILED_MAX_DEPTH:
            raise _Fallback
        name = node.name
        kind = _COMPILED_CONTAINERS.get(name)
        if kind is not None:
            self.nkeys += 1
            self.stack.append((kind, self.nkeys))
            self.children(node, depth)
            self.stack.pop()
        elif name == "paragraph" or name == "tcell":
            self.unit(node.children, depth)
        elif name == "heading" or name == "lheading":
            self.heading(node, depth)
        elif name == "html_block":
            a, _ = self.span(node)
            content = node.meta.get("content", "")
            if "<!--" in content:
                first = self.norm.count("\n", 0, a) + 1
                _comments_in(content, first, self.out.comments)
        elif name == "front_matter":
            _, b = self.span(node)
            if not self.fm_lines:
                self.fm_lines = self.norm.count("\n", 0, b) + 1
                self.front_matter = _yaml_front_matter(node.meta.get("content", ""))
        elif name in _COMPILED_SKIP:
            return
        elif name in _INLINE_NODES:
            raise _Fallback  # inline content outside a block: not expected
        else:
            self.children(node, depth)

    def children(self, node, depth: int) -> None:
        run: list = []
        for c in node.children:
            if c.name in _INLINE_NODES:
                run.append(c)  # a tight list item's (hidden) paragraph
                continue
            if run:
                self.unit(run, depth + 1)
                run = []
            self.block(c, depth + 1)
        if run:
            self.unit(run, depth + 1)

    def _gkey(self, p: int):
        stack = self.stack
        if stack:
            return ("c", stack[0][1])
        self.nkeys += 1
        return ("u", self.nkeys)

    def unit(self, nodes, depth: int) -> None:
        if not nodes:
            return
        utext, offs, masked = self.inline(nodes, depth)
        self.out.add(_kind(self.stack), utext, offs, masked, self._gkey(0), 0, 0, 0, 0)

    def heading(self, node, depth: int) -> None:
        level = node.meta.get("level", 1)
        kids = node.children
        norm = self.norm
        a, b = self.span(node)
        if kids:
            start = self.first(kids[0])
            end = self.last(kids[-1])
            nl = norm.find("\n", start, end)
            if node.name == "lheading" and nl >= 0:
                endo = nl
                while endo > start and norm[endo - 1] == "\n":
                    endo -= 1
            else:
                endo = end
            fl = endo - start
        else:
            nl = norm.find("\n", a)
            start = endo = nl if nl >= 0 else len(norm)
            fl = 0
        utext, offs, masked = self.inline(kids, depth)
        o_start, o_endo = self.orig(start), self.orig(endo) if fl > 0 else self.orig(start)
        self.out.add("heading", utext, offs, masked, self._gkey(0), level, o_start, o_endo, fl)

    # The ranges of em / strong / strikethrough nodes are off after unpaired markers
    # ("~~**b***" in a list item): their extent is read from their children.
    _PAIRS = {"em": 1, "strong": 2, "strikethrough": 2}

    def first(self, node) -> int:
        m = self._PAIRS.get(node.name)
        if m is not None and node.children:
            return self.first(node.children[0]) - m
        return self.span(node)[0]

    def last(self, node) -> int:
        m = self._PAIRS.get(node.name)
        if m is not None and node.children:
            return self.last(node.children[-1]) + m
        a, b = self.span(node)
        if node.name == "text":
            s = node.meta.get("content", "")
            if self.norm.startswith(s, a):
                return a + len(s)
        return b

    # -- inline
    def inline(self, nodes, depth: int):
        self.parts: list[str] = []
        self.offs = Offsets()
        self.masked: list[tuple[int, int]] = []
        self.n = 0
        self.walk(nodes, depth)
        return "".join(self.parts), self.offs, self.masked

    def emit(self, s: str) -> None:
        self.parts.append(s)
        self.n += len(s)

    def align(self, s: str, a: int, b: int) -> None:
        """Map s, the content of norm[a:b] less what the parser dropped (container
        prefixes, an escaping backslash), char by char; a space may stand for a line
        end or a tab."""
        norm = self.norm
        if norm.startswith(s, a):
            self.run(self.offs, a, len(s))
            return
        offs = self.offs
        p = a
        for c in s:
            q = p
            while q < b:
                d = norm[q]
                if d == c or (c == " " and d in "\n\t"):
                    break
                q += 1
            if q >= b:
                raise _Fallback
            offs.append(self.orig(q))
            p = q + 1

    def walk(self, nodes, depth: int) -> None:
        if depth > _COMPILED_MAX_DEPTH:
            raise _Fallback
        norm = self.norm
        after_strong = False  # the previous node is a strong one
        skip = 0
        flat = self.flat if self.ends is None else None  # the common case, inlined
        parts, offs = self.parts, self.offs
        for i, node in enumerate(nodes):
            if skip:
                skip -= 1
                continue
            name = node.name
            if name == "text":
                s = node.meta.get("content", "")
                if s:
                    sm = node.srcmap
                    if flat is not None and not after_strong and sm is not None:
                        a = sm[0]
                        if norm.startswith(s, a):  # align()'s first case
                            offs.run(a + flat, len(s))
                            parts.append(s)
                            self.n += len(s)
                            continue
                    a, b = self.span(node)
                    if after_strong:
                        # markdown-it-py's quirk, kept: the closing run's second marker
                        # is an empty text token there, joined with the text after it,
                        # so the leftover markers of "**b***" map one place early
                        j = i + 1
                        while j < len(nodes) and nodes[j].name == "text":
                            s += nodes[j].meta.get("content", "")
                            j += 1
                        if norm.startswith(s, a - 1):
                            self.run(self.offs, a - 1, len(s))
                            self.emit(s)
                            skip = j - i - 1
                            after_strong = False
                            continue
                        s = node.meta.get("content", "")
                    self.align(s, a, max(b, a + len(s)))
                    self.emit(s)
                after_strong = False
                continue
            if name == "strong":
                self.walk(node.children, depth + 1)
                after_strong = True
                continue
            after_strong = False
            if name == "text_special":
                s = node.meta.get("content", "")
                if not s:
                    continue
                a, b = self.span(node)
                if node.meta.get("info") == "escape" and node.meta.get("markup", "")[1:] == s:
                    self.run(self.offs, a + 1, len(s))
                elif norm.startswith(s, a):
                    self.run(self.offs, a, len(s))
                else:  # entity: every decoded char maps to the "&"
                    self.offs.run(self.orig(a), len(s), 0)
                self.emit(s)
            elif name == "softbreak" or name == "hardbreak":
                a, _ = self.span(node)
                nl = norm.find("\n", a)
                if nl < 0:
                    nl = a
                self.offs.append(self.orig(nl))
                self.emit("\n")
            elif name == "code_inline":
                s = "".join(k.meta.get("content", "") for k in node.children)
                if not s:
                    continue
                a, b = self.span(node)
                m = node.meta.get("marker_len", 1)
                n0 = self.n
                self.align(s, a + m, b - m)
                self.masked.append((n0, n0 + len(s)))
                self.emit(s)
            elif name == "autolink":
                s = "".join(k.meta.get("content", "") for k in node.children)
                if not s:
                    continue
                a, b = self.span(node)
                raw = norm[a + 1:b - 1]
                if raw == s:
                    self.run(self.offs, a + 1, len(s))
                else:
                    hi = max(a + 1, b - 2)
                    for i in range(len(s)):
                        self.offs.append(self.orig(min(a + 1 + i, hi)))
                self.masked.append((self.n, self.n + len(s)))
                self.emit(s)
            elif name == "html_inline":
                s = node.meta.get("content", "")
                if s.startswith("<!--"):
                    a, b = self.span(node)
                    body = s[4:-3] if s.endswith("-->") and len(s) >= 7 else s[4:]
                    pos = self.out.pos
                    line = pos(self.orig(a))[0]
                    end_line = pos(self.orig(max(a, b - 1)))[0]
                    self.out.comments.append(Comment(body.strip(), line, end_line, False))
            elif name == "image":
                pass  # alt text dropped
            else:  # em, strikethrough, link
                self.walk(node.children, depth + 1)


def _comments_in(content: str, first: int, comments: list) -> None:
    for m in _COMMENT_RE.finditer(content):
        a, b = m.span()
        line = first + content.count("\n", 0, a)
        end_line = line + content.count("\n", a, max(a, b - 1))
        comments.append(Comment(m.group(1).strip(), line, end_line, True))


# Where a "$" cannot start inline math: the spans no inline rule of markdown-it-py
# reads (code, HTML and front matter blocks) or that a rule before the dollar-math
# one has consumed (code spans, inline HTML, autolinks). Each is checked against
# its delimiters first: a span that does not look right excludes nothing.
_NO_MATH_BLOCKS = frozenset({"fence", "code_block", "html_block", "front_matter"})
_NO_MATH_INLINE = {"code_inline": "`", "html_inline": "<>", "autolink": "<>"}
_BLANK_LINE_RE = re.compile(r"\n[ \t]*(?:\n|\Z)")


def _math_hazard(norm: str, tree, span) -> bool:
    """Whether markdown-it-py's dollar-math rule (allow_space=False,
    allow_digits=False, no "$$" in the doc) could match anywhere in this doc.

    A superset of its conditions, read on the source: an opening "$" that is not
    escaped, not after a digit and not before whitespace, then, before the next
    blank line (inline content never crosses one), a "$" two or more characters on
    that is not after whitespace and not before a digit. Prices ("$5 to $10",
    "$5-$10"), shell variables in code and "$" in fenced code never qualify.
    Anything the walk would read differently sends the doc to markdown-it-py."""
    skip: list[tuple[int, int]] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        for c in node.children:
            name = c.name
            if name in _NO_MATH_BLOCKS:
                skip.append(span(c))
                continue
            delims = _NO_MATH_INLINE.get(name)
            if delims is not None:
                a, b = span(c)
                if b - a >= 2 and norm[a] == delims[0] and norm[b - 1] == delims[-1]:
                    skip.append((a + 1, b - 1))
                continue
            if c.children:
                todo.append(c)
    skip.sort()  # disjoint: blocks, and inline spans inside the others
    starts = [a for a, _ in skip]
    n = len(norm)
    i = norm.find("$")
    while i >= 0:
        k = bisect_right(starts, i) - 1
        if k >= 0 and skip[k][0] <= i < skip[k][1]:
            i = norm.find("$", i + 1)
            continue
        from markdown_it.common.utils import isWhiteSpace  # (imported once a "$" is met)

        if i + 1 < n and not isWhiteSpace(ord(norm[i + 1])) \
                and not (i > 0 and norm[i - 1].isdigit()):
            back = i
            while back > 0 and norm[back - 1] == "\\":
                back -= 1
            if (i - back) % 2 == 0:  # not escaped
                m = _BLANK_LINE_RE.search(norm, i)
                stop = m.start() if m else n
                j = norm.find("$", i + 2, stop)
                while j >= 0:
                    if not isWhiteSpace(ord(norm[j - 1])) \
                            and not (j + 1 < n and norm[j + 1].isdigit()):
                        return True
                    j = norm.find("$", j + 1, stop)
        i = norm.find("$", i + 1)
    return False


def _compiled_reads(norm: str) -> bool:
    """Whether `parse` gives this normalized text to the compiled parser (unless its
    walk fails): for the tests and the benchmarks."""
    if _pyrs is None or len(norm) >= STREAM_CHARS or not _compiled_can_parse(norm):
        return False
    return "$" not in norm or not _math_hazard(
        norm, _mdrs().tree(norm), _Compiled(None, norm, 0, [0]).span)  # type: ignore[arg-type]


def _compiled(doc: ParsedDoc, norm: str, bom: int, shifts: list[int],
              front_matter: dict, fm_lines: int) -> ParsedDoc:
    tree = _mdrs().tree(norm)
    out = _Out(doc)
    w = _Compiled(out, norm, bom, shifts)
    if "$" in norm and _math_hazard(norm, tree, w.span):
        raise _Fallback
    w.fm_lines = fm_lines
    w.front_matter = front_matter
    w.children(tree, 0)
    return out.result(w.front_matter, w.fm_lines)
