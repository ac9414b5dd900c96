"""Tables on the ecosystem and funding pages show their words whole at a laptop's width (1280
px): a column of long names or labels is given the room its longest needs, in every language."""

import pytest

from sihub.i18n import LANGUAGES, catalogue
from sihub.ui import CHAR_PX, NAME_PX
from tests.apptools import frame_app, table_settings


def shown_whole(at, heading: str) -> bool:
    """Whether the table with the column ``heading`` gives it pixels for its longest value (up
    to the widest a name column gets, ``ui.NAME_PX``)."""
    [element] = [d for d in at.dataframe if heading in d.value.columns]
    _, config, _ = table_settings(element)
    width = config.get(heading, {}).get("width")
    longest = int(element.value[heading].astype(str).str.len().max())
    return isinstance(width, int) and width >= min(NAME_PX[1], CHAR_PX * longest)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_gaps_table_shows_each_target_group_whole(tmp_path, monkeypatch, demo_copy, lang):
    # Swedish at 1280 px: 'Arbetslösa och personer utanför arbetsma'
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/ecosystem.py", lang, tab="what")
    assert shown_whole(at, catalogue(lang)["common.target_group"])


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("opened", [{"call": "24"}, {"innovation": "1"}])
def test_a_matchs_fit_is_shown_whole(tmp_path, monkeypatch, demo_copy, lang, opened):
    # 'small' showed 'Passar delv', 'Sopii osit', 'Partial fit' of 'Partial fit: 1 mismatch'
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/funding.py", lang, **opened)
    assert shown_whole(at, "fit")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_calls_that_fit_an_innovation_are_named_whole(tmp_path, monkeypatch, demo_copy, lang):
    # 'medium' showed 'Työllisyyden tulosperusteinen so', 'Social Innovation+ transnational'
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/funding.py", lang, innovation="1")
    assert shown_whole(at, "call_name")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogue_shows_names_and_amounts_whole(tmp_path, monkeypatch, demo_copy, lang):
    # sized by the rows first drawn: '2 000 000 €–3 500 000 €' and 'Tulosperusteinen sopimus'
    # further down were cut
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/funding.py", lang)
    for column in ("call_name", "funder", "instrument_name", "amount"):
        assert shown_whole(at, column), column
