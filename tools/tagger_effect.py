#!/usr/bin/env python3
"""Which of the tagger's disagreements with spaCy change misaki's output, one token at a time.

    python tools/tagger_effect.py [--british] [--show N]

For every line of ../shared/corpus/dev/reference[_gb].jsonl the pipeline after tagging is run
on spaCy's own tokens and tags (as tools/tagger_ceiling.py does), then once more for each token
that our tagger tags differently, with only that token's tag replaced by ours. A disagreement
*changes the output* when the line's phonemes differ from the all-spaCy run.

This is the exact form of the "same reading" figure of tools/train_tagger.py, whose
``reading_class`` guesses from the tag alone (it counts NNP against any other tag for every
word in capitals, though misaki reads most of them the same under both). It also sees what
that guess cannot: a tag that decides whether punctuation is grouped with a word (``oz`` +
``.`` tagged NNP reads as one word), or changes the vowel that the next word's reading
depends on.

Reported: tokens, disagreements, and disagreements that change the output, over all tokens and
over the tokens whose tag can change misaki's reading (train_tagger.tag_matters, by reason).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from misaki_lite import en, espeak  # noqa: E402
from misaki_lite.tagger import get_tagger  # noqa: E402
from tagger_ceiling import DEV, output_changes  # noqa: E402
from train_tagger import heteronyms, tag_matters  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--british", action="store_true")
    ap.add_argument("--show", type=int, default=0,
                    help="print the first N disagreements that change the output")
    args = ap.parse_args()
    g2p = en.G2P(british=args.british, fallback=espeak.EspeakFallback(british=args.british),
                 normalization="misaki")
    tagger = get_tagger()
    hetero = heteronyms()
    path = DEV / ("reference_gb.jsonl" if args.british else "reference.jsonl")
    tokens: Counter = Counter()
    wrong: Counter = Counter()
    changed: Counter = Counter()
    lines_changed = 0
    shown = 0
    for line in path.open(encoding="utf-8"):
        rec = json.loads(line)
        toks = rec["spacy_tokens"]
        words = [t[0] for t in toks]
        gold = [t[1] for t in toks]
        ours = tagger.tag(words, [t[2] for t in toks])
        changing = output_changes(g2p, rec["text"], toks, ours)
        for i, word in enumerate(words):
            reason = tag_matters(words, i, gold[i], hetero)
            keys = ["all"] + ([reason, "matters"] if reason else [])
            tokens.update(keys)
            if ours[i] != gold[i]:
                wrong.update(keys)
            if i in changing:
                changed.update(keys)
                what = f"{reason}:{word.lower()}" if reason in ("function", "heteronym") else (
                    reason or f"other:{word}")
                changed[f"{what}:{gold[i]}->{ours[i]}"] += 1
                if shown < args.show:
                    shown += 1
                    print(f"{rec['id']}: {word!r} {gold[i]} -> {ours[i]}")
        lines_changed += bool(changing)
    keys = ["all", "matters"] + sorted(k for k in tokens if k not in ("all", "matters"))
    print(f"{path.name}: {tokens['all']} tokens, {lines_changed} lines with an output-changing "
          "disagreement")
    print(f"{'tokens':<12}{'count':>8}{'same tag':>10}{'same output':>13}")
    for key in keys:
        n = tokens[key]
        print(f"{key:<12}{n:>8}{1 - wrong[key] / n:>10.2%}{1 - changed[key] / n:>13.2%}")
    print("commonest output-changing disagreements (reason or word:spaCy->ours):")
    for key, count in Counter({k: v for k, v in changed.items() if "->" in k}).most_common(20):
        print(f"  {count:>4}  {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
