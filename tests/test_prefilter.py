"""The regex gates (psense_lint.prefilter): they only skip searches that cannot
match, so ``any_of(regexes)(text)`` is ``any(r.search(text) for r in regexes)``
for every pattern of the shipped rule packs and for tricky hand-made ones."""
from __future__ import annotations

import random
import re

import pytest

from psense_lint import prefilter
from psense_lint.rulepack import load_pack

TEXTS = [
    "", "a", "The error rate drops from 5% to 2% in p99.", "Users wait 30 ms less.",
    "We measure crash rates weekly.", "ERROR RATES halved.", "Latency under 200ms",
    "no numbers at all here", "http_requests_total is the metric", "SLOs of 99.9",
    "Kelvin: \u212a and long s: \u017f, dotless \u0131, dotted \u0130.", "1.5x faster",
    "Fran\u00e7ais \u2014 \u201cquoted\u201d \u2019 text 10\u00a0ms", "if we can", "It enables users",
    "\u2264 5 s", ">= 3 nines", "tests are added", "see [the doc](http://x.y)",
    "Out of scope: the rest.", "won't do", "TBD", "from 10 s to 2 s", "a_b_total",
]

HAND = [
    r"\b(?:error|failure)\s+rates?\b", r"\d+(?:\.\d+)?\s?(?:%|ms\b|x\b)", r"\bp(?:50|99)\b",
    r"^\W*(?:we|i|our)\b", r"(?:<=?|>=?|\u2264|\u2265)\s*~?\d", r"k", r"s", r"i", r"\u212a",
    r"\u017f", r"(?-i:ERROR) rates", r"(?i:error) RATES", r"[a-c]x|y{2,3}", r"[^a]b",
    r"(?:ab)+c", r"a(?=b)", r"(?<![\w./\-])\d[\d,]*(?![\w/\-]|[.,]?\d)", r"\]\(|\]\[",
    r"(a)\1", r"x?y?", r".", r"[\u00e0-\u00ff]", r"\u00c7", r"10\u00a0ms",
]


def _pack_patterns():
    pack = load_pack()
    return sorted({p for name, pats in pack.lexicons.items() if name.endswith("_re")
                   for p in pats})


def _texts():
    rng = random.Random(12)
    words = " ".join(TEXTS).split()
    out = list(TEXTS)
    for _ in range(200):
        out.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))))
    return out


@pytest.mark.parametrize("flags", [re.I, 0])
def test_gates_never_change_an_answer(flags):
    texts = _texts()
    patterns = [re.compile(p, flags) for p in HAND + _pack_patterns()]
    gated = 0
    for rx in patterns:
        gate = _built([rx])
        gated += gate.gate is not None
        for t in texts:
            assert gate(t) == bool(rx.search(t)), (rx.pattern, t)
    assert gated > len(patterns) // 2 if flags else gated == 0
    rng = random.Random(1)
    for _ in range(50):  # lists of several patterns, as the checks ask them
        group = rng.sample(patterns, rng.randint(2, 8))
        gate = _built(group)
        for t in texts:
            assert gate(t) == any(r.search(t) for r in group), ([r.pattern for r in group], t)


def _built(regexes):
    """An AnyOf with its gates built now (not after its warm-up searches)."""
    gate = prefilter.AnyOf(regexes)
    gate._build()
    gate.calls = prefilter.WARM_UP + 1
    return gate


def test_any_of_is_any_search_from_the_first_call():
    rx = [re.compile(r"\b(?:error|failure)\s+rates?\b", re.I), re.compile(r"\d+\s?ms\b", re.I)]
    gate = prefilter.any_of(rx)
    texts = ["The error rate", "10 ms", "nothing"] * (prefilter.WARM_UP + 2)
    assert [gate(t) for t in texts] == [True, True, False] * (prefilter.WARM_UP + 2)
    assert gate.gate is not None  # built once warmed up


def test_required_strings():
    req = prefilter.required(re.compile(r"\b(?:error|failure)\s+rates?\b", re.I))
    assert set(map(frozenset, req)) == {frozenset({"error", "failure"}), frozenset({"rate"})}
    digits = frozenset("0123456789")
    assert digits in set(map(frozenset, prefilter.required(re.compile(r"\d+\s?ms\b", re.I))))
    # nothing known: no gate
    assert prefilter.required(re.compile(r".", re.I)) is None
    assert prefilter.required(re.compile(r"\w+", re.I)) is None
    assert prefilter.required(re.compile(r"x?", re.I)) is None
    # a non-ASCII letter that matches an ASCII one under re.I gives no strings
    assert prefilter.required(re.compile("\u212a", re.I)) is None


def test_a_case_sensitive_part_needs_its_lower_cased_strings():
    rx = re.compile(r"(?-i:[A-Z]\w*[ \t]+\d{1,3})", re.I)
    assert frozenset("0123456789") in set(map(frozenset, prefilter.required(rx)))


@pytest.mark.parametrize("flags", [re.I, 0])
def test_could_match_is_false_only_when_a_search_finds_nothing(flags):
    texts = _texts() + ["Python 3 and Go 1", "in 2020 ", "option 2", "`x`", "1.   y"]
    for rx in [re.compile(p, flags) for p in HAND + _pack_patterns()]:
        for t in texts:
            if not prefilter.could_match(rx, t):
                assert rx.search(t) is None, (rx.pattern, t)


def test_a_literal_gate_says_what_a_search_for_their_alternation_says():
    rng = random.Random(3)
    alphabet = "ab1-.<"
    for _ in range(500):
        strings = {"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
                   for _ in range(rng.randint(1, 6))}
        alt = re.compile("|".join(re.escape(x) for x in sorted(strings, key=lambda t: (-len(t), t))))
        gate = prefilter._gate(strings)
        for _ in range(20):
            text = "".join(rng.choice(alphabet + " ") for _ in range(rng.randint(0, 12)))
            assert (gate.search(text) is not None) == (alt.search(text) is not None), (strings, text)
