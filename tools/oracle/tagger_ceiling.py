#!/usr/bin/env python3
"""The parity misaki_lite would reach with a perfect tagger: spaCy's own tokens and tags fed in.

    python -m tools.oracle.tagger_ceiling [--british] [--show N]

Reads ../shared/corpus/dev/reference[_gb].jsonl (whose records carry spaCy's tokens and tags),
runs everything after tagging (markup features, grouping, lexicon, eSpeak, stress) on spaCy's
tokens, and compares with misaki's phonemes. The gap between this figure and tools/golden/parity.py's
is what the tagger costs.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

from misaki_lite.config import G2PConfig
from misaki_lite import en  # noqa: E402
from misaki_lite.token import MToken  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus" / "dev"


def read_with_tags(g2p: en.G2P, text: str, spacy_tokens: list, tags: list[str]) -> str:
    """The phonemes of a line from spaCy's tokens (text, tag, whitespace) with the given tags:
    everything after tagging."""
    _, words, features = g2p.preprocess(text)
    tokens = [MToken(text=t, tag=tag, whitespace=ws,
                     _=MToken.Underscore(is_head=True, num_flags="", prespace=False))
              for (t, _, ws), tag in zip(spacy_tokens, tags)]
    return g2p.from_tokens(tokens, words, features)[0]


def output_changes(g2p: en.G2P, text: str, spacy_tokens: list, tags: list[str]) -> set[int]:
    """The positions where ``tags`` differs from spaCy's tag and, put alone in place of it,
    changes the line's phonemes."""
    gold = [t[1] for t in spacy_tokens]
    base = read_with_tags(g2p, text, spacy_tokens, gold)
    return {i for i, tag in enumerate(tags) if tag != gold[i]
            and read_with_tags(g2p, text, spacy_tokens, gold[:i] + [tag] + gold[i + 1:]) != base}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--british", action="store_true")
    ap.add_argument("--show", type=int, default=0, help="print the first N mismatching lines")
    args = ap.parse_args()
    g2p = G2PConfig(british=args.british, mode="exact").build()
    path = DEV / ("reference_gb.jsonl" if args.british else "reference.jsonl")
    same = total = 0
    for line in path.open(encoding="utf-8"):
        rec = json.loads(line)
        toks = rec["spacy_tokens"]
        phonemes = read_with_tags(g2p, rec["text"], toks, [t[1] for t in toks])
        total += 1
        if phonemes == rec["phonemes"]:
            same += 1
        elif args.show > total - same - 1:
            print(f"{rec['id']}  {rec['text']}\n  want: {rec['phonemes']}\n  got:  {phonemes}")
    print(f"{path.name}: {same}/{total} lines = {same / total:.2%} with spaCy's tokens and tags")
    return 0


if __name__ == "__main__":
    sys.exit(main())
