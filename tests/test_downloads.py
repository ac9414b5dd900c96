"""The one download pair (``sihub.ui.downloads``): the CSV and the Excel file hold exactly the
table, are made only when a button is pressed, carry the one MIME type of each, escape formulas,
the workbook says what it contains, and everything downloaded from demo data says so."""

import io

import openpyxl
import pandas as pd
import pytest

from sihub import exports
from sihub.i18n import t
from sihub.ui import downloads


@pytest.fixture(autouse=True)
def real_store(monkeypatch):
    # only whether the frame's store holds demo data matters here
    monkeypatch.setattr(downloads, "_demo", lambda: False)


class Buttons:
    """Stands in for a Streamlit column: records the download buttons drawn in it."""

    def __init__(self) -> None:
        self.drawn: list[dict] = []

    def download_button(self, label, data, **options) -> None:
        self.drawn.append({"label": label, "data": data, **options})


def test_csv_and_excel_hold_the_table_and_are_made_only_when_pressed(monkeypatch):
    monkeypatch.setattr(downloads, "current_language", lambda: "en")
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
    assert book.sheetnames == ["Things", t("common.export_about", lang="en")]
    assert [c.value for c in book["Things"]["A"]] == ["name", "'=cmd|' /C calc'!A0", "Ohjaamo"]
    assert [c.value for c in book.worksheets[1][2]] == ["Rows", 2]  # a count is a number cell
    assert len(made) == 2  # once per file, when it is asked for


def test_a_workbook_made_elsewhere_gets_the_excel_type_and_no_key_unless_given():
    column = Buttons()
    downloads.workbook_button(
        "Briefing", lambda: b"xlsx", "pack.xlsx", primary=True, container=column
    )
    [button] = column.drawn
    assert (button["mime"], button["key"], button["type"]) == (exports.XLSX_MIME, None, "primary")
    assert button["data"]() == b"xlsx"


def test_every_download_from_demo_data_says_so_in_its_name_and_content(monkeypatch):
    monkeypatch.setattr(downloads, "current_language", lambda: "en")
    monkeypatch.setattr(downloads, "_demo", lambda: True)
    left, right = Buttons(), Buttons()
    monkeypatch.setattr(downloads.st, "columns", lambda n: (left, right))
    table = pd.DataFrame({"name": ["Olohuone"], "count": [1]})
    downloads.csv_and_excel(table, "things", about={"Rows": 1})
    [csv], [xlsx] = left.drawn, right.drawn
    assert (csv["file_name"], xlsx["file_name"]) == ("things-DEMO.csv", "things-DEMO.xlsx")
    back = pd.read_csv(io.BytesIO(csv["data"]()), encoding="utf-8-sig")
    assert back.columns.tolist() == ["dataset", "name", "count"]
    assert back.dataset.tolist() == ["demo"]
    about = openpyxl.load_workbook(io.BytesIO(xlsx["data"]())).worksheets[1]
    assert [c.value for c in about[2]] == ["dataset", "demo"]  # first row under the header
    assert [c.value for c in about[3]] == ["Rows", 1]
    column = Buttons()
    downloads.workbook_button("Pack", lambda: b"xlsx", "pack-2026-03-15.xlsx", container=column)
    assert column.drawn[0]["file_name"] == "pack-2026-03-15-DEMO.xlsx"


@pytest.mark.parametrize(
    ("lang", "sep", "decimal"), [("fi", ";", ","), ("sv", ";", ","), ("en", ",", ".")]
)
def test_a_csv_opens_in_columns_in_the_readers_spreadsheet(monkeypatch, lang, sep, decimal):
    """Excel in a Finnish or Swedish locale splits on semicolons and reads decimal commas; an
    English one on commas. Read with those settings, the file gives back the table exactly,
    "ä" included (UTF-8 with a byte-order mark)."""
    monkeypatch.setattr(downloads, "_demo", lambda: False)
    monkeypatch.setattr(downloads, "current_language", lambda: lang)
    column = Buttons()
    table = pd.DataFrame({"nimi": ["Nuorten kesäduuni, Espoo"], "keskiarvo": [4.25]})
    downloads.csv_button(table, "things", container=column)
    [csv] = column.drawn
    data = csv["data"]()
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", sep=sep, decimal=decimal)
    assert back.to_dict("list") == {"nimi": ["Nuorten kesäduuni, Espoo"], "keskiarvo": [4.25]}


def test_a_file_made_when_pressed_speaks_the_language_the_page_was_read_in(monkeypatch):
    """The press is served outside the reader's session, where t() falls back to Finnish: a
    Swedish reader's funding workbook had its about sheet named 'Tietoja' (was 'Om filen')."""
    monkeypatch.setattr(downloads, "current_language", lambda: "sv")
    left, right = Buttons(), Buttons()
    monkeypatch.setattr(downloads.st, "columns", lambda n: (left, right))

    def table() -> pd.DataFrame:
        return pd.DataFrame({t("common.export_about"): [1]})  # a header made in the reader's words

    downloads.csv_and_excel(table, "things", about={"Rader": 1}, key="k")
    [csv], [xlsx] = left.drawn, right.drawn
    book = openpyxl.load_workbook(io.BytesIO(xlsx["data"]()))
    assert book.sheetnames == ["things", t("common.export_about", lang="sv")]
    assert book["things"]["A1"].value == t("common.export_about", lang="sv")
    header = csv["data"]().decode("utf-8-sig").splitlines()[0]
    assert header == t("common.export_about", lang="sv")
