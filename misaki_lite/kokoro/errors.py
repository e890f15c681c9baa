"""The errors the Kokoro runner raises, as members of misaki_lite's exception family.

``KokoroInputError`` and ``VoiceError`` are ``ValueError``s (a bad argument: speed out of range,
unknown voice, a phoneme Kokoro cannot say under ``strict``); ``ModelError`` is a
``BackendError`` and so a ``RuntimeError`` (the model is missing, corrupt or will not load).
"""
from ..errors import BackendError, MisakiLiteError

__all__ = ["KokoroInputError", "VoiceError", "ModelError", "DownloadError"]


class KokoroInputError(MisakiLiteError, ValueError):
    """An argument of the Kokoro runner is out of range or not understood."""


class VoiceError(KokoroInputError):
    """A voice name, file, archive or blend is unknown or malformed; says which and why."""


class ModelError(BackendError):
    """No usable Kokoro model: missing, wrong checksum or unloadable; says how to get one."""


class DownloadError(BackendError):
    """A download failed (network, truncated transfer, checksum); nothing was left behind."""
