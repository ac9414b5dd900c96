"""The lion's den on the room's big screen: the current pitch, how many have scored it, the
result once revealed, and at the end the whole session side by side."""

from sihub import ui
from sihub.i18n import current_language
from sihub.ui import panel_screen

store = ui.get_store()
lang = current_language()
viewer = ui.viewer()
session = panel_screen.screen_session(store)
if session is not None:
    panel_screen.screen(store, viewer, session.id, lang)
