"""The ecosystem page's downloads read in Finnish and Swedish: every file is named in the
page's language, whichever way the money tab groups the awards."""

import re

import pytest

from sihub.ui.ecosystem import MONEY_BY
from tests.apptools import frame_app, record_downloads

EXPECTED = {
    "fi": {"funder": "myönnöt-rahoittajittain", "region": "myönnöt-alueittain"},
    "sv": {"funder": "beviljanden-per-finansiär", "region": "beviljanden-per-område"},
    "en": {"funder": "awards-by-funder", "region": "awards-by-region"},
}


def money_names(tmp_path, monkeypatch, db, lang: str) -> set[str]:
    """The stems of the files the money tab offers in ``lang``, for each grouping of awards."""
    offered = record_downloads(monkeypatch)
    for by in MONEY_BY:
        frame_app(tmp_path, monkeypatch, db, "pages/ecosystem.py", lang, tab="money", money=by)
    return {re.sub(r"(-DEMO)?\.(csv|xlsx)$", "", name) for name, _ in offered}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_money_tabs_downloads_are_named_in_the_pages_language(
    tmp_path, monkeypatch, demo_copy, lang
):
    # a Finnish or Swedish reader got 'awards-by-funder.csv', 'awards-by-region.csv'
    english = money_names(tmp_path, monkeypatch, demo_copy, "en")
    native = money_names(tmp_path, monkeypatch, demo_copy, lang)
    assert set(EXPECTED["en"].values()) <= english
    assert set(EXPECTED[lang].values()) <= native, native
    assert not native & english, native & english
