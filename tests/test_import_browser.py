"""One real upload through the browser's file-upload control, a dry run and a commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from sihub.db import connect
from tests.browser import demo_server
from tests.import_corpus import wide_export

ROWS = [
    ["2025-03-01", "Kokeilu <i>kursiivilla</i>", "Kylätalo ry", "Anna Virtanen", 1, 4, 3, "Uutta"],
    ["2025-03-02", "Digitalkkari", "Kirjasto", "Anna Virtanen", 1, 2, "3,5", None],
]


@pytest.fixture
def own_server(demo_db: Path, tmp_path: Path):
    """A server on its own copy of the demo store: this test writes to it."""
    with demo_server(demo_db, tmp_path) as srv:
        yield srv, srv.db


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_upload_preview_and_commit_in_a_real_browser(browser, own_server, tmp_path, demo_db):
    srv, db = own_server
    demo = connect(str(demo_db))
    batch = demo.scalar("SELECT max(id) FROM import_batches") + 1  # after the demo's batches
    demo.close()
    path = wide_export(tmp_path / "SOILA pilotti.xlsx", ROWS)
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{srv.url}/?lang=en")
        page.get_by_role("heading", name="Overview").wait_for()
        page.get_by_role("link", name="Import").click()
        page.get_by_role("heading", name="Import assessment results").wait_for()
        page.locator("input[type=file]").set_input_files(str(path))
        page.get_by_text("Detected layout:").wait_for()
        page.get_by_text("The file can be imported").wait_for()
        page.get_by_role("button", name="Preview the import (dry run)").click()
        page.get_by_text("What the import would do").wait_for()
        page.get_by_role("button", name="Import now").click()
        page.get_by_text(f"Imported SOILA pilotti.xlsx as batch {batch}").wait_for()
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        print(srv.output())
        raise
    finally:
        context.close()
    srv.stop()  # DuckDB lets one process at a time open the store
    store = connect(str(db))
    try:
        assert store.rows("SELECT file_name, status FROM import_batches WHERE id = ?", [batch]) == [
            ("SOILA pilotti.xlsx", "committed")
        ]
        names = {
            r[0] for r in store.rows("SELECT name FROM innovations WHERE batch_id = ?", [batch])
        }
        assert names == {"Kokeilu <i>kursiivilla</i>", "Digitalkkari"}
    finally:
        store.close()
