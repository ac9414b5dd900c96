"""Times the hub writes (an import, an undo, a saved panel score) are stamped from its own clock,
whose day SIHUB_TODAY fixes, and kept as UTC; the history, the undo question, the method page,
the panel, its workbook and the command line tell them in Finnish time (Europe/Helsinki, summer
time included), the UTC times of stores written before (by current_timestamp) too."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, datetime, timedelta

import openpyxl
import pytest

from sihub import PROJECT_DIR
from sihub.access import Role, Viewer, Visibility
from sihub.db import connect
from sihub.demo import build_demo_store
from sihub.i18n import format_datetime
from sihub.importing import import_file
from sihub.importing.history import history, undo_batch, undo_preview
from sihub.method import data_sources
from sihub.panel import export, scoring, sessions
from tests.builders import BY_STAFF, copy_store, write_workbook
from tests.builders.panel import panel_session

# (as the store keeps it: UTC, as a reader in Finland saw it)
WINTER = (datetime(2026, 12, 4, 23, 39), datetime(2026, 12, 5, 1, 39))  # +2
SUMMER = (datetime(2026, 6, 30, 21, 30), datetime(2026, 7, 1, 0, 30))  # +3: the next day
DAY = "2026-03-15"  # winter: Finnish time is UTC + 2


def imported(store, tmp_path) -> int:
    """A batch of one innovation; its id."""
    path = write_workbook(
        tmp_path / "innovations.xlsx", {"Innovations": [["ref", "name"], ["A", "Olohuone"]]}
    )
    result = import_file(store, path, by=BY_STAFF)
    assert result.ok, result.issues
    return result.batch_id


def stamp(store, batch: int, stored: datetime) -> None:
    """``batch`` as an old store holds it: imported at ``stored`` (UTC)."""
    with store.transaction() as cur:
        cur.execute("UPDATE import_batches SET imported_at = ? WHERE id = ?", [stored, batch])


@pytest.mark.both_stores
@pytest.mark.parametrize(("stored", "shown"), [WINTER, SUMMER])
def test_an_import_stored_in_utc_is_shown_in_finnish_time(store, tmp_path, stored, shown):
    batch = imported(store, tmp_path)
    stamp(store, batch, stored)
    assert history(store).imported_at.tolist() == [shown]
    when = undo_preview(store, batch).imported_at
    assert format_datetime(when, "fi") == f"{shown.day}.{shown.month}.2026 klo {shown:%-H.%M}"
    sources = data_sources(store, Visibility.ALL, "en")
    assert (sources["first"].tolist(), sources["last"].tolist()) == ([shown], [shown])


@pytest.mark.both_stores
def test_imports_and_undos_are_stamped_by_the_hubs_clock(store, tmp_path, monkeypatch):
    monkeypatch.setenv("SIHUB_TODAY", DAY)
    batch = imported(store, tmp_path)
    undo_batch(store, batch, by=BY_STAFF)
    shown = history(store).iloc[0]
    assert shown.imported_at.date() == shown.undone_at.date() == date.fromisoformat(DAY)
    kept = store.rows("SELECT imported_at, undone_at FROM import_batches WHERE id = ?", [batch])
    imported_at, undone_at = kept[0]
    assert imported_at + timedelta(hours=2) == shown.imported_at  # kept in UTC
    assert undone_at + timedelta(hours=2) == shown.undone_at


def test_the_command_line_lists_imports_in_finnish_time(template_db, tmp_path):
    path = tmp_path / "cli.duckdb"
    store = copy_store(template_db, path)
    stamp(store, imported(store, tmp_path), WINTER[0])
    store.close()
    done = subprocess.run(
        [sys.executable, "-m", "sihub", "--lang", "en", "imports", "--db", str(path)],
        cwd=PROJECT_DIR,
        env={**os.environ, "SIHUB_TODAY": DAY},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "2026-12-05 01:39:00" in done.stdout and "23:39" not in done.stdout


def test_a_demo_built_for_a_day_was_imported_that_day(tmp_path, monkeypatch):
    monkeypatch.delenv("SIHUB_TODAY", raising=False)  # the day comes from --date alone
    day = date(2026, 6, 1)
    build_demo_store(tmp_path / "demo.duckdb", day, workbook_dir=tmp_path / "wb")
    store = connect(str(tmp_path / "demo.duckdb"))
    try:
        assert {t.date() for t in history(store).imported_at} == {day}
        sources = data_sources(store, Visibility.ALL, "en")
        assert {t.date() for t in [*sources["first"], *sources["last"]]} == {day}
    finally:
        store.close()


@pytest.mark.both_stores
def test_a_panel_score_is_saved_and_exported_in_finnish_time(store, monkeypatch):
    monkeypatch.setenv("SIHUB_TODAY", DAY)
    sid = panel_session(store, members=1, pitches=1)
    (member,) = sessions.members(store, sid)
    sessions.next_pitch(store, sid, by=BY_STAFF)
    saved = scoring.save_scores(store, member, 1, {"panel_need": "4"}, "Hyvä")
    kept = store.scalar("SELECT saved_at FROM assessments WHERE panel_session_id = ?", [sid])
    assert saved.date() == date.fromisoformat(DAY) and kept + timedelta(hours=2) == saved
    assert scoring.saved_scores(store, member, 1).saved_at == saved  # "Saved at" on the phone
    workbook = export.session_workbook(
        store,
        Viewer(Role.STAFF, identity="anna@centre.fi"),
        sessions.load_session(store, sid),
        "en",
    )
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    scores = list(book["Scores"].values)
    column = scores[0].index("Saved")
    assert {row[column] for row in scores[1:]} == {saved}
