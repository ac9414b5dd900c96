"""The store: the one place that opens it (``connect``, ``open_store``), its migrations, its
metadata and the data derived from it. A store is a DuckDB file or, named by a
``postgresql://`` URL, a PostgreSQL database (``sihub.db.postgres``).

Opening a store is composed here and only here: connect (``store``), then bring the schema up
to date (``migrations``). Migrations depend on the connection, never the reverse.
"""

from __future__ import annotations

import contextlib
import os
import threading

from sihub.db.locations import is_postgres_url, mistyped_url
from sihub.db.migrations import migrate
from sihub.db.postgres import PostgresStore
from sihub.db.store import MEMORY, Store, db_path
from sihub.errors import StoreAddressError, StoreError

__all__ = [
    "MEMORY",
    "PostgresStore",
    "Store",
    "connect",
    "db_path",
    "is_postgres_url",
    "open_store",
]

_open_stores: dict[str, Store] = {}
_open_lock = threading.Lock()


def connect(path: str | os.PathLike, *, migrate_schema: bool = True) -> Store:
    """Open (creating if needed) the store at ``path`` (a DuckDB file, or a PostgreSQL URL) and
    apply pending migrations."""
    scheme = mistyped_url(path)
    if scheme is not None:  # else a typo would become a new, empty DuckDB file
        raise StoreAddressError(scheme=scheme)
    opener = PostgresStore if is_postgres_url(path) else Store
    store = opener.open(str(path))
    _load_optional_extensions(store)
    if migrate_schema:
        try:
            migrate(store)
        except BaseException:
            store.close()
            raise
    return store


def _load_optional_extensions(store: Store) -> None:
    """Full-text search's stemmer, for the derived text index; without it the index falls back
    to word prefixes (``derived._stemmer``), so a missing extension is not an error."""
    with contextlib.suppress(StoreError):
        store.load_extension("fts")


def open_store(path: str | os.PathLike | None = None) -> Store:
    """The process's one Store for ``path`` (see ``db_path``), opened and migrated on first use."""
    resolved = db_path(path)
    with _open_lock:
        store = _open_stores.get(resolved)
        if store is None or store.closed or resolved == MEMORY:
            store = connect(resolved)
            if resolved != MEMORY:
                _open_stores[resolved] = store
        return store
