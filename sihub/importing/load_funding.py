"""Loads funding calls (by reference, else by funder and call name) and the awards citing them."""

from __future__ import annotations

from sihub.importing.context import key_of
from sihub.importing.specs import SPECS_BY_ENTITY
from sihub.importing.upsert import (
    Columns,
    Cursor,
    LoadState,
    Rows,
    existing_keys,
    first_per_id,
    sheet_values,
    upsert,
)
from sihub.importing.validation import Records

# Every column of the Funding sheet is a column of funding_opportunities, under its own name.
FUNDING_FIELDS = {c.field: c.field for c in SPECS_BY_ENTITY["Funding"].columns}


def load_calls(state: LoadState) -> None:
    """The Funding sheets (one row per existing call); remembers calls by reference for awards."""
    by_ref, by_call = _stored_calls(state.cur)
    rows = first_per_id(_call_rows(state, by_ref, by_call))
    ids = upsert(state, "funding_opportunities", "funding", "funding_opportunity_ids", rows)
    state.call_ids = by_ref
    for record_id, (_, values) in zip(ids, rows, strict=True):
        if values.get("ref"):
            state.call_ids[key_of(values["ref"])] = record_id


def _stored_calls(cur: Cursor) -> tuple[dict[str, int], dict[tuple, int]]:
    """The hub's calls by reference key, and by (funder, call name) keys."""
    by_ref: dict[str, int] = {}
    by_call: dict[tuple, int] = {}
    for record_id, ref, funder, call in cur.execute(
        "SELECT id, ref, funder, call_name FROM funding_opportunities ORDER BY id"
    ).fetchall():
        if ref:
            by_ref.setdefault(key_of(ref), record_id)
        by_call.setdefault((key_of(funder), key_of(call)), record_id)
    return by_ref, by_call


def _call_rows(state: LoadState, by_ref: dict[str, int], by_call: dict[tuple, int]) -> Rows:
    """Each row of the Funding sheets as columns to write, with the id of the call it is."""
    rows: Rows = []
    for records in state.parsed.records.get("Funding", []):
        for i, row in enumerate(records.rows):
            values = sheet_values(records, i, FUNDING_FIELDS)
            if "continuous" in values:  # NOT NULL in the store; blank means no
                values["continuous"] = bool(values["continuous"])
            values.update(state.provenance(records.sheet, row))
            ref = values.get("ref")
            found = by_ref.get(key_of(ref)) if ref else None
            if found is None:
                found = by_call.get((key_of(values["funder"]), key_of(values["call_name"])))
            rows.append((found, values))
    return rows


def load_awards(state: LoadState) -> None:
    """The Awards sheets; an award the hub already has (same innovation, funder, programme
    and date) is skipped."""
    existing = existing_keys(
        state.cur, "funding_awards", ("innovation_id", "funder", "programme", "awarded_on")
    )
    rows = Columns()
    for records in state.parsed.records.get("Awards", []):
        for i, row in enumerate(records.rows):
            key = (
                state.innovation_of(records.get("innovation", i)),
                records.get("funder", i),
                records.get("programme", i),
                records.get("awarded_on", i),
            )
            if key in existing:
                state.summary.skip(records.sheet, row, "already_in_hub")
                continue
            existing.add(key)
            rows.add(_award(state, records, i, key))
    rows.data["id"] = state.journal.next_ids("funding_award_ids", rows.size)
    state.journal.insert("funding_awards", rows.data, ("id",))
    state.summary.add("awards_new", n=rows.size)


def _award(state: LoadState, records: Records, i: int, key: tuple) -> dict:
    """Row ``i`` of an Awards sheet as columns, its recipient and call found by name and ref."""
    organisation = records.get("organisation", i)
    call = records.get("call_ref", i)
    return {
        "innovation_id": key[0],
        "organisation_id": state.organisations.find(None, organisation) if organisation else None,
        "opportunity_id": state.call_ids.get(key_of(call)) if call else None,
        "funder": key[1],
        "programme": key[2],
        "amount": records.get("amount", i),
        "awarded_on": key[3],
        **state.provenance(records.sheet, records.rows[i]),
    }
