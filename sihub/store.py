"""The only module that opens DuckDB.

One connection per process and database file (DuckDB allows one writer process per file);
every call gets its own ``cursor()`` so that Streamlit's threads never share one; writes
run in explicit ``BEGIN … COMMIT`` transactions. Opening a store runs pending migrations.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from sihub import DATA_DIR
from sihub.errors import StoreError, StoreLockedError

DEFAULT_DB = DATA_DIR / "sihub.duckdb"
MEMORY = ":memory:"

_open_stores: dict[str, Store] = {}
_open_lock = threading.Lock()


def db_path(explicit: str | os.PathLike | None = None) -> str:
    """The store to use: an explicit path, else ``$SIHUB_DB``, else ``data/sihub.duckdb``."""
    chosen = explicit or os.environ.get("SIHUB_DB") or DEFAULT_DB
    return chosen if str(chosen) == MEMORY else str(Path(chosen).expanduser().resolve())


class Store:
    """A migrated DuckDB database with small helpers for reading and transactional writing."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: str) -> None:
        self._con = connection
        self._cursor_lock = threading.Lock()
        self.path = path

    @classmethod
    def connect(cls, path: str, *, migrate: bool = True) -> Store:
        """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
        if path != MEMORY:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(path)
        except duckdb.IOException as e:
            if "lock" in str(e).lower():
                raise StoreLockedError(str(e), path=path) from e
            raise StoreError(str(e), path=path) from e
        except duckdb.Error as e:
            raise StoreError(str(e), path=path) from e
        store = cls(con, path)
        if migrate:
            from sihub.migrations import migrate as run_migrations

            run_migrations(store)
        return store

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._cursor_lock:
            return self._con.cursor()

    def query(self, sql: str, params: Sequence | dict | None = None) -> pd.DataFrame:
        """Run a read query and return a DataFrame (text columns have pandas' ``str`` dtype)."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def rows(self, sql: str, params: Sequence | dict | None = None) -> list[tuple]:
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    def records(self, sql: str, params: Sequence | dict | None = None) -> list[dict[str, Any]]:
        cur = self.cursor()
        try:
            result = cur.execute(sql, params or [])
            names = [d[0] for d in result.description]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
        finally:
            cur.close()

    def scalar(self, sql: str, params: Sequence | dict | None = None) -> Any:
        found = self.rows(sql, params)
        return found[0][0] if found else None

    @contextmanager
    def transaction(
        self, rollback: bool = False, bump_version: bool = True
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside ``BEGIN … COMMIT``; any exception rolls everything back.

        With ``rollback=True`` the work is always rolled back: a dry run that takes exactly
        the code path of the real write and reports what it would have done.
        ``bump_version=False`` is for derived data rebuilt from what is already there (the
        text index): it changes no answer, so caches stay valid, and it never touches the
        ``store_meta`` row that a concurrent import commits to.
        """
        cur = self.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
            if rollback:
                cur.execute("ROLLBACK")
                return
            if bump_version:
                bump_data_version(cur)
            cur.execute("COMMIT")
        except BaseException:
            # DuckDB has ended it already after a failed COMMIT: keep the error that did it
            with suppress(duckdb.TransactionException):
                cur.execute("ROLLBACK")
            raise
        finally:
            cur.close()

    def load_extension(self, name: str) -> None:
        """Load a DuckDB extension from its PyPI package (never a network download)."""
        import duckdb_extensions

        cur = self.cursor()
        try:
            duckdb_extensions.import_extension(name, con=cur)
            cur.execute(f"LOAD {name}")
        except (duckdb.Error, ImportError, OSError) as e:
            raise StoreError(f"extension {name}: {e}", path=self.path) from e
        finally:
            cur.close()

    def checkpoint(self) -> bool:
        """Fold the write-ahead log into the database file; False when another write is
        under way (DuckDB refuses then, and checkpoints later by itself)."""
        try:
            self.rows("CHECKPOINT")
        except duckdb.Error:
            return False
        return True

    def data_version(self) -> int:
        """A counter that every committed write increases; caches key on it.

        Read on every cached call of a page, so it reads the row directly instead of first
        asking the catalogue whether ``store_meta`` exists (that probe cost more than the read);
        a store opened without migrations has no ``store_meta`` and is at version 0.
        """
        try:
            value = self.scalar("SELECT value FROM store_meta WHERE key = 'data_version'")
        except duckdb.CatalogException:
            return 0
        return int(value or 0)

    def meta(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM store_meta WHERE key = ?", [key])
        return default if value is None else value

    def has_table(self, name: str) -> bool:
        return bool(
            self.scalar(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND database_name = "
                "current_database()",
                [name],
            )
        )

    def close(self) -> None:
        with _open_lock:
            if _open_stores.get(self.path) is self:
                del _open_stores[self.path]
        self._con.close()


def bump_data_version(cur: duckdb.DuckDBPyConnection) -> None:
    if cur.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'store_meta' "
        "AND database_name = current_database()"
    ).fetchone()[0]:
        cur.execute(
            "INSERT INTO store_meta VALUES ('data_version', '1') ON CONFLICT (key) DO UPDATE "
            "SET value = CAST(CAST(store_meta.value AS INTEGER) + 1 AS VARCHAR)"
        )


def set_meta(cur: duckdb.DuckDBPyConnection, key: str, value: str | None) -> None:
    """Write one ``store_meta`` entry inside the caller's transaction (None deletes it)."""
    if value is None:
        cur.execute("DELETE FROM store_meta WHERE key = ?", [key])
    else:
        cur.execute(
            "INSERT INTO store_meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
            "excluded.value",
            [key, value],
        )


def open_store(path: str | os.PathLike | None = None) -> Store:
    """The process's one Store for ``path`` (see ``db_path``), opened and migrated on first use."""
    resolved = db_path(path)
    with _open_lock:
        store = _open_stores.get(resolved)
        if store is None or resolved == MEMORY:
            store = Store.connect(resolved)
            if resolved != MEMORY:
                _open_stores[resolved] = store
        return store
