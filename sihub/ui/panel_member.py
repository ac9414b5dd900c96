"""A panel member's phone view of the lion's den: join, score, see it saved."""

from __future__ import annotations

import streamlit as st

from sihub.access import Viewer
from sihub.errors import SihubError
from sihub.i18n import format_time, t
from sihub.panel import scoring, sessions
from sihub.panel.sessions import OPEN, Member, PanelSession
from sihub.text import escape_markdown
from sihub.ui.frame import note_write, show_error, sign_in_configured, t_escaped
from sihub.ui.panel import (
    CODE_PARAM,
    MEMBER_PARAM,
    PHONE_EVERY_S,
)

# Level buttons a thumb hits: 48 px high (the usual touch target), their digits large.
TOUCH_STYLE = (
    "<style>[class*='st-key-panel_score_'] [role='radio']"
    " {min-height: 48px; font-size: 1.25rem;}</style>"
)


def current_member(store, viewer: Viewer) -> Member | None:
    """The member this phone is: its address's token (how a reload finds them), or the
    signed-in identity in the session the code names."""
    member = sessions.member_by_token(store, st.query_params.get(MEMBER_PARAM))
    code = st.query_params.get(CODE_PARAM)
    if member is None and code and sign_in_configured() and viewer.identity:
        try:
            session = sessions.session_by_code(store, code)
        except SihubError:
            return None
        member = sessions.member_by_identity(store, session.id, viewer.identity)
    return member


def join_form(store, viewer: Viewer) -> None:
    """Join a session: signed in as a funder where sign-in is configured, otherwise by the
    session's join code and a name."""
    signed_in = sign_in_configured()
    if signed_in and not viewer.at_least("funder"):
        st.info(t("panel.sign_in_as_funder"))
        return
    with st.form("panel_join"):
        code = st.text_input(
            t("panel.join_code"), value=st.query_params.get(CODE_PARAM, ""), key="panel_join_code"
        )
        name = viewer.name or viewer.identity if signed_in else None
        if not signed_in:
            name = st.text_input(t("panel.your_name"), key="panel_join_name")
        if st.form_submit_button(t("panel.join"), type="primary", width="stretch"):
            _join(store, code, name, viewer.identity if signed_in else None)


def _join(store, code: str, name: str | None, identity: str | None) -> None:
    if not (code or "").strip() or not (name or "").strip():
        st.warning(t("panel.join_needs"))
        return
    try:
        member = sessions.join_by_code(store, code, name, identity)
    except SihubError as e:
        show_error(e)
        return
    st.query_params[MEMBER_PARAM] = member.token
    st.query_params[CODE_PARAM] = code.strip().upper()
    st.rerun()


def member_view(store, session: PanelSession, member: Member, lang: str) -> None:
    """The current pitch's criteria with big controls, a comment, and the saved state."""
    _watch(store, session)
    st.caption(t_escaped("panel.you_are", name=member.name, session=session.name))
    current = session.current
    if current is None or current.state != OPEN:
        st.info(t("panel.wait"), icon=":material/hourglass_top:")
        return
    st.header(escape_markdown(current.name))
    if current.organisation:
        st.caption(escape_markdown(current.organisation))
    saved = scoring.saved_scores(store, member, current.position)
    _score_form(store, session, member, current.position, saved, lang)


def _score_form(store, session, member, position, saved, lang) -> None:
    criteria = scoring.criteria(store, session.framework_code, lang)
    chosen, form_key = {}, f"panel_score_{session.id}_{position}"
    st.html(TOUCH_STYLE)
    with st.form(form_key, border=False):
        for c in criteria:
            options = scoring.scale_options(store, c.scale_code, lang)
            labels = dict(options)
            st.markdown(f"**{escape_markdown(c.name)}**")
            if c.guidance:
                st.caption(escape_markdown(c.guidance))
            chosen[c.code] = st.segmented_control(
                c.name,
                [code for code, _ in options],
                default=saved.levels.get(c.code),
                format_func=lambda code, labels=labels: _short(code, labels),
                key=f"{form_key}_{c.code}",
                label_visibility="collapsed",
                width="stretch",
            )
        comment = st.text_area(
            t("panel.comment"), value=saved.comment or "", key=f"{form_key}_comment"
        )
        pressed = st.form_submit_button(
            t("panel.save"), type="primary", width="stretch", key=f"{form_key}_save"
        )
    if pressed:
        saved = _save(store, member, position, chosen, comment) or saved
    _saved_state(saved, len(criteria), lang)


def _short(code: str, labels: dict[str, str]) -> str:
    """A level as a button shows it: its number on a numeric scale, else its label."""
    return code if code.isdigit() else labels.get(code, code)


def _save(store, member, position, chosen, comment):
    try:
        scoring.save_scores(store, member, position, chosen, comment)
    except SihubError as e:
        show_error(e)
        return None
    note_write(store)
    return scoring.saved_scores(store, member, position)  # what the store holds, shown as saved


def _saved_state(saved, criteria: int, lang: str) -> None:
    if saved.saved_at is None:
        st.caption(t("panel.not_saved"))
        return
    st.success(
        t(
            "panel.saved",
            time=format_time(saved.saved_at, lang),
            n=len(saved.levels),
            total=criteria,
        ),
        icon=":material/check_circle:",
    )


def _watch(store, session: PanelSession) -> None:
    """Rerun the whole view when staff move the session on (a small look every few seconds)."""
    seen = (session.current_position, session.current.state if session.current else None)

    @st.fragment(run_every=PHONE_EVERY_S)
    def look() -> None:
        now = sessions.load_session(store, session.id)
        if (now.current_position, now.current.state if now.current else None) != seen:
            st.rerun(scope="app")

    look()
