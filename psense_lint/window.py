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

import threading
from collections import OrderedDict
from typing import Callable, NamedTuple, Sequence

CHUNK_CHARS = 400_000   # characters of unit text per chunk (at least one unit)
KEEP = 3                # chunks held at once (~35 MB each with the checks' caches)
LOCKSTEP = True         # a windowed doc's checks share their sweeps (``Lockstep``)
LOCKSTEP_KEEP = 2       # chunks held then: the tasks move through the doc together


class Docs(Sequence):
    """``tuple(nlp.pipe(texts))``, built a chunk at a time, the last KEEP chunks held."""

    def __init__(self, nlp, texts: Sequence[str], chunk_chars: int | None = None,
                 keep: int | None = None) -> None:
        self.nlp = nlp
        self.texts = tuple(texts)
        chunk_chars = CHUNK_CHARS if chunk_chars is None else chunk_chars
        self.keep = max(1, KEEP if keep is None else keep)
        self.hold = self.keep   # chunks held now (fewer while tasks run in lockstep)
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
        self.lockstep: Lockstep | None = None   # set while ``Lockstep.run`` runs tasks

    def __len__(self) -> int:
        return len(self.texts)

    def _chunk_of(self, i: int) -> int:
        from bisect import bisect_right

        return bisect_right(self.starts, i) - 1

    @property
    def windowed(self) -> bool:
        """Are there more chunks than are held (a chunk may be built again)?"""
        return len(self.starts) > self.keep

    def _chunk(self, c: int) -> tuple:
        held = self._held.get(c)
        if held is not None:
            self._held.move_to_end(c)
            return held
        if self.lockstep is not None and self.lockstep.turn(c):  # maybe another task built it
            held = self._held.get(c)
            if held is not None:
                self._held.move_to_end(c)
                return held
        a = self.starts[c]
        b = self.starts[c + 1] if c + 1 < len(self.starts) else len(self.texts)
        while len(self._held) >= self.hold:
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
        # a Doc at a time, never its chunk: a pass that stops at a unit while another
        # sweeps the doc (a check working out the doc's audience at its first finding,
        # or waiting for a task that does) does not keep its chunk alive
        for i in range(len(self.texts)):
            yield self[i]

    def __bool__(self) -> bool:
        return bool(self.texts)


class Lockstep:
    """Run several passes over the same ``Docs`` so that they share each chunk's
    build: the checks of a long doc, each a plain loop over ``ctx.docs``, would
    otherwise each build every chunk again (about ten sweeps of the doc).

    Each task runs on its own thread, but only one runs at a time (it holds the
    turn), so the tasks see what they would in turn, and the order in which
    they run is decided here, never by the OS: the result is the same on every
    run. A task gives up its turn only when it asks for a chunk that is not held;
    the turn goes to a task whose chunk is held, else to the task that asks for
    the nearest chunk at or after the last one built (a sweep in progress is
    finished before one starts again from the top), and that task builds it.
    So tasks that sweep the doc move through it together, and a chunk is built
    about as many times as the longest chain of passes that depend on each other
    (a pass that needs what an earlier pass of its task worked out over the whole
    doc), not once per pass."""

    def __init__(self, docs: Docs) -> None:
        self.docs = docs
        self.cond = threading.Condition()
        self.want: dict[int, int | None] = {}   # task -> the chunk it waits for (-1: to start)
        self.current: int | None = None         # the task that has the turn
        self.pos = 0                            # the chunk a sweep is at
        self.local = threading.local()
        self.pending: dict = {}                 # memo key -> the task working it out

    def run(self, tasks: Sequence[Callable[[], object]]) -> list | None:
        """Each task's result, or the exception it raised, in the tasks' order (None:
        no thread could be started; nothing ran)."""
        results: list = [None] * len(tasks)
        left = [len(tasks)]

        def body(k: int) -> None:
            self.local.task = k
            with self.cond:
                while self.current != k:
                    self.cond.wait()
                self.want[k] = None
            try:
                results[k] = tasks[k]()
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller
                results[k] = _Raised(exc)
            finally:
                with self.cond:
                    del self.want[k]
                    for key in [key for key, owner in self.pending.items() if owner == k]:
                        del self.pending[key]   # it raised before it kept its result
                    left[0] -= 1
                    self._pass_on()

        _one_malloc_arena()
        self.want = {k: -1 for k in range(len(tasks))}
        self.docs.lockstep = self
        self.docs.hold = min(self.docs.keep, LOCKSTEP_KEEP)
        threads = [threading.Thread(target=body, args=(k,), daemon=True,
                                    name=f"psense-lockstep-{k}") for k in range(len(tasks))]
        try:
            try:
                threads[0].start()
            except RuntimeError:   # "can't start new thread": the caller runs them in turn
                return None
            for t in threads[1:]:
                t.start()
            with self.cond:
                self._pass_on()
                while left[0]:
                    self.cond.wait(0.5)   # a signal to this (the main) thread still gets in
        finally:
            self.docs.lockstep = None
            self.docs.hold = self.docs.keep
        return results

    def turn(self, c: int) -> bool:
        """Called by the task with the turn, about to build chunk ``c``: wait until
        it may (True: it waited, and another task may have built ``c`` since)."""
        k = getattr(self.local, "task", None)
        if k is None or self.current != k:
            return False   # not one of the tasks (or not its turn): build as usual
        with self.cond:
            self.want[k] = c
            self._pass_on()
            while self.current != k:
                self.cond.wait()
            self.want[k] = None
        return True

    def wait_for(self, key) -> None:
        """The task with the turn needs memo ``key``, which another task is working
        out: it waits for it (or for that task to end)."""
        k = getattr(self.local, "task", None)
        owner = self.pending.get(key)
        if k is None or self.current != k or owner is None or owner == k:
            return
        with self.cond:
            self.want[k] = _Key(key)
            self._pass_on()
            while self.current != k:
                self.cond.wait()
            self.want[k] = None

    def claim(self, key) -> None:
        """The task with the turn is about to work out memo ``key``."""
        k = getattr(self.local, "task", None)
        if k is not None and self.current == k and key not in self.pending:
            self.pending[key] = k

    def _pass_on(self) -> None:
        """Give the turn to the next task (the lock is held)."""
        waiting = [(k, c) for k, c in self.want.items() if c is not None]
        if not waiting:
            self.current = None
            self.cond.notify_all()
            return
        held = self.docs._held
        keys = [(k, c) for k, c in waiting if isinstance(c, _Key)]
        waiting = [(k, c) for k, c in waiting if not isinstance(c, _Key)]
        pick = next((k for k, c in waiting if c == -1), None)   # not started yet
        if pick is None:   # what it waits for is worked out (or its task is gone)
            pick = next((k for k, c in keys if c.key not in self.pending), None)
        if pick is None:
            pick = next((k for k, c in waiting if c in held), None)   # its chunk is held
        if pick is None and not waiting:  # each waits for another's memo: the first goes on
            pick = keys[0][0]
            self.pending.pop(keys[0][1].key, None)
        if pick is None:
            ahead = [(c, k) for k, c in waiting if c >= self.pos]
            c, pick = min(ahead) if ahead else min((c, k) for k, c in waiting)
            self.pos = c
        self.current = pick
        self.cond.notify_all()


_ARENAS_SET = []


def _one_malloc_arena() -> None:
    """With glibc, each thread that allocates gets a malloc arena of its own, and
    what the tasks allocate (Docs, their caches) fragmented over five arenas: +70 MB
    on a 3 MB doc. Only one runs at a time, so one arena costs no contention. Set
    once, before the first task thread starts (arenas already made stay)."""
    if _ARENAS_SET:
        return
    _ARENAS_SET.append(True)
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(-8, 1)   # M_ARENA_MAX (glibc); elsewhere (musl) there is no such call
    except (OSError, AttributeError):
        pass


class _Raised(NamedTuple):
    exc: BaseException


class _Key(NamedTuple):
    key: object


class SharedMemo(dict):
    """``ctx.memo`` while checks run in lockstep: what is worked out once per doc
    (its audience, its kind ...) is worked out by the first task that asks for it;
    another task that asks meanwhile waits for it instead of working it out too
    (a sweep or two of the doc). The checks look a memo up with ``key in memo`` or
    ``memo.get(key)`` and then set it."""

    def __init__(self, lockstep: Lockstep, items) -> None:
        super().__init__(items)
        self.lockstep = lockstep

    def _ask(self, key) -> bool:
        if dict.__contains__(self, key):
            return True
        self.lockstep.wait_for(key)
        if dict.__contains__(self, key):
            return True
        self.lockstep.claim(key)
        return False

    def __contains__(self, key) -> bool:
        return self._ask(key)

    def get(self, key, default=None):
        return dict.get(self, key, default) if self._ask(key) else default

    def __setitem__(self, key, value) -> None:
        dict.__setitem__(self, key, value)
        self.lockstep.pending.pop(key, None)


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
