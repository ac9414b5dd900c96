"""One import at a time writes to a store; database errors reach people as sentences.

The Streamlit server runs every session in a thread of one process, all on one DuckDB
connection per store. Two commits at once (two staff members, or one in two tabs) both write
the store's data version and the next batch number; DuckDB's optimistic concurrency then failed
the larger one after all its work with "Conflict on update!". So the writes of the import path
(commit and its dry run, undo, saving a mapping) take a store's writer lock: the second waits,
and says so through ``on_wait``. A conflict with a write outside the import path (reference
data, derived tables) is retried once.

DuckDB's own messages are for the log: people get a translated error (``translated``), never
the database's text.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import duckdb

from sihub.db.store import MEMORY, Store
from sihub.errors import SihubError

log = logging.getLogger(__name__)
T = TypeVar("T")

# How long a write waits for the one before it. The longest real import (100,000 rows) takes
# about 15 s; after this something is wrong, and the user is told to try again.
WAIT_LIMIT_S = 600.0
ATTEMPTS = 2  # a write that meets a conflict outside the queue is tried once more

_locks: dict[str, threading.RLock] = {}
_locks_guard = threading.Lock()


class ImportBusyError(SihubError):
    """Another import of the same store did not finish in time; nothing was written."""

    key = "error.import_busy"


class ImportConflictError(SihubError):
    """Another change to the store was saved at the same moment, twice; nothing was written."""

    key = "error.import_conflict"


class ImportCommitError(SihubError):
    """Writing a validated file failed inside its transaction; nothing was written."""

    key = "error.import_commit"


class ImportStoreError(SihubError):
    """The store failed while checking a file, undoing or saving a mapping; nothing changed."""

    key = "error.import_store"


def _lock_of(store: Store) -> threading.RLock:
    key = f"{MEMORY}{id(store)}" if store.path == MEMORY else store.path
    with _locks_guard:
        return _locks.setdefault(key, threading.RLock())


@contextmanager
def one_writer(store: Store, on_wait: Callable[[], object] | None = None) -> Iterator[None]:
    """Hold ``store``'s writer lock; ``on_wait`` is called first if another write holds it."""
    lock = _lock_of(store)
    if not lock.acquire(blocking=False):
        if on_wait is not None:
            on_wait()
        if not lock.acquire(timeout=WAIT_LIMIT_S):
            raise ImportBusyError(minutes=round(WAIT_LIMIT_S / 60))
    try:
        yield
    finally:
        lock.release()


def is_conflict(error: duckdb.Error) -> bool:
    """A clash with a concurrent write (worth one more try): DuckDB's write-write conflict, or
    a commit that two transactions' new rows with the same key made fail."""
    text = str(error).lower()
    return isinstance(error, duckdb.TransactionException) and (
        "conflict" in text or ("failed to commit" in text and "constraint" in text)
    )


def retried(
    write: Callable[[], T], file: str = "", failure: type[SihubError] = ImportStoreError
) -> T:
    """``write()`` (a whole transaction), once more after a conflict; errors translated."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return write()
        except duckdb.Error as e:
            if is_conflict(e) and attempt < ATTEMPTS:
                log.warning("write conflict on %s, trying again: %s", file or "the store", e)
                continue
            raise translated(e, file, failure) from e
    raise AssertionError("unreachable")  # the loop returns or raises


def translated(
    error: duckdb.Error, file: str = "", failure: type[SihubError] = ImportStoreError
) -> SihubError:
    """The error a person sees for a database error; DuckDB's text goes to the log."""
    log.error("store error (%s): %s", file or "import", error, exc_info=error)
    return ImportConflictError(file=file) if is_conflict(error) else failure(file=file)


@contextmanager
def store_errors_translated(file: str = "") -> Iterator[None]:
    """Any database error in the block reaches the caller as a translated SihubError."""
    try:
        yield
    except duckdb.Error as e:
        raise translated(e, file) from e
