"""The rule files: schema checks, and every phoneme-level example executed against G2P."""
from pathlib import Path

import pytest
import yaml

from misaki_lite import rules
from misaki_lite.errors import RuleFileError
from misaki_lite.resources import data_dir

# Rule files whose examples are sentences with the oracle's phonemes (tools/golden/bless_rule_examples.py).
PHONEME_LEVEL = ["punctuation.yaml", "symbols.yaml", "currency.yaml", "markup.yaml"]
SCHEMA = rules.Schema.of(required="word", optional="priority")
PRIORITY_SCHEMA = rules.Schema.of(required="word priority")


def _write(tmp_path: Path, doc) -> Path:
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def _doc(*rule_list):
    return {"description": "test", "rules": list(rule_list)}


def test_a_well_formed_file_loads(tmp_path):
    path = _write(tmp_path, _doc({"id": "a", "word": "x", "examples": [{"in": "x", "out": "y"}]}))
    assert rules.read(path, SCHEMA)[0]["word"] == "x"


@pytest.mark.parametrize("rule, message", [
    ({"id": "a", "word": "x", "examples": [1], "colour": "red"}, "unknown key"),
    ({"id": "a", "word": "x"}, "missing key"),
    ({"id": "a", "word": "x", "examples": []}, "non-empty list"),
    ({"id": "a", "examples": [1]}, "missing key(s) ['word']"),
    ({"word": "x", "examples": [1]}, "non-empty string 'id'"),
])
def test_bad_rules_are_errors_naming_file_and_rule(tmp_path, rule, message):
    path = _write(tmp_path, _doc(rule))
    with pytest.raises(RuleFileError) as err:
        rules.read(path, SCHEMA)
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_duplicate_ids_are_an_error(tmp_path):
    rule = {"id": "same", "word": "x", "examples": [1]}
    with pytest.raises(RuleFileError, match="duplicate id"):
        rules.read(_write(tmp_path, _doc(rule, dict(rule))), SCHEMA)


def test_priority_ties_are_an_error(tmp_path):
    a = {"id": "a", "word": "x", "priority": 10, "examples": [1]}
    b = {"id": "b", "word": "y", "priority": 10, "examples": [1]}
    with pytest.raises(RuleFileError, match="ties with rule 'a'"):
        rules.read(_write(tmp_path, _doc(a, b)), PRIORITY_SCHEMA)


def test_unknown_top_level_keys_are_an_error(tmp_path):
    doc = _doc({"id": "a", "word": "x", "examples": [1]})
    doc["extra"] = 1
    with pytest.raises(RuleFileError, match="exactly the keys"):
        rules.read(_write(tmp_path, doc), SCHEMA)


def test_invalid_yaml_is_an_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="invalid YAML"):
        rules.read(path, SCHEMA)


def test_a_file_that_is_not_utf8_is_an_error(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("rules: [caf\u00e9]\n".encode("latin-1"))
    with pytest.raises(RuleFileError, match="not UTF-8"):
        rules.read(path, SCHEMA)


def _examples(name):
    doc = yaml.safe_load((data_dir("rules") / name).read_text(encoding="utf-8"))
    for rule in doc["rules"]:
        for ex in rule["examples"]:
            yield pytest.param(ex, id=f"{name}:{rule['id']}:{ex['in'][:30]}")


@pytest.mark.parametrize("example", [p for name in PHONEME_LEVEL for p in _examples(name)])
def test_rule_examples(example, misaki_mode):
    """These are misaki's own rules: their examples hold misaki's output (normalization="misaki")."""
    g2p = misaki_mode[example.get("dialect") == "gb"]
    assert g2p(example["in"])[0] == example["out"]


@pytest.mark.parametrize("example", list(_examples("orthography.yaml")))
def test_orthography_examples(example):
    """rules/orthography.yaml: each example's text as the orthography stage leaves it."""
    from misaki_lite.text.orthography import clean

    assert clean(example["in"]) == example["out"]


def _shipped_files() -> list[Path]:
    return sorted(data_dir("rules").rglob("*.yaml"))


def test_the_snapshot_holds_every_shipped_rule_file():
    """Start-up reads the rules from the snapshot; after editing a rule file, run
    ``python -m tools.snapshot_rules`` (a stale snapshot is slower, never wrong)."""
    from tools.snapshot_rules import lines

    snapshot = (data_dir("data") / rules.SNAPSHOT).read_text(encoding="utf-8").splitlines()
    new, left = lines()
    assert left == []
    stale = [line.split("\t")[1] for line in new if line not in snapshot]
    assert stale == [], f"run: python -m tools.snapshot_rules (the snapshot lacks {stale})"


@pytest.mark.parametrize("path", _shipped_files(), ids=lambda p: p.name)
def test_a_snapshot_document_is_the_yaml_document(path):
    import json

    raw = path.read_bytes()
    known = rules._snapshot().get(rules.fingerprint(raw))
    if known is None:
        pytest.skip("not in the snapshot")
    assert json.loads(known) == rules.parse_yaml(raw, path.name)


def test_only_a_file_the_snapshot_lacks_is_parsed_as_yaml(tmp_path, monkeypatch):
    shipped = data_dir("rules") / "markup.yaml"
    edited = tmp_path / "markup.yaml"
    edited.write_bytes(shipped.read_bytes() + b"# edited\n")
    parsed = []
    parse = rules.parse_yaml
    monkeypatch.setattr(rules, "parse_yaml", lambda raw, shown: parsed.append(shown) or parse(raw, shown))
    doc = parse(shipped.read_bytes(), "m")
    schema = rules.Schema.of(optional=" ".join({k for r in doc["rules"] for k in r}))
    assert rules.read(edited, schema) == rules.read(shipped, schema)
    assert parsed == [str(edited)]
