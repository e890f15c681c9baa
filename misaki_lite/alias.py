"""``register_as_misaki()``: make ``import misaki`` find misaki_lite.

Code written for misaki (kokoro's ``KPipeline`` does ``from misaki import en, espeak``) runs
unchanged once the modules below are registered under misaki's names in ``sys.modules``.
Call it before the first ``import misaki`` / ``import kokoro``: a module that already bound
the real misaki keeps it.
"""
from __future__ import annotations

import sys
from types import ModuleType

from .errors import MisakiLiteError

__all__ = ["register_as_misaki", "ALIASES"]

# misaki's module name -> ours. kokoro 0.9.4 imports misaki.en and misaki.espeak and reads
# en.MToken; misaki.token is where misaki defines MToken.
ALIASES = {
    "misaki": "misaki_lite",
    "misaki.en": "misaki_lite.en",
    "misaki.espeak": "misaki_lite.espeak",
    "misaki.token": "misaki_lite.token",
}


def register_as_misaki(replace: bool = False) -> None:
    """Register misaki_lite as ``misaki`` (and ``misaki.en``, ``misaki.espeak``,
    ``misaki.token``) in ``sys.modules``.

    Idempotent. If the real misaki is already imported, raises ``MisakiLiteError`` (code that
    imported it keeps it, so aliasing then would mix the two) unless ``replace=True``.
    """
    import importlib

    targets: dict[str, ModuleType] = {name: importlib.import_module(target)
                                      for name, target in ALIASES.items()}
    clash = [name for name, module in targets.items()
             if sys.modules.get(name, module) is not module]
    if clash and not replace:
        raise MisakiLiteError(
            f"the real misaki is already imported ({', '.join(sorted(clash))}): call "
            "misaki_lite.register_as_misaki() before importing misaki or kokoro, "
            "or pass replace=True")
    for name, module in targets.items():
        sys.modules[name] = module
