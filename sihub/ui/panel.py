"""Widgets of the lion's den: staff's control view, a member's phone view, the room's screen.

Every action writes the store at once (``sihub.panel``); what a view shows is read from the
store on each run, never kept in the session, so a reload, a phone waking up or an app restart
finds the session where it was. Views that others move on (the phone, the screen) look again
every few seconds in a small fragment.
"""

from __future__ import annotations

import streamlit as st

from sihub.access import Viewer
from sihub.errors import SihubError
from sihub.i18n import format_date, t
from sihub.panel import results
from sihub.text import escape_markdown
from sihub.ui.frame import get_store, note_write, show_error, t_escaped

SCREEN_EVERY_S = 1.0  # the room sees a new score within this (the issue asks for 2 s)
PHONE_EVERY_S = 2.0  # a phone notices that staff moved on within this
MEMBER_PARAM, CODE_PARAM, SESSION_PARAM = "member", "code", "session"


def act(store, action, *args, **kwargs) -> bool:
    """Run a panel write; its error, if any, shown the one way. True when it was saved."""
    try:
        action(store, *args, **kwargs)
    except SihubError as e:
        show_error(e)
        return False
    note_write(store)
    return True


def int_param(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def panel_ratings_section(viewer: Viewer, innovation_id: int, lang: str) -> None:
    """On a profile: how each panel the viewer may see rated the innovation (its own members
    see an unshared session's result here; nothing is shown to others)."""
    store = get_store()
    found = results.innovation_results(store, viewer, innovation_id, lang)
    if not found:
        return
    st.subheader(t("panel.on_profile"))
    for session, result in found:
        shape = results.scale_shape(store, session.framework_code, lang)
        st.markdown(
            t_escaped(
                "panel.on_profile_line",
                session=session.name,
                day=format_date(session.held_on, lang),
                result=shape.written(result.mean, lang),
                n=result.members,
            )
        )
        st.caption(t("panel.shared_note" if session.shared else "panel.unshared_note"))
        st.markdown(escape_markdown(results.summary_sentence(result, shape, lang)))
