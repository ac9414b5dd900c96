"""An innovation's profile (``/innovation?id=…``): everything known about it, its assessments
and scores against a cohort with the provenance of every score, similar innovations and
matching funding."""

import streamlit as st

from sihub import ui
from sihub.i18n import current_language, t
from sihub.profile import tags
from sihub.ui import profile
from sihub.ui.funding import innovation_calls_section

store = ui.get_store()
record = profile.load()
innovation_id = record["id"]
profile.back_link()
profile.header(record, ui.cached(tags, innovation_id, current_language()))
profile.headline(innovation_id)

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
        profile.overview(record)
if tabs[1].open:
    with tabs[1]:
        profile.assessments(innovation_id)
if tabs[2].open:
    with tabs[2]:
        profile.developer_answers(innovation_id)
if tabs[3].open:
    with tabs[3]:
        profile.similar_innovations(innovation_id)
        innovation_calls_section(innovation_id)
