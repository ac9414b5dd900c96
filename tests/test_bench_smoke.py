"""The benchmarks' builders and query lists keep working as the code changes (no timing here:
figures are the benchmarks' to print, never a unit test's to assert)."""

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
    assert counts["innovations"] == 200
    store = connect(str(path))
    try:
        assert derived.is_current(store)  # the generator builds derived data with the rows
        busiest = store.scalar(
            "SELECT innovation_id FROM assessments GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        )
        chosen = InnovationFilter(themes=("employment",), min_score=0.3)
        queries = {
            **pipeline_bench.explorer_queries(store, chosen),
            **pipeline_bench.profile_queries(store, busiest),
        }
        for name, query in queries.items():
            assert query() is not None, name
    finally:
        store.close()


def test_the_comparison_and_ranking_benchmark_runs(tmp_path):
    store = compare_bench.build_store(tmp_path / "compare.duckdb", innovations=120)
    try:
        ids = store.query("SELECT DISTINCT innovation_id FROM assessments ORDER BY 1 LIMIT 30")
        cmp = compare_bench.heatmap_view(store, ids.innovation_id.tolist())
        compare_bench.other_views(store, cmp)
        compare_bench.funder_ranking(store, ranking.RankingSpec())
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
