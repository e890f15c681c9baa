"""Part-of-speech tags exactly as spaCy's en_core_web_sm 3.8.0 gives them, computed with numpy.

misaki chooses pronunciations by tag (heteronyms such as *record* or *live*, the reduced forms
of *a*, *the*, *to*…, quotes, currency, dashes, how a number token is read), so this stage
decides much of the output. It is the forward pass of the two components misaki runs,
``tok2vec`` and ``tagger``, over the same weights (converted by
``tools/oracle/convert_spacy_tagger.py``; MIT licence, see NOTICE):

1. Six lexical attributes per token, as spaCy's vocabulary computes them (:func:`features`):
   NORM (a special case's norm, else the ``lexeme_norm`` table, else spaCy's base norms, else
   lower case), PREFIX (first character), SUFFIX (last three), SHAPE (``Xxxxx``, ``dd.d``),
   SPACY (a space follows) and IS_SPACE. Strings become spaCy's ids: MurmurHash64A of the
   UTF-8 bytes with seed 1, or the id of the spaCy symbol the string names, or 0 if empty.
2. Embedding: each attribute id is hashed four times (thinc's MurmurHash3 of a 64-bit key,
   one seed per attribute) into rows of its table; the four rows are summed; the six sums are
   concatenated (576), then Maxout (96 outputs, 3 pieces) and LayerNorm. This part depends
   on the token alone and is cached by token.
3. Encoding: each document is surrounded by four rows of zeros, then four residual blocks
   ``x + LayerNorm(Maxout([x[i-1], x[i], x[i+1]]))`` run over the padded rows too (the
   padding rows stop being zero after the first block and shape the windows at the edges of
   the document), and the padding is dropped.
4. The tag is the argmax of a linear layer over the 50 labels.

All arithmetic is float32, as thinc holds the weights. The four blocks see at most four
tokens to each side, so a long document is encoded in windows with a four-row margin: same
result, bounded memory.

    >>> from misaki_lite.tagger.model import get_tagger
    >>> get_tagger().tag(["She", "will", "record", "a", "new", "record", "."])
    ['PRP', 'MD', 'VB', 'DT', 'JJ', 'NN', '.']

``spaces`` (the whitespace after each token, as :func:`misaki_lite.text.tokenize.tokenize` gives
it) matters: SPACY is one of the features. numpy is imported when the tagger is first used.

Weight file (``data/tagger.npz``): an uncompressed ``.npz`` of plain arrays, read with
``allow_pickle=False``: ``embed0``-``embed5`` (rows x 96) and ``embed_seeds``;
``maxout{k}_W`` (96, 3, inputs), ``maxout{k}_b``, ``norm{k}_G``, ``norm{k}_b`` for the
embedding's layer (k = 0) and the four blocks; ``softmax_W`` (50, 96), ``softmax_b``, ``tags``;
``norm_keys``/``norm_values`` (spaCy ids: string -> norm, table and base norms merged);
``special_norms`` (``key<TAB>orth<TAB>norm<TAB>orth<TAB>norm…`` for each tokenizer special
case that sets a norm); ``symbol_names``/``symbol_ids``; ``provenance`` (JSON).
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Sequence

from ..cache import Bounded
from ..errors import MisakiLiteError
from ..resources import data_dir
from ..text.tokenize import is_punctuation_run
from . import blas
from .hashing import murmurhash64a, thinc_hash, word_shape
from .npz import stored_arrays
from .special_norms import SpecialNorms

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Tagger", "TaggerError", "get_tagger", "features", "spacy_id"]

WEIGHTS_FILE = "tagger.npz"
SPACE_TAG = "_SP"
# A long run of punctuation, which our tokenizer keeps as one token (tokenize.PUNCTUATION_RUN)
# where spaCy would cut one token a character, is tagged as spaCy tags "=====" or "!?!?!"
# (``tag_many(runs=True)``; exact mode's tokens are spaCy's, and the model tags them all).
RUN_TAG = "NFP"

_PAD = 4            # rows of zeros around each document (thinc's with_array(pad=4))
_WINDOW = 4096      # rows encoded at once (plus _PAD rows of margin on each side)
_CACHE_LIMIT = 4096     # tokens whose embedding is kept (1.5 MB); see Tagger._token_rows
_ID_LIMIT = 8192        # spaCy ids of prefixes, suffixes and shapes kept

class TaggerError(MisakiLiteError, ValueError):
    """The tagger's weight file is missing or malformed, or ``tag()`` got mismatched input."""


class Tagger:
    """The converted model; use :func:`get_tagger` rather than building one."""

    def __init__(self, arrays) -> None:
        import numpy as np

        try:
            self.tags = [str(t) for t in arrays["tags"]]
            tables = [arrays[f"embed{k}"] for k in range(6)]
            self._seeds = arrays["embed_seeds"]
            layers = [(arrays[f"maxout{k}_W"], arrays[f"maxout{k}_b"],
                       arrays[f"norm{k}_G"], arrays[f"norm{k}_b"]) for k in range(5)]
            out_W, out_b = arrays["softmax_W"], arrays["softmax_b"]
            self._symbols = dict(zip((str(s) for s in arrays["symbol_names"]),
                                     (int(i) for i in arrays["symbol_ids"])))
            self._norms = dict(zip(arrays["norm_keys"].tolist(), arrays["norm_values"].tolist()))
            specials = [str(s).split("\t") for s in arrays["special_norms"]]
        except KeyError as exc:
            raise TaggerError(f"tagger weights: missing array {exc}") from exc
        # Each layer's maxout weights as one (inputs, pieces * outputs) matrix, its columns
        # grouped by piece (thinc's are grouped by output), so that the maxout is the
        # elementwise maximum of three contiguous blocks.
        self._mats = [(np.ascontiguousarray(W.transpose(1, 0, 2).reshape(-1, W.shape[-1]).T),
                       np.ascontiguousarray(b.T).reshape(-1), G, bias)
                      for W, b, G, bias in layers]
        self._out = (np.ascontiguousarray(out_W.T), out_b)
        # the six tables one above the other (column c's row r is row _offsets[c] + r), so
        # that a token's 24 rows are one gather
        if any(t.ndim != 2 or t.shape[1] != 96 for t in tables):
            raise TaggerError("tagger weights: embedding tables are not 96 wide")
        sizes = [t.shape[0] for t in tables]
        self._table_rows = np.array(sizes, dtype=np.uint32)[:, None]                 # (6, 1)
        self._offsets = np.cumsum([0] + sizes[:-1]).astype(np.uint32)[:, None]       # (6, 1)
        self._stacked = np.empty((sum(sizes), 96), dtype=np.float32)
        for k, offset in enumerate(self._offsets[:, 0]):
            self._stacked[offset:offset + sizes[k]] = tables[k]   # then let go: never held twice
            tables[k] = None
            arrays.pop(f"embed{k}", None)                         # (load() hands its dict over)
        if len(self.tags) != out_W.shape[0] or self._mats[0][0].shape[0] != 576:
            raise TaggerError("tagger weights: layer shapes do not fit together")
        self._special_norms = SpecialNorms(specials)
        # the embedded rows of recent tokens: key -> row of _cached, and whether each row
        # was used since the cache was last full
        self._cache: dict[tuple[str, str | None, bool], int] = {}
        self._cached = np.zeros((_CACHE_LIMIT, 96), dtype=np.float32)
        self._used = np.zeros(_CACHE_LIMIT, dtype=bool)
        self._ids: Bounded = Bounded(_ID_LIMIT)
        self._lock = threading.Lock()

    # -- step 1: lexical features ------------------------------------------------------

    def spacy_id(self, text: str) -> int:
        """spaCy's id of a string: 0 if empty, a symbol's id, else its MurmurHash64A."""
        found = 0 if not text else self._symbols.get(text)
        if found is None:
            found = murmurhash64a(text.encode("utf-8", "surrogatepass"), 1)
        return found

    def _affix_id(self, text: str) -> int:
        """:meth:`spacy_id` of a prefix, suffix or shape, which repeat: remembered."""
        found = self._ids.get(text)
        if found is None:
            found = self._ids.recall(text)
        if found is None:
            found = self._ids.keep(text, self.spacy_id(text))
        return found

    def special_norms(self, words: Sequence[str], spaces: Sequence[str],
                      runs: bool = True) -> list[str | None]:
        """The norm a tokenizer special case gives each token, or None (``special_norms``)."""
        return self._special_norms(words, spaces, runs)

    def features(self, word: str, norm: str | None, space: bool) -> list[int]:
        """The six attribute ids (NORM, PREFIX, SUFFIX, SHAPE, SPACY, IS_SPACE) of a token."""
        if norm is not None:
            norm_id = self.spacy_id(norm)
        else:
            norm_id = self._norms.get(murmurhash64a(word.encode("utf-8", "surrogatepass"), 1))
            if norm_id is None:
                norm_id = self.spacy_id(word.lower())
        return [norm_id, self._affix_id(word[:1]), self._affix_id(word[-3:]),
                self._affix_id(word_shape(word)), int(space), int(word.isspace())]

    # -- step 2: the token-local embedding ---------------------------------------------

    def _embed(self, rows: list[list[int]]) -> "np.ndarray":
        """Embedding, Maxout and LayerNorm of tokens given by their six attribute ids."""
        import numpy as np

        hashed = thinc_hash(np.array(rows, dtype=np.uint64), self._seeds)   # (n, 6, 4)
        hashed %= self._table_rows                          # each column's rows
        hashed += self._offsets                             # ... in the stacked tables
        picked = self._stacked[hashed]                      # (n, 6, 4, 96)
        vec = picked[:, :, 0] + picked[:, :, 1]             # in thinc's order: ((a+b)+c)+d
        vec += picked[:, :, 2]
        vec += picked[:, :, 3]                              # (n, 6, 96): the six sums
        return _maxout_norm(vec.reshape(len(rows), 576), *self._mats[0])

    def _token_rows(self, keys: list[tuple[str, str | None, bool]]) -> "np.ndarray":
        """The embedded row of every key, computed once per key and cached.

        When the cache is full, it keeps the rows this call needs and up to half of its size
        of the rows used since it was last full (frequent words survive); the others go.
        """
        cache = self._cache
        distinct = list(dict.fromkeys(keys))
        missing = [k for k in distinct if k not in cache]
        if len(cache) + len(missing) > _CACHE_LIMIT:
            if len(distinct) > _CACHE_LIMIT:    # more distinct tokens than the cache holds
                order = {k: j for j, k in enumerate(distinct)}
                return self._embed([self.features(*k) for k in distinct])[[order[k] for k in keys]]
            self._evict([k for k in distinct if k in cache], room=len(missing))
        if missing:
            base = len(cache)
            vectors = self._embed([self.features(*k) for k in missing])
            self._cached[base:base + len(missing)] = vectors
            cache.update((k, base + j) for j, k in enumerate(missing))
        rows = [cache[k] for k in keys]
        self._used[rows] = True
        return self._cached[rows]

    def _evict(self, needed: list, room: int) -> None:
        """Keep the rows ``needed`` and, up to half of the cache, the others used since the
        last eviction (the oldest first), moved to the front, with ``room`` rows free after
        them; forget the rest."""
        cache, used = self._cache, self._used
        needed_set = set(needed)
        budget = max(0, min(_CACHE_LIMIT // 2, _CACHE_LIMIT - room - len(needed)))
        others = [k for k, row in cache.items() if used[row] and k not in needed_set][:budget]
        kept = needed + others
        rows = [cache[k] for k in kept]
        self._cached[:len(rows)] = self._cached[rows]
        cache.clear()
        cache.update((k, j) for j, k in enumerate(kept))
        used[:] = False

    def clear_cache(self) -> None:
        """Forget every cached embedding row (for benchmarks of a first pass)."""
        with self._lock:
            self._cache.clear()
            self._used[:] = False
            self._ids.clear()

    # -- steps 3 and 4 -------------------------------------------------------------------

    def _encode(self, buf: "np.ndarray") -> "np.ndarray":
        """The four residual window blocks, in place, over the rows of ``buf`` between its
        first and last row (which stay zero: the window of row i, rows i-1, i, i+1, is then
        the 288 contiguous numbers starting at ``buf[i]``).

        Block k changes rows k .. n-1-k only: the rows at the ends are padding or margin,
        whose values after block k reach no row that the next blocks compute.
        """
        import numpy as np

        n = buf.shape[0] - 2
        rows = buf[1:-1]
        for k, (W, b, G, bias) in enumerate(self._mats[1:], start=1):
            m = n - 2 * k
            if m <= 0:
                break
            # the windows, copied side by side: BLAS takes no overlapping rows, and numpy's
            # own loop is far slower
            window = np.concatenate((buf[k:k + m], buf[k + 1:k + 1 + m], buf[k + 2:k + 2 + m]), axis=1)
            rows[k:n - k] += _maxout_norm(window, W, b, G, bias)
        return rows

    def tag_many(self, docs: Sequence[tuple[Sequence[str], Sequence[str]]],
                 runs: bool = True) -> list[list[str]]:
        """Tags for several documents ``(words, spaces)`` in one pass (as spaCy's ``pipe``).
        ``runs``: a long punctuation run is tokenize's run token, tagged RUN_TAG."""
        import numpy as np

        keys: list[tuple[str, str | None, bool] | None] = [None] * _PAD    # None: a pad row
        bounds = []
        for words, spaces in docs:
            if len(spaces) != len(words):
                raise TaggerError(f"tag(): {len(words)} words but {len(spaces)} spaces")
            start = len(keys)
            norms = self.special_norms(words, spaces, runs)
            keys += [(w, n, bool(s)) for w, n, s in zip(words, norms, spaces)]
            bounds.append((start, len(keys)))
            keys += [None] * _PAD
        best = np.zeros(len(keys), dtype=np.intp)
        with self._lock, blas.one_thread():     # the cache is shared; products are small
            for lo in range(0, len(keys), _WINDOW):
                hi = min(len(keys), lo + _WINDOW)
                a, b = max(0, lo - _PAD), min(len(keys), hi + _PAD)
                buf = np.zeros((b - a + 2, 96), dtype=np.float32)
                real = [j for j in range(a, b) if keys[j] is not None]
                if real:
                    buf[[j - a + 1 for j in real]] = self._token_rows([keys[j] for j in real])
                Y = self._encode(buf)[lo - a:hi - a]
                W, bias = self._out
                scores = Y @ W
                scores += bias
                best[lo:hi] = scores.argmax(axis=1)
        out = []
        for (start, end), (words, _) in zip(bounds, docs):
            tags = [self.tags[k] for k in best[start:end]]
            out.append([RUN_TAG if runs and is_punctuation_run(w) else t
                        for w, t in zip(words, tags)])
        return out

    def tag(self, words: Sequence[str], spaces: Sequence[str] | None = None) -> list[str]:
        """One tag per token of one document. ``spaces``: the whitespace after each token
        (default: one space after each but the last)."""
        if spaces is None:
            spaces = [" "] * (len(words) - 1) + [""] if words else []
        return self.tag_many([(words, spaces)])[0] if words else []


def _maxout_norm(X: "np.ndarray", W: "np.ndarray", b: "np.ndarray", G: "np.ndarray",
                 bias: "np.ndarray") -> "np.ndarray":
    """Maxout (3 pieces, weights grouped by piece) then LayerNorm, in thinc's float32
    operations (its LayerNorm: mean and variance of each row, plus 1e-8)."""
    import numpy as np

    Y = X @ W
    Y += b
    k = Y.shape[1] // 3
    out = np.maximum(Y[:, :k], Y[:, k:2 * k])
    np.maximum(out, Y[:, 2 * k:], out=out)
    # numpy's mean and var, written out (the same operations, without their overhead)
    out -= np.add.reduce(out, axis=1, keepdims=True) / np.float32(k)
    var = np.add.reduce(out * out, axis=1, keepdims=True) / np.float32(k)
    var += 1e-08
    out *= var ** (-1.0 / 2.0)
    out *= G
    out += bias
    return out


_LOCK = threading.Lock()
_TAGGER: Tagger | None = None


def get_tagger() -> Tagger:
    """The packaged tagger, loaded on first call and cached."""
    global _TAGGER
    if _TAGGER is None:
        with _LOCK:
            if _TAGGER is None:
                _TAGGER = load(data_dir("data") / WEIGHTS_FILE)
    return _TAGGER


def load(path) -> Tagger:
    """A tagger from a weight file (format above)."""
    try:
        arrays = stored_arrays(path)
    except OSError as exc:
        raise TaggerError(f"cannot read tagger weights {path}: {exc}") from exc
    if arrays is not None:
        return Tagger(arrays)
    return _read_with_numpy(path)


def _read_with_numpy(path) -> Tagger:
    """numpy's own reader: any .npz (compressed, zip64...), and the errors of a broken file."""
    import zipfile

    import numpy as np

    try:
        with open(path, "rb") as file:
            arrays = np.load(file, allow_pickle=False)
            if not isinstance(arrays, np.lib.npyio.NpzFile):
                raise ValueError("not an .npz archive")
            with arrays:
                return Tagger({name: arrays[name] for name in arrays.files})
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise TaggerError(f"cannot read tagger weights {path}: {exc}") from exc


def features(word: str, space: bool = True, norm: str | None = None) -> list[int]:
    """The six spaCy attribute ids of a token (for tools and tests)."""
    return get_tagger().features(word, norm, space)


def spacy_id(text: str) -> int:
    """spaCy's id of a string (for tools and tests)."""
    return get_tagger().spacy_id(text)
