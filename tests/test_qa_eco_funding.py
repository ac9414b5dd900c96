"""The funding page read in Finnish and Swedish: what the deadline timeline says when pointed
at is written as the page's language writes it."""

import re

import pytest

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
