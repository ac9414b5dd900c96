"""SI Hub: the frame. Page config, language, who is looking, navigation by role and the demo
and local-mode notices; then the page, if the viewer's role may open it."""

import streamlit as st

from sihub import nodelay, ui
from sihub.i18n import t
from sihub.ui import access
from sihub.ui.importing import apply_upload_limit

nodelay.switch_off_nagle()  # each run's messages go out at once, not after a delayed ACK
st.set_page_config(page_title="SI Hub", page_icon=":material/hub:", layout="wide")
lang = ui.choose_language()
apply_upload_limit()  # the server refuses an upload the page would refuse
viewer = ui.frame_viewer()  # from the signed identity alone (sihub.access.settings)
page = st.navigation(ui.navigation_pages(viewer), position="sidebar" if viewer else "hidden")
ui.language_switch(lang)
if viewer is None:  # sign-in is required and nobody has signed in: nothing else runs
    access.sign_in_page()
    st.stop()
store = ui.frame_store()
with st.sidebar:
    st.caption(t("app.tagline"))
access.who_is_looking(viewer)
ui.demo_notice(store)
access.local_badge(viewer)
declared = ui.page_for(page)
if not declared.open_to(viewer.role):  # a direct address of another role's page: run none of it
    access.needs_role(declared, viewer)
    st.stop()
page.run()
