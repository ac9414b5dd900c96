"""Overview: the ecosystem at a glance."""

import streamlit as st

from sihub import overview, ui
from sihub.i18n import current_language, format_number, t
from sihub.ui.overview import recent_columns

store = ui.get_store()
lang = current_language()
st.title(t("home.title"))
st.caption(t("home.intro"))
if ui.empty_state(store):
    st.stop()

figures = ui.cached(overview.headline_figures, ui.today())
cols = st.columns(5)
ui.metric(cols[0], t("common.innovations"), format_number(figures["innovations"]))
ui.metric(cols[1], t("home.organisations"), format_number(figures["organisations"]))
ui.metric(
    cols[2],
    t("home.assessed"),
    format_number(figures["assessed"]),
    t("home.assessed_share", share=format_number(100 * (figures["assessed_share"] or 0))),
)
ui.metric(
    cols[3],
    t("home.assessments"),
    format_number(figures["assessments"]),
    t("home.assessors", count=figures["assessors"]),
)
ui.metric(
    cols[4],
    t("home.open_calls"),
    format_number(figures["open_calls"]),
    t("home.open_total", total=format_number(figures["open_total"] or 0)),
)

left, right = st.columns(2)
with left:
    st.subheader(t("home.per_stage"))
    ui.distribution(
        ui.cached(overview.innovations_per_stage, lang),
        "stage",
        t("common.stage"),
        horizontal=False,
        key="per_stage",
    )
with right:
    st.subheader(t("home.recent"))
    st.dataframe(
        ui.cached(overview.recent_activity, lang),
        hide_index=True,
        width="stretch",
        column_config=recent_columns(),
    )

left, right = st.columns(2)
with left:
    st.subheader(t("home.per_theme"))
    ui.distribution(
        ui.cached(overview.innovations_per_theme, lang),
        "theme",
        t("common.theme"),
        key="per_theme",
    )
with right:
    st.subheader(t("home.per_target_group"))
    ui.distribution(
        ui.cached(overview.innovations_per_target_group, lang),
        "target_group",
        t("common.target_group"),
        key="per_target_group",
    )
