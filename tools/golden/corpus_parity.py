#!/usr/bin/env python3
"""Line parity and tag agreement with misaki 0.9.4 on the shared corpora (news, dev).

    python -m tools.golden.corpus_parity [--british] [--mode exact|extended] [--normalization N]
                                  [--corpus news dev] [--show N] [--spacy-tags]

Reads ``../shared/corpus/<name>/reference[_gb].jsonl`` (misaki's output, its tokens and
spaCy's tokens and tags for every line) and prints, per corpus:

* line parity: lines whose phoneme string equals misaki's;
* model tags: our tagger's tag on spaCy's own tokens equals spaCy's (the tagger alone);
* API tags: the tokens G2P returns, aligned by text with the tokens misaki returned
  (the same texts in the same order, which covers every line whose tokens merge alike),
  carry misaki's tag;
* with ``--spacy-tags``: line parity with spaCy's tokens and tags fed in instead of ours
  (everything after tagging; what a perfect tokenizer and tagger would give).

``--show N`` prints the first N differing lines of each corpus.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

from misaki_lite import en, espeak  # noqa: E402
from misaki_lite.tagger.model import get_tagger  # noqa: E402
from tools.oracle.tagger_ceiling import read_with_tags  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def records(name: str, british: bool):
    path = CORPUS / name / ("reference_gb.jsonl" if british else "reference.jsonl")
    with open(path, encoding="utf-8") as file:
        for line in file:
            yield json.loads(line)


def measure(name: str, british: bool, options: dict, show: int, spacy_tags: bool) -> dict:
    g2p = en.G2P(british=british, fallback=espeak.EspeakFallback(british=british), **options)
    tagger = get_tagger()
    counts = dict.fromkeys(("lines", "same", "model_tokens", "model_same", "api_tokens",
                            "api_same", "ceiling_same"), 0)
    shown = 0
    for rec in records(name, british):
        counts["lines"] += 1
        ps, tokens = g2p(rec["text"])
        same = ps == rec["phonemes"]
        counts["same"] += same
        words = [t[0] for t in rec["spacy_tokens"]]
        tags = tagger.tag(words, [t[2] for t in rec["spacy_tokens"]])
        counts["model_tokens"] += len(words)
        counts["model_same"] += sum(a == t[1] for a, t in zip(tags, rec["spacy_tokens"]))
        ours = [(t.text, t.tag) for t in tokens]
        theirs = [(t[0], t[1]) for t in rec["tokens"]]
        if [t for t, _ in ours] == [t for t, _ in theirs]:
            counts["api_tokens"] += len(theirs)
            counts["api_same"] += sum(a == b for a, b in zip(ours, theirs))
        if spacy_tags:
            spacy = [t[1] for t in rec["spacy_tokens"]]
            counts["ceiling_same"] += read_with_tags(g2p, rec["text"], rec["spacy_tokens"],
                                                     spacy) == rec["phonemes"]
        if not same and shown < show:
            shown += 1
            print(f"{rec['id']}\t{rec['text']}\n  misaki: {rec['phonemes']}\n  ours:   {ps}")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--british", action="store_true")
    parser.add_argument("--mode", default="exact", choices=en.MODES)
    parser.add_argument("--normalization", default=None, help="deprecated G2P option (extended mode)")
    parser.add_argument("--corpus", nargs="+", default=["news", "dev"])
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--spacy-tags", action="store_true")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    for name in args.corpus:
        options = {"mode": args.mode}
        if args.normalization:
            options["normalization"] = args.normalization
        c = measure(name, args.british, options, args.show, args.spacy_tags)
        pct = lambda a, b: f"{100 * c[a] / max(c[b], 1):.2f} % ({c[a]:,} of {c[b]:,})"  # noqa: E731
        setting = args.mode + (f"/{args.normalization}" if args.normalization else "")
        print(f"{name} {'GB' if args.british else 'US'} {setting}: "
              f"lines {pct('same', 'lines')}; model tags {pct('model_same', 'model_tokens')}; "
              f"API tags {pct('api_same', 'api_tokens')}"
              + (f"; spaCy tags fed in {pct('ceiling_same', 'lines')}" if args.spacy_tags else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
