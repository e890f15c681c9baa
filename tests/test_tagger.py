"""Tests of the part-of-speech tagger: feature extraction, the interface, and a regression
check of its agreement with spaCy's tags on a fixed slice of the dev corpus."""
import json
import zlib
from pathlib import Path

import pytest
import tool_modules

from misaki_lite import en, espeak
from misaki_lite import tagger as tagger_module
from misaki_lite.resources import data_dir
from misaki_lite.tagger import SPACE_TAG, SortedBlock, Tagger, TaggerError, get_tagger
from misaki_lite.tagger_features import (END, START, classifier, context_features,
                                         sequence_views, shape, space_codes, static_context,
                                         tag_context, word_features)

DEV = Path(__file__).resolve().parents[2] / "shared/corpus/dev/reference.jsonl"
# Agreement measured on DEV_SLICE when the packaged weights were trained (see data/TAGGER.md);
# the tests fail if a change loses more than half a point.
LEVEL_ALL = 0.969
LEVEL_MATTERS = 0.978
# Tokens whose tag leaves misaki's output as spaCy's does (misaki mode): 61 of 28,096 change it.
LEVEL_OUTPUT = 0.9978
DEV_SLICE = slice(0, None, 3)  # every third line: 1,000 lines from all fortune files


# -- feature extraction ------------------------------------------------------------------------
@pytest.mark.parametrize("word, expected", [
    ("Hello", "Xx"), ("hello", "x"), ("HELLO", "X"), ("U.S.", "X.X."), ("1990s", "dx"),
    ("don't", "x'x"), ("-", "-"), ("McDonald", "XxXx"), ("é", "x"), ("", ""),
])
def test_shape_collapses_character_classes(word, expected):
    assert shape(word) == expected


def test_shape_keeps_at_most_five_classes():
    assert shape("a1b2c3d4") == "xdxdx"


def test_word_features_of_a_capitalised_word():
    feats = word_features("Dogs")
    assert feats[:3] == ("w=dogs", "W=Dogs", "sh=Xx")
    for f in ("p1=d", "p2=do", "p3=dog", "s1=s", "s2=gs", "s3=ogs"):
        assert f in feats
    assert "allcaps" not in feats and "digit" not in feats


def test_word_features_flags():
    assert "allcaps" in word_features("NASA")
    assert "digit" in word_features("MP3")
    assert "hyphen" in word_features("e-mail")
    for address in ("https://example.com/a", "www.debian.org", "jo@example.org"):
        assert "address" in word_features(address)
    assert "address" not in word_features("@home")
    assert word_features("a") == ("w=a", "sh=x")
    assert "s4=ting" in word_features("testing")


def test_sequence_views_are_padded_by_two():
    lows, sufs, shapes, parity, sp, amb = sequence_views(["The", "Cats", "sleep"])
    assert lows == [START, START, "the", "cats", "sleep", END, END]
    assert sufs[3] == "ats" and shapes[2] == "Xx"
    assert len(parity) == len(lows) == len(sp) == len(amb)
    assert set(sp) == {""}
    assert amb == [START, START, "?", "?", "?", END, END]


def test_word_classes_try_the_exact_form_then_lowercase():
    word_class = classifier({"that": "IN/DT/WDT", "May": "NNP/MD"})
    assert word_class("that") == word_class("That") == "IN/DT/WDT"
    assert word_class("May") == "NNP/MD"
    assert word_class("may") == "?"
    views = sequence_views(["so", "that", "May"], None, word_class)
    assert views[5][2:5] == ["?", "IN/DT/WDT", "NNP/MD"]


def test_static_context_looks_at_the_next_two_classes():
    views = sequence_views(["so", "that", "it", "works"], None,
                           classifier({"that": "IN/DT/WDT", "it": "PRP"}))
    feats = static_context(views, 3)  # "that"
    for f in ("a+1=PRP", "a+2=?", "wa+1=that|PRP", "a+1a+2=PRP|?"):
        assert f in feats
    assert "a+2=" + END in static_context(views, 4)


def test_space_codes_say_whether_space_comes_before_and_after():
    words = ['"', "Hi", '"', ",", "he", "said", "."]
    spaces = ["", "", "", " ", " ", "", ""]
    assert space_codes(words, spaces) == ["10", "00", "00", "01", "11", "10", "00"]


def test_whitespace_tokens_count_as_spaces():
    assert space_codes(["a", "  ", "-", "b"], ["", "", "", ""]) == ["11", "00", "10", "00"]


def test_space_features_only_when_spaces_are_known():
    feats = context_features(["a", "-", "b"], 1, "DT", START, ["", "", ""])
    assert "sp=00" in feats and "spw=00-" in feats
    assert not any(f.startswith("sp") and f[2] in "=w" for f in context_features(["a", "-", "b"], 1, "DT", START))


def test_quote_parity_tells_opening_from_closing_quotes():
    words = ['"', "Hi", '"', ",", "he", "said", "."]
    parity = sequence_views(words)[3]
    assert parity[2] == "e" and parity[4] == "o"
    assert parity[3] == ""


def test_static_context_uses_two_neighbours_each_side():
    views = sequence_views(["a", "big", "dog", "barked"])
    feats = static_context(views, 3)  # "big"
    for f in ("bias", "w-1=a", "w+1=dog", "w-2=" + START, "w+2=barked", "s+1=dog",
              "sh-1=x", "ww+1=big|dog", "w-1w=a|big", "shsh=x|x|x"):
        assert f in feats
    assert "first" not in feats
    assert "first" in static_context(views, 2)
    assert "fsh=x" in static_context(views, 2)


def test_tag_context_uses_two_previous_tags_and_the_next_class():
    assert tag_context("dog", "JJ", "DT", "VBD") == [
        "t-1=JJ", "t-2=DT", "tt=DT|JJ", "t-1w=JJ|dog", "t-1a+1=JJ|VBD", "t-1wa+1=JJ|dog|VBD"]
    assert tag_context("dog", "JJ", "DT")[-1] == "t-1wa+1=JJ|dog|?"


def test_context_features_is_the_concatenation():
    words = ["I", "read", "books"]
    classes = {"books": "NNS"}
    feats = context_features(words, 1, "PRP", START, classes=classes)
    views = sequence_views(words, None, classifier(classes))
    assert feats == (list(word_features("read")) + static_context(views, 3)
                     + tag_context("read", "PRP", START, "NNS"))


# -- the weight file's sorted blocks -----------------------------------------------------------
def _block(names, stride):
    """A SortedBlock (behind a 5-byte head, as inside a file) of ``name<TAB>i`` lines."""
    old, tagger_module.STRIDE = tagger_module.STRIDE, stride
    try:
        body, index = tagger_module._sorted_block([f"{n}\t{i}" for i, n in enumerate(names)])
    finally:
        tagger_module.STRIDE = old
    blob = b"HEAD\n" + body + b"\nTAIL"
    return SortedBlock(blob, 5, 5 + len(body), index)


@pytest.mark.parametrize("stride", [1, 2, 3, 64])
@pytest.mark.parametrize("name, expected", [
    ("a", b"0"), ("ab", b"1"), ("b", b"2"), ("c d", b"3"), ("a\x08", None), ("", None),
    ("aa", None), ("zz", None), ("HEAD", None), ("TAIL", None), ("0", b"4"),
])
def test_sorted_block_find(stride, name, expected):
    block = _block(["a", "ab", "b", "c d", "0"], stride)
    assert block.find(name.encode() + b"\t") == expected


@pytest.mark.parametrize("stride", [1, 7, 64])
def test_sorted_block_finds_every_line(stride):
    names = list({f"w{i * 7919 % 1000}" for i in range(600)} | {"é", "a\x08", "w1|x"})
    block = _block(names, stride)
    for i, n in enumerate(names):
        assert block.find((n + "\t").encode()) == str(i).encode()
    assert block.find(b"w1000\t") is None and block.find(b"w1\t") is None


def test_sorted_block_rejects_an_index_that_does_not_match():
    with pytest.raises(TaggerError):
        SortedBlock(b"b\t1\na\t2", 0, 7, b"b\t0\na\t4").find(b"a\t")
    with pytest.raises(TaggerError):
        SortedBlock(b"a\t1", 0, 3, b"a\tzz").find(b"a\t")


def test_packaged_word_classes():
    """Classes the packaged weights learnt from the training labels (spaCy's tags)."""
    tagger = get_tagger()
    assert set(tagger.word_class("that").split("/")) >= {"IN", "DT", "WDT"}
    assert tagger.word_class("The") == tagger.word_class("the") == "DT"
    assert tagger.word_class("qwzxv") == "?"


# -- the tagger --------------------------------------------------------------------------------
def test_get_tagger_is_cached():
    assert get_tagger() is get_tagger()


def test_one_tag_per_token_and_spaces_are_sp():
    words = ["Hello", " ", "world", "\n", "!"]
    tags = get_tagger().tag(words)
    assert len(tags) == len(words)
    assert tags[1] == tags[3] == SPACE_TAG
    assert tags[4] == "."


def test_empty_input():
    assert get_tagger().tag([]) == []
    assert get_tagger().tag([], []) == []


def test_spaces_must_match_words():
    with pytest.raises(TaggerError):
        get_tagger().tag(["a", "b"], [" "])


def test_quotes_with_spaces():
    """Expected tags from the oracle (spaCy en_core_web_sm 3.8.0) for 'He said "no".'."""
    words = ["He", "said", '"', "no", '"', "."]
    assert get_tagger().tag(words, [" ", " ", "", "", "", ""])[2:5] == ["``", "UH", "''"]


def test_spaces_do_not_change_the_other_tags():
    tagger = get_tagger()
    plain = tagger.tag(["The", "dog", "barked", "."])
    spaced = tagger.tag(["The", "  ", "dog", "barked", "\n", "."])
    assert [t for t in spaced if t != SPACE_TAG] == plain


def test_addresses_are_tagged_like_spacy_does_not_forced_to_add():
    """en_core_web_sm says NNP / NN for these (oracle), not ADD."""
    tagger = get_tagger()
    assert tagger.tag(["See", "https://example.com/a", "now", "."])[1] == "NNP"
    assert tagger.tag(["Mail", "jo@example.org", "today", "."])[1] in ("NN", "NNP")


# Expected tags: spaCy en_core_web_sm 3.8.0 through shared/reference/misaki_ref.py.
@pytest.mark.parametrize("words, expected", [
    pytest.param(["I", "read", "it", "yesterday", "."], ["PRP", "VBP", "PRP", "NN", "."],
                 marks=pytest.mark.xfail(strict=True, reason="the tagger says VBD, as a treebank "
                                         "would; en_core_web_sm says VBP")),
    (["I", "want", "to", "go", "to", "the", "store", "."],
     ["PRP", "VBP", "TO", "VB", "IN", "DT", "NN", "."]),
    (["She", "will", "record", "a", "new", "record", "."],
     ["PRP", "MD", "VB", "DT", "JJ", "NN", "."]),
    (['"', "Hello", ",", '"', "he", "said", "."], ["``", "UH", ",", "''", "PRP", "VBD", "."]),
])
def test_tags_of_simple_sentences(words, expected):
    assert get_tagger().tag(words) == expected


def test_tags_belong_to_the_tag_set():
    tagger = get_tagger()
    assert {"NN", "VBD", "``", "''", "HYPH", "_SP", "ADD", "-LRB-"} <= set(tagger.tags)


def test_packed_weights_hold_one_field_per_tag():
    from array import array
    base = sum(tagger_module._BIAS << (tagger_module._FIELD * k) for k in range(3))
    packed = tagger_module._pack(b"0 5 2 -3", base)
    fields = array("I")
    fields.frombytes(packed.to_bytes(12, "little"))
    if tagger_module._BIG_ENDIAN:
        fields.byteswap()
    bias = tagger_module._BIAS
    assert list(fields) == [bias + 5, bias, bias - 3]


def test_packaged_weights_stay_within_the_clamp():
    raw = (data_dir("data") / tagger_module.WEIGHTS_FILE).read_bytes()
    blocks = raw.split(tagger_module.SEPARATOR.encode())
    assert len(blocks) == 7 and blocks[0] == tagger_module.FORMAT.encode()
    lines = blocks[3].split(b"\n")
    assert lines == sorted(lines)  # SortedBlock relies on it
    classes = blocks[4].split(b"\n")
    assert classes == sorted(classes)
    for body, index in ((lines, blocks[5]), (classes, blocks[6])):
        sampled = [line.partition(b"\t")[0] for line in body[::tagger_module.STRIDE]]
        assert [line.rpartition(b"\t")[0] for line in index.split(b"\n")] == sampled
    largest = max(abs(int(w)) for line in lines for w in line.split(b"\t")[1].split()[1::2])
    assert largest <= tagger_module._CLAMP


@pytest.mark.parametrize("blob", [
    b"",
    b"not a weight file",
    zlib.compress(tagger_module.FORMAT.encode() + b"\n\x1e\nNN\n\x1e\n\n\x1e\n\n\x1e\n"),
    b"misaki-lite-tagger 2\n\x1e\nNN\n\x1e\n\n\x1e\nw=a\t0 1",  # older formats
    b"misaki-lite-tagger 3\n\x1e\nNN\n\x1e\n\n\x1e\nw=a\t0 1\n\x1e\n",
    tagger_module.FORMAT.encode() + b"\n\x1e\nNN\n\x1e\nthe\t7\n\x1e\n\n\x1e\n\n\x1e\n\n\x1e\n",
    b"\xff\xfe\n\x1e\nNN\n\x1e\n\n\x1e\n\n\x1e\n",
])
def test_bad_weight_file_raises(blob):
    with pytest.raises(TaggerError):
        Tagger.from_bytes(blob)


# -- regression against spaCy ------------------------------------------------------------------
def _dev_slice():
    lines = DEV.read_text(encoding="utf-8").splitlines()[DEV_SLICE]
    return [json.loads(line)["spacy_tokens"] for line in lines]


def test_agreement_with_spacy_on_the_dev_slice():
    tagger = get_tagger()
    right = total = 0
    for toks in _dev_slice():
        predicted = tagger.tag([t[0] for t in toks], [t[2] for t in toks])
        right += sum(p == t[1] for p, t in zip(predicted, toks))
        total += len(toks)
    assert right / total >= LEVEL_ALL - 0.005, right / total


def _heteronyms():
    """Gold words whose reading depends on the tag (their entry has a ``DEFAULT=`` reading)."""
    path = data_dir("lexicons") / "us_gold.tsv"
    return {line.split("\t", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()
            if "\tDEFAULT=" in line or "\tADJ=" in line}


_FUNCTION_WORDS = {"a", "an", "am", "i", "by", "to", "in", "the", "used", "vs", "vs."}
_SYMBOLS = {'"', "'", "“", "”", "‘", "’", "-", "–", "—", "--", "$", "£", "€"}


def test_agreement_on_tokens_whose_reading_depends_on_the_tag():
    """Exact tag agreement on function words, heteronyms, quotes, dashes, currency, ALL-CAPS."""
    tagger = get_tagger()
    hetero = _heteronyms()
    right = total = 0
    for toks in _dev_slice():
        words = [t[0] for t in toks]
        for i, pred in enumerate(tagger.tag(words, [t[2] for t in toks])):
            w = words[i]
            if (w.lower() in _FUNCTION_WORDS or w in hetero or w.lower() in hetero
                    or w in _SYMBOLS or (w.isalpha() and w.isupper() and len(w) > 1)):
                total += 1
                right += pred == toks[i][1]
    assert total > 3000
    assert right / total >= LEVEL_MATTERS - 0.005, right / total


def test_few_disagreements_change_the_output():
    """Of every token of the slice, the share whose tag, put alone in place of spaCy's, leaves
    the line's phonemes as they are (tools/tagger_effect.py, which measures the whole corpus)."""
    ceiling = tool_modules.load("tagger_ceiling")
    g2p = en.G2P(fallback=espeak.EspeakFallback(british=False), normalization="misaki")
    tagger = get_tagger()
    lines = DEV.read_text(encoding="utf-8").splitlines()[DEV_SLICE]
    changed = total = 0
    for record in map(json.loads, lines):
        toks = record["spacy_tokens"]
        ours = tagger.tag([t[0] for t in toks], [t[2] for t in toks])
        total += len(toks)
        changed += len(ceiling.output_changes(g2p, record["text"], toks, ours))
    assert changed > 0      # the measure sees the tagger at all
    assert 1 - changed / total >= LEVEL_OUTPUT - 0.005, 1 - changed / total


def test_weights_fit_the_wheel_budget():
    # issue 3: at most 5 MB in the wheel, whose members are deflated (zlib level 6 here)
    raw = (data_dir("data") / tagger_module.WEIGHTS_FILE).read_bytes()
    assert len(zlib.compress(raw, 6)) <= 5_000_000


def test_module_has_no_forbidden_imports():
    source = Path(tagger_module.__file__).read_text(encoding="utf-8")
    for name in ("spacy", "numpy", "misaki ", "torch"):
        assert f"import {name}" not in source


def test_a_built_weight_file_loads_and_tags():
    raw = tagger_module.build_file(["NN", "VB", "DT"], ["the\t2"],
                                   ["w=dog\t0 500", "w=run\t1 500", "bias\t0 1"],
                                   ["dog\tNN", "run\tVB/NN"])
    tagger = Tagger.from_bytes(raw)
    assert tagger.tag(["the", "dog", "run"]) == ["DT", "NN", "VB"]
    assert tagger.word_class("Run") == "VB/NN" and tagger.word_class("cat") == "?"
    assert tagger_module.read_blocks(raw)[3].split("\n") == ["bias\t0 1", "w=dog\t0 500", "w=run\t1 500"]
