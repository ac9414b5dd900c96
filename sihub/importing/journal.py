"""Writes that remember what they changed, so that a whole import batch can be undone exactly.

Every insert, update and delete of an import goes through ``Journal``, a whole set of rows at
a time: the rows travel to DuckDB as one Arrow table, and the journal records (the key of each
row and, for updates and deletes, the row as it was) are written by DuckDB itself from the
same table, in one statement. ``undo`` replays a batch's records backwards, again a run of
records at a time, inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import count

import duckdb
import pyarrow as pa

from sihub.db.postgres import sequence_values

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
OWNED_CHUNK = 100_000  # rows per insert of rows a batch owns (see Journal.insert_owned)


def column_types(cur: Cursor) -> dict[str, dict[str, str]]:
    """Table -> column -> DuckDB type name of our tables.

    The schema is the migrations' work, so the catalogue (a slow query, about 8 ms) is read
    once per process for each set of applied migrations.
    """
    applied = tuple(r[0] for r in cur.execute("SELECT name FROM _migrations ORDER BY 1").fetchall())
    if applied not in _catalogues:
        types: dict[str, dict[str, str]] = {}
        for table, column, data_type in cur.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = current_schema() "
            "ORDER BY table_name, column_index"
        ).fetchall():
            types.setdefault(table, {})[column] = data_type
        _catalogues[applied] = types
    return _catalogues[applied]


_catalogues: dict[tuple[str, ...], dict[str, dict[str, str]]] = {}


def _json_object(alias: str, columns: Sequence[str]) -> str:
    return "json_object({})".format(", ".join(f"'{c}', {alias}.{c}" for c in columns))


def _join(left: str, right: str, keys: Sequence[str]) -> str:
    return " AND ".join(f"{left}.{k} = {right}.{k}" for k in keys)


class Journal:
    """Journalled bulk writes of one batch on one cursor (inside the caller's transaction)."""

    def __init__(self, cur: Cursor, batch_id: int) -> None:
        self.cur = cur
        self.batch_id = batch_id
        self._types: dict[str, dict[str, str]] | None = None
        self.seq = cur.execute(
            "SELECT coalesce(max(seq), 0) FROM batch_journal WHERE batch_id = ?", [batch_id]
        ).fetchone()[0]

    def types(self, table: str) -> dict[str, str]:
        if self._types is None:
            self._types = column_types(self.cur)
        return self._types[table]

    def arrow(self, table: str, columns: dict[str, list]) -> pa.Table:
        types = self.types(table)
        return pa.table(
            {
                name: pa.array(values, type=_ARROW_TYPES[types[name]])
                for name, values in columns.items()
            }
        )

    @contextmanager
    def registered(self, rows: pa.Table) -> Iterator[str]:
        """``rows`` as a table SQL can read, under a name of its own, while the block runs."""
        name = f"_sihub_rows_{next(_names)}"
        self.cur.register(name, rows)
        try:
            yield name
        finally:
            self.cur.unregister(name)

    def _log(self, sql: str, params: list, rows: int) -> None:
        """Append journal records selected by ``sql`` (batch, seq, table, action, key, old)."""
        self.cur.execute(sql, [self.batch_id, self.seq, *params])
        self.seq += rows

    def next_ids(self, sequence: str, n: int) -> list[int]:
        """``n`` fresh ids from ``sequence`` in one query."""
        if n == 0:
            return []
        return sequence_values(self.cur, sequence, n)

    def insert(self, table: str, columns: dict[str, list], key: Sequence[str]) -> int:
        """Insert the rows given column by column; returns how many."""
        if not columns or not len(next(iter(columns.values()))):
            return 0
        rows = self.arrow(table, columns)
        with self.registered(rows) as name:
            cols = ", ".join(columns)
            self.cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
            self._log(
                f"INSERT INTO batch_journal SELECT ?, ? + row_number() OVER (), ?, 'insert', "
                f"{_json_object(name, key)}, NULL FROM {name}",
                [table],
                rows.num_rows,
            )
        return rows.num_rows

    def insert_owned(
        self,
        table: str,
        parts: Iterable[tuple[dict[str, list], dict[str, object]]],
        where: str = "true",
    ) -> int:
        """Insert rows that only this batch writes and no later batch changes (scores).

        One journal record, keyed on ``batch_id``, stands for all of them: undo deletes the
        table's rows of this batch. The rows come in parts, each as columns and the values all
        its rows share; ``where`` says which rows are written.
        """
        n = 0
        for rows in self._owned_tables(table, parts):
            with self.registered(rows) as name:
                columns = ", ".join(rows.column_names)
                n += self.cur.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {name} WHERE {where}"
                ).fetchone()[0]
        if n:
            self._log(
                "INSERT INTO batch_journal SELECT ?, ? + 1, ?, 'insert', "
                "json_object('batch_id', ?), NULL",
                [table, self.batch_id],
                1,
            )
        return n

    def _owned_tables(
        self, table: str, parts: Iterable[tuple[dict[str, list], dict[str, object]]]
    ) -> Iterator[pa.Table]:
        """The parts as Arrow tables of about OWNED_CHUNK rows: one insert each (an insert
        costs about as much per statement as for 10,000 rows), yet a 100,000-row export is
        never one Arrow table beside its Python lists."""
        types = self.types(table)
        pending: list[pa.Table] = []
        size = 0
        for columns, shared in parts:
            k = len(next(iter(columns.values())))
            if not k:
                continue
            arrays = {c: pa.array(v, type=_ARROW_TYPES[types[c]]) for c, v in columns.items()}
            for c, value in shared.items():  # repeated in C, not as a Python list
                arrays[c] = pa.repeat(pa.scalar(value, type=_ARROW_TYPES[types[c]]), k)
            pending.append(pa.table({c: arrays[c] for c in types if c in arrays}))
            size += k
            if size >= OWNED_CHUNK:
                yield pa.concat_tables(pending)
                pending, size = [], 0
        if pending:
            yield pa.concat_tables(pending)

    def update(self, table: str, columns: dict[str, list], key: Sequence[str]) -> int:
        """Set the given columns of the rows with the given keys; the old values are journalled."""
        if not columns or not len(next(iter(columns.values()))):
            return 0
        changed = [c for c in columns if c not in key]
        rows = self.arrow(table, columns)
        with self.registered(rows) as name:
            self._log(
                f"INSERT INTO batch_journal SELECT ?, ? + row_number() OVER (), ?, 'update', "
                f"{_json_object('t', key)}, {_json_object('t', changed)} FROM {table} t "
                f"JOIN {name} r ON {_join('t', 'r', key)}",
                [table],
                rows.num_rows,
            )
            sets = ", ".join(f"{c} = r.{c}" for c in changed)
            self.cur.execute(
                f"UPDATE {table} SET {sets} FROM {name} r WHERE {_join(table, 'r', key)}"
            )
        return rows.num_rows

    def delete(self, table: str, keys: dict[str, list]) -> int:
        """Delete the rows with the given keys; each whole row is journalled."""
        if not keys or not len(next(iter(keys.values()))):
            return 0
        key = list(keys)
        rows = self.arrow(table, keys)
        with self.registered(rows) as name:
            self._log(
                f"INSERT INTO batch_journal SELECT ?, ? + row_number() OVER (), ?, 'delete', "
                f"{_json_object('t', key)}, to_json(t) FROM {table} t "
                f"JOIN {name} r ON {_join('t', 'r', key)}",
                [table],
                rows.num_rows,
            )
            self.cur.execute(f"DELETE FROM {table} USING {name} r WHERE {_join(table, 'r', key)}")
        return rows.num_rows


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
    types = column_types(cur)
    for table, action, key_cols, old_cols, low, high in _runs(cur, batch_id):
        table_types = types[table]
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
