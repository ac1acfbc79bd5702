"""The spaCy Docs of a doc's prose units, held a window at a time.

Every check reads ``ctx.docs``: one spaCy Doc per prose unit, in order. Held all
at once, with what the checks cache in each (``doc.user_data``: the matcher's
token view, the judge's arrays, the pattern matches), they cost ~90 bytes per
character of prose: a 50 MB doc took 6 GB. ``Docs`` is that same sequence, but
built on demand, a chunk of consecutive units (``CHUNK_CHARS`` characters of
text) at a time, and only the last ``KEEP`` chunks are held. A doc whose prose
fits in ``KEEP`` chunks (every doc under the default 1 MB ``max-file-size``, and
the 550 corpus docs) is tokenized once and held, as before. For a longer one, a
chunk asked for again (the checks make about ten passes) is built again: with
the default pipeline, from what its first build kept of each token (its text's
hash, whether a space follows, whether it starts a sentence: 9 bytes a token,
what spaCy's DocBin keeps), which gives the same Doc (tokens, sentence starts,
norms: the norm is the word's, from the vocab) ~3x faster than the tokenizer;
with a trained pipeline, by running it again. The caches in ``user_data`` are
computed again. Memory is then ~1 byte per character of prose plus KEEP chunks.
The checks keep nothing of a Doc past the unit they are at (no Span outlives
its pass), so an evicted Doc is freed.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Sequence

CHUNK_CHARS = 400_000   # characters of unit text per chunk (at least one unit)
KEEP = 3                # chunks held at once (~35 MB each with the checks' caches)


class Docs(Sequence):
    """``tuple(nlp.pipe(texts))``, built a chunk at a time, the last KEEP chunks held."""

    def __init__(self, nlp, texts: Sequence[str], chunk_chars: int | None = None,
                 keep: int | None = None) -> None:
        self.nlp = nlp
        self.texts = tuple(texts)
        chunk_chars = CHUNK_CHARS if chunk_chars is None else chunk_chars
        self.keep = max(1, KEEP if keep is None else keep)
        starts = [0]   # the first unit of each chunk
        size = 0
        for i, t in enumerate(self.texts):
            if size and size + len(t) > chunk_chars:
                starts.append(i)
                size = 0
            size += len(t)
        self.starts = starts
        self._held: OrderedDict[int, tuple] = OrderedDict()
        self._kept: dict[int, tuple] = {}   # chunk -> its tokens, packed (``_pack``)
        self.compact = list(getattr(nlp, "pipe_names", ())) == list(_BLANK_PIPES)
        self.built = 0   # chunks built (a chunk built twice counts twice)

    def __len__(self) -> int:
        return len(self.texts)

    def _chunk_of(self, i: int) -> int:
        from bisect import bisect_right

        return bisect_right(self.starts, i) - 1

    def _chunk(self, c: int) -> tuple:
        held = self._held.get(c)
        if held is not None:
            self._held.move_to_end(c)
            return held
        a = self.starts[c]
        b = self.starts[c + 1] if c + 1 < len(self.starts) else len(self.texts)
        while len(self._held) >= self.keep:
            self._held.popitem(last=False)
        kept = self._kept.get(c)
        if kept is not None:
            docs = _unpack(self.nlp, kept, self.texts[a:b])
        else:
            docs = tuple(self.nlp.pipe(self.texts[a:b]))
            if self.compact and len(self.starts) > self.keep:  # it may be asked for again
                self._kept[c] = _pack(docs)
        self._held[c] = docs
        self.built += 1
        return docs

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self.texts)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("unit index out of range")
        c = self._chunk_of(i)
        return self._chunk(c)[i - self.starts[c]]

    def __iter__(self):
        for c in range(len(self.starts)):
            docs = self._chunk(c)
            yield from docs
            del docs

    def __bool__(self) -> bool:
        return bool(self.texts)


# the default pipeline (``nlp.load("blank")``): a Doc is its tokens and sentence starts
_BLANK_PIPES = ("sentencizer", "psense_sentence_cap")
_SPACE, _START, _NOT_START = 1, 2, 4


def _pack(docs) -> tuple:
    """What rebuilds these Docs: each token's ORTH hash, and a byte of flags
    (a space follows; SENT_START 1 or -1), with where each Doc's tokens start."""
    import numpy
    from spacy.attrs import ORTH, SENT_START, SPACY

    bounds = [0]
    orths, flags = [], []
    for doc in docs:
        bounds.append(bounds[-1] + len(doc))
        if not len(doc):
            continue
        arr = doc.to_array([ORTH, SPACY, SENT_START]).astype(numpy.int64)
        orths.append(arr[:, 0].astype(numpy.uint64))
        starts = arr[:, 2]
        flags.append((arr[:, 1] * _SPACE + (starts == 1) * _START
                      + (starts == -1) * _NOT_START).astype(numpy.uint8))
    empty_u64, empty_u8 = numpy.zeros(0, numpy.uint64), numpy.zeros(0, numpy.uint8)
    return (numpy.concatenate(orths) if orths else empty_u64,
            numpy.concatenate(flags) if flags else empty_u8,
            bounds)


def _unpack(nlp, kept, texts) -> tuple:
    """The Docs ``_pack`` kept, built again (as spaCy's DocBin does; a Doc with no
    token, by the pipeline from its text)."""
    import numpy
    from spacy.attrs import SENT_START
    from spacy.tokens import Doc

    orths, flags, bounds = kept
    vocab = nlp.vocab
    strings = vocab.strings
    out = []
    for k in range(len(bounds) - 1):
        a, b = bounds[k], bounds[k + 1]
        if a == b:
            out.append(nlp(texts[k]))
            continue
        f = flags[a:b]
        doc = Doc(vocab, words=[strings[h] for h in orths[a:b].tolist()],
                  spaces=((f & _SPACE) != 0).tolist())
        starts = ((f & _START) != 0).astype(numpy.int64) - ((f & _NOT_START) != 0)
        doc.from_array([SENT_START], starts.astype(numpy.uint64).reshape(-1, 1))
        out.append(doc)
    return tuple(out)
