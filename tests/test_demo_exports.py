"""A file made from demo data says so and is refused by a store of real data unless the user
insists: CSV and Excel exports, the comparison workbook, the briefing pack and the demo's own
workbooks; in the library, on the command line and on the Import page."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, datetime

import openpyxl
import pytest

from sihub import PROJECT_DIR, exports, importing
from sihub.access import Visibility
from sihub.compare.export import comparison_workbook
from sihub.compare.queries import comparison_of
from sihub.compare.selection import Selection
from sihub.db import connect
from sihub.demo import generate_demo_workbooks
from sihub.funders.briefing import briefing_pack
from sihub.funders.ranking import RankingSpec, rank
from sihub.funding import catalogue, export, filters
from sihub.importing import BLOCKED, DRY_RUN, import_file
from sihub.importing.demo_files import demo_mark
from tests.apptools import keyed, markdown_strings, run_app, table
from tests.builders import BY_STAFF, copy_store

STAFF = Visibility.ALL  # the calls with the files they came from

NOW = datetime(2026, 3, 15, 9, 30)


@pytest.fixture
def demo_day(demo_store) -> date:
    return date.fromisoformat(demo_store.meta("demo_reference_date"))


@pytest.fixture
def calls_csv(demo_store, demo_day) -> bytes:
    """The funding calls as the funding page exports them from the demo store."""
    frame = export.export_frame(catalogue.calls(demo_store, STAFF, demo_day, "en"), "en")
    return exports.csv_bytes(frame, demo=True)


def refused(result) -> list[tuple[str, str]]:
    return [(i.location, i.code) for i in result.issues if i.blocking]


def test_a_demo_csv_is_refused_at_its_mark_unless_the_user_insists(store, calls_csv, demo_day):
    named = exports.demo_file_name("funding-calls.csv")
    result = import_file(store, calls_csv, named, dry_run=True, today=demo_day, by=BY_STAFF)
    assert result.status == BLOCKED
    assert refused(result) == [("'funding-calls-DEMO'!A1", "demo_export")]
    assert "demo data" in result.issues[0].message("en") and "--allow-demo" in (
        result.issues[0].message("en")
    )
    insisted = import_file(
        store, calls_csv, named, dry_run=True, today=demo_day, allow_demo=True, by=BY_STAFF
    )
    assert insisted.status == DRY_RUN and insisted.summary.counts["funding_new"] == 25


def test_either_mark_alone_is_enough(store, demo_store, demo_day, calls_csv):
    renamed = import_file(store, calls_csv, "calls.csv", dry_run=True, today=demo_day, by=BY_STAFF)
    assert refused(renamed) == [("calls!A1", "demo_export")]
    frame = export.export_frame(catalogue.calls(demo_store, STAFF, demo_day, "en"), "en")
    stripped = exports.csv_bytes(frame)  # the column deleted, the name kept (a browser's copy)
    result = import_file(
        store, stripped, "calls-DEMO (1).csv", dry_run=True, today=demo_day, by=BY_STAFF
    )
    assert [(i.code, i.value) for i in result.issues if i.blocking] == [
        ("demo_export", "calls-DEMO (1).csv")
    ]


def test_a_demo_store_takes_its_own_exports_back_without_asking(demo_store, calls_csv, demo_day):
    result = import_file(
        demo_store, calls_csv, "calls-DEMO.csv", dry_run=True, today=demo_day, by=BY_STAFF
    )
    assert result.ok and "demo_export" not in {i.code for i in result.issues}


def test_an_excel_export_is_refused_by_its_about_sheet(store, demo_store, demo_day):
    frame = export.export_frame(catalogue.calls(demo_store, STAFF, demo_day, "en"), "en")
    about = export.export_about(filters.CallFilter(), demo_day, len(frame), "en")
    data = exports.excel_bytes({"Funding": frame}, about, demo=True)
    result = import_file(store, data, "calls.xlsx", dry_run=True, today=demo_day, by=BY_STAFF)
    assert refused(result) == [("About!A2", "demo_export")]


def test_the_comparison_and_the_briefing_pack_carry_the_mark(demo_store):
    innovations = [r[0] for r in demo_store.rows(
        "SELECT DISTINCT innovation_id FROM assessments ORDER BY 1 LIMIT 3")]  # fmt: skip
    comparison = comparison_of(demo_store, Visibility.ALL, Selection(ids=tuple(innovations)), "en")
    workbook = comparison_workbook(demo_store, comparison, "mean", "dimension", "en", NOW)
    ranking = rank(demo_store, Visibility.SHARED, RankingSpec(), "en")
    pack = briefing_pack(demo_store, ranking, innovations[:2], "en", NOW)
    for name, data in (("comparison.xlsx", workbook), ("briefing.xlsx", pack)):
        mark = demo_mark(importing.read(data, name))
        assert mark is not None and mark.row is not None, name
        about = openpyxl.load_workbook(io.BytesIO(data))[mark.sheet]  # the sheet with the mark
        first = next(row for row in about.iter_rows() if any(c.value for c in row))
        assert mark.row <= first[0].row + 1, name  # first, or first under a header (README)


def test_the_demos_own_workbooks_are_refused_by_a_real_store(store, tmp_path):
    for path in generate_demo_workbooks(tmp_path / "wb", date(2026, 3, 15)):
        result = import_file(store, path, dry_run=True, today=date(2026, 3, 15), by=BY_STAFF)
        assert ("About!A1", "demo_export") in refused(result), path.name


def test_the_command_line_refuses_a_demo_file_unless_allowed(template_db, tmp_path, calls_csv):
    db = tmp_path / "real.duckdb"
    copy_store(template_db, db).close()
    path = tmp_path / "funding-calls-DEMO.csv"
    path.write_bytes(calls_csv)

    def cli(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "sihub", "--lang", "en", "import", str(path), "--dry-run",
             "--db", str(db), *extra],
            cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    plain = cli()
    assert plain.returncode == 1 and "--allow-demo" in plain.stdout, plain.stdout
    assert "demo_export" in plain.stdout
    insisted = cli("--allow-demo")
    assert insisted.returncode == 0 and "demo_export" not in insisted.stdout, insisted.stdout


def test_the_import_page_warns_and_imports_only_when_asked(
    template_db, tmp_path, monkeypatch, calls_csv
):
    db = tmp_path / "real.duckdb"
    copy_store(template_db, db).close()
    at = run_app(monkeypatch, db, "pages/import.py", today="2026-03-15")
    keyed(at.file_uploader, "import_upload_").upload("calls-DEMO.csv", calls_csv, "text/csv")
    at.run()
    assert not at.exception
    assert any("made from the hub's demo data" in w.value for w in at.warning)
    assert "demo_export" in table(at, "location", "code")["code"].tolist()
    assert at.button(key="import_preview_button").disabled
    allow = next(c for c in at.checkbox if c.label == "Import demo data anyway")
    allow.check().run()
    assert not at.exception
    assert not at.button(key="import_preview_button").disabled
    store = connect(str(db))
    assert store.meta("dataset") is None  # nothing is written before the commit
    store.close()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_demo_note_gives_its_reference_day_as_the_language_writes_it(
    monkeypatch, demo_db, lang
):
    """The demo badge's help and the comparison workbook's demo note said 'viitepäivä
    2026-06-01' / 'referensdatum 2026-06-01' in Finnish and Swedish."""
    store = connect(str(demo_db))
    try:
        iso = store.meta("demo_reference_date")
        d = date.fromisoformat(iso)
        day = iso if lang == "en" else f"{d.day}.{d.month}.{d.year}"  # 1.6.2026
        ids = [r[0] for r in store.rows(
            "SELECT DISTINCT innovation_id FROM assessments ORDER BY 1 LIMIT 2")]  # fmt: skip
        comparison = comparison_of(store, Visibility.ALL, Selection(ids=tuple(ids)), lang)
        workbook = comparison_workbook(store, comparison, "mean", "dimension", lang, NOW)
    finally:
        store.close()
    cells = [
        str(c.value)
        for sheet in openpyxl.load_workbook(io.BytesIO(workbook)).worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.value
    ]
    at = run_app(monkeypatch, demo_db, "pages/method.py", lang=lang)
    helps = [text for _, text in markdown_strings(at)]
    for said in (cells, helps):
        noted = [text for text in said if "demo" in text.casefold() and str(d.year) in text]
        assert noted, said
        assert all(f" {day})" in text for text in noted), noted
