"""Write ``misaki_lite/data/tagger.npz`` from spaCy's en_core_web_sm 3.8.0.

Runs in the oracle environment only (``../shared/reference/setup.sh``), the one place where
spaCy and thinc are imported:

    ~/.cache/misaki-ref/bin/python -m tools.oracle.convert_spacy_tagger [--out PATH] [--check]

It reads the weights of the two components misaki runs (``tok2vec`` and ``tagger``) off the
loaded thinc model, and the data that spaCy needs to compute the model's input features:
the ``lexeme_norm`` table of the model's vocabulary, spaCy's base norms, the string-store
symbols (a string that names a spaCy symbol has the symbol's id instead of its hash) and the
norms that the tokenizer's special cases set. Everything goes into one uncompressed ``.npz``
of plain arrays (numbers and fixed-width Unicode, nothing pickled), read by
:mod:`misaki_lite.tagger.model` with ``allow_pickle=False``. The array names and meanings are
listed in that module's docstring.

To check the result, ``python -m tools.golden.corpus_parity`` (in the project's environment) tags
spaCy's own tokens of the shared corpora and compares with the tags spaCy gave them.

en_core_web_sm is MIT-licensed (Copyright ExplosionAI GmbH); see NOTICE.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "misaki_lite" / "data" / "tagger.npz"


def _layers(model, name: str) -> list:
    return [node for node in model.walk() if node.name == name]


def _tok2vec_arrays(nlp) -> dict[str, np.ndarray]:
    t2v = nlp.get_pipe("tok2vec").model
    out: dict[str, np.ndarray] = {}
    embeds = sorted(_layers(t2v, "hashembed"), key=lambda n: n.attrs["column"])
    for k, node in enumerate(embeds):
        out[f"embed{k}"] = np.asarray(node.get_param("E"), dtype=np.float32)
    out["embed_seeds"] = np.array([n.attrs["seed"] for n in embeds], dtype=np.uint32)
    maxouts, norms = _layers(t2v, "maxout"), _layers(t2v, "layernorm")
    if len(maxouts) != 5 or len(norms) != 5 or len(embeds) != 6:
        raise SystemExit("unexpected tok2vec shape: expected 6 hash tables, 5 maxout, 5 layernorm")
    for k, (mx, ln) in enumerate(zip(maxouts, norms)):   # walk order: embedding's, then blocks
        out[f"maxout{k}_W"] = np.asarray(mx.get_param("W"), dtype=np.float32)
        out[f"maxout{k}_b"] = np.asarray(mx.get_param("b"), dtype=np.float32)
        out[f"norm{k}_G"] = np.asarray(ln.get_param("G"), dtype=np.float32)
        out[f"norm{k}_b"] = np.asarray(ln.get_param("b"), dtype=np.float32)
    windows = {n.attrs["window_size"] for n in _layers(t2v, "expand_window")}
    if windows != {1}:
        raise SystemExit(f"unexpected window sizes {windows}")
    softmax = _layers(nlp.get_pipe("tagger").model, "softmax")[0]
    out["softmax_W"] = np.asarray(softmax.get_param("W"), dtype=np.float32)
    out["softmax_b"] = np.asarray(softmax.get_param("b"), dtype=np.float32)
    out["tags"] = np.array(nlp.get_pipe("tagger").labels)
    return out


def _norm_arrays(nlp) -> dict[str, np.ndarray]:
    from spacy.attrs import NORM, ORTH
    from spacy.lang.norm_exceptions import BASE_NORMS
    from spacy.strings import get_string_id, hash_string
    from spacy.symbols import IDS

    strings = nlp.vocab.strings
    # The lexeme norm: the lexeme_norm table first, then the base norms, then lower case
    # (spacy.util.add_lookups, as the vocabulary chains them). Keys and values as spaCy ids.
    pairs: dict[int, int] = {}
    for orth, norm in BASE_NORMS.items():
        pairs[hash_string(orth)] = get_string_id(norm)
    table = nlp.vocab.lookups.get_table("lexeme_norm")
    for key, norm in table.items():
        pairs[int(key)] = get_string_id(norm)
    keys = np.array(sorted(pairs), dtype=np.uint64)
    # Special cases whose tokens carry a norm other than their lexeme's: key, then orth and
    # norm of each token, tab-separated (norms can hold spaces).
    specials = []
    for key, tokens in sorted(nlp.tokenizer.rules.items()):
        if any(NORM in t and t[NORM] != nlp.vocab[t[ORTH]].norm_ for t in tokens):
            fields = [key]
            for t in tokens:
                fields += [t[ORTH], t.get(NORM, nlp.vocab[t[ORTH]].norm_)]
            specials.append("\t".join(fields))
    symbols = sorted((name, int(i)) for name, i in IDS.items() if name and isinstance(name, str))
    del strings
    return {
        "norm_keys": keys,
        "norm_values": np.array([pairs[int(k)] for k in keys], dtype=np.uint64),
        "special_norms": np.array(specials),
        "symbol_names": np.array([name for name, _ in symbols]),
        "symbol_ids": np.array([i for _, i in symbols], dtype=np.uint64),
    }


def write_npz(out: Path, arrays: dict[str, np.ndarray]) -> None:
    """An uncompressed .npz (as numpy.savez writes it) with fixed member dates, so that the
    same model always gives the same bytes."""
    import io
    import zipfile

    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(array, order="C"), allow_pickle=False)
            archive.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)),
                             buffer.getvalue())


def convert(out: Path) -> None:
    import spacy

    nlp = spacy.load("en_core_web_sm", enable=["tok2vec", "tagger"])
    meta = nlp.meta
    arrays = {**_tok2vec_arrays(nlp), **_norm_arrays(nlp)}
    package = Path(nlp.path)
    provenance = {
        "source": f"spaCy en_core_web_sm {meta['version']} (spaCy {spacy.__version__}; "
                  f"the PyPI package {package.parent.name.replace('_', '-')}), "
                  "components tok2vec and tagger",
        "source_sha256": {name: hashlib.sha256((package / name / "model").read_bytes()).hexdigest()
                          for name in ("tok2vec", "tagger")},
        "license": f"{meta.get('license', 'MIT')}, Copyright ExplosionAI GmbH (see NOTICE)",
        "converted_by": "tools/oracle/convert_spacy_tagger.py",
    }
    arrays["provenance"] = np.array(json.dumps(provenance, sort_keys=True))
    write_npz(out, arrays)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"wrote {out} ({out.stat().st_size:,} bytes, sha256 {digest})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    convert(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
