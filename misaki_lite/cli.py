"""``misaki-lite``: text in, phonemes out, one line per input line.

    misaki-lite "Hello world."            phonemize the arguments (joined by spaces)
    echo "Hello world." | misaki-lite     no arguments: read stdin, line by line
    misaki-lite -f book.txt               one utterance a line, streamed
    misaki-lite --json ...                one JSON object per line, with the tokens
    misaki-lite --explain ...             each word with the tier that produced it
    misaki-lite speak TEXT -o out.wav     audio (needs the 'kokoro' extra)
    misaki-lite download                  fetch the official model and voices

Exit status: 0 on success, 2 on a usage error, 1 on a runtime error (one message on stderr).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Iterable, Iterator, Optional, TextIO

from .errors import MisakiLiteError
from .token import MToken, Source

__all__ = ["main"]

_SUBCOMMANDS = ("speak", "download")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="misaki-lite",
        description="English text to Kokoro/misaki phonemes (misaki 0.9.4 compatible). "
                    "Subcommands: 'speak' (text to WAV, needs the kokoro extra), 'download'.")
    ap.add_argument("text", nargs="*", help="text to phonemize; without it, lines are read from stdin")
    ap.add_argument("-f", "--file", help="read utterances from FILE, one a line ('-' for stdin)")
    ap.add_argument("--british", action="store_true", help="British English (default: American)")
    ap.add_argument("--no-fallback", action="store_true",
                    help="no eSpeak fallback: unknown words become the unknown marker")
    out = ap.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON object per line, with tokens")
    out.add_argument("--explain", action="store_true", help="each word with the tier that read it")
    return ap


def _lines(args: argparse.Namespace) -> Iterator[str]:
    if args.text:
        yield " ".join(args.text)
        return
    if args.file and args.file != "-":
        with open(args.file, encoding="utf-8", errors="replace") as fh:
            yield from (line.rstrip("\r\n") for line in fh)
        return
    yield from (line.rstrip("\r\n") for line in sys.stdin)


def _source(tk: MToken) -> str:
    if tk.phonemes is None:
        return Source.UNKNOWN
    return tk._.source or (Source.PUNCTUATION if not tk.phonemes.strip() else Source.GOLD)


def _format(text: str, phonemes: str, tokens: list[MToken], args: argparse.Namespace) -> str:
    if args.json:
        return json.dumps({"text": text, "phonemes": phonemes, "tokens": [
            {"text": t.text, "tag": t.tag, "whitespace": t.whitespace, "phonemes": t.phonemes,
             "source": _source(t)} for t in tokens]}, ensure_ascii=False)
    if args.explain:
        rows = [f"{t.text}\t{t.phonemes if t.phonemes is not None else ''}\t{_source(t)}"
                for t in tokens if t.text.strip()]
        return "\n".join(rows) + "\n"
    return phonemes


def _run(args: argparse.Namespace, out: TextIO) -> None:
    from . import en, espeak

    fallback = None if args.no_fallback else espeak.EspeakFallback(british=args.british)
    g2p = en.G2P(british=args.british, fallback=fallback)
    for line in _lines(args):
        phonemes, tokens = g2p(line)
        out.write(_format(line, phonemes, tokens, args) + "\n")
        out.flush()


def _subcommand(name: str, argv: list[str]) -> int:
    try:
        from .kokoro import cli as kokoro_cli
    except ImportError as exc:  # pragma: no cover - depends on the installed extra
        print(f"misaki-lite {name}: the audio path is not available ({exc}); "
              f"install it with: pip install 'misaki-lite[kokoro]'", file=sys.stderr)
        return 1
    return (kokoro_cli.speak_main if name == "speak" else kokoro_cli.download_main)(argv)


def main(argv: Optional[list[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in _SUBCOMMANDS:
        return _subcommand(argv[0], argv[1:])
    args = _parser().parse_args(argv)   # exits with status 2 on a usage error
    if args.text and args.file:
        _parser().error("give text arguments or -f FILE, not both")
    try:
        _run(args, sys.stdout)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, without a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except (MisakiLiteError, OSError, UnicodeError) as exc:
        print(f"misaki-lite: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
