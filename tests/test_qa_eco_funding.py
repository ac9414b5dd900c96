"""The funding page read in Finnish and Swedish: what the deadline timeline says when pointed
at, and what its workbook says about itself, are written as the page's language writes them."""

import re
from datetime import date

import pytest

from sihub.funding.export import export_about
from sihub.funding.filters import CallFilter
from sihub.i18n import t
from tests.apptools import frame_app, plotly_strings

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.mark.parametrize(
    ("lang", "day"),
    [
        ("fi", r"\d{1,2}\.\d{1,2}\.\d{4}"),
        ("sv", r"\d{1,2}\.\d{1,2}\.\d{4}"),
        ("en", ISO_DAY.pattern),
    ],
)
def test_the_timelines_hover_gives_dates_as_the_language_writes_them(
    tmp_path, monkeypatch, demo_copy, lang, day
):
    # the hover said '2026-04-22 – 2026-06-06' beside '6.6.2026' in the sentence below it
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/funding.py", lang)
    spans = [s for s in plotly_strings(at) if " – " in s and re.search(r"\d{4}", s)]
    assert spans, "the timeline's bars say their dates"
    assert all(re.fullmatch(f"({day})? – ({day})?", s) for s in spans), spans[:5]


@pytest.mark.parametrize(
    ("lang", "day"), [("fi", "1.6.2026"), ("sv", "1.6.2026"), ("en", "2026-06-01")]
)
def test_the_calls_workbook_gives_its_status_day_as_the_language_writes_it(lang, day):
    # the Swedish about sheet said 'Status per 2026-06-01' while the matches' said '1.6.2026'
    about = export_about(CallFilter(), date(2026, 6, 1), 25, lang)
    assert about[t("funding.export.status_on", lang=lang)] == day
