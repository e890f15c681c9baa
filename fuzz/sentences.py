"""Generated English sentences for differential fuzzing against misaki 0.9.4 (issue 18).

    python -m fuzz.sentences [--seed S] [-n N] [--kind mixed|specials|edges] > lines.txt

Each sentence mixes the kinds of token misaki treats specially (numbers in every format, money,
units, times, quotes and apostrophes, dashes, brackets, URLs, e-mail, hashtags, emoji, markup,
acronyms, contractions, Unicode letters and symbols) into frames that steer spaCy's tags
(sentence start, after ``$``, in parentheses, after a name, in a list, in quotes). The same seed
gives the same sentences in any process: ``random.Random(seed)`` drives every choice.

``--kind edges`` (issue 19) makes the short strings where eSpeak NG and the group reader broke:
symbols, hyphens and punctuation next to words of the scripts eSpeak switches voice for,
replacement characters, controls, combining marks, soft hyphens, markup pieces, random code
points (lone surrogates included), chains of short pieces, and such pieces glued into a
sentence. ``fuzz/widened.py`` runs them (and the other kinds) through G2P for robustness.

``tools/oracle/fuzz_oracle.py`` runs the lines through misaki (in the oracle environment) and
``tools/oracle/fuzz_compare.py`` compares misaki_lite's exact mode with its answers.
"""
from __future__ import annotations

import argparse
import json
import random
import sys

WORDS = (
    "the a an of to and in that it was for on are as with his they at be this have from or "
    "one had by word but not what all were we when your can said there use each which she do "
    "how their if will up other about out many then them these so some her would make like him "
    "into time has look two more write go see number no way could people my than first water "
    "been call who oil its now find long down day did get come made may part over new sound "
    "take only little work know place year live me back give most very after thing our just "
    "name good sentence man think say great where help through much before line right too mean "
    "old any same tell boy follow came want show also around form three small set put end does "
    "another well large must big even such because turn here why ask went men read need land "
    "different home us move try kind hand picture again change off play spell air away animal "
    "house point page letter mother answer found study still learn should America world record "
    "lead live wind tear close use present object minute desert content permit project subject "
    "bass bow does dove produce refuse row sow wound polish invalid contract conduct"
).split()
NAMES = "John Mary Smith Obama Paris London Kokoro Google Tesla NASA Boeing Apple Sarah".split()
VERBS = "paid cost said saw sold bought ran won lost read got gave sent wrote".split()
UNITS = ("km", "kg", "m", "cm", "mm", "mi", "ft", "lb", "lbs", "g", "mg", "ml", "L", "kW", "MW",
         "GB", "MB", "kb", "kbps", "Mbps", "mph", "km/h", "Hz", "GHz", "V", "W", "s", "ms", "h",
         "min", "hrs", "oz", "t", "x", "pc", "pcs", "°C", "°F", "°", "%", "K", "M", "bn", "B")
MAGNITUDES = ("m", "bn", "k", "M", "B", "K", "tn", " million", " billion", " thousand", "m.")
CURRENCY = ("$", "£", "€", "¥", "₹", "₩", "US$", "A$", "C$", "HK$", "¢", "₽", "CHF ")
EMOJI = ("🙂", "😂", "👍", "🍕", "❤️", "🎉", "🚀", "👩‍👩‍👧", "🇺🇸", "✨", "☕", "🔥", "™", "©", "®")
EMOTICONS = (":)", ":-(", ";)", ":D", "<3", "^_^", ":P", "xD", "o_O", "-_-")
QUOTES = (('"', '"'), ("“", "”"), ("‘", "’"), ("'", "'"), ("«", "»"), ("``", "''"), ("`", "'"),
          ("„", "“"), ("‹", "›"))
DASHES = ("-", "--", "—", "–", " - ", " -- ", " — ", " – ", "―", "‒", "−")
ARROWS = ("->", "→", "<-", "←", "=>", "⇒", "<->", "↔")
SYMBOLS = ("&", "+", "@", "%", "#", "*", "=", "~", "^", "|", "\\", "/", "<", ">", "§", "¶", "†",
           "•", "·", "°", "±", "×", "÷", "µ", "€", "£", "$", "¥", "…", "...", "..", "!?", "?!",
           "!!", "???", ";", ":", ",", ".")
LETTERS = ("café", "naïve", "Zoë", "Björk", "São", "Ångström", "façade", "jalapeño", "Łódź",
           "Dvořák", "résumé", "ﬁnance", "Ｆｕｌｌ", "Москва", "東京", "Ελλάδα", "עברית", "मुंबई",
           "cafe\u0301", "İstanbul", "straße", "ÆON", "œuvre", "ǅ", "ß")
ACRONYMS = ("NASA", "FBI", "U.S.", "U.K.", "e.g.", "i.e.", "etc.", "a.m.", "p.m.", "Ph.D.",
            "GPU", "CPUs", "NATO", "UNESCO", "A.I.", "TV", "DVDs", "IBM's", "AT&T", "R&D",
            "Q&A", "vs.", "Mr.", "Mrs.", "Dr.", "St.", "Jr.", "Inc.", "Ltd.", "No.", "no.",
            "Co.", "Corp.", "Gov.", "Sen.", "Rev.", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.")
CONTRACTIONS = ("don't", "can't", "won't", "I'm", "it's", "they're", "we've", "she'd",
                "y'all", "ain't", "o'clock", "'cause", "'em", "rock'n'roll", "workin'", "goin'",
                "wasn’t", "isn’t", "you’ll", "'90s", "'til", "ne'er", "shouldn't've", "d'you")
POSSESSIVES = ("John's", "James'", "the boss's", "NASA's", "the kids'", "Kokoro’s",
               "children's", "1990s'", "it's", "its", "Jones’")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "IX", "X", "XI", "XIV", "XX", "XL", "L", "XC",
         "C", "CD", "D", "CM", "M", "MMXXIV", "MCMXC", "xiv", "Henry VIII", "World War II",
         "Chapter IV", "Louis XIV", "Super Bowl LVIII", "Rocky III")
TLDS = ("com", "org", "net", "io", "co.uk", "edu", "gov", "de", "ai")
MARKUP = ("[Kokoro](/kˈOkəɹO/)", "[read](/ɹˈɛd/)", "[1,000](#one thousand#)", "[cat](+1)",
          "[dog](-0.5)", "[x](y)", "[misaki](/misˈɑki/)", "[a]()", "[", "](", "[word]",
          "[Bob](+2)", "[the](-1)", "[tomato](/təmˈɑːtəʊ/)")


def _int(r: random.Random, lo: int = 0, hi: int = 10**6) -> int:
    """An integer, small ones more often than large."""
    return int(lo + (hi - lo) * r.random() ** 3)


def _digits(r: random.Random, n: int) -> str:
    return "".join(r.choice("0123456789") for _ in range(n))


def _grouped(n: int) -> str:
    return f"{n:,}"


def number(r: random.Random) -> str:
    """A number in one of many formats."""
    k = r.randrange(30)
    n = _int(r)
    if k == 0:
        return str(n)
    if k == 1:
        return _grouped(_int(r, 1000, 10**10))
    if k == 2:
        return f"{r.uniform(0, 1000):.{r.randint(1, 4)}f}"
    if k == 3:
        return r.choice("-+−±") + str(_int(r, 0, 10**4)) + r.choice(["", f".{_digits(r, 2)}"])
    if k == 4:
        n = _int(r, 1, 10**4)
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10 if n % 100 not in (11, 12, 13) else 0, "th")
        return str(n) + (suffix if r.random() < 0.9 else r.choice(["st", "nd", "rd", "th", "TH"]))
    if k == 5:
        return str(r.randint(1000, 2099))
    if k == 6:
        return f"{r.randint(100, 209)}0s" if r.random() < .7 else f"'{r.randint(0, 9)}0s"
    if k == 7:
        a = r.randint(1, 2030)
        return f"{a}{r.choice(['-', '–', '—', ' to ', '/'])}{a + r.randint(1, 99)}"
    if k == 8:
        return f"{r.randint(1, 99)}/{r.randint(1, 99)}" + r.choice(["", "th", "s"])
    if k == 9:
        return r.choice("½⅓¼¾⅔⅛") if r.random() < .5 else f"{r.randint(1, 9)}{r.choice('½¼¾')}"
    if k == 10:
        return f"{r.randint(0, 23)}:{r.randint(0, 59):02d}" + r.choice(
            ["", "am", "pm", " am", " p.m.", " a.m.", "AM", " PM", ":" + f"{r.randint(0, 59):02d}"])
    if k == 11:
        return f"{r.randint(0, 59)}:{r.randint(0, 59):02d}.{_digits(r, r.randint(1, 3))}"
    if k == 12:
        return f"{r.randint(1, 12)}.{r.randint(0, 59):02d}{r.choice(['am', 'pm', ' am', 'a.m.'])}"
    if k == 13:
        return money(r)
    if k == 14:
        return number_with_unit(r)
    if k == 15:
        return f"{r.choice([str(_int(r, 0, 1000)), f'{r.uniform(0, 100):.1f}'])}{r.choice(['%', ' %', ' percent', '％'])}"
    if k == 16:
        return r.choice([f"({_digits(r, 3)}) {_digits(r, 3)}-{_digits(r, 4)}",
                         f"{_digits(r, 3)}-{_digits(r, 3)}-{_digits(r, 4)}",
                         f"+{r.randint(1, 99)} {_digits(r, 3)} {_digits(r, 4)}",
                         f"{_digits(r, 3)}.{_digits(r, 3)}.{_digits(r, 4)}", "911", "1-800-555-0199"])
    if k == 17:
        return _digits(r, r.randint(5, 25))
    if k == 18:
        return r.choice(["No.", "no.", "No", "#", "Nos."]) + r.choice(["", " "]) + str(
            _int(r, 1, 1000)) + r.choice(["", "-B", "A", "/2"])
    if k == 19:
        return r.choice(ROMAN)
    if k == 20:
        return r.choice(["M25", "A380", "B-52", "F-16", "COVID-19", "iPhone 15", "Windows 10",
                         "MP3", "4K", "3D", "G7", "H1N1", "R2-D2", "C-3PO", "X-ray", "Win32",
                         "PS5", "Route 66", "A4", "U2", "3M", "7-Eleven", "24/7", "9/11",
                         "1st-class", "2-for-1", "v2.0", "3.11.7", "1.2.3.4", "x86_64", "0x1F",
                         "1e10", "2^10", "10^6", "5x", "x5", "3-0", "2-1", "1:0", "4x4"])
    if k == 21:
        return f"{r.randint(1, 12)}/{r.randint(1, 31)}/{r.choice([str(r.randint(1900, 2030)), f'{r.randint(0, 99):02d}'])}"
    if k == 22:
        return f"{r.randint(1900, 2030)}-{r.randint(1, 12):02d}-{r.randint(1, 31):02d}"
    if k == 23:
        return r.choice(["0", "00", "007", "0.5", ".5", "0.05", "1.0", "10.00", "1,000.50",
                         "1.000", "1,00", "01", "1.", "3.14159", "2.5e3", "6.02×10²³"])
    if k == 24:
        return f"{r.choice(['$', '£', '€', ''])}{r.randint(1, 99)}{r.choice(['-', ' - ', ' to '])}{r.randint(100, 999)}"
    if k == 25:
        return f"{r.choice(['Q', 'H', 'FY', 'Q1 ', 'FY'])}{r.randint(1, 4)}{r.choice(['', ' 2024', '24'])}"
    if k == 26:
        return str(r.choice([1, 2, 3, 10, 11, 12, 13, 21, 100, 101, 110, 1000, 1001, 1100, 1900,
                             1905, 2000, 2001, 2010, 2020, 10000, 100000, 1000000]))
    if k == 27:
        return f"{_int(r, 1, 100)}{r.choice(['x', '×', '*', ' x ', ' by '])}{_int(r, 1, 100)}"
    if k == 28:
        return r.choice(["1/2", "3/4", "1/3", "2/3", "7/8", "11/16", "1/100"])
    return f"{r.choice(['~', '≈', '<', '>', '≤', '≥', 'c.', 'ca.', 'approx.'])}{r.choice(['', ' '])}{_int(r, 1, 10**4)}"


def money(r: random.Random) -> str:
    """A sum of money: symbol before or after, cents, magnitudes, codes."""
    c = r.choice(CURRENCY)
    k = r.randrange(8)
    if k == 0:
        amount = str(_int(r, 0, 10**5))
    elif k == 1:
        amount = f"{_int(r, 0, 10**4)}.{_digits(r, 2)}"
    elif k == 2:
        amount = _grouped(_int(r, 1000, 10**9)) + r.choice(["", f".{_digits(r, 2)}"])
    elif k == 3:
        amount = f"{r.uniform(0, 100):.{r.randint(1, 2)}f}{r.choice(MAGNITUDES)}"
    elif k == 4:
        amount = f"{_int(r, 1, 999)}{r.choice(MAGNITUDES)}"
    elif k == 5:
        amount = f"{r.randint(0, 99)}.{r.choice(['0', '5', '05', '50', '99', '999'])}"
    elif k == 6:
        amount = f"{_int(r, 1, 100)}{r.choice(['', ' '])}"
        return amount + r.choice(["$", "£", "€", "¢", " dollars", " USD", " EUR", "p", "c"])
    else:
        return r.choice(["USD", "EUR", "GBP", "JPY"]) + r.choice(["", " "]) + str(_int(r, 1, 10**5))
    return c + amount if r.random() < .9 else f"-{c}{amount}"


def number_with_unit(r: random.Random) -> str:
    n = r.choice([str(_int(r, 0, 10**4)), f"{r.uniform(0, 100):.{r.randint(1, 2)}f}",
                  _grouped(_int(r, 1000, 10**6))])
    return n + r.choice(["", "", " ", "-"]) + r.choice(UNITS)


def web(r: random.Random) -> str:
    """A URL, e-mail address, hashtag, @mention or file name."""
    word = r.choice(["example", "kokoro", "my-site", "foo_bar", "news24", "a", "test.app"])
    k = r.randrange(9)
    if k == 0:
        return f"{r.choice(['http://', 'https://', 'www.', 'https://www.', ''])}{word}.{r.choice(TLDS)}" + r.choice(
            ["", "/", "/a/b", "/index.html", "?q=1&x=y", "#top", ":8080/path", "/~user"])
    if k == 1:
        return f"{r.choice(['john', 'j.doe', 'info', 'a_b+c'])}@{word}.{r.choice(TLDS)}"
    if k == 2:
        return "#" + r.choice(["MeToo", "tbt", "AI", "2024", "Kokoro82M", "hash_tag", "100DaysOfCode"])
    if k == 3:
        return "@" + r.choice(["elonmusk", "user_1", "NASA", "a", "hexgrad"])
    if k == 4:
        return r.choice(["README.md", "setup.py", "C:\\Windows", "/usr/bin/env", "~/.bashrc",
                         "index.html", "file_name.txt", "a/b/c", "../x", "v1.2.3", "foo.bar()"])
    if k == 5:
        return r.choice(["camelCase", "snake_case", "kebab-case", "PascalCase", "iPhone", "eBay",
                         "McDonald", "MacBook", "O'Neil", "d'Artagnan", "YouTube", "LaTeX",
                         "JavaScript", "GitHub", "x-ray", "e-mail", "co-op", "re-enter"])
    if k == 6:
        return r.choice(EMOJI) + r.choice(["", " ", r.choice(EMOJI)])
    if k == 7:
        return r.choice(EMOTICONS)
    return r.choice(MARKUP)


def word(r: random.Random) -> str:
    k = r.randrange(20)
    if k < 9:
        w = r.choice(WORDS)
    elif k == 9:
        w = r.choice(NAMES)
    elif k == 10:
        w = r.choice(CONTRACTIONS)
    elif k == 11:
        w = r.choice(POSSESSIVES)
    elif k == 12:
        w = r.choice(ACRONYMS)
    elif k == 13:
        w = r.choice(LETTERS)
    elif k == 14:
        w = r.choice(WORDS).upper()
    elif k == 15:
        w = "".join(c.upper() if r.random() < .4 else c for c in r.choice(WORDS))
    elif k == 16:
        w = f"{r.choice(WORDS)}{r.choice(['-', '/', '+', '&', '_'])}{r.choice(WORDS)}"
    elif k == 17:
        w = r.choice(WORDS) + r.choice(["s", "ed", "ing", "er", "est", "ly", "'s", "n't", "'ll"])
    elif k == 18:
        w = r.choice(["gonna", "wanna", "ok", "OK", "okay", "hmm", "uh-huh", "mm-hmm", "shh",
                      "brrr", "zzz", "pfft", "aaah", "lol", "LOL", "omg", "btw", "w/", "w/o", "b/c"])
    else:
        w = r.choice(["ɪ", "Ω", "π", "λ", "∞", "√", "∑", "ℓ", "№", "℃", "Ⅻ", "①", "²", "³",
                      "½", "ª", "º", "µ", "Å", "K", "ﬀ", "ｱ", "\u00ad", "\u200b", "\u2060"])
    return w


# Characters from many blocks for the chaotic tokens: Latin-1 and Latin Extended, Greek,
# Cyrillic, Hebrew, Arabic, Devanagari, CJK, Hangul, kana, combining marks, invisible and
# control characters (no newline), symbols, arrows, math, box drawing, emoji, replacement.
CHAOS = ("àéîõüÿñçøåæœßðþ" "ĀāĞğİıŁłŒœŠšŽžſƒǅǆ" "αβγδεζηθλμπσΩΣΔ" "абвгдежзийклмнЖЩЯ"
         "אבגדה" "ابتث" "नमस्तेकखग" "中文字東京日本語" "한국어" "ひらがなカタカナ"
         "\u0301\u0308\u0327\u20dd" "\u200b\u200c\u200d\u2060\ufeff\u00ad\u00a0\u2009\u3000\t"
         "\x00\x01\x07\x1b\x7f\x85\u2028\u2029" "©®™°±²³µ¶·¹º¼½¾×÷‰′″‴" "←↑→↓↔⇒⇔∀∂∃∅∇∈∑√∞≈≠≤≥"
         "─│┌┐└┘" "😀😂🤔👍🏽🎉🍕🇬🇧" "\ufffd" "₿₤₦₱₲₴₵₸₺₼₾" "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
SEPARATORS = ("", "", "-", "/", "_", ".", "+", ":", "'", "’", ",", "&", "@", "#", "~", "|", "\u2009",
              "\u00a0", "  ", "\t", " - ", "...", "!", "?", ";", "=", "*", "^", "\u200b")


# Strings a tokenizer treats as special cases (contractions in their spellings and cases,
# abbreviations, emoticons, clock times), to glue to each other and to punctuation.
SPECIALS = ("ma'am", "Ma'am", "o'clock", "can't", "Can't", "CAN'T", "cant", "Cant", "won't",
            "wont", "I'm", "im", "Im", "I’m", "she’d", "she'd've", "shouldn't've", "shouldntve",
            "y'all", "Y'all", "yall", "'cause", "’Cause", "'nuff", "'em", "gonna", "Gonna",
            "goin'", "havin’", "nothin", "ain't", "aint", "Aint", "let's", "Let's", "lets",
            "there're", "thats", "That’d", "who'd", "whatll", "it's", "its", "'s", "’S", "n't",
            "e.g.", "E.G.", "i.e.", "a.m.", "p.m.", "10a.m.", "11pm", "1am", "2p.m.", "Rep.",
            "Mont.", "Kans.", "Mr.", "Mrs.", "Ms.", "Dr.", "vs.", "etc.", "Inc.", "b.", "v.",
            "°C.", ":)", ":-)", ":-}", ";)", ":(", "<3", "</3", "xD", "O.o", "o_0", "V_V", "^_^",
            "^___^", "=)", ":P", ":p", "(:", "):", ":'(", "-_-", "''", "--", "...", "Goin",
            "'ll", "'re", "'ve", "'d", "’ll", "lovin'", "doin’")
INFIXES = ("-", "—", "–", "/", "...", "…", ",", "'", "’", "~", "+", "=", "^", ":", "*", "<", ">",
           "&", "(", ")", '"', "`", "!", "?", ".", "_", "", "")


def glued_specials(r: random.Random) -> str:
    """Special cases glued to each other, to words and to punctuation."""
    pieces = [r.choice(SPECIALS if r.random() < .6 else WORDS) for _ in range(r.randint(1, 3))]
    text = "".join(p + r.choice(INFIXES) for p in pieces[:-1]) + pieces[-1]
    return r.choice(["", "", "(", '"', "'", "“", "[", "-", "*"]) + text + r.choice(
        ["", "", ")", '"', "'", "”", ".", ",", "!", "?", "...", "-", "*", "'s"])


def chaos(r: random.Random) -> str:
    """A token with random characters, glued pieces or broken spacing."""
    k = r.randrange(8)
    if k >= 6:
        return glued_specials(r)
    if k == 0:
        return "".join(r.choice(CHAOS) for _ in range(r.randint(1, 4)))
    if k == 1:
        return r.choice(SEPARATORS).join(token(r) for _ in range(r.randint(2, 4)))
    if k == 2:
        w = r.choice(WORDS)
        i = r.randint(0, len(w))
        return w[:i] + r.choice(CHAOS) + w[i:]
    if k == 3:
        return r.choice(["", "(", "[", "{", "<", "'", '"', "“", "‘", "«"]) + token(r) + r.choice(
            ["", ")", "]", "}", ">", "'", '"', "”", "’", "»", "'s", "’s", "s'", "n't"])
    if k == 4:
        return f"{r.choice(WORDS)}{_int(r, 0, 1000)}{r.choice(['', r.choice(WORDS)])}"
    return r.choice(["'tis", "'twas", "dogs'", "O'Brien", "rock 'n' roll", "'Hello'", "'hello",
                     "hello'", "''", "'", "’", "‘", "``", "\"", "“”", "'s", "s'", "y'know",
                     "ma'am", "o'er", "fo'c'sle", "don’t", "DON'T", "Don'T", "can't've"])


def token(r: random.Random) -> str:
    """One special token: a number, money, web thing, an odd word or a chaotic one."""
    k = r.randrange(13)
    if k >= 10:
        return chaos(r)
    if k < 5:
        return number(r)
    if k < 7:
        return web(r)
    if k < 9:
        return word(r)
    return r.choice(SYMBOLS + ARROWS)


def phrase(r: random.Random, n: int) -> str:
    """``n`` plain or odd words joined by spaces."""
    return " ".join(word(r) if r.random() < .3 else r.choice(WORDS) for _ in range(n))


def frame(r: random.Random, special: str) -> str:
    """``special`` in a context that steers spaCy's tag for it."""
    name, verb = r.choice(NAMES), r.choice(VERBS)
    k = r.randrange(16)
    if k == 0:
        return f"{special} {phrase(r, r.randint(1, 6))}."
    if k == 1:
        return f"{name} {verb} {special} {phrase(r, r.randint(0, 4))}."
    if k == 2:
        return f"{phrase(r, r.randint(1, 5))} ({special}) {phrase(r, r.randint(0, 3))}."
    if k == 3:
        return f"It costs ${special} {phrase(r, r.randint(0, 3))}."
    if k == 4:
        items = [special] + [token(r) for _ in range(r.randint(1, 3))]
        r.shuffle(items)
        return f"{phrase(r, r.randint(0, 3))}: {', '.join(items[:-1])} and {items[-1]}."
    if k == 5:
        o, c = r.choice(QUOTES)
        return f"{name} said, {o}{phrase(r, r.randint(0, 3))} {special}{c} {phrase(r, r.randint(0, 2))}"
    if k == 6:
        return f"{phrase(r, r.randint(1, 4))}{r.choice(DASHES)}{special}{r.choice(DASHES)}{phrase(r, r.randint(1, 4))}"
    if k == 7:
        return f"{special}{r.choice(['?', '!', '...', '…', '?!', '', ';', ':'])}"
    if k == 8:
        return f"The {r.choice(WORDS)} of {special} was {special if r.random() < .3 else token(r)}."
    if k == 9:
        return f"{phrase(r, r.randint(2, 8))} {special} {phrase(r, r.randint(2, 8))}{r.choice('.!?')}"
    if k == 10:
        return f"In {special}, {name} {verb} {token(r)} {phrase(r, r.randint(0, 3))}."
    if k == 11:
        return f"{r.choice(['Call', 'Visit', 'Email', 'See', 'Read'])} {special} {r.choice(['now', 'today', 'for details', ''])}."
    if k == 12:
        return f"{r.choice(['I', 'We', 'They', 'You'])} {r.choice(['read', 'lead', 'live', 'use', 'record', 'close'])} {special} {r.choice(['every day', 'yesterday', 'tomorrow', ''])}."
    if k == 13:
        return f"{special} {r.choice(ARROWS + DASHES)} {token(r)}"
    if k == 14:
        return " ".join(token(r) for _ in range(r.randint(2, 6)))
    return f"{name.upper()} {verb.upper()} {special} {phrase(r, r.randint(1, 3)).upper()}!"


def sentence(r: random.Random) -> str:
    """One generated line (never blank, never containing a newline)."""
    text = frame(r, token(r))
    if r.random() < .15:
        text = f"{text} {frame(r, token(r))}"
    k = r.randrange(10)
    if k < 6:
        text = " ".join(text.split(" "))
    elif k == 6:
        text = text.upper() if r.random() < .5 else text.lower()
    elif k == 7:
        text = text.replace(" ", r.choice(["  ", "\t", "\u00a0", " \u200b", "\u3000"]), r.randint(1, 3))
    text = "".join(" " if c in "\n\r\x0b\x0c\x1c\x1d\x1e" else c for c in text)
    return text if text.strip() else "x"


EDGE_PIECES = ("\ufffd", "\u20b2", "^", "|", "<", ">", "\u2020", "-", "--", "+", "/", "_", ".", ",",
               "'", "(", ")", "#", "%", "&", " ", "  ", "\t", "\n", "\x00", "\x07", "\u0301",
               "\u0308", "\u200c", "\u200b", "\u00ad", "\u00a0", "\u3000", "\ufeff", "\u2028",
               "\u0928\u092e", "\u092e\u0938", "\u0985\u09ae", "\u0a85\u0a88", "\u0d05\u0d07",
               "\u5b57", "\u65e5\u672c", "\u03bb\u03cc", "\u0416", "\uac00", "a", "ab", "e", "1",
               "12", "A", "I", "\U0001f642", "\U0001f1ec\U0001f1e7", "[a](/\u02c8A/)", "[x](#1#)",
               "[", "](", "](/", "/)", "*", "\"", "\u201c", "\u2019", "$", "\u00a3", "5", "%", "@")
CHAIN_PIECES = ("a", "ab", "1", "A", "x1", "\u0928\u092e", "\u5b57", "'", "")


def edges(r: random.Random) -> str:
    """One string of issue 19's input families (see the module docstring)."""
    k = r.randrange(5)
    if k == 0:
        return "".join(r.choice(EDGE_PIECES) for _ in range(r.randint(1, 12)))
    if k == 1:
        return "".join(chr(r.randrange(0x110000)) if r.random() < .5 else r.choice(EDGE_PIECES)
                       for _ in range(r.randint(1, 10)))
    if k == 2:
        glue = r.choice("-/+_.&:,'")
        return glue.join(r.choice(CHAIN_PIECES) for _ in range(r.randint(2, 60)))
    if k == 3:
        return r.choice(CHAOS).join(r.choice(EDGE_PIECES) for _ in range(r.randint(2, 8)))
    words = sentence(r).split(" ")
    at = r.randrange(len(words))
    words[at] = r.choice(("", words[at])) + "".join(r.choice(EDGE_PIECES) for _ in range(r.randint(1, 4)))
    return " ".join(words)


def generate(seed: int, n: int, kind: str = "mixed"):
    """``n`` sentences from ``seed``; the same arguments give the same lines. ``kind``
    "specials": every sentence is built around glued special cases (the tokenizer's hard part)."""
    r = random.Random(seed)
    for _ in range(n):
        if kind == "specials":
            yield " ".join(frame(r, glued_specials(r)).split(" ")) or "x"
        elif kind == "edges":
            yield edges(r)
        else:
            yield sentence(r)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--kind", choices=("mixed", "specials", "edges"), default="mixed")
    args = ap.parse_args()
    for line in generate(args.seed, args.n, args.kind):
        # an edges string may hold a newline: one JSON string a line then
        sys.stdout.write((json.dumps(line) if args.kind == "edges" else line) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
