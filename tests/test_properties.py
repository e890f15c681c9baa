"""Properties that hold for every input: never raises, stays in the alphabet, deterministic,
and the tokens account for the whole text."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from misaki_lite.text import orthography
from misaki_lite.inventory import Dialect
from strategies import allowed_symbols, any_text, english_like

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
texts = st.one_of(any_text, english_like)


def _check(g2p, dialect, text):
    phonemes, tokens = g2p(text)
    assert isinstance(phonemes, str)
    bad = set(phonemes) - allowed_symbols(dialect)
    assert not bad, f"symbols outside the inventory: {sorted(bad)} for {text!r}"
    assert g2p(text) [0] == phonemes                          # deterministic
    return phonemes, tokens


@SETTINGS
@given(text=texts)
def test_us_never_raises_and_stays_in_inventory(g2p_us, text):
    _check(g2p_us, Dialect.US, text)


@SETTINGS
@given(text=texts)
def test_gb_never_raises_and_stays_in_inventory(g2p_gb, text):
    _check(g2p_gb, Dialect.GB, text)


@SETTINGS
@given(text=texts)
def test_tokens_cover_every_word(g2p_us, text):
    """Whitespace round trip: the tokens' text and whitespace give back the (unmarked-up,
    orthography-cleaned) input, so no word is dropped without a trace.

    One exception, misaki's own: its sub-token split has no place for a lone apostrophe between
    digits or after a digit ("0'0", "6'"), which it skips (silently, as it is silent anyway);
    apostrophes are therefore left out of the comparison."""
    plain = g2p_us.preprocess(orthography.clean(text))[0]
    _, tokens = g2p_us(text)
    rebuilt = "".join(t.text + t.whitespace for t in tokens)
    assert _no_apostrophes(rebuilt).split() == _no_apostrophes(plain).split()


def _no_apostrophes(s: str) -> str:
    return s.translate({ord(c): None for c in "'‘’"})


def test_hypothesis_stores_nothing_in_the_working_folder():
    """conftest.py gives Hypothesis a temporary storage folder (it writes .hypothesis/ into the
    working folder otherwise)."""
    import tempfile
    from pathlib import Path

    from hypothesis.configuration import storage_directory

    where = Path(storage_directory("constants", intent_to_write=False).path).resolve()
    assert Path(tempfile.gettempdir()).resolve() in where.parents


_LETTERS = st.characters(categories=("Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Nd"))


@given(word=st.text(_LETTERS | st.sampled_from("'’-_.,"), min_size=1, max_size=12))
@settings(max_examples=3000, deadline=None, derandomize=True)
def test_subtokenize_shortcut_cuts_as_the_pattern(word):
    """subtokenize() skips misaki's pattern for letters with no capital after the first;
    it must cut every word as the pattern does."""
    from misaki_lite.reading import grouping

    assert grouping.subtokenize(word) == tuple(grouping._SUBTOKEN.findall(word))
