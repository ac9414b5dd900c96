"""The frame every page runs in: language, who is looking, navigation, the store and its
cache, errors, today.

``app.py`` calls these in order on every run; pages reach them through ``sihub.ui``.
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from datetime import date
from numbers import Number
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from sihub import PROJECT_DIR
from sihub.access import Sight, Viewer
from sihub.access.settings import AccessSettings, load_settings, local_user, viewer_for
from sihub.db import Store, db_path, derived, open_store
from sihub.errors import SihubError
from sihub.exports import demo_help
from sihub.funding.status import today_in_finland
from sihub.i18n import (
    LANGUAGES,
    current_language,
    pick_language,
    set_language,
    set_language_provider,
    t,
)
from sihub.navigation import PAGES, SECTIONS, PageDef, offered_to, page_at
from sihub.panel.sessions import sight as panel_sight
from sihub.reference import reference_digest, sync_reference_data
from sihub.text import escape_markdown
from sihub.ui.memo import MB, Memo
from sihub.ui.pages_folder import claim_pages_folder, running_as_v1_page

LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
# What a table shows for a missing value: Streamlit would write "None", a Python word.
EMPTY_CELL = "–"
RUN_VERSION = "_data_version"  # the data version this script run reads (session state key)
RUN_STALE = "_derived_stale"  # whether this run draws from derived tables being rebuilt


def _session_language() -> str | None:
    """The language of the user whose script is running in this thread, if any."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    return st.session_state.get("lang")


set_language_provider(_session_language)
claim_pages_folder()


def ensure_frame() -> None:
    """Rerun through the frame (app.py) when a page script was started without it.

    Every page asks for the store first, so this runs before a page draws anything. A page
    runs bare when Streamlit took it for a v1 page, or on a session's first request (the frame
    always chooses the language before the page runs, hence the second test).
    """
    if running_as_v1_page() or "lang" not in st.session_state:
        claim_pages_folder()
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


# who is looking ------------------------------------------------------------------------------
def sign_in_configured() -> bool:
    """Whether Streamlit's OpenID Connect sign-in is configured (``[auth]`` in the secrets)."""
    try:
        return bool(st.secrets.get("auth"))
    except FileNotFoundError:  # no secrets file at all: local mode
        return False


def frame_viewer() -> Viewer | None:
    """Who is looking in this run: decided from the signed identity (``st.user``) and the role
    mapping alone, never from anything else a browser sends (``sihub.access.settings``). None
    when sign-in is required and nobody has signed in. A role mapping that cannot be read
    stops the page with its message."""
    sign_in = sign_in_configured()
    try:
        settings = load_settings() if sign_in else AccessSettings()
    except SihubError as e:
        show_error(e)
        st.stop()
        raise  # unreachable
    claims = st.user.to_dict() if sign_in else None
    return viewer_for(claims, settings, sign_in, local_user())


def viewer() -> Viewer:
    """The viewer of this run, for pages (the frame has already sent anyone who must sign in
    to the sign-in page). Computed again from the same signed identity, so nothing stored in
    the session (which a browser's widgets write to) can stand in for it."""
    found = frame_viewer()
    if found is None:
        st.stop()
        raise AssertionError  # unreachable
    return found


def sight(viewer: Viewer) -> Sight:
    """What ``viewer`` sees of the assessments where scores are compared: their visibility and,
    for a panel's member, its unshared revealed ratings (``sihub.panel.sessions.sight``); read
    once per data version, and a cached answer that takes it is keyed on all of it."""
    return cached(panel_sight, viewer)


# navigation ----------------------------------------------------------------------------------
def _page(p: PageDef, listed: bool) -> st.Page:
    return st.Page(
        PROJECT_DIR / p.script,
        title=t(f"nav.{p.key}"),
        icon=p.icon,
        url_path=p.url_path or None,
        default=p.url_path == "",
        visibility="visible" if listed else "hidden",
    )


def navigation_pages(viewer: Viewer | None) -> dict[str, list[st.Page]]:
    """st.navigation's input: translated titles, grouped into translated sections; listed
    are only the pages the viewer's role may open. The others stay known to the router but
    hidden, so that a direct address of one says that it needs another role
    (``page_for``) instead of falling back to the home page."""
    offered = offered_to(viewer.role if viewer else None)
    return {
        t(f"nav.section.{s}"): [_page(p, p in offered) for p in PAGES if p.section == s]
        for s in SECTIONS
        if any(p.section == s for p in PAGES)
    }


def page_for(page: Any) -> PageDef:
    """The declaration of the page ``st.navigation`` chose; the frame runs it only when
    ``PageDef.open_to`` the viewer's role, and says politely that it needs another otherwise."""
    return page_at(page.url_path)


# the store -----------------------------------------------------------------------------------
# One store per path and process, in a plain dict: Streamlit's cache_resource hashed its
# argument (inspecting the function's signature) on each of the several calls of every run.
_STORES: dict[str, Store] = {}
_OPENING = threading.Lock()


def _open(path: str) -> Store:
    store = _STORES.get(path)
    if store is None:
        with _OPENING:  # opened and migrated once, however many sessions ask at once
            store = _STORES.get(path) or open_store(path)
            _STORES[path] = store
    return store


def get_store() -> Store:
    """The process's store, opened and migrated once. Errors stop the page with a message."""
    ensure_frame()
    try:
        return _open(db_path())
    except SihubError as e:
        show_error(e)
        st.stop()
        raise  # unreachable; keeps type checkers honest


# Per store: the data version and reference files' digest this process last found in step
# (reference data loaded, derived tables current). A run that finds both unchanged skips the
# checks: derived tables current for a data version stay so until the version moves.
_IN_STEP: dict[str, tuple[int, str]] = {}


def frame_store() -> Store:
    """The frame's store, once per run: reference data (frameworks, vocabularies) made current,
    so that a replaced framework file shows on the next page load; derived tables repaired
    with a word on screen if something wrote the store without them (the one staleness check);
    and the data version this run reads fixed, so that a page never mixes two versions when an
    import commits while it draws. Pages use ``get_store``."""
    store = get_store()
    stale = False
    try:
        digest = reference_digest()
        version = _read_version(store)
        if _IN_STEP.get(store.path) != (version, digest):
            # cheap when unchanged (compares the digest); a change's rebuild comes next
            sync_reference_data(store, rebuild=False)
            if not derived.is_current(store):
                stale = _wait_for_rebuild(store)
            version = store.data_version(wait=False)
            if not stale:
                _IN_STEP[store.path] = (version, digest)
    except SihubError as e:
        show_error(e)
        st.stop()
    if store.catching_up:
        st.info(t("frame.catching_up"), icon=":material/sync:")
    st.session_state[RUN_STALE] = stale
    st.session_state[RUN_VERSION] = version
    return store


def _read_version(store: Store) -> int:
    """The data version this run reads. A PostgreSQL store's newer data (another process's
    import) is waited for a second at most, then copied in while pages go on showing what they
    had, and say so; only a process's first copy, and the copy after its own write, are
    waited for to the end (8 s at 100,000 innovations), with a word on screen."""
    if store.reads_ready():
        return store.data_version(wait=False)
    with st.spinner(t("frame.copying"), show_time=True):
        return store.data_version(wait=False)


REBUILD_WAIT = 2.0  # seconds a page waits for a rebuild before it draws from the old tables


def _wait_for_rebuild(store: Store) -> bool:
    """Derived tables rebuilt in the background: a small store's rebuild is over before the page
    draws; a large one's (half a minute at 100 000 innovations) goes on while the page draws
    from the tables as they were, and says so. Whether it still goes on."""
    builder = derived.rebuild_in_background(store)
    with st.spinner(t("frame.rebuilding"), show_time=True):
        builder.join(REBUILD_WAIT)
    if builder.is_alive():
        st.info(t("frame.rebuilding_background"), icon=":material/hourglass_top:")
        return True
    return False


def note_write(store: Store) -> None:
    """Read the data version again (after this run wrote to the store itself)."""
    st.session_state[RUN_VERSION] = store.data_version()


def t_escaped(key: str, lang: str | None = None, **values: object) -> str:
    """``t(key, **values)`` for Markdown: the catalogue's text as written, each text value
    escaped (``escape_markdown``) so that data shows as written and never becomes a link or an
    image; numbers and dates are written as ``t`` writes them. (A value the catalogue puts in
    a code span is written as it is, with ``t``.)"""
    shown = {
        name: value if isinstance(value, Number | date) else escape_markdown(value)
        for name, value in values.items()
    }
    return t(key, lang=lang, **shown)


def show_error(error: SihubError) -> None:
    """The one way an expected error is shown; the values it carries (a file name, a value
    from a link) are shown as written."""
    st.error(t_escaped(error.key, detail=error.detail, **error.values), icon=":material/error:")


# Answers shared by every session (``shared``), kept by their bytes: the twelve pages' answers
# at 10,000 innovations take about 15 MB, at 100,000 about 140 MB.
SHARED_BUDGET = 512 * MB
_SHARED = Memo(SHARED_BUDGET)


def _run_key(fn: Callable[..., Any], args: tuple, kwargs: dict) -> tuple:
    """What a cached answer of ``fn`` is known by: the function, the store, the data version
    this run reads (and whether derived tables are being rebuilt), the arguments."""
    store = get_store()
    version = st.session_state.get(RUN_VERSION)
    version = store.data_version() if version is None else version
    stale = bool(st.session_state.get(RUN_STALE))
    return (
        fn.__module__,
        fn.__name__,
        store.path,
        (version, stale),
        args,
        tuple(sorted(kwargs.items())),
    )


def cached(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(store, *args)`` cached per store and data version (every write bumps the version);
    the version is the one the frame read at the start of this run. An answer drawn from
    derived tables while they are rebuilt is kept apart, so that the rebuilt tables' answer
    replaces it (a rebuild leaves the data version alone). Each caller gets a copy: the
    answer is kept pickled, as Streamlit's cache_data keeps it, but under the frame's own key
    (cache_data hashed every argument again, a fifth of the explorer's and funder view's
    runs at 10,000 innovations, py-spy)."""
    key = _run_key(fn, args, kwargs)
    kept = _SHARED.get(("copied", *key), lambda: _pickled(fn(_open(key[2]), *args, **kwargs)))
    return pickle.loads(kept)


def _pickled(answer: Any) -> bytes:
    return pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)


def shared(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``cached``, for an answer that nobody changes: one object per process, handed to every
    session without a copy (unpickling the copy of a ranking of 5,000 innovations takes 8 ms
    of the 30 ms computing it does), kept while it fits the process's budget
    (``sihub.ui.memo``). Only for answers that pages and exports read and never modify."""
    key = _run_key(fn, args, kwargs)
    return _SHARED.get(key, lambda: fn(_open(key[2]), *args, **kwargs))


def today() -> date:
    """Today in Finland (``funding.status.today_in_finland``, the one definition, which
    honours SIHUB_TODAY for demos and tests)."""
    return today_in_finland()


def _meta(store: Store, key: str) -> str | None:
    return store.meta(key)


def demo_notice(store: Store) -> None:
    """Every page says when it shows demo data (read once per data version: the demo command
    writes its mark with its data)."""
    if cached(_meta, "dataset") == "demo":
        st.badge(
            t("demo.badge"),
            icon=":material/science:",
            color="orange",
            help=cached(demo_help, current_language()),
        )
