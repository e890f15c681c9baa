"""Work that grows linearly with the text, counted rather than timed (issue 19, findings 3
and 4; the timings are in benchmarks/bench_adversarial.py).

* a group of short pieces ("ab-ab-ab…", "1+1+1…", and in exact mode "a1a1…") asks the
  lexicon about a few spans a piece, not about every span of a 64-character window
  (misaki_lite/reading/spans.py);
* the markup pattern is tried once per ']' at most, not from every '[' (markup._links);
* markup features are aligned with the tokens in one pass, not one pass a feature.
"""
from __future__ import annotations

import pytest

from misaki_lite.text import markup
from misaki_lite.reading.lookup import Lookup


@pytest.fixture
def lookups(monkeypatch):
    count = [0]
    real = Lookup.__call__

    def counting(self, tk, ctx):
        count[0] += 1
        return real(self, tk, ctx)

    monkeypatch.setattr(Lookup, "__call__", counting)
    return count


@pytest.mark.parametrize("unit", ["ab-", "a-", "1+", "a/", "a-la-carte-", "x_", "A+", "+'"])
def test_chain_costs_a_few_lookups_a_piece(g2p_us, lookups, unit):
    text = unit * (600 // len(unit))
    g2p_us(text)
    assert lookups[0] <= 3 * len(text)


@pytest.mark.parametrize("unit", ["a1", "ab1", "x9y", "1a", "B²", "²-", "1-", "+'", "'B,", "B,"])
def test_letters_digits_and_symbols_cost_a_few_lookups_a_piece_in_exact_mode(lookups, unit):
    # the default mode keeps such a blob whole; exact mode reads it piece by piece, as misaki
    from misaki_lite import en
    text = unit * (600 // len(unit))
    en.G2P(mode="exact")(text)
    assert lookups[0] <= 3 * len(text)


@pytest.mark.parametrize("text, reading", [
    ("Aix-la-Chapelle", "ˌɛkslɑʃɑpˈɛl"),      # a gold key with two hyphens is found whole
    ("the A-frame-house", "ði ˈAfɹˌAmhˌWs"),
    ("well-known", "wˌɛlnˈOn"),
])
def test_spans_the_lexicon_reads_are_still_tried(g2p_us, text, reading):
    assert g2p_us(text)[0] == reading


def test_symbol_and_apostrophe_read_as_misaki_reads_them(gb=True):
    # "+'" is read as the symbol with the apostrophe stripped, spelled: silence (misaki too)
    from misaki_lite import en
    assert en.G2P(british=True, mode="exact")("+'sab")[0] == "sˈab"


class _CountingPattern:
    def __init__(self, pattern):
        self.pattern, self.tries = pattern, 0

    def match(self, text, pos=0):
        self.tries += 1
        return self.pattern.match(text, pos)

    def finditer(self, text):
        for m in self.pattern.finditer(text):
            self.tries += 1
            yield m
        self.tries += len(text)     # finditer tries from every position


@pytest.mark.parametrize("text", ["[" * 5000, "[a]" * 2000, "[a](" * 2000, "[a] (b) " * 1000])
def test_link_pattern_is_tried_once_per_closing_bracket(monkeypatch, text):
    link, kinds = markup._rules()
    counting = _CountingPattern(link)
    monkeypatch.setattr(markup, "_rules", lambda: (counting, kinds))
    markup.parse(text)
    assert counting.tries <= text.count("]") + 1


def test_links_are_found_as_the_pattern_finds_them():
    link = markup._rules()[0]
    for text in ["[a](b) [c](d)", "[[a](b)", "[a]](b)", "[](x)[y](z)", "[a](b", "[a]( [b](c)",
                 "[x\n](y)", "] [a](b) ["]:
        assert [m.span() for m in markup._links(text, link)] == \
            [m.span() for m in link.finditer(text)]


def test_features_are_aligned_in_one_pass(g2p_us, monkeypatch):
    calls = [0]
    real = markup.feature_positions

    def counting(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(markup, "feature_positions", counting)
    phonemes, _ = g2p_us("[cat](/kˈæt/) and [dog](/dˈɑɡ/) " * 50)
    assert calls[0] == 1
    assert phonemes.count("kˈæt") == 50 and phonemes.count("dˈɑɡ") == 50
