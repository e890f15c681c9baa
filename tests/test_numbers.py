"""num2words is called only from misaki_lite.numbers: its wording is pinned here (checked by
hand), so an upgrade that changes it fails in this one place."""
import pytest

from misaki_lite import numbers


@pytest.mark.parametrize("fn, value, words", [
    (numbers.cardinal, 0, "zero"),
    (numbers.cardinal, 101, "one hundred and one"),
    (numbers.cardinal, 1000000, "one million"),
    (numbers.ordinal, 22, "twenty-second"),
    (numbers.ordinal, 103, "one hundred and third"),
    (numbers.year, 1984, "nineteen eighty-four"),
    (numbers.year, 2001, "two thousand and one"),
    (numbers.year, 1900, "nineteen hundred"),
    (numbers.decimal, 5.5, "five point five"),
    (numbers.decimal, 0.25, "zero point two five"),
])
def test_num2words_wording_is_pinned(fn, value, words):
    assert fn(value) == words


@pytest.mark.parametrize("word, is_head, expected", [
    ("1990s", True, True), ("5's", True, True), ("2nd", True, True), ("-1", True, True),
    ("-1", False, False), ("1,000.50", True, True), ("abc", True, False), ("1a", True, False),
])
def test_is_number(word, is_head, expected):
    assert numbers.is_number(word, is_head) is expected


def test_currencies_come_from_the_rules():
    assert set(numbers.currencies()) == {"$", "£", "€"}
    assert numbers.currencies()["£"].invariable_plural
