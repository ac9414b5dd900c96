"""The lion's den in words: every sentence that counts panel members or criteria says the
number and picks the singular or plural form by it, in Finnish, Swedish and English."""

from __future__ import annotations

import string

import pytest

from sihub.i18n import LANGUAGES, catalogue, t
from sihub.panel import results

PITCH = "Arjen kieliparit – Vaasa"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_word_chosen_by_a_count_is_written_with_its_count(lang):
    """``{n:member|members}`` alone reads "panel members rated …": the number itself is
    lost, and the sentence begins in lower case. Checked in the whole catalogue."""
    strings = catalogue(lang)
    assert "panel.summary.overall" in strings
    for key, text in strings.items():
        fields = list(string.Formatter().parse(text))
        counted = {name for _, name, spec, _ in fields if name and "|" in (spec or "")}
        shown = {name for _, name, spec, _ in fields if name and not spec}
        assert counted <= shown, (lang, key, text)


@pytest.mark.parametrize(
    ("lang", "members", "expected"),
    [
        ("en", 1, f"1 panel member rated {PITCH} 3.6 / 5 overall."),
        ("en", 2, f"2 panel members rated {PITCH} 3.6 / 5 overall."),
        ("fi", 1, f"1 paneelin jäsen arvioi pitchin {PITCH} kokonaisuutena 3,6 / 5."),
        ("fi", 2, f"2 paneelin jäsentä arvioi pitchin {PITCH} kokonaisuutena 3,6 / 5."),
        ("sv", 1, f"1 panelmedlem gav {PITCH} totalt 3,6 / 5."),
        ("sv", 2, f"2 panelmedlemmar gav {PITCH} totalt 3,6 / 5."),
    ],
)
def test_the_result_sentence_counts_its_members(store, lang, members, expected):
    result = results.PitchResult(1, PITCH, None, members, 0.65, (), ())
    shape = results.scale_shape(store, "panel", lang)
    assert results.summary_sentence(result, shape, lang) == expected


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("en", "1 panel member", "2 panel members"),
        ("fi", "1 paneelin jäsen", "2 paneelin jäsentä"),
        ("sv", "1 panelmedlem", "2 panelmedlemmar"),
    ],
)
def test_the_heatmaps_basis_and_the_profiles_line_count_members(lang, one, two):
    assert [t("panel.basis", lang=lang, n=n) for n in (1, 2)] == [one, two]
    line = {
        n: t("panel.on_profile_line", lang=lang, session="S", day="d", result="r", n=n)
        for n in (1, 2)
    }
    if lang != "fi":  # Finnish says "from the ratings of N members" in one form for any N
        assert line[1].endswith(one) and line[2].endswith(two)
    else:
        assert line[1].endswith("1 paneelin jäsenen arvioista")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "1 of 1 criterion."), ("sv", "1 av 1 kriterium."), ("fi", "1/1 kriteeriä.")],
)
def test_a_member_saving_one_criterion_of_one_reads_right(lang, expected):
    assert expected in t("panel.saved", lang=lang, time="12:00:00", n=1, total=1)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Every criterion got the same result (4.0 / 5)."),
        ("fi", "Kaikki kriteerit saivat saman tuloksen (4,0 / 5)."),
        ("sv", "Alla kriterier fick samma resultat (4,0 / 5)."),
    ],
)
def test_a_pitch_rated_alike_on_every_criterion_is_not_strongest_and_weakest_on_one(
    store, lang, expected
):
    """It read "Strongest on Need (4.0 / 5), weakest on Need (4.0 / 5)."."""
    criteria = tuple(
        results.CriterionResult(code, code.title(), 0.75, 0.75, 0.75, 1) for code in ("a", "b")
    )
    result = results.PitchResult(1, PITCH, None, 1, 0.75, criteria, ())
    shape = results.scale_shape(store, "panel", lang)
    assert results.summary_sentence(result, shape, lang).endswith(expected)
