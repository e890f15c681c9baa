"""The readings of the class golden files are what extended mode says, in phonemes.

``tests/test_normalize.py`` checks a golden line's words (``normalize.to_words``); this checks the
sound: the phonemes extended mode gives for the input must equal the phonemes exact mode (misaki
0.9.4's reading) gives for the reading written out as plain words. The expected output of a
golden line thus never comes from misaki's reading of the input (which is what the classes
fix), but is checked against misaki's reading of the words we mean.

Two conventions make the words form comparable: spelled letters are written in capitals and
space separated ("P M"), and said as misaki says the acronym ("PM"); and misaki says "point"
unstressed inside a number (pYnt), where the word alone is stressed (pˈYnt).
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from misaki_lite.config import G2PConfig
from misaki_lite import en

from golden_tsv import golden_lines

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden" / "normalize"
DIALECTS = {"us": False, "gb": True}

# Classes whose readings are not words: symbol readings drop or keep punctuation marks.
SKIPPED_FILES = {"symbol"}
# Lines whose words form cannot say what the phonemes say, each with why.
NOT_COMPARABLE = {
    ("date", "at 2024-01-15T10:05Z"): "the time zone is three words 'U T C', not the acronym",
    ("email", "The email is a@b.com today."): "the spelled letter 'a' reads as the article in words",
    ("abbreviation", "Take I-95 S to exit 12."): "the spelled letter 'I' reads as the pronoun in words",
    ("abbreviation", "Head north on Hwy 101 and I-405."):
        "the spelled letter 'I' reads as the pronoun in words",
    ("abbreviation", "apples, pears, etc. The end."):
        "written as words it is 'etc.' again, whose full stop misaki never reads (the rule's fix)",
    ("abbreviation", "to pull CO2 from the atmosphere"):
        "the spelled letters C O run together are the word 'co' to misaki, the case the rule fixes",
    ("money", "It costs £99 (149 euros) today."):
        "misaki carries the pound sign over to the next number even when it is written out",
    ("money", "took its $5.8 billion (3.1 billion) cash bid"):
        "misaki carries the dollar sign over to the written-out words too, the bug the rule fixes",
    ("money", "a $290 million, 10-year outsourcing contract"):
        "misaki carries the dollar sign over to the written-out words too, the bug the rule fixes",
    ("money", "a bill of $17 billion (R104 billion)."):
        "misaki carries the dollar sign over to the written-out words too, the bug the rule fixes",
    ("money", "Now $89.99 (31% off)."):
        "misaki carries the dollar sign over to the written-out words too, the bug the rule fixes",
    ("money", "Revenue was $4.2 billion, 12% more."):
        "misaki carries the dollar sign over to the written-out words too, the bug the rule fixes",
}


@cache
def _g2p(british: bool, mode: str) -> en.G2P:
    return G2PConfig(british=british, mode=mode).build()


def spoken(reading: str) -> str:
    """The words form as plain text: spelled capitals run together into the acronym."""
    return re.sub(r"\b[A-Z](?: [A-Z]\b)+", lambda m: m.group(0).replace(" ", ""), reading)


def _same(a: str, b: str) -> bool:
    return a.replace("pˈYnt", "pYnt") == b.replace("pˈYnt", "pYnt")


def _lines():
    for stem, n, text, readings, british, d in golden_lines():
        if stem not in SKIPPED_FILES and (stem, text) not in NOT_COMPARABLE:
            yield pytest.param(text, readings, british, id=f"{stem}:{n}/{d}")


@pytest.mark.parametrize("text, readings, british", list(_lines()))
def test_golden_reading_sounds_as_its_words(text, readings, british):
    said = _g2p(british, "extended")(text)[0]
    heard = [_g2p(british, "exact")(spoken(r))[0] for r in readings]
    assert any(_same(said, h) for h in heard), f"{said!r} is none of {heard!r}"


def test_the_check_fails_on_a_wrong_reading():
    said = _g2p(False, "extended")("It cost $7.5 today.")[0]
    assert not _same(said, _g2p(False, "exact")("It cost seven dollars and five cents today.")[0])
    assert spoken("at nine A M") == "at nine AM"
