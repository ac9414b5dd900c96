"""A selection survives the URL; exports cannot run formulas."""

import io

import openpyxl
import pandas as pd
import pytest

from sihub.exports import csv_bytes, escape_formula, excel_bytes
from sihub.pipeline.filters import NOT_RECORDED, InnovationFilter


def test_a_selection_round_trips_through_query_parameters():
    chosen = InnovationFilter(
        q="nuoret",
        stages=("prototypes", NOT_RECORDED),
        themes=("employment",),
        min_score=0.5,
        min_criteria=6,
        ids=(3, 7),
    )
    assert InnovationFilter.from_query(chosen.to_query()) == chosen
    assert InnovationFilter().to_query() == {}


def test_malformed_parameters_are_left_out_and_reported_not_fatal():
    parsed, left_out = InnovationFilter.parse_query(
        {"minscore": "lots", "mincrit": "x", "ids": "1,a", "stage": "scaling,,scaling"}
    )
    assert parsed == InnovationFilter(stages=("scaling",), ids=(1,))  # each item on its own
    assert set(map(str, left_out)) == {"minscore=lots", "mincrit=x", "ids=a"}
    assert InnovationFilter.from_query({"minscore": "101"}).min_score is None  # on no scale


def test_formula_like_text_is_escaped_in_csv_and_excel():
    df = pd.DataFrame(
        {
            "name": ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "Plain"],
            "score": [1.0, 2.0, -3.0, 4.0, 5.0],
        }
    )
    assert escape_formula(-3.0) == -3.0
    text = csv_bytes(df).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1" in text and "'@SUM" in text and ",-3\n" in text
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes({"Rows": df}, {"Filter": "=evil"})))
    values = [c.value for c in book["Rows"]["A"]]
    assert values[1:5] == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM(A1)"]
    assert book["Rows"]["B4"].value == -3.0  # numbers stay numbers
    assert book["About"]["B2"].value == "'=evil"


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("fi", ["a;b;c", "Kyllä;30000;0,8", "Ei;;1,0", ";5;"]),
        ("sv", ["a;b;c", "Ja;30000;0,8", "Nej;;1,0", ";5;"]),
        ("en", ["a,b,c", "Yes,30000,0.8", "No,,1.0", ",5,"]),
    ],
)
def test_csv_writes_truth_in_words_and_whole_numbers_whole(lang, expected):
    """A Finnish funding-call CSV said 'True'/'False' (Python's words) under 'Konsortio
    vaaditaan' and '30000,0' for amounts in a column with a gap."""
    df = pd.DataFrame({"a": [True, False, None], "b": [30000.0, None, 5.0], "c": [0.8, 1.0, None]})
    assert csv_bytes(df, lang=lang).decode("utf-8-sig").splitlines() == expected


def test_the_about_sheets_time_is_a_date_cell_not_iso_text():
    """A Finnish workbook's about sheet said 'Viety: 2026-06-01T12:25:19+03:00' as text."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    made = datetime(2026, 6, 1, 12, 25, 19, tzinfo=ZoneInfo("Europe/Helsinki"))
    book = openpyxl.load_workbook(
        io.BytesIO(excel_bytes({"Rows": pd.DataFrame()}, {"Viety": made}))
    )
    assert book["About"]["B2"].value == datetime(2026, 6, 1, 12, 25, 19)
    assert book["About"]["B2"].is_date
