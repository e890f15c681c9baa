"""The tokenizer stage: spaCy-compatible cuts, from the rule files' examples and golden cases.

Expected outputs come from the oracle (spaCy 3.8.18, en_core_web_sm 3.8.0): the `examples:` of
rules/tokenizer*.yaml and golden/tokenizer_cases.tsv. tools/oracle/tokenizer_parity.py measures the
agreement over the whole dev corpus.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from misaki_lite import rules
from misaki_lite.text import tokenize as tokenize_module, tokenizer_rules
from misaki_lite.errors import InputError, RuleFileError
from misaki_lite.text.tokenize import tokenize

from strategies import any_text, english_like

RULE_FILES = {
    "tokenizer.yaml": tokenizer_rules._AFFIX_SCHEMA,
    "tokenizer_classes.yaml": tokenizer_rules._CLASS_SCHEMA,
    "tokenizer_special.yaml": tokenizer_rules._SPECIAL_SCHEMA,
}


def _examples():
    for name, schema in RULE_FILES.items():
        for rule in rules.load(name, schema):
            for i, example in enumerate(rule["examples"]):
                yield pytest.param(example["in"], example["out"], id=f"{name}:{rule['id']}:{i}")


def _golden():
    path = Path(__file__).resolve().parent.parent / "golden" / "tokenizer_cases.tsv"
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.startswith("#") or not line.strip():
                continue
            cls, text, expected = line.rstrip("\n").split("\t")
            pairs = [tuple(pair) for pair in json.loads(expected)]
            yield pytest.param(json.loads(text), pairs, id=f"{cls}:{n}")


def _texts(text: str) -> list[str]:
    return [tok for tok, _ in tokenize(text)]


@pytest.mark.parametrize("text, expected", list(_examples()))
def test_rule_examples(text, expected):
    assert _texts(text) == expected


@pytest.mark.parametrize("text, expected", list(_golden()))
def test_golden_cases(text, expected):
    assert tokenize(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("a  b", [("a", " "), (" ", ""), ("b", "")]),
    (" a", [(" ", ""), ("a", "")]),
    ("a ", [("a", " ")]),
    ("a\n b", [("a", ""), ("\n ", ""), ("b", "")]),
    ("a \tb", [("a", " "), ("\t", ""), ("b", "")]),
    ("", []),
])
def test_whitespace_becomes_trailing_space_or_its_own_token(text, expected):
    assert tokenize(text) == expected


def test_the_docstring_example():
    assert tokenize("I can't  go.") == [
        ("I", " "), ("ca", ""), ("n't", " "), (" ", ""), ("go", ""), (".", "")]


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, english_like))
def test_tokens_and_whitespace_give_back_the_input(text):
    pairs = tokenize(text)
    assert "".join(tok + ws for tok, ws in pairs) == text
    assert all(tok for tok, _ in pairs)
    assert all(ws in ("", " ") for _, ws in pairs)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(list("([{'\"-.,:;!?)]}…—$%@/+*^=<>~_#&°©") + ["a", "B", "1", "'s", "n't"]),
                max_size=40).map("".join))
def test_punctuation_soup_round_trips(text):
    assert "".join(tok + ws for tok, ws in tokenize(text)) == text


# A guard against catastrophic backtracking, not a benchmark: each case takes well under 2 s
# on the development machine; a quadratic blow-up would take minutes to hours.
@pytest.mark.parametrize("text", [
    "[[((--''" * 125_000,       # 1 MB of openers, dashes and quotes
    "a" * 100_000,              # one long word
    "." * 1_000_000,            # one run of dots
    "a:" * 50_000,              # infixes everywhere
    "a@" * 50_000 + ".com",     # an e-mail address gone wrong
    "http://" + "a.b-" * 25_000,
], ids=["brackets", "letters", "dots", "colons", "at-signs", "url"])
def test_long_inputs_stay_roughly_linear(text):
    start = time.perf_counter()
    pairs = tokenize(text)
    assert time.perf_counter() - start < 30
    assert "".join(tok + ws for tok, ws in pairs) == text


def test_fixed_prefixes_and_suffixes_fit_the_search_window():
    limit = tokenize_module._WINDOW - tokenize_module._MARGIN
    for rule in rules.load("tokenizer.yaml", tokenizer_rules._AFFIX_SCHEMA):
        if rule["kind"] in ("prefix", "suffix"):
            assert all(len(lit) <= limit for lit in rule.get("literals", [])), rule["id"]


def test_text_that_is_not_a_string_is_an_input_error():
    with pytest.raises(InputError):
        tokenize(b"bytes")


def test_a_special_case_that_does_not_spell_its_key_is_an_error(monkeypatch):
    bad = ({"id": "x", "cases": {"don't": "do not"}, "examples": [1]},)
    monkeypatch.setattr(tokenizer_rules, "load", lambda name, schema: bad)
    with pytest.raises(RuleFileError, match="does not spell"):
        tokenizer_rules._load_specials()


def test_an_unknown_class_in_a_pattern_is_an_error():
    rule = {"id": "r", "kind": "infix", "priority": 1, "pattern": "[{nonsense}]", "examples": [1]}
    with pytest.raises(RuleFileError, match="unknown class"):
        tokenizer_rules._rule_regex(rule, tokenizer_rules._class_bodies())


def test_an_infix_pattern_must_say_where_it_starts():
    rule = {"id": "r", "kind": "infix", "priority": 1, "pattern": "x", "examples": [1]}
    with pytest.raises(RuleFileError, match="starts"):
        tokenizer_rules._first_chars(rule)


def test_what_every_url_needs_holds():
    """The url rule's ``needs`` lets a core without it skip the URL pattern: no URL-like core
    of the examples or the golden dev texts matches once that character is taken out."""
    t = tokenizer_rules.tables()
    root = Path(__file__).resolve().parent.parent
    texts = [json.loads(line)["text"]
             for line in (root / "golden" / "dev_us.jsonl").read_text(encoding="utf-8").splitlines()]
    texts += [text for text, _ in (p.values[:2] for p in _examples())]
    chunks = {chunk for text in texts for chunk in text.split() if t.url_needs in chunk}
    assert t.url_needs and chunks
    for chunk in chunks:
        for core in (chunk, chunk.strip("()[]<>\"',;:!?")):
            assert not t.url.fullmatch(core.replace(t.url_needs, "")), core
