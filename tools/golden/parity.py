#!/usr/bin/env python3
"""How closely misaki_lite reproduces misaki 0.9.4 on the golden files: line and word parity.

    python -m tools.golden.parity [--british] [--file golden/X.jsonl ...] [--show N] [--no-fallback]
                           [--normalization MODE] [--by-class] [--json | --draft-divergences]

For each golden file it prints:

* line parity: the share of lines whose phoneme string equals the oracle's exactly;
* word parity: our tokens are aligned to the oracle's by their text (difflib); of the oracle's
  word tokens (tokens holding a letter or digit), the share whose phonemes we match. A word we
  split or merge differently counts as a miss;
* how many mismatching lines divergences.yaml does not list ("unlisted": the golden test fails
  on those), and how many listed lines now match the oracle ("stale": remove those entries).

A file's dialect and eSpeak use come from its name, ``<name>_<us|gb>[_nofb].jsonl``; without
--file the tool reads every golden file of the dialect --british selects. --no-fallback turns
eSpeak off everywhere (``_nofb`` files never use it). --draft-divergences prints, instead of
the report, a divergences.yaml entry (known-gap, the word diff as reason) for every unlisted
mismatch, for a maintainer to sort and edit. It always exits 0.

This module is also the golden files' library: tests/test_golden.py loads it for
``golden_files``, ``load_golden``, ``load_divergences`` and ``compare``. It never imports
misaki or spaCy; misaki_lite is imported only when a G2P is built.
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Optional

import yaml

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "golden"
DIVERGENCES = GOLDEN / "divergences.yaml"
CATEGORIES = {
    "misaki-bug": "misaki is wrong and misaki_lite deliberately differs",
    "known-gap": "misaki_lite is wrong and has not caught up yet",
}
_NAME = re.compile(r"^(?P<stem>\w+?)_(?P<dialect>us|gb)(?P<nofb>_nofb)?\.jsonl$")
_ENTRY_KEYS = {"file", "id", "text", "category", "reason", "expected"}



class GoldenFileError(ValueError):
    """A golden file or divergences.yaml is malformed: names the file, the entry and the fault.

    A tool's error, not the library's: this module must load even while misaki_lite does not.
    """


# --- golden files ------------------------------------------------------------------------------

@dataclass(frozen=True)
class GoldenFile:
    """One golden file and the G2P settings its answers were produced with."""

    path: Path
    british: bool
    fallback: bool

    @property
    def name(self) -> str:
        return self.path.name


def golden_file(path: Path) -> GoldenFile:
    match = _NAME.match(path.name)
    if not match:
        raise GoldenFileError(f"{path.name}: golden files are named <name>_<us|gb>[_nofb].jsonl")
    return GoldenFile(path, british=match["dialect"] == "gb", fallback=not match["nofb"])


def golden_files(golden: Path = GOLDEN) -> list[GoldenFile]:
    """Every golden file under ``golden``, in name order."""
    return [golden_file(p) for p in sorted(golden.glob("*.jsonl"))]


@cache
def _load(path: Path) -> tuple[dict, ...]:
    with path.open(encoding="utf-8") as src:
        return tuple(json.loads(line) for line in src if line.strip())


def load_golden(path: Path) -> list[dict]:
    """The records of one golden file (``id``, ``text``, ``phonemes``, ``tokens``...)."""
    return list(_load(Path(path)))


# --- divergences.yaml --------------------------------------------------------------------------

@dataclass(frozen=True)
class Divergence:
    """One golden line where misaki_lite may differ from the oracle, and why."""

    file: str
    key: str            # the record's id, or its text when the entry names the text
    category: str
    reason: str
    expected: Optional[str] = None   # misaki-bug only: the phonemes misaki_lite must give

    def matches(self, record: dict) -> bool:
        return self.key in (record.get("id"), record["text"])


def _check_entry(where: str, entry: object) -> Divergence:
    if not isinstance(entry, dict):
        raise GoldenFileError(f"{where}: an entry must be a mapping, got {entry!r}")
    unknown = set(entry) - _ENTRY_KEYS
    if unknown:
        raise GoldenFileError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_ENTRY_KEYS)}")
    for key in ("file", "category", "reason"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise GoldenFileError(f"{where}: {key!r} is missing or empty")
    if entry["category"] not in CATEGORIES:
        raise GoldenFileError(f"{where}: unknown category {entry['category']!r}; "
                              f"valid: {', '.join(CATEGORIES)}")
    if "\n" in entry["reason"].strip():
        raise GoldenFileError(f"{where}: the reason must be one line")
    if ("id" in entry) == ("text" in entry):
        raise GoldenFileError(f"{where}: give exactly one of 'id' and 'text'")
    if "expected" in entry and entry["category"] != "misaki-bug":
        raise GoldenFileError(f"{where}: 'expected' belongs to misaki-bug entries only")
    key = entry.get("id", entry.get("text"))
    if not isinstance(key, str) or not isinstance(entry.get("expected", ""), str):
        raise GoldenFileError(f"{where}: 'id', 'text' and 'expected' must be strings")
    return Divergence(entry["file"], key, entry["category"], entry["reason"].strip(),
                      entry.get("expected"))


def load_divergences(path: Path = DIVERGENCES) -> list[Divergence]:
    """Read and check divergences.yaml: ``divergences:`` is a list of entries, each with
    ``file``, ``id`` or ``text``, ``category`` (misaki-bug | known-gap), a one-line ``reason``
    and, for misaki-bug, an optional ``expected``. Each entry must name a line of an existing
    golden file, once. Any fault raises GoldenFileError naming the entry."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise GoldenFileError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or set(data) != {"divergences"} or not isinstance(data["divergences"], list):
        raise GoldenFileError(f"{path.name}: expected a mapping with one key, 'divergences: [...]'")
    found, seen = [], set()
    for n, entry in enumerate(data["divergences"], start=1):
        where = f"{path.name} entry {n}"
        div = _check_entry(where, entry)
        golden = Path(path).parent / div.file
        if not golden.is_file():
            raise GoldenFileError(f"{where}: no golden file {div.file!r}")
        if not any(div.matches(rec) for rec in load_golden(golden)):
            raise GoldenFileError(f"{where}: {div.file} has no line with id or text {div.key!r}")
        if (div.file, div.key) in seen:
            raise GoldenFileError(f"{where}: {div.file} {div.key!r} is listed twice")
        seen.add((div.file, div.key))
        found.append(div)
    return found


# --- running misaki_lite and comparing ---------------------------------------------------------

def make_g2p(british: bool, fallback: bool, **options):
    """misaki_lite's G2P with the settings the oracle used (eSpeak fallback when ``fallback``);
    ``options`` go to ``G2P`` as they are (e.g. ``normalization="misaki"``)."""
    from misaki_lite import en, espeak

    return en.G2P(british=british, fallback=espeak.EspeakFallback(british=british) if fallback else None,
                  **options)


@dataclass
class Outcome:
    """misaki_lite's answer for one golden record."""

    record: dict
    phonemes: str                       # ours; "!! <error>" when G2P raised
    tokens: list[tuple[str, str]]       # ours, (text, phonemes)

    @property
    def same(self) -> bool:
        return self.phonemes == self.record["phonemes"]


def run(g2p, records: list[dict]) -> list[Outcome]:
    """Phonemize every record's text (records the oracle crashed on are left out)."""
    outcomes = []
    for rec in records:
        if "oracle_error" in rec:
            continue
        try:
            phonemes, tokens = g2p(rec["text"])
        except Exception as exc:  # reported per line, so one bad line does not hide the rest
            outcomes.append(Outcome(rec, f"!! {type(exc).__name__}: {exc}", []))
            continue
        outcomes.append(Outcome(rec, phonemes, [(t.text, t.phonemes or "") for t in tokens]))
    return outcomes


def _is_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


def compare(outcome: Outcome) -> tuple[int, int, list[str]]:
    """Word-level comparison: (oracle words matched, oracle words, differences as text)."""
    want = [(t[0], t[3] or "") for t in outcome.record["tokens"]]
    got = outcome.tokens
    matcher = difflib.SequenceMatcher(None, [t for t, _ in want], [t for t, _ in got], autojunk=False)
    matched, diffs = 0, []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for (text, wp), (_, gp) in zip(want[i1:i2], got[j1:j2]):
                if wp == gp:
                    matched += _is_word(text)
                else:
                    diffs.append(f"{text}: {wp} -> {gp}")
        else:
            left = " ".join(f"{t}/{p}" for t, p in want[i1:i2])
            right = " ".join(f"{t}/{p}" for t, p in got[j1:j2])
            diffs.append(f"[{left}] -> [{right}]")
    return matched, sum(_is_word(t) for t, _ in want), diffs


def describe(outcome: Outcome, indent: str = "  ") -> str:
    """A compact, human-readable diff of one mismatching line."""
    rec = outcome.record
    lines = [f"{rec.get('id', '')}  {rec['text']}",
             f"{indent}want: {rec['phonemes']}", f"{indent}got:  {outcome.phonemes}"]
    words = [] if outcome.phonemes.startswith("!! ") else compare(outcome)[2]
    if words:
        lines.append(f"{indent}words: " + "; ".join(words))
    return "\n".join(lines)


# --- the report --------------------------------------------------------------------------------

def file_report(gf: GoldenFile, outcomes: list[Outcome], divergences: list[Divergence],
                show: int) -> dict:
    listed = [d for d in divergences if d.file == gf.name]
    words = [compare(o)[:2] for o in outcomes]
    same = sum(o.same for o in outcomes)
    failing = [o for o in outcomes if not o.same]
    unlisted = [o for o in failing if not any(d.matches(o.record) for d in listed)]
    stale = [d.key for d in listed if any(o.same and d.matches(o.record) for o in outcomes)]
    total_words = sum(t for _, t in words)
    classes: dict[str, list[int]] = {}
    for o in outcomes:
        if "class" in o.record:
            counts = classes.setdefault(o.record["class"], [0, 0])
            counts[0] += o.same
            counts[1] += 1
    return {
        "file": gf.name, "british": gf.british, "fallback": gf.fallback,
        "lines": len(outcomes), "lines_same": same,
        "line_parity": round(100 * same / len(outcomes), 2) if outcomes else None,
        "words": total_words, "words_same": sum(m for m, _ in words),
        "word_parity": round(100 * sum(m for m, _ in words) / total_words, 2) if total_words else None,
        "errors": sum(o.phonemes.startswith("!! ") for o in outcomes),
        "first_error": next((o.phonemes[3:] for o in outcomes if o.phonemes.startswith("!! ")), None),
        "listed": len(listed), "unlisted": len(unlisted), "stale": stale,
        "classes": {cls: {"lines": n, "lines_same": same} for cls, (same, n) in sorted(classes.items())},
        "mismatches": [{"id": o.record.get("id"), "text": o.record["text"],
                        "want": o.record["phonemes"], "got": o.phonemes,
                        "words": compare(o)[2]} for o in failing[:show]],
        "_shown": [describe(o, "    ") for o in failing[:show]],
    }


def draft_entries(gf: GoldenFile, outcomes: list[Outcome], divergences: list[Divergence]) -> list[str]:
    """divergences.yaml entries (known-gap, reason = the word diff) for unlisted mismatches."""
    listed = [d for d in divergences if d.file == gf.name]
    entries = []
    for o in outcomes:
        if o.same or any(d.matches(o.record) for d in listed):
            continue
        words = [] if o.phonemes.startswith("!! ") else compare(o)[2]
        reason = ("; ".join(words) or o.phonemes)[:200]
        key = f'id: {json.dumps(o.record["id"])}' if "id" in o.record else f'text: {json.dumps(o.record["text"], ensure_ascii=False)}'
        entries.append(f"  - {{file: {gf.name}, {key}, category: known-gap, "
                       f"reason: {json.dumps(reason, ensure_ascii=False)}}}")
    return entries


def print_classes(report: dict) -> None:
    print(f"\n{report['file']}: line parity per class")
    for cls, counts in report["classes"].items():
        print(f"  {cls:<18} {counts['lines_same']:>4}/{counts['lines']:<4} "
              f"{100 * counts['lines_same'] / counts['lines']:6.1f}%")


def print_table(reports: list[dict], by_class: bool) -> None:
    print(f"{'file':<22} {'lines':>6} {'line parity':>11} {'words':>7} {'word parity':>11} "
          f"{'errors':>6} {'unlisted':>8} {'stale':>5}")
    for r in reports:
        lp = "-" if r["line_parity"] is None else f"{r['line_parity']:.2f}%"
        wp = "-" if r["word_parity"] is None else f"{r['word_parity']:.2f}%"
        print(f"{r['file']:<22} {r['lines']:>6} {lp:>11} {r['words']:>7} {wp:>11} "
              f"{r['errors']:>6} {r['unlisted']:>8} {len(r['stale']):>5}")
    for r in reports:
        if r["errors"]:
            print(f"{r['file']}: G2P raised on {r['errors']} lines; first: {r['first_error']}")
    for r in reports:
        if by_class and r["classes"]:
            print_classes(r)
    for r in reports:
        if r["_shown"]:
            print(f"\n{r['file']}: first {len(r['_shown'])} mismatching lines")
            for text in r["_shown"]:
                print("  " + text)


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--british", action="store_true", help="the GB golden files (default: US)")
    ap.add_argument("--file", nargs="+", type=Path, help="golden files to check (default: all of the dialect)")
    ap.add_argument("--show", type=int, default=0, metavar="N", help="print the first N mismatching lines")
    ap.add_argument("--no-fallback", action="store_true", help="run without the eSpeak fallback")
    ap.add_argument("--normalization", metavar="MODE",
                    help="passed to G2P(normalization=MODE), e.g. misaki (default: G2P's own)")
    ap.add_argument("--by-class", action="store_true", help="line parity per case class too")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--draft-divergences", action="store_true",
                    help="print divergences.yaml entries for the unlisted mismatches instead")
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = _parser()
    args = ap.parse_args(argv)
    missing = [str(p) for p in args.file or () if not p.is_file()]
    if missing:
        ap.error(f"no such file: {', '.join(missing)}")
    try:
        files = [golden_file(p) for p in args.file] if args.file else \
            [gf for gf in golden_files() if gf.british == args.british]
        divergences = load_divergences() if DIVERGENCES.exists() else []
    except GoldenFileError as exc:
        ap.error(str(exc))
    options = {"normalization": args.normalization} if args.normalization else {}
    g2ps: dict[tuple[bool, bool], object] = {}
    reports, drafts = [], []
    for gf in files:
        mode = (gf.british, gf.fallback and not args.no_fallback)
        if mode not in g2ps:
            g2ps[mode] = make_g2p(*mode, **options)
        g2p = g2ps[mode]
        outcomes = run(g2p, load_golden(gf.path))
        reports.append(file_report(gf, outcomes, divergences, args.show))
        drafts += draft_entries(gf, outcomes, divergences) if args.draft_divergences else []
    if args.draft_divergences:
        print("divergences:\n" + "\n".join(drafts) if drafts else "divergences: []")
    elif args.json:
        print(json.dumps([{k: v for k, v in r.items() if not k.startswith("_")} for r in reports],
                         ensure_ascii=False, indent=1))
    else:
        print_table(reports, args.by_class)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # piped into head: stop quietly
        sys.stderr.close()
        sys.exit(0)
