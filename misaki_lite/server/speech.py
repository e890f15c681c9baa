"""Synthesis under load: admission, shared run slots, time limit, cancellation.

- :class:`Scheduler`: every speech request is admitted (or refused with 429 when ``runs +
  queue`` requests are already in) and then synthesises chunk by chunk; each chunk's step
  (its G2P, its model run, its encoding) waits for one of ``runs`` slots on the one shared
  ONNX session (:class:`RunSlots`). Slots are taken per chunk, not per request, and go to the
  waiting step whose listener would run out of audio first: the request's start time plus
  the seconds of audio it has already been sent. A new request (nothing sent yet) thus goes
  before a stream that is already ahead of its playback, and a stream that has fallen behind
  goes before a new request that came after the moment its audio ran out.
- :class:`SpeechJob`: one request's chunks (``Kokoro.stream``) and its encoder, stepped in a
  worker thread, with the request's deadline checked around every step.
- :class:`SpeechResponse`: the ASGI response. It watches for the client going away the whole
  time, the first chunk included, and stops synthesis at the next chunk boundary when it
  does (a model run in progress cannot be interrupted; its result is dropped). The first
  chunk is synthesised before the status line is sent, so a failure there is still a clean
  JSON error; a failure or time-out after audio has gone out closes the connection without
  the final empty chunk, so the client sees a truncated transfer, never a short "success".
"""
from __future__ import annotations

import heapq
import itertools
import json
import logging
import time
from typing import Any, Callable, Optional

import anyio
import anyio.to_thread

from ..kokoro.runner import SAMPLE_RATE
from .errors import APIError

__all__ = ["RunSlots", "Scheduler", "SpeechJob", "SpeechResponse"]

log = logging.getLogger("misaki_lite.server")


class RunSlots:
    """``count`` slots, given to the waiter with the smallest key (then the earliest)."""

    def __init__(self, count: int) -> None:
        self.free = count                   # > 0 only while nobody is waiting
        self._waiting: list[list] = []      # heap of [key, arrival, event, state]
        self._arrival = itertools.count()

    async def acquire(self, key: float) -> None:
        if self.free:
            self.free -= 1
            return
        entry = [key, next(self._arrival), anyio.Event(), "waiting"]
        heapq.heappush(self._waiting, entry)
        try:
            await entry[2].wait()
        except BaseException:               # cancelled: pass on a slot given in the meantime
            if entry[3] == "granted":
                self.release()
            entry[3] = "gone"
            raise

    def release(self) -> None:
        while self._waiting:
            entry = heapq.heappop(self._waiting)
            if entry[3] == "waiting":
                entry[3] = "granted"
                entry[2].set()
                return
        self.free += 1


class Scheduler:
    """Admission of speech requests and the run slots they share."""

    def __init__(self, runs: int, queue: int) -> None:
        self.runs, self.queue = runs, queue
        self.active = 0                     # admitted, not yet finished
        self._slots: Optional[RunSlots] = None

    def admit(self) -> None:
        if self.active >= self.runs + self.queue:
            raise APIError(429, f"the server is busy ({self.active} requests in progress, "
                                f"{self.runs} synthesising and up to {self.queue} waiting); "
                                f"retry shortly", kind="rate_limit_error",
                           code="rate_limit_exceeded", headers={"Retry-After": "1"})
        self.active += 1

    def leave(self) -> None:
        self.active -= 1

    async def step(self, fn: Callable[[], Any], deadline: float, key: float) -> Any:
        """``fn()`` in a worker thread once a run slot is free (smallest ``key`` first);
        TimeoutError past ``deadline``."""
        if self._slots is None:                       # its events belong to the event loop
            self._slots = RunSlots(self.runs)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        with anyio.fail_after(remaining):
            await self._slots.acquire(key)
        try:
            result = await anyio.to_thread.run_sync(fn)   # a cancel waits for the thread
        finally:
            self._slots.release()
        if time.monotonic() > deadline:     # a model run cannot be interrupted: checked after
            raise TimeoutError
        return result


class SpeechJob:
    """One request's synthesis: chunks of audio from ``chunks``, encoded by ``encoder``."""

    def __init__(self, chunks: Any, encoder: Any, scheduler: Scheduler, timeout: float) -> None:
        self._chunks, self._encoder, self._scheduler = chunks, encoder, scheduler
        self.start = time.monotonic()
        self.deadline = self.start + timeout
        self.samples = 0
        self.done = False

    def _step(self) -> bytes:
        item = next(self._chunks, None)
        if item is None:
            self.done = True
            return self._encoder.close()
        self.samples += len(item[0])
        return self._encoder.feed(item[0])

    async def next_bytes(self) -> Optional[bytes]:
        """The next bytes to send (never empty), or None at the end."""
        while not self.done:
            runs_dry = self.start + self.samples / SAMPLE_RATE     # the listener's deadline
            data = await self._scheduler.step(self._step, self.deadline, runs_dry)
            if data:
                return data
        return None

    def close(self) -> None:
        self._chunks.close()


class SpeechResponse:
    """Stream a :class:`SpeechJob` to the client; ``on_close(outcome, job)`` runs exactly once.

    ``outcome`` is one of ``ok``, ``cancelled`` (the client went away), ``timeout``,
    ``empty`` (nothing to say) or ``error``.
    """

    def __init__(self, job: SpeechJob, media_type: str,
                 on_close: Callable[[str, SpeechJob], None]) -> None:
        self.job, self.media_type, self.on_close = job, media_type, on_close

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        outcome = "cancelled"          # unless the pump returns: the client went away
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(self._watch, receive, group.cancel_scope)
                outcome = await self._pump(send)
                group.cancel_scope.cancel()
        finally:
            self.job.close()
            self.on_close(outcome, self.job)

    async def _watch(self, receive: Callable, scope: anyio.CancelScope) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        scope.cancel()

    async def _pump(self, send: Callable) -> str:
        try:
            first = await self.job.next_bytes()
        except TimeoutError:
            await _send_error(send, APIError(504, "the request took longer than the server's "
                                                  "time limit", kind="timeout_error"))
            return "timeout"
        except APIError as exc:
            await _send_error(send, exc)
            return "error"
        except Exception:   # noqa: BLE001 - any failure of the model: a 500, logged
            log.exception("synthesis failed")
            await _send_error(send, APIError(500, "synthesis failed", kind="server_error"))
            return "error"
        if not self.job.samples:
            await _send_error(send, APIError(400, "the input has nothing to say (no word that "
                                                  "can be read)", param="input",
                                             code="empty_audio"))
            return "empty"
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", self.media_type.encode())]})
        data: Optional[bytes] = first
        try:
            while data is not None:
                await send({"type": "http.response.body", "body": data, "more_body": True})
                data = await self.job.next_bytes()
        except TimeoutError:
            return "timeout"                    # returning unfinished closes the connection
        except OSError:
            return "cancelled"
        except Exception:   # noqa: BLE001
            log.exception("synthesis failed after the first audio")
            return "error"
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return "ok"


async def _send_error(send: Callable, error: APIError) -> None:
    body = json.dumps(error.body()).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
