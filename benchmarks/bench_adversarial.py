"""Worst-case timings and memory (issue 7): adversarial lines and a 100 MB input file.

    python -m benchmarks.bench_adversarial                    # every case at 1 MB
    python -m benchmarks.bench_adversarial --size 262144 --cases brackets digits-commas-periods
    python -m benchmarks.bench_adversarial --size 10240 102400 1048576 --cases hyphen-chain
    python -m benchmarks.bench_adversarial --rss --rss-mb 100 --rss-seconds 600

Adversarial lines (one G2P call each, US with the eSpeak fallback, CPU seconds of the call
alone; the target is under 2 s for 1 MB): digits/commas/periods, ``[ ] ( )``, apostrophes
and hyphens, one 100,000-letter word, alternating scripts, and ordinary English for scale;
since issue 19 also ``[`` alone, valid markup links, and chains of short pieces (``a-``,
``ab-``, ``1+``, ``a/``); since 2026-12-04 month and weekday abbreviations run into one word
(``JanMon…``, quadratic in two rules' ``needs:`` until then) and a list of days
(``May 1, 2, 2…``, quadratic in the day-list look-behind).
Each case runs in its own process with a limit of CPU seconds (``--limit``), so one slow case
neither hides the others nor runs for ever; a case over the limit reports
``over_cpu_limit: true``. The cases live in ``fuzz/adversarial.py``, shared with
``tests/test_hardening.py``.

``--rss`` generates a file of ``--rss-mb`` MB under /tmp (never in the repo; removed after,
unless ``--keep PATH``): the dev corpus lines (fortunes.txt) repeated in order, with bad lines
at known numbers (every ``BAD_EVERY`` lines one of invalid UTF-8 and one holding a NUL; the
last line invalid UTF-8). It runs ``python -m misaki_lite.run.cli -f FILE --jobs N`` on it, samples
the resident memory of the CLI and its workers every second from /proc, and stops it after
``--rss-seconds``. Then it checks every output line written against what that input line gives
on its own (line order), and that the invalid lines reached were reported on stderr with their
numbers (and written as empty lines), and prints the peak memory, the RSS curve and the speed.
A flat RSS curve over a long run is the evidence of streaming.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from fuzz.adversarial import CASES, EXTRA_CASES, MB, CaseError, run_case  # noqa: E402

ALL_CASES = {**CASES, **EXTRA_CASES}


def time_case(name: str, n: int, limit: float) -> dict:
    try:
        result = run_case(ALL_CASES[name], n, cpu_limit=limit, limit=10 * limit)
    except CaseError as exc:
        return {"case": name, "n": n, "error": str(exc)}
    return {"case": name, "n": n, **result}


# -- peak memory of the CLI on a huge file ---------------------------------------------------

CORPUS = Path("/work/shared/corpus/dev/fortunes.txt")
FALLBACK_LINES = [
    "The quick brown fox jumps over the lazy dog.",
    "Dr. Smith paid $5.50 for 3 coffees at 10:30 on 12/25/2024, didn't he?",
    "Zorblaxian glarmonious wubbleshire met Ozymandiax in the 1990s.",
]
BAD_EVERY = 25_000      # line numbers n * BAD_EVERY + 7 are invalid UTF-8, + 8 hold a NUL


def source_lines() -> list[str]:
    """The dev corpus (fortunes.txt), or a few sentences where it is not available."""
    if CORPUS.is_file():
        return [line for line in CORPUS.read_text(encoding="utf-8").split("\n") if line]
    return FALLBACK_LINES


def make_file(path: Path, megabytes: float, lines: list[str]) -> dict[int, str]:
    """Write ``megabytes`` MB of ``lines`` (repeated, in order), replacing the lines numbered
    ``n * BAD_EVERY + 7`` by invalid UTF-8 and putting a NUL into those at ``+ 8``; the last
    line is invalid UTF-8 too. Returns the plan: ``{"count": lines written, "bad": [line
    numbers of invalid UTF-8], "nul": {line number: its text with the NUL}}``."""
    target, written, count = int(megabytes * MB), 0, 0
    bad, nul = [], {}
    with open(path, "wb") as out:
        while written < target:
            count += 1
            text = lines[(count - 1) % len(lines)]
            last = written + len(text.encode()) + 1 >= target
            if count % BAD_EVERY == 7 or last:
                chunk = b"bad \xff\xfe utf-8 " + text.encode()[:20] + b"\n"
                bad.append(count)
            elif count % BAD_EVERY == 8:
                nul[count] = text[:10] + "\x00" + text[10:]
                chunk = (nul[count] + "\n").encode()
            else:
                chunk = (text + "\n").encode()
            out.write(chunk)
            written += len(chunk)
            if last:
                break
    return {"count": count, "bad": bad, "nul": nul}


def _tree_rss_mb(pid: int) -> int:
    """Resident memory of ``pid`` and its children (the --jobs workers), in MB."""
    total = 0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for p in [pid, *map(int, children)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total // 1024


def _cli(args: list[str], **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "misaki_lite.run.cli", *args], cwd=ROOT, **kw)


def expected_outputs(lines: list[str], extra: list[str], folder: Path) -> dict[str, str]:
    """What the CLI writes for each distinct line (one run over them), to check the order."""
    distinct = list(dict.fromkeys(lines + extra))
    path = folder / "distinct.txt"
    path.write_text("".join(line + "\n" for line in distinct), encoding="utf-8")
    proc = _cli(["-f", str(path)], stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    return dict(zip(distinct, out.decode("utf-8").split("\n")))


def check_output(out_path: Path, err: str, plan: dict, lines: list[str],
                 expected: dict[str, str]) -> dict:
    """Compare each output line written with what its input line gives on its own."""
    bad, wrong, done = set(plan["bad"]), [], 0
    with open(out_path, encoding="utf-8") as fh:
        for lineno, got in enumerate(fh, 1):
            if not got.endswith("\n"):
                break                               # a partial last line of a stopped run
            done, got = lineno, got[:-1]
            text = plan["nul"].get(lineno, lines[(lineno - 1) % len(lines)])
            want = "" if lineno in bad else expected[text]
            if got != want and len(wrong) < 5:
                wrong.append(lineno)
    reported = [int(n) for n in re.findall(r"^misaki-lite: line (\d+):", err, re.M)]
    due = [n for n in plan["bad"] if n <= done]
    return {"lines_checked": done, "first_wrong_lines": wrong,
            "bad_lines_due": due, "bad_lines_reported": reported,
            "nul_lines_checked": len([n for n in plan["nul"] if n <= done])}


def huge_file(megabytes: float, seconds: float, jobs: int, keep: Path | None) -> dict:
    """Run ``misaki-lite -f`` on a generated file for at most ``seconds``; see the top."""
    with tempfile.TemporaryDirectory(prefix="misaki-rss-", dir="/tmp") as tmp:
        folder = Path(tmp)
        lines = source_lines()
        path = keep or folder / "huge.txt"
        plan = make_file(path, megabytes, lines)
        expected = expected_outputs(lines, list(plan["nul"].values()), folder)
        out_path = folder / "out.txt"
        start, curve, peak = time.perf_counter(), [], 0
        with open(out_path, "wb") as out, open(folder / "err.txt", "wb") as err:
            proc = _cli(["-f", str(path), "--jobs", str(jobs)], stdout=out, stderr=err)
            while proc.poll() is None and time.perf_counter() - start < seconds:
                time.sleep(1.0)
                rss = _tree_rss_mb(proc.pid)
                if rss:
                    peak = max(peak, rss)
                    curve.append((round(time.perf_counter() - start), rss))
            finished = proc.poll() is not None
            if not finished:
                proc.terminate()
            code = proc.wait()
        elapsed = time.perf_counter() - start
        err_text = (folder / "err.txt").read_text(errors="replace")
        checked = check_output(out_path, err_text, plan, lines, expected)
        step = max(1, len(curve) // 12)
        curve = curve or [(0, 0)]
        return {"file_mb": megabytes, "file_lines": plan["count"], "jobs": jobs,
                "finished": finished, "exit_code": code, "seconds": round(elapsed, 1),
                "lines_per_s": round(checked["lines_checked"] / elapsed, 1), **checked,
                "peak_tree_rss_mb": peak, "rss_curve_mb": curve[::step] + curve[-1:]}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, nargs="*", default=[MB],
                    help="characters per line, one run per size (default 1 MB)")
    ap.add_argument("--cases", nargs="*", default=list(ALL_CASES), choices=list(ALL_CASES))
    ap.add_argument("--limit", type=float, default=300.0, help="CPU seconds per case before giving up")
    ap.add_argument("--rss", action="store_true", help="measure the CLI on a huge file instead")
    ap.add_argument("--rss-mb", type=float, default=100)
    ap.add_argument("--rss-seconds", type=float, default=float("inf"))
    ap.add_argument("--jobs", type=int, default=1, help="--jobs of the CLI for --rss")
    ap.add_argument("--keep", type=Path, help="write the generated file here (and keep it)")
    args = ap.parse_args(argv)
    if args.rss:
        print(json.dumps(huge_file(args.rss_mb, args.rss_seconds, args.jobs, args.keep)),
              flush=True)
        return
    for name in args.cases:
        for size in args.size:
            print(json.dumps(time_case(name, size, args.limit)), flush=True)


if __name__ == "__main__":
    main()
