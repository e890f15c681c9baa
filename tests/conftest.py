"""Shared fixtures: one G2P per dialect for the whole session (loading lexicons is the slow part)."""
import pytest

from misaki_lite import en, espeak


@pytest.fixture(scope="session")
def g2p_us():
    return en.G2P(british=False, fallback=espeak.EspeakFallback(british=False))


@pytest.fixture(scope="session")
def g2p_gb():
    return en.G2P(british=True, fallback=espeak.EspeakFallback(british=True))


@pytest.fixture(scope="session")
def g2p_us_plain():
    """No fallback: unknown words come out as the unknown marker."""
    return en.G2P(british=False)


@pytest.fixture(scope="session")
def misaki_mode():
    """One G2P per dialect that reads only what misaki 0.9.4 reads (normalization="misaki")."""
    return {
        british: en.G2P(british=british, fallback=espeak.EspeakFallback(british=british),
                        normalization="misaki")
        for british in (False, True)
    }
