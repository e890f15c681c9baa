#!/usr/bin/env python3
"""Benchmark the part-of-speech tagger: load time, throughput, agreement with spaCy.

    python benchmarks/bench_tagger.py [--repeat 3] [--dev /work/shared/corpus/dev/reference.jsonl]

Tags the spaCy tokens of every dev line, with their whitespace, one line a call (as the
pipeline does), and prints
load time (weight file read + parse), tokens per second on a cold pass (empty feature cache,
weights parsed on first use) and on warm passes, and the token agreement with spaCy's tags. Times are CPU time of this
process (``time.process_time``), i.e. one core, so other jobs on a shared machine do not
distort them; load time is also given as wall time. The target is >= 50,000 tokens/s.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from misaki_lite import tagger as tagger_module  # noqa: E402
from misaki_lite.tagger_features import word_features  # noqa: E402

DEV = Path(__file__).resolve().parents[2] / "shared/corpus/dev/reference.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    lines = [json.loads(x)["spacy_tokens"] for x in args.dev.read_text(encoding="utf-8").splitlines()]
    sentences = [[t[0] for t in toks] for toks in lines]
    spaces = [[t[2] for t in toks] for toks in lines]
    n_tokens = sum(len(s) for s in sentences)

    clock = time.process_time  # CPU seconds of this process: the machine is shared
    start, wall = clock(), time.perf_counter()
    tagger = tagger_module.get_tagger()
    load, load_wall = clock() - start, time.perf_counter() - wall

    word_features.cache_clear()
    start = clock()
    predicted = [tagger.tag(s, w) for s, w in zip(sentences, spaces)]
    cold = clock() - start

    warm = []
    for _ in range(args.repeat):
        start = clock()
        for s, w in zip(sentences, spaces):
            tagger.tag(s, w)
        warm.append(clock() - start)

    right = sum(p == t[1] for toks, tags in zip(lines, predicted) for t, p in zip(toks, tags))
    print(json.dumps({
        "tokens": n_tokens,
        "load_cpu_ms": round(load * 1000, 1),
        "load_wall_ms": round(load_wall * 1000, 1),
        "cold_tokens_per_s": round(n_tokens / cold),
        "warm_tokens_per_s": round(n_tokens / min(warm)),
        "agreement": round(right / n_tokens, 5),
    }, indent=1))


if __name__ == "__main__":
    main()
