"""Copying a whole store to another (a DuckDB file to PostgreSQL, or back), checked by row counts.

Both stores are first brought to this SI Hub's migrations, so that they have the same tables.
The copy is one transaction of the target: every table emptied and filled from the source,
attached read-only, the sequences moved past the copied ids, and each table's row count
compared with the source's before the commit. A failure leaves the target as it was.
"""

from __future__ import annotations

from sihub.db import meta
from sihub.db.postgres import CATALOG, PostgresCursor, table_name
from sihub.db.store import Store
from sihub.errors import SihubError

SOURCE = "copy_source"  # the source's name inside the target's DuckDB while copying
KEPT = ("_migrations",)  # the target's own: both stores have run the same migrations
STORE_META_KEPT = ("data_version",)  # the target's version moves on; it never goes back


class CopyTargetNotEmptyError(SihubError):
    """The target store already holds data and replacing it was not asked for."""

    key = "error.copy_not_empty"


class CopyCountError(SihubError):
    """A table of the copy does not have the source's number of rows; nothing was written."""

    key = "error.copy_counts"


def copy_store(source: str, target: str, *, replace: bool = False) -> dict[str, int]:
    """Copy every table of the store at ``source`` into the store at ``target`` (paths or
    PostgreSQL URLs); returns the row count of each table copied."""
    from sihub.db import connect

    origin = connect(source)  # migrated to this SI Hub's schema, like the target
    try:
        tables = [t for t in _tables(origin) if t not in KEPT]
        version = origin.data_version()
    finally:
        origin.close()
    store = connect(target)
    try:
        if not replace and has_data(store):
            raise CopyTargetNotEmptyError(path=store.label)
        with store.attached(source, SOURCE), store.transaction() as cur:
            counts = {table: _copy_table(cur, table) for table in tables}
            _advance_sequences(cur)
            # derived tables built for the source's data are built for the copy's too
            cur.execute(
                "UPDATE derived_state SET built_for_version = ? WHERE built_for_version = ?",
                [meta.data_version(cur), version],
            )
        return counts
    finally:
        store.close()


def has_data(store: Store) -> bool:
    """Whether any import batch or innovation is stored (a migrated, empty store has none)."""
    return bool(
        store.current_rows(
            "SELECT (SELECT count(*) FROM import_batches) + (SELECT count(*) FROM innovations)"
        )[0][0]
    )


def _tables(store: Store) -> list[str]:
    return [
        table_name(r[0])
        for r in store.current_rows(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = current_schema() ORDER BY table_name"
        )
    ]


def _copy_table(cur, table: str) -> int:
    """Replace ``table``'s rows with the source's; the count, once both sides agree."""
    source = f"{SOURCE}.{table}"
    if table == "store_meta":
        kept = ", ".join("?" for _ in STORE_META_KEPT)
        cur.execute(f"DELETE FROM store_meta WHERE key NOT IN ({kept})", list(STORE_META_KEPT))
        cur.execute(
            f"INSERT INTO store_meta SELECT * FROM {source} WHERE key NOT IN ({kept})",
            list(STORE_META_KEPT),
        )
        return cur.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
    cur.execute(f"DELETE FROM {table}")
    cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {source}")
    expected = cur.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
    copied = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if copied != expected:
        raise CopyCountError(table=table, expected=expected, copied=copied)
    return copied


def _advance_sequences(cur) -> None:
    """Move every id sequence past the largest copied id, so new rows never reuse one."""
    for table, sequence in _sequences(cur):
        top = cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        if isinstance(cur, PostgresCursor):
            cur.native(f"SELECT setval('{sequence}', {int(top) + 1}, false)")
        else:  # DuckDB cannot set a sequence: draw the values the copied rows use
            current = cur.execute(
                "SELECT last_value FROM duckdb_sequences() WHERE sequence_name = ?", [sequence]
            ).fetchone()[0]
            if top > (current or 0):
                cur.execute(
                    f"SELECT nextval('{sequence}') FROM range(?)", [int(top) - (current or 0)]
                ).fetchall()


def _sequences(cur) -> list[tuple[str, str]]:
    """(table, sequence) of every ``id`` column drawn from a sequence."""
    if isinstance(cur, PostgresCursor):
        rows = cur.execute(
            f"SELECT * FROM postgres_query('{CATALOG}', ?)",
            [
                "SELECT table_name::text, column_default::text FROM information_schema.columns "
                "WHERE table_schema = 'public' AND column_name = 'id' "
                "AND column_default LIKE 'nextval%'"
            ],
        ).fetchall()
    else:
        rows = cur.execute(
            "SELECT table_name, column_default FROM duckdb_columns() WHERE column_name = 'id' "
            "AND database_name = current_database() AND column_default LIKE 'nextval%'"
        ).fetchall()
    return [(table_name(t), table_name(d.split("'")[1])) for t, d in rows]
