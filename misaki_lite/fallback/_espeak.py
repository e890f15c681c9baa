"""Private ctypes layer over the eSpeak NG shared library.

Only two things are asked of eSpeak: select a voice and turn text into IPA with
``espeak_TextToPhonemes``. Everything else (punctuation, mapping to misaki's symbols) happens
in pure Python elsewhere in ``misaki_lite.fallback``.

Where the library and its data come from, first match wins:

1. explicit paths: the ``library`` / ``data`` arguments of :func:`engine`, which
   ``EspeakFallback`` takes from ``misaki_lite.fallback.use_library()``;
2. the environment variables ``MISAKI_LITE_ESPEAK_LIBRARY`` and ``MISAKI_LITE_ESPEAK_DATA``;
3. the ``espeakng-loader`` package (a runtime dependency), which ships both.

The library and data are chosen independently: a library from step 1 or 2 may be combined
with the data that ``espeakng-loader`` ships, and the other way round.

Nothing here runs at import time. eSpeak keeps global state (the current voice, internal
buffers) and is not re-entrant, so every call goes through one process-wide lock, and the
voice is selected under that same lock right before the text is converted: instances that
use different voices can be called alternately, from any number of threads. Selecting a
voice costs a few hundred microseconds, so the engine remembers the current one and only
switches when asked for another, or after a text during which eSpeak switched to another
language's voice by itself; code outside misaki_lite must not change the voice of the same
library handle.
"""
from __future__ import annotations

import ctypes
import os
import threading
from pathlib import Path

from ..errors import BackendError
from .safe import forked

__all__ = ["Engine", "engine", "LIBRARY_ENV", "DATA_ENV"]

LIBRARY_ENV = "MISAKI_LITE_ESPEAK_LIBRARY"
DATA_ENV = "MISAKI_LITE_ESPEAK_DATA"

# Constants of eSpeak NG's public header (speak_lib.h).
_AUDIO_OUTPUT_SYNCHRONOUS = 0x02
_INITIALIZE_DONT_EXIT = 0x8000      # return an error instead of calling exit()
_TEXT_UTF8 = 1
_PHONEMES_IPA = 0x02
_PHONEMES_TIE = 0x80                # bits 8..23 then hold the tie character
TIE = "\u0361"                      # eSpeak's default tie, U+0361 COMBINING DOUBLE INVERTED BREVE
_PHONEME_MODE = _PHONEMES_IPA | _PHONEMES_TIE | (ord(TIE) << 8)

_HOW_TO_FIX = (
    "install the 'espeakng-loader' package (pip install espeakng-loader), or point the "
    f"environment variables {LIBRARY_ENV} (the libespeak-ng shared library) and {DATA_ENV} "
    "(its espeak-ng-data folder) at an eSpeak NG installation"
)


class _Voice(ctypes.Structure):
    """``espeak_VOICE`` from speak_lib.h (only the leading fields are read)."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


def _loader_paths() -> tuple[str | None, str | None]:
    """The library and data paths that ``espeakng-loader`` ships, or ``(None, None)``."""
    try:
        import espeakng_loader
    except ImportError:
        return None, None
    return espeakng_loader.get_library_path(), espeakng_loader.get_data_path()


def locate(library: str | os.PathLike | None = None,
           data: str | os.PathLike | None = None) -> tuple[str, str]:
    """Resolve the library and data paths by the documented lookup order."""
    library = library or os.environ.get(LIBRARY_ENV) or None
    data = data or os.environ.get(DATA_ENV) or None
    if library is None or data is None:
        loader_library, loader_data = _loader_paths()
        library = library or loader_library
        data = data or loader_data
    if library is None or data is None:
        raise BackendError(f"eSpeak NG library not found: {_HOW_TO_FIX}")
    if not Path(library).is_file():
        raise BackendError(f"eSpeak NG library {str(library)!r} does not exist: {_HOW_TO_FIX}")
    if not Path(data).is_dir():
        raise BackendError(f"eSpeak NG data folder {str(data)!r} does not exist: {_HOW_TO_FIX}")
    return str(library), str(data)


class Engine:
    """One loaded and initialised eSpeak NG library; thread-safe through one lock."""

    def __init__(self, library: str, data: str) -> None:
        self.library_path = library
        self.data_path = data
        self._lock = threading.Lock()
        try:
            lib = ctypes.CDLL(library)
        except OSError as exc:
            raise BackendError(
                f"cannot load eSpeak NG library {library!r} ({exc}): {_HOW_TO_FIX}") from exc
        try:
            self._bind(lib)
        except AttributeError as exc:
            raise BackendError(
                f"{library!r} is not an eSpeak NG library ({exc}): {_HOW_TO_FIX}") from exc
        flags = _INITIALIZE_DONT_EXIT
        if lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data.encode(), flags) <= 0:
            raise BackendError(
                f"eSpeak NG failed to initialise with data folder {data!r}: {_HOW_TO_FIX}")
        self._lib = lib
        self._convert = lib.espeak_TextToPhonemes
        self._voices = self._list_voices()
        self._current: str | None = None

    @staticmethod
    def _bind(lib: ctypes.CDLL) -> None:
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
        lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_TextToPhonemes.argtypes = [
            ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_Info.argtypes = [ctypes.POINTER(ctypes.c_char_p)]
        lib.espeak_Info.restype = ctypes.c_char_p

    def _list_voices(self) -> dict[str, str]:
        """Map each language code to the identifier of the first (most relevant) voice for it.

        A voice's ``languages`` field is a list of (priority byte, code, NUL); the first
        code is the voice's own language.
        """
        voices: dict[str, str] = {}
        array = self._lib.espeak_ListVoices(None)
        i = 0
        while array[i]:
            voice = array[i].contents
            code = voice.languages[1:].decode("utf-8", "replace")
            voices.setdefault(code, voice.identifier.decode("utf-8", "replace"))
            i += 1
        return voices

    @property
    def version(self) -> str:
        """eSpeak NG's version string, e.g. ``'1.52.0'``."""
        with self._lock:
            return self._lib.espeak_Info(None).decode()

    def _select(self, language: str) -> None:
        """Make ``language`` the current voice (caller holds the lock)."""
        if language == self._current:
            return
        identifier = self._voices.get(language)
        if identifier is None:
            raise BackendError(f"eSpeak NG has no voice for language {language!r}")
        if self._lib.espeak_SetVoiceByName(identifier.encode()) != 0:
            raise BackendError(f"eSpeak NG failed to load the voice {identifier!r} ({language})")
        self._current = language

    def text_to_phonemes(self, text: str, language: str, isolated: bool = False) -> list[str] | None:
        """IPA for ``text`` in the voice of ``language``, one string per clause.

        eSpeak converts one clause per call and advances the text pointer; it is called
        until the pointer is consumed. Multi-letter phonemes carry the tie :data:`TIE`.
        ``isolated``: the conversion runs in a child process forked for it, and ``None`` is
        returned if eSpeak crashed there (this process lives on; eSpeak's state here is left
        as it was). Only where fork() exists; elsewhere ``None`` without trying.
        """
        # Lone surrogates cannot be UTF-8: they are dropped. eSpeak stops at a NUL character,
        # as it did for misaki. (This runs for every unknown word: kept to the bare minimum.)
        buffer = _buffer(text.encode("utf-8", "ignore"))
        with self._lock:
            if language != self._current:
                self._select(language)
            if isolated:        # forked under the lock: no other thread is inside eSpeak
                return _in_child(self._convert_all, buffer) if hasattr(os, "fork") else None
            clauses = self._convert_all(buffer)
            if any("(" in c for c in clauses):
                # eSpeak switched to another language's voice ("(hi)…(en-us)"): the voice is
                # selected afresh before the next text, so that nothing of the switch (the
                # other voice, its translator) can reach a later text (issue 19)
                self._current = None
        return clauses

    def _convert_all(self, buffer) -> list[str]:
        """Every clause of ``buffer`` (caller holds the lock)."""
        pointer = ctypes.c_void_p(_address(buffer))   # eSpeak advances it; NULL at the end
        ref = ctypes.byref(pointer)
        convert = self._convert
        out = convert(ref, _TEXT_UTF8, _PHONEME_MODE)
        clauses = [out.decode("utf-8")] if out else []
        while pointer.value:
            out = convert(ref, _TEXT_UTF8, _PHONEME_MODE)
            if out:
                clauses.append(out.decode("utf-8"))
        return clauses


def _in_child(convert_all, buffer) -> list[str] | None:
    """``convert_all(buffer)`` in a forked child; ``None`` if the child did not end well."""
    data = forked(lambda: "\0".join(convert_all(buffer)).encode("utf-8"))
    if data is None:
        return None
    return data.decode("utf-8").split("\0") if data else []


_buffer = ctypes.create_string_buffer
_address = ctypes.addressof
_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def engine(library: str | os.PathLike | None = None,
           data: str | os.PathLike | None = None) -> Engine:
    """The process-wide :class:`Engine` for this library, loaded and initialised on first use.

    The operating system loads a shared library once per process, so one library path can
    only ever be initialised with one data folder; asking for another one is an error.
    """
    library, data = locate(library, data)
    key = os.path.realpath(library)
    with _engines_lock:
        found = _engines.get(key)
        if found is None:
            found = _engines[key] = Engine(library, data)
        elif os.path.realpath(found.data_path) != os.path.realpath(data):
            raise BackendError(
                f"eSpeak NG library {library!r} is already initialised with the data folder "
                f"{found.data_path!r}; one process can use only one data folder per library")
        return found
