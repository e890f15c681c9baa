"""``misaki-lite serve`` under load, with the real OpenAI client, against single-process create().

    python -m benchmarks.bench_server [--clients 16] [--duration 120] [--queue 16] [--json OUT]

1. ``create()``: the mixed texts below said once each, one after the other, by ``Kokoro()`` in
   this process (default settings: two chunks at once): audio seconds per wall second.
2. The server starts as a subprocess (``python -m misaki_lite.run.cli serve``, default settings).
3. First audio of a long paragraph, on the idle server: time to the first byte of a streamed
   request for the paragraph, against the time to synthesise its first clause alone (the
   same server, a request for that clause, to the last byte) and in this process
   (``create(clause)``); best of ``--repeat`` each, interleaved.
4. Load: ``--clients`` threads, each with its own ``openai.OpenAI`` client (no retries),
   send streamed requests back to back for ``--duration`` seconds (requests in flight then
   are waited for), each a random text of the mix (half short, a third medium, the rest
   long) in wav or pcm (so the audio length is the byte count). Reported: failed requests
   (429 apart), 429s, p50/p95 time to the first audio byte and to the last, audio seconds per
   wall second, and the server's resident memory sampled every second (and its peak, VmHWM).

Linux only (reads /proc). The clients run on the same machine and take a little CPU from it.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

SHORT = ["Hello there, how are you today?", "Turn left at the next corner.",
         "The meeting starts at ten.", "Please close the door behind you.",
         "It is going to rain this afternoon.", "Thank you, that was very helpful."]
MEDIUM = ["The old lighthouse stood at the edge of the cliff, watching over the restless sea. "
          "Every night its beam swept across the water.",
          "When the storm finally arrived, the keeper climbed the narrow stairs. He lit the "
          "great lamp once more and waited for the boats.",
          "Nobody in the village remembered a winter as long and as cold as that one. By spring, "
          "the children were back on the beach."]
LONG = ["The old lighthouse stood at the edge of the cliff, watching over the restless sea. "
        "Every night its beam swept across the water, guiding fishing boats safely back to the "
        "harbour. When the storm finally arrived, the keeper climbed the narrow stairs and lit "
        "the great lamp once more. Nobody in the village remembered a winter as long and as cold "
        "as that one. By spring, the children were running along the beach again, collecting "
        "shells and driftwood."]
PARAGRAPH = ("When the storm finally arrived after three days of heavy rain and wind, the keeper "
             "climbed the narrow stairs of the old lighthouse, lit the great lamp once more, and "
             "watched the fishing boats come home one by one across the dark and restless water "
             "until the very last of them was safely back in the harbour. " + LONG[0])
RATE_BYTES = 24_000 * 2                       # 16-bit mono at 24 kHz
KEY = "bench"


def pick(rng: random.Random) -> str:
    roll = rng.random()
    return rng.choice(SHORT if roll < 0.5 else MEDIUM if roll < 0.83 else LONG)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def baseline() -> float:
    """Audio seconds per wall second of create() over every text of the mix, in order."""
    from misaki_lite.kokoro import Kokoro

    kokoro = Kokoro()
    kokoro.create("Ready.")
    texts = SHORT + MEDIUM + LONG
    start, audio = time.perf_counter(), 0.0
    for text in texts:
        samples, rate = kokoro.create(text)
        audio += len(samples) / rate
    return audio / (time.perf_counter() - start)


def create_clause_seconds() -> float:
    from misaki_lite.kokoro import Kokoro
    from misaki_lite.kokoro.chunking import first_clause, sentences

    kokoro = Kokoro(workers=1)
    kokoro.create("Ready.")
    clause = first_clause(sentences(PARAGRAPH)[0])[0]
    start = time.perf_counter()
    kokoro.create(clause)
    return time.perf_counter() - start


def start_server(port: int, log: Path, queue: int) -> subprocess.Popen:
    env = {**os.environ, "MISAKI_LITE_API_KEY": KEY, "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "misaki_lite.run.cli", "serve", "--port", str(port),
                             "--queue", str(queue), "--log-level", "warning"],
                            stderr=open(log, "w"), env=env)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/audio/voices",
                                             headers={"Authorization": f"Bearer {KEY}"})
            urllib.request.urlopen(request, timeout=5).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"the server exited: {log.read_text()}")
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not start in 300 s")


def timed_request(client, text: str, fmt: str) -> dict:
    """One streamed request: time to the first audio byte, to the last, audio seconds."""
    start, first, size = time.perf_counter(), None, 0
    with client.audio.speech.with_streaming_response.create(
            model="kokoro", voice="af_heart", input=text, response_format=fmt) as response:
        for part in response.iter_bytes():
            if part and first is None:
                first = time.perf_counter() - start
            size += len(part)
    audio_bytes = size - (44 if fmt == "wav" else 0)
    return {"first": first, "total": time.perf_counter() - start,
            "audio": audio_bytes / RATE_BYTES}


def first_byte(client, repeat: int) -> dict:
    from misaki_lite.kokoro.chunking import first_clause, sentences

    clause = first_clause(sentences(PARAGRAPH)[0])[0]
    runs = [(timed_request(client, PARAGRAPH, "pcm")["first"],
             timed_request(client, clause, "pcm")["total"]) for _ in range(repeat)]
    return {"paragraph_first_byte_s": min(r[0] for r in runs),
            "clause_alone_s": min(r[1] for r in runs), "clause": clause}


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    def field(self, name: str) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1]) // 1024           # MiB
        return 0

    def run(self) -> None:
        start = time.monotonic()
        while not self.stop.wait(1.0):
            self.samples.append((time.monotonic() - start, self.field("VmRSS")))


def load(port: int, clients: int, duration: float, seed: int) -> dict:
    import openai

    results: list[dict] = []
    lock = threading.Lock()
    end = time.monotonic() + duration

    def worker(index: int) -> None:
        rng = random.Random(seed + index)
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key=KEY,
                               max_retries=0, timeout=600)
        while time.monotonic() < end:
            text, fmt = pick(rng), rng.choice(("wav", "pcm"))
            try:
                row = {"ok": True, **timed_request(client, text, fmt)}
            except openai.RateLimitError:
                row = {"ok": False, "429": True}
                time.sleep(1.0)
            except Exception as exc:   # noqa: BLE001 - every failure is counted and shown
                row = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            with lock:
                results.append(row)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    done = [r for r in results if r["ok"]]
    failed = [r for r in results if not r["ok"] and "429" not in r]
    return {"requests": len(results), "ok": len(done), "rejected_429": len(results) - len(done)
            - len(failed), "failed": len(failed), "errors": sorted({r["error"] for r in failed}),
            "wall_s": wall, "audio_s": sum(r["audio"] for r in done),
            "audio_s_per_s": sum(r["audio"] for r in done) / wall,
            "first_byte_p50_s": percentile([r["first"] for r in done], 0.5),
            "first_byte_p95_s": percentile([r["first"] for r in done], 0.95),
            "complete_p50_s": percentile([r["total"] for r in done], 0.5),
            "complete_p95_s": percentile([r["total"] for r in done], 0.95)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--duration", type=float, default=120.0)
    ap.add_argument("--repeat", type=int, default=3, help="runs of the first-byte measure")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--queue", type=int, default=16, help="the server's --queue (default 16)")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)
    import openai

    figures = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "queue": args.queue,
               "clients": args.clients, "duration_s": args.duration,
               "load_average_before": os.getloadavg()}
    figures["create_audio_s_per_s"] = baseline()
    figures["create_clause_s"] = create_clause_seconds()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_server_{os.getpid()}.log"
    server = start_server(port, log, args.queue)
    sampler = RssSampler(server.pid)
    try:
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key=KEY, max_retries=0)
        figures["first_byte"] = first_byte(client, args.repeat)
        figures["rss_idle_mib"] = sampler.field("VmRSS")
        sampler.start()
        figures["load"] = load(port, args.clients, args.duration, args.seed)
        sampler.stop.set()
        rss = [mib for _, mib in sampler.samples]
        figures["rss_mib"] = {"first_10s_max": max(rss[:10]), "max": max(rss),
                              "last_10s_max": max(rss[-10:]), "vmhwm": sampler.field("VmHWM"),
                              "samples": len(rss), "every_second": rss}
        figures["load_average_after"] = os.getloadavg()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(60)
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
