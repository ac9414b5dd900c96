"""Write a validated workbook into the store as one journalled batch.

Records are matched to existing ones (innovations and organisations by reference, else by
normalised name; assessors by name) and updated in place; an assessment with the same
innovation, framework, assessor, type and round as an active one replaces it (the old one is
marked superseded, not deleted, so that undo can bring it back).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import duckdb

from sihub.importing.journal import Journal
from sihub.importing.validation import ParsedWorkbook, Row
from sihub.importing.values import as_text
from sihub.text import name_key

Cursor = duckdb.DuckDBPyConnection

ORGANISATION_FIELDS = {
    "ref": "ref",
    "name": "name",
    "org_type": "org_type",
    "region": "region_code",
    "business_id": "business_id",
    "municipality": "municipality",
    "country": "country",
    "website": "website",
    "innokyla_url": "innokyla_url",
    "description": "description",
}
INNOVATION_FIELDS = {
    f: f
    for f in (
        "ref",
        "name",
        "short_description",
        "basic_idea",
        "operating_environment",
        "target_group_insight",
        "adoption_conditions",
        "implementation_place",
        "scope",
        "funder_text",
        "collection",
        "author",
        "created_on",
        "modified_on",
        "innokyla_url",
        "sim_url",
    )
}
INNOVATION_FIELDS["stage"] = "stage_code"
INNOVATION_LINKS = (
    ("regions", "innovation_regions", "region_code"),
    ("themes", "innovation_themes", "theme_code"),
    ("target_groups", "innovation_target_groups", "target_group_code"),
)
FUNDING_FIELDS = (
    "ref",
    "funder",
    "funder_type",
    "programme",
    "call_name",
    "instrument",
    "amount_min",
    "amount_max",
    "funding_rate_max",
    "duration_months_min",
    "duration_months_max",
    "consortium_required",
    "consortium_rule",
    "eligible_applicant_types",
    "themes",
    "target_groups",
    "stage_fit",
    "geographic_scope",
    "regions",
    "min_normalised_score",
    "opens_on",
    "deadline",
    "continuous",
    "description",
    "source_url",
    "last_checked",
)


@dataclass
class Summary:
    """What a batch did (or, in a dry run, would do): counts and the names of new records."""

    counts: Counter = field(default_factory=Counter)
    new: dict[str, list[str]] = field(default_factory=dict)
    replaced: list[dict] = field(default_factory=list)

    def add(self, what: str, name: str | None = None) -> None:
        self.counts[what] += 1
        if name is not None:
            self.new.setdefault(what, []).append(name)


class Loader:
    """Writes the rows of one workbook through a Journal, resolving names to ids as it goes."""

    def __init__(self, cur: Cursor, batch_id: int) -> None:
        self.cur = cur
        self.batch_id = batch_id
        self.journal = Journal(cur, batch_id)
        self.summary = Summary()
        self._scores: list[dict] = []  # written in one statement after all assessments

    def _provenance(self, row: Row) -> dict:
        return {"batch_id": self.batch_id, "source_sheet": row.sheet, "source_row": row.number}

    def _find(self, table: str, ref: object, name: object) -> dict | None:
        """An existing record by reference, else by normalised name."""
        if ref:
            found = self._one(f"SELECT * FROM {table} WHERE ref = ?", [ref])
            if found:
                return found
        return (
            self._one(
                f"SELECT * FROM {table} WHERE name_key = ? ORDER BY id LIMIT 1", [name_key(name)]
            )
            if name
            else None
        )

    def _one(self, sql: str, params: list) -> dict | None:
        result = self.cur.execute(sql, params)
        names = [d[0] for d in result.description]
        found = result.fetchone()
        return None if found is None else dict(zip(names, found, strict=True))

    def _upsert(self, table: str, what: str, existing: dict | None, values: dict) -> int:
        """Insert, or update the columns the file gives a new value for; returns the id."""
        if existing is None:
            key = self.journal.insert(table, values)
            self.summary.add(f"{what}_new", values.get("name") or values.get("call_name"))
            return key["id"]
        changes = {
            col: v
            for col, v in values.items()
            if v not in (None, [])
            and existing.get(col) != v
            and col not in ("batch_id", "source_sheet", "source_row")
        }
        if changes:
            changes.update({k: values[k] for k in ("batch_id", "source_sheet", "source_row")})
            self.journal.update(table, {"id": existing["id"]}, changes)
            self.summary.add(f"{what}_updated")
        else:
            self.summary.add(f"{what}_unchanged")
        return existing["id"]

    # organisations -------------------------------------------------------------------------
    def organisation_id(self, name: str, row: Row | None = None) -> int | None:
        """The id of organisation ``name``, created with just its name if it is new."""
        if not name:
            return None
        existing = self._find("organisations", None, name)
        if existing:
            return existing["id"]
        values = {"name": name, "name_key": name_key(name)}
        if row is not None:
            values.update(self._provenance(row))
        return self._upsert("organisations", "organisations", None, values)

    def load_organisations(self, rows: list[Row]) -> None:
        for row in rows:
            values = {col: row.get(f) for f, col in ORGANISATION_FIELDS.items() if f in row.values}
            values["name_key"] = name_key(row.get("name"))
            values.update(self._provenance(row))
            existing = self._find("organisations", row.get("ref"), row.get("name"))
            self._upsert("organisations", "organisations", existing, values)

    # innovations ---------------------------------------------------------------------------
    def innovation(self, reference: object) -> dict | None:
        return self._find("innovations", reference, reference)

    def load_innovations(self, rows: list[Row]) -> None:
        for row in rows:
            values = {col: row.get(f) for f, col in INNOVATION_FIELDS.items() if f in row.values}
            values["name_key"] = name_key(row.get("name"))
            values.update(self._provenance(row))
            existing = self._find("innovations", row.get("ref"), row.get("name"))
            innovation_id = self._upsert("innovations", "innovations", existing, values)
            for fname, table, column in INNOVATION_LINKS:
                if fname in row.values:
                    self._replace_links(table, innovation_id, column, row.get(fname) or [])
            if "lead_organisation" in row.values or "partner_organisations" in row.values:
                self._link_organisations(innovation_id, row)
            if row.get("stage"):
                self._note_stage(innovation_id, row)

    def _replace_links(self, table: str, innovation_id: int, column: str, codes: list) -> None:
        current = {
            r[0]
            for r in self.cur.execute(
                f"SELECT {column} FROM {table} WHERE innovation_id = ?", [innovation_id]
            ).fetchall()
        }
        for code in current - set(codes):
            self.journal.delete(table, {"innovation_id": innovation_id, column: code})
        for code in dict.fromkeys(codes):
            if code not in current:
                self.journal.insert(
                    table,
                    {"innovation_id": innovation_id, column: code, "batch_id": self.batch_id},
                    ("innovation_id", column),
                )

    def _link_organisations(self, innovation_id: int, row: Row) -> None:
        wanted = []
        if row.get("lead_organisation"):
            wanted.append((self.organisation_id(row.get("lead_organisation"), row), "lead"))
        for partner in row.get("partner_organisations") or []:
            wanted.append((self.organisation_id(partner, row), "partner"))
        current = set(
            self.cur.execute(
                "SELECT organisation_id, role FROM innovation_organisations "
                "WHERE innovation_id = ? "
                "AND role IN ('lead', 'partner')",
                [innovation_id],
            ).fetchall()
        )
        for org_id, role in current - set(wanted):
            self.journal.delete(
                "innovation_organisations",
                {"innovation_id": innovation_id, "organisation_id": org_id, "role": role},
            )
        for org_id, role in dict.fromkeys(wanted):
            if (org_id, role) not in current:
                self.journal.insert(
                    "innovation_organisations",
                    {
                        "innovation_id": innovation_id,
                        "organisation_id": org_id,
                        "role": role,
                        "batch_id": self.batch_id,
                    },
                    ("innovation_id", "organisation_id", "role"),
                )

    def _note_stage(self, innovation_id: int, row: Row) -> None:
        """Record the stage in the history when the history does not have it yet."""
        has = self.cur.execute(
            "SELECT count(*) FROM stage_history WHERE innovation_id = ? AND stage_code = ?",
            [innovation_id, row.get("stage")],
        ).fetchone()[0]
        when = row.get("modified_on") or row.get("created_on")
        if not has and when:
            self.journal.insert(
                "stage_history",
                {
                    "innovation_id": innovation_id,
                    "stage_code": row.get("stage"),
                    "entered_on": when,
                    **self._provenance(row),
                },
                ("innovation_id", "stage_code", "entered_on"),
            )
            self.summary.add("stage_history_new")

    def load_stage_history(self, rows: list[Row]) -> None:
        for row in rows:
            innovation = self.innovation(row.get("innovation"))
            key = {
                "innovation_id": innovation["id"],
                "stage_code": row.get("stage"),
                "entered_on": row.get("entered_on"),
            }
            if self.journal.old_row("stage_history", key):
                self.summary.add("rows_skipped")
                continue
            self.journal.insert(
                "stage_history",
                {**key, "note": row.get("note"), **self._provenance(row)},
                tuple(key),
            )
            self.summary.add("stage_history_new")

    # assessments ---------------------------------------------------------------------------
    def assessor_id(self, name: object, organisation: object, row: Row) -> int | None:
        if not name:
            return None
        found = self._one(
            "SELECT id FROM assessors WHERE name_key = ? ORDER BY id LIMIT 1", [name_key(name)]
        )
        if found:
            return found["id"]
        key = self.journal.insert(
            "assessors",
            {
                "name": name,
                "name_key": name_key(name),
                "organisation": organisation,
                **self._provenance(row),
            },
        )
        self.summary.add("assessors_new", str(name))
        return key["id"]

    def load_assessments(self, rows: list[Row]) -> None:
        for row in rows:
            innovation = self.innovation(row.get("innovation"))
            assessor = self.assessor_id(row.get("assessor"), row.get("assessor_organisation"), row)
            natural = [
                innovation["id"],
                row.get("framework"),
                assessor,
                row.get("assessment_type"),
                row.get("round"),
            ]
            for (old_id,) in self.cur.execute(
                "SELECT id FROM assessments WHERE innovation_id = ? AND framework_code = ? AND "
                "assessor_id IS NOT DISTINCT FROM ? AND assessment_type = ? AND round IS NOT "
                "DISTINCT FROM ? AND superseded_by_batch IS NULL",
                natural,
            ).fetchall():
                self.journal.update(
                    "assessments", {"id": old_id}, {"superseded_by_batch": self.batch_id}
                )
                self.summary.counts["assessments_replaced"] += 1
                self.summary.replaced.append(
                    {
                        "assessment_id": old_id,
                        "innovation": innovation["name"],
                        "assessor": row.get("assessor"),
                        "round": row.get("round"),
                    }
                )
            key = self.journal.insert(
                "assessments",
                {
                    "ref": row.get("ref"),
                    "innovation_id": innovation["id"],
                    "framework_code": row.get("framework"),
                    "assessor_id": assessor,
                    "assessment_type": row.get("assessment_type"),
                    "assessed_on": row.get("assessed_on"),
                    "round": row.get("round"),
                    "summary": row.get("summary"),
                    "shared": True if row.get("shared") is None else row.get("shared"),
                    **self._provenance(row),
                },
            )
            self.summary.add("assessments_new")
            self._collect_scores(key["id"], row)
        self.journal.insert_many("scores", self._scores, ("assessment_id", "criterion_code"))
        self._scores.clear()

    def _collect_scores(self, assessment_id: int, row: Row) -> None:
        codes = dict.fromkeys([*row.scores, *row.comments])
        for code in codes:
            raw, parsed, letter = row.scores.get(code, (None, None, None))
            self._scores.append(
                {
                    "assessment_id": assessment_id,
                    "criterion_code": code,
                    "raw_value": as_text(raw),
                    "value": parsed.value if parsed else None,
                    "level_code": parsed.level if parsed else None,
                    "normalised": parsed.normalised if parsed else None,
                    "comment": row.comments.get(code),
                    **self._provenance(row),
                    "source_column": letter,
                }
            )
            if parsed is not None and not parsed.missing:
                self.summary.add("scores_new")

    def load_answers(self, rows: list[Row]) -> None:
        for row in rows:
            innovation = self.innovation(row.get("innovation"))
            key = {"innovation_id": innovation["id"], "question_no": row.get("question_no")}
            values = {
                "question": row.get("question"),
                "answer": row.get("answer"),
                "answered_on": row.get("answered_on"),
                **self._provenance(row),
            }
            old = self.journal.old_row("developer_answers", key)
            if old is None:
                self.journal.insert("developer_answers", {**key, **values}, tuple(key))
                self.summary.add("answers_new")
            elif any(old[k] != v for k, v in values.items() if k != "batch_id"):
                self.journal.update("developer_answers", key, values)
                self.summary.add("answers_updated")

    # funding -------------------------------------------------------------------------------
    def load_funding(self, rows: list[Row]) -> None:
        for row in rows:
            values = {f: row.get(f) for f in FUNDING_FIELDS if f in row.values}
            values["continuous"] = bool(row.get("continuous"))
            values.update(self._provenance(row))
            existing = None
            if row.get("ref"):
                existing = self._one(
                    "SELECT * FROM funding_opportunities WHERE ref = ?", [row.get("ref")]
                )
            existing = existing or self._one(
                "SELECT * FROM funding_opportunities WHERE funder = ? AND call_name = ? "
                "ORDER BY id LIMIT 1",
                [row.get("funder"), row.get("call_name")],
            )
            self._upsert("funding_opportunities", "funding", existing, values)

    def load_awards(self, rows: list[Row]) -> None:
        for row in rows:
            innovation = self.innovation(row.get("innovation"))
            opportunity = (
                self._one(
                    "SELECT id FROM funding_opportunities WHERE ref = ?", [row.get("call_ref")]
                )
                if row.get("call_ref")
                else None
            )
            same = self._one(
                "SELECT id FROM funding_awards WHERE innovation_id = ? AND funder = ? AND "
                "programme IS NOT DISTINCT FROM ? AND awarded_on IS NOT DISTINCT FROM ?",
                [innovation["id"], row.get("funder"), row.get("programme"), row.get("awarded_on")],
            )
            if same:
                self.summary.add("rows_skipped")
                continue
            self.journal.insert(
                "funding_awards",
                {
                    "innovation_id": innovation["id"],
                    "organisation_id": self.organisation_id(row.get("organisation"), row),
                    "opportunity_id": opportunity["id"] if opportunity else None,
                    "funder": row.get("funder"),
                    "programme": row.get("programme"),
                    "amount": row.get("amount"),
                    "awarded_on": row.get("awarded_on"),
                    **self._provenance(row),
                },
            )
            self.summary.add("awards_new")


# Order matters: organisations before the innovations that name them, innovations before
# everything that refers to them, funding calls before the awards that cite them.
LOAD_ORDER = (
    ("Organisations", Loader.load_organisations),
    ("Innovations", Loader.load_innovations),
    ("StageHistory", Loader.load_stage_history),
    ("Answers", Loader.load_answers),
    ("Assessments", Loader.load_assessments),
    ("Funding", Loader.load_funding),
    ("Awards", Loader.load_awards),
)


def load(cur: Cursor, parsed: ParsedWorkbook, batch_id: int) -> Summary:
    """Write every sheet of ``parsed`` in dependency order; the caller owns the transaction."""
    loader = Loader(cur, batch_id)
    for entity, method in LOAD_ORDER:
        if parsed.rows.get(entity):
            method(loader, parsed.rows[entity])
    loader.journal.flush()
    return loader.summary
