"""Write a validated workbook into the store as one journalled batch, in bulk.

Records are matched to existing ones (innovations and organisations by reference, else by
normalised name, or as the user decided for a near match; assessors by name) and updated in
place; new ones get ids from their sequence in one query and arrive in one insert per table.

Which earlier assessments a batch replaces is the supersede policy
(``supersede.supersede_earlier_assessments``).
"""

from __future__ import annotations

from sihub.importing.context import key_of
from sihub.importing.load_assessments import load_assessments
from sihub.importing.load_catalogue import (
    load_answers,
    load_innovations,
    load_organisations,
    load_stage_history,
)
from sihub.importing.specs import SPECS_BY_ENTITY
from sihub.importing.upsert import (
    Columns,
    Cursor,
    LoadState,
    Summary,
    first_per_id,
    sheet_values,
    skip_what_validation_left_out,
    upsert,
)
from sihub.importing.validation import ParsedWorkbook

# Every column of the Funding sheet is a column of funding_opportunities, under its own name.
FUNDING_FIELDS = {c.field: c.field for c in SPECS_BY_ENTITY["Funding"].columns}


class Loader(LoadState):
    """The parts of a load not moved into modules of their own yet (see load)."""

    # funding -------------------------------------------------------------------------------
    def load_funding(self) -> None:
        existing_by_ref: dict[str, int] = {}
        existing_by_call: dict[tuple, int] = {}
        for record_id, ref, funder, call in self.cur.execute(
            "SELECT id, ref, funder, call_name FROM funding_opportunities ORDER BY id"
        ).fetchall():
            if ref:
                existing_by_ref.setdefault(key_of(ref), record_id)
            existing_by_call.setdefault((key_of(funder), key_of(call)), record_id)
        rows: list[tuple[int | None, dict]] = []
        for records in self.parsed.records.get("Funding", []):
            for i, row in enumerate(records.rows):
                values = sheet_values(records, i, FUNDING_FIELDS)
                if "continuous" in values:  # NOT NULL in the store; blank means no
                    values["continuous"] = bool(values["continuous"])
                values.update(self.provenance(records.sheet, row))
                ref = values.get("ref")
                found = existing_by_ref.get(key_of(ref)) if ref else None
                if found is None:
                    found = existing_by_call.get(
                        (key_of(values["funder"]), key_of(values["call_name"]))
                    )
                rows.append((found, values))
        rows = first_per_id(rows)
        ids = upsert(self, "funding_opportunities", "funding", "funding_opportunity_ids", rows)
        self.call_ids = existing_by_ref
        for record_id, (_, values) in zip(ids, rows, strict=True):
            if values.get("ref"):
                self.call_ids[key_of(values["ref"])] = record_id

    def load_awards(self) -> None:
        refs = self.call_ids
        existing = {
            tuple(r)
            for r in self.cur.execute(
                "SELECT innovation_id, funder, programme, awarded_on FROM funding_awards"
            ).fetchall()
        }
        rows = Columns()
        for records in self.parsed.records.get("Awards", []):
            for i, row in enumerate(records.rows):
                innovation_id = self.innovation_of(records.get("innovation", i))
                key = (
                    innovation_id,
                    records.get("funder", i),
                    records.get("programme", i),
                    records.get("awarded_on", i),
                )
                if key in existing:
                    self.summary.skip(records.sheet, row, "already_in_hub")
                    continue
                existing.add(key)
                organisation = records.get("organisation", i)
                call = records.get("call_ref", i)
                rows.add(
                    {
                        "innovation_id": innovation_id,
                        "organisation_id": self.organisations.find(None, organisation)
                        if organisation
                        else None,
                        "opportunity_id": refs.get(key_of(call)) if call else None,
                        "funder": key[1],
                        "programme": key[2],
                        "amount": records.get("amount", i),
                        "awarded_on": key[3],
                        **self.provenance(records.sheet, row),
                    }
                )
        rows.data["id"] = self.journal.next_ids("funding_award_ids", rows.size)
        self.journal.insert("funding_awards", rows.data, ("id",))
        self.summary.add("awards_new", n=rows.size)


def load(cur: Cursor, parsed: ParsedWorkbook, batch_id: int, pilot: str) -> Summary:
    """Write every part of ``parsed`` in dependency order; the caller owns the transaction."""
    loader = Loader.start(cur, parsed, batch_id, pilot)
    skip_what_validation_left_out(loader)
    # Order matters: organisations before the innovations that name them, innovations before
    # everything that refers to them, funding calls before the awards that cite them.
    load_organisations(loader)
    load_innovations(loader)
    load_stage_history(loader)
    load_answers(loader)
    load_assessments(loader)
    loader.load_funding()
    loader.load_awards()
    return loader.summary
