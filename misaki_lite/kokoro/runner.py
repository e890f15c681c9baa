"""The Kokoro runner: phonemes (or text, through misaki_lite's G2P) -> 24 kHz float32 audio.

One ONNX Runtime session per :class:`Kokoro`, created on first use. Nothing here imports
onnxruntime, numpy or the G2P until audio is asked for. With ``timestamps=True`` the session
is that of the durations graph (``durations.py``: the same audio, plus each token's
duration), which then serves every call; ``timestamps.py`` turns the durations into words of
the original text.

Speed on a small CPU: Kokoro's graph is mostly sequential (LSTMs, a vocoder over a long time
axis), so intra-op threads help little, and independent chunks of one request run
concurrently on the same session (ONNX Runtime's ``run`` is thread-safe and releases the GIL)
instead of in a second session that would double the memory.

Defaults (``threads=1``, ``workers=min(2, cores)``), chosen with ``benchmarks/bench_kokoro.py
--sweep`` and an interleaved A/B run on the shared 2-core x86 machine of this project, busy
with other jobs (real-time factors, higher is better; 4 sentences, 2 rounds):
threads=1/workers=1: 0.51, 0.44; threads=1/workers=2: 0.45, 0.43; threads=2/workers=1: 0.32,
0.32; threads=2/workers=2: 0.35, 0.43. Two intra-op threads lost 25-40% in every round, so
each call gets one thread; one or two workers tied under load, and two is the only way one
request can use a second idle core, so two it is. ``Kokoro(threads=..., workers=...)``
overrides both.
"""
from __future__ import annotations

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterator, Optional, Union

from . import chunking, model as model_files, timestamps as timing, vocab as vocabulary
from .errors import KokoroInputError, ModelError
from .voices import VoiceLibrary, style_row
from ..config import G2PConfig
from ..errors import BackendError, install_hint

__all__ = ["Kokoro", "Graph", "SAMPLE_RATE", "MIN_SPEED", "MAX_SPEED"]

SAMPLE_RATE = 24_000
MIN_SPEED, MAX_SPEED = 0.5, 2.0
_SPEED_DTYPES = {"tensor(float)": "float32", "tensor(double)": "float64",
                 "tensor(int32)": "int32", "tensor(int64)": "int64"}


def _default_threads() -> int:
    """Intra-op threads per model call (measured: see the module docstring)."""
    return 1


def _default_workers() -> int:
    """Chunks of one request synthesised at once: one per core, at most 2."""
    return max(1, min(2, os.cpu_count() or 1))


def check_speed(speed: Any) -> float:
    """``speed`` as a float in [MIN_SPEED, MAX_SPEED], or KokoroInputError (a ValueError)."""
    if isinstance(speed, bool) or not isinstance(speed, (int, float)):
        raise KokoroInputError(f"speed must be a number, not {type(speed).__name__}")
    if not (math.isfinite(speed) and MIN_SPEED <= speed <= MAX_SPEED):
        raise KokoroInputError(f"speed must be between {MIN_SPEED} and {MAX_SPEED}, got {speed}")
    return float(speed)


class Graph:
    """An ONNX Runtime session and the names/dtypes of its inputs (both known exports)."""

    def __init__(self, path, threads: int, ours: Optional[bool] = None) -> None:
        try:
            import numpy  # noqa: F401
            import onnxruntime as ort
        except ImportError as exc:
            raise BackendError(f"Kokoro audio needs the 'kokoro' extra ({exc}); "
                               f"{install_hint('kokoro')}") from None
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            self.session = ort.InferenceSession(str(path), options,
                                                providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own, undocumented, exception types
            raise model_files.unloadable(path, str(exc), ours) from None
        self.bind({i.name: i.type for i in self.session.get_inputs()}, path)
        outputs = [o.name for o in self.session.get_outputs()]
        # the durations graph (misaki_lite.kokoro.durations) has them as a second output
        self.durations = outputs[1] if len(outputs) > 1 else None

    def bind(self, inputs: dict[str, str], path) -> None:
        """Learn the input names and the speed dtype: exports differ ("tokens" in the official
        v1.0 graph, "input_ids" in later ones; speed float32 there, int32 in some)."""
        self.tokens = next((n for n in ("tokens", "input_ids") if n in inputs), None)
        self.style = next((n for n in ("style", "ref_s") if n in inputs), None)
        self.speed = "speed" if inputs.get("speed") in _SPEED_DTYPES else None
        if not (self.tokens and self.style and self.speed):
            raise ModelError(f"{path} is not a Kokoro v1.0 graph: inputs {inputs}, expected "
                             f"tokens/input_ids (int64), style/ref_s (float) and speed")
        self.speed_dtype = _SPEED_DTYPES[inputs["speed"]]

    def run(self, ids: list[int], style: Any, speed: float, options: Any = None) -> Any:
        """The audio of ``ids`` (float32, 1-D)."""
        return self.run_timed(ids, style, speed, options)[0]

    def run_timed(self, ids: list[int], style: Any, speed: float,
                  options: Any = None) -> tuple[Any, Any]:
        """The audio of ``ids`` and the duration of each input token in frames of 600
        samples (pads included; None unless this is the durations graph). ``options``: an
        ``onnxruntime.RunOptions``, whose ``terminate`` stops the run from another thread."""
        import numpy as np

        if self.speed_dtype.startswith("int") and speed != int(speed):
            raise KokoroInputError(f"this model takes an integer speed; {speed} is not one")
        feed = {self.tokens: np.array([[vocabulary.PAD_ID, *ids, vocabulary.PAD_ID]], np.int64),
                self.style: np.asarray(style, np.float32).reshape(1, -1),
                self.speed: np.array([speed], dtype=self.speed_dtype)}
        outputs = self.session.run(None, feed, options)
        audio = np.asarray(outputs[0], np.float32).reshape(-1)
        durations = np.asarray(outputs[1]).reshape(-1) if len(outputs) > 1 else None
        return audio, durations


class Kokoro:
    """Text or phonemes -> 24 kHz mono float32 audio with the Kokoro v1.0 ONNX graph.

    ``model``: path to an ``.onnx`` file (default: see :mod:`misaki_lite.kokoro.model`).
    ``voices``: an extra voice file, folder or ``voices-v1.0.bin`` archive (the packaged
    ``af_heart`` and ``bf_emma`` are always there, and the voices ``misaki-lite download`` put
    in the user cache are found by name after these). ``threads``: intra-op threads per model
    call; ``workers``: chunks of one request synthesised at once on the one session.
    ``strict``: a phoneme symbol Kokoro does not know raises instead of warning.
    """

    def __init__(self, model: Union[str, os.PathLike, None] = None,
                 voices: Union[str, os.PathLike, None] = None, threads: Optional[int] = None,
                 workers: Optional[int] = None, strict: bool = False) -> None:
        self._model = model
        self.voices = VoiceLibrary(voices)
        self.workers = workers if workers is not None else _default_workers()
        self.threads = threads if threads is not None else _default_threads()
        for name in ("threads", "workers"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise KokoroInputError(f"{name} must be a positive integer, got {value!r}")
        self.strict = strict
        self._graph: Optional[Graph] = None
        self._g2p: dict[bool, Any] = {}
        self._lock = threading.Lock()

    # -- plumbing ----------------------------------------------------------------------

    @property
    def graph(self) -> Graph:
        """The ONNX session, created (model resolved and verified) on first use."""
        with self._lock:
            if self._graph is None:
                self._graph = Graph(model_files.resolve_model(self._model), self.threads)
            return self._graph

    @property
    def timed_graph(self) -> Graph:
        """The session of the durations graph (same audio; see ``kokoro/durations.py``),
        derived and cached on first use; it then serves every call."""
        with self._lock:
            if self._graph is None or self._graph.durations is None:
                from .durations import derived_graph
                original = model_files.resolve_model(self._model)
                self._graph = Graph(derived_graph(original), self.threads, ours=True)
                if self._graph.durations is None:
                    raise ModelError(f"{original}: the derived graph has no durations output")
            return self._graph

    def _reader(self, british: bool):
        """misaki_lite's G2P for one dialect (created once): ``text -> (phonemes, tokens)``."""
        with self._lock:
            if british not in self._g2p:
                self._g2p[british] = G2PConfig(british=british).build()
            return self._g2p[british]

    def _phonemizer(self, british: bool):
        """misaki_lite's G2P for one dialect, as a ``str -> str`` function."""
        g2p = self._reader(british)
        return lambda text: g2p(text)[0]

    def chunks(self, text: str, british: bool = False) -> Iterator[chunking.Chunk]:
        """The chunks ``create`` and ``stream`` would say, lazily; none if nothing is said."""
        return chunking.chunks(text, self._phonemizer(british))

    def _say(self, phonemes: str, table: Any, speed: float, options: Any = None) -> Any:
        """Audio of one chunk (at most 510 tokens)."""
        ids = vocabulary.encode(phonemes, strict=self.strict)
        if not ids:
            import numpy as np
            return np.zeros(0, np.float32)
        return self.graph.run(ids, style_row(table, len(ids)), speed, options)

    def _say_timed(self, phonemes: str, table: Any, speed: float,
                   options: Any = None) -> tuple[Any, Any]:
        """Audio and token durations of one chunk."""
        ids = vocabulary.encode(phonemes, strict=self.strict)
        if not ids:
            import numpy as np
            return np.zeros(0, np.float32), np.zeros(0, np.float32)
        return self.timed_graph.run_timed(ids, style_row(table, len(ids)), speed, options)

    def _audio(self, pieces: Iterator[chunking.Chunk], table: Any, speed: float,
               first_alone: bool, say: Any = None) -> Iterator[tuple[Any, chunking.Chunk]]:
        """(``say``'s result: the audio, chunk) per chunk, in order, up to ``workers`` chunks
        at once.

        ``first_alone`` (streaming): the first chunk runs by itself, sharing the machine
        with no other chunk, so that the first audio comes as early as possible.
        """
        say = say or self._say
        pieces = iter(pieces)
        if first_alone or self.workers == 1:
            for c in pieces:
                yield say(c.phonemes, table, speed), c
                if self.workers > 1:
                    break
        if self.workers == 1:
            return
        from onnxruntime import RunOptions

        with ThreadPoolExecutor(self.workers, thread_name_prefix="kokoro") as pool:
            pending: list = []
            try:
                for c in pieces:
                    options = RunOptions()
                    pending.append((pool.submit(say, c.phonemes, table, speed, options), c,
                                    options))
                    if len(pending) > self.workers:
                        yield pending[0][0].result(), pending[0][1]
                        pending.pop(0)              # only now: a Ctrl-C in result() stops it
                while pending:
                    yield pending[0][0].result(), pending[0][1]
                    pending.pop(0)
            except BaseException:
                # Ctrl-C, an error, or the consumer gone (GeneratorExit): stop the runs in
                # flight instead of waiting seconds for chunks nobody will take
                for done, _, options in pending:
                    done.cancel()
                    options.terminate = True
                raise

    def _timed(self, text: str, pieces: Iterator[chunking.Chunk], table: Any, speed: float,
               first_alone: bool) -> Iterator[tuple[Any, chunking.Chunk, list]]:
        """(audio, chunk, words) per chunk: the words of the original ``text`` said in the
        chunk, timed in seconds from the start of the whole audio."""
        clock, at, cursor = 0.0, 0.0, 0
        for (audio, durations), c in self._audio(pieces, table, speed, first_alone,
                                                  say=self._say_timed):
            timing.time_tokens(c.readings, durations)
            words: list = []
            for r in c.readings:
                offset = text.find(r.text, cursor)
                cursor = offset + len(r.text)
                if r.tokens is None:
                    words += timing.untimed_piece(r.text, offset, clock,
                                                  clock + len(audio) / SAMPLE_RATE)
                else:
                    words += timing.words_of(r.text, r.tokens, offset, clock, at)
                at = words[-1].end if words else at
            yield audio, c, words
            clock += len(audio) / SAMPLE_RATE

    @staticmethod
    def _joined(parts) -> tuple[Any, int]:
        import numpy as np
        audio = [a for a, _ in parts]
        return (np.concatenate(audio) if audio else np.zeros(0, np.float32)), SAMPLE_RATE

    # -- public API --------------------------------------------------------------------

    def _start(self, text: Any, voice: Any, speed: Any, what: str,
               timestamps: bool = False) -> tuple[Any, float]:
        """Check the arguments and load the model before any work; return style table, speed."""
        if not isinstance(text, str):
            raise KokoroInputError(f"{what} must be a str, not {type(text).__name__}")
        table, speed = self.voices.resolve(voice), check_speed(speed)
        if timestamps:
            self.timed_graph              # derived (once) and checked here, early
        else:
            self.graph                    # a missing or corrupt model fails here, early
        return table, speed

    def stream(self, text: str, voice: Any = "af_heart", speed: float = 1.0,
               british: bool = False, timestamps: bool = False) -> Iterator[tuple]:
        """Yield ``(audio, text, phonemes)`` per phrase, the first as soon as it is ready;
        with ``timestamps=True``, ``(audio, text, phonemes, words)``: the :class:`Word` s of
        the original text said in that audio, in seconds from the start of the stream.

        The text is phonemized sentence by sentence as the audio is asked for; the first
        chunk is only the first clause (``chunking.first_clause``) and the later ones grow
        toward the model's limit (``chunking.chunks``), so the first audio comes
        after about the time of that clause.
        """
        table, speed = self._start(text, voice, speed, "text", timestamps)
        if timestamps:
            pieces = chunking.chunks(text, None, first_clause_only=True,
                                     read=self._reader(british))
            return ((a, c.text, c.phonemes, words)
                    for a, c, words in self._timed(text, pieces, table, speed, True))
        pieces = chunking.chunks(text, self._phonemizer(british), first_clause_only=True)
        return ((a, c.text, c.phonemes) for a, c in self._audio(pieces, table, speed, True))

    def create(self, text: str, voice: Any = "af_heart", speed: float = 1.0,
               british: bool = False, timestamps: bool = False) -> tuple:
        """Audio of the whole of ``text``: ``(float32 array, 24000)``; with
        ``timestamps=True``, ``(audio, 24000, words)``: every word of ``text`` as a
        :class:`~misaki_lite.kokoro.timestamps.Word` (``text``, ``start``, ``end`` in seconds,
        ``start_char``, ``end_char``; ``silent`` for a word that is not said, and why)."""
        parts = self.generate(text, voice, speed, british, timestamps)
        if not timestamps:
            return self._joined((audio, None) for audio, _, _ in parts)
        parts, words = list(parts), []
        for *_, chunk_words in parts:
            words += chunk_words
        return (*self._joined((audio, None) for audio, *_ in parts), timing.merge_split(words))

    def generate(self, text: str, voice: Any = "af_heart", speed: float = 1.0,
                 british: bool = False, timestamps: bool = False) -> Iterator[tuple]:
        """``create``'s audio chunk by chunk, to write a long text without holding all its
        audio: ``(audio, text, phonemes)`` per chunk, or with ``timestamps=True``
        ``(audio, text, phonemes, words)`` (words as ``stream`` gives them, timed from the
        start). The chunks and samples are ``create``'s (``stream`` cuts its first chunk
        short instead). Closing the iterator stops the model runs in flight."""
        table, speed = self._start(text, voice, speed, "text", timestamps)
        if not timestamps:
            pieces = chunking.chunks(text, self._phonemizer(british))
            return ((a, c.text, c.phonemes)
                    for a, c in self._audio(pieces, table, speed, first_alone=False))
        pieces = chunking.chunks(text, None, read=self._reader(british))
        return ((a, c.text, c.phonemes, words)
                for a, c, words in self._timed(text, pieces, table, speed, False))

    def from_phonemes(self, phonemes: str, voice: Any = "af_heart", speed: float = 1.0
                      ) -> tuple[Any, int]:
        """Audio of a phoneme string (misaki's symbols), cut into chunks as text would be."""
        table, speed = self._start(phonemes, voice, speed, "phonemes")
        pieces = chunking.chunks(phonemes, lambda p: p)
        return self._joined(self._audio(pieces, table, speed, first_alone=False))
