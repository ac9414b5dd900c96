"""Widgets of an innovation's case study (Social Innovation Match's fields), its participants
and its development path (Innokylä's), on the profile."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import streamlit as st

from sihub import exports, sim, ui
from sihub.funding.status import now_in_finland
from sihub.i18n import current_language, date_pattern, t
from sihub.sim import exports as sim_exports
from sihub.text import escape_markdown


def case_study(visibility: str, innovation_id: int) -> None:
    """The case-study fields, then participants and the development path side by side, and
    this innovation's exports for Innokylä and SIM."""
    lang = current_language()
    study = ui.cached(sim.case_study, innovation_id, lang)
    st.subheader(t("sim.section"))
    export_buttons(visibility, [innovation_id], "profile_export", "sim.export.profile_help")
    if study.is_empty:
        st.info(t("sim.no_case_study"), icon=":material/description:")
    for field, texts in study.texts.items():
        for text_lang, text in texts.items():
            st.markdown(f"**{t(f'sim.{field}')}** ({t(f'sim.language.{text_lang}')})")
            st.markdown(escape_markdown(text))
    st.dataframe(_facts(study, lang), hide_index=True, width="stretch", placeholder=ui.EMPTY_CELL)
    left, right = st.columns(2, gap="large")
    with left:
        participants(innovation_id, lang)
    with right:
        development_path(innovation_id)


def _facts(study: sim.CaseStudy, lang: str) -> pd.DataFrame:
    """Each fact with its value, "not recorded" where the hub has none (never left out)."""
    missing = t("sim.not_recorded")
    period = sim.project_period(study.project_start, study.project_end, lang)
    rows = [
        ("countries", ", ".join(study.countries) or None),
        ("level_of_action", study.level_of_action),
        ("initiative_type", study.initiative_type),
        ("funding_source", study.funding_source),
        ("budget", study.budget),
        ("programming_period", study.programming_period),
        ("project_period", period),
    ]
    return pd.DataFrame(
        [(t(f"sim.{key}"), value or missing) for key, value in rows],
        columns=[t("profile.fact"), t("profile.value")],
    )


def participants(innovation_id: int, lang: str) -> None:
    st.subheader(t("sim.participants"))
    found = ui.cached(sim.participants, innovation_id, lang)
    if found.empty:
        st.caption(t("profile.no_organisations"))
        return
    shown = found[["organisation", "role", "country"]].fillna(t("sim.not_recorded"))
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={c: st.column_config.TextColumn(t(f"sim.participant.{c}")) for c in shown},
        placeholder=ui.EMPTY_CELL,
    )


def development_path(innovation_id: int) -> None:
    st.subheader(t("sim.development_path"))
    steps = ui.cached(sim.development_path, innovation_id)
    if steps.empty:
        st.caption(t("sim.no_development_path"))
        return
    st.dataframe(
        steps,
        hide_index=True,
        width="stretch",
        column_config={
            "step_on": st.column_config.DateColumn(t("sim.step.step_on"), format=date_pattern()),
            "step": st.column_config.TextColumn(t("sim.step.step")),
            "description": st.column_config.TextColumn(t("sim.step.description")),
        },
        placeholder=ui.EMPTY_CELL,
    )


def export_buttons(
    visibility: str, innovation_ids: Iterable[int], key: str, help_key: str | None = None
) -> None:
    """The exports for Innokylä and SIM of exactly ``innovation_ids`` (the rows shown): a zip
    of a workbook and a JSON file per innovation, built when a button is pressed."""
    store, lang = ui.get_store(), current_language()
    innovation_ids = np.asarray(innovation_ids, dtype=np.int64).tolist()  # 10,000 at C speed
    demo = ui.cached(exports.is_demo)
    left, right = st.columns(2)
    for column, target in ((left, sim_exports.INNOKYLA), (right, sim_exports.SIM)):
        now = now_in_finland()
        stem = f"sihub-{target}-{now.strftime('%Y%m%d-%H%M')}"
        workbook = exports.demo_file_name(f"{stem}.xlsx") if demo else f"{stem}.xlsx"

        def make(target: str = target, now=now, workbook: str = workbook) -> bytes:
            found = sim_exports.export_for(store, visibility, target, innovation_ids, lang, now)
            return found.zip_bytes(workbook)

        column.download_button(
            t(f"sim.export.{target}"),
            make,
            file_name=exports.demo_file_name(f"{stem}.zip") if demo else f"{stem}.zip",
            mime="application/zip",
            icon=":material/ios_share:",
            key=f"{key}_{target}",
            help=t(help_key or f"sim.export.help_{target}"),
            on_click="ignore",
            disabled=not innovation_ids,
            width="stretch",
        )
