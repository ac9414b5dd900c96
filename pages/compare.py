"""Compare: innovations or groups side by side, criterion by criterion."""

import streamlit as st

from sihub import comparison, ui
from sihub.i18n import current_language, t
from sihub.ui import compare as view

store = ui.get_store()
lang = current_language()
st.title(t("compare.title"))
st.caption(t("compare.intro"))
if ui.empty_state(store):
    st.stop()

selection = view.selection_widgets(store, lang)
view.publish(selection)
if len(selection.keys) < comparison.MIN_ITEMS:
    view.start_here(store, selection)
    st.stop()

cmp = ui.cached(comparison.compare, selection, lang)
if cmp.is_empty:
    st.info(t("compare.nothing_scored"), icon=":material/info:")
    st.stop()
sort, csort, display = view.view_widgets(cmp, lang)
view.publish(selection)

tabs = st.tabs(
    [
        t("compare.tab.heatmap"),
        t("compare.tab.dots"),
        t("compare.tab.agreement"),
        t("compare.tab.rounds"),
        t("compare.tab.self"),
    ]
)
with tabs[0]:
    view.heatmap_section(cmp, sort, csort, display, lang)
    view.columns_table(cmp, sort, display, lang)
    with st.expander(t("compare.radar_title")):
        view.radar_section(cmp, display, lang)
with tabs[1]:
    band = ui.cached(comparison.cohort, selection.framework, selection.basis, selection.shared_only)
    view.dots_section(cmp, band, csort, display, lang)
with tabs[2]:
    view.agreement_section(cmp, display, lang)
with tabs[3]:
    view.rounds_section(store, cmp, display, lang)
with tabs[4]:
    view.self_section(cmp, display, lang)
