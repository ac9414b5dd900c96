"""The benchmark's data builder and query list keep working and time real work: the figures
the page would show add up to what the builder was asked for (no timing here: times are the
benchmark's to print, never a unit test's to assert)."""

from bench.funding_ecosystem import STAFF, TODAY, build, ecosystem_queries
from sihub.funding import matching


def test_benchmark_store_is_built_with_bulk_sql_and_every_query_runs(tmp_path):
    store = build(tmp_path / "bench.duckdb", innovations=300, calls=40)
    try:
        assert store.scalar("SELECT count(*) FROM innovations") == 300
        assert store.scalar("SELECT count(*) FROM funding_opportunities") == 40
        assert store.scalar("SELECT count(*) FROM scores") > 1000
        every_pair = matching.match_all(store, STAFF, TODAY)
        assert every_pair.matched.shape == (300, 40) and every_pair.matched.any()
        shown = {name: query() for name, query in ecosystem_queries(store).items()}
        # each of the page's queries runs, on the rows the builder was asked for
        assessed = store.scalar("SELECT count(DISTINCT innovation_id) FROM assessments")
        assert 0 < assessed < 300
        assert len(shown["never_assessed"]) == 300 - assessed
        assert shown["assessed_by_stage"].innovations.sum() == 300
        assert len(shown["areas"]) == 22  # the tile map's areas
        assert shown["organisations_by_type"].organisations.sum() == store.scalar(
            "SELECT count(*) FROM organisations"
        )
        assert shown["awards_by_funder"].awards.sum() == store.scalar(
            "SELECT count(*) FROM funding_awards"
        )
        assert shown["completeness"].share.between(0, 1).all()
    finally:
        store.close()
