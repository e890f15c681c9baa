"""The options that define a G2P, checked once: ``G2PConfig(...).build()``.

``mode``: "extended" (the default: every bug fix, and the normalization setting) or "exact"
(misaki 0.9.4's output byte for byte, its bugs included). ``normalization`` ("extended" or
"misaki") is the deprecated way to turn the normalization classes off; ``dialect`` is US or GB
English; ``fallback`` builds the eSpeak fallback for words the lexicon cannot read.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Optional

from .errors import OptionError
from .inventory import Dialect

__all__ = ["G2PConfig", "MODES", "NORMALIZATIONS", "check_mode", "check_normalization",
           "deprecated_normalization"]

# "extended": the normalization setting and every bug fix; "exact": misaki 0.9.4 byte for byte,
# its bugs included (no orthography, tag fixes, normalization classes or lexicon fixes).
MODES = ("extended", "exact")
# "extended": misaki's reading plus the classes of rules/normalize/; "misaki": only misaki's
NORMALIZATIONS = ("extended", "misaki")


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise OptionError(f"mode must be one of {', '.join(map(repr, MODES))}, got {mode!r}")
    return mode


def check_flag(name: str, value) -> bool:
    """A flag option: True or False (1 or 0); a string such as "no" would be true."""
    if not isinstance(value, bool) and value not in (0, 1):
        raise OptionError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_british(british) -> bool:
    """``british`` is a flag: True or False (1 or 0); a string such as "no" was British."""
    return check_flag("british", british)


def check_version(version: Optional[str]) -> Optional[str]:
    """``version`` is misaki's: None or a string; only "2.0" gives Kokoro v1.0's symbols
    (misaki's test, kept), anything else the legacy ones. A number (2.0) is an error, as it
    silently gave the legacy symbols."""
    if version is not None and not isinstance(version, str):
        raise OptionError(f"version must be a string such as '2.0', or None; got {version!r}")
    return version


def check_normalization(normalization: str) -> str:
    if normalization not in NORMALIZATIONS:
        raise OptionError(f"normalization must be one of {', '.join(map(repr, NORMALIZATIONS))}, "
                          f"got {normalization!r}")
    return normalization


def deprecated_normalization(normalization: Optional[str], stacklevel: int = 3) -> str:
    """The normalization setting behind ``normalization=`` (deprecated: ``mode=`` replaces it);
    ``None`` (not given) is the default, "extended", without a warning."""
    if normalization is None:
        return "extended"
    warnings.warn("normalization= is deprecated and will be removed in the next release: "
                  "mode='exact' gives misaki 0.9.4's output, mode='extended' (the default) "
                  "reads times, dates, units and the rest right", DeprecationWarning, stacklevel)
    return check_normalization(normalization)


@dataclass(frozen=True)
class G2PConfig:
    """The options that define a ``G2P``: small, hashable and cheap to send to a process.
    ``british`` is kept as the drop-in's boolean; ``dialect`` names it."""

    british: bool = False
    fallback: bool = True
    version: Optional[str] = None
    normalization: str = "extended"
    mode: str = "extended"

    def __post_init__(self) -> None:
        check_british(self.british)
        check_flag("fallback", self.fallback)
        check_version(self.version)
        check_mode(self.mode)
        check_normalization(self.normalization)

    @property
    def dialect(self) -> Dialect:
        return Dialect.of(self.british)

    def build(self):
        """A new ``G2P`` with these options (with the eSpeak fallback unless ``fallback`` is off)."""
        from . import en
        from .espeak import EspeakFallback

        espeak = EspeakFallback(british=self.british, version=self.version) if self.fallback else None
        g2p = en.G2P(version=self.version, british=self.british, fallback=espeak, mode=self.mode)
        g2p.normalization = self.normalization      # checked (and warned about) by the caller
        return g2p
