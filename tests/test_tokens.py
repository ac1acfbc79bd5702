"""What the matcher and the tokenizer read stays what it was when they got quicker."""
from __future__ import annotations

import random

from psense_lint import nlp, patterns


def test_sentence_starts_of_the_view_without_whitespace_tokens():
    def by_definition(sents, spaces):  # a kept token starts a sentence when it, or a
        keep = [i for i, sp in enumerate(spaces) if not sp]  # dropped token just before, does
        return [sents[j] if k == 0 else any(sents[keep[k - 1] + 1:j + 1])
                for k, j in enumerate(keep)]
    rng = random.Random(5)
    for _ in range(3000):
        n = rng.randint(0, 10)
        sents = [rng.random() < 0.3 for _ in range(n)]
        spaces = [rng.random() < 0.4 for _ in range(n)]
        assert patterns._starts(sents, spaces) == by_definition(sents, spaces)


def test_the_remembered_suffix_searches_give_spacys_own_tokens(monkeypatch):
    import spacy

    plain = spacy.blank("en").tokenizer  # no bounds and no memo
    monkeypatch.setattr(nlp, "SUFFIX_MEMO", 7)  # cleared again and again
    ours = nlp._blank_english().tokenizer
    assert ours.rules.keys() == plain.rules.keys()  # every special case, loaded once
    words = ["it's", "e.g.,", "(see", "U.S.", "don't.", "10km", "$5.", "a)", "x...", "\"quoted\"",
             "end.", "well-known", "5%", "etc.)", "'s", "ok"]
    rng = random.Random(9)
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        assert [t.text for t in ours(text)] == [t.text for t in plain(text)], text
