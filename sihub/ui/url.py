"""The address bar: widgets seeded from and written back to URL parameters (parsed by
``sihub.urls``), the one notice for values of a link that could not be used, and links to
pages of the app that keep the language."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

import streamlit as st
from streamlit import config
from streamlit.errors import StreamlitAPIException

from sihub import PROJECT_DIR, urls
from sihub.i18n import current_language, t
from sihub.navigation import PAGES, PageDef, page
from sihub.settings import public_url
from sihub.text import escape_markdown
from sihub.ui.frame import frame_viewer
from sihub.urls import LeftOut, UrlState

PER_PARAM = 3  # left-out values a notice names per parameter; a made-up link may hold thousands


def left_out_notice(left_out: Iterable[LeftOut]) -> None:
    """The one notice for values of a link that could not be used, shown as written: every
    parameter concerned, with its first few values."""
    by_param: dict[str, list[str]] = {}
    for item in left_out:
        named = by_param.setdefault(item.param, [])
        if str(item) not in named:
            named.append(str(item))
    if not by_param:
        return
    shown = [
        ", ".join(named[:PER_PARAM]) + (", …" if len(named) > PER_PARAM else "")
        for named in by_param.values()
    ]
    st.warning(
        t("url.left_out", values=escape_markdown(", ".join(shown))), icon=":material/link_off:"
    )


def _widget_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value  # multiselects hold lists


def _known(
    values: dict[str, Any], known: Mapping[str, Collection[str]], fields: Mapping[str, str]
) -> tuple[LeftOut, ...]:
    """Keep in ``values`` only codes in ``known`` (per field); the others are left out."""
    left_out: tuple[LeftOut, ...] = ()
    for name, codes in known.items():
        if name in values:
            values[name], unknown = urls.known_only(values[name], codes, fields[name])
            left_out += unknown
    return left_out


def seed_from_url(
    key: str, param: str, kind: Any, default: Any, known: Collection[str] | None = None
) -> None:
    """Give widget ``key`` the value of URL parameter ``param`` the first time it is drawn; an
    unusable value (or, for a list of codes, a code not in ``known``) is left out with the
    notice."""
    if key in st.session_state:
        return
    values, left_out = urls.parse_params(st.query_params, {param: (param, kind)})
    if known is not None:
        left_out += _known(values, {param: known}, {param: param})
    left_out_notice(left_out)
    st.session_state[key] = _widget_value(values.get(param, default))


def seed_widgets(
    state: type[UrlState], prefix: str, known: Mapping[str, Collection[str]] | None = None
) -> None:
    """Give the widgets ``prefix + parameter`` of a state's fields their values from the URL
    the first time they are drawn, with one notice for all that is left out (``known``: the
    codes a field accepts, per field)."""
    keys = {name: prefix + param for name, (param, _) in state.PARAMS.items()}
    if all(key in st.session_state for key in keys.values()):
        return
    values, left_out = urls.parse_params(st.query_params, state.PARAMS)
    fields = {name: param for name, (param, _) in state.PARAMS.items()}
    left_out += _known(values, known or {}, fields)
    left_out_notice(left_out)
    default = state()
    for name, key in keys.items():
        if key not in st.session_state:
            st.session_state[key] = _widget_value(values.get(name, getattr(default, name)))


def write_query(owned: tuple[str, ...], wanted: Mapping[str, str]) -> None:
    """Make the URL say ``wanted`` for the parameters this page owns (and nothing stale)."""
    current = st.query_params.to_dict()  # read once: each access of the proxy takes a lock
    for param in owned:
        value = wanted.get(param)
        if value is None and param in current:
            del st.query_params[param]
        elif value is not None and current.get(param) != value:
            st.query_params[param] = value


# a page's state kept across page switches -----------------------------------------------------
def kept_query(page_key: str, params: Sequence[str]) -> tuple[dict[str, str], bool]:
    """The page's state as URL parameters, and whether it came from the address.

    The address wins when it changed since this session last wrote it (a shared link, a
    reload, the back button); otherwise the session's last state is kept, so that the state
    also survives a visit to another page (page switches drop query parameters).
    """
    current = {p: str(st.query_params[p]) for p in params if p in st.query_params}
    written = st.session_state.get(f"_url_written.{page_key}")
    if current and current != written:
        return current, True
    return st.session_state.get(f"_url_kept.{page_key}", current), False


def publish_query(page_key: str, params: Sequence[str], query: Mapping[str, str]) -> None:
    """Write the page's state into the URL (defaults left out) and remember it."""
    kept = {p: query[p] for p in params if query.get(p)}
    write_query(tuple(params), kept)
    st.session_state[f"_url_written.{page_key}"] = kept
    st.session_state[f"_url_kept.{page_key}"] = kept


def seed(values: Mapping[str, Any], from_url: bool) -> None:
    """Give widgets their values before they render: all of them when the address changed,
    else only those Streamlit forgot (widgets that were not on screen in the last run)."""
    for key, value in values.items():
        if from_url or key not in st.session_state:
            st.session_state[key] = value


# links ----------------------------------------------------------------------------------------
FROM_PARAM, BACK_PARAM = "from", "back"  # on a profile's address: the view it was opened from
MAX_BACK = 4000  # characters of a view's address a profile carries back


def back_here(page_key: str, query: Mapping[str, str] | None = None) -> dict[str, str]:
    """Parameters for a link out of this view that leads back to it as it is now, even when
    it opens in a new tab (a new session): the page and the view's parameters (by default
    its address's, once the page has written them)."""
    if query is None:
        query = {k: v for k, v in st.query_params.to_dict().items() if k != "lang"}
    return {FROM_PARAM: page_key, BACK_PARAM: urlencode(query, safe=",:")[:MAX_BACK]}


def came_from(pages: Collection[str]) -> tuple[str, dict[str, str]] | None:
    """The view of ``pages`` this page was opened from, and its parameters (the page they lead
    to checks their values, as for any link), or None."""
    origin = str(st.query_params.get(FROM_PARAM) or "")
    if origin not in pages:
        return None
    back = str(st.query_params.get(BACK_PARAM) or "")[:MAX_BACK]
    return origin, {k: v for k, v in parse_qsl(back) if k not in ("lang", FROM_PARAM)}


def app_address() -> str:
    """The hub's address, ending in "/", for links written into files: the ``SIHUB_URL``
    setting, else the address the browser opened the app at, else this server's own."""
    configured = public_url()
    if configured:
        return configured
    seen = (st.context.url or "").rstrip("/")
    if seen:  # the page's own path may still be on it
        paths = (f"/{p.url_path}" for p in PAGES if p.url_path)
        return next((seen.removesuffix(p) for p in paths if seen.endswith(p)), seen) + "/"
    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"http://localhost:{config.get_option('server.port')}/" + (f"{base}/" if base else "")


def _may_open(target: PageDef) -> bool:
    viewer = frame_viewer()
    return viewer is not None and target.open_to(viewer.role)


def link(page_key: str, label: str | None = None, icon: str | None = None, **query: Any) -> None:
    """A link to a page of the app (its key in ``navigation.PAGES``; by default with the page's
    title and icon), keeping the language; a plain link to its address when drawn outside the
    app's navigation (a section on its own). Nothing when the viewer's role may not open the
    page: an action a role may not use is not offered to it."""
    target = page(page_key)
    if not _may_open(target):
        return
    label, icon = label or t(f"nav.{page_key}"), icon or target.icon
    params = {"lang": current_language(), **{k: str(v) for k, v in query.items()}}
    try:
        st.page_link(str(PROJECT_DIR / target.script), label=label, icon=icon, query_params=params)
        return
    except StreamlitAPIException:
        pass
    address = urls.page_url(page_key, current_language(), **query)
    st.markdown(f"{icon} [{escape_markdown(label)}]({address})")


# tabs known by codes -------------------------------------------------------------------------
def _tab_chosen(labels: Mapping[str, str], code_key: str, tab_key: str) -> None:
    by_label = {label: code for code, label in labels.items()}
    st.session_state[code_key] = by_label.get(st.session_state.get(tab_key), next(iter(labels)))


def coded_tabs(labels: Mapping[str, str], code_key: str, tab_key: str) -> dict[str, Any]:
    """Tabs known by codes (``labels``: code -> its label in this run's language), the first
    open unless ``st.session_state[code_key]`` names another (the page keeps that code in its
    URL). Only the open tab's ``.open`` is true: a page computes that one alone."""
    chosen = st.session_state.get(code_key)
    if chosen not in labels:  # none yet, or a tab the viewer cannot see (another role's)
        chosen = st.session_state[code_key] = next(iter(labels))
    st.session_state[tab_key] = labels[chosen]  # the label in this run's language
    tabs = st.tabs(
        list(labels.values()),
        key=tab_key,
        on_change=_tab_chosen,
        args=(dict(labels), code_key, tab_key),
    )
    return dict(zip(labels, tabs, strict=True))


def url_tabs(labels: Mapping[str, str], code_key: str, tab_key: str, param: str) -> dict[str, Any]:
    """``coded_tabs`` whose open tab is kept in the URL as ``param`` (its code; none for the
    first tab), so that a link or a reload opens the same tab."""
    codes = tuple(labels)
    seed_from_url(code_key, param, urls.Code(codes), codes[0])
    tabs = coded_tabs(labels, code_key, tab_key)
    chosen = st.session_state[code_key]
    write_query((param,), {} if chosen == codes[0] else {param: chosen})
    return tabs
