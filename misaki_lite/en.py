"""The drop-in replacement for ``misaki.en``: ``G2P(text) -> (phonemes, tokens)``.

The stages run in this order (each is one module; the order matters where noted)::

    orthography        curly apostrophes and full-width forms made plain, before anything reads them
    markup.parse       [word](/phonemes/), stress and number flags come out of the text
    tokenize           spaCy-compatible tokens (the lexicon pass depends on how words split)
    tagger             Penn tags, exactly as spaCy en_core_web_sm gives them
    normalize          times, dates, units... read as one token each ("extended" mode)
    _apply_features    markup features land on the tokens they cover
    grouping           continuation tokens folded left; sub-tokens; punctuation and currency
    _read_words        right to left, so that each word knows what follows it (a vowel? "to"?)
    lookup / fallback  lexicon tiers, morphology, numbers; eSpeak for the rest; then the
                       last resort (-ied on a known -y stem) for words nothing else read
    _resolve_group     stress balance inside a hyphenated or camelCase group
    grouping.merge     one token per word, legacy symbols (ɾ->T, ʔ->t) unless version 2.0
    spacing            no whitespace left on dropped tokens (emoji): no double spaces (extended)

In extended mode, after _apply_features: a whitespace-only token becomes a space after the token
before it (spacing.fold_blanks), and a token with a soft hyphen or decomposed accents is read
by its plain form (orthography.plain_aliases: "cafe\u0301" as "café").

``mode="exact"`` gives misaki 0.9.4's output byte for byte, its bugs included: the text is
tagged as misaki tags it (only lone surrogates are replaced), and no tag fix, normalization
class or lexicon fix runs. In the default ``mode="extended"``, ``normalization`` is "extended"
(misaki plus the classes of ``rules/normalize/``) or "misaki" (only what misaki 0.9.4 handles;
the bug fixes stay on in both).

``trf=True`` is accepted for compatibility and changes nothing: misaki would load spaCy's
transformer pipeline; misaki_lite computes the tags of en_core_web_sm (tagger.py).
"""
from __future__ import annotations

import string
import warnings
from bisect import bisect_left
from dataclasses import replace
from itertools import accumulate
from typing import Callable, Optional

from . import normalize
from .text import markup, orthography
from .text.orthography import plain_aliases
from .errors import InputError, OptionError
from .reading.grouping import Word, fold_left, merge_tokens, retokenize, too_long
from .inventory import CONSONANTS, PRIMARY_STRESS, VOWELS, Dialect, legacy_symbols, output_symbols
from .reading.lookup import Context, Lookup
from .text.markup import NumFlags, Phonemes
from .reading.numbers import is_digit
from .text.punctuation import classes
from .reading.spacing import fold_blanks, tidy_dropped
from .reading.spans import Spans
from .reading.stress import apply_stress, stress_weight
from .token import MToken, Source, has_content

__all__ = ["G2P", "MToken"]

# No lexicon key (lexicon.MAX_KEY_CHARS), special case or number the lexicon reads is longer
# than this: longer spans of a group are skipped without being merged, so a long group costs
# O(n * span), not O(n^2) (issue 7: 1,000 characters of "aБ日" took a second). Check with
# tools/parity.py if changed.
MAX_SPAN_CHARS = 64

# The longest text one call reads (spaCy's own limit, which misaki inherits, is 1,000,000):
# a text of n characters costs about 130 bytes of memory a character while it is read, most
# of it the tokens returned. Longer texts raise InputError; ``g2p.max_chars`` may be changed.
MAX_TEXT_CHARS = 1 << 20

Fallback = Callable[[MToken], tuple[Optional[str], Optional[int]]]

# "extended": the normalization setting and every bug fix; "exact": misaki 0.9.4 byte for byte,
# its bugs included (no orthography, tag fixes, normalization classes or lexicon fixes).
MODES = ("extended", "exact")


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise OptionError(f"mode must be one of {', '.join(map(repr, MODES))}, got {mode!r}")
    return mode


def deprecated_normalization(normalization: Optional[str], stacklevel: int = 3) -> str:
    """The normalization setting behind ``normalization=`` (deprecated: ``mode=`` replaces it);
    ``None`` (not given) is the default, "extended", without a warning."""
    if normalization is None:
        return "extended"
    warnings.warn("normalization= is deprecated and will be removed in the next release: "
                  "mode='exact' gives misaki 0.9.4's output, mode='extended' (the default) "
                  "reads times, dates, units and the rest right", DeprecationWarning, stacklevel)
    return normalize.check_mode(normalization)


def _blob(chunk: str) -> bool:
    """A whitespace-free chunk that no reading can use: longer than a word can be, and not a
    number (which is read digit by digit however long)."""
    return too_long(chunk.strip(string.punctuation))


class G2P:
    """English grapheme-to-phoneme conversion, misaki 0.9.4 compatible.

    ``fallback`` is called on words the lexicon cannot read (``misaki_lite.espeak.EspeakFallback``
    is the usual one); without it such words come out as ``unk``. A text longer than
    ``max_chars`` characters is refused with an InputError (split it, at newlines say).
    """

    max_chars = MAX_TEXT_CHARS

    def __init__(self, version: Optional[str] = None, trf: bool = False, british: bool = False,
                 fallback: Optional[Fallback] = None, unk: str = "❓",
                 normalization: Optional[str] = None, mode: str = "extended") -> None:
        self.mode = check_mode(mode)
        self.exact = mode == "exact"
        self.normalization = deprecated_normalization(normalization)
        self.version = version
        self.british = british
        self.trf = trf
        self.lexicon = Lookup(british, exact=self.exact)
        self.fallback = fallback if fallback else None
        self.unk = unk

    def _fallback(self, token: MToken):
        """The fallback's reading; exact mode asks our eSpeak fallback for misaki's own
        answer (silence and language flags kept)."""
        if self.exact and hasattr(self.fallback, "misaki"):
            return self.fallback.misaki(token)
        return self.fallback(token)

    # -- stages ----------------------------------------------------------------------

    @staticmethod
    def preprocess(text: str):
        """misaki's preprocess: (plain text, markup words, features by word index)."""
        return markup.parse(text)

    @staticmethod
    def tokenize(text: str) -> list[MToken]:
        return G2P._tokenize_many([text])[0]

    @staticmethod
    def _tokenize_many(texts: list[str], exact: bool = True) -> list[list[MToken]]:
        """spaCy's tokens of each text, tagged in one pass of the tagger. Not ``exact``: a
        whitespace-free blob too long to be a word ("a-a-a-…") stays one token, read as too long."""
        from .tagger import get_tagger
        from .text.tokenize import tokenize

        docs = [tokenize(text, None if exact else _blob) for text in texts]
        tagged = get_tagger().tag_many([([t for t, _ in pairs], [ws for _, ws in pairs])
                                        for pairs in docs])
        return [[MToken(text=t, tag=tag, whitespace=ws,
                        _=MToken.Underscore(is_head=True, num_flags="", prespace=False))
                 for (t, ws), tag in zip(pairs, tags)]
                for pairs, tags in zip(docs, tagged)]

    def _apply_features(self, tokens: list[MToken], words: list[str], features: dict) -> None:
        if not features:
            return
        texts = [tk.text for tk in tokens]
        allowed = output_symbols(Dialect.of(self.british))
        positions = markup.feature_positions(words, texts, features, exact=self.exact)
        for k, f in features.items():
            if isinstance(f, Phonemes) and not self.exact and not allowed.issuperset(f.value):
                continue    # '[Kokoro](/kȀOkəɹO/)': no Kokoro symbol, so the words are read as usual
            for rank, j in positions[k]:
                tk = tokens[j]
                if isinstance(f, Phonemes):
                    tk._.is_head = rank == 0
                    tk.phonemes = f.value if rank == 0 else ""
                    tk._.rating, tk._.source = 5, Source.OVERRIDE
                elif isinstance(f, NumFlags):
                    tk._.num_flags = f.value
                else:
                    tk._.stress = f

    # -- the right-to-left pass ------------------------------------------------------

    @staticmethod
    def _context(ctx: Context, ps: Optional[str], token: MToken) -> Context:
        """The context for the word to the left of ``token``."""
        non_quote = classes().non_quote
        vowel = ctx.future_vowel
        if ps:
            for c in ps:
                if c in VOWELS or c in CONSONANTS or c in non_quote:
                    vowel = None if c in non_quote else (c in VOWELS)
                    break
        future_to = token.text in ("to", "To") or (token.text == "TO" and token.tag in ("TO", "IN"))
        return Context(future_vowel=vowel, future_to=future_to)

    def _read_single(self, w: MToken, ctx: Context) -> Context:
        if w.phonemes is None and too_long(w.text):
            w._.source = Source.TOO_LONG    # no word: the unknown marker (grouping.py)
            return self._context(ctx, None, w)
        if w.phonemes is None:          # the lexicon never changes the token it reads
            w.phonemes, w._.rating = self.lexicon(w, ctx)
            w._.source = self.lexicon.source_of(w.text, w._.rating, w.tag) if w.phonemes is not None else None
        if w.phonemes is None and self.fallback is not None:
            # extended: eSpeak reads a token's plain form too ("cafe\u0301" as "café")
            text = w.text if self.exact or w._.alias is None else w._.alias
            w.phonemes, w._.rating = self._fallback(replace(w, text=text, _=w._))
            w._.source = Source.ESPEAK if w.phonemes is not None else None
        if w.phonemes is None and not self.exact:
            # after the fallback, so that misaki's output with eSpeak does not move
            w.phonemes, w._.rating = self.lexicon.last_resort(w, ctx)
            w._.source = Source.MORPHOLOGY if w.phonemes is not None else None
        return self._context(ctx, w.phonemes, w)

    def _read_group(self, w: list[MToken], ctx: Context) -> Context:
        """Read the longest known spans of a group, right to left; eSpeak reads it whole
        when a piece is unknown."""
        junk = classes().junk
        left, right = 0, len(w)
        ends = list(accumulate((len(t.text) + len(t.whitespace) for t in w), initial=0))
        # pieces that are not all junk ("'", "-"...): a span of junk pieces is never a word
        solid = list(accumulate((any(c not in junk for c in t.text) for t in w), initial=0))
        spans = Spans([t.text + t.whitespace for t in w], Dialect.of(self.british))
        should_fallback = False
        while left < right:
            # a single piece is always tried, however long (a 5,000-digit number)
            left = max(left, min(right - 1, bisect_left(ends, ends[right] - MAX_SPAN_CHARS, 0, right)))
            if left + 1 < right and solid[right] == solid[left]:
                left = right - 1        # only junk from here: go straight to the last piece
            if left + 1 < right:
                left = spans.first(left, right)     # skip spans no lexicon word can be
            if any(tk._.alias is not None or tk.phonemes is not None for tk in w[left:right]):
                tk = None
            elif left + 1 == right:
                tk = w[left]            # one piece reads as itself (merging would copy it)
            else:
                tk = merge_tokens(w[left:right])
            ps, rating = (None, None) if tk is None else self.lexicon(tk, ctx)
            if ps is not None:
                w[left].phonemes, w[left]._.rating = ps, rating
                w[left]._.source = self.lexicon.source_of(tk.text, rating, tk.tag)
                for x in w[left + 1:right]:
                    x.phonemes, x._.rating = "", rating
                ctx = self._context(ctx, ps, tk)
                right, left = left, 0
            elif left + 1 < right:
                left += 1
            else:
                right -= 1
                tk = w[right]
                if tk.phonemes is None:
                    if all(c in junk for c in tk.text):
                        tk.phonemes, tk._.rating = "", 3
                    elif too_long(tk.text):
                        tk._.source = Source.TOO_LONG   # no word, not read (grouping.py)
                    elif self.fallback is not None:
                        should_fallback = True
                        break
                left = 0
        if should_fallback:
            tk = merge_tokens(w)
            w[0].phonemes, w[0]._.rating = self._fallback(tk)
            w[0]._.source = Source.ESPEAK if w[0].phonemes is not None else None
            for x in w[1:]:
                x.phonemes, x._.rating = "", w[0]._.rating
        else:
            self._resolve_group(w)
        return ctx

    @staticmethod
    def _resolve_group(tokens: list[MToken]) -> None:
        """Punctuation inside the group, spacing between pieces, and one primary stress."""
        punct = classes()
        text = "".join(tk.text + tk.whitespace for tk in tokens[:-1]) + tokens[-1].text
        kinds = {0 if c.isalpha() else (1 if is_digit(c) else 2) for c in set(text) - punct.junk}
        prespace = " " in text or "/" in text or len(kinds) > 1
        for i, tk in enumerate(tokens):
            if tk.phonemes is None:
                if i == len(tokens) - 1 and tk.text in punct.non_quote:
                    tk.phonemes, tk._.rating = tk.text, 3
                elif all(c in punct.junk for c in tk.text):
                    tk.phonemes, tk._.rating = "", 3
            elif i > 0:
                tk._.prespace = prespace
        if prespace:
            return
        indices = [(PRIMARY_STRESS in tk.phonemes, stress_weight(tk.phonemes), i)
                   for i, tk in enumerate(tokens) if tk.phonemes]
        if len(indices) == 2 and len(tokens[indices[0][2]].text) == 1:
            i = indices[1][2]
            tokens[i].phonemes = apply_stress(tokens[i].phonemes, -0.5)
            return
        if len(indices) < 2 or sum(b for b, _, _ in indices) <= (len(indices) + 1) // 2:
            return
        for _, _, i in sorted(indices)[:len(indices) // 2]:
            tokens[i].phonemes = apply_stress(tokens[i].phonemes, -0.5)

    # -- the whole thing ---------------------------------------------------------------

    def __call__(self, text: str, preprocess=True) -> tuple[str, list[MToken]]:
        return self.many([text], preprocess)[0]

    def many(self, texts: list[str], preprocess=True) -> list[tuple[str, list[MToken]]]:
        """``(phonemes, tokens)`` of each text, as ``G2P(text)`` gives them; the tagger runs
        once over all of them, which is faster than one call a text."""
        prepared = []
        for text in texts:
            if not isinstance(text, str):
                raise InputError(f"G2P expects a str, got {type(text).__name__}")
            if len(text) > self.max_chars:
                raise InputError(f"a text of {len(text):,} characters is over the maximum of "
                                 f"{self.max_chars:,} (split it, at newlines for instance, or "
                                 "raise G2P.max_chars)")
            # first: curly apostrophes never reach the tagger (#100); exact: lone surrogates only
            text = orthography.clean_surrogates(text) if self.exact else orthography.clean(text)
            run = G2P.preprocess if preprocess is True else preprocess
            prepared.append(run(text) if run else (text, [], {}))
        out = []
        for (text, words, features), tokens in zip(
                prepared, self._tokenize_many([text for text, _, _ in prepared], self.exact)):
            if not self.exact:
                tokens = normalize.apply(tokens, text, self.normalization, self.british, self._read_plain)
            out.append(self.from_tokens(tokens, words, features))
        return out

    def _read_plain(self, words: str) -> str:
        """Phonemes of plain English words (no markup, no normalization): for normalize."""
        return self.from_tokens(self.tokenize(words), [], {})[0]

    def from_tokens(self, tokens: list[MToken], words: list[str], features: dict) -> tuple[str, list[MToken]]:
        """Everything after tagging: features, grouping, reading, merging."""
        if not tokens:
            return "", []
        self._apply_features(tokens, words, features)
        if not self.exact:
            tokens = plain_aliases(fold_blanks(tokens))
        tokens = fold_left(tokens, self.unk)
        groups: list[Word] = retokenize(tokens, self.exact)
        ctx = Context()
        for w in reversed(groups):
            ctx = self._read_group(w, ctx) if isinstance(w, list) else self._read_single(w, ctx)
        out = [merge_tokens(w, unk=self.unk) if isinstance(w, list) else w for w in groups]
        if not self.exact:
            for tk in out:              # said nothing, and no reason given ("_🙂" by eSpeak,
                # "'+'" after "$"): reported as dropped, never silent without a word
                if tk.phonemes == "" and tk._.source in (None, Source.ESPEAK) and has_content(tk.text):
                    tk._.source = Source.DROPPED
            out = tidy_dropped(out)     # after merging: a dropped token keeps no whitespace
        for tk in out:
            if tk.phonemes:
                tk.phonemes = legacy_symbols(tk.phonemes, self.version)
        result = "".join((self.unk if tk.phonemes is None else tk.phonemes) + tk.whitespace for tk in out)
        return result, out
