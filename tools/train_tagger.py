#!/usr/bin/env python3
"""Train the part-of-speech tagger on oracle-labelled text and write its weight file.

    python tools/train_tagger.py --labeled '/work/tagger_work/chunks/*.jsonl' \
        [--epochs 8] [--seed 13] [--out misaki_lite/data/tagger.weights]

Input: JSONL records from ``shared/reference/misaki_ref.py`` (misaki's tokens with spaCy tags).
misaki merges spaCy tokens that touch without whitespace (``do`` + ``n't`` -> ``don't``) and
keeps the tag of the heaviest piece (upper-case letters weigh 2, other characters 1). This
script re-tokenizes each line with ``misaki_lite.tokenize`` (spaCy's tokenizer rules), aligns
our tokens with misaki's by character offsets (see ``align``), gives the misaki tag to the
piece misaki's rule picked, fills the other pieces from a few near-certain rules (``n't`` ->
RB, infix ``-`` -> HYPH, ``'ll`` -> MD, …) and masks the rest: masked positions get no update
but their predicted tag still serves as history. Lines whose tokens do not spell the line are
dropped. The alignment statistics are printed as JSON at the end, with dev agreement.
"""
from __future__ import annotations

import argparse
import glob
import json
import random
import re
import sys
import time
import zlib
from array import array
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from misaki_lite.tokenize import tokenize  # noqa: E402
from misaki_lite.tagger import (_BIAS, _CLAMP, _FIELD, SEPARATOR, Tagger,  # noqa: E402
                                build_file, read_blocks)
from misaki_lite.tagger_features import (START, classifier, sequence_views,  # noqa: E402
                                         space_codes, static_context, tag_context,
                                         word_features)
from tagger_corpus import dev_ngrams, touches_dev  # noqa: E402  (tools/, beside this script)

DEV = Path(__file__).resolve().parents[2] / "shared/corpus/dev/reference.jsonl"

# -- misaki's merge rule -----------------------------------------------------------------------
_LETTER_RUN = re.compile(r"[A-Z]?[a-z]+(?:['’][a-z]+)*|[A-Z]+(?![a-z])|[0-9]+|[-_]+|.")


def piece_weight(piece: str) -> int:
    """Weight of misaki's heaviest sub-token in ``piece`` (upper-case letters count 2)."""
    subs = _LETTER_RUN.findall(piece.lstrip("'’")) or [piece]
    if piece[:1] in "'’" and len(piece) > 1:
        subs.append(piece[0])
    return max(sum(1 if c == c.lower() else 2 for c in s) for s in subs)


# -- filling the pieces misaki's merge hid ----------------------------------------------------
_FIXED = {"n't": "RB", "'ll": "MD", "'re": "VBP", "'m": "VBP", "'d": "MD",
          "ca": "MD", "wo": "MD", "sha": "MD", "ai": "VBP", "is": "VBZ", "does": "VBZ",
          "did": "VBD", "are": "VBP", "was": "VBD", "were": "VBD", "has": "VBZ", "had": "VBD",
          "could": "MD", "would": "MD", "should": "MD", "might": "MD", "must": "MD",
          "need": "VBP", "i": "PRP", "you": "PRP", "he": "PRP", "she": "PRP", "it": "PRP",
          "we": "PRP", "they": "PRP", "there": "EX", "what": "WP", "who": "WP", "where": "WRB",
          "how": "WRB", "when": "WRB", "why": "WRB", "here": "RB", "let": "VB"}
_BOUND_PREFIXES = {"non", "anti", "semi", "co", "re", "sub", "e", "mid", "super", "post", "pre",
                   "macro", "micro", "multi", "pro", "inter", "ex", "over", "under", "de", "un"}
_S_VERB_HOSTS = {"it", "he", "she", "that", "what", "who", "there", "here", "where", "how", "when",
                 "why", "this", "everything", "nothing", "anything", "which"}


def fill_label(pieces: list[str], j: int, next_tag: str | None, at_start: bool) -> str | None:
    """A near-certain spaCy tag for piece ``j`` of a merged token, or None (masked)."""
    low = pieces[j].lower().replace("’", "'")
    prev = pieces[j - 1].lower().replace("’", "'") if j else ""
    if low == "-" and 0 < j < len(pieces) - 1:
        if pieces[j - 1][-1:].isdigit() and pieces[j + 1][:1].isdigit():
            return "SYM"  # ranges: 4-27
        return None if prev in _BOUND_PREFIXES else "HYPH"  # non-linear: spaCy varies
    if low == "/" and 0 < j < len(pieces) - 1:
        return "SYM"
    if low == "'s":
        if prev == "let":
            return "PRP"
        return "VBZ" if prev in _S_VERB_HOSTS or next_tag in ("VBN", "VBG") else "POS"
    if low == "'":
        return "POS"
    if low == "'ve":
        return "VB" if prev in ("could", "would", "should", "might", "must") else "VBP"
    if low == "do" and j + 1 < len(pieces) and pieces[j + 1].lower().replace("’", "'") == "n't":
        return "VB" if at_start else "VBP"
    if j + 1 < len(pieces) and pieces[j + 1][:1] in "'’n":
        return _FIXED.get(low)
    return _FIXED.get(low) if low.startswith(("'", "n'")) else None


# misaki reads a token by itself as punctuation when spaCy gave it one of these tags (en.py's
# PUNCT_TAGS); a symbol-only token that misaki merged into the neighbouring word therefore had
# another tag ("oz" + "." tagged NNP -> "oz.", "[" tagged XX + "the" -> "[the").
MISAKI_PUNCT_TAGS = frozenset([".", ",", "-LRB-", "-RRB-", "``", '""', "''", ":", "$", "#", "NFP"])


def merged_symbol_label(piece: str, tag: str) -> str | None:
    """A tag for a symbol-only piece that misaki merged into a word, or None for a word piece.

    Which non-punctuation tag spaCy gave is unknown, but only "not punctuation" changes misaki's
    reading: brackets get XX (what spaCy gives them there), other symbols the merged token's tag
    (NN if that is itself a punctuation tag)."""
    if any(ch.isalnum() for ch in piece):
        return None
    if piece in ("[", "]"):
        return "XX"
    return tag if tag not in MISAKI_PUNCT_TAGS else "NN"


def spans(tokens) -> list[tuple[int, int, str, str]]:
    """(start, end, text, ws) of each non-space token of a ``[text, ws]`` sequence; ``ws`` also
    holds the whitespace tokens that follow (only whether it is empty matters)."""
    out, pos = [], 0
    for text, ws in tokens:
        if text.strip():
            out.append((pos, pos + len(text), text, ws))
        elif out:
            out[-1] = out[-1][:3] + (out[-1][3] + text,)
        pos += len(text) + len(ws)
    return out


def segments(ours, theirs):
    """Pair up runs of our tokens and misaki's tokens that end at the same offset."""
    i = j = 0
    while i < len(ours) and j < len(theirs):
        a, b = [ours[i]], [theirs[j]]
        i, j = i + 1, j + 1
        while a[-1][1] != b[-1][1]:
            if a[-1][1] < b[-1][1] and i < len(ours):
                a.append(ours[i])
                i += 1
            elif j < len(theirs):
                b.append(theirs[j])
                j += 1
            else:
                break
        yield a, b


def align(record: dict, stats: Counter):
    """Our tokens, their labels (None = masked) and the whitespace after each, for one oracle
    record, or None to drop it.

    Our tokens come from ``misaki_lite.tokenize``; they are matched with misaki's tokens by
    character offsets. One of ours over several of misaki's (misaki splits ``...`` into three
    ``.``) takes their tag when they agree; several of ours under one of misaki's get misaki's
    merge rule (see the module docstring); runs that cross each other are masked.
    """
    text = record["text"]
    toks = record["tokens"]
    if "".join(t[0] + t[2] for t in toks).rstrip() != text.rstrip():
        stats["lines_dropped_text_mismatch"] += 1
        return None
    ours = spans(tokenize(text))
    theirs = spans([(t[0], t[2]) for t in toks])
    tags = {(a, b): tok[1] for (a, b, _, _), tok in zip(theirs, [t for t in toks if t[0].strip()])}
    words: list[str] = []
    labels: list[str | None] = []
    spaces: list[str] = []
    for a, b in segments(ours, theirs):
        pieces = [t for _, _, t, _ in a]
        spaces += [ws for _, _, _, ws in a]
        seg_tags = [tags[(x, y)] for x, y, _, _ in b]
        if len(b) > 1 and len(a) > 1:
            stats["pieces_masked_crossing"] += len(a)
            new = [None] * len(a)
        elif len(b) > 1:
            same = len(set(seg_tags)) == 1
            stats["tokens_joined" if same else "pieces_masked_disagree"] += 1
            new = [seg_tags[0] if same else None]
        elif len(a) == 1:
            stats["tokens_direct"] += 1
            new = [seg_tags[0]]
        else:
            new = label_merged(pieces, seg_tags[0], labels, stats, b[-1][1], theirs, tags)
        words += pieces
        labels += new
    stats["lines_used"] += 1
    return words, labels, spaces


def label_merged(pieces, tag, labels, stats, end, theirs, tags) -> list[str | None]:
    """Labels for our pieces under one merged misaki token (head rule, fills, masks)."""
    stats["merged_tokens"] += 1
    weights = [piece_weight(p) for p in pieces]
    head = weights.index(max(weights))
    nxt = next((tags[(x, y)] for x, y, _, _ in theirs if x >= end), None)
    at_start = not labels or labels[-1] in (".", ":", "``", ",", "-LRB-")
    out = []
    for j in range(len(pieces)):
        label = tag if j == head else (fill_label(pieces, j, nxt, at_start)
                                       or merged_symbol_label(pieces[j], tag))
        stats["pieces_head" if j == head else
              ("pieces_filled" if label else "pieces_masked")] += 1
        out.append(label)
    return out


# -- averaged perceptron ----------------------------------------------------------------------
class AveragedPerceptron:
    """Multiclass perceptron with integer weights and lazily averaged copies.

    Besides ``weights`` (feature -> {tag index: weight}) each feature's weights are kept
    packed into one int, as the runtime tagger scores them (misaki_lite.tagger._pack), so
    predicting is a sum of a few ints.
    """

    def __init__(self, tags: list[str]):
        self.tags = tags
        self.index = {t: i for i, t in enumerate(tags)}
        self.weights: dict[str, dict[int, int]] = {}
        self._packed: dict[str, int] = {}
        self._base = sum(_BIAS << (_FIELD * k) for k in range(len(tags)))
        self._nbytes = len(tags) * _FIELD // 8
        self._totals: dict[tuple[str, int], int] = defaultdict(int)
        self._stamps: dict[tuple[str, int], int] = defaultdict(int)
        self.instances = 0

    def predict(self, feats) -> int:
        """Index of the best tag (first one wins ties, as in the runtime tagger)."""
        packed = self._packed
        total = sum([packed.get(f, 0) for f in feats])
        if not total:
            return 0
        scores = array("I")
        scores.frombytes(total.to_bytes(self._nbytes, "little"))
        return scores.index(max(scores))

    def update(self, truth: int, guess: int, feats) -> None:
        """Move weight from the guessed tag to the true one for every feature."""
        self.instances += 1
        if truth == guess:
            return
        delta = (1 << (_FIELD * truth)) - (1 << (_FIELD * guess))
        for f in feats:
            row = self.weights.setdefault(f, {})
            self._packed[f] = self._packed.get(f, self._base) + delta
            for k, step in ((truth, 1), (guess, -1)):
                key = (f, k)
                w = row.get(k, 0)
                self._totals[key] += (self.instances - self._stamps[key]) * w
                self._stamps[key] = self.instances
                row[k] = w + step

    def averaged(self) -> dict[str, dict[int, float]]:
        """The averaged weights (the model does not change)."""
        out: dict[str, dict[int, float]] = {}
        for f, row in self.weights.items():
            avg = {}
            for k, w in row.items():
                key = (f, k)
                total = self._totals[key] + (self.instances - self._stamps[key]) * w
                if total:
                    avg[k] = total / self.instances
            if avg:
                out[f] = avg
        return out


def features(views, i: int, word: str, prev: str, prev2: str) -> tuple[str, ...]:
    """The runtime tagger's features for padded position ``i`` (see misaki_lite.tagger)."""
    return (word_features(word) + tuple(static_context(views, i))
            + tuple(tag_context(views[0][i], prev, prev2, views[5][i + 1])))


def train(model: AveragedPerceptron, data, epochs: int, rng: random.Random,
          no_space_share: float, classes: dict[str, str]) -> None:
    """Greedy training; masked labels (None) get no update but their guess is history.

    A ``no_space_share`` of the sentences (drawn anew each epoch) is shown without the
    whitespace features, so the tagger also works when its caller gives no ``spaces``.
    """
    order = list(range(len(data)))
    word_class = classifier(classes)
    for epoch in range(epochs):
        rng.shuffle(order)
        right = seen = 0
        start = time.time()
        for n in order:
            words, labels, spaces = data[n]
            codes = None if rng.random() < no_space_share else space_codes(words, spaces)
            views = sequence_views(words, codes, word_class)
            prev2 = prev = START
            for j, (word, label) in enumerate(zip(words, labels)):
                feats = features(views, j + 2, word, prev, prev2)
                guess = model.predict(feats)
                if label is not None:
                    truth = model.index[label]
                    model.update(truth, guess, feats)
                    right += guess == truth
                    seen += 1
                prev2, prev = prev, model.tags[guess]
        print(f"epoch {epoch + 1}: train acc {right / seen:.4f} ({time.time() - start:.0f}s)",
              file=sys.stderr, flush=True)


# -- export -----------------------------------------------------------------------------------
def build_tagdict(data, min_count: int, min_share: float) -> dict[str, str]:
    """Words seen at least ``min_count`` times with one tag in at least ``min_share`` of them."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for words, labels, _ in data:
        for w, t in zip(words, labels):
            if t is not None:
                counts[w][t] += 1
    out = {}
    for w, c in counts.items():
        tag, n = c.most_common(1)[0]
        total = sum(c.values())
        if total >= min_count and n / total >= min_share:
            out[w] = tag
    return out


def build_classes(data, min_count: int, min_share: float, most: int = 3) -> dict[str, str]:
    """Word -> its tag class: the (at most ``most``) tags it took in at least ``min_share`` of
    its labelled occurrences, commonest first, joined by ``/``; words seen ``min_count`` times
    or more only (rarer words are ``?`` to the tagger, as unknown words are at run time)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for words, labels, _ in data:
        for w, t in zip(words, labels):
            if t is not None:
                counts[w][t] += 1
    out = {}
    for w, c in counts.items():
        total = sum(c.values())
        if total >= min_count and "\t" not in w and "\n" not in w:
            out[w] = "/".join(t for t, n in c.most_common(most) if n >= min_share * total)
    return out


def serialize(tags, tagdict, weights, scale: float, prune: int, min_feature: int,
              classes: dict[str, str]) -> bytes:
    """The weight file (format in misaki_lite.tagger's docstring): weights scaled and rounded,
    those below ``prune`` dropped, and features whose largest weight is below ``min_feature``
    (mostly rare ones) dropped."""
    lines = []
    for f, row in weights.items():
        pairs = [(k, max(-_CLAMP, min(_CLAMP, round(w * scale)))) for k, w in sorted(row.items())]
        if not pairs or max(abs(w) for _, w in pairs) < min_feature or "\n" in f or "\t" in f:
            continue
        pairs = [(k, w) for k, w in pairs if abs(w) >= prune]
        lines.append(f"{f}\t" + " ".join(f"{k} {w}" for k, w in pairs))
    index = {t: i for i, t in enumerate(tags)}
    entries = [f"{w}\t{index[t]}" for w, t in sorted(tagdict.items()) if "\n" not in w]
    words = [f"{w}\t{c}" for w, c in sorted(classes.items())]
    return build_file(list(tags), entries, lines, words)


def reprune(blob: bytes, prune: int, min_feature: int, scale: float = 1.0) -> bytes:
    """The same weight file with stricter ``prune`` and ``min_feature`` (see serialize), its
    weights multiplied by ``scale`` first (0.1 stores them in tenths of the training run's
    units: coarser, shorter numbers, so more features fit in the same size; the tagger's
    argmax does not depend on the unit; ``prune`` and ``min_feature`` are in the new unit), in the
    current format: it also converts a file of format 3 (the same blocks without the two
    indexes) or an older zlib-compressed one."""
    raw = zlib.decompress(blob) if blob[:1] == b"x" else blob
    if raw.startswith(b"misaki-lite-tagger 3" + SEPARATOR.encode()):
        header, tags, entries, lines, words = raw.decode("utf-8").split(SEPARATOR)
    else:
        header, tags, entries, lines, words, _, _ = read_blocks(raw)
    classes = dict(entry.rsplit("\t", 1) for entry in words.split("\n") if entry)
    tag_list = tags.split("\n")
    weights = {}
    for line in lines.split("\n"):
        if not line:
            continue
        name, _, value = line.partition("\t")
        nums = [int(x) for x in value.split()]
        weights[name] = dict(zip(nums[0::2], nums[1::2]))
    tagdict = {}
    for entry in entries.split("\n") if entries else []:
        word, _, index = entry.rpartition("\t")
        tagdict[word] = tag_list[int(index)]
    return serialize(tag_list, tagdict, weights, scale, prune, min_feature, classes)


# -- evaluation -------------------------------------------------------------------------------
FUNCTION_WORDS = {"a", "an", "am", "i", "by", "to", "in", "the", "used", "vs", "vs."}
QUOTE_CHARS = set('"“”\'‘’`')
DASHES = {"-", "–", "—", "--"}
CURRENCY = {"$", "£", "€"}
LEXICON = Path(__file__).resolve().parents[1] / "lexicons/us_gold.tsv"


def heteronyms(path: Path = LEXICON) -> dict[str, frozenset[str]]:
    """Gold words whose reading depends on the tag, with the tag keys of their entry."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, rest = line.partition("\t")
        if "DEFAULT=" in rest:
            out[word] = frozenset(k.split("=", 1)[0] for k in rest.split("\t"))
    return out


def parent(tag: str) -> str:
    """misaki's coarse tag for heteronym look-ups (VB* -> VERB, NN* -> NOUN, ...)."""
    for prefix, name in (("VB", "VERB"), ("NN", "NOUN"), ("RB", "ADV"), ("JJ", "ADJ")):
        if tag.startswith(prefix):
            return name
    return tag


def reading_class(words: list[str], i: int, tag: str, hetero) -> str:
    """What misaki's reading of ``words[i]`` depends on in ``tag`` (two tags with the same
    class give the same reading); see misaki's Lexicon.get_special_case and lookup."""
    w = words[i]
    low = w.lower()
    if low in FUNCTION_WORDS:
        checks = {"a": tag == "DT", "am": tag.startswith("NN"), "i": w == "I" and tag == "PRP",
                  "by": parent(tag) == "ADV", "to": w == "TO" and tag in ("TO", "IN"),
                  "in": (tag == "IN", w == "IN" and tag == "NNP"), "the": w == "THE" and tag == "DT",
                  "an": w == "AN" and tag.startswith("NN"), "used": tag in ("VBD", "JJ"),
                  "vs": tag == "IN", "vs.": tag == "IN"}
        return str(checks[low])
    entry = hetero.get(w) or hetero.get(low)
    if entry:
        return tag if tag in entry else (parent(tag) if parent(tag) in entry else "DEFAULT")
    if w and set(w) <= QUOTE_CHARS:
        return tag if tag in ("``", "''") else "other"
    if w in CURRENCY or (i and words[i - 1] in CURRENCY):
        return str(tag in ("$", "CD"))
    if w in DASHES:
        return str(tag == ":")
    if w.isalpha() and w.isupper() and len(w) > 1:
        return str(tag == "NNP")
    return str(tag == "ADD")


def tag_matters(words: list[str], i: int, gold: str, hetero) -> str | None:
    """The reason spaCy's tag of ``words[i]`` can change misaki's output, or None."""
    w = words[i]
    if w.lower() in FUNCTION_WORDS:
        return "function"
    if w in hetero or w.lower() in hetero:
        return "heteronym"
    if gold in ("``", "''") or (w and set(w) <= QUOTE_CHARS):
        return "quote"
    if gold == "$" or w in CURRENCY or (gold == "CD" and i and words[i - 1] in CURRENCY):
        return "currency"
    if w in DASHES:
        return "dash"
    if w.isalpha() and w.isupper() and len(w) > 1:
        return "allcaps"
    if gold == "ADD" or ("@" in w or "://" in w or w.startswith("www.")):
        return "address"
    return None


def evaluate(tagger: Tagger, path: Path = DEV, no_spaces: bool = False) -> dict:
    """Token agreement with spaCy's tags on the dev corpus' spacy_tokens, overall and on the
    tokens whose tag changes misaki's output (by reason)."""
    hetero = heteronyms()
    total: Counter = Counter()
    right: Counter = Counter()
    confusions: Counter = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        toks = json.loads(line)["spacy_tokens"]
        words = [t[0] for t in toks]
        spaces = None if no_spaces else [t[2] for t in toks]
        for i, pred in enumerate(tagger.tag(words, spaces)):
            gold = toks[i][1]
            reason = tag_matters(words, i, gold, hetero)
            keys = ["all"] + ([reason, "matters"] if reason else [])
            for key in keys:
                total[key] += 1
                right[key] += gold == pred
            if reason:
                same = reading_class(words, i, gold, hetero) == reading_class(words, i, pred, hetero)
                total["reading"] += 1
                right["reading"] += same
                if not same:
                    confusions[f"READING {gold}->{pred} [{reason}:{words[i]}]"] += 1
            if gold != pred:
                confusions[f"{gold}->{pred}" + (f" [{reason}:{words[i]}]" if reason else "")] += 1
    return {"agreement": {k: round(right[k] / total[k], 5) for k in total},
            "tokens": dict(total), "top_confusions": confusions.most_common(40)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labeled", default="/work/tagger_work/chunks/*.jsonl")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--scale", type=float, default=None,
                    help="weight unit: averaged weights x this when training (default 100); "
                         "with --reprune, the stored weights x this (default 1)")
    ap.add_argument("--prune", type=int, default=3, help="drop scaled weights below this")
    ap.add_argument("--min-feature", type=int, default=100,
                    help="drop features whose largest scaled weight is below this")
    ap.add_argument("--dict-min", type=int, default=20)
    ap.add_argument("--dict-share", type=float, default=0.995)
    ap.add_argument("--class-min", type=int, default=5, help="occurrences for a word class")
    ap.add_argument("--class-share", type=float, default=0.1,
                    help="share of a word's occurrences for a tag to join its class")
    ap.add_argument("--dev", type=Path, default=DEV, help="dev corpus reference.jsonl")
    ap.add_argument("--eval-only", type=Path, help="only evaluate this weight file on dev")
    ap.add_argument("--reprune", type=Path, help="re-prune this weight file with --prune into --out")
    ap.add_argument("--no-space-share", type=float, default=0.2,
                    help="share of sentences trained without whitespace features")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N lines (testing)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1]
                    / "misaki_lite/data/tagger.weights")
    args = ap.parse_args()
    if args.reprune:
        args.out.write_bytes(reprune(args.reprune.read_bytes(), args.prune, args.min_feature,
                                     1.0 if args.scale is None else args.scale))
        return
    if args.eval_only:
        tagger = Tagger.from_bytes(args.eval_only.read_bytes())
        report = evaluate(tagger, args.dev)
        report["without_spaces"] = evaluate(tagger, args.dev, no_spaces=True)["agreement"]
        print(json.dumps(report, indent=1))
        return
    stats: Counter = Counter()
    data = []
    # No line that shares a run of 6 words with a dev line is trained on: the first two builds
    # excluded the dev cookies by file and index only, and a cookie can stand in two files.
    long, short = dev_ngrams(json.loads(line)["text"] for line in open(args.dev, encoding="utf-8"))
    for path in sorted(glob.glob(args.labeled)):
        for line in open(path, encoding="utf-8"):
            record = json.loads(line)
            if touches_dev(record["text"], long, short):
                stats["lines_dropped_dev_overlap"] += 1
                continue
            aligned = align(record, stats)
            if aligned:
                data.append(aligned)
    if args.limit:
        data = data[:args.limit]
    tags = sorted({t for _, labels, _ in data for t in labels if t} | {"_SP", "ADD"})
    model = AveragedPerceptron(tags)
    classes = build_classes(data, args.class_min, args.class_share)
    train(model, data, args.epochs, random.Random(args.seed), args.no_space_share, classes)
    tagdict = build_tagdict(data, args.dict_min, args.dict_share)
    blob = serialize(tags, tagdict, model.averaged(), 100.0 if args.scale is None else args.scale,
                     args.prune, args.min_feature,
                     classes)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(blob)
    report = {"alignment": dict(stats), "train_tokens": sum(len(w) for w, _, _ in data),
              "lines": len(data), "tagdict": len(tagdict), "classes": len(classes),
              "bytes": len(blob),
              "dev": evaluate(Tagger.from_bytes(blob), args.dev),
              "dev_without_spaces": evaluate(Tagger.from_bytes(blob), args.dev,
                                             no_spaces=True)["agreement"]}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
