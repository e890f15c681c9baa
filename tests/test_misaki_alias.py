"""register_as_misaki(): code that imports misaki (kokoro's KPipeline) gets misaki_lite."""
import sys

import pytest

import misaki_lite
from misaki_lite import MisakiLiteError, register_as_misaki
from misaki_lite.alias import ALIASES


@pytest.fixture
def clean_misaki(monkeypatch):
    """No misaki module in sys.modules during the test; the previous state comes back after."""
    for name in [n for n in sys.modules if n == "misaki" or n.startswith("misaki.")]:
        monkeypatch.delitem(sys.modules, name)
    for name in ALIASES:
        monkeypatch.setitem(sys.modules, name, None)   # recorded, so teardown restores it
        monkeypatch.delitem(sys.modules, name)


def test_imports_resolve_to_misaki_lite(clean_misaki):
    register_as_misaki()
    import misaki
    from misaki import en, espeak
    from misaki.en import G2P, MToken
    from misaki.espeak import EspeakFallback
    from misaki.token import MToken as Token

    assert misaki is misaki_lite
    assert en is misaki_lite.en and espeak is misaki_lite.espeak
    assert G2P is misaki_lite.en.G2P and EspeakFallback is misaki_lite.espeak.EspeakFallback
    assert MToken is Token is misaki_lite.MToken


def test_kokoro_style_use_reads_through_the_alias(clean_misaki):
    register_as_misaki()
    from misaki import en, espeak
    g2p = en.G2P(trf=False, british=False, fallback=espeak.EspeakFallback(british=False), unk="")
    phonemes, tokens = g2p("Hello world.")
    assert phonemes == "həlˈO wˈɜɹld."
    assert [t.text for t in tokens] == ["Hello", "world", "."]


def test_registering_twice_is_harmless(clean_misaki):
    register_as_misaki()
    register_as_misaki()
    import misaki
    assert misaki is misaki_lite


def test_a_real_misaki_already_imported_is_an_error_unless_replaced(clean_misaki):
    import types
    sys.modules["misaki"] = types.ModuleType("misaki")
    with pytest.raises(MisakiLiteError, match="before importing misaki"):
        register_as_misaki()
    assert sys.modules["misaki"] is not misaki_lite
    register_as_misaki(replace=True)
    assert sys.modules["misaki"] is misaki_lite
