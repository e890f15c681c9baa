#!/usr/bin/env python3
"""Fill the expected output of phoneme-level rule examples from the oracle (misaki 0.9.4).

    python -m tools.golden.bless_rule_examples rules/punctuation.yaml [more files...] [--british]

Every example written on one line as ``- {in: "...", out: ...}`` (optionally with
``dialect: gb``) gets ``out`` replaced by the phoneme string that the real misaki returns for
``in``. The oracle runs in its own environment (see ../shared/reference/setup.sh); this script
only starts it as a subprocess and never imports it. Review the diff before committing.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ORACLE_PY = Path(os.environ.get("MISAKI_REF_PYTHON", Path.home() / ".cache/misaki-ref/bin/python"))
ORACLE = Path(__file__).resolve().parents[3] / "shared/reference/misaki_ref.py"
EXAMPLE = re.compile(r"^(\s*- )(\{.*\})\s*$")


def oracle(lines: list[str], british: bool) -> dict[str, str]:
    args = [str(ORACLE_PY), str(ORACLE)] + (["--british"] if british else [])
    out = subprocess.run(args, input="\n".join(lines) + "\n", capture_output=True, text=True,
                         check=True).stdout
    return {r["text"]: r["phonemes"] for r in map(json.loads, out.splitlines())}


def bless(path: Path) -> int:
    text = path.read_text(encoding="utf-8").splitlines()
    found = []
    for i, line in enumerate(text):
        m = EXAMPLE.match(line)
        if m:
            ex = yaml.safe_load(m.group(2))
            if isinstance(ex, dict) and "in" in ex and "out" in ex and isinstance(ex["in"], str):
                found.append((i, m.group(1), ex))
    answers = {}
    for british in (False, True):
        ins = [ex["in"] for _, _, ex in found if (ex.get("dialect") == "gb") == british]
        if ins:
            answers[british] = oracle(ins, british)
    for i, prefix, ex in found:
        ex["out"] = answers[ex.get("dialect") == "gb"][ex["in"]]
        cells = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in ex.items())
        text[i] = f"{prefix}{{{cells}}}"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return len(found)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    for path in ap.parse_args().files:
        print(f"{path}: {bless(path)} examples blessed", file=sys.stderr)


if __name__ == "__main__":
    main()
