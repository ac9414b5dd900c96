"""The lion's den in a real browser: the phone view at 390 px wide in fi, sv and en (big level
buttons, no sideways scrolling, "saved" once the store has it), and staff's control moving a
pitch on, a member scoring it and the room's screen counting it and then showing the result."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sihub.i18n import LANGUAGES, catalogue
from sihub.panel import sessions
from tests.browser import Server
from tests.builders import copy_store
from tests.builders.panel import panel_session

PHONE = {"width": 390, "height": 844}
pytestmark = pytest.mark.xdist_group("panel_browser")


@pytest.fixture(scope="module")
def panel_server(template_db, tmp_path_factory):
    """An app on a store with a session (two pitches, three members); server, id, tokens."""
    folder = tmp_path_factory.mktemp("panel_browser")
    store = copy_store(template_db, folder / "panel.duckdb")
    session_id = panel_session(store, members=3, pitches=2)
    tokens = [m.token for m in sessions.members(store, session_id)]
    store.close()
    server = Server(folder / "panel.duckdb", folder / "streamlit.log")
    try:
        server.wait_until_ready()
        yield server, session_id, tokens
    except Exception:
        print(server.output())
        raise
    finally:
        server.stop()


def opened(browser, url: str, viewport: dict):
    context = browser.new_context(locale="en-GB", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    return page


def score_everything(page, level: str, words: dict) -> None:
    groups = page.get_by_test_id("stButtonGroup").filter(has=page.get_by_role("radio", name="5"))
    expect(groups).to_have_count(5)  # the five criteria, drawn after the pitch's name
    for n in range(groups.count()):
        button = groups.nth(n).get_by_role("radio", name=level, exact=True)
        box = button.bounding_box()
        assert box["height"] >= 44  # touch-friendly (48 px asked for)
        button.click()
    page.get_by_role("button", name=words["panel.save"]).click()


def test_staff_control_a_member_on_the_phone_and_the_screen_in_three_languages(
    browser, panel_server
):
    server, sid, tokens = panel_server
    en = catalogue("en")
    control = opened(
        browser,
        f"{server.url}/panel_control?session={sid}&lang=en",
        {"width": 1400, "height": 1000},
    )
    # exact: the open pitch list's "Add as the next pitch" holds the words too
    control.get_by_role("button", name=en["panel.next"], exact=True).click()
    control.get_by_text("Now: Pitch 1").wait_for()
    for lang, token in zip(LANGUAGES, tokens, strict=True):
        words = catalogue(lang)
        phone = opened(browser, f"{server.url}/panel?member={token}&lang={lang}", PHONE)
        phone.get_by_role("heading", name="Pitch 1").wait_for()
        score_everything(phone, "4", words)
        saved = words["panel.saved"].split("{")[0].strip()
        phone.get_by_text(re.compile(re.escape(saved))).wait_for()
        sideways = phone.evaluate("document.documentElement.scrollWidth")
        assert sideways <= PHONE["width"], (lang, sideways)
        phone.context.close()
    screen = opened(
        browser, f"{server.url}/panel_screen?session={sid}&lang=en", {"width": 1400, "height": 1000}
    )
    screen.get_by_test_id("stMetricValue").filter(has_text="3 / 3").wait_for()
    assert screen.get_by_role("img").count() >= 1  # the QR code
    control.get_by_role("button", name=en["panel.reveal"]).click()
    screen.get_by_test_id("stMetricValue").filter(has_text="4.0 / 5").wait_for()  # no reload
    control.context.close()
    screen.context.close()
