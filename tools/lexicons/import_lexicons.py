#!/usr/bin/env python3
"""Import misaki 0.9.4's English lexicons (Apache-2.0) into lexicons/*.tsv.

    python -m tools.lexicons.import_lexicons [--wheel PATH]

Without --wheel it downloads misaki-0.9.4-py3-none-any.whl from PyPI with pip (no install).
It writes one TSV file per tier and dialect and records the wheel's and each source file's
sha256 in lexicons/README.md. The TSV format (documented there too) is one entry a line:

    word<TAB>phonemes
    word<TAB>DEFAULT=phonemes<TAB>TAG=phonemes ...      (heteronyms; '~' means "no reading")

Entries are sorted by code point (misaki_lite.reading.lexicon bisects the files in place; misaki's
JSON files are in that order already); nothing is added or dropped.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "lexicons"
WHEEL = "misaki-0.9.4-py3-none-any.whl"
SOURCES = ("us_gold", "us_silver", "gb_gold", "gb_silver")


def fetch_wheel(tmp: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                    "misaki==0.9.4", "-d", str(tmp)], check=True)
    return tmp / WHEEL


def to_tsv(name: str, entries: dict) -> str:
    lines = [f"# {name}: misaki 0.9.4 misaki/data/{name}.json (Apache-2.0), see README.md"]
    # Sorted by code point: misaki_lite.reading.lexicon bisects the files in place.
    for word, value in sorted(entries.items()):
        if isinstance(value, str):
            lines.append(f"{word}\t{value}")
        else:
            cells = [f"{tag}={'~' if ps is None else ps}" for tag, ps in value.items()]
            lines.append("\t".join([word, *cells]))
    return "\n".join(lines) + "\n"


def write_readme(wheel_sha: str, file_shas: dict[str, str]) -> None:
    readme = OUT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- provenance:start -->", "<!-- provenance:end -->"
    table = "\n".join(f"| `{n}.json` | `{n}.tsv` | `{s}` |" for n, s in file_shas.items())
    block = (f"{start}\nSource wheel: `{WHEEL}` from PyPI, sha256 `{wheel_sha}`.\n\n"
             f"| source file in the wheel | imported as | sha256 of the source file |\n"
             f"|---|---|---|\n{table}\n{end}")
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    readme.write_text(head + block + tail, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, help="a local copy of the misaki 0.9.4 wheel")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        wheel_sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
        shas = {}
        with zipfile.ZipFile(wheel) as zf:
            for name in SOURCES:
                raw = zf.read(f"misaki/data/{name}.json")
                shas[name] = hashlib.sha256(raw).hexdigest()
                entries = json.loads(raw)
                (OUT / f"{name}.tsv").write_text(to_tsv(name, entries), encoding="utf-8")
                print(f"{name}: {len(entries)} entries")
    write_readme(wheel_sha, shas)


if __name__ == "__main__":
    main()
