"""The reviewed news lines read as they did when they were reviewed.

``tests/fixtures/news_review.jsonl`` holds news-corpus lines (``../shared/corpus/news``) read in
extended mode and reviewed by hand: the review set ``tools/golden/news_review.py`` picks, every line
where a rule fired or that holds a digit, a currency sign or an abbreviation (the tool's
``--sample`` larger than the set lists all of it). Each record keeps the words both dialects say
(``normalize.to_words``), the US phonemes and the reviewer's verdict (``right`` or ``wrong``,
with a note). A change that alters a reviewed line fails here: review the line again and
update its record (run the tool, keep the verdicts).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from misaki_lite.inventory import Dialect
from misaki_lite import normalize

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "news_review.jsonl"
CORPUS = ROOT.parent / "shared" / "corpus" / "news" / "meta.jsonl"
RECORDS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def test_every_record_has_a_verdict():
    assert RECORDS
    for rec in RECORDS:
        assert rec["verdict"] in ("right", "wrong"), rec["id"]
        assert rec["verdict"] == "right" or rec["note"], f"{rec['id']}: a wrong line needs a note"
    assert len({rec["id"] for rec in RECORDS}) == len(RECORDS)


@pytest.mark.parametrize("rec", RECORDS, ids=[rec["id"] for rec in RECORDS])
def test_reviewed_line_reads_as_reviewed(rec, g2p_us):
    assert normalize.to_words(rec["text"], False) == rec["words_us"]
    assert normalize.to_words(rec["text"], True) == (rec["words_gb"] or rec["words_us"])
    assert g2p_us(rec["text"])[0] == rec["phonemes_us"]


@pytest.mark.skipif(not CORPUS.is_file(), reason="needs ../shared/corpus/news")
def test_reviewed_lines_are_the_corpus_lines():
    texts = {}
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        texts[rec["id"]] = rec["text"]
    assert all(texts.get(rec["id"]) == rec["text"] for rec in RECORDS)


def test_the_tool_picks_fired_and_untouched_lines():
    from tools.golden import news_review as tool
    assert tool.kind("It cost $7.5 today.", normalize.find("It cost $7.5 today.", Dialect.US)) == "fired"
    assert tool.kind("It rose 5% today.", []) == "untouched"
    assert tool.kind("See cf. the notes.", []) == "untouched"
    assert tool.kind("The U.S. team won.", []) == "untouched"
    assert tool.kind("Nothing to see here.", []) == ""


@pytest.mark.skipif(not CORPUS.is_file(), reason="needs ../shared/corpus/news")
def test_the_tool_writes_records_the_test_reads(tmp_path, capsys):
    from tools.golden import news_review as tool
    corpus = tmp_path / "news"
    corpus.mkdir()
    lines = CORPUS.read_text(encoding="utf-8").splitlines()[:40]
    (corpus / "meta.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert tool.main(["--corpus", str(corpus), "--sample", "5", "--rules", "time/h-ampm"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out and {"id", "text", "kind", "rules", "words_us", "words_gb", "phonemes_us",
                    "verdict", "note"} <= set(out[0])
    assert all(rec["kind"] in ("fired", "untouched") for rec in out)
