"""The address bar: widgets seeded from and written back to URL parameters, and links to
pages of the app that keep the language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from sihub import PROJECT_DIR, urls
from sihub.i18n import current_language, t
from sihub.navigation import page
from sihub.text import escape_markdown


def seed_from_url(key: str, param: str, parse: Callable[[str], Any], default: Any) -> None:
    """Give widget ``key`` the value in URL parameter ``param`` the first time it is drawn."""
    if key not in st.session_state:
        raw = st.query_params.get(param)
        value = parse(raw) if raw not in (None, "") else None
        st.session_state[key] = default if value is None else value


def write_query(owned: tuple[str, ...], wanted: Mapping[str, str]) -> None:
    """Make the URL say ``wanted`` for the parameters this page owns (and nothing stale)."""
    for param in owned:
        value = wanted.get(param)
        if value is None and param in st.query_params:
            del st.query_params[param]
        elif value is not None and st.query_params.get(param) != value:
            st.query_params[param] = value


def int_or_none(raw: str) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


# links ----------------------------------------------------------------------------------------
def link(page_key: str, label: str | None = None, icon: str | None = None, **query: Any) -> None:
    """A link to a page of the app (its key in ``navigation.PAGES``; by default with the page's
    title and icon), keeping the language; a plain link to its address when drawn outside the
    app's navigation (a section on its own)."""
    target = page(page_key)
    label, icon = label or t(f"nav.{page_key}"), icon or target.icon
    params = {"lang": current_language(), **{k: str(v) for k, v in query.items()}}
    try:
        st.page_link(str(PROJECT_DIR / target.script), label=label, icon=icon, query_params=params)
        return
    except StreamlitAPIException:
        pass
    address = urls.page_url(page_key, current_language(), **query)
    st.markdown(f"{icon} [{escape_markdown(label)}]({address})")
