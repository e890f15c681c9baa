"""Lexicon tiers: loading, validation against the inventory, misaki's case variants."""
import json
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from misaki_lite.reading import lexicon
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
        for tier in lexicon.TIERS:
            for _, value in lexicon.load_tier(dialect, tier).items():
                readings = [value] if isinstance(value, str) else [v for v in value.values() if v]
                assert all(set(ps) <= allowed for ps in readings)


def test_no_word_is_longer_than_the_lookup_limit():
    """Tier lookups answer 'no' at once for words over MAX_KEY_CHARS or with a digit: no
    entry may be such a word."""
    for dialect in Dialect:
        for tier in ("gold", "silver"):
            words = [word for word, _ in lexicon.load_tier(dialect, tier).items()]
            assert len(words) > 1000 and max(map(len, words)) <= lexicon.MAX_KEY_CHARS
            assert not [w for w in words if any(c.isdigit() for c in w)]
    assert lexicon.load_tier(Dialect.US, "gold").get("a" * 65) is None


def _said_phrases():
    """Every literal word and table reading the normalization rules say, as phrases."""
    from misaki_lite.normalize import classes

    phrases = set()
    for rule in classes.all_rules():
        phrases.update(p for p in rule.say if isinstance(p, str))
        for table in (rule.tables or {}).values():
            phrases.update(r for v in table.values() if isinstance(v, str) for r in v.split("|"))
    return sorted(p for p in phrases if any(c.isalpha() for c in p))


@pytest.mark.parametrize("british", [False, True])
def test_every_word_a_rule_says_reads_without_the_fallback(british):
    """Extended mode without eSpeak reads every word its own rules say: the gold and silver
    tiers, or the "said" tier for the few they lack ("Hong Kong", "kilopascal")."""
    from misaki_lite import en

    g2p = en.G2P(british=british)
    phrases = _said_phrases()
    assert len(phrases) > 300
    unread = [p for p in phrases if g2p.unk in g2p(p)[0]]
    assert not unread
    assert g2p("Hong Kong")[1][0]._.source == "said"
    assert en.G2P(british=british, mode="exact")("Hong Kong")[0] == "❓ ❓"   # misaki's


def test_no_symbol_reading_holds_a_digit():
    """Lookup reads a word of digits, commas and periods with the number reader alone: no
    lexicon word has a digit (above), and no symbol of rules/symbols.yaml may have one."""
    from misaki_lite.reading.function_words import symbol_readings

    plain, tagged = symbol_readings()
    assert plain and tagged
    assert not [s for s in [*plain, *(s for _, s in tagged)] if any(c.isdigit() for c in s)]


def test_shipped_files_are_sorted_and_valid():
    # Lookups bisect the files in place, so each file must be sorted by code point.
    for dialect in Dialect:
        for tier in lexicon.TIERS:
            lexicon.load_tier(dialect, tier).validate()


def test_file_lookup_finds_first_last_and_missing_words(tmp_path):
    path = tmp_path / "us_gold.tsv"
    path.write_text("# header\nPolish\tpˈOlɪʃ\naa\tˈɑ\ncat\tkˈæt\nrecord\tDEFAULT=ɹˈɛkəɹd\tVERB=ɹəkˈɔɹd\n"
                    "zzz\tzˈi\n", encoding="utf-8")
    tier = lexicon.Tier(lexicon.SortedTsv(path, Dialect.US))
    assert [tier.get(w) for w in ("Polish", "polish", "aa", "Cat", "zzz")] == \
        ["pˈOlɪʃ", "pˈOlɪʃ", "ˈɑ", "kˈæt", "zˈi"]
    assert tier.get("Record") == {"DEFAULT": "ɹˈɛkəɹd", "VERB": "ɹəkˈɔɹd"}
    assert all(w not in tier for w in ("", "#", "a", "ca", "cats", "zzzz", "PARIS", "Ω"))
    assert len(tier) == 5 and [w for w, _ in tier.items()] == ["Polish", "aa", "cat", "record", "zzz"]


def test_file_lookup_finds_every_shipped_word():
    """Each lookup reads one block of the file: the first word of every block, every fifth
    word and the file's last words are found with their entries; a word just after one is not."""
    from misaki_lite.reading.lexicon_file import SortedTsv

    for dialect in Dialect:
        for tier in ("gold", "silver"):
            tsv = SortedTsv(lexicon.data_dir("lexicons") / f"{dialect.value}_{tier}.tsv", dialect)
            entries = dict(tsv.items())
            assert len(entries) > 20000
            tsv.get("the")          # builds the index of blocks
            firsts = [k.decode("utf-8") for k in tsv._index[0]]     # each block's first word
            for word in firsts + list(entries)[::5] + list(entries)[-3:]:
                assert tsv.get(word) == entries[word], word
                assert tsv.get(word + "\u0001") is None


def test_file_lookup_across_small_blocks_and_no_final_newline(tmp_path, monkeypatch):
    from misaki_lite.reading import lexicon_file

    monkeypatch.setattr(lexicon_file, "SAMPLE_STEP", 16)
    words = [f"w{'abcdefghij'[i // 20]}{'abcdefghijklmnopqrst'[i % 20]}" + "x" * (i % 7) for i in range(200)]
    path = tmp_path / "us_gold.tsv"
    path.write_text("# a header\n# of two lines\n" + "\n".join(f"{w}\tkˈæt" for w in words),
                    encoding="utf-8")
    tsv = lexicon_file.SortedTsv(path, Dialect.US)
    assert all(tsv.get(w) == "kˈæt" for w in words)
    assert not any(w in tsv for w in ("w", "waax", "wab", "wjtxxxxxxx", "wz", "zzz", "# a header"))


def test_tiers_pickle_by_name():
    gold = lexicon.load_tier(Dialect.GB, "gold")
    blob = pickle.dumps(gold)
    assert len(blob) < 200 and pickle.loads(blob) is gold


def test_unsorted_file_fails_validation(tmp_path):
    (tmp_path / "us_gold.tsv").write_text("cat\tkˈæt\nbat\tbˈæt\n", encoding="utf-8")
    tier = lexicon.Tier(lexicon.SortedTsv(tmp_path / "us_gold.tsv", Dialect.US))
    with pytest.raises(LexiconError, match="line 2, word 'bat': out of order"):
        tier.validate()


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
        tier = lexicon.load_tier(Dialect.US, "gold")   # opening reads nothing
        if message is None:
            assert tier.get("cat") == "kˈæt"
            tier.validate()
        else:
            for check in (tier.validate, lambda: tier.get("cat")):   # whole file, or on first read
                with pytest.raises(LexiconError) as err:
                    check()
                assert "lexicons/us_gold.tsv" in str(err.value) and message in str(err.value)
    finally:
        lexicon.load_tier.cache_clear()


# -- user entries: g2p.lexicon.golds / silvers written like misaki's dicts ---------------------

def test_a_user_gold_entry_is_read_and_wins_over_the_shipped_one():
    from misaki_lite import en

    g2p = en.G2P()
    assert g2p("kokoro")[0] != "kˈOkəɹO"
    g2p.lexicon.golds["kokoro"] = "kˈOkəɹO"      # kokoro's custom-pronunciation recipe
    assert g2p.lexicon.golds["kokoro"] == "kˈOkəɹO"
    assert g2p("kokoro")[0] == "kˈOkəɹO"
    assert g2p("Kokoro is here.")[0].startswith("kˈOkəɹO ")   # the case variant, as misaki's loaded entries
    shipped = g2p("tomato")[0]
    g2p.lexicon.golds["tomato"] = "təmˈɑtO"
    assert g2p("tomato")[0] == "təmˈɑtO" != shipped  # the answer cache was dropped on the write


def test_user_entries_stay_in_their_g2p():
    from misaki_lite import en

    mine, other = en.G2P(), en.G2P()
    before = other("tomato")[0]
    mine.lexicon.golds["tomato"] = "təmˈɑtO"
    mine.lexicon.silvers["zorblax"] = "zˈɔɹblæks"
    assert other("tomato")[0] == before
    assert "zorblax" not in other.lexicon.silvers and "zorblax" in mine.lexicon.silvers
    assert mine("zorblax")[0] == "zˈɔɹblæks"
    assert lexicon.load_tier(Dialect.US, "gold").get("tomato") != "təmˈɑtO"


def test_a_tagged_user_entry_reads_by_tag():
    from misaki_lite import en

    g2p = en.G2P()
    g2p.lexicon.golds["flurb"] = {"DEFAULT": "flˈɜɹb", "VERB": "flˈʊɹb"}
    assert g2p("I flurb it.")[0] == "ˌI flˈʊɹb ɪt."
    assert g2p("The flurb.")[0] == "ðə flˈɜɹb."


def test_user_entries_are_checked_against_the_inventory():
    from misaki_lite import en

    golds = en.G2P().lexicon.golds
    with pytest.raises(LexiconError, match=r"'kokoro'.*'ȁ' \(U\+0201\).*US phoneme inventory"):
        golds["kokoro"] = "kȁOkəɹO"
    with pytest.raises(LexiconError, match="DEFAULT"):
        golds["kokoro"] = {"VERB": "kˈOkəɹO"}
    with pytest.raises(LexiconError, match="got int"):
        golds["kokoro"] = 5
    gb = en.G2P(british=True).lexicon.golds
    with pytest.raises(LexiconError, match="GB phoneme inventory"):
        gb["kokoro"] = "kˈOkəɹO"                  # O is American; British has Q
    assert "kokoro" not in golds and "kokoro" not in gb


def test_tiers_behave_as_mutable_mappings():
    tier = lexicon.Tier({"paris": "pˈɛɹəs", "x": "ˈɛks"}, origin=None)
    tier["zed"] = "zˈɛd"
    assert len(tier) == 3 and set(tier) == {"paris", "x", "zed"}
    del tier["paris"]                            # hides a shipped entry, variants too
    assert "paris" not in tier and "Paris" not in tier and len(tier) == 2
    with pytest.raises(KeyError):
        del tier["paris"]
    assert tier.get("nothing", "default") == "default"
    assert dict(tier.items()) == {"x": "ˈɛks", "zed": "zˈɛd"}


def test_user_entries_survive_pickling():
    from misaki_lite import en

    g2p = en.G2P()
    g2p.lexicon.golds["kokoro"] = "kˈOkəɹO"
    copy = pickle.loads(pickle.dumps(g2p))
    assert copy("kokoro")[0] == "kˈOkəɹO"
    assert len(pickle.dumps(g2p.lexicon.golds)) < 500   # the file travels by name


_USER_ENTRIES = Path(__file__).parent / "fixtures" / "user_entries.json"


@pytest.mark.parametrize("british", [False, True])
def test_user_words_holding_what_no_shipped_word_does_are_read_as_misaki_reads_them(british):
    """A user's word may hold what no shipped word does ("AT&T", "C#", "GPT-4", "911", "k8s",
    "--", a word of 75 characters): the reading stage's shortcuts, which know only the shipped
    words, allow for it (spans.UserKeys). In exact mode a user's word has no case variant and
    a deleted word keeps its shipped one, as in misaki's dicts ("Kokoro" is not "kokoro").
    misaki's answers: tools/oracle/user_entries.py."""
    from misaki_lite import en, espeak

    fixture = json.loads(_USER_ENTRIES.read_text(encoding="utf-8"))
    g2p = en.G2P(british=british, mode="exact", fallback=espeak.EspeakFallback(british=british))
    g2p.lexicon.golds.update(fixture["golds"])
    g2p.lexicon.silvers.update(fixture["silvers"])
    for word in fixture["deleted"]:
        del g2p.lexicon.golds[word]
    for record in fixture["records"]:
        assert g2p(record["text"])[0] == record["gb" if british else "us"], record["text"]


def test_a_user_word_wins_over_normalization():
    """Extended mode says "AT&T" as letters and "and", "911" as "nine one one": a word the
    user wrote reads as they wrote it, as it does in misaki (checked by hand)."""
    from misaki_lite import en

    g2p = en.G2P()
    before = g2p("Call AT&T or 911, (C#).")[0]
    assert "ˌAtˌiəndtˈi" not in before and "sˈiʃˈɑɹp" not in before
    g2p.lexicon.golds.update({"AT&T": "ˌAtˌiəndtˈi", "911": "nˈInwˌʌnwˌʌn", "C#": "sˈiʃˈɑɹp"})
    assert g2p("Call AT&T or 911, (C#).")[0] == "kˈɔl ˌAtˌiəndtˈi ɔɹ nˈInwˌʌnwˌʌn, (sˈiʃˈɑɹp)."
    del g2p.lexicon.golds["AT&T"]
    assert g2p("Call AT&T.")[0] == before.split(" ɔɹ")[0] + "."


@pytest.mark.parametrize("text", ["I called AT&T.", "I love C#!", "I like R&D.", "\"C#.\""])
def test_a_user_word_before_a_full_stop_reads_as_the_user_wrote_it(text):
    """At a sentence's end the tagger tags the pieces of "AT&T." as punctuation and "#" of
    "C#." as a currency sign; misaki (and exact mode) then read them apart by their tags
    (ˈættˈi, sˈi). Extended mode reads the user's word, and keeps the stop (checked by hand)."""
    from misaki_lite import en

    g2p = en.G2P()
    g2p.lexicon.golds.update({"AT&T": "ˌAtˌiəndtˈi", "C#": "sˈiʃˈɑɹp", "R&D": "ˌɑɹəndˈi"})
    phonemes = g2p(text)[0]
    word = {"AT&T": "ˌAtˌiəndtˈi", "C#": "sˈiʃˈɑɹp", "R&D": "ˌɑɹəndˈi"}
    said = next(ps for w, ps in word.items() if w in text)
    stop = next(c for c in reversed(text) if c in ".!")
    assert said + stop in phonemes, phonemes


_PIECES = ["a", "b", "ab", "X", "1", "9", "&", "#", "+", "-", "/", "_", ".", ",", "'", "é", "²", "+'", "-1"]
_READINGS = ["ˈɛks", "wˈI", "zˈɛd", "kjˈu", "ˈɑɹ"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keys=st.lists(st.lists(st.sampled_from(_PIECES), min_size=2, max_size=4).map("".join),
                     min_size=1, max_size=3, unique=True),
       parts=st.lists(st.tuples(st.one_of(st.sampled_from(_PIECES), st.integers(0, 2)),
                                st.sampled_from(["", "", " "])), min_size=1, max_size=8))
@example(keys=["aa", "+'-", "+-"], parts=[("a", ""), (1, "")])   # "a+'-": misaki says zˈɛd
def test_the_shortcuts_skip_no_span_a_user_word_could_be(keys, parts):
    """Exact mode with user words reads as it does when every span is looked up (the
    shortcuts told that any character, hyphen cut and length may be a user's word)."""
    from misaki_lite import en
    from misaki_lite.reading.grouping import subtokenize
    from misaki_lite.reading.spans import UserKeys

    text = "".join((keys[p] if isinstance(p, int) and p < len(keys) else str(p)) + ws
                   for p, ws in parts)
    fast, every = en.G2P(mode="exact"), en.G2P(mode="exact")
    for g2p in (fast, every):
        g2p.lexicon.golds.update({k: _READINGS[i] for i, k in enumerate(keys)})
    # the spans' text is the pieces' text: misaki's subtokenizer drops an apostrophe that no
    # letter follows inside a word ("+'-" is read as "+-"), so its hyphen cuts count too
    variants = [text.lower()] + ["".join(subtokenize(chunk)).lower() for chunk in text.split()]
    cuts = frozenset(v[:i + 1] for v in variants for i in range(len(v)) if v[i] == "-")
    cuts = frozenset(c[j:] for c in cuts for j in range(len(c)))
    every.lexicon.user_keys = lambda: UserKeys(frozenset(text), cuts, cuts, len(text) + 64, True, True)
    assert fast(text)[0] == every(text)[0]


# -- provenance: each reading names the tier that made it ------------------------------------

def test_each_reading_names_the_tier_that_made_it():
    """The source is set where the reading is made, with misaki's rating beside it: a stemmed
    word is morphology with its stem's rating (gold "dog": 4), a spelled acronym is spelled."""
    from misaki_lite import en
    from misaki_lite.reading.context import Reading
    from misaki_lite.reading.lookup import Lookup

    lex = Lookup(Dialect.US)
    assert lex.lookup("the", None, None, None) == Reading("ði", 4, "gold")
    assert lex.stem_s("dogs", None, None, None) == Reading("dˈɔɡz", 4, "morphology")
    assert lex.spell("FBI") == Reading("ˌɛfbˌiˈI", 3, "spelled")
    _, tokens = en.G2P()("The FBI found 42 dogs and hounds.")
    assert [(tk.text, tk._.source, tk._.rating) for tk in tokens if tk.text.isalnum()] == [
        ("The", "gold", 4), ("FBI", "spelled", 3), ("found", "gold", 4), ("42", "number", 4),
        ("dogs", "morphology", 4), ("and", "gold", 4), ("hounds", "silver", 3)]
