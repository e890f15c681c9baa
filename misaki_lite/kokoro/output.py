"""Where ``misaki-lite speak`` puts its audio: the format the file name names, written chunk by
chunk into a temporary file beside the target and moved into place only when complete.

- ``.wav`` (or no extension): 16-bit PCM, 24 kHz mono, written as each chunk is ready (the
  header's lengths are filled in at the end), so a long text never holds all its audio;
- ``.mp3``, ``.flac``, ``.opus`` / ``.ogg`` (Ogg Opus): the speech server's encoders
  (``misaki_lite/server/formats.py``, through soundfile: the ``server`` extra);
- anything else is refused before synthesis, with the list above.

An interrupted or failed run leaves no file behind (and an existing file of that name as it
was). ``-o -`` writes WAV to stdout, built in memory (a pipe cannot be rewound to fill in the
header). A path that is not a regular file (``/dev/null``, a FIFO) is written directly.
"""
from __future__ import annotations

import io
import os
import stat
import sys
import wave
from pathlib import Path
from typing import Any, BinaryIO, Optional

from ..errors import MisakiLiteError, install_hint

__all__ = ["AUDIO_SUFFIXES", "UnsupportedFormat", "audio_format", "AudioWriter"]

AUDIO_SUFFIXES = {".wav": "wav", ".mp3": "mp3", ".flac": "flac", ".opus": "opus", ".ogg": "opus"}
RATE = 24_000


class UnsupportedFormat(MisakiLiteError, ValueError):
    """``-o`` names a file whose extension is no audio format speak writes."""


def audio_format(output: str) -> str:
    """The format ``-o output`` names: 'wav' for '-' or no extension; MisakiLiteError (before
    any synthesis) for another extension or an encoder this installation lacks."""
    suffix = "" if output == "-" else Path(output).suffix.lower()
    if not suffix:
        return "wav"
    fmt = AUDIO_SUFFIXES.get(suffix)
    if fmt is None:
        raise UnsupportedFormat(f"-o {output!r}: cannot write {suffix} audio; the file name must "
                              f"end in {', '.join(list(AUDIO_SUFFIXES)[:-1])} or .ogg (the format is taken from it)")
    if fmt != "wav":
        from ..server.formats import missing_encoder
        if missing_encoder(fmt):
            raise MisakiLiteError(f"-o {output!r}: writing {fmt} needs the soundfile package "
                                  f"with a libsndfile that has it ({install_hint('server')}); "
                                  f".wav needs nothing more")
    return fmt


class AudioWriter:
    """Audio written a chunk at a time (:meth:`write`); :meth:`commit` finishes the file and
    moves it into place, :meth:`discard` removes what was written."""

    def __init__(self, output: str, fmt: str) -> None:
        self.output, self.samples = output, 0
        self._tmp: Optional[str] = None
        self._file: Optional[BinaryIO] = None
        if output == "-" or _special(output):
            self._file = io.BytesIO() if output == "-" else open(output, "wb")
        else:
            path = Path(output)
            self._tmp = str(path.with_name(f".{path.name}.{os.getpid()}.part"))
            self._file = open(self._tmp, "xb")
        self._wave, self._encoder = None, None
        if fmt == "wav":
            self._wave = wave.open(self._file, "wb")
            self._wave.setnchannels(1)
            self._wave.setsampwidth(2)
            self._wave.setframerate(RATE)
        else:
            from ..server.formats import encoder
            self._encoder = encoder(fmt)

    def write(self, audio: Any) -> None:
        from .wav import to_pcm16

        self.samples += len(audio)
        if self._wave is not None:
            self._wave.writeframes(to_pcm16(audio))
        else:
            self._file.write(self._encoder.feed(audio))

    def commit(self) -> None:
        """Finish the file: the WAV header's lengths, the encoder's tail; then into place."""
        if self._wave is not None:
            self._wave.close()              # fills in the lengths (leaves the file open)
        else:
            self._file.write(self._encoder.close())
        if self.output == "-":
            sys.stdout.buffer.write(self._file.getvalue())
            sys.stdout.buffer.flush()
        self._file.close()
        if self._tmp is not None:
            os.replace(self._tmp, self.output)
            self._tmp = None

    def discard(self) -> None:
        """Close and remove the temporary file (the target is left as it was)."""
        try:
            if self._wave is not None:
                self._wave.close()          # before the file: its finaliser would write to it
            self._file.close()
        except (OSError, ValueError):
            pass
        finally:
            if self._tmp is not None and os.path.exists(self._tmp):
                os.unlink(self._tmp)
            self._tmp = None


def _special(output: str) -> bool:
    """A path that exists and is not a regular file: a device or a FIFO, written in place."""
    try:
        return not stat.S_ISREG(os.stat(output).st_mode)
    except OSError:
        return False
