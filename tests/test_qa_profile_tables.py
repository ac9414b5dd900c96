"""The profile's score tables in Finnish and Swedish: figures are written as the language
writes them ("3,7", "−2,3"), never with Streamlit's decimal point."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from sihub.db import open_store
from sihub.i18n import t
from tests.apptools import frame_app, plotly_strings, table

DECIMAL = re.compile(r"^\d,\d$")
SIGNED = re.compile(r"^[+−]\d,\d$")


@pytest.fixture
def several_rounds(demo_copy):
    """An innovation assessed externally in more than one round."""
    return open_store(demo_copy).scalar(
        "SELECT innovation_id FROM assessments WHERE assessment_type <> 'self' "
        "GROUP BY innovation_id HAVING count(DISTINCT round) > 1 ORDER BY 1 LIMIT 1"
    )


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_score_tables_write_decimals_with_a_comma(
    tmp_path, monkeypatch, demo_copy, several_rounds, lang
):
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/innovation.py", lang=lang,
                   id=several_rounds, tab="scores")  # fmt: skip
    changes = table(at, "criterion", "change")
    rounds = [c for c in changes.columns if c not in ("criterion", "change")]
    written = [v for c in rounds for v in changes[c] if pd.notna(v)]
    assert written and all(DECIMAL.match(v) for v in written), written
    signed = [v for v in changes["change"] if pd.notna(v)]
    assert signed and all(SIGNED.match(v) for v in signed), signed
    median = t("profile.col.cohort_median", lang=lang)
    medians = [v for v in table(at, median)[median] if pd.notna(v)]
    assert medians and all(DECIMAL.match(v) for v in medians), medians


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_criteria_chart_ticks_the_scales_whole_points(
    tmp_path, monkeypatch, demo_copy, several_rounds, lang
):
    """Left to plotly, the 1-5 axis read "1.5", "2.5" (a decimal point) in Finnish and Swedish."""
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/innovation.py", lang=lang,
                   id=several_rounds, tab="scores")  # fmt: skip
    assert {"1", "2", "3", "4", "5"} <= set(plotly_strings(at))
