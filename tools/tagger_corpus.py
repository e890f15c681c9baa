#!/usr/bin/env python3
"""Build the training text for the part-of-speech tagger from Debian packages.

    python tools/tagger_corpus.py --work /work/tagger_work [--seed 13] [--download]

With ``--download`` it runs ``apt-get download`` for the packages in ``PACKAGES`` into
``WORK/debs`` and unpacks them with ``dpkg-deb -x`` into ``WORK/x``; without it, it expects
them unpacked there already. It writes ``WORK/corpus.txt``: one utterance a line (< 400
characters, mostly prose), shuffled with the fixed seed, ``WORK/corpus.sources.json``
with line counts per source, and ``WORK/corpus_upper.txt``: a seeded sample of the fortune
and Jargon lines in capitals (spaCy tags ALL-CAPS text differently; the dev corpus has some).

Every cookie of the development corpus (``shared/corpus/dev``, by file and cookie index) and
every line whose text appears in ``fortunes.txt`` there is excluded, so the dev corpus stays
unseen. The lines are then labelled by the oracle (see ``misaki_lite/data/TAGGER.md``).
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
from pathlib import Path

PACKAGES = ("fortunes", "fortunes-min", "fortunes-bofh-excuses", "jargon-text", "dict-gcide")
# The second build (``corpus_extra.txt``), added later so the first build's labels stay valid.
EXTRA_PACKAGES = ("fortune-anarchism", "dict-devil", "dict-foldoc", "dict-wn")
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


def gcide(root: Path, rng: random.Random) -> list[tuple[str, str]]:
    """(source, line) from a seeded sample of GCIDE definition and quotation paragraphs."""
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
    return out[:GCIDE_SAMPLE]


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


def foldoc(root: Path, rng: random.Random) -> list[tuple[str, str]]:
    """(source, line) from a seeded sample of FOLDOC's definition paragraphs (computing prose,
    like much of the fortunes' humour), without the ``<subject>`` labels and citations."""
    out = []
    for para in dict_paragraphs(root / "usr/share/dictd/foldoc.dict.dz"):
        if para.startswith(("[", "(", "{(")):
            continue
        para = clean(re.sub(r"^\d+\.\s*|<[a-z ,]+>\s*", "", _BRACES.sub("", para)))
        out.extend(("foldoc", s) for s in split_long(para))
    rng.shuffle(out)
    return out[:FOLDOC_SAMPLE]


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
    args = ap.parse_args()
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
