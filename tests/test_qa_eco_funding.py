"""The funding page read in Finnish and Swedish: what the deadline timeline says when pointed
at, and what its workbook says about itself, are written as the page's language writes them."""

import re
from datetime import date

import pandas as pd
import pytest

from sihub.funding.export import export_about
from sihub.funding.filters import CallFilter
from sihub.funding.timeline import timeline_sentence
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


def one_call(status: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "call_name": ["Yleisavustus (Ay)"],
            "funder": ["STEA"],
            "status": [status],
            "opens_on": [None],
            "deadline": [None],
            "days_left": [None],
        }
    )


@pytest.mark.parametrize(
    ("lang", "status", "said"),
    [
        ("fi", "continuous", "Tämä haku ottaa hakemuksia vastaan nyt."),
        ("sv", "continuous", "Utlysningen tar emot ansökningar nu."),
        ("en", "continuous", "This call takes applications now."),
        ("fi", "closed", "Tämä haku ei ota hakemuksia vastaan nyt."),
        ("sv", "closed", "Utlysningen tar inte emot ansökningar nu."),
        ("en", "closed", "This call does not take applications now."),
    ],
)
def test_a_single_call_is_not_counted_as_one_of_one(lang, status, said):
    # a search that found one call: '1 av dessa 1 utlysningar tar emot ansökningar nu.',
    # 'Näistä 1 hausta 1 ottaa…', '0 of these 1 calls take applications now.'
    assert timeline_sentence(one_call(status), lang) == said
