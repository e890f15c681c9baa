"""Word timestamps: the durations graph, kokoro's timing rule, words of the original text,
and subtitles.

The first half needs no model (token timing on hand-made durations, word spans from the
G2P's tokens); the second runs the real int8 graph, assembled into a per-run cache as in
``test_kokoro_audio.py``, on a few short inputs.
"""
from __future__ import annotations

import hashlib
import json
import re
import wave

import pytest

from misaki_lite.kokoro import chunking
from misaki_lite.kokoro.subtitles import Cue, cues, srt, vtt
from misaki_lite.kokoro.timestamps import Word, time_tokens, words_of
from misaki_lite.token import MToken
from fuzz import sentences as fuzz_sentences

RATE = 24_000


def _token(text, phonemes, whitespace=" "):
    return MToken(text=text, tag="NN", whitespace=whitespace, phonemes=phonemes,
                  _=MToken.Underscore(source="gold"))


def _reading(tokens, unk="❓"):
    raw = "".join((unk if t.phonemes is None else t.phonemes) + t.whitespace for t in tokens)
    return chunking.Reading("".join(t.text + t.whitespace for t in tokens), raw, tuple(tokens))


# -- kokoro's joining rule, on durations computed by hand -----------------------------------

def test_tokens_are_timed_by_kokoros_rule():
    # "hI ðɛɹ." after the pad: pad 10 frames, h 2, I 3, space 4, ð 1, ɛ 2, ɹ 3, . 5, pad 6.
    # By kokoro 0.9.4's join_timestamps (half frames, /80): the chain starts at 2*(10-3) = 14;
    # "hi" ends at 14 + 2*5 + 4 = 28, "there" at 28 + 4 + 2*6 = 44, "." at 44 + 2*5 = 54.
    tokens = [_token("hi", "hI"), _token("there", "ðɛɹ", ""), _token(".", ".", "")]
    time_tokens([_reading(tokens)], [10, 2, 3, 4, 1, 2, 3, 5, 6])
    assert [(t.start_ts, t.end_ts) for t in tokens] == [(14 / 80, 28 / 80), (28 / 80, 44 / 80),
                                                        (44 / 80, 54 / 80)]


def test_a_short_leading_pad_starts_the_chain_at_zero():
    tokens = [_token("hi", "hI", "")]
    time_tokens([_reading(tokens)], [2, 3, 3, 6])
    assert (tokens[0].start_ts, tokens[0].end_ts) == (0.0, 2 * 6 / 80)


def test_a_symbol_left_out_of_the_model_input_shifts_nothing():
    # the unknown word (phonemes None: the unknown marker, not in Kokoro's vocabulary) sends
    # no input, so "there" keeps the durations of its own symbols
    tokens = [_token("hi", "hI"), _token("zzx", None), _token("there", "ðɛɹ", "")]
    time_tokens([_reading(tokens)], [10, 2, 3, 4, 4, 1, 2, 3, 6])
    hi, unknown, there = tokens
    assert unknown.start_ts is None and unknown.end_ts is None        # as kokoro: no time
    assert hi.end_ts == (14 + 2 * 5 + 4) / 80
    assert there.end_ts == (14 + 2 * (5 + 4 + 4 + 6)) / 80


def test_readings_of_one_chunk_are_timed_in_one_chain():
    first, second = [_token("hi", "hI", "")], [_token("there", "ðɛɹ", "")]
    # chunk phonemes "hI ðɛɹ": the space between the readings is an input of its own
    time_tokens([_reading(first), _reading(second)], [10, 2, 3, 4, 1, 2, 3, 6])
    assert first[0].end_ts == (14 + 2 * 5) / 80
    assert second[0].start_ts == first[0].end_ts
    assert second[0].end_ts == (14 + 2 * (5 + 4 + 6)) / 80


def test_a_chunk_that_sent_nothing_leaves_its_tokens_untimed():
    tokens = [_token("🎉", "", "")]
    time_tokens([_reading(tokens)], [])
    assert tokens[0].start_ts is None and tokens[0].end_ts is None


def test_a_silent_word_stands_where_it_is_said_not(g2p_us):
    from misaki_lite.kokoro.vocab import encode
    text = "Hi 🎉 there."
    phonemes, tokens = g2p_us(text)
    time_tokens([chunking.Reading(text, phonemes, tuple(tokens))],
                [5] + [2] * len(encode(phonemes.strip())) + [5])
    hi, party, there = words_of(text, tokens, clock=10.0)
    assert (hi.text, party.text, there.text) == ("Hi", "🎉", "there")
    assert hi.silent is None and there.silent is None and party.silent == "dropped"
    assert 10.0 < hi.start < hi.end == party.start == party.end == there.start < there.end


# -- words of the original text --------------------------------------------------------------

SPANS = 'It costs $3.50 at 10:05, Dr. Smith\'s "idea" is 🎉 great!  Yes — [Kokoro](/kˈOkəɹO/).'


def test_normalized_spans_and_markup_are_one_word_of_the_original(g2p_us):
    _, tokens = g2p_us(SPANS)
    words = words_of(SPANS, tokens)
    assert [w.text for w in words] == ["It", "costs", "$3.50", "at", "10:05", "Dr.", "Smith's",
                                       "idea", "is", "🎉", "great", "Yes",
                                       "[Kokoro](/kˈOkəɹO/)"]
    assert all(SPANS[w.start_char:w.end_char] == w.text for w in words)
    assert words[9].silent == "dropped"


def test_offsets_point_into_the_whole_text(g2p_us):
    text = "First line.\n\n  Second,   spaced   line."
    words = []
    cursor = 0
    for chunk in chunking.chunks(text, None, read=g2p_us):
        for r in chunk.readings:
            offset = text.find(r.text, cursor)
            cursor = offset + len(r.text)
            words += words_of(r.text, r.tokens, offset)
    assert [(w.text, text[w.start_char:w.end_char]) for w in words] == [
        (t, t) for t in ("First", "line", "Second", "spaced", "line")]


@pytest.mark.parametrize("kind", ["mixed", "specials"])
def test_every_word_of_generated_sentences_is_accounted_for(g2p_us, kind):
    fuzz = fuzz_sentences
    for text in fuzz.generate(11, 250, kind):
        words, cursor = [], 0
        for chunk in chunking.chunks(text, None, read=g2p_us):
            for r in chunk.readings:
                offset = text.find(r.text, cursor)
                cursor = offset + len(r.text)
                words += words_of(r.text, r.tokens, offset)
        covered = set()
        for before, w in zip([None] + words, words):
            assert text[w.start_char:w.end_char] == w.text, (text, w)
            assert before is None or before.end_char <= w.start_char, (text, before, w)
            covered.update(range(w.start_char, w.end_char))
        missing = [c for i, c in enumerate(text) if c.isalnum() and i not in covered]
        assert not missing, (text, missing)


# -- subtitles ---------------------------------------------------------------------------

_SRT_TIME = r"(\d{2}):(\d{2}):(\d{2})[,.](\d{3})"


def _seconds(h, m, s, ms):
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def parse_srt(body):
    assert body.endswith("\n\n") and "\r" not in body
    out = []
    for n, block in enumerate(body.rstrip("\n").split("\n\n"), 1):
        index, timing, *lines = block.split("\n")
        assert index == str(n) and lines and all(lines)
        m = re.fullmatch(_SRT_TIME.replace("[,.]", ",") + " --> " + _SRT_TIME.replace("[,.]", ","),
                         timing)
        assert m, timing
        out.append((_seconds(*m.groups()[:4]), _seconds(*m.groups()[4:]), " ".join(lines)))
    return out


def parse_vtt(body):
    header, _, rest = body.partition("\n\n")
    assert header == "WEBVTT" and rest.endswith("\n\n")
    out = []
    for block in rest.rstrip("\n").split("\n\n"):
        timing, *lines = block.split("\n")
        m = re.fullmatch(_SRT_TIME.replace("[,.]", r"\.") + " --> "
                         + _SRT_TIME.replace("[,.]", r"\."), timing)
        assert m and lines and all(lines) and "-->" not in " ".join(lines), block
        out.append((_seconds(*m.groups()[:4]), _seconds(*m.groups()[4:]), " ".join(lines)))
    return out


def _words(text, spans):
    """Words at the given (start, end) times, found left to right in ``text``."""
    out = []
    for m, (start, end) in zip(re.finditer(r"[\w'$.:]+(?<![.:])", text), spans):
        out.append(Word(m.group(), start, end, m.start(), m.end()))
    return out


def test_cues_are_whole_phrases_within_the_length():
    text = ("Well, this sentence is quite a bit longer than forty-two characters in all. "
            "Short one. Another.")
    n = len(re.findall(r"[\w'$.:]+(?<![.:])", text))
    words = _words(text, [(i * 0.5, i * 0.5 + 0.4) for i in range(n)])
    got = cues(words, text, max_chars=42)
    # the 68-character phrase is cut in two near-even pieces; "Well," joins the first,
    # "Short one." and "Another." share a cue
    assert [c.text for c in got] == [
        "Well, this sentence is quite a bit longer",
        "than forty-two characters in all.",
        "Short one. Another."]
    assert all(len(c.text) <= 42 for c in got)
    assert got[0].start == 0.0 and got[-1].end == words[-1].end


def test_srt_and_vtt_write_what_they_read_back():
    items = [Cue(0.25, 1.5, "Hello, world."), Cue(3661.001, 3662.999, "Second — cue")]
    assert parse_srt(srt(items)) == [(0.25, 1.5, "Hello, world."),
                                     (3661.001, 3662.999, "Second — cue")]
    assert parse_vtt(vtt(items)) == parse_srt(srt(items))
    assert srt(items).startswith("1\n00:00:00,250 --> 00:00:01,500\nHello, world.\n\n2\n01:01:01,001")


# -- with the real graph -------------------------------------------------------------------

np = pytest.importorskip("numpy")
pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

from misaki_lite.kokoro import Kokoro, model as model_files  # noqa: E402
from misaki_lite.kokoro import durations as timed_graph  # noqa: E402
from misaki_lite.kokoro.cli import speak_main  # noqa: E402

SENTENCES = ["The quick brown fox jumps over the lazy dog, and then it runs away into the forest.",
             "On Monday, the committee met at 10:05 to discuss the budget; nobody agreed.",
             "She paid $3.50 for a coffee. It was cold, bitter and far too small."]


@pytest.fixture(scope="module", autouse=True)
def _own_cache(tmp_path_factory):
    """This module's user cache: a durations graph an earlier module derived into the
    session's cache would be found there instead of beside this module's model."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(model_files.CACHE_ENV, str(tmp_path_factory.mktemp("timestamps-cache")))
        yield


@pytest.fixture(scope="module")
def kokoro(model_path):
    return Kokoro(model=model_path, workers=1)


@pytest.fixture(scope="module")
def timed(kokoro):
    """(text, audio, words) of each sentence, with timestamps."""
    return [(text, *kokoro.create(text, timestamps=True)[::2]) for text in SENTENCES]


def test_derived_graph_is_deterministic_verified_and_cached_under_its_sha256(model_path):
    data = timed_graph.derive(model_path)
    digest = hashlib.sha256(data).hexdigest()
    assert digest == timed_graph.KNOWN_DERIVED[model_files.INT8.sha256]
    assert hashlib.sha256(timed_graph.derive(model_path)).hexdigest() == digest
    path = timed_graph.derived_graph(model_path)
    assert path.parent == model_path.parent
    assert path.name == f"kokoro-v1.0.int8.durations-{digest[:16]}.onnx"
    assert model_files.sha256_of(path) == digest
    durations = timed_graph.check_same_audio(model_path, path)    # raises unless bit-identical
    assert durations.min() >= 1 and len(durations) > 20
    assert not list(path.parent.glob("*.part"))


def test_a_damaged_derived_graph_is_derived_again(model_path):
    path = timed_graph.derived_graph(model_path)
    digest = model_files.sha256_of(path)
    with open(path, "r+b") as fh:
        fh.seek(1000)
        fh.write(b"\0" * 64)
    assert timed_graph.derived_graph(model_path) == path
    assert model_files.sha256_of(path) == digest


def test_a_derivation_whose_audio_differs_is_not_kept(model_path, tmp_path, monkeypatch):
    original = tmp_path / model_path.name
    original.symlink_to(model_path)
    monkeypatch.setenv(model_files.CACHE_ENV, str(tmp_path / "cache"))

    def differs(base, derived):
        raise timed_graph.ModelError("audio differs")
    monkeypatch.setattr(timed_graph, "check_same_audio", differs)
    with pytest.raises(timed_graph.ModelError, match="audio differs"):
        timed_graph.derived_graph(original)
    assert [p.name for p in tmp_path.iterdir()] == [original.name]


def test_the_durations_graph_gives_the_same_audio_bit_for_bit(kokoro, model_path, timed):
    plain = Kokoro(model=model_path, workers=1)
    text, audio, _ = timed[0]
    base, _ = plain.create(text)
    assert plain._graph.durations is None and kokoro._graph.durations is not None
    assert base.dtype == audio.dtype and base.tobytes() == audio.tobytes()


def test_durations_add_up_to_the_audio_in_frames_of_600_samples(kokoro):
    from misaki_lite.kokoro.vocab import encode
    from misaki_lite.kokoro.voices import style_row
    ids = encode("ðə kwˈɪk bɹˈWn fˈɑks.")
    table = kokoro.voices.resolve("af_heart")
    audio, durations = kokoro.timed_graph.run_timed(ids, style_row(table, len(ids)), 1.0)
    assert len(durations) == len(ids) + 2
    assert int(durations.sum()) * 600 == len(audio)


def test_words_are_in_order_without_overlap_and_within_the_audio(timed):
    for text, audio, words in timed:
        assert words and all(text[w.start_char:w.end_char] == w.text for w in words)
        said = [w for w in words if not w.silent]
        assert said == words
        for a, b in zip(words, words[1:]):
            assert a.start < a.end <= b.start < b.end
            assert a.end_char <= b.start_char
        assert 0 <= words[0].start and words[-1].end <= len(audio) / RATE


def _rms(audio, start, end):
    a, b = int(start * RATE), int(end * RATE)
    return float(np.sqrt(np.mean(np.square(audio[a:b], dtype=np.float64)))) if b > a else 0.0


def _pause_ratio(text, audio, words, scale=1.0):
    """The loudest stretch between two words that a comma or full stop separates, against
    the mean loudness inside words (times multiplied by ``scale``)."""
    inside = np.mean([_rms(audio, w.start * scale, w.end * scale) for w in words])
    pauses = [_rms(audio, a.end * scale, b.start * scale) for a, b in zip(words, words[1:])
              if re.search(r"[,.;]", text[a.end_char:b.start_char])]
    assert pauses
    return max(pauses) / inside


def test_the_audio_is_quiet_where_the_timestamps_put_pauses_and_loud_inside_words(timed):
    for text, audio, words in timed:
        assert _pause_ratio(text, audio, words) < 0.15, text
        assert _rms(audio, 0, words[0].start) < 0.15 * _rms(audio, words[0].start, words[0].end)
    # the check has teeth: a frame length 3 % off (582 or 618 samples) fails it somewhere
    for scale in (582 / 600, 618 / 600):
        assert max(_pause_ratio(t, a, w, scale) for t, a, w in timed) > 0.3


def test_stream_gives_the_same_words_timed_from_the_start_of_the_stream(kokoro, timed):
    (first, _, words1), (second, _, words2) = timed[1], timed[2]
    text = f"{first} {second}"
    parts = list(kokoro.stream(text, timestamps=True))
    assert len(parts) >= 2 and all(len(p) == 4 for p in parts)
    words = [w for *_, ws in parts for w in ws]
    shift = len(first) + 1
    assert [(w.text, w.start_char, w.end_char) for w in words] == (
        [(w.text, w.start_char, w.end_char) for w in words1]
        + [(w.text, w.start_char + shift, w.end_char + shift) for w in words2])
    clock = 0.0
    for audio, _, _, ws in parts:
        for w in ws:
            assert clock <= w.start < w.end <= clock + len(audio) / RATE
        clock += len(audio) / RATE
    assert all(a.end <= b.start for a, b in zip(words, words[1:]))


def test_speak_writes_subtitles_and_word_timestamps(model_path, tmp_path, monkeypatch):
    monkeypatch.setenv(model_files.MODEL_ENV, str(model_path))
    text = "Hello world. This is misaki lite, speaking with subtitles at 10:05 today."
    wav, srt_file, vtt_file, js = (tmp_path / n for n in ("a.wav", "a.srt", "a.vtt", "a.json"))
    assert speak_main([text, "-o", str(wav), "--subtitles", str(srt_file),
                       "--timestamps", str(js), "--max-cue-chars", "30"]) == 0
    assert speak_main([text, "-o", str(wav), "--subtitles", str(vtt_file)]) == 0
    with wave.open(str(wav)) as wf:
        seconds = wf.getnframes() / wf.getframerate()
    for parsed, limit in ((parse_srt(srt_file.read_text("utf-8")), 30),
                          (parse_vtt(vtt_file.read_text("utf-8")), 42)):
        assert " ".join(t for _, _, t in parsed) == text
        assert all(len(t) <= limit for _, _, t in parsed) and len(parsed) >= 2
        for (s0, e0, _), (s1, e1, _) in zip(parsed, parsed[1:]):
            assert s0 < e0 <= s1 < e1
        assert 0 <= parsed[0][0] and parsed[-1][1] <= seconds
    data = json.loads(js.read_text("utf-8"))
    assert abs(data["duration"] - seconds) < 1e-3
    assert [w["text"] for w in data["words"]] == ["Hello", "world", "This", "is", "misaki",
                                                  "lite", "speaking", "with", "subtitles",
                                                  "at", "10:05", "today"]
    assert all(text[w["start_char"]:w["end_char"]] == w["text"] for w in data["words"])


def test_speak_rejects_a_subtitle_file_of_unknown_format(tmp_path, capsys):
    assert speak_main(["Hi.", "-o", str(tmp_path / "a.wav"), "--subtitles",
                       str(tmp_path / "a.txt")]) == 2
    assert ".srt or .vtt" in capsys.readouterr().err
    assert not (tmp_path / "a.wav").exists()
