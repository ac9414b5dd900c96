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
sections = {
    "where": lambda: ecosystem.where_section(viewer.visibility, lang),
    "who": lambda: ecosystem.who_section(lang),
    "what": lambda: ecosystem.what_section(viewer.visibility, lang),
    "pipeline": lambda: ecosystem.pipeline_section(viewer.visibility, lang),
    "money": lambda: ecosystem.money_section(lang, today),
}
if viewer.may("data_quality"):
    sections["quality"] = lambda: ecosystem.quality_section(viewer.visibility, lang, today)
for code, tab in ecosystem.section_tabs(tuple(sections)).items():
    if tab.open:  # only the open tab is computed
        with tab:
            sections[code]()
