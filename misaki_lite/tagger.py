"""Part-of-speech tagger that imitates spaCy en_core_web_sm's fine-grained tags (``tag_``).

misaki chooses pronunciations by tag (heteronyms such as *record* or *live*, the reduced forms
of *a*, *the*, *to*…, quotes, currency, dashes), so this stage decides much of the output.

The model is a greedy left-to-right averaged perceptron over the features defined in
:mod:`misaki_lite.tagger_features`, trained on text labelled by the real spaCy (see
``misaki_lite/data/TAGGER.md`` and ``tools/train_tagger.py``). It runs in pure Python.

    >>> from misaki_lite.tagger import get_tagger
    >>> get_tagger().tag(["She", "will", "record", "a", "new", "record", "."])
    ['PRP', 'MD', 'VB', 'DT', 'JJ', 'NN', '.']

Whitespace tokens (``" "``, ``"\\n"``) are tagged ``_SP`` and are invisible to their
neighbours' context. There is no rule for URLs or e-mail addresses: en_core_web_sm tags them
NNP or NN far more often than ``ADD``, and the model learnt what it does.

Weight file format (``data/tagger.weights``, UTF-8 text, memory-mapped: only the pages that
hold the features a text needs are ever read into memory): seven blocks separated by a line
holding only ``\x1e``:

1. the header, ``misaki-lite-tagger 4``;
2. the tag names, one a line;
3. the tag dictionary (``word<TAB>tag index``; frequent words that spaCy always tags the same
   way, which skip scoring);
4. the features, one ``name<TAB>tag weight tag weight …`` line each (integer weights, names
   free of tabs and newlines), sorted bytewise, name and tab together;
5. the word classes (``word<TAB>class``: the tags a frequent word took in training, e.g.
   ``IN/DT/WDT``; see :mod:`misaki_lite.tagger_features`), sorted the same way;
6. the features' index: the name and offset (from the block's start, hexadecimal) of every
   ``STRIDE``-th line of block 4, as ``name<TAB>offset`` lines;
7. the word classes' index, the same for block 5.

A name is found with a binary search in the index (read into memory the first time a name is
needed: a few thousand lines) and one search of at most ``STRIDE`` lines of the block: about
2 µs, where a binary search in the whole block took 18 probes and 20 µs for every new word
of a text. ``build_file`` writes the format; the sorted blocks compress as well as before.
"""
from __future__ import annotations

import mmap
import sys
import threading
from array import array
from bisect import bisect_right
from typing import Sequence

from .errors import MisakiLiteError
from .resources import data_dir
from .tokenize import is_punctuation_run
from .tagger_features import (START, sequence_views, space_codes, static_context, tag_context,
                              word_features)

WEIGHTS_FILE = "tagger.weights"
FORMAT = "misaki-lite-tagger 4"
SEPARATOR = "\n\x1e\n"
SPACE_TAG = "_SP"


# Closed-class tokens whose tag spaCy does not vary and that misaki depends on: currency symbols
# are "$" (every "$" of the dev corpus; "£" and "€" by the oracle), which is what makes misaki
# read the number after them as money. The training corpus has too few "£" and "€" to learn it.
# "and/or" is CC in 193 of its 201 labels in the training corpus (FW 4, ADD 2, NN, XX), under
# the tag dictionary's 99.5 %. Alone on a line one training run's weights said ADD, which misaki
# reads as an address ("and slash or"); the shipped ones say CC, but what a retraining says
# there is luck. FW, NN and XX read as CC does.
FIXED_TAGS = {"$": "$", "£": "$", "€": "$", "and/or": "CC"}
# A long run of punctuation, which the tokenizer keeps as one token (tokenize.PUNCTUATION_RUN),
# is tagged as spaCy tags "=====" or "!?!?!": a symbol, read as its kept punctuation.
RUN_TAG = "NFP"


class TaggerError(MisakiLiteError, ValueError):
    """The tagger's weight file is missing or malformed, or ``tag()`` got mismatched input."""


# Scoring packs a feature's weights for all tags into one Python int, one 32-bit field per tag,
# each field holding weight + _BIAS (never negative, so fields never borrow from each other).
# Adding a token's feature ints adds every tag's score at once; the sum is unpacked with
# int.to_bytes + array, all in C. Weights lie within +-_CLAMP, so a field stays in range for
# up to 2,000 features a token (there are about 40).
_FIELD = 32
_BIAS = 1 << 20
_CLAMP = _BIAS - 1
_CACHE_LIMIT = 250_000  # features (and word classes) cached after look-up; emptied when full
_BIG_ENDIAN = sys.byteorder == "big"


def _pack(text: bytes, base: int) -> int:
    """``b"3 120 5 -40"`` -> the packed int (``base`` holds _BIAS in every field).

    The weight file never holds a weight beyond +-_CLAMP (tools/train_tagger.py clamps them).
    """
    nums = text.split()
    return base + sum(int(w) << (_FIELD * int(k)) for k, w in zip(nums[0::2], nums[1::2]))


STRIDE = 64    # lines of a sorted block between two entries of its index


class SortedBlock:
    """A block of sorted ``name<TAB>value`` lines inside ``blob`` and its sparse index."""

    def __init__(self, blob: bytes | mmap.mmap, start: int, end: int, index: bytes) -> None:
        self._blob, self._start, self._end = blob, start, end
        self._index = index
        self._names: list[bytes] | None = None     # parsed on the first find
        self._offsets: list[int] = []

    def _load_index(self) -> None:
        names, offsets = [], []
        try:
            for line in self._index.split(b"\n") if self._index else []:
                name, _, offset = line.rpartition(b"\t")
                names.append(name + b"\t")
                offsets.append(self._start + int(offset, 16))
        except ValueError as exc:
            raise TaggerError(f"tagger weights: bad index line: {exc}") from exc
        if (offsets != sorted(offsets) or names != sorted(names)
                or any(not self._start <= o < self._end for o in offsets)):
            raise TaggerError("tagger weights: an index does not match its block")
        self._offsets = offsets + [self._end]
        self._names = names

    def find(self, key: bytes) -> bytes | None:
        """The rest of the line that starts with ``key`` (the name and its tab), or None."""
        if self._names is None:
            self._load_index()
        j = bisect_right(self._names, key) - 1       # the last indexed line at or before key
        if j < 0:
            return None
        lo, hi = self._offsets[j], self._offsets[j + 1]
        blob = self._blob
        if blob[lo:lo + len(key)] == key:
            pos = lo
        else:
            pos = blob.find(b"\n" + key, lo, hi)
            if pos < 0:
                return None
            pos += 1
        end = blob.find(b"\n", pos, self._end)
        return blob[pos + len(key):self._end if end < 0 else end]


def _sorted_block(lines: list[str]) -> tuple[bytes, bytes]:
    """A sorted block and its index (blocks 4 and 6, or 5 and 7) from ``name<TAB>value`` lines."""
    encoded = sorted(line.encode("utf-8", "surrogatepass") for line in lines)
    index, pos = [], 0
    for i, line in enumerate(encoded):
        if i % STRIDE == 0:
            index.append(line[:line.index(b"\t")] + b"\t" + f"{pos:x}".encode())
        pos += len(line) + 1
    return b"\n".join(encoded), b"\n".join(index)


def build_file(tags: list[str], tagdict_lines: list[str], feature_lines: list[str],
               class_lines: list[str]) -> bytes:
    """The weight file (format above) from its lines: ``word<TAB>tag index`` for the tag
    dictionary, ``name<TAB>weights`` for the features, ``word<TAB>class`` for the classes."""
    features, feature_index = _sorted_block(feature_lines)
    classes, class_index = _sorted_block(class_lines)
    head = [FORMAT, "\n".join(tags), "\n".join(tagdict_lines)]
    blocks = [b.encode("utf-8", "surrogatepass") for b in head]
    return SEPARATOR.encode().join(blocks + [features, classes, feature_index, class_index])


def read_blocks(raw: bytes) -> list[str]:
    """All seven blocks of a weight file as text (for tools; the tagger never parses it)."""
    blocks = raw.decode("utf-8", "surrogatepass").split(SEPARATOR)
    if len(blocks) != 7 or blocks[0] != FORMAT:
        raise TaggerError(f"tagger weights: expected header {FORMAT!r} and 7 blocks")
    return blocks


class Tagger:
    """A trained tagger; use :func:`get_tagger` rather than building one."""

    def __init__(self, tags: list[str], tagdict: dict[str, str], features: SortedBlock,
                 classes: SortedBlock):
        self.tags = tags
        self.tagdict = {**tagdict, **FIXED_TAGS}
        # The file stays one buffer (bytes, or the memory map): a feature line or word-class
        # line is found in its sorted block (SortedBlock.find) the first time it is needed,
        # and the answers are cached (``_weights``: packed weights, 0 for a feature the model
        # lacks; ``_classes``). Nothing is parsed at load time.
        self._features = features
        self._words = classes
        self._weights: dict[str, int] = {}
        self._classes: dict[str, str] = {}
        self._base = sum(_BIAS << (_FIELD * k) for k in range(len(tags)))
        self._nbytes = len(tags) * _FIELD // 8

    def _lookup(self, feat: str) -> int:
        """Packed weights of a feature not yet in the cache (0 if the model lacks it)."""
        found = self._features.find(feat.encode("utf-8", "surrogatepass") + b"\t")  # lone surrogates too
        packed = 0 if found is None else _pack(found, self._base)
        if len(self._weights) >= _CACHE_LIMIT:
            self._weights.clear()
        self._weights[feat] = packed
        return packed

    def word_class(self, word: str) -> str:
        """The word's tag class from the weight file (as tagger_features.classifier)."""
        cls = self._classes.get(word)
        if cls is None:
            cls = "?"
            for form in (word, word.lower()):
                found = self._words.find(form.encode("utf-8", "surrogatepass") + b"\t")
                if found is not None:
                    cls = found.decode("utf-8")
                    break
            if len(self._classes) >= _CACHE_LIMIT:
                self._classes.clear()
            self._classes[word] = cls
        return cls

    @classmethod
    def from_bytes(cls, raw: bytes | mmap.mmap) -> "Tagger":
        """A tagger over the weight file's content (bytes, or a memory map of the file)."""
        sep = SEPARATOR.encode()
        # Block starts: the three small blocks at the front by searching forwards, the two
        # indexes and the word classes at the back by searching backwards, so that the big
        # feature block is never scanned (with a memory map, never read) at load time.
        front = [0]
        for _ in range(3):
            found = raw.find(sep, front[-1])
            if found < 0:
                raise TaggerError(f"tagger weights: expected header {FORMAT!r} and 7 blocks")
            front.append(found + len(sep))
        back = [len(raw) + len(sep)]
        for _ in range(3):
            found = raw.rfind(sep, front[3], back[-1] - len(sep))
            if found < 0:
                raise TaggerError(f"tagger weights: expected header {FORMAT!r} and 7 blocks")
            back.append(found + len(sep))
        class_index, feature_index, classes = back[1], back[2], back[3]
        try:
            header, tag_block, dict_block = (raw[a:b - len(sep)].decode("utf-8")
                                             for a, b in zip(front[:3], front[1:4]))
        except UnicodeDecodeError as exc:
            raise TaggerError(f"tagger weights: bad header blocks: {exc}") from exc
        if header != FORMAT:
            raise TaggerError(f"tagger weights: expected header {FORMAT!r}, got {header[:40]!r}")
        tags = tag_block.split("\n")
        tagdict = {}
        try:
            for entry in dict_block.split("\n") if dict_block else []:
                word, _, index = entry.rpartition("\t")
                tagdict[word] = tags[int(index)]
        except (ValueError, IndexError) as exc:
            raise TaggerError(f"tagger weights: bad tag dictionary entry: {exc}") from exc
        features = SortedBlock(raw, front[3], classes - len(sep),
                               bytes(raw[feature_index:class_index - len(sep)]))
        words = SortedBlock(raw, classes, feature_index - len(sep), bytes(raw[class_index:]))
        return cls(tags, tagdict, features, words)

    def tag(self, words: Sequence[str], spaces: Sequence[str] | None = None) -> list[str]:
        """One tag per token; whitespace tokens get ``_SP``.

        ``spaces`` (optional, recommended) is the whitespace after each token, as
        ``misaki_lite.tokenize`` returns it; spaCy's tagger uses it too (opening vs closing
        quotes, dash vs hyphen). Without it the tagger still works, a little less like spaCy.
        """
        out: list[str | None] = [SPACE_TAG if not w.strip() else None for w in words]
        positions = [i for i, t in enumerate(out) if t is None]
        codes = None
        if spaces is not None:
            if len(spaces) != len(words):
                raise TaggerError(f"tag(): {len(words)} words but {len(spaces)} spaces")
            all_codes = space_codes(words, spaces)
            codes = [all_codes[i] for i in positions]
        for i, tag in zip(positions, self._tag_sequence([words[i] for i in positions], codes)):
            out[i] = tag
        return out  # type: ignore[return-value]

    def _tag_sequence(self, words: list[str], codes: list[str] | None) -> list[str]:
        """Greedy left-to-right tagging of non-space tokens."""
        views = sequence_views(words, codes, self.word_class)
        lows, amb = views[0], views[5]
        prev2 = prev = START
        result = []
        for j, word in enumerate(words):
            tag = self.tagdict.get(word)
            if tag is None and is_punctuation_run(word):
                tag = RUN_TAG
            if tag is None:
                feats = word_features(word) + tuple(static_context(views, j + 2))
                tag = self._best(feats + tuple(tag_context(lows[j + 2], prev, prev2, amb[j + 3])))
            result.append(tag)
            prev2, prev = prev, tag
        return result

    def _best(self, feats: tuple[str, ...]) -> str:
        """The highest-scoring tag for a feature list (first tag wins ties)."""
        weights = self._weights
        total = 0
        for feat in feats:
            packed = weights.get(feat)
            total += self._lookup(feat) if packed is None else packed
        if not total:
            return self.tags[0]
        scores = array("I")
        scores.frombytes(total.to_bytes(self._nbytes, "little"))
        if _BIG_ENDIAN:
            scores.byteswap()
        return self.tags[scores.index(max(scores))]


_LOCK = threading.Lock()
_TAGGER: Tagger | None = None


def get_tagger() -> Tagger:
    """The packaged tagger, loaded on first call and cached."""
    global _TAGGER
    if _TAGGER is None:
        with _LOCK:
            if _TAGGER is None:
                path = data_dir("data") / WEIGHTS_FILE
                try:
                    with open(path, "rb") as file:
                        blob = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
                    if hasattr(blob, "madvise"):  # binary search: no read-ahead around a probe
                        blob.madvise(mmap.MADV_RANDOM)
                except (OSError, ValueError) as exc:  # ValueError: an empty file
                    raise TaggerError(f"cannot read tagger weights {path}: {exc}") from exc
                _TAGGER = Tagger.from_bytes(blob)
    return _TAGGER
