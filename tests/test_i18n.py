"""Every user-facing string exists in Finnish, Swedish and English."""

import re
import string

import pytest

from sihub import PROJECT_DIR
from sihub.i18n import (
    LANGUAGES,
    catalogue,
    format_date,
    format_datetime,
    format_number,
    format_time,
    pick_language,
    t,
)
from sihub.importing.issues import ISSUE_CODES
from sihub.navigation import PAGES, SECTIONS

LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_]+(?:\.[A-Za-z0-9_]+)+)["']""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_exactly_the_same_keys():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    for lang in LANGUAGES:
        assert keys[lang] == keys["en"], (lang, keys["en"] ^ keys[lang])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_empty_strings_and_same_placeholders_as_english(lang):
    for key, text in catalogue(lang).items():
        assert text.strip(), (lang, key)
        assert placeholders(text) == placeholders(catalogue("en")[key]), (lang, key)


def test_every_key_used_in_the_code_exists():
    sources = [
        *PROJECT_DIR.glob("sihub/**/*.py"),
        *PROJECT_DIR.glob("pages/*.py"),
        PROJECT_DIR / "app.py",
    ]
    used = {key for path in sources for key in LITERAL_KEY.findall(path.read_text())}
    assert used, "the scan found no keys"
    missing = sorted(k for k in used if k not in catalogue("en"))
    assert missing == []


def test_every_issue_code_page_and_section_has_its_strings():
    for lang in LANGUAGES:
        strings = catalogue(lang)
        for code in ISSUE_CODES:
            assert f"issue.{code}" in strings, (lang, code)
        for page in PAGES:
            assert f"nav.{page.key}" in strings, (lang, page.key)
        for section in SECTIONS:
            assert f"nav.section.{section}" in strings, (lang, section)


def test_missing_keys_and_values_show_themselves():
    assert t("no.such.key", lang="sv") == "no.such.key"
    # a value left out stays visible as its placeholder, also one that picks a word by count
    assert t("scores.basis", lang="en", scored=8) == (
        "8/{total} criteria, {assessors} {assessors:assessor|assessors}"
    )


@pytest.mark.parametrize(
    ("lang", "one", "three"),
    [
        ("en", "8/10 criteria, 1 assessor", "8/10 criteria, 3 assessors"),
        ("fi", "8/10 kriteeriä, 1 arvioija", "8/10 kriteeriä, 3 arvioijaa"),
        ("sv", "8/10 kriterier, 1 bedömare", "8/10 kriterier, 3 bedömare"),
    ],
)
def test_counts_choose_singular_or_plural(lang, one, three):
    assert t("scores.basis", lang=lang, scored=8, total=10, assessors=1) == one
    assert t("scores.basis", lang=lang, scored=8, total=10, assessors=3) == three


@pytest.mark.parametrize(
    ("url", "session", "browser", "expected"),
    [
        ("sv", "fi", "en-GB", "sv"),
        (None, "en", "fi-FI", "en"),
        (None, None, "sv-FI", "sv"),
        (None, None, "de-DE", "fi"),
        ("xx", None, "en-US", "en"),
        (None, None, None, "fi"),
    ],
)
def test_language_choice_url_then_session_then_browser(url, session, browser, expected):
    assert pick_language(url, session, browser) == expected


def test_numbers_and_dates_are_written_the_local_way():
    from datetime import date

    assert format_number(12345.5, "fi", 1) == "12\u00a0345,5"
    assert format_number(12345.5, "en", 1) == "12,345.5"
    assert format_number(None, "fi") == "–"  # missing is shown as missing
    assert format_date(date(2023, 11, 7), "fi") == "7.11.2023"
    assert format_date(date(2023, 11, 7), "en") == "2023-11-07"


def test_a_moment_is_written_the_languages_way():
    """Not "Dec 4, 2026, 4:09:01 AM" on a Finnish page."""
    from datetime import datetime

    moment = datetime(2026, 12, 4, 4, 9, 1)
    assert format_datetime(moment, "fi") == "4.12.2026 klo 4.09"
    assert format_datetime(moment, "sv") == "4.12.2026 kl. 4.09"
    assert format_datetime(moment, "en") == "2026-12-04 04:09"
    assert format_datetime(None, "fi") == "–"
    assert format_time(moment, "fi") == format_time(moment, "sv") == "4.09.01"
    assert format_time(moment, "en") == "04:09:01"


@pytest.mark.parametrize(
    "lang, key, values, expected",
    [
        ("sv", "profile.change.rose", {"count": 1}, "på 1 kriterium"),
        ("sv", "profile.compare.above", {"count": 1}, "på 1 kriterium"),
        ("en", "profile.change.rose", {"count": 1}, "on 1 criterion"),
        ("en", "profile.compare.above", {"count": 1}, "on 1 criterion"),
        ("sv", "profile.change.rose", {"count": 2}, "på 2 kriterier"),
    ],
)
def test_the_profiles_criteria_counts_agree_with_their_number(lang, key, values, expected):
    """A Swedish profile said 'steg ... på 1 kriterier' (plural after one)."""
    text = t(key, lang=lang, before="2", after="3", cohort="x", **values)
    assert expected in text
