"""The exports for Innokylä and SIM: the target's fields in its order and names, each traced to
a hub field, unknown fields present and empty, what is missing for submission, SIM validation
per point with who validated it when, the viewer's visibility, escaped formulas, the demo mark,
and an Innokylä workbook that reads back into the hub changing nothing."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

import openpyxl
import pytest

from sihub import importing
from sihub.access import Visibility
from sihub.db import connect
from sihub.sim.exports import INNOKYLA, INNOKYLA_FIELDS, SIM, SIM_FIELDS, export_for
from tests.apptools import record_downloads, run_app
from tests.builders import staff_by
from tests.import_corpus import DATA_TABLES, snapshot

NOW = datetime(2026, 12, 4, 12, 0)


def _book(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def _ids(store) -> list[int]:
    return [r[0] for r in store.rows("SELECT id FROM innovations ORDER BY id")]


@pytest.mark.both_stores
def test_innokyla_workbook_reads_back_changing_nothing(demo_store, tmp_path):
    before = snapshot(demo_store)
    found = export_for(demo_store, Visibility.ALL, INNOKYLA, _ids(demo_store), "fi", NOW)
    path = tmp_path / "innokyla-DEMO.xlsx"
    path.write_bytes(found.workbook)
    result = importing.import_file(demo_store, path, by=staff_by("Anna"))
    assert result.status == importing.IMPORTED, [(i.location, i.code) for i in result.issues]
    assert result.summary.counts["innovations_unchanged"] == found.innovations == 80
    assert snapshot(demo_store) == before


def test_an_edited_innokyla_workbook_changes_exactly_the_edited_cell(demo_store, tmp_path):
    before = snapshot(demo_store)
    found = export_for(demo_store, Visibility.ALL, INNOKYLA, _ids(demo_store)[:3], "fi", NOW)
    book = openpyxl.load_workbook(io.BytesIO(found.workbook))
    sheet = book["Toimintamallit"]
    column = [c.value for c in sheet[1]].index("Lyhyt kuvaus") + 1
    sheet.cell(2, column, "Uusi lyhyt kuvaus.")
    path = tmp_path / "innokyla-DEMO.xlsx"
    book.save(path)
    importing.import_file(demo_store, path, by=staff_by("Anna"))
    after = snapshot(demo_store)
    changed = demo_store.rows("SELECT id, short_description FROM innovations WHERE batch_id = "
                              "(SELECT max(id) FROM import_batches)")  # fmt: skip
    assert changed == [(_ids(demo_store)[0], "Uusi lyhyt kuvaus.")]
    assert {t for t in DATA_TABLES if before[t] != after[t]} == {"innovations"}


def test_innokyla_sheet_has_its_fields_in_order_traced_and_unknown_ones_empty(demo_store):
    found = export_for(demo_store, Visibility.ALL, INNOKYLA, _ids(demo_store), "en", NOW)
    sheets = _book(found.workbook)
    header, *rows = sheets["Toimintamallit"]
    assert list(header) == ["SI Hub ID", *(f.name for f in INNOKYLA_FIELDS)]
    contact = header.index("Yhteyshenkilö")
    assert all(row[contact] is None for row in rows)  # the hub keeps no contact person
    sources = {row[0]: row[1] for row in sheets["Field sources"][1:]}
    assert sources["Lyhyt kuvaus"] == "innovations.short_description"
    assert sources["Yhteyshenkilö"] == "(not kept in the hub)"
    assert set(sources) == {f.name for f in INNOKYLA_FIELDS}
    path_header = sheets["Kehittämispolku"][0]
    assert path_header == ("Innovaatio", "Vaiheen päivämäärä", "Kehittämisaskel", "Mitä tehtiin")


def test_missing_for_submission_names_the_empty_required_fields(demo_store):
    gap = demo_store.scalar("SELECT min(id) FROM innovations WHERE target_group_insight IS NULL")
    found = export_for(demo_store, Visibility.ALL, INNOKYLA, [gap], "en", NOW)
    missing = _book(found.workbook)["Missing for submission"]
    assert missing[0] == (
        "SI Hub ID",
        "Innovation",
        "Fields missing",
        "Required fields still empty",
    )
    assert missing[1][0] == gap and "Kohderyhmä ja asiakasymmärrys" in missing[1][3]
    data = json.loads(next(iter(found.json_files.values())))
    assert "Kohderyhmä ja asiakasymmärrys" in data["missing_for_submission"]


def _validated(demo_store) -> int:
    return demo_store.scalar(
        "SELECT min(innovation_id) FROM assessments WHERE framework_code = 'sim_validation'"
    )


def test_sim_export_gives_pass_or_fail_per_point_and_who_validated_when(demo_store):
    innovation_id = _validated(demo_store)
    found = export_for(demo_store, Visibility.ALL, SIM, [innovation_id], "en", NOW)
    sheets = _book(found.workbook)
    assert list(sheets["Case studies"][0]) == ["SI Hub ID", *(f.name for f in SIM_FIELDS)]
    header, *points = sheets["Validation"]
    assert header == ("SI Hub ID", "Title", "Validation point", "Result", "Validated by",
                      "Validated on")  # fmt: skip
    assert [p[2] for p in points] == [
        "Scope of the problem",
        "Approach",
        "Key results and benefits",
        "Scaling and transfer potential",
    ]
    assert {p[3] for p in points} <= {"pass", "fail"} and all(p[4] and p[5] for p in points)
    data = json.loads(next(iter(found.json_files.values())))
    assert [p["result"] for p in data["validation"]["points"]] == [p[3] for p in points]
    assert data["fields"][1] == {
        "name": "Problem addressed",
        "value": data["fields"][1]["value"],
        "hub_field": "innovations.problem_addressed_en",
        "required": True,
    }


def test_funders_never_see_an_internal_validation(demo_store):
    innovation_id = _validated(demo_store)
    demo_store.rows(
        "UPDATE assessments SET shared = FALSE WHERE innovation_id = ? "
        "AND framework_code = 'sim_validation'",
        [innovation_id],
    )
    for visibility, expected in ((Visibility.SHARED, {"not assessed"}), (Visibility.ALL, None)):
        found = export_for(demo_store, visibility, SIM, [innovation_id], "en", NOW)
        results = {row[3] for row in _book(found.workbook)["Validation"][1:]}
        if expected:
            assert results == expected
            assert all(row[4] is None for row in _book(found.workbook)["Validation"][1:])
        else:
            assert results <= {"pass", "fail"}


def test_formulas_are_escaped_and_demo_data_is_said(demo_store):
    innovation_id = _ids(demo_store)[0]
    demo_store.rows(
        "UPDATE innovations SET short_description = '=HYPERLINK(\"http://x\")' WHERE id = ?",
        [innovation_id],
    )
    found = export_for(demo_store, Visibility.ALL, INNOKYLA, [innovation_id], "en", NOW)
    sheets = _book(found.workbook)
    header, row = sheets["Toimintamallit"]
    assert row[header.index("Lyhyt kuvaus")] == '\'=HYPERLINK("http://x")'
    assert sheets["About"][1] == ("dataset", "demo")
    assert json.loads(next(iter(found.json_files.values())))["dataset"] == "demo"


def test_explorer_exports_exactly_the_selection_shown(demo_copy, monkeypatch):
    offered = record_downloads(monkeypatch)
    at = run_app(monkeypatch, demo_copy, "pages/pipeline.py", country="SE")
    assert not at.exception
    store = connect(str(demo_copy))
    swedish = {
        r[0]
        for r in store.rows(
            "SELECT innovation_id FROM innovation_countries WHERE country_code = 'SE' UNION "
            "SELECT io.innovation_id FROM innovation_organisations io "
            "JOIN organisations o ON o.id = io.organisation_id WHERE o.country = 'SE'"
        )
    }
    store.close()
    [(name, data)] = [(n, d) for n, d in offered if n.startswith("sihub-sim-")]
    assert name.endswith("-DEMO.zip")
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        books = [n for n in zipped.namelist() if n.endswith(".xlsx")]
        hub_ids = {json.loads(zipped.read(n))["hub_id"] for n in zipped.namelist()
                   if n.endswith(".json")}  # fmt: skip
        rows = _book(zipped.read(books[0]))["Case studies"][1:]
    assert hub_ids == {row[0] for row in rows} == swedish
