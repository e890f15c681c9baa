"""reading/spans.long_word_starts: the spans over 64 characters that the reader looks up."""
from hypothesis import given, settings
from hypothesis import strategies as st

from misaki_lite.reading.spans import long_word_starts


_ENDINGS = ("'", "s", "'s", "es", "d", "ed", "ing")


def _spelled_whole(word: str) -> bool:
    """misaki's tests for a word read at any length, written out (ASCII letters only):
    ``function_words.read``'s dotted abbreviation, ``Lookup.is_known``'s capitals, and the
    capitals under an ending ``get_word`` or a stemmer takes off."""
    if not word.isascii():
        return False

    def capitals(w):
        return w.isalpha() and w[1:] == w[1:].upper()

    dotted = ("." in word.strip(".") and word.replace(".", "").isalpha()
              and len(max(word.split("."), key=len)) < 3)
    return dotted or capitals(word) or any(
        word.endswith(e) and len(word) > len(e) and capitals(word[:-len(e)]) for e in _ENDINGS)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "B", "ab", "AB", "aB", "Ab", "abc", "ABC", ".", "..",
                                           "-", "'", "é", "1", "x", "Y", "s", "'s", "ed", "ing"]),
                          st.booleans()),
                max_size=10))
def test_long_word_starts_begin_with_the_first_span_misaki_spells(pieces):
    texts = [t for t, _ in pieces]
    fixed = [f and t == "ab" for t, f in pieces]        # now and then a piece already read
    found = long_word_starts(texts, fixed)
    for r in range(len(texts) + 1):
        spans = [left for left in range(r) if not any(fixed[left:r])
                 and _spelled_whole("".join(texts[left:r]))]
        assert found[r][:1] == tuple(spans[:1])          # misaki's first, first
        assert set(found[r]) <= set(spans)               # and only starts of such spans
