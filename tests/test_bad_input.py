"""Broken input returns a result; it never crashes, hangs or loses words silently."""
import pytest

from misaki_lite.text import orthography
from misaki_lite.inventory import Dialect
from strategies import allowed_symbols

NASTY = {
    "empty": "",
    "whitespace": " \t\n  \r\n ",
    "controls": "a\x00b\x01c\x08d\x1fe\x7f",
    "nul": "\x00",
    "lone-surrogates": "half \ud800 of \udfff a pair",
    "emoji": "I love 🍕 and 👩‍👩‍👧 so much 🙂",
    "mixed-scripts": "English Русский 日本語 العربية हिन्दी mixed",
    "long-line": "The quick brown fox jumps over the lazy dog. " * 2300,
    "many-digits": "1" * 10_000,
    "digits-with-commas": ",".join(["123"] * 3000),
    "brackets": "[[[(((" * 500 + ")))]]]" * 500,
    "markup-unclosed": "[word](/wˈɜɹd/" * 200,
    "unicode-digits": "٣ ² Ⅻ ௫ ໓",
}


@pytest.mark.parametrize("name", sorted(NASTY))
def test_nasty_input_gives_a_result(g2p_us, name):
    text = NASTY[name]
    phonemes, tokens = g2p_us(text)
    assert not set(phonemes) - allowed_symbols(Dialect.US)
    # Every word of the input is in the tokens (lone surrogates as U+FFFD, see orthography.py).
    plain = g2p_us.preprocess(orthography.clean(text))[0]
    assert "".join(t.text + t.whitespace for t in tokens).split() == plain.split()


def test_huge_number_is_read_digit_by_digit(g2p_us):
    phonemes, _ = g2p_us("1" * 5000)
    assert phonemes.count("wˈʌn") == 5000


def test_a_terminals_escape_sequences_are_not_read_aloud(g2p_us):
    """Text copied from a terminal or a log: its colour codes were read ("ESC[31m red":
    "thirty one meters red"); they become spaces, one a character, so offsets still hold."""
    text = "\x1b[1;31mred\x1b[0m alert\x1b]0;title\x07"
    cleaned = orthography.clean(text)
    assert len(cleaned) == len(text) and cleaned.split() == ["red", "alert"]
    assert g2p_us(text)[0] == g2p_us(cleaned)[0]
    assert g2p_us(text)[0].split() == ["ɹˈɛd", "əlˈɜɹt"]
