"""Text from a link, a file or the store never becomes a link or an image, and no page shows an
assessor's e-mail address but the import history.

Every page opens through the frame on the hostile hub (``tests.builders.hostile_hub``: Markdown
and HTML in every name, description, comment, summary, note, answer, call, funder and
programme) with hostile values in its URL parameters, in every language, and visits every tab
that holds text. In what Streamlit renders as Markdown (``apptools.markdown_strings``) no value
may make a link or an image; in the charts' text no value may make an HTML link or image."""

from __future__ import annotations

import re

import pytest

from sihub.compare.selection import VIEWS, CompareView, Selection
from sihub.funders.ranking import RankingSpec
from sihub.funding.filters import CallFilter
from sihub.i18n import LANGUAGES, t
from sihub.navigation import PAGES
from sihub.pipeline.filters import InnovationFilter
from sihub.ui import funders, profile, t_escaped
from tests.apptools import (
    every_string,
    keyed,
    markdown_strings,
    plotly_strings,
    run_app,
)
from tests.builders import write_workbook
from tests.builders.hostile_hub import EMAILS, EVIL, FORM, TODAY, URL_VALUES, hostile

DOMAIN = re.escape(EVIL)
# A link or an image that a value made in Markdown: link or image syntax and HTML tags, read
# with the escaped characters taken out (they are text, not syntax); and the addresses that
# GitHub-flavoured Markdown makes links of in the text it has read (escapes resolved), by its
# own patterns: http(s)://host, www.host and name@host.
SYNTAX_MADE = re.compile(rf"\]\(\s*<?[^)\s]*{DOMAIN}|<\s*(?:a|img)\b[^>]*{DOMAIN}", re.IGNORECASE)
ADDRESS_MADE = re.compile(rf"(?:https?://|www\.)[-.\w]*{DOMAIN}|[-.\w+]+@{DOMAIN}", re.IGNORECASE)
HTML_MADE = re.compile(rf"<\s*(?:a|img)\b[^>]*{DOMAIN}", re.IGNORECASE)  # what plotly reads


def made_in_markdown(text: str) -> list[str]:
    """The links and images ``text`` makes from the payload, as Markdown would read it."""
    syntax = re.sub(r"\\.", "", text, flags=re.DOTALL)
    read = re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)
    return SYNTAX_MADE.findall(syntax) + ADDRESS_MADE.findall(read)


def hostile_params(params: tuple[str, ...]) -> dict[str, str]:
    """Each parameter with one of the link's hostile values, in turn."""
    return {p: URL_VALUES[n % len(URL_VALUES)] for n, p in enumerate(params)}


# page -> (URL parameters, the states visited one after another: session key and its value in
# a language). Ids 1 and 2 are the hub's two innovations, its calls and assessors.
PIPELINE = (*InnovationFilter.params(), "sort")
VISITS = {
    "overview": ({}, []),
    "pipeline": (
        hostile_params(PIPELINE),
        [("pipe_tab", lambda lang: t("pipeline.tab_picture", lang=lang))],
    ),
    "profile": (
        {**hostile_params((profile.FRAMEWORK_PARAM, profile.COHORT_PARAM)), "id": "1"},
        [
            ("profile.section", lambda lang, tab=tab: tab)
            for tab in ("case_study", "scores", "answers", "related")
        ],
    ),
    "compare": (
        {**hostile_params((*Selection.params(), *CompareView.params())), "ids": "1,2"},
        [("cmp_view", lambda lang, view=view: view) for view in VIEWS[1:]],
    ),
    "funders": ({**hostile_params(funders.PARAMS), "shortlist": "1,2"}, []),
    "funding": (
        {**hostile_params((*CallFilter.params(), "fit")), "q": "", "call": "1", "innovation": "1"},
        [],
    ),
    "ecosystem": (
        hostile_params(("map", "money", "few")),
        [
            ("ecosystem.section", lambda lang, section=section: section)
            for section in ("who", "what", "pipeline", "money", "quality")
        ],
    ),
    "importing": ({}, []),
    "method": ({}, []),
    "panel_control": ({}, []),
    "panel_screen": ({}, []),
    "panel_member": ({"code": URL_VALUES[0]}, []),
}
RUNS = [pytest.param(page, lang, id=f"{page}-{lang}") for page in VISITS for lang in LANGUAGES]


def test_every_page_is_visited():
    assert set(VISITS) == {p.key for p in PAGES}
    assert set(RankingSpec.params()) <= set(funders.PARAMS)


def shown_wrongly(at) -> dict[str, list]:
    """What a page shows that it must not: links and images made by values, and addresses."""
    return {
        "markdown": [
            (kind, text[:160]) for kind, text in markdown_strings(at) if made_in_markdown(text)
        ],
        "charts": [text[:160] for text in plotly_strings(at) if HTML_MADE.search(text)],
        "addresses": sorted({e for text in every_string(at) for e in EMAILS if e in text}),
    }


@pytest.mark.parametrize(("page", "lang"), RUNS)
def test_no_value_becomes_a_link_or_an_image(hostile_db, monkeypatch, page, lang):
    script = next(p.script for p in PAGES if p.key == page)
    params, visits = VISITS[page]
    at = run_app(monkeypatch, hostile_db, script, lang=lang, today=TODAY.isoformat(), **params)
    found, seen = [], []
    for visit in [None, *visits]:
        if visit:
            key, value = visit
            at.session_state[key] = value(lang)
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        found.append(shown_wrongly(at))
        seen += every_string(at)
    addresses = {e for f in found for e in f.pop("addresses")}
    assert [f for f in found if any(f.values())] == []
    if page == "importing":  # the import history pairs each number with its address
        assert addresses == set(EMAILS)
    else:
        assert addresses == set()
    # the page did show the hostile data (the hostile hub has no panel session to show)
    if page not in ("method", "importing", "panel_control", "panel_screen", "panel_member"):
        assert any(EVIL in text for text in seen)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_uploaded_files_name_and_cells_become_no_link_or_image(
    hostile_db, tmp_path, monkeypatch, lang
):
    """The Import page shows a file's name, sheets, headers and the names it would add."""
    rows = [FORM[0], [hostile("Uusi"), None, "kolmas@example.org", TODAY, *[2] * 10, None]]
    book = write_workbook(tmp_path / "form.xlsx", {"Vastaukset": rows})  # no / or [ in a sheet
    at = run_app(monkeypatch, hostile_db, "pages/import.py", lang=lang, today=TODAY.isoformat())
    keyed(at.file_uploader, "import_upload_").upload(
        f"{URL_VALUES[0]}.xlsx", book.read_bytes(), "application/octet-stream"
    )
    at.run()
    read = markdown_strings(at)  # the file's name, in the reading step's status
    at.button(key="import_preview_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    wrong = shown_wrongly(at)
    assert (wrong["markdown"], wrong["charts"]) == ([], [])
    assert [text for _, text in read if made_in_markdown(text)] == []
    assert any(EVIL in text.replace("\\", "") for _, text in read)
    assert t("import.preview.by_address", lang=lang) in every_string(at)


def test_an_errors_values_are_shown_as_written():
    """``show_error`` and other messages put values in catalogue text with ``t_escaped``: the
    values are escaped, numbers still written as the language writes them."""
    message = t_escaped("error.import_file", lang="fi", detail=URL_VALUES[0])
    assert made_in_markdown(message) == [] and "evil" in message
    assert t_escaped("overview.assessors", lang="en", count=1) == "by 1 assessor"
    assert t_escaped("overview.open_total", lang="fi", total=1234567) == t(
        "overview.open_total", lang="fi", total=1234567
    )
