#!/usr/bin/env python3
"""Benchmark the part-of-speech tagger: load time, throughput, agreement with spaCy.

    python -m benchmarks.bench_tagger [--repeat 3] [--batch 64] [--corpus news dev]

Tags spaCy's own tokens of every line of ``../shared/corpus/<name>/reference.jsonl`` (with
their whitespace) and prints, as JSON:

* ``load_ms``: reading the weight file (CPU and wall time; numpy imported before);
* ``line_*_tokens_per_s``: one line a call (as ``G2P`` calls it), on a cold pass (empty
  embedding cache) and the best of ``--repeat`` warm passes;
* ``batch_*_tokens_per_s``: ``tag_many`` over ``--batch`` lines a call (as
  ``phonemize_many`` and the CLI call it), cold and warm;
* ``agreement``: the share of tokens whose tag is spaCy's;
* ``sgemm_gmac_per_s``: this machine's float32 matrix product at the encoder's shape (rows of
  288 times a 288 x 288 matrix, 4,096 rows a call, best of 20), and ``encoder_ceiling_tokens_per_s``,
  what that rate allows at 4 x 288 x 288 = 331,776 multiply-adds a token: no tagging of these
  weights can go faster on this machine's BLAS, before the embedding, norms and Python;
* ``batch_block_rows_per_token``: the rows each window block computes per token in batches,
  on average over the four (thinc's padding rows between documents count too: each block
  must compute them for the tags to be spaCy's), and ``batch_encoder_ceiling_tokens_per_s``, the same bound
  with them;
* ``block_us_per_row``: one window block as the tagger computes it (the product, the maxout
  and the layer norm in thinc's float32 steps, on 1,600 rows, best of 20), and
  ``batch_blocks_ceiling_tokens_per_s``: the four blocks alone at that rate with the padding
  rows, before the embedding, the output layer and any Python.

Times are CPU seconds of this process (``time.process_time``). Pin BLAS to one thread
(``OPENBLAS_NUM_THREADS=1``) to measure one core; the script sets it when unset.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy  # noqa: E402,F401  (imported before the clock starts: the tagger's own cost only)

from misaki_lite import tagger as tagger_module  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", nargs="+", default=["news", "dev"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", type=int, default=64)
    args = ap.parse_args()
    docs, gold = [], []
    for name in args.corpus:
        with open(CORPUS / name / "reference.jsonl", encoding="utf-8") as file:
            for line in file:
                toks = json.loads(line)["spacy_tokens"]
                docs.append(([t[0] for t in toks], [t[2] for t in toks]))
                gold.append([t[1] for t in toks])
    n_tokens = sum(len(w) for w, _ in docs)
    clock = time.process_time

    start, wall = clock(), time.perf_counter()
    tagger = tagger_module.get_tagger()
    load, load_wall = clock() - start, time.perf_counter() - wall

    def by_line():
        return [tagger.tag(w, s) for w, s in docs]

    def by_batch():
        out = []
        for i in range(0, len(docs), args.batch):
            out += tagger.tag_many(docs[i:i + args.batch])
        return out

    def timed(run, cold: bool):
        best, result = None, None
        for _ in range(1 if cold else args.repeat):
            if cold:
                tagger.clear_cache()
            start = clock()
            result = run()
            took = clock() - start
            best = took if best is None else min(best, took)
        return round(n_tokens / best), result

    rows = count_block_rows(by_batch)
    line_cold, predicted = timed(by_line, cold=True)
    line_warm, _ = timed(by_line, cold=False)
    batch_cold, batched = timed(by_batch, cold=True)
    batch_warm, _ = timed(by_batch, cold=False)
    right = sum(p == g for ps, gs in zip(predicted, gold) for p, g in zip(ps, gs))
    gmac = sgemm_rate()
    block = block_time(tagger)
    print(json.dumps({
        "corpus": args.corpus,
        "tokens": n_tokens,
        "load_cpu_ms": round(load * 1000, 1),
        "load_wall_ms": round(load_wall * 1000, 1),
        "line_cold_tokens_per_s": line_cold,
        "line_warm_tokens_per_s": line_warm,
        "batch_cold_tokens_per_s": batch_cold,
        "batch_warm_tokens_per_s": batch_warm,
        "batch_same_as_line": batched == predicted,
        "agreement": round(right / n_tokens, 6),
        "sgemm_gmac_per_s": round(gmac, 1),
        "encoder_ceiling_tokens_per_s": round(gmac * 1e9 / ENCODER_MACS),
        "batch_block_rows_per_token": round(rows / n_tokens, 3),
        "batch_encoder_ceiling_tokens_per_s": round(gmac * 1e9 / (ENCODER_MACS * rows / n_tokens)),
        "block_us_per_row": round(block * 1e6, 3),
        "batch_blocks_ceiling_tokens_per_s": round(1 / (4 * block * rows / n_tokens)),
    }, indent=1))


def block_time(tagger, rows: int = 1600, rounds: int = 20) -> float:
    """CPU seconds a row of one window block takes as the tagger computes it (best of ``rounds``)."""
    import numpy as np

    from misaki_lite.tagger import model

    x = np.random.default_rng(0).standard_normal((rows, 288), dtype=np.float32)
    weights = tagger._mats[1]
    return min(_cpu_seconds(lambda: model._maxout_norm(x, *weights)) for _ in range(rounds)) / rows


def count_block_rows(run) -> int:
    """The rows one window block computes during ``run()`` (each block's maxout gets them),
    on average over the four blocks."""
    from misaki_lite.tagger import model

    real, rows = model._maxout_norm, [0]

    def counting(X, *weights):
        if X.shape[1] == 288:           # a window block (the embedding's layer takes 576)
            rows[0] += X.shape[0]
        return real(X, *weights)

    model._maxout_norm = counting
    try:
        run()
    finally:
        model._maxout_norm = real
    return rows[0] // 4


ENCODER_MACS = 4 * 288 * 288        # the four window layers, per token


def sgemm_rate(rows: int = 4096, rounds: int = 20) -> float:
    """GMAC/s of (rows x 288) @ (288 x 288) in float32, best of ``rounds`` (CPU time)."""
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.standard_normal((rows, 288), dtype=np.float32)
    w = rng.standard_normal((288, 288), dtype=np.float32)
    best = min(_cpu_seconds(lambda: x @ w) for _ in range(rounds))
    return rows * 288 * 288 / best / 1e9


def _cpu_seconds(step) -> float:
    """CPU seconds one call of ``step()`` takes."""
    start = time.process_time()
    step()
    return time.process_time() - start


if __name__ == "__main__":
    main()
