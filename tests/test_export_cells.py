"""Exported workbooks are typed as a spreadsheet user expects: a rank, a mean, a count or a
score as given is a number cell (not the text "3.0" or "4,0"), and a code never stands where
its label belongs ("expert" beside "Expert assessment"): the explorer's Excel file, the
comparison workbook and the briefing pack, in Finnish and English, from the demo hub."""

from __future__ import annotations

import io
import re
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from sihub import exports
from sihub.access import Visibility
from sihub.compare.export import comparison_workbook
from sihub.compare.queries import comparison_of
from sihub.compare.selection import Selection
from sihub.funders.briefing import briefing_pack
from sihub.funders.ranking import RankingSpec, rank
from sihub.i18n import t
from sihub.pipeline import export_about, export_table, results
from sihub.pipeline.filters import InnovationFilter
from sihub.scores import ALL_TYPES

NOW = datetime(2026, 3, 15, 9, 30)
PLAIN_NUMBER = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*$")


def workbooks(store, lang: str) -> dict[str, bytes]:
    """Each workbook a page offers, built by the library functions its buttons call."""
    ids = [r[0] for r in store.rows(
        "SELECT DISTINCT innovation_id FROM assessments ORDER BY 1 LIMIT 4")]  # fmt: skip
    rows = export_table(results(store, Visibility.ALL, InnovationFilter(), lang), lang)
    about = export_about(store, Visibility.ALL, InnovationFilter(), lang, len(rows), NOW)
    ranking = rank(store, Visibility.ALL, RankingSpec(gates=(("need", "4"),)), lang)
    comparison = comparison_of(store, Visibility.ALL, Selection(ids=tuple(ids)), lang)
    return {
        "innovations.xlsx": exports.excel_bytes({"Innovations": rows}, about),
        "comparison.xlsx": comparison_workbook(store, comparison, "mean", "dimension", lang, NOW),
        "briefing.xlsx": briefing_pack(store, ranking, ids, lang, NOW),
    }


def cells(data: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_numbers_are_number_cells_and_labels_stand_for_codes(demo_store, lang):
    found = {}
    for name, data in workbooks(demo_store, lang).items():
        texts = [c for c in cells(data) if isinstance(c.value, str)]
        found[name] = [
            f"{c.parent.title}!{c.coordinate}={c.value}"
            for c in texts
            if PLAIN_NUMBER.match(c.value) or c.value in ALL_TYPES
        ][:10]
    assert found == {name: [] for name in found}


def test_the_briefing_packs_ranks_and_means_are_numbers(demo_store):
    data = workbooks(demo_store, "fi")["briefing.xlsx"]
    heatmap = openpyxl.load_workbook(io.BytesIO(data))["Lämpökartta"]
    rank_row = next(r for r in heatmap.iter_rows(values_only=True) if r[0] == t(
        "funders.col.rank", lang="fi"))  # fmt: skip
    # ranked innovations have a number; one that fails the minimum says so in words
    assert {type(v) for v in rank_row[3:]} == {int, str}


def test_a_sheet_with_no_rows_and_a_time_column_is_written_as_its_headings():
    """A download of nothing yet (no comments saved, no imports made) is a workbook with the
    sheet's headings, not an error: an empty column of times once failed the export."""
    empty = pd.DataFrame(
        {"Kommentti": pd.Series([], dtype=object), "Tallennettu": pd.Series([], dtype="M8[s]")}
    )
    book = openpyxl.load_workbook(io.BytesIO(exports.excel_bytes({"Kommentit": empty}, {})))
    sheet = book["Kommentit"]
    assert [c.value for c in sheet[1]] == ["Kommentti", "Tallennettu"]
    assert sheet.max_row == 1
