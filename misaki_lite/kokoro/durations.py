"""A copy of the Kokoro graph that also outputs the duration of each input token.

The official v1.0 graph outputs only ``audio``. Its encoder rounds and clips the predicted
duration of every input token (the two pads included) in ``/encoder/Round`` ->
``/encoder/Clip`` and only then expands them into frames; the Clip's output (float, shape
``[1, tokens + 2]``, in frames of 600 samples) is what kokoro's torch model returns as
``pred_dur``. :func:`derive` lists that tensor as a second graph output, with the ``onnx``
library (part of the ``kokoro`` extra, imported only here), and changes nothing else, so the
audio is the same computation.

The derived file is written beside the original (or, when that folder is read-only, into the
user cache), atomically, and named after its own sha256:
``kokoro-v1.0.int8.durations-<first 16 hex digits>.onnx``. The derivation is deterministic
(the same original and ``onnx`` give the same bytes), so for the official int8 graph the
expected sha256 is known (:data:`KNOWN_DERIVED`) and the file is found, and verified, without
deriving again. A new derivation is used only after its audio has been checked bit for bit
against the original's on a fixed input (:func:`check_same_audio`).
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Optional

from ..errors import install_hint
from .errors import ModelError
from .model import INT8, cache_dir, sha256_of, unloadable

__all__ = ["DURATIONS", "KNOWN_DERIVED", "derive", "derived_graph", "check_same_audio",
           "find_durations_tensor"]

DURATIONS = "/encoder/Clip_output_0"        # the tensor's name in the official exports
# sha256 of the original -> sha256 of its derived copy (onnx 1.x, protobuf serialization).
KNOWN_DERIVED = {INT8.sha256: "328b977ea4d2e616996c165983d1cd4a2bcd4a02493fe8a035456357acf7b031"}
_TAG = ".durations-"
# The fixed input of the audio check: a short sentence and a synthetic style vector.
CHECK_PHONEMES = "həlˈO wˈɜɹld, ðɪs ɪz ə tˈɛst."


def _name(original: Path, digest: str) -> str:
    return f"{original.stem}{_TAG}{digest[:16]}.onnx"


def _folders(original: Path) -> list[Path]:
    return [original.parent, cache_dir()]


def find_durations_tensor(graph: Any) -> str:
    """The name of the rounded, clipped durations tensor in an ``onnx`` GraphProto."""
    names = {out for node in graph.node for out in node.output}
    if DURATIONS in names:
        return DURATIONS
    rounded = {o for n in graph.node if n.op_type == "Round" for o in n.output}
    for node in graph.node:
        if node.op_type == "Clip" and node.input and node.input[0] in rounded \
                and "encoder" in node.name:
            return node.output[0]
    raise ModelError("this Kokoro graph has no encoder Round -> Clip of durations; word "
                     "timestamps need the official v1.0 export (kokoro-v1.0[.int8].onnx)")


def derive(original: Path) -> bytes:
    """The serialized graph of ``original`` with the durations tensor as a second output."""
    try:
        import onnx
    except ImportError:
        raise ModelError("word timestamps need the 'onnx' package of the kokoro extra: "
                         f"{install_hint('kokoro')}") from None
    try:
        model = onnx.load(str(original))
    except Exception as exc:     # protobuf's DecodeError and others, by onnx version
        raise unloadable(original, str(exc) or type(exc).__name__) from None
    tensor = find_durations_tensor(model.graph)
    if tensor not in {o.name for o in model.graph.output}:
        info = next((v for v in model.graph.value_info if v.name == tensor), None)
        output = onnx.ValueInfoProto()
        if info is not None:
            output.CopyFrom(info)
        else:
            output.name = tensor
            output.type.tensor_type.elem_type = onnx.TensorProto.FLOAT
        model.graph.output.append(output)
    return model.SerializeToString()


def _session(path: Path) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def check_same_audio(original: Path, derived: Path) -> Any:
    """Run both graphs on the fixed input; raise ModelError unless the audio is identical
    bit for bit and the durations add up to its length. Returns the durations."""
    import numpy as np

    from .vocab import encode

    ids = encode(CHECK_PHONEMES, strict=True)
    base, timed = _session(original), _session(derived)
    names = [i.name for i in base.get_inputs()]
    types = {i.name: i.type for i in base.get_inputs()}
    speed_dtype = np.int32 if "int" in types[names[2]] else np.float32
    feed = {names[0]: np.array([[0, *ids, 0]], np.int64),
            names[1]: (0.1 * np.sin(np.arange(256, dtype=np.float32))).reshape(1, -1),
            names[2]: np.array([1], speed_dtype)}
    (audio,) = base.run(None, feed)
    audio2, durations = timed.run(None, feed)
    if audio.tobytes() != audio2.tobytes():
        raise ModelError(f"the derived graph {derived} does not give the original's audio "
                         f"bit for bit; it was not kept")
    durations = np.asarray(durations).reshape(-1)
    if durations.size != len(ids) + 2 or int(durations.sum()) * 600 != audio.size:
        raise ModelError(f"the durations output of {derived} does not add up to the audio "
                         f"({int(durations.sum())} frames of 600 samples vs {audio.size} samples)")
    return durations


def _write(folder: Path, name: str, data: bytes, original: Path) -> Path:
    """Write ``data`` to a temporary file in ``folder``, check its audio against
    ``original``'s, and only then move it into place under ``name``."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=name + ".", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        check_same_audio(original, Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, folder / name)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return folder / name


def _existing(original: Path, digest: str) -> Optional[Path]:
    for folder in _folders(original):
        path = folder / _name(original, digest)
        if path.is_file() and sha256_of(path) == digest:
            return path
    return None


def derived_graph(original: Path, original_sha256: Optional[str] = None) -> Path:
    """The path of the durations graph of ``original`` (verified): found, or derived, checked
    and cached. ``original_sha256`` saves hashing a file already verified."""
    original_sha256 = original_sha256 or sha256_of(original)
    known = KNOWN_DERIVED.get(original_sha256)
    if known and (found := _existing(original, known)):
        return found
    data = derive(original)
    digest = hashlib.sha256(data).hexdigest()
    if found := _existing(original, digest):
        return found
    errors = []
    for folder in _folders(original):
        try:
            return _write(folder, _name(original, digest), data, original)
        except OSError as exc:
            errors.append(f"{folder}: {exc}")
    raise ModelError(f"could not write the durations graph ({'; '.join(errors)})")
