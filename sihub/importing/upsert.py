"""The machinery every part of a load shares: the batch's state, ids, bulk inserts and updates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sihub.importing.context import key_of
from sihub.importing.journal import Cursor, Journal
from sihub.importing.matching import SAME
from sihub.importing.validation import ParsedWorkbook, Records
from sihub.text import name_key

PROVENANCE = ("batch_id", "source_sheet", "source_row")
PREVIEW_NAMES = 200  # names of new records listed in a preview; the counts are always whole
# what the summary calls the rows validation left out, by the code of the issue that says so
SKIP_CODES = {
    "duplicate_row": "duplicate_row",
    "note_row_skipped": "note_row",
    "no_scores": "no_scores",
}

Rows = list[tuple[int | None, dict]]  # columns to write, each with the id the hub has for it


@dataclass
class Summary:
    """What a batch did (or, in a dry run, would do): counts and the names of new records."""

    counts: Counter = field(default_factory=Counter)
    new: dict[str, list[str]] = field(default_factory=dict)
    replaced: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)

    def add(self, what: str, name: str | None = None, n: int = 1) -> None:
        self.counts[what] += n
        if name is not None and len(self.new.setdefault(what, [])) < PREVIEW_NAMES:
            self.new[what].append(name)

    def skip(self, sheet: str, row: int, reason: str) -> None:
        """A row of the file that was not written, and why."""
        self.counts["rows_skipped"] += 1
        if len(self.skipped) < PREVIEW_NAMES:
            self.skipped.append({"sheet": sheet, "row": row, "reason": reason})


class Columns:
    """Rows gathered column by column for one bulk write."""

    def __init__(self) -> None:
        self.data: dict[str, list] = {}
        self.size = 0

    def add(self, row: dict) -> None:
        for name in row:
            if name not in self.data:
                self.data[name] = [None] * self.size
        for name, values in self.data.items():
            values.append(row.get(name))
        self.size += 1


class Registry:
    """Ids of records of one table by reference and by name key, as the batch goes on.

    A record is the one with its reference, else the one with its normalised name, or the one
    the user chose for a near match (``aliases``).
    """

    def __init__(
        self, cur: Cursor, table: str, sequence: str, with_ref: bool, aliases: dict
    ) -> None:
        self.table = table
        self.sequence = sequence  # where new ids come from
        self.by_key: dict[str, int] = {}
        self.by_ref: dict[str, int] = {}
        self.ids: set[int] = set()
        self.aliases = aliases  # name key -> ("id", id) or ("key", other name key)
        ref = "ref" if with_ref else "NULL"
        # by the identity of the name (record_key), not the stored name_key, which is search's
        for record_id, name, r in cur.execute(
            f"SELECT id, name, {ref} FROM {table} ORDER BY id"
        ).fetchall():
            self.by_key.setdefault(key_of(name), record_id)
            self.ids.add(record_id)
            if r:
                self.by_ref.setdefault(key_of(r), record_id)

    def canonical(self, key: str) -> tuple[str, object]:
        """Follow the user's near-match answers: ("id", id) or ("key", the key to use)."""
        seen: set[str] = set()
        while key in self.aliases and key not in seen:
            seen.add(key)
            what, target = self.aliases[key]
            if what == "id":
                return ("id", target) if target in self.ids else ("key", key)
            key = target
        return ("key", key)

    def find(self, ref: object, name: object) -> int | None:
        if ref and key_of(ref) in self.by_ref:
            return self.by_ref[key_of(ref)]
        if not name:
            return None
        what, value = self.canonical(key_of(name))
        return value if what == "id" else self.by_key.get(value)

    def remember(self, record_id: int, ref: object, name: object) -> None:
        what, value = self.canonical(key_of(name))
        if what == "key":
            self.by_key.setdefault(value, record_id)
        self.by_key.setdefault(key_of(name), record_id)
        if ref:
            self.by_ref.setdefault(key_of(ref), record_id)
        self.ids.add(record_id)


def _aliases(parsed: ParsedWorkbook, kind: str) -> dict[str, tuple[str, object]]:
    found: dict[str, tuple[str, object]] = {}
    for m in parsed.near:
        if m.kind == kind and parsed.decisions.get(m.id) == SAME:
            found[m.key] = ("id", m.candidate_id) if m.candidate_id else ("key", m.candidate_key)
    return found


@dataclass
class LoadState:
    """One batch being written: where to, through which journal, the ids found so far, the
    summary, and what one part of the load hands to a later one. The caller owns the
    transaction."""

    cur: Cursor
    parsed: ParsedWorkbook
    batch_id: int
    pilot: str
    journal: Journal
    summary: Summary
    organisations: Registry
    innovations: Registry
    assessors: Registry
    stage_notes: list[tuple] = field(default_factory=list)  # innovations' stages, for history
    call_ids: dict[str, int] = field(default_factory=dict)  # funding calls by reference

    @classmethod
    def start(cls, cur: Cursor, parsed: ParsedWorkbook, batch_id: int, pilot: str) -> LoadState:
        journal, summary = Journal(cur, batch_id), Summary()
        return cls(
            cur,
            parsed,
            batch_id,
            pilot,
            journal,
            summary,
            Registry(
                cur, "organisations", "organisation_ids", True, _aliases(parsed, "organisation")
            ),
            Registry(cur, "innovations", "innovation_ids", True, _aliases(parsed, "innovation")),
            Registry(cur, "assessors", "assessor_ids", False, _aliases(parsed, "assessor")),
        )

    def provenance(self, sheet: str, row: int) -> dict:
        return {"batch_id": self.batch_id, "source_sheet": sheet, "source_row": row}

    def innovation_of(self, reference: object) -> int | None:
        """The innovation a sheet names in one cell, by its reference or its name."""
        return self.innovations.find(reference, reference)


def skip_what_validation_left_out(state: LoadState) -> None:
    """Count the rows validation skipped (repeats, notes, rows without scores) as skipped."""
    for issue in state.parsed.issues:
        if issue.code in SKIP_CODES:
            state.summary.skip(issue.sheet, issue.row, SKIP_CODES[issue.code])


def existing_keys(cur: Cursor, table: str, columns: tuple[str, ...]) -> set[tuple]:
    """The ``columns`` of every stored row of ``table``: what a sheet's rows are checked against
    so that a row the hub already has is not added again."""
    return {tuple(r) for r in cur.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()}


# generic upsert of records with an id ------------------------------------------------------------
def existing_rows(cur: Cursor, table: str, ids: list[int]) -> dict[int, dict]:
    """The stored rows of ``table`` with the given ids, as column -> value, by id."""
    if not ids:
        return {}
    result = cur.execute(f"SELECT * FROM {table} WHERE id IN (SELECT unnest(?::INTEGER[]))", [ids])
    names = [d[0] for d in result.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in result.fetchall()}


def upsert(state: LoadState, table: str, what: str, sequence: str, rows: Rows) -> list[int]:
    """Insert the rows without an id, update changed columns of the others; their ids."""
    ids = _insert_new(state, table, what, sequence, [v for i, v in rows if i is None])
    _update_changed(state, table, what, [(i, v) for i, v in rows if i is not None])
    fresh = iter(ids)
    return [record_id if record_id is not None else next(fresh) for record_id, _ in rows]


def _insert_new(
    state: LoadState, table: str, what: str, sequence: str, new: list[dict]
) -> list[int]:
    ids = state.journal.next_ids(sequence, len(new))
    inserts = Columns()
    for record_id, values in zip(ids, new, strict=True):
        inserts.add({"id": record_id, **values})
        state.summary.add(f"{what}_new", values.get("name") or values.get("call_name"))
    state.journal.insert(table, inserts.data, ("id",))
    return ids


def _update_changed(state: LoadState, table: str, what: str, rows: Rows) -> None:
    """Write the columns that differ from the store, and provenance with them; a blank cell
    never clears a stored value. Rows that change the same columns go in one update."""
    old = existing_rows(state.cur, table, [record_id for record_id, _ in rows])
    updates: dict[frozenset, Columns] = {}
    for record_id, values in rows:
        changes = {
            c: v
            for c, v in values.items()
            if c not in PROVENANCE and v not in (None, []) and old[record_id].get(c) != v
        }
        if not changes:
            state.summary.add(f"{what}_unchanged")
            continue
        changes.update({c: values[c] for c in PROVENANCE if c in values})
        updates.setdefault(frozenset(changes), Columns()).add({"id": record_id, **changes})
        state.summary.add(f"{what}_updated")
    for columns in updates.values():
        state.journal.update(table, columns.data, ("id",))


def write(state: LoadState, registry: Registry, rows: Rows) -> list[int]:
    """Upsert rows of a registry's table and remember their ids by reference and name."""
    ids = upsert(state, registry.table, registry.table, registry.sequence, rows)
    for record_id, (_, values) in zip(ids, rows, strict=True):
        registry.remember(record_id, values.get("ref"), values["name"])
    return ids


def sheet_rows(state: LoadState, entity: str, fields: dict[str, str], registry: Registry) -> Rows:
    """Each row of the entity's sheets as columns to write, with the id the hub has for it."""
    rows: Rows = []
    for records in state.parsed.records.get(entity, []):
        for i, row in enumerate(records.rows):
            values = sheet_values(records, i, fields)
            values["name_key"] = name_key(values["name"])
            values.update(state.provenance(records.sheet, row))
            rows.append((registry.find(values.get("ref"), values["name"]), values))
    return rows


def sheet_values(records: Records, i: int, fields: dict[str, str]) -> dict:
    """Row ``i`` as table column -> value, for the fields (sheet column -> table column) the
    sheet has."""
    return {column: records.get(f, i) for f, column in fields.items() if records.has(f)}


def first_rows(*columns: list) -> dict[tuple, int]:
    """Each distinct combination of the columns' values -> the first row that has it, in the
    file's order."""
    first: dict[tuple, int] = {}
    for i, combo in enumerate(zip(*columns, strict=True)):
        if combo not in first:
            first[combo] = i
    return first


def first_per_id(rows: Rows) -> Rows:
    """One row per existing record (validation reported the repeats)."""
    seen: set[int] = set()
    kept = []
    for record_id, values in rows:
        if record_id is not None:
            if record_id in seen:
                continue
            seen.add(record_id)
        kept.append((record_id, values))
    return kept
