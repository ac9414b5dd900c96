"""The ecosystem and funding pages' sentences in Finnish, Swedish and English: numbers written
as the language writes them, and count words that agree with their numbers."""

import re

import pandas as pd
import pytest

from sihub.access import Visibility
from sihub.ecosystem import flow
from sihub.i18n import has_key, t


@pytest.mark.parametrize(
    ("lang", "rose", "fell"), [("fi", "0,7", "0,0"), ("sv", "0,7", "0,0"), ("en", "0.7", "0.0")]
)
def test_a_dimension_that_barely_fell_is_said_to_change_by_zero_not_minus_zero(lang, rose, fell):
    # the demo's Spridbarhet/Levitettävyys: 3.76 -> 3.73, said as '(-0,0)'
    df = pd.DataFrame(
        {
            "round": [1, 1, 3, 3],
            "dimension": ["Evidence", "Scalability", "Evidence", "Scalability"],
            "mean": [3.5, 3.76, 4.2, 3.73],
        }
    )
    sentence = flow.dimension_sentence(df, Visibility.ALL, lang)
    assert f"({rose})" in sentence and f"({fell})" in sentence, sentence
    assert "-0" not in sentence, sentence


ONE = [  # (language, key, values, what a reader should see with a count of one)
    ("fi", "ecosystem.where.hover", {"count": 1, "scored": 1}, "1 innovaatio, josta 1 pisteytetty"),
    ("sv", "ecosystem.where.hover", {"count": 1, "scored": 1}, "1 innovation, 1 med poäng"),
    ("en", "ecosystem.where.hover", {"count": 1, "scored": 1}, "1 innovation, 1 with a score"),
    (
        "fi",
        "ecosystem.who.node",
        {"count": 1, "partners": 1},
        "1 innovaatio, 1 kumppaniorganisaatio",
    ),
    (
        "sv",
        "ecosystem.who.node",
        {"count": 1, "partners": 1},
        "1 innovation, 1 partnerorganisation",
    ),
    (
        "en",
        "ecosystem.who.node",
        {"count": 1, "partners": 1},
        "1 innovation, 1 partner organisation",
    ),
    ("fi", "ecosystem.what.matrix", {"count": 1}, "(1 innovaatio)"),
    ("sv", "ecosystem.what.matrix", {"count": 1}, "(1 innovation)"),
    ("en", "ecosystem.what.matrix", {"count": 1}, "(1 innovation)"),
    (
        "fi",
        "ecosystem.pipeline.undated",
        {"innovations": 1, "assessments": 1},
        "1 innovaatio, 1 arviointi.",
    ),
    (
        "sv",
        "ecosystem.pipeline.undated",
        {"innovations": 1, "assessments": 1},
        "1 innovation, 1 bedömning.",
    ),
    (
        "en",
        "ecosystem.pipeline.undated",
        {"innovations": 1, "assessments": 1},
        "1 innovation, 1 assessment.",
    ),
    ("sv", "ecosystem.money.top_awards", {"count": 1}, "i 1 beviljande,"),
    ("en", "ecosystem.money.top_awards", {"count": 1}, "in 1 award,"),
    ("sv", "ecosystem.money.top_calls", {"count": 1}, "i 1 utlysning."),
    ("en", "ecosystem.money.top_calls", {"count": 1}, "in 1 call."),
    ("sv", "narrative.org_type.missing", {"count": 1}, "1 organisation saknar typ."),
    ("en", "narrative.org_type.missing", {"count": 1}, "1 organisation has no type recorded."),
    ("fi", "funding.left_out_amount", {"count": 1}, "pois 1 haun, jolle ei"),
    ("sv", "funding.left_out_amount", {"count": 1}, "utesluter 1 utlysning som"),
    ("en", "funding.left_out_amount", {"count": 1}, "1 call records no amount and is left out"),
    ("fi", "funding.months.one", {"value": 1}, "1 kuukausi"),
    ("sv", "funding.months.one", {"value": 1}, "1 månad"),
    ("en", "funding.months.one", {"value": 1}, "1 month"),
    ("fi", "funding.deadline.days_left", {"days": 1}, "(1 päivä jäljellä)"),
    ("sv", "funding.deadline.days_left", {"days": 1}, "(1 dag kvar)"),
    ("en", "funding.deadline.days_left", {"days": 1}, "(1 day left)"),
    ("sv", "funding.timeline.next_deadline", {"days": 1}, "om 1 dag."),
    ("en", "funding.timeline.next_deadline", {"days": 1}, "in 1 day."),
    ("fi", "funding.timeline.next_opening", {"count": 1}, "1 haku avautuu myöhemmin"),
    ("sv", "funding.timeline.next_opening", {"count": 1}, "1 utlysning öppnar senare"),
    ("en", "funding.timeline.next_opening", {"count": 1}, "1 call opens later"),
    ("fi", "funding.export.calls", {"count": 1}, "1 rahoitushaku"),
    ("sv", "funding.export.calls", {"count": 1}, "1 utlysning"),
    ("en", "funding.export.calls", {"count": 1}, "1 funding call"),
    ("sv", "matching.call_counts", {"count": 1}, "1 utlysning passar"),
    ("en", "matching.call_counts", {"count": 1}, "1 call fits"),
    ("fi", "matching.deadline.open", {"days": 1}, "Määräaikaan 1 päivä ("),
    ("sv", "matching.deadline.open", {"days": 1}, "1 dag till sista"),
    ("en", "matching.deadline.open", {"days": 1}, "1 day to the deadline"),
    ("fi", "matching.deadline.soon", {"days": 1}, "vain 1 päivä ("),
    ("sv", "matching.deadline.soon", {"days": 1}, "Endast 1 dag till"),
    ("en", "matching.deadline.soon", {"days": 1}, "Only 1 day to"),
    ("fi", "matching.consortium.minimum_reason", {"minimum": 1}, "vähintään 1 kumppanin;"),
    ("en", "matching.consortium.minimum_reason", {"minimum": 1}, "at least 1 partner;"),
]


@pytest.mark.parametrize(("lang", "key", "values", "expected"), ONE)
def test_a_count_of_one_takes_the_singular(lang, key, values, expected):
    # the map's hover read 'Kajanaland: 1 innovationer' / '1 innovaatiota'; a call closing
    # tomorrow '(1 dagar kvar)', '(1 days left)'
    assert has_key(key, lang), key
    said = t(key, lang=lang, **values)
    assert re.search(re.escape(expected) + r"(?!\w)", said), said  # '1 månad', not '1 månader'


@pytest.mark.parametrize(("lang", "key", "values", "expected"), ONE)
def test_a_larger_count_keeps_the_plural(lang, key, values, expected):
    several = {k: 3 for k in values}
    assert expected not in t(key, lang=lang, **several)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("fi", "; kierros 3 kattoi 31"),
        ("sv", "; omgång 3 omfattade 31"),
        ("en", "; round 3 covered 31"),
    ],
)
def test_the_last_round_is_named_in_lower_case_mid_sentence(lang, said):
    # 'Arvioinnit ovat 3 kierrokselta; Kierros 3 kattoi 31 innovaatiota'
    df = pd.DataFrame(
        {"round": [1.0, 2.0, 3.0], "innovations": [20, 26, 31], "share": [0.25, 0.325, 0.3875]}
    ).assign(label=["Round 1", "Round 2", "Round 3"])
    assert said in flow.rounds_sentence(df, lang)
