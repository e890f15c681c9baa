"""No file under rules/ or lexicons/ is orphaned: everything there is read by some stage."""
from misaki_lite import rules
from misaki_lite.espeak import EspeakG2P
from misaki_lite.inventory import Dialect
from misaki_lite.reading.lexicon import TIERS, load_tier
from misaki_lite.resources import data_dir

# Documentation and packaging files that live beside the data on purpose.
NOT_DATA = {"README.md", "NOTICE", "__init__.py"}

SAMPLE = ("The record, [Kokoro](/kˈOkəɹO/) said: “I read 1,000 books for $5.50 & 50%” - "
          "e-mail me at x@example.com. Blorptastic! don't 2nd")


def _files(folder):
    root = data_dir(folder)
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and p.name not in NOT_DATA and "__pycache__" not in p.parts}


def test_every_rule_file_is_loaded(g2p_us, g2p_gb):
    for g2p in (g2p_us, g2p_gb):
        g2p(SAMPLE)
    EspeakG2P("fr-fr")("Bonjour.")          # the other languages' table
    missing = _files("rules") - rules.loaded_files()
    assert not missing, f"rule files that no stage reads: {sorted(missing)}"


def test_every_lexicon_file_is_a_tier():
    expected = {f"{d.value}_{tier}.tsv" for d in Dialect for tier in TIERS}
    assert _files("lexicons") == expected
    for d in Dialect:
        for tier in TIERS:
            assert len(load_tier(d, tier)) > 0
