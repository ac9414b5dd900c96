"""The ecosystem and funding pages' sentences in Finnish, Swedish and English: numbers written
as the language writes them, and count words that agree with their numbers."""

import pandas as pd
import pytest

from sihub.access import Visibility
from sihub.ecosystem import flow


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
