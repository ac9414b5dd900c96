"""Writes that remember what they changed, so that a whole import batch can be undone exactly.

Every insert, update and delete of an import goes through ``Journal``, a whole set of rows at
a time: the rows travel to DuckDB as one Arrow table, and the journal records (the key of each
row and, for updates and deletes, the row as it was) are written by DuckDB itself from the
same table, in one statement. ``undo`` replays a batch's records backwards, again a run of
records at a time, inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import count

import duckdb
import pyarrow as pa

Cursor = duckdb.DuckDBPyConnection

_ARROW_TYPES = {
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "VARCHAR": pa.string(),
    "VARCHAR[]": pa.list_(pa.string()),
}
_names = count()


def column_types(cur: Cursor, table: str) -> dict[str, str]:
    """Column -> DuckDB type name, from the catalogue (identifiers are our own tables)."""
    return dict(
        cur.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
            "AND database_name = current_database() ORDER BY column_index",
            [table],
        ).fetchall()
    )


def _json_object(alias: str, columns: Sequence[str]) -> str:
    return "json_object({})".format(", ".join(f"'{c}', {alias}.{c}" for c in columns))


def _join(left: str, right: str, keys: Sequence[str]) -> str:
    return " AND ".join(f"{left}.{k} = {right}.{k}" for k in keys)


class Journal:
    """Journalled bulk writes of one batch on one cursor (inside the caller's transaction)."""

    def __init__(self, cur: Cursor, batch_id: int) -> None:
        self.cur = cur
        self.batch_id = batch_id
        self._types: dict[str, dict[str, str]] = {}
        self.seq = cur.execute(
            "SELECT coalesce(max(seq), 0) FROM batch_journal WHERE batch_id = ?", [batch_id]
        ).fetchone()[0]

    def types(self, table: str) -> dict[str, str]:
        if table not in self._types:
            self._types[table] = column_types(self.cur, table)
        return self._types[table]

    def arrow(self, table: str, columns: dict[str, list]) -> pa.Table:
        types = self.types(table)
        return pa.table(
            {
                name: pa.array(values, type=_ARROW_TYPES[types[name]])
                for name, values in columns.items()
            }
        )

    def _register(self, table: str, columns: dict[str, list]) -> tuple[str, int]:
        rows = self.arrow(table, columns)
        name = f"_sihub_rows_{next(_names)}"
        self.cur.register(name, rows)
        return name, rows.num_rows

    def _log(self, sql: str, params: list, rows: int) -> None:
        """Append journal records selected by ``sql`` (batch, seq, table, action, key, old)."""
        self.cur.execute(sql, [self.batch_id, self.seq, *params])
        self.seq += rows

    def next_ids(self, sequence: str, n: int) -> list[int]:
        """``n`` fresh ids from ``sequence`` in one query."""
        if n == 0:
            return []
        found = self.cur.execute(f"SELECT nextval('{sequence}') FROM range(?)", [n]).fetchall()
        return [r[0] for r in found]

    def insert(self, table: str, columns: dict[str, list], key: Sequence[str]) -> int:
        """Insert the rows given column by column; returns how many."""
        if not columns or not len(next(iter(columns.values()))):
            return 0
        name, n = self._register(table, columns)
        try:
            cols = ", ".join(columns)
            self.cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
            self._log(
                f"INSERT INTO batch_journal SELECT ?, ? + row_number() OVER (), ?, 'insert', "
                f"{_json_object(name, key)}, NULL FROM {name}",
                [table],
                n,
            )
        finally:
            self.cur.unregister(name)
        return n

    def insert_owned(self, table: str, chunks: Iterable[dict[str, list]]) -> int:
        """Insert rows that only this batch writes and no later batch changes (scores).

        One journal record, keyed on ``batch_id``, stands for all of them: undo deletes the
        table's rows of this batch. The rows come in chunks, so that a 100,000-row export is
        never held as one Arrow table beside its Python lists.
        """
        n = 0
        for columns in chunks:
            name, rows = self._register(table, columns)
            try:
                cols = ", ".join(columns)
                self.cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
            finally:
                self.cur.unregister(name)
            n += rows
        if n:
            self._log(
                "INSERT INTO batch_journal SELECT ?, ? + 1, ?, 'insert', "
                "json_object('batch_id', ?), NULL",
                [table, self.batch_id],
                1,
            )
        return n

    def update(self, table: str, columns: dict[str, list], key: Sequence[str]) -> int:
        """Set the given columns of the rows with the given keys; the old values are journalled."""
        if not columns or not len(next(iter(columns.values()))):
            return 0
        changed = [c for c in columns if c not in key]
        name, n = self._register(table, columns)
        try:
            self._log(
                f"INSERT INTO batch_journal SELECT ?, ? + row_number() OVER (), ?, 'update', "
                f"{_json_object('t', key)}, {_json_object('t', changed)} FROM {table} t "
                f"JOIN {name} r ON {_join('t', 'r', key)}",
                [table],
                n,
            )
            sets = ", ".join(f"{c} = r.{c}" for c in changed)
            self.cur.execute(
                f"UPDATE {table} SET {sets} FROM {name} r WHERE {_join(table, 'r', key)}"
            )
        finally:
            self.cur.unregister(name)
        return n

    def delete(self, table: str, keys: dict[str, list]) -> int:
        """Delete the rows with the given keys; each whole row is journalled."""
        if not keys or not len(next(iter(keys.values()))):
            return 0
        key = list(keys)
        name, n = self._register(table, keys)
        try:
            self._log(
                f"INSERT INTO batch_journal SELECT ?, ? + row_number() OVER (), ?, 'delete', "
                f"{_json_object('t', key)}, to_json(t) FROM {table} t "
                f"JOIN {name} r ON {_join('t', 'r', key)}",
                [table],
                n,
            )
            self.cur.execute(f"DELETE FROM {table} USING {name} r WHERE {_join(table, 'r', key)}")
        finally:
            self.cur.unregister(name)
        return n


# undo -------------------------------------------------------------------------------------------
def _structure(types: dict[str, str], columns: Sequence[str]) -> str:
    return json.dumps({c: types[c] for c in columns})


def _runs(cur: Cursor, batch_id: int) -> list[tuple]:
    """Consecutive journal records of one table, action and column set, newest run first."""
    return cur.execute(
        """
        WITH j AS (
            SELECT seq, table_name, action, json_keys(row_key) AS key_cols,
                   coalesce(json_keys(old_row), []) AS old_cols
            FROM batch_journal WHERE batch_id = ?),
        marked AS (
            SELECT *, seq - row_number() OVER (
                PARTITION BY table_name, action, key_cols, old_cols ORDER BY seq) AS run
            FROM j)
        SELECT table_name, action, any_value(key_cols), any_value(old_cols), min(seq), max(seq)
        FROM marked GROUP BY table_name, action, key_cols, old_cols, run
        ORDER BY max(seq) DESC""",
        [batch_id],
    ).fetchall()


def undo(cur: Cursor, batch_id: int) -> int:
    """Reverse every journalled write of ``batch_id``, newest first; returns how many."""
    total = 0
    types: dict[str, dict[str, str]] = {}
    for table, action, key_cols, old_cols, low, high in _runs(cur, batch_id):
        table_types = types.setdefault(table, column_types(cur, table))
        entries = "FROM batch_journal j WHERE j.batch_id = ? AND j.seq BETWEEN ? AND ?"
        params = [batch_id, low, high]
        keys = f"json_transform(j.row_key, '{_structure(table_types, key_cols)}')"
        if action == "insert":
            cur.execute(
                f"DELETE FROM {table} USING (SELECT {keys} AS k {entries}) x "
                f"WHERE {' AND '.join(f'{table}.{c} = x.k.{c}' for c in key_cols)}",
                params,
            )
        elif action == "update":
            old = f"json_transform(j.old_row, '{_structure(table_types, old_cols)}')"
            # the earliest record of a row holds its value from before the batch
            cur.execute(
                f"UPDATE {table} SET {', '.join(f'{c} = x.o.{c}' for c in old_cols)} "
                f"FROM (SELECT arg_min({keys}, j.seq) AS k, arg_min({old}, j.seq) AS o "
                f"{entries} GROUP BY j.row_key) x "
                f"WHERE {' AND '.join(f'{table}.{c} = x.k.{c}' for c in key_cols)}",
                params,
            )
        else:
            whole = f"json_transform(j.old_row, '{_structure(table_types, list(table_types))}')"
            cur.execute(f"INSERT INTO {table} BY NAME SELECT unnest({whole}) {entries}", params)
        total += high - low + 1
    return total
