"""Compare: innovations or groups side by side, criterion by criterion."""

import streamlit as st

from sihub import ui
from sihub.compare.queries import cohort, comparison_of
from sihub.compare.selection import MIN_ITEMS
from sihub.i18n import current_language, t
from sihub.ui import compare

store = ui.get_store()
lang = current_language()
st.title(t("compare.title"))
st.caption(t("compare.intro"))
if ui.empty_state(store):
    st.stop()

viewer = ui.viewer()
sight = ui.sight(viewer)  # the viewer's visibility, and a panel member's unshared ratings
selection = compare.selection_widgets(viewer, sight, lang)
compare.publish(selection)
if len(selection.keys) < MIN_ITEMS:
    compare.start_here(sight, selection)
    st.stop()

# keyed on the sight as the selection narrows it, as the heatmap's parts ask for it
comparison = ui.shared(comparison_of, selection.visibility_for(sight), selection, lang)
ui.rests_on(comparison.sight)
if comparison.is_empty:
    st.info(t("compare.nothing_scored"), icon=":material/info:")
    st.stop()
sort, csort, display = compare.view_widgets(comparison, lang)
tabs = compare.view_tabs(lang)  # only the open tab is computed
compare.publish(selection)

if tabs["heatmap"].open:
    with tabs["heatmap"]:
        compare.heatmap_section(comparison, sort, csort, display, lang)
        compare.columns_table(comparison, sort, display, lang)
        compare.download(comparison, sort, csort, lang)
        radar = st.expander(t("compare.radar_title"), key="cmp_radar_open", on_change="rerun")
        if radar.open:  # drawn when opened, not for every visitor
            with radar:
                compare.radar_section(comparison, display, lang)
if tabs["dots"].open:
    band = ui.cached(cohort, comparison.sight, selection.framework, selection.basis)
    with tabs["dots"]:
        compare.dots_section(comparison, band, csort, display, lang)
if tabs["agreement"].open:
    with tabs["agreement"]:
        compare.agreement_section(comparison, display, lang)
if tabs["rounds"].open:
    with tabs["rounds"]:
        compare.rounds_section(comparison, display, lang)
if tabs["self"].open:
    with tabs["self"]:
        compare.self_section(comparison, display, lang)
