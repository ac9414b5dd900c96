"""Method: the assessment frameworks, their criteria and scales, the stages, the data sources."""

import streamlit as st

from sihub import ui
from sihub.i18n import current_language, t
from sihub.method import data_sources, frameworks, stages
from sihub.text import escape_markdown
from sihub.ui import method

store = ui.get_store()
lang = current_language()
st.title(t("method.title"))
st.markdown(t("method.intro"))

st.header(t("method.frameworks"))
viewer = ui.viewer()
for fw in ui.cached(frameworks, viewer.visibility, lang).itertuples():
    # drawn when opened (each framework's criteria and scales are a handful of tables)
    shown = st.expander(
        escape_markdown(fw.name),
        expanded=bool(fw.provisional),
        key=f"method_fw.{fw.code}",
        on_change="rerun",
    )
    if not shown.open:
        continue
    with shown:
        if fw.provisional:
            st.badge(t("method.provisional"), icon=":material/construction:", color="orange")
            st.caption(t("method.provisional_help"))
        st.markdown(escape_markdown(fw.description))
        st.caption(
            ui.t_escaped(
                "method.framework_facts",
                version=fw.version or "–",
                criteria=fw.criteria,
                assessments=fw.assessments,
            )
        )
        if fw.source_url:
            st.link_button(t("method.source"), fw.source_url, icon=":material/open_in_new:")
        criteria_table, scales = ui.shared(method.framework_tables, fw.code, lang)
        st.table(criteria_table, hide_index=True)
        for scale, levels in scales:
            st.markdown(f"**{escape_markdown(scale)}**")
            st.dataframe(
                levels,
                hide_index=True,
                column_config=method.level_columns(),
                placeholder=ui.EMPTY_CELL,
            )

st.header(t("method.scores"))
st.markdown(t("method.scores_body"))

st.header(t("method.stages"))
st.dataframe(
    ui.cached(stages, lang),
    hide_index=True,
    width="stretch",
    column_config={"code": None, "name": t("common.stage"), "description": t("common.description")},
    placeholder=ui.EMPTY_CELL,
)

st.header(t("method.sources"))
st.markdown(t("method.sources_body"))
sources = ui.cached(data_sources, viewer.visibility, lang)
if sources.empty:
    st.info(t("method.no_sources"))
else:
    st.dataframe(
        sources,
        hide_index=True,
        width="stretch",
        column_config=method.source_columns(sources),
        placeholder=ui.EMPTY_CELL,
    )
