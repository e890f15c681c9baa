"""Adding a normalization class is one YAML file under rules/normalize/ plus one golden TSV
under golden/normalize/: shown here in temporary copies of both folders, with no code change."""
import shutil
from pathlib import Path

import pytest

from misaki_lite import en, normalize
from misaki_lite.errors import RuleFileError
from misaki_lite.normalize import classes, spans

from golden_tsv import GOLDEN, golden_lines

ROOT = Path(__file__).resolve().parent.parent

# The README's example class: a call sign said letter by letter with the radio alphabet.
CALLSIGN_YAML = """\
description: Radio call signs, said with the radio alphabet.
rules:
  - id: callsign
    priority: 7
    pattern: '\\b(?P<a>[A-Z])(?P<b>[A-Z])-(?P<n>\\d)\\b'
    say: "{a:table:radio} {b:table:radio} {n:cardinal}"
    needs: '-\\d'
    tables:
      radio: {A: alfa, B: bravo, C: charlie, D: delta, E: echo, F: foxtrot}
    examples:
      - {in: "Tower, this is AB-7.", out: "Tower, this is alfa bravo seven."}
      - {in: "See you in ab-7.", out: "See you in ab-7."}
"""
CALLSIGN_TSV = "# call signs\nCalling DE-4 now.\tCalling delta echo four now.\nA B-4 pencil.\tA B-4 pencil.\n"


@pytest.fixture
def with_callsign(tmp_path, monkeypatch):
    """rules/normalize and golden/normalize copied into tmp_path, plus the new class."""
    rules_dir, golden_dir = tmp_path / "rules", tmp_path / "golden"
    shutil.copytree(ROOT / "rules" / "normalize", rules_dir)
    shutil.copytree(GOLDEN, golden_dir)
    (rules_dir / "callsign.yaml").write_text(CALLSIGN_YAML, encoding="utf-8")
    (golden_dir / "callsign.tsv").write_text(CALLSIGN_TSV, encoding="utf-8")
    monkeypatch.setattr(spans, "all_rules", lambda: classes.rules_in(rules_dir))
    return rules_dir, golden_dir


def test_the_new_file_is_a_class(with_callsign):
    rules_dir, _ = with_callsign
    assert "callsign" in classes.class_names(rules_dir)
    assert "callsign" not in classes.CLASSES
    rule = next(r for r in classes.rules_in(rules_dir) if r.cls == "callsign")
    for example in rule.examples:
        assert normalize.to_words(example["in"], False) == example["out"]


def test_its_golden_lines_pass(with_callsign):
    _, golden_dir = with_callsign
    lines = [line for line in golden_lines(golden_dir) if line[0] == "callsign"]
    assert len(lines) == 4      # two lines, US and GB
    for _, _, text, readings, british, _ in lines:
        assert normalize.to_words(text, british) in readings


def test_the_g2p_reads_it(with_callsign):
    g2p = en.G2P()
    _, tokens = g2p("Tower, this is AB-7.")
    token = next(tk for tk in tokens if tk.text == "AB-7")
    assert token._.source == "normalize:callsign"
    assert token.phonemes == g2p("alfa bravo seven")[0]


def test_a_priority_taken_by_a_shipped_class_is_an_error(tmp_path):
    shutil.copytree(ROOT / "rules" / "normalize", tmp_path / "rules")
    taken = classes.all_rules()[0].priority
    (tmp_path / "rules" / "callsign.yaml").write_text(
        CALLSIGN_YAML.replace("priority: 7", f"priority: {taken}"), encoding="utf-8")
    with pytest.raises(RuleFileError, match="ties with"):
        classes.rules_in(tmp_path / "rules")
