"""Tests of the part-of-speech tagger: spaCy's ids and hashes, the lexical features, the
interface, and exact agreement with spaCy's tags on a fixed slice of the corpora.

Every expected value here was produced by the oracle (spaCy 3.8.18, en_core_web_sm 3.8.0,
thinc; ``../shared/reference/setup.sh``): ``fixtures/spacy_ids.json`` by a script that asked
spaCy's string store, thinc's ``NumpyOps.hash`` and ``Doc.to_array``, and
``fixtures/tagger_slice.jsonl`` is every 20th line of ``../shared/corpus/{news,dev}`` with
spaCy's tokens and tags.
"""
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from misaki_lite.tagger import hashing, model as tagger_module
from misaki_lite.tagger.hashing import murmurhash64a, word_shape
from misaki_lite.tagger.model import SPACE_TAG, TaggerError, get_tagger, load
from misaki_lite.tagger.npz import stored_arrays

FIXTURES = Path(__file__).resolve().parent / "fixtures"
IDS = json.loads((FIXTURES / "spacy_ids.json").read_text(encoding="utf-8"))


def _slice():
    with open(FIXTURES / "tagger_slice.jsonl", encoding="utf-8") as file:
        return [json.loads(line) for line in file]


# -- ids and hashes ------------------------------------------------------------------------------
@pytest.mark.parametrize("text", sorted(IDS["string_ids"]))
def test_spacy_ids_of_strings(text):
    """Hashes, the empty string (0) and symbol names ('X', 'neg') as spaCy's string store."""
    assert get_tagger().spacy_id(text) == IDS["string_ids"][text]


def test_murmurhash64a_of_every_tail_length():
    # spaCy's hash of 'aaaaaaaaa' (one 8-byte block and a 1-byte tail) and of 'Hello' (tail only)
    assert murmurhash64a(b"a" * 9, 1) == IDS["string_ids"]["aaaaaaaaa"]
    assert murmurhash64a(b"Hello", 1) == IDS["string_ids"]["Hello"]
    assert len({murmurhash64a(b"x" * n, 1) for n in range(20)}) == 20


def test_murmurhash64a_of_long_texts_mixes_blocks_with_numpy():
    """From 256 bytes on the blocks are mixed with numpy; spaCy's hash_string of the same."""
    assert murmurhash64a(b"a" * 300, 1) == 13958853948687189771
    assert murmurhash64a(b"Hello, world. " * 80, 1) == 16369419402149919869


@pytest.mark.parametrize("key", sorted(IDS["thinc_hash"]))
def test_thinc_hash_of_64_bit_keys(key):
    for seed, expected in IDS["thinc_hash"][key].items():
        got = hashing.thinc_hash(np.array([[int(key)]], dtype=np.uint64),
                                        np.array([int(seed)], dtype=np.uint32))
        assert got[0, 0].tolist() == expected


def test_token_attributes_as_spacy_computes_them():
    """NORM (special-case norms: ca -> can, n't -> not; the lexeme_norm table; base norms),
    PREFIX, SUFFIX, SHAPE, SPACY and IS_SPACE of a line with spaCy's tokens."""
    tagger = get_tagger()
    tokens = IDS["attributes"]["tokens"]
    words, spaces = [t[0] for t in tokens], [t[1] for t in tokens]
    norms = tagger.special_norms(words, spaces)
    for (word, space, expected), norm in zip(tokens, norms):
        assert tagger.features(word, norm, bool(space)) == expected, word


@pytest.mark.parametrize("word, expected", [
    ("Hello", "Xxxxx"), ("HELLO", "XXXX"), ("1990s", "ddddx"), ("don't", "xxx'x"),
    ("U.S.", "X.X."), ("é", "x"), ("a" * 99, "xxxx"), ("a" * 100, "LONG"),
])
def test_word_shape(word, expected):
    assert word_shape(word) == expected


def test_special_norms_need_the_whole_special_case_glued():
    tagger = get_tagger()
    assert tagger.special_norms(["ca", "n't"], ["", ""]) == ["can", "not"]
    assert tagger.special_norms(["ca", "n't"], [" ", ""]) == [None, None]
    assert tagger.special_norms(["ca", "va"], ["", ""]) == [None, None]


def test_a_special_case_whose_end_piece_joins_an_affix_keeps_its_norms():
    # "ima." is cut i, m, a, "." by the special case "ima" (norms i, am, gonna), then "a" and
    # "." join into the special case "a."; spaCy keeps the norms of i and m (fuzz set s16)
    tagger = get_tagger()
    assert tagger.special_norms(["i", "m", "a."], ["", "", ""]) == ["i", "am", None]
    assert tagger.special_norms(["I", "’m", "a."], ["", "", ""]) == ["i", "am", None]
    assert tagger.special_norms(["i", "m", "ax"], ["", "", ""]) == [None, None, None]
    # ... and one whose first piece ends an emoticon (":1pm": ":" "1" "pm", then ":1" joins)
    assert tagger.special_norms([":1", "pm"], ["", ""]) == [None, "p.m."]
    assert tagger.special_norms(["<3", "am"], ["", ""]) == [None, "a.m."]
    assert tagger.special_norms(["x1", "pm"], ["", ""]) == [None, None]


# -- the interface -------------------------------------------------------------------------------
def test_get_tagger_is_cached():
    assert get_tagger() is get_tagger()


def test_one_tag_per_token_and_whitespace_tokens_are_sp():
    words = ["Hello", "  ", "world", "\n", "!"]
    tags = get_tagger().tag(words, ["", "", "", "", ""])
    assert len(tags) == len(words)
    assert tags[1] == tags[3] == SPACE_TAG


def test_empty_input():
    assert get_tagger().tag([]) == []
    assert get_tagger().tag([], []) == []
    assert get_tagger().tag_many([([], []), (["Hi"], [""])])[0] == []


def test_spaces_must_match_words():
    with pytest.raises(TaggerError):
        get_tagger().tag(["a", "b"], [" "])


# Expected tags: spaCy en_core_web_sm 3.8.0 through shared/reference/misaki_ref.py.
@pytest.mark.parametrize("words, expected", [
    (["I", "read", "it", "yesterday", "."], ["PRP", "VBP", "PRP", "NN", "."]),
    (["I", "want", "to", "go", "to", "the", "store", "."],
     ["PRP", "VBP", "TO", "VB", "IN", "DT", "NN", "."]),
    (["She", "will", "record", "a", "new", "record", "."],
     ["PRP", "MD", "VB", "DT", "JJ", "NN", "."]),
    (['"', "Hello", ",", '"', "he", "said", "."], ["``", "UH", ",", "''", "PRP", "VBD", "."]),
])
def test_tags_of_simple_sentences(words, expected):
    assert get_tagger().tag(words) == expected


def test_a_batch_tags_each_document_as_if_alone():
    """Documents in one pass do not see each other (four padding rows between them)."""
    docs = [(r["words"], r["spaces"]) for r in _slice()[:40]]
    tagger = get_tagger()
    assert tagger.tag_many(docs) == [tagger.tag(w, s) for w, s in docs]


def test_a_long_document_is_encoded_in_windows_with_the_same_tags(monkeypatch):
    records = _slice()[:60]
    words = [w for r in records for w in r["words"]]
    spaces = [s for r in records for s in r["spaces"]]
    whole = get_tagger().tag(words, spaces)
    monkeypatch.setattr(tagger_module, "_WINDOW", 7)
    assert get_tagger().tag(words, spaces) == whole


def test_tags_do_not_depend_on_the_cache(monkeypatch):
    """A cache emptied mid-batch, or a batch larger than the cache, gives the same tags."""
    docs = [(r["words"], r["spaces"]) for r in _slice()[:30]]
    fresh = load(tagger_module.data_dir("data") / tagger_module.WEIGHTS_FILE)
    expected = fresh.tag_many(docs)
    monkeypatch.setattr(tagger_module, "_CACHE_LIMIT", 50)
    small = load(tagger_module.data_dir("data") / tagger_module.WEIGHTS_FILE)
    assert small.tag_many(docs) == expected
    assert [small.tag(w, s) for w, s in docs] == expected


def test_a_full_cache_keeps_the_rows_a_batch_needs(monkeypatch):
    """Evicting keeps the rows of the tokens being tagged, wherever they are in the cache:
    here the second document's cached words come after the half of the cache that stays."""
    monkeypatch.setattr(tagger_module, "_CACHE_LIMIT", 8)
    small = load(tagger_module.data_dir("data") / tagger_module.WEIGHTS_FILE)
    fresh = load(tagger_module.data_dir("data") / tagger_module.WEIGHTS_FILE)
    docs = [("the cat sat on a mat by me".split(), None), ("a mat by me you".split(), None),
            ("a b c d e f g h i j".split(), None), ("the cat sat".split(), None)]
    for words, spaces in docs:
        assert small.tag(words, spaces) == fresh.tag(words, spaces)


def test_threads_share_one_tagger():
    docs = [(r["words"], r["spaces"], r["tags"]) for r in _slice()[:60]]
    errors = []

    def work(part):
        for words, spaces, tags in part:
            if get_tagger().tag(words, spaces) != tags:
                errors.append(words)

    threads = [threading.Thread(target=work, args=(docs[k::3],)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


@pytest.mark.parametrize("content", [b"", b"not a weight file", b"PK\x03\x04broken"])
def test_bad_weight_file_raises(tmp_path, content):
    path = tmp_path / "tagger.npz"
    path.write_bytes(content)
    with pytest.raises(TaggerError):
        load(path)


def test_a_weight_file_missing_an_array_raises(tmp_path):
    path = tmp_path / "tagger.npz"
    np.savez(path, tags=np.array(["NN"]))
    with pytest.raises(TaggerError, match="missing array"):
        load(path)


def test_weight_file_records_its_provenance():
    with np.load(tagger_module.data_dir("data") / tagger_module.WEIGHTS_FILE,
                 allow_pickle=False) as arrays:
        provenance = json.loads(str(arrays["provenance"]))
    assert "en_core_web_sm 3.8.0" in provenance["source"]
    assert "MIT" in provenance["license"]


# -- exact agreement with spaCy ------------------------------------------------------------------
def test_every_tag_of_the_slice_is_spacys():
    """350 lines of news and fortunes (7,000+ tokens), spaCy's tokens in: spaCy's tags out."""
    records = _slice()
    tagger = get_tagger()
    wrong = [(r["id"], w, t, p) for r in records
             for w, t, p in zip(r["words"], r["tags"], tagger.tag(r["words"], r["spaces"]))
             if t != p]
    assert sum(len(r["words"]) for r in records) > 7000
    assert wrong == []


def test_module_imports_no_spacy_or_thinc():
    source = Path(tagger_module.__file__).read_text(encoding="utf-8")
    for name in ("spacy", "thinc", "misaki ", "torch"):
        assert f"import {name}" not in source


def test_a_special_case_cut_out_by_infixes_keeps_its_own_norm():
    """spaCy gives "ma'am" the norm "madam" where its tokenizer takes it for the special case
    (alone, after a prefix), but not where infixes cut it out of "big—ma'am"; there its norm
    is "ma'am" and the tags change (spaCy 3.8 with en_core_web_sm, checked on the oracle:
    NNP and ',' against NN and ':')."""
    tagger = get_tagger()
    assert tagger.special_norms(["yes", "ma'am", "."], [" ", "", ""]) == [None, "madam", None]
    assert tagger.special_norms(["(", "ma'am", ")"], ["", "", ""]) == [None, "madam", None]
    words, spaces = ["big", "—", "ma'am", "-", "were", "even"], ["", "", " ", " ", " ", ""]
    assert tagger.special_norms(words, spaces) == [None] * 6
    assert tagger.tag(words, spaces) == ["JJ", ":", "NNP", ",", "VBD", "RB"]


def test_a_no_break_space_between_glued_words_is_its_own_special_case():
    """spaCy's tokens of '8:05pm\\xa0e.g.\\xa0wasn’t' (the oracle): each NBSP is a token of
    its own with the special norm '  ', and the tags follow from it."""
    tagger = get_tagger()
    words = ["8:05pm", "\xa0", "e.g.", "\xa0", "was", "n’t"]
    spaces = [""] * 6
    assert tagger.special_norms(words, spaces) == [None, "  ", None, "  ", "was", "not"]
    assert tagger.tag(words, spaces) == ["NNP", "_SP", "FW", "_SP", "VBD", "."]


def test_an_affix_bearing_special_case_after_an_infix_is_not_one():
    """"'cause" is "because" alone or after a bracket, but not where the infix "..." cut it
    out of "back...'cause" (spaCy's norms and tags, from the oracle)."""
    tagger = get_tagger()
    assert tagger.special_norms(["'cause", "it"], [" ", ""]) == ["because", None]
    assert tagger.special_norms(["(", "’Cause", "it", ")"], ["", " ", "", ""]) == [None, "because", None, None]
    words, spaces = ["back", "...", "'cause", "it"], ["", "", " ", ""]
    assert tagger.special_norms(words, spaces) == [None, None, None, None]
    assert tagger.tag(words, spaces) == ["RB", ":", "VB", "PRP"]


def test_weight_file_is_read_as_numpy_reads_it():
    path = tagger_module.data_dir("data") / tagger_module.WEIGHTS_FILE
    read = stored_arrays(path)
    assert read is not None
    with np.load(path, allow_pickle=False) as arrays:
        assert sorted(read) == sorted(arrays.files)
        for name in arrays.files:
            assert read[name].dtype == arrays[name].dtype
            assert np.array_equal(read[name], arrays[name]), name


def test_a_compressed_weight_file_is_read_by_numpy(tmp_path):
    path = tmp_path / "tagger.npz"
    with np.load(tagger_module.data_dir("data") / tagger_module.WEIGHTS_FILE,
                 allow_pickle=False) as arrays:
        np.savez_compressed(path, **{name: arrays[name] for name in arrays.files})
    assert stored_arrays(path) is None
    words = ["She", "will", "record", "a", "new", "record", "."]
    assert load(path).tag(words) == get_tagger().tag(words)


_BLAS_PROBE = """
import json, numpy
from misaki_lite.tagger import blas, get_tagger
seen = {}
with blas.one_thread():     # the first use looks for numpy's OpenBLAS
    pass
handle = blas._handle       # its (get, set) thread-count functions, or None
if handle is not None:
    get, put = handle
    seen["before"] = get()
    with blas.one_thread():
        seen["inside"] = get()
    seen["after"] = get()
    put(2)
    from misaki_lite.tagger import model
    product = model._maxout_norm
    def watched(*args):
        seen.setdefault("during_tag", set()).add(get())
        return product(*args)
    model._maxout_norm = watched
    get_tagger().tag(["Hello", "."])
    seen["during_tag"] = sorted(seen["during_tag"])
    seen["after_tag"] = get()
print(json.dumps({"handle": handle is not None, **seen}))
"""


def _blas_probe(threads):
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if threads is not None:
        env["OPENBLAS_NUM_THREADS"] = threads
    r = subprocess.run([sys.executable, "-c", _BLAS_PROBE], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_the_tagger_runs_blas_on_one_thread_and_puts_the_count_back():
    seen = _blas_probe(None)
    if not seen["handle"]:
        pytest.skip("numpy's BLAS here is not an OpenBLAS inside the numpy package")
    assert seen["inside"] == 1
    assert seen["after"] == seen["before"]
    assert seen["during_tag"] == [1]    # every product of a tagging pass, on one thread
    assert seen["after_tag"] == 2       # and the count it found put back


def test_a_users_openblas_num_threads_is_left_alone():
    assert _blas_probe("3") == {"handle": False}
