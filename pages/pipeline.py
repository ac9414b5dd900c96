"""Pipeline explorer: facets, search and score filters over every innovation; the selection
lives in the URL, so any view can be shared, reloaded and exported."""

import streamlit as st

from sihub import pipeline, ui
from sihub.i18n import current_language, t
from sihub.ui import pipeline as explorer

store = ui.get_store()
lang = current_language()
st.title(t("pipeline.title"))
st.caption(t("pipeline.intro"))
if ui.empty_state(store):
    st.stop()

f, sort = explorer.current_selection()
options = ui.cached(pipeline.facet_options, f, lang)
explorer.search_bar(f, sort)
with st.container(border=True):
    explorer.facet_widgets(f, options)

rows = ui.cached(pipeline.results, f, lang, sort)
summary, downloads = st.columns([3, 2], vertical_alignment="center")
with summary:
    explorer.selection_summary(f, options)
with downloads:
    explorer.export_buttons(store, f, rows)
table_tab, picture_tab = st.tabs(
    [t("pipeline.tab_table"), t("pipeline.tab_picture")], key="pipe_tab", on_change="rerun"
)
if table_tab.open:
    with table_tab:
        explorer.results_table(rows, lang)
if picture_tab.open:
    with picture_tab:
        explorer.pipeline_picture(f)
