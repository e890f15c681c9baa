"""``misaki-lite serve``: the speech server on uvicorn (wired in ``misaki_lite/run/cli.py``).

    misaki-lite serve                              # http://127.0.0.1:8880/v1/audio/speech
    misaki-lite serve --api-key KEY --voices ~/.cache/misaki-lite/voices-v1.0.bin

The key may also come from ``MISAKI_LITE_API_KEY`` (a key on the command line is visible to
other users in the process list). Logging goes to stderr: one line per request on the
``misaki_lite.server`` logger. Exit status: 0 after a clean stop (Ctrl-C), 2 on a usage
error, 1 when the server cannot start (missing extra, no model, bad voices, port in use).
"""
from __future__ import annotations

import argparse
import importlib.util
import ipaddress
import logging
import os
import sys

from ..errors import MisakiLiteError, install_hint

__all__ = ["serve_main", "KEY_ENV"]

KEY_ENV = "MISAKI_LITE_API_KEY"
_NEEDS = ("starlette", "uvicorn", "numpy", "onnxruntime")


def _positive(kind: type):
    def parse(value: str):
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if not number > 0:
            raise argparse.ArgumentTypeError(f"must be more than 0, got {value}")
        return number
    return parse


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="misaki-lite serve",
        description="An OpenAI-compatible speech server (POST /v1/audio/speech) on Kokoro.")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to bind (default 127.0.0.1: this machine only)")
    ap.add_argument("--port", type=int, default=8880, help="port (default 8880)")
    ap.add_argument("--api-key", default=os.environ.get(KEY_ENV),
                    help=f"require 'Authorization: Bearer KEY' (default: ${KEY_ENV}, else none)")
    ap.add_argument("--max-chars", type=_positive(int), default=4096,
                    help="characters of input per request (default 4096)")
    ap.add_argument("--voices", help="extra voices: a folder, a voice file or voices-v1.0.bin "
                                     "(requests name voices; they never give paths)")
    ap.add_argument("--model", help="path to a Kokoro v1.0 .onnx file")
    ap.add_argument("--runs", type=_positive(int), default=2,
                    help="chunks synthesised at once on the one model session (default 2)")
    ap.add_argument("--queue", type=int, default=16,
                    help="requests waiting beyond those; more get 429 (default 16)")
    ap.add_argument("--timeout", type=_positive(float), default=300.0,
                    help="seconds per request, waiting included (default 300)")
    ap.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    return ap


def _check_extra() -> None:
    missing = [m for m in _NEEDS if importlib.util.find_spec(m) is None]
    if missing:
        raise MisakiLiteError(f"serving needs the 'server' and 'kokoro' extras ({', '.join(missing)} "
                              f"not installed): {install_hint('server,kokoro')}")


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def build(args: argparse.Namespace):
    """The app for ``args``: the model loaded and warmed up, so the first request is not slow."""
    from ..kokoro import Kokoro
    from .app import Settings, create_app

    kokoro = Kokoro(model=args.model, voices=args.voices, workers=1)
    kokoro.create("Ready.")                 # loads the session and the American G2P
    settings = Settings(api_key=args.api_key or None, max_chars=args.max_chars, runs=args.runs,
                        queue=args.queue, timeout=args.timeout)
    return create_app(kokoro, settings)


def serve_main(argv: list[str]) -> int:
    """``misaki-lite serve``: returns the exit status."""
    args = _parser().parse_args(argv)         # exits with status 2 on a usage error
    if args.queue < 0 or not 0 < args.port < 65536:
        _parser().error("--queue must be 0 or more and --port from 1 to 65535")
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log = logging.getLogger("misaki_lite.server")
    try:
        _check_extra()
        app = build(args)
    except (MisakiLiteError, OSError) as exc:
        print(f"misaki-lite serve: error: {exc}", file=sys.stderr)
        return 1
    if not _loopback(args.host) and not args.api_key:
        log.warning("listening on %s without --api-key: anyone who can reach this address can "
                    "use the server", args.host)
    import uvicorn

    config = uvicorn.Config(app, host=args.host, port=args.port, access_log=False,
                            log_config=None, log_level=args.log_level)
    server = uvicorn.Server(config)
    try:
        server.run()
    except KeyboardInterrupt:       # uvicorn stops cleanly, then re-raises the Ctrl-C
        pass
    return 0 if server.started else 1

