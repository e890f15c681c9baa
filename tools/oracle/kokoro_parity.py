"""kokoro 0.9.4's KPipeline on misaki_lite against the same pipeline on misaki's own tokens.

    python -m tools.oracle.kokoro_parity [--corpus ../shared/corpus/news] [--limit N] [--exact]

Needs kokoro importable (README: Use with kokoro); run in that environment. For each line of
the corpus and each of lang_code a and b: KPipeline(model=False) on the text, with misaki
aliased to misaki_lite (register_as_misaki), and KPipeline.en_tokenize on misaki 0.9.4's
tokens of the same line (reference.jsonl / reference_gb.jsonl, stored by the oracle), so both
are chunked by kokoro's own code. Prints errors, chunk counts, lines whose chunk counts differ
and lines whose chunk phonemes differ.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _reference(path: Path, limit: int | None):
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                return
            yield json.loads(line)


def _misaki_chunks(pipeline, record) -> list[str]:
    from misaki_lite.token import MToken

    tokens = [MToken(text=t, tag=tag, whitespace=ws, phonemes=ps, _=MToken.Underscore())
              for t, tag, ws, ps in record["tokens"]]
    return [ps for _, ps, _ in pipeline.en_tokenize(tokens) if ps]


def run(corpus: Path, lang: str, limit: int | None, exact: bool = False) -> dict:
    from kokoro import KPipeline

    pipeline = KPipeline(lang_code=lang, repo_id="hexgrad/Kokoro-82M", model=False)
    if exact:       # what README "Use with kokoro" says to do for misaki's exact output
        from misaki_lite import en, espeak
        british = lang == "b"
        pipeline.g2p = en.G2P(british=british, fallback=espeak.EspeakFallback(british=british),
                              unk="", mode="exact")
    name = "reference.jsonl" if lang == "a" else "reference_gb.jsonl"
    stats = {"lines": 0, "errors": 0, "ours": 0, "misaki": 0, "count_differs": 0,
             "phonemes_differ": 0, "multi": 0}
    for record in _reference(corpus / name, limit):
        if "tokens" not in record:
            continue
        stats["lines"] += 1
        try:
            ours = [r.phonemes for r in pipeline(record["text"])]
        except Exception as exc:  # noqa: BLE001 - counted and reported
            stats["errors"] += 1
            print(f"{lang} {record['id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        theirs = _misaki_chunks(pipeline, record)
        stats["ours"] += len(ours)
        stats["misaki"] += len(theirs)
        stats["multi"] += len(theirs) > 1
        stats["count_differs"] += len(ours) != len(theirs)
        stats["phonemes_differ"] += ours != theirs
    return stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "news")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--exact", action="store_true", help="the pipeline's G2P in mode='exact'")
    args = ap.parse_args(argv)
    import misaki_lite
    misaki_lite.register_as_misaki()
    for lang in ("a", "b"):
        print(lang, json.dumps(run(args.corpus, lang, args.limit, args.exact)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
