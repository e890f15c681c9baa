"""Verbalizers: the functions a rule's ``say:`` template calls.

A template is words with fields in braces: ``"{h:cardinal} {m:minutes:oclock} {ap:ampm}"``. A
field is ``{group:function:arg:...}``: ``group`` names a group of the rule's pattern (``0`` is the
whole match), ``function`` one of ``FUNCTIONS`` below (``text`` when left out), and the args
are strings the function reads (a table name, another group's name...). A field whose group did
not take part in the match says nothing.

A function returns words (``str``, said by the lexicon) or ``Spell`` (letters, spelled the way
misaki spells acronyms); ``render`` turns a whole template into a list of such pieces. Every
number goes through ``misaki_lite.reading.numbers`` (the only num2words caller).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Callable, Mapping, Optional, Union

import regex

from ..errors import RuleFileError
from ..inventory import Dialect
from ..reading import numbers

__all__ = ["Spell", "Piece", "Field", "parse_template", "render", "FUNCTIONS", "number_words"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
SYMBOL_WORDS = {".": "dot", "/": "slash", ":": "colon", "@": "at", "-": "dash", "_": "underscore",
                "~": "tilde", "?": "question mark", "=": "equals", "&": "and", "#": "hash",
                "%": "percent", "+": "plus"}
SPELLED_RUNS = frozenset(["http", "https", "www", "ftp", "ftps", "ssh", "io", "uk", "us", "tv"])
_FIELD = regex.compile(r"\{([^{}:]+)(?::([^{}:]+))?(:[^{}]*)?\}")     # {group:function:args}
_RUN = regex.compile(r"[^\W\d_]+|\d+|.", regex.DOTALL)                   # letters | digits | one char


@dataclass(frozen=True)
class Spell:
    """Letters to spell one by one ("pm" -> ˌpiˈɛm)."""

    letters: str


Piece = Union[str, Spell]


@dataclass(frozen=True)
class Field:
    group: str
    function: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class Call:
    """What a function sees: the match's groups, the rule's tables, the dialect."""

    groups: Mapping[str, Optional[str]]
    tables: Mapping[str, Mapping[str, str]]
    dialect: Dialect


# -- numbers as words ------------------------------------------------------------------------

def _plain(words: str) -> str:
    """num2words output as plain words: no hyphens or commas, no 'and' (misaki drops it)."""
    words = regex.sub(r"[-,]", " ", words.lower())
    return " ".join(w for w in words.split() if w != "and")


def number_words(value: str) -> str:
    """'1,234' or '1 234' -> 'one thousand two hundred thirty four'; '2.50' -> 'two point five zero';
    '-3' -> 'minus three'; '.5' -> 'point five'."""
    value = regex.sub(r"[,\s]", "", value)       # "1,234", and "261 000" (spaced thousands)
    sign = ""
    if value[:1] in "-−":
        sign, value = "minus ", value[1:]
    whole, _, frac = value.partition(".")
    words = _plain(numbers.cardinal(int(whole))) if whole else ""
    if frac:
        words = (words + " point " + " ".join(DIGIT_WORDS[int(d)] for d in frac)).strip()
    return sign + words


def _count_is_one(value: Optional[str]) -> bool:
    return value is not None and value.replace(",", "") in ("1", "1.0", "01", "-1")


# -- the functions -------------------------------------------------------------------------

def _text(v: str, c: Call, *args: str) -> str:
    return v


def _cardinal(v: str, c: Call, *args: str) -> str:
    return number_words(v)


def _ordinal(v: str, c: Call, *args: str) -> str:
    return _plain(numbers.ordinal(int(v.replace(",", ""))))


def _year(v: str, c: Call, *args: str) -> str:
    n = int(v)
    if 2000 <= n <= 2009 and c.dialect is not Dialect.GB:
        return _plain(numbers.cardinal(n))            # "two thousand five"
    if 2000 <= n <= 2009:
        return numbers.cardinal(n).replace("-", " ").replace(",", "")   # "two thousand and five"
    return _plain(numbers.year(n))


def _digits(v: str, c: Call, *args: str) -> str:
    zero = args[0] if args and args[0] else "zero"
    return " ".join(zero if d == "0" else DIGIT_WORDS[int(d)] for d in v if d.isdigit())


def _hour(v: str, c: Call, *args: str) -> str:
    """A 24-hour clock's hour: '00' (just after midnight) is 'twelve', as on a 12-hour clock."""
    return "twelve" if v == "00" else number_words(v)


def _minutes(v: str, c: Call, *args: str) -> str:
    """':05' -> 'oh five', ':30' -> 'thirty', ':00' -> "o'clock" (arg 'oclock') or nothing."""
    n = int(v)
    if n == 0:
        return "o'clock" if args and args[0] == "oclock" else ""
    return ("oh " if n < 10 else "") + _plain(numbers.cardinal(n))


def _duration(v: str, c: Call, *args: str) -> str:
    """``{0:duration}``: groups h, m, s (and f, the decimals of the seconds) as a length of time:
    "one hour five minutes and thirty seconds", "seven minutes and forty one point four two
    seconds". Zero parts are left out (all zero: "zero seconds")."""
    g = c.groups
    parts = []
    for key, one, many in (("h", "hour", "hours"), ("m", "minute", "minutes")):
        if g.get(key) and int(g[key]):
            parts.append(f"{number_words(str(int(g[key])))} {one if int(g[key]) == 1 else many}")
    sec = str(int(g.get("s") or 0)) + (f".{g['f']}" if g.get("f") else "")
    if float(sec) or not parts:
        parts.append(f"{number_words(sec)} {'second' if sec == '1' else 'seconds'}")
    return " ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def _ampm(v: str, c: Call, *args: str) -> Spell:
    return Spell(v.strip()[0].lower() + "m")


def _month(v: str, c: Call, *args: str) -> str:
    if v.isdigit():
        if not 1 <= int(v) <= 12:
            raise ValueError(f"no month {v}")
        return MONTHS[int(v) - 1]
    key = v.rstrip(".").lower()[:3]
    return next(m for m in MONTHS if m.lower().startswith(key))


def roman_value(v: str) -> int:
    total = 0
    for a, b in zip(v, v[1:] + " "):
        total += -ROMAN[a] if ROMAN.get(b, 0) > ROMAN[a] else ROMAN[a]
    return total


def _roman(v: str, c: Call, *args: str) -> str:
    return _plain(numbers.cardinal(roman_value(unicodedata.normalize("NFKC", v).upper())))


# a lower-case roman numeral (of a provision's subdivisions: "(iv)")
_ROMAN_LOWER = regex.compile(r"x{0,3}(?:ix|iv|v?i{0,3})")


def _subdivisions(v: str, c: Call, *args: str) -> list[Piece]:
    """A provision's subdivisions in brackets, "(1)(a)(ii)": one, A, two. A number is a
    number; a lower-case roman numeral is one when it has two letters or more, or follows a
    single letter ("(a)(i)"); other letters are spelled."""
    out: list[Piece] = []
    after_letter = False
    for item in regex.findall(r"\(([^()]*)\)", v):
        if item.isdigit():
            out.append(number_words(item))
        elif item.islower() and _ROMAN_LOWER.fullmatch(item) and (len(item) > 1 or after_letter):
            out.append(_roman(item, c))
        else:
            out.append(Spell(item))
        after_letter = isinstance(out[-1], Spell) and len(item) == 1
    return out


def _formula(v: str, c: Call, *args: str) -> list[Piece]:
    """A chemical formula, element by element: "C6H12O6" C six H twelve O six; letters
    between counts are spelled together ("CO2": CO two, as the lexicon spells "CO")."""
    out: list[Piece] = []
    letters = ""
    for element, count in regex.findall(r"([A-Z][a-z]?)(\d*)", v):
        letters += element
        if count:
            out += [Spell(letters), _digits(count, c) if count[0] == "0" else number_words(count)]
            letters = ""
    return out + [Spell(letters)] if letters else out


def _roman_ordinal(v: str, c: Call, *args: str) -> str:
    return _plain(numbers.ordinal(roman_value(unicodedata.normalize("NFKC", v).upper())))


def _table(v: str, c: Call, *args: str) -> str:
    """``{g:table:NAME[:COUNT[:SCALE...]]}``: the reading of ``v`` in table NAME. A reading
    'singular|plural' is singular when group COUNT holds exactly 1 and no SCALE group matched
    ("1 km" -> kilometer, "$1M" -> dollars), plural otherwise. An arg ``+GROUP`` makes it
    singular whenever GROUP matched: a measure used as an adjective ("a 3 lb bag": pound)."""
    table = c.tables[args[0]]
    reading = table.get(v, table.get(v.lower(), v))
    if "|" in reading:
        one, many = reading.split("|", 1)
        scales = [g for g in args[2:] if not g.startswith("+")]
        single = len(args) > 1 and _count_is_one(c.groups.get(args[1])) \
            and all(c.groups.get(g) is None for g in scales)
        attributive = any(c.groups.get(g[1:]) is not None for g in args[2:] if g.startswith("+"))
        reading = one if single or attributive else many
    return reading


def _money(v: str, c: Call, *args: str) -> str:
    """``{n:money:UNITS:SUBUNITS:SIGN[:SCALE...]}``: an amount and its currency, the unit read
    from table UNITS by the text of group SIGN ('singular|plural'). Exactly two decimals and no
    SCALE group matched: "seven dollars and fifty cents" (SUBUNITS gives the cents' name; ".00"
    says no cents); any other decimals are read digit by digit, trailing zeros kept: "$7.5" is
    "seven point five dollars", "€3.250" "three point two five zero euros". A SCALE group's
    text, or its reading in table ``scale``, comes between: "four point two million pounds"."""
    units, subunits, sign, scales = args[0], args[1], args[2], args[3:]
    key = c.groups[sign]
    unit = c.tables[units].get(key, key)
    one, _, many = unit.partition("|")
    scaled = any(c.groups.get(g) for g in scales)
    whole, _, frac = v.replace(",", "").partition(".")
    sub = c.tables[subunits].get(key, "") if subunits in c.tables else ""
    if len(frac) == 2 and not scaled and sub:
        sub_one, _, sub_many = sub.partition("|")
        said = f"{number_words(whole)} {one if whole == '1' else many or one}"
        cents = int(frac)
        if cents:
            said += f" and {number_words(str(cents))} {sub_one if cents == 1 else sub_many or sub_one}"
        return said
    scale = " ".join(c.tables.get("scale", {}).get(w, w) for g in scales if (w := c.groups.get(g)))
    single = not scaled and _count_is_one(v)
    return " ".join(p for p in (number_words(v), scale, one if single else many or one) if p)


def _plural(v: str, c: Call, *args: str) -> str:
    """``{n:plural:degree:degrees}``: the singular when ``v`` is 1."""
    return args[0] if _count_is_one(v) else args[1]


def _spell(v: str, c: Call, *args: str) -> Spell:
    return Spell("".join(ch for ch in v if ch.isalpha()))   # "B.C." -> BC


def _fraction(v: str, c: Call, *args: str) -> str:
    """``{0:fraction:NUM:DEN[:mixed]}``: '1/2' one half, '3/4' three quarters, '5/8' five
    eighths; with ``mixed`` a numerator of 1 reads "a" ("two and a half"). Only proper
    fractions, unless ``improper`` is given ("14/5" fourteen fifths): anything else raises
    ValueError, and the rule does not apply."""
    num, den = int(c.groups[args[0]]), int(c.groups[args[1]])
    if not 0 < num < den and not (0 < num and den > 1 and "improper" in args[2:]):
        raise ValueError(f"{num}/{den} is not a proper fraction")
    if den == 2:
        name = "half" if num == 1 else "halves"
    elif den == 4:
        name = "quarter" if num == 1 else "quarters"
    else:
        name = _plain(numbers.ordinal(den)) + ("" if num == 1 else "s")
    if num == 1 and "mixed" in args[2:]:
        return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
    return f"{number_words(str(num))} {name}"


def _phone(v: str, c: Call, *args: str) -> str:
    """Digit groups read digit by digit, a comma between groups; a leading + is 'plus'."""
    groups = regex.findall(r"\d+", v)
    words = ", ".join(_digits(g, c, *args) for g in groups)
    return ("plus " if v.lstrip().startswith("+") else "") + words


def _version(v: str, c: Call, *args: str) -> str:
    return " point ".join(number_words(p) for p in v.split("."))


def _address(v: str, c: Call, *args: str) -> list[Piece]:
    """A URL or e-mail address: words said, single letters and short consonant runs spelled
    ("a@b.com" -> A at B dot com), digits one by one, symbols named."""
    pieces: list[Piece] = []
    for run in _RUN.findall(v):
        if run.isdigit():
            pieces.append(_digits(run, c))
        elif run.isalpha():
            low = run.lower()
            spell = low in SPELLED_RUNS or len(low) == 1 or (len(low) <= 3 and not regex.search("[aeiouy]", low))
            pieces.append(Spell(low) if spell else low)
        elif run in SYMBOL_WORDS:
            pieces.append(SYMBOL_WORDS[run])
    return pieces


# File name extensions said as words; the others are spelled ("py" P Y, "txt" T X T).
EXTENSION_WORDS = {"json": "jason", "jpeg": "jay peg", "jpg": "jay peg", "gif": "gif",
                   "java": "java", "go": "go", "log": "log", "zip": "zip", "tar": "tar"}


def _extension(v: str, c: Call, *args: str) -> Piece:
    """A file name extension: a word ("json" jason) or its letters ("py" P Y)."""
    low = v.lower()
    return EXTENSION_WORDS.get(low) or Spell(low)


FUNCTIONS: dict[str, Callable[..., Union[Piece, list[Piece]]]] = {
    "text": _text, "cardinal": _cardinal, "ordinal": _ordinal, "year": _year, "digits": _digits,
    "minutes": _minutes, "hour": _hour, "duration": _duration, "ampm": _ampm, "month": _month, "roman": _roman,
    "roman_ordinal": _roman_ordinal, "table": _table, "plural": _plural, "spell": _spell,
    "fraction": _fraction, "phone": _phone, "money": _money, "version": _version, "address": _address,
    "extension": _extension, "subdivisions": _subdivisions, "formula": _formula,
}


# -- templates -------------------------------------------------------------------------------

@cache
def parse_template(template: str, where: str = "") -> tuple[Union[str, Field], ...]:
    """Split a ``say:`` template into literal words and fields (checked: known functions)."""
    parts: list[Union[str, Field]] = []
    pos = 0
    for m in _FIELD.finditer(template):
        if template[pos:m.start()].strip():
            parts.append(template[pos:m.start()].strip())
        fn = m.group(2) or "text"
        if fn not in FUNCTIONS:
            raise RuleFileError(f"{where}: unknown function {fn!r} in {template!r}; "
                                f"known: {sorted(FUNCTIONS)}")
        args = tuple(m.group(3).split(":")[1:]) if m.group(3) else ()
        parts.append(Field(m.group(1), fn, args))
        pos = m.end()
    if template[pos:].strip():
        parts.append(template[pos:].strip())
    if any("{" in p or "}" in p for p in parts if isinstance(p, str)):
        raise RuleFileError(f"{where}: malformed field in {template!r}")
    return tuple(parts)


def render(parts: tuple[Union[str, Field], ...], call: Call) -> list[Piece]:
    """The pieces a template says for one match: words joined, spelled letters apart."""
    out: list[Piece] = []
    for part in parts:
        if isinstance(part, Field):
            value = call.groups.get(part.group)
            if value is None:
                continue
            said = FUNCTIONS[part.function](value, call, *part.args)
        else:
            said = part
        for piece in (said if isinstance(said, list) else [said]):
            if isinstance(piece, str) and out and isinstance(out[-1], str):
                out[-1] = f"{out[-1]} {piece}".strip()
            elif piece != "":
                out.append(piece)
    return [p for p in out if p != ""]


def words_of(pieces: list[Piece]) -> str:
    """The pieces as one line of words (spelled letters in capitals, space separated)."""
    return " ".join(" ".join(p.letters.upper()) if isinstance(p, Spell) else p for p in pieces)
