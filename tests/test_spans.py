"""reading/spans.long_word_starts: the spans over 64 characters that the reader looks up."""
from hypothesis import given, settings
from hypothesis import strategies as st

from misaki_lite.reading.spans import long_word_starts


_ENDINGS = ("'", "s", "'s", "es", "d", "ed", "ing")
_NUMBER_SUFFIXES = ("ing", "'d", "ed", "'s", "st", "nd", "rd", "th", "s")


def _read_whole(word: str, head: bool) -> bool:
    """misaki's tests for a word read at any length, written out: ``function_words.read``'s
    dotted abbreviation (spelled: each letter's capital in A-Z), ``Lookup.is_known``'s
    capitals (ASCII), the capitals under an ending ``get_word`` or a stemmer takes off, and
    ``numbers.is_number``."""
    def capitals(w):
        return w.isascii() and w.isalpha() and w[1:] == w[1:].upper()

    bare = word.replace(".", "")
    dotted = ("." in word.strip(".") and bare.isalpha() and len(max(word.split("."), key=len)) < 3
              and all(len(c.upper()) == 1 and "A" <= c.upper() <= "Z" for c in bare))
    ending = any(word.endswith(e) and len(word) > len(e) and capitals(word[:-len(e)]) for e in _ENDINGS)
    number = next((word[:-len(x)] for x in _NUMBER_SUFFIXES if word.endswith(x)), word)
    if head and number[:1] == "-":
        number = number[1:]
    number_ok = any(c.isdigit() for c in number) and all(c in "0123456789,." for c in number)
    return dotted or capitals(word) or ending or number_ok


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "B", "ab", "AB", "aB", "Ab", "abc", "ABC", ".", "..",
                                           "-", "'", "é", "ı", "1", "x", "Y", "s", "'s", "ed", "ing",
                                           "12", ",", ",,", "th", "a.m.", "Co.", ".a", "b."]),
                          st.booleans()),
                max_size=10), st.booleans())
def test_long_word_starts_begin_with_the_first_span_misaki_reads(pieces, head):
    texts = [t for t, _ in pieces]
    fixed = [f and t in ("ab", "12") for t, f in pieces]     # now and then a piece already read
    found = long_word_starts(texts, fixed, head)
    for r in range(len(texts) + 1):
        spans = [left for left in range(r) if not any(fixed[left:r])
                 and _read_whole("".join(texts[left:r]), head and left == 0)]
        assert found[r][:1] == tuple(spans[:1])          # misaki's first, first
        assert set(found[r]) <= set(spans)               # and only starts of such spans
