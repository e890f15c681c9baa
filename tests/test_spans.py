"""reading/spans.long_word_starts: the spans over 64 characters that the reader looks up."""
from hypothesis import given, settings
from hypothesis import strategies as st

from misaki_lite.reading.spans import long_word_starts


def _first_long_start(texts, fixed):
    """misaki's two tests for a word of any length, tried on every span, left to right
    (``function_words.read``'s dotted abbreviation, ``Lookup.is_known``'s capitals), ASCII."""
    out = []
    for r in range(len(texts) + 1):
        found = len(texts) + 1
        for left in range(r):
            word = "".join(texts[left:r])
            if any(fixed[left:r]) or not word.isascii():
                continue
            bare = word.replace(".", "")
            dotted = "." in word.strip(".") and bare.isalpha() and len(max(word.split("."), key=len)) < 3
            capitals = word.isalpha() and word[1:] == word[1:].upper()
            if dotted or capitals:
                found = left
                break
        out.append(found)
    return out


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "B", "ab", "AB", "aB", "Ab", "abc", "ABC", ".", "..",
                                           "-", "'", "é", "1", "x", "Y"]), st.booleans()),
                max_size=10))
def test_long_word_starts_are_the_first_span_misaki_spells(pieces):
    texts = [t for t, _ in pieces]
    fixed = [f and t == "ab" for t, f in pieces]        # now and then a piece already read
    assert long_word_starts(texts, fixed) == _first_long_start(texts, fixed)
