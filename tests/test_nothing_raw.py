"""Nothing raw on screen: no page, in any language, shows a person a Python or database value
("None", "nan", "NaT") or an internal code where a label exists.

Every page opens through the frame on the demo hub (which has import batches, stage histories,
funder ranks with failed minimums and every scale) in Finnish, Swedish and English, and visits
every tab that holds data. What the page sends the browser to show (text, labels, options,
table cells, figures' texts; not ids, keys or link targets) is read as a person reads it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

import pandas as pd
import pytest

from sihub import DATA_DIR
from sihub.compare.selection import VIEWS
from sihub.i18n import LANGUAGES, date_pattern, datetime_pattern, t
from sihub.navigation import PAGES
from sihub.reference import ReferenceFiles
from sihub.scores import ALL_TYPES
from tests.apptools import read_strings, run_app, table_settings

RAW_VALUE = re.compile(r"(?<![\w.])(None|nan|NaN|NaT|<NA>)(?![\w])")


def _codes() -> tuple[set[str], set[str]]:
    """The reference data's codes: those with an underscore are never words, so none may stand
    anywhere in a text; the assessment types are words, so none may stand as a whole text."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("code"), str):
                found.add(value["code"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in ReferenceFiles.under(DATA_DIR).all():
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return {c for c in found if "_" in c}, set(ALL_TYPES)


CODES_IN_TEXT, CODES_AS_TEXT = _codes()
CODE_HEADINGS = {t("method.code", lang=lang) for lang in LANGUAGES}
CODE_TOKEN = re.compile(r"(?<![\w=/.-])([a-z0-9]+(?:_[a-z0-9]+)+)(?![\w=/.-])")


def shown(at) -> list[str]:
    """What the page shows a person; the method page's code column shows codes on purpose (a
    file or a link may use them)."""
    return read_strings(at, skip_headings=CODE_HEADINGS)


def raw(texts: Iterable[str]) -> list[str]:
    """The texts that show a raw value or a code."""
    wrong = []
    for text in texts:
        plain = text.replace("\\", "")
        tokens = {m.group(1) for m in CODE_TOKEN.finditer(plain)}
        if (
            RAW_VALUE.search(plain)
            or tokens & CODES_IN_TEXT
            or plain.strip() in CODES_AS_TEXT | CODES_IN_TEXT
        ):
            wrong.append(plain[:160])
    return sorted(set(wrong))


# page -> the states visited one after another: (session key, its value in a language)
VISITS = {
    "pipeline": [("pipe_tab", lambda lang: t("pipeline.tab_picture", lang=lang))],
    "profile": [
        ("profile.section", lambda lang, tab=tab: tab)
        for tab in ("case_study", "scores", "answers", "related")
    ],
    "compare": [("cmp_view", lambda lang, view=view: view) for view in VIEWS[1:]],
}
PARAMS = {
    "profile": {"id": "1"},
    "compare": {"ids": "1,2,3"},
    "funders": {"gate": "need:4,novelty:4", "pass": "sim_validation"},
    "panel_member": {"code": "x"},
}
RUNS = [pytest.param(p.key, lang, id=f"{p.key}-{lang}") for p in PAGES for lang in LANGUAGES]


def visited(monkeypatch, db, page: str, lang: str) -> Iterator:
    """The page through the frame, then each of its states in turn; none may raise."""
    script = next(p.script for p in PAGES if p.key == page)
    at = run_app(monkeypatch, db, script, lang=lang, timeout=120, **PARAMS.get(page, {}))
    for visit in [None, *VISITS.get(page, [])]:
        if visit:
            key, value = visit
            at.session_state[key] = value(lang)
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        yield at


@pytest.mark.parametrize(("page", "lang"), RUNS)
def test_no_page_shows_a_raw_value_or_a_code(demo_db, monkeypatch, page, lang):
    seen = [text for at in visited(monkeypatch, demo_db, page, lang) for text in shown(at)]
    assert raw(seen) == []


def _dates_written(element) -> list[tuple[str, str]]:
    """(heading, how it is written) of each shown column of dates or times in a table."""
    columns, config, _ = table_settings(element)
    found = []
    for name in columns:
        values = element.value[name].dropna()
        if pd.api.types.is_datetime64_any_dtype(values) or any(
            isinstance(v, (date, datetime)) for v in values
        ):
            column = config.get(name, {})
            written = (column.get("type_config") or {}).get("format") or "YYYY-MM-DD HH:mm:ss"
            found.append((str(column.get("label") or name), written))
    return found


@pytest.mark.parametrize(("page", "lang"), RUNS)
def test_every_table_writes_dates_and_times_the_pages_way(demo_db, monkeypatch, page, lang):
    """As format_date writes them (7.11.2023 on a Finnish page, not "Nov 7, 2023", the
    browser's locale, nor Streamlit's 2023-11-07 00:00:00)."""
    ways = {date_pattern(lang), datetime_pattern(lang)}
    written = [
        found
        for at in visited(monkeypatch, demo_db, page, lang)
        for element in at.dataframe
        for found in _dates_written(element)
    ]
    assert [(heading, way) for heading, way in written if way not in ways] == []
