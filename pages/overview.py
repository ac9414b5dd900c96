"""Overview: the ecosystem at a glance."""

import streamlit as st

from sihub import ui
from sihub.i18n import current_language, format_number, format_share, t
from sihub.overview import (
    headline_figures,
    innovations_per_stage,
    innovations_per_target_group,
    innovations_per_theme,
    open_calls_note,
    recent_activity,
)
from sihub.ui import overview

store = ui.get_store()
lang = current_language()
st.title(t("overview.title"))
st.caption(t("overview.intro"))
if ui.empty_state(store):
    st.stop()

visibility = ui.viewer().visibility
figures = ui.cached(headline_figures, visibility, ui.today())
cols = st.columns(5)
ui.metric(cols[0], t("common.innovations"), format_number(figures["innovations"]))
ui.metric(cols[1], t("overview.organisations"), format_number(figures["organisations"]))
ui.metric(
    cols[2],
    t("overview.assessed"),
    format_number(figures["assessed"]),
    t("overview.assessed_share", share=format_share(figures["assessed_share"] or 0)),
)
ui.metric(
    cols[3],
    t("overview.assessments"),
    format_number(figures["assessments"]),
    t("overview.assessors", count=figures["assessors"]),
)
ui.metric(
    cols[4],
    t("overview.open_calls"),
    format_number(figures["open_calls"]),
    open_calls_note(figures, lang),
)

ui.rests_on(visibility)  # the assessments counted above and listed under recent activity

left, right = st.columns(2)
with left:
    st.subheader(t("overview.per_stage"))
    ui.distribution(
        innovations_per_stage,
        (lang,),
        "stage",
        t("common.stage"),
        horizontal=False,
        key="per_stage",
    )
with right:
    st.subheader(t("overview.recent"))
    recent, _ = ui.sent_table(ui.shared(recent_activity, visibility, lang))
    st.dataframe(
        recent,
        hide_index=True,
        width="stretch",
        column_config=overview.recent_columns(),
        placeholder=ui.EMPTY_CELL,
    )

left, right = st.columns(2)
with left:
    st.subheader(t("overview.per_theme"))
    ui.distribution(
        innovations_per_theme,
        (lang,),
        "theme",
        t("common.theme"),
        key="per_theme",
    )
with right:
    st.subheader(t("overview.per_target_group"))
    ui.distribution(
        innovations_per_target_group,
        (lang,),
        "target_group",
        t("common.target_group"),
        key="per_target_group",
    )
