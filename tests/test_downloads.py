"""The one download pair (``sihub.ui.downloads``): the CSV and the Excel file hold exactly the
table, are made only when a button is pressed, carry the one MIME type of each, escape formulas,
and the workbook says what it contains."""

import io

import openpyxl
import pandas as pd

from sihub import exports
from sihub.i18n import t
from sihub.ui import downloads


class Buttons:
    """Stands in for a Streamlit column: records the download buttons drawn in it."""

    def __init__(self) -> None:
        self.drawn: list[dict] = []

    def download_button(self, label, data, **options) -> None:
        self.drawn.append({"label": label, "data": data, **options})


def test_csv_and_excel_hold_the_table_and_are_made_only_when_pressed(monkeypatch):
    left, right = Buttons(), Buttons()
    monkeypatch.setattr(downloads.st, "columns", lambda n: (left, right))
    made = []

    def table() -> pd.DataFrame:
        made.append(True)
        return pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "Ohjaamo"], "count": [1, 2]})

    downloads.csv_and_excel(
        table, "things", sheet="Things", about=lambda rows: {"Rows": len(rows)}, key="k"
    )
    assert made == []  # drawing the buttons builds no file
    [csv], [xlsx] = left.drawn, right.drawn
    assert (csv["label"], csv["key"], csv["mime"], csv["file_name"]) == (
        t("common.download_csv"),
        "k_csv",
        exports.CSV_MIME,
        "things.csv",
    )
    assert (xlsx["label"], xlsx["key"], xlsx["mime"], xlsx["file_name"]) == (
        t("common.download_excel"),
        "k_xlsx",
        exports.XLSX_MIME,
        "things.xlsx",
    )
    back = pd.read_csv(io.BytesIO(csv["data"]()), encoding="utf-8-sig")
    assert back.name.tolist() == ["'=cmd|' /C calc'!A0", "Ohjaamo"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx["data"]()))
    assert book.sheetnames == ["Things", t("common.export_about")]
    assert [c.value for c in book["Things"]["A"]] == ["name", "'=cmd|' /C calc'!A0", "Ohjaamo"]
    assert [c.value for c in book.worksheets[1][2]] == ["Rows", "2"]
    assert len(made) == 2  # once per file, when it is asked for


def test_a_workbook_made_elsewhere_gets_the_excel_type_and_no_key_unless_given():
    column = Buttons()
    downloads.workbook_button(
        "Briefing", lambda: b"xlsx", "pack.xlsx", primary=True, container=column
    )
    [button] = column.drawn
    assert (button["mime"], button["key"], button["type"]) == (exports.XLSX_MIME, None, "primary")
    assert button["data"]() == b"xlsx"
