"""Stage: from tagged tokens to words, as misaki 0.9.4 groups them.

* ``fold_left`` joins tokens that markup marked as continuations (``is_head`` False) onto the
  token before them;
* ``retokenize`` splits each token into misaki's sub-tokens ("don't" stays, "fool-proof" ->
  "fool" "-" "proof", "McDonald" -> "Mc" "Donald"), reads punctuation and currency symbols,
  and groups sub-tokens that touch (no whitespace between them) into one list: a list is one
  word whose pieces the lexicon pass may read together or apart;
* ``merge_tokens`` turns a group back into one token for the output.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Optional, Union

import regex

from .numbers import currencies, is_number
from ..text.punctuation import classes
from ..token import MToken, Source, has_content
from ..text.tokenize import is_punctuation_run

__all__ = ["merge_tokens", "fold_left", "subtokenize", "retokenize", "Word", "MAX_WORD_CHARS", "too_long"]

Word = Union[MToken, list[MToken]]

# A token longer than this is no word (no word of the corpora comes close): outside exact
# mode it is not cut into sub-tokens and nothing reads it (reader.py), so a token or
# sub-token that long comes out as the unknown marker instead of costing a second of eSpeak
# a megabyte (issue 7). The token keeps its text. Exact mode reads it as misaki does.
# Numbers are the exception: they are read digit by digit, cheaply, however long.
MAX_WORD_CHARS = 1000


def too_long(text: str) -> bool:
    """Whether a token is too long to be a word (see MAX_WORD_CHARS)."""
    return len(text) > MAX_WORD_CHARS and not is_number(text, True)

# misaki's sub-token pattern, alternatives in order: leading apostrophes; a capital that starts
# a capitalised word inside caps ("XMLHttp" -> "XML" "Http"); numbers with separators; runs of
# hyphens/underscores; double apostrophes; a lower-case run before a capital ("camelCase");
# letter runs with inner apostrophes; any other single character; trailing apostrophes.
_SUBTOKEN = regex.compile(
    r"^['‘’]+|\p{Lu}(?=\p{Lu}\p{Ll})|(?:^-)?(?:\d?[,.]?\d)+|[-_]+|['‘’]{2,}"
    r"|\p{L}*?(?:['‘’]\p{L})*?\p{Ll}(?=\p{Lu})|\p{L}+(?:['‘’]\p{L})*|[^-_\p{L}'‘’\d]|['‘’]+$"
)


def subtokenize(word: str) -> tuple[str, ...]:
    """The pieces misaki's subtokenizer cuts a word into. Letters with no capital after the
    first (most words) are one piece, with no need of the pattern or the cache."""
    if word.isalpha() and (len(word) == 1 or word[1:].islower()):
        return (word,)
    return _subtokenize(word)


@lru_cache(maxsize=2048)        # the other words of a text come again too
def _subtokenize(word: str) -> tuple[str, ...]:
    return tuple(_SUBTOKEN.findall(word))


def _tag_weight(text: str) -> int:
    if text == text.lower():        # no capitals (digits, most words): one a character
        return len(text)
    return sum(1 if c == c.lower() else 2 for c in text)


def merge_tokens(tokens: list[MToken], unk: Optional[str] = None) -> MToken:
    """One token for a group: joined text, the tag of its 'heaviest' piece, joined phonemes."""
    stress = {tk._.stress for tk in tokens if tk._.stress is not None}
    currency = {tk._.currency for tk in tokens if tk._.currency is not None}
    rating = {tk._.rating for tk in tokens}
    phonemes = None
    if unk is not None:
        phonemes = ""
        for tk in tokens:
            if tk._.prespace and phonemes and not phonemes[-1].isspace() and tk.phonemes:
                phonemes += " "
            phonemes += unk if tk.phonemes is None else tk.phonemes
    return MToken(
        text="".join(tk.text + tk.whitespace for tk in tokens[:-1]) + tokens[-1].text,
        tag=max(tokens, key=lambda tk: _tag_weight(tk.text)).tag,
        whitespace=tokens[-1].whitespace,
        phonemes=phonemes,
        start_ts=tokens[0].start_ts,
        end_ts=tokens[-1].end_ts,
        _=MToken.Underscore(
            is_head=tokens[0]._.is_head,
            alias=None,
            stress=next(iter(stress)) if len(stress) == 1 else None,
            currency=max(currency) if currency else None,
            num_flags="".join(sorted(set("".join(tk._.num_flags or "" for tk in tokens)))),
            prespace=tokens[0]._.prespace,
            rating=None if None in rating else min(rating),
            source=_merged_source(tokens),
        ),
    )


def _merged_source(tokens: list[MToken]) -> Optional[str]:
    """The sources of the pieces that were read (or reported too long), joined with '+'
    when they differ."""
    sources = dict.fromkeys(tk._.source for tk in tokens
                            if tk._.source and (tk.phonemes or tk._.source == Source.TOO_LONG))
    return "+".join(sources) or None


def fold_left(tokens: list[MToken], unk: str) -> list[MToken]:
    result: list[MToken] = []
    for tk in tokens:
        if result and not tk._.is_head:
            tk = merge_tokens([result.pop(), tk], unk=unk)
        result.append(tk)
    return result


def _split(token: MToken, exact: bool) -> list[MToken]:
    if token._.alias is not None or token.phonemes is not None:
        return [token]
    # a long punctuation run is one token (tokenize.PUNCTUATION_RUN), not one piece a character,
    # and a token too long to be a word is not cut either; exact mode cuts both as misaki does
    # (a 1,024-digit hex key is read piece by piece; a piece too long is still not read)
    long = not exact and (too_long(token.text) or is_punctuation_run(token.text))
    texts = (token.text,) if long else subtokenize(token.text)
    if texts == (token.text,):          # one piece (most words): the token itself, reset
        token._ = MToken.Underscore(is_head=True, num_flags=token._.num_flags, stress=token._.stress,
                                    prespace=False)
        return [token]
    pieces = [MToken(text=t, tag=token.tag, whitespace="", start_ts=token.start_ts,
                     end_ts=token.end_ts, _=MToken.Underscore(
                         is_head=True, num_flags=token._.num_flags, stress=token._.stress, prespace=False))
              for t in texts]
    return pieces or [token]


def _not_az(text: str) -> bool:
    """misaki's test for a punctuation-tagged token that it reads as punctuation: not every
    character lowercases to one of a-z."""
    return not all(len(c.lower()) == 1 and "a" <= c.lower() <= "z" for c in text)


# the most pieces a user's word is looked for in (see _user_word_pieces)
_USER_WORD_PIECES = 12


def _user_word_pieces(pieces: list[MToken], user_word: Callable[[str], bool]) -> tuple[set[int], set[int]]:
    """The ids of the pieces that, with the pieces they touch, spell a word the user put in
    the lexicon ("AT&T" of "AT&T.", "C#" of "C#."): extended mode reads them as that word,
    where their tags would have read "&" as punctuation or "#" as a currency sign. The
    longest run from each piece, at most _USER_WORD_PIECES pieces (linear in the text).
    Also the ids of the stops glued after such a word ("." of "R&D." when the tagger kept it
    in the token), which are then the sentence's punctuation, not a silent piece of the word."""
    held: set[int] = set()
    stops: set[int] = set()
    non_quote = classes().non_quote
    for k in range(len(pieces)):
        text, end = "", k
        for m in range(k, min(len(pieces), k + _USER_WORD_PIECES)):
            text += pieces[m].text
            if len(text) > 1 and user_word(text):
                end = m + 1
            if pieces[m].whitespace:
                break
        held.update(id(p) for p in pieces[k:end])
        if k < end < len(pieces) and not pieces[end - 1].whitespace and pieces[end].text in non_quote \
                and (pieces[end].whitespace or end + 1 == len(pieces)
                     or not pieces[end + 1].text[:1].isalnum()):    # not the dot of "AT&T.com"
            stops.add(id(pieces[end]))
    return held, stops


def retokenize(tokens: list[MToken], exact: bool = False,
               user_word: Optional[Callable[[str], bool]] = None) -> list[Word]:
    """Split into sub-tokens, read punctuation and currency, group touching pieces.
    ``user_word`` (extended mode, when the user added words): whether a text is one of them."""
    punct = classes()
    money = currencies()
    words: list[Union[MToken, list[MToken]]] = []
    currency = None
    split = []
    for token in tokens:
        split.append(_split(token, exact))
        split[-1][-1].whitespace = token.whitespace
    held, stops = (_user_word_pieces([p for tks in split for p in tks], user_word) if user_word
                   else (set(), set()))
    for i, tks in enumerate(split):
        for j, tk in enumerate(tks):
            if tk._.alias is not None or tk.phonemes is not None:
                pass
            elif id(tk) in held:
                currency = None     # the user's word: read by the lexicon, not by its tag
            elif id(tk) in stops:
                tk.phonemes, tk._.rating, tk._.source = tk.text, 4, Source.PUNCTUATION
            elif tk.tag == "$" and tk.text in money:
                currency = tk.text
                tk.phonemes, tk._.rating, tk._.source = "", 4, Source.CURRENCY
            elif tk.tag in punct.dash_tags and tk.text in punct.dash_chars:
                tk.phonemes, tk._.rating, tk._.source = punct.dash_reading, 3, Source.PUNCTUATION
            elif tk.tag in punct.tags and (_not_az(tk.text) if exact else not any(c.isalnum() for c in tk.text)):
                # a letter of any script is a word. (misaki tests instead that not every
                # character lowercases to a-z, with ord(c.lower()): 'İ' makes that raise;
                # so a number tagged as punctuation, "GMA900" cut as GMA and 900 tagged ",",
                # says nothing. exact mode does as misaki does, without the exception.)
                tk.phonemes = punct.tag_readings.get(tk.tag, "".join(c for c in tk.text if c in punct.kept))
                tk._.rating, tk._.source = 4, Source.PUNCTUATION
                if not tk.phonemes and has_content(tk.text):    # "→", a lone combining mark:
                    tk._.source = Source.DROPPED                # silent as in misaki, but reported
            elif currency is not None:
                if tk.tag != "CD":
                    currency = None
                elif j + 1 == len(tks) and (i + 1 == len(tokens) or tokens[i + 1].tag != "CD"):
                    tk._.currency = currency
            elif 0 < j < len(tks) - 1 and tk.text == "2" and (tks[j - 1].text[-1] + tks[j + 1].text[0]).isalpha():
                tk._.alias = "to"                       # "B2B", "peer2peer"
            if tk._.alias is not None or tk.phonemes is not None:
                words.append(tk)
            elif words and isinstance(words[-1], list) and not words[-1][-1].whitespace:
                tk._.is_head = False
                words[-1].append(tk)
            else:
                words.append(tk if tk.whitespace else [tk])
    return [w[0] if isinstance(w, list) and len(w) == 1 else w for w in words]
