"""Answers shared by every session of a process, within a memory budget.

A page's answers differ hugely in size: the twelve pages' answers at 100,000 innovations
took 140 MB together, a chart's words take a few hundred bytes. A cache that keeps a fixed number of
answers (Streamlit's ``max_entries``) must either keep few, and then the pages of a visit
push each other's answers out (at 32 the twelve pages' answers did not fit, and every visit
computed its page again: up to 5 times slower at 10,000 innovations), or keep many, and
then a run of large ones outgrows the server. ``Memo`` keeps answers by their bytes
instead, dropping the least recently used beyond its budget.

Streamlit-free; ``sihub.ui.frame.shared`` keys it on the store, its data version and the
arguments, so that an answer is never out of date, only no longer asked for.
"""

from __future__ import annotations

import dataclasses
import pickle
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

T = TypeVar("T")
MB = 1024 * 1024


class Memo:
    """Least recently used answers within ``budget`` bytes (as ``size_of`` estimates them).

    Thread-safe. A key is computed once at a time: sessions asking for the same answer while
    it is computed wait for it instead of computing it again (twenty visitors at once would
    otherwise build the same ranking twenty times). An answer larger than the whole budget is
    returned but not kept. A failed computation keeps nothing.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        key = _hashable(key)
        found = self._hit(key)
        if found is not None:
            return found[0]
        with self._lock:
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            found = self._hit(key)  # computed by another session while this one waited
            if found is not None:
                return found[0]
            try:
                value = compute()
                self._keep(key, value, size_of(value))
            finally:
                with self._lock:
                    self._computing.pop(key, None)
        return value

    def _hit(self, key: Hashable) -> tuple[Any] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return (entry[0],)

    def _keep(self, key: Hashable, value: Any, size: int) -> None:
        if size > self.budget:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.budget:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    @property
    def kept_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return _hashable(key) in self._entries


def _hashable(key: Hashable) -> Hashable:
    """The key itself when Python can hash it, else its pickled bytes (a list or a dict
    among the arguments), which are equal for equal arguments within a process."""
    try:
        hash(key)
    except TypeError:
        return pickle.dumps(key, protocol=pickle.HIGHEST_PROTOCOL)
    return key


def size_of(value: Any, _seen: set[int] | None = None) -> int:
    """Bytes ``value`` holds, estimated: exact for tables and arrays, the sum of the parts
    for containers, dataclasses and plain objects (a plotly figure), each object counted
    once."""
    seen = set() if _seen is None else _seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, pd.DataFrame | pd.Series | pd.Index):
        usage = value.memory_usage(deep=True, index=True)
        return int(usage.sum()) if isinstance(usage, pd.Series) else int(usage)
    if isinstance(value, pa.Table | pa.Array | pa.ChunkedArray):
        return int(value.nbytes)
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, str | bytes | int | float | bool | None):
        return sys.getsizeof(value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(
            size_of(k, seen) + size_of(v, seen) for k, v in value.items()
        )
    if isinstance(value, list | tuple | set | frozenset):
        return sys.getsizeof(value) + sum(size_of(item, seen) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = (getattr(value, f.name) for f in dataclasses.fields(value))
        return sys.getsizeof(value) + sum(size_of(part, seen) for part in parts)
    if hasattr(value, "__dict__"):
        return sys.getsizeof(value) + size_of(vars(value), seen)
    return sys.getsizeof(value)
