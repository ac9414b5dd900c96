"""Every page in a real browser, on a DuckDB file and on PostgreSQL: a smoke test that each
one draws its title and finishes its script without an exception."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from sihub.navigation import PAGES
from tests.browser import Server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def served(request, demo_db, tmp_path_factory):
    """A server on a demo store of each kind."""
    folder = tmp_path_factory.mktemp(f"served-{request.param}")
    if request.param == "postgres":
        cluster = request.getfixturevalue("postgres")
        db = cluster.new_database(request.getfixturevalue("pg_demo"))
    else:
        db = folder / "served.duckdb"
        shutil.copy(demo_db, db)
    server = Server(db, folder / "streamlit.log")
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("page_def", PAGES, ids=[p.key for p in PAGES])
def test_every_page_opens_without_an_exception(browser, served, page_def):
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        query = "lang=en" + ("&id=1" if page_def.key == "profile" else "")
        page.goto(f"{served.url}/{page_def.url_path}?{query}")
        expect(page.locator("h1").first).to_be_visible(timeout=60_000)
        expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=60_000)
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
    except AssertionError:
        print(served.output())
        raise
    finally:
        context.close()
