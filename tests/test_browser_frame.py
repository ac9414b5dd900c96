"""The frame in a real browser: first load, deep links, sidebar navigation, language switch.

The first-request tests start a server of their own (``demo_server``): one that has answered
no request yet, so that the request under test is its first.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import demo_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_first_load_of_a_fresh_server_shows_the_overview_and_its_charts(browser, demo_db, tmp_path):
    with demo_server(demo_db, tmp_path) as server:
        page = browser.new_context(locale="en-GB").new_page()
        page.goto(server.url + "/")
        expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Demo data").first).to_be_visible()
        expect(page.locator("[data-testid='stMetricValue']").first).to_have_text("80")
        expect(page.locator(".js-plotly-plot")).to_have_count(3, timeout=20_000)
        expect(page.get_by_text(re.compile("Most innovations are at"))).to_be_visible()


def test_deep_link_as_the_first_request_opens_that_page_in_the_frame(browser, demo_db, tmp_path):
    # Streamlit runs a bare page script for a fresh server's first deep link when pages/
    # exists; the frame must take over (language from the URL, our navigation, demo badge).
    with demo_server(demo_db, tmp_path) as server:
        page = browser.new_context(locale="en-GB").new_page()
        page.goto(server.url + "/method?lang=sv")
        expect(page.get_by_role("heading", name="Metod och data")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Bedömningsramar")).to_be_visible()
        nav = page.locator("[data-testid='stSidebarNav']")
        expect(nav.get_by_text("Översikt")).to_be_visible()
        expect(nav.get_by_text("app", exact=True)).to_have_count(0)
        expect(page.get_by_text("Demodata").first).to_be_visible()
        assert "lang=sv" in page.url


@pytest.mark.parametrize(
    ("address", "heading"),
    [
        ("innovation?id=1&lang=en", None),
        ("import?lang=en", "Import assessment results"),
        ("panel?lang=en", None),
    ],
)
def test_a_first_deep_link_to_any_page_opens_it_without_page_not_found(
    browser, demo_db, tmp_path, address, heading
):
    """Each page's file is named as its address, so that Streamlit, which takes a fresh
    server's first request for an old-style page, finds it: /innovation and /import showed
    "Page not found" to the first visitor after each restart (a QR code to /panel at an
    event, a link from an exported file)."""
    with demo_server(demo_db, tmp_path) as server:
        page = browser.new_context(locale="en-GB").new_page()
        page.goto(f"{server.url}/{address}")
        nav = page.locator("[data-testid='stSidebarNav']")
        expect(page.locator("h1").first).to_be_visible(timeout=30_000)
        if heading:
            expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        expect(nav.get_by_text("Overview")).to_be_visible()  # in the frame
        page.wait_for_timeout(1_000)  # the dialog came with the first messages
        expect(page.get_by_text("Page not found")).to_have_count(0)
        assert address.split("?")[0] in page.url


def test_every_pages_file_is_named_as_its_address():
    """What the browser test above relies on, checked without a browser: Streamlit looks a
    fresh server's first request up among pages/ by file name."""
    from pathlib import Path

    from sihub.navigation import PAGES

    assert [p.url_path for p in PAGES if p.url_path and Path(p.script).stem != p.url_path] == []


def test_deep_link_with_query_parameters_in_a_running_server(page, server):
    page.goto(server.url + "/method?lang=en")
    expect(page.get_by_role("heading", name="Method and data")).to_be_visible(timeout=30_000)
    assert "lang=en" in page.url


def test_sidebar_navigation_switches_pages(page, server):
    page.goto(server.url + "/?lang=en")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=30_000)
    page.locator("[data-testid='stSidebarNav']").get_by_text("Method and data").click()
    expect(page.get_by_role("heading", name="Method and data")).to_be_visible()
    assert page.url.split("?")[0].endswith("/method")
    assert "lang=en" in page.url  # the language survives the page switch


def test_switching_the_language_changes_the_page_titles(page, server):
    page.goto(server.url + "/?lang=en")
    nav = page.locator("[data-testid='stSidebarNav']")
    expect(nav.get_by_text("Overview")).to_be_visible(timeout=30_000)
    page.locator("[data-testid='stSidebar']").get_by_role("radio", name="Suomi").click()
    expect(page.get_by_role("heading", name="Yleiskuva")).to_be_visible()
    expect(nav.get_by_text("Menetelmä ja aineisto")).to_be_visible()
    expect(page).to_have_url(re.compile("lang=fi"))


@pytest.mark.parametrize(
    ("path", "heading", "before", "after"),
    [
        (
            "/compare?lang=en&ids=1,2,3&fw=nesta_soe&sort=name",
            "Vertaile innovaatioita",
            ["Nesta standards of evidence", "Name"],
            ["Nestan näytön tasot", "Nimi"],
        ),
        (
            "/funders?lang=en&fw=nesta_soe",
            "Rahoittajan näkymä",
            ["Nesta standards of evidence"],
            ["Nestan näytön tasot"],
        ),
    ],
    ids=["compare", "funders"],
)
def test_after_a_language_switch_the_choices_read_in_the_new_language_and_stay_chosen(
    page, server, path, heading, before, after
):
    """The chosen framework and sort read in the new language at once, without a reload, and
    are still the ones chosen (Streamlit's browser side kept a keyed box's old text)."""
    page.goto(server.url + "/?lang=en")  # the frame first: deep links of a fresh server
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=60_000)
    page.goto(server.url + path)
    boxes = page.locator("[data-testid='stSelectbox'] input")
    expect(boxes.first).to_have_value(before[0], timeout=60_000)
    assert [boxes.nth(i).input_value() for i in range(len(before))] == before
    page.locator("[data-testid='stSidebar']").get_by_role("radio", name="Suomi").click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=60_000)
    for n, shown in enumerate(after):
        expect(boxes.nth(n)).to_have_value(shown, timeout=60_000)
