"""PostgreSQL as the store, in DuckDB's dialect: DuckDB runs every query, its ``postgres``
extension (loaded from its PyPI package, never downloaded) attaching the database as ``pg``.

- **Writes** run on the attachment, one PostgreSQL transaction each. A write transaction first
  takes a lock on ``store_meta`` that only writers take (readers never wait), *before* its first
  query: PostgreSQL's repeatable-read snapshot (the extension's isolation level) is taken at the
  first query, so a writer that waited sees everything the writer before it committed. Writers of
  many processes therefore run one after another, like the one writer of a DuckDB file.
- **DDL** stays DuckDB's, as the migrations have always written it (they are history for
  existing DuckDB stores): ``postgres_ddl`` adapts a statement and runs it natively, in the
  same transaction (PostgreSQL's DDL is transactional), since the extension cannot create
  sequences through the attachment. The one place the dialects meet: new migrations work
  unchanged.
- **Reads** go to a copy of every table in the process's own in-memory DuckDB catalog (the
  *replica*), refreshed when the store's data version moves; reading through the attachment
  costs a PostgreSQL scan per query, which the pages' dozens of queries cannot afford.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any
from urllib.parse import urlsplit

import duckdb

from sihub.db import meta
from sihub.db.locations import redacted
from sihub.db.store import Store
from sihub.db.store import load_extension as _load
from sihub.errors import StoreError

CATALOG = "pg"  # the attachment's name inside each process's DuckDB
REPLICA = "memory"  # the in-memory catalog the process reads from
# How long a write waits for the one before it (another process's import): the same limit as
# the importer's own queue (importing.writer.WAIT_LIMIT_S).
LOCK_TIMEOUT = "600s"
WRITE_LOCK_SQL = (
    f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'; "
    "LOCK TABLE store_meta IN SHARE ROW EXCLUSIVE MODE"  # conflicts with itself, not with reads
)
# Created outside any transaction when a store is opened, so that the writers' lock has a
# table to lock even before the first migration (the same statement as sihub.db.meta).
META_SQL = "CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)"
# A replica copied while a write committed is copied again; after this many tries it is used
# as it is and copied again on the next check.
REPLICA_TRIES = 3
LOGGER = logging.getLogger(__name__)
# How long a page run waits for newer data being copied in before it draws from the copy it has
# (and says so): as long as a small store's whole copy takes.
CATCH_UP_WAIT_S = 1.0
# How often a process asks PostgreSQL whether its copy is current, at most (without ``wait``):
# two queries through the attachment, a few milliseconds a page run would otherwise spend,
# 40 times over when 40 people open the hub at once.
LOOK_EVERY_S = 1.0

_DDL = re.compile(r"^\s*(CREATE|ALTER|DROP|COMMENT)\b", re.IGNORECASE)
_SELECTING = re.compile(r"\bAS\s*\(?\s*(SELECT|WITH|FROM)\b", re.IGNORECASE)
# DuckDB type names that PostgreSQL spells otherwise (DOUBLE, FLOAT: 8 and 4 bytes in DuckDB).
_TYPES = (
    (re.compile(r"\bDOUBLE\b(?!\s+PRECISION)", re.IGNORECASE), "DOUBLE PRECISION"),
    (re.compile(r"\bFLOAT\b", re.IGNORECASE), "REAL"),
    (re.compile(r"\b(U?TINYINT|UTINYINT)\b", re.IGNORECASE), "SMALLINT"),
    (re.compile(r"\bHUGEINT\b", re.IGNORECASE), "NUMERIC(38)"),
    (re.compile(r"\bBLOB\b", re.IGNORECASE), "BYTEA"),
    (re.compile(r"\bCREATE\s+OR\s+REPLACE\s+TABLE\b", re.IGNORECASE), "CREATE TABLE"),
)
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def postgres_ddl(sql: str) -> str:
    """A DuckDB DDL statement of our migrations as PostgreSQL says it."""
    for pattern, replacement in _TYPES:
        sql = pattern.sub(replacement, sql)
    return sql


def is_native_ddl(sql: str) -> bool:
    """DDL that PostgreSQL runs itself; a ``CREATE TABLE … AS SELECT`` stays with DuckDB, whose
    functions its query may use (the attachment creates the table)."""
    return bool(_DDL.match(sql)) and not _SELECTING.search(sql)


def table_name(name: str) -> str:
    """A table name read from the store's catalogue, if it is one of the kind we create."""
    if not _IDENTIFIER.match(name):
        raise StoreError(f"unexpected table name {name!r}")
    return name


class PostgresCursor:
    """A DuckDB cursor on the attached database: DuckDB runs every statement, except DDL, which
    PostgreSQL runs natively (``postgres_ddl``) inside the same transaction."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self._cursor = cursor
        cursor.execute(f"USE {CATALOG}")  # USE is per cursor: every cursor starts in memory

    def execute(self, sql: str, parameters: Sequence | dict | None = None) -> PostgresCursor:
        if is_native_ddl(sql):
            self._cursor.execute("CALL postgres_execute(?, ?)", [CATALOG, postgres_ddl(sql)])
            self._cursor.execute("CALL pg_clear_cache()")  # the attachment sees the new schema
        elif parameters is None:
            self._cursor.execute(sql)
        else:
            self._cursor.execute(sql, parameters)
        return self

    def native(self, sql: str) -> None:
        """Run ``sql`` (our own constant text) in PostgreSQL itself, in this transaction."""
        self._cursor.execute("CALL postgres_execute(?, ?)", [CATALOG, sql])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


def attach(con: duckdb.DuckDBPyConnection, url: str) -> None:
    """Attach ``url`` as ``pg`` to ``con`` and make sure the writers' lock table exists."""
    import duckdb_extensions

    try:
        duckdb_extensions.import_extension("postgres", con=con)
        con.execute("LOAD postgres")
        quoted = url.replace("'", "''")  # ATTACH takes no bound parameter; the URL is config
        con.execute(f"ATTACH '{quoted}' AS {CATALOG} (TYPE postgres)")
        con.execute("CALL postgres_execute(?, ?)", [CATALOG, META_SQL])
    except (duckdb.Error, ImportError, OSError) as e:
        raise StoreError(_without_secret(str(e), url), path=redacted(url)) from e


def _without_secret(text: str, url: str) -> str:
    password = urlsplit(url).password
    return text.replace(password, "***") if password else text


class Replica:
    """The process's copy of every table of the attached database, in its in-memory catalog,
    and the state it was copied at: the data version, and the one the derived tables were
    built for (a rebuild of stale derived tables leaves the data version alone)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._lock = threading.Lock()
        self._starting = threading.Lock()
        self._copier: threading.Thread | None = None
        self.state: tuple[int, int | None] | None = None
        self._current_at = 0.0  # when the copy was last found current (time.monotonic)
        self.copied_in_s = 0.0

    @property
    def copying(self) -> bool:
        """Whether a copy runs in the background (``refresh(wait=False)``)."""
        return self._copier is not None and self._copier.is_alive()

    def refresh(self, source_state: Callable[[], tuple[int, int | None]], wait: bool = True) -> int:
        """Copy every table when ``source_state()`` differs from the copy's; returns the data
        version the copy now holds. Other threads wait meanwhile and find it current.

        Without ``wait`` (a page run), the store is asked at most every ``LOOK_EVERY_S``, and
        the copy there is keeps being read (DuckDB shows readers the tables as committed)
        while a new one is made in the background, waited for only ``CATCH_UP_WAIT_S``: a
        small store's copy is over by then, but at 100,000 innovations a copy takes 8 s, which
        every page of the process would otherwise wait for after any import."""
        if not wait and self.state is not None:
            if time.monotonic() - self._current_at < LOOK_EVERY_S:
                return self.state[0]
            wanted = source_state()
            if wanted == self.state:
                self._current_at = time.monotonic()
            else:
                copier, started = self._copy_in_background(source_state)
                if started:  # runs while it goes on do not wait again
                    copier.join(CATCH_UP_WAIT_S)
            return self.state[0]
        with self._lock:
            wanted = source_state()
            if wanted == self.state:
                self._current_at = time.monotonic()
                return wanted[0]
            started = time.perf_counter()
            for _ in range(REPLICA_TRIES):
                self.copy_all()
                copied, wanted = wanted, source_state()
                if copied == wanted:  # no write committed while copying
                    break
            self.state = copied
            self._current_at = time.monotonic()
            self.copied_in_s = time.perf_counter() - started
            return copied[0]

    def _copy_in_background(
        self, source_state: Callable[[], tuple[int, int | None]]
    ) -> tuple[threading.Thread, bool]:
        """The thread copying in the background, and whether this call started it."""
        with self._starting:
            if self.copying:
                return self._copier, False
            self._copier = threading.Thread(
                target=self._refresh_logged, args=(source_state,), daemon=True
            )
            self._copier.start()
            return self._copier, True

    def _refresh_logged(self, source_state: Callable[[], tuple[int, int | None]]) -> None:
        # Nobody waits for this thread: a failure is logged and the next page run tries again
        # (its own look at the store's state says what is wrong, if the store is unreachable).
        try:
            self.refresh(source_state)
        except Exception:
            LOGGER.exception("copying the PostgreSQL store into this process failed")

    def copy_all(self) -> None:
        """Copy every table of the attached database now, in one transaction."""
        cur = self._con.cursor()
        try:
            tables = [
                table_name(r[0])
                for r in cur.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = ? "
                    "AND schema_name = 'public'",
                    [CATALOG],
                ).fetchall()
            ]
            cur.execute("BEGIN TRANSACTION")
            for table in tables:
                cur.execute(
                    f'CREATE OR REPLACE TABLE {REPLICA}.main."{table}" AS '
                    f'SELECT * FROM {CATALOG}.public."{table}"'
                )
            cur.execute("COMMIT")
        except BaseException:
            with suppress(duckdb.Error):  # nothing to roll back when the listing failed
                cur.execute("ROLLBACK")
            raise
        finally:
            cur.close()


class PostgresStore(Store):
    """A store in PostgreSQL: writes on the attachment, reads on the process's replica."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: str) -> None:
        super().__init__(connection, path)
        self.label = redacted(path)
        self.replica = Replica(connection)
        self._stale = True  # copied on first read, and again after each write of this process

    @classmethod
    def open(cls, path: str) -> PostgresStore:
        con = duckdb.connect(":memory:")
        try:
            attach(con, path)
        except BaseException:
            con.close()
            raise
        return cls(con, path)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the replica, copied anew first if this process has written since."""
        if self._stale:
            self.refresh()
        return super().cursor()

    def write_cursor(self) -> PostgresCursor:
        with self._cursor_lock:
            return PostgresCursor(self._con.cursor())

    def current_rows(self, sql: str, params: Sequence | dict | None = None) -> list[tuple]:
        cur = self.write_cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    def _begin(self, cur: PostgresCursor) -> None:  # type: ignore[override]
        cur.execute("BEGIN TRANSACTION")
        cur.native(WRITE_LOCK_SQL)  # before the first query: see the module docstring

    def _committed(self) -> None:
        self._stale = True

    def source_state(self) -> tuple[int, int | None]:
        """The data version in PostgreSQL itself (a write of any process moves it), and the
        version its derived tables were built for (a rebuild of any process moves that)."""
        cur = self.write_cursor()
        try:
            try:
                built = cur.execute("SELECT max(built_for_version) FROM derived_state").fetchone()
            except duckdb.CatalogException:  # a store before its migrations
                built = (None,)
            return meta.data_version(cur), built[0]
        finally:
            cur.close()

    def refresh(self) -> int:
        """Bring the replica up to the store's state; returns its data version."""
        self._stale = False
        return self.replica.refresh(self.source_state)

    def data_version(self, wait: bool = True) -> int:
        """The version the replica holds, after copying it anew if another process (or this
        one) has written since: the frame asks once per run, so a page run sees new data.
        Without ``wait`` (the frame), another process's write is copied in the background
        while this process's pages go on reading the copy they have; this process's own write
        and the first copy are always waited for."""
        if self._stale:
            return self.refresh()
        return self.replica.refresh(self.source_state, wait=wait)

    def reads_ready(self) -> bool:
        return self.replica.state is not None and not self._stale

    @property
    def catching_up(self) -> bool:
        return self.replica.copying

    def load_extension(self, name: str) -> None:
        _load(self._con, name, self.label)

    def checkpoint(self) -> bool:
        return True  # PostgreSQL keeps its own log

    def has_table(self, name: str) -> bool:
        return bool(
            self.current_rows(
                "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? "
                "AND schema_name = 'public' AND table_name = ?",
                [CATALOG, name],
            )[0][0]
        )


def sequence_values(cur: duckdb.DuckDBPyConnection | PostgresCursor, sequence: str, n: int):
    """``n`` fresh values of ``sequence`` in one query, in a DuckDB file or PostgreSQL (whose
    sequences the attachment cannot reach: PostgreSQL draws them itself)."""
    if not isinstance(cur, PostgresCursor):
        found = cur.execute(f"SELECT nextval('{sequence}') FROM range(?)", [n]).fetchall()
        return [r[0] for r in found]
    # no bound parameters in a native query: the name is checked, the count an int of ours
    native = f"SELECT nextval('{table_name(sequence)}') FROM generate_series(1, {int(n)})"
    found = cur.execute(f"SELECT * FROM postgres_query('{CATALOG}', ?)", [native]).fetchall()
    return [r[0] for r in found]
