"""The funder's briefing pack in Finnish and Swedish: days are date cells without a time, and
the demo note gives its reference day as the language writes it."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from sihub.access import Visibility
from sihub.funders.briefing import briefing_pack
from sihub.funders.ranking import RankingSpec, rank
from sihub.funding.status import now_in_finland
from sihub.i18n import format_date, t


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_days_in_the_pack_carry_no_time_and_the_demo_day_is_written_as_the_language_does(
    demo_store, lang
):
    ranking = rank(demo_store, Visibility.SHARED, RankingSpec(), lang)
    shortlist = ranking.table.innovation_id.tolist()[:2]
    data = briefing_pack(demo_store, ranking, shortlist, lang, now_in_finland())
    book = openpyxl.load_workbook(io.BytesIO(data))
    days = [
        cell
        for ws in book.worksheets[2:]  # one sheet per innovation: latest assessment, comments
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, datetime)
    ]
    assert days and all("h" not in cell.number_format for cell in days), {
        cell.coordinate: cell.number_format for cell in days
    }
    reference = date.fromisoformat(demo_store.meta("demo_reference_date"))
    rows = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    note = rows[t("demo.badge", lang=lang)]
    assert format_date(reference, lang) in note and reference.isoformat() not in note


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_profile_field_not_recorded_reads_as_a_dash_not_a_blank(demo_store, lang):
    ranking = rank(demo_store, Visibility.SHARED, RankingSpec(), lang)
    unlinked = demo_store.scalar(
        "SELECT min(id) FROM innovations WHERE innokyla_url IS NULL OR sim_url IS NULL"
    )
    data = briefing_pack(demo_store, ranking, [unlinked], lang, now_in_finland())
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[2]
    rows = [row[:2] for row in ws.iter_rows(values_only=True)]
    start = rows.index((t("briefing.profile_title", lang=lang), None)) + 1
    end = rows.index((t("briefing.ranking_title", lang=lang), None)) - 1  # a blank row before
    profile = rows[start:end]
    assert profile and all(value not in (None, "") for _, value in profile), profile
    assert "–" in dict(profile).values()  # its missing link
