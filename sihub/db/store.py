"""The only module that opens DuckDB: a connection and its small helpers.

One connection per process and database file (DuckDB allows one writer process per file);
every call gets its own ``cursor()`` so that Streamlit's threads never share one; writes
run in explicit ``BEGIN … COMMIT`` transactions. Opening a store *and* migrating it is composed
in ``sihub.db`` (``connect``/``open_store``): this module knows nothing of migrations. A
PostgreSQL store (``sihub.db.postgres``) is this class with its writes on the attached database
and its reads on a per-process copy.
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
from sihub.db import meta
from sihub.db.locations import is_postgres_url, mistyped_url
from sihub.errors import StoreAddressError, StoreError, StoreLockedError

DEFAULT_DB = DATA_DIR / "sihub.duckdb"
MEMORY = ":memory:"


def db_path(explicit: str | os.PathLike | None = None) -> str:
    """The store to use: an explicit path or PostgreSQL URL, else ``$SIHUB_DB``, else
    ``data/sihub.duckdb``."""
    chosen = explicit or os.environ.get("SIHUB_DB") or DEFAULT_DB
    scheme = mistyped_url(chosen)
    if scheme is not None:  # resolved as a path, a typo would become a new, empty DuckDB file
        raise StoreAddressError(scheme=scheme)
    if str(chosen) == MEMORY or is_postgres_url(chosen):
        return str(chosen)
    return str(Path(chosen).expanduser().resolve())


def load_extension(con: duckdb.DuckDBPyConnection, name: str, label: str) -> None:
    """Load a DuckDB extension from its PyPI package (never a network download)."""
    import duckdb_extensions

    cur = con.cursor()
    try:
        duckdb_extensions.import_extension(name, con=cur)
        cur.execute(f"LOAD {name}")
    except (duckdb.Error, ImportError, OSError) as e:
        raise StoreError(f"extension {name}: {e}", path=label) from e
    finally:
        cur.close()


class Store:
    """A migrated DuckDB database with small helpers for reading and transactional writing."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: str) -> None:
        self._con = connection
        self._cursor_lock = threading.Lock()
        self._closed = False
        self.path = path
        self.label = path  # how messages and pages name the store (a URL without its password)

    @classmethod
    def open(cls, path: str) -> Store:
        """Connect to (creating if needed) the DuckDB file at ``path``, without migrating it."""
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
        return cls(con, path)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for reading."""
        with self._cursor_lock:
            return self._con.cursor()

    def write_cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for a write transaction (the same database as reads, for a DuckDB file)."""
        return self.cursor()

    def current_rows(self, sql: str, params: Sequence | dict | None = None) -> list[tuple]:
        """Rows read from the store itself, never from a copy: what a writer decides on."""
        return self.rows(sql, params)

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
        cur = self.write_cursor()
        try:
            self._begin(cur)
            if bump_version:  # first, so that the work inside sees the version it writes
                meta.bump_data_version(cur)
            yield cur
            if rollback:
                cur.execute("ROLLBACK")
                return
            cur.execute("COMMIT")
        except BaseException:
            # DuckDB has ended it already after a failed COMMIT: keep the error that did it
            with suppress(duckdb.TransactionException, duckdb.InvalidInputException):
                cur.execute("ROLLBACK")
            raise
        finally:
            cur.close()
        self._committed()

    def _begin(self, cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute("BEGIN TRANSACTION")

    def _committed(self) -> None:
        """Called after every committed write transaction."""

    def load_extension(self, name: str) -> None:
        load_extension(self._con, name, self.label)

    @contextmanager
    def attached(self, location: str, alias: str) -> Iterator[None]:
        """The store at ``location`` (a path or PostgreSQL URL) attached read-only under
        ``alias`` while the block runs: a whole store copied in one transaction reads it."""
        quoted = location.replace("'", "''")  # ATTACH takes no bound parameter
        options = "TYPE postgres, READ_ONLY" if is_postgres_url(location) else "READ_ONLY"
        if is_postgres_url(location):
            load_extension(self._con, "postgres", self.label)
        cur = self._con.cursor()
        try:
            cur.execute(f"ATTACH '{quoted}' AS {alias} ({options})")
            yield
        finally:
            with suppress(duckdb.Error):
                cur.execute(f"DETACH {alias}")
            cur.close()

    def checkpoint(self) -> bool:
        """Fold the write-ahead log into the database file; False when another write is
        under way (DuckDB refuses then, and checkpoints later by itself)."""
        try:
            self.rows("CHECKPOINT")
        except duckdb.Error:
            return False
        return True

    def data_version(self, wait: bool = True) -> int:
        """A counter that every committed write increases; caches key on it. (``wait``: see
        ``PostgresStore.data_version``; a DuckDB file is read as it is.)"""
        cur = self.cursor()
        try:
            return meta.data_version(cur)
        finally:
            cur.close()

    def reads_ready(self) -> bool:
        """Whether a read can start at once (False: a PostgreSQL store's first copy is due)."""
        return True

    @property
    def catching_up(self) -> bool:
        """Whether newer data is being copied in while reads see the data as it was."""
        return False

    def meta(self, key: str, default: str | None = None) -> str | None:
        cur = self.cursor()
        try:
            return meta.read(cur, key, default)
        finally:
            cur.close()

    def has_table(self, name: str) -> bool:
        return bool(
            self.scalar(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND database_name = "
                "current_database()",
                [name],
            )
        )

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        self._closed = True
        self._con.close()
