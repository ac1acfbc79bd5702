"""The spaCy pipeline behind one small interface.

Default: a blank English pipeline (``spacy.blank("en")``'s tokenizer) + the
sentencizer, with lookup lemmas from spacy-lookups-data (its English
``lemma_lookup`` table, the one spaCy's lookup lemmatizer uses) as the NORM of
each word: ``token.norm_`` is the lower-cased lemma, so rule patterns match
"Decoupling", "decoupled" and "decouple" alike. The norm is a lexeme attribute,
worked out once per distinct word the first time the vocab sees it, not once
per token; the tokenizer exceptions keep no norms of their own ("n't" is
normalised like any other word).

A config may name an installed trained pipeline instead: it keeps its own
lemmas, and a small component stores each token's lower-cased lemma as its
norm. Nothing is ever downloaded. spaCy is imported lazily so runs that hit the
cache never load it.
"""
from __future__ import annotations

import functools

from psense_lint.model import ConfigError

BLANK = "blank"


@functools.lru_cache(maxsize=4)
def load(name: str = BLANK):
    """Build (once per process) and return the pipeline called ``name``. Ctrl-C and
    SIGTERM wait until it is built: raised inside a C extension's import (numpy's),
    their exception became an ImportError and the run went on."""
    from psense_lint.parallel import signals_held

    with signals_held():
        return _build(name)


def _build(name: str):
    import spacy

    if name == BLANK:
        try:
            table = _lemma_table(strict=True)
            nlp = _blank_english()
            nlp.add_pipe("sentencizer")
            from spacy.language import Language

            if not Language.has_factory("psense_sentence_cap"):
                Language.component("psense_sentence_cap", func=_cap_sentences)
            nlp.add_pipe("psense_sentence_cap")
            _set_lemma_norms(nlp.vocab, table)
            # a tokenizer and a sentencizer need no parser's memory per character:
            # a paragraph may be as long as the largest file allowed
            nlp.max_length = MAX_TEXT
        except Exception as exc:  # spacy-lookups-data missing or broken
            raise ConfigError(f"cannot build the default pipeline: {exc}") from None
        return nlp
    from spacy.language import Language

    if not Language.has_factory("psense_norm"):
        Language.component("psense_norm", func=_norm_component)
    try:
        nlp = spacy.load(name, exclude=["ner"])
    except OSError:
        raise ConfigError(
            f"spaCy pipeline '{name}' is not installed (install it as a package; "
            "psense-lint never downloads models)") from None
    if not (nlp.has_pipe("parser") or nlp.has_pipe("senter") or nlp.has_pipe("sentencizer")):
        nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe("psense_norm", last=True)
    _bound_tokenizer(nlp.tokenizer)
    return nlp


MAX_SENTENCE = 512   # tokens: a longer "sentence" is cut (the corpus's longest: 141)


def _cap_sentences(doc):
    """Start a new sentence after every MAX_SENTENCE tokens without one. The
    sentencizer ends sentences only at punctuation, and some per-sentence work is
    quadratic in its length: 1 MB with no full stop took 9 minutes. No sentence
    of the 550 corpus docs (76,764 sentences) is that long."""
    if len(doc) <= MAX_SENTENCE:
        return doc
    from spacy.attrs import SENT_START

    starts = doc.to_array(SENT_START).tolist()
    run = 0
    for i, start in enumerate(starts):
        if start == 1 or i == 0:
            run = 0
        elif run >= MAX_SENTENCE:
            doc[i].is_sent_start = True
            run = 0
        run += 1
    return doc


MAX_TEXT = 1 << 27   # characters in one paragraph (the file limit is lower)
LONG_TOKEN = 256     # characters without whitespace kept as one token past this
AFFIX_WINDOW = 64    # characters a prefix or suffix is looked for in
SUFFIX_MEMO = 20_000  # runs whose suffix search is remembered


def _bound_tokenizer(tokenizer) -> None:
    """Make spaCy's tokenizer linear in the length of what it reads. It strips
    prefixes and suffixes from a whitespace-free run one at a time, searching the
    whole run each time: 16 KB of "[[[[" took 73 s (quadratic). The affixes are
    now looked for in the run's first and last AFFIX_WINDOW characters (spaCy's
    own affixes are a few characters long), and a run longer than LONG_TOKEN
    characters is one token (it is a URL, a hash or a blob, not prose: 2 of the
    corpus's 550 docs have one)."""
    prefix, suffix, match = tokenizer.prefix_search, tokenizer.suffix_search, \
        tokenizer.token_match
    if getattr(prefix, "_psense_bounded", False):
        return
    window, longest = AFFIX_WINDOW, LONG_TOKEN

    def prefix_search(text, _search=prefix):
        return _search(text[:window] if len(text) > window else text)

    memo: dict = {}

    def suffix_search(text, _search=suffix, _memo=memo):
        # spaCy caches the tokens of a whitespace-free run only when no special
        # case is in it: the others ("it's", "e.g.,") are split again each time
        # they are met, and each split searches the suffixes at every position
        hit = _memo.get(text, _memo)
        if hit is not _memo:
            return hit
        found = _search(text[-window:] if len(text) > window else text)
        if len(_memo) >= SUFFIX_MEMO:
            _memo.clear()
        _memo[text] = found
        return found

    def token_match(text, _match=match):
        return len(text) > longest or (_match is not None and _match(text))

    prefix_search._psense_bounded = True
    # each of these setters loads every special case again (~5,400 for English,
    # ~35 ms each): set them with no special cases, then load those once
    rules = tokenizer.rules
    if rules:
        tokenizer.rules = {}
    if prefix is not None:
        tokenizer.prefix_search = prefix_search
    if suffix is not None:
        tokenizer.suffix_search = suffix_search
    tokenizer.token_match = token_match
    if rules:
        tokenizer.rules = rules


def _blank_english():
    """``spacy.blank("en")``, except that the tokenizer exceptions set no
    token-level NORM (a token's own norm would hide its lexeme's)."""
    from spacy.attrs import ORTH
    from spacy.lang.en import English
    from spacy.tokenizer import Tokenizer

    defaults = English.Defaults
    exceptions = {
        text: [{ORTH: piece[ORTH]} for piece in pieces]
        for text, pieces in defaults.tokenizer_exceptions.items()}

    class _Defaults(English.Defaults):
        tokenizer_exceptions: dict = {}  # set once the affix searches are bounded
        prefixes = suffixes = infixes = None  # compiled below, from the regex cache

    class PsenseEnglish(English):
        Defaults = _Defaults

    class PsenseTokenizer(Tokenizer):
        def _validate_special_case(self, chunk, substrings):
            """Not asked again: the special cases are English's own as spaCy ships
            them, less their norms (its check of the ~1,350 took ~25 ms)."""

    nlp = PsenseEnglish()
    # spaCy's tokenizer factory, with the affix regexes as its compile_prefix_regex
    # & co. write them (~30 ms to compile: they come from the regex cache)
    tokenizer = nlp.tokenizer = PsenseTokenizer(
        nlp.vocab, prefix_search=_regex(defaults.prefixes, before="^").search,
        suffix_search=_regex(defaults.suffixes, after="$").search,
        infix_finditer=_regex(defaults.infixes).finditer,
        token_match=defaults.token_match, url_match=defaults.url_match)
    # the tokenizer is made with no special cases, and they are loaded once, here:
    # built with them, it loaded them (~2,700 entries, ~60 ms) only for the bounds
    # to load them again
    _bound_tokenizer(tokenizer)
    tokenizer.rules = exceptions
    return nlp


def _regex(entries, before: str = "", after: str = ""):
    from psense_lint import regex_cache

    return regex_cache.compile("|".join(before + p + after for p in entries if p.strip()))


def lemma_norm(table, text: str) -> str:
    """The norm of a word: the lower-cased lookup lemma of the word as written
    (the lookup lemmatizer's choice), else of its lower-cased form."""
    low = text.lower()
    lemma = table.get(text, text)
    lemma = lemma.lower() if lemma else low
    if lemma == low:
        lemma = table.get(low, low)
    return lemma


def _set_lemma_norms(vocab, table) -> None:
    from spacy.attrs import NORM

    getter = functools.partial(lemma_norm, table)
    vocab.lex_attr_getters[NORM] = getter  # words the vocab meets from now on
    for lex in vocab:  # and those it already holds (the tokenizer exceptions')
        lex.norm_ = getter(lex.orth_)


def _norm_component(doc):
    """For a trained pipeline: the lower-cased lemma of each token as its norm."""
    table = _lemma_table()
    for tok in doc:
        low = tok.lower_
        lemma = tok.lemma_.lower() if tok.lemma_ else low
        if lemma == low and table is not None:
            lemma = table.get(low, low)
        tok.norm_ = lemma
    return doc


_TABLES: dict = {}  # loaded once per process


def _lemma_table(strict: bool = False):
    """spacy-lookups-data's English ``lemma_lookup`` table, a mapping (None when
    it cannot be loaded, or an exception when ``strict``)."""
    if "lemma_lookup" not in _TABLES:
        try:
            _TABLES["lemma_lookup"] = _load_lemma_table()
        except Exception:
            if strict:
                raise
            return None
    return _TABLES["lemma_lookup"]


def _load_lemma_table():
    try:  # the package's own file, read directly (no entry-point scan: ~35 ms less)
        import spacy_lookups_data
        from spacy.util import load_language_data

        data = load_language_data(spacy_lookups_data.en["lemma_lookup"])
        if isinstance(data, dict):
            return data
    except Exception:
        pass
    from spacy.lookups import load_lookups  # spaCy's way; raises a clear error if absent

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")  # .get() by string
