"""In a real browser, no page of the hostile hub (``tests.builders.hostile_hub``) holds a link to
another site or an image from one, and none asks another site for anything: every value in a
name, description, comment, call, chart or URL parameter is shown as written. One server, one
language, every page and every tab that holds text."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from sihub.i18n import t
from sihub.urls import page_url
from tests.browser import demo_server
from tests.builders.hostile_hub import EVIL, TODAY, URL_VALUES

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DONE = 30_000  # ms a page may take to draw on a loaded machine
# Links and images in HTML, and links plotly draws in its SVG (xlink:href).
FROM_ELSEWHERE = f"a[href*='{EVIL}'], img[src*='{EVIL}'], a[*|href*='{EVIL}'], [srcset*='{EVIL}']"
LINK, IMAGE, TAG = URL_VALUES


def en(key: str) -> str:
    return t(key, lang="en")


# (page, URL parameters, its title, the tabs opened one after another); a profile's title is the
# innovation's name, and a link to no innovation has none (the page says so).
VISITS = [
    ("overview", {}, en("overview.title"), []),
    (
        "pipeline",
        {"q": LINK, "theme": IMAGE, "sort": TAG},
        en("pipeline.title"),
        ["pipeline.tab_picture"],
    ),
    (
        "profile",
        {"id": "1", "fw": IMAGE, "cohort": LINK},
        "Työpolku",
        [
            "profile.tab.case_study",
            "profile.tab.scores",
            "profile.tab.answers",
            "profile.tab.related",
        ],
    ),
    ("profile", {"id": LINK}, None, []),
    (
        "compare",
        {"ids": "1,2", "fw": LINK, "sort": IMAGE},
        en("compare.title"),
        ["compare.tab.dots", "compare.tab.agreement", "compare.tab.rounds", "compare.tab.self"],
    ),
    (
        "funders",
        {"w": LINK, "gate": f"need:3,{IMAGE}", "shortlist": "1,2", "theme": TAG},
        en("funders.title"),
        [],
    ),
    (
        "funding",
        {"call": "1", "innovation": "1", "status": LINK, "fit": IMAGE},
        en("funding.title"),
        ["funding.tab_calls"],  # opens on the innovation's tab; the call is on the calls tab
    ),
    (
        "ecosystem",
        {"map": LINK, "money": IMAGE, "few": TAG},
        en("ecosystem.title"),
        [f"ecosystem.tab.{name}" for name in ("who", "what", "pipeline", "money", "quality")],
    ),
    ("importing", {}, en("import.title"), []),
    ("method", {}, en("method.title"), []),
]


# Every chart on screen drawn (plotly draws after the run, into an SVG of its own).
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .filter((chart) => chart.offsetParent !== null)
    .every((chart) => chart.querySelector('.main-svg'))"""


def settle(page) -> None:
    """Wait until Streamlit has finished the run the last action started and drawn its
    charts."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        timeout=DONE
    )
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=DONE)
    page.wait_for_function(CHARTS_DRAWN, timeout=DONE)


def test_no_page_links_to_or_fetches_from_another_site(browser, hostile_db, tmp_path, monkeypatch):
    monkeypatch.setenv("SIHUB_TODAY", TODAY.isoformat())  # the hub's calls are open on this day
    asked: list[str] = []
    with demo_server(hostile_db, tmp_path) as server:
        context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
        context.on("request", lambda request: asked.append(request.url))
        page = context.new_page()
        page.goto(f"{server.url}/?lang=en")  # the frame runs once before any deep link
        settle(page)
        found, escapes = {}, {}  # links from elsewhere, and escapes the reader sees
        for key, params, title, tabs in VISITS:
            page.goto(f"{server.url}/{page_url(key, 'en', **params).removeprefix('./')}")
            shown = page.locator("h1").first if title else page.get_by_test_id("stAlert").first
            expect(shown).to_contain_text(title or "", timeout=DONE)
            settle(page)
            for label in tabs:
                page.get_by_role("tab", name=en(label), exact=True).click()
                settle(page)
                escapes[(key, label)] = page.locator("body").inner_text().count("\\")
            found[(key, *params.values())] = page.locator(FROM_ELSEWHERE).count()
            escapes[(key, *params.values())] = page.locator("body").inner_text().count("\\")
            if key == "funding":  # the call's name, on the calls tab opened last
                heading = page.locator("h3", has_text="Haku <a href=").first
                call_name = heading.text_content(timeout=DONE)
        context.close()
    assert {visit: n for visit, n in found.items() if n} == {}
    assert {visit: n for visit, n in escapes.items() if n} == {}  # labels and cells as written
    assert "Haku <a href" in call_name and "[x](//evil.example/a) ![p]" in call_name  # as written
    assert [url for url in asked if (urlsplit(url).hostname or "").endswith(EVIL)] == []
    assert len(found) == len(VISITS)
