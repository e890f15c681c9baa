"""Every unit and currency the rules know reads in the common ways it is written: a table entry
added to a rule is held to the same forms as the others.

The readings of single examples are checked by hand in the rules' examples and golden files;
these tests check a property over the tables: nothing of the measure is left unread (no digit,
no unit abbreviation in ``to_words``), and no amount loses its currency (misaki said nothing
for "$" in "$5-10", so the words had no "dollars" at all).
"""
from __future__ import annotations

import pytest
import regex

from misaki_lite import normalize
from misaki_lite.normalize import classes

UNIT_FORMS = ["5{u}", "5 {u}", "1.5{u}", "5-10{u}", "5-10 {u}", "5–10 {u}", "~5{u}", "(5{u})",
              "5{u},", "10{u}.", "a 5{u} bag", "2,000{u}", "5{u}-10{u}", "5x5{u}"]


def _units() -> dict[str, str]:
    rule = next(r for r in classes.all_rules() if r.id == "spaced-or-glued")
    return rule.tables["units"]


def _unread(words: str, unit: str) -> bool:
    """Whether ``to_words`` left a digit or the unit's abbreviation in the reading."""
    rest = regex.sub(r"\b(It|is|here|a|bag)\b", "", words)
    return bool(regex.search(r"\d", rest)
                or regex.search(r"(?<![\p{L}])" + regex.escape(unit) + r"(?![\p{L}])", rest))


@pytest.mark.parametrize("form", UNIT_FORMS)
def test_every_unit_reads_in_every_common_form(form):
    units = _units()
    assert len(units) > 100
    unread = []
    for unit in units:
        text = f"It is {form.format(u=unit)} here."
        words = normalize.to_words(text)
        if _unread(words, unit):
            unread.append((text, words))
    assert not unread


MONEY_FORMS = ["{s}5", "{s}5-10", "{s}5–{s}10", "{s}5k-10k", "{s}5/month", "{s}2/lb", "~{s}5",
               "≈{s}5", "{s}7ish", "{s}3.5 million/yr", "{s}5bn", "{s}1.50", "{s}10/{s}20/{s}30",
               "{s}35+", "2/{s}5", "-{s}4.2m", "{s}5-{s}10", "{s}1,200-1,500/mo"]
CURRENCIES = {"$": "dollar", "£": "pound", "€": "euro", "¥": "yen", "₹": "rupee"}


@pytest.mark.parametrize("form", MONEY_FORMS)
def test_an_amount_never_loses_its_currency(g2p_us_plain, form):
    lost = []
    for sign, name in CURRENCIES.items():
        if sign not in "$£€" and ("/" in form or "ish" in form or "+" in form):
            continue        # rates, "ish" and "or more" are rules of $ £ € only
        text = f"It costs {form.format(s=sign)} today."
        stem = g2p_us_plain(name)[0]
        if stem not in g2p_us_plain(text)[0]:
            lost.append(text)
    assert not lost
