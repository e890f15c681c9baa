"""Coverage-guided fuzzing of misaki_lite with atheris (libFuzzer for Python).

    pip install atheris
    python -m fuzz.run_atheris TARGET [libFuzzer options] [CORPUS_DIR ...]

TARGET is one of ``g2p`` (US and GB, normalization 'extended' and 'misaki', picked by the
first byte), ``markup``, ``lines`` (the CLI's line reader), ``voices`` (voice files and voice
arguments) or ``model`` (model assembly and verification). The checks live in
``fuzz/targets.py``; any exception that escapes, including a :class:`targets.Finding`, makes
libFuzzer stop and write the input to ``crash-<sha1>``. Useful options::

    -runs=1000000        stop after that many inputs (libFuzzer prints "Done N runs")
    -max_len=1000        the size limit of the issue's hang criterion
    -timeout=10          a hard hang (the targets already flag 1 s on short input)
    -seed=1              reproducible mutations
    -artifact_prefix=DIR/

Seeds for each target are in ``fuzz/seeds/TARGET/``; pass that folder (or a copy of it, since
libFuzzer writes new inputs into the first corpus folder) to start from meaningful inputs.
A crash file replays with ``python -m fuzz.run_atheris TARGET crash-...``.

To keep fuzzing past a bug already reported (libFuzzer stops at the first crash), name its
exception classes in ``FUZZ_TOLERATE`` (comma-separated, e.g. ``FUZZ_TOLERATE=MemoryError``;
``FUZZ_TOLERATE=Exception`` runs to the end whatever it finds): such exceptions are counted by
kind (class and place raised, ``TypeError@grouping.py:117``; a :class:`targets.Finding` by its
kind, ``Finding-hang``, ...), the
first five inputs of each kind are written to ``tolerated-<Kind>-<n>`` and the counts to
``tolerated-counts.json``, both under ``-artifact_prefix`` (libFuzzer exits without running
Python's atexit, so the counts are rewritten at each new one).
``FUZZ_NO_INSTRUMENT=1`` skips the coverage instrumentation and libFuzzer's loop: each input
is a few random byte edits (:func:`mutate`: flips, inserts, deletes, copies, splices with
another input) of an input drawn from the corpus folders, with no
coverage feedback (so the corpus does not grow), several times as many inputs a second. Useful
for volume on a corpus that an instrumented run has grown; ``-runs``, ``-max_total_time``,
``-max_len`` and ``-seed`` apply, a crash is written to ``crash-<sha1>`` under
``-artifact_prefix``.
``FUZZ_HANG_SECONDS=5`` raises the hang limit (1 s of CPU) to allow for the instrumentation.
``FUZZ_NO_SURROGATES=1`` replaces lone surrogates by U+FFFD in text inputs (to look past the
known surrogate crash of the eSpeak layer, see tests/test_hardening.py), and
``FUZZ_SKIP_KNOWN=1`` leaves the words eSpeak read out of the alphabet check (its output is
not restricted to the inventory: a known leak, see tests/test_hardening.py).
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import re
import sys
import time
import traceback
from pathlib import Path

import atheris



def _import_targets() -> None:
    """Import misaki_lite (instrumented for coverage unless FUZZ_NO_INSTRUMENT=1)."""
    import misaki_lite  # noqa: F401
    from misaki_lite import en  # noqa: F401
    from misaki_lite.run import cli  # noqa: F401
    from misaki_lite.text import markup  # noqa: F401
    try:
        from misaki_lite.kokoro import model, voices  # noqa: F401
    except ImportError:  # pragma: no cover - the kokoro extra is optional
        pass


_NO_INSTRUMENT = os.environ.get("FUZZ_NO_INSTRUMENT") == "1"
if _NO_INSTRUMENT:
    _import_targets()
else:
    with atheris.instrument_imports(include=["misaki_lite"]):
        _import_targets()
from fuzz import targets  # noqa: E402


_NO_SURROGATES = os.environ.get("FUZZ_NO_SURROGATES") == "1"
targets.HANG_SECONDS = float(os.environ.get("FUZZ_HANG_SECONDS", targets.HANG_SECONDS))
if os.environ.get("FUZZ_SKIP_KNOWN") == "1":
    targets.SKIP_ESPEAK_ALPHABET = True


def _text(fdp: "atheris.FuzzedDataProvider") -> str:
    text = fdp.ConsumeUnicode(fdp.remaining_bytes())
    if _NO_SURROGATES:
        text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    return text


def fuzz_g2p(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    british, mode = targets.CONFIGS[fdp.ConsumeIntInRange(0, len(targets.CONFIGS) - 1)]
    targets.check_g2p(_text(fdp), british, mode)


def fuzz_markup(data: bytes) -> None:
    targets.check_markup(_text(atheris.FuzzedDataProvider(data)))


def fuzz_lines(data: bytes) -> None:
    targets.check_line_reader(data)


def fuzz_voices(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    kind = fdp.ConsumeIntInRange(0, 3)
    if kind == 3:
        targets.check_voice_spec(_text(fdp))
    else:
        targets.check_voice_file(fdp.ConsumeBytes(fdp.remaining_bytes()), kind)


def fuzz_model(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    cut = fdp.ConsumeIntInRange(0, 1 << 16)
    targets.check_model_parts(fdp.ConsumeBytes(fdp.remaining_bytes()), cut)


_TOLERATED = tuple(n for n in os.environ.get("FUZZ_TOLERATE", "").split(",") if n)
_tolerated_seen: dict[str, int] = {}
_KEEP_TOLERATED = 5        # inputs written for each kind of tolerated exception
_PREFIX = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("-artifact_prefix=")), "")


def _kind(exc: BaseException) -> str:
    """What two findings must share to count as the same: a Finding's kind, or an exception's
    class and the place it was raised (``TypeError@grouping.py:117``)."""
    if isinstance(exc, targets.Finding):
        return f"Finding-{exc.kind}"
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"@{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return type(exc).__name__ + where


def _tolerant(fn):
    """``fn`` with the exceptions named in FUZZ_TOLERATE counted instead of raised."""
    def run(data: bytes) -> None:
        try:
            fn(data)
        except Exception as exc:  # noqa: BLE001 - re-raised unless tolerated by name
            if not any(cls.__name__ in _TOLERATED for cls in type(exc).__mro__):
                raise
            name = _kind(exc)
            seen = _tolerated_seen.get(name, 0)
            if seen < _KEEP_TOLERATED:
                Path(f"{_PREFIX}tolerated-{name}-{seen}").write_bytes(data)
                print(f"run_atheris: tolerating {name}: {exc!s:.200}", file=sys.stderr)
            _tolerated_seen[name] = seen + 1
            Path(f"{_PREFIX}tolerated-counts.json").write_text(json.dumps(_tolerated_seen))
    return run


TARGETS = {"g2p": fuzz_g2p, "markup": fuzz_markup, "lines": fuzz_lines,
           "voices": fuzz_voices, "model": fuzz_model}


def _option(name: str, default: int) -> int:
    return next((int(a.split("=", 1)[1]) for a in sys.argv if a.startswith(f"-{name}=")), default)


def mutate(data: bytes, corpus: list[bytes], rnd: random.Random, max_len: int) -> bytes:
    """One to five random edits of ``data`` (libFuzzer's mutator needs its own loop running)."""
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 5)):
        op, at = rnd.randrange(6), rnd.randint(0, len(buf))
        if op == 0 and buf:                          # flip a bit
            at = min(at, len(buf) - 1)
            buf[at] ^= 1 << rnd.randrange(8)
        elif op == 1:                                # insert random bytes
            buf[at:at] = rnd.randbytes(rnd.randint(1, 8))
        elif op == 2 and buf:                        # delete a range
            del buf[at:at + rnd.randint(1, 16)]
        elif op == 3 and buf:                        # copy a range of itself elsewhere
            start = rnd.randrange(len(buf))
            buf[at:at] = buf[start:start + rnd.randint(1, 32)]
        elif op == 4:                                # splice in a piece of another input
            other = rnd.choice(corpus)
            start = rnd.randint(0, len(other))
            buf[at:at] = other[start:start + rnd.randint(1, 64)]
        elif buf:                                    # set a byte to an edge value
            buf[min(at, len(buf) - 1)] = rnd.choice((0, 1, 0x7F, 0x80, 0xFF, 0x20, 0x2D, 0x27))
    return bytes(buf[:max_len])


def mutate_only(target) -> None:
    """FUZZ_NO_INSTRUMENT=1: mutate corpus inputs without coverage feedback (see the top)."""
    corpus = [p.read_bytes() for arg in sys.argv[1:] if not arg.startswith("-")
              for p in sorted(Path(arg).iterdir()) if p.is_file()] or [b""]
    runs, max_len = _option("runs", 1 << 62), _option("max_len", 1000)
    max_time = _option("max_total_time", 1 << 62)
    rnd = random.Random(_option("seed", 1))
    start = time.perf_counter()
    i = 0
    while i < runs and time.perf_counter() - start < max_time:
        i += 1
        data = mutate(rnd.choice(corpus), corpus, rnd, max_len)
        try:
            target(data)
        except BaseException:
            digest = hashlib.sha1(data).hexdigest()
            Path(f"{_PREFIX}crash-{digest}").write_bytes(data)
            print(f"run_atheris: crash after {i} runs, input in {_PREFIX}crash-{digest}",
                  file=sys.stderr, flush=True)
            raise
        if i % 10_000 == 0:
            seconds = time.perf_counter() - start
            print(f"#{i}\tmutate-only exec/s: {i / seconds:.0f} corpus: {len(corpus)}",
                  file=sys.stderr, flush=True)
    print(f"Done {i} runs in {time.perf_counter() - start:.0f} second(s)", file=sys.stderr)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(TARGETS)}}} [libFuzzer options]")
    name = sys.argv.pop(1)
    if name == "g2p":
        targets.g2p(False, "extended")("warm up the lexicons")
    target = _tolerant(TARGETS[name]) if _TOLERATED else TARGETS[name]
    if _NO_INSTRUMENT:
        mutate_only(target)
        return
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
