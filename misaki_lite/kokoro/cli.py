"""``misaki-lite speak`` and ``misaki-lite download`` (wired in ``misaki_lite/run/cli.py``).

    misaki-lite speak "Hello world." -o hello.wav
    echo "Hello world." | misaki-lite speak -o - > hello.wav
    misaki-lite speak -f chapter.txt --voice bf_emma --british --speed 1.1 -o chapter.wav
    misaki-lite speak "Hello world." -o hello.wav --subtitles hello.srt --timestamps hello.json
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

from ..errors import MisakiLiteError, install_hint
from .runner import MAX_SPEED, MIN_SPEED, SAMPLE_RATE
from .subtitles import FORMATS, MAX_CUE_CHARS

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
    ap.add_argument("--subtitles", metavar="FILE",
                    help="also write subtitles: SubRip (.srt) or WebVTT (.vtt), by extension")
    ap.add_argument("--timestamps", metavar="FILE",
                    help="also write word timestamps (JSON: start, end, character offsets)")
    ap.add_argument("--max-cue-chars", type=_positive, default=MAX_CUE_CHARS, metavar="N",
                    help=f"longest subtitle cue, in characters (default {MAX_CUE_CHARS})")
    return ap


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a positive integer: {value!r}")
    return int(value)


# What the kokoro extra adds that speak needs (the model packages are found by model.py).
_EXTRA_MODULES = ("numpy", "onnxruntime")


def _check_extra(modules: tuple = _EXTRA_MODULES) -> None:
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise MisakiLiteError(f"speaking needs the 'kokoro' extra ({', '.join(missing)} not "
                              f"installed): {install_hint('kokoro')}")


def _check_output(output: str, option: str = "-o", example: str = "out.wav") -> None:
    """Fail before any synthesis if a file cannot be written where asked."""
    if output == "-" and option == "-o":
        return
    path = Path(output)
    if path.is_dir():
        raise MisakiLiteError(f"{option} {output!r} is a folder; give a file name such as "
                              f"{path / example}")
    folder = path.parent
    if not folder.is_dir():
        raise MisakiLiteError(f"{option} {output!r}: the folder {str(folder)!r} does not exist")


def _check_outputs(args) -> None:
    suffix = Path(args.output).suffix.lower()
    if suffix in FORMATS or suffix == ".json":
        option = "--timestamps" if suffix == ".json" else "--subtitles"
        raise _Usage(f"misaki-lite speak: error: -o {args.output!r} writes WAV audio; for "
                     f"{suffix[1:]} use {option} {args.output} (with -o out.wav)")
    _check_output(args.output)
    if args.subtitles:
        if Path(args.subtitles).suffix.lower() not in FORMATS:
            raise _Usage(f"misaki-lite speak: error: --subtitles {args.subtitles!r}: the file "
                         f"name must end in {' or '.join(FORMATS)} (the format is taken from it)")
        _check_output(args.subtitles, "--subtitles", "out.srt")
    if args.timestamps:
        _check_output(args.timestamps, "--timestamps", "out.json")


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
    """The audio of ``text`` and, when subtitles or timestamps are asked for, its words."""
    from . import Kokoro
    import numpy as np

    voice = args.voice or ("bf_emma" if args.british else "af_heart")
    timed = bool(args.subtitles or args.timestamps)
    kokoro = Kokoro(model=args.model, voices=args.voices)
    if next(kokoro.chunks(text, british=args.british), None) is None:
        # checked before the model loads: phonemes only
        raise MisakiLiteError("nothing to say: the text has no word that can be read "
                              "(emoji and symbols are silent); no file written")
    options = dict(voice=voice, speed=args.speed, british=args.british)
    show = len(text) >= _PROGRESS_FROM and sys.stderr is not None and sys.stderr.isatty()
    if not show:
        if timed:
            audio, _, words = kokoro.create(text, timestamps=True, **options)
            return audio, words
        return kokoro.create(text, **options)[0], None
    parts, words, done, start = [], [], 0, time.monotonic()
    for audio, chunk, _, *timing in kokoro.stream(text, timestamps=timed, **options):
        parts.append(audio)
        words += timing[0] if timing else []
        done = min(len(text), done + len(chunk) + 1)
        sys.stderr.write(f"\rspeaking: {100 * done // len(text):3d}%  "
                         f"{time.monotonic() - start:5.1f} s")
        sys.stderr.flush()
    sys.stderr.write("\n")
    return (np.concatenate(parts) if parts else np.zeros(0, np.float32)), (words if timed else None)


def _write_timing(args, text: str, words, seconds: float) -> None:
    """The --subtitles and --timestamps files (atomically enough: written whole, at once)."""
    from . import subtitles
    from .timestamps import merge_split

    words = merge_split(words)
    if args.subtitles:
        cues = subtitles.cues(words, text, args.max_cue_chars)
        body = subtitles.vtt(cues) if args.subtitles.lower().endswith(".vtt") else subtitles.srt(cues)
        Path(args.subtitles).write_text(body, encoding="utf-8")
    if args.timestamps:
        Path(args.timestamps).write_text(subtitles.words_json(words, seconds), encoding="utf-8")


def speak_main(argv: list[str]) -> int:
    """``misaki-lite speak``: returns the exit status."""
    try:
        args = _speak_parser().parse_args(argv)
        _check_outputs(args)
        _check_extra()
        if args.subtitles or args.timestamps:
            _check_extra(("onnx",))        # derives the durations graph
        text = _read_text(args)
        if not text.strip():
            raise _Usage("misaki-lite speak: error: the text is empty")
        audio, words = _synthesize(args, text)
        if not len(audio):
            raise MisakiLiteError("nothing to say: the text has no word that can be read "
                                  "(emoji and symbols are silent); no file written")
        from .wav import write_wav
        if args.output == "-":
            write_wav(sys.stdout.buffer, audio)
        else:
            write_wav(args.output, audio)
        if words is not None:
            _write_timing(args, text, words, len(audio) / SAMPLE_RATE)
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


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {value}")
    return seconds


def _check_folder(folder: Path) -> None:
    """--dir names a folder, or a place where one can be made (mkdir said '[Errno 17] File
    exists' for a file)."""
    for place in (folder, *folder.parents):
        if place.is_dir():
            return
        if place.exists():
            what = "is a file" if place == folder else f"is under {str(place)!r}, a file"
            raise MisakiLiteError(f"--dir {str(folder)!r} {what}, not a folder; give a folder "
                                  f"(it is made if missing)")


def download_main(argv: list[str]) -> int:
    """``misaki-lite download``: fetch the official int8 model and voices-v1.0.bin."""
    from . import download
    from .model import CACHE_ENV, cache_dir

    ap = _Parser(prog="misaki-lite download",
                 description="Fetch kokoro-v1.0.int8.onnx and voices-v1.0.bin (verified) into "
                             f"the user cache (default {cache_dir()}, or ${CACHE_ENV}).")
    ap.add_argument("--dir", help="folder to download into (default: the user cache)")
    ap.add_argument("--timeout", type=_seconds, default=60.0,
                    help="seconds per network read (default 60)")
    ap.add_argument("--float32", action="store_true",
                    help="also fetch the float32 kokoro-v1.0.onnx (310 MB; slower on CPU)")
    try:
        args = ap.parse_args(argv)
        if args.dir:
            _check_folder(Path(args.dir))
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
