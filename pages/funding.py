"""Funding opportunities: the catalogue of calls, their deadlines, and explainable matches."""

import streamlit as st

from sihub import ui
from sihub.funding.catalogue import call_count, calls, left_out_without_amount
from sihub.funding.export import export_about, export_frame
from sihub.i18n import current_language, t
from sihub.ui import funding
from sihub.ui.downloads import csv_and_excel

ui.get_store()  # first, so that a deep link runs through the frame (ui._ensure_frame)
viewer = ui.viewer()
visibility = viewer.visibility
lang = current_language()
today = ui.today()
st.title(t("funding.title"))
st.caption(t("funding.intro", date=today))
total = ui.cached(call_count)
if not total:  # only staff can import calls; others are told who adds them
    empty = "funding.empty" if viewer.may("import") else "funding.empty_visitor"
    st.info(t(empty), icon=":material/inbox:")
    ui.link("importing", t("funding.to_import"), ":material/upload_file:")
    st.stop()

tab_labels = [t("funding.tab_calls"), t("funding.tab_innovation")]
calls_tab, innovation_tab = st.tabs(  # only the open tab is computed
    tab_labels,
    default=tab_labels[1] if st.query_params.get("innovation") else None,
    key="funding_tab",
    on_change="rerun",
)
if calls_tab.open:
    with calls_tab:
        call_filter = funding.call_filter(lang)
        df = ui.shared(calls, visibility, today, lang, call_filter)  # read only
        st.caption(t("funding.shown", shown=len(df), total=total))
        left_out = ui.cached(left_out_without_amount, call_filter, today)
        if left_out:
            st.caption(t("funding.left_out_amount", count=left_out))
        if df.empty:
            st.info(t("funding.no_calls_match"), icon=":material/filter_alt_off:")
        else:
            st.subheader(t("funding.timeline.title"))
            figure, sentence, table = ui.shared(
                funding.timeline, visibility, today, lang, call_filter
            )
            ui.chart_with_words(figure, sentence, table, key="timeline")
            st.subheader(t("funding.catalogue"))
            funding.call_table(*ui.shared(funding.call_rows, today, lang, call_filter, visibility))
            # The Excel sheet is named as the template's Funding sheet: an edited list imports back.
            csv_and_excel(
                lambda: export_frame(df, lang, funding.score_scale()),  # built when clicked
                t("file.funding_calls"),
                sheet=t("sheet.Funding"),
                about=lambda rows: export_about(call_filter, today, len(rows), lang),
                key="funding_calls",
            )
            ui.link("importing", t("funding.add_or_update"), ":material/upload_file:")
        st.divider()
        call_id = funding.pick_call(df)
        if call_id is not None and funding.call_details(visibility, call_id, today):
            funding.call_matches(visibility, call_id, today)

if innovation_tab.open:
    with innovation_tab:
        innovation_id = funding.pick_innovation()
        if innovation_id is not None:
            funding.innovation_calls_section(visibility, innovation_id, today)
