"""Download buttons, one way everywhere: a table as a CSV and Excel pair (or as CSV alone), and
a workbook made elsewhere. Files are made by ``sihub.exports`` (text that would run as a
formula is escaped) only when a button is pressed, so a page run builds none of them. Every
download from a demo store is marked as demo data (``exports.DEMO_MARK``, ``-DEMO`` in its
name); a workbook made elsewhere adds the mark to its own about sheet."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from sihub import exports
from sihub.i18n import current_language, speaking, t
from sihub.ui.frame import cached

# A table, or a function that makes it when a button is pressed.
Table = pd.DataFrame | Callable[[], pd.DataFrame]
# What an Excel download's about sheet says, or a function of the exported table that says it.
About = Mapping[str, object] | Callable[[pd.DataFrame], Mapping[str, object]]


def _made(table: Table) -> pd.DataFrame:
    return table() if callable(table) else table


def _in_reader_language(make: Callable[[], bytes]) -> Callable[[], bytes]:
    """``make`` as run when the button is pressed, in the language the page was read in: the
    press is served outside the reader's session, where ``t()`` would fall back to Finnish."""
    lang = current_language()

    def made() -> bytes:
        with speaking(lang):
            return make()

    return made


def _demo() -> bool:
    return cached(exports.is_demo)  # a page has a dozen buttons: one query per data version


def _named(file_name: str, demo: bool) -> str:
    return exports.demo_file_name(file_name) if demo else file_name


def csv_button(
    table: Table, name: str, *, key: str | None = None, container=st, width: str = "content"
) -> None:
    """``table`` as ``<name>.csv`` in the reader's spreadsheet dialect (``exports.csv_bytes``);
    the button's key is ``<key>_csv``."""
    demo, lang = _demo(), current_language()
    container.download_button(
        t("common.download_csv"),
        _in_reader_language(lambda: exports.csv_bytes(_made(table), demo=demo, lang=lang)),
        file_name=_named(f"{name}.csv", demo),
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
    """An Excel workbook that ``make`` builds when the button is pressed (``-DEMO`` in its name
    from a demo store; ``make`` marks its content)."""
    container.download_button(
        label,
        _in_reader_language(make),
        file_name=_named(file_name, _demo()),
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
    demo = _demo()

    def excel() -> bytes:
        rows = _made(table)
        facts = about(rows) if callable(about) else about
        title = about_title or t("common.export_about")
        return exports.excel_bytes({sheet or name: rows}, facts, title, demo=demo)

    workbook_button(
        t("common.download_excel"),
        excel,
        f"{name}.xlsx",
        key=key and f"{key}_xlsx",
        icon=":material/table_view:",
        container=right,
        width=width,
    )
