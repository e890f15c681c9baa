"""Hypothesis strategies for text that G2P must survive, and the properties it must keep."""
from hypothesis import strategies as st

from misaki_lite.inventory import Dialect, output_symbols

UNK = "❓"


def allowed_symbols(dialect: Dialect) -> frozenset[str]:
    """Everything the phoneme string may contain: inventory, punctuation, space, unknown marker."""
    return output_symbols(dialect) | frozenset(UNK)


# Arbitrary Unicode, including control characters, NUL and lone surrogates.
any_text = st.text(alphabet=st.characters(codec=None), max_size=200)

# English-looking text: words, numbers, punctuation, markup and the odd symbol, so that
# the properties exercise the interesting paths and not just eSpeak on noise.
_word = st.sampled_from([
    "the", "a", "an", "I", "to", "in", "by", "used", "record", "read", "Mr.", "U.S.",
    "don't", "it's", "cats'", "NASA", "McDonald", "fool-proof", "e-mail", "x@y.com",
    "http://a.b/c", "$5.50", "£3", "€1,000", "1990s", "2nd", "-1", "3.14", "1,000,000",
    "10:30", "50%", "&", "+", "@", "...", "—", "–", "-", "“", "”", "'", '"', "(", ")",
    "[word](/wˈɜɹd/)", "[1,000](#a#)", "[cat](+1)", "[", "]", "café", "naïve", "日本",
    "Привет", "🙂", "\u200b", "\x00", "\x08", "²", "٣", "Ⅻ",
])
english_like = st.lists(st.one_of(_word, st.text(min_size=1, max_size=8)), max_size=30).map(
    lambda ws: " ".join(ws))

# Where eSpeak NG broke (issue 19): symbols, hyphens and punctuation next to words of the
# scripts it switches voice for, replacement characters, controls, combining marks, and
# chains of short pieces (the group reader's worst case).
_edge = st.sampled_from([
    "\ufffd", "\u20b2", "^", "|", "<", "\u2020", "'", "(", ",", "\U0001f642", "#", "%", "+", "/",
    "-", "-", "--", "_", ".", " ", ", ", "\x00", "\u0301", "\u200c",
    "\u0928\u092e", "\u092e\u0938", "\u0985\u09ae", "\u0a85\u0a88", "\u0d05\u0d07", "\u5b57",
    "\u03bb\u03cc", "a", "ab", "1", "A",
])
espeak_edges = st.lists(_edge, min_size=1, max_size=12).map("".join)
