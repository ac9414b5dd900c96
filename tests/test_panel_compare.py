"""A funder panel's ratings in the comparison, under the rule of sihub.access: staff always
see them, the panel's own members see their unshared session's revealed pitches, funders
outside the panel only once staff share the session, the public never (the ratings are not
published). Library and page, on a real store, with ratings saved through the panel library."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from sihub.access import Role, Sight, Viewer, Visibility
from sihub.compare.export import comparison_workbook
from sihub.compare.queries import comparison_of, frameworks_with_scores, innovation_options
from sihub.compare.selection import Selection
from sihub.funding.status import now_in_finland
from sihub.panel import scoring, sessions
from tests.apptools import (
    FUNDER_USER,
    access_file,
    labelled,
    record_downloads,
    run_app,
    table,
    texts,
)
from tests.builders import BY_STAFF, copy_store
from tests.builders.panel import panel_session

MEMBER = Viewer(Role.FUNDER, identity=FUNDER_USER["email"])
OUTSIDER = Viewer(Role.FUNDER, identity="olli@other.example")
STAFF = Viewer(Role.STAFF, identity="anna@thl.example")
PUBLIC = Viewer(Role.PUBLIC, identity=FUNDER_USER["email"])  # a member, signed in as public
CRITERIA = ("panel_need", "panel_novelty", "panel_results", "panel_scaling", "panel_team")
WITH_PANEL = "revealed ratings of your own funder panel sessions that are not shared yet"


def rate(store, member, position: int, level: str) -> None:
    scoring.save_scores(store, member, position, dict.fromkeys(CRITERIA, level), None)


def held_session(store) -> tuple[int, tuple[int, int]]:
    """A session whose first pitch was rated by two members (Fanni, a signed-in funder, and
    an anonymous one) and revealed, and whose second is open, rated by Fanni only: the
    session's id and the pitches' innovations."""
    sid = panel_session(store, members=1, pitches=2)
    anonymous = sessions.members(store, sid)[0]
    fanni = sessions.add_member(store, sid, "Fanni", identity=MEMBER.identity)
    sessions.next_pitch(store, sid, by=BY_STAFF)
    rate(store, fanni, 1, "5")
    rate(store, anonymous, 1, "3")
    sessions.reveal_pitch(store, sid, 1, by=BY_STAFF)
    sessions.next_pitch(store, sid, by=BY_STAFF)
    rate(store, fanni, 2, "2")
    session = sessions.load_session(store, sid)
    return sid, (session.pitch(1).innovation_id, session.pitch(2).innovation_id)


def compared(store, viewer: Viewer, pitches: tuple[int, int]):
    sight = sessions.sight(store, viewer)
    return comparison_of(store, sight, Selection(ids=pitches, framework="panel"), "en")


def means(comparison) -> dict[int, float]:
    """Compared innovation -> its mean on the panel's criteria (innovations with scores)."""
    scored = comparison.columns.dropna(subset=["mean"])
    return {int(k): round(float(m), 3) for k, m in zip(scored.key, scored["mean"], strict=True)}


def test_a_member_funder_compares_their_unshared_sessions_revealed_ratings(store):
    sid, (first, second) = held_session(store)
    sight = sessions.sight(store, MEMBER)
    assert sight == Sight(Visibility.SHARED, ((sid, first),))  # the open pitch is not in it
    comparison = compared(store, MEMBER, (first, second))
    assert means(comparison) == {first: 0.75}  # 5 and 3 on 1-5, the open pitch left out
    assert comparison.columns.set_index("key").assessors[str(first)] == 2
    assert "panel" in set(frameworks_with_scores(store, sight, "en").code)
    assert set(innovation_options(store, sight, "panel").id) == {first}
    # once staff reveal the second pitch, it is compared too
    sessions.reveal_pitch(store, sid, 2, by=BY_STAFF)
    assert means(compared(store, MEMBER, (first, second))) == {first: 0.75, second: 0.25}


def test_a_funder_outside_the_panel_compares_them_only_once_the_session_is_shared(store):
    sid, (first, second) = held_session(store)
    sessions.reveal_pitch(store, sid, 2, by=BY_STAFF)
    assert sessions.sight(store, OUTSIDER) == Sight(Visibility.SHARED)
    assert compared(store, OUTSIDER, (first, second)).is_empty
    assert "panel" not in set(frameworks_with_scores(store, Visibility.SHARED, "en").code)
    sessions.set_shared(store, sid, True, by=BY_STAFF)
    assert means(compared(store, OUTSIDER, (first, second))) == {first: 0.75, second: 0.25}
    # shared with every funder: the member's sight needs nothing of its own any more
    assert sessions.sight(store, MEMBER) == Sight(Visibility.SHARED)


def test_staff_always_compare_them_and_the_public_never(store):
    sid, (first, second) = held_session(store)
    assert means(compared(store, STAFF, (first, second))) == {first: 0.75, second: 0.25}
    assert sessions.sight(store, PUBLIC) == Sight(Visibility.PUBLISHED)
    assert compared(store, PUBLIC, (first, second)).is_empty
    sessions.set_shared(store, sid, True, by=BY_STAFF)
    assert compared(store, PUBLIC, (first, second)).is_empty  # shared, never published


def test_shared_only_leaves_a_members_unshared_ratings_out(store):
    _, pitches = held_session(store)
    sight = sessions.sight(store, MEMBER)
    narrowed = Selection(ids=pitches, framework="panel", shared_only=True).visibility_for(sight)
    assert narrowed == Sight(Visibility.SHARED)


def workbook(store, comparison) -> dict[str, list[tuple]]:
    made = comparison_workbook(store, comparison, "mean", "dimension", "en", now_in_finland())
    book = openpyxl.load_workbook(io.BytesIO(made))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def test_the_comparison_workbook_holds_the_panel_ratings_the_viewer_sees_and_says_so(store):
    sid, pitches = held_session(store)
    mine = workbook(store, compared(store, MEMBER, pitches))
    provenance = mine["Provenance"]
    kinds = {row[provenance[0].index("Assessment type")] for row in provenance[1:]}
    assessors = {row[provenance[0].index("Assessor")] for row in provenance[1:]}
    assert kinds == {"Funder panel rating"} and assessors == {"Fanni", "Member 1"}
    assert len(provenance) - 1 == 2 * len(CRITERIA)  # the revealed pitch's, not the open one's
    about = " ".join(str(cell) for row in mine["About"] for cell in row)
    assert WITH_PANEL in about
    sessions.set_shared(store, sid, True, by=BY_STAFF)
    theirs = workbook(store, compared(store, OUTSIDER, pitches))
    about = " ".join(str(cell) for row in theirs["About"] for cell in row)
    assert WITH_PANEL not in about and "shared with funders" in about
    # shared: the revealed pitch's ratings; the open one's stay hidden until staff reveal it
    assert len(theirs["Provenance"]) - 1 == 2 * len(CRITERIA)


# the page -------------------------------------------------------------------------------------
OUTSIDER_USER = {"is_logged_in": True, "email": OUTSIDER.identity, "groups": ["funder"]}


@pytest.fixture
def den(template_db: Path, tmp_path: Path) -> tuple[Path, tuple[int, int]]:
    path = tmp_path / "den.duckdb"
    store = copy_store(template_db, path)
    sid, pitches = held_session(store)
    sessions.reveal_pitch(store, sid, 2, by=BY_STAFF)
    store.close()
    return path, pitches


def test_on_the_page_a_member_compares_the_panels_ratings_and_an_outsider_does_not(
    den, tmp_path, monkeypatch
):
    path, (first, second) = den
    access_file(tmp_path, monkeypatch)
    downloads = record_downloads(monkeypatch)
    ids = f"{first},{second}"
    member = run_app(monkeypatch, path, "pages/compare.py", user=FUNDER_USER, ids=ids, fw="panel")
    assert not member.exception, [e.value for e in member.exception]
    assert labelled(member.selectbox, "Framework").value == "panel"
    shown = table(member, "basis")
    assert shown.set_index("name")["mean"].to_dict() == {"Pitch 1": "4.0", "Pitch 2": "2.0"}
    assert any(WITH_PANEL in text for text in texts(member))  # what the scores rest on
    assert len(downloads) == 1
    book = openpyxl.load_workbook(io.BytesIO(downloads[0][1]))
    kinds = {row[3] for row in book["Provenance"].iter_rows(min_row=2, values_only=True)}
    assert kinds == {"Funder panel rating"}

    outsider = run_app(
        monkeypatch, path, "pages/compare.py", user=OUTSIDER_USER, ids=ids, fw="panel"
    )
    assert not outsider.exception, [e.value for e in outsider.exception]
    words = " ".join(texts(outsider))
    assert "Pitch 1" not in words and WITH_PANEL not in words
    assert not [frame for frame in outsider.dataframe if "basis" in frame.value.columns]
    assert len(downloads) == 1  # nothing to export for the outsider
