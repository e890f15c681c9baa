"""The one kind of cache the pipeline keeps: remembered answers, bounded in size."""
from __future__ import annotations

from typing import TypeVar

__all__ = ["Bounded"]

V = TypeVar("V")
_ABSENT = object()


class Bounded(dict):
    """A dict of remembered answers, at most ``limit`` of them, in two generations.

    The dict itself is the current generation (at most ``limit // 2`` answers): a hit there
    costs one dict look-up, ``cache.get(key)``. When it is full, it becomes the previous
    generation and the one before is forgotten. On a miss, ``recall(key)`` finds an answer
    of the previous generation and keeps it again: answers asked for again and again (the
    frequent words of a text) stay, however many others pass through, and memory stays
    bounded. The usual pattern::

        answer = cache.get(key)
        if answer is None:
            answer = cache.recall(key)
            if answer is None:
                answer = cache.keep(key, compute(key))
    """

    __slots__ = ("limit", "_previous")

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self._previous: dict = {}

    def keep(self, key, value: V) -> V:
        """Remember ``value`` for ``key`` and return it."""
        if len(self) >= max(1, self.limit // 2):
            self._previous = dict(self)
            dict.clear(self)
        self[key] = value
        return value

    def recall(self, key, default=None):
        """The answer the previous generation holds for ``key``, kept again; else ``default``."""
        value = self._previous.pop(key, _ABSENT)
        return default if value is _ABSENT else self.keep(key, value)

    def clear(self) -> None:
        """Forget every answer, of both generations."""
        dict.clear(self)
        self._previous = {}
