"""The lion's den through the real frame (AppTest): staff open a pitch, a member scores it on
the phone view and sees it saved, the room's screen counts it without showing it, and shows
the result on the framework's own scale once staff reveal it; a member joins by code."""

from __future__ import annotations

import pytest

from sihub.i18n import LANGUAGES, catalogue
from sihub.panel import sessions
from tests.apptools import frame_app, is_expanded, labelled, messages, placeholders, texts
from tests.builders import BY_STAFF, copy_store, staff_by
from tests.builders.panel import panel_session


@pytest.fixture
def panel_db(template_db, tmp_path):
    """A store with a session of two pitches and two members; the path and session id."""
    path = tmp_path / "panel.duckdb"
    store = copy_store(template_db, path)
    session_id = panel_session(store, members=2, pitches=2)
    tokens = [m.token for m in sessions.members(store, session_id)]
    store.close()
    return path, session_id, tokens


def score_controls(at, session_id: int) -> list:
    """The criteria's level buttons (the sidebar's language switch is one too)."""
    return [
        c for c in at.segmented_control if (c.key or "").startswith(f"panel_score_{session_id}")
    ]


def metric(at, label: str) -> str:
    return labelled(at.metric, label).value


def test_staff_open_a_member_scores_and_the_screen_counts_then_reveals(
    tmp_path, monkeypatch, panel_db
):
    path, sid, (first, _second) = panel_db
    en = catalogue("en")
    control = frame_app(tmp_path, monkeypatch, path, "pages/panel_control.py", session=sid)
    assert en["panel.not_started"] in texts(control)
    control.button(key="panel_next").click().run()
    assert not control.exception and "Now: Pitch 1" in texts(control)

    phone = frame_app(tmp_path, monkeypatch, path, "pages/panel.py", member=first)
    assert "Pitch 1" in texts(phone) and en["panel.not_saved"] in texts(phone)
    for control_ in score_controls(phone, sid):
        control_.set_value("4")
    phone.text_area(key=f"panel_score_{sid}_1_comment").input("=Bold idea")
    phone.button(key=f"panel_score_{sid}_1_save").click().run()
    assert not phone.exception
    assert "Saved at" in messages(phone.success) and "5 of 5" in messages(phone.success)

    reloaded = frame_app(tmp_path, monkeypatch, path, "pages/panel.py", member=first)
    assert "Saved at" in messages(reloaded.success)  # read back from the store
    assert [c.value for c in score_controls(reloaded, sid)] == ["4"] * 5

    screen = frame_app(tmp_path, monkeypatch, path, "pages/panel_screen.py", session=sid)
    assert metric(screen, en["panel.scored"]) == "1 / 2"
    assert not any("=Bold idea" in text for text in texts(screen))  # counts, not scores
    assert len(screen.image) == 1  # the QR code beside the short link
    assert any("/panel?code=" in text for text in texts(screen))

    control.button(key="panel_reveal").click().run()
    screen = frame_app(tmp_path, monkeypatch, path, "pages/panel_screen.py", session=sid)
    assert metric(screen, en["panel.result"]) == "4.0 / 5"
    assert any("=Bold idea" in text for text in texts(screen))
    # the sentence under the result counts who rated it, in the singular for one member
    assert any(text.startswith("1 panel member rated Pitch 1 4.0 / 5") for text in texts(screen))


def pitch_list(at):
    """The expander that lists the session's pitches and adds them."""
    return next(e for e in at.expander if e.label.startswith("Pitches ("))


def add_from_hub(at, innovation_id: int) -> None:
    at.selectbox(key="panel_pick_innovation").set_value(innovation_id)
    at.button(key="FormSubmitter:panel_add_existing-Add as the next pitch").click().run()


def test_a_new_session_asks_for_pitches_first_keeps_their_list_open_and_refuses_a_repeat(
    tmp_path, monkeypatch, panel_db
):
    from sihub.db import connect
    from tests.builders.panel import DAY

    path, _sid, _ = panel_db
    store = connect(str(path))
    empty = sessions.create_session(store, "Empty", DAY, "panel", by=staff_by("local:staff"))
    first, second = [r[0] for r in store.rows("SELECT id FROM innovations ORDER BY id LIMIT 2")]
    store.close()
    en = catalogue("en")
    control = frame_app(tmp_path, monkeypatch, path, "pages/panel_control.py", session=empty)
    assert en["panel.add_pitches_first"] in texts(control)
    assert en["panel.not_started"] not in texts(control)
    assert control.button(key="panel_next").disabled
    assert pitch_list(control).label == "Pitches (0)" and is_expanded(pitch_list(control))
    add_from_hub(control, first)
    assert not control.exception and not control.error
    assert pitch_list(control).label == "Pitches (1)" and is_expanded(pitch_list(control))
    assert en["panel.not_started"] in texts(control)
    add_from_hub(control, first)  # the same innovation again
    assert "is already pitch 1 of this session" in messages(control.error)
    assert pitch_list(control).label == "Pitches (1)"
    add_from_hub(control, second)
    assert not control.error and pitch_list(control).label == "Pitches (2)"


def test_a_pitch_added_while_the_panel_runs_leaves_the_list_open(tmp_path, monkeypatch, panel_db):
    path, sid, _ = panel_db
    control = frame_app(tmp_path, monkeypatch, path, "pages/panel_control.py", session=sid)
    control.button(key="panel_next").click().run()
    assert not is_expanded(pitch_list(control))  # the running panel's controls come first
    control.text_input(key="panel_new_pitch").input("Late pitch")
    control.button(key="FormSubmitter:panel_add_new-Create and add as the next pitch").click()
    control.run()
    assert not control.exception
    assert pitch_list(control).label == "Pitches (3)" and is_expanded(pitch_list(control))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_member_joins_by_code_and_name_and_waits_for_a_pitch(
    tmp_path, monkeypatch, panel_db, lang
):
    path, sid, _ = panel_db
    store = copy_store(path, tmp_path / "probe.duckdb")
    code = sessions.load_session(store, sid).join_code
    store.close()
    words = catalogue(lang)
    phone = frame_app(tmp_path, monkeypatch, path, "pages/panel.py", lang, code=code)
    phone.text_input(key="panel_join_name").input("Fanni")
    phone.button(key="FormSubmitter:panel_join-" + words["panel.join"]).click().run()
    assert not phone.exception
    assert phone.query_params["member"]  # the phone's address finds the member again
    assert words["panel.wait"] in messages(phone.info)


def test_a_panel_member_sees_the_panel_result_on_the_profile_before_it_is_shared(
    tmp_path, monkeypatch, panel_db
):
    from sihub.db import connect
    from sihub.panel import scoring
    from tests.apptools import FUNDER_USER, access_file, run_app

    path, sid, _tokens = panel_db
    store = connect(str(path))
    fanni = sessions.add_member(store, sid, "Fanni", identity=FUNDER_USER["email"])
    sessions.next_pitch(store, sid, by=BY_STAFF)
    criteria = [
        c for (c,) in store.rows("SELECT code FROM criteria WHERE framework_code = 'panel'")
    ]
    scoring.save_scores(store, fanni, 1, dict.fromkeys(criteria, "4"), None)
    sessions.reveal_pitch(store, sid, 1, by=BY_STAFF)
    innovation = sessions.load_session(store, sid).pitch(1).innovation_id
    store.close()
    access_file(tmp_path, monkeypatch)
    outsider = {"is_logged_in": True, "email": "olli@other.example", "groups": ["funder"]}
    seen = {}
    for who, user in (("member", FUNDER_USER), ("outsider", outsider)):
        at = run_app(monkeypatch, path, "pages/innovation.py", user=user, id=str(innovation))
        at.session_state["profile.section"] = "scores"
        at.run()
        assert not at.exception
        seen[who] = " ".join(texts(at))
    assert "Funder panel ratings" in seen["member"] and "4.0 / 5" in seen["member"]
    assert "Not shared" in seen["member"]
    assert "Funder panel ratings" not in seen["outsider"]  # not a member, not shared yet


def test_where_sign_in_is_configured_a_funder_joins_as_themself_and_others_are_told(
    tmp_path, monkeypatch, panel_db
):
    from tests.apptools import FUNDER_USER, access_file, run_app

    path, sid, _ = panel_db
    store = copy_store(path, tmp_path / "probe.duckdb")
    code = sessions.load_session(store, sid).join_code
    store.close()
    access_file(tmp_path, monkeypatch)
    public = {"is_logged_in": True, "email": "pia@example.org", "name": "Pia"}
    phone = run_app(monkeypatch, path, "pages/panel.py", user=public, code=code)
    assert not phone.exception
    assert "Sign in as a funder to join the panel." in messages(phone.info)
    phone = run_app(monkeypatch, path, "pages/panel.py", user=FUNDER_USER, code=code)
    assert not [w for w in phone.text_input if w.key == "panel_join_name"]  # named by sign-in
    phone.button(key="FormSubmitter:panel_join-Join the panel").click().run()
    assert not phone.exception
    from sihub.db import open_store

    joined = sessions.member_by_identity(open_store(str(path)), sid, FUNDER_USER["email"])
    assert joined is not None and joined.name == FUNDER_USER["name"]
    # another phone of the same funder, with the code only, is the same member
    again = run_app(monkeypatch, path, "pages/panel.py", user=FUNDER_USER, code=code)
    assert not again.exception
    assert "Waiting for the next pitch" in messages(again.info)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_pitch_picker_asks_in_the_readers_language(tmp_path, monkeypatch, panel_db, lang):
    path, sid, _ = panel_db
    control = frame_app(tmp_path, monkeypatch, path, "pages/panel_control.py", lang, session=sid)
    asked = placeholders(control)["panel_pick_innovation"]
    assert asked == catalogue(lang)["panel.pick_innovation"]  # never "Choose an option"
