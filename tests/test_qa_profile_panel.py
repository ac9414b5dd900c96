"""The panel in Finnish and Swedish: the session's workbook names criteria and the framework
in the reader's language and gives scores as numbers and the day as the language writes it."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from sihub.access import Role, Viewer
from sihub.panel import export, scoring, sessions
from tests.apptools import frame_app, keyed, messages, plotly_figures, plotly_strings
from tests.builders import BY_STAFF, copy_store
from tests.builders.panel import panel_session

STAFF = Viewer(Role.STAFF, identity="anna@centre.fi")
LEVELS = {"panel_need": "4", "panel_novelty": "5"}
WRITTEN = {  # (the need criterion, the framework, the session's day 5.11.2026)
    "fi": ("Tarve", "Rahoittajapaneeli (alustava)", "5.11.2026"),
    "sv": ("Behov", "Finansiärspanelen (preliminär)", "5.11.2026"),
}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_session_workbook_speaks_the_readers_language(store, lang):
    sid = panel_session(store, members=1, pitches=1)
    [member] = sessions.members(store, sid)
    sessions.next_pitch(store, sid, by=BY_STAFF)
    scoring.save_scores(store, member, 1, LEVELS, "Hyvä")
    data = export.session_workbook(store, STAFF, sessions.load_session(store, sid), lang)
    book = openpyxl.load_workbook(io.BytesIO(data))
    scores, about = book.worksheets[0], book.worksheets[-1]
    rows = [r for r in scores.iter_rows(min_row=2, values_only=True)]
    criteria = {r[3]: r[4] for r in rows}
    need, framework, day = WRITTEN[lang]
    assert criteria[need] == 4  # a number cell, under the criterion's name
    assert not any(str(c).startswith("panel_") for c in criteria)
    told = [v for r in about.iter_rows(values_only=True) for v in r]
    assert framework in told and day in told
    assert "panel" not in told and "2026-11-05" not in told


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_session_without_comments_or_scores_still_downloads(store, lang):
    sid = panel_session(store, members=1, pitches=2)
    [member] = sessions.members(store, sid)
    sessions.next_pitch(store, sid, by=BY_STAFF)
    fresh = export.session_workbook(store, STAFF, sessions.load_session(store, sid), lang)
    scoring.save_scores(store, member, 1, LEVELS, None)  # scores, no comment
    scored = export.session_workbook(store, STAFF, sessions.load_session(store, sid), lang)
    for data, scores in ((fresh, 0), (scored, len(LEVELS))):
        book = openpyxl.load_workbook(io.BytesIO(data))
        comments = book.worksheets[1]
        assert comments.max_row == 1 and comments["A1"].value  # headings, no rows
        assert book.worksheets[0].max_row == 1 + scores


def scored_session(tmp_path, template_db, pitches: int, reveal: bool):
    """A store with a one-member panel session whose member scored each of its ``pitches``
    (each revealed when ``reveal``): (path, session id, member)."""
    path = tmp_path / "panel.duckdb"
    store = copy_store(template_db, path)
    sid = panel_session(store, members=1, pitches=pitches)
    [member] = sessions.members(store, sid)
    for position in range(1, pitches + 1):
        sessions.next_pitch(store, sid, by=BY_STAFF)
        scoring.save_scores(store, member, position, LEVELS, None)
        if reveal:
            sessions.reveal_pitch(store, sid, position, by=BY_STAFF)
    store.close()
    return path, sid, member


SAVED_AT = {  # the member's "saved" note: the time as the language writes it
    "fi": re.compile(r"^Tallennettu klo \d{1,2}\.\d{2}\.\d{2}:"),
    "sv": re.compile(r"^Sparat kl\. \d{1,2}\.\d{2}\.\d{2}:"),
    "en": re.compile(r"^Saved at \d{2}:\d{2}:\d{2}:"),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_member_sees_when_they_saved_as_their_language_writes_a_time(
    tmp_path, monkeypatch, template_db, lang
):
    path, _, member = scored_session(tmp_path, template_db, pitches=1, reveal=False)
    phone = frame_app(tmp_path, monkeypatch, path, "pages/panel.py", lang, member=member.token)
    assert SAVED_AT[lang].match(messages(phone.success)), messages(phone.success)


@pytest.mark.parametrize(
    ("lang", "day"), [("fi", "5.11.2026"), ("sv", "5.11.2026"), ("en", "2026-11-05")]
)
def test_the_session_picker_writes_the_day_as_the_language_does(
    tmp_path, monkeypatch, template_db, lang, day
):
    path = tmp_path / "panel.duckdb"
    store = copy_store(template_db, path)
    sid = panel_session(store, members=1, pitches=1)
    store.close()
    control = frame_app(tmp_path, monkeypatch, path, "pages/panel_control.py", lang, session=sid)
    assert keyed(control.selectbox, "panel_session").options == [f"SI Day ({day})"]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_whole_session_is_drawn_on_the_scale_the_members_rated_on(
    tmp_path, monkeypatch, template_db, lang
):
    path, sid, _ = scored_session(tmp_path, template_db, pitches=2, reveal=True)
    screen = frame_app(tmp_path, monkeypatch, path, "pages/panel_screen.py", lang, session=sid)
    drawn = plotly_strings(screen)
    assert {"1", "2", "3", "4", "5"} <= set(drawn)  # the 1-5 scale's ticks
    assert not {"0", "25", "75", "100"} & set(drawn)  # never the 0-100 behind them
    # pointing at the band and the median reads on the scale too (was "50–75", "62")
    dots = next(f for f in plotly_figures(screen) if "base" in f["data"][0])
    said = [text for row in dots["data"][0]["customdata"] for text in row[1:]]
    assert said and all("/ 5" in text for text in said), said
