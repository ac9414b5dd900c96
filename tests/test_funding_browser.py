"""The funding page in a real browser: open it, filter to open calls, open one call's matches
and follow a match to the innovation's profile (/innovation?id=...)."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from sihub.access import Visibility
from sihub.db import connect
from sihub.funding import matching, status

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CALL_REF = "CALL-002"  # an ESR+ call of the demo, open for 60 days from the reference date


def first_match(demo_db) -> tuple[str, int]:
    """The call's name and the innovation its matches list first (the one explained)."""
    store = connect(str(demo_db))
    try:
        call_id, name = store.rows(
            "SELECT id, call_name FROM funding_opportunities WHERE ref = ?", [CALL_REF]
        )[0]
        found = matching.call_matches(
            store, Visibility.ALL, call_id, status.today_in_finland(), "en"
        )
    finally:
        store.close()
    return name, int(found.iloc[0].innovation_id)


def choose(page, widget: str, label: str, option: str) -> None:
    """Pick ``option`` in the select or multiselect widget labelled ``label``.

    A rerun of the page can redraw the widget while its list is open, so the list is opened
    again until the option can be clicked.
    """
    box = page.get_by_test_id(widget).filter(has_text=label)
    item = page.get_by_role("option").filter(has_text=option)
    for _ in range(5):
        wait_until_idle(page)
        if widget == "stSelectbox":
            box.get_by_role("button", name="Open").click()
        else:
            box.click()
        try:
            item.first.click(timeout=3_000)
            return
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    raise AssertionError(f"{option!r} could not be chosen in {label!r}")


def wait_until_idle(page) -> None:
    """Wait until the app has no script run in progress."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=20_000)


def wait_for_location(page, pattern: str) -> None:
    """Wait until the address bar matches ``pattern`` (a JavaScript regular expression).

    The app updates the address with history.pushState, which Playwright's page.url does not
    always follow at once; the browser's own location does.
    """
    page.wait_for_function(
        "pattern => new RegExp(pattern).test(location.pathname + location.search)", arg=pattern
    )


def innovation_name(db, innovation_id: int) -> str:
    store = connect(str(db))
    try:
        return store.scalar("SELECT name FROM innovations WHERE id = ?", [innovation_id])
    finally:
        store.close()


def test_filter_to_open_calls_open_a_calls_matches_and_follow_one_to_its_profile(
    page, server, demo_db
):
    call_name, innovation_id = first_match(demo_db)
    page.goto(server.url + "/?lang=en")
    page.locator("[data-testid='stSidebarNav']").get_by_text("Funding opportunities").click()
    expect(page.get_by_role("heading", name="Funding opportunities")).to_be_visible(timeout=30_000)

    choose(page, "stMultiSelect", "Status", "Open")
    page.keyboard.press("Escape")
    expect(page.get_by_text(re.compile(r"\d+ of 25 calls match the filters"))).to_be_visible()
    wait_for_location(page, r"/funding\?.*status=open")
    statuses = page.get_by_test_id("stDataFrame").first
    expect(statuses).not_to_contain_text("Closed")

    choose(page, "stSelectbox", "Show a call's details", f"{call_name} · ELY-keskus (Pirkanmaa)")
    expect(page.get_by_role("heading", name=call_name)).to_be_visible()
    expect(page.get_by_role("heading", name="Innovations that fit this call")).to_be_visible()
    # The findings' heading (bold), not the table's column header of the same name, which the
    # grid keeps hidden in the page for screen readers once it has drawn.
    expect(page.locator("strong").get_by_text("Reasons", exact=True).first).to_be_visible()
    wait_for_location(page, r"call=\d+")

    link = page.get_by_role("link", name="Open the innovation's profile")
    expect(link).to_have_attribute("href", re.compile(rf"innovation\?.*\bid={innovation_id}\b"))
    link.click()  # an in-app link switches the page in place
    wait_for_location(page, rf"^/innovation\?(.*&)?id={innovation_id}(&|$)")
    expect(page.get_by_role("heading", name=innovation_name(demo_db, innovation_id))).to_be_visible(
        timeout=30_000
    )
