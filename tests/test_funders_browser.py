"""In a real browser: compare three innovations, rank with a changed weight, and download the
briefing pack of a shortlist (opened with openpyxl)."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pytest

from sihub import scores
from sihub.access import Visibility
from sihub.db import connect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
DONE = 60_000  # ms; the server shares two cores with the rest of the suite


@pytest.fixture(scope="module")
def three_names(demo_db, tmp_path_factory) -> list[str]:
    copy = tmp_path_factory.mktemp("names") / "demo.duckdb"
    shutil.copy(demo_db, copy)
    s = connect(str(copy))
    try:
        ids = scores.innovation_scores(s, Visibility.SHARED).innovation_id.head(3).tolist()
        names = dict(s.rows("SELECT id, name FROM innovations"))
    finally:
        s.close()
    return [names[int(i)] for i in ids]


def settle(page) -> None:
    """Wait until Streamlit has finished the run the last action started."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=DONE
    )
    page.wait_for_timeout(300)


def open_page(page, server, path: str) -> None:
    # A fresh server runs deep links as an old-style multipage app until the frame has run once
    # (Streamlit treats the pages/ folder that way); opening the front page first avoids it.
    page.goto(f"{server.url}/?lang=en")
    page.get_by_role("heading", name="Overview").wait_for(timeout=DONE)
    page.goto(f"{server.url}{path}")
    settle(page)


def choose(page, label: str, option: str) -> None:
    """Type into a multiselect, pick the option, and wait until it shows as chosen."""
    box = page.locator('[data-testid="stMultiSelect"]', has_text=label)
    box.locator("input").click()
    box.locator("input").fill(option)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    page.keyboard.press("Escape")
    box.locator("[data-tag-index]", has_text=option).first.wait_for(timeout=DONE)
    settle(page)


def top_sentence(page) -> str:
    return page.get_by_text(re.compile(r"^Top: 1\. ")).inner_text(timeout=DONE)


def test_compare_three_then_rank_with_a_weight_and_download_the_briefing_pack(
    page, server, three_names, tmp_path
):
    # 1. Pick three innovations on the comparison page and see the heatmap and its words.
    open_page(page, server, "/compare?lang=en")
    page.get_by_text("Choose 2–30 innovations").wait_for(timeout=DONE)
    for name in three_names:
        choose(page, "Innovations to compare", name)
    page.wait_for_url(re.compile(r"[?&]ids=\d+(%2C|,)\d+(%2C|,)\d+"), timeout=DONE)
    page.get_by_text(re.compile("^Strongest overall:")).wait_for(timeout=DONE)
    heatmap = page.locator('[data-testid="stPlotlyChart"]').first
    heatmap.locator(".heatmaplayer").wait_for(state="attached", timeout=DONE)
    axis = set(heatmap.locator(".xtick text").all_text_contents())
    assert len(axis) == 3, axis  # one column per chosen innovation
    words = page.get_by_text(re.compile("^Strongest overall:")).inner_text()
    assert any(name in words for name in three_names)

    # 2. On the funder page, a heavier weight on one criterion changes the order.
    open_page(page, server, "/funders?lang=en")
    before = top_sentence(page)
    slider = page.locator('[data-testid="stSlider"]', has_text="Systemic change").get_by_role(
        "slider"
    )
    slider.focus()
    page.keyboard.press("End")
    settle(page)
    page.wait_for_function(
        "before => !document.body.innerText.includes(before)", arg=before, timeout=DONE
    )
    after = top_sentence(page)
    assert after != before
    # the page writes the URL at the end of its run, after the sentence: wait for it too
    page.wait_for_url(re.compile(r"systemic(%3A|:)5"), timeout=DONE)

    # 3. Shortlist the new top innovation and download its briefing pack.
    top_name = re.match(r"Top: 1\. (.+?) \(\d", after).group(1)
    choose(page, "Shortlisted innovations", top_name)
    button = page.get_by_role("button", name=re.compile("Download the briefing pack"))
    button.wait_for(timeout=DONE)
    with page.expect_download(timeout=DONE) as download:
        button.click()
    path = tmp_path / "briefing.xlsx"
    download.value.save_as(path)
    assert download.value.suggested_filename.endswith("-DEMO.xlsx")  # made from demo data
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == ["Weights and filters", "Heatmap"]
    assert ("dataset", "demo") in [
        r[:2] for r in wb["Weights and filters"].iter_rows(values_only=True)
    ]
    assert wb.sheetnames[2].startswith("1. ")
    weights = {r[0]: r[2] for r in wb["Weights and filters"].iter_rows(values_only=True) if r[0]}
    assert weights["Systemic change, capacity to act"] == 5
    heat = list(wb["Heatmap"].iter_rows(values_only=True))
    assert heat[1][1:3] == ("Scale", "Weight") and heat[1][3] == top_name
    figures = [v for r in heat[2:] for v in r[3:] if isinstance(v, (int, float))]
    assert figures and all(1 <= v <= 5 for v in figures)  # the framework's 1-5, not 0-100
    assert wb["Heatmap"].conditional_formatting
    assert wb.worksheets[2]["A1"].value == top_name
