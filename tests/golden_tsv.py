"""The golden case files of the normalization classes (``golden/normalize/<class>.tsv``):
``input<TAB>expected[<TAB>alternative]``, ``# `` comments, ``[us] ``/``[gb] `` for one dialect."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "normalize"
DIALECTS = {"us": False, "gb": True}


def golden_lines(folder: Path = GOLDEN) -> Iterator[tuple[str, int, str, list[str], bool, str]]:
    """(file stem, line number, input, readings, british, dialect) for every golden line of
    ``folder`` (default: the shipped one), for every dialect it holds for."""
    for path in sorted(folder.glob("*.tsv")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("# "):
                continue
            text, *readings = line.split("\t")
            dialects = list(DIALECTS)
            if text[:5] in ("[us] ", "[gb] "):
                dialects, text = [text[1:3]], text[5:]
            for d in dialects:
                yield path.stem, n, text, readings, DIALECTS[d], d
