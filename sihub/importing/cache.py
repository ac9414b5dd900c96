"""Process-wide caches of values that come from users' files, bounded in bytes, not entries.

A bound on entries (``lru_cache(maxsize=65536)``) says nothing about memory when one entry may
be a 32,767-character cell, or every one-character deletion of one: the server kept 1.1 GB
after a single import. A ``ByteBudgetLRU`` forgets its least recently used entries once their
estimated size passes its budget, and never keeps an entry larger than the whole budget.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from functools import wraps
from typing import TypeVar

T = TypeVar("T")
_MISSING = object()
_CACHES: dict[str, ByteBudgetLRU] = {}


def size_of(value: object) -> int:
    """Bytes an entry's key or value holds: strings and flat collections of them, roughly."""
    if isinstance(value, str):
        return sys.getsizeof(value)
    if isinstance(value, (tuple, frozenset, set, list)):
        return sys.getsizeof(value) + sum(size_of(v) for v in value)
    return sys.getsizeof(value)


class ByteBudgetLRU:
    """A least-recently-used cache holding at most ``budget`` bytes of keys and values."""

    def __init__(self, name: str, budget: int) -> None:
        self.name = name
        self.budget = budget
        self.bytes = 0
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()  # Streamlit's sessions are threads of one process

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable, default: object = None) -> object:
        with self._lock:
            found = self._entries.get(key, _MISSING)
            if found is _MISSING:
                return default
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: object, nbytes: int) -> None:
        if nbytes > self.budget:
            return  # it would push out everything else and still not fit
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._entries[key] = (value, nbytes)
            self.bytes += nbytes
            while self.bytes > self.budget:
                _, (_, freed) = self._entries.popitem(last=False)
                self.bytes -= freed

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0


def bytes_cache(name: str, budget: int) -> Callable[[Callable[[T], object]], Callable[[T], object]]:
    """``functools.lru_cache`` for a one-argument function, bounded in bytes (see module)."""

    def decorate(fn: Callable[[T], object]) -> Callable[[T], object]:
        cache = _CACHES.setdefault(name, ByteBudgetLRU(name, budget))

        @wraps(fn)
        def cached(key: T) -> object:
            found = cache.get(key, _MISSING)
            if found is _MISSING:
                found = fn(key)
                cache.put(key, found, size_of(key) + size_of(found))
            return found

        cached.cache = cache  # type: ignore[attr-defined]
        return cached

    return decorate


def caches() -> Iterable[ByteBudgetLRU]:
    """Every byte-bounded cache of the importer (for tests and benchmarks)."""
    return tuple(_CACHES.values())
