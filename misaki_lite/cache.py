"""The one kind of cache the pipeline keeps: remembered answers, bounded in size."""
from __future__ import annotations

from typing import TypeVar

__all__ = ["Bounded"]

V = TypeVar("V")


class Bounded(dict):
    """A dict of remembered answers that starts afresh when it holds ``limit`` entries: memory
    stays bounded, and a hit costs one dict look-up (no order kept, unlike an LRU)."""

    __slots__ = ("limit",)

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key, value: V) -> V:
        """Remember ``value`` for ``key`` and return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
