"""One definition of "today": the day in Finland (``funding.status``), fixed by SIHUB_TODAY for
the app, the command line, the importer, the demo and the exports alike."""

import re
import subprocess
import sys
from datetime import UTC, date, datetime

import openpyxl
import pytest

from sihub import PACKAGE_DIR, PROJECT_DIR
from sihub.demo import generate_demo_workbooks
from sihub.errors import TodaySettingError
from sihub.funding import status
from sihub.importing import import_file
from sihub.settings import check_settings
from tests.builders import BY_STAFF, write_workbook

# Every module that may read the clock: the one definition. A new `date.today()` elsewhere
# would decide "today" by the server's time zone instead of Finland's.
CLOCK_READERS = {"funding/status.py"}
CLOCK = re.compile(r"\bdate\.today\(|\bdatetime\.(now|today|utcnow)\(")


def test_only_the_one_definition_reads_the_clock():
    readers = {
        str(path.relative_to(PACKAGE_DIR))
        for path in PACKAGE_DIR.rglob("*.py")
        if CLOCK.search(path.read_text(encoding="utf-8"))
    }
    assert readers == CLOCK_READERS


# The database's clock in SQL: it follows the server's zone and ignores SIHUB_TODAY. Only the
# schema's old column defaults may name it (no write of ours leaves a time to them).
DATABASE_CLOCK = re.compile(r"current_timestamp|\bnow\(\)|localtimestamp", re.IGNORECASE)


def test_what_the_hub_writes_is_stamped_by_its_own_clock():
    stamping = {
        f"{path.relative_to(PACKAGE_DIR)}:{number}"
        for path in PACKAGE_DIR.rglob("*.py")
        if path.name != "status.py"  # funding/status.py says why, in its docstring
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DATABASE_CLOCK.search(line) and "DEFAULT current_timestamp" not in line
    }
    assert stamping == set()


def test_the_fixed_day_is_today_unless_an_instant_is_given(monkeypatch):
    monkeypatch.setenv("SIHUB_TODAY", "2026-03-15")
    assert status.today_in_finland() == date(2026, 3, 15)
    instant = datetime(2026, 6, 30, 21, 30, tzinfo=UTC)  # 00:30 on 1 July in Helsinki
    assert status.today_in_finland(instant) == date(2026, 7, 1)


def test_now_is_finnish_time_on_the_same_day(monkeypatch):
    monkeypatch.setenv("SIHUB_TODAY", "2026-03-15")
    now = status.now_in_finland()
    assert now.date() == date(2026, 3, 15) and now.tzinfo is status.FINLAND
    monkeypatch.delenv("SIHUB_TODAY")
    assert status.now_in_finland().date() == status.today_in_finland()


@pytest.mark.parametrize("raw", ["15.3.2026", "tomorrow", "2026-02-30"])
def test_a_day_that_is_not_a_date_stops_with_a_message_naming_the_setting(monkeypatch, raw):
    monkeypatch.setenv("SIHUB_TODAY", raw)
    with pytest.raises(TodaySettingError) as caught:
        check_settings()
    assert "SIHUB_TODAY" in caught.value.message("en") and raw in caught.value.message("fi")


def test_the_command_line_refuses_a_bad_day(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "sihub", "--lang", "en", "imports", "--db", str(tmp_path / "x")],
        cwd=PROJECT_DIR,
        env={"PATH": "/usr/bin:/bin", "SIHUB_TODAY": "yesterday"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "SIHUB_TODAY" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_the_importer_checks_future_dates_against_the_same_day(store, tmp_path, monkeypatch):
    monkeypatch.setenv("SIHUB_TODAY", "2026-03-15")
    path = write_workbook(
        tmp_path / "innovations.xlsx",
        {
            "Innovations": [
                ["ref", "name", "created_on"],
                ["A", "Ennen", date(2026, 3, 15)],
                ["B", "Jälkeen", date(2026, 3, 16)],
            ]
        },
    )
    result = import_file(store, path, dry_run=True, by=BY_STAFF)
    assert [(i.location, i.code) for i in result.issues if i.code == "future_date"] == [
        ("Innovations!C3", "future_date")
    ]


def test_the_demo_is_built_for_the_same_day(tmp_path, monkeypatch):
    monkeypatch.setenv("SIHUB_TODAY", "2026-03-15")
    fixed = generate_demo_workbooks(tmp_path / "a")
    explicit = generate_demo_workbooks(tmp_path / "b", date(2026, 3, 15))
    assert [cells(p) for p in fixed] == [cells(p) for p in explicit]


def cells(path) -> list[tuple]:
    book = openpyxl.load_workbook(path, read_only=True)
    return [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
