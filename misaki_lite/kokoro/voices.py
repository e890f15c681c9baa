"""Voices: style tables of shape [510, 1, 256], their sources, blends and the style row.

A Kokoro voice is a float32 table with one 256-wide style vector per utterance length: row
``n - 1`` is meant for an utterance of ``n`` tokens. That is KPipeline's convention
(``ref_s = pack[len(ps) - 1]`` in kokoro's pipeline, where ``ps`` is the phoneme string of the
chunk, one token per symbol). :func:`style_row` follows it with the number of tokens actually
sent to the model, clamped to 0..509 so that no length, not even 0 or more than 510, can index
out of range.

Where voices come from (:class:`VoiceLibrary`):

- ``af_heart`` (US) and ``bf_emma`` (GB) are in the package (``data/*.bin``);
- ``voices=`` may name a ``.bin`` (raw float32, 522,240 bytes) or ``.npy`` file, a folder of
  such files (the file stem is the voice name), or a ``voices-v1.0.bin`` archive (an npz of
  such tables, as kokoro-onnx publishes it);
- a voice argument may itself be a path to a ``.bin``/``.npy`` file, or an array;
- voices downloaded into the user cache (:func:`cache_sources`) by ``misaki-lite download``:
  the folder ``<cache>/voices/`` (npm, the default source), then the archive
  ``<cache>/voices-v1.0.bin`` (``--from github``). They are looked at only for a name that the
  package and ``voices=`` do not have (or for :attr:`VoiceLibrary.names`), never written or
  fetched here; a broken file there is reported when one of its names is asked for;
- a blend ``"af_heart:0.7,bf_emma:0.3"`` is the weighted mean of its voices (weights are
  normalised to sum 1; ``"a,b"`` without weights is the plain mean, as in KPipeline).

What is refused, with the reason (a :class:`VoiceError`): a table that is not float32
[510, 1, 256], holds NaN or infinity, or any value of magnitude over ``MAX_MAGNITUDE`` (the
54 official voices stay under 3.2); an archive of more than ``MAX_MEMBERS`` members (its
tables are read on first use, not at start); a blend weight that is not a positive finite
number; a source whose voice has a packaged name (``af_heart``) but other values than the
packaged voice. An existing file is always read as a file, even with ``:`` or ``,`` in its name.

numpy is imported only when a voice is actually loaded.
"""
from __future__ import annotations

import os
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any, Union

from .errors import VoiceError
from .vocab import MAX_TOKENS

__all__ = ["ROWS", "DIM", "RAW_BYTES", "DEFAULT_VOICES", "VoiceLibrary", "parse_blend",
           "style_row", "check_raw", "cache_sources"]

ROWS, DIM = MAX_TOKENS, 256
RAW_BYTES = ROWS * DIM * 4
_NPY_SLACK = 4096                        # room for an .npy header inside an archive member
DEFAULT_VOICES = ("af_heart", "bf_emma")
_SUFFIXES = (".bin", ".npy")
MAX_MAGNITUDE = 100.0                    # official voices: |x| < 3.2; a sane table stays far below
MAX_MEMBERS = 1024                       # voices-v1.0.bin has 54


def style_row(voice: Any, n_tokens: int) -> Any:
    """The style vector [1, 256] for an utterance of ``n_tokens`` tokens (KPipeline's row)."""
    return voice[min(max(n_tokens - 1, 0), ROWS - 1)]


def parse_blend(spec: str) -> list[tuple[str, float]]:
    """``"a:0.7,b:0.3"`` -> ``[("a", 0.7), ("b", 0.3)]``; a name without weight weighs 1."""
    parts = []
    for item in spec.split(","):
        name, sep, weight = item.strip().rpartition(":") if ":" in item else (item.strip(), "", "")
        name = name.strip()
        if not name:
            raise VoiceError(f"empty voice name in {spec!r}")
        try:
            value = float(weight) if sep else 1.0
        except ValueError:
            raise VoiceError(f"bad weight {weight!r} for voice {name!r} in {spec!r}") from None
        if not value > 0 or value == float("inf"):
            raise VoiceError(f"weight of {name!r} in {spec!r} must be a positive number")
        parts.append((name, value))
    return parts


def _checked(array: Any, origin: str) -> Any:
    """``array`` as float32 [510, 1, 256], or a VoiceError naming ``origin``."""
    import numpy as np

    if array.dtype != np.float32:
        raise VoiceError(f"{origin}: voice must be float32, found {array.dtype}")
    if array.shape == (ROWS, DIM):
        array = array.reshape(ROWS, 1, DIM)
    if array.shape != (ROWS, 1, DIM):
        raise VoiceError(f"{origin}: voice must have shape ({ROWS}, 1, {DIM}), found {array.shape}")
    if not np.isfinite(array).all():
        raise VoiceError(f"{origin}: voice holds NaN or infinite values")
    peak = float(np.abs(array).max())
    if peak > MAX_MAGNITUDE:
        raise VoiceError(f"{origin}: voice holds a value of magnitude {peak:.3g}; a style table "
                         f"stays under {MAX_MAGNITUDE:g} (official voices: under 3.2)")
    return array


def _check_npy_header(fp: Any, origin: str) -> None:
    """Refuse an .npy stream whose header is not float32 [510, 1, 256] (or [510, 256]) before
    numpy allocates what the header claims (a 100-byte file can claim 500 GB)."""
    import numpy as np
    from numpy.lib import format as npy

    try:
        version = npy.read_magic(fp)
        read = {(1, 0): npy.read_array_header_1_0, (2, 0): npy.read_array_header_2_0}[version]
        shape, _, dtype = read(fp)
    except Exception as exc:  # noqa: BLE001 - untrusted bytes: any failure is a bad voice
        raise VoiceError(f"{origin}: not a readable .npy voice ({type(exc).__name__}: {exc})") from None
    if dtype != np.dtype("<f4") or tuple(shape) not in ((ROWS, 1, DIM), (ROWS, DIM)):
        raise VoiceError(f"{origin}: voice must be float32 of shape ({ROWS}, 1, {DIM}), "
                         f"the header says {dtype}, shape {tuple(shape)}")


def load_file(path: Union[str, Path]) -> Any:
    """One voice from a raw ``.bin`` (float32, no header) or an ``.npy`` file."""
    import numpy as np

    path = Path(path)
    if path.suffix == ".npy":
        if path.stat().st_size > RAW_BYTES + _NPY_SLACK:
            raise VoiceError(f"{path}: {path.stat().st_size} bytes, too large for a float32 voice "
                             f"table of shape ({ROWS}, 1, {DIM})")
        try:
            with open(path, "rb") as fh:
                _check_npy_header(fh, str(path))
            return _checked(np.load(path, allow_pickle=False), str(path))
        except VoiceError:
            raise
        except Exception as exc:  # noqa: BLE001 - EOFError, ValueError, OSError...
            raise VoiceError(f"{path}: not a readable .npy voice ({type(exc).__name__}: {exc})") from None
    size = path.stat().st_size
    if size != RAW_BYTES:
        raise VoiceError(f"{path}: a raw voice file has {RAW_BYTES} bytes "
                         f"(float32 [{ROWS}, 1, {DIM}]), this one has {size}")
    return _checked(np.fromfile(path, dtype="<f4").reshape(ROWS, 1, DIM), str(path))


def check_raw(data: bytes, origin: str) -> Any:
    """The table of one raw voice file's bytes (float32 little-endian, no header), checked."""
    import numpy as np

    if len(data) != RAW_BYTES:
        raise VoiceError(f"{origin}: a raw voice file has {RAW_BYTES} bytes, this one has "
                         f"{len(data)}")
    return _checked(np.frombuffer(data, dtype="<f4").reshape(ROWS, 1, DIM), origin)


# where ``misaki-lite download`` puts voices in the user cache: the npm source's folder, then
# the GitHub release's archive
VOICES_FOLDER, VOICES_ARCHIVE = "voices", "voices-v1.0.bin"


def cache_sources() -> list[Path]:
    """The voices ``misaki-lite download`` left in the user cache, in lookup order."""
    from .model import cache_dir

    folder = cache_dir()
    return [path for path in (folder / VOICES_FOLDER, folder / VOICES_ARCHIVE) if path.exists()]


def archive_members(path: Union[str, Path]) -> list[str]:
    """The voice names of an npz archive such as ``voices-v1.0.bin``, every member's size and
    header checked (nothing is decompressed beyond the headers)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise VoiceError(f"{path}: {len(infos)} members; a voice archive holds at most "
                                 f"{MAX_MEMBERS}")
            for info in infos:
                if info.file_size > RAW_BYTES + _NPY_SLACK:
                    raise VoiceError(f"{path}: member {info.filename!r} is {info.file_size} "
                                     f"bytes, too large for a voice table")
                with zf.open(info) as member:
                    _check_npy_header(member, f"{path}[{info.filename}]")
            return [info.filename.removesuffix(".npy") for info in infos]
    except VoiceError:
        raise
    except Exception as exc:  # noqa: BLE001 - zlib.error, NotImplementedError, EOFError...
        raise VoiceError(f"{path}: not a readable voice archive ({type(exc).__name__}: {exc})") from None


def load_member(path: Union[str, Path], name: str) -> Any:
    """One voice of an archive already checked by :func:`archive_members`."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as npz:
            return _checked(npz[name], f"{path}[{name}]")
    except VoiceError:
        raise
    except Exception as exc:  # noqa: BLE001 - zlib.error, NotImplementedError, EOFError...
        raise VoiceError(f"{path}: not a readable voice archive ({type(exc).__name__}: {exc})") from None


def load_archive(path: Union[str, Path]) -> dict[str, Any]:
    """Every voice of an npz archive, checked."""
    return {name: load_member(path, name) for name in archive_members(path)}


def _is_archive(path: Path) -> bool:
    return path.is_file() and zipfile.is_zipfile(path)


def _entries(path: Path, empty_ok: bool = False) -> tuple[dict[str, Path], set[str]]:
    """The voices of a file, folder or archive: name -> path, and the names read from archive
    members."""
    if path.is_dir():
        found = [p for p in sorted(path.iterdir()) if p.suffix in _SUFFIXES and p.is_file()]
        if not found and not empty_ok:
            raise VoiceError(f"{path}: folder holds no .bin or .npy voice files")
        return {p.stem: p for p in found}, set()
    if _is_archive(path):
        entries = {name: path for name in archive_members(path)}
        return entries, set(entries)
    if path.is_file() and path.suffix in _SUFFIXES:
        return {path.stem: path}, set()
    raise VoiceError(f"{path}: no such voice file, folder or archive")


class VoiceLibrary:
    """Named voices: the packaged defaults, an optional file, folder or archive, then the
    voices downloaded into the user cache (first match wins).

    Tables are loaded on first use and kept; blends are computed per call. The cache is looked
    at once, the first time a name is not found otherwise (or :attr:`names` is read).
    """

    def __init__(self, source: Union[str, Path, None] = None) -> None:
        self._paths: dict[str, Path] = {}          # name -> file, or archive holding it
        self._archived: set[str] = set()           # names read from an archive member
        self._loaded: dict[str, Any] = {}
        self._cache_read = False
        self._cache_error: Union[VoiceError, None] = None
        data = resources.files(__package__).joinpath("data")
        for name in DEFAULT_VOICES:
            self._paths[name] = Path(str(data.joinpath(name + ".bin")))
        if source is not None:
            self._add_source(Path(os.fspath(source)))

    def _add_source(self, path: Path) -> None:
        entries, archived = _entries(path)
        for name in DEFAULT_VOICES:
            if name in entries:
                theirs = load_member(path, name) if archived else load_file(entries[name])
                if not (theirs == self.table(name)).all():
                    raise VoiceError(f"{path}: its voice {name!r} differs from the packaged "
                                     f"{name!r}; give it another name")
        self._paths.update(entries)
        self._archived |= archived

    def _read_cache(self) -> None:
        """Add the cache's voices whose names are not known yet (once). A source that cannot
        be read is skipped; its error is kept for a name that is then not found."""
        if self._cache_read:
            return
        self._cache_read = True
        for path in cache_sources():
            try:
                if path.is_file() and not _is_archive(path):
                    raise VoiceError(f"{path}: not a readable voice archive")
                entries, archived = _entries(path, empty_ok=True)
            except VoiceError as exc:
                self._cache_error = self._cache_error or VoiceError(
                    f"{exc} (in the cache: delete it, then run 'misaki-lite download' again)")
                continue
            new = {name: where for name, where in entries.items() if name not in self._paths}
            self._paths.update(new)
            self._archived |= archived & set(new)

    @property
    def names(self) -> list[str]:
        """Every voice name this library can load."""
        self._read_cache()
        return sorted(self._paths)

    def table(self, name: str) -> Any:
        """The [510, 1, 256] table of one named voice (or of a path to a voice file)."""
        if name not in self._loaded:
            if name not in self._paths and not (name.endswith(_SUFFIXES) and Path(name).is_file()):
                self._read_cache()
            if name in self._archived:
                self._loaded[name] = load_member(self._paths[name], name)
            elif name in self._paths:
                self._loaded[name] = load_file(self._paths[name])
            elif name.endswith(_SUFFIXES) and Path(name).is_file():
                return load_file(name)
            else:
                raise self._cache_error or self._unknown(name)
        return self._loaded[name]

    def _unknown(self, name: str) -> VoiceError:
        more = ("" if len(self._paths) > len(DEFAULT_VOICES) else
                "; 'misaki-lite download' fetches Kokoro's 54 voices into the cache")
        return VoiceError(f"unknown voice {name!r}; known voices: {', '.join(self.names)} (or "
                          f"a .bin/.npy path, or a blend like 'af_heart:0.7,bf_emma:0.3'){more}")

    def resolve(self, voice: Any) -> Any:
        """A voice argument (name, path, blend string or array) -> float32 [510, 1, 256]."""
        import numpy as np

        if isinstance(voice, np.ndarray):
            return _checked(voice, "voice array")
        if not isinstance(voice, str):
            raise VoiceError(f"voice must be a name, a path, a blend or an array, "
                             f"not {type(voice).__name__}")
        if voice.strip() in self._paths or ("," not in voice and ":" not in voice) or (
                voice.endswith(_SUFFIXES) and Path(voice).is_file()):
            return self.table(voice.strip())
        parts = parse_blend(voice)
        top = max(weight for _, weight in parts)         # scaled first: 1e308 + 1e308 stays finite
        total = sum(weight / top for _, weight in parts)
        mix = sum(self.table(name).astype(np.float64) * (weight / top / total) for name, weight in parts)
        return mix.astype(np.float32)
