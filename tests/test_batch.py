"""Batch phonemization: same answers as one G2P, input order kept, streaming, worker processes."""
import itertools
import json
import multiprocessing
import pickle
from pathlib import Path

import pytest

from misaki_lite.run.batch import G2PConfig, phonemize_chunk, phonemize_many
from misaki_lite.errors import InputError
from misaki_lite.token import MToken

DEV = Path(__file__).resolve().parents[1] / "golden" / "dev_us.jsonl"


@pytest.fixture(scope="module")
def lines():
    """60 dev lines of varied length, plus an empty line and one with a trailing newline."""
    with DEV.open(encoding="utf-8") as fh:
        texts = [json.loads(row)["text"] for row in itertools.islice(fh, 60)]
    return texts[:30] + ["", texts[30] + "\n"] + texts[31:]


def expected(g2p, lines):
    return [g2p(line.rstrip("\n"))[0] for line in lines]


def test_one_process_gives_what_g2p_gives(g2p_us, lines):
    assert list(phonemize_many(lines, workers=1, chunksize=7)) == expected(g2p_us, lines)


def test_worker_processes_keep_input_order(g2p_us, g2p_gb, lines):
    assert list(phonemize_many(lines, workers=2, chunksize=5)) == expected(g2p_us, lines)
    assert list(phonemize_many(lines, workers=2, chunksize=3, british=True)) == expected(g2p_gb, lines)


def test_without_fallback_unknown_words_are_marked(g2p_us_plain):
    lines = ["Blorptastic zibbles.", "Hello world."]
    assert list(phonemize_many(lines, workers=2, chunksize=1, fallback=False)) == expected(g2p_us_plain, lines)


def test_tokens_come_with_the_phonemes(g2p_us):
    (phonemes, tokens), = phonemize_many(["I read the book."], workers=2, tokens=True)
    assert phonemes == g2p_us("I read the book.")[0]
    assert all(isinstance(t, MToken) for t in tokens)
    assert [t.text for t in tokens] == ["I", "read", "the", "book", "."]


def test_progress_counts_lines_done(lines):
    seen = []
    list(phonemize_many(lines, workers=2, chunksize=16, progress=seen.append))
    assert seen == sorted(seen) and seen[-1] == len(lines)
    assert seen == [16, 32, 48, len(lines)]


def test_input_is_read_lazily_with_bounded_look_ahead():
    consumed = itertools.count()
    endless = ("Hello world." for _ in iter(lambda: next(consumed), None))
    out = list(itertools.islice(phonemize_many(endless, workers=2, chunksize=4), 10))
    assert out == ["həlˈO wˈɜɹld."] * 10
    # 10 results need 3 chunks of 4; beyond those, at most 2 * workers chunks were read ahead.
    assert next(consumed) <= (3 + 2 * 2) * 4


def test_stopping_early_shuts_the_pool_down():
    results = phonemize_many(["Hello world."] * 1000, workers=2, chunksize=10)
    assert next(results) == "həlˈO wˈɜɹld."
    results.close()
    assert multiprocessing.active_children() == []


def test_bad_input_and_options_raise():
    with pytest.raises(InputError):
        list(phonemize_many(["fine", 42], workers=2, chunksize=1))
    with pytest.raises(ValueError, match="workers"):
        phonemize_many(["x"], workers=-1)
    with pytest.raises(ValueError, match="chunksize"):
        phonemize_many(["x"], chunksize=0)
    with pytest.raises(ValueError, match="normalization"):
        phonemize_many(["x"], normalization="loud")


def test_g2p_pickles_cheaply_and_works_in_a_pool(g2p_us, lines):
    g2p_us("Hello world.")                         # lexicons and eSpeak already in use
    blob = pickle.dumps(g2p_us)
    assert len(blob) < 4096                        # options, not lexicons
    with multiprocessing.get_context().Pool(2) as pool:
        got = pool.map(g2p_us, lines[:12])
    assert [p for p, _ in got] == expected(g2p_us, lines[:12])


def test_config_is_small_and_builds_equivalent_g2p(g2p_gb):
    config = G2PConfig(british=True)
    assert len(pickle.dumps(config)) < 300
    assert phonemize_chunk(["The record was read."], config) == [g2p_gb("The record was read.")[0]]


def test_many_tags_in_one_pass_and_gives_what_one_call_a_text_gives():
    from misaki_lite import en

    texts = ["She will record a new record.", "", "  ", "I can't go to N.C. in Feb.",
             "[Kokoro](/kˈOkəɹO/) costs $5.", "\U0001F600 wow", "He said 'no' -- twice."]
    g2p = en.G2P()
    many = g2p.many(texts)
    single = [g2p(text) for text in texts]
    assert [p for p, _ in many] == [p for p, _ in single]
    assert [[(t.text, t.tag) for t in toks] for _, toks in many] == \
           [[(t.text, t.tag) for t in toks] for _, toks in single]
