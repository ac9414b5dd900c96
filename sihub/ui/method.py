"""Widgets of the method page: criteria, scale levels and data sources as tables."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from sihub import ui
from sihub.db import Store
from sihub.i18n import datetime_pattern, t
from sihub.method import criteria, levels_of_scale
from sihub.text import escape_markdown


def criteria_table(criteria: pd.DataFrame) -> pd.DataFrame:
    """Criteria with translated headings, for a static table in which guidance wraps in full
    (``st.table``, whose cells are Markdown: the framework's text is escaped to show as
    written)."""
    headings = {
        "name": t("common.criterion"),
        "dimension": t("common.dimension"),
        "guidance": t("method.guidance"),
        "scale": t("method.scale"),
        "code": t("method.code"),
    }
    shown = criteria[list(headings)].map(lambda v: escape_markdown(v) if isinstance(v, str) else v)
    return shown.rename(columns=headings)


def framework_tables(
    store: Store, code: str, lang: str
) -> tuple[pa.Table, list[tuple[str, pa.Table]]]:
    """A framework's criteria table and, per scale its criteria use, the scale's name and
    levels. For ``ui.shared``: once per data version and language (the open framework's
    tables were a third of the page's run, rebuilt on every visit)."""
    crit = criteria(store, code, lang)
    scales = [
        (
            crit[crit.scale_code == scale_code].scale.iloc[0],
            ui.arrow_table(
                ui.decimal_text(levels_of_scale(store, scale_code, lang), LEVEL_DECIMALS, lang)
            ),
        )
        for scale_code in crit.scale_code.unique()
    ]
    return ui.arrow_table(criteria_table(crit)), scales


LEVEL_DECIMALS = {"normalised": 2}  # written as the language writes decimals


def level_columns() -> dict:
    return {
        "code": st.column_config.TextColumn(t("method.code")),
        "label": st.column_config.TextColumn(t("method.level")),
        "value": st.column_config.NumberColumn(t("method.value")),
        "normalised": st.column_config.TextColumn(t("method.normalised")),
    }


def source_columns(sources: pd.DataFrame) -> dict:
    """The data sources' columns; the files' names only when the viewer may see them."""
    return {
        "kind": st.column_config.TextColumn(t("method.source_kind")),
        "batches": st.column_config.NumberColumn(t("method.batches")),
        "first": st.column_config.DatetimeColumn(t("method.first"), format=datetime_pattern()),
        "last": st.column_config.DatetimeColumn(t("method.last"), format=datetime_pattern()),
        "files": st.column_config.TextColumn(t("method.files"))
        if sources.files.notna().any()
        else None,
    }
