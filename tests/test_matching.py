"""Explainable matching: each rule's outcome on hand-made pairs, the match gate (closed calls
never match), the explanations in words, and both directions agreeing on the demo data."""

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from sihub.access import Visibility
from sihub.errors import NotFoundError
from sihub.funding import eligibility, matching
from sihub.funding.matching import MISMATCH, NO_CONDITION, REASON, TO_CHECK
from sihub.reference import load_scales

STAFF = Visibility.ALL  # every assessment, internal ones included

VOCAB = matching.Vocabulary(
    {
        "themes": ["employment", "housing", "youth_inclusion"],
        "target_groups": ["youth", "ageing"],
        "stages": ["prototypes", "scaling"],
        "org_types": ["association", "company", "municipality"],
        "regions": ["helsinki", "lapland", "national", "multi_region", "unknown"],
    }
)


def _matrix(facet: str, specs: list[dict], key: str) -> np.ndarray:
    return np.array(
        [[code in spec.get(key, []) for code in VOCAB.codes[facet]] for spec in specs], dtype=bool
    ).reshape(len(specs), len(VOCAB.codes[facet]))


def make_calls(*specs: dict) -> matching.Calls:
    frame = pd.DataFrame(
        {
            "id": range(1, len(specs) + 1),
            "call_name": [s.get("name", "Call") for s in specs],
            "funder": "Funder",
            "opens_on": [s.get("opens_on") for s in specs],
            "deadline": [s.get("deadline", pd.Timestamp("2026-08-01")) for s in specs],
            "continuous": [s.get("status") == "continuous" for s in specs],
            "consortium_required": [s.get("consortium") for s in specs],
            "consortium_rule": [s.get("rule") for s in specs],
            "min_partners": pd.array([s.get("min_partners") for s in specs], dtype="Int64"),
            "min_countries": pd.array([s.get("min_countries") for s in specs], dtype="Int64"),
            "lead_type": [s.get("lead_type") for s in specs],
            "min_normalised_score": [s.get("min_score", np.nan) for s in specs],
            "status": [s.get("status", "open") for s in specs],
            "days_left": pd.array([s.get("days_left", 60) for s in specs], dtype="Int64"),
        }
    )
    return matching.Calls(
        frame,
        _matrix("themes", specs, "themes"),
        _matrix("target_groups", specs, "groups"),
        _matrix("stages", specs, "stages"),
        _matrix("org_types", specs, "applicants"),
        _matrix("regions", specs, "regions"),
    )


def make_innovations(*specs: dict) -> matching.Innovations:
    frame = pd.DataFrame(
        {
            "id": range(1, len(specs) + 1),
            "name": [s.get("name", "Innovation") for s in specs],
            "stage_code": [(s.get("stages") or [None])[0] for s in specs],
            "partners": [s.get("partners", 0) for s in specs],
            # the consortium: lead and partners, and the countries recorded for them
            "members": [s.get("members", s.get("partners", 0) + 1) for s in specs],
            "member_countries": [s.get("countries", 1) for s in specs],
            "members_without_country": [s.get("no_country", 0) for s in specs],
            "lead": "Lead ry",
            "mean_score": [s.get("score", np.nan) for s in specs],
            "criteria_scored": 8,
            "criteria_total": 10,
            "assessors": 2,
        }
    )
    return matching.Innovations(
        frame,
        _matrix("themes", specs, "themes"),
        _matrix("target_groups", specs, "groups"),
        _matrix("stages", specs, "stages"),
        _matrix("org_types", specs, "lead"),
        _matrix("org_types", specs, "partner_types"),
        _matrix("regions", specs, "regions"),
    )


def outcome(rule, call: dict, innovation: dict) -> int:
    return int(rule(make_calls(call), make_innovations(innovation), VOCAB)[0, 0])


@pytest.mark.parametrize(
    ("call", "innovation", "expected"),
    [
        ({"themes": ["employment"]}, {"themes": ["employment", "housing"]}, REASON),
        ({"themes": ["employment"]}, {"themes": ["housing"]}, MISMATCH),
        ({"themes": ["employment"]}, {}, TO_CHECK),  # not recorded: the data cannot tell
        ({}, {"themes": ["housing"]}, NO_CONDITION),  # the call is open to every theme
    ],
)
def test_theme_rule(call, innovation, expected):
    assert outcome(matching.theme_rule, call, innovation) == expected


@pytest.mark.parametrize(
    ("call", "innovation", "expected"),
    [
        ({"groups": ["youth"]}, {"groups": ["youth"]}, REASON),
        ({"groups": ["youth"]}, {"groups": ["ageing"]}, MISMATCH),
        ({"groups": ["youth"]}, {}, TO_CHECK),
        ({}, {"groups": ["ageing"]}, NO_CONDITION),
    ],
)
def test_target_group_rule(call, innovation, expected):
    assert outcome(matching.target_group_rule, call, innovation) == expected


@pytest.mark.parametrize(
    ("call", "innovation", "expected"),
    [
        ({"stages": ["prototypes", "scaling"]}, {"stages": ["scaling"]}, REASON),
        ({"stages": ["prototypes"]}, {"stages": ["scaling"]}, MISMATCH),
        ({"stages": ["prototypes"]}, {}, TO_CHECK),
        ({}, {"stages": ["scaling"]}, NO_CONDITION),
    ],
)
def test_stage_rule(call, innovation, expected):
    assert outcome(matching.stage_rule, call, innovation) == expected


@pytest.mark.parametrize(
    ("call", "innovation", "expected"),
    [
        ({"applicants": ["association"]}, {"lead": ["association"]}, REASON),
        ({"applicants": ["association"]}, {"lead": ["company"]}, MISMATCH),
        # the lead may not apply but a partner may: worth checking, not a mismatch
        (
            {"applicants": ["association"]},
            {"lead": ["company"], "partner_types": ["association"]},
            TO_CHECK,
        ),
        ({"applicants": ["association"]}, {}, TO_CHECK),  # lead's type not recorded
        ({}, {"lead": ["company"]}, NO_CONDITION),
    ],
)
def test_applicant_rule(call, innovation, expected):
    assert outcome(matching.applicant_rule, call, innovation) == expected


@pytest.mark.parametrize(
    ("call", "innovation", "expected"),
    [
        ({"regions": ["lapland"]}, {"regions": ["lapland", "helsinki"]}, REASON),
        ({"regions": ["lapland"]}, {"regions": ["helsinki"]}, MISMATCH),
        ({"regions": ["lapland"]}, {"regions": ["national"]}, TO_CHECK),
        ({"regions": ["lapland"]}, {"regions": ["multi_region"]}, TO_CHECK),
        ({"regions": ["lapland"]}, {"regions": ["unknown"]}, TO_CHECK),
        ({"regions": ["lapland"]}, {}, TO_CHECK),
        ({}, {"regions": ["helsinki"]}, NO_CONDITION),  # the call names no region
    ],
)
def test_region_rule(call, innovation, expected):
    assert outcome(matching.region_rule, call, innovation) == expected


@pytest.mark.parametrize(
    ("call", "innovation", "expected"),
    [
        ({"consortium": True}, {"partners": 2}, REASON),
        ({"consortium": True}, {"partners": 0}, MISMATCH),
        ({"consortium": False}, {"partners": 0}, NO_CONDITION),
        # nothing recorded of the call's consortium rules: unknown, never "not required"
        ({"consortium": None}, {"partners": 0}, TO_CHECK),
        ({"min_partners": 3}, {"partners": 2}, REASON),  # the lead counts
        ({"min_partners": 3}, {"partners": 1}, MISMATCH),
        ({"min_partners": 3}, {"partners": 0, "members": 0}, TO_CHECK),  # no organisation
        ({"consortium": False, "min_partners": 1}, {"partners": 0}, NO_CONDITION),
    ],
)
def test_consortium_rule(call, innovation, expected):
    assert outcome(eligibility.consortium_rule, call, innovation) == expected


@pytest.mark.parametrize(
    ("call", "innovation", "expected"),
    [
        ({"min_countries": 2}, {"countries": 2}, REASON),
        ({"min_countries": 2}, {"countries": 1}, MISMATCH),
        ({"min_countries": 2}, {"countries": 1, "no_country": 1}, TO_CHECK),  # may be short
        ({"min_countries": 1}, {"countries": 0}, NO_CONDITION),
        ({"consortium": True}, {"countries": 1}, TO_CHECK),  # the rule is not recorded
        ({}, {"countries": 1}, NO_CONDITION),  # said once, by the consortium rule
    ],
)
def test_countries_rule(call, innovation, expected):
    assert outcome(eligibility.countries_rule, call, innovation) == expected


@pytest.mark.parametrize(
    ("call", "innovation", "expected"),
    [
        ({"lead_type": "public"}, {"lead": ["municipality"]}, REASON),
        ({"lead_type": "public"}, {"lead": ["association"]}, MISMATCH),
        ({"lead_type": "public"}, {}, TO_CHECK),  # the lead's type is not recorded
        ({"lead_type": "non_profit"}, {"lead": ["association"]}, REASON),
        ({"lead_type": "non_profit"}, {"lead": ["company"]}, MISMATCH),
        ({"lead_type": "any"}, {"lead": ["company"]}, NO_CONDITION),
        ({"consortium": True}, {"lead": ["company"]}, TO_CHECK),  # the rule is not recorded
        ({"consortium": False}, {"lead": ["company"]}, NO_CONDITION),  # one applicant: no lead
    ],
)
def test_lead_rule(call, innovation, expected):
    assert outcome(eligibility.lead_rule, call, innovation) == expected


def test_a_failed_or_unknown_consortium_rule_is_said_in_words(store):
    calls = make_calls(
        {"consortium": True, "min_partners": 2, "min_countries": 2, "lead_type": "public"},
        {"consortium": True},
    )
    inns = make_innovations({"partners": 2, "countries": 1, "lead": ["association"]})
    m = matching.evaluate(calls, inns, VOCAB)
    names = matching.Names(store, "en", STAFF)
    found = {f.rule: f for f in matching.explain(m, 0, 0, names)}
    assert found["countries"].outcome == "mismatch"
    assert found["countries"].text == (
        "Needs partners in 2 countries; this innovation has partners in 1"
    )
    assert found["consortium"].text == "Needs at least 2 partners; this innovation has 3"
    assert found["lead"].outcome == "mismatch" and "public body" in found["lead"].text
    unknown = {f.rule: f for f in matching.explain(m, 0, 1, names)}
    assert unknown["countries"].outcome == "check"
    assert "not recorded" in unknown["countries"].text
    assert "not recorded" in unknown["lead"].text
    assert not any("not required" in f.text for f in unknown.values())


@pytest.mark.parametrize(
    ("call", "innovation", "expected"),
    [
        ({"min_score": 0.5}, {"score": 0.72}, REASON),
        ({"min_score": 0.5}, {"score": 0.5}, REASON),  # reaching the minimum is enough
        ({"min_score": 0.5}, {"score": 0.49}, MISMATCH),
        ({"min_score": 0.5}, {}, TO_CHECK),  # not assessed is not a low score
        ({}, {"score": 0.1}, NO_CONDITION),
    ],
)
def test_score_rule(call, innovation, expected):
    assert outcome(matching.score_rule, call, innovation) == expected


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ({"status": "open", "days_left": 60}, REASON),
        ({"status": "closing", "days_left": matching.MIN_PREPARATION_DAYS}, REASON),
        ({"status": "closing", "days_left": matching.MIN_PREPARATION_DAYS - 1}, MISMATCH),
        ({"status": "continuous", "days_left": None, "deadline": None}, REASON),
        ({"status": "forthcoming", "days_left": 120}, REASON),
        ({"status": "open", "days_left": None, "deadline": None}, TO_CHECK),
        ({"status": "closed", "days_left": -3}, MISMATCH),
    ],
)
def test_deadline_rule(call, expected):
    assert outcome(matching.deadline_rule, call, {}) == expected


def test_every_rule_is_explained():
    assert set(matching._EXPLAINERS) == set(matching.RULES)  # RULES: the rule functions


# the match gate ------------------------------------------------------------------------------
def test_closed_calls_never_match_even_when_everything_fits():
    fits = {"themes": ["employment"], "groups": ["youth"], "stages": ["scaling"]}
    m = matching.evaluate(
        make_calls({**fits, "status": "closed", "days_left": -1}, {**fits, "status": "open"}),
        make_innovations(fits),
        VOCAB,
    )
    assert m.matched.tolist() == [[False, True]]


def test_a_match_shares_a_theme_or_target_group_unless_the_call_names_neither():
    calls = make_calls(
        {"themes": ["employment"], "groups": ["youth"]},
        {},  # open to any topic
    )
    inns = make_innovations(
        {"themes": ["employment"], "groups": ["ageing"]},  # shares the theme only
        {"themes": ["housing"], "groups": ["youth"]},  # shares the target group only
        {"themes": ["housing"], "groups": ["ageing"]},  # shares neither
        {},  # nothing recorded
    )
    m = matching.evaluate(calls, inns, VOCAB)
    assert m.matched[:, 0].tolist() == [True, True, False, False]
    assert m.matched[:, 1].tolist() == [True, True, True, True]


def test_reasons_and_mismatches_are_counted_per_pair():
    calls = make_calls({"themes": ["employment"], "stages": ["prototypes"], "consortium": True})
    inns = make_innovations({"themes": ["employment"], "stages": ["scaling"], "partners": 0})
    m = matching.evaluate(calls, inns, VOCAB)
    # theme and deadline are reasons; stage and consortium are mismatches
    assert (int(m.reasons[0, 0]), int(m.mismatches[0, 0])) == (2, 2)


# explanations --------------------------------------------------------------------------------
def test_explanations_name_what_fits_and_what_does_not_in_the_chosen_language(store):
    calls = make_calls(
        {
            "themes": ["employment", "housing"],
            "groups": ["youth"],
            "applicants": ["association"],
            "regions": ["lapland"],
            "consortium": True,
            "rule": "Vähintään kaksi toteuttajaa",
            "min_score": 0.6,
            "status": "closing",
            "days_left": 5,
            "deadline": pd.Timestamp("2026-06-06"),
        }
    )
    inns = make_innovations(
        {
            "themes": ["employment"],
            "groups": ["ageing"],
            "lead": ["company"],
            "partner_types": ["association"],
            "regions": ["national"],
            "score": 0.72,
        }
    )
    inns = replace(inns, scale=load_scales(store)["1-5"])  # the default framework's scale
    m = matching.evaluate(calls, inns, VOCAB)
    found = {f.rule: f for f in matching.explain(m, 0, 0, matching.Names(store, "fi", STAFF))}
    assert found["theme"].outcome == "reason"
    assert found["theme"].text == "Yhteiset teemat: Työllisyys"
    assert found["target_group"].outcome == "mismatch"
    assert "ikääntyvät" in found["target_group"].text.lower()
    assert found["applicant"].outcome == "check"
    assert "kumppani voi (Yhdistys)" in found["applicant"].text
    assert found["region"].outcome == "check"
    assert "Valtakunnallinen" in found["region"].text
    assert "Lapin hyvinvointialue" in found["region"].text
    assert found["consortium"].outcome == "mismatch"
    assert "Vähintään kaksi toteuttajaa" in found["consortium"].text
    assert found["score"].text.startswith(
        "Arviointipisteet 3,9 / 5 ylittävät haun vähimmäistason 3,4 / 5"  # 0.72, 0.6 of 0-1
    )
    assert "8/10" in found["score"].text  # what the score rests on
    assert found["deadline"].outcome == "mismatch"
    assert "vain 5 päivää" in found["deadline"].text
    assert "stage" not in found  # the call sets no stage condition: nothing to say


def test_swedish_explanations(store):
    m = matching.evaluate(
        make_calls(
            {"themes": ["housing"], "status": "continuous", "days_left": None, "consortium": False}
        ),
        make_innovations({"themes": ["housing"]}),
        VOCAB,
    )
    texts = [f.text for f in matching.explain(m, 0, 0, matching.Names(store, "sv", STAFF))]
    assert texts == [
        "Gemensamma teman: Boende och hemlöshet",
        "Löpande utlysning: ansök när som helst",
    ]


# both directions on the demo data ------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(demo_db):
    from sihub.db import connect

    store = connect(str(demo_db))
    yield store, date.fromisoformat(store.meta("demo_reference_date"))
    store.close()


def test_both_directions_give_the_same_pairs(demo):
    store, today = demo
    by_call = {
        (int(i), int(c))
        for (c,) in store.rows("SELECT id FROM funding_opportunities")
        for i in matching.call_matches(store, STAFF, c, today, "en").innovation_id
    }
    by_innovation = {
        (int(i), int(c))
        for (i,) in store.rows("SELECT id FROM innovations")
        for c in matching.innovation_matches(store, STAFF, i, today, "en").call_id
    }
    assert by_call == by_innovation
    m = matching.match_all(store, STAFF, today)
    assert int(m.matched.sum()) == len(by_call) > 100


def test_matches_are_ranked_and_their_counts_agree_with_their_words(demo):
    store, today = demo
    df = matching.call_matches(store, STAFF, 1, today, "en")
    assert not df.empty
    assert list(df.mismatch_count) == sorted(df.mismatch_count)
    assert (df.reasons.map(len) == df.reason_count).all()
    assert (df.mismatches.map(len) == df.mismatch_count).all()
    assert set(df.fit) <= {"full", "partial", "weak"}
    closed = store.scalar(
        f"SELECT min(id) FROM funding_opportunities WHERE deadline < DATE '{today}'"
    )
    assert matching.call_matches(store, STAFF, closed, today, "en").empty


def test_an_innovations_calls_are_never_closed(demo):
    store, today = demo
    found = pd.concat(
        [
            matching.innovation_matches(store, STAFF, i, today, "en")
            for (i,) in store.rows("SELECT id FROM innovations ORDER BY id LIMIT 20")
        ]
    )
    assert not found.empty
    assert "Closed" not in set(found.status)
    assert found.days_left.dropna().ge(0).all()


def test_unknown_call_or_innovation_is_not_found(demo):
    store, today = demo
    with pytest.raises(NotFoundError):
        matching.call_matches(store, STAFF, 9999, today, "en")
    with pytest.raises(NotFoundError):
        matching.innovation_matches(store, STAFF, 9999, today, "en")


def test_match_export_lists_every_reason_and_mismatch(demo):
    store, today = demo
    df = matching.call_matches(store, STAFF, 1, today, "fi")
    out = matching.export_frame(df, "fi", {"name": "common.innovation"})
    assert list(out.columns) == [
        "Innovaatio",
        "Sopivuus",
        "Perusteet",
        "Ristiriidat",
        "Tarkistettavaa",
    ]
    first = df.iloc[0]
    assert out.iloc[0]["Perusteet"] == "\n".join(first.reasons)
