"""Write ``misaki_lite/data/rules.snapshot``: every rule file under ``rules/`` parsed, as JSON.

    python -m tools.snapshot_rules            # after editing rule files (or at release time)
    python -m tools.snapshot_rules --check    # exit 1 if a shipped rule file is not in it

``misaki_lite.rules`` reads a rule file from the snapshot when the snapshot holds the fingerprint
of its bytes (``rules.fingerprint``), and parses the YAML otherwise: a stale snapshot costs start-up time, never a wrong
rule. Only documents that JSON carries unchanged are written (str keys; str, int, float,
bool, None, lists and mappings); any other file is left to the YAML parser.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from misaki_lite import rules
from misaki_lite.resources import data_dir

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
OUT = ROOT / "misaki_lite" / "data" / rules.SNAPSHOT


def plain(value: object) -> bool:
    """Whether JSON gives ``value`` back with the same types and values."""
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    return False


def lines() -> tuple[list[str], list[str]]:
    """(snapshot lines, rule files left out), files in sorted order."""
    out, left = [], []
    for path in sorted(RULES.rglob("*.yaml")):
        name = path.relative_to(RULES).as_posix()
        raw = path.read_bytes()
        doc = rules.parse_yaml(raw, f"rules/{name}")
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
        if not plain(doc) or json.loads(text) != doc:
            left.append(name)
            continue
        out.append(f"{rules.fingerprint(raw)}\t{name}\t{text}")
    return out, left


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="only report rule files not in the snapshot")
    args = ap.parse_args(argv)
    new, left = lines()
    if args.check:
        have = set((data_dir("data") / rules.SNAPSHOT).read_text(encoding="utf-8").splitlines()) \
            if (data_dir("data") / rules.SNAPSHOT).exists() else set()
        stale = [line.split("\t")[1] for line in new if line not in have]
        for name in stale + left:
            print(f"not in the snapshot: rules/{name}")
        return 1 if stale or left else 0
    OUT.write_text("".join(line + "\n" for line in new), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(new)} files" + (f"; left to YAML: {left}" if left else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
