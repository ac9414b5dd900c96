"""An innovation's profile (``/innovation?id=…``): everything known about it, its assessments
and scores against a cohort with the provenance of every score, similar innovations and
matching funding."""

import streamlit as st

from sihub import profile, ui
from sihub.i18n import current_language, t
from sihub.ui import profile as view
from sihub.ui.funding import innovation_calls_section

store = ui.get_store()
record = view.load()
innovation_id = record["id"]
view.back_link()
view.header(record, ui.cached(profile.tags, innovation_id, current_language()))
view.headline(innovation_id)

tabs = st.tabs(
    [
        t("profile.tab.overview"),
        t("profile.tab.scores"),
        t("profile.tab.answers"),
        t("profile.tab.related"),
    ],
    key="profile_tab",
    on_change="rerun",
)
if tabs[0].open:
    with tabs[0]:
        view.overview(record)
if tabs[1].open:
    with tabs[1]:
        view.assessments(innovation_id)
if tabs[2].open:
    with tabs[2]:
        view.developer_answers(innovation_id)
if tabs[3].open:
    with tabs[3]:
        view.similar_innovations(innovation_id)
        innovation_calls_section(innovation_id)
