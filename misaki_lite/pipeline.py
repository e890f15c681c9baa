"""The stage order, written once. ``en.G2P`` is the drop-in face; this is what it runs.

    clean        text/orthography: curly apostrophes and full-width forms made plain before
                 anything reads them (misaki #100); exact mode replaces lone surrogates only
    markup       text/markup: [word](/phonemes/), stress and number flags come out of the text
    tokenize     text/tokenize: spaCy's tokens (how words split decides what the lexicon sees)
    tag          tagger/model: Penn tags exactly as en_core_web_sm gives them, every text of a
                 batch in one pass
    --- not in exact mode ---
    tag fixes    tagger/fixes: misaki's tagging bugs (a lone "-1" as a number, quotes)
    normalize    normalize/: times, dates, units... become one token each, phonemes set
    ---
    features     text/markup: the markup's features land on the tokens they cover
    (extended)   reading/spacing.fold_blanks, text/orthography.plain_aliases: whitespace tokens
                 become spaces; soft hyphens and decomposed accents read by their plain form
    group        reading/grouping: continuation tokens folded left, sub-tokens, punctuation
    read         reading/reader: right to left, lexicon tiers then the fallback
    assemble     reading/grouping.merge_tokens: one token per word; (extended) a token that
                 says nothing without a reason is marked dropped, and keeps no whitespace;
                 legacy symbols (ɾ->T, ʔ->t) unless version 2.0; the phoneme string
"""
from __future__ import annotations

import string
import unicodedata
from typing import Callable, Optional

from . import normalize
from .errors import InputError, TextTooLongError
from .inventory import Dialect, legacy_symbols, output_symbols
from .reading.grouping import Word, fold_left, merge_tokens, retokenize, too_long
from .reading.reader import Reader
from .reading.spacing import fold_blanks, tidy_dropped
from .tagger import fixes
from .text import markup, orthography
from .token import MToken, Source, has_content

__all__ = ["prepare", "tag_many", "run", "after_tagging", "apply_features", "ignored_override"]

Prepared = tuple[str, list[str], dict]
# The stages read the options of the ``en.G2P`` they run for (exact, british, normalization,
# version, unk, max_chars, lexicon, fallback, fallback_reading): one G2P is one configuration.
# (A name for annotations only: ``en`` imports this module, so this one cannot import ``en``.)
G2P = object


def _blob(chunk: str) -> bool:
    """A whitespace-free chunk that no reading can use: longer than a word can be, and not a
    number (which is read digit by digit however long)."""
    return too_long(chunk.strip(string.punctuation))


def prepare(text: object, exact: bool, max_chars: int, preprocess) -> Prepared:
    """clean, then markup: ``(plain text, markup words, features by word index)``."""
    if not isinstance(text, str):
        raise InputError(f"G2P expects a str, got {type(text).__name__}")
    if len(text) > max_chars:
        raise TextTooLongError(f"a text of {len(text):,} characters is over the maximum of "
                               f"{max_chars:,} (split it, at newlines for instance, or "
                               "raise G2P.max_chars)")
    text = orthography.clean_surrogates(text) if exact else orthography.clean(text)
    run = markup.parse if preprocess is True else preprocess
    return run(text) if run else (text, [], {})


def tag_many(texts: list[str], exact: bool = True) -> list[list[MToken]]:
    """tokenize, then tag: spaCy's tokens of each text, tagged in one pass of the tagger. Not
    ``exact``: a whitespace-free blob too long to be a word ("a-a-a-…") stays one token, and so
    does a long punctuation run (tokenize.PUNCTUATION_RUN)."""
    from .tagger import get_tagger          # numpy loads with the first text, not at import
    from .text.tokenize import tokenize

    docs = [tokenize(text, None if exact else _blob, runs=not exact) for text in texts]
    tagged = get_tagger().tag_many([([t for t, _ in pairs], [ws for _, ws in pairs])
                                    for pairs in docs], runs=not exact)
    return [[MToken(text=t, tag=tag, whitespace=ws,
                    _=MToken.Underscore(is_head=True, num_flags="", prespace=False))
             for (t, ws), tag in zip(pairs, tags)]
            for pairs, tags in zip(docs, tagged)]


def run(g2p: G2P, texts: list, preprocess=True) -> list[tuple[str, list[MToken]]]:
    """Every stage, for each text: ``(phonemes, tokens)``."""
    prepared = [prepare(text, g2p.exact, g2p.max_chars, preprocess) for text in texts]
    out = []
    for (text, words, features), tokens in zip(
            prepared, tag_many([text for text, _, _ in prepared], g2p.exact)):
        if not g2p.exact:
            tokens = fixes.apply(tokens)        # the tags normalization's rules match read right
            tokens = normalize.apply(tokens, text, g2p.normalization, g2p.lexicon.dialect, _PlainReader(g2p))
        out.append(after_tagging(g2p, tokens, words, features))
    return out


class _PlainReader:
    """normalize.Reader over a G2P's own lexicon and stages."""

    def __init__(self, g2p: G2P) -> None:
        self._g2p = g2p

    def words(self, text: str) -> str:
        """The phonemes of words normalization says ("twenty five", "per cent"), remembered
        in the lexicon's ``spoken_phrases``: a text says the same few again and again. An
        answer holds for the options and user entries in its key, and for the fallback it
        was read with (checked on a hit)."""
        g2p = self._g2p
        lexicon = g2p.lexicon
        said = lexicon.spoken_phrases
        key = (text, g2p.exact, g2p.british, g2p.version, g2p.unk,
               lexicon.golds.generation, lexicon.silvers.generation)
        hit = said.get(key)
        if hit is None:
            hit = said.recall(key)
        if hit is not None and hit[1] is g2p.fallback:
            return hit[0]
        return said.keep(key, (after_tagging(g2p, tag_many([text])[0], [], {})[0], g2p.fallback))[0]

    def spell(self, letters: str) -> str:
        return self._g2p.lexicon.spell(letters)[0] or ""

    def word(self, word: str, stress: Optional[float]) -> str:
        return self._g2p.lexicon.lookup(word, None, stress, None)[0]

    def user_word(self, text: str) -> bool:
        return self._g2p.lexicon.is_user_word(text)


def ignored_override(feature: object, dialect: Dialect) -> bool:
    """A phoneme override with a symbol outside Kokoro's set ('[Kokoro](/kȀOkəɹO/)', a line
    break): extended mode ignores it and reads the words as usual; exact mode keeps it."""
    return isinstance(feature, markup.Phonemes) and not output_symbols(dialect).issuperset(feature.value)


def apply_features(tokens: list[MToken], words: list[str], features: dict, exact: bool,
                   dialect: Dialect) -> None:
    """The markup's features on the tokens they cover."""
    if not features:
        return
    texts = [tk.text for tk in tokens]
    positions = markup.feature_positions(words, texts, features, exact=exact)
    for k, f in features.items():
        if not exact and ignored_override(f, dialect):
            continue
        for rank, j in positions[k]:
            tk = tokens[j]
            if isinstance(f, markup.Phonemes):
                tk._.is_head = rank == 0
                tk.phonemes = f.value if rank == 0 else ""
                tk._.rating, tk._.source = 5, Source.OVERRIDE
            elif isinstance(f, markup.NumFlags):
                tk._.num_flags = f.value
            else:
                tk._.stress = f


def _symbols_only(text: str) -> bool:
    """Punctuation and symbols only (no letter, mark, digit or unassigned code point)."""
    return all(unicodedata.category(c)[0] in "PS" for c in text)


def after_tagging(g2p: G2P, tokens: list[MToken], words: list[str],
                  features: dict) -> tuple[str, list[MToken]]:
    """features, group, read, assemble."""
    if not tokens:
        return "", []
    apply_features(tokens, words, features, g2p.exact, g2p.lexicon.dialect)
    if not g2p.exact:
        tokens = orthography.plain_aliases(fold_blanks(tokens))
    tokens = fold_left(tokens, g2p.unk)
    lexicon = g2p.lexicon
    user_word = None if g2p.exact or not lexicon.user_keys().longest else lexicon.is_user_word
    groups: list[Word] = retokenize(tokens, g2p.exact, user_word)
    fallback: Optional[Callable] = g2p.fallback_reading if g2p.fallback is not None else None
    Reader(g2p.lexicon, fallback, g2p.exact).read(groups)
    if not g2p.exact and fallback is not None:
        for piece in (tk for w in groups for tk in (w if isinstance(w, list) else [w])):
            if piece.phonemes is None and piece._.source != Source.TOO_LONG and _symbols_only(piece.text):
                piece.phonemes = ""     # "<", "^": no word, and eSpeak said nothing: silent
                # as in misaki (not the unknown marker), and reported as dropped below
    out = [merge_tokens(w, unk=g2p.unk) if isinstance(w, list) else w for w in groups]
    if not g2p.exact:
        for tk in out:              # said nothing, and no reason given ("_🙂" by eSpeak,
            # "'+'" after "$"): reported as dropped, never silent without a word
            if tk.phonemes == "" and tk._.source in (None, Source.ESPEAK) and has_content(tk.text):
                tk._.source = Source.DROPPED
        out = tidy_dropped(out)     # after merging: a dropped token keeps no whitespace
    for tk in out:
        if tk.phonemes:
            tk.phonemes = legacy_symbols(tk.phonemes, g2p.version)
    result = "".join((g2p.unk if tk.phonemes is None else tk.phonemes) + tk.whitespace for tk in out)
    return result, out
