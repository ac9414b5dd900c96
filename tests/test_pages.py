"""Each page runs without an exception on the demo data, in every language, and shows its key
content; an empty store still starts and says how to load data."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from sihub.i18n import LANGUAGES, catalogue
from sihub.navigation import PAGES
from tests.apptools import RAW_KEY, run_app, table, texts, title


def run(monkeypatch, db, page: str | None = None, lang: str = "en") -> AppTest:
    """The app through its frame (``run_app``), which must not raise."""
    at = run_app(monkeypatch, db, page, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_overview_shows_the_ecosystem_at_a_glance(monkeypatch, demo_db):
    at = run(monkeypatch, demo_db)
    assert title(at) == "Overview"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Innovations"] == "80"
    assert metrics["Organisations"] == "44"  # 40 in Finland and 4 partners abroad
    assert int(metrics["Assessments"]) > 150
    notes = [c.value for c in at.caption]
    assert any("per project, as the calls state" in n for n in notes)  # a range, not a sum
    assert not any("in total" in n for n in notes)
    assert any("Most innovations are at" in m.value for m in at.markdown)
    assert any("Demo data" in m.value for m in at.markdown)  # the demo badge


@pytest.mark.parametrize(
    ("lang", "pattern"),
    [("fi", r"\d+\u00a0% kaikista innovaatioista"), ("en", r"\d+% of all innovations")],
)
def test_overview_shows_the_assessed_share_as_a_share(monkeypatch, demo_db, lang, pattern):
    at = run(monkeypatch, demo_db, lang=lang)
    notes = [c.value for c in at.caption]
    assert any(re.fullmatch(pattern, n) for n in notes), notes


def test_method_page_explains_frameworks_and_marks_the_provisional_one(monkeypatch, demo_db):
    at = run(monkeypatch, demo_db, "pages/method.py")
    labels = [e.label.replace("\\", "") for e in at.expander]
    assert "SI assessment tool (provisional)" in labels
    assert "Nesta standards of evidence" in labels
    assert any("Provisional" in m.value for m in at.markdown)
    assert any("never zero" in m.value for m in at.markdown)
    # the provisional framework is open with its criteria; a closed one's drawn when opened
    opened = len(at.table)
    assert opened >= 1
    at.session_state["method_fw.nesta_soe"] = True
    at.run()
    assert len(at.table) == opened + 1


@pytest.mark.parametrize(("lang", "quarter"), [("fi", "0,25"), ("sv", "0,25"), ("en", "0.25")])
def test_a_scales_levels_are_written_with_the_languages_decimal_mark(
    monkeypatch, demo_db, lang, quarter
):
    at = run(monkeypatch, demo_db, "pages/method.py", lang=lang)
    written = [
        value
        for shown in at.dataframe  # a table per scale of the open framework
        if {"code", "label", "normalised"} <= set(shown.value.columns)
        for value in shown.value.normalised
    ]
    assert quarter in written  # the SI tool's "2" on 1-5


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", [p.script for p in PAGES])
def test_every_page_in_every_language_shows_no_raw_keys(monkeypatch, demo_db, page, lang):
    at = run(monkeypatch, demo_db, page, lang=lang)
    keys = set(catalogue("en"))
    raw = [text for text in texts(at) if RAW_KEY.match(text) or text in keys]
    assert raw == []


def test_empty_store_starts_and_says_how_to_load_data(monkeypatch, tmp_path):
    at = run(monkeypatch, tmp_path / "empty.duckdb")
    assert any("python -m sihub demo" in i.value for i in at.info)
    assert not at.metric


def test_a_visit_to_every_page_keeps_each_pages_answers(monkeypatch, demo_copy):
    """A server keeps what its pages computed while it fits its memory, not a count of
    answers: after visitors have opened every page, the explorer's rows and the funder
    view's ranking are not computed again for the next ones (at a fixed count of 32 the
    twelve pages pushed each other's answers out, and visits were up to 5 times slower)."""
    from sihub import pipeline
    from sihub.ui import funders

    computed = []

    def counted(module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            computed.append(name)
            return original(*args, **kwargs)

        wrapper.__module__, wrapper.__name__ = original.__module__, original.__name__
        monkeypatch.setattr(module, name, wrapper)

    counted(pipeline, "results")
    counted(funders, "ranked")
    visit = [(page.script, lang) for lang in LANGUAGES for page in PAGES]  # three visitors
    for script, lang in visit:
        run(monkeypatch, demo_copy, script, lang=lang)
    first = list(computed)
    assert first.count("results") >= 1 and first.count("ranked") >= 1
    for script, lang in visit:  # three more, on the same pages
        run(monkeypatch, demo_copy, script, lang=lang)
    assert computed == first


def test_recent_activity_says_what_its_count_counts(monkeypatch, demo_db):
    """ "Assessed (3)" left the reader guessing what the 3 was."""
    at = run(monkeypatch, demo_db)
    events = set(table(at, "event")["event"])
    assessed = [e for e in events if e.startswith("Assessed")]
    assert assessed and all(re.fullmatch(r"Assessed: 1 assessment|Assessed: \d+ assessments", e)
                            for e in assessed), events  # fmt: skip
    assert events <= {"Added", *assessed}
