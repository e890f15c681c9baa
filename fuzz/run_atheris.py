"""Coverage-guided fuzzing of misaki_lite with atheris (libFuzzer for Python).

    pip install atheris
    python fuzz/run_atheris.py TARGET [libFuzzer options] [CORPUS_DIR ...]

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
A crash file replays with ``python fuzz/run_atheris.py TARGET crash-...``.

To keep fuzzing past a bug already reported (libFuzzer stops at the first crash), name its
exception classes in ``FUZZ_TOLERATE`` (comma-separated, e.g. ``FUZZ_TOLERATE=MemoryError``):
such exceptions are counted and the first input of each is written to ``tolerated-<Name>``.
``FUZZ_HANG_SECONDS=5`` raises the hang limit (1 s of CPU) to allow for the instrumentation.
``FUZZ_NO_SURROGATES=1`` replaces lone surrogates by U+FFFD in text inputs (to look past the
known surrogate crash of the eSpeak layer, see tests/test_hardening.py), and
``FUZZ_SKIP_KNOWN=1`` leaves the words eSpeak read out of the alphabet check (its output is
not restricted to the inventory: a known leak, see tests/test_hardening.py).
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import atheris

_HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(_HERE), str(_HERE.parent)]   # fuzz/targets.py, and the repo's misaki_lite
with atheris.instrument_imports(include=["misaki_lite"]):
    import misaki_lite  # noqa: F401  (instrumented for coverage)
    from misaki_lite import cli, en, markup  # noqa: F401
    try:
        from misaki_lite.kokoro import model, voices  # noqa: F401
    except ImportError:  # pragma: no cover - the kokoro extra is optional
        pass
import targets  # noqa: E402


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


def _tolerant(fn):
    """``fn`` with the exceptions named in FUZZ_TOLERATE counted instead of raised."""
    def run(data: bytes) -> None:
        try:
            fn(data)
        except Exception as exc:  # noqa: BLE001 - re-raised unless tolerated by name
            name = type(exc).__name__
            if not any(cls.__name__ in _TOLERATED for cls in type(exc).__mro__):
                raise
            if name not in _tolerated_seen:
                Path(f"tolerated-{name}").write_bytes(data)
                print(f"run_atheris: tolerating {name}: {exc!s:.200}", file=sys.stderr)
            _tolerated_seen[name] = _tolerated_seen.get(name, 0) + 1
    return run


TARGETS = {"g2p": fuzz_g2p, "markup": fuzz_markup, "lines": fuzz_lines,
           "voices": fuzz_voices, "model": fuzz_model}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(TARGETS)}}} [libFuzzer options]")
    name = sys.argv.pop(1)
    if name == "g2p":
        targets.g2p(False, "extended")("warm up the lexicons")
    atheris.Setup(sys.argv, _tolerant(TARGETS[name]) if _TOLERATED else TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
