#!/usr/bin/env python3
"""Pick the news-corpus lines to review in extended mode, and count what extended mode changes.

    python -m tools.golden.news_review [--corpus ../shared/corpus/news] [--seed 23] [--sample 200]
                                [--rules money/minus-or-about,time/race-time,...] > candidates.jsonl
    python -m tools.golden.news_review --rerecord      # after a deliberate change: see below

The review set is every line where a normalization rule fired, and every line with a digit, a
currency sign or an abbreviation (a short word with a full stop before a lower-case word or a
digit, or dotted capitals) that no rule touched. Out of it the tool writes every line where one
of ``--rules`` fired, then the lines of a seeded random sample of ``--sample`` lines of the whole
review set that are not among them, one JSON record
a line: ``id``, ``text``, ``kind`` (``fired`` or ``untouched``), ``rules``, ``words_us`` and
``words_gb`` (``normalize.to_words``; ``null`` when the same as US), ``phonemes_us`` (extended mode) and empty ``verdict`` and
``note`` for the reviewer, who fills them (``right`` or ``wrong``) and keeps the reviewed
records in ``tests/fixtures/news_review.jsonl``; ``tests/test_news_review.py`` fails when a
later change alters a reviewed line. The counts go to stderr: lines whose phonemes extended
mode changes against exact mode (US), and the size of the review set. ``--sample`` larger than
the review set lists all of it; the latest figures, and how many verdicts were "right", are in
``docs/reading.md`` (The news review), written there from this tool's output and the fixture.

``--rerecord`` rewrites ``words_us``, ``words_gb`` and ``phonemes_us`` of the reviewed records in
``tests/fixtures/news_review.jsonl`` with what extended mode says now, keeps every verdict and
note, and prints each changed field (old and new) to stderr: review them as you would a new
line, and set a verdict that no longer holds.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

from misaki_lite.config import G2PConfig
from misaki_lite.inventory import Dialect
from misaki_lite import normalize

ROOT = Path(__file__).resolve().parents[2]
ABBREVIATION = re.compile(r"\b[A-Za-z]{1,5}\.(?=\s+[a-z0-9])|\b(?:[A-Za-z]\.){2,}")
MONEY_OR_DIGIT = re.compile(r"[\d$£€¥₹]")


def kind(text: str, spans) -> str:
    if spans:
        return "fired"
    return "untouched" if MONEY_OR_DIGIT.search(text) or ABBREVIATION.search(text) else ""


FIXTURE = ROOT / "tests" / "fixtures" / "news_review.jsonl"


def rerecord(path: Path = FIXTURE) -> int:
    """Re-record the reviewed lines' readings (verdicts kept); the number of records changed."""
    ext = G2PConfig().build()
    records, changed = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        us, gb = normalize.to_words(rec["text"], False), normalize.to_words(rec["text"], True)
        same_gb = rec["words_gb"] if rec["words_gb"] in ("", None) else None   # "" or null: kept
        new = dict(rec, words_us=us, words_gb=same_gb if gb == us else gb,
                   phonemes_us=ext(rec["text"])[0])
        for field in ("words_us", "words_gb", "phonemes_us"):
            if new[field] != rec[field]:
                print(f"{rec['id']} {field} (verdict {rec['verdict']!r}):\n  - {rec[field]}\n"
                      f"  + {new[field]}", file=sys.stderr)
        changed += new != rec
        records.append(json.dumps(new, ensure_ascii=False))
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    print(f"{changed} of {len(records)} records changed", file=sys.stderr)
    return changed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "news")
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--sample", type=int, default=200)
    ap.add_argument("--rules", default="", help="class/rule ids whose every line is taken")
    ap.add_argument("--rerecord", action="store_true",
                    help="re-record the reviewed lines' readings in the fixture (verdicts kept)")
    args = ap.parse_args(argv)
    if args.rerecord:
        rerecord()
        return 0
    wanted = {r for r in args.rules.split(",") if r}
    ext = G2PConfig().build()
    exact = G2PConfig(mode="exact").build()
    changed, chosen, rest, order = 0, [], [], {}
    for line in (args.corpus / "meta.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        order[rec["id"]] = len(order)
        text = rec["text"]
        phonemes = ext(text)[0]
        changed += phonemes != exact(text)[0]
        spans = normalize.find(text, Dialect.US)
        k = kind(text, spans)
        if not k:
            continue
        rules = sorted({f"{s.cls}/{s.rule.id}" for s in spans})
        us, gb = normalize.to_words(text, False), normalize.to_words(text, True)
        out = {"id": rec["id"], "text": text, "kind": k, "rules": rules,
               "words_us": us, "words_gb": None if gb == us else gb,
               "phonemes_us": phonemes, "verdict": "", "note": ""}
        (chosen if wanted & set(rules) else rest).append(out)
    everything = chosen + rest                    # the sample does not depend on --rules
    everything.sort(key=lambda r: order[r["id"]])
    sample = random.Random(args.seed).sample(everything, min(args.sample, len(everything)))
    taken = {r["id"] for r in chosen}
    extra = sorted((r for r in sample if r["id"] not in taken), key=lambda r: order[r["id"]])
    print(f"changed (extended vs exact, US): {changed}; review set: {len(everything)}; "
          f"{len(chosen)} lines with the given rules, and {len(extra)} more from a sample of "
          f"{len(sample)} of the review set (seed {args.seed})", file=sys.stderr)
    for rec in chosen + extra:
        print(json.dumps(rec, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
