"""Starting inputs for the fuzz targets, kept as text here rather than as binary files.

    python -m fuzz.seeds OUT_DIR        writes OUT_DIR/<target>/seed-NNN in atheris' encoding

``SEED_TEXTS`` are also replayed directly by ``tests/test_fuzz_slice.py``. Inputs that once
broke something belong here too (with a comment naming the bug), so the slice keeps them.
"""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

SEED_TEXTS = [
    "", " ", "Hello world.", "I don't know, it's 3:30 p.m. on 12/25/2024.",
    "Mr. Smith paid $5.50 (five fifty) for 1,000,000 e-mails @ x@y.com.",
    "The U.S. and the U.K. — 50% of 1990s kids — said “wasn’t it?”",
    "[Kokoro](/kˈOkəɹO/) is [1,000](#a#) [cat](+1) [dog](-0.5) [x](y)",
    "[[[(((word)))]]] [](/) [a](/) [a]() [", "-1 +1 2nd 3.14 1e10 0x1F 1/2 ½ ² ٣ Ⅻ",
    "café naïve coöperate façade", "日本語 Русский العربية हिन्दी 🙂 👩‍👩‍👧",
    "a\x00b\x08c\u200bd\ufeffe\x7f", "half \ud800 of \udfff a pair",
    "'''---'''", "...,,,..." * 3, "A-B-C-D", "camelCaseWordsHere", "NASA's GPUs' CPUs",
    "http://example.com/a?b=c&d=e#f www.example.org", "10:30am 5km 3kg 72°F 100 km/h",
    "I read it. I will read it. The record was a record.", "£3 €1,000 ¥500 ₹20 $",
    # inputs that once broke something (fuzz/run_atheris.py g2p; see tests/test_hardening.py)
    "x'7 ab-x'7",                       # the apostrophe vanishes from the token (misaki too)
    "뤀 한국어 ㅡ हिन्दी",                 # eSpeak's language-switch flags leak into the phonemes
    "[Kokoro](/kȀOkəɹO/)",             # override phonemes are not checked against the inventory
    "aБ日" * 333,                        # quadratic group reading: ~1 s of CPU for 999 characters
    "10:5\u3000愀洀\u2000㔀㈀İ\x00考m𐀀h",     # 'İ' tagged punctuation: ord() of two characters
    # issue 19: eSpeak NG segfaulted (symbol, hyphen, Devanagari word at a clause start)
    "\ufffd-\u0928\u092e\U0001f642a", "\u20b2-\u092e\u09381", "hello, ^-\u092e\u0938",
    "The cat\x00dog sat.",             # eSpeak stopped at the NUL: "dog" was lost
]

LINE_SEEDS = [
    b"", b"one line", b"one\ntwo\n", b"bad \xff byte\nfine\n", b"\r\n\r\n", b"nul\x00here\n",
    b"\xc3\x28\n\xe2\x82\n\xf0\x9f\x99\x82\n", "utf-8 ünïcode\n".encode(),
]


def npy(shape=(510, 1, 256), descr="<f4", payload: bytes = b"") -> bytes:
    """A tiny .npy file: the header we choose, then ``payload`` (not necessarily enough data)."""
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode("latin1")
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + payload


def npz(members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> bytes:
    """An npz archive (a zip of ``NAME.npy`` members) holding ``members``' bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, data in members.items():
            zf.writestr(name + ".npy", data)
    return buf.getvalue()


def voice_seeds() -> list[tuple[int, bytes]]:
    """(kind, bytes) pairs for ``targets.check_voice_file``: 0 .bin, 1 .npy, 2 npz archive."""
    good = npy(payload=b"\0" * (510 * 256 * 4))
    return [
        (0, b"\0" * (510 * 256 * 4)), (0, b"\0" * 16), (1, good), (1, npy(payload=b"\0" * 64)),
        (1, npy(descr="|O")), (1, npy(shape=(510, 256))), (2, npz({"af_x": good})),
        (2, npz({"a": npy(shape=(2,), payload=b"\0" * 8)})), (2, b"PK\x03\x04 not a zip"),
    ]


def _ascii_safe(text: str) -> bytes:
    """atheris' ConsumeUnicode reads UTF-32 when its first byte is 0 (the integers that pick a
    configuration are consumed from the end of the input, as in libFuzzer)."""
    return b"\0" + text.encode("utf-32-le", "surrogatepass")


def write_corpus(out: Path) -> None:
    for target in ("g2p", "markup", "lines", "voices", "model"):
        (out / target).mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(SEED_TEXTS):
        (out / "markup" / f"seed-{i:03}").write_bytes(_ascii_safe(text))
        for config in range(4):
            (out / "g2p" / f"seed-{i:03}-{config}").write_bytes(_ascii_safe(text) + bytes([config]))
    for i, data in enumerate(LINE_SEEDS):
        (out / "lines" / f"seed-{i:03}").write_bytes(data)
    for i, (kind, data) in enumerate(voice_seeds()):
        (out / "voices" / f"seed-{i:03}").write_bytes(data + bytes([kind]))
    for i, spec in enumerate(["af_heart", "af_heart:0.7,bf_emma:0.3", "a,b", "x:nan", ":"]):
        (out / "voices" / f"spec-{i:03}").write_bytes(_ascii_safe(spec) + b"\x03")
    (out / "model" / "seed-000").write_bytes(b"onnx" * 64 + b"\0\0\x10")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} OUT_DIR")
    write_corpus(Path(sys.argv[1]))
