"""Every regular expression misaki_lite compiles is reviewed for catastrophic backtracking.

Two checks, both over the same set of patterns:

* a static review: a pattern with a nested unbounded quantifier (``(a+)+``, ``(?:x*y)*``…), the
  shape behind catastrophic backtracking, must be listed in ``REVIEWED`` with the reason it is
  safe; a new one fails until someone has looked at it;
* a dynamic check: every pattern runs ``search``, ``match``, ``fullmatch`` and ``findall`` (a
  reviewed pattern: only the operations the code applies to it) on crafted worst cases (long runs of the characters it mentions, with a character at the end
  that spoils the match) within ``PATTERN_SECONDS`` each, in a subprocess that is killed when
  a pattern hangs (a stuck ``re`` call cannot be interrupted from Python).

"Every pattern" means: the ``pattern:`` values of ``rules/**/*.yaml`` (with ``{class}``
placeholders filled by a letter class), plus every pattern that the package's modules compile
while being imported and while phonemizing a varied text in both dialects and both
normalization modes. A subprocess records them by wrapping ``re._compile`` and
``regex._compile``, and keeps those compiled from a file of misaki_lite.

Run ``python tests/test_regex_review.py list`` to see the patterns and where they come from.
"""
from __future__ import annotations

import importlib.util
import json
import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PATTERN_SECONDS = 10.0     # generous: the real figures are milliseconds (see --times)
RUN_LENGTH = 2000          # characters in a crafted worst case (exponential blow-ups show
                           # at 30; quadratic ones are timed by benchmarks/bench_adversarial.py)

# Patterns reviewed by hand: a distinctive piece of the pattern -> (why it is safe, the only
# operations the code applies to it). The dynamic check runs just those operations, and a
# nested quantifier in a pattern listed here is accepted.
REVIEWED = {
    # Domain names (rules/normalize/url.yaml host-port and domain), used with finditer: a label
    # cannot hold a ".", so each label ends at the one "." after it and a failed attempt gives
    # back whole labels only (linear); the look-behind stops a match from starting inside a run
    # of labels.
    r"(?:[A-Za-z0-9-]+\.)+": ("finditer: labels end at their dot", ("finditer",)),
    r"(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+": ("finditer: labels end at their dot", ("finditer",)),
    # misaki's sub-token pattern (misaki_lite/reading/grouping.py), used with findall on one word:
    # every alternative ends within one run of letters or digits or after a fixed character,
    # and nothing follows the repeated digit group, so a failed attempt never backtracks into
    # an earlier run.
    r"|\p{L}*?(?:['‘’]\p{L})*?\p{Ll}(?=\p{Lu})|":
        ("findall on single words", ("findall",)),
    # eSpeak punctuation runs (misaki_lite/fallback/ipa.py _MARK_RUN), used with finditer: the
    # repeated group has no failing continuation, so the first greedy attempt always succeeds.
    # (fullmatch on a run of marks followed by a letter would be exponential: never do that.)
    '(?:\\s*[;:,\\.!\\?¡¿—…"«»“”\\(\\)\\{\\}\\[\\]]+\\s*)+':
        ("finditer only; always matches", ("finditer",)),
    # spaCy's URL pattern (rules/tokenizer.yaml url, compiled by misaki_lite/text/tokenize.py), used
    # with fullmatch on the core of a whitespace-free token. fullmatch is linear (32,000
    # characters of "a.", "@", "a@" in ~20 ms); search/findall would be quadratic on "@@@...".
    "(?:[\\w+\\-.]{2,}://)?(?:\\S+@)?":
        ("fullmatch only, on whitespace-free tokens", ("fullmatch",)),
}
ALL_OPS = ("search", "match", "fullmatch", "findall")

SAMPLE_TEXT = (
    "Hello world! I don't know; it's 3:30 p.m. on 12/25/2024, isn't it? Mr. Smith paid "
    "$5.50, £3 and €1,000 for 1,000,000 e-mails to x@y.com at http://example.com/a?b=c. "
    "The U.S.A. in the 1990s: 50% of 2nd-hand GPUs' fans — “wasn’t it?” [Kokoro](/kˈOkəɹO/) "
    "[1,000](#a#) [cat](+1) camelCaseWords XMLHttpRequest 10:30am 5km 72°F ½ ² ٣ Ⅻ naïve "
    "café 日本 Привет 🙂 ... -1 +2 3.14 1e10 A-B-C co-op rock'n'roll 'tis cats' (yes) [no]"
)

# -- the worker: runs in a subprocess -----------------------------------------------------

def _record_compiles() -> list[tuple[str, str, int, str]]:
    """Wrap the compile caches of re and regex; returns the list they fill."""
    import regex

    seen: list[tuple[str, str, int, str]] = []
    # the misaki_lite that the collection imports (the checkout's or the installed one), found
    # without importing it, so that patterns compiled at import time are seen too
    package = importlib.util.find_spec("misaki_lite").submodule_search_locations[0]

    def wrap(module, engine):
        original = module._compile

        def _compile(pattern, flags, *args, **kwargs):
            compiled = original(pattern, flags, *args, **kwargs)
            if isinstance(pattern, str):
                frame = sys._getframe(1)
                while frame is not None and frame.f_code.co_filename.startswith(
                        (os.path.dirname(re.__file__), os.path.dirname(regex.__file__))):
                    frame = frame.f_back
                if frame is not None and frame.f_code.co_filename.startswith(package):
                    where = f"{os.path.relpath(frame.f_code.co_filename, os.path.dirname(package))}:{frame.f_lineno}"
                    seen.append((engine, pattern, int(compiled.flags), where))
            return compiled
        module._compile = _compile

    wrap(re, "re")
    wrap(sys.modules[regex.compile.__module__], "regex")   # regex._main
    return seen


def _engine_for(pattern: str) -> str:
    """"re" when the standard module compiles it, else "regex" (\\p{L} and friends)."""
    try:
        re.compile(pattern)
        return "re"
    except re.error:
        return "regex"


def _rule_file_patterns() -> list[tuple[str, str, int, str]]:
    """``pattern:`` values of every YAML file under rules/, placeholders filled."""
    import yaml

    found = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern" and isinstance(value, str):
                    filled = re.sub(r"\{([a-z_]+)\}", "a-zA-Z", value.strip())
                    found.append((_engine_for(filled), filled, 0, where))
                else:
                    walk(value, f"{where}:{node.get('id', key)}" if key == "pattern" else where)
        elif isinstance(node, list):
            for item in node:
                walk(item, f"{where}:{item.get('id', '?')}" if isinstance(item, dict) else where)

    for path in sorted((ROOT / "rules").rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text("utf-8")), str(path.relative_to(ROOT)))
    return found


def collect() -> list[dict]:
    """All patterns, deduplicated, with every place that compiles them."""
    import importlib
    import pkgutil

    seen = _record_compiles()
    import misaki_lite

    for info in pkgutil.walk_packages(misaki_lite.__path__, "misaki_lite."):
        try:
            importlib.import_module(info.name)
        except ImportError:       # optional extras (numpy, onnxruntime) may be missing
            pass
    try:
        from misaki_lite.config import G2PConfig
        for british in (False, True):
            for mode in ("extended", "misaki"):
                g2p = G2PConfig(british=british, normalization=mode).build()
                g2p(SAMPLE_TEXT)
    except Exception as exc:  # noqa: BLE001 - a broken pipeline still leaves patterns to check
        print(f"collect: G2P failed ({type(exc).__name__}: {exc}); lazily compiled patterns "
              "may be missing", file=sys.stderr)
    by_key: dict[tuple, dict] = {}
    for engine, pattern, flags, where in seen + _rule_file_patterns():
        entry = by_key.setdefault((engine, pattern, flags), {
            "engine": engine, "pattern": pattern, "flags": flags, "where": []})
        if where not in entry["where"]:
            entry["where"].append(where)
    return list(by_key.values())


def _alphabet(pattern: str) -> list[str]:
    """Characters worth repeating against ``pattern``: its literals and one of each class."""
    literal = [c for c in pattern if not c.isalnum() or not c.isascii()] + re.findall(
        r"(?<!\\)[a-zA-Z0-9]", pattern)
    base = list("aA0 .,-'’@/:_#+(")
    chars = []
    for c in base + literal:
        if c not in chars and c not in "\\|?*{}[]^$":
            chars.append(c)
    return chars[:40]


def worst_cases(pattern: str) -> list[str]:
    """Long runs of one or two characters, each spoilt by a final character that rarely matches."""
    chars = _alphabet(pattern)
    cases = [c * RUN_LENGTH + end for c in chars for end in ("\x00", "!")]
    few = chars[:8]
    cases += [(a + b) * (RUN_LENGTH // 2) + "\x00" for a in few for b in few if a != b]
    return cases


def check(entries: list[dict], out) -> None:
    """Run each pattern on its worst cases; print START/DONE lines for the parent to time."""
    import time

    import regex

    for i, entry in enumerate(entries):
        engine = regex if entry["engine"] == "regex" else re
        try:
            compiled = engine.compile(entry["pattern"], entry["flags"])
        except Exception as exc:  # noqa: BLE001 - reported as a failure by the parent
            print(json.dumps({"i": i, "error": f"{type(exc).__name__}: {exc}"}), file=out, flush=True)
            continue
        ops = [getattr(compiled, op if op != "finditer" else "findall")
               for op in review_of(entry["pattern"])[1]]
        print(json.dumps({"i": i, "start": True}), file=out, flush=True)
        start = time.perf_counter()
        for text in worst_cases(entry["pattern"]):
            for op in ops:
                op(text)
        print(json.dumps({"i": i, "seconds": time.perf_counter() - start}), file=out, flush=True)


def review_of(pattern: str) -> tuple[str, tuple[str, ...]]:
    """The REVIEWED entry that ``pattern`` contains, or ("", every operation)."""
    for piece, review in REVIEWED.items():
        if piece in pattern:
            return review
    return "", ALL_OPS


# -- static review ------------------------------------------------------------------------

def nested_quantifier(pattern: str) -> bool:
    """Does ``pattern`` repeat (unboundedly) something that itself repeats unboundedly?"""
    try:
        from re import _parser as sre_parse   # Python >= 3.11
    except ImportError:                       # pragma: no cover
        import sre_parse  # type: ignore[no-redef]
    # regex-module syntax that the re parser lacks: property classes become a plain class
    plain = re.sub(r"\\[pP]\{[^}]*\}|\\N\{[^}]*\}", "a", pattern)
    try:
        parsed = sre_parse.parse(plain)
    except Exception:  # noqa: BLE001 - unparseable here: flag it, a human reviews it
        return True

    def walk(items, inside_repeat):
        for op, arg in items:
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                lo, hi, body = arg
                unbounded = hi == sre_parse.MAXREPEAT or hi > 100
                if unbounded and inside_repeat:
                    return True
                if walk(body, inside_repeat or unbounded):
                    return True
            elif name == "SUBPATTERN":
                if walk(arg[-1], inside_repeat):
                    return True
            elif name == "BRANCH":
                if any(walk(b, inside_repeat) for b in arg[1]):
                    return True
            elif name in ("ASSERT", "ASSERT_NOT"):
                if walk(arg[1], inside_repeat):
                    return True
        return False

    return walk(parsed, False)


# -- the tests -----------------------------------------------------------------------------

def _worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, *args], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


@pytest.fixture(scope="module")
def patterns() -> list[dict]:
    proc = subprocess.run([sys.executable, __file__, "collect"], cwd=ROOT, text=True,
                          capture_output=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_patterns_were_found(patterns):
    """The collection sees the rule files and the modules (else the other tests prove nothing)."""
    places = " ".join(w for e in patterns for w in e["where"])
    assert "rules/markup.yaml" in places and "misaki_lite/text/markup.py" in places
    assert "misaki_lite/reading/grouping.py" in places
    assert len(patterns) >= 20


def test_nested_quantifiers_are_reviewed(patterns):
    unreviewed = [f"{e['pattern']!r} ({', '.join(e['where'])})" for e in patterns
                  if nested_quantifier(e["pattern"]) and not review_of(e["pattern"])[0]]
    assert not unreviewed, "nested quantifiers to review (add to REVIEWED with a reason):\n" + \
        "\n".join(unreviewed)


def _run_checks(entries: list[dict]) -> tuple[dict[int, float], dict[int, str]]:
    """Times per pattern index, and failures (hang or error) per index; restarts after a hang."""
    times: dict[int, float] = {}
    failures: dict[int, str] = {}
    pending = list(range(len(entries)))
    while pending:
        proc = _worker("check")
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout] + [lines.put(None)],
                         daemon=True).start()
        proc.stdin.write(json.dumps([entries[i] for i in pending]))
        proc.stdin.close()
        current = None
        while True:
            try:
                line = lines.get(timeout=PATTERN_SECONDS if current is not None else 120)
            except queue.Empty:
                proc.kill()
                proc.wait()
                if current is None:
                    raise RuntimeError("the regex worker did not start")
                failures[pending[current]] = f"no answer within {PATTERN_SECONDS} s"
                pending = pending[current + 1:]
                break
            if line is None:
                proc.wait()
                pending = []
                break
            msg = json.loads(line)
            if "error" in msg:
                failures[pending[msg["i"]]] = msg["error"]
            elif "start" in msg:
                current = msg["i"]
            else:
                times[pending[msg["i"]]] = msg["seconds"]
                current = None
    return times, failures


def test_every_pattern_is_fast_on_worst_cases(patterns):
    times, failures = _run_checks(patterns)
    report = [f"{patterns[i]['pattern']!r} ({', '.join(patterns[i]['where'])}): {why}"
              for i, why in sorted(failures.items())]
    assert not report, "patterns that hang or fail on crafted input:\n" + "\n".join(report)
    assert len(times) == len(patterns)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "list"
    if command == "collect":
        json.dump(collect(), sys.stdout)
    elif command == "check":
        check(json.load(sys.stdin), sys.stdout)
    elif command in ("list", "--times"):
        entries = collect()
        if command == "--times":
            timing, failed = _run_checks(entries)
        for k, e in enumerate(entries):
            extra = f"  {timing.get(k, float('nan')):.3f}s {failed.get(k, '')}" if command == "--times" else ""
            flag = " NESTED" if nested_quantifier(e["pattern"]) else ""
            print(f"[{e['engine']}]{flag}{extra} {e['pattern']!r}  <- {', '.join(e['where'])}")
    else:
        sys.exit("usage: test_regex_review.py [list|--times|collect|check]")
