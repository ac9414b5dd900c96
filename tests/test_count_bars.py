"""The overview's count bars (``charts.count_bars``): each bar's number is written outside it,
so the axis reaches past the longest bar and the number fits in the figure."""

import pandas as pd
import pytest

from sihub.charts import count_bars


@pytest.mark.parametrize("horizontal", [True, False])
def test_the_longest_bars_number_fits_inside_the_figure(horizontal):
    """At 1280 px the overview's 'Nuoret 23' had its number cut at the figure's right edge."""
    df = pd.DataFrame({"group": ["Nuoret", "Romanit", "Ei kirjattu"], "n": [23, 2, 7]})
    fig = count_bars(df, "group", "n", horizontal=horizontal, missing_label="Ei kirjattu")
    axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    low, high = axis.range
    assert low == 0 and high >= 23 * 1.1


def test_bars_with_nothing_counted_keep_the_automatic_axis():
    fig = count_bars(pd.DataFrame({"group": ["Ei kirjattu"], "n": [0]}), "group", "n")
    assert fig.layout.xaxis.range is None
