"""The lion's den library on a real store: sessions move through their states, a member's
saves are one assessment per pitch (updated, never duplicated), results are written on the
framework's own scale and shown only once revealed, to whom the rule of sihub.access allows."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import openpyxl
import pytest

from sihub.access import Role, Viewer
from sihub.db import connect
from sihub.db.migrations import migrate
from sihub.funding import status
from sihub.panel import export, results, scoring, sessions
from sihub.scores import innovation_scores
from tests.builders import BY_STAFF
from tests.builders.panel import panel_session

STAFF = Viewer(Role.STAFF, identity="anna@centre.fi")
FUNDER = Viewer(Role.FUNDER, identity="fanni@fund.fi")
PUBLIC = Viewer()
ALL_FIVE = ("panel_need", "panel_novelty", "panel_results", "panel_scaling", "panel_team")


def scores_of(*levels: str) -> dict[str, str]:
    return dict(zip(ALL_FIVE, levels, strict=False))


@pytest.mark.both_stores
def test_a_pitch_moves_from_waiting_to_open_closed_revealed_and_reopens(store):
    sid = panel_session(store)
    assert [p.state for p in sessions.load_session(store, sid).pitches] == ["waiting"] * 2
    assert sessions.next_pitch(store, sid, by=BY_STAFF) == 1
    with pytest.raises(sessions.PanelStateError):
        sessions.next_pitch(store, sid, by=BY_STAFF) and sessions.close_pitch(
            store, sid, 1, by=BY_STAFF
        )
    state = sessions.load_session(store, sid)
    assert (state.current_position, [p.state for p in state.pitches]) == (2, ["closed", "open"])
    sessions.reveal_pitch(store, sid, 2, by=BY_STAFF)  # an open pitch is closed, then revealed
    sessions.reopen_pitch(store, sid, 1, by=BY_STAFF)
    state = sessions.load_session(store, sid)
    assert (state.current_position, [p.state for p in state.pitches]) == (1, ["open", "revealed"])
    assert (
        sessions.next_pitch(store, sid, by=BY_STAFF) is None
    )  # none waiting: the open one is closed


@pytest.mark.both_stores
def test_an_innovation_is_pitched_once_per_session(store):
    sid = panel_session(store, members=0, pitches=2)
    second = sessions.load_session(store, sid).pitch(2)
    with pytest.raises(sessions.PitchTwiceError) as refused:
        sessions.add_pitch(store, sid, second.innovation_id, by=BY_STAFF)
    assert refused.value.values == {"position": 2, "name": "Pitch 2"}
    assert refused.value.message("en").startswith("“Pitch 2” is already pitch 2 of this session")
    assert len(sessions.load_session(store, sid).pitches) == 2  # nothing was added
    other = panel_session(store, members=0, pitches=0)  # another session may pitch it again
    assert sessions.add_pitch(store, other, second.innovation_id, by=BY_STAFF) == 1


@pytest.mark.both_stores
def test_repeated_saves_update_one_assessment_with_provenance(store):
    sid = panel_session(store, members=2)
    first, second = sessions.members(store, sid)
    sessions.next_pitch(store, sid, by=BY_STAFF)
    scoring.save_scores(store, first, 1, scores_of("3", "3"), "Good start")
    saved = scoring.save_scores(store, first, 1, scores_of("4", "5", "2"), "=cmd|' /C calc'!A0")
    scoring.save_scores(store, second, 1, scores_of("2"), None)
    rows = store.records(
        "SELECT assessment_type, panel_session_id, panel_member_id, saved_at, shared, "
        "assessor_id FROM assessments WHERE panel_session_id = ? ORDER BY panel_member_id",
        [sid],
    )
    assert [(r["assessment_type"], r["panel_member_id"]) for r in rows] == [
        ("funder_panel", first.id),
        ("funder_panel", second.id),
    ]
    assert status.finnish_time(rows[0]["saved_at"]) == saved  # stored in UTC, told in Finnish
    assert rows[0]["assessor_id"] == first.assessor_id
    assert not rows[0]["shared"]  # a session is the panel's own until staff share it
    mine = scoring.saved_scores(store, first, 1)
    assert mine.levels == scores_of("4", "5", "2") and mine.comment.startswith("=cmd")
    assert scoring.scored_count(store, sid, 1) == 2
    sessions.close_pitch(store, sid, 1, by=BY_STAFF)
    with pytest.raises(sessions.PitchNotOpenError):
        scoring.save_scores(store, second, 1, scores_of("5"), None)


def test_thirty_members_saving_at_once_lose_and_duplicate_nothing(tmp_path, template_db):
    from tests.builders import copy_store

    store = copy_store(template_db, tmp_path / "load.duckdb")
    sid = panel_session(store, members=30, pitches=1)
    sessions.next_pitch(store, sid, by=BY_STAFF)
    everyone = sessions.members(store, sid)

    def save_twice(member):
        scoring.save_scores(store, member, 1, scores_of("2", "2"), None)
        return scoring.save_scores(store, member, 1, scores_of("4", "4"), "ok")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(save_twice, everyone))
    assert scoring.scored_count(store, sid, 1) == 30
    assert store.scalar("SELECT count(*) FROM assessments WHERE panel_session_id = ?", [sid]) == 30
    assert (
        store.scalar(
            "SELECT count(*) FROM scores s JOIN assessments a ON a.id = s.assessment_id "
            "WHERE a.panel_session_id = ? AND s.value = 4",
            [sid],
        )
        == 60
    )
    store.close()
    reopened = connect(str(tmp_path / "load.duckdb"))  # an app restart finds every save
    assert scoring.scored_count(reopened, sid, 1) == 30
    reopened.close()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fi", "4,5 / 5"), ("sv", "4,5 / 5"), ("en", "4.5 / 5")],
)
def test_results_show_only_once_revealed_on_the_frameworks_own_scale(store, lang, expected):
    sid = panel_session(store, members=2, pitches=1)
    one, two = sessions.members(store, sid)
    sessions.next_pitch(store, sid, by=BY_STAFF)
    scoring.save_scores(store, one, 1, scores_of("5", "5", "5", "5", "5"), "Bold")
    scoring.save_scores(store, two, 1, scores_of("4", "2", "4", "4", "4"), None)
    session = sessions.load_session(store, sid)
    assert results.pitch_result(store, STAFF, session, 1, lang) is None  # open: counts only
    sessions.reveal_pitch(store, sid, 1, by=BY_STAFF)
    session = sessions.load_session(store, sid)
    result = results.pitch_result(store, STAFF, session, 1, lang)
    shape = results.scale_shape(store, "panel", lang)
    novelty = next(c for c in result.criteria if c.code == "panel_novelty")
    assert (result.members, shape.written(novelty.mean, lang)) == (
        2,
        "3,5 / 5".replace(",", "." if lang == "en" else ","),
    )
    assert shape.written(0.875, lang) == expected
    assert novelty.spread == 0.75 and result.comments == ("Bold",)
    sentence = results.summary_sentence(result, shape, lang)
    assert "Pitch 1" in sentence and shape.written(result.mean, lang) in sentence


def test_a_session_is_seen_by_staff_and_members_and_by_other_funders_once_shared(store):
    sid = panel_session(store, members=1, pitches=1)
    fanni = sessions.add_member(store, sid, "Fanni", identity=FUNDER.identity)
    assert sessions.add_member(store, sid, "Fanni again", identity=FUNDER.identity) == fanni
    sessions.next_pitch(store, sid, by=BY_STAFF)
    scoring.save_scores(store, fanni, 1, scores_of("4", "4", "4", "4", "4"), None)
    sessions.reveal_pitch(store, sid, 1, by=BY_STAFF)
    session = sessions.load_session(store, sid)
    outsider = Viewer(Role.FUNDER, identity="olli@other.fi")
    seen = {
        v.identity: bool(results.revealed_results(store, v, session, "en"))
        for v in (STAFF, FUNDER, outsider, PUBLIC)
    }
    assert seen == {
        STAFF.identity: True,
        FUNDER.identity: True,
        outsider.identity: False,
        None: False,
    }
    innovation = session.pitch(1).innovation_id
    on_profile = innovation_scores(store, "shared", framework="panel", innovation_ids=[innovation])
    assert on_profile.empty  # funders' profiles and comparisons: not yet shared
    sessions.set_shared(store, sid, True, by=BY_STAFF)
    session = sessions.load_session(store, sid)
    assert results.revealed_results(store, outsider, session, "en")
    on_profile = innovation_scores(store, "shared", framework="panel", innovation_ids=[innovation])
    assert on_profile.mean_score.tolist() == [0.75]


def two_pitches(store):
    """A session of two pitches and one member: its id, the member, the pitches' innovations."""
    sid = panel_session(store, members=1, pitches=2)
    (member,) = sessions.members(store, sid)
    session = sessions.load_session(store, sid)
    return sid, member, tuple(session.pitch(n).innovation_id for n in (1, 2))


def rate_both(store, sid: int, member) -> None:
    """Open each pitch in turn and rate it (the first 4s, the second 2s); neither revealed."""
    for position, level in ((1, "4"), (2, "2")):
        sessions.next_pitch(store, sid, by=BY_STAFF)
        scoring.save_scores(store, member, position, scores_of(*[level] * 5), None)


def seen_by_funders(store, innovations) -> set[int]:
    """Which of ``innovations`` funders outside the panel see panel ratings of."""
    rows = innovation_scores(store, "shared", framework="panel", innovation_ids=list(innovations))
    return set(rows.innovation_id)


@pytest.mark.both_stores
def test_a_shared_session_shows_other_funders_a_pitch_only_once_it_is_revealed(store):
    sid, member, pitches = two_pitches(store)
    first = pitches[0]
    sessions.set_shared(store, sid, True, by=BY_STAFF)  # shared before the day's first pitch
    rate_both(store, sid, member)
    assert seen_by_funders(store, pitches) == set()  # saved, closed: none seen before a reveal
    sessions.reveal_pitch(store, sid, 1, by=BY_STAFF)
    assert seen_by_funders(store, pitches) == {first}  # the second is still unrevealed
    sessions.set_shared(store, sid, False, by=BY_STAFF)
    sessions.set_shared(store, sid, True, by=BY_STAFF)
    assert seen_by_funders(store, pitches) == {first}  # sharing again shares the revealed only
    sessions.reopen_pitch(store, sid, 1, by=BY_STAFF)
    assert seen_by_funders(store, pitches) == set()  # reopened for scoring: hidden again


@pytest.mark.both_stores
def test_an_older_store_stops_sharing_ratings_of_pitches_not_revealed(store):
    sid, member, pitches = two_pitches(store)
    rate_both(store, sid, member)
    sessions.reveal_pitch(store, sid, 1, by=BY_STAFF)
    sessions.set_shared(store, sid, True, by=BY_STAFF)
    fix = "m503_panel_ratings_shared_once_revealed"
    with store.transaction() as cur:  # what sharing did before: every rating of the session
        cur.execute("UPDATE assessments SET shared = TRUE WHERE panel_session_id = ?", [sid])
        cur.execute("DELETE FROM _migrations WHERE name = ?", [fix])
    assert migrate(store) == [fix]
    assert seen_by_funders(store, pitches) == {pitches[0]}


def test_the_session_workbook_holds_every_score_comment_and_summary_escaped(store):
    sid = panel_session(store, members=2, pitches=1)
    one, two = sessions.members(store, sid)
    sessions.next_pitch(store, sid, by=BY_STAFF)
    scoring.save_scores(store, one, 1, scores_of("5", "4"), '=HYPERLINK("http://x")')
    scoring.save_scores(store, two, 1, scores_of("3"), "Fine")
    sessions.reveal_pitch(store, sid, 1, by=BY_STAFF)
    data = export.session_workbook(store, STAFF, sessions.load_session(store, sid), "en")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Scores", "Comments", "Summary", "About"]
    assert book["Scores"].max_row == 1 + 3
    comments = [c.value for c in book["Comments"]["D"]][1:]
    assert comments == ['\'=HYPERLINK("http://x")', "Fine"]
    assert "Pitch 1" in book["Summary"]["E2"].value
    with pytest.raises(sessions.PanelError):
        export.session_workbook(store, PUBLIC, sessions.load_session(store, sid), "en")
