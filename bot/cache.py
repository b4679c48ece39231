"""A small in-process cache that forgets: a size bound (least recently used out first) and an age bound.

Liaison caches what Slack says about people and channels for a few minutes. A long-running process sees many
of them over months, so every cache here has both bounds: the age bound so a renamed channel, a channel that
becomes shared or a person who moves zone is seen again, the size bound so memory stays flat however many
people and channels pass through. An OrderedDict is enough (and trivially correct); nothing here is shared
between threads (one event loop).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedTTLCache(Generic[K, V]):
    """At most `maxsize` entries, each kept at most `ttl` seconds of `clock` (monotonic by default)."""

    def __init__(self, *, maxsize: int, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        if maxsize < 1 or ttl <= 0:
            raise ValueError("a bounded cache needs maxsize >= 1 and ttl > 0")
        self.maxsize = maxsize
        self.ttl = ttl
        self.clock = clock
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: K) -> V | None:
        """The value while fresh (and now the most recently used), else None; a stale entry is dropped."""
        entry = self._items.get(key)
        if entry is None:
            return None
        expires, value = entry
        if self.clock() >= expires:
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = (self.clock() + self.ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.maxsize:
            self._items.popitem(last=False)

    def pop(self, key: K) -> None:
        self._items.pop(key, None)

    def clear(self) -> None:
        self._items.clear()
