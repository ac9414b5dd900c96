"""The panel's load script keeps working: a few protocol-level members score one pitch on a
real app process, the screen session counts them, and the store holds each score once (no
timing asserted here: times are the benchmark's to print)."""

import pytest

from bench import panel as panel_bench


@pytest.mark.xdist_group("panel_server")
def test_the_panel_benchmark_scores_through_the_protocol_and_checks_the_store(tmp_path):
    found = panel_bench.run(members=3, window=2.0, folder=tmp_path)
    assert found["saved"] == 3  # each phone said "Saved at"
    assert found["store"] == {"assessments": 3, "duplicated": 0, "scores": 15, "wrong": 0}
    assert len(found["times"]) == 3 and all(t < 60 for t in found["times"])  # all on screen
