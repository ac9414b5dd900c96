"""Pipeline explorer: facets, search and score filters over every innovation; the selection
lives in the URL, so any view can be shared, reloaded and exported."""

import streamlit as st

from sihub import ui
from sihub.i18n import current_language, t
from sihub.pipeline import facet_options, results
from sihub.ui import pipeline
from sihub.ui.sim import export_buttons

store = ui.get_store()
lang = current_language()
st.title(t("pipeline.title"))
st.caption(t("pipeline.intro"))
if ui.empty_state(store):
    st.stop()

visibility = ui.viewer().visibility
selection, sort = pipeline.current_selection(visibility)
options = ui.shared(facet_options, visibility, selection, lang)  # read, never changed
pipeline.search_bar(selection, sort)
with st.container(border=True):
    pipeline.facet_widgets(visibility, selection, options)

rows = ui.shared(results, visibility, selection, lang, sort)
summary, downloads = st.columns(2, vertical_alignment="center")  # room for "Export för Innokylä"
with summary:
    pipeline.selection_summary(selection, options)
with downloads:
    pipeline.export_buttons(store, visibility, selection, sort, rows)
    export_buttons(visibility, rows.id, "pipeline_export")
table_tab, picture_tab = st.tabs(
    [t("pipeline.tab_table"), t("pipeline.tab_picture")], key="pipe_tab", on_change="rerun"
)
if table_tab.open:
    with table_tab:
        shown = ui.shared(pipeline.shown_results, visibility, selection, lang, sort)
        pipeline.results_table(rows, shown)
        ui.rests_on(visibility)
if picture_tab.open:
    with picture_tab:
        pipeline.pipeline_picture(visibility, selection)
