#!/usr/bin/env python3
"""Where a line's time goes: each stage of ``pipeline.run``, timed on its own (run on demand).

    OPENBLAS_NUM_THREADS=1 python -m benchmarks.bench_stages [--mode exact] [--british]

Runs the 7,000 lines of ``../shared/corpus/{news,dev}`` one call a line (as
``bench_g2p.py``'s throughput does), with the stages' functions wrapped by a timer, and prints
the milliseconds a line each took. Times are exclusive: a stage that runs another inside it
(normalization tags and reads the words it says) is charged its own time only, the inner
stage gets the rest. "other" is what no stage claims: building the tokens, the features,
assembling the phoneme string. The timer costs about a microsecond a call; cProfile's view
(time by module) is ``bench_g2p.py --only stages``.
"""
from __future__ import annotations

import argparse
import time
from typing import Callable

from benchmarks.bench_g2p import corpus


def _timed(owner, name: str, stage: str, totals: dict, stack: list) -> Callable[[], None]:
    """Wrap ``owner.name`` so that its exclusive time adds to ``totals[stage]``; returns the
    function that puts the original back."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        stack.append(0.0)                   # time spent in stages inside this one
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent = time.perf_counter() - start
            inner = stack.pop()
            totals[stage] = totals.get(stage, 0.0) + spent - inner
            if stack:
                stack[-1] += spent

    setattr(owner, name, wrapper)
    return lambda: setattr(owner, name, original)


def measure(lines: list[str], mode: str, british: bool) -> tuple[float, dict[str, float]]:
    """Seconds in all, and seconds by stage, over ``lines``."""
    from misaki_lite import normalize, pipeline
    from misaki_lite.config import G2PConfig
    from misaki_lite.reading import lexicon
    from misaki_lite.reading.reader import Reader
    from misaki_lite.tagger import fixes
    from misaki_lite.tagger.model import Tagger
    from misaki_lite.text import tokenize

    lexicon.load_tier.cache_clear()
    g2p = G2PConfig(mode=mode, british=british).build()
    g2p("Warm up.")
    totals: dict[str, float] = {}
    stack: list[float] = []
    stages = [(pipeline, "prepare", "clean, markup"), (tokenize, "tokenize", "tokenize"),
              (Tagger, "tag_many", "tag"), (fixes, "apply", "tag fixes"),
              (normalize, "apply", "normalize"), (pipeline, "fold_left", "group"),
              (pipeline, "retokenize", "group"), (Reader, "read", "read")]
    restore = [_timed(owner, name, stage, totals, stack) for owner, name, stage in stages]
    try:
        start = time.perf_counter()
        for line in lines:
            g2p(line)
        total = time.perf_counter() - start
    finally:
        for undo in reversed(restore):
            undo()
    totals["other"] = total - sum(totals.values())
    return total, totals


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", default="extended", choices=["extended", "exact"])
    ap.add_argument("--british", action="store_true")
    args = ap.parse_args()
    lines = corpus()["all"]
    total, totals = measure(lines, args.mode, args.british)
    n = len(lines)
    print(f"{n} lines, mode={args.mode}, {'GB' if args.british else 'US'}: "
          f"{n / total:.0f} lines/s, {1000 * total / n:.3f} ms a line")
    print("| stage | ms a line | share |\n| --- | --- | --- |")
    for stage, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"| {stage} | {1000 * seconds / n:.3f} | {100 * seconds / total:.1f} % |")


if __name__ == "__main__":
    main()
