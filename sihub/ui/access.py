"""Who is looking, on screen: the sign-in page, who is signed in and in which role (with
sign-out) in the sidebar, the local-mode notice, and the polite message of a page that needs
another role. Signing in and out is Streamlit's own OpenID Connect (``st.login``,
``st.logout``); the role comes from ``sihub.access.settings``, never from this module."""

from __future__ import annotations

import streamlit as st

from sihub.access import Role, Viewer
from sihub.i18n import t
from sihub.navigation import PageDef
from sihub.text import escape_markdown
from sihub.ui.frame import sign_in_configured


def _sign_in_button(key: str, primary: bool = False) -> None:
    if st.button(
        t("access.signin.button"),
        key=key,
        icon=":material/login:",
        type="primary" if primary else "secondary",
    ):
        st.login()


def sign_in_page() -> None:
    """All that a visitor who has not signed in sees when the hub asks everyone to sign in."""
    st.title(t("access.signin.title"))
    st.markdown(t("access.signin.body"))
    _sign_in_button("access_sign_in_page", primary=True)


def who_is_looking(viewer: Viewer | None) -> None:
    """The sidebar's word on who is looking: local mode, the signed-in user and role with a
    sign-out button, or a sign-in button for a visitor of the public view."""
    with st.sidebar:
        if viewer is not None and viewer.local:
            # A caption, not a warning box: the page's own warnings stay the page's.
            st.caption(":material/computer: " + t("access.local.notice"))
        elif viewer is not None and viewer.identity:
            who = escape_markdown(viewer.name or viewer.identity)
            role = t(f"access.role.{viewer.role}")
            st.markdown(t("access.signin.signed_in_as", who=who, role=role))
            if viewer.name and viewer.name != viewer.identity:
                st.caption(escape_markdown(viewer.identity))
            sign_out = t("access.signin.sign_out")
            if st.button(sign_out, key="access_sign_out", icon=":material/logout:"):
                st.logout()
        elif viewer is not None:
            st.caption(t("access.signin.not_signed_in"))
            _sign_in_button("access_sign_in_sidebar")


def local_badge(viewer: Viewer) -> None:
    """Every page says, in its first line, when it runs in local mode (beside the demo
    badge)."""
    if viewer.local:
        st.badge(
            t("access.local.notice"),
            icon=":material/computer:",
            color="red",
            help=t("access.local.help"),
        )


def needs_role(page: PageDef, viewer: Viewer) -> None:
    """What a direct address of a page shows to a role that may not open it: which roles may,
    and how to get there. Nothing of the page itself runs."""
    st.title(t("access.needs.title"))
    roles = ", ".join(t(f"access.role.{r}") for r in page.roles)
    st.info(
        t(
            "access.needs.body",
            page=t(f"nav.{page.key}"),
            roles=roles,
            role=t(f"access.role.{viewer.role}"),
        ),
        icon=":material/lock:",
    )
    if viewer.role == Role.PUBLIC and not viewer.identity and sign_in_configured():
        st.markdown(t("access.needs.sign_in"))
        _sign_in_button("access_sign_in_needed", primary=True)
    else:
        st.markdown(t("access.needs.ask"))
