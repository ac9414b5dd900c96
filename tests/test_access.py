"""Roles, the viewer and the role mapping (``sihub.access``): who gets which role from the
signed identity, and what each visibility sees."""

from pathlib import Path

import pytest

from sihub.access import (
    Role,
    Viewer,
    Visibility,
    at_least,
    narrowest,
    visible_assessments_sql,
)
from sihub.access.settings import (
    DEFAULT_FILE,
    AccessSettings,
    load_settings,
    role_of,
    viewer_for,
)
from sihub.errors import DataFileError

MAPPING = """
[access]
anonymous = "public"
signed_in = "public"
claim = "groups"

[roles.staff]
emails = ["Boss@Partner.example"]
domains = ["centre.example"]
claim_values = ["staff"]

[roles.funder]
domains = ["@foundation.example"]
claim_values = ["funders"]
"""


@pytest.fixture
def settings(tmp_path: Path) -> AccessSettings:
    path = tmp_path / "access.toml"
    path.write_text(MAPPING, encoding="utf-8")
    return load_settings(path)


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"email": "anna@centre.example"}, Role.STAFF),  # the centre's domain
        ({"email": "boss@partner.example"}, Role.STAFF),  # one address, case ignored
        ({"email": "olli@partner.example"}, Role.PUBLIC),  # nothing matches: signed_in
        ({"email": "fia@foundation.example"}, Role.FUNDER),
        ({"email": "x@else.example", "groups": ["funders"]}, Role.FUNDER),  # the claim
        ({"email": "x@else.example", "groups": "staff"}, Role.STAFF),  # one value as text
        ({"email": "fia@foundation.example", "groups": ["staff"]}, Role.STAFF),  # the highest
        ({"email": "anna@centre.example", "email_verified": False}, Role.PUBLIC),
        ({"email": "x@centre.example.evil", "groups": ["other"]}, Role.PUBLIC),  # no suffix match
        ({"email": "x@else.example", "roles": ["staff"]}, Role.PUBLIC),  # another claim
    ],
)
def test_a_signed_in_user_gets_the_highest_role_a_rule_gives(settings, claims, role):
    assert role_of(claims, settings) == role


def test_the_viewer_comes_from_the_signed_identity(settings):
    claims = {"is_logged_in": True, "email": "anna@centre.example", "name": "Anna", "sub": "a1"}
    viewer = viewer_for(claims, settings, sign_in=True)
    assert viewer == Viewer(Role.STAFF, identity="anna@centre.example", name="Anna")
    assert viewer.visibility == Visibility.ALL
    # without an address the subject identifies the user
    funder = viewer_for({"is_logged_in": True, "sub": "f9", "groups": ["funders"]}, settings, True)
    assert (funder.role, funder.identity) == (Role.FUNDER, "f9")


def test_a_visitor_who_has_not_signed_in_gets_what_the_setting_says(settings):
    assert viewer_for({"is_logged_in": False}, settings, sign_in=True) == Viewer(Role.PUBLIC)
    # claims without the signed-in flag are not a sign-in
    assert viewer_for({"email": "anna@centre.example"}, settings, True) == Viewer(Role.PUBLIC)
    closed = AccessSettings(anonymous="none")
    assert viewer_for({"is_logged_in": False}, closed, sign_in=True) is None


def test_local_mode_is_staff_for_the_person_at_the_machine(settings):
    viewer = viewer_for(None, settings, sign_in=False, user="mia")
    assert (viewer.role, viewer.identity, viewer.local) == (Role.STAFF, "local:mia", True)


def test_the_committed_mapping_is_valid_and_asks_anonymous_visitors_to_sign_in():
    committed = load_settings(DEFAULT_FILE)
    assert committed.anonymous == "none"
    assert committed.signed_in == Role.PUBLIC
    assert role_of({"email": "someone@thl.fi"}, committed) == Role.STAFF


@pytest.mark.parametrize(
    "text",
    [
        '[access]\nanonymous = "everyone"',
        '[access]\nsigned_in = "admin"',
        "[roles.admin]\nemails = []",
        '[roles.staff]\nemails = "a@b.c"',
        "not toml = = =",
    ],
)
def test_a_mapping_that_cannot_be_used_is_an_error_naming_the_file(tmp_path, text):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"bad\.toml"):
        load_settings(path)


def test_a_missing_mapping_named_by_the_setting_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SIHUB_ACCESS", str(tmp_path / "nowhere.toml"))
    with pytest.raises(DataFileError, match=r"nowhere\.toml"):
        load_settings()


def test_each_role_sees_everything_the_one_before_sees():
    assert [at_least(r, Role.FUNDER) for r in Role] == [False, True, True]
    assert narrowest(Visibility.ALL, Visibility.SHARED) == Visibility.SHARED
    assert narrowest("published", "all") == Visibility.PUBLISHED
    with pytest.raises(ValueError):
        narrowest("everything")
    assert Viewer(Role.FUNDER).may("provenance")
    assert not Viewer(Role.FUNDER).may("import")


def test_the_visibility_rule_on_assessments(store):
    """published ⊂ shared ⊂ all, on real rows: an internal assessment marked published stays
    internal."""
    cur = store.cursor()
    cur.execute(
        "CREATE TEMP TABLE x AS SELECT * FROM (VALUES (1, TRUE, TRUE), (2, TRUE, FALSE), "
        "(3, FALSE, TRUE), (4, FALSE, FALSE), (5, TRUE, NULL)) v(id, shared, published)"
    )
    seen = {
        v: [r[0] for r in cur.execute(f"SELECT id FROM x a WHERE {visible_assessments_sql(v)} "
                                      "ORDER BY id").fetchall()]
        for v in Visibility
    }  # fmt: skip
    assert seen == {"published": [1], "shared": [1, 2, 5], "all": [1, 2, 3, 4, 5]}
    with pytest.raises(ValueError):
        visible_assessments_sql("all", alias="a; DROP TABLE x")
