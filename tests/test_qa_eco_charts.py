"""The ecosystem page's charts can be read line by line: no two lines of one chart look alike."""

import pandas as pd

from sihub.charts import ecosystem as figures


def test_ten_dimensions_are_ten_different_lines():
    # the SI framework's ten dimensions: 'Systemförändring' was drawn as 'Samarbete' (one blue)
    names = [f"dimension {n}" for n in range(10)]
    df = pd.DataFrame({"label": ["Round 1", "Round 2"], **{n: [3.0, 3.5] for n in names}})
    fig = figures.lines(df, "label", {n: n for n in names}, y_title="Mean")
    looks = {(trace.line.color, trace.line.dash or "solid") for trace in fig.data}
    assert len(looks) == len(names), looks
