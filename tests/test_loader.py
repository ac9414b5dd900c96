"""The hub-workbook loader: rows land in the store, problems come back as located issues,
and a batch can be undone exactly."""

from datetime import date
from pathlib import Path

import pytest

from sihub.demo import SI_CRITERIA
from sihub.importing import (
    ALREADY_IMPORTED,
    BLOCKED,
    IMPORTED,
    UNREADABLE,
    import_file,
    undo_batch,
)
from tests.builders import BY_STAFF, write_workbook

TODAY = date(2026, 11, 1)
SI = list(SI_CRITERIA)
ASSESSMENT_HEADER = [
    "innovation",
    "framework",
    "assessor",
    "assessment_type",
    "assessed_on",
    "round",
    *SI,
    "need_comment",
]


def catalogue(path: Path) -> Path:
    return write_workbook(
        path,
        {
            "Organisations": [
                ["name", "org_type", "region"],
                ["Nuorten Polku ry", "yhdistys", "Pohjois-Pohjanmaan hyvinvointialue"],
            ],
            "Innovations": [
                [
                    "ref",
                    "name",
                    "stage",
                    "themes",
                    "target_groups",
                    "lead_organisation",
                    "created_on",
                ],
                [
                    "K-1",
                    "Kielikaveri",
                    "3 Prototyypit ja pilotit",
                    "integration; education",
                    "immigrant",
                    "Nuorten Polku ry",
                    "5.3.2024",
                ],
                [
                    "K-2",
                    "Ohjaamo-polku",
                    "sustaining",
                    "employment",
                    "youth",
                    "Nuorten Polku ry",
                    45000,
                ],
            ],
        },
    )


def assessments(path: Path, need: object = 4) -> Path:
    return write_workbook(
        path,
        {
            "Assessments": [
                ASSESSMENT_HEADER,
                [
                    "Kielikaveri",
                    "si_tool",
                    "Anna Virtanen",
                    "expert",
                    date(2026, 10, 1),
                    1,
                    need,
                    "3,5",
                    3,
                    2,
                    "–",
                    None,
                    5,
                    4,
                    3,
                    2,
                    "Hyvä tarve",
                ],
                [
                    "K-2",
                    "",
                    "Mikko Korhonen",
                    "vertaisarviointi",
                    "1.10.2026",
                    1,
                    5,
                    5,
                    4,
                    4,
                    3,
                    3,
                    2,
                    2,
                    1,
                    1,
                    None,
                ],
            ]
        },
    )


def dump(store) -> dict[str, list]:
    tables = (
        "organisations",
        "innovations",
        "innovation_themes",
        "innovation_organisations",
        "stage_history",
        "assessors",
        "assessments",
        "scores",
    )
    return {t: sorted(map(repr, store.rows(f"SELECT * FROM {t}"))) for t in tables}


def test_catalogue_and_assessments_land_in_the_store(store, tmp_path):
    first = import_file(store, catalogue(tmp_path / "cat.xlsx"), today=TODAY, by=BY_STAFF)
    assert first.status == IMPORTED, [i.as_row("en") for i in first.issues]
    assert store.rows("SELECT name, stage_code, created_on FROM innovations ORDER BY ref") == [
        ("Kielikaveri", "prototypes", date(2024, 3, 5)),
        ("Ohjaamo-polku", "sustaining", date(2023, 3, 15)),  # Excel serial 45000
    ]
    assert store.rows("SELECT org_type, region_code FROM organisations") == [
        ("association", "north_ostrobothnia")
    ]
    assert sorted(
        store.rows(
            "SELECT theme_code FROM innovation_themes it JOIN innovations i "
            "ON i.id = it.innovation_id WHERE i.ref = 'K-1'"
        )
    ) == [("education",), ("integration",)]

    second = import_file(store, assessments(tmp_path / "a.xlsx"), today=TODAY, by=BY_STAFF)
    assert second.status == IMPORTED, [i.as_row("en") for i in second.issues]
    scores = dict(
        store.rows(
            "SELECT s.criterion_code, s.normalised FROM scores s JOIN assessments a ON "
            "a.id = s.assessment_id JOIN assessors r ON r.id = a.assessor_id "
            "WHERE r.name = 'Anna Virtanen'"
        )
    )
    assert scores["need"] == 0.75 and scores["novelty"] == 0.625
    assert scores["evidence"] is None  # "–" is kept as typed, as a missing score, never 0
    assert "participation" not in scores  # blank is missing, not 0
    assert store.rows("SELECT assessment_type FROM assessments ORDER BY id") == [
        ("expert",),
        ("peer",),
    ]
    assert store.rows(
        "SELECT comment, source_sheet, source_row, source_column FROM scores "
        "WHERE comment IS NOT NULL"
    ) == [("Hyvä tarve", "Assessments", 2, "G")]


def test_problems_are_reported_with_sheet_row_and_column_and_nothing_is_written(store, tmp_path):
    import_file(store, catalogue(tmp_path / "cat.xlsx"), today=TODAY, by=BY_STAFF)
    before = dump(store)
    bad = write_workbook(
        tmp_path / "bad.xlsx",
        {
            "Assessments": [
                ASSESSMENT_HEADER,
                [
                    "Kielikaveri",
                    "si_tool",
                    "Anna",
                    "expert",
                    "31.2.2026",
                    1,
                    7,
                    "kiva",
                    *[3] * 8,
                    None,
                ],
                ["Tuntematon", "si_tool", "Anna", "expert", date(2027, 1, 1), 1, *[3] * 10, None],
                ["Kielikaveri", "si_tool", "Anna", "maybe", date(2026, 1, 1), 1, *[3] * 10, None],
            ]
        },
    )
    result = import_file(store, bad, today=TODAY, by=BY_STAFF)
    assert result.status == BLOCKED
    found = {(i.location, i.code) for i in result.issues}
    assert {
        ("Assessments!E2", "bad_date"),
        ("Assessments!G2", "score_out_of_range"),
        ("Assessments!H2", "score_not_on_scale"),
        ("Assessments!A3", "unknown_innovation"),
        ("Assessments!E3", "future_date"),
        ("Assessments!D4", "unknown_code"),
    } <= found
    assert dump(store) == before


def test_same_file_twice_changes_nothing_and_says_so(store, tmp_path):
    path = catalogue(tmp_path / "cat.xlsx")
    import_file(store, path, today=TODAY, by=BY_STAFF)
    before = dump(store)
    again = import_file(store, path, today=TODAY, by=BY_STAFF)
    assert again.status == ALREADY_IMPORTED and again.batch_id == 1
    assert dump(store) == before


def test_corrected_file_replaces_the_earlier_assessment_and_undo_brings_it_back(store, tmp_path):
    import_file(store, catalogue(tmp_path / "cat.xlsx"), today=TODAY, by=BY_STAFF)
    import_file(store, assessments(tmp_path / "a.xlsx", need=4), today=TODAY, by=BY_STAFF)
    before = dump(store)
    corrected = import_file(
        store, assessments(tmp_path / "a2.xlsx", need=2), today=TODAY, by=BY_STAFF
    )
    assert corrected.summary.counts["assessments_replaced"] == 2
    active = store.rows(
        "SELECT s.normalised FROM scores s JOIN assessments a ON a.id = "
        "s.assessment_id WHERE a.superseded_by_batch IS NULL AND "
        "s.criterion_code = 'need' ORDER BY s.normalised"
    )
    assert active == [(0.25,), (1.0,)]  # one active assessment per assessor, not duplicates

    undo_batch(store, corrected.batch_id, by=BY_STAFF)
    assert dump(store) == before


def test_undo_of_the_first_batch_empties_the_store(store, tmp_path):
    empty = dump(store)
    result = import_file(store, catalogue(tmp_path / "cat.xlsx"), today=TODAY, by=BY_STAFF)
    undo_batch(store, result.batch_id, by=BY_STAFF)
    assert dump(store) == empty
    assert store.scalar("SELECT status FROM import_batches") == "undone"


def test_a_file_that_is_not_a_workbook_is_an_issue_not_an_exception(store, tmp_path):
    fake = tmp_path / "report.xlsx"
    fake.write_text("this is not a zip file")
    result = import_file(store, fake, today=TODAY, by=BY_STAFF)
    assert result.status == UNREADABLE and [i.code for i in result.issues] == ["wrong_file_type"]


@pytest.mark.parametrize("sheet_name", ["Arvioinnit", "Bedömningar", "assessments"])
def test_sheet_names_are_recognised_in_every_language(store, tmp_path, sheet_name):
    import_file(store, catalogue(tmp_path / "cat.xlsx"), today=TODAY, by=BY_STAFF)
    path = write_workbook(
        tmp_path / "a.xlsx",
        {
            sheet_name: [
                ["Innovaatio", "Arvioija", "Arvioinnin tyyppi", "Uutuusarvo", "Tarve"],
                ["Kielikaveri", "Anna", "Asiantuntija-arviointi", 4, 5],
            ]
        },
    )
    result = import_file(store, path, today=TODAY, by=BY_STAFF)
    assert result.status == IMPORTED, [i.as_row("en") for i in result.issues]
    assert dict(store.rows("SELECT criterion_code, value FROM scores")) == {
        "novelty": 4.0,
        "need": 5.0,
    }
