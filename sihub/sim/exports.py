"""The exports for Innokylä and for SIM: the innovations of a selection in the target system's
shape, as a workbook and a JSON file per innovation, together in a zip.

Each target lists its fields in its own order and under its own names (``TargetField``), each
with the hub field it is filled from, so that every cell can be traced back; a field the hub
does not know is present and empty. The "missing for submission" sheet names, per innovation,
the required fields still empty. Text that a spreadsheet would run is escaped, and an export
of demo data says so (``sihub.exports``). The Innokylä workbook reads back through the normal
importer and changes nothing: its columns are the hub's own Finnish labels where Innokylä
names a field the same, and synonyms of ``importing/synonyms.toml`` where it does not.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from sihub import exports
from sihub.db.store import Store
from sihub.i18n import t
from sihub.sim import budget_text
from sihub.sim.entries import Entry, entries
from sihub.sim.validation import validations

INNOKYLA, SIM = "innokyla", "sim"
TARGETS = (INNOKYLA, SIM)
TARGET_LANGUAGE = {INNOKYLA: "fi", SIM: "en"}  # the language each system's entries are in
NOT_IN_HUB = ""  # the hub field of a target field the hub does not keep


@dataclass(frozen=True)
class TargetField:
    """One field of a target system: its name there, the hub field it comes from, and
    whether the system needs it before an entry can be submitted."""

    name: str
    hub: str
    take: Callable[[Entry], object]
    required: bool = False


def _field(name: str, column: str, required: bool = False) -> TargetField:
    """A field filled from one column of the innovation."""
    return TargetField(name, f"innovations.{column}", lambda e: e.get(column), required)


def _joined(values: Sequence[str]) -> str | None:
    return "; ".join(values) or None


def _lead(name: str) -> TargetField:
    """The lead organisation, under the target system's name for it."""
    return TargetField(
        name, "innovation_organisations (role lead) -> organisations.name", lambda e: e.lead, True
    )


def _empty(name: str) -> TargetField:
    """A field of the target system that the hub does not keep: present, and empty."""
    return TargetField(name, NOT_IN_HUB, lambda e: None)


# Innokylä's operating-model fields, in the order of its form (../shared/docs/domain.md, 3).
INNOKYLA_FIELDS: tuple[TargetField, ...] = (
    _field("SI Hub -tunniste", "ref"),
    _field("Toimintamallin nimi", "name", True),
    _field("Lyhyt kuvaus", "short_description", True),
    _field("Toteutuspaikka", "implementation_place", True),
    TargetField(
        "Kunta / alue / hyvinvointialue",
        "innovation_regions.region_code",
        lambda e: _joined(e.regions),
        True,
    ),
    _field("Toimintamallin rahoittaja", "funder_text"),
    _field("Kokonaisuus", "collection"),
    _field("Tekijä", "author"),
    _field("Luotu", "created_on"),
    _field("Muokattu", "modified_on"),
    _field("Ratkaisun perusajatus", "basic_idea", True),
    _field("Toimintaympäristö", "operating_environment"),
    _field("Kohderyhmä ja asiakasymmärrys", "target_group_insight", True),
    _field("Toimivuuden ja käyttöönoton edellytykset", "adoption_conditions"),
    _lead("Päävastuullinen organisaatio"),
    TargetField(
        "Kumppaniorganisaatiot",
        "innovation_organisations (role partner) -> organisations.name",
        lambda e: _joined(e.partners),
    ),
    _field("Innokylä-linkki", "innokyla_url"),
    _empty("Yhteyshenkilö"),
    _empty("Asiasanat"),
)

# Social Innovation Match's case-study fields, in the order of its form (domain.md, 3).
SIM_FIELDS: tuple[TargetField, ...] = (
    _field("Title", "name", True),
    _field("Problem addressed", "problem_addressed_en", True),
    _field("Innovative solution", "innovative_solution_en", True),
    _lead("Lead organisation"),
    TargetField(
        "Countries", "innovation_countries.country_code", lambda e: _joined(e.countries), True
    ),
    TargetField("Level of action", "innovations.scope", lambda e: e.get("scope_name"), True),
    TargetField("Source of funding", "innovations.funding_source", lambda e: e.get("source_name")),
    TargetField(
        "Budget",
        "innovations.budget_amount, budget_currency, budget_text",
        lambda e: budget_text(e.record, "en"),
    ),
    _field("Programming period", "programming_period"),
    _field("Project start", "project_start", True),
    _field("Project end", "project_end"),
    TargetField(
        "Type of initiative",
        "innovations.initiative_type",
        lambda e: e.get("initiative_name"),
        True,
    ),
    TargetField(
        "Participants",
        "innovation_organisations -> organisations.name, role, country",
        lambda e: _joined([_participant(p) for p in e.participants]),
        True,
    ),
    _field("Website", "sim_url"),
    _empty("Key results and benefits"),
    _empty("Contact person"),
)
FIELDS = {INNOKYLA: INNOKYLA_FIELDS, SIM: SIM_FIELDS}
ROW_SHEET = {INNOKYLA: "Toimintamallit", SIM: "Case studies"}  # the systems' own names
RESULT_WORDS = {"pass": "pass", "fail": "fail", "not_assessed": "not assessed"}  # as SIM says
MISSING_COLUMNS = ("innovation", "count", "fields")  # of the "missing for submission" sheet
HUB_ID = "SI Hub ID"  # the innovation's id in the hub, first in every row: its trace


def _participant(p: dict) -> str:
    details = ", ".join(x for x in (p["role"], p["country"]) if x)
    return f"{p['organisation']} ({details})" if details else p["organisation"]


@dataclass(frozen=True)
class Export:
    """The files of one export: the workbook's bytes and one JSON text per innovation."""

    workbook: bytes
    json_files: dict[str, str]
    innovations: int

    def zip_bytes(self, workbook_name: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
            zipped.writestr(workbook_name, self.workbook)
            for name, text in self.json_files.items():
                zipped.writestr(f"json/{name}", text)
        return buffer.getvalue()


def export_for(
    store: Store,
    visibility: str,
    target: str,
    innovation_ids: Sequence[int],
    lang: str,
    now: datetime,
) -> Export:
    """The innovations of ``innovation_ids`` (in that order) in ``target``'s shape; ``lang``
    is the language of the hub's own words (sheet titles, the about sheet)."""
    found = entries(store, innovation_ids, TARGET_LANGUAGE[target])
    if target == SIM:
        checked = validations(store, visibility, [e.id for e in found], "en")
        for entry in found:
            entry.validation = checked.get(entry.id)
    demo = exports.is_demo(store)
    sheets = _sheets(target, found, lang)
    about = _about(target, len(found), lang, now)
    workbook = exports.excel_bytes(
        sheets, about, about_title=t("sim.export.about_sheet", lang=lang), demo=demo
    )
    json_files = {_json_name(e): _json_text(target, e, demo, now) for e in found}
    return Export(workbook, json_files, len(found))


def _sheets(target: str, found: list[Entry], lang: str) -> dict[str, pd.DataFrame]:
    fields = FIELDS[target]
    rows = pd.DataFrame(
        [[e.id, *(f.take(e) for f in fields)] for e in found],
        columns=[HUB_ID, *(f.name for f in fields)],
    )
    sheets = {ROW_SHEET[target]: rows}
    if target == INNOKYLA:
        sheets[t("sheet.DevelopmentPath", lang="fi")] = _path_sheet(found)
    else:
        sheets["Participants"] = _participants_sheet(found)
        sheets["Validation"] = _validation_sheet(found)
    sheets[t("sim.export.sources_sheet", lang=lang)] = _sources_sheet(target, lang)
    sheets[t("sim.export.missing_sheet", lang=lang)] = _missing_sheet(target, found, lang)
    return sheets


def _path_sheet(found: list[Entry]) -> pd.DataFrame:
    """Innokylä's development path, under the hub's Finnish labels (they read back)."""
    columns = ("innovation", "step_on", "step", "description")
    labels = [t(f"field.DevelopmentPath.{c}", lang="fi") for c in columns]
    rows = [
        [e.get("ref") or e.get("name"), s["step_on"], s["step"], s["description"]]
        for e in found
        for s in e.steps
    ]
    return pd.DataFrame(rows, columns=labels)


def _participants_sheet(found: list[Entry]) -> pd.DataFrame:
    rows = [
        [e.id, e.get("name"), p["organisation"], p["role"], p["country"]]
        for e in found
        for p in e.participants
    ]
    return pd.DataFrame(rows, columns=[HUB_ID, "Title", "Organisation", "Role", "Country"])


def _validation_sheet(found: list[Entry]) -> pd.DataFrame:
    """Pass or fail per point of SIM's checklist, with who validated it and when."""
    rows = []
    for e in found:
        for point in e.validation.points if e.validation else ():
            rows.append(
                [
                    e.id,
                    e.get("name"),
                    point.name,
                    RESULT_WORDS[point.result],
                    ", ".join(point.validated_by) or None,
                    point.validated_on,
                ]
            )
    columns = [HUB_ID, "Title", "Validation point", "Result", "Validated by", "Validated on"]
    return pd.DataFrame(rows, columns=columns)


def _sources_sheet(target: str, lang: str) -> pd.DataFrame:
    """Where each column comes from in the hub (empty: the hub does not keep it)."""
    rows = [
        [
            f.name,
            f.hub or t("sim.export.not_in_hub", lang=lang),
            t("sim.export.yes" if f.required else "sim.export.no", lang=lang),
        ]
        for f in FIELDS[target]
    ]
    columns = [t(f"sim.export.sources.{c}", lang=lang) for c in ("field", "hub_field", "required")]
    return pd.DataFrame(rows, columns=columns)


def missing_fields(target: str, entry: Entry) -> list[str]:
    """The target's required fields this innovation leaves empty, in the target's order."""
    return [f.name for f in FIELDS[target] if f.required and _blank(f.take(entry))]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _missing_sheet(target: str, found: list[Entry], lang: str) -> pd.DataFrame:
    rows = []
    for e in found:
        missing = missing_fields(target, e)
        if missing:
            rows.append([e.id, e.get("name"), len(missing), "; ".join(missing)])
    columns = [HUB_ID, *(t(f"sim.export.missing.{c}", lang=lang) for c in MISSING_COLUMNS)]
    return pd.DataFrame(rows, columns=columns)


def _about(target: str, count: int, lang: str, now: datetime) -> dict[str, object]:
    return {
        t("sim.export.about.target", lang=lang): t(f"sim.export.target.{target}", lang=lang),
        t("sim.export.about.innovations", lang=lang): count,
        t("sim.export.about.made", lang=lang): now,
        t("sim.export.about.note", lang=lang): t(f"sim.export.note.{target}", lang=lang),
    }


def _json_name(entry: Entry) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", str(entry.get("ref") or entry.get("name")).lower())
    return f"{entry.id}-{slug.strip('-')[:40]}.json"


def _json_text(target: str, entry: Entry, demo: bool, now: datetime) -> str:
    """One innovation in the target's fields, each with the hub field it came from."""
    fields = [
        {"name": f.name, "value": _plain(f.take(entry)), "hub_field": f.hub or None,
         "required": f.required}
        for f in FIELDS[target]
    ]  # fmt: skip
    data: dict[str, object] = {
        "target": target,
        **({exports.DEMO_MARK[0]: exports.DEMO_MARK[1]} if demo else {}),
        "hub_id": entry.id,
        "exported_at": now.isoformat(timespec="seconds"),
        "fields": fields,
        "missing_for_submission": missing_fields(target, entry),
    }
    if target == INNOKYLA:
        data["development_path"] = [{k: _plain(v) for k, v in s.items()} for s in entry.steps]
    else:
        data["participants"] = entry.participants
        data["validation"] = _validation_json(entry)
    return json.dumps(data, ensure_ascii=False, indent=2)


def _validation_json(entry: Entry) -> dict | None:
    found = entry.validation
    if found is None:
        return None
    return {
        "passed": found.passed,
        "points": [
            {"point": p.name, "result": p.result, "validated_by": list(p.validated_by),
             "validated_on": _plain(p.validated_on)}
            for p in found.points
        ],
    }  # fmt: skip


def _plain(value: object) -> object:
    """JSON's own values: dates as ISO text, NaN as null."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    return value
