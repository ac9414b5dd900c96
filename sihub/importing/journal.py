"""Writes that remember what they changed, so that a whole import batch can be undone exactly.

Every insert, update and delete of an import goes through ``Journal``; it records the key of
the row and, for updates and deletes, the row as it was. ``undo`` replays the records of a
batch backwards inside one transaction.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import duckdb
import pandas as pd

Cursor = duckdb.DuckDBPyConnection


def _jsonable(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _dump(row: dict) -> str:
    return json.dumps({k: _jsonable(v) for k, v in row.items()}, ensure_ascii=False)


def _where(key: dict) -> tuple[str, list]:
    return " AND ".join(f"{col} = ?" for col in key), list(key.values())


def insert_frame(cur: Cursor, table: str, frame: pd.DataFrame) -> None:
    """Insert all rows of ``frame`` in one statement (per-row INSERTs cost ~1 ms each)."""
    cur.register("_sihub_rows", frame)
    try:
        cols = ", ".join(frame.columns)
        cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _sihub_rows")
    finally:
        cur.unregister("_sihub_rows")


class Journal:
    """Journalled writes of one batch on one cursor (inside the caller's transaction).

    Journal records are buffered and written by ``flush()`` in one statement.
    """

    def __init__(self, cur: Cursor, batch_id: int) -> None:
        self.cur = cur
        self.batch_id = batch_id
        self._pending: list[tuple] = []
        self._seq = cur.execute(
            "SELECT coalesce(max(seq), 0) FROM batch_journal WHERE batch_id = ?", [batch_id]
        ).fetchone()[0]

    def _record(self, table: str, action: str, key: dict, old: dict | None = None) -> None:
        self._seq += 1
        self._pending.append(
            (
                self.batch_id,
                self._seq,
                table,
                action,
                _dump(key),
                None if old is None else _dump(old),
            )
        )

    def flush(self) -> None:
        if not self._pending:
            return
        frame = pd.DataFrame(
            self._pending,
            columns=["batch_id", "seq", "table_name", "action", "row_key", "old_row"],
            dtype=object,
        )
        insert_frame(self.cur, "batch_journal", frame)
        self._pending.clear()

    def insert_many(self, table: str, rows: list[dict], key_columns: tuple[str, ...]) -> None:
        """Insert rows of a table whose key the caller supplies (no generated ids)."""
        if not rows:
            return
        insert_frame(self.cur, table, pd.DataFrame(rows, dtype=object))
        for row in rows:
            self._record(table, "insert", {k: row[k] for k in key_columns})

    def insert(self, table: str, row: dict, key_columns: tuple[str, ...] = ("id",)) -> dict:
        """Insert ``row``; returns the key (with a generated ``id`` where the table has one)."""
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        returning = ", ".join(key_columns)
        found = self.cur.execute(
            f"INSERT INTO {table} ({cols}) VALUES ({marks}) RETURNING {returning}",
            list(row.values()),
        ).fetchone()
        key = dict(zip(key_columns, found, strict=True))
        self._record(table, "insert", key)
        return key

    def old_row(self, table: str, key: dict) -> dict | None:
        where, params = _where(key)
        result = self.cur.execute(f"SELECT * FROM {table} WHERE {where}", params)
        names = [d[0] for d in result.description]
        found = result.fetchone()
        return None if found is None else dict(zip(names, found, strict=True))

    def update(self, table: str, key: dict, changes: dict) -> None:
        if not changes:
            return
        old = self.old_row(table, key)
        sets = ", ".join(f"{col} = ?" for col in changes)
        where, params = _where(key)
        self.cur.execute(f"UPDATE {table} SET {sets} WHERE {where}", [*changes.values(), *params])
        self._record(table, "update", key, {col: old[col] for col in changes})

    def delete(self, table: str, key: dict) -> None:
        old = self.old_row(table, key)
        if old is None:
            return
        where, params = _where(key)
        self.cur.execute(f"DELETE FROM {table} WHERE {where}", params)
        self._record(table, "delete", key, old)


def tables_touched(cur: Cursor, batch_id: int) -> set[tuple[str, str]]:
    return {
        (r[0], r[1])
        for r in cur.execute(
            "SELECT table_name, row_key FROM batch_journal WHERE batch_id = ?", [batch_id]
        ).fetchall()
    }


def undo(cur: Cursor, batch_id: int) -> int:
    """Reverse every journalled write of ``batch_id``, newest first; returns how many."""
    entries = cur.execute(
        "SELECT table_name, action, row_key, old_row FROM batch_journal WHERE batch_id = ? "
        "ORDER BY seq DESC",
        [batch_id],
    ).fetchall()
    for table, action, row_key, old_row in entries:
        key = json.loads(row_key)
        where, params = _where(key)
        if action == "insert":
            cur.execute(f"DELETE FROM {table} WHERE {where}", params)
        elif action == "update":
            old = json.loads(old_row)
            sets = ", ".join(f"{col} = ?" for col in old)
            cur.execute(f"UPDATE {table} SET {sets} WHERE {where}", [*old.values(), *params])
        else:
            old = json.loads(old_row)
            cols = ", ".join(old)
            marks = ", ".join("?" for _ in old)
            cur.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(old.values()))
    return len(entries)
