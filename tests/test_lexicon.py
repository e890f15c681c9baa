"""Lexicon tiers: loading, validation against the inventory, misaki's case variants."""
import pytest

from misaki_lite import lexicon
from misaki_lite.errors import LexiconError
from misaki_lite.inventory import Dialect, phoneme_symbols


def test_tiers_load_with_misaki_entry_counts():
    # The counts of misaki 0.9.4's JSON files (len(json.load(...)) on the wheel's data).
    counts = {(Dialect.US, "gold"): 90201, (Dialect.US, "silver"): 93361,
              (Dialect.GB, "gold"): 87352, (Dialect.GB, "silver"): 109766}
    for (dialect, tier), n in counts.items():
        assert len(lexicon.load_tier(dialect, tier)) == n


def test_heteronyms_keep_their_tags():
    gold = lexicon.load_tier(Dialect.US, "gold")
    record = gold.get("record")
    assert isinstance(record, dict) and set(record) == {"DEFAULT", "VERB"}
    assert gold.get("AA")["NOUN"] is None


def test_case_variants_follow_misaki():
    tier = lexicon.Tier({"paris": "pˈɛɹəs", "Polish": "pˈOlɪʃ", "x": "ˈɛks"})
    assert tier.get("Paris") == "pˈɛɹəs"          # capitalised finds lower case
    assert tier.get("polish") == "pˈOlɪʃ"         # lower case finds capitalised
    assert "PARIS" not in tier                    # all caps is not a variant
    assert "X" not in tier                        # one letter words have no variants


def test_every_entry_is_inside_its_inventory():
    for dialect in Dialect:
        allowed = phoneme_symbols(dialect)
        for tier in ("gold", "silver"):
            for value in lexicon.load_tier(dialect, tier)._entries.values():
                readings = [value] if isinstance(value, str) else [v for v in value.values() if v]
                assert all(set(ps) <= allowed for ps in readings)


@pytest.mark.parametrize("line, message", [
    ("cat\tkˈæt\n", None),
    ("cat\tkˈæ§t\n", "line 2, word 'cat': symbol '§'"),
    ("cat\n", "expected 'word<TAB>phonemes'"),
    ("cat\tVERB=kˈæt\n", "needs a DEFAULT"),
    ("cat\tkˈæt\textra\n", "too many columns"),
])
def test_bad_entries_name_file_line_word_and_symbol(tmp_path, monkeypatch, line, message):
    (tmp_path / "us_gold.tsv").write_text("# header\n" + line, encoding="utf-8")
    monkeypatch.setattr(lexicon, "data_dir", lambda name: tmp_path)
    lexicon.load_tier.cache_clear()
    try:
        if message is None:
            assert lexicon.load_tier(Dialect.US, "gold").get("cat") == "kˈæt"
        else:
            with pytest.raises(LexiconError) as err:
                lexicon.load_tier(Dialect.US, "gold")
            assert "lexicons/us_gold.tsv" in str(err.value) and message in str(err.value)
    finally:
        lexicon.load_tier.cache_clear()
