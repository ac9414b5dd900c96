"""The benchmarks' builders and query lists keep working as the code changes, and time real
work: each test asserts the figures a user would see on the data the builder was asked for
(no timing here: times are the benchmarks' to print, never a unit test's to assert)."""

import pytest

from bench import compare as compare_bench
from bench import import_limits as limits_bench
from bench import import_speed as import_bench
from bench import pipeline as pipeline_bench
from bench.pipeline_store import build_bench_store
from sihub.db import connect, derived
from sihub.funders import ranking
from sihub.pipeline.filters import InnovationFilter


def test_the_explorer_and_profile_benchmark_queries_run(tmp_path):
    path = tmp_path / "pipeline.duckdb"
    counts = build_bench_store(path, innovations=200, assessments=600)
    assert (counts["innovations"], counts["assessments"]) == (200, 600)  # as asked
    assert counts["scores"] > 600 * 5  # most of the ten criteria are scored on each
    store = connect(str(path))
    try:
        assert derived.is_current(store)  # the generator builds derived data with the rows
        busiest, assessed = store.rows(
            "SELECT innovation_id, count(*) FROM assessments GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
        )[0]
        chosen = InnovationFilter(themes=("employment",), min_score=2.2)  # 0.3 of 0-1, on 1-5
        explorer = pipeline_bench.explorer_queries(store, chosen)
        profile = pipeline_bench.profile_queries(store, busiest)
        for name, query in {**explorer, **profile}.items():
            assert query() is not None, name
        # the explorer times real work: a selection, counted alike wherever the page shows it
        results = explorer["results"]()
        assert 0 < len(results) < 200 and (results.mean_score >= 0.3 - 1e-6).all()
        assert explorer["stage_counts"]().innovations.sum() == len(results)
        assert explorer["history_coverage"]()["selected"] == len(results)
        assert sorted(explorer["results sorted by score"]().id) == sorted(results.id)
        # the profile of the busiest innovation: its assessments, criteria and every score
        assert len(profile["assessments"]()) == assessed > 1
        assert len(profile["criterion_comparison (all)"]()) == 10  # the provisional framework
        assert profile["headline_scores"]().mean_score.between(0, 1).all()
        provenance = profile["score_provenance"]()
        assert len(provenance) == store.scalar(
            "SELECT count(*) FROM scores s JOIN assessments a ON a.id = s.assessment_id "
            "WHERE a.innovation_id = ?",
            [busiest],
        )
    finally:
        store.close()


def test_the_comparison_and_ranking_benchmark_runs(tmp_path):
    store = compare_bench.build_store(tmp_path / "compare.duckdb", innovations=120)
    try:
        assert store.scalar("SELECT count(*) FROM innovations") == 120
        ids = store.query("SELECT DISTINCT innovation_id FROM assessments ORDER BY 1 LIMIT 30")
        cmp = compare_bench.heatmap_view(store, ids.innovation_id.tolist())
        compare_bench.other_views(store, cmp)
        spec = ranking.RankingSpec()
        compare_bench.funder_ranking(store, spec)
        # the comparison times 30 innovations x the ten criteria, with means on the 0-1 scale
        assert sorted(cmp.columns.key.astype(int)) == ids.innovation_id.tolist()
        assert len(cmp.criteria) == 10 and cmp.columns["mean"].between(0, 1).all()
        # the ranking times every innovation with a shared external score
        ranked = ranking.rank(store, compare_bench.STAFF, spec, "en")
        rankable = store.scalar(
            "SELECT count(DISTINCT innovation_id) FROM assessments "
            "WHERE assessment_type <> 'self' AND shared"
        )
        assert ranked.counts()["ranked"] == len(ranked.table) == rankable > 120 / 2
        assert ranked.table.score.between(0, 100).all()
    finally:
        store.close()


def test_the_import_benchmark_imports_its_generated_export(tmp_path):
    path = import_bench.export(1000, out=tmp_path)
    measured = import_bench.measure_import(path)
    assert measured["status"] == "imported"
    assert measured["assessments"] == 1000  # every generated form scores something
    assert measured["scores"] > 1000 * 5  # most of the ten criteria are scored on each form
    assert import_bench.measure_baseline(path)["rows"] == 1000


def test_the_import_limits_benchmark_builds_its_files_and_runs_a_case(tmp_path):
    for name in ("names_at_limit", "digit_headers", "long_comments"):
        assert limits_bench.build(name, out=tmp_path).stat().st_size > 0
    measured = limits_bench.run_case("names_32767", out=tmp_path)
    assert (measured["exit"], measured["errors"], measured["first"]) == (1, 8, "Vastaukset!B2")


@pytest.mark.xdist_group("browser")  # the shared server of the browser tests
def test_the_sessions_benchmark_speaks_streamlits_protocol(server):
    """A new session over the websocket, as bench.sessions opens 40 at once."""
    from bench import sessions
    from bench._measure import in_own_loop

    took = in_own_loop(sessions.one_session(server.port))
    assert 0 < took < 120


def test_the_pages_benchmark_judges_its_figures():
    from bench import pages

    figures = {
        ("10k", "duckdb"): {"overview": 0.3, pages.TRIVIAL: 0.25, "first_visit": 2.0},
        ("10k", "postgres"): {"overview": 0.6, pages.TRIVIAL: 0.25, "first_visit": 2.5},
    }
    row = {store: figures[("10k", store)]["overview"] for store in ("duckdb", "postgres")}
    verdict = pages.verdict("10k", "overview", row, figures)
    assert verdict == "MISSED: 1.2x trivial, PostgreSQL 2.0x DuckDB"


def test_a_generated_stores_ids_stay_ahead_of_its_sequences_at_100k_size():
    """The 100k bench store has 500,000 assessments; an import into it must draw new ids.
    (A sequence drawn by a query nobody fetched stopped at 129,024.)"""
    import duckdb

    from bench.pipeline_store import advance_sequence

    con = duckdb.connect()
    con.execute("CREATE SEQUENCE assessment_ids START 1")
    con.execute("CREATE TABLE assessments AS SELECT range + 1 AS id FROM range(500000)")
    assert advance_sequence(con, "assessment_ids", "assessments") == 500_000
    assert con.execute("SELECT nextval('assessment_ids')").fetchone()[0] == 500_001
