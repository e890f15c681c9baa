"""One G2P (and one Kokoro, when the extra is installed) shared by 8 threads gives exactly the
results of sequential calls: no shared state is corrupted, and the eSpeak calls, which go
through one C library instance, are serialized safely.

The texts are chosen to hit every shared part: the lexicon caches, the tagger's lazily parsed
weights, the eSpeak fallback (made-up words) and its answer cache, numbers and markup.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from misaki_lite.config import G2PConfig
from misaki_lite import en

THREADS = 8
TEXTS = [
    "Hello world, this is a test of the emergency broadcast system.",
    "I read the record; then I will record what I read.",
    "Zorblaxian fnerp quibbitz glarmonious wubbleshire.",          # eSpeak for most words
    "Snorkelwhank and brimblefrosk met Ozymandiax at 10:30.",
    "It cost $5.50, £3 and €1,000,000 in the 1990s, didn't it?",
    "[Kokoro](/kˈOkəɹO/) says [1,000](#a#) words [cat](+1) times.",
    "The U.S.A. and the U.K. — 50% of 2nd-hand GPUs' fans — “wasn’t it?”",
    "naïve café coöperation façade résumé Zürich Ångström",
    "Flibbertigibbet quantumfrobnicator hyperjiggle 12345678 xkcdian.",
    "Supercalifragilisticexpialidocious bamboozlement, mwahahaha!",
    "-1 +2 3.14 1e10 ½ ² ٣ Ⅻ A-B-C co-op rock'n'roll 'tis",
    "",
]


def _fresh(british: bool) -> en.G2P:
    # A new instance (not the session fixture), so that the threads race on cold caches too.
    return G2PConfig(british=british).build()


def _as_tuple(result):
    phonemes, tokens = result
    return phonemes, [(t.text, t.tag, t.whitespace, t.phonemes, t._.rating) for t in tokens]


@pytest.mark.parametrize("british", [False, True], ids=["us", "gb"])
def test_g2p_from_8_threads_matches_sequential(british):
    expected = [_as_tuple(_fresh(british)(text)) for text in TEXTS]
    shared = _fresh(british)
    jobs = [i % len(TEXTS) for i in range(THREADS * len(TEXTS) * 3)]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(lambda i: _as_tuple(shared(TEXTS[i])), jobs))
    mismatches = [(TEXTS[i], got[0], expected[i][0]) for i, got in zip(jobs, results)
                  if got != expected[i]]
    assert not mismatches, mismatches[:3]


def test_two_dialects_interleaved_from_threads():
    """US and GB fallbacks share the eSpeak library: alternating voices must not leak."""
    us, gb = _fresh(False), _fresh(True)
    words = "Zorblaxian glarmonious wubbleshire tomato schedule"
    expected = {False: _as_tuple(_fresh(False)(words)), True: _as_tuple(_fresh(True)(words))}
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        got = list(pool.map(lambda k: (k % 2 == 1, _as_tuple((gb if k % 2 else us)(words))),
                            range(THREADS * 8)))
    assert all(result == expected[british] for british, result in got)


def test_kokoro_from_8_threads_matches_sequential():
    """One Kokoro shared by 8 threads: the same audio as sequential calls."""
    np = pytest.importorskip("numpy")
    pytest.importorskip("onnxruntime")
    kokoro = pytest.importorskip("misaki_lite.kokoro")
    try:
        tts = kokoro.Kokoro()
    except Exception as exc:  # noqa: BLE001 - no model on this machine: nothing to test
        pytest.skip(f"no usable Kokoro model here ({exc})")
    phrases = ["Hello there.", "Zorblaxian fnerp.", "It costs $5.", "One, two, three."]
    expected = [np.asarray(tts.create(p)[0]) for p in phrases]
    jobs = [i % len(phrases) for i in range(THREADS * 2)]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(lambda i: np.asarray(tts.create(phrases[i])[0]), jobs))
    for i, audio in zip(jobs, results):
        assert audio.shape == expected[i].shape
        assert np.allclose(audio, expected[i], atol=1e-4), phrases[i]
