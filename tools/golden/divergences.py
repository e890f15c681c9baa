#!/usr/bin/env python3
"""Bring golden/divergences.yaml up to date with what misaki_lite does now.

    python -m tools.golden.divergences [--check]

For every golden line where misaki_lite (default settings) differs from the oracle:

* an entry that already lists the line is kept as it is (hand-written reasons survive);
* otherwise a new entry is written: ``misaki-bug`` when ``normalization="misaki"`` gives the
  oracle's answer (the difference is one of our deliberate normalizations; the reason names
  the spans and their classes) or when every difference in that mode is an all-caps word that
  misaki spells and we read (``_spelling_fix_reason``) or misaki's ” for the apostrophe of
  "workin'" or "o'" (``_elision_fix``), or when the only difference is misaki's "asterisk"
  for emphasis asterisks that we drop (``_emphasis_fix_reason``), or when misaki glued a
  bracket spaCy did not tag as one to a word (``_bracket_fix_reason``), else
  ``known-gap`` (the reason names the first words whose tag or reading differs from the
  oracle's).

Entries whose lines match again are dropped. ``--check`` writes nothing and exits 1 when the
file would change. Review the diff: a generated reason is a starting point, not an excuse.
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

from tools.golden import parity  # noqa: E402  (the golden files' loader and runner)

from misaki_lite.inventory import Dialect
from misaki_lite.reading.lookup import Lookup  # noqa: E402
from misaki_lite.tagger.fixes import CUT_SHORT  # noqa: E402

HEADER = parity.DIVERGENCES.read_text(encoding="utf-8").split("divergences:")[0]


def _normalized_spans(tokens) -> str:
    spans = [f"{t.text!r} ({t._.source.split(':', 1)[-1]})" for t in tokens
             if (t._.source or "").startswith("normalize:") or t._.source == "dropped"]
    return "extended normalization reads " + ", ".join(spans) if spans else "extended mode differs"


def _gap_reason(record: dict, tokens) -> str:
    want = record["tokens"]
    got = [(t.text, t.tag, t.phonemes or "") for t in tokens]
    sm = difflib.SequenceMatcher(None, [w[0] for w in want], [g[0] for g in got], autojunk=False)
    notes = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for w, g in zip(want[i1:i2], got[j1:j2]):
                if (w[3] or "") == g[2]:
                    continue
                if w[1] != g[1]:
                    notes.append(f"tagger: {w[0]!r} {g[1]} where spaCy says {w[1]} ({g[2]} vs {w[3]})")
                else:
                    notes.append(f"{w[0]!r} read {g[2]} where misaki reads {w[3]}")
        else:
            theirs = " ".join(f"{w[0]}/{w[1]}" for w in want[i1:i2])
            ours = " ".join(f"{g[0]}/{g[1]}" for g in got[j1:j2])
            notes.append(f"grouped differently (tags decide the grouping): misaki [{theirs}], ours [{ours}]")
    return "; ".join(notes[:2]) or "phoneme string differs"


def _spelling_fix_reason(record: dict, phonemes: str, tokens, lookup) -> str | None:
    """The reason for a line whose every difference from the oracle is misaki spelling an
    all-caps inflection of a gold word ("ROBOTS", tagged NNP) that misaki_lite reads as a word
    (``Lookup._inflected_gold``), else None. Besides the tokens, the whole string must be the
    oracle's with those words replaced."""
    want = record["tokens"]
    got = [(t.text, t.phonemes or "") for t in tokens]
    sm = difflib.SequenceMatcher(None, [w[0] for w in want], [g[0] for g in got], autojunk=False)
    words = []
    rest, rebuilt = record["phonemes"], []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "equal":
            return None
        for w, g in zip(want[i1:i2], got[j1:j2]):
            if (w[3] or "") == g[1]:
                continue
            text, tag, ours = w[0], w[1], g[1]
            if not (tag == "NNP" and text.isupper() and w[3] == lookup.spell(text)[0]
                    and ours != w[3]
                    and lookup._inflected_gold(text.lower(), tag, None, None)[0] is not None):
                return None
            words.append(f"{text!r} ({ours} vs {w[3]})")
            head, found, rest = rest.partition(w[3])
            if not found:
                return None
            rebuilt += [head, ours]
    if not words or "".join(rebuilt) + rest != phonemes:
        return None
    return ("misaki spells an all-caps -s/-ed/-ing form of a gold word tagged NNP, whose stem it "
            "reads as a word: " + ", ".join(words))


# misaki's "asterisk" (eSpeak's reading, US and GB), said for an emphasis or a lone asterisk that
# spaCy tagged as a word; rules/normalize/symbol.yaml's rules "emphasis" and "lone-asterisk"
# drop such asterisks.
_ASTERISK = re.compile(r" ?ˈ[aæ]stəɹ+ˌɪsk ?")


def _emphasis_fix_reason(record: dict, phonemes: str, tokens) -> str | None:
    """The reason for a line whose only difference from the oracle is misaki saying "asterisk"
    for emphasis or lone asterisks that the extended mode drops, else None."""
    rules = [t._.rule for t in tokens if t._.rule in ("symbol/emphasis", "symbol/lone-asterisk")]
    if not rules or not _ASTERISK.search(record["phonemes"]):
        return None
    if _ASTERISK.sub(lambda m: " " if m.group().startswith(" ") and m.group().endswith(" ") else "",
                     record["phonemes"]) != phonemes:
        return None
    kind = "emphasis" if "symbol/lone-asterisk" not in rules else "emphasis or lone"
    return (f"misaki says 'asterisk' for {kind} asterisks spaCy tagged as words; extended "
            f"normalization drops them ({len(rules)} '*')")


def _elision_fix(record: dict, tokens) -> tuple[str | None, str | None]:
    """The oracle's phonemes as they would be if the apostrophe ending an elided word
    ("workin'", "o'"), which spaCy tagged as a closing quote and misaki writes ” for, had joined
    the word, as ``misaki_lite.tagger.fixes`` makes it: the word's reading is then ours
    (``tokens``: "o'" is "of", not the letter O). Also the reason; (None, None) if the line has
    no such apostrophe or our tokens do not hold the joined word."""
    want, out, fixed = record["tokens"], [], 0
    joined = iter([t for t in tokens if t.text.endswith("'") and len(t.text) > 1])
    for k, (text, tag, ws, ph) in enumerate(want):
        if (text == "'" and tag == "''" and ph == "”" and k and not want[k - 1][2]
                and CUT_SHORT.fullmatch(want[k - 1][0].rsplit("-", 1)[-1])):
            ours = next((t for t in joined if t.text == want[k - 1][0] + "'"), None)
            if ours is None:
                return None, None
            out[-1] = (ours.phonemes or "") + ws
            fixed += 1
        else:
            out.append((ph or "") + ws)
    if not fixed:
        return None, None
    rebuilt = "".join(out)
    return (rebuilt.strip() if record["phonemes"] == record["phonemes"].strip() else rebuilt,
            f"misaki writes a closing quote for the apostrophe ending an elided word (workin', "
            f"o'), which spaCy tagged ''; misaki_lite joins it to the word ({fixed} ')")


def _bracket_fix_reason(record: dict, tokens) -> str | None:
    """The reason for a line where misaki glued a square or curly bracket that spaCy did not
    tag as one to the word beside it ("[the", read by eSpeak with the bracket in the
    phonemes), or kept it as "[", and misaki_lite reads it as a bracket
    (``misaki_lite.tagger.fixes``), else None."""
    glued = [t for t, tag, _, _ in record["tokens"]
             if (t[0] in "[{" or t[-1] in "]}") and tag not in ("-LRB-", "-RRB-")]
    fixed = [t for t in tokens if t.text.strip() in ("[", "{", "]", "}")]
    if not glued or not fixed:
        return None
    return (f"misaki glues a bracket spaCy did not tag as one to the word beside it, or keeps "
            f"it ({glued[0]!r}: the bracket goes into the phonemes); misaki_lite reads it as a "
            f"bracket (tagger/fixes.py)")


def _entry(file: str, record: dict, category: str, reason: str) -> str:
    key = f'id: {json.dumps(record["id"])}' if "id" in record else \
        f'text: {json.dumps(record["text"], ensure_ascii=False)}'
    return (f"  - {{file: {file}, {key}, category: {category}, "
            f"reason: {json.dumps(reason[:240], ensure_ascii=False)}}}")


def _existing_lines() -> dict[tuple[str, str], str]:
    """The current entries as written, by (file, key), to keep their wording."""
    lines = {}
    for div, line in zip(parity.load_divergences(), _entry_lines()):
        lines[(div.file, div.key)] = line
    return lines


def _entry_lines() -> list[str]:
    text = parity.DIVERGENCES.read_text(encoding="utf-8").split("divergences:", 1)[1]
    return [line for line in text.splitlines() if line.startswith("  - ")]


def update() -> str:
    existing = _existing_lines()
    entries = []
    for gf in parity.golden_files():
        records = [r for r in parity.load_golden(gf.path) if "oracle_error" not in r]
        default = parity.make_g2p(gf.british, gf.fallback)
        misaki = parity.make_g2p(gf.british, gf.fallback, normalization="misaki")
        lookup = Lookup(Dialect.of(gf.british))
        for rec in records:
            phonemes, tokens = default(rec["text"])
            if phonemes == rec["phonemes"]:
                continue
            key = (gf.name, rec.get("id", rec["text"]))
            if key in existing:
                entries.append(existing[key])
                continue
            emphasis = _emphasis_fix_reason(rec, phonemes, tokens)
            if emphasis is not None:
                entries.append(_entry(gf.name, rec, "misaki-bug", emphasis))
                continue
            m_phonemes, m_tokens = misaki(rec["text"])
            elided, elision = _elision_fix(rec, m_tokens)
            spelling = (None if m_phonemes in (rec["phonemes"], elided)
                        else _spelling_fix_reason(rec, m_phonemes, m_tokens, lookup))
            if m_phonemes in (rec["phonemes"], elided) or spelling is not None:
                # misaki mode is the oracle (but for the fixes); the rest is normalization
                reasons = [spelling] if spelling else [elision] if m_phonemes == elided else []
                if phonemes != m_phonemes:
                    reasons.append(_normalized_spans(tokens))
                entries.append(_entry(gf.name, rec, "misaki-bug", "; ".join(reasons)))
            elif (bracket := _bracket_fix_reason(rec, m_tokens)) is not None:
                reasons = [bracket] + ([_normalized_spans(tokens)] if phonemes != m_phonemes else [])
                entries.append(_entry(gf.name, rec, "misaki-bug", "; ".join(reasons)))
            else:
                entries.append(_entry(gf.name, rec, "known-gap", _gap_reason(rec, m_tokens)))
    body = "divergences:\n" + "\n".join(entries) + "\n" if entries else "divergences: []\n"
    return HEADER + body


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = ap.parse_args()
    new = update()
    old = parity.DIVERGENCES.read_text(encoding="utf-8")
    if args.check:
        return int(new != old)
    parity.DIVERGENCES.write_text(new, encoding="utf-8")
    print(f"{parity.DIVERGENCES}: {new.count(chr(10) + '  - ')} entries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
