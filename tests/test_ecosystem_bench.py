"""The benchmark's data builder and query list keep working (no timing here: the figures are
the benchmark's to print, never a unit test's to assert)."""

from bench.funding_ecosystem import TODAY, build, ecosystem_queries
from sihub.funding import matching


def test_benchmark_store_is_built_with_bulk_sql_and_every_query_runs(tmp_path):
    store = build(tmp_path / "bench.duckdb", innovations=300, calls=40)
    try:
        assert store.scalar("SELECT count(*) FROM innovations") == 300
        assert store.scalar("SELECT count(*) FROM funding_opportunities") == 40
        assert store.scalar("SELECT count(*) FROM scores") > 1000
        every_pair = matching.match_all(store, TODAY)
        assert every_pair.matched.shape == (300, 40) and every_pair.matched.any()
        for query in ecosystem_queries(store).values():
            query()  # each of the page's queries runs on the generated data
    finally:
        store.close()
