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

where, who, what, pipeline, money, quality = st.tabs(
    [
        t("ecosystem.tab.where"),
        t("ecosystem.tab.who"),
        t("ecosystem.tab.what"),
        t("ecosystem.tab.pipeline"),
        t("ecosystem.tab.money"),
        t("ecosystem.tab.quality"),
    ]
)
with where:
    ecosystem.where_section(lang)
with who:
    ecosystem.who_section(lang)
with what:
    ecosystem.what_section(lang)
with pipeline:
    ecosystem.pipeline_section(lang)
with money:
    ecosystem.money_section(lang, today)
with quality:
    ecosystem.quality_section(lang, today)
