"""The ecosystem page in a real browser, at a laptop's width: the areas' table shows every
column whole in each language (beside the map, Swedish headings and names were cut)."""

from contextlib import suppress

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_areas_table_fits_at_1280_px(browser, server, lang):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/ecosystem?lang={lang}")
        tables = page.get_by_test_id("stDataFrame")
        expect(tables.first).to_be_visible(timeout=30_000)
        # (scrolled width, shown width) of each table's grid: wider means a cut column. The
        # grid sizes its columns after it is drawn, so its widths are given time to settle.
        grids = "[data-testid=stDataFrame] .dvn-scroller"
        with suppress(PlaywrightTimeoutError):  # the assertion below says what was cut
            page.wait_for_function(
                f"""() => {{
                    const grids = [...document.querySelectorAll("{grids}")];
                    return grids.length >= 2 && grids.every(g => g.scrollWidth <= g.clientWidth);
                }}""",
                timeout=10_000,
            )
        sizes = page.eval_on_selector_all(
            grids, "grids => grids.map(g => [g.scrollWidth, g.clientWidth])"
        )
        assert sizes, "the Where tab draws its tables"
        assert all(scrolled <= shown for scrolled, shown in sizes), sizes
    finally:
        context.close()
