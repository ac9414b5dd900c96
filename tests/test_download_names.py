"""A downloaded file is named in the language the page was read in: a Finnish or Swedish
reader of the ecosystem, funding and explorer pages got 'innovations-by-area.csv',
'funding-calls.xlsx', 'sihub-innovations-….csv'."""

import re
from datetime import datetime

import pytest

from sihub.compare import export as compare_export
from sihub.funders import briefing
from tests.apptools import frame_app, record_downloads

PAGES = [
    ("pages/ecosystem.py", {}),
    ("pages/ecosystem.py", {"tab": "quality"}),
    ("pages/funding.py", {}),
    ("pages/pipeline.py", {}),
]


def offered_names(tmp_path, monkeypatch, db, lang: str) -> list[str]:
    """The stems of the files the pages offer in ``lang`` (no extension, no -DEMO), but for the
    exports for Innokylä and SIM, which are named after the service they go to."""
    offered = record_downloads(monkeypatch)
    for page, params in PAGES:
        frame_app(tmp_path, monkeypatch, db, page, lang, **params)
    stems = [re.sub(r"(-DEMO)?\.(csv|xlsx|zip)$", "", name) for name, _ in offered]
    return [s for s in stems if not s.startswith(("sihub-innokyla-", "sihub-sim-"))]


@pytest.mark.parametrize(
    ("lang", "expected"), [("fi", "innovaatiot-alueittain"), ("sv", "innovationer-per-område")]
)
def test_download_names_are_in_the_pages_language(tmp_path, monkeypatch, demo_copy, lang, expected):
    english = offered_names(tmp_path, monkeypatch, demo_copy, "en")
    native = offered_names(tmp_path, monkeypatch, demo_copy, lang)
    assert "innovations-by-area" in english and expected in native
    assert len(native) == len(english) >= 8, (native, english)
    assert not set(native) & set(english), set(native) & set(english)


@pytest.mark.parametrize(
    ("lang", "comparison", "pack"),
    [
        ("fi", "sihub-vertailu-2026-06-01.xlsx", "sihub-koostepaketti-2026-06-01.xlsx"),
        ("sv", "sihub-jämförelse-2026-06-01.xlsx", "sihub-sammandragspaket-2026-06-01.xlsx"),
        ("en", "sihub-comparison-2026-06-01.xlsx", "sihub-briefing-2026-06-01.xlsx"),
    ],
)
def test_the_comparison_and_the_briefing_pack_are_named_in_the_language(lang, comparison, pack):
    day = datetime(2026, 6, 1, 9, 30)
    assert compare_export.file_name(day, lang) == comparison
    assert briefing.file_name(day, lang) == pack
