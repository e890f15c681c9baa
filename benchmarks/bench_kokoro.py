"""Kokoro speed on this machine: misaki_lite's runner vs kokoro-onnx vs one raw session.run.

    python -m benchmarks.bench_kokoro [--kokoro-onnx-python /path/to/venv/bin/python]
                                      [--repeat 3] [--sweep]

Everything runs on the same graph (the model misaki_lite resolves: the official int8 v1.0),
the same voice (af_heart) and the same 5-sentence paragraph. Real-time factor (RTF) here is
seconds of audio per second of wall time: higher is faster. Each figure is the best of
``--repeat`` runs (the machine is shared; the best run is the least disturbed one).

- ``raw``: one ``session.run`` over the whole paragraph (434 tokens) with ONNX Runtime's
  default session options: the ceiling a single call reaches.
- ``misaki_lite create()``: text -> audio through ``Kokoro.create`` (G2P included when
  misaki_lite's G2P works, else ``from_phonemes`` on the same phonemes; the output says which).
- ``kokoro-onnx create()``: kokoro-onnx's ``create(..., is_phonemes=True)`` on the same
  phonemes (so its own phonemizer is not even timed), run in a separate interpreter given by
  ``--kokoro-onnx-python`` (a venv with ``pip install kokoro-onnx``); it is never imported here.
- ``stream()``: time to the first audio on the first 3 sentences vs the time to synthesise the
  first sentence alone (target: first audio <= that + 50 ms).
- ``stream()`` on a long first sentence (``--only first-clause``): time to the first audio
  vs the time to synthesise its first clause alone and its whole first sentence.
- ``--sweep``: create() RTF for each (threads, workers) pair, to choose the defaults.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from misaki_lite.kokoro import Kokoro
from misaki_lite.kokoro import vocab as vocabulary
from misaki_lite.kokoro.model import resolve_model
from misaki_lite.kokoro.voices import VoiceLibrary, style_row

SENTENCES = [
    ("The old lighthouse stood at the edge of the cliff, watching over the restless sea.",
     "ði ˈOld lˈIthˌWs stˈʊd æt ði ˈɛʤ ʌv ðə klˈɪf, wˈɑʧɪŋ ˈOvəɹ ðə ɹˈɛstləs sˈi."),
    ("Every night its beam swept across the water, guiding fishing boats safely back to the "
     "harbour.",
     "ˈɛvəɹi nˈIt ɪts bˈim swˈɛpt əkɹˈɔs ðə wˈɔTəɹ, ɡˈIdɪŋ fˈɪʃɪŋ bˈOts sˈAfli bˈæk tə ðə "
     "hˈɑɹbəɹ."),
    ("When the storm finally arrived, the keeper climbed the narrow stairs and lit the great "
     "lamp once more.",
     "wˌɛn ðə stˈɔɹm fˈInᵊli əɹˈIvd, ðə kˈipəɹ klˈImd ðə nˈɛɹO stˈɛɹz ænd lˈɪt ðə ɡɹˈAt lˈæmp "
     "wˈʌns mˈɔɹ."),
    ("Nobody in the village remembered a winter as long and as cold as that one.",
     "nˈObˌɑdi ɪn ðə vˈɪlɪʤ ɹəmˈɛmbəɹd ɐ wˈɪntəɹ æz lˈɔŋ ænd æz kˈOld æz ðˈæt wˈʌn."),
    ("By spring, the children were running along the beach again, collecting shells and "
     "driftwood.",
     "bˌI spɹˈɪŋ, ðə ʧˈɪldɹᵊn wɜɹ ɹˈʌnɪŋ əlˈɔŋ ðə bˈiʧ əɡˈɛn, kəlˈɛktɪŋ ʃˈɛlz ænd dɹˈɪftwˌʊd."),
]
TEXT = " ".join(t for t, _ in SENTENCES)
PHONEMES = " ".join(p for _, p in SENTENCES)
RATE = 24_000

KOKORO_ONNX_JOB = r"""
import json, sys, time
from kokoro_onnx import Kokoro
model, voices, phonemes, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
k = Kokoro(model, voices)
k.create(phonemes[:40], voice="af_heart", speed=1.0, is_phonemes=True)   # warm-up
best = None
for _ in range(repeat):
    t = time.perf_counter()
    audio, rate = k.create(phonemes, voice="af_heart", speed=1.0, is_phonemes=True)
    dt = time.perf_counter() - t
    best = dt if best is None else min(best, dt)
print(json.dumps({"seconds": best, "audio": len(audio) / rate}))
"""


def best_of(repeat: int, job):
    """(best wall time, result of the last run) of ``job()`` over ``repeat`` runs."""
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = job()
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best, result


def raw_single_run(model, repeat: int) -> tuple[float, float]:
    import onnxruntime as ort

    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    ids = vocabulary.encode(PHONEMES)
    table = VoiceLibrary().table("af_heart")
    feed = {"tokens": np.array([[0, *ids, 0]], np.int64),
            "style": style_row(table, len(ids)).reshape(1, -1),
            "speed": np.ones(1, np.float32)}
    session.run(None, feed)
    took, audio = best_of(repeat, lambda: session.run(None, feed)[0])
    return took, len(audio) / RATE


def ours(kokoro: Kokoro, repeat: int) -> tuple[float, float, str]:
    try:
        kokoro.create(SENTENCES[0][0])
        job, how = (lambda: kokoro.create(TEXT)[0]), "create(text), G2P included"
    except Exception as exc:  # the G2P may not be usable in this checkout
        job, how = (lambda: kokoro.from_phonemes(PHONEMES)[0]), f"from_phonemes (G2P: {exc!r})"
        job()
    took, audio = best_of(repeat, job)
    return took, len(audio) / RATE, how


def kokoro_onnx(python: str, model, repeat: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        voices = os.path.join(tmp, "voices.npz")
        np.savez(voices, af_heart=VoiceLibrary().table("af_heart"))
        out = subprocess.run([python, "-c", KOKORO_ONNX_JOB, str(model), voices, PHONEMES,
                              str(repeat)], check=True, capture_output=True, text=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["seconds"], data["audio"]


def first_audio(kokoro: Kokoro, repeat: int) -> tuple[float, float]:
    """(time to the first stream() yield, time to synthesise sentence 1 alone), best of
    ``repeat``, the two measured in turn so that the machine's load hits both alike."""
    text = " ".join(t for t, _ in SENTENCES[:3])
    try:
        kokoro.create(SENTENCES[0][0])
        use_text = True
    except Exception:
        use_text = False

    def to_first():
        start = time.perf_counter()
        if use_text:
            gen = kokoro.stream(text)
        else:  # same path, phonemes instead of text
            gen = kokoro._audio(iter(_phoneme_chunks(3)), kokoro.voices.resolve("af_heart"),
                                1.0, first_alone=True)
        next(gen)
        took = time.perf_counter() - start
        gen.close()
        return took

    def alone():
        start = time.perf_counter()
        if use_text:
            kokoro.create(SENTENCES[0][0])
        else:
            kokoro.from_phonemes(SENTENCES[0][1])
        return time.perf_counter() - start

    firsts, alones = [], []
    for _ in range(repeat):
        firsts.append(to_first())
        alones.append(alone())
    return min(firsts), min(alones)


LONG_FIRST = ("When the storm finally arrived after three days of heavy rain and wind, the keeper "
              "climbed the narrow stairs of the old lighthouse, lit the great lamp once more, and "
              "watched the fishing boats come home one by one across the dark and restless water "
              "until the very last of them was safely back in the harbour. " + TEXT)


def first_clause_audio(kokoro: Kokoro, repeat: int) -> tuple[float, float, float]:
    """(time to the first stream() yield on a paragraph with a long first sentence, time to
    synthesise its first clause alone, time for its whole first sentence), best of ``repeat``."""
    from misaki_lite.kokoro.chunking import first_clause, sentences

    sentence = sentences(LONG_FIRST)[0]
    clause = first_clause(sentence)[0]

    def to_first():
        start = time.perf_counter()
        gen = kokoro.stream(LONG_FIRST)
        next(gen)
        took = time.perf_counter() - start
        gen.close()
        return took

    def timed(text):
        start = time.perf_counter()
        kokoro.create(text)
        return time.perf_counter() - start

    runs = [(to_first(), timed(clause), timed(sentence)) for _ in range(repeat)]
    return tuple(min(r[i] for r in runs) for i in range(3))


def _phoneme_chunks(n):
    from misaki_lite.kokoro.chunking import Chunk
    return [Chunk(t, p) for t, p in SENTENCES[:n]]


def sweep(model, repeat: int) -> None:
    """create() RTF per (threads, workers), the configurations interleaved round by round so
    that a change in the machine's load hits them all alike."""
    configs = [(1, 1), (2, 1), (1, 2), (2, 2)]
    runners = {c: Kokoro(model, threads=c[0], workers=c[1]) for c in configs}
    for k in runners.values():
        k.from_phonemes(SENTENCES[0][1])
    text = " ".join(p for _, p in SENTENCES[:4])
    rtf: dict = {c: [] for c in configs}
    for _ in range(repeat):
        for c, k in runners.items():
            start = time.perf_counter()
            audio, _ = k.from_phonemes(text)
            rtf[c].append(len(audio) / RATE / (time.perf_counter() - start))
    for (threads, workers), values in rtf.items():
        print(f"sweep threads={threads} workers={workers}: RTF per round "
              f"{', '.join(f'{v:.2f}' for v in values)}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kokoro-onnx-python", help="python of a venv that has kokoro-onnx")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sweep", action="store_true")
    ap.add_argument("--only", choices=["first-audio", "first-clause"], help="run one measurement only")
    args = ap.parse_args(argv)
    model = resolve_model()
    kokoro = Kokoro(model)
    print(f"model {model.name}, cpus {os.cpu_count()}, defaults threads={kokoro.threads} "
          f"workers={kokoro.workers}, best of {args.repeat}")
    if args.sweep:
        sweep(model, args.repeat)
    if args.only is None:
        compare(model, kokoro, args)
    if args.only in (None, "first-clause"):
        first, clause, sentence = first_clause_audio(kokoro, args.repeat)
        print(f"stream() long sentence : {first * 1000:6.0f} ms to the first audio  (its first "
              f"clause alone: {clause * 1000:.0f} ms; the whole first sentence: {sentence * 1000:.0f} ms)")
        if args.only:
            return 0
    first, alone = first_audio(kokoro, args.repeat)
    print(f"stream() first audio   : {first * 1000:6.0f} ms  (sentence 1 alone: "
          f"{alone * 1000:.0f} ms, budget +50 ms: {'ok' if first <= alone + 0.05 else 'MISSED'})")
    return 0


def compare(model, kokoro: Kokoro, args) -> None:
    """Real-time factors: raw single run, misaki_lite create(), kokoro-onnx create()."""
    took, audio = raw_single_run(model, args.repeat)
    raw_rtf = audio / took
    print(f"raw single session.run : {audio:5.2f} s audio in {took:5.2f} s  RTF {raw_rtf:.2f}")
    took, audio, how = ours(kokoro, args.repeat)
    our_rtf = audio / took
    print(f"misaki_lite create()   : {audio:5.2f} s audio in {took:5.2f} s  RTF {our_rtf:.2f}"
          f"  [{how}]")
    if args.kokoro_onnx_python:
        took, audio = kokoro_onnx(args.kokoro_onnx_python, model, args.repeat)
        print(f"kokoro-onnx create()   : {audio:5.2f} s audio in {took:5.2f} s  "
              f"RTF {audio / took:.2f}  -> misaki_lite is {our_rtf / (audio / took):.2f}x")
    print(f"target RTF >= raw      : {'ok' if our_rtf >= raw_rtf else 'MISSED'}")


if __name__ == "__main__":
    sys.exit(main())
