"""The ASGI application: OpenAI's speech endpoint and a few neighbours, on Starlette.

    POST /v1/audio/speech   {"model", "input", "voice", "response_format", "speed"} -> audio
    GET  /v1/models         the model ids accepted (all the same Kokoro v1.0 graph)
    GET  /v1/audio/voices   {"voices": [...]}: the names a request may use
    POST /v1/phonemize      {"text", "language": "en-us"|"en-gb", "mode"} -> phonemes, tokens

:func:`create_app` takes a ready :class:`~misaki_lite.kokoro.Kokoro` (one ONNX session for
every request) and :class:`Settings`. Every request is logged on the ``misaki_lite.server``
logger (one INFO line); the library never configures logging, ``misaki-lite serve`` does.
"""
from __future__ import annotations

import hmac
import json
import logging
import math
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..config import G2PConfig
from ..kokoro.runner import MAX_SPEED, MIN_SPEED
from . import formats
from .errors import APIError
from .speech import Scheduler, SpeechJob, SpeechResponse
from .voices import VoiceResolver

__all__ = ["Settings", "create_app", "MODELS"]

log = logging.getLogger("misaki_lite.server")

# Model ids a request may name; all are the one Kokoro v1.0 graph the server loaded.
MODELS = ("kokoro", "tts-1", "tts-1-hd", "gpt-4o-mini-tts")
_DIALECTS = {"en-us": False, "a": False, "en": False, "en-gb": True, "b": True}
_MODES = ("extended", "exact")
_SPEECH_FIELDS = {"model", "input", "voice", "response_format", "speed", "instructions",
                  "stream_format"}


@dataclass
class Settings:
    """What a server allows (``misaki-lite serve`` options of the same names)."""

    api_key: Optional[str] = None      # when set, every /v1 request needs "Bearer <key>"
    max_chars: int = 4096              # characters of input per request (OpenAI's limit)
    runs: int = 2                      # chunks synthesised at once on the one session
    queue: int = 16                    # requests waiting beyond those; more get 429
    timeout: float = 300.0             # seconds per request, queueing included

    @property
    def max_body(self) -> int:
        """Bytes of request body: the input JSON-escaped at worst, plus the other fields."""
        return 6 * self.max_chars + 4096


def create_app(kokoro: Any, settings: Optional[Settings] = None) -> Starlette:
    settings = settings or Settings()
    server = _Server(kokoro, settings)
    routes = [Route("/v1/audio/speech", server.speech, methods=["POST"]),
              Route("/v1/audio/speech/captioned", server.captioned, methods=["POST"]),
              Route("/v1/models", server.models, methods=["GET"]),
              Route("/v1/audio/voices", server.voices, methods=["GET"]),
              Route("/v1/phonemize", server.phonemize, methods=["POST"])]
    app = Starlette(routes=routes, exception_handlers={APIError: _api_error, 404: _not_found,
                                                       405: _not_allowed, Exception: _crash})
    app.state.server = server
    app.add_middleware(_AccessLog, settings=settings)
    return app


class _Server:
    """The handlers and what they share: the runner, the voices, the scheduler, counters."""

    def __init__(self, kokoro: Any, settings: Settings) -> None:
        self.kokoro, self.settings = kokoro, settings
        self.voice = VoiceResolver(kokoro.voices)
        self.scheduler = Scheduler(settings.runs, settings.queue)
        self.stats = {"ok": 0, "cancelled": 0, "timeout": 0, "empty": 0, "error": 0,
                      "rejected": 0}
        self._g2p: dict[tuple[bool, str], Any] = {}
        self._g2p_lock = threading.Lock()

    async def _admitted(self, request: Request) -> tuple[str, str, float, Any, bool]:
        """A speech request's (text, format, speed, voice table, british), checked and admitted
        to the scheduler (the caller must ``leave()`` it), or the error that refuses it."""
        body = await _json_body(request, self.settings.max_body)
        text, fmt, speed = self._speech_fields(body)
        table, british = self.voice(body.get("voice"))
        try:
            self.scheduler.admit()
        except APIError:
            self.stats["rejected"] += 1
            raise
        request.scope["misaki_lite"] = {"voice": repr(body.get("voice"))[:80], "format": fmt,
                                        "chars": len(text)}
        return text, fmt, speed, table, british

    async def speech(self, request: Request) -> Any:
        text, fmt, speed, table, british = await self._admitted(request)
        try:
            chunks = self.kokoro.stream(text, voice=table, speed=speed, british=british)
            job = SpeechJob(chunks, formats.encoder(fmt), self.scheduler, self.settings.timeout)
        except BaseException:
            self.scheduler.leave()
            raise

        def close(outcome: str, done: SpeechJob) -> None:
            self.scheduler.leave()
            self.stats[outcome] += 1
            request.scope["misaki_lite"].update(outcome=outcome,
                                                audio=done.samples / formats.SAMPLE_RATE)
        return SpeechResponse(job, formats.MEDIA_TYPES[fmt], close)

    async def captioned(self, request: Request) -> JSONResponse:
        """The speech request's fields in, ``{"audio": base64 of the whole audio in
        response_format, "response_format", "words": [{"text", "start", "end", "start_char",
        "end_char"[, "silent"]}]}`` out: the words of ``input`` with when they are said
        (``docs/timestamps.md``). Not streamed: the words are known once the audio is made."""
        import base64

        text, fmt, speed, table, british = await self._admitted(request)

        def run() -> tuple[bytes, list]:
            audio, _, words = self.kokoro.create(text, voice=table, speed=speed, british=british,
                                                 timestamps=True)
            encoder = formats.encoder(fmt)
            return encoder.feed(audio) + encoder.close(), words

        start = time.monotonic()
        outcome = "error"
        try:
            data, words = await self.scheduler.step(run, start + self.settings.timeout, start)
            outcome = "ok"
        except TimeoutError:
            outcome = "timeout"
            raise APIError(504, "the request took longer than the server's time limit",
                           kind="timeout_error") from None
        finally:
            self.scheduler.leave()
            self.stats[outcome] += 1
            request.scope["misaki_lite"]["outcome"] = outcome
        if not words or all(w.silent for w in words):
            raise APIError(400, "the input has nothing to say", param="input")
        return JSONResponse({"response_format": fmt, "audio": base64.b64encode(data).decode(),
                             "words": [w.as_dict() for w in words]})

    def _speech_fields(self, body: dict) -> tuple[str, str, float]:
        unknown = sorted(set(body) - _SPEECH_FIELDS)
        if unknown:
            raise APIError(400, f"unknown field {unknown[0]!r}; this endpoint takes "
                                f"{', '.join(sorted(_SPEECH_FIELDS))}", param=unknown[0])
        model = body.get("model", "kokoro")
        if model not in MODELS:
            raise APIError(400, f"unknown model {model!r}; use one of {', '.join(MODELS)} "
                                f"(all are Kokoro v1.0)", param="model", code="model_not_found")
        text = _text(body.get("input"), "input", self.settings.max_chars)
        fmt = body.get("response_format", "mp3")
        if fmt not in formats.FORMATS:
            raise APIError(400, f"unsupported response_format {fmt!r}; use one of "
                                f"{', '.join(formats.FORMATS)}", param="response_format")
        reason = formats.missing_encoder(fmt)
        if reason:
            raise APIError(400, reason, param="response_format")
        if body.get("stream_format", "audio") != "audio":
            raise APIError(400, "only stream_format 'audio' is supported", param="stream_format")
        speed = body.get("speed", 1.0)
        if isinstance(speed, bool) or not isinstance(speed, (int, float)) \
                or not (math.isfinite(speed) and MIN_SPEED <= speed <= MAX_SPEED):
            raise APIError(400, f"speed must be a number from {MIN_SPEED} to {MAX_SPEED}, "
                                f"got {speed!r}", param="speed")
        return text, fmt, float(speed)

    async def models(self, request: Request) -> JSONResponse:
        return JSONResponse({"object": "list", "data": [
            {"id": name, "object": "model", "created": 0, "owned_by": "misaki-lite"}
            for name in MODELS]})

    async def voices(self, request: Request) -> JSONResponse:
        return JSONResponse({"voices": self.voice.names})

    async def phonemize(self, request: Request) -> JSONResponse:
        import anyio.to_thread

        body = await _json_body(request, self.settings.max_body)
        unknown = sorted(set(body) - {"text", "language", "mode"})
        if unknown:
            raise APIError(400, f"unknown field {unknown[0]!r}; this endpoint takes text, "
                                f"language, mode", param=unknown[0])
        text = _text(body.get("text"), "text", self.settings.max_chars)
        language, mode = body.get("language", "en-us"), body.get("mode", "extended")
        if language not in _DIALECTS:
            raise APIError(400, f"unknown language {language!r}; use one of "
                                f"{', '.join(_DIALECTS)}", param="language")
        if mode not in _MODES:
            raise APIError(400, f"unknown mode {mode!r}; use one of {', '.join(_MODES)}",
                           param="mode")
        g2p = self._phonemizer(_DIALECTS[language], mode)
        phonemes, tokens = await anyio.to_thread.run_sync(g2p, text)
        return JSONResponse({"text": text, "phonemes": phonemes, "tokens": [
            {"text": t.text, "tag": t.tag, "whitespace": t.whitespace, "phonemes": t.phonemes,
             "source": t._.source} for t in tokens]})

    def _phonemizer(self, british: bool, mode: str) -> Callable:
        with self._g2p_lock:
            if (british, mode) not in self._g2p:
                self._g2p[british, mode] = G2PConfig(british=british, mode=mode).build()
            return self._g2p[british, mode]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: Any, name: str, limit: int) -> str:
    """The text field, checked; a lone surrogate (valid JSON, not valid UTF-8) becomes U+FFFD."""
    if not isinstance(value, str):
        raise APIError(400, f"{name} must be a string", param=name)
    if not value.strip():
        raise APIError(400, f"{name} is empty", param=name)
    if len(value) > limit:
        raise APIError(400, f"{name} has {len(value)} characters; this server takes at most "
                            f"{limit}", param=name, code="string_above_max_length")
    return _SURROGATE.sub("\ufffd", value)


async def _json_body(request: Request, limit: int) -> dict:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    data = bytearray()
    async for part in request.stream():
        data += part
        if len(data) > limit:
            raise _too_large(limit)
    try:
        body = json.loads(data)
    except ValueError as exc:
        raise APIError(400, f"the body is not valid JSON ({exc})") from None
    if not isinstance(body, dict):
        raise APIError(400, "the body must be a JSON object")
    return body


def _too_large(limit: int) -> APIError:
    return APIError(413, f"the request body is larger than {limit} bytes",
                    code="request_too_large")


async def _api_error(request: Request, exc: APIError) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


async def _crash(request: Request, exc: Exception) -> JSONResponse:
    """Anything unexpected: a 500 in OpenAI's shape (Starlette logs the traceback)."""
    return JSONResponse(APIError(500, "internal error", kind="server_error").body(), 500)


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(APIError(404, f"no endpoint {request.url.path}").body(), 404)


async def _not_allowed(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(APIError(405, f"{request.method} is not allowed on "
                                      f"{request.url.path}").body(), 405)


class _AccessLog:
    """ASGI middleware: the bearer key check, then one log line per request."""

    def __init__(self, app: Callable, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start, seen = time.monotonic(), {"status": 0, "bytes": 0, "first": None}

        async def counting(message: dict) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            elif message.get("body"):
                seen["bytes"] += len(message["body"])
                if seen["first"] is None:
                    seen["first"] = time.monotonic() - start
            await send(message)

        try:
            if self._authorized(scope):
                await self.app(scope, receive, counting)
            else:
                error = APIError(401, "missing or wrong API key (send 'Authorization: Bearer "
                                      "KEY')", code="invalid_api_key")
                await JSONResponse(error.body(), 401)(scope, receive, counting)
        except Exception:
            seen["status"] = seen["status"] or 500      # the 500 Starlette sends after this
            raise
        finally:
            self._log(scope, seen, time.monotonic() - start)

    def _authorized(self, scope: dict) -> bool:
        if not self.settings.api_key:
            return True
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"authorization", b"").decode("latin-1")
        expected = f"Bearer {self.settings.api_key}"
        return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))

    @staticmethod
    def _log(scope: dict, seen: dict, seconds: float) -> None:
        client = scope.get("client") or ("-", 0)
        extra = scope.get("misaki_lite") or {}
        first = f"{seen['first']:.3f}s" if seen["first"] is not None else "-"
        details = "".join(f" {key}={value:.2f}s" if key == "audio" else f" {key}={value}"
                          for key, value in extra.items())
        log.info('%s:%s "%s %s" %d %dB first=%s total=%.3fs%s', client[0], client[1],
                 scope.get("method"), scope.get("path"), seen["status"], seen["bytes"], first,
                 seconds, details)
