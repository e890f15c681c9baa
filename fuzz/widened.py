#!/usr/bin/env python3
"""Issue 19's widened robustness run: many G2P calls, supervised, then a fresh-process replay.

    python -m fuzz.widened --calls 1000000 --out /tmp/widened [--seed 0] [--replay 10000]
    python -m fuzz.widened --replay-only --out /tmp/widened --replay 10000

Call ``i`` reads string ``i`` of a seeded stream (``sentences.generate``: the kinds ``edges``,
``mixed`` and ``specials`` in turn, 2:1:1) in configuration ``i % 4`` (US/GB x extended/exact,
eSpeak fallback on) and checks it with ``targets.check_g2p``: no exception, no hang (over 1 s
of CPU), output inside the alphabet (in exact mode, except what eSpeak said: misaki passes
that on), every word of the text in the tokens. In extended mode it
also checks that nothing is lost without a report: a token holding a letter, digit or symbol
says something, or its ``_.source`` says why not (``dropped``, ``too-long``, ``punctuation``,
``currency``, ``override``).

A worker process makes the calls and reports each index before it starts it, so the
supervisor knows the input when the worker dies (a native crash: recorded, the worker is
restarted after it) or stops reporting for ``--hang`` seconds (killed, recorded as a hang).
Findings go to ``OUT/findings.jsonl``; every ``calls / replay``-th result to
``OUT/replay.jsonl``. The replay then reads each of those in a process forked from a warmed-up
one that has read nothing else: its phonemes must equal what the long-running worker gave
after everything before it (output that depends on earlier calls is a finding).
"""
from __future__ import annotations

import argparse
import json
import select
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

from fuzz import sentences, targets  # noqa: E402

KINDS = ("edges", "mixed", "edges", "specials")
CONFIGS = tuple((british, mode) for british in (False, True) for mode in ("extended", "exact"))
SILENT_OK = {"dropped", "too-long", "punctuation", "currency", "override"}
BLOCK = 1000                  # strings generated from one seed


def text_of(seed: int, i: int) -> str:
    return next(_texts(seed, i, i + 1))[1]


def _texts(seed: int, start: int, end: int):
    """(i, text) for i in [start, end), generated block by block."""
    i = start
    while i < end:
        block, k = divmod(i, BLOCK)
        gen = sentences.generate(seed * 1_000_003 + block, BLOCK, KINDS[block % len(KINDS)])
        for j, text in enumerate(gen):
            if j >= k and i < end:
                yield i, text
                i += 1


def _g2p(config):
    from misaki_lite.config import G2PConfig

    british, mode = config
    return G2PConfig(british=british, mode=mode).build()


def check_silent(text: str, tokens) -> None:
    from misaki_lite.token import has_content

    for tk in tokens:
        if tk.phonemes == "" and has_content(tk.text) and tk._.source not in SILENT_OK:
            raise targets.Finding("silent", f"token {tk.text!r} says nothing ({tk._.source})", text)


def worker(seed: int, start: int, end: int, out: Path, every: int) -> int:
    g2ps = {c: _g2p(c) for c in CONFIGS}
    targets.g2p = lambda british, mode: g2ps[(british, mode)]        # check_g2p reads these
    findings = open(out / "findings.jsonl", "a", encoding="utf-8")
    replay = open(out / "replay.jsonl", "a", encoding="utf-8")
    for i, text in _texts(seed, start, end):
        print(i, flush=True)
        config = CONFIGS[i % len(CONFIGS)]
        # exact mode is misaki's output: eSpeak's symbols outside the inventory included
        # (and markup overrides, which misaki takes as they are)
        targets.SKIP_ESPEAK_ALPHABET = config[1] == "exact"
        targets._KNOWN_LEAKY = ("espeak", "override")
        try:
            phonemes, tokens = targets.check_g2p(text, *config)
            if config[1] == "extended":
                check_silent(text, tokens)
        except Exception as exc:  # noqa: BLE001 - every failure is a finding, recorded
            findings.write(json.dumps({"i": i, "config": config, "kind": getattr(exc, "kind", type(exc).__name__),
                                       "error": str(exc)[:500], "text": text}) + "\n")
            findings.flush()
            continue
        if i % every == 0:
            replay.write(json.dumps({"i": i, "config": config, "text": text, "phonemes": phonemes}) + "\n")
    replay.close()
    return 0


def supervise(args) -> dict:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    every = max(1, args.calls // args.replay) | 1     # odd: the kept results cycle the 4 configurations
    start, crashes, hangs, t0 = args.start, 0, 0, time.time()
    while start < args.calls:
        proc = subprocess.Popen([sys.executable, "-m", "fuzz.widened", "--worker", "--seed", str(args.seed),
                                 "--start", str(start), "--calls", str(args.calls), "--out", str(out),
                                 "--every", str(every)], stdout=subprocess.PIPE, text=True, bufsize=1)
        last = start - 1
        while True:
            ready, _, _ = select.select([proc.stdout], [], [], args.hang)
            if not ready:                               # no new index for --hang seconds
                proc.kill()
                proc.wait()
                kind = "hang"
                break
            line = proc.stdout.readline()
            if not line:
                proc.wait()
                kind = "exit" if proc.returncode == 0 else f"crash (status {proc.returncode})"
                break
            last = int(line)
        if kind == "exit" and last >= args.calls - 1:
            break
        crashes += kind.startswith("crash")
        hangs += kind == "hang"
        with open(out / "findings.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"i": last, "kind": kind, "text": text_of(args.seed, last)}) + "\n")
        start = last + 1
    return {"calls": args.calls - args.start, "crashes": crashes, "hangs": hangs,
            "seconds": round(time.time() - t0)}


def replay(out: Path, limit: int) -> dict:
    """Each recorded result again, in a process forked from a warmed-up one."""
    from misaki_lite.fallback.safe import forked

    records = [json.loads(line) for line in open(out / "replay.jsonl", encoding="utf-8")][:limit]
    g2ps = {c: _g2p(c) for c in CONFIGS}
    for g in g2ps.values():
        g("Warm up, 1 2 3 \u0928\u092e.")
    differ, failed = [], 0
    for rec in records:
        g2p, text = g2ps[tuple(rec["config"])], rec["text"]
        data = forked(lambda: g2p(text)[0].encode("utf-8", "surrogatepass"))
        if data is None:
            failed += 1
            continue
        fresh = data.decode("utf-8", "surrogatepass")
        if fresh != rec["phonemes"]:
            differ.append({"i": rec["i"], "config": rec["config"], "text": rec["text"],
                           "after_history": rec["phonemes"], "fresh": fresh})
    with open(out / "replay_differ.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(d) + "\n" for d in differ)
    return {"replayed": len(records), "differ": len(differ), "failed": failed}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--out", required=True)
    ap.add_argument("--replay", type=int, default=10_000, help="results kept for the replay")
    ap.add_argument("--hang", type=float, default=30.0, help="seconds without progress")
    ap.add_argument("--replay-only", action="store_true")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--every", type=int, default=100, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.seed, args.start, args.calls, Path(args.out), args.every)
    report = {} if args.replay_only else supervise(args)
    report.update(replay(Path(args.out), args.replay))
    findings = Path(args.out) / "findings.jsonl"
    report["findings"] = sum(1 for _ in open(findings, encoding="utf-8")) if findings.exists() else 0
    print(json.dumps(report))
    return 0 if report["findings"] == 0 and report["differ"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
