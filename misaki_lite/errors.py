"""One exception family for everything misaki_lite raises on purpose.

Each subclass also derives from the matching built-in, so callers that already catch
``ValueError`` or ``RuntimeError`` keep working.
"""

__all__ = ["MisakiLiteError", "RuleFileError", "LexiconError", "BackendError", "InputError",
           "OptionError", "TextTooLongError", "install_hint"]


def install_hint(extras: str) -> str:
    """How to add an extra: misaki_lite is installed from its source folder (a clone), as the
    README's quick start does; it is not published on PyPI."""
    return f'pip install ".[{extras}]" in the misaki_lite source folder'


class MisakiLiteError(Exception):
    """Base class of every error misaki_lite raises deliberately."""


class RuleFileError(MisakiLiteError, ValueError):
    """A file under rules/ is malformed: names the file, the rule and what is wrong."""


class LexiconError(MisakiLiteError, ValueError):
    """A lexicon entry is malformed: names the file, the key and the bad symbol."""


class BackendError(MisakiLiteError, RuntimeError):
    """An optional backend (eSpeak NG, onnxruntime) is missing or failed; says how to fix it."""


class InputError(MisakiLiteError, TypeError):
    """The input is not text (``G2P`` accepts any ``str``; anything else raises this)."""


class TextTooLongError(InputError, ValueError):
    """A text over ``G2P.max_chars``: an InputError (as it always was) and a ValueError, as a
    bad value of the right type is."""


class OptionError(MisakiLiteError, ValueError):
    """An option has a value it cannot take (``mode``, ``normalization``, ``workers``,
    ``chunksize``...): names the option, the valid values and the value given."""
