"""SI Hub: the frame. Page config, language, navigation and the demo notice; then the page."""

import streamlit as st

from sihub import ui
from sihub.i18n import t
from sihub.ui.importing import apply_upload_limit

st.set_page_config(page_title="SI Hub", page_icon=":material/hub:", layout="wide")
lang = ui.choose_language()
apply_upload_limit()  # the server refuses an upload the page would refuse
page = st.navigation(ui.navigation_pages())
store = ui.frame_store()
with st.sidebar:
    st.caption(t("app.tagline"))
ui.language_switch(lang)
ui.demo_notice(store)
page.run()
