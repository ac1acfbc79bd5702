"""The spaCy pipeline behind one small interface.

Default: ``spacy.blank("en")`` + sentencizer + the lookup lemmatizer from
spacy-lookups-data, plus a tiny component that stores the lower-cased lemma in
``token.norm_`` so rule patterns match "Decoupling", "decoupled" and "decouple"
alike. A config may name an installed trained pipeline instead; nothing is ever
downloaded. spaCy is imported lazily so runs that hit the cache never load it.
"""
from __future__ import annotations

import functools

from psense_lint.model import ConfigError

BLANK = "blank"


@functools.lru_cache(maxsize=4)
def load(name: str = BLANK):
    """Build (once per process) and return the pipeline called ``name``."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("psense_norm"):
        Language.component("psense_norm", func=_norm_component)

    if name == BLANK:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        try:
            lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
            nlp.initialize()
            _TABLES["lemma_lookup"] = lemmatizer.lookups.get_table("lemma_lookup")
        except Exception as exc:  # spacy-lookups-data missing or broken
            raise ConfigError(f"cannot build the default pipeline: {exc}") from None
    else:
        try:
            nlp = spacy.load(name, exclude=["ner"])
        except OSError:
            raise ConfigError(
                f"spaCy pipeline '{name}' is not installed (install it as a package; "
                "psense-lint never downloads models)") from None
        if not (nlp.has_pipe("parser") or nlp.has_pipe("senter") or nlp.has_pipe("sentencizer")):
            nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe("psense_norm", last=True)
    return nlp


def _norm_component(doc):
    table = _lemma_table()
    for tok in doc:
        low = tok.lower_
        lemma = tok.lemma_.lower() if tok.lemma_ else low
        if lemma == low and table is not None:
            lemma = table.get(low, low)
        tok.norm_ = lemma
    return doc


_TABLES: dict = {}  # the lemmatizer's own table, reused so it is loaded once


def _lemma_table():
    if "lemma_lookup" not in _TABLES:
        _TABLES["lemma_lookup"] = _load_lemma_table()
    return _TABLES["lemma_lookup"]


def _load_lemma_table():
    try:
        from spacy.lookups import load_lookups

        return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    except Exception:  # pragma: no cover - spacy-lookups-data absent
        return None
