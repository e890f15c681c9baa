"""Finding normalized spans in a text and laying them onto tokens.

``find(text, dialect)`` runs every rule's pattern over the text and keeps the winners: matches
are taken by priority (highest first), then leftmost, then longest, and a match that overlaps
one already taken is dropped. Each winner is a ``Span`` with the pieces it says.

``merge(tokens, spans)`` makes each span one token. Spans follow characters, tokens follow the
tokenizer; where a span starts or ends inside a token, that token is split there first (the
piece outside the span keeps the token's tag, or gets the punctuation tag of its character:
"$3M." -> "$3M" + "."). The tokens a span covers then merge into one token whose text is the
covered text and whose whitespace is the last token's.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import regex

from ..reading.grouping import MAX_WORD_CHARS
from ..inventory import Dialect
from ..token import MToken, Source
from .classes import Rule, all_rules, needs_regex
from .say import Call, Piece, render

__all__ = ["Span", "find", "merge", "PUNCT_TAGS"]

# Penn tags of a punctuation remainder split off a token.
PUNCT_TAGS = {".": ".", "?": ".", "!": ".", ",": ",", ":": ":", ";": ":", "(": "-LRB-",
              ")": "-RRB-", '"': "''", "'": "''"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    rule: Rule
    pieces: tuple[Piece, ...]

    @property
    def cls(self) -> str:
        return self.rule.cls


# A run of more than this many digits, commas and periods is no time, date, amount, phone
# number or version (the longest reading rule takes about 20): no rule looks inside it, and the
# lexicon reads it digit by digit; every pattern scanning a megabyte of digit soup would cost
# time for nothing (issue 7). Nor does any rule look inside a whitespace-free blob too long
# to be a word (the pipeline reads it as one token, too long: "1+1+1+…").
LONG_NUMBER_RUN = 64
_LONG_RUN = regex.compile(r"[\d,.]{%d,}|\S{%d,}" % (LONG_NUMBER_RUN + 1, MAX_WORD_CHARS + 1))


def _segments(text: str) -> list[tuple[int, int]]:
    """The (start, end) stretches of ``text`` outside long number runs and blobs (usually
    all of it)."""
    out, pos = [], 0
    for m in _LONG_RUN.finditer(text) if len(text) > LONG_NUMBER_RUN else ():
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


# Per dialect: the rules of all_rules() that apply to it, each with the needs: patterns to
# search before it runs: none, its own, or "\d" and then its own when every match of its
# own starts with a digit (most of them: a text without digits then skips them all on one
# search, and their patterns are not even compiled). Checked against all_rules() on every
# use, which tests reload.
_PLANS: dict[Dialect, tuple[tuple[Rule, ...], list[tuple[Rule, tuple[str, ...]]]]] = {}


def _plan(dialect: Dialect) -> list[tuple[Rule, tuple[str, ...]]]:
    rules = all_rules()
    got = _PLANS.get(dialect)
    if got is None or got[0] is not rules:
        got = _PLANS[dialect] = (rules, [(r, _gates(r.needs)) for r in rules if r.applies(dialect)])
    return got[1]


def _gates(needs: Optional[str]) -> tuple[str, ...]:
    if needs is None:
        return ()
    if needs == r"\d" or not _digit_first(needs):
        return (needs,)
    return (r"\d", needs)


def _digit_first(pattern: str) -> bool:
    r"""Whether every match of ``pattern`` starts with a digit: it starts with ``\d`` or an
    ASCII digit, not made optional, and has no ``|`` outside brackets and groups."""
    first = 2 if pattern.startswith(r"\d") else 1 if pattern[:1] in tuple("0123456789") else 0
    after = pattern[first:first + 2]
    if not first or after[:1] in ("?", "*") or after in ("{0", "{,"):
        return False
    depth, in_set, i = 0, False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1                      # the escaped character is not syntax
        elif in_set:
            in_set = c != "]"
        elif c == "[":
            in_set = True
            if pattern[i + 1:i + 2] == "]":
                i += 1                  # "[]...]": a leading ] is a member
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == "|" and depth == 0:
            return False
        i += 1
    return True


def find(text: str, dialect: Dialect) -> list[Span]:
    """The normalized spans of ``text``, left to right, never overlapping."""
    taken = bytearray(len(text))
    spans: list[Span] = []
    found: dict[str, bool] = {}                   # each needs: pattern, searched once
    segments = _segments(text)
    if not segments:                              # nothing but long number runs and blobs
        return spans
    for rule, gates in _plan(dialect):            # highest priority first
        if gates and _lacks(text, gates, found):
            continue
        for m in (m for a, b in segments for m in rule.regex.finditer(text, a, b)):
            s, e = m.span()
            if s == e or taken.find(1, s, e) != -1:
                continue
            groups = {"0": m.group(0), **m.groupdict()}
            try:
                pieces = render(rule.say, Call(groups, rule.tables, dialect))
            except (ValueError, KeyError, IndexError, StopIteration, OverflowError):
                continue                          # e.g. month 13: not this rule's match
            taken[s:e] = b"\x01" * (e - s)
            spans.append(Span(s, e, rule, tuple(pieces)))
    return sorted(spans, key=lambda sp: sp.start)


def _lacks(text: str, gates: tuple[str, ...], found: dict[str, bool]) -> bool:
    """Whether ``text`` lacks a match of one of the needs: patterns ``gates``; ``found``
    remembers each answer for this text, as many rules share a pattern."""
    for needs in gates:
        ok = found.get(needs)
        if ok is None:
            ok = found[needs] = needs_regex(needs).search(text) is not None
        if not ok:
            return True
    return False


def _cut(tk: MToken, cuts: list[int]) -> list[MToken]:
    """Split a token at the character offsets ``cuts`` (sorted, strictly inside it), all at
    once: a megabyte-long run of punctuation can hold a hundred thousand span boundaries."""
    def piece(text: str, ws: str) -> MToken:
        tag = PUNCT_TAGS.get(text, tk.tag) if len(set(text)) == 1 else tk.tag
        return MToken(text=text, tag=tag, whitespace=ws,
                      _=MToken.Underscore(is_head=True, num_flags=tk._.num_flags or "", prespace=False))
    bounds = [0, *cuts, len(tk.text)]
    return [piece(tk.text[a:b], tk.whitespace if b == len(tk.text) else "")
            for a, b in zip(bounds, bounds[1:])]


def merge(tokens: list[MToken], spans: list[Span], phonemes: Callable[[Span], str]) -> list[MToken]:
    """One token per span; one pass over the tokens (spans sorted, not overlapping)."""
    out: list[MToken] = []
    covered: list[MToken] = []
    todo = list(reversed(tokens))                 # a stack: split pieces go back on top
    pos, k = 0, 0
    while todo:
        tk = todo.pop()
        start, end = pos, pos + len(tk.text)
        while k < len(spans) and spans[k].end <= start:   # spans that end before this token
            if covered:
                out.append(_token(covered, spans[k], phonemes(spans[k])))
                covered = []
            k += 1
        sp = spans[k] if k < len(spans) else None
        cuts = []                                 # span boundaries inside this token
        j = k
        while j < len(spans) and spans[j].start < end:
            cuts += [c - start for c in (spans[j].start, spans[j].end) if start < c < end]
            j += 1
        if cuts:
            todo.extend(reversed(_cut(tk, sorted(set(cuts)))))
            continue
        pos = end + len(tk.whitespace)
        if sp is not None and sp.start <= start and end <= sp.end:
            covered.append(tk)
        else:
            out.append(tk)
    if covered:
        out.append(_token(covered, spans[k], phonemes(spans[k])))
    return out


def _token(covered: list[MToken], sp: Span, ps: str) -> MToken:
    text = "".join(tk.text + tk.whitespace for tk in covered[:-1]) + covered[-1].text
    tag = sp.rule.tag or ("CD" if any(c.isdigit() for c in text) else "NNP")
    return MToken(text=text, tag=tag, whitespace=covered[-1].whitespace, phonemes=ps,
                  _=MToken.Underscore(is_head=True, num_flags="", prespace=False, rating=4,
                                      source=Source.DROPPED if ps == "" else f"normalize:{sp.cls}",
                                      rule=f"{sp.cls}/{sp.rule.id}"))
