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
from sihub.importing.specs import SPECS_BY_ENTITY
from sihub.importing.upsert import (
    Columns,
    Cursor,
    LoadState,
    Summary,
    first_per_id,
    first_rows,
    sheet_rows,
    sheet_values,
    skip_what_validation_left_out,
    upsert,
    write,
)
from sihub.importing.validation import ParsedWorkbook, Records
from sihub.text import name_key

INNOVATION_LINKS = (
    ("regions", "innovation_regions", "region_code"),
    ("themes", "innovation_themes", "theme_code"),
    ("target_groups", "innovation_target_groups", "target_group_code"),
)
# The table column of each column of the Organisations and Innovations sheets, named as in the
# sheet but for two; the Innovations sheet's links (regions, themes, target groups and
# organisations) are rows of link tables instead (see Loader._links_of).
RENAMED = {"region": "region_code", "stage": "stage_code"}
LINKED = {*(f for f, _, _ in INNOVATION_LINKS), "lead_organisation", "partner_organisations"}
ORGANISATION_FIELDS = {
    c.field: RENAMED.get(c.field, c.field) for c in SPECS_BY_ENTITY["Organisations"].columns
}
INNOVATION_FIELDS = {
    c.field: RENAMED.get(c.field, c.field)
    for c in SPECS_BY_ENTITY["Innovations"].columns
    if c.field not in LINKED
}
# Every column of the Funding sheet is a column of funding_opportunities, under its own name.
FUNDING_FIELDS = {c.field: c.field for c in SPECS_BY_ENTITY["Funding"].columns}


class Loader(LoadState):
    """The parts of a load not moved into modules of their own yet (see load)."""

    # organisations -------------------------------------------------------------------------
    def load_organisations(self) -> None:
        rows = sheet_rows(self, "Organisations", ORGANISATION_FIELDS, self.organisations)
        write(self, self.organisations, first_per_id(rows))
        self._named_organisations()

    def _named_organisations(self) -> None:
        """Organisations the file only names (leads, partners, recipients): new ones by name."""
        wanted: dict[str, tuple[str, dict]] = {}
        for name, sheet, row in self._organisation_mentions():
            if self.organisations.find(None, name) is None:
                key = self.organisations.canonical(key_of(name))[1]
                wanted.setdefault(key, (name, self.provenance(sheet, row)))
        rows = [
            (None, {"name": name, "name_key": name_key(name), **prov})
            for name, prov in wanted.values()
        ]
        write(self, self.organisations, rows)

    def _organisation_mentions(self):
        for records in self.parsed.records.get("Innovations", []):
            for i, row in enumerate(records.rows):
                names = [
                    records.get("lead_organisation", i),
                    *(records.get("partner_organisations", i) or []),
                ]
                yield from ((n, records.sheet, row) for n in names if n)
        for records in self.parsed.records.get("Awards", []):
            for i, row in enumerate(records.rows):
                if records.get("organisation", i):
                    yield records.get("organisation", i), records.sheet, row
        a = self.parsed.assessments.a
        for (name, creates), i in first_rows(a["organisation"], a["creates"]).items():
            if name and creates:
                yield name, a["sheet"][i], a["row"][i]

    # innovations ---------------------------------------------------------------------------
    def load_innovations(self) -> None:
        rows = sheet_rows(self, "Innovations", INNOVATION_FIELDS, self.innovations)
        ids = write(self, self.innovations, rows)
        sources = [
            (records, i)
            for records in self.parsed.records.get("Innovations", [])
            for i in range(len(records))
        ]
        wanted: dict[str, dict[int, set]] = {}
        for record_id, (records, i) in zip(ids, sources, strict=True):
            self._links_of(wanted, record_id, records, i)
        for table, links in wanted.items():
            self._replace_links(table, links)
        self._implied_innovations()

    def _implied_innovations(self) -> None:
        """Innovations a form export names and the hub does not have yet."""
        a = self.parsed.assessments.a
        wanted: dict[str, tuple[object, str, dict, object]] = {}
        for (creates, ref, name), i in first_rows(
            a["creates"], a["innovation_ref"], a["innovation"]
        ).items():
            if not creates or not name or self.innovations.find(ref, name) is not None:
                continue
            key = self.innovations.canonical(key_of(name))[1]
            if key not in wanted:
                prov = self.provenance(a["sheet"][i], a["row"][i])
                wanted[key] = (ref, name, prov, a["organisation"][i])
        rows = [
            (None, {"ref": ref, "name": name, "name_key": name_key(name), **prov})
            for ref, name, prov, _ in wanted.values()
        ]
        ids = write(self, self.innovations, rows)
        links = Columns()
        for record_id, (*_, organisation) in zip(ids, wanted.values(), strict=True):
            org = self.organisations.find(None, organisation) if organisation else None
            if org is not None:
                links.add(
                    {
                        "innovation_id": record_id,
                        "organisation_id": org,
                        "role": "lead",
                        "batch_id": self.batch_id,
                    }
                )
        self.journal.insert(
            "innovation_organisations", links.data, ("innovation_id", "organisation_id", "role")
        )

    def _links_of(
        self, wanted_links: dict[str, dict[int, set]], innovation_id: int, records: Records, i: int
    ) -> None:
        """Collect the wanted regions, themes, target groups and organisations of a row."""
        for fname, table, _ in INNOVATION_LINKS:
            if records.has(fname):
                wanted_links.setdefault(table, {})[innovation_id] = set(records.get(fname, i) or [])
        if records.has("lead_organisation") or records.has("partner_organisations"):
            wanted = set()
            lead = records.get("lead_organisation", i)
            if lead:
                wanted.add((self.organisations.find(None, lead), "lead"))
            for partner in records.get("partner_organisations", i) or []:
                wanted.add((self.organisations.find(None, partner), "partner"))
            wanted_links.setdefault("innovation_organisations", {})[innovation_id] = wanted
        self._note_stage(innovation_id, records, i)

    def _replace_links(self, table: str, wanted: dict[int, set]) -> None:
        if table == "innovation_organisations":
            columns, where = ("organisation_id", "role"), "AND role IN ('lead', 'partner')"
        else:
            columns = (next(c for _, t, c in INNOVATION_LINKS if t == table),)
            where = ""
        current: dict[int, set] = {}
        for row in self.cur.execute(
            f"SELECT innovation_id, {', '.join(columns)} FROM {table} "
            f"WHERE innovation_id IN (SELECT unnest(?::INTEGER[])) {where}",
            [list(wanted)],
        ).fetchall():
            current.setdefault(row[0], set()).add(row[1:] if len(columns) > 1 else row[1])
        gone, added = Columns(), Columns()
        for innovation_id, items in wanted.items():
            have = current.get(innovation_id, set())
            for item in have - items:
                gone.add({"innovation_id": innovation_id, **_item(columns, item)})
            for item in sorted(items - have, key=str):
                added.add(
                    {
                        "innovation_id": innovation_id,
                        **_item(columns, item),
                        "batch_id": self.batch_id,
                    }
                )
        self.journal.delete(table, gone.data)
        self.journal.insert(table, added.data, ("innovation_id", *columns))

    def _note_stage(self, innovation_id: int, records: Records, i: int) -> None:
        """An innovation's stage enters its history when the history does not have it yet."""
        stage = records.get("stage", i)
        when = records.get("modified_on", i) or records.get("created_on", i)
        if stage and when:
            self.stage_notes.append((innovation_id, stage, when, records.sheet, records.rows[i]))

    # stage history and answers ---------------------------------------------------------------
    def load_stage_history(self) -> None:
        existing = {
            (r[0], r[1], r[2])
            for r in self.cur.execute(
                "SELECT innovation_id, stage_code, entered_on FROM stage_history"
            ).fetchall()
        }
        stages = {(r[0], r[1]) for r in existing}
        rows = Columns()
        for innovation_id, stage, when, sheet, row in self.stage_notes:
            if (innovation_id, stage) not in stages:
                stages.add((innovation_id, stage))
                existing.add((innovation_id, stage, when))
                rows.add(
                    {
                        "innovation_id": innovation_id,
                        "stage_code": stage,
                        "entered_on": when,
                        **self.provenance(sheet, row),
                    }
                )
        for records in self.parsed.records.get("StageHistory", []):
            for i, row in enumerate(records.rows):
                innovation_id = self.innovation_of(records.get("innovation", i))
                key = (innovation_id, records.get("stage", i), records.get("entered_on", i))
                if key in existing:
                    self.summary.skip(records.sheet, row, "already_in_hub")
                    continue
                existing.add(key)
                rows.add(
                    {
                        "innovation_id": key[0],
                        "stage_code": key[1],
                        "entered_on": key[2],
                        "note": records.get("note", i),
                        **self.provenance(records.sheet, row),
                    }
                )
        self.journal.insert(
            "stage_history", rows.data, ("innovation_id", "stage_code", "entered_on")
        )
        self.summary.add("stage_history_new", n=rows.size)

    def load_answers(self) -> None:
        existing = {
            (r[0], r[1]): r
            for r in self.cur.execute(
                "SELECT innovation_id, question_no, question, answer, answered_on "
                "FROM developer_answers"
            ).fetchall()
        }
        new, changed = Columns(), Columns()
        for records in self.parsed.records.get("Answers", []):
            for i, row in enumerate(records.rows):
                key = (
                    self.innovation_of(records.get("innovation", i)),
                    records.get("question_no", i),
                )
                values = {
                    "question": records.get("question", i),
                    "answer": records.get("answer", i),
                    "answered_on": records.get("answered_on", i),
                    **self.provenance(records.sheet, row),
                }
                full = {"innovation_id": key[0], "question_no": key[1], **values}
                if key not in existing:
                    new.add(full)
                    existing[key] = (
                        *key,
                        values["question"],
                        values["answer"],
                        values["answered_on"],
                    )
                    self.summary.add("answers_new")
                elif existing[key][2:] != (
                    values["question"],
                    values["answer"],
                    values["answered_on"],
                ):
                    changed.add(full)
                    self.summary.add("answers_updated")
        self.journal.insert("developer_answers", new.data, ("innovation_id", "question_no"))
        self.journal.update("developer_answers", changed.data, ("innovation_id", "question_no"))

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


def _item(columns: tuple[str, ...], item: object) -> dict:
    values = item if isinstance(item, tuple) else (item,)
    return dict(zip(columns, values, strict=True))


def load(cur: Cursor, parsed: ParsedWorkbook, batch_id: int, pilot: str) -> Summary:
    """Write every part of ``parsed`` in dependency order; the caller owns the transaction."""
    loader = Loader.start(cur, parsed, batch_id, pilot)
    skip_what_validation_left_out(loader)
    # Order matters: organisations before the innovations that name them, innovations before
    # everything that refers to them, funding calls before the awards that cite them.
    loader.load_organisations()
    loader.load_innovations()
    loader.load_stage_history()
    loader.load_answers()
    load_assessments(loader)
    loader.load_funding()
    loader.load_awards()
    return loader.summary
