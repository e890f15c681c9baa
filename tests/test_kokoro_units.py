"""Kokoro runner pieces that need no model: vocabulary, voices, chunking, WAV, model lookup."""
from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import wave
from importlib import resources

import pytest

np = pytest.importorskip("numpy")

from misaki_lite.inventory import Dialect, output_symbols
from misaki_lite.kokoro import KokoroInputError, ModelError, VoiceError
from misaki_lite.kokoro import chunking, model as model_files, vocab as vocabulary
from misaki_lite.kokoro.voices import ROWS, VoiceLibrary, load_archive, parse_blend, style_row
from misaki_lite.kokoro.wav import write_wav

DATA = resources.files("misaki_lite.kokoro").joinpath("data")


# -- vocabulary ------------------------------------------------------------------------------

def test_vocab_is_kokoros_114_symbol_table():
    table = vocabulary.vocab()
    assert len(table) == 114
    assert table[" "] == 16 and table["ˈ"] == 156 and table["ɐ"] == 70   # spot checks
    assert len(set(table.values())) == 114 and min(table.values()) >= 1


@pytest.mark.parametrize("dialect", list(Dialect))
def test_every_symbol_misaki_lite_outputs_is_in_the_vocab(dialect):
    table = vocabulary.vocab()
    missing = sorted(output_symbols(dialect) - set(table))
    assert set(missing) <= set(vocabulary.STAND_INS)           # eSpeak's pass-through marks
    assert all(v in table for v in vocabulary.STAND_INS.values() if v)


def test_pass_through_marks_are_said_as_their_stand_ins_without_warning():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ids = vocabulary.encode("«ˈO» [ˈA] ¿kwˈA?")
    assert ids == vocabulary.encode("“ˈO” (ˈA) kwˈA?")


def test_unknown_phoneme_warns_and_is_reported_not_silently_dropped():
    with pytest.warns(vocabulary.UnknownPhonemeWarning, match="U\\+2753"):
        ids = vocabulary.encode("hˈɛlO ❓")
    assert len(ids) == len("hˈɛlO ")


def test_unknown_phoneme_raises_under_strict():
    with pytest.raises(KokoroInputError, match="'❓'"):
        vocabulary.encode("hˈɛlO ❓", strict=True)


# -- voices ----------------------------------------------------------------------------------

def test_packaged_voices_match_their_recorded_sha256():
    provenance = DATA.joinpath("PROVENANCE.md").read_text("utf-8")
    for name in ("af_heart.bin", "bf_emma.bin"):
        digest = hashlib.sha256(DATA.joinpath(name).read_bytes()).hexdigest()
        assert f"`{name}` | `{digest}`" in provenance


def test_default_voices_load_with_kokoros_shape():
    lib = VoiceLibrary()
    for name in ("af_heart", "bf_emma"):
        table = lib.table(name)
        assert table.shape == (510, 1, 256) and table.dtype == np.float32
    assert not np.array_equal(lib.table("af_heart"), lib.table("bf_emma"))


@pytest.mark.parametrize("n_tokens,row", [(0, 0), (1, 0), (2, 1), (510, 509), (511, 509),
                                          (10_000, 509)])
def test_style_row_follows_kpipeline_and_never_leaves_the_table(n_tokens, row):
    table = np.arange(ROWS, dtype=np.float32).reshape(ROWS, 1, 1)
    assert style_row(table, n_tokens)[0, 0] == row


def test_blend_spec_parsing():
    assert parse_blend("af_heart:0.7,bf_emma:0.3") == [("af_heart", 0.7), ("bf_emma", 0.3)]
    assert parse_blend("af_heart, bf_emma") == [("af_heart", 1.0), ("bf_emma", 1.0)]
    for bad in ("af_heart:x", "af_heart:-1", ",bf_emma", "af_heart:0"):
        with pytest.raises(VoiceError):
            parse_blend(bad)


def test_blend_is_the_normalised_weighted_mean():
    lib = VoiceLibrary()
    a, b = lib.table("af_heart"), lib.table("bf_emma")
    mixed = lib.resolve("af_heart:0.7,bf_emma:0.3")
    assert mixed.dtype == np.float32
    np.testing.assert_allclose(mixed, 0.7 * a + 0.3 * b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(lib.resolve("af_heart:2,bf_emma:2"), (a + b) / 2, atol=1e-6)


def test_unknown_voice_names_the_known_ones():
    with pytest.raises(VoiceError, match="unknown voice 'zz_nobody'.*af_heart"):
        VoiceLibrary().resolve("zz_nobody")


def _savez(path, **arrays):
    """An npz archive at exactly ``path`` (np.savez would add '.npz' to a name)."""
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


def test_voices_from_npy_bin_folder_and_archive(tmp_path):
    table = np.full((510, 1, 256), 0.25, np.float32)
    np.save(tmp_path / "x_npy.npy", table)
    table.tofile(tmp_path / "x_raw.bin")
    assert VoiceLibrary(tmp_path).table("x_npy")[3, 0, 7] == 0.25
    assert VoiceLibrary(tmp_path / "x_raw.bin").table("x_raw")[509, 0, 255] == 0.25
    _savez(tmp_path / "voices.bin", one=table, two=table[:, 0, :] * 2)
    lib = VoiceLibrary(tmp_path / "voices.bin")
    assert lib.table("two").shape == (510, 1, 256) and lib.table("two")[0, 0, 0] == 0.5
    assert {"one", "two", "af_heart", "bf_emma"} <= set(lib.names)


@pytest.mark.parametrize("array,message", [
    (np.zeros((510, 1, 256), np.float64), "float32"),
    (np.zeros((500, 1, 256), np.float32), "shape"),
    (np.full((510, 1, 256), np.nan, np.float32), "NaN"),
])
def test_malformed_voice_files_are_clear_errors(tmp_path, array, message):
    np.save(tmp_path / "bad.npy", array)
    with pytest.raises(VoiceError, match=message):
        VoiceLibrary().resolve(str(tmp_path / "bad.npy"))


def test_raw_voice_of_wrong_size_and_oversized_archive_member(tmp_path):
    (tmp_path / "short.bin").write_bytes(b"\0" * 1000)
    with pytest.raises(VoiceError, match="522240 bytes"):
        VoiceLibrary(tmp_path / "short.bin").table("short")
    _savez(tmp_path / "big.bin", big=np.zeros((2000, 1, 256), np.float32))
    with pytest.raises(VoiceError, match="too large"):
        load_archive(tmp_path / "big.bin")


# -- chunking --------------------------------------------------------------------------------

def _words(text):
    return text.split()


def test_sentences_respect_abbreviations_and_lines():
    text = "Mr. Smith met Dr. J. Watson. They talked!\nThen they left… Why? Because."
    assert chunking.sentences(text) == ["Mr. Smith met Dr. J. Watson.", "They talked!",
                                        "Then they left…", "Why?", "Because."]


def test_long_sentence_is_cut_at_clauses_then_commas_then_words_and_nothing_is_lost():
    clause = ", ".join(["alpha beta gamma delta"] * 6)          # 6 comma groups, 137 chars
    sentence = "; ".join([clause] * 5) + "."                    # 5 clauses, ~700 chars
    got = list(chunking.chunks(sentence, lambda s: s, limit=300))
    assert all(len(c.phonemes) <= 300 for c in got)
    assert " ".join(c.phonemes for c in got) == sentence       # nothing lost or reordered
    assert all(c.phonemes.endswith(";") for c in got[:-1])      # cut at clause marks first
    words = " ".join(["word"] * 200)                            # no punctuation at all
    got = list(chunking.chunks(words, lambda s: s, limit=100))
    assert all(len(c.phonemes) <= 100 for c in got)
    assert _words(" ".join(c.phonemes for c in got)) == _words(words)


def test_three_thousand_characters_are_chunked_with_no_chunk_lost():
    base = ("It was the best of times, it was the worst of times; it was the age of wisdom, "
            "it was the age of foolishness. ")
    text = (base * 30)[:3000]
    phonemize = str.upper                                       # any str -> str works
    got = list(chunking.chunks(text, phonemize))
    assert all(0 < len(c.phonemes) <= vocabulary.MAX_TOKENS for c in got)
    assert _words(" ".join(c.phonemes for c in got)) == _words(text.upper())
    assert _words(" ".join(c.text for c in got)) == _words(text)


def test_a_sentence_over_the_g2ps_maximum_is_cut_before_it_is_read():
    """A 1.1 MB file of one sentence was read whole first and refused by the G2P (max_chars)."""
    from misaki_lite.en import MAX_TEXT_CHARS
    text = "the old lighthouse stood at the edge of the cliff and " * 21000
    assert len(text) > MAX_TEXT_CHARS
    longest = []

    def phonemize(piece):                      # as G2P: a text over its maximum is refused
        assert len(piece) <= MAX_TEXT_CHARS, "read whole"
        longest.append(len(piece))
        return piece.upper()
    got = list(chunking.chunks(text, phonemize))
    assert max(longest) <= chunking.READ_WHOLE_MAX * vocabulary.MAX_TOKENS
    assert all(0 < len(c.phonemes) <= vocabulary.MAX_TOKENS for c in got)
    assert _words(" ".join(c.phonemes for c in got)) == _words(text.upper())
    got = list(chunking.chunks("x" * 2000 + " y", lambda s: s, limit=100))   # no space in 2,000
    assert "".join(c.phonemes for c in got).replace(" ", "") == "x" * 2000 + "y"
    assert all(len(c.phonemes) <= 100 for c in got)


def test_unbreakable_word_longer_than_the_limit_is_cut_not_dropped():
    got = list(chunking.chunks("x" * 250, lambda s: s, limit=100))
    assert [len(c.phonemes) for c in got] == [100, 100, 50]


# -- WAV -------------------------------------------------------------------------------------

def test_wav_is_16_bit_mono_24k_and_clipped(tmp_path):
    audio = np.array([0.0, 0.5, -0.5, 2.0, -2.0], np.float32)
    write_wav(str(tmp_path / "a.wav"), audio)
    buffer = io.BytesIO()
    write_wav(buffer, audio)
    assert buffer.getvalue() == (tmp_path / "a.wav").read_bytes()
    with wave.open(str(tmp_path / "a.wav")) as wf:
        assert (wf.getnchannels(), wf.getsampwidth(), wf.getframerate()) == (1, 2, 24000)
        pcm = np.frombuffer(wf.readframes(5), "<i2")
    assert pcm.tolist() == [0, 16384, -16384, 32767, -32767]


# -- model lookup ----------------------------------------------------------------------------

def _fake_parts(tmp_path, chunks):
    """Installable-looking part packages in tmp_path, returned as their module names."""
    names = []
    for i, data in enumerate(chunks, 1):
        pkg = tmp_path / "site" / f"fake_kokoro_part_{i}"
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "part.bin").write_bytes(data)
        names.append(pkg.name)
    return names


def test_assembly_from_parts_is_verified_and_atomic(tmp_path, monkeypatch):
    blob = b"kokoro" * 1000
    known = model_files.KnownFile("m.onnx", hashlib.sha256(blob).hexdigest(), len(blob))
    names = _fake_parts(tmp_path, [blob[:2500], blob[2500:]])
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    parts = model_files._part_files(names)
    out = model_files.assemble_from_parts(tmp_path / "cache" / "m.onnx", parts, known)
    assert out.read_bytes() == blob
    wrong = model_files.KnownFile("n.onnx", "0" * 64, len(blob))
    with pytest.raises(ModelError, match="do not add up"):
        model_files.assemble_from_parts(tmp_path / "cache" / "n.onnx", parts, wrong)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["m.onnx"]  # no debris


def test_resolution_order_explicit_then_env_then_cache(tmp_path, monkeypatch):
    for name in ("explicit.onnx", "env.onnx"):
        (tmp_path / name).write_bytes(b"x")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "kokoro-v1.0.onnx").write_bytes(b"x")       # the official name: verified
    monkeypatch.setenv(model_files.CACHE_ENV, str(cache))
    monkeypatch.setenv(model_files.MODEL_ENV, str(tmp_path / "env.onnx"))
    assert model_files.resolve_model(tmp_path / "explicit.onnx").name == "explicit.onnx"
    assert model_files.resolve_model().name == "env.onnx"
    monkeypatch.delenv(model_files.MODEL_ENV)
    with pytest.raises(ModelError, match=r"cache/kokoro-v1\.0\.onnx .* sha256"):
        model_files.resolve_model()                         # found in the cache, rejected


def test_no_model_anywhere_says_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setenv(model_files.CACHE_ENV, str(tmp_path))
    monkeypatch.delenv(model_files.MODEL_ENV, raising=False)
    with pytest.raises(ModelError, match="misaki-lite download"):
        model_files.resolve_model(packages=["no_such_part_package_xyz"])


def test_missing_or_corrupted_known_model_is_an_error(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        model_files.resolve_model(tmp_path / "nothing.onnx")
    fake = tmp_path / "kokoro-v1.0.int8.onnx"
    fake.write_bytes(b"not the model")
    with pytest.raises(ModelError, match="sha256"):
        model_files.resolve_model(fake)


def test_importing_the_package_loads_neither_numpy_nor_onnxruntime():
    code = ("import sys, misaki_lite.kokoro, misaki_lite.kokoro.cli; "
            "print(json.dumps(['onnxruntime' in sys.modules, 'numpy' in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], check=True,
                         capture_output=True, text=True).stdout
    assert json.loads(out) == [False, False]


# -- graph inputs ----------------------------------------------------------------------------

class _FakeSession:
    def __init__(self):
        self.feeds = []

    def run(self, outputs, feed, options=None):
        self.feeds.append(feed)
        return [np.zeros((1, 2400), np.float32)]


def _graph(inputs):
    from misaki_lite.kokoro.runner import Graph
    graph = Graph.__new__(Graph)            # no onnxruntime session: only the binding logic
    graph.session = _FakeSession()
    graph.bind(inputs, "fake.onnx")
    return graph


def test_official_graph_inputs_float_speed():
    graph = _graph({"tokens": "tensor(int64)", "style": "tensor(float)",
                    "speed": "tensor(float)"})
    audio = graph.run([50, 51], np.ones((1, 256), np.float32), 1.25)
    feed = graph.session.feeds[0]
    assert audio.shape == (2400,) and audio.dtype == np.float32
    assert feed["tokens"].tolist() == [[0, 50, 51, 0]] and feed["tokens"].dtype == np.int64
    assert feed["speed"].dtype == np.float32 and feed["speed"].tolist() == [1.25]
    assert feed["style"].shape == (1, 256)


def test_later_export_with_input_ids_and_integer_speed():
    graph = _graph({"input_ids": "tensor(int64)", "style": "tensor(float)",
                    "speed": "tensor(int32)"})
    graph.run([50], np.ones((1, 256), np.float32), 1.0)
    assert graph.session.feeds[0]["input_ids"].tolist() == [[0, 50, 0]]
    assert graph.session.feeds[0]["speed"].dtype == np.int32
    with pytest.raises(KokoroInputError, match="integer speed"):
        graph.run([50], np.ones((1, 256), np.float32), 1.5)


def test_a_graph_without_kokoros_inputs_is_a_model_error():
    with pytest.raises(ModelError, match="not a Kokoro v1.0 graph"):
        _graph({"input": "tensor(float)"})


def test_the_test_suite_caches_models_in_a_temporary_folder():
    """conftest.py points MISAKI_LITE_CACHE at a temporary folder: no test writes a model into
    the user's real cache."""
    import tempfile
    from pathlib import Path

    cache = model_files.cache_dir().resolve()
    assert Path(tempfile.gettempdir()).resolve() in cache.parents
    assert cache.name.startswith("misaki-lite-test-cache-")


# -- streaming: the first chunk is the first clause ------------------------------------------

PARAGRAPH = ("When the long winter finally ended and the snow began to melt, the people of the "
             "valley came out of their houses; they had waited for months. Then came spring.")


def test_the_first_streamed_chunk_ends_at_the_first_clause():
    got = [c.text for c in chunking.chunks(PARAGRAPH, lambda s: s, first_clause_only=True)]
    # the second chunk may grow to twice the first: the last two sentences fit in it
    assert got == ["When the long winter finally ended and the snow began to melt,",
                   "the people of the valley came out of their houses; they had waited for months."
                   " Then came spring."]
    plain = [c.text for c in chunking.chunks(PARAGRAPH, lambda s: s)]
    assert plain == [got[0] + " " + got[1].split(" Then")[0], "Then came spring."]  # create() does not cut


def test_streamed_chunks_after_the_first_grow_toward_the_limit():
    text = " ".join(f"Sentence number {i} says a few more words than that." for i in range(60))
    got = list(chunking.chunks(text, lambda s: s, first_clause_only=True))
    sizes = [len(c.phonemes) for c in got]
    assert all(size <= 510 for size in sizes)
    assert all(b <= 2 * (a + 1) for a, b in zip(sizes, sizes[1:]))  # about twice the last at most
    assert sizes[-2] > 400 and len(got) < 12                       # toward the limit: few calls
    assert " ".join(c.phonemes for c in got) == text               # nothing lost or repeated


@pytest.mark.parametrize("sentence, first", [
    ("Well, I think that we should go, but only if it stops raining.",
     "Well, I think that we should go,"),                      # not before the minimum
    ("The snow melted in the valley — and the town woke up.", "The snow melted in the valley —"),
    ("A short sentence: nothing to cut.", "A short sentence: nothing to cut."),
    ("No clause mark at all in this rather long sentence here.",
     "No clause mark at all in this rather long sentence here."),
])
def test_first_clause_needs_a_minimum_and_a_clause_mark(sentence, first):
    assert chunking.first_clause(sentence)[0] == first
    assert " ".join(chunking.first_clause(sentence)) == sentence


def test_kokoro_stream_starts_with_the_first_clause(monkeypatch):
    from misaki_lite.kokoro import Kokoro

    monkeypatch.setattr(Kokoro, "_start",
                        lambda self, text, voice, speed, what, timestamps=False: (None, speed))
    monkeypatch.setattr(Kokoro, "_say", lambda self, phonemes, table, speed: phonemes)
    parts = list(Kokoro(workers=1).stream(PARAGRAPH))
    assert [text for _, text, _ in parts][0] == "When the long winter finally ended and the snow began to melt,"
    assert len(parts) == 2          # the last two sentences fit in the second, grown chunk
