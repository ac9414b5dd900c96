"""The explorer and the profile in a real chromium against a real server (demo store copy)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

GRID = "[data-testid=stDataFrame]"


def grid_names(page: Page) -> list[str]:
    """The first column of the results table (the accessible table behind the canvas), read
    in one go so that a re-render cannot change it halfway."""
    page.wait_for_selector(f"{GRID} [role=row]", state="attached")
    return page.evaluate(
        """grid => Array.from(document.querySelectorAll(grid + ' [role=row]')).slice(1)
            .map(row => row.querySelector('[role=gridcell]'))
            .filter(cell => cell !== null).map(cell => cell.innerText)""",
        GRID,
    )


def summary(page: Page) -> str:
    text = page.get_by_text(re.compile(r"^\d+ of \d+ innovations$")).first
    expect(text).to_be_visible()
    return text.inner_text()


def shown_rows(page: Page) -> tuple[str, list[str]]:
    """The summary and the table's names once they agree (the table renders after the text)."""
    for _ in range(50):
        text, names = summary(page), grid_names(page)
        if int(text.split()[0]) == len(names):
            return text, names
        page.wait_for_timeout(200)
    raise AssertionError(f"table never matched the summary {text!r}: {len(names)} rows")


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the run the last action started."""
    page.wait_for_timeout(300)
    expect(page.locator("[data-testid=stStatusWidget]")).to_have_count(0, timeout=20_000)


def choose(page: Page, facet: str, option: str) -> None:
    """Pick an option of a facet's multiselect as a user does: open, type, click."""
    box = page.locator("[data-testid=stMultiSelect]").filter(has_text=facet)
    box.locator("input").click()
    box.locator("input").fill(option)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    page.keyboard.press("Escape")
    settle(page)


def location(page: Page) -> str:
    """The address bar. (``page.url`` can miss Streamlit's in-app page switches.)"""
    return page.evaluate("location.href")


def wait_for_location(page: Page, matches) -> str:
    for _ in range(100):
        href = location(page)
        if matches(href):
            return href
        page.wait_for_timeout(200)
    raise AssertionError(f"the address stayed {location(page)}")


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(location(page)).query)


def test_two_filters_travel_in_the_url_and_a_row_opens_its_profile(browser, server, page):
    page.goto(f"{server.url}/pipeline?lang=en")
    expect(page.get_by_role("heading", name="Innovation pipeline")).to_be_visible()
    assert summary(page) == "80 of 80 innovations"
    choose(page, "Pipeline stage", "3 Prototypes and pilots")
    wait_for_location(page, lambda url: "stage=prototypes" in url)
    expect(page.get_by_text("80 of 80 innovations", exact=True)).to_have_count(0)
    stage_only, _ = shown_rows(page)
    choose(page, "Theme", "Employment")
    wait_for_location(page, lambda url: "theme=employment" in url)
    expect(page.get_by_text(stage_only, exact=True)).to_have_count(0)
    assert query(page)["stage"] == ["prototypes"] and query(page)["lang"] == ["en"]
    shown, names = shown_rows(page)
    assert 0 < len(names) < int(stage_only.split()[0]) < 80

    # the address, opened in a fresh browser (no cookies, no session), shows the same rows
    other = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    try:
        fresh = other.new_page()
        fresh.set_default_timeout(20_000)
        fresh.goto(location(page))
        expect(fresh.get_by_role("heading", name="Innovation pipeline")).to_be_visible()
        assert shown_rows(fresh) == (shown, names)

        # a click on a row shows it with the way to its profile, which opens in place
        grid = fresh.locator(GRID)
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        fresh.mouse.click(box["x"] + 15, box["y"] + 35 + 17)  # first row's selection cell
        picked = fresh.locator("[data-testid=stVerticalBlock]").filter(
            has=fresh.get_by_role("link", name="Open profile")
        )
        expect(picked.last).to_contain_text(names[0])
        fresh.get_by_role("link", name="Open profile").click()
        wait_for_location(fresh, lambda url: "/innovation?" in url)
        assert query(fresh)["lang"] == ["en"] and query(fresh)["id"][0].isdigit()
        expect(fresh.get_by_role("heading", name=names[0])).to_be_visible()
        expect(fresh.get_by_text("Mean score, external assessments")).to_be_visible()

        # back from the profile: the same list again, and it stays there
        fresh.go_back()
        wait_for_location(fresh, lambda url: "/pipeline?" in url)
        expect(fresh.get_by_role("heading", name="Innovation pipeline")).to_be_visible()
        fresh.wait_for_timeout(1500)
        assert "/pipeline?" in location(fresh)
        assert shown_rows(fresh) == (shown, names)
    finally:
        other.close()

    # the back button returns to the previous selection
    page.go_back()
    wait_for_location(page, lambda url: "theme=" not in url)
    settle(page)
    assert query(page)["stage"] == ["prototypes"]
    expect(page.get_by_text(stage_only, exact=True)).to_be_visible()


def test_deep_links_with_query_parameters(page, server):
    page.goto(f"{server.url}/pipeline?lang=sv&stage=prototypes,none&theme=employment")
    expect(page.get_by_role("heading", name="Innovationsflödet")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^\d+ av 80 innovationer$"))).to_be_visible()
    expect(page.get_by_text("Demodata").first).to_be_visible()  # the frame ran: demo label
    expect(
        page.get_by_text("Skede i flödet: 3 Prototyper och piloter, Inte angivet")
    ).to_be_visible()

    page.goto(f"{server.url}/innovation?lang=fi&id=1")
    expect(page.get_by_text("Takaisin innovaatioputkeen")).to_be_visible()
    expect(page.get_by_text("Keskiarvo, ulkoiset arvioinnit")).to_be_visible()

    page.goto(f"{server.url}/innovation?lang=en&id=999999")
    expect(page.get_by_text("There is no innovation number 999999 in the hub.")).to_be_visible()
    page.get_by_text("Back to the pipeline").click()
    wait_for_location(page, lambda url: "/pipeline" in url)
    expect(page.get_by_role("heading", name="Innovation pipeline")).to_be_visible()


def test_the_link_in_an_excel_export_opens_the_same_view_sort_included(
    browser, server, page, tmp_path
):
    """The "link to this view" of the Excel file is a full address that, opened in a fresh
    browser, shows the same rows in the same order."""
    page.goto(f"{server.url}/pipeline?lang=en&stage=prototypes&sort=latest")
    expect(page.get_by_role("heading", name="Innovation pipeline")).to_be_visible()
    shown, names = shown_rows(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download Excel").click()
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    rows = openpyxl.load_workbook(path)["Filters"].iter_rows(values_only=True)
    link = next(row[1] for row in rows if row[0] == "Link to this view")
    assert link.startswith(f"{server.url}/pipeline?")
    assert {"stage": ["prototypes"], "sort": ["latest"], "lang": ["en"]}.items() <= parse_qs(
        urlparse(link).query
    ).items()

    other = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    try:
        fresh = other.new_page()
        fresh.set_default_timeout(20_000)
        fresh.goto(link)
        expect(fresh.get_by_role("heading", name="Innovation pipeline")).to_be_visible()
        assert shown_rows(fresh) == (shown, names)
        sort = fresh.locator("[data-testid=stSelectbox]").filter(has_text="Sort").locator("input")
        expect(sort).to_have_value("Latest assessment, newest first")
    finally:
        other.close()


CUT = """() => Array.from(document.querySelectorAll(
    '[data-testid=stMetricLabel], [data-testid=stMetricValue]')).filter(el =>
    Array.from(el.querySelectorAll('*')).concat([el]).some(e => e.scrollWidth > e.clientWidth)
).map(el => el.innerText)"""


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_profiles_headline_labels_and_figures_are_not_cut(page, server, lang):
    """Not "Mean score, external assessm…": each headline reads whole in every language, on
    a laptop's 1280 pixels."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.url}/?lang=en")  # the frame first: deep links of a fresh server
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=60_000)
    page.goto(f"{server.url}/innovation?id=3&lang={lang}")
    expect(page.locator("[data-testid=stMetricLabel]")).to_have_count(4, timeout=60_000)
    settle(page)
    assert page.evaluate(CUT) == []


CHIPS_CUT = """() => Array.from(document.querySelectorAll(
    '[data-testid=stMultiSelect] [data-tag-index] span[title]')).filter(
    el => el.scrollWidth > el.clientWidth).map(el => el.innerText)"""
STAGES = "prompts,proposals,prototypes,sustaining,scaling,systemic,none"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_explorers_chosen_stages_read_whole(page, server, lang):
    """Every stage chosen reads whole in its chip ("5 Levittäminen ja skaalaaminen (12)" was
    cut), on a laptop's 1280 pixels."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.url}/?lang=en")  # the frame first: deep links of a fresh server
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=60_000)
    page.goto(f"{server.url}/pipeline?lang={lang}&stage={STAGES}")
    chips = page.locator("[data-testid=stMultiSelect] [data-tag-index]")
    expect(chips).to_have_count(7, timeout=60_000)
    settle(page)
    assert page.evaluate(CHIPS_CUT) == []
