"""The ecosystem page's tables beside its charts ("Show as table") write shares and means as
the page's sentences do: 63 % and 3,5 in Finnish and Swedish, never 0.6316 or 3.47."""

import re

import pytest

from sihub.i18n import catalogue
from tests.apptools import frame_app, table

PERCENT = {"fi": r"\d+(,\d)?\u00a0%", "sv": r"\d+(,\d)?\u00a0%", "en": r"\d+(\.\d)?%"}
ONE_DECIMAL = {"fi": r"\d,\d", "sv": r"\d,\d", "en": r"\d\.\d"}


def written(values, pattern: str) -> bool:
    return all(re.fullmatch(pattern, str(v)) for v in values)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_pipeline_tables_write_shares_and_means_as_the_language(
    tmp_path, monkeypatch, demo_copy, lang
):
    # Swedish: 'Andel externt bedömda 0.6316', 'Andel av alla … 0.3875', 'Medelpoäng … 3.47'
    words = catalogue(lang)
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/ecosystem.py", lang, tab="pipeline")
    for heading in ("ecosystem.pipeline.share_external", "ecosystem.pipeline.share_of_all"):
        shares = table(at, words[heading])[words[heading]]
        assert written(shares, PERCENT[lang]), list(shares)
    means = table(at, words["ecosystem.pipeline.mean"])[words["ecosystem.pipeline.mean"]]
    assert written(means, ONE_DECIMAL[lang]), list(means)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_completeness_table_writes_its_shares_as_the_bars(
    tmp_path, monkeypatch, demo_copy, lang
):
    # Swedish: 'Andel ifyllda 0.9125' beside the bar's 91,2
    heading = catalogue(lang)["ecosystem.quality.share"]
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/ecosystem.py", lang, tab="quality")
    shares = table(at, heading)[heading]
    assert written(shares, PERCENT[lang]), list(shares)
