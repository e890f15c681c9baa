"""Shared fixtures: one G2P per dialect for the whole session (loading lexicons is the slow part).

No test writes outside a temporary folder: the Kokoro model cache (``MISAKI_LITE_CACHE``, which
test subprocesses inherit) is a folder of its own for the session, and so is Hypothesis's
storage (``.hypothesis/`` in the working folder otherwise), with no example database.
"""
import os
import tempfile

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from misaki_lite.config import G2PConfig
from misaki_lite import en
from misaki_lite.kokoro.model import CACHE_ENV

# Set at import, before any test module or subprocess can resolve the cache; removed at exit.
_CACHE = tempfile.TemporaryDirectory(prefix="misaki-lite-test-cache-")
os.environ[CACHE_ENV] = _CACHE.name
_HYPOTHESIS = tempfile.TemporaryDirectory(prefix="misaki-lite-test-hypothesis-")
os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = _HYPOTHESIS.name
set_hypothesis_home_dir(_HYPOTHESIS.name)
settings.register_profile("misaki-lite-tests", database=None)
settings.load_profile("misaki-lite-tests")


@pytest.fixture(scope="session")
def g2p_us():
    return G2PConfig().build()


@pytest.fixture(scope="session")
def g2p_gb():
    return G2PConfig(british=True).build()


@pytest.fixture(scope="session")
def g2p_us_plain():
    """No fallback: unknown words come out as the unknown marker."""
    return en.G2P(british=False)


@pytest.fixture(scope="session")
def misaki_mode():
    """One G2P per dialect that reads only what misaki 0.9.4 reads (normalization="misaki")."""
    return {
        british: G2PConfig(british=british, normalization="misaki").build()
        for british in (False, True)
    }


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    """The official int8 Kokoro graph, assembled from the kokoro extra's parts into a fresh
    cache folder (tests/test_kokoro_audio.py, tests/test_kokoro_timestamps.py)."""
    from misaki_lite.kokoro import model as model_files

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(model_files.CACHE_ENV, str(tmp_path_factory.mktemp("kokoro-cache")))
        mp.delenv(model_files.MODEL_ENV, raising=False)
        path = model_files.resolve_model()
    assert path.name == "kokoro-v1.0.int8.onnx"
    assert model_files.sha256_of(path) == model_files.INT8.sha256
    return path
