"""Commit, idempotence, replacement of a pilot's earlier assessments, provenance and undo."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from sihub import importing, scores
from sihub.access import Visibility
from sihub.importing.mappings import load_mapping, save_mapping
from tests.builders import BY_STAFF, staff_by
from tests.import_corpus import (
    DATA_TABLES,
    TODAY,
    long_export,
    snapshot,
    wide_export,
    write_book,
)

pytestmark = pytest.mark.both_stores  # the commit and undo of every backend

ROWS = [
    ["2025-03-01", "Olohuone", "Kylätalo ry", "Anna Virtanen", 1, 4, 3, "Uutta"],
    ["2025-03-01", "Olohuone", "Kylätalo ry", "Mikko Korhonen", 1, 5, "–", None],
    ["2025-03-02", "Digitalkkari", "Kirjasto", "Anna Virtanen", 1, 2, "3,5", None],
]


def test_commit_writes_records_scores_and_provenance(store, tmp_path):
    path = wide_export(tmp_path / "SOILA arvioinnit.xlsx", ROWS)
    result = importing.import_file(store, path, by=staff_by("Anna"), today=TODAY)
    assert result.status == importing.IMPORTED
    counts = result.summary.counts
    assert (counts["innovations_new"], counts["organisations_new"], counts["assessors_new"]) == (
        2,
        2,
        2,
    )
    assert (counts["assessments_new"], counts["scores_new"]) == (3, 5)  # "–" is missing, not 0
    rows = scores.score_rows(store, Visibility.ALL, types=scores.ALL_TYPES)
    novelty = rows[(rows.criterion_code == "novelty") & (rows.assessor == "Anna Virtanen")]
    assert list(novelty.sort_values("source_row").raw_value) == ["3", "3,5"]
    first = rows[(rows.source_row == 2) & (rows.criterion_code == "need")].iloc[0]
    assert (first.file_name, first.source_sheet, first.source_column) == (
        "SOILA arvioinnit.xlsx",
        "Form responses 1",
        "F",
    )
    assert first.batch_id == result.batch_id and first.normalised == 0.75
    missing = store.rows(
        "SELECT raw_value, value, normalised FROM scores "
        "WHERE source_row = 3 AND criterion_code = 'novelty'"
    )
    assert missing == [("–", None, None)]
    batch = store.records("SELECT * FROM import_batches WHERE id = ?", [result.batch_id])[0]
    assert (batch["imported_by"], batch["pilot"], batch["layout"]) == (
        "Anna",
        "SOILA arvioinnit",
        "wide",
    )
    lead = store.rows(
        "SELECT i.name, o.name FROM innovation_organisations l "
        "JOIN innovations i ON i.id = l.innovation_id "
        "JOIN organisations o ON o.id = l.organisation_id WHERE l.role = 'lead' ORDER BY 1"
    )
    assert lead == [("Digitalkkari", "Kirjasto"), ("Olohuone", "Kylätalo ry")]


def test_same_file_again_changes_nothing_and_says_so(store, tmp_path):
    path = wide_export(tmp_path / "a.xlsx", ROWS)
    first = importing.import_file(store, path, today=TODAY, by=BY_STAFF)
    before = snapshot(store)
    again = importing.import_file(store, path, today=TODAY, by=BY_STAFF)
    assert again.status == importing.ALREADY_IMPORTED and again.batch_id == first.batch_id
    assert snapshot(store) == before
    assert store.scalar("SELECT count(*) FROM import_batches") == 1


def test_corrected_file_of_a_pilot_replaces_its_assessments(store, tmp_path):
    importing.import_file(
        store, wide_export(tmp_path / "SOILA.xlsx", ROWS), today=TODAY, by=BY_STAFF
    )
    corrected = [[*ROWS[0][:5], 5, 3, "Korjattu"], ROWS[2]]  # Mikko's row was a mistake
    result = importing.import_file(
        store, wide_export(tmp_path / "SOILA (korjattu).xlsx", corrected), today=TODAY, by=BY_STAFF
    )
    assert result.summary.counts["assessments_replaced"] == 3
    active = store.rows(
        "SELECT i.name, r.name FROM assessments a JOIN innovations i ON i.id = a.innovation_id "
        "JOIN assessors r ON r.id = a.assessor_id WHERE a.superseded_by_batch IS NULL ORDER BY 1, 2"
    )
    assert active == [("Digitalkkari", "Anna Virtanen"), ("Olohuone", "Anna Virtanen")]
    assert store.scalar("SELECT count(*) FROM innovations") == 2  # no duplicates
    need = scores.score_rows(store, Visibility.ALL, types=scores.ALL_TYPES)
    assert sorted(need[need.criterion_code == "need"].value) == [2.0, 5.0]


def test_a_new_round_of_the_same_pilot_is_kept_beside_the_earlier(store, tmp_path):
    importing.import_file(
        store, wide_export(tmp_path / "SOILA.xlsx", ROWS), today=TODAY, by=BY_STAFF
    )
    later = [[*r[:4], 2, *r[5:]] for r in ROWS]
    result = importing.import_file(
        store,
        wide_export(tmp_path / "SOILA 2.xlsx", later),
        pilot="SOILA",
        today=TODAY,
        by=BY_STAFF,
    )
    assert result.summary.counts["assessments_replaced"] == 0
    assert store.scalar("SELECT count(*) FROM assessments WHERE superseded_by_batch IS NULL") == 6


def test_undo_restores_the_store_exactly_including_replaced_assessments(store, tmp_path):
    importing.import_file(
        store, wide_export(tmp_path / "SOILA.xlsx", ROWS), today=TODAY, by=BY_STAFF
    )
    before = snapshot(store)
    corrected = [[*ROWS[0][:5], 5, 3, "Korjattu"], ROWS[2]]
    second = importing.import_file(
        store, wide_export(tmp_path / "SOILA v2.xlsx", corrected), today=TODAY, by=BY_STAFF
    )
    assert snapshot(store) != before
    importing.undo_batch(store, second.batch_id, by=BY_STAFF)
    assert snapshot(store) == before
    status = store.scalar("SELECT status FROM import_batches WHERE id = ?", [second.batch_id])
    assert status == "undone"


def test_undo_of_the_demo_catalogue_restores_everything(demo_store):
    empty = {t: [] for t in DATA_TABLES}
    batches = [r[0] for r in demo_store.rows("SELECT id FROM import_batches ORDER BY id DESC")]
    assert len(batches) == 5  # the catalogue, three rounds and the other scales' assessments
    for batch in batches:  # the latest first: each builds on the ones before
        importing.undo_batch(demo_store, batch, by=BY_STAFF)
    assert snapshot(demo_store) == empty


def test_undo_refuses_when_a_later_batch_builds_on_the_batch(demo_store):
    with pytest.raises(importing.UndoError) as caught:
        importing.undo_batch(
            demo_store, 1, by=BY_STAFF
        )  # the rounds' assessments refer to its innovations
    assert caught.value.values == {"batch": 1, "later": 2}
    assert "Undo batch 2 first" in caught.value.message("en")
    with pytest.raises(importing.UndoError):
        importing.undo_batch(demo_store, 99, by=BY_STAFF)


def test_dry_run_reports_and_writes_nothing(store, tmp_path):
    before = (snapshot(store), store.data_version())
    result = importing.import_file(
        store, wide_export(tmp_path / "a.xlsx", ROWS), dry_run=True, today=TODAY, by=BY_STAFF
    )
    assert result.status == importing.DRY_RUN
    assert result.summary.new["innovations_new"] == ["Olohuone", "Digitalkkari"]
    assert (snapshot(store), store.data_version()) == before
    assert store.scalar("SELECT count(*) FROM import_batches") == 0


def test_near_match_answers_decide_between_same_and_new(store, tmp_path):
    importing.import_file(
        store, wide_export(tmp_path / "a.xlsx", ROWS[:1]), today=TODAY, by=BY_STAFF
    )
    typo = [["2025-04-01", "Olohuonne", "Kylätalo ry", "Anna Virtanen", 2, 3, 3, None]]
    blocked = importing.import_file(
        store, wide_export(tmp_path / "b.xlsx", typo), today=TODAY, by=BY_STAFF
    )
    assert blocked.status == importing.BLOCKED
    assert [(i.location, i.code) for i in blocked.issues if i.blocking] == [
        ("'Form responses 1'!B2", "near_match")
    ]
    same = importing.import_file(
        store, wide_export(tmp_path / "b.xlsx", typo), today=TODAY, near_matches="same", by=BY_STAFF
    )
    assert same.status == importing.IMPORTED
    assert store.rows("SELECT name FROM innovations") == [("Olohuone",)]
    importing.undo_batch(store, same.batch_id, by=BY_STAFF)
    new = importing.import_file(
        store, wide_export(tmp_path / "b.xlsx", typo), today=TODAY, near_matches="new", by=BY_STAFF
    )
    assert new.summary.new["innovations_new"] == ["Olohuonne"]


def test_hub_template_catalogue_and_funding_sheet(store, tmp_path):
    path = write_book(
        tmp_path / "hub.xlsx",
        {
            "Innovations": [
                ["ref", "name", "stage", "regions", "themes", "lead_organisation", "modified_on"],
                [
                    "I-1",
                    "Olohuone",
                    "Prototyypit ja pilotit",
                    "Lapin hyvinvointialue; national",
                    "",
                    "Kylätalo ry",
                    "1.2.2025",
                ],
            ],
            "Funding": [
                [
                    "Rahoittaja",
                    "Haku",
                    "Vähimmäissumma (EUR)",
                    "Enimmäissumma (EUR)",
                    "Tukiprosentti enintään",
                    "Aukeaa",
                    "Määräaika",
                    "Jatkuva haku",
                ],
                [
                    "STEA",
                    "Avustushaku 2026",
                    "10 000",
                    "€200 000",
                    "80 %",
                    "1.5.2026",
                    "30.6.2026",
                    "ei",
                ],
                ["ESR+", "Käänteinen", 500000, 100000, 0.8, "1.5.2026", "1.4.2026", None],
            ],
        },
    )
    parsed = importing.prepare(store, path, today=TODAY)
    assert [(i.location, i.code) for i in parsed.issues] == [
        ("Funding!D3", "amount_range_reversed"),
        ("Funding!G3", "deadline_before_opening"),
    ]
    book = importing.read(path)
    book.sheets[1].rows.pop()  # the reversed call fixed by leaving it out
    result = importing.commit(store, importing.prepare(store, book, today=TODAY), by=BY_STAFF)
    assert result.status == importing.IMPORTED
    call = store.records("SELECT * FROM funding_opportunities")[0]
    assert (call["amount_min"], call["amount_max"], call["funding_rate_max"]) == (
        10000,
        200000,
        0.8,
    )
    assert (call["deadline"], call["continuous"]) == (date(2026, 6, 30), False)
    assert store.rows("SELECT region_code FROM innovation_regions ORDER BY 1") == [
        ("lapland",),
        ("national",),
    ]
    assert store.rows("SELECT stage_code, entered_on FROM stage_history") == [
        ("prototypes", date(2025, 2, 1))
    ]
    importing.undo_batch(store, result.batch_id, by=BY_STAFF)
    assert store.scalar("SELECT count(*) FROM funding_opportunities") == 0


def test_long_export_commits_one_assessment_per_form(store, tmp_path):
    book = importing.read(long_export(tmp_path / "long.xlsx"))
    book.sheets[0].rows[6:] = []  # leave out the unknown criterion and the repeat
    result = importing.commit(store, importing.prepare(store, book, today=TODAY), by=BY_STAFF)
    assert result.summary.counts["assessments_new"] == 3
    award = store.rows(
        "SELECT s.criterion_code, s.raw_value, s.normalised, s.source_row FROM scores s "
        "JOIN assessments a ON a.id = s.assessment_id "
        "WHERE a.framework_code = 'innokyla_award' ORDER BY 1"
    )
    assert award == [("award_in_practice", "delvis", 0.5, 4), ("award_new", "yes", 1.0, 5)]


def test_saved_mapping_is_reused_for_the_next_file(store, tmp_path):
    path = wide_export(tmp_path / "a.xlsx", ROWS)
    first = importing.prepare(store, path, today=TODAY)
    column = next(c for c in first.plan.sheets[0].columns if c.letter == "E")  # Round
    mapping = first.mapping.override("Form", column.key, "ignore")
    mapping.defaults.update({"assessment_type": "peer", "pilot": "SOILA"})
    save_mapping(store, "SOILA", mapping, first.layout, by=BY_STAFF)
    again = load_mapping(store, "SOILA")
    result = importing.import_file(
        store, wide_export(tmp_path / "b.xlsx", ROWS), mapping=again, today=TODAY, by=BY_STAFF
    )
    assert result.status == importing.IMPORTED
    assert store.rows("SELECT DISTINCT assessment_type, round FROM assessments") == [("peer", None)]
    assert store.rows("SELECT pilot, mapping_name FROM import_batches") == [("SOILA", "SOILA")]


def test_commit_is_all_or_nothing(store, tmp_path, monkeypatch):
    """A failure late in the commit (after assessments were written) leaves nothing behind."""
    from sihub.importing import loading

    before = (snapshot(store), store.data_version())

    def broken(state):
        state.cur.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(loading, "load_awards", broken)
    with pytest.raises(importing.ImportCommitError) as caught:
        importing.import_file(
            store, wide_export(tmp_path / "a.xlsx", ROWS), today=TODAY, by=BY_STAFF
        )
    assert "nothing was saved" in caught.value.message("en")
    assert "no_such_table" not in caught.value.message("en")  # DuckDB's text goes to the log
    assert (snapshot(store), store.data_version()) == before
    assert store.scalar("SELECT count(*) FROM import_batches") == 0


def test_formula_text_is_escaped_when_the_hub_exports_it_again(store, tmp_path):
    from sihub.exports import csv_bytes

    rows = [["2025-03-01", '=HYPERLINK("http://x")', "+358 40 123", "@Anna", 1, 4, 3, "-x"]]
    book = openpyxl.load_workbook(wide_export(tmp_path / "a.xlsx", rows))
    book.active["B2"].data_type = "s"  # text the form tool stored, not a formula
    book.save(tmp_path / "a.xlsx")
    result = importing.import_file(
        store, tmp_path / "a.xlsx", today=TODAY, near_matches="new", by=BY_STAFF
    )
    notes = {i.location for i in result.issues if i.code == "formula_text"}
    assert notes == {f"'Form responses 1'!{c}2" for c in "BCDH"}
    frame = store.query(
        "SELECT i.name AS innovation, o.name AS organisation, r.name AS assessor, s.comment "
        "FROM scores s JOIN assessments a ON a.id = s.assessment_id "
        "JOIN innovations i ON i.id = a.innovation_id JOIN assessors r ON r.id = a.assessor_id "
        "JOIN innovation_organisations l ON l.innovation_id = i.id "
        "JOIN organisations o ON o.id = l.organisation_id WHERE s.comment IS NOT NULL"
    )
    assert frame.iloc[0].tolist() == ['=HYPERLINK("http://x")', "+358 40 123", "@Anna", "-x"]
    text = csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+358" in text and "'@Anna" in text and "'-x" in text


def test_every_sheet_column_the_loader_writes_is_a_column_of_its_table(store):
    """The field maps come from the sheet declarations: a new sheet column needs its column."""
    from sihub.importing import load_catalogue, load_funding

    for table, fields in (
        ("organisations", load_catalogue.ORGANISATION_FIELDS),
        ("innovations", load_catalogue.INNOVATION_FIELDS),
        ("funding_opportunities", load_funding.FUNDING_FIELDS),
    ):
        columns = {r[0] for r in store.rows(f"DESCRIBE {table}")}
        assert set(fields.values()) <= columns, table


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Kohtaamo", "kohtaamo"),
        ("+Kohtaamo", "+kohtaamo"),
        ("'+Kohtaamo", "+kohtaamo"),  # the hub's export escapes it so; read back, the same name
        ("=Kohtaamo", "=kohtaamo"),
        ("@Kohtaamo", "@kohtaamo"),
        ("-Kohtaamo", "-kohtaamo"),
        ("- Kohtaamo", "kohtaamo"),  # a bullet, not a formula
        ("'Kohtaamo", "kohtaamo"),
        ("-", ""),
    ],
)
def test_a_leading_formula_character_is_part_of_a_names_identity(name, key):
    from sihub.text import record_key

    assert record_key(name) == key


def test_names_that_differ_by_a_leading_formula_character_are_different_records(store, tmp_path):
    """Exports escape ``+Kohtaamo`` as ``'+Kohtaamo``: neither is the innovation Kohtaamo, and
    none of them is a near match of another (the user would be asked about a false pair)."""
    importing.import_file(
        store, wide_export(tmp_path / "a.xlsx", ROWS[:1]), today=TODAY, by=BY_STAFF
    )
    names = ["Olohuone", "+Olohuone", "=Olohuone", "@Olohuone", "-Olohuone", "'+Olohuone"]
    rows = [
        ["2025-04-01", name, "Kylätalo ry", f"Arvioija {n}", 2, 3, 3, None]
        for n, name in enumerate(names)
    ]
    book = openpyxl.load_workbook(wide_export(tmp_path / "b.xlsx", rows))
    for row in range(2, len(names) + 2):
        book.active[f"B{row}"].data_type = "s"  # text the form tool stored, not a formula
    book.save(tmp_path / "b.xlsx")
    parsed = importing.prepare(store, tmp_path / "b.xlsx", today=TODAY)
    assert [m for m in parsed.near if m.kind == "innovation"] == []
    result = importing.commit(store, parsed, by=BY_STAFF)
    assert result.status == importing.IMPORTED, [(i.location, i.code) for i in result.issues]
    stored = store.rows("SELECT name FROM innovations ORDER BY id")
    assert stored == [(n,) for n in names[:5]]  # '+Olohuone is +Olohuone, as exported
    typo = [["2025-04-02", "+Olohuonne", "Kylätalo ry", "Arvioija 9", 2, 3, 3, None]]
    book = openpyxl.load_workbook(wide_export(tmp_path / "c.xlsx", typo))
    book.active["B2"].data_type = "s"
    book.save(tmp_path / "c.xlsx")
    near = importing.prepare(store, tmp_path / "c.xlsx", today=TODAY).near
    assert [(m.name, m.candidate) for m in near if m.kind == "innovation"] == [
        ("+Olohuonne", "+Olohuone")  # typos are still asked about, among names with the mark
    ]


@pytest.mark.parametrize(
    "rows",
    [
        [],  # a header row only
        [
            ["2025-03-01", "Olohuone", "Kylätalo ry", "Anna Virtanen", 1, None, None, None]
        ],  # no score
    ],
)
def test_a_file_without_data_rows_says_there_is_nothing_to_import(store, tmp_path, rows):
    before = store.data_version()
    result = importing.import_file(
        store, wide_export(tmp_path / "tyhjä.xlsx", rows), today=TODAY, by=BY_STAFF
    )
    assert result.status == importing.NOTHING_TO_IMPORT and not result.ok
    nothing = [i for i in result.issues if i.blocking]
    assert [(i.location, i.code) for i in nothing] == [("", "nothing_to_import")]
    assert "nothing to import: Form responses 1 has a header" in nothing[0].message("en")
    assert store.scalar("SELECT count(*) FROM import_batches") == 0
    assert store.data_version() == before
