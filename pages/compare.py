"""Compare: innovations or groups side by side, criterion by criterion."""

import streamlit as st

from sihub import compare, ui
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
if len(selection.keys) < compare.MIN_ITEMS:
    view.start_here(selection)
    st.stop()

cmp = ui.cached(compare.compare, selection, lang)
if cmp.is_empty:
    st.info(t("compare.nothing_scored"), icon=":material/info:")
    st.stop()
sort, csort, display = view.view_widgets(cmp, lang)
tabs = view.view_tabs(lang)  # only the open tab is computed
view.publish(selection)

if tabs["heatmap"].open:
    with tabs["heatmap"]:
        view.heatmap_section(cmp, sort, csort, display, lang)
        view.columns_table(cmp, sort, display, lang)
        view.download(cmp, sort, csort, lang)
        with st.expander(t("compare.radar_title")):
            view.radar_section(cmp, display, lang)
if tabs["dots"].open:
    band = ui.cached(compare.cohort, selection.framework, selection.basis, selection.shared_only)
    with tabs["dots"]:
        view.dots_section(cmp, band, csort, display, lang)
if tabs["agreement"].open:
    with tabs["agreement"]:
        view.agreement_section(cmp, display, lang)
if tabs["rounds"].open:
    with tabs["rounds"]:
        view.rounds_section(cmp, display, lang)
if tabs["self"].open:
    with tabs["self"]:
        view.self_section(cmp, display, lang)
