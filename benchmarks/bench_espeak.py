#!/usr/bin/env python3
"""Time the eSpeak NG fallback per word (run on demand; not part of the test suite).

    python -m benchmarks.bench_espeak [--rounds 5]

Words: the distinct texts of golden/espeak_us.tsv (dev-corpus section). Prints the best of
``--rounds`` rounds, in microseconds of CPU time per word, for:

* the bare ctypes call (``espeak_TextToPhonemes`` and nothing else);
* ``EspeakFallback`` without its answer cache (punctuation handling + eSpeak + mapping table);
* ``EspeakFallback`` with the cache, every word already seen (repeated unknown words);
* US and GB instances called alternately (eSpeak switches voice on every call).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from misaki_lite.espeak import EspeakFallback  # noqa: E402
from misaki_lite.fallback._espeak import engine  # noqa: E402
from misaki_lite.token import MToken  # noqa: E402

class Uncached(EspeakFallback):
    cache_size = 0


_ESCAPE = re.compile(r"\\(\\|x[0-9a-fA-F]{2})")


def _unescape(m: re.Match) -> str:
    return "\\" if m.group(1) == "\\" else chr(int(m.group(1)[1:], 16))


def dev_words() -> list[str]:
    words, section = [], None
    for line in (ROOT / "golden" / "espeak_us.tsv").read_text(encoding="utf-8").split("\n"):
        if line.startswith("# section:"):
            section = line.split(":", 1)[1].strip()
        elif line and not line.startswith("#") and section == "dev-corpus":
            words.append(_ESCAPE.sub(_unescape, line.split("\t")[0]))
    return words


def best_per_word(func, items, rounds: int) -> float:
    """Best round, in µs of this thread's CPU time per item (steadier than wall time on a
    busy machine; the two agree on an idle one)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.thread_time()
        for item in items:
            func(item)
        best = min(best, time.thread_time() - start)
    return best / len(items) * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    rounds = ap.parse_args().rounds
    words = dev_words()
    tokens = [MToken(text=w, tag="NN", whitespace="") for w in words]
    eng = engine()
    print(f"{len(words)} words, eSpeak NG {eng.version}, best of {rounds} rounds, CPU µs/word")
    for british in (False, True):
        name = "gb" if british else "us"
        uncached = Uncached(british)
        cached = EspeakFallback(british)
        for tk in tokens:
            cached(tk)                       # loads the library and fills the cache
        raw = best_per_word(lambda w: eng.text_to_phonemes(w, f"en-{name}"), words, rounds)
        full = best_per_word(uncached, tokens, rounds)
        hit = best_per_word(cached, tokens, rounds)
        print(f"{name}: ctypes call {raw:6.1f} | EspeakFallback {full:6.1f} | cached {hit:5.2f}")
    us, gb = Uncached(False), Uncached(True)
    alternating = best_per_word(lambda t: (us(t), gb(t)), tokens, rounds) / 2
    print(f"us/gb alternating, voice switch on every call: {alternating:6.1f}")


if __name__ == "__main__":
    main()
