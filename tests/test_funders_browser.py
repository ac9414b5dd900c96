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
def three(demo_db, tmp_path_factory) -> dict[int, str]:
    """Three innovations with shared external scores: id -> name."""
    copy = tmp_path_factory.mktemp("names") / "demo.duckdb"
    shutil.copy(demo_db, copy)
    s = connect(str(copy))
    try:
        ids = scores.innovation_scores(s, Visibility.SHARED).innovation_id.head(3).tolist()
        names = dict(s.rows("SELECT id, name FROM innovations"))
    finally:
        s.close()
    return {int(i): names[int(i)] for i in ids}


@pytest.fixture(scope="module")
def three_names(three) -> list[str]:
    return list(three.values())


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


def row_cells(page, row: int) -> list[str]:
    """The texts of a row of the ranked list (1 = the first), from the accessible table that
    stands behind the grid's canvas."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    cells = grid.locator("[role=row]").nth(row).locator("[role=gridcell]")
    cells.first.wait_for(state="attached", timeout=DONE)
    return cells.all_inner_texts()


def open_second_rows_profile_and_back(page, grid, name: str, back: str) -> None:
    """One quick click on the second row of ``grid`` (no hover first: a tap or a quick click)
    shows ``name`` above the table with "Open profile"; one click on that opens the profile in
    this tab, no other; then its link ``back`` is followed."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 35 + 17)
    link = page.get_by_role("link", name="Open profile")
    link.wait_for(timeout=DONE)
    bar = page.locator("[data-testid=stVerticalBlock]").filter(has=link).last
    assert name in bar.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/innovation\?"), timeout=DONE)
    page.get_by_role("heading", name=name, exact=True).wait_for(timeout=DONE)
    page.wait_for_timeout(1000)  # a second tab would have opened by now
    assert len(page.context.pages) == 1
    page.get_by_role("link", name=back).click()


def test_a_ticked_row_opens_its_profile_in_place_and_back_returns_to_the_same_view(page, server):
    view = "fw=nesta_soe&stage=scaling,sustaining&shortlist=1"
    open_page(page, server, f"/funders?lang=en&{view}")
    before = top_sentence(page)
    name = next(c for c in row_cells(page, 2) if c and not c.isdigit())  # the second row's
    assert re.findall(r"\d+\. (.+?) \(\d", before)[1] == name  # the top's second, as listed

    grid = page.locator('[data-testid="stDataFrame"]').first
    open_second_rows_profile_and_back(page, grid, name, "Back to the funder view")
    # Back returns to the funder view as it was: framework, filters, shortlist, order
    page.wait_for_url(re.compile(r"/funders\?"), timeout=DONE)
    settle(page)
    assert top_sentence(page) == before
    for param in ("fw=nesta_soe", "stage=scaling(%2C|,)sustaining", "shortlist=1"):
        assert re.search(param, page.evaluate("location.href")), param
    shortlist = page.locator('[data-testid="stMultiSelect"]', has_text="Shortlisted innovations")
    assert shortlist.locator("[data-tag-index]").count() == 1


def test_a_clicked_comparison_row_opens_its_profile_in_place_and_back_returns(page, server, three):
    ids = ",".join(map(str, three))
    open_page(page, server, f"/compare?lang=en&ids={ids}")
    table = page.locator(".st-key-cmp_table")
    cells = table.locator("[role=row]").nth(2).locator("[role=gridcell]")
    cells.first.wait_for(state="attached", timeout=DONE)
    name = next(c for c in cells.all_inner_texts() if c in three.values())  # the second row's

    open_second_rows_profile_and_back(page, table, name, "Back to the comparison")
    # Back returns to the same comparison
    page.wait_for_url(re.compile(r"/compare\?"), timeout=DONE)
    settle(page)
    assert re.search(ids.replace(",", "(%2C|,)"), page.evaluate("location.href"))
    page.locator(".st-key-cmp_table").wait_for(timeout=DONE)
