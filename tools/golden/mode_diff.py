#!/usr/bin/env python3
"""Where extended mode differs from exact mode, and whether each difference has a cause.

    python -m tools.golden.mode_diff [--british] [--show N] FILE.jsonl [...]

Reads lines (``{"text": ...}`` records: the golden files, the corpora) and reads each in both
modes. The two token lists cover the same characters (orthography never changes the text's
length), so they are cut into the longest stretches that both start and end at a token
boundary; a stretch whose phonemes differ must overlap a *cause*, a change that only extended
mode makes (``causes``):

* a span a normalization class reads or drops (``normalize.find``), and a token read by one
  or dropped on purpose (``_.source`` ``normalize:*`` or ``dropped``; ``spacing.py`` may have
  moved a dropped token's whitespace into its text or glued it to the word before); for money, also the numbers after it up to the next word: misaki gives a
  currency sign's unit to the numbers after it (``$7.4bn, one insurance`` says "one dollars"),
  and when a money span has taken the sign, those numbers are plain numbers;
* a character that orthography rewrote before tagging (curly apostrophes, full-width forms),
  with the four tokens on each side: the tagger sees a token's neighbours up to four tokens
  away (``tagger.py``: four windowed layers of width 1), so their tags may change too;
* a token whose tag a bug fix changed (``normalize/fixes.py``), with its neighbours (an
  apostrophe tagged POS joins the word before it);
* a token tagged as punctuation that holds a letter or a digit and a character outside a-z:
  misaki says nothing for it (GMA900 cut as GMA and 900 tagged ",", HOWN'T tagged ".");
  extended mode reads it (``grouping.retokenize``);
* a markup feature that misaki's flattened alignment puts on another token than the one
  that holds its word (after a double space: ``markup.feature_positions``), both tokens; a
  phoneme override with a symbol outside Kokoro's set (a line break, ``ȀO``), which extended
  mode ignores (``pipeline.ignored_override``), the tokens it covers;
* a word eSpeak reads, where misaki keeps what extended mode drops: language flags such as
  "(hi)", symbols outside Kokoro's set, and eSpeak's silence (the unknown marker instead);
* a token of whitespace alone (a tab, a newline, a no-break space, a second space) that
  misaki glues to the next word and extended mode turns into a space (``spacing.fold_blanks``),
  with the tokens on each side; a token with a soft hyphen or decomposed accents, which
  extended mode reads by its plain form (``orthography.plain_aliases``);
* a token the two lexicons read differently (``Lookup(exact=False)``: inflected gold forms,
  the last-resort stems), and a word stretched for effect ("Sooo"), which extended mode reads
  by a shorter form (``reading/elongated.py``);
* a token that extended mode keeps whole and does not cut (issue 7): one too long to be a
  word (``grouping.too_long``) or a long punctuation run (``tokenize.PUNCTUATION_RUN``), which
  exact mode cuts as spaCy and misaki do, with the four tokens on each side (their tags).

Every cause also covers the token on its left, and a differing stretch that has a cause
explains the differing stretch on its left, across stretches of punctuation alone: a word's
reading depends on the next word (``the`` before a vowel, ``to``). A differing stretch without a cause is printed; the exit
status is 1 when there is one. ``tests/test_exact_mode.py`` runs this on every golden line.
"""
from __future__ import annotations

import argparse
import json
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

from misaki_lite.inventory import Dialect
from misaki_lite import en, espeak, normalize
from misaki_lite.pipeline import ignored_override
from misaki_lite.text import markup
from misaki_lite.text import orthography  # noqa: E402
from misaki_lite.reading.grouping import classes, too_long  # noqa: E402
from misaki_lite.text.tokenize import is_punctuation_run  # noqa: E402
from misaki_lite.reading.lookup import Lookup  # noqa: E402
from misaki_lite.tagger import fixes  # noqa: E402
from misaki_lite.reading.elongated import shorter_forms  # noqa: E402
from misaki_lite.token import Source  # noqa: E402

TAGGER_REACH = 4        # tokens on each side that a change of characters may retag


def _spans(tokens, text: str) -> list[tuple[int, int]]:
    """Each token's (start, end) in ``text``, up to the next token's start. A token's text is
    not always a slice of the text: misaki drops an apostrophe or a quote inside a group
    ("1/3’9" reads as the token "1/39"), so each token starts where its first character is
    found, going on from the end of the one before."""
    starts, at = [], 0
    for tk in tokens:
        # whitespace is not matched: in extended mode a space may stand for a tab, a newline
        # or a no-break space (spacing.py), so only the other characters are looked for
        piece = "".join(c for c in tk.text if not c.isspace())
        start = text.find(piece[:1], at) if piece else -1
        start = at if start < 0 else start
        starts.append(start)
        for c in piece:                     # the characters of the token, in order
            found = text.find(c, at)
            if found >= 0:
                at = found + 1
    ends = starts[1:] + [len(text)]
    return [(s, max(s, e)) for s, e in zip(starts, ends)]


def _around(spans: list[tuple[int, int]], i: int, before: int, after: int) -> tuple[int, int]:
    return spans[max(0, i - before)][0], spans[min(len(spans) - 1, i + after)][1]


def causes(g2p: en.G2P, text: str, tokens) -> list[tuple[int, int]]:
    """Character ranges that extended mode changes on purpose (see the module's docstring);
    ``tokens`` are the tokens extended mode returned for ``text``."""
    plain, words, features = en.G2P.preprocess(text)
    cleaned = orthography.clean(plain)
    out = []
    spans = _spans(tokens, cleaned)
    punct_tags = classes().tags
    money_reach = punct_tags | {"CD"}      # what a currency sign's unit passes over
    for span in normalize.find(cleaned, g2p.lexicon.dialect):       # every normalized span, dropped or said
        out.append((span.start, span.end))
    for i, tk in enumerate(tokens):
        if tk.text != tk.text.strip():
            out.append(_around(spans, i, 1, 1))     # spacing.py moved a dropped token's whitespace
        if source_is_normalized(tk):
            after = 0
            if tk._.source == "normalize:money":
                while i + after + 1 < len(tokens) and tokens[i + after + 1].tag in money_reach:
                    after += 1
            out.append(_around(spans, i, 1, after))
    # what the tagger saw: the raw tokens of the cleaned text, before and after the fixes
    raw = en.G2P.tokenize(cleaned)
    raw_spans = _spans(raw, cleaned)
    if cleaned != plain:
        for i, (a, b) in enumerate(raw_spans):
            if cleaned[a:b] != plain[a:b]:
                out.append(_around(raw_spans, i, TAGGER_REACH + 1, TAGGER_REACH))
    plain_tokens = en.G2P.tokenize(plain)
    if features:
        theirs = markup.feature_positions(words, [tk.text for tk in plain_tokens], features, exact=True)
        ours = markup.feature_positions(words, [tk.text for tk in raw], features, exact=False)
        for k, f in features.items():
            if ignored_override(f, g2p.lexicon.dialect) or theirs.get(k) != ours.get(k):
                for _, j in theirs.get(k, []) + ours.get(k, []):
                    out.append(_around(raw_spans, min(j, len(raw_spans) - 1), 1, 1))
    for i, tk in enumerate(raw):
        if (tk.tag in punct_tags and any(c.isalnum() for c in tk.text)
                and not all("a" <= c.lower() <= "z" for c in tk.text)):
            out.append(_around(raw_spans, i, 1, 0))
    for i, tk in enumerate(raw):
        if tk.text.isspace():
            out.append(_around(raw_spans, i, 1, 1))
    for i, tk in enumerate(tokens):
        if orthography.plain_aliases([en.MToken(text=tk.text, tag=tk.tag, whitespace="",
                                                 _=en.MToken.Underscore())])[0]._.alias:
            out.append(_around(spans, i, 1, 0))
    before = [tk.tag for tk in raw]
    for i, tk in enumerate(fixes.apply(raw)):
        if tk.tag != before[i]:
            out.append(_around(raw_spans, i, 2, 1))
    fallback = g2p.fallback
    for i, tk in enumerate(tokens):
        if fallback is not None and tk._.source in (Source.ESPEAK, None, Source.UNKNOWN):
            if fallback.misaki(tk) != fallback(tk):
                out.append(_around(spans, i, 1, 0))
    for i, tk in enumerate(tokens):
        if too_long(tk.text) or is_punctuation_run(tk.text):
            out.append(_around(spans, i, TAGGER_REACH + 1, TAGGER_REACH))
    for i, tk in enumerate(tokens):
        if shorter_forms(tk.text):
            out.append(_around(spans, i, 1, 0))
    exact_lexicon, lexicon = _lexicons(g2p.british)
    for i, tk in enumerate(tokens):
        if tk._.source not in (None, Source.OVERRIDE) and not source_is_normalized(tk):
            probe = en.MToken(text=tk.text, tag=tk.tag, whitespace=tk.whitespace,
                              _=en.MToken.Underscore(is_head=True, num_flags="", prespace=False))
            if exact_lexicon(probe, None) != lexicon(probe, None) or tk._.source == Source.MORPHOLOGY:
                out.append(_around(spans, i, 1, 0))
    return out


def source_is_normalized(tk) -> bool:
    return (tk._.source or "").startswith("normalize:") or tk._.source == Source.DROPPED


@cache
def _lexicons(british: bool) -> tuple[Lookup, Lookup]:
    """The exact and the extended lexicon of a dialect, built once."""
    return Lookup(Dialect.of(british), exact=True), Lookup(Dialect.of(british))


def stretches(a, b, plain: str) -> list[tuple[int, int, str, str]]:
    """The longest stretches of ``plain`` where both token lists (exact's ``a``, extended's
    ``b``) start and end a token, with the phonemes (and whitespace) each mode writes there."""
    sa, sb = _spans(a, plain), _spans(b, orthography.clean(plain))
    cuts = sorted({s for s, _ in sa} & {s for s, _ in sb} | {len(plain)})
    out = []
    for start, end in zip(cuts, cuts[1:]):
        pa = "".join((tk.phonemes or "") + tk.whitespace for tk, (s, _) in zip(a, sa) if start <= s < end)
        pb = "".join((tk.phonemes or "") + tk.whitespace for tk, (s, _) in zip(b, sb) if start <= s < end)
        out.append((start, end, pa, pb))
    return out


def unexplained(exact: en.G2P, extended: en.G2P, text: str) -> list[tuple[str, str, str]]:
    """(text of the stretch, exact's phonemes, extended's) for each difference without a cause."""
    _, a = exact(text)
    _, b = extended(text)
    if not a or not b:
        return [] if not a and not b else [(text, str(a), str(b))]
    plain = en.G2P.preprocess(text)[0]
    found = None
    out = []
    carry = False   # the differing stretch on the right has a cause, with only punctuation between
    for start, end, pa, pb in reversed(stretches(a, b, plain)):
        if pa == pb:
            carry = carry and not any(c.isalpha() for c in pa)
            continue
        if found is None:
            found = causes(extended, text, b)
        carry = carry or any(s < end and start < e for s, e in found)
        if not carry:
            out.append((plain[start:end], pa, pb))
    return out[::-1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--british", action="store_true")
    ap.add_argument("--show", type=int, default=20)
    args = ap.parse_args()
    fb = espeak.EspeakFallback(british=args.british)
    exact = en.G2P(british=args.british, mode="exact", fallback=fb)
    extended = en.G2P(british=args.british, fallback=fb)
    lines = bad = 0
    for path in args.files:
        for number, line in enumerate(open(path, encoding="utf-8"), 1):
            try:
                text = json.loads(line)["text"]
            except (ValueError, TypeError, KeyError):
                sys.exit(f"{path}:{number}: not a JSON record with a \"text\" field (the "
                         "golden files' and corpora's format: one {\"text\": ...} a line)")
            lines += 1
            found = unexplained(exact, extended, text)
            if found:
                bad += 1
                if bad <= args.show:
                    print(f"{text}\n" + "".join(f"  [{s}] exact {pa!r} extended {pb!r}\n"
                                                 for s, pa, pb in found))
    print(f"{lines:,} lines; {bad:,} with a difference that has no cause")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
