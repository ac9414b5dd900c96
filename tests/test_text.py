"""Folding names for matching: what counts as the same spelling of a name or header."""

import random
import re
import unicodedata

import pytest

from sihub.text import fold, name_key


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("  Äänekoski ", "aanekoski"),
        ("Nyhetsvärde", "nyhetsvarde"),
        ("KÄYTÄNTÖÖN\u00a0 VIENTI", "kaytantoon vienti"),  # no-break space is a space
        ("Straße", "strasse"),
        ("ﬁnanssi", "finanssi"),  # a ligature as its letters
        ("Søren Ærø", "søren ærø"),  # letters that are not accented letters stay
        ("Nguyễn Thị", "nguyen thi"),  # stacked marks
        ("cafe\u0301", "cafe"),  # a mark typed as its own character
        ("x\u20d7y", "xy"),  # a combining mark outside the usual accents block
        ("4 – hyvä", "4 – hyva"),  # a dash is not a mark
        (None, ""),
    ],
)
def test_fold_ignores_case_accents_and_spacing(text, folded):
    assert fold(text) == folded


def test_name_key_also_ignores_punctuation():
    assert name_key("Walk-in  Kohtaamo, Oulu!") == "walk in kohtaamo oulu"
    assert name_key("Perhekeskus “Apila” ry.") == "perhekeskus apila ry"


def _plain_fold(text: str) -> str:
    """The definition: decompose, drop every combining mark, collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped).strip()


def test_the_fast_fold_agrees_with_the_definition_on_any_text():
    rng = random.Random(20261129)
    for _ in range(20_000):
        text = "".join(
            chr(rng.choice((rng.randrange(0x20, 0x250), rng.randrange(0, 0x3000))))
            for _ in range(rng.randrange(1, 14))
        )
        assert fold(text) == _plain_fold(text), repr(text)
