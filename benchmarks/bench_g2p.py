#!/usr/bin/env python3
"""misaki_lite against the real misaki 0.9.4, in one run, on the same input (run on demand).

    python -m benchmarks.bench_g2p [--repeat 3] [--out benchmarks/results/g2p.json]

Measures, for both:

* throughput on the 7,000 lines of ``../shared/corpus/{news,dev}`` (lines/s, characters/s,
  ms per line p50/p95; one process, one call a line), misaki_lite in its default mode and in
  ``mode="exact"``; misaki_lite's ``phonemize_many`` with 1 and with ``--jobs`` worker
  processes; and the CLI on that file (``misaki-lite -f``, 1 and ``--jobs`` processes) with
  the peak RSS of its largest process and of its process tree; and, when Dask is installed (the ``dask`` extra), a bag of
  the lines through ``misaki_lite.run.dask.phonemize_bag`` on Dask's local process scheduler
  with 1 and ``--jobs`` workers (pool start included, as a user's ``compute()`` pays it);
* p50/p95 latency per line for short (50-70 characters) and long (350-450 characters) lines
  of the same file;
* cold start (process start to the first phonemes of ``"Hello world."``) and peak RSS of that
  process: ``misaki-lite "Hello world."`` installed in a fresh venv, against misaki in the
  oracle venv, both with the environment a user has (no ``OPENBLAS_NUM_THREADS``);
* installed size of the dependency closure (misaki-lite without extras, in that fresh venv;
  misaki: its oracle venv);
* the eSpeak fallback per word (``bench_espeak.py``'s figure).

misaki runs in its own environment (``~/.cache/misaki-ref``, see ``../shared/reference/``)
through ``misaki_driver.py``, a subprocess; this process never imports misaki. Repeats are
interleaved (misaki_lite, then misaki, each repeat) so that load from other processes hits
both alike; each misaki_lite repeat starts from fresh lexicon caches. Figures are medians over
repeats. Results are printed as a table and written as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

from benchmarks._procs import closure, first_output, fresh_venv  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
FORTUNES = CORPUS / "dev" / "fortunes.txt"
NEWS = sorted((CORPUS / "news").glob("*.txt"))
ORACLE = Path.home() / ".cache" / "misaki-ref" / "bin" / "python"
# issue 22's targets (the closure has none: it is reported against misaki's)
TARGETS = {"throughput_ratio": 6.0, "cold_start_s": 0.25, "peak_rss_mb": 60.0,
           "espeak_us_per_word": 30.0, "jobs_speedup": 1.8}


def corpus() -> dict[str, list[str]]:
    lines = [ln.rstrip("\n") for path in [*NEWS, FORTUNES] for ln in path.open(encoding="utf-8")]
    lines = [ln for ln in lines if ln.strip()]
    return {"all": lines,
            "short": [ln for ln in lines if 50 <= len(ln) <= 70][:200],
            "long": [ln for ln in lines if 350 <= len(ln) <= 450]}


# -- the two contenders --------------------------------------------------------------------

def lite_pass(lines: list[str], mode: str = "extended") -> tuple[list[float], list[str]]:
    """One timed pass of misaki_lite over ``lines``, from fresh lexicon caches."""
    from misaki_lite.config import G2PConfig
    from misaki_lite.reading import lexicon

    lexicon.load_tier.cache_clear()
    g2p = G2PConfig(mode=mode).build()
    g2p("Warm up.")
    seconds, phonemes = [], []
    for line in lines:
        t0 = time.perf_counter()
        ps, _ = g2p(line)
        seconds.append(time.perf_counter() - t0)
        phonemes.append(ps)
    return seconds, phonemes


class Misaki:
    """The oracle driver as a long-lived subprocess answering one request per line."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([str(ORACLE), str(HERE / "misaki_driver.py"), "serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     encoding="utf-8", stderr=subprocess.DEVNULL)
        self.ready = json.loads(self.proc.stdout.readline())["ready"]

    def run(self, lines: list[str]) -> tuple[list[float], list[str]]:
        self.proc.stdin.write(json.dumps({"lines": lines}) + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        return reply["seconds"], reply["phonemes"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def batch_rate(lines: list[str], jobs: int) -> float:
    from misaki_lite.run.batch import phonemize_many

    t0 = time.perf_counter()
    for _ in phonemize_many(lines, workers=jobs, chunksize=64):
        pass
    return len(lines) / (time.perf_counter() - t0)


def dask_rate(lines: list[str], workers: int) -> float | None:
    """Lines/s of ``phonemize_bag`` over ``lines`` on Dask's process scheduler with ``workers``
    processes, partitions of 250 lines; None without Dask."""
    try:
        import dask.bag as db

        from misaki_lite.run.dask import phonemize_bag
    except ImportError:
        return None
    bag = db.from_sequence(lines, partition_size=250)
    t0 = time.perf_counter()
    out = phonemize_bag(bag).compute(scheduler="processes", num_workers=workers)
    seconds = time.perf_counter() - t0
    if len(out) != len(lines):
        raise RuntimeError(f"Dask gave {len(out)} lines for {len(lines)}")
    return len(lines) / seconds


_CLI_LAUNCHER = """
import os, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
while proc.poll() is None:           # the tree's RSS (the CLI and its workers), every 50 ms
    total = 0
    for pid in [proc.pid] + [int(p) for p in open(f"/proc/{proc.pid}/task/{proc.pid}/children").read().split()]:
        try:
            total += int(next(l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS:")).split()[1])
        except (OSError, StopIteration):
            pass
    peak = max(peak, total)
    time.sleep(0.05)
largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss   # KB: the largest process's peak
print(time.perf_counter() - start, peak / 1024, proc.returncode, largest / 1024)
"""


def cli_run(lines: list[str], jobs: int) -> dict:
    """``misaki-lite -f`` over ``lines`` (a temporary file): seconds, lines/s, and two peaks: of
    the process tree's summed RSS (sampled every 50 ms: the figure for ``--jobs N``), and of the
    largest single process (``getrusage``, as ``/usr/bin/time`` reports it: the figure for
    ``--jobs 1``, whose tree sum counts twice the pages a forked eSpeak child shares with it)."""
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
        fh.flush()
        argv = [sys.executable, "-m", "misaki_lite.run.cli", "-f", fh.name, "--jobs", str(jobs)]
        out = subprocess.run([sys.executable, "-S", "-c", _CLI_LAUNCHER, *argv], capture_output=True,
                             text=True, check=True, cwd=ROOT).stdout.split()
    if out[2] != "0":
        raise RuntimeError(f"misaki-lite -f exited with status {out[2]}")
    return {"jobs": jobs, "seconds": float(out[0]), "lines_per_s": len(lines) / float(out[0]),
            "peak_tree_rss_mb": float(out[1]), "peak_process_rss_mb": float(out[3])}


# -- measurements --------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def speed(sets: dict[str, list[str]], repeat: int, jobs: int) -> dict:
    misaki = Misaki()
    who_all = ("lite", "lite_exact", "misaki")
    times: dict[str, dict[str, list]] = {who: {k: [] for k in sets} for who in who_all}
    outputs: dict[str, list[str]] = {}
    batch: dict[int, list[float]] = {1: [], jobs: []}
    cli: dict[int, list[dict]] = {1: [], jobs: []}
    dask: dict[int, list] = {1: [], jobs: []}
    for _ in range(repeat):              # interleaved: load from elsewhere hits all alike
        for name, lines in sets.items():
            for who in who_all:
                if who == "misaki":
                    secs, ps = misaki.run(lines)
                else:
                    secs, ps = lite_pass(lines, "exact" if who == "lite_exact" else "extended")
                times[who][name].append(secs)
                if name == "all":
                    outputs[who] = ps
        for n in sorted(batch):
            batch[n].append(batch_rate(sets["all"], n))
            cli[n].append(cli_run(sets["all"], n))
            dask[n].append(dask_rate(sets["all"], n))
    misaki.close()
    chars = sum(len(ln) for ln in sets["all"])
    res: dict = {"lines": len(sets["all"]), "characters": chars, "misaki_ready_s": misaki.ready}
    for who in who_all:
        totals = [sum(s) for s in times[who]["all"]]
        t = statistics.median(totals)
        pooled_all = [x for run in times[who]["all"] for x in run]
        res[who] = {"lines_per_s": len(sets["all"]) / t, "chars_per_s": chars / t,
                    "ms_per_line": 1000 * t / len(sets["all"]), "repeat_totals_s": totals,
                    "p50_ms": 1000 * pct(pooled_all, 50), "p95_ms": 1000 * pct(pooled_all, 95)}
        for name in ("short", "long"):
            pooled = [x for run in times[who][name] for x in run]
            res[who][name] = {"p50_ms": 1000 * pct(pooled, 50), "p95_ms": 1000 * pct(pooled, 95),
                              "lines": len(sets[name])}
    res["ratio"] = res["lite"]["lines_per_s"] / res["misaki"]["lines_per_s"]
    res["ratio_exact"] = res["lite_exact"]["lines_per_s"] / res["misaki"]["lines_per_s"]
    res["identical_lines"] = sum(a == b for a, b in zip(outputs["lite"], outputs["misaki"]))
    res["identical_lines_exact"] = sum(a == b for a, b in zip(outputs["lite_exact"], outputs["misaki"]))
    res["lite"]["batch"] = {n: {"lines_per_s": statistics.median(r), "runs": r} for n, r in batch.items()}
    res["lite"]["dask"] = {n: {"lines_per_s": statistics.median(r), "runs": r}
                           for n, r in dask.items() if None not in r}
    res["lite"]["cli"] = {n: {"lines_per_s": statistics.median(x["lines_per_s"] for x in r),
                              "peak_tree_rss_mb": max(x["peak_tree_rss_mb"] for x in r),
                              "peak_process_rss_mb": max(x["peak_process_rss_mb"] for x in r), "runs": r}
                          for n, r in cli.items()}
    return res


def startup(venv: Path, repeat: int, reinstall: bool = True) -> dict:
    bindir = fresh_venv(venv, reinstall)
    runs = {"lite": [first_output([str(bindir / "misaki-lite"), "Hello world."]) for _ in range(repeat)],
            "misaki": [first_output([str(ORACLE), str(HERE / "misaki_driver.py"), "hello"])
                       for _ in range(repeat)]}
    res = {}
    for who, rs in runs.items():
        res[who] = {"cold_start_s": statistics.median(r[0] for r in rs),
                    "peak_rss_mb": statistics.median(r[1] for r in rs),
                    "output": rs[0][2], "runs": [[r[0], r[1]] for r in rs]}
    sizes = {"lite": closure(bindir / "python"), "misaki": closure(ORACLE)}
    for who, s in sizes.items():
        res[who]["closure_mb"] = sum(s.values()) / 1e6
        res[who]["closure"] = {k: round(v / 1e6, 2) for k, v in sorted(s.items(), key=lambda kv: -kv[1])}
    return res


def espeak_figure() -> dict:
    out = subprocess.run([sys.executable, str(HERE / "bench_espeak.py"), "--rounds", "5"],
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r"^us:\D*?([\d.]+)\D*?EspeakFallback\s+([\d.]+)", out, re.M)
    if m is None:
        return {"output": out}   # bench_espeak.py changed its format: the raw output is kept
    return {"raw_us_per_word": float(m.group(1)), "fallback_us_per_word": float(m.group(2)), "output": out}


def stages(lines: list[str]) -> dict:
    """Where misaki_lite's time goes: own time per module under cProfile, one pass, warm G2P."""
    import cProfile
    import pstats

    from misaki_lite.config import G2PConfig

    g2p = G2PConfig().build()
    g2p("Warm up.")
    prof = cProfile.Profile()
    prof.runcall(lambda: [g2p(line) for line in lines])
    per_module: dict[str, float] = {}
    for (path, _, _), (_, _, own, _, _) in pstats.Stats(prof).stats.items():  # type: ignore[attr-defined]
        parts = Path(path).parts
        if "misaki_lite" in parts:
            key = "/".join(parts[parts.index("misaki_lite"):])
        elif path == "~":
            key = "builtins (C calls)"
        else:
            key = "python: " + Path(path).stem
        per_module[key] = per_module.get(key, 0.0) + own
    total = sum(per_module.values())
    top = sorted(per_module.items(), key=lambda kv: -kv[1])[:15]
    return {"total_s": total, "share": {k: round(v / total, 3) for k, v in top}}


# -- report --------------------------------------------------------------------------------

def rows(r: dict) -> list[tuple[str, str, str, str]]:
    """(measure, misaki, misaki_lite, target and verdict) for the table."""
    s, p = r.get("speed"), r.get("startup")
    out = []

    def verdict(value: float, key: str, higher: bool = False) -> str:
        ok = value >= TARGETS[key] if higher else value <= TARGETS[key]
        return f"{'>=' if higher else '<='} {TARGETS[key]:g}: {'met' if ok else 'NOT met'}"

    if s:
        m, lt, ex = s["misaki"], s["lite"], s["lite_exact"]
        out += [("throughput, lines/s (1 process, a call a line)", f"{m['lines_per_s']:.0f}",
                 f"{lt['lines_per_s']:.0f}", f"x{s['ratio']:.1f}, " + verdict(s["ratio"], "throughput_ratio", higher=True)),
                ("the same, mode=\"exact\"", "", f"{ex['lines_per_s']:.0f}",
                 f"x{s['ratio_exact']:.1f}, " + verdict(s["ratio_exact"], "throughput_ratio", higher=True)),
                ("throughput, characters/s", f"{m['chars_per_s']:.0f}", f"{lt['chars_per_s']:.0f}", ""),
                ("ms per line, mean / p50 / p95", f"{m['ms_per_line']:.2f} / {m['p50_ms']:.2f} / {m['p95_ms']:.2f}",
                 f"{lt['ms_per_line']:.2f} / {lt['p50_ms']:.2f} / {lt['p95_ms']:.2f}", "")]
        for name, label in (("short", "short lines (50-70 chars)"), ("long", "long lines (350-450 chars)")):
            out.append((f"{label} p50 / p95, ms", f"{m[name]['p50_ms']:.2f} / {m[name]['p95_ms']:.2f}",
                        f"{lt[name]['p50_ms']:.2f} / {lt[name]['p95_ms']:.2f}", ""))
        b, c = lt["batch"], lt["cli"]
        one, many = min(b), max(b)
        for n in sorted(b):
            out.append((f"phonemize_many, {n} process(es), lines/s", "", f"{b[n]['lines_per_s']:.0f}", ""))
        for n in sorted(c):
            out.append((f"misaki-lite -f, --jobs {n}: lines/s, peak RSS MB (process / tree)", "",
                        f"{c[n]['lines_per_s']:.0f}, {c[n]['peak_process_rss_mb']:.1f} / {c[n]['peak_tree_rss_mb']:.0f}",
                        verdict(c[n]["peak_process_rss_mb"], "peak_rss_mb") if n == 1 else ""))
        if many > one:
            gain = c[many]["lines_per_s"] / c[one]["lines_per_s"]
            out.append((f"--jobs {many} against 1 (CLI)", "", f"x{gain:.2f}", verdict(gain, "jobs_speedup", higher=True)))
        d = lt.get("dask", {})
        for n in sorted(d):
            out.append((f"Dask bag, {n} worker process(es), lines/s", "", f"{d[n]['lines_per_s']:.0f}", ""))
        out.append(("lines identical to misaki's (default / exact)", "",
                    f"{s['identical_lines']} / {s['identical_lines_exact']} of {s['lines']}", ""))
    if p:
        m, lt = p["misaki"], p["lite"]
        out += [("cold start to first phonemes, s", f"{m['cold_start_s']:.3f}", f"{lt['cold_start_s']:.3f}",
                 verdict(lt["cold_start_s"], "cold_start_s")),
                ("peak RSS of that process, MB", f"{m['peak_rss_mb']:.0f}", f"{lt['peak_rss_mb']:.1f}",
                 verdict(lt["peak_rss_mb"], "peak_rss_mb")),
                ("installed closure, MB (no extras)", f"{m['closure_mb']:.0f}", f"{lt['closure_mb']:.1f}", "")]
    if "fallback_us_per_word" in r.get("espeak", {}):
        e = r["espeak"]
        figure = f"{e['fallback_us_per_word']:.1f} (raw call {e['raw_us_per_word']:.1f})"
        out.append(("eSpeak fallback, µs/word", "", figure,
                    verdict(e["fallback_us_per_word"], "espeak_us_per_word")))
    return out


def table(r: dict) -> str:
    head = ("measure", "misaki 0.9.4", "misaki_lite", "target")
    body = [head, tuple("-" * 3 for _ in head)] + rows(r)
    return "\n".join("| " + " | ".join(cells) + " |" for cells in body)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="repeats per measurement (medians reported)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for the batch row (1: skip it)")
    ap.add_argument("--venv", type=Path, default=Path.home() / ".cache" / "misaki-lite-bench" / "venv",
                    help="fresh venv for cold start and installed size (created once, then reused)")
    ap.add_argument("--no-reinstall", action="store_true",
                    help="use the venv as it is (do not reinstall misaki-lite from this checkout)")
    ap.add_argument("--only", choices=["speed", "startup", "espeak", "stages"], action="append",
                    help="run only these parts (repeatable; default: all but stages, a profile of "
                         "where misaki_lite's time goes)")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "g2p.json")
    args = ap.parse_args()
    parts = args.only or ["speed", "startup", "espeak"]
    if "speed" in parts or "startup" in parts:
        if not ORACLE.exists():
            sys.exit(f"bench_g2p: the oracle environment {ORACLE} is missing; "
                     "build it with ../shared/reference/setup.sh")
    result: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                                "loadavg_start": os.getloadavg()}, "repeat": args.repeat}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    steps = {"stages": lambda: stages(corpus()["all"][:1000]),
             "speed": lambda: speed(corpus(), args.repeat, args.jobs),
             "startup": lambda: startup(args.venv, max(args.repeat, 5), not args.no_reinstall),
             "espeak": espeak_figure}
    for part in ("speed", "startup", "espeak", "stages"):
        if part in parts:
            result[part] = steps[part]()
            save(args.out, result)           # a later part failing keeps the earlier ones
    result["machine"]["loadavg_end"] = os.getloadavg()
    print(table(result))
    if "stages" in result:
        print("\nmisaki_lite own time per module (cProfile, 1,000 lines): " + ", ".join(
            f"{k} {100 * v:.0f}%" for k, v in result["stages"]["share"].items()))
    load = result["machine"]
    print(f"\n{os.cpu_count()} CPUs; load average {load['loadavg_start'][0]:.1f} at start, "
          f"{load['loadavg_end'][0]:.1f} at end; medians of {args.repeat} repeats.")
    save(args.out, result)
    print(f"written: {args.out}")


def save(path: Path, result: dict) -> None:
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
