"""num2words is called only from misaki_lite.reading.numbers: its wording is pinned here (checked by
hand), so an upgrade that changes it fails in this one place."""
import pytest

from misaki_lite.reading import numbers


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


def _digit_strings(rnd, count, lo, hi, zeros):
    for _ in range(count):
        digits = [rnd.choice("0123456789") for _ in range(rnd.randint(lo, hi))]
        digits = [("0" if rnd.random() < zeros else d) for d in digits]
        digits[0] = digits[0] if digits[0] != "0" else "7"
        yield "".join(digits)


def test_composed_cardinals_equal_num2words():
    """From a hundred up, cardinal() composes the words itself (speed, issue 7): it must say
    exactly what num2words says, zeros and "and" included, up to num2words' largest scale."""
    import random

    from num2words import num2words

    rnd = random.Random(11)
    values = [1000, 1001, 1100, 1999, 10**6, 10**6 + 5, 10**9 + 105, 10**12 + 10**6, 21 * 10**36, 10**303 + 99, 10**305]
    values += [int(s) for zeros in (0.0, 0.7) for s in _digit_strings(rnd, 1500, 4, 120, zeros)]
    values += list(range(0, 1000)) + list(range(1000, 1000000, 997))
    for v in values + [-1, -524, -10**7]:
        assert numbers.cardinal(v) == num2words(v, to="cardinal"), v


def test_decimals_equal_num2words():
    import random

    from num2words import num2words

    rnd = random.Random(12)
    values = [0.0, 0.5, 5.0, 1.239999999, 74.6, 0.1 + 0.2, 9.999999999, 1e-7, 1e16, 1.5e300]
    for whole, part in zip(_digit_strings(rnd, 3000, 1, 25, 0.2), _digit_strings(rnd, 3000, 1, 22, 0.3)):
        values.append(float(f"{whole[:rnd.randint(0, len(whole))] or '0'}.{part[::-1]}"))
    for x in values:
        assert numbers.decimal(x) == num2words(x), x


def test_ordinals_and_years_equal_num2words():
    import random

    from num2words import num2words

    rnd = random.Random(13)
    values = list(range(0, 1200)) + [rnd.randint(0, 10**rnd.randint(4, 30)) for _ in range(3000)]
    for v in values:
        assert numbers.ordinal(v) == num2words(v, to="ordinal"), v
    for v in list(range(0, 10000)) + [-1, -44, -1999, 10**5, 123456]:
        assert numbers.year(v) == num2words(v, to="year"), v


def test_reading_numbers_loads_only_the_english_converter():
    """``import num2words`` builds the words of all its languages (25 ms, 3.7 MB): reading
    numbers must not do it."""
    import subprocess
    import sys

    code = ("import sys, misaki_lite; p = misaki_lite.phonemize('It cost $1,234.50 on May 3rd, 1999.');"
            "print(p); print(sorted(m for m in sys.modules if 'num2words' in m))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    phonemes, modules = out.splitlines()
    assert "wˈʌn θˈWz" in phonemes and "nˈIndi nˈIn" in phonemes   # 1,234 and 1999 were read
    assert not any(m == "num2words" or m.startswith("num2words.") for m in eval(modules)), modules
