"""``EspeakG2P``: other languages through eSpeak NG, as misaki 0.9.4's ``misaki.espeak.EspeakG2P``.

kokoro's ``KPipeline`` uses it for lang_code e (es), f (fr-fr), h (hi), i (it) and p (pt-br):
``EspeakG2P(language, version=None)(text) -> (phonemes, None)``. The text is read whole (kokoro
splits it into lines first) with the steps misaki takes:

1. angle quotes become curly quotes and parentheses become angle quotes (so that eSpeak keeps
   them as punctuation marks);
2. eSpeak's IPA with punctuation put back and language switch flags such as ``(en)`` removed
   (``ipa.raw_ipa``, as misaki obtained it from phonemizer);
3. the table of ``rules/espeak_languages.yaml``: misaki's e2m replacements, the tie removed,
   the version switch, and angle quotes back to parentheses.
"""
from __future__ import annotations

from functools import cache

from .. import rules
from ..errors import InputError, RuleFileError
from . import ipa
from .safe import read

__all__ = ["EspeakG2P", "FILE", "LEGACY"]

FILE = "espeak_languages.yaml"
LEGACY = "legacy"          # a rule's ``version`` for every version but "2.0"
_SCHEMA = rules.Schema.of(required="priority from to", optional="version")
# step 1: what misaki does to the text before eSpeak reads it
_BEFORE = (("«", "\u201c"), ("»", "\u201d"), ("(", "«"), (")", "»"))


def _fail(rule: dict, message: str) -> RuleFileError:
    return RuleFileError(f"rules/{FILE}: rule {rule['id']!r}: {message}")


def _checked(rule: dict) -> tuple[str, str]:
    if not isinstance(rule["priority"], int) or isinstance(rule["priority"], bool):
        raise _fail(rule, "'priority' must be an integer")
    if not isinstance(rule["from"], str) or not rule["from"] or not isinstance(rule["to"], str):
        raise _fail(rule, "'from' must be a non-empty string and 'to' a string")
    if rule.get("version", "2.0") not in ("2.0", LEGACY):
        raise _fail(rule, f"version {rule['version']!r} is not one of '2.0', {LEGACY!r}")
    return rule["from"], rule["to"]


@cache
def replacements(version: str | None) -> tuple[tuple[str, str], ...]:
    """The ``(old, new)`` replacements of ``rules/espeak_languages.yaml`` for ``version``, in order."""
    wanted = "2.0" if version == "2.0" else LEGACY
    table = sorted(rules.load(FILE, _SCHEMA), key=lambda r: r["priority"])
    checked = [(rule, _checked(rule)) for rule in table]
    return tuple(step for rule, step in checked if rule.get("version", wanted) == wanted)


class EspeakG2P:
    """Phonemes of a text in ``language`` (an eSpeak NG language code such as ``fr-fr``), as
    misaki 0.9.4's ``EspeakG2P`` returns them: ``(phonemes, None)``.

    Nothing is loaded before the first call; a language eSpeak NG has no voice for raises
    ``misaki_lite.errors.BackendError`` then. Thread-safe (eSpeak is called under one lock).
    """

    def __init__(self, language: str, version: str | None = None) -> None:
        self.language = language
        self.version = version
        self._engine = None
        self._table = replacements(version)

    def _clauses(self, text: str) -> list[str]:
        if self._engine is None:
            from . import _explicit
            from ._espeak import engine
            self._engine = engine(*_explicit)
        return read(self._engine, text, self.language)     # a text that may crash: forked

    def __call__(self, text: str) -> tuple[str, None]:
        if not isinstance(text, str):
            raise InputError(f"EspeakG2P expects a str, got {type(text).__name__}")
        for old, new in _BEFORE:
            text = text.replace(old, new)
        raw = ipa.raw_ipa(text, self._clauses, remove_flags=True)
        ps = (raw or "").strip()
        for old, new in self._table:
            ps = ps.replace(old, new)
        return ps, None

    def __reduce__(self):
        return type(self), (self.language, self.version)

    def __repr__(self) -> str:
        return f"EspeakG2P(language={self.language!r}, version={self.version!r})"
