"""The ``voice`` field of a speech request: a known name or a blend of known names.

Accepted spellings (names only, never paths: a request cannot make the server read a file):

- ``af_heart``: one voice;
- ``af_heart(2)+bf_emma(1)``, ``af_heart+bf_emma``: Kokoro-FastAPI's blend (weights default
  to 1, normalised to sum 1);
- ``af_heart:0.7,bf_emma:0.3``: misaki_lite's own blend spelling (``misaki-lite speak``).

The dialect follows the first voice: a name starting with ``b`` (``bf_emma``, ``bm_george``)
is read with British phonemes, any other with American ones, as Kokoro's voice names say.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from ..kokoro.voices import VoiceLibrary, parse_blend
from ..kokoro.errors import VoiceError
from .errors import APIError

__all__ = ["VoiceResolver", "parse_voice"]

_MAX_PARTS = 8
_WEIGHTED = re.compile(r"^\s*([^()+\s]+)\s*(?:\(\s*([^()]*?)\s*\))?\s*$")
_CACHE = 32                      # blended tables kept (about 0.5 MB each)


def parse_voice(spec: str) -> list[tuple[str, float]]:
    """``"a(2)+b(1)"`` or ``"a:2,b:1"`` -> ``[("a", 2.0), ("b", 1.0)]`` (VoiceError if malformed)."""
    if "," in spec or ":" in spec:
        return parse_blend(spec)
    parts = []
    for item in spec.split("+"):
        match = _WEIGHTED.match(item)
        if not match:
            raise VoiceError(f"cannot read voice {spec!r}: write 'af_heart' or a blend like "
                             f"'af_heart(2)+bf_emma(1)'")
        name, weight = match.group(1), match.group(2)
        try:
            value = float(weight) if weight is not None else 1.0
        except ValueError:
            raise VoiceError(f"bad weight {weight!r} for voice {name!r} in {spec!r}") from None
        if not 0 < value < float("inf"):
            raise VoiceError(f"weight of {name!r} in {spec!r} must be a positive number")
        parts.append((name, value))
    return parts


class VoiceResolver:
    """Voice field -> (style table, british) with only the names the library knows."""

    def __init__(self, library: VoiceLibrary) -> None:
        self.library = library
        self._tables: OrderedDict[str, Any] = OrderedDict()

    @property
    def names(self) -> list[str]:
        return self.library.names

    def __call__(self, spec: Any) -> tuple[Any, bool]:
        if not isinstance(spec, str) or not spec.strip():
            raise APIError(400, "voice must be a voice name such as 'af_heart'", param="voice")
        try:
            parts = parse_voice(spec.strip())
        except VoiceError as exc:
            raise APIError(400, str(exc), param="voice", code="invalid_voice") from None
        known = set(self.names)
        unknown = [name for name, _ in parts if name not in known]
        if unknown or len(parts) > _MAX_PARTS:
            message = (f"unknown voice {unknown[0]!r}; known voices: {', '.join(self.names)}"
                       if unknown else f"a blend has at most {_MAX_PARTS} voices")
            raise APIError(400, message, param="voice", code="invalid_voice")
        return self._table(parts), parts[0][0].startswith("b")

    def _table(self, parts: list[tuple[str, float]]) -> Any:
        key = ",".join(f"{name}:{weight!r}" for name, weight in parts)
        if key not in self._tables:
            self._tables[key] = self.library.resolve(key if len(parts) > 1 else parts[0][0])
            if len(self._tables) > _CACHE:
                self._tables.popitem(last=False)
        self._tables.move_to_end(key)
        return self._tables[key]
