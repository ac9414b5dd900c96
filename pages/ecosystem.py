"""Ecosystem statistics: where innovations come from, who develops them, what they address,
how the pipeline moves, where the money goes, and how complete the data is."""

import streamlit as st

from sihub import ui
from sihub.i18n import current_language, t
from sihub.ui import ecosystem

store = ui.get_store()
lang = current_language()
today = ui.today()
st.title(t("ecosystem.title"))
st.caption(t("ecosystem.intro"))
if ui.empty_state(store):
    st.stop()

viewer = ui.viewer()
ui.rests_on(viewer.visibility)  # the counts and means of assessments below
shown = ["where", "who", "what", "pipeline", "money"]
if viewer.may("data_quality"):
    shown.append("quality")
tabs = dict(zip(shown, st.tabs([t(f"ecosystem.tab.{s}") for s in shown]), strict=True))
with tabs["where"]:
    ecosystem.where_section(viewer.visibility, lang)
with tabs["who"]:
    ecosystem.who_section(lang)
with tabs["what"]:
    ecosystem.what_section(viewer.visibility, lang)
with tabs["pipeline"]:
    ecosystem.pipeline_section(viewer.visibility, lang)
with tabs["money"]:
    ecosystem.money_section(lang, today)
if "quality" in tabs:
    with tabs["quality"]:
        ecosystem.quality_section(viewer.visibility, lang, today)
