"""Worst-case timings and memory (issue 7): adversarial lines and a 100 MB input file.

    python benchmarks/bench_adversarial.py                    # every case at 1 MB
    python benchmarks/bench_adversarial.py --size 262144 --cases brackets digits-commas-periods
    python benchmarks/bench_adversarial.py --rss --rss-mb 100 --rss-seconds 600

Adversarial lines (one G2P call each, US with the eSpeak fallback, CPU seconds of the call
alone; the target is under 2 s for 1 MB): digits/commas/periods, ``[ ] ( )``, apostrophes
and hyphens, one 100,000-letter word, alternating scripts, and ordinary English for scale.
Each case runs in its own process with a limit of CPU seconds (``--limit``), so one slow case
neither hides the others nor runs for ever; a case over the limit reports
``over_cpu_limit: true``. The cases live in ``fuzz/adversarial.py``, shared with
``tests/test_hardening.py``.

``--rss`` generates a file of ``--rss-mb`` MB under /tmp (never in the repo; removed after),
made of ordinary sentences plus a few bad lines (invalid UTF-8, NUL, a 1 MB line), runs
``python -m misaki_lite.cli -f FILE`` on it, samples the child's resident memory every second
from /proc and reports the peak (VmHWM), the lines written and the throughput. With
``--rss-seconds`` the run stops after that long (a 100 MB file takes hours at ~10-20 KB/s);
a flat RSS curve over the run is the evidence of streaming.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fuzz"))
from adversarial import CASES, EXTRA_CASES, MB, CaseError, run_case  # noqa: E402

ALL_CASES = {**CASES, **EXTRA_CASES}


def time_case(name: str, n: int, limit: float) -> dict:
    try:
        result = run_case(ALL_CASES[name], n, cpu_limit=limit, limit=10 * limit)
    except CaseError as exc:
        return {"case": name, "n": n, "error": str(exc)}
    return {"case": name, "n": n, **result}


# -- peak memory of the CLI on a huge file ---------------------------------------------------

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Dr. Smith paid $5.50 for 3 coffees at 10:30 on 12/25/2024, didn't he?",
    "I read the record before I could record what I read.",
    "Zorblaxian glarmonious wubbleshire met Ozymandiax in the 1990s.",
    "She sells seashells by the seashore; 50% of them are from the U.K.",
]


def make_file(path: Path, megabytes: int) -> int:
    """Write ``megabytes`` MB of sentences with a few bad lines; returns the line count."""
    rnd = random.Random(3)
    target, written, lines = megabytes * MB, 0, 0
    with open(path, "wb") as out:
        while written < target:
            if lines % 50_000 == 7:
                chunk = b"bad \xff\xfe utf-8\n"
            elif lines % 50_000 == 8:
                chunk = b"a nul \x00 inside\n"
            elif lines == 100:
                chunk = b"long " * (MB // 5) + b"\n"
            else:
                chunk = (" ".join(rnd.choice(SENTENCES) for _ in range(rnd.randint(1, 4)))
                         + "\n").encode()
            out.write(chunk)
            written += len(chunk)
            lines += 1
    return lines


def _status(pid: int) -> dict:
    fields = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) // 1024
    return fields


def peak_rss(megabytes: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="misaki-rss-", dir="/tmp") as tmp:
        path = Path(tmp) / "huge.txt"
        total_lines = make_file(path, megabytes)
        out_path = Path(tmp) / "out.txt"
        start = time.perf_counter()
        with open(out_path, "wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "misaki_lite.cli", "-f", str(path)],
                                    cwd=ROOT, stdout=out, stderr=subprocess.PIPE)
            curve, hwm = [], 0
            while proc.poll() is None and time.perf_counter() - start < seconds:
                time.sleep(1.0)
                try:
                    st = _status(proc.pid)
                except (FileNotFoundError, ProcessLookupError):
                    break
                hwm = max(hwm, st.get("VmHWM", 0))
                curve.append((round(time.perf_counter() - start), st.get("VmRSS", 0)))
            finished = proc.poll() is not None
            if not finished:
                hwm = max(hwm, _status(proc.pid).get("VmHWM", 0))
                proc.kill()
            _, err = proc.communicate()
        elapsed = time.perf_counter() - start
        done = out_path.read_bytes().count(b"\n")
        consumed = 0
        with open(path, "rb") as fh:
            for _ in range(done):
                consumed += len(fh.readline())
        step = max(1, len(curve) // 10)
        return {"file_mb": megabytes, "file_lines": total_lines, "finished": finished,
                "seconds": round(elapsed, 1), "lines_written": done,
                "bytes_consumed": consumed, "kb_per_s": round(consumed / 1024 / elapsed, 1),
                "peak_rss_mb": hwm, "rss_curve_mb": curve[::step],
                "stderr_first": err.decode(errors="replace").splitlines()[:3]}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=MB, help="characters per line (default 1 MB)")
    ap.add_argument("--cases", nargs="*", default=list(ALL_CASES), choices=list(ALL_CASES))
    ap.add_argument("--limit", type=float, default=300.0, help="CPU seconds per case before giving up")
    ap.add_argument("--rss", action="store_true", help="measure the CLI on a huge file instead")
    ap.add_argument("--rss-mb", type=int, default=100)
    ap.add_argument("--rss-seconds", type=float, default=float("inf"))
    args = ap.parse_args(argv)
    if args.rss:
        print(json.dumps(peak_rss(args.rss_mb, args.rss_seconds)), flush=True)
        return
    for name in args.cases:
        print(json.dumps(time_case(name, args.size, args.limit)), flush=True)


if __name__ == "__main__":
    main()
