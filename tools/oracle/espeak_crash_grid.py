#!/usr/bin/env python3
"""The eSpeak crash grid (issue 19): short strings that mix symbols, hyphens, punctuation
and scripts, read by raw eSpeak NG and by misaki_lite, counting the ones that kill the process.

    python -m tools.oracle.espeak_crash_grid                      # raw eSpeak, safe_text, G2P
    python -m tools.oracle.espeak_crash_grid --target raw --show 20
    python -m tools.oracle.espeak_crash_grid --target g2p --json results.json

``raw`` sends each string straight to ``Engine.text_to_phonemes`` (the ctypes layer of
``misaki_lite.fallback``) with the en-us voice, selected afresh before every string, so that
no string sees the voice an earlier one left behind; ``safe`` the same after
``misaki_lite.fallback.safe.safe_text``, which is what the fallback sends. ``g2p`` reads each string with
``en.G2P`` and the eSpeak fallback in the four configurations (US/GB x exact/extended) and
through ``EspeakFallback`` directly (what reaches the fallback when grouping hands it a
whole span).

The reader is loaded once; every string is then read in a child process forked from it, so a
crash costs one child and every string starts from the same state (POSIX only). A string
counts as a crash when its child dies of a signal or exits non-zero; a Python exception is
not a crash.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import sys

SYMBOLS = ["\ufffd", "\u20b2", "\u20ac", "\u00a9", "\u2122", "\u00b0", "\U0001f642", "#", "%",
           "&", "*", "@", "+", "=", "~", "^", "|", "\\", "/", "\u00a7", "\u2020", "<", "$"]
JOINERS = ["-", "\u2010", "\u2013", "\u2014", "_", ".", ",", "'", '"', "!", "?", ":", ";",
           "(", ")", " ", ""]
SCRIPTS = ["\u0928\u092e", "\u092e\u0938", "\u0928", "\u0986\u09ae", "\u5b57", "\u03bb\u03cc",
           "\u0441\u043b", "\u0643\u0644", "\u05e9\u05dc", "\u0e2a\u0e27", "\u0ba8\u0bae",
           "\ud55c", "\u304b\u306a", "\u0562\u0561", "\u10e1\u10d8", "\u0d95\u0dbd"]
LATIN = ["a", "ab", "1", "12", "A"]
TAILS = ["", "1", "\U0001f642a"]


def grid(tails: list[str]) -> list[str]:
    """Every ``head + joiner + body + tail``: heads from every family, bodies scripts and
    symbols."""
    items = SYMBOLS + SCRIPTS + LATIN
    seen, out = set(), []
    for head, joiner, body, tail in itertools.product(items, JOINERS, SCRIPTS + SYMBOLS, tails):
        text = head + joiner + body + tail
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def _reader(target: str):
    """A function that reads one string as ``target`` says (loaded in this process)."""
    if target in ("raw", "safe"):
        from misaki_lite.fallback._espeak import engine
        from misaki_lite.fallback.safe import safe_text
        eng = engine()
        eng.text_to_phonemes("warm up", "en-us")
        clean = safe_text if target == "safe" else str

        def read(text: str) -> None:
            eng._current = None          # en-us selected afresh, as a fresh process would
            eng.text_to_phonemes(clean(text), "en-us")
        return read
    from misaki_lite import en, espeak
    fallbacks = [espeak.EspeakFallback(british=b) for b in (False, True)]
    g2ps = [en.G2P(british=b, mode=m, fallback=fallbacks[b])
            for b in (False, True) for m in ("exact", "extended")]
    for g in g2ps:
        g("Warm up the lexicons, the tagger and eSpeak: zorblax.")

    def read(text: str) -> None:
        for g in g2ps:
            g(text)
        for f in fallbacks:
            f._phonemize(text)           # past the cache: the whole string reaches eSpeak
    return read


def crashes(target: str, strings: list[str]) -> list[tuple[str, int]]:
    """The strings that kill the process reading them, each with the signal or exit code.

    The reader is loaded once; each string is read in a child forked from this process, so
    every string starts from the same state (what no string before it left behind).
    """
    read = _reader(target)
    found = []
    for text in strings:
        pid = os.fork()
        if pid == 0:                     # the child: read, then leave without cleanup
            code = 0
            try:
                read(text)
            except BaseException:        # an exception is not a crash (other tests see it)
                code = 0
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        if status:
            found.append((text, -os.WTERMSIG(status) if os.WIFSIGNALED(status)
                          else os.WEXITSTATUS(status)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=["raw", "safe", "g2p", "all"], default="all")
    parser.add_argument("--tails", action="store_true",
                        help=f"also every string followed by one of {TAILS!r} (3x larger)")
    parser.add_argument("--show", type=int, default=10, help="crashing strings to print")
    parser.add_argument("--json", help="write the crashing strings to this file")
    args = parser.parse_args(argv)
    strings = grid(TAILS if args.tails else [""])
    targets = ["raw", "safe", "g2p"] if args.target == "all" else [args.target]
    report, failed = {"strings": len(strings)}, False
    for target in targets:
        found = crashes(target, strings)
        report[target] = {"crashes": len(found), "strings": [t for t, _ in found]}
        print(f"{target}: {len(strings)} strings, {len(found)} killed the process")
        for text, status in found[:args.show]:
            print(f"  {text!r}  {'signal ' + str(-status) if status < 0 else 'exit ' + str(status)}")
        failed |= target != "raw" and bool(found)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=True, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
