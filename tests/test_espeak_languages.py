"""espeak.EspeakG2P: kokoro's other languages (e, f, h, i, p) as misaki 0.9.4 reads them.

The expected answers are misaki 0.9.4's own (tests/fixtures/espeak_g2p.json, written by
tools/oracle/espeak_g2p_oracle.py in the oracle environment, and the examples of
rules/espeak_languages.yaml).
"""
import json
import pickle
from pathlib import Path

import pytest

from misaki_lite import espeak, rules
from misaki_lite.errors import BackendError, RuleFileError
from misaki_lite.fallback import languages

FIXTURE = Path(__file__).parent / "fixtures" / "espeak_g2p.json"
KOKORO_LANGUAGES = {"e": "es", "f": "fr-fr", "h": "hi", "i": "it", "p": "pt-br"}  # kokoro 0.9.4


def _cases():
    for case in json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]:
        yield pytest.param(case, id=f"{case['language']}-{case['version']}-{case['text'][:20]}")


@pytest.fixture(scope="module")
def g2ps():
    made = {}

    def get(language, version=None):
        if (language, version) not in made:
            made[language, version] = espeak.EspeakG2P(language=language, version=version)
        return made[language, version]
    return get


@pytest.mark.parametrize("case", list(_cases()))
def test_answers_match_misaki(case, g2ps):
    assert g2ps(case["language"], case["version"])(case["text"]) == (case["phonemes"], case["second"])


def test_the_fixture_covers_every_kokoro_language_and_both_versions():
    cases = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]
    assert {(c["language"], c["version"]) for c in cases} == {
        (lang, v) for lang in KOKORO_LANGUAGES.values() for v in (None, "2.0")}


def _examples():
    for rule in rules.load(languages.FILE, languages._SCHEMA):
        for i, ex in enumerate(rule["examples"]):
            yield pytest.param(ex, id=f"{rule['id']}:{i}")


@pytest.mark.parametrize("example", list(_examples()))
def test_rule_examples(example, g2ps):
    assert g2ps(example["lang"], example.get("version"))(example["in"]) == (example["out"], None)


def test_signature_and_empty_text():
    import inspect
    params = inspect.signature(espeak.EspeakG2P).parameters
    assert list(params) == ["language", "version"] and params["version"].default is None
    assert espeak.EspeakG2P("es")("") == ("", None)


def test_a_language_without_a_voice_is_a_clear_error():
    g2p = espeak.EspeakG2P("xx-nowhere")           # nothing is loaded before the first call
    with pytest.raises(BackendError, match="no voice for language 'xx-nowhere'"):
        g2p("hola")


def test_pickles_by_arguments(g2ps):
    copy = pickle.loads(pickle.dumps(g2ps("it")))
    assert (copy.language, copy.version) == ("it", None)
    assert copy("Ciao.") == g2ps("it")("Ciao.")


def test_languages_can_be_called_alternately(g2ps):
    """One eSpeak library, several voices: each call selects its own."""
    es, fr = g2ps("es"), g2ps("fr-fr")
    first = (es("Hola."), fr("Bonjour."))
    assert (es("Hola."), fr("Bonjour."), es("Hola.")) == (*first, first[0])
    assert first[0] != fr("Hola.")


def test_a_bad_rule_is_an_error_naming_it(monkeypatch):
    real = rules.load(languages.FILE, languages._SCHEMA)
    bad = {"id": "bad-version", "priority": 999, "from": "x", "to": "y", "version": "3",
           "examples": [{"in": "x", "out": "y"}]}
    monkeypatch.setattr(languages.rules, "load", lambda name, schema: real + (bad,))
    languages.replacements.cache_clear()
    try:
        with pytest.raises(RuleFileError, match="espeak_languages.yaml: rule 'bad-version'"):
            languages.replacements(None)
    finally:
        languages.replacements.cache_clear()
