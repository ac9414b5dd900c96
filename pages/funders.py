"""Funders: rank assessed innovations by your own priorities, shortlist, take a briefing pack."""

import streamlit as st

from sihub import ui
from sihub.errors import SihubError
from sihub.i18n import current_language, t
from sihub.ui import funders

store = ui.get_store()
lang = current_language()
st.title(t("funders.title"))
st.caption(t("funders.intro"))
st.info(t("funders.not_endorsement"), icon=":material/balance:")
if ui.empty_state(store):
    st.stop()

viewer = ui.viewer()
with st.sidebar:
    st.header(t("funders.priorities"))
    spec = funders.spec_widgets(viewer.visibility, lang)
try:
    result = ui.shared(funders.ranked, viewer.visibility, spec, lang)
    shown = ui.shared(funders.shown_ranking, viewer.visibility, spec, lang, funders.SHOWN_ROWS)
except SihubError as e:
    ui.show_error(e)
    funders.publish(spec)
    st.stop()

st.subheader(t("funders.ranked"))
funders.ranking_summary(result, shown, lang)
ui.rests_on(result.visibility)
funders.ranking_table(result, shown, lang)
st.subheader(t("funders.shortlist_title"))
funders.shortlist_section(store, viewer, result, shown, lang)
funders.publish(spec)
