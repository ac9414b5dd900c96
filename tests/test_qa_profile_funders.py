"""The funder view's briefing-pack button in Finnish, Swedish and English: the number of
shortlisted innovations and the word agree ("1 innovation", never "1 innovationer")."""

from __future__ import annotations

import pytest

from tests.apptools import labelled, run_app

BUTTON = {
    "fi": (
        "Lataa koostepaketti (1 innovaatio, Excel)",
        "Lataa koostepaketti (2 innovaatiota, Excel)",
    ),
    "sv": (
        "Ladda ned sammandragspaketet (1 innovation, Excel)",
        "Ladda ned sammandragspaketet (2 innovationer, Excel)",
    ),
    "en": (
        "Download the briefing pack (1 innovation, Excel)",
        "Download the briefing pack (2 innovations, Excel)",
    ),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_briefing_button_counts_in_the_singular_for_one(demo_copy, monkeypatch, lang):
    one, two = BUTTON[lang]
    for shortlist, label in (("3", one), ("3,37", two)):
        at = run_app(monkeypatch, demo_copy, "pages/funders.py", lang=lang, today="",
                     shortlist=shortlist)  # fmt: skip
        assert not at.exception, [e.value for e in at.exception]
        assert labelled(at.get("download_button"), label)
