"""The Kokoro runner with the real v1.0 int8 graph (the ``kokoro`` extra installs it).

The model is assembled from the installed part packages into a per-run cache folder, exactly
as a user's first call does. Inputs are kept short so the whole file runs in well under a
minute on two cores.
"""
from __future__ import annotations

import io
import sys
import wave
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("onnxruntime")

from misaki_lite.kokoro import Kokoro, KokoroInputError, ModelError, VoiceError
from misaki_lite.kokoro import model as model_files
from misaki_lite.kokoro.cli import speak_main

SENTENCE = "ði ˈOld lˈIthˌWs stˈʊd æt ði ˈɛʤ ʌv ðə klˈɪf."
SHORT = "həlˈO wˈɜɹld."
RATE = 24_000


@pytest.fixture(scope="module")
def kokoro(model_path):
    return Kokoro(model=model_path)


@pytest.fixture(scope="module")
def sentence_audio(kokoro):
    return kokoro.from_phonemes(SENTENCE)


def _rms(audio):
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))


def test_sentence_gives_audio_of_plausible_length_and_not_silence(sentence_audio):
    audio, rate = sentence_audio
    assert rate == RATE and audio.dtype == np.float32 and audio.ndim == 1
    seconds = len(audio) / RATE
    assert 0.03 * len(SENTENCE) < seconds < 0.15 * len(SENTENCE)    # 45 symbols: 1.4..6.8 s
    assert _rms(audio) > 0.02 and float(np.abs(audio).max()) < 1.5
    assert np.isfinite(audio).all()


def test_same_input_gives_the_same_samples(kokoro, sentence_audio):
    again, _ = kokoro.from_phonemes(SENTENCE)
    assert np.array_equal(again, sentence_audio[0])


def test_speed_two_roughly_halves_the_duration(kokoro, sentence_audio):
    fast, _ = kokoro.from_phonemes(SENTENCE, speed=2.0)
    assert 0.4 < len(fast) / len(sentence_audio[0]) < 0.65


def test_sentences_are_synthesised_separately_and_joined_in_order(kokoro):
    one, _ = kokoro.from_phonemes(SHORT)
    two, _ = kokoro.from_phonemes("ɡʊd bˈI.")
    both, _ = kokoro.from_phonemes(SHORT + " ɡʊd bˈI.")
    assert np.array_equal(both, np.concatenate([one, two]))


def test_blending_gives_a_third_voice(kokoro):
    heart, _ = kokoro.from_phonemes(SHORT, voice="af_heart")
    emma, _ = kokoro.from_phonemes(SHORT, voice="bf_emma")
    mixed, _ = kokoro.from_phonemes(SHORT, voice="af_heart:0.5,bf_emma:0.5")
    assert _rms(mixed) > 0.02
    assert not np.array_equal(mixed, heart) and not np.array_equal(mixed, emma)
    again, _ = kokoro.from_phonemes(SHORT, voice="af_heart:0.5,bf_emma:0.5")
    assert np.array_equal(mixed, again)


def test_unknown_voice_and_bad_speed_are_clear_errors(kokoro):
    with pytest.raises(VoiceError, match="unknown voice 'nobody'"):
        kokoro.from_phonemes(SHORT, voice="nobody")
    for speed in (0.1, 2.5, float("nan"), "fast", True):
        with pytest.raises(ValueError, match="speed"):
            kokoro.from_phonemes(SHORT, speed=speed)


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        Kokoro(model=tmp_path / "absent.onnx").from_phonemes(SHORT)


def test_corrupted_model_is_a_clear_error(tmp_path, model_path):
    truncated = tmp_path / "kokoro-v1.0.int8.onnx"
    truncated.write_bytes(model_path.read_bytes()[:1_000_000])
    with pytest.raises(ModelError, match="sha256"):
        Kokoro(model=truncated).from_phonemes(SHORT)
    garbage = tmp_path / "mine.onnx"
    garbage.write_bytes(b"\x08\x07" + bytes(range(256)) * 40)
    with pytest.raises(ModelError, match="is not a Kokoro ONNX model") as caught:
        Kokoro(model=garbage).from_phonemes(SHORT)
    assert "delete" not in str(caught.value)          # the user's own file, not the cache's


@pytest.mark.parametrize("extra", [[], ["--subtitles", "out.srt"]])
def test_speak_with_a_model_that_is_not_one_says_so(tmp_path, monkeypatch, capsys, extra):
    """It advised deleting the file the user had named (and with --subtitles, the onnx
    library's DecodeError came out as a traceback)."""
    notes = tmp_path / "notes.txt"
    notes.write_text("Not a model at all.\n")
    monkeypatch.chdir(tmp_path)
    assert speak_main(["Hello.", "--model", str(notes), "-o", "out.wav", *extra]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"misaki-lite speak: error: {notes} is not a Kokoro ONNX model")
    assert err.count("\n") == 1 and "delete" not in err
    assert notes.read_text() == "Not a model at all.\n" and not (tmp_path / "out.wav").exists()


class _LabellingGraph:
    """Stands in for the session: answers each chunk with its number, one sample per id."""

    def __init__(self, labels):
        self.labels, self.calls = labels, 0

    def run(self, ids, style, speed, options=None):
        self.calls += 1
        return np.full(len(ids), self.labels[tuple(ids)], np.float32)


def test_long_text_loses_no_chunk_and_keeps_order_with_concurrent_workers(model_path):
    from misaki_lite.kokoro.vocab import encode

    syllables = ["bˈA", "dˈi", "kˈO", "mˈu"]
    sentences = ["ðə " + " ".join(syllables[(i >> s) & 3] for s in (0, 2, 4, 6)) + "."
                 for i in range(160)]                          # 160 different sentences
    text = " ".join(sentences)
    assert len(text) > 3000
    kokoro = Kokoro(model=model_path, workers=2)
    kokoro._graph = _LabellingGraph({tuple(encode(p)): i for i, p in enumerate(sentences)})
    audio, _ = kokoro.from_phonemes(text)
    assert kokoro._graph.calls == 160
    assert len(audio) == sum(len(encode(p)) for p in sentences)
    starts = np.flatnonzero(np.diff(audio, prepend=-1))
    assert audio[starts].tolist() == list(range(160))          # every chunk, in order


def test_create_and_stream_from_text(kokoro):
    text = "Hello world. Good morning!"
    parts = list(kokoro.stream(text))
    assert [t for _, t, _ in parts] == ["Hello world.", "Good morning!"]
    assert all(_rms(a) > 0.02 for a, _, _ in parts)
    audio, rate = kokoro.create(text)
    assert rate == RATE and np.array_equal(audio, np.concatenate([a for a, _, _ in parts]))


def test_speak_command_writes_a_24k_mono_16_bit_wav(model_path, tmp_path, monkeypatch):
    monkeypatch.setenv(model_files.MODEL_ENV, str(model_path))
    out = tmp_path / "hello.wav"
    assert speak_main(["Hello world.", "-o", str(out)]) == 0
    with wave.open(str(out)) as wf:
        assert (wf.getnchannels(), wf.getsampwidth(), wf.getframerate()) == (1, 2, RATE)
        assert wf.getnframes() > RATE // 2
    stdout = io.TextIOWrapper(io.BytesIO())
    monkeypatch.setattr(sys, "stdout", stdout)
    assert speak_main(["Hello world.", "-o", "-"]) == 0
    assert stdout.buffer.getvalue() == out.read_bytes()


def test_speak_command_usage_and_runtime_errors(tmp_path, monkeypatch, capsys):
    assert speak_main(["Hello."]) == 2                                  # no -o
    assert speak_main(["Hello.", "-o", str(tmp_path / "a.wav"), "--speed", "9"]) == 2
    assert "between 0.5 and 2.0" in capsys.readouterr().err
    monkeypatch.setenv(model_files.MODEL_ENV, str(tmp_path / "absent.onnx"))
    assert speak_main(["Hello.", "-o", str(tmp_path / "a.wav")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("misaki-lite speak: error:") and "not found" in err
    assert not (tmp_path / "a.wav").exists()


class _StoppableGraph:
    """The first run answers at once; the others wait until their RunOptions says terminate,
    as ONNX Runtime stops a run when told to."""

    def __init__(self):
        self.started, self.stopped = 0, 0

    def run(self, ids, style, speed, options=None):
        import time
        self.started += 1
        if self.started == 1:
            return np.zeros(2400, np.float32)
        for _ in range(3000):                       # a guard of 30 s against a hang
            if options is not None and options.terminate:
                self.stopped += 1
                raise RuntimeError("Exiting due to terminate flag being set to true.")
            time.sleep(0.01)
        raise AssertionError("the run was never told to stop")


def test_closing_generate_stops_the_model_runs_in_flight(model_path):
    """Ctrl-C in speak waited for the chunks in flight to finish (about 2.5 s) before exiting."""
    import threading
    kokoro = Kokoro(model=model_path, workers=2)
    kokoro._graph = graph = _StoppableGraph()
    parts = kokoro.generate("One sentence here. Another one there. A third one. A fourth.")
    audio, text, _ = next(parts)
    assert text == "One sentence here." and len(audio) == 2400
    closer = threading.Thread(target=parts.close)
    closer.start()
    closer.join(60)
    assert not closer.is_alive()
    assert graph.started == 3 and graph.stopped == 2      # both runs in flight were stopped


def test_speak_writes_the_format_its_file_name_names(model_path, tmp_path, monkeypatch):
    """x.mp3 got WAV data (exit 0)."""
    soundfile = pytest.importorskip("soundfile")
    monkeypatch.setenv(model_files.MODEL_ENV, str(model_path))
    assert speak_main(["Hello world.", "-o", str(tmp_path / "a.wav")]) == 0
    with wave.open(str(tmp_path / "a.wav")) as wf:
        frames = wf.getnframes()
    for name, kind in (("a.mp3", "MP3"), ("a.flac", "FLAC"), ("a.opus", "OGG")):
        assert speak_main(["Hello world.", "-o", str(tmp_path / name)]) == 0
        info = soundfile.info(str(tmp_path / name))
        assert (info.format, info.samplerate, info.channels) == (kind, RATE, 1)
        assert abs(info.frames - frames) < RATE // 10          # the same speech, encoded
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.flac", "a.mp3", "a.opus", "a.wav"]


def test_speak_to_stdout_on_a_terminal_needs_force(model_path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(model_files.MODEL_ENV, str(model_path))

    class Terminal(io.TextIOWrapper):
        def isatty(self):
            return True
    monkeypatch.setattr(sys, "stdout", Terminal(io.BytesIO()))
    assert speak_main(["Hello.", "-o", "-"]) == 2
    assert capsys.readouterr().err == ("misaki-lite speak: error: -o - would write binary audio "
                                       "to the terminal; redirect it (> out.wav, or | aplay) or "
                                       "add --force\n")
    assert sys.stdout.buffer.getvalue() == b""
    assert speak_main(["Hello.", "-o", "-", "--force"]) == 0
    assert sys.stdout.buffer.getvalue()[:4] == b"RIFF"


def test_ctrl_c_in_speak_is_quiet_exits_130_and_leaves_no_file(model_path, tmp_path):
    import os
    import signal
    import subprocess
    import time
    text = tmp_path / "long.txt"
    text.write_text("The old lighthouse stood at the edge of the cliff, and the keeper climbed "
                    "its stairs every evening. " * 60)
    env = {**os.environ, model_files.MODEL_ENV: str(model_path)}
    proc = subprocess.Popen([sys.executable, "-m", "misaki_lite.run.cli", "speak", "-f", str(text),
                             "-o", "out.wav"], cwd=tmp_path, env=env, stderr=subprocess.PIPE,
                            text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        def written():
            return [p for p in tmp_path.iterdir() if p.name.endswith(".part") and p.stat().st_size > 44]
        for _ in range(1200):                   # the first chunk written: synthesis under way
            if written() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert written(), "no audio was written"
        os.killpg(proc.pid, signal.SIGINT)     # twice, as `timeout -s INT` sends it (the
        os.kill(proc.pid, signal.SIGINT)       # second one made ONNX Runtime abort, 134)
        err = proc.communicate(timeout=120)[1]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130 and err == ""           # was a 20-line traceback
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.txt"]


def test_a_voice_downloaded_into_the_cache_speaks_by_name(model_path, tmp_path, monkeypatch):
    """'misaki-lite download' writes <cache>/voices/<name>.bin; Kokoro() and speak then take
    the name with no option. Here the cached voice is af_heart's table under another name, so
    the audio must be af_heart's, sample for sample."""
    cache = tmp_path / "cache"
    (cache / "voices").mkdir(parents=True)
    heart = Path(model_files.__file__).parent / "data" / "af_heart.bin"
    (cache / "voices" / "am_copy.bin").write_bytes(heart.read_bytes())
    monkeypatch.setenv(model_files.CACHE_ENV, str(cache))
    monkeypatch.setenv(model_files.MODEL_ENV, str(model_path))
    kokoro = Kokoro()
    copy, rate = kokoro.create("Hello world.", voice="am_copy")
    assert rate == RATE and _rms(copy) > 0.01
    assert np.array_equal(copy, kokoro.create("Hello world.", voice="af_heart")[0])
    for voice in ("am_copy", "af_heart"):
        out = str(tmp_path / f"{voice}.wav")
        assert speak_main(["Hello world.", "--voice", voice, "-o", out]) == 0
    assert (tmp_path / "am_copy.wav").read_bytes() == (tmp_path / "af_heart.wav").read_bytes()
