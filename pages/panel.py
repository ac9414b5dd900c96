"""The lion's den on a member's phone: join, then score the current pitch."""

import streamlit as st

from sihub import ui
from sihub.i18n import current_language, t
from sihub.panel.sessions import load_session
from sihub.ui import panel_member

store = ui.get_store()
lang = current_language()
viewer = ui.viewer()
st.title(t("panel.member_title"))
member = panel_member.current_member(store, viewer)
if member is None:
    panel_member.join_form(store, viewer)
else:
    panel_member.member_view(store, load_session(store, member.session_id), member, lang)
