"""Audio encoders for the speech endpoint: float32 chunks in, bytes to send out.

Every encoder has ``feed(audio) -> bytes`` (called once per synthesised chunk) and
``close() -> bytes`` (the tail). What each format sends, and when:

- ``wav``: a 44-byte header, then 16-bit PCM as each chunk is ready. The length fields hold
  0xFFFFFFFF (the length is not known when the header goes out), as OpenAI's streamed WAV
  does; readers take the data to the end of the stream.
- ``pcm``: raw 16-bit little-endian mono samples at 24 kHz, as each chunk is ready.
- ``opus``: Ogg Opus through soundfile (libsndfile), page by page as chunks are encoded.
- ``mp3`` and ``flac``: through soundfile, sent whole at the end: libsndfile goes back to
  rewrite their headers (the MP3 Info frame, FLAC's STREAMINFO) when it closes, and a stream
  cut before that rewrite does not decode to its full length with libsndfile itself.

soundfile is optional (the ``server`` extra installs it); without it ``wav`` and ``pcm``
still work and the others are refused with a message saying what to install.
"""
from __future__ import annotations

import struct
from typing import Any, Optional

from ..errors import install_hint
from ..kokoro.runner import SAMPLE_RATE
from ..kokoro.wav import to_pcm16

__all__ = ["FORMATS", "MEDIA_TYPES", "missing_encoder", "encoder"]

# OpenAI's response_format values that this server can produce, in OpenAI's order.
FORMATS = ("mp3", "opus", "flac", "wav", "pcm")
MEDIA_TYPES = {"mp3": "audio/mpeg", "opus": "audio/ogg", "flac": "audio/flac",
               "wav": "audio/wav", "pcm": "audio/pcm"}
# format -> (libsndfile major format, subtype, sent as it is encoded)
_SOUNDFILE = {"mp3": ("MP3", "MPEG_LAYER_III", False), "opus": ("OGG", "OPUS", True),
              "flac": ("FLAC", "PCM_16", False)}
_UNKNOWN_SIZE = 0xFFFFFFFF


def missing_encoder(fmt: str) -> Optional[str]:
    """Why ``fmt`` cannot be encoded here (a sentence for the client), or None if it can."""
    if fmt not in _SOUNDFILE:
        return None
    try:
        import soundfile
    except (ImportError, OSError) as exc:     # OSError: soundfile without its libsndfile
        return (f"response_format {fmt!r} needs the soundfile package ({exc}); the server can "
                f"send 'wav' and 'pcm' without it ({install_hint('server')})")
    major, subtype, _ = _SOUNDFILE[fmt]
    if major not in soundfile.available_formats() or \
            subtype not in soundfile.available_subtypes(major):
        return (f"response_format {fmt!r}: this server's libsndfile "
                f"{soundfile.__libsndfile_version__} cannot write {major}/{subtype}")
    return None


def wav_header(rate: int = SAMPLE_RATE) -> bytes:
    """RIFF/WAVE header for 16-bit mono PCM of unknown length."""
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    return (b"RIFF" + struct.pack("<I", _UNKNOWN_SIZE) + b"WAVE" + b"fmt "
            + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", _UNKNOWN_SIZE))


class _Pcm:
    def __init__(self, header: bytes = b"") -> None:
        self._pending = header

    def feed(self, audio: Any) -> bytes:
        if not len(audio):                 # nothing said: keep the header for real audio
            return b""
        data, self._pending = self._pending + to_pcm16(audio), b""
        return data

    def close(self) -> bytes:
        return self._pending


class _Sink:
    """A seekable file object for libsndfile that remembers what was already handed out."""

    def __init__(self) -> None:
        self.buffer, self.position, self.sent = bytearray(), 0, 0

    def write(self, data: Any) -> int:
        data = bytes(data)
        self.buffer[self.position:self.position + len(data)] = data
        self.position += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self.position, len(self.buffer))[whence]
        self.position = base + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def read(self, size: int = -1) -> bytes:    # libsndfile probes; a write-only sink is empty
        return b""

    def take(self) -> bytes:
        """The bytes written past what was handed out before (earlier ones are never resent)."""
        data = bytes(self.buffer[self.sent:])
        self.sent = len(self.buffer)
        return data


class _SoundFile:
    def __init__(self, fmt: str) -> None:
        import soundfile

        major, subtype, self._streams = _SOUNDFILE[fmt]
        self._sink = _Sink()
        self._file = soundfile.SoundFile(self._sink, "w", samplerate=SAMPLE_RATE, channels=1,
                                         format=major, subtype=subtype)

    def feed(self, audio: Any) -> bytes:
        import numpy as np

        if not len(audio):                 # nothing said: the headers wait for real audio
            return b""
        self._file.write(np.frombuffer(to_pcm16(audio), "<i2"))   # the samples of wav and pcm
        return self._sink.take() if self._streams else b""

    def close(self) -> bytes:
        self._file.close()
        return self._sink.take()


def encoder(fmt: str) -> Any:
    """A fresh encoder for one response (``fmt`` checked with :func:`missing_encoder`)."""
    if fmt == "wav":
        return _Pcm(wav_header())
    if fmt == "pcm":
        return _Pcm()
    return _SoundFile(fmt)
