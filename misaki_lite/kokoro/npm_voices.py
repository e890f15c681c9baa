"""``misaki-lite download`` (the default source): Kokoro's 54 voices from the npm registry.

The npm package ``kokoro-js@1.2.1`` ships every Kokoro v1.0 voice as a raw float32
[510, 1, 256] little-endian file, ``package/voices/<name>.bin`` (the two voices in
``misaki_lite/kokoro/data`` came from it, see ``data/PROVENANCE.md``). The registry is reached
where GitHub is not, and the tarball's checksum is the registry's own ``integrity`` field,
pinned here.

Steps, nothing written into the voices folder until all of them pass:

1. the tarball is streamed into a temporary folder next to the destination, hashed on the
   way, and refused unless its sha512 is the pinned one (:func:`download.fetch`);
2. its members are read, never extracted by path: a member outside ``package/voices/`` is
   ignored; one inside is accepted only as a regular file named ``<name>.bin`` with a plain
   name (letters, digits, ``_`` and ``-``) of exactly 522,240 bytes whose values are a sane
   style table (:func:`voices.check_raw`); any other member there (a link, a folder, ``..``
   in its path, another size, a name given twice) refuses the whole tarball;
3. each voice is written into ``<folder>/voices/`` through a temporary file moved into place
   with ``os.replace``: an interrupted run leaves whole voice files only, and no ``.bin``
   that is not a checked voice.

The tarball itself is not kept.
"""
from __future__ import annotations

import os
import re
import tarfile
import tempfile
from pathlib import Path
from typing import Callable, Optional

from .download import Progress, Remote, failure, fetch
from .errors import DownloadError, VoiceError
from .voices import VOICES_FOLDER       # <cache>/voices/, where VoiceLibrary looks

__all__ = ["KOKORO_JS", "VOICES_FOLDER", "read_voices", "write_voices", "download_voices"]

KOKORO_JS = Remote(
    "https://registry.npmjs.org/kokoro-js/-/kokoro-js-1.2.1.tgz", "kokoro-js-1.2.1.tgz",
    integrity="sha512-oq0HZJWis3t8lERkMJh84WLU86dpYD0EuBPtqYnLlQzyFP1OkyBRDcweAqCfhNOpltyN9j"
                "/azp1H6uuC47gShw==")
_PREFIX = "package/voices/"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_MAX_VOICES = 1024


def _voice_name(member: tarfile.TarInfo, raw_bytes: int) -> str:
    """The voice name of a member under ``package/voices/``, or a VoiceError saying why not."""
    rest = member.name[len(_PREFIX):]
    stem, dot, suffix = rest.rpartition(".")
    if not (dot and suffix == "bin" and _NAME.fullmatch(stem)):
        raise VoiceError(f"member {member.name!r} is not named {_PREFIX}<name>.bin with a "
                         f"plain name")
    if not member.isreg():
        raise VoiceError(f"member {member.name!r} is not a regular file")
    if member.size != raw_bytes:
        raise VoiceError(f"member {member.name!r} has {member.size} bytes, a voice has "
                         f"{raw_bytes}")
    return stem


def read_voices(tarball: Path) -> dict[str, bytes]:
    """The voice files of a (verified) kokoro-js tarball, name -> raw bytes, each checked.

    Raises DownloadError if the tarball cannot be read, holds a bad member under
    ``package/voices/`` or no voice at all.
    """
    from .voices import RAW_BYTES, check_raw

    found: dict[str, bytes] = {}
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            for member in tar:
                if not member.name.startswith(_PREFIX):
                    continue
                name = _voice_name(member, RAW_BYTES)
                if name in found or len(found) >= _MAX_VOICES:
                    raise VoiceError(f"member {member.name!r} comes twice or past "
                                     f"{_MAX_VOICES} voices")
                data = tar.extractfile(member).read()
                check_raw(data, member.name)
                found[name] = data
    except VoiceError as exc:
        raise DownloadError(f"{tarball.name}: refused, nothing was written ({exc}); the "
                            f"tarball is not the kokoro-js this version expects") from None
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise DownloadError(f"{tarball.name}: not a readable npm tarball ({exc}); run "
                            f"'misaki-lite download' again") from None
    if not found:
        raise DownloadError(f"{tarball.name}: holds no {_PREFIX}*.bin voice; nothing was "
                            f"written")
    return found


def write_voices(voices: dict[str, bytes], folder: Path) -> list[Path]:
    """Write each voice as ``folder/<name>.bin``, atomically; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in sorted(voices.items()):
        target = folder / (name + ".bin")
        if target.is_file() and target.stat().st_size == len(data) and \
                target.read_bytes() == data:
            paths.append(target)
            continue
        fd, tmp = tempfile.mkstemp(prefix="." + name + ".", suffix=".part", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        paths.append(target)
    return paths


def download_voices(folder: Optional[Path] = None, remote: Optional[Remote] = None,
                    timeout: float = 60.0,
                    progress: Optional[Callable[[str], Progress]] = None) -> Path:
    """Fetch ``remote`` (default :data:`KOKORO_JS`), check it and its voices, and write them
    into ``folder/voices`` (``folder`` defaults to the user cache); return that voices folder."""
    from .model import cache_dir

    remote = remote or KOKORO_JS
    folder = Path(folder) if folder is not None else cache_dir()
    target = folder / VOICES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".npm-", dir=folder) as staging:
        tarball = fetch(remote, Path(staging), timeout, progress(remote.name) if progress else None)
        voices = read_voices(tarball)
    try:
        write_voices(voices, target)
    except OSError as exc:
        raise failure(f"writing {len(voices)} voices", target, exc) from None
    return target
