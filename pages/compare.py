"""Compare: innovations or groups side by side, criterion by criterion."""

import streamlit as st

from sihub import ui
from sihub.compare.queries import cohort, comparison_of
from sihub.compare.selection import MIN_ITEMS
from sihub.i18n import current_language, t
from sihub.ui import compare as view

store = ui.get_store()
lang = current_language()
st.title(t("compare.title"))
st.caption(t("compare.intro"))
if ui.empty_state(store):
    st.stop()

selection = view.selection_widgets(lang)
view.publish(selection)
if len(selection.keys) < MIN_ITEMS:
    view.start_here(selection)
    st.stop()

comparison = ui.cached(comparison_of, selection, lang)
if comparison.is_empty:
    st.info(t("compare.nothing_scored"), icon=":material/info:")
    st.stop()
sort, csort, display = view.view_widgets(comparison, lang)
tabs = view.view_tabs(lang)  # only the open tab is computed
view.publish(selection)

if tabs["heatmap"].open:
    with tabs["heatmap"]:
        view.heatmap_section(comparison, sort, csort, display, lang)
        view.columns_table(comparison, sort, display, lang)
        view.download(comparison, sort, csort, lang)
        with st.expander(t("compare.radar_title")):
            view.radar_section(comparison, display, lang)
if tabs["dots"].open:
    band = ui.cached(cohort, selection.framework, selection.basis, selection.shared_only)
    with tabs["dots"]:
        view.dots_section(comparison, band, csort, display, lang)
if tabs["agreement"].open:
    with tabs["agreement"]:
        view.agreement_section(comparison, display, lang)
if tabs["rounds"].open:
    with tabs["rounds"]:
        view.rounds_section(comparison, display, lang)
if tabs["self"].open:
    with tabs["self"]:
        view.self_section(comparison, display, lang)
