"""``misaki-lite serve``: the real ``openai`` client and raw HTTP against a server on a free
local port, run in a thread of this process (one model session for the whole module).

The audio the server sends is compared with what ``Kokoro.stream`` gives for the same text and
voice, sample for sample; the error cases check OpenAI's error shape and status codes; the
disconnect and 429 cases watch the server's own counters. Inputs are short: the module takes
about a minute on two busy cores.
"""
from __future__ import annotations

import http.client
import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("onnxruntime")
pytest.importorskip("starlette")
uvicorn = pytest.importorskip("uvicorn")
openai = pytest.importorskip("openai")

from misaki_lite.kokoro import Kokoro                                   # noqa: E402
from misaki_lite.kokoro import model as model_files                    # noqa: E402
from misaki_lite.kokoro.wav import to_pcm16                            # noqa: E402
from misaki_lite.server import Settings, create_app                    # noqa: E402

KEY = "test-key"
SHORT = "Hello there, my friend."
TWO = "The old lighthouse stood at the edge of the cliff, alone. Ships passed it at night."
# Twelve sentences: some forty seconds of speech, far more than a test ever waits for.
LONG = " ".join(["The old lighthouse stood at the edge of the cliff, facing the grey sea."] * 12)


@pytest.fixture(scope="module")
def kokoro():
    return Kokoro(model=model_files.resolve_model(), workers=1)


@pytest.fixture(scope="module")
def server(kokoro):
    """(app state, port) of a running server: key required, 2 runs, 2 waiting, 400 chars."""
    app = create_app(kokoro, Settings(api_key=KEY, max_chars=2000, runs=2, queue=2,
                                      timeout=120))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, access_log=False,
                            lifespan="off")
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not runner.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.05)
    port = runner.servers[0].sockets[0].getsockname()[1]
    yield app.state.server, port
    runner.should_exit = True
    thread.join(30)


@pytest.fixture(scope="module")
def client(server):
    return openai.OpenAI(base_url=f"http://127.0.0.1:{server[1]}/v1", api_key=KEY,
                         max_retries=0, timeout=120)


def _stream_pcm(kokoro, text, voice="af_heart", british=False):
    """What the server should send for ``text``: Kokoro.stream's audio as 16-bit PCM."""
    return b"".join(to_pcm16(audio) for audio, _, _ in
                    kokoro.stream(text, voice=voice, british=british))


def _post(port, path, body, key=KEY, raw=None):
    """(status, headers, parsed JSON or bytes) of one POST."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    conn.request("POST", path, body=raw if raw is not None else json.dumps(body), headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    is_json = response.getheader("content-type", "").startswith("application/json")
    return response.status, dict(response.getheaders()), json.loads(data) if is_json else data


def _wait_for(condition, seconds=60.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


# -- the OpenAI client -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_sentences_pcm(kokoro):
    return _stream_pcm(kokoro, TWO)


def test_openai_client_gets_the_runners_audio_as_wav(client, two_sentences_pcm):
    response = client.audio.speech.create(model="tts-1", voice="af_heart", input=TWO,
                                          response_format="wav")
    with wave.open(io.BytesIO(response.content)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 24_000)
        frames = wav.readframes(10**9)
    assert len(frames) > 24_000 * 2 * 2                   # more than two seconds
    assert frames == two_sentences_pcm


def test_openai_client_streams_pcm_as_it_is_made(client, two_sentences_pcm):
    with client.audio.speech.with_streaming_response.create(
            model="kokoro", voice="af_heart", input=TWO, response_format="pcm") as response:
        assert response.headers["content-type"] == "audio/pcm"
        assert response.headers.get("transfer-encoding") == "chunked"
        parts = list(response.iter_bytes())
    assert b"".join(parts) == two_sentences_pcm


def test_compressed_formats_decode_to_the_same_speech(client, kokoro):
    soundfile = pytest.importorskip("soundfile")
    reference = np.frombuffer(_stream_pcm(kokoro, SHORT), "<i2")
    for fmt in ("flac", "opus", "mp3"):
        data = client.audio.speech.create(model="tts-1", voice="af_heart", input=SHORT,
                                          response_format=fmt).content
        decoded, rate = soundfile.read(io.BytesIO(data), dtype="int16")
        assert rate == 24_000, fmt
        if fmt == "flac":                                 # lossless: the very samples
            assert np.array_equal(decoded, reference)
        else:                                             # lossy: the same length, give or
            assert abs(len(decoded) - len(reference)) < 2_400, fmt    # take 0.1 s of padding


def test_default_format_is_mp3_as_openai(server):
    pytest.importorskip("soundfile")
    status, headers, data = _post(server[1], "/v1/audio/speech",
                                  {"model": "tts-1", "voice": "af_heart", "input": "Yes."})
    assert status == 200 and headers["content-type"] == "audio/mpeg" and len(data) > 500


def test_blends_in_both_spellings_are_one_voice(client, kokoro):
    def pcm(voice):
        return client.audio.speech.create(model="tts-1", voice=voice, input="Yes.",
                                          response_format="pcm").content
    blend = pcm("af_heart(2)+bf_emma(1)")
    assert blend == pcm("af_heart:2,bf_emma:1")
    assert blend != pcm("af_heart")
    expected = kokoro.voices.resolve("af_heart:2,bf_emma:1")
    assert blend == _stream_pcm(kokoro, "Yes.", voice=expected)


def test_a_british_voice_reads_british_phonemes(client, kokoro):
    got = client.audio.speech.create(model="tts-1", voice="bf_emma", input="Tomato.",
                                     response_format="pcm").content
    assert got == _stream_pcm(kokoro, "Tomato.", voice="bf_emma", british=True)
    assert got != _stream_pcm(kokoro, "Tomato.", voice="bf_emma", british=False)


def test_captioned_speech_gives_the_audio_and_when_each_word_is_said(server, kokoro):
    """POST /v1/audio/speech/captioned: the same fields as speech; the whole audio (base64)
    and every word of the input with its time and character offsets."""
    import base64

    status, _, body = _post(server[1], "/v1/audio/speech/captioned",
                            {"model": "kokoro", "input": TWO, "voice": "af_heart",
                             "response_format": "wav"})
    assert status == 200, body
    with wave.open(io.BytesIO(base64.b64decode(body["audio"]))) as wav:
        frames = wav.readframes(10**9)
    assert frames == to_pcm16(kokoro.create(TWO, voice="af_heart")[0])
    words = body["words"]
    assert [w["text"] for w in words] == [piece.strip(".,") for piece in TWO.split()]
    assert all(TWO[w["start_char"]:w["end_char"]] == w["text"] for w in words)
    assert all(a["end"] <= b["start"] for a, b in zip(words, words[1:]))
    assert 0 < words[0]["start"] and words[-1]["end"] <= len(frames) / 2 / 24_000
    status, _, body = _post(server[1], "/v1/audio/speech/captioned", {"input": TWO, "voice": "alloy"})
    assert status == 400 and body["error"]["param"] == "voice"


def test_models_and_voices(client, server):
    assert {m.id for m in client.models.list()} == {"kokoro", "tts-1", "tts-1-hd",
                                                    "gpt-4o-mini-tts"}
    conn = http.client.HTTPConnection("127.0.0.1", server[1], timeout=30)
    conn.request("GET", "/v1/audio/voices", headers={"Authorization": f"Bearer {KEY}"})
    assert json.loads(conn.getresponse().read()) == {"voices": ["af_heart", "bf_emma"]}


def test_phonemize_gives_the_g2p_output(server, g2p_gb):
    status, _, body = _post(server[1], "/v1/phonemize",
                            {"text": "I read the 2nd tomato.", "language": "en-gb"})
    phonemes, tokens = g2p_gb("I read the 2nd tomato.")
    assert status == 200 and body["phonemes"] == phonemes
    assert [t["text"] for t in body["tokens"]] == [t.text for t in tokens]
    assert body["tokens"][-2]["source"] == tokens[-2]._.source
    status, _, body = _post(server[1], "/v1/phonemize", None, raw=b'{"text": "a \\ud800 b"}')
    assert status == 200 and body["text"] == "a \ufffd b"          # a lone surrogate in JSON
    status, _, body = _post(server[1], "/v1/phonemize", {"text": "x", "mode": "loose"})
    assert status == 400 and "extended, exact" in body["error"]["message"]


# -- run slots: the listener who runs out of audio first goes first ------------------------

def test_run_slots_go_to_the_smallest_key_and_survive_cancelled_waiters():
    import anyio
    from misaki_lite.server.speech import RunSlots

    order = []

    async def waiter(slots, key, name):
        await slots.acquire(key)
        order.append(name)
        slots.release()

    async def main():
        slots = RunSlots(1)
        await slots.acquire(0.0)                     # the one slot is taken
        async with anyio.create_task_group() as group:
            for key, name in ((5.0, "ahead"), (1.0, "new"), (3.0, "behind"), (1.0, "new2")):
                group.start_soon(waiter, slots, key, name)
            with anyio.CancelScope() as gone:        # a waiter that leaves before its turn
                gone.cancel()
                await slots.acquire(0.5)
            await anyio.wait_all_tasks_blocked()
            slots.release()
        assert slots.free == 1

    anyio.run(main)
    assert order == ["new", "new2", "behind", "ahead"]


# -- encoders -------------------------------------------------------------------------------

def test_an_empty_chunk_sends_nothing_and_the_wav_header_waits_for_audio():
    from misaki_lite.server import formats

    tone = (0.3 * np.sin(np.arange(4800) / 10)).astype(np.float32)
    wav = formats.encoder("wav")
    assert wav.feed(np.zeros(0, np.float32)) == b""
    data = wav.feed(tone) + wav.feed(np.zeros(0, np.float32)) + wav.feed(tone) + wav.close()
    assert data[:4] == b"RIFF" and data[40:44] == b"\xff\xff\xff\xff"    # length unknown
    with wave.open(io.BytesIO(data)) as reader:
        assert reader.readframes(10**9) == to_pcm16(np.concatenate([tone, tone]))
    assert formats.encoder("wav").close() == formats.wav_header()   # nothing said at all
    for fmt in ("pcm", "opus", "flac", "mp3"):
        if formats.missing_encoder(fmt) is None:
            assert formats.encoder(fmt).feed(np.zeros(0, np.float32)) == b"", fmt


# -- voices: names only, from the library given at start-up ----------------------------------

def test_voice_spellings_parse_to_names_and_weights():
    from misaki_lite.kokoro import VoiceError
    from misaki_lite.server.voices import parse_voice

    assert parse_voice("af_heart") == [("af_heart", 1.0)]
    assert parse_voice("af_heart(2)+bf_emma(0.5)") == [("af_heart", 2.0), ("bf_emma", 0.5)]
    assert parse_voice("af_heart + bf_emma") == [("af_heart", 1.0), ("bf_emma", 1.0)]
    assert parse_voice("af_heart:0.7,bf_emma:0.3") == [("af_heart", 0.7), ("bf_emma", 0.3)]
    for bad in ("af_heart(x)", "af_heart()+", "a(1)(2)", "af_heart(0)"):
        with pytest.raises(VoiceError):
            parse_voice(bad)


def test_voices_from_a_folder_given_at_start_up(tmp_path):
    from misaki_lite.kokoro.voices import VoiceLibrary
    from misaki_lite.server import APIError
    from misaki_lite.server.voices import VoiceResolver

    packaged = Path(__file__).parents[1] / "misaki_lite/kokoro/data/af_heart.bin"
    (tmp_path / "bm_copy.bin").write_bytes(packaged.read_bytes())
    resolver = VoiceResolver(VoiceLibrary(tmp_path))
    assert resolver.names == ["af_heart", "bf_emma", "bm_copy"]
    table, british = resolver("bm_copy")
    assert british and np.array_equal(table, resolver("af_heart")[0])
    with pytest.raises(APIError, match="unknown voice"):
        resolver(str(tmp_path / "bm_copy.bin"))


# -- errors, in OpenAI's shape ---------------------------------------------------------------

def _speech(**fields):
    return {"model": "tts-1", "voice": "af_heart", "input": "Hi.", "response_format": "wav",
            **fields}


@pytest.mark.parametrize("fields, param, words", [
    ({"voice": "alloy"}, "voice", "unknown voice 'alloy'; known voices: af_heart, bf_emma"),
    ({"voice": "af_heart(2)+nobody"}, "voice", "unknown voice 'nobody'"),
    ({"voice": "misaki_lite/kokoro/data/af_heart.bin"}, "voice", "unknown voice"),
    ({"voice": "af_heart(-1)"}, "voice", "must be a positive number"),
    ({"input": ""}, "input", "input is empty"),
    ({"input": "   "}, "input", "input is empty"),
    ({"input": "x" * 2001}, "input", "2001 characters; this server takes at most 2000"),
    ({"response_format": "aac"}, "response_format", "use one of mp3, opus, flac, wav, pcm"),
    ({"speed": 4.0}, "speed", "from 0.5 to 2.0"),
    ({"model": "whisper-1"}, "model", "unknown model 'whisper-1'"),
    ({"voices": "x"}, "voices", "unknown field 'voices'"),
])
def test_bad_requests_get_400_with_the_field_named(server, fields, param, words):
    status, _, body = _post(server[1], "/v1/audio/speech", _speech(**fields))
    assert status == 400
    assert body["error"]["type"] == "invalid_request_error" and body["error"]["param"] == param
    assert words in body["error"]["message"]


def test_a_voice_path_is_refused_even_when_the_file_exists(server):
    path = Path(__file__).parents[1] / "misaki_lite/kokoro/data/af_heart.bin"
    assert path.is_file()
    status, _, body = _post(server[1], "/v1/audio/speech", _speech(voice=str(path)))
    assert status == 400 and body["error"]["code"] == "invalid_voice"


def test_input_with_nothing_to_say_is_a_400(server):
    status, _, body = _post(server[1], "/v1/audio/speech", _speech(input="🎉🎉"))
    assert status == 400 and body["error"]["code"] == "empty_audio"


def test_oversize_body_and_bad_json(server):
    status, _, body = _post(server[1], "/v1/audio/speech", None, raw=b"{" + b" " * 20_000)
    assert status == 413 and body["error"]["code"] == "request_too_large"
    status, _, body = _post(server[1], "/v1/audio/speech", None, raw=b'{"input": ')
    assert status == 400 and "not valid JSON" in body["error"]["message"]


@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_missing_or_wrong_key_is_a_401(server, key):
    status, _, body = _post(server[1], "/v1/audio/speech", _speech(), key=key)
    assert status == 401 and body["error"]["code"] == "invalid_api_key"
    if key is not None:                      # the client itself refuses to send no key
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=f"http://127.0.0.1:{server[1]}/v1", api_key=key,
                          max_retries=0).models.list()


def test_unknown_path_and_method(server):
    conn = http.client.HTTPConnection("127.0.0.1", server[1], timeout=30)
    conn.request("GET", "/v1/audio/speech", headers={"Authorization": f"Bearer {KEY}"})
    response = conn.getresponse()
    assert response.status == 405 and "error" in json.loads(response.read())
    conn.request("GET", "/v1/nothing", headers={"Authorization": f"Bearer {KEY}"})
    response = conn.getresponse()
    assert response.status == 404 and "error" in json.loads(response.read())


def test_time_limit_gives_504_before_any_audio(server):
    state, port = server
    state.settings.timeout = 0.001
    try:
        status, _, body = _post(port, "/v1/audio/speech", _speech(input=TWO))
    finally:
        state.settings.timeout = 120
    assert status == 504 and body["error"]["type"] == "timeout_error"
    _wait_for(lambda: state.scheduler.active == 0)


# -- load discipline: disconnects and the queue ----------------------------------------------

def _open_stream(port, text):
    """A raw socket that has sent a speech request (and reads nothing yet)."""
    body = json.dumps(_speech(input=text, response_format="pcm")).encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=120)
    sock.sendall(b"POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                 b"\r\nAuthorization: Bearer " + KEY.encode() + b"\r\nContent-Length: "
                 + str(len(body)).encode() + b"\r\n\r\n" + body)
    return sock


def test_client_disconnect_mid_stream_stops_synthesis(server, caplog):
    state, port = server
    cancelled = state.stats["cancelled"]
    with caplog.at_level(logging.INFO, logger="misaki_lite.server"):
        sock = _open_stream(port, LONG)
        head = sock.recv(65536)
        assert head.startswith(b"HTTP/1.1 200")
        sock.close()                                          # gone after the first audio
        _wait_for(lambda: state.scheduler.active == 0 and state.stats["cancelled"] > cancelled)
        # the request's log line is written after the response ends, a moment after the count
        _wait_for(lambda: any("outcome=cancelled" in r.getMessage() for r in caplog.records), 10.0)
    lines = [r.getMessage() for r in caplog.records if "outcome=cancelled" in r.getMessage()]
    assert lines, [r.getMessage() for r in caplog.records]
    said = float(re.search(r"audio=([\d.]+)s", lines[-1]).group(1))
    assert 0 < said < 15          # the whole text is about 40 s of speech (checked by hand)


def test_full_queue_gets_429_and_disconnects_free_it(server):
    state, port = server
    socks = [_open_stream(port, LONG) for _ in range(state.scheduler.runs + state.scheduler.queue)]
    try:
        _wait_for(lambda: state.scheduler.active == len(socks))
        status, headers, body = _post(port, "/v1/audio/speech", _speech())
        assert status == 429 and headers["retry-after"] == "1"
        assert body["error"]["type"] == "rate_limit_error"
        assert body["error"]["code"] == "rate_limit_exceeded"
        with pytest.raises(openai.RateLimitError):
            openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key=KEY, max_retries=0
                          ).audio.speech.create(model="tts-1", voice="af_heart", input="Hi.")
    finally:
        for sock in socks:
            sock.close()
    _wait_for(lambda: state.scheduler.active == 0)
    status, _, _ = _post(port, "/v1/audio/speech", _speech())
    assert status == 200


# -- the command ------------------------------------------------------------------------------

def test_serve_command_starts_logs_and_stops(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "MISAKI_LITE_API_KEY": "k"}
    proc = subprocess.Popen([sys.executable, "-m", "misaki_lite.run.cli", "serve", "--port", str(port)],
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines = []
        for line in proc.stderr:
            lines.append(line)
            if "Uvicorn running on http://127.0.0.1:" in line:
                break
        assert proc.poll() is None, "".join(lines)
        status, _, body = _post(port, "/v1/audio/voices", None, key="k", raw=b"")
        assert status == 405                     # GET only; the key was accepted
        status, _, body = _post(port, "/v1/phonemize", {"text": "Hi."}, key="no")
        assert status == 401
    finally:
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=60)[1]
    assert proc.returncode == 0
    log = "".join(lines) + rest
    assert re.search(r'misaki_lite\.server: 127\.0\.0\.1:\d+ "POST /v1/audio/voices" 405', log)
    assert re.search(r'"POST /v1/phonemize" 401', log)


def test_serve_usage_error_exits_2_and_names_only_the_bad_option():
    proc = subprocess.run([sys.executable, "-m", "misaki_lite.run.cli", "serve", "--queue", "-1"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == ("misaki-lite serve: error: argument --queue: must be "
                                            "0 or more, got -1")        # and nothing of --port
    proc = subprocess.run([sys.executable, "-m", "misaki_lite.run.cli", "serve", "--port", "99999"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == ("misaki-lite serve: error: argument --port: must be "
                                            "from 1 to 65535, got 99999")


def test_serve_on_a_port_in_use_is_one_line_and_exit_1():
    """uvicorn, binding the port itself after the model had loaded, logged six lines, exit 3."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "misaki_lite.run.cli", "serve", "--port",
                               str(port)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr == (f"misaki-lite serve: error: port {port} is in use on 127.0.0.1 "
                           f"(another server?); stop it or choose another port with --port\n")
