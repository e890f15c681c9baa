"""The adversarial lines of issue 7, shared by ``tests/test_hardening.py`` (generous hang
bounds) and ``benchmarks/bench_adversarial.py`` (the real figures).

Each case is a Python expression that builds one line from ``rnd`` (``random.Random(7)``) and
``n`` (the line's length in characters, 1 MB by default). :func:`run_case` reads the line with
one US ``G2P`` (eSpeak fallback) in a child process, so that a slow case can be killed without
stopping the caller, and returns what the child measured.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1 << 20

CASES = {
    "digits-commas-periods": "''.join(rnd.choice('0123456789,.') for _ in range(n))",
    "brackets": "''.join(rnd.choice('[]()') for _ in range(n))",
    "apostrophes-hyphens": "''.join(rnd.choice(\"'-\") for _ in range(n))",
    "one-100000-letter-word": "'a' * 100_000",
    "alternating-scripts": "('aБ日' * (n // 3 + 1))[:n]",
    "month-weekday-word": "('JanMon' * (n // 6 + 1))[:n]",
}
# Benchmark-only cases: realistic text at the same size, for scale.
EXTRA_CASES = {
    "alternating-scripts-words": "(' '.join(['word', 'слово', '単語', 'كلمة']) + ' ') * (n // 24)",
    "english": "('The quick brown fox, who was 3 years old, didn\\'t jump over 12 lazy dogs. ') "
               "* (n // 75)",
    # issue 19: markup that rescanned, and chains of short pieces read span by span
    "open-brackets": "'[' * n",
    "markup-links": "('[ab](/ˈæb/) ' * (n // 12 + 1))[:n]",
    "hyphen-chain": "('a-' * n)[:n]",
    "ab-hyphen-chain": "('ab-' * n)[:n]",
    "plus-chain": "('1+' * n)[:n]",
    "slash-chain": "('a/' * n)[:n]",
    "day-list": "('May 1' + ', 2' * n)[:n]",     # 700,000 tokens a megabyte: linear, not light
}

_CHILD = textwrap.dedent("""
    import json, os, random, signal, sys, time
    from misaki_lite.config import G2PConfig
    from misaki_lite.inventory import Dialect, output_symbols
    g2p = G2PConfig().build()
    g2p("Warm up the lexicons, the tagger and eSpeak: zorblax.")
    rnd, n = random.Random(7), {n}
    text = {expr}
    print("ready", flush=True)

    def over(signum, frame):
        print(json.dumps({{"cpu": time.process_time() - start, "over_cpu_limit": True,
                          "chars": len(text)}}), flush=True)
        os._exit(0)

    cpu_limit = {cpu_limit!r}
    if cpu_limit is not None:
        signal.signal(signal.SIGPROF, over)
        signal.setitimer(signal.ITIMER_PROF, cpu_limit)
    start, wall = time.process_time(), time.perf_counter()   # CPU time: load does not count
    phonemes, tokens = g2p(text)
    cpu, wall = time.process_time() - start, time.perf_counter() - wall
    bad = sorted(set(phonemes) - output_symbols(Dialect.US) - set("\\u2753"))
    rebuilt = "".join(t.text + t.whitespace for t in tokens)
    words = lambda s: s.translate({{ord(c): None for c in "'\u2018\u2019"}}).split()
    print(json.dumps({{"cpu": cpu, "wall": wall, "chars": len(text), "tokens": len(tokens),
                      "phonemes": len(phonemes), "bad": bad,
                      "covered": words(rebuilt) == words(g2p.preprocess(text)[0])}}))
""")


class CaseError(RuntimeError):
    """The child failed to start, crashed, or ran past its time limit."""


def run_case(expr: str, n: int = MB, cpu_limit: float | None = None,
             limit: float = 600.0) -> dict:
    """Read the line ``expr`` builds (``n`` characters) in a child process.

    Returns the child's measures: ``cpu`` and ``wall`` seconds of the G2P call alone,
    ``chars``, ``tokens``, ``phonemes`` (lengths), ``bad`` (symbols outside the US alphabet)
    and ``covered`` (the tokens give back the words of the text, apostrophes aside: misaki
    drops an apostrophe it cannot attach, see ``fuzz/targets.py``). With ``cpu_limit`` the
    child stops the call after that many seconds of CPU time and returns only ``cpu``,
    ``chars`` and ``over_cpu_limit: True`` (CPU time, so that a busy machine does not make a
    case slow). Raises :class:`CaseError` when the call has not finished ``limit`` wall-clock
    seconds after the child was ready (a backstop for a child that gets no CPU at all).
    """
    code = _CHILD.format(root=str(ROOT), n=n, expr=expr, cpu_limit=cpu_limit)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        if proc.stdout.readline().strip() != "ready":
            proc.wait(timeout=60)
            raise CaseError(f"the child did not start: {proc.stderr.read()[-500:]}")
        # not communicate(): it reads the pipes' file descriptors and would miss a result that
        # readline() above already buffered along with "ready" (a call of a few milliseconds)
        proc.wait(timeout=limit)
        out, err = proc.stdout.read(), proc.stderr.read()
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise CaseError(f"no result within {limit} s") from None
    if proc.returncode != 0:
        raise CaseError(f"the child crashed: {err.strip().splitlines()[-1:]}")
    return json.loads(out)
