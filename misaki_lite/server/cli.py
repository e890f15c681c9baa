"""``misaki-lite serve``: the speech server on uvicorn (wired in ``misaki_lite/run/cli.py``).

    misaki-lite serve                              # http://127.0.0.1:8880/v1/audio/speech
    misaki-lite serve --api-key KEY --voices ~/my-voices   # and the cache's voices

The key may also come from ``MISAKI_LITE_API_KEY`` (a key on the command line is visible to
other users in the process list). Logging goes to stderr: one line per request on the
``misaki_lite.server`` logger. Exit status: 0 after a clean stop (Ctrl-C), 2 on a usage
error, 1 when the server cannot start (missing extra, no model, bad voices, port in use).
"""
from __future__ import annotations

import argparse
import errno
import importlib.util
import ipaddress
import logging
import os
import socket
import sys
from typing import Optional

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


def _ranged(low: int, high: Optional[int] = None):
    """An integer option from ``low`` to ``high`` (no upper bound when None)."""
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if number < low or (high is not None and number > high):
            bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
            raise argparse.ArgumentTypeError(f"must be {bounds}, got {value}")
        return number
    return parse


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="misaki-lite serve",
        description="An OpenAI-compatible speech server (POST /v1/audio/speech) on Kokoro.")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to bind (default 127.0.0.1: this machine only)")
    ap.add_argument("--port", type=_ranged(1, 65535), default=8880, help="port (default 8880)")
    ap.add_argument("--api-key", default=os.environ.get(KEY_ENV),
                    help=f"require 'Authorization: Bearer KEY' (default: ${KEY_ENV}, else none)")
    ap.add_argument("--max-chars", type=_positive(int), default=4096,
                    help="characters of input per request (default 4096)")
    ap.add_argument("--voices", help="extra voices: a folder, a voice file or voices-v1.0.bin "
                                     "(requests name voices; they never give paths)")
    ap.add_argument("--model", help="path to a Kokoro v1.0 .onnx file")
    ap.add_argument("--runs", type=_positive(int), default=2,
                    help="chunks synthesised at once on the one model session (default 2)")
    ap.add_argument("--queue", type=_ranged(0), default=16,
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
    kokoro.voices.names                     # reads the voices downloaded into the cache
    settings = Settings(api_key=args.api_key or None, max_chars=args.max_chars, runs=args.runs,
                        queue=args.queue, timeout=args.timeout)
    return create_app(kokoro, settings)


def listen(host: str, port: int) -> socket.socket:
    """The server's socket, bound before the model loads: a port in use is one line at once
    (uvicorn, binding it itself, logged six lines and exited with 3)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)     # as uvicorn does
    where = f"[{host}]:{port}" if family == socket.AF_INET6 else f"{host}:{port}"
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            why = (f"port {port} is in use on {host} (another server?); stop it or choose "
                   f"another port with --port")
        elif exc.errno == errno.EACCES:
            why = f"no permission to listen on {where}; choose a port above 1023 with --port"
        elif isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
            why = f"cannot listen on {where}: {host!r} is not an address of this machine (--host)"
        else:
            why = f"cannot listen on {where} ({exc.strerror or exc}); check --host and --port"
        raise MisakiLiteError(why) from None
    sock.set_inheritable(True)
    return sock


def serve_main(argv: list[str]) -> int:
    """``misaki-lite serve``: returns the exit status."""
    args = _parser().parse_args(argv)         # exits with status 2 on a usage error
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log = logging.getLogger("misaki_lite.server")
    try:
        _check_extra()
        sock = listen(args.host, args.port)
    except MisakiLiteError as exc:
        print(f"misaki-lite serve: error: {exc}", file=sys.stderr)
        return 1
    with sock:
        return _serve(args, sock, log)


def _serve(args: argparse.Namespace, sock: socket.socket, log: logging.Logger) -> int:
    try:
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
    server = _server_class(uvicorn)(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:       # uvicorn stops cleanly, then re-raises the Ctrl-C
        pass
    return 0 if server.started else 1



def _server_class(uvicorn):
    """uvicorn's Server, saying where it listens also when given its socket (it says so only
    when it binds the socket itself), in uvicorn's words."""
    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if sockets and not self.should_exit:
                host, port = sockets[0].getsockname()[:2]
                shown = f"[{host}]" if ":" in host else host
                logging.getLogger("uvicorn.error").info(
                    "Uvicorn running on http://%s:%d (Press CTRL+C to quit)", shown, port)
    return Server
