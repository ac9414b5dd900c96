"""Roles through the real frame (AppTest): what each role is offered, the polite page for a
page of another role, the sign-in page, who is signed in, and, on the visibility hub, every
page and download as a funder without the internal rating (and as staff with it). The role
comes from the signed identity alone: URL parameters and widget state cannot raise it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sihub.access import Role
from sihub.db import connect
from sihub.navigation import offered_to
from tests.apptools import (
    FUNDER_USER,
    NOBODY,
    STAFF_USER,
    access_file,
    links,
    messages,
    record_downloads,
    run_app,
    table,
    texts,
    title,
)
from tests.builders import copy_store
from tests.builders.visibility import INTERNAL_TEXTS, TODAY, visibility_store

# The internal rating as pages round it too: 4.8 on its 1-5 scale, 95.8 on 0-100, 0.96 on 0-1
# (the hub's other scores are whole numbers, and no mean of them comes near).
MARKS = (*INTERNAL_TEXTS, "4.8", "4,8", "0.957", "0.958", "0.96", "95.7", "95.8", "95,8")
NEEDS_ROLE = "This page needs another role"


@pytest.fixture(scope="module")
def hub(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The visibility hub as a closed DuckDB file, read by every test of the module."""
    store, ids = visibility_store(template_db, tmp_path_factory.mktemp("roles"))
    path = Path(store.path)
    store.close()
    return path, ids


@pytest.fixture
def downloads(monkeypatch) -> list[tuple[str, bytes]]:
    return record_downloads(monkeypatch)


def app(monkeypatch, tmp_path, db, page=None, user=None, anonymous="none", **params) -> AppTest:
    access_file(tmp_path, monkeypatch, anonymous)
    at = run_app(monkeypatch, db, page, today=TODAY.isoformat(), user=user, timeout=120, **params)
    assert not at.exception, [e.value for e in at.exception]
    return at


def everything(at: AppTest, offered: list[tuple[str, bytes]] = ()) -> str:
    """What a user can read or download: texts, tables, links and the downloads' bytes."""
    frames = [e.value for e in [*at.dataframe, *at.table]]
    parts = [*texts(at), *links(at), *(f.to_csv() for f in frames if isinstance(f, pd.DataFrame))]
    parts += [_file_text(data) for _, data in offered]
    return "\n".join(parts)


def _file_text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if not data.startswith(b"PK"):
        return data.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        members = {name: zipped.read(name) for name in zipped.namelist()}
    if "[Content_Types].xml" not in members:  # a zip of files (the Innokylä and SIM exports)
        return "\n".join(_file_text(content) for content in members.values())
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(
        f"{round(v, 4):g}" if isinstance(v, float) else str(v)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    )


def marks(text: str) -> list[str]:
    return [m for m in MARKS if m in text]


# --- navigation: each role is offered its own pages --------------------------------------------
FUNDERS_PAGES = {"overview", "pipeline", "funding", "method", "ecosystem", "compare", "funders"}


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (Role.PUBLIC, {"overview", "pipeline", "funding", "method"}),
        (Role.FUNDER, FUNDERS_PAGES),
        (Role.STAFF, {*FUNDERS_PAGES, "importing", "panel_control", "panel_screen"}),
        (None, set()),  # sign-in required and nobody signed in: the sign-in page only
    ],
)
def test_the_navigation_lists_the_pages_of_the_role(role, offered):
    assert {p.key for p in offered_to(role)} == offered


# --- a page of another role, the sign-in page, who is signed in ---------------------------------
def test_a_funder_who_opens_the_import_page_is_told_politely_and_sees_nothing_of_it(
    monkeypatch, tmp_path, hub
):
    at = app(monkeypatch, tmp_path, hub[0], "pages/import.py", user=FUNDER_USER)
    assert title(at) == NEEDS_ROLE
    assert "“Import” is for the staff roles. You are viewing the hub as funder." in messages(
        at.info
    )
    assert not at.get("file_uploader") and not at.dataframe  # no upload, no history
    assert "visibility.xlsx" not in everything(at)


def test_a_visitor_of_the_public_view_is_offered_sign_in_for_a_funders_page(
    monkeypatch, tmp_path, hub
):
    at = app(monkeypatch, tmp_path, hub[0], "pages/compare.py", user=NOBODY, anonymous="public")
    assert title(at) == NEEDS_ROLE
    assert "Sign in" in [b.label for b in at.button]
    assert not at.dataframe and not marks(everything(at))


def test_without_the_public_view_a_visitor_gets_only_the_sign_in_page(monkeypatch, tmp_path, hub):
    for page in (None, "pages/innovation.py"):
        at = app(monkeypatch, tmp_path, hub[0], page, user=NOBODY, id=str(hub[1]["V1"]))
        assert title(at) == "Sign in to SI Hub"
        assert [b.label for b in at.button] == ["Sign in"]
        assert not at.dataframe and not at.metric and "Avoin polku" not in everything(at)


def test_the_sidebar_says_who_is_signed_in_and_in_which_role(monkeypatch, tmp_path, hub):
    at = app(monkeypatch, tmp_path, hub[0], user=STAFF_USER)
    assert "Signed in as **Anna Staff** (staff)" in [m.value for m in at.sidebar.markdown]
    assert "Sign out" in [b.label for b in at.sidebar.button]
    local = app(monkeypatch, tmp_path, hub[0])  # no [auth]: local mode
    notice = "Local mode: no sign-in; anyone who can reach this address is staff."
    assert any(notice in str(c.value) for c in local.sidebar.caption)
    assert "Sign out" not in [b.label for b in local.sidebar.button]


def test_a_signed_in_user_whom_no_rule_names_gets_the_public_role(monkeypatch, tmp_path, hub):
    stranger = {"is_logged_in": True, "email": "olli@muu.example", "name": "Olli"}
    at = app(monkeypatch, tmp_path, hub[0], "pages/funders.py", user=stranger)
    assert title(at) == NEEDS_ROLE
    assert "(public)" in " ".join(m.value for m in at.sidebar.markdown)


# --- every page as a funder, and as staff --------------------------------------------------------
def _pages(ids: dict[str, int]) -> list[tuple[str, dict[str, str]]]:
    every = ",".join(str(ids[r]) for r in ("V1", "V2", "V3"))
    return [
        ("pages/overview.py", {}),
        ("pages/pipeline.py", {"sort": "score"}),
        ("pages/innovation.py", {"id": str(ids["V1"])}),
        ("pages/innovation.py", {"id": str(ids["V2"])}),  # rated internally only
        ("pages/innovation.py", {"id": str(ids["V2"]), "tab": "scores"}),
        ("pages/compare.py", {"ids": every, "shared": "0"}),  # "include internal", by link
        ("pages/compare.py", {"ids": every, "view": "dots"}),
        ("pages/funders.py", {"shortlist": every, "enough": "1"}),
        ("pages/funding.py", {"innovation": str(ids["V2"])}),
        ("pages/ecosystem.py", {}),
        ("pages/method.py", {}),
    ]


# The files the pages above offer: the explorer's CSV and Excel, the comparison workbook, the
# briefing pack of the shortlist and the funding matches.
DOWNLOADS = ("sihub-innovations", "comparison", "briefing", "calls")


def test_no_page_or_download_shows_a_funder_the_internal_rating(
    monkeypatch, tmp_path, hub, downloads
):
    db, ids = hub
    names = []
    for page, params in _pages(ids):
        downloads.clear()
        at = app(monkeypatch, tmp_path, db, page, user=FUNDER_USER, **params)
        shown = everything(at, downloads)
        assert marks(shown) == [], (page, params)
        names += [name for name, _ in downloads]
    assert all(any(d in n for n in names) for d in DOWNLOADS), names
    # the funder table (whose ticked rows lead to their profiles) never lists V2
    at = app(monkeypatch, tmp_path, db, "pages/funders.py", user=FUNDER_USER)
    listed = table(at, "gates")["name"].tolist()
    assert listed and "Salainen kasvu" not in listed


def test_staff_see_the_internal_rating_on_the_same_pages(monkeypatch, tmp_path, hub, downloads):
    db, ids = hub
    seen, files = set(), set()
    for page, params in _pages(ids):
        downloads.clear()
        at = app(monkeypatch, tmp_path, db, page, user=STAFF_USER, **params)
        if marks(everything(at)):
            seen.add(page)
        files |= {name for name, data in downloads if marks(_file_text(data))}
    assert {
        "pages/pipeline.py",
        "pages/innovation.py",
        "pages/compare.py",
        "pages/funders.py",
    } <= seen
    assert all(any(d in n for n in files) for d in DOWNLOADS), files


# --- the role cannot be raised from the browser --------------------------------------------------
def test_url_parameters_and_widget_state_do_not_raise_a_funders_role(monkeypatch, tmp_path, hub):
    db, ids = hub
    raise_it = {"role": "staff", "viewer": "staff", "access": "staff", "local": "1", "shared": "0"}
    at = app(monkeypatch, tmp_path, db, "pages/import.py", user=FUNDER_USER, **raise_it)
    assert title(at) == NEEDS_ROLE
    # whatever a browser writes into the session's widget state
    for key in ("role", "viewer", "access_role", "_viewer", "cmp_shared", "import_who"):
        at.session_state[key] = "staff" if key != "cmp_shared" else False
    at.run()
    assert title(at) == NEEDS_ROLE and not at.exception
    at.switch_page("pages/compare.py")
    at.query_params.update({"ids": f"{ids['V1']},{ids['V2']}", "shared": "0", "role": "staff"})
    at.session_state["cmp_shared"] = False
    at.run()
    assert not at.exception and marks(everything(at)) == []
    assert "(funder)" in " ".join(m.value for m in at.sidebar.markdown)


def test_an_action_of_another_role_is_not_offered(monkeypatch, tmp_path, hub):
    """The funding catalogue's link to the Import page is for staff only."""
    db = hub[0]
    staff = app(monkeypatch, tmp_path, db, "pages/funding.py", user=STAFF_USER)
    funder = app(monkeypatch, tmp_path, db, "pages/funding.py", user=FUNDER_USER)
    assert any("import" in link for link in links(staff))
    assert not any("import" in link for link in links(funder))


def test_the_funder_view_says_which_assessments_the_viewers_ranking_uses(
    monkeypatch, tmp_path, hub
):
    # staff's ranking includes internal assessments: it never claims to use shared ones only
    said = {}
    for who, user in (("funder", FUNDER_USER), ("staff", STAFF_USER)):
        at = app(monkeypatch, tmp_path, hub[0], "pages/funders.py", user=user)
        said[who] = " ".join(c.value for c in at.caption)
    assert "Only assessments shared with funders are used" in said["funder"]
    assert "internal ones included" not in said["funder"]
    assert "internal ones included" in said["staff"]
    assert "Only assessments shared with funders" not in said["staff"]


# --- provenance: the files the hub was imported from are for funders and staff ------------------
IMPORT_FILE = "visibility.xlsx"  # the file the visibility hub was imported from


def _call_id(db: Path) -> int:
    store = connect(str(db))
    try:
        return int(store.scalar("SELECT min(id) FROM funding_opportunities"))
    finally:
        store.close()


def _provenance_pages(db: Path, ids: dict[str, int]) -> list[tuple[str, dict[str, str]]]:
    """The pages a public visitor may open that show innovations, assessments or calls, with
    every tab and download that could name a file."""
    v1 = str(ids["V1"])
    return [
        ("pages/pipeline.py", {"sort": "score"}),
        ("pages/innovation.py", {"id": v1}),
        ("pages/innovation.py", {"id": v1, "tab": "scores"}),
        ("pages/innovation.py", {"id": v1, "tab": "related"}),
        ("pages/funding.py", {"call": str(_call_id(db))}),
        ("pages/funding.py", {"innovation": v1}),
    ]


def test_no_public_page_or_download_names_the_file_a_record_was_imported_from(
    monkeypatch, tmp_path, hub, downloads
):
    db, ids = hub
    offered = []
    for page, params in _provenance_pages(db, ids):
        downloads.clear()
        at = app(monkeypatch, tmp_path, db, page, user=NOBODY, anonymous="public", **params)
        assert IMPORT_FILE not in everything(at, downloads), (page, params)
        offered += [name for name, _ in downloads]
    assert all(any(d in n for n in offered) for d in ("sihub-innovations", "funding-calls"))


def test_a_funder_sees_where_records_came_from(monkeypatch, tmp_path, hub, downloads):
    db, ids = hub
    seen = set()
    for page, params in _provenance_pages(db, ids):
        downloads.clear()
        at = app(monkeypatch, tmp_path, db, page, user=FUNDER_USER, **params)
        if IMPORT_FILE in everything(at, downloads):
            seen.add(page)
    assert seen == {"pages/pipeline.py", "pages/innovation.py", "pages/funding.py"}


# --- an empty hub: only staff are told to import ------------------------------------------------
@pytest.fixture(scope="module")
def empty_hub(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = copy_store(template_db, tmp_path_factory.mktemp("empty") / "empty.duckdb")
    path = Path(store.path)
    store.close()
    return path


EMPTY_PAGES = ("pages/overview.py", "pages/pipeline.py", "pages/funding.py")
STAFF_ADD_IT = "The staff of the Social Innovation Competence Centre add"


@pytest.mark.parametrize(
    "visitor", [{"user": NOBODY, "anonymous": "public"}, {"user": FUNDER_USER}], ids=str
)
def test_an_empty_hub_tells_the_public_and_funders_that_the_staff_add_the_data(
    monkeypatch, tmp_path, empty_hub, visitor
):
    for page in (*EMPTY_PAGES, *(["pages/funders.py"] if visitor["user"] is FUNDER_USER else [])):
        at = app(monkeypatch, tmp_path, empty_hub, page, **visitor)
        said = messages(at.info)
        assert STAFF_ADD_IT in said, (page, said)
        assert "import" not in said.lower() and "python -m sihub" not in said, (page, said)
        assert str(empty_hub) not in everything(at)  # nor where the store lies
        assert not any("import" in link for link in links(at)), page


def test_an_empty_hub_tells_staff_how_to_load_data_with_a_link(monkeypatch, tmp_path, empty_hub):
    for page in EMPTY_PAGES:
        at = app(monkeypatch, tmp_path, empty_hub, page, user=STAFF_USER)
        said = messages(at.info)
        assert "import" in said.lower() and STAFF_ADD_IT not in said, page
        assert any(link.startswith("/import") for link in links(at)), (page, links(at))


# --- a profile without assessments the viewer sees ----------------------------------------------
@pytest.mark.parametrize(
    ("visitor", "said"),
    [
        (
            {"user": NOBODY, "anonymous": "public"},
            "There are no published assessment results for this innovation yet.",
        ),
        (
            {"user": FUNDER_USER},
            "No assessment results of this innovation have been shared with funders yet.",
        ),
    ],
    ids=("public", "funder"),
)
def test_a_profile_says_no_results_are_published_or_shared_never_that_none_were_made(
    monkeypatch, tmp_path, hub, visitor, said
):
    db, ids = hub
    # V2 has only an internal assessment; V3 a shared one that is not published
    shown = [ids["V2"]] + ([ids["V3"]] if visitor["user"] is NOBODY else [])
    for innovation in shown:
        at = app(
            monkeypatch, tmp_path, db, "pages/innovation.py", id=str(innovation), tab="scores",
            **visitor,
        )  # fmt: skip
        assert said in messages(at.info)
        assert "not been assessed" not in everything(at)


def test_the_funding_matches_say_which_assessments_the_viewers_scores_use(
    monkeypatch, tmp_path, hub
):
    said = {}
    for who, user in (("funder", FUNDER_USER), ("staff", STAFF_USER)):
        v1 = str(hub[1]["V1"])
        at = app(monkeypatch, tmp_path, hub[0], "pages/funding.py", user=user, innovation=v1)
        said[who] = " ".join(c.value for c in at.caption)
    assert "Assessments used: assessments shared with funders only" in said["funder"]
    assert "Assessments used: all assessments, internal ones included" in said["staff"]
    assert "shared external assessments" not in said["staff"]


def test_no_page_tells_staff_that_their_figures_rest_on_shared_assessments(
    monkeypatch, tmp_path, hub, downloads
):
    """Staff's figures rest on every assessment: no text or download calls them shared ones
    (the funder-facing wording), unless staff chose "shared only" themselves."""
    db, ids = hub
    for page, params in _pages(ids):
        if params.get("shared") == "0" or page == "pages/compare.py":
            continue  # the comparison's own choice of shared or all, said as chosen
        downloads.clear()
        at = app(monkeypatch, tmp_path, db, page, user=STAFF_USER, **params)
        shown = everything(at, downloads)
        assert "shared external" not in shown, (page, params)
        assert "shared with funders only" not in shown, (page, params)


def test_no_public_page_or_download_of_the_demo_hub_names_a_demo_import_file(
    monkeypatch, tmp_path, demo_db, downloads
):
    store = connect(str(demo_db))
    try:
        files = [r[0] for r in store.rows("SELECT DISTINCT file_name FROM import_batches")]
        published = store.scalar(
            "SELECT min(innovation_id) FROM assessments WHERE shared AND published IS TRUE"
        )
        call = store.scalar("SELECT min(id) FROM funding_opportunities")
        today = store.meta("demo_reference_date")
    finally:
        store.close()
    assert files and published is not None
    monkeypatch.setenv("SIHUB_TODAY", today)
    pages = [
        ("pages/pipeline.py", {}),
        ("pages/innovation.py", {"id": str(published)}),
        ("pages/innovation.py", {"id": str(published), "tab": "scores"}),
        ("pages/innovation.py", {"id": str(published), "tab": "related"}),
        ("pages/funding.py", {"call": str(call)}),
        ("pages/funding.py", {"innovation": str(published)}),
    ]
    for page, params in pages:
        downloads.clear()
        access_file(tmp_path, monkeypatch, "public")
        at = run_app(monkeypatch, demo_db, page, today=today, user=NOBODY, timeout=120, **params)
        assert not at.exception, [e.value for e in at.exception]
        shown = everything(at, downloads)
        assert [f for f in files if f in shown] == [], (page, params)
