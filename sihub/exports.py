"""Exports (CSV and Excel) that are safe to open: text that a spreadsheet would run as a
formula is escaped, and every export says what it contains and when it was made.

An export of demo data says so in a way no language changes and no one overlooks: ``-DEMO``
before the file's extension, and ``dataset`` = ``demo`` as the first column of a CSV and the
first row of an Excel file's about sheet. The importer recognises a file by either marker
(``importing.demo_files``) and refuses it for a real store unless the user insists.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import numpy as np
import pandas as pd

from sihub.i18n import format_date, t

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list for CSV injection
CSV_MIME = "text/csv"
DEMO_MARK = ("dataset", "demo")  # a column and its value (CSV), an about row (Excel)
DEMO_SUFFIX = "-DEMO"  # the end of a demo export's name, before the extension
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_formula(value: object) -> object:
    """Prefix text that starts like a formula with an apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) cannot run as formulas."""
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(escape_formula)
    out.columns = [escape_formula(str(c)) for c in out.columns]
    return out


def is_demo(store) -> bool:
    """Whether ``store`` holds the generated demo data (``python -m sihub demo``)."""
    return store.meta("dataset") == "demo"


def demo_help(store, lang: str) -> str:
    """What the demo invents, with its reference day as the language writes it (1.6.2026 in
    Finnish and Swedish): the demo badge's help and the demo note of every workbook."""
    day = store.meta("demo_reference_date")
    return t("demo.help", lang=lang, date=format_date(date.fromisoformat(day), lang) if day else "")


def demo_file_name(file_name: str) -> str:
    """``funding-calls.csv`` -> ``funding-calls-DEMO.csv``."""
    stem, dot, extension = file_name.rpartition(".")
    return f"{stem}{DEMO_SUFFIX}.{extension}" if dot else f"{file_name}{DEMO_SUFFIX}"


# What Excel in the reader's locale splits into columns: in Finnish and Swedish the comma is the
# decimal separator, so fields are separated by semicolons.
CSV_DIALECTS = {"fi": (";", ","), "sv": (";", ","), "en": (",", ".")}


def csv_bytes(df: pd.DataFrame, demo: bool = False, lang: str = "en") -> bytes:
    """UTF-8 with BOM, so that Excel opens Finnish and Swedish letters correctly, separated and
    with decimals as a spreadsheet in ``lang``'s locale expects (``CSV_DIALECTS``); a demo
    export starts with the ``dataset`` column (``DEMO_MARK``)."""
    if demo:
        df = df.copy()
        df.insert(0, DEMO_MARK[0], DEMO_MARK[1], allow_duplicates=True)
    sep, decimal = CSV_DIALECTS.get(lang, CSV_DIALECTS["en"])
    text = safe_frame(_csv_cells(df, lang)).to_csv(index=False, sep=sep, decimal=decimal)
    return text.encode("utf-8-sig")


def _csv_cells(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Cells as the reader writes them: a truth value in words ("Kyllä", not Python's "True"),
    and a whole number without decimals (30000, not the "30000,0" of a column with gaps)."""
    out = df.copy()
    words = {True: t("common.yes", lang=lang), False: t("common.no", lang=lang)}
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        known = column.dropna()
        if len(known) and known.map(lambda v: isinstance(v, (bool, np.bool_))).all():
            out.isetitem(i, column.map(lambda v: words.get(v, v) if pd.notna(v) else v))
        elif pd.api.types.is_float_dtype(column) and len(known) and (known % 1 == 0).all():
            out.isetitem(i, column.astype("Int64"))
    return out


def excel_bytes(
    sheets: dict[str, pd.DataFrame],
    about: dict[str, object] | None = None,
    about_title: str = "About",
    demo: bool = False,
) -> bytes:
    """An .xlsx with one sheet per frame, plus an ``about`` sheet (filters, time, source);
    a demo export's about sheet starts with the row ``DEMO_MARK``."""
    if demo:
        about = {DEMO_MARK[0]: DEMO_MARK[1], **(about or {})}
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for title, df in sheets.items():
            safe_frame(_plain(df)).to_excel(writer, sheet_name=_sheet_name(title), index=False)
        if about is not None:
            rows = [(escape_formula(str(k)), _about_cell(v)) for k, v in about.items()]
            pd.DataFrame(rows, columns=["", " "]).to_excel(
                writer, sheet_name=_sheet_name(about_title), index=False
            )
    return buffer.getvalue()


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Lists become "a; b" and time zones are dropped: Excel cells hold neither."""
    out = df.copy()
    for column in out.columns:
        # only a column of objects can hold lists (asking a time column fails when it is empty)
        if out[column].dtype == object and out[column].map(_is_list).any():
            out[column] = out[column].map(lambda v: "; ".join(map(str, v)) if _is_list(v) else v)
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_localize(None)
    return out


def _is_list(value: object) -> bool:
    return isinstance(value, (list, tuple))


def _about_cell(value: object) -> object:
    """A number stays a number cell (a row count is 80, not the text "80"), a time a date cell
    in the time it was given in (Excel writes it as the reader's language does, never
    "2026-06-01T12:25:56+03:00"); the rest is text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return escape_formula(_text(value))


_PLAIN_NUMBER = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*$")


def number_cell(value: object) -> object:
    """A value as typed in a file, for an export: text that is a plain number ("4", "4,5")
    becomes a number cell; anything else ("4 – hyvä", "vihreä") stays as written."""
    if isinstance(value, str) and _PLAIN_NUMBER.match(value):
        number = float(value.replace(",", "."))
        return int(number) if number.is_integer() else number
    return value


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def _sheet_name(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\ ."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31] or "Sheet"
