#!/usr/bin/env python3
"""misaki 0.9.4's answers for lines of text, US and GB, with spaCy's tokens and tags.

    ~/.cache/misaki-ref/bin/python -m tools.oracle.fuzz_oracle < lines.txt > answers.jsonl
    ~/.cache/misaki-ref/bin/python -m tools.oracle.fuzz_oracle --json < texts.jsonl > answers.jsonl

Runs only in the oracle environment that ../shared/reference/setup.sh builds (it imports misaki
and spaCy; the project itself never does). One JSON object a line, in input order:
``{"text", "us", "gb", "spacy_tokens": [[text, tag, whitespace], ...]}``, where
``spacy_tokens`` are spaCy's tokens of the text after misaki's markup preprocessing (what
``tools/oracle/tagger_ceiling.read_with_tags`` takes). A line misaki raises on gets ``"error"`` in
place of the phonemes; a line that kills the process (eSpeak NG crashes natively on some
inputs) gets ``"error": "crash ..."`` and the run goes on in a new process.

``--json``: each input line is a JSON string, so a text may hold newlines and other line
breaks (a paragraph as it stands in a file).

``--tokens``: each record also holds misaki's tokens, ``us_tokens`` and ``gb_tokens``: for
each, ``TOKEN_FIELDS`` (``tools/oracle/fuzz_compare.py`` compares them with exact mode's).

``--fallback none|espeak`` (default espeak: eSpeak NG reads the words the lexicon cannot) and
``--unk STR`` (default misaki's ``❓``; kokoro's KPipeline passes ``''``): the G2P's
configuration. Each record holds them as ``"fallback"`` and ``"unk"``, and fuzz_compare builds
the same G2P from them (a record without them was made with espeak and ``❓``).
"""
import json
import subprocess
import sys

# a token's fields, as the records hold them (misaki's MToken and its ``_`` namespace)
TOKEN_FIELDS = ("text", "tag", "whitespace", "phonemes", "start_ts", "end_ts", "is_head", "alias",
                "stress", "currency", "num_flags", "prespace", "rating")


def token_fields(tk) -> list:
    """A token's TOKEN_FIELDS (misaki's or misaki_lite's)."""
    return [getattr(tk, f) if f in TOKEN_FIELDS[:6] else getattr(tk._, f) for f in TOKEN_FIELDS]


def option(name: str, default: str) -> str:
    """The value after ``--name`` on the command line, or ``default``."""
    value = sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default
    if name == "--fallback" and value not in ("none", "espeak"):
        sys.exit(f"--fallback takes none or espeak, not {value!r}")
    return value


def supervise(lines: list) -> int:
    """Run the lines in child processes, one record a line, restarting after a crash."""
    start = 0
    while start < len(lines):
        child = subprocess.run([sys.executable, __file__, "--child",
                                *(["--tokens"] if "--tokens" in sys.argv else []),
                                "--fallback", option("--fallback", "espeak"),
                                "--unk", option("--unk", "❓")], capture_output=True,
                               input="".join(json.dumps(line) + "\n" for line in lines[start:]),
                               text=True)
        done = child.stdout.split("\n")[:-1]     # not splitlines: U+2028 and U+0085 are text here
        for record in done:
            print(record, flush=True)
        start += len(done)
        if child.returncode != 0 and start < len(lines):
            print(json.dumps({"text": lines[start], "error": f"crash {child.returncode}"},
                             ensure_ascii=False), flush=True)
            start += 1
    return 0


def main() -> int:
    if "--child" not in sys.argv:
        if "--json" in sys.argv:
            return supervise([json.loads(line) for line in sys.stdin if line.strip()])
        return supervise([line.rstrip("\n") for line in sys.stdin])
    from misaki import en, espeak

    fallback, unk = option("--fallback", "espeak"), option("--unk", "❓")
    us, gb = (en.G2P(trf=False, british=b, unk=unk, fallback=espeak.EspeakFallback(british=b)
                     if fallback == "espeak" else None) for b in (False, True))
    nlp = us.nlp
    memo = {}

    def tagged(text):  # one spaCy run serves both dialects and the token record
        if text not in memo:
            memo.clear()
            memo[text] = nlp(text)
        return memo[text]

    us.nlp = gb.nlp = tagged
    for line in sys.stdin:      # one JSON string a line (supervise writes them)
        text = json.loads(line)
        rec = {"text": text, "fallback": fallback, "unk": unk}
        try:
            pre = en.G2P.preprocess(text)[0]
            rec["spacy_tokens"] = [[t.text, t.tag_, t.whitespace_] for t in tagged(pre)]
            (rec["us"], us_tokens), (rec["gb"], gb_tokens) = us(text), gb(text)
            if "--tokens" in sys.argv:
                rec["us_tokens"] = [token_fields(tk) for tk in us_tokens]
                rec["gb_tokens"] = [token_fields(tk) for tk in gb_tokens]
        except Exception as exc:  # misaki's own bugs are answers too
            rec["error"] = f"{type(exc).__name__}: {exc}"
        print(json.dumps(rec, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
