"""Word timestamps: do they agree with the pauses in the audio, and what do they cost?

    MISAKI_LITE_CACHE=... python -m benchmarks.bench_timestamps [--sentences 50] [--repeat 5]
                                                               [--only agreement|cost]

**Agreement** (``--only agreement``): 50 sentences of real text (``../shared/corpus/news``:
general, homograph, LJSpeech and numeric lines that hold a comma or a full stop inside them,
40-200 characters, evenly spaced through each file) are said with ``create(...,
timestamps=True)``. An independent estimate of the pauses comes from the audio alone: RMS
over 20 ms windows every 10 ms, a window is silent below -35 dB under the sentence's loudest
window, and a pause is a run of silent windows of at least 50 ms that touches neither end of
the audio. A *case* is two neighbouring said words A, B with a comma, full stop, semicolon,
colon, "!" or "?" between them in the original text, and a pause that overlaps
[A.start, B.end] (the longest one is taken). The case agrees when the pause falls between
the two words: its middle comes after the middle of A and before the middle of B (so it is
nearer to the A|B boundary than to any boundary inside A or B). Two stricter figures are
printed too: the pause overlaps [A.end, B.start] (the stretch the timestamps give the mark),
and its middle lies inside that stretch; and the distance from the pause's middle to the
middle of that stretch. The same figures with every time scaled as by a frame length 3 %
off (582 or 618 samples) show what the measure can detect. Marks with no pause in the audio
are counted apart (Kokoro does not pause at every comma).

**Cost** (``--only cost``): the same token ids through the official graph and through the
derived graph (one more output), on one session each with the runner's options, interleaved
(ABBA), best and median of ``--repeat``, in CPU time of this process and in wall time; and
``create(text)`` against ``create(text, timestamps=True)`` (the alignment included) the
same way. Extra cost = (timed - plain) / plain. On a busy shared machine these timings move
by several per cent from run to run in both directions, so the script also compares the
graphs ONNX Runtime actually runs after its optimizations: the same nodes means the only
extra work is handing out one more small tensor.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from misaki_lite.kokoro import Kokoro
from misaki_lite.kokoro import vocab as vocabulary
from misaki_lite.kokoro.durations import derived_graph
from misaki_lite.kokoro.model import resolve_model
from misaki_lite.kokoro.runner import Graph
from misaki_lite.kokoro.voices import style_row

RATE = 24_000
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "news"
FILES = ("general", "homograph", "ljspeech", "numeric")
MARKS = re.compile(r"[,.;:!?]")
WINDOW, HOP, FLOOR_DB, MIN_PAUSE = 0.020, 0.010, -35.0, 0.050


def sentences(corpus: Path, n: int) -> list[str]:
    """``n`` lines with a mark inside, spread evenly over the corpus files."""
    per = [n // len(FILES) + (i < n % len(FILES)) for i in range(len(FILES))]
    out = []
    for name, count in zip(FILES, per):
        lines = [line.strip() for line in (corpus / f"{name}.txt").read_text("utf-8").splitlines()]
        lines = [s for s in lines if 40 <= len(s) <= 200 and re.search(r"[,.;:!?]\s+\S", s)]
        step = max(1, len(lines) // count)
        out += lines[::step][:count]
    return out


def pauses(audio: np.ndarray) -> list[tuple[float, float]]:
    """Silent stretches (start, end) in seconds, inside the audio, of MIN_PAUSE or more."""
    win, hop = int(WINDOW * RATE), int(HOP * RATE)
    n = max(0, (len(audio) - win) // hop + 1)
    rms = np.array([np.sqrt(np.mean(np.square(audio[i * hop:i * hop + win], dtype=np.float64)))
                    for i in range(n)])
    quiet = rms < rms.max() * 10 ** (FLOOR_DB / 20)
    out, i = [], 0
    while i < n:
        if not quiet[i]:
            i += 1
            continue
        j = i
        while j < n and quiet[j]:
            j += 1
        start, end = i * HOP + WINDOW / 2, (j - 1) * HOP + WINDOW / 2
        if i > 0 and j < n and end - start >= MIN_PAUSE:
            out.append((start, end))
        i = j
    return out


def _cases(text: str, audio: np.ndarray, words: list) -> list[tuple]:
    """(A, B, pause) for each mark between said words A, B; pause None if the audio has none."""
    said = [w for w in words if not w.silent]
    found = pauses(audio)
    out = []
    for a, b in zip(said, said[1:]):
        if MARKS.search(text[a.end_char:b.start_char]):
            near = [p for p in found if p[1] > a.start and p[0] < b.end]
            out.append((a, b, max(near, key=lambda p: p[1] - p[0]) if near else None))
    return out


def _judge(a, b, pause, scale: float = 1.0) -> dict:
    """The three criteria for one case (word times multiplied by ``scale``)."""
    a_start, a_end, b_start, b_end = (x * scale for x in (a.start, a.end, b.start, b.end))
    middle = (pause[0] + pause[1]) / 2
    return {"strict": a_end <= middle <= b_start,
            "overlap": pause[0] < b_start and a_end < pause[1],
            "between": (a_start + a_end) / 2 < middle < (b_start + b_end) / 2,
            "offset": middle - (a_end + b_start) / 2}


def agreement(kokoro: Kokoro, lines: list[str]) -> None:
    cases, no_pause = [], 0
    for text in lines:
        audio, _, words = kokoro.create(text, timestamps=True)
        for a, b, pause in _cases(text, audio, words):
            if pause is None:
                no_pause += 1
            else:
                cases.append((text, a, b, pause))
    print(f"sentences: {len(lines)}; marks between said words with a pause in the audio: "
          f"{len(cases)}; without one: {no_pause}")
    for scale, label in ((1.0, "timestamps"), (582 / 600, "frame 3 % short (control)"),
                         (618 / 600, "frame 3 % long (control)")):
        judged = [_judge(a, b, pause, scale) for _, a, b, pause in cases]
        rate = {k: 100 * sum(j[k] for j in judged) / max(len(judged), 1)
                for k in ("between", "overlap", "strict")}
        offsets = sorted(abs(j["offset"]) * 1000 for j in judged)
        print(f"{label}: pause between the two words (middle of the pause after the middle "
              f"of A, before the middle of B) {rate['between']:.1f} %; pause overlaps "
              f"[A.end, B.start] {rate['overlap']:.1f} %; middle of the pause inside "
              f"[A.end, B.start] {rate['strict']:.1f} %; |pause middle - boundary middle| "
              f"median {offsets[len(offsets) // 2]:.0f} ms, 90th percentile "
              f"{offsets[int(len(offsets) * 0.9)]:.0f} ms")
        if scale == 1.0:
            for text, a, b, pause in cases:
                if not _judge(a, b, pause)["between"]:
                    print(f"  not between: {a.text!r} {text[a.end_char:b.start_char]!r} "
                          f"{b.text!r}: A {a.start:.3f}-{a.end:.3f}, B {b.start:.3f}-"
                          f"{b.end:.3f}, pause {pause[0]:.3f}-{pause[1]:.3f}")


def _timed_runs(fns: dict, repeat: int) -> dict:
    """Wall and CPU seconds of each function, ``repeat`` rounds in ABBA order (so both see
    the same machine load); the CPU time of this process is what a busy, shared machine
    disturbs least (the model runs on one thread)."""
    out = {name: {"wall": [], "cpu": []} for name in fns}
    names = list(fns)
    for r in range(repeat):
        for name in names if r % 2 == 0 else names[::-1]:
            wall, cpu = time.perf_counter(), time.process_time()
            fns[name]()
            out[name]["wall"].append(time.perf_counter() - wall)
            out[name]["cpu"].append(time.process_time() - cpu)
    return out


def _report(what: str, runs: dict, repeat: int) -> None:
    plain, timed = runs["plain"], runs["timed"]
    for clock in ("cpu", "wall"):
        p, t = min(plain[clock]), min(timed[clock])
        mp, mt = statistics.median(plain[clock]), statistics.median(timed[clock])
        print(f"{what}, {clock} time, best of {repeat}: {p:.3f} s plain, {t:.3f} s timed: "
              f"{100 * (t - p) / p:+.2f} % (medians {mp:.3f} / {mt:.3f} s: "
              f"{100 * (mt - mp) / mp:+.2f} %)")


def optimized_nodes(original: Path, derived: Path) -> None:
    """The nodes ONNX Runtime actually runs (its optimized graph, ORT_ENABLE_ALL) of both
    graphs, by operator type: the durations output should add none."""
    import collections
    import tempfile

    import onnx
    import onnxruntime as ort

    counts = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, path in (("official", original), ("durations", derived)):
            options = ort.SessionOptions()
            options.log_severity_level = 3
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.optimized_model_filepath = str(Path(folder) / f"{name}.onnx")
            ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            graph = onnx.load(options.optimized_model_filepath).graph
            counts[name] = collections.Counter(n.op_type for n in graph.node)
    a, b = counts["official"], counts["durations"]
    print(f"optimized graphs: {sum(a.values())} nodes (official), {sum(b.values())} nodes "
          f"(durations); added {dict(b - a) or 'none'}, removed {dict(a - b) or 'none'}")


def alignment(kokoro: Kokoro, graph: Graph, lines: list[str], table) -> None:
    """CPU time of the Python side of timestamps (token times, words of the original text)
    for each of the 50 sentences, against the CPU time of their synthesis."""
    from misaki_lite.kokoro import chunking
    from misaki_lite.kokoro.timestamps import time_tokens, words_of

    g2p = kokoro._reader(False)
    align = synth = 0.0
    for text in lines:
        for chunk in chunking.chunks(text, None, read=g2p):
            ids = vocabulary.encode(chunk.phonemes)
            cpu = time.process_time()
            _, durations = graph.run_timed(ids, style_row(table, len(ids)), 1.0)
            synth += time.process_time() - cpu
            cpu = time.process_time()
            time_tokens(chunk.readings, durations)
            for r in chunk.readings:
                words_of(r.text, r.tokens, text.find(r.text))
            align += time.process_time() - cpu
    print(f"token times and words of {len(lines)} sentences: {1000 * align:.0f} ms of CPU, "
          f"against {synth:.1f} s for their synthesis ({100 * align / synth:.2f} %)")


def cost(kokoro: Kokoro, lines: list[str], repeat: int) -> None:
    original = resolve_model()
    optimized_nodes(original, derived_graph(original))
    plain, timed = Graph(original, 1), Graph(derived_graph(original), 1)
    table = kokoro.voices.resolve("af_heart")
    short = " ".join(lines[:2])
    ids = vocabulary.encode(" ".join(c.phonemes for c in kokoro.chunks(short)))
    style = style_row(table, len(ids))
    plain.run(ids, style, 1.0), timed.run_timed(ids, style, 1.0)     # warm both
    runs = _timed_runs({"plain": lambda: plain.run(ids, style, 1.0),
                        "timed": lambda: timed.run_timed(ids, style, 1.0)}, repeat)
    _report(f"session.run of {len(ids)} tokens, official vs durations graph", runs, repeat)
    alignment(kokoro, timed, lines, table)
    warm, timed_kokoro = Kokoro(workers=1), Kokoro(workers=1)
    warm.create(short), timed_kokoro.create(short, timestamps=True)
    runs = _timed_runs({"plain": lambda: warm.create(short),
                        "timed": lambda: timed_kokoro.create(short, timestamps=True)}, repeat)
    _report(f"create() of {len(short)} characters vs create(timestamps=True)", runs, repeat)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--sentences", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=12)
    ap.add_argument("--only", choices=("agreement", "cost"))
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus} (give --corpus)", file=sys.stderr)
        return 2
    lines = sentences(args.corpus, args.sentences)
    kokoro = Kokoro(workers=1)
    if args.only != "cost":
        agreement(kokoro, lines)
    if args.only != "agreement":
        cost(kokoro, lines, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
