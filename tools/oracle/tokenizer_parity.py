#!/usr/bin/env python3
"""How often misaki_lite.text.tokenize cuts a dev line exactly as spaCy did.

    python -m tools.oracle.tokenizer_parity [--show N] [--time] [--long] [REFERENCE.jsonl]

Reads the records of the dev corpus (default: shared/corpus/dev/reference.jsonl next to the
repository). The text spaCy saw is rebuilt from its own tokens (text + whitespace_ of each), so
misaki's preprocessing (leading spaces, markup) needs no imitation here. A line counts only if
every token and its whitespace are equal. Prints the figure, the first N mismatches with
``--show``, tokens per second with ``--time``, and with ``--long`` the time taken by long
pathological inputs (a check that the cost stays roughly linear).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

from misaki_lite.text import tokenize as tokenize_module  # noqa: E402
from misaki_lite.text.tokenize import tokenize  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpus" / "dev" / "reference.jsonl"

LONG_INPUTS = {
    "1 MB of [[((--''": "[[((--''" * 125_000,
    "a 100k-letter word": "a" * 100_000,
    "1 MB of dots": "." * 1_000_000,
    "1 MB of closing marks": "))''!!\"" * 142_857,
    "200k of a:": "a:" * 100_000,
    "200k of colons": ":" * 200_000,
    "200k of a@": "a@" * 100_000,
    "200k url-like": "http://" + "a.b-" * 50_000,
    "700k of words": "hello, world! " * 50_000,
}


def read_cases(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """(text spaCy saw, spaCy's (text, whitespace_) pairs) for every record of ``path``."""
    cases = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            tokens = [(t[0], t[2]) for t in json.loads(line)["spacy_tokens"]]
            cases.append(("".join(a + b for a, b in tokens), tokens))
    return cases


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reference", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--show", type=int, default=0, metavar="N", help="print the first N mismatches")
    ap.add_argument("--time", action="store_true", help="also measure tokens per second")
    ap.add_argument("--long", action="store_true", help="also time long pathological inputs")
    args = ap.parse_args()
    cases = read_cases(args.reference)
    bad = [(text, want, got) for text, want in cases if (got := tokenize(text)) != want]
    ok = len(cases) - len(bad)
    print(f"tokenizer parity: {ok}/{len(cases)} lines = {100 * ok / max(len(cases), 1):.2f}%")
    for text, want, got in bad[:args.show]:
        print(f"\n{text!r}\n  spaCy: {want}\n  ours:  {got}")
    if args.time:
        texts = [text for text, _ in cases]
        n_tokens = sum(len(want) for _, want in cases)
        for label, cold in (("cold cache", True), ("warm cache", False)):
            best = float("inf")
            for _ in range(5):
                if cold:
                    tokenize_module._cache.clear()
                t0 = time.perf_counter()
                for text in texts:
                    tokenize(text)
                best = min(best, time.perf_counter() - t0)
            print(f"speed ({label}): {n_tokens} tokens in {best:.3f} s = {n_tokens / best:,.0f} tokens/s (best of 5)")
    if args.long:
        for label, text in LONG_INPUTS.items():
            t0 = time.perf_counter()
            n = len(tokenize(text))
            print(f"{label:24s} {len(text):>9,} chars {n:>9,} tokens {time.perf_counter() - t0:6.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
