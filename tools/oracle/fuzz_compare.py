#!/usr/bin/env python3
"""Compare misaki_lite's exact mode with misaki's answers from tools/oracle/fuzz_oracle.py.

    python -m tools.oracle.fuzz_compare ANSWERS.jsonl [...] [--show N] [--british] [--out DIFFS.jsonl]

For every record: our phonemes end to end (our tokenizer and tagger) and with spaCy's tokens
and tags fed in (everything after tagging; ``tools/oracle/tagger_ceiling.read_with_tags``). Prints the
counts of differing lines for both, per dialect; ``--out`` writes each differing line with both
answers, for sorting into classes. Records made with ``fuzz_oracle --tokens`` also have their
tokens compared, field by field (``fuzz_oracle.TOKEN_FIELDS``). Each record is read with the
G2P configuration it was made with (its ``"fallback"`` and ``"unk"``; see fuzz_oracle).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

from misaki_lite import en, espeak  # noqa: E402
from tools.oracle.fuzz_oracle import TOKEN_FIELDS, token_fields  # noqa: E402
from tools.oracle.tagger_ceiling import read_with_tags  # noqa: E402


def _config(rec: dict) -> tuple:
    """The G2P configuration a record was made with: (fallback, unk)."""
    return rec.get("fallback", "espeak"), rec.get("unk", "❓")


def _batches(paths: list[str], size: int, skipped: list):
    """The records misaki answered, ``size`` at a time and of one configuration; those it
    raised on (or crashed on) go to ``skipped``."""
    batch = []
    for path in paths:
        for line in open(path, encoding="utf-8"):
            rec = json.loads(line)
            if batch and "error" not in rec and _config(rec) != _config(batch[0]):
                yield batch
                batch = []
            (skipped if "error" in rec else batch).append(rec)
            if len(batch) == size:
                yield batch
                batch = []
    if batch:
        yield batch


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("answers", nargs="+")
    ap.add_argument("--british", action="store_true", help="only GB (default: US and GB)")
    ap.add_argument("--us", action="store_true", help="only US")
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--out")
    args = ap.parse_args()
    dialects = ["gb"] if args.british else ["us"] if args.us else ["us", "gb"]
    g2ps: dict = {}   # (dialect, fallback, unk): exact mode so configured
    counts = {d: {"lines": 0, "e2e": 0, "fed": 0, "with_tokens": 0, "tokens": 0} for d in dialects}
    out = open(args.out, "w", encoding="utf-8", buffering=1) if args.out else None
    shown = 0
    skipped: list = []
    for batch in _batches(args.answers, 64, skipped):
        fallback, unk = _config(batch[0])
        for d in dialects:
            if (d, fallback, unk) not in g2ps:
                g2ps[d, fallback, unk] = en.G2P(
                    british=d == "gb", mode="exact", unk=unk,
                    fallback=espeak.EspeakFallback(british=d == "gb") if fallback == "espeak" else None)
            g2p = g2ps[d, fallback, unk]
            for rec, (ours, tokens) in zip(batch, g2p.many([rec["text"] for rec in batch])):
                want = rec[d]
                if f"{d}_tokens" in rec:
                    counts[d]["with_tokens"] += 1
                    mine = [token_fields(tk) for tk in tokens]
                    if json.loads(json.dumps(mine)) != rec[f"{d}_tokens"]:
                        counts[d]["tokens"] += 1
                        field = next((f for a, b in zip(mine, rec[f"{d}_tokens"])
                                      for f, x, y in zip(TOKEN_FIELDS, a, b) if x != y), "count")
                        if out:
                            out.write(json.dumps({"dialect": d, "text": rec["text"], "field": field,
                                                  "want_tokens": rec[f"{d}_tokens"], "tokens": mine},
                                                 ensure_ascii=False) + "\n")
                toks = rec["spacy_tokens"]
                fed = read_with_tags(g2p, rec["text"], toks, [t[1] for t in toks])
                c = counts[d]
                c["lines"] += 1
                c["e2e"] += ours != want
                c["fed"] += fed != want
                if ours != want or fed != want:
                    if out:
                        out.write(json.dumps({"dialect": d, "text": rec["text"], "want": want,
                                              "ours": ours, "fed": fed}, ensure_ascii=False) + "\n")
                    if shown < args.show:
                        shown += 1
                        print(f"[{d}] {rec['text']}\n  misaki: {want}\n  ours:   {ours}"
                              + ("" if fed == ours else f"\n  fed:    {fed}"))
    for d, c in counts.items():
        n = max(c["lines"], 1)
        print(f"{d.upper()}: {c['lines']:,} lines; differ end to end {c['e2e']:,} "
              f"({100 * c['e2e'] / n:.2f} %), with spaCy's tags fed in {c['fed']:,} "
              f"({100 * c['fed'] / n:.2f} %)"
              + (f"; tokens differ on {c['tokens']:,} of {c['with_tokens']:,}" if c["with_tokens"] else ""))
    print(f"{len(skipped):,} lines skipped: misaki raised or crashed on them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
