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


def _number_forms(seed: int, count: int) -> list[str]:
    """Numbers in the forms text writes them (times, dates, ranges, ratios, scores, phone
    numbers, versions, fractions, percentages, degrees, feet and inches), in a few frames."""
    import random

    rng = random.Random(seed)

    def n(a: int, b: int) -> str:
        return str(rng.randint(a, b))

    def z(a: int, b: int) -> str:
        return f"{rng.randint(a, b):02d}"

    forms = [
        lambda: f"{n(0, 23)}:{z(0, 59)}", lambda: f"{z(0, 23)}:{z(0, 59)}:{z(0, 59)}",
        lambda: f"{n(1, 12)}:{z(0, 59)}{rng.choice(['am', 'pm', ' AM', ' p.m.'])}",
        lambda: f"{n(1, 12)}/{n(1, 28)}/{n(1990, 2030)}", lambda: f"{n(1, 28)}.{n(1, 12)}.{n(1990, 2030)}",
        lambda: f"{n(1990, 2030)}-{z(1, 12)}-{z(1, 28)}", lambda: f"{n(1, 9)}/{n(2, 16)}",
        lambda: f"{n(1, 99)}-{n(1, 99)}", lambda: f"{n(1, 9)}:{n(1, 9)}", lambda: f"{n(1, 200)}:{n(1, 200)}",
        lambda: f"{n(1, 9)}.{n(0, 20)}.{n(0, 20)}", lambda: f"{n(100, 999)}-{n(100, 999)}-{n(1000, 9999)}",
        lambda: f"{n(1, 99)}-{n(1, 99)}%", lambda: f"{n(1, 99)}.{n(0, 9)}%", lambda: f"#{n(1, 999)}",
        lambda: f"{n(1, 9)}x{n(1, 9)}", lambda: f"{n(1, 999)}/{n(1, 999)}", lambda: f"{n(1900, 2030)}–{n(1900, 2030)}",
        lambda: f"{n(1, 9)}'{n(1, 11)}\"", lambda: f"{n(1, 999)}°", lambda: f"{n(1, 9)}^{n(1, 9)}",
        lambda: f"{n(1, 99)} + {n(1, 99)} = {n(1, 199)}", lambda: f"{n(1, 9)}:{z(0, 59)}.{n(0, 99)}",
    ]
    frames = ["It was {} then.", "See {}.", "At {} we met.", "The score was {}.", "({})"]
    return [rng.choice(frames).format(rng.choice(forms)()) for _ in range(count)]


def test_no_number_form_leaves_a_digit_or_a_glued_symbol(g2p_us):
    """Extended mode says every number it meets in these forms: no digit and no colon, slash
    or other symbol glued between words reaches the phonemes (misaki: "eighty four:ninety
    three" for a score, the colon passed to eSpeak)."""
    leaks = [(text, ps) for text in _number_forms(7, 400)
             if regex.search(r"\d|[/^*#=+%°'\"]|\S:\S", ps := g2p_us(text)[0])]
    assert not leaks
