"""Store metadata: the data version that caches key on, and a few named facts about the store
(``dataset`` = demo, the demo's reference date, the digest of the loaded reference files).

The table is bookkeeping, like the list of applied migrations: ``migrations.migrate`` creates
it before any migration runs, so every migrated store has it and nothing needs to ask first.
"""

from __future__ import annotations

import duckdb

Cursor = duckdb.DuckDBPyConnection

TABLE_SQL = "CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)"


def create_table(cur: Cursor) -> None:
    cur.execute(TABLE_SQL)


def data_version(cur: Cursor) -> int:
    """A counter that every committed write increases; 0 for a store that was never written
    or never migrated. Read on every cached call of a page, so it reads the row directly."""
    try:
        found = cur.execute("SELECT value FROM store_meta WHERE key = 'data_version'").fetchone()
    except duckdb.CatalogException:
        return 0
    return int(found[0]) if found and found[0] else 0


def bump_data_version(cur: Cursor) -> None:
    """Move the data version on, inside the caller's write transaction."""
    cur.execute(
        "INSERT INTO store_meta VALUES ('data_version', '1') ON CONFLICT (key) DO UPDATE "
        "SET value = CAST(CAST(store_meta.value AS INTEGER) + 1 AS VARCHAR)"
    )


def read(cur: Cursor, key: str, default: str | None = None) -> str | None:
    try:
        found = cur.execute("SELECT value FROM store_meta WHERE key = ?", [key]).fetchone()
    except duckdb.CatalogException:
        return default
    return default if found is None or found[0] is None else found[0]


def write(cur: Cursor, key: str, value: str | None) -> None:
    """Write one entry inside the caller's transaction (None deletes it)."""
    if value is None:
        cur.execute("DELETE FROM store_meta WHERE key = ?", [key])
    else:
        cur.execute(
            "INSERT INTO store_meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
            "excluded.value",
            [key, value],
        )
