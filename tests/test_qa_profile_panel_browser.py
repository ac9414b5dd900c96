"""The panel's new-session form in a real browser: its date field writes the day as the page's
language does (Streamlit's own is 2026/06/01, which AppTest cannot see)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sihub.i18n import catalogue
from tests.browser import Server
from tests.builders import copy_store
from tests.builders.panel import panel_session

pytestmark = pytest.mark.xdist_group("qa_panel_browser")
WRITTEN = {
    "fi": r"^\d{2}\.\d{2}\.\d{4}$",
    "sv": r"^\d{2}\.\d{2}\.\d{4}$",
    "en": r"^\d{4}-\d{2}-\d{2}$",
}


@pytest.fixture(scope="module")
def panel_server(template_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("qa_panel_browser")
    store = copy_store(template_db, folder / "panel.duckdb")
    session_id = panel_session(store, members=1, pitches=1)
    store.close()
    server = Server(folder / "panel.duckdb", folder / "streamlit.log")
    try:
        server.wait_until_ready()
        yield server, session_id
    except Exception:
        print(server.output())
        raise
    finally:
        server.stop()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_new_session_date_is_written_as_the_language_does(browser, panel_server, lang):
    server, session_id = panel_server
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{server.url}/panel_control?lang={lang}&session={session_id}")
        page.get_by_text(catalogue(lang)["panel.new_session"], exact=True).click()
        field = page.get_by_test_id("stDateInputField")
        expect(field).to_be_visible()
        written = re.sub(r"\s", "", field.inner_text())  # the day, month and year fields
        assert re.match(WRITTEN[lang], written), written
    except Exception:
        print(server.output())
        raise
    finally:
        context.close()
