"""Links that cannot break a page: every page opens through the frame with each hostile value in
each of its URL parameters, raises nothing, and says which values it left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from sihub.db import connect
from sihub.funding.filters import CallFilter
from sihub.i18n import t
from sihub.navigation import PAGES
from sihub.pipeline.filters import InnovationFilter
from sihub.text import escape_markdown
from sihub.ui import compare, funders
from sihub.urls import shortened
from tests.apptools import run_app

LONG = "x" * 5000
HOSTILE = ("²", "99999999999999999999", "-1", "1e400", "nan", LONG, "")
TEXT = {"q"}  # search text: any short text is a search, only a very long one is left out


def valid_ids(db: Path) -> dict[str, str]:
    """An innovation with assessments and a call, for parameters that need one beside them."""
    store = connect(str(db))
    try:
        return {
            "id": str(store.scalar("SELECT min(innovation_id) FROM assessments")),
            "call": str(store.scalar("SELECT min(id) FROM funding_opportunities")),
        }
    finally:
        store.close()


# page -> groups of (parameters made hostile, valid parameters beside them ("name" for a valid
# id, or "name=value"), open tab)
CASES: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str | None]]] = {
    "pipeline": [((*InnovationFilter.params(), "sort"), (), None)],
    "compare": [(compare.PARAMS, (), None)],
    "funders": [(funders.PARAMS, (), None)],
    "funding": [
        ((*CallFilter.params(), "call"), (), None),
        (("innovation",), (), None),  # opens the innovation's tab (only the open tab is drawn)
        (("fit",), ("call",), None),
    ],
    "ecosystem": [  # each in the section that reads it (only the open tab is drawn)
        (("map", "tab"), (), None),
        (("money",), ("tab=money",), None),
        (("few",), ("tab=what",), None),
    ],
    "profile": [
        (("id", "tab"), (), None),
        (("fw", "cohort"), ("id", "tab=scores"), None),  # in the tab that reads them
    ],
    "overview": [],
    "importing": [],
    "method": [],
    "panel_control": [],  # its session number is read as digits or not at all
    "panel_screen": [],
    "panel_member": [],  # a member token or join code that names nothing joins nothing
}
RUNS = [
    pytest.param(page, hostile, beside, tab, value, id=f"{page}-{'+'.join(beside)}-{value[:20]!r}")
    for page, groups in CASES.items()
    for hostile, beside, tab in groups
    for value in HOSTILE
]


def test_every_page_is_covered():
    assert set(CASES) == {p.key for p in PAGES}


def notices(at) -> list[str]:
    """The left-out notices as the user reads them (Markdown escapes removed)."""
    start = t("url.left_out", lang="en", values="")
    shown = [w.value.replace("\\", "") for w in at.warning]
    return [w for w in shown if w.startswith(start)]


@pytest.mark.parametrize(("page", "hostile", "beside", "tab", "value"), RUNS)
def test_a_hostile_value_is_left_out_with_a_notice(
    demo_db, monkeypatch, page, hostile, beside, tab, value
):
    script = next(p.script for p in PAGES if p.key == page)
    valid = valid_ids(demo_db)
    beside_values = dict(
        p.partition("=")[::2] for p in beside
    )  # "name" (a valid id) or "name=value"
    params = {
        **{p: given or valid[p] for p, given in beside_values.items()},
        **dict.fromkeys(hostile, value),
    }
    at = run_app(monkeypatch, demo_db, script, **params)
    if tab:
        at.session_state["profile.section"] = tab
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page == "profile" and "id" in hostile:  # no innovation to show: the page's own message
        shown = escape_markdown(shortened(value))
        message = t("profile.bad_id" if value else "profile.no_id", lang="en", id=shown)
        assert message in [i.value for i in at.info]
        return
    expected = [p for p in hostile if value and (p not in TEXT or value == LONG)]
    if not expected:
        assert notices(at) == []
        return
    said = " ".join(notices(at))
    assert [p for p in expected if f"{p}=" not in said] == [], said
