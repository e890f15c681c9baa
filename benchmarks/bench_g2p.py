#!/usr/bin/env python3
"""misaki_lite against the real misaki 0.9.4, in one run, on the same input (run on demand).

    python benchmarks/bench_g2p.py [--repeat 3] [--out benchmarks/results/g2p.json]

Measures, for both:

* throughput on ``../shared/corpus/dev/fortunes.txt`` (lines/s, characters/s, one process),
  and misaki_lite's batch API with ``--jobs`` worker processes;
* p50/p95 latency per line for short (50-70 characters) and long (350-450 characters) lines
  of the same file;
* cold start (process start to the first phonemes of ``"Hello world."``) and peak RSS of that
  process: ``misaki-lite "Hello world."`` installed in a fresh venv, against misaki in the
  oracle venv;
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
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from _procs import closure, first_output, fresh_venv  # noqa: E402

FORTUNES = ROOT.parent / "shared" / "corpus" / "dev" / "fortunes.txt"
ORACLE = Path.home() / ".cache" / "misaki-ref" / "bin" / "python"
TARGETS = {"throughput_ratio": 10.0, "cold_start_s": 0.2, "peak_rss_mb": 50.0,
           "closure_mb": 25.0, "espeak_us_per_word": 30.0}


def corpus() -> dict[str, list[str]]:
    lines = [ln.rstrip("\n") for ln in FORTUNES.open(encoding="utf-8")]
    lines = [ln for ln in lines if ln.strip()]
    return {"all": lines,
            "short": [ln for ln in lines if 50 <= len(ln) <= 70][:200],
            "long": [ln for ln in lines if 350 <= len(ln) <= 450]}


# -- the two contenders --------------------------------------------------------------------

def lite_pass(lines: list[str]) -> tuple[list[float], list[str]]:
    """One timed pass of misaki_lite over ``lines``, from fresh lexicon caches."""
    from misaki_lite import en, espeak, lexicon

    lexicon.load_tier.cache_clear()
    g2p = en.G2P(fallback=espeak.EspeakFallback(british=False))
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
    from misaki_lite.batch import phonemize_many

    t0 = time.perf_counter()
    for _ in phonemize_many(lines, workers=jobs, chunksize=64):
        pass
    return len(lines) / (time.perf_counter() - t0)


# -- measurements --------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def speed(sets: dict[str, list[str]], repeat: int, jobs: int) -> dict:
    misaki = Misaki()
    times: dict[str, dict[str, list]] = {who: {k: [] for k in sets} for who in ("lite", "misaki")}
    outputs: dict[str, list[str]] = {}
    batch = []
    for _ in range(repeat):
        for name, lines in sets.items():
            secs, lite_ps = lite_pass(lines)
            times["lite"][name].append(secs)
            secs, misaki_ps = misaki.run(lines)
            times["misaki"][name].append(secs)
            if name == "all":
                outputs = {"lite": lite_ps, "misaki": misaki_ps}
        if jobs > 1:
            batch.append(batch_rate(sets["all"], jobs))
    misaki.close()
    chars = sum(len(ln) for ln in sets["all"])
    res: dict = {"lines": len(sets["all"]), "characters": chars, "misaki_ready_s": misaki.ready}
    for who in ("lite", "misaki"):
        totals = [sum(s) for s in times[who]["all"]]
        t = statistics.median(totals)
        res[who] = {"lines_per_s": len(sets["all"]) / t, "chars_per_s": chars / t,
                    "ms_per_line": 1000 * t / len(sets["all"]), "repeat_totals_s": totals}
        for name in ("short", "long"):
            pooled = [x for run in times[who][name] for x in run]
            res[who][name] = {"p50_ms": 1000 * pct(pooled, 50), "p95_ms": 1000 * pct(pooled, 95),
                              "lines": len(sets[name])}
    res["ratio"] = res["lite"]["lines_per_s"] / res["misaki"]["lines_per_s"]
    res["identical_lines"] = sum(a == b for a, b in zip(outputs["lite"], outputs["misaki"]))
    if batch:
        res["lite"]["batch"] = {"jobs": jobs, "lines_per_s": statistics.median(batch), "runs": batch}
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

    from misaki_lite import en, espeak

    g2p = en.G2P(fallback=espeak.EspeakFallback(british=False))
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
        m, lt = s["misaki"], s["lite"]
        out += [("throughput, lines/s (1 process)", f"{m['lines_per_s']:.0f}", f"{lt['lines_per_s']:.0f}",
                 f"x{s['ratio']:.1f}, " + verdict(s["ratio"], "throughput_ratio", higher=True)),
                ("throughput, characters/s", f"{m['chars_per_s']:.0f}", f"{lt['chars_per_s']:.0f}", ""),
                ("time per line, ms", f"{m['ms_per_line']:.2f}", f"{lt['ms_per_line']:.2f}", "")]
        for name, label in (("short", "short lines (50-70 chars)"), ("long", "long lines (350-450 chars)")):
            out.append((f"{label} p50 / p95, ms", f"{m[name]['p50_ms']:.2f} / {m[name]['p95_ms']:.2f}",
                        f"{lt[name]['p50_ms']:.2f} / {lt[name]['p95_ms']:.2f}", ""))
        if "batch" in lt:
            b = lt["batch"]
            out.append((f"batch API, --jobs {b['jobs']}, lines/s", "", f"{b['lines_per_s']:.0f}", ""))
        out.append(("lines identical to misaki's", "", f"{s['identical_lines']} / {s['lines']}", ""))
    if p:
        m, lt = p["misaki"], p["lite"]
        out += [("cold start to first phonemes, s", f"{m['cold_start_s']:.3f}", f"{lt['cold_start_s']:.3f}",
                 verdict(lt["cold_start_s"], "cold_start_s")),
                ("peak RSS of that process, MB", f"{m['peak_rss_mb']:.0f}", f"{lt['peak_rss_mb']:.1f}",
                 verdict(lt["peak_rss_mb"], "peak_rss_mb")),
                ("installed closure, MB (no extras)", f"{m['closure_mb']:.0f}", f"{lt['closure_mb']:.1f}",
                 verdict(lt["closure_mb"], "closure_mb"))]
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
