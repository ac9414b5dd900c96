"""Several processes on one PostgreSQL store: two app processes, the command line beside them,
two imports at once. Each process keeps its own copy of what the pages read and notices a
newer data version on its next page run, so no process needs a restart."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sihub import PROJECT_DIR
from sihub.db import connect
from sihub.db.postgres import LOOK_EVERY_S
from tests.browser import Server
from tests.import_corpus import wide_export

NEW = [
    ["2025-03-01", "Kokeilu yhdessä", "Kylätalo ry", "Anna Virtanen", 1, 4, 3, "Uutta"],
    ["2025-03-02", "Toinen kokeilu", "Kirjasto", "Anna Virtanen", 1, 2, "3,5", None],
]
SEEN_WITHIN_S = 5.0


def sihub(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sihub", "--lang", "en", *args],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finished(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=180)
    assert process.returncode == 0, output
    return output


@pytest.fixture
def two_apps(postgres, pg_demo, tmp_path):
    """Two app processes on different ports, serving one PostgreSQL demo store."""
    url = postgres.new_database(pg_demo)
    servers = [Server(url, tmp_path / f"app{n}.log") for n in (1, 2)]
    try:
        for server in servers:
            server.wait_until_ready()
        yield url, servers
    finally:
        for server in servers:
            server.stop()


def innovations_shown(page, server: Server) -> str:
    """The overview's innovation count, in a new session (a fresh page load)."""
    page.goto(f"{server.url}/?lang=en")
    value = page.locator("[data-testid='stMetricValue']").first
    expect(value).to_be_visible(timeout=60_000)
    return value.inner_text()


def latest_batch(url: str) -> str:
    """The id of the store's latest import batch (the demo has several before the test's)."""
    store = connect(url)
    try:
        return str(store.rows("SELECT max(id) FROM import_batches")[0][0])
    finally:
        store.close()


def seen_within_5_s(page, server: Server, expected: str, write: object) -> None:
    """``server`` shows ``expected`` in a page load within 5 s of ``write()``: every page run
    checks the store's data version and copies newer data in (waiting a second for it, then
    showing the data it had until the copy is done, as a large store's copy takes 8 s)."""
    before = innovations_shown(page, server)
    write()
    written = time.monotonic()
    shown = innovations_shown(page, server)
    while shown != expected and time.monotonic() - written < SEEN_WITHIN_S:
        shown = innovations_shown(page, server)
    assert shown == expected != before, server.output()
    assert time.monotonic() - written < SEEN_WITHIN_S


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_two_app_processes_and_the_command_line_see_each_others_writes(browser, two_apps, tmp_path):
    url, (first, second) = two_apps
    page = browser.new_context(locale="en-GB").new_page()
    page.set_default_timeout(60_000)
    assert innovations_shown(page, first) == innovations_shown(page, second) == "80"
    importer = browser.new_context(locale="en-GB").new_page()
    importer.set_default_timeout(60_000)

    def import_in_the_first_app() -> None:
        importer.goto(f"{first.url}/import?lang=en")
        importer.locator("input[type=file]").set_input_files(
            str(wide_export(tmp_path / "a.xlsx", NEW))
        )
        importer.get_by_text("The file can be imported").wait_for()
        importer.get_by_role("button", name="Preview the import (dry run)").click()
        importer.get_by_text("What the import would do").wait_for()
        importer.get_by_role("button", name="Import now").click()
        importer.get_by_text("Imported a.xlsx as batch").wait_for()

    def import_on_the_command_line() -> None:
        rows = [[r[0], f"{r[1]} 2", *r[2:]] for r in NEW]
        b = wide_export(tmp_path / "b.xlsx", rows)
        finished(sihub("import", str(b), "--db", url, "--near-matches", "new"))

    for server, expected, write in (
        (second, "82", import_in_the_first_app),
        (first, "84", import_on_the_command_line),
        (second, "82", lambda: finished(sihub("undo", latest_batch(url), "--db", url))),
    ):
        seen_within_5_s(page, server, expected, write)
    assert innovations_shown(page, first) == "82"


def assessments_of(name: str, n: int) -> list[list]:
    """A form export of ``n`` assessments of ``n`` innovations named after ``name``."""
    return [
        [f"2025-03-0{1 + k % 9}", f"{name} {k}", "Yhdistys", f"Arvioija {k % 13}", 1, 3, 2, None]
        for k in range(n)
    ]


def test_a_process_reads_another_processes_write_within_5_s(postgres, pg_demo):
    """Two stores on one database, as two processes have them (each its own DuckDB and copy)."""
    url = postgres.new_database(pg_demo)
    writer, reader = connect(url), connect(url)
    try:
        version = reader.data_version()
        with writer.transaction() as cur:
            cur.execute("UPDATE innovations SET name = 'Uusi nimi' WHERE id = 1")
        started = time.monotonic()
        assert reader.data_version() == version + 1  # what the frame asks once per page run
        assert reader.scalar("SELECT name FROM innovations WHERE id = 1") == "Uusi nimi"
        assert time.monotonic() - started < SEEN_WITHIN_S
    finally:
        writer.close()
        reader.close()


def test_pages_go_on_reading_while_a_slow_copy_of_newer_data_is_made(postgres, pg_demo):
    """A large store's copy takes seconds (8 s at 100,000 innovations): the page run that
    starts it waits a second for it, then reads the data as it was and is told a copy runs;
    the copy's result is read as soon as it is done. The copy is held back here until the test
    lets it go."""
    url = postgres.new_database(pg_demo)
    writer, reader = connect(url), connect(url)
    go = threading.Event()
    copy = reader.replica.copy_all

    def held_back_copy() -> None:
        go.wait(30)
        copy()

    try:
        version = reader.data_version(wait=False)  # the first copy: waited for
        assert reader.reads_ready() and not reader.catching_up
        reader.replica.copy_all = held_back_copy
        with writer.transaction() as cur:
            cur.execute("UPDATE innovations SET name = 'Uusi nimi' WHERE id = 1")
        # asked at most once a second: a burst of page runs costs PostgreSQL one question
        assert reader.data_version(wait=False) == version and not reader.catching_up
        time.sleep(LOOK_EVERY_S)
        started = time.monotonic()
        assert reader.data_version(wait=False) == version
        assert 0.9 < time.monotonic() - started < 5
        assert reader.catching_up
        assert reader.scalar("SELECT name FROM innovations WHERE id = 1") != "Uusi nimi"
        go.set()
        while reader.catching_up and time.monotonic() - started < 30:
            time.sleep(0.05)
        assert not reader.catching_up
        assert reader.data_version(wait=False) == version + 1
        assert reader.scalar("SELECT name FROM innovations WHERE id = 1") == "Uusi nimi"
    finally:
        go.set()
        writer.close()
        reader.close()


def test_two_imports_at_once_from_two_processes_both_land_whole(postgres, pg_template, tmp_path):
    url = postgres.new_database(pg_template)
    files = {
        name: wide_export(tmp_path / f"{name}.xlsx", assessments_of(name, n))
        for name, n in (("iso", 2000), ("pieni", 30))
    }
    started = [sihub("import", str(path), "--db", url) for path in files.values()]
    for process in started:
        finished(process)
    store = connect(url)
    try:
        landed = store.rows(
            "SELECT b.file_name, count(a.id) FROM import_batches b "
            "JOIN assessments a ON a.batch_id = b.id GROUP BY 1 ORDER BY 1"
        )
        assert landed == [("iso.xlsx", 2000), ("pieni.xlsx", 30)]
        assert store.rows("SELECT id FROM import_batches ORDER BY id") == [(1,), (2,)]
    finally:
        store.close()


def test_the_command_line_writes_a_duckdb_store_only_while_no_app_holds_it(
    demo_db: Path, tmp_path: Path
):
    """The limit that PostgreSQL lifts: a DuckDB file has one writing process."""
    db = tmp_path / "held.duckdb"
    db.write_bytes(demo_db.read_bytes())
    holder = connect(str(db))
    try:
        refused = sihub("imports", "--db", str(db))
        output, _ = refused.communicate(timeout=120)
        assert refused.returncode == 2 and "in use by another program" in output
    finally:
        holder.close()


def test_a_page_says_newer_data_is_being_loaded_while_it_shows_the_data_it_had(
    monkeypatch, postgres, pg_demo
):
    """The overview, while another process's import is copied in (held back here): the page
    draws at once from the data it had and says newer data is coming; then shows it."""
    from sihub.db.postgres import Replica
    from tests.apptools import labelled, run_app

    def innovations(at) -> str:
        return labelled(at.metric, "Innovations").value

    url = postgres.new_database(pg_demo)
    at = run_app(monkeypatch, url, "pages/overview.py")
    before = innovations(at)
    go = threading.Event()
    copy = Replica.copy_all

    def held_back_copy(replica) -> None:
        go.wait(30)
        copy(replica)

    monkeypatch.setattr(Replica, "copy_all", held_back_copy)
    writer = connect(url)
    try:
        with writer.transaction() as cur:
            cur.execute(
                "DELETE FROM innovations WHERE id NOT IN (SELECT innovation_id FROM assessments)"
            )
    finally:
        writer.close()
    time.sleep(LOOK_EVERY_S)
    at.run()
    assert innovations(at) == before
    assert [i.value for i in at.info if "Newer data" in i.value]
    go.set()
    deadline = time.monotonic() + 30
    while innovations(at) == before and time.monotonic() < deadline:
        time.sleep(0.2)
        at.run()
    assert innovations(at) != before
    assert not [i.value for i in at.info if "Newer data" in i.value]
