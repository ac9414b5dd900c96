"""The address bar: widgets seeded from and written back to URL parameters, and links to
pages of the app by their URL path (keeping the language)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitAPIException

from sihub import PROJECT_DIR
from sihub.i18n import current_language
from sihub.navigation import PAGES
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


def app_link(url_path: str, label: str, icon: str, **query: Any) -> None:
    """A link to a page of the app by its URL path, keeping the language.

    The pipeline explorer and the innovation profile are built separately; when their page is
    declared in ``navigation.PAGES`` this is an in-app link, otherwise a plain link to the URL.
    """
    params = {"lang": current_language(), **{k: str(v) for k, v in query.items()}}
    target = next((p for p in PAGES if p.url_path == url_path), None)
    if target is not None:
        try:
            st.page_link(
                str(PROJECT_DIR / target.script), label=label, icon=icon, query_params=params
            )
            return
        except StreamlitAPIException:
            pass  # drawn outside the app's navigation (a section used on its own)
    st.markdown(f"{icon} [{escape_markdown(label)}](/{url_path}?{urlencode(params)})")
