"""Staff's control view of the lion's den (``sihub.ui.panel`` has what the views share)."""

from __future__ import annotations

import streamlit as st

from sihub.access import Viewer
from sihub.i18n import format_date, t
from sihub.panel import export, links, scoring, sessions
from sihub.panel.sessions import CLOSED, OPEN, REVEALED, WAITING, PanelSession
from sihub.text import escape_markdown
from sihub.ui.downloads import workbook_button
from sihub.ui.frame import note_write, t_escaped, today
from sihub.ui.frame import viewer as current_viewer
from sihub.ui.panel import (
    SESSION_PARAM,
    act,
    int_param,
)

# The session whose pitch this visit added last: its pitch list stays open. Streamlit draws an
# expander anew, collapsed, when its label changes, and "Pitches (n)" changes with every pitch.
PITCH_ADDED = "panel_pitch_added"


def _staff(store, action, *args) -> bool:
    """A change of the session by this run's viewer (the library checks that they are staff)."""
    return act(store, action, *args, by=current_viewer())


# The day as a date field writes it (Streamlit's own is 2026/06/01): 01.06.2026 in fi and sv
DATE_INPUT = {"fi": "DD.MM.YYYY", "sv": "DD.MM.YYYY", "en": "YYYY-MM-DD"}


def session_picker(store, viewer: Viewer, lang: str) -> int | None:
    """The session staff work on (the address keeps it), or a new one."""
    listed = sessions.list_sessions(store)
    with st.expander(t("panel.new_session"), expanded=not listed):
        _new_session_form(store, viewer, lang)
    listed = sessions.list_sessions(store)
    if not listed:
        st.info(t("panel.no_sessions"))
        return None
    ids = [s["id"] for s in listed]
    names = {s["id"]: f"{s['name']} ({format_date(s['held_on'], lang)})" for s in listed}
    wanted = int_param(st.query_params.get(SESSION_PARAM))
    chosen = st.selectbox(
        t("panel.session"),
        ids,
        index=ids.index(wanted) if wanted in ids else 0,
        format_func=names.get,
        key="panel_session",
    )
    st.query_params[SESSION_PARAM] = str(chosen)
    return chosen


def _new_session_form(store, viewer: Viewer, lang: str) -> None:
    frameworks = dict(links.framework_choices(store, lang))
    with st.form("panel_new_session", clear_on_submit=True):
        name = st.text_input(t("panel.session_name"), key="panel_new_name")
        held_on = st.date_input(
            t("panel.held_on"), value=today(), format=DATE_INPUT[lang], key="panel_new_date"
        )
        framework = st.selectbox(
            t("panel.framework"), list(frameworks), format_func=frameworks.get, key="panel_fw"
        )
        if st.form_submit_button(t("panel.create"), type="primary") and name.strip():
            created = sessions.create_session(store, name, held_on, framework, by=viewer)
            st.query_params[SESSION_PARAM] = str(created)
            note_write(store)


def setup(store, session: PanelSession) -> None:
    """Pitches (from the hub or new), members, and whether other funders see the session."""
    left, right = st.columns(2)
    pitches_open = session.current is None or st.session_state.get(PITCH_ADDED) == session.id
    with left, st.expander(t("panel.pitches", n=len(session.pitches)), expanded=pitches_open):
        _pitch_list(session)
        _add_pitch_forms(store, session)
    with right, st.expander(t("panel.members", n=len(sessions.members(store, session.id)))):
        _member_list(store, session)
    shared = st.toggle(
        t("panel.shared"), value=session.shared, help=t("panel.shared_help"), key="panel_shared"
    )
    if shared != session.shared and _staff(store, sessions.set_shared, session.id, shared):
        st.rerun()


def _pitch_list(session: PanelSession) -> None:
    for p in session.pitches:
        who = f" – {escape_markdown(p.organisation)}" if p.organisation else ""
        st.markdown(f"{p.position}. {escape_markdown(p.name)}{who} · {t(f'panel.state.{p.state}')}")


def _add_pitch_forms(store, session: PanelSession) -> None:
    choices = dict(links.innovation_choices(store))
    with st.form("panel_add_existing", clear_on_submit=True):
        picked = st.selectbox(
            t("panel.pitch_from_hub"),
            list(choices),
            index=None,
            format_func=choices.get,
            key="panel_pick_innovation",
            placeholder=t("panel.pick_innovation"),  # Streamlit's own is English
        )
        if st.form_submit_button(t("panel.add_pitch")) and picked is not None:
            _added(_staff(store, sessions.add_pitch, session.id, picked), session)
    with st.form("panel_add_new", clear_on_submit=True):
        name = st.text_input(t("panel.new_pitch_name"), key="panel_new_pitch")
        org = st.text_input(t("panel.new_pitch_org"), key="panel_new_org")
        if st.form_submit_button(t("panel.add_new_pitch")) and name.strip():
            _added(
                _staff(store, sessions.add_new_pitch, session.id, name, org),
                session,
            )


def _added(saved: bool, session: PanelSession) -> None:
    """After a pitch is added, show it in the list, kept open for the next one."""
    if saved:
        st.session_state[PITCH_ADDED] = session.id
        st.rerun()


def _member_list(store, session: PanelSession) -> None:
    for m in sessions.members(store, session.id):
        st.markdown(
            f"- {escape_markdown(m.name)}"
            + (f" ({escape_markdown(m.identity)})" if m.identity else "")
        )
    with st.form("panel_add_member", clear_on_submit=True):
        name = st.text_input(t("panel.member_name"), key="panel_member_name")
        identity = st.text_input(t("panel.member_identity"), key="panel_member_identity")
        if st.form_submit_button(t("panel.add_member")) and name.strip():
            act(store, sessions.add_member, session.id, name, identity.strip() or None)
            st.rerun()


def controls(store, session: PanelSession) -> None:
    """Next, close, reveal, reopen: the moves the current state allows."""
    current = session.current
    st.subheader(_where_it_is(session))
    if current is not None:
        counted = scoring.scored_count(store, session.id, current.position)
        members = len(sessions.members(store, session.id))
        st.metric(t("panel.scored"), f"{counted} / {members}")
    cols = st.columns(4)
    waiting = any(p.state == WAITING for p in session.pitches)
    if cols[0].button(t("panel.next"), type="primary", disabled=not waiting, key="panel_next"):
        _staff(store, sessions.next_pitch, session.id) and st.rerun()
    is_open = current is not None and current.state == OPEN
    if cols[1].button(t("panel.close"), disabled=not is_open, key="panel_close"):
        _staff(store, sessions.close_pitch, session.id, current.position) and st.rerun()
    showable = current is not None and current.state in (OPEN, CLOSED)
    if cols[2].button(t("panel.reveal"), disabled=not showable, key="panel_reveal"):
        _staff(store, sessions.reveal_pitch, session.id, current.position) and st.rerun()
    _reopen(store, session, cols[3])


def _where_it_is(session: PanelSession) -> str:
    """The pitch now open, or what staff do first (add pitches, then open the first)."""
    if session.current is not None:
        return t("panel.now", name=session.current.name)
    return t("panel.not_started" if session.pitches else "panel.add_pitches_first")


def _reopen(store, session: PanelSession, column) -> None:
    done = [p.position for p in session.pitches if p.state in (CLOSED, REVEALED)]
    with column.popover(t("panel.reopen"), disabled=not done):
        names = {p.position: f"{p.position}. {p.name}" for p in session.pitches}
        chosen = st.selectbox(
            t("panel.reopen_which"), done, format_func=names.get, key="panel_reopen_pick"
        )
        if st.button(t("panel.reopen"), key="panel_reopen") and chosen is not None:
            _staff(store, sessions.reopen_pitch, session.id, chosen) and st.rerun()


def share_links(session: PanelSession) -> None:
    """Where members join and where the room's screen is."""
    link = links.join_link(st.context.url, session.join_code)
    st.markdown(t_escaped("panel.join_at", link=link, code=session.join_code))
    st.page_link(
        "pages/panel_screen.py",
        label=t("panel.open_screen"),
        icon=":material/tv:",
        query_params={SESSION_PARAM: str(session.id)},
    )


def export_button(store, viewer: Viewer, session: PanelSession, lang: str) -> None:
    workbook_button(
        t("panel.export_button"),
        lambda: export.session_workbook(store, viewer, session, lang),
        t("file.panel", day=str(session.held_on or session.id)) + ".xlsx",
        key="panel_export",
    )
