"""Download buttons, one way everywhere: a table as a CSV and Excel pair (or as CSV alone), and
a workbook made elsewhere. Files are made by ``sihub.exports`` (text that would run as a
formula is escaped) only when a button is pressed, so a page run builds none of them."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from sihub import exports
from sihub.i18n import t

# A table, or a function that makes it when a button is pressed.
Table = pd.DataFrame | Callable[[], pd.DataFrame]
# What an Excel download's about sheet says, or a function of the exported table that says it.
About = Mapping[str, object] | Callable[[pd.DataFrame], Mapping[str, object]]


def _made(table: Table) -> pd.DataFrame:
    return table() if callable(table) else table


def csv_button(
    table: Table, name: str, *, key: str | None = None, container=st, width: str = "content"
) -> None:
    """``table`` as ``<name>.csv``; the button's key is ``<key>_csv``."""
    container.download_button(
        t("common.download_csv"),
        lambda: exports.csv_bytes(_made(table)),
        file_name=f"{name}.csv",
        mime=exports.CSV_MIME,
        icon=":material/download:",
        key=key and f"{key}_csv",
        on_click="ignore",
        width=width,
    )


def workbook_button(
    label: str,
    make: Callable[[], bytes],
    file_name: str,
    *,
    key: str | None = None,
    icon: str = ":material/download:",
    primary: bool = False,
    container=st,
    width: str = "content",
) -> None:
    """An Excel workbook that ``make`` builds when the button is pressed."""
    container.download_button(
        label,
        make,
        file_name=file_name,
        mime=exports.XLSX_MIME,
        icon=icon,
        key=key,
        on_click="ignore",
        type="primary" if primary else "secondary",
        width=width,
    )


def csv_and_excel(
    table: Table,
    name: str,
    *,
    sheet: str | None = None,
    about: About | None = None,
    about_title: str | None = None,
    key: str | None = None,
    width: str = "content",
) -> None:
    """``table`` as ``<name>.csv`` and ``<name>.xlsx`` side by side (keys ``<key>_csv`` and
    ``<key>_xlsx``). The workbook's sheet is ``sheet`` (default ``name``), followed by an about
    sheet titled ``about_title`` (default "About" in the language) when ``about`` says what the
    export contains."""
    left, right = st.columns(2)
    csv_button(table, name, key=key, container=left, width=width)

    def excel() -> bytes:
        rows = _made(table)
        facts = about(rows) if callable(about) else about
        title = about_title or t("common.export_about")
        return exports.excel_bytes({sheet or name: rows}, facts, title)

    workbook_button(
        t("common.download_excel"),
        excel,
        f"{name}.xlsx",
        key=key and f"{key}_xlsx",
        icon=":material/table_view:",
        container=right,
        width=width,
    )
