"""``misaki-lite speak`` and ``misaki-lite download`` (wired in ``misaki_lite/cli.py``).

    misaki-lite speak "Hello world." -o hello.wav
    echo "Hello world." | misaki-lite speak -o - > hello.wav
    misaki-lite speak -f chapter.txt --voice bf_emma --british --speed 1.1 -o chapter.wav
    misaki-lite download [--dir FOLDER]

Exit status: 0 on success, 2 on a usage error (bad option, no text, speed out of range),
1 on a runtime error (no model, unknown voice, unreadable file...), with one line on stderr.
A progress line is written to stderr while speaking long input, only when stderr is a terminal.
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path
from typing import Optional

from ..errors import MisakiLiteError
from .runner import MAX_SPEED, MIN_SPEED

__all__ = ["speak_main", "download_main"]

_PROGRESS_FROM = 400          # characters of input from which progress is shown


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so the caller returns the status code."""

    def error(self, message: str):
        raise _Usage(f"{self.prog}: error: {message}")


class _Usage(Exception):
    pass


def _speed(value: str) -> float:
    try:
        speed = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise argparse.ArgumentTypeError(f"must be between {MIN_SPEED} and {MAX_SPEED}")
    return speed


def _speak_parser() -> _Parser:
    ap = _Parser(prog="misaki-lite speak", description="Text to a 24 kHz WAV file with Kokoro.")
    ap.add_argument("text", nargs="*", help="text to say; without it, -f FILE or stdin is read")
    ap.add_argument("-f", "--file", help="read the text from FILE ('-' for stdin)")
    ap.add_argument("-o", "--output", required=True, help="WAV file to write ('-' for stdout)")
    ap.add_argument("--voice", default=None,
                    help="voice name, .bin/.npy path or blend 'af_heart:0.7,bf_emma:0.3' "
                         "(default: af_heart, or bf_emma with --british)")
    ap.add_argument("--speed", type=_speed, default=1.0, help="0.5 to 2.0 (default 1.0)")
    ap.add_argument("--british", action="store_true", help="British English phonemes")
    ap.add_argument("--model", help="path to a Kokoro v1.0 .onnx file")
    ap.add_argument("--voices", help="extra voices: a file, a folder or voices-v1.0.bin")
    return ap


# What the kokoro extra adds that speak needs (the model packages are found by model.py).
_EXTRA_MODULES = ("numpy", "onnxruntime")


def _check_extra() -> None:
    missing = [m for m in _EXTRA_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise MisakiLiteError(f"speaking needs the 'kokoro' extra ({', '.join(missing)} not "
                              f"installed): pip install \"misaki-lite[kokoro]\"")


def _check_output(output: str) -> None:
    """Fail before any synthesis if the WAV file cannot be written where asked."""
    if output == "-":
        return
    path = Path(output)
    if path.is_dir():
        raise MisakiLiteError(f"-o {output!r} is a folder; give a file name such as {path / 'out.wav'}")
    folder = path.parent
    if not folder.is_dir():
        raise MisakiLiteError(f"-o {output!r}: the folder {str(folder)!r} does not exist")


def _read_text(args) -> str:
    if args.text and args.file:
        raise _Usage("misaki-lite speak: error: give TEXT or -f FILE, not both")
    if args.text:
        return " ".join(args.text)
    if args.file and args.file != "-":
        return Path(args.file).read_text(encoding="utf-8")
    if sys.stdin is None or (sys.stdin.isatty() and not args.file):
        raise _Usage("misaki-lite speak: error: no text (give TEXT, -f FILE or pipe it in)")
    return sys.stdin.read()


def _synthesize(args, text: str):
    from . import Kokoro
    import numpy as np

    voice = args.voice or ("bf_emma" if args.british else "af_heart")
    kokoro = Kokoro(model=args.model, voices=args.voices)
    if next(kokoro.chunks(text, british=args.british), None) is None:
        # checked before the model loads: phonemes only
        raise MisakiLiteError("nothing to say: the text has no word that can be read "
                              "(emoji and symbols are silent); no file written")
    show = len(text) >= _PROGRESS_FROM and sys.stderr is not None and sys.stderr.isatty()
    if not show:
        return kokoro.create(text, voice=voice, speed=args.speed, british=args.british)[0]
    parts, done, start = [], 0, time.monotonic()
    for audio, chunk, _ in kokoro.stream(text, voice=voice, speed=args.speed,
                                         british=args.british):
        parts.append(audio)
        done = min(len(text), done + len(chunk) + 1)
        sys.stderr.write(f"\rspeaking: {100 * done // len(text):3d}%  "
                         f"{time.monotonic() - start:5.1f} s")
        sys.stderr.flush()
    sys.stderr.write("\n")
    return np.concatenate(parts) if parts else np.zeros(0, np.float32)


def speak_main(argv: list[str]) -> int:
    """``misaki-lite speak``: returns the exit status."""
    try:
        args = _speak_parser().parse_args(argv)
        _check_output(args.output)
        _check_extra()
        text = _read_text(args)
        if not text.strip():
            raise _Usage("misaki-lite speak: error: the text is empty")
        audio = _synthesize(args, text)
        if not len(audio):
            raise MisakiLiteError("nothing to say: the text has no word that can be read "
                                  "(emoji and symbols are silent); no file written")
        from .wav import write_wav
        if args.output == "-":
            write_wav(sys.stdout.buffer, audio)
        else:
            write_wav(args.output, audio)
    except _Usage as exc:
        print(exc, file=sys.stderr)
        return 2
    except SystemExit as exc:         # --help
        return int(exc.code or 0)
    except (MisakiLiteError, OSError, UnicodeDecodeError) as exc:
        print(f"misaki-lite speak: error: {exc}", file=sys.stderr)
        return 1
    return 0


def _progress(name: str):
    if sys.stderr is None or not sys.stderr.isatty():
        return None

    def show(done: int, total: Optional[int]) -> None:
        amount = f"{done / 1e6:.1f} MB" + (f" / {total / 1e6:.1f} MB" if total else "")
        sys.stderr.write(f"\r{name}: {amount}")
        sys.stderr.flush()
    return show


def download_main(argv: list[str]) -> int:
    """``misaki-lite download``: fetch the official int8 model and voices-v1.0.bin."""
    from . import download
    from .model import CACHE_ENV, cache_dir

    ap = _Parser(prog="misaki-lite download",
                 description="Fetch kokoro-v1.0.int8.onnx and voices-v1.0.bin (verified) into "
                             f"the user cache (default {cache_dir()}, or ${CACHE_ENV}).")
    ap.add_argument("--dir", help="folder to download into (default: the user cache)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per network read")
    ap.add_argument("--float32", action="store_true",
                    help="also fetch the float32 kokoro-v1.0.onnx (310 MB; slower on CPU)")
    try:
        args = ap.parse_args(argv)
        remotes = download.OFFICIAL + ((download.OFFICIAL_FP32,) if args.float32 else ())
        paths = download.download_official(Path(args.dir) if args.dir else None, remotes,
                                           timeout=args.timeout, progress=_progress)
    except _Usage as exc:
        print(exc, file=sys.stderr)
        return 2
    except SystemExit as exc:         # --help
        return int(exc.code or 0)
    except (MisakiLiteError, OSError) as exc:
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        print(f"misaki-lite download: error: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0
