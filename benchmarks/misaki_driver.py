#!/usr/bin/env python3
"""ORACLE-ONLY DRIVER: runs inside the reference environment, never in misaki_lite's.

This script imports the real misaki 0.9.4 (and through it spaCy), so it must only be run
with the interpreter of the oracle venv built by ``../shared/reference/setup.sh``::

    ~/.cache/misaki-ref/bin/python -m benchmarks.misaki_driver serve [--british]
    ~/.cache/misaki-ref/bin/python -m benchmarks.misaki_driver hello

``bench_g2p.py`` starts it as a subprocess; nothing in misaki_lite imports it, and the test
suite never runs it.

``serve``: builds ``en.G2P`` with the eSpeak fallback, prints ``{"ready": seconds}``, then
answers one JSON request per stdin line, ``{"lines": [...]}``, with
``{"seconds": [per-line wall time], "phonemes": [...]}`` (timed with ``time.perf_counter``).
``hello``: phonemizes "Hello world." once and prints it: the cold-start measurement.
"""
import argparse
import json
import sys
import time


def build(british: bool):
    from misaki import en, espeak   # oracle environment only (see the module docstring)

    return en.G2P(trf=False, british=british, fallback=espeak.EspeakFallback(british=british))


def serve(british: bool) -> None:
    start = time.perf_counter()
    g2p = build(british)
    g2p("Warm up.")
    print(json.dumps({"ready": time.perf_counter() - start}), flush=True)
    for request in sys.stdin:
        lines = json.loads(request)["lines"]
        seconds, phonemes = [], []
        for line in lines:
            t0 = time.perf_counter()
            ps, _ = g2p(line)
            seconds.append(time.perf_counter() - t0)
            phonemes.append(ps)
        print(json.dumps({"seconds": seconds, "phonemes": phonemes}, ensure_ascii=False), flush=True)


def hello() -> None:
    print(build(False)("Hello world.")[0], flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["serve", "hello"])
    ap.add_argument("--british", action="store_true")
    args = ap.parse_args()
    serve(args.british) if args.mode == "serve" else hello()


if __name__ == "__main__":
    main()
