"""The short, seeded slice of the fuzzer that CI runs (well under a minute).

The same checks as the long coverage-guided run (``fuzz/run_atheris.py``, see
``fuzz/targets.py`` for what counts as a finding), driven here by Hypothesis with a fixed seed
(``derandomize=True``): the seed inputs of ``fuzz/seeds.py`` in every G2P configuration, then
generated text for G2P (US/GB x extended/misaki), the markup parser, the CLI's line reader and
the voice and model loaders.

Every word is held to the phoneme alphabet, those eSpeak read included (its out-of-inventory
output and markup overrides with foreign symbols were known bugs once; both are fixed, see
``tests/test_hardening.py``). Lone surrogates, once a crash, are in the seeds and the
generated text.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz import seeds, targets  # noqa: E402
from strategies import any_text, english_like, espeak_edges  # noqa: E402

SLICE = settings(derandomize=True, database=None, deadline=None, max_examples=60,
                 suppress_health_check=list(HealthCheck))
texts = st.one_of(english_like, any_text, espeak_edges)


def _seed_params():
    for text in seeds.SEED_TEXTS:
        yield pytest.param(text, id=repr(text)[:40])


@pytest.mark.parametrize("british, mode", targets.CONFIGS)
@pytest.mark.parametrize("text", list(_seed_params()))
def test_seed_inputs(text, british, mode):
    targets.check_g2p(text, british, mode)


@pytest.mark.parametrize("british, mode", targets.CONFIGS)
@settings(SLICE, max_examples=150)
@given(text=texts)
def test_g2p(british, mode, text):
    targets.check_g2p(text, british, mode)


@settings(SLICE, max_examples=400)
@given(text=st.one_of(texts, st.text(alphabet="[]()/#+-.0123456789 aé", max_size=60)))
def test_markup(text):
    targets.check_markup(text)


lines = st.lists(st.one_of(st.binary(max_size=20), st.text(max_size=20).map(
    lambda s: s.encode("utf-8", "surrogatepass"))), max_size=12).map(lambda ls: b"\n".join(ls))


@settings(SLICE, max_examples=400)
@given(data=st.one_of(st.binary(max_size=300), lines))
def test_line_reader(data):
    targets.check_line_reader(data)


def test_voice_seed_files():
    pytest.importorskip("numpy")
    for kind, data in seeds.voice_seeds():
        targets.check_voice_file(data, kind)


@settings(SLICE, max_examples=40)
@given(spec=st.one_of(st.text(max_size=30), st.sampled_from(
    ["af_heart", "bf_emma", "af_heart:0.7,bf_emma:0.3", "af_heart,bf_emma", "x:1", ":", ","])))
def test_voice_specs(spec):
    pytest.importorskip("numpy")
    targets.check_voice_spec(spec)


@settings(SLICE, max_examples=30)
@given(data=st.binary(max_size=2000), cut=st.integers(0, 3000))
def test_model_parts(data, cut):
    targets.check_model_parts(data, cut)


def test_widened_run_slice(tmp_path):
    """A seeded slice of issue 19's widened run (``fuzz/widened.py``: every input family, US/GB
    x exact/extended, supervised so that a native crash is a finding and not the end of the
    test session, then a fresh-process replay): no finding, and no output that depends on
    what was read before."""
    import json
    import subprocess

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-m", "fuzz.widened", "--calls", "600", "--replay", "60",
                          "--out", str(tmp_path)], capture_output=True, text=True, timeout=600, cwd=root)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    findings = (tmp_path / "findings.jsonl").read_text(encoding="utf-8") if report["findings"] else ""
    assert report["crashes"] == report["hangs"] == report["findings"] == 0, findings[:2000]
    # every 11th result is kept (600 // 60, made odd so that the four configurations take turns)
    assert report["replayed"] == 55 and report["differ"] == report["failed"] == 0
