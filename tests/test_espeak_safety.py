"""What reaches eSpeak NG: nothing that crashes it, nothing it stops at, nothing left from an
earlier call (issue 19; ``misaki_lite/fallback/safe.py``, ``tools/oracle/espeak_crash_grid.py``).

The crashing inputs run in a child process, so that a regression fails the test instead of
killing pytest.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from misaki_lite.fallback.safe import risky, safe_text

# Each kills eSpeak NG 1.52 (signal 11) when sent as is; found by tools/oracle/espeak_crash_grid.py.
CRASHING = [
    "\ufffd-\u0928\u092e\U0001f642a",       # the G2P inputs
    "\u20b2-\u092e\u09381",
    "\ufffd-\u0928\u092e",                  # raw eSpeak: symbol, hyphen, Devanagari
    "^-\u0928\u092e hello",
    "hello, ^-\u092e\u0938",                # at the start of a clause
    "'-\u0928\u092e",
    "(-\u0928\u092e\u0938\u094d\u0924\u0947",
    "|-\u0985\u09ae",                        # Bengali
    "<-\u0a85\u0a88",                        # Gujarati
    "\u2020-\u0d05\u0d07",                   # Malayalam
    # a chain after the hyphen that reaches the script later (fuzz/widened.py, seed 0, call 2:
    # "-a-ab-字-…-'-नम-…" in GB extended mode sent "'-ab-ab-नम" to eSpeak)
    "'-ab-ab-\u0928\u092e",
    "''-a-\u5b57-\u0928\u092e",
    "-'-a-\u09ae\u09b8",
    "hello, '-\u0416-\u0928\u092e",
    "-a-ab-\u5b57-a-'-\u0928\u092e-A-\u0928\u092e-ab-A-1--'-ab-ab-\u0928\u092e--'-ab-x1",
    # no symbol word at all: the later finds of fuzz/widened.py (seed 0), read through a fork
    "\u00a384 to 795  ---\u0a85\u0a88\u200c  +7440",
    "A--\u0928\u092e-a-\u5b57-ab-1-1-ab--\u5b57-'-ab-A",
    "\U0001c210\x07\U00096c95-\u0985\u09ae\U0007a7f5",
    "/-\t-\U0001f642-.-\x07-\u0a85\u0a88",
    "\U000f08b4-\u0301\u0985\u09ae\U000d46aa",
]


def _child(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=300)


def test_crashing_texts_do_not_kill_the_process():
    result = _child(f"""
        from misaki_lite import en, espeak
        texts = {CRASHING!r}
        for british in (False, True):
            fallback = espeak.EspeakFallback(british)
            for text in texts:
                fallback._phonemize(text)          # the text reaches eSpeak whole
                fallback._phonemize(text, True)    # and as exact mode sends it
                for mode in ("exact", "extended"):
                    en.G2P(british=british, mode=mode, fallback=fallback)(text)
        for language in ("hi", "es", "fr-fr", "it", "pt-br"):    # kokoro's other languages
            reader = espeak.EspeakG2P(language)
            for text in texts:
                reader(text)
        print("alive")
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "alive"


def test_a_risky_text_is_read_in_a_child_and_a_crash_there_costs_nothing_here():
    """The engine reads a text that may crash eSpeak in a forked child: ``None`` when eSpeak
    died there, the same clauses as a direct call when it did not."""
    result = _child(f"""
        from misaki_lite.fallback._espeak import engine
        e = engine()
        assert e.text_to_phonemes("\\ufffd-\\u0928\\u092e", "en-us", isolated=True) is None
        same = "x-\\u0928\\u092e"
        assert e.text_to_phonemes(same, "en-us", isolated=True) == e.text_to_phonemes(same, "en-us")
        print("alive")
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "alive"
    assert all(risky(safe_text(t)) for t in CRASHING[-5:])
    assert not risky("fool-proof") and not risky("\u0928\u092e \u0928\u092e") and not risky("a-\u5b57")


# One long word whose phonemes overflow eSpeak's word buffer: glibc aborts the process
# ("buffer overflow detected"), measured on 2026-12-04 at 250 letters of "super" and at 144
# characters of "Lang's's...", in every mode, with the fallback on.
LONG_WORDS = ["super" * 50, "Lang" + "'s" * 70, "Bob" + "'s" * 100, "super" * 180]


def test_a_word_that_overflows_espeak_does_not_kill_the_process():
    result = _child(f"""
        from misaki_lite import en, espeak
        for british in (False, True):
            fallback = espeak.EspeakFallback(british)
            for mode in ("exact", "extended"):
                g2p = en.G2P(british=british, mode=mode, fallback=fallback)
                for text in {LONG_WORDS!r}:
                    assert g2p(text)[0], text
                    assert g2p("Say " + text + " twice.")[0].startswith("sˈA")
        print("alive")
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "alive"
    assert "buffer overflow" not in result.stderr   # the dying child's abort message is not shown


def test_long_runs_are_risky_and_cut_into_pieces_when_espeak_dies():
    from misaki_lite.fallback.safe import CUT, LONG_RUN, cut_long_runs
    assert risky("x" * (LONG_RUN + 1)) and not risky("x" * LONG_RUN + " " + "x" * LONG_RUN)
    cut = cut_long_runs("a " + "b" * 80 + " c")
    assert cut == "a " + " ".join(["b" * CUT, "b" * CUT, "b" * (80 - 2 * CUT)]) + " c"


def test_the_crash_pattern_is_defused_and_plain_text_untouched():
    assert safe_text("\ufffd-\u0928\u092e") == "\ufffd -\u0928\u092e"
    assert safe_text("hello, ^-\u0928\u092e") == "hello, ^ -\u0928\u092e"
    assert safe_text("'-ab-ab-\u0928\u092e") == "' -ab-ab-\u0928\u092e"
    assert safe_text("-'-a-\u0928\u092e") == "-' -a-\u0928\u092e"
    for text in ("x ^-\u0928\u092e", "a^-\u0928\u092e", "^-a", "fool-proof", "\u0928\u092e-^",
                 "\u5b57-\u0928\u092e", "co-\u00e9t\u00e9", "-ab-\u0928\u092e", "x'-a-\u0928\u092e"):
        assert safe_text(text) == text


def test_exact_mode_defuses_only_symbol_words_known_to_crash():
    """eSpeak reads "™🎉-मुंबई" (™ and 🎉 are not among the crashing characters), and misaki's
    output has no space there (the oracle); exact mode leaves it, extended mode defuses it."""
    assert safe_text("™🎉-मुंबई", exact=True) == "™🎉-मुंबई"
    assert safe_text("™🎉-मुंबई") == "™🎉 -मुंबई"
    for text in CRASHING[:-5]:        # (the last five no pattern catches: a fork reads them)
        assert safe_text(text, exact=True) == safe_text(text).replace("\x00", " ")
    assert safe_text("hello\x00world", exact=True) == "hello\x00world"


@pytest.mark.parametrize("text, word", [
    ("hello\x00world", "wˈɜɹld"),
    ("The cat\x00dog sat.", "dˈɑɡ"),
    ("zorblax\x00glarbo", "ɡlˈɑɹbO"),
])
def test_nul_loses_no_word(g2p_us, text, word):
    assert word in g2p_us(text)[0]


@pytest.mark.parametrize("text, misaki", [
    ("hello\x00world", "həlˈO"),            # the oracle's answers: eSpeak stops at the NUL
    ("The cat\x00dog sat.", "ðə kˈæt sˈæt."),
])
def test_exact_mode_loses_the_words_after_a_nul_as_misaki_does(g2p_us, text, misaki):
    from misaki_lite import en
    assert en.G2P(fallback=g2p_us.fallback, mode="exact")(text)[0] == misaki


# Lines that make eSpeak switch to another language's voice, then lines read after them.
POLLUTING = ["\u5b57", "\u0926 \u03bb\u03cc\u03b3\u03bf\u03c2", "\ud55c\uad6d\uc5b4 \u0445\u043e\u0440\u043e\u0448\u043e"]
REPLAYED = ["Zorblax glarmonious wubbleshire.", "\ufffd and \U0001f642 here", "a \u00e9 b",
            "\u03bb\u03cc\u03b3\u03bf\u03c2", "Qwxyz 1 2 3", "na\u00efve caf\u00e9 \u00df"]


def _read_lines(before: list[str]) -> list[list[str]]:
    result = _child(f"""
        import json
        from misaki_lite import en, espeak
        g2ps = [en.G2P(british=b, fallback=espeak.EspeakFallback(b)) for b in (False, True)]
        for g in g2ps:
            for line in {before!r}:
                g(line)
        print(json.dumps([[g(line)[0] for g in g2ps] for line in {REPLAYED!r}]))
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_lines_read_alike_in_a_fresh_process_and_after_a_voice_switch():
    assert _read_lines(POLLUTING) == _read_lines([])


def test_voice_is_selected_afresh_after_espeak_switched_language():
    from misaki_lite.fallback._espeak import engine
    eng = engine()
    eng.text_to_phonemes("hello", "en-us")
    assert eng._current == "en-us"
    clauses = eng.text_to_phonemes("\u0926 \u03bb\u03cc\u03b3\u03bf\u03c2", "en-us")
    assert any("(" in c for c in clauses)      # eSpeak reported a switch of voice
    assert eng._current is None                # so the next text selects en-us again
    eng.text_to_phonemes("hello", "en-us")
    assert eng._current == "en-us"
