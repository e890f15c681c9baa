"""End-to-end golden tests: misaki_lite must give misaki 0.9.4's phonemes for every golden line.

The golden files (golden/*.jsonl) hold the oracle's answers for the 3,000 dev lines and the
curated cases of golden/cases/, per dialect, with and without the eSpeak fallback. Every line
must match exactly, except the lines golden/divergences.yaml lists with a category and a reason;
a listed line that matches again is a stale entry and fails too. To see the whole picture
rather than the first failures, run ``python -m tools.golden.parity --show 50``; to re-bless after a
case file changed, see golden/README.md.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from tools.golden import parity

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden"


# tools/golden/parity.py is the golden files' library (loader, schema check, comparison)
FILES = {gf.name: gf for gf in parity.golden_files()}
SHOW = 20


def test_golden_files_present():
    expected = {f"{stem}_{d}.jsonl" for stem in ("dev", "cases") for d in ("us", "gb")}
    expected |= {f"cases_{d}_nofb.jsonl" for d in ("us", "gb")}
    assert expected <= set(FILES)


# --- the files themselves ----------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(FILES))
def test_golden_records_are_well_formed(name):
    """Each record has its fields, and its phoneme string is its tokens' phonemes joined."""
    bad = []
    for rec in parity.load_golden(FILES[name].path):
        if "oracle_error" in rec:
            continue
        joined = "".join(("❓" if p is None else p) + ws for _, _, ws, p in rec["tokens"])
        if not {"id", "text", "phonemes", "tokens"} <= set(rec) or joined != rec["phonemes"]:
            bad.append(rec.get("id", rec.get("text")))
    assert not bad, f"{name}: malformed records {bad[:SHOW]}"


def _case_lines() -> list[tuple[str, str]]:
    text_of = {}
    for path in sorted((GOLDEN / "cases").glob("*.txt")):
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            if line.strip() and line != "#" and not line.startswith("# "):
                text_of[f"{path.stem}:{n}"] = line
    return sorted(text_of.items())


@pytest.mark.parametrize("name", sorted(n for n in FILES if n.startswith("cases_")))
def test_cases_are_blessed(name):
    """The cases_*.jsonl files hold exactly the lines of golden/cases/*.txt (re-bless if not)."""
    stored = sorted((r["id"], r["text"]) for r in parity.load_golden(FILES[name].path))
    missing = sorted(set(_case_lines()) - set(stored))
    extra = sorted(set(stored) - set(_case_lines()))
    assert not missing and not extra, (
        f"{name} is out of date with golden/cases/ (run: python -m tools.golden.make_golden cases); "
        f"not blessed: {missing[:5]}, no longer in a case file: {extra[:5]}")


# --- divergences.yaml --------------------------------------------------------------------------

def test_divergences_file_is_valid():
    for div in parity.load_divergences():
        assert div.file in FILES


GOOD = {"file": "cases_us.jsonl", "id": "numbers:3", "category": "known-gap", "reason": "why"}


def _divergences_file(tmp_path, entries):
    (tmp_path / "cases_us.jsonl").write_bytes((GOLDEN / "cases_us.jsonl").read_bytes())
    path = tmp_path / "divergences.yaml"
    path.write_text(parity.yaml.safe_dump({"divergences": entries}), encoding="utf-8")
    return path


def test_divergence_loader_accepts_good_entries(tmp_path):
    bug = {**GOOD, "id": "numbers:4", "category": "misaki-bug", "expected": "ðɛɹ"}
    by_text = {**GOOD, "category": "known-gap", "text": "The room holds 150 people."}
    del by_text["id"]
    found = parity.load_divergences(_divergences_file(tmp_path, [GOOD, bug, by_text]))
    assert [(d.key, d.category, d.expected) for d in found] == [
        ("numbers:3", "known-gap", None), ("numbers:4", "misaki-bug", "ðɛɹ"),
        ("The room holds 150 people.", "known-gap", None)]


@pytest.mark.parametrize("change, message", [
    ({"category": "wontfix"}, "unknown category 'wontfix'"),
    ({"reason": None}, "'reason' is missing"),
    ({"reason": "  "}, "'reason' is missing"),
    ({"reason": "one\ntwo"}, "one line"),
    ({"id": None}, "exactly one of 'id' and 'text'"),
    ({"text": "I have 3 cats and 12 dogs."}, "exactly one of 'id' and 'text'"),
    ({"colour": "red"}, "unknown key"),
    ({"file": "nope_us.jsonl"}, "no golden file"),
    ({"id": "numbers:999"}, "has no line"),
    ({"expected": "x"}, "misaki-bug entries only"),
])
def test_divergence_loader_rejects_bad_entries(tmp_path, change, message):
    entry = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    path = _divergences_file(tmp_path, [entry])
    with pytest.raises(parity.GoldenFileError, match=message.replace("(", r"\(")):
        parity.load_divergences(path)


def test_divergence_loader_rejects_duplicates_and_bad_shape(tmp_path):
    path = _divergences_file(tmp_path, [GOOD, GOOD])
    with pytest.raises(parity.GoldenFileError, match="listed twice"):
        parity.load_divergences(path)
    path.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(parity.GoldenFileError, match="one key"):
        parity.load_divergences(path)


# --- the comparison itself --------------------------------------------------------------------

def test_word_parity_aligns_tokens_by_text():
    record = {"id": "x:1", "text": "I read it, Mr. Smith.", "phonemes": "",
              "tokens": [["I", "PRP", " ", "ˌI"], ["read", "VBD", " ", "ɹˈɛd"], ["it", "PRP", "", "ɪt"],
                         [",", ",", " ", ","], ["Mr.", "NNP", " ", "mˈɪstəɹ"], ["Smith", "NNP", "", "smˈɪθ"],
                         [".", ".", "", "."]]}
    ours = [("I", "ˌI"), ("read", "ɹˈid"), ("it", "ɪt"), (",", ","), ("Mr", "mˈɪstəɹ"), (".", ""),
            ("Smith", "smˈɪθ"), (".", ".")]
    matched, words, diffs = parity.compare(parity.Outcome(record, "", ours))
    assert (matched, words) == (3, 5)  # I, it, Smith; "read" differs, "Mr." was split
    assert diffs == ["read: ɹˈɛd -> ɹˈid", "[Mr./mˈɪstəɹ] -> [Mr/mˈɪstəɹ ./]"]


# --- misaki_lite against the oracle ------------------------------------------------------------

@pytest.fixture(scope="module")
def outcomes():
    """Run each golden file once per module; one G2P per (dialect, fallback) setting."""
    g2ps, done = {}, {}

    def get(name):
        if name not in done:
            gf = FILES[name]
            mode = (gf.british, gf.fallback)
            if mode not in g2ps:
                g2ps[mode] = parity.make_g2p(*mode)
            done[name] = parity.run(g2ps[mode], parity.load_golden(gf.path))
        return done[name]
    return get


def _listed(name):
    return [d for d in parity.load_divergences() if d.file == name]


@pytest.mark.parametrize("name", sorted(FILES))
def test_golden_file_matches_oracle(name, outcomes):
    results = outcomes(name)
    listed = _listed(name)
    failing = [o for o in results if not o.same and not any(d.matches(o.record) for d in listed)]
    if failing:
        shown = "\n".join(parity.describe(o) for o in failing[:SHOW])
        pytest.fail(f"{name}: {len(failing)} of {len(results)} lines differ from misaki 0.9.4 and "
                    f"are not in golden/divergences.yaml; first {min(SHOW, len(failing))}:\n{shown}",
                    pytrace=False)


@pytest.mark.parametrize("name", sorted(FILES))
def test_divergences_still_diverge(name, outcomes):
    listed = _listed(name)
    if not listed:
        return
    by_key = {}
    for o in outcomes(name):
        for d in listed:
            if d.matches(o.record):
                by_key[d.key] = o
    problems = []
    for d in listed:
        o = by_key[d.key]
        if o.same and d.category == "known-gap":
            problems.append(f"{d.key}: known gap now matches misaki: remove it from divergences.yaml")
        elif o.same:
            problems.append(f"{d.key}: listed as a misaki bug, but we now give misaki's output: "
                            "remove the entry or restore our reading")
        elif d.expected is not None and o.phonemes != d.expected:
            problems.append(f"{d.key}: expected our {d.expected!r}, got {o.phonemes!r}")
    if problems:
        pytest.fail(f"{name}: stale entries in golden/divergences.yaml:\n" + "\n".join(problems),
                    pytrace=False)
