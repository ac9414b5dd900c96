"""The lion's den, staff's control view: the session, its pitches and members, next / close /
reveal / reopen, the join link and the session's workbook."""

import streamlit as st

from sihub import ui
from sihub.i18n import current_language, t
from sihub.panel.sessions import load_session
from sihub.ui import panel_control

store = ui.get_store()
lang = current_language()
viewer = ui.viewer()
st.title(t("panel.control_title"))
st.caption(t("panel.control_intro"))
session_id = panel_control.session_picker(store, viewer, lang)
if session_id is not None:
    session = load_session(store, session_id)
    panel_control.share_links(session)
    panel_control.controls(store, session)
    panel_control.setup(store, session)
    panel_control.export_button(store, viewer, session, lang)
