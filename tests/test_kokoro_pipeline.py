"""kokoro 0.9.4's real KPipeline on misaki_lite, through register_as_misaki().

Runs only where kokoro is importable (install recipe: README, "Use with kokoro"); skipped
otherwise. model=False: phonemes and chunks only, no audio (no torch weights are fetched).
Expected phonemes are misaki 0.9.4's (the oracle, with unk='' as KPipeline builds its G2P;
for EspeakG2P, tests/fixtures/espeak_g2p.json).
"""
import importlib.util
import json
from pathlib import Path

import pytest

from misaki_lite import MisakiLiteError, register_as_misaki

ORACLE = {   # misaki 0.9.4: en.G2P(british=..., fallback=EspeakFallback(...), unk='')(text)[0]
    "a": [("Hello world, this is Kokoro speaking.", "həlˈO wˈɜɹld, ðɪs ɪz kəkˈɔɹO spˈikɪŋ."),
          ("I read the book yesterday; it was 300 pages long!",
           "ˌI ɹˈɛd ðə bˈʊk jˈɛstəɹdˌA; ɪt wʌz θɹˈi hˈʌndɹəd pˈAʤᵻz lˈɔŋ!"),
          ("Dr. Smith paid $5.50 for two coffees.",
           "dˈɑktəɹ smˈɪθ pˈAd fˈIv dˈɑləɹz ænd fˈɪfti sˈɛnts fɔɹ tˈu kˈɔfiz.")],
    "b": [("Hello world, this is Kokoro speaking.", "həlˈQ wˈɜːld, ðɪs ɪz kəkˈɔːɹQ spˈiːkɪŋ."),
          ("The quick brown fox jumps over the lazy dog.",
           "ðə kwˈɪk bɹˈWn fˈɒks ʤˈʌmps ˈQvə ðə lˈAzi dˈɒɡ.")],
}
FIXTURE = Path(__file__).parent / "fixtures" / "espeak_g2p.json"


@pytest.fixture(scope="module")
def KPipeline():
    if importlib.util.find_spec("kokoro") is None:
        pytest.skip("kokoro is not installed (see README: Use with kokoro)")
    try:
        register_as_misaki()
    except MisakiLiteError as exc:           # the real misaki is installed and imported
        pytest.skip(str(exc))
    from kokoro import KPipeline
    return KPipeline


@pytest.fixture(scope="module")
def pipelines(KPipeline):
    made = {}

    def get(lang):
        if lang not in made:
            made[lang] = KPipeline(lang_code=lang, repo_id="hexgrad/Kokoro-82M", model=False)
        return made[lang]
    return get


@pytest.mark.parametrize("lang", ["a", "b"])
def test_english_phonemes_are_misakis(pipelines, lang):
    pipeline = pipelines(lang)
    for text, expected in ORACLE[lang]:
        results = list(pipeline(text))
        assert [r.phonemes for r in results] == [expected]
        assert results[0].graphemes == text


def test_a_long_paragraph_is_chunked_under_510(pipelines):
    text = " ".join(t for t, _ in ORACLE["a"] * 20)
    results = list(pipelines("a")(text))
    assert len(results) > 1 and all(0 < len(r.phonemes) <= 510 for r in results)
    assert " ".join(r.phonemes for r in results) == " ".join(ps for _, ps in ORACLE["a"] * 20)


def test_the_custom_pronunciation_recipe(pipelines, KPipeline):
    pipeline = pipelines("a")
    pipeline.g2p.lexicon.golds["kokoro"] = "kˈOkəɹO"
    assert [r.phonemes for r in pipeline("kokoro")] == ["kˈOkəɹO"]
    other = KPipeline(lang_code="a", repo_id="hexgrad/Kokoro-82M", model=False)
    assert [r.phonemes for r in other("kokoro")] != ["kˈOkəɹO"]   # only in that pipeline


def test_emoji_leave_kokoro_tokens_in_step(pipelines):
    (result,) = list(pipelines("a")("I love 🍕 and sushi."))
    assert result.phonemes == "ˌI lˈʌv ænd sˈuʃi."
    assert not [t for t in result.tokens if not t.phonemes and t.whitespace]


@pytest.mark.parametrize("lang, language", [("e", "es"), ("f", "fr-fr"), ("h", "hi"),
                                            ("i", "it"), ("p", "pt-br")])
def test_espeak_languages(pipelines, lang, language):
    cases = [c for c in json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]
             if c["language"] == language and c["version"] is None]
    pipeline = pipelines(lang)
    assert len(cases) >= 4
    for case in cases:
        # KPipeline joins sentences into chunks of up to 400 characters: each text is one chunk
        assert [r.phonemes for r in pipeline(case["text"])] == [case["phonemes"]], case["text"]
