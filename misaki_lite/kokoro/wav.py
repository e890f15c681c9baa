"""WAV output with the standard library: 16-bit PCM, mono, 24 kHz by default."""
from __future__ import annotations

import wave
from typing import Any, BinaryIO, Union

__all__ = ["to_pcm16", "write_wav"]


def to_pcm16(audio: Any) -> bytes:
    """float audio in [-1, 1] -> little-endian 16-bit PCM bytes (clipped, rounded)."""
    import numpy as np

    samples = np.clip(np.asarray(audio, np.float32).reshape(-1), -1.0, 1.0)
    return np.round(samples * 32767.0).astype("<i2").tobytes()


def write_wav(target: Union[str, BinaryIO], audio: Any, rate: int = 24_000) -> None:
    """Write ``audio`` as a mono 16-bit WAV file to a path or a binary file object.

    A non-seekable target (a pipe, stdout) works: the whole file is built in memory first.
    """
    import io

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wf:
        wf.setnchannels(1)
        wf.setsampwidth(2)
        wf.setframerate(rate)
        wf.writeframes(to_pcm16(audio))
    data = buffer.getvalue()
    if isinstance(target, (str, bytes)) or hasattr(target, "__fspath__"):
        with open(target, "wb") as fh:
            fh.write(data)
    else:
        target.write(data)
        target.flush()
