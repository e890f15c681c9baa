"""Stage: tagging. Penn tags exactly as spaCy's en_core_web_sm 3.8.0 gives them (``model``),
then, outside exact mode, the tag fixes for misaki's bugs (``fixes``). numpy is imported when
the tagger is first used, not here."""
from __future__ import annotations

from .model import Tagger, TaggerError, get_tagger

__all__ = ["Tagger", "TaggerError", "get_tagger"]
