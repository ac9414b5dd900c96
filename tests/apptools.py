"""Driving the app in AppTest: the app through its frame, and finding what a user sees by key,
label or column, never by position on the page or through Streamlit's internals.

The only Streamlit internals the tests need (a link's target, which AppTest does not expose)
are read here, in one place, so that a Streamlit upgrade touches one module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import streamlit
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from sihub import PROJECT_DIR
from sihub.db import connect, is_postgres_url
from sihub.ui.pages_folder import claim_pages_folder

RAW_KEY = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)+$")  # a catalogue key shown instead of its text
MARKDOWN_LINK = re.compile(r"\]\((/[^)\s]+)\)")


class ServerLikePagesManager(PagesManager):
    """AppTest resets Streamlit's pages/ flag before every run, so that each run after the first
    would execute the page script bare, as a v1 page, without the frame. A real server keeps
    the flag as the app sets it (``sihub.ui.pages_folder``); so does this one (conftest.py puts
    it in AppTest's place for every test)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        claim_pages_folder()


def run_app(
    monkeypatch: pytest.MonkeyPatch,
    db: Path | str,
    page: str | None = None,
    *,
    lang: str = "en",
    today: str | None = None,
    timeout: float = 60,
    user: dict | None = None,
    **params: str,
) -> AppTest:
    """The app as a browser gets it: the frame (app.py), then ``page`` with URL ``params``.

    ``today`` (YYYY-MM-DD) fixes the app's date; by default a demo store's reference date.
    Without ``user`` the app runs in local mode (no sign-in configured: staff); with it,
    sign-in is configured and ``user`` is what ``st.user`` holds (``signed_in``), the role
    mapping the one ``SIHUB_ACCESS`` names (``access_file``).
    """
    monkeypatch.setenv("SIHUB_DB", str(db))
    if today is None and (is_postgres_url(db) or Path(db).exists()):
        probe = connect(str(db))
        today = probe.meta("demo_reference_date")
        probe.close()
    if today:
        monkeypatch.setenv("SIHUB_TODAY", today)
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=timeout)
    if user is not None:
        at.secrets["auth"] = dict(AUTH)
        at.user = dict(user)
    at.query_params["lang"] = lang
    at.run()
    if page:
        at.switch_page(page)  # a page switch starts with a clean address, as in the browser
        at.query_params["lang"] = lang
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
    return at


# A Streamlit [auth] section: only its presence matters in AppTest, which takes ``st.user``
# from ``AppTest.user`` (the browser tests sign in through a real provider).
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "apptest",
    "client_id": "sihub",
    "client_secret": "apptest",
    "server_metadata_url": "http://localhost:1/.well-known/openid-configuration",
}
ACCESS_FILE = """[access]
anonymous = "{anonymous}"
signed_in = "public"
claim = "groups"

[roles.staff]
domains = ["thl.example"]
claim_values = ["staff"]

[roles.funder]
emails = ["fanni@rahasto.example"]
claim_values = ["funder"]
"""
# Signed-in users as the sign-in provider describes them (``st.user``).
STAFF_USER = {"is_logged_in": True, "email": "anna@thl.example", "name": "Anna Staff"}
FUNDER_USER = {"is_logged_in": True, "email": "fanni@rahasto.example", "name": "Fanni Funder"}
NOBODY = {"is_logged_in": False}


def access_file(folder: Path, monkeypatch, anonymous: str = "none") -> Path:
    """A role mapping in ``folder`` that ``SIHUB_ACCESS`` names: staff by domain or group,
    a funder by address (``STAFF_USER``, ``FUNDER_USER``)."""
    path = folder / "access.toml"
    path.write_text(ACCESS_FILE.format(anonymous=anonymous), encoding="utf-8")
    monkeypatch.setenv("SIHUB_ACCESS", str(path))
    return path


def record_downloads(monkeypatch) -> list[tuple[str, bytes]]:
    """Every file the pages of this test offer for download, as (file name, bytes), built as a
    browser's click builds it (a page passes a function that makes the file)."""
    offered: list[tuple[str, bytes]] = []
    original = DeltaGenerator.download_button

    def recording(self, label, data, *args, **kwargs):
        made = data() if callable(data) else data
        offered.append((kwargs.get("file_name") or str(label), made))
        return original(self, label, made, *args, **kwargs)

    main = streamlit._main  # the container that st.download_button draws into
    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    monkeypatch.setattr(streamlit, "download_button", lambda *a, **k: recording(main, *a, **k))
    return offered


def frame_app(tmp_path: Path, monkeypatch, db: Path, page: str | None, lang="en", **params):
    """The app through its frame (app.py), opened on ``page`` with URL ``params``; it must not
    raise."""
    at = run_app(
        monkeypatch,
        db,
        page,
        lang=lang,
        timeout=120,
        **{key: str(value) for key, value in params.items()},
    )
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> list[str]:
    """Everything a user reads on the page: text, messages, metrics, and the labels of widgets,
    tabs and expanders (markdown escapes removed)."""
    shown = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "metric")
    labelled = ("metric", "selectbox", "multiselect", "button", "tabs", "expander")
    found = [str(element.value) for kind in shown for element in getattr(at, kind)]
    found += [str(element.label or "") for kind in labelled for element in getattr(at, kind)]
    return [f.replace("\\", "") for f in found if f]


# --- finding one thing on the page -----------------------------------------------------------
def _the_one(found: list, what: str, seen: Iterable[str]) -> Any:
    assert len(found) == 1, f"{len(found)} {what} on the page; there are: {sorted(set(seen))}"
    return found[0]


def title(at: AppTest) -> str:
    """The page's title (a page has exactly one)."""
    return _the_one([t.value for t in at.title], "titles", (t.value for t in at.title))


def table(at: AppTest, *columns: str) -> pd.DataFrame:
    """The one table (``st.dataframe``, ``st.data_editor`` or ``st.table``) that has all of
    ``columns``: a table is known by what it shows, not by where it stands on the page."""
    frames = [element.value for element in [*at.dataframe, *at.table]]
    found = [frame for frame in frames if set(columns) <= set(frame.columns)]
    seen = (", ".join(map(str, frame.columns)) for frame in frames)
    return _the_one(found, f"tables with columns {list(columns)}", seen)


def labelled(widgets: Iterable, label: str):
    """The one widget of ``widgets`` (``at.button``, ``at.file_uploader``…) labelled ``label``,
    for widgets without a key of their own."""
    widgets = list(widgets)
    found = [w for w in widgets if w.label == label]
    return _the_one(found, f"widgets labelled {label!r}", (str(w.label) for w in widgets))


def keyed(widgets: Iterable, prefix: str):
    """The one widget of ``widgets`` whose key starts with ``prefix``, for keys that carry a
    counter or a hash after a fixed name (``import_upload_2``)."""
    widgets = list(widgets)
    found = [w for w in widgets if (w.key or "").startswith(prefix)]
    return _the_one(found, f"widgets keyed {prefix!r}…", (str(w.key) for w in widgets))


def messages(elements: Iterable) -> str:
    """Every message of one kind (``at.info``, ``at.warning``…) as one text, in page order: a
    test asks whether something was said, not in which box."""
    return "\n".join(str(element.value) for element in elements)


# --- links: AppTest shows a link's label, its target only in the element's message ----------
def links(at: AppTest) -> list[str]:
    """Every in-app link on the page (Markdown links and ``st.page_link``), as path and query."""
    found = [m for md in at.markdown for m in MARKDOWN_LINK.findall(md.value)]
    found += [f"/{p.proto.page}?{p.proto.query_string}" for p in at.page_link]
    return [link.replace("\\", "") for link in found]


def link_buttons(at: AppTest) -> list[tuple[str, str]]:
    """The (label, URL) of every ``st.link_button`` (links out of the app)."""
    return [(b.value, b.proto.url) for b in at.link_button]


def placeholders(at: AppTest) -> dict[str, str]:
    """What each multiselect and selectbox says while nothing is chosen, by the widget's key
    (Streamlit's own is English: "Choose options")."""
    boxes = list(at.multiselect) + list(at.selectbox)
    return {b.key: b.proto.placeholder for b in boxes}


# --- everything a page renders, for checks over a whole page --------------------------------
# What Streamlit renders as Markdown: bodies of text, messages, metrics and headings; labels and
# tooltips of widgets, tabs, expanders and buttons; the options of pills and segmented controls
# (``content``) and of radios and select sliders. Selectbox and multiselect options, input
# values and placeholders are plain text.
MARKDOWN_FIELDS = {"body", "label", "help", "content"}
MARKDOWN_OPTIONS = {"radio", "select_slider"}


def _strings(message: Any, markdown_only: bool, kind: str) -> Iterable[str]:
    """The string fields of a protobuf message and of the messages in it."""
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        if field.type == field.TYPE_MESSAGE and not field.message_type.GetOptions().map_entry:
            for item in values:
                yield from _strings(item, markdown_only, kind)
        elif field.type == field.TYPE_STRING:
            markdown = field.name in MARKDOWN_FIELDS or (
                field.name == "options" and kind in MARKDOWN_OPTIONS
            )
            if markdown or not markdown_only:
                yield from values


def markdown_strings(at: AppTest) -> list[tuple[str, str]]:
    """(kind of element, text) of every string on the page that Streamlit renders as Markdown,
    the cells and headings of ``st.table`` included."""
    found = [
        (node.type, text)
        for node in at._tree
        if getattr(node, "proto", None) is not None
        for text in _strings(node.proto, True, node.type)
    ]
    for element in at.table:
        frame = element.value
        cells = [*map(str, frame.columns), *(str(v) for v in frame.to_numpy().ravel())]
        found += [("table", cell) for cell in cells]
    return found


def plotly_strings(at: AppTest) -> list[str]:
    """Every string in the page's plotly figures (texts, hovers, ticks, titles, names)."""

    def walk(value: Any) -> Iterable[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    return [s for figure in plotly_figures(at) for s in walk(figure)]


def plotly_figures(at: AppTest) -> list[dict]:
    """The page's plotly figures as sent to the browser (their JSON specs), in page order."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def every_string(at: AppTest) -> list[str]:
    """Every string the page sends to the browser: all fields of all elements, the figures'
    texts, and every cell of every table."""
    found = [
        text
        for node in at._tree
        if getattr(node, "proto", None) is not None
        for text in _strings(node.proto, False, node.type)
    ]
    for element in [*at.dataframe, *at.table]:
        frame = element.value
        found += [*map(str, frame.columns), *(str(v) for v in frame.to_numpy().ravel())]
    return found + plotly_strings(at)


# --- what a table shows: its column settings, as the browser applies them --------------------
def table_settings(element: Any) -> tuple[list[str], dict[str, dict], str]:
    """A ``st.dataframe``'s shown columns in order (hidden ones left out), each column's
    settings (label, width, help, type_config…) and what it writes for a missing value
    (Streamlit's "None" unless the table names a placeholder)."""
    proto, frame = element.proto, element.value
    config = json.loads(proto.columns or "{}")
    order = list(proto.column_order) or [str(c) for c in frame.columns]
    shown = [c for c in order if c in frame.columns and not config.get(c, {}).get("hidden")]
    empty = proto.placeholder if proto.HasField("placeholder") else "None"
    return shown, config, empty


def page_links(at: AppTest) -> list[tuple[str, str, str]]:
    """(label, page, query string) of every ``st.page_link`` on the page."""
    return [(p.value, p.proto.page, p.proto.query_string) for p in at.page_link]


# Fields of an element that a person does not read: ids, keys, addresses, icons, figures (read
# through plotly_strings), a table's data and settings (read through table_settings).
UNREAD_FIELDS = {
    "id", "form_id", "key", "url", "page", "page_script_hash", "page_name", "query_string",
    "icon", "spec", "theme", "type", "format", "styles", "data", "columns", "column_order",
    "selection_mode", "element_id", "autocomplete", "cache_key", "file_name",
}  # fmt: skip
LINK_TARGET = re.compile(r"\]\([^)]*\)")


def _read(message: Any) -> Iterable[str]:
    for field, value in message.ListFields():
        if field.name in UNREAD_FIELDS:
            continue
        values = value if field.is_repeated else [value]
        if field.type == field.TYPE_MESSAGE and not field.message_type.GetOptions().map_entry:
            for item in values:
                yield from _read(item)
        elif field.type == field.TYPE_STRING:
            yield from values


def read_strings(at: AppTest, skip_headings: Collection[str] = ()) -> list[str]:
    """What the page shows a person, as written: every readable string of every element
    (link targets taken out), the headings and cells of the columns each table shows (an empty
    cell as the browser writes it; columns headed as in ``skip_headings`` left out), and the
    figures' texts."""
    found = [
        LINK_TARGET.sub("]", text)
        for node in at._tree
        if getattr(node, "proto", None) is not None
        for text in _read(node.proto)
    ]
    for element in at.dataframe:
        columns, config, empty = table_settings(element)
        for name in columns:
            heading = str(config.get(name, {}).get("label") or name)
            if heading not in skip_headings:
                found += [heading, *(_cell(v, empty) for v in element.value[name])]
    for element in at.table:
        frame = element.value
        kept = [c for c in frame.columns if str(c) not in skip_headings]
        found += [*map(str, kept), *(_cell(v, "") for v in frame[kept].to_numpy().ravel())]
    return found + plotly_strings(at)


def _cell(value: Any, empty: str) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        return ", ".join(_cell(v, empty) for v in value)
    return empty if pd.isna(value) else str(value)


def is_expanded(expander: Any) -> bool:
    """Whether an ``st.expander`` is drawn open."""
    return bool(expander.proto.expanded)
