"""Widgets of the overview page."""

from __future__ import annotations

import streamlit as st

from sihub.i18n import date_pattern, t


def recent_columns() -> dict:
    return {
        "on_date": st.column_config.DateColumn(t("common.date"), format=date_pattern()),
        "event": st.column_config.TextColumn(t("overview.event")),
        "innovation_id": None,
        "name": st.column_config.TextColumn(t("common.innovation")),
        "detail": st.column_config.TextColumn(t("common.detail")),
    }
