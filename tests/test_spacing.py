"""Dropped tokens (emoji, emphasis asterisks) leave no whitespace behind (misaki_lite/reading/spacing.py).

Two spaces in the phoneme string, or a token without phonemes that has whitespace, shift
kokoro's KPipeline.join_timestamps for every later word. Exact mode stays misaki's.
"""
import pytest

from misaki_lite import en, espeak

CASES = [   # text, phonemes (checked by hand: the words without the emoji)
    ("I love 🍕 and 🍣 so much.", "ˌI lˈʌv ænd sˌO mˈʌʧ."),
    ("🍕 pizza", "pˈitsə"),
    ("pizza 🍕", "pˈitsə"),
    ("a 🍕 🍕 b", "ɐ bˈi"),
    ("Hello 👋, world", "həlˈO, wˈɜɹld"),
    ("love🍕 and", "lˈʌv ænd"),
    ("yes 🍕 — no", "jˈɛs — nˈO"),
]


@pytest.fixture(scope="module")
def kokoro_g2p():
    """As kokoro's KPipeline builds it (unk='')."""
    return en.G2P(british=False, fallback=espeak.EspeakFallback(british=False), unk="")


@pytest.mark.parametrize("text, expected", CASES)
def test_no_double_spaces_and_the_text_is_kept(kokoro_g2p, text, expected):
    ps, tokens = kokoro_g2p(text)
    assert ps == expected
    assert "".join(t.text + t.whitespace for t in tokens) == text
    assert not [t for t in tokens if not t.phonemes and t.whitespace]


def _kokoro_positions(tokens):
    """Where kokoro 0.9.4's join_timestamps puts each word's phonemes (its own walk, without
    durations: i is the index into the phoneme string, 0 being the first phoneme)."""
    i, where = 0, {}
    for t in tokens:
        if not t.phonemes:
            if t.whitespace:
                i += 2
            continue
        where[t.text] = i
        i += len(t.phonemes) + (1 if t.whitespace else 0)
    return where


def test_kokoro_finds_every_word_where_it_is(kokoro_g2p):
    ps, tokens = kokoro_g2p("I love 🍕 and 🍣 so much, really 🙂 truly.")
    joined = "".join(t.phonemes + (" " if t.whitespace else "") for t in tokens).strip()  # tokens_to_ps
    assert joined == ps
    for text, i in _kokoro_positions(tokens).items():
        tk = next(t for t in tokens if t.text == text)
        assert ps[i:i + len(tk.phonemes)] == tk.phonemes, text


def test_exact_mode_reads_emoji_as_misaki_does():
    g2p = en.G2P(british=False, fallback=espeak.EspeakFallback(british=False), unk="", mode="exact")
    # misaki 0.9.4's answers (oracle): eSpeak reads the emoji's name
    assert g2p("I love 🍕 and 🍣 so much.")[0] == "ˌI lˈʌv pˈitsə ænd sˈuʃi sˌO mˈʌʧ."
    assert g2p("Hello 👋, world")[0] == "həlˈO wˈAvɪŋ hˈænd, wˈɜɹld"
