"""The one module of ``sihub`` that imports Streamlit: the shared store, language, caching,
error display and widgets that several pages use."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from sihub import PROJECT_DIR, overview
from sihub.db import db_path, open_store
from sihub.db.store import Store
from sihub.errors import SihubError
from sihub.funding import today_in_finland
from sihub.i18n import (
    LANGUAGES,
    current_language,
    pick_language,
    set_language,
    set_language_provider,
    t,
)
from sihub.navigation import PAGES, SECTIONS, PageDef
from sihub.reference import sync_reference_data
from sihub.text import escape_markdown

LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def _session_language() -> str | None:
    """The language of the user whose script is running in this thread, if any."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    return st.session_state.get("lang")


set_language_provider(_session_language)

# Streamlit treats an app with a pages/ folder as a "v1" multipage app until the first
# st.navigation call in the process: a server's very first request, if it is a deep link,
# would run the page script bare, without this frame. Switch v1 off as soon as we load.
PagesManager.uses_pages_directory = False


def _ensure_frame() -> None:
    """Rerun through the frame (app.py) when a page script was started without it.

    Every page asks for the store first, so this runs before a page draws anything; the
    frame always chooses the language before the page runs, hence the test.
    """
    if "lang" not in st.session_state:
        PagesManager.uses_pages_directory = False  # AppTest resets it before every run
        st.rerun()


# language ------------------------------------------------------------------------------------
def choose_language() -> str:
    """Pick this run's language (URL, then session, then browser) and keep it in the URL."""
    lang = pick_language(
        st.query_params.get("lang"), st.session_state.get("lang"), st.context.locale
    )
    st.session_state["lang"] = lang
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return set_language(lang)


def _switch_language() -> None:
    chosen = st.session_state["language_switch"]
    st.session_state["lang"] = chosen
    st.query_params["lang"] = chosen


def language_switch(lang: str) -> None:
    st.session_state["language_switch"] = lang
    st.sidebar.segmented_control(
        t("lang.label"),
        LANGUAGES,
        format_func=LANGUAGE_NAMES.get,
        key="language_switch",
        on_change=_switch_language,
        required=True,
    )


# navigation ----------------------------------------------------------------------------------
def _page(p: PageDef) -> st.Page:
    return st.Page(
        PROJECT_DIR / p.script,
        title=t(f"nav.{p.key}"),
        icon=p.icon,
        url_path=p.url_path or None,
        default=p.url_path == "",
        visibility="visible" if p.visible else "hidden",
    )


def navigation_pages() -> dict[str, list[st.Page]]:
    """st.navigation's input: translated titles, grouped into translated sections."""
    return {
        t(f"nav.section.{s}"): [_page(p) for p in PAGES if p.section == s]
        for s in SECTIONS
        if any(p.section == s for p in PAGES)
    }


def link(page_key: str, label: str | None = None, **query: Any) -> None:
    """A link to another page of the app, carrying query parameters (and the language)."""
    p = next(p for p in PAGES if p.key == page_key)
    st.page_link(
        str(PROJECT_DIR / p.script),
        label=label or t(f"nav.{p.key}"),
        icon=p.icon,
        query_params={"lang": current_language(), **{k: str(v) for k, v in query.items()}},
    )


# the store -----------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _open(path: str) -> Store:
    return open_store(path)


def get_store() -> Store:
    """The process's store, opened and migrated once. Errors stop the page with a message."""
    _ensure_frame()
    try:
        return _open(db_path())
    except SihubError as e:
        show_error(e)
        st.stop()
        raise  # unreachable; keeps type checkers honest


def frame_store() -> Store:
    """The frame's store, once per run, with reference data (frameworks, vocabularies) made
    current: a replaced framework file shows on the next page load. Pages use ``get_store``."""
    store = get_store()
    try:
        sync_reference_data(store)  # cheap when unchanged: compares a hash of the files
    except SihubError as e:
        show_error(e)
        st.stop()
    return store


def show_error(error: SihubError) -> None:
    """The one way an expected error is shown."""
    st.error(error.message(), icon=":material/error:")


@st.cache_data(show_spinner=False, max_entries=512, ttl=3600)
def _cached(module: str, name: str, path: str, version: int, args: tuple, kwargs: tuple) -> Any:
    import importlib

    fn = getattr(importlib.import_module(module), name)
    return fn(_open(path), *args, **dict(kwargs))


def cached(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(store, *args)`` cached per store and data version (every write bumps the version)."""
    store = get_store()
    return _cached(
        fn.__module__,
        fn.__name__,
        store.path,
        store.data_version(),
        args,
        tuple(sorted(kwargs.items())),
    )


def today() -> date:
    """Today in Finland (``funding.today_in_finland``, the one definition), overridable with
    SIHUB_TODAY (YYYY-MM-DD) for demos and tests."""
    fixed = os.environ.get("SIHUB_TODAY")
    return date.fromisoformat(fixed) if fixed else today_in_finland()


# shared pieces of pages -----------------------------------------------------------------------
def demo_notice(store: Store) -> None:
    """Every page says when it shows demo data."""
    if store.meta("dataset") == "demo":
        st.badge(
            t("demo.badge"),
            icon=":material/science:",
            color="orange",
            help=t("demo.help", date=store.meta("demo_reference_date") or ""),
        )


def empty_state(store: Store) -> bool:
    """Tell the user how to load data when the store is empty; True if it is."""
    if not overview.is_empty(store):
        return False
    st.info(t("empty.body", db=store.path, command="python -m sihub demo"), icon=":material/inbox:")
    return True


def metric(column: Any, label: str, value: str, note: str | None = None) -> None:
    """A headline number with the fact it rests on written under it."""
    with column:
        st.metric(label, value, border=True)
        if note:
            st.caption(note)


def distribution(
    df: pd.DataFrame,
    what: str,
    label_title: str,
    *,
    horizontal: bool = True,
    key: str | None = None,
) -> None:
    """Innovations per category (from ``overview._distribution``) as bars, words and table."""
    from sihub import charts, narrative

    recorded = df[df.code != overview.NOT_RECORDED]
    missing = int(df.loc[df.code == overview.NOT_RECORDED, "innovations"].sum())
    figure = charts.count_bars(
        df,
        "label",
        "innovations",
        horizontal=horizontal,
        axis_title=t("common.innovations"),
        missing_label=t("common.not_recorded"),
    )
    sentence = narrative.distribution_sentence(
        recorded, "label", "innovations", what, missing=missing
    )
    table = df[["label", "innovations"]].rename(
        columns={"label": label_title, "innovations": t("common.innovations")}
    )
    chart_with_words(figure, sentence, table, key=key)


def recent_columns() -> dict:
    return {
        "on_date": st.column_config.DateColumn(t("common.date"), format="localized"),
        "event": st.column_config.TextColumn(t("home.event")),
        "innovation_id": None,
        "name": st.column_config.TextColumn(t("common.innovation")),
        "detail": st.column_config.TextColumn(t("common.detail")),
    }


def criteria_table(criteria: pd.DataFrame) -> pd.DataFrame:
    """Criteria with translated headings, for a static table in which guidance wraps in full."""
    headings = {
        "name": t("common.criterion"),
        "dimension": t("common.dimension"),
        "guidance": t("method.guidance"),
        "scale": t("method.scale"),
        "code": t("method.code"),
    }
    return criteria[list(headings)].rename(columns=headings)


def level_columns() -> dict:
    return {
        "code": st.column_config.TextColumn(t("method.code")),
        "label": st.column_config.TextColumn(t("method.level")),
        "value": st.column_config.NumberColumn(t("method.value")),
        "normalised": st.column_config.NumberColumn(t("method.normalised"), format="%.2f"),
    }


def source_columns() -> dict:
    return {
        "kind": st.column_config.TextColumn(t("method.source_kind")),
        "batches": st.column_config.NumberColumn(t("method.batches")),
        "first": st.column_config.DatetimeColumn(t("method.first"), format="localized"),
        "last": st.column_config.DatetimeColumn(t("method.last"), format="localized"),
        "files": st.column_config.TextColumn(t("method.files")),
    }


def chart_with_words(
    figure: Any, sentence: str, table: pd.DataFrame | None = None, key: str | None = None
) -> None:
    """A chart, the same thing said in a sentence, and the numbers as a table on request."""
    st.plotly_chart(figure, width="stretch", key=key, config={"displaylogo": False})
    st.markdown(escape_markdown(sentence))
    if table is not None:
        with st.expander(t("common.show_table")):
            st.dataframe(table, hide_index=True, width="stretch")
