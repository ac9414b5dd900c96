"""Every kind of rating scale parses what people type and normalises it to 0-1."""

import pytest

from sihub.reference import load_scales
from sihub.reference.scales import ScoreError


@pytest.fixture(scope="module")
def scales(reference_store):
    return load_scales(reference_store)


@pytest.mark.parametrize(
    ("scale", "typed", "normalised"),
    [
        ("1-5", 1, 0.0),
        ("1-5", 5, 1.0),
        ("1-5", "4 – hyvä", 0.75),
        ("1-5", "hyvä", 0.75),
        ("1-5", "3,5", 0.625),
        ("1-5", " 2 ", 0.25),
        ("0-5", 0, 0.0),
        ("0-5", 3, 0.6),
        ("0-5", "2.5", 0.5),
        ("0-3", 2, 0.666667),
        ("0-3", 3, 1.0),
        ("traffic_light", "vihreä", 1.0),
        ("traffic_light", "Keltainen", 0.5),
        ("traffic_light", "RÖD", 0.0),
        ("traffic_light", "red", 0.0),
        ("yes_partly_no", "kyllä", 1.0),
        ("yes_partly_no", "osittain", 0.5),
        ("yes_partly_no", "nej", 0.0),
        ("pass_fail", "pass", 1.0),
        ("pass_fail", "hylätty", 0.0),
        ("nesta_levels", 3, 0.5),
    ],
)
def test_typed_scores_normalise(scales, scale, typed, normalised):
    assert scales[scale].parse(typed).normalised == pytest.approx(normalised, abs=1e-6)


@pytest.mark.parametrize("typed", [None, "", "–", "-", "n/a", "ei arvioitu", "  "])
@pytest.mark.parametrize("scale", ["1-5", "traffic_light", "yes_partly_no"])
def test_missing_is_missing_never_zero(scales, scale, typed):
    parsed = scales[scale].parse(typed)
    assert parsed.missing and parsed.normalised is None and parsed.value is None


@pytest.mark.parametrize(
    ("scale", "typed", "code"),
    [
        ("1-5", 6, "out_of_range"),
        ("1-5", 0, "out_of_range"),
        ("1-5", "kiva", "not_on_scale"),
        ("0-3", 4, "out_of_range"),
        ("nesta_levels", 2.5, "not_on_scale"),  # levels only, no decimals
        ("traffic_light", 3, "not_on_scale"),
        ("yes_partly_no", "maybe", "not_on_scale"),
        ("1-5", True, "not_on_scale"),
    ],
)
def test_values_off_the_scale_are_rejected_with_a_reason(scales, scale, typed, code):
    with pytest.raises(ScoreError) as raised:
        scales[scale].parse(typed)
    assert raised.value.code == code


def test_level_values_in_the_store_are_all_between_0_and_1(reference_store):
    store = reference_store
    bad = store.rows(
        "SELECT scale_code, code FROM scale_levels WHERE normalised NOT BETWEEN 0 AND 1"
    )
    assert bad == []
    kinds = dict(store.rows("SELECT code, kind FROM scales"))
    for needed in ("1-5", "0-5", "0-3", "traffic_light", "yes_partly_no"):
        assert needed in kinds
