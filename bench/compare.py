"""Benchmark of the comparison and funder pages on a large generated store.

Builds (once) a store of 10k innovations and about 50k assessments with bulk SQL, then times
what the pages compute server-side: a 30 innovations x 10 criteria comparison (data, charts and
sentences) and a ranking of every innovation by a funder's weights. Target: each under 200 ms.

    .venv/bin/python -m bench.compare [--db PATH] [--rebuild] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sihub import scores
from sihub.access import Sight, Visibility
from sihub.charts import compare as charts
from sihub.compare import agreement, rounds, self_external, views, words
from sihub.compare.queries import Comparison, comparison_of
from sihub.compare.selection import Selection
from sihub.db import connect, derived
from sihub.db.store import Store
from sihub.funders import ranking
from sihub.reference import sync_reference_data

STAFF = Visibility.ALL  # the staff's view, as before roles; the funder's view is timed apart

INNOVATIONS = 10_000
TARGET_MS = 200.0
DEFAULT_DB = Path("/tmp/sihub-bench-compare.duckdb")


def _rand(expr: str, salt: int) -> str:
    """A deterministic pseudo-random number in [0, 1) from an integer SQL expression."""
    return f"((hash(({expr})::BIGINT * 7919 + {salt}) % 100000) / 100000.0)"


def build_store(path: Path, innovations: int = INNOVATIONS) -> Store:
    """A migrated store with ``innovations`` innovations, 1-3 rounds of 1-3 assessors each."""
    for suffix in ("", ".wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = connect(str(path))
    sync_reference_data(store)
    with store.transaction() as cur:
        _fill(cur, innovations)
        derived.rebuild_in(cur)
    store.rows("CHECKPOINT")
    return store


def _fill(cur, n: int) -> None:
    stages = "['prompts','proposals','prototypes','sustaining','scaling','systemic']"
    regions = "(SELECT list(code ORDER BY sort_order) FROM regions)"
    themes = "(SELECT list(code ORDER BY sort_order) FROM themes)"
    groups = "(SELECT list(code ORDER BY sort_order) FROM target_groups)"
    cur.execute(f"""
        INSERT INTO organisations (id, name, name_key, org_type, region_code)
        SELECT i, 'Organisation ' || i, 'organisation ' || i,
               (['association','foundation','municipality','company'])[1 + i % 4],
               {regions}[1 + i % 22]
        FROM range(1, {n // 10 + 1}) r(i)""")
    cur.execute(f"""
        INSERT INTO innovations (id, ref, name, name_key, stage_code, created_on)
        SELECT i, 'B-' || i, 'Innovation ' || i, 'innovation ' || i,
               {stages}[1 + floor({_rand("i", 1)} * 6)::INT],
               DATE '2020-01-01' + (i % 1500)::INT
        FROM range(1, {n + 1}) r(i)""")
    cur.execute(f"""
        INSERT INTO innovation_organisations
        SELECT i, 1 + i % {n // 10}, 'lead', NULL FROM range(1, {n + 1}) r(i)""")
    cur.execute(f"""
        INSERT INTO innovation_regions
        SELECT i, {regions}[1 + floor({_rand("i", 2)} * 25)::INT], NULL
        FROM range(1, {n + 1}) r(i) WHERE {_rand("i", 3)} > 0.05""")
    cur.execute(f"""
        INSERT INTO innovation_themes
        SELECT DISTINCT i, {themes}[1 + floor({_rand("i * 3 + k", 4)} * len({themes}))::INT], NULL
        FROM range(1, {n + 1}) r(i), range(2) k(k)""")
    cur.execute(f"""
        INSERT INTO innovation_target_groups
        SELECT i, {groups}[1 + floor({_rand("i", 5)} * len({groups}))::INT], NULL
        FROM range(1, {n + 1}) r(i)""")
    cur.execute("""
        INSERT INTO assessors (id, name, name_key)
        SELECT i, 'Assessor ' || i, 'assessor ' || i FROM range(1, 201) r(i)""")
    _assessments(cur, n)


def _assessments(cur, n: int) -> None:
    """1-3 rounds per innovation (80 % assessed), 1-3 assessors each, some self, some internal."""
    cur.execute(f"""
        INSERT INTO assessments (id, innovation_id, framework_code, assessor_id, assessment_type,
                                 assessed_on, round, shared)
        SELECT row_number() OVER (), i, 'si_tool', 1 + (i * 13 + rnd * 7 + k * 31) % 200,
               CASE WHEN k = 0 AND {_rand("i + rnd", 6)} < 0.4 THEN 'self'
                    WHEN {_rand("i * 5 + k + rnd", 7)} < 0.1 THEN 'funder'
                    WHEN k % 2 = 0 THEN 'expert' ELSE 'peer' END,
               DATE '2023-01-01' + (rnd * 300 + i % 60)::INT, rnd,
               NOT ({_rand("i * 5 + k + rnd", 7)} < 0.1 AND k > 0)
        FROM range(1, {n + 1}) r(i), range(1, 4) d(rnd), range(0, 4) p(k)
        WHERE {_rand("i", 8)} < 0.8
          AND rnd <= 1 + floor({_rand("i", 9)} * 3)
          AND k <= 1 + floor({_rand("i * 11 + rnd", 10)} * 3)""")
    cur.execute(f"""
        INSERT INTO scores (assessment_id, criterion_code, raw_value, value, level_code, normalised)
        SELECT id, code, v::VARCHAR, v, v::VARCHAR, (v - 1) / 4.0
        FROM (SELECT a.id, c.code,
                     CASE WHEN {_rand("a.id * 17 + c.sort_order", 11)} < 0.06 THEN NULL
                          ELSE 1 + floor({_rand("a.id * 19 + c.sort_order", 12)} * 5) END AS v
              FROM assessments a, criteria c WHERE c.framework_code = 'si_tool')""")


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """Median and worst wall time, and median CPU time of this process (all its threads), in
    milliseconds over ``repeat`` calls after one warm-up. CPU time shows the work itself when
    other processes share the cores."""
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), max(walls), statistics.median(cpus)


def heatmap_view(store: Store, ids: list[int], visibility: str = STAFF) -> Comparison:
    """The default view: the comparison, its heatmap, its words and its tables."""
    comparison = comparison_of(store, visibility, Selection(ids=tuple(ids)), "en")
    cells = views.heatmap_cells(comparison, "mean", "dimension", "scale", "en")
    charts.heatmap(cells, not_assessed="not assessed", colour_title="", hover_value="")
    words.heatmap_words(comparison, "scale", "en")
    views.column_table(comparison, "mean", "dimension", "scale", "en")
    views.column_order(comparison, "mean")
    return comparison


def agreement_view(comparison: Comparison) -> None:
    words.agreement_words(comparison, agreement.disagreements(comparison), "scale", "en")
    agreement.agreement(comparison)


def rounds_view(store: Store, comparison: Comparison) -> None:
    change = rounds.round_change(
        rounds.round_means(store, comparison.sight, comparison.selection),
        comparison.criteria,
    )
    rounds.round_summary(change)


def self_view(store: Store, comparison: Comparison) -> None:
    self_external.self_external_summary(self_external.self_vs_external(store, comparison))


def other_views(store: Store, comparison: Comparison) -> None:
    """The agreement, rounds and self-vs-external views (each computed when its tab is open)."""
    agreement_view(comparison)
    rounds_view(store, comparison)
    self_view(store, comparison)


def funder_ranking(store: Store, spec: ranking.RankingSpec) -> None:
    """What /funders computes after a write: the store's side and the ranking of every
    assessed innovation, as table and words."""
    data = ranking.ranking_data(store, STAFF, spec.framework, spec.filter, "en")
    reweigh(data, spec)


def reweigh(data: ranking.RankingData, spec: ranking.RankingSpec) -> None:
    """What /funders computes when a weight moves (the store's side is cached per data version)."""
    result = ranking.rank_from(data, spec)
    ranking.display_table(result, "en")
    ranking.ranking_words(result, "en")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    if args.rebuild or not args.db.exists():
        start = time.perf_counter()
        store = build_store(args.db)
        print(f"built {args.db} in {time.perf_counter() - start:.1f} s")
    else:
        store = connect(str(args.db))
    tables = ("innovations", "assessments", "scores")
    counts = {t: store.scalar(f"SELECT count(*) FROM {t}") for t in tables}
    print("store:", ", ".join(f"{v} {k}" for k, v in counts.items()))
    assessed = scores.innovation_scores(store, STAFF).innovation_id.tolist()
    ids = [int(i) for i in assessed[:: max(1, len(assessed) // 30)][:30]]
    gated = ranking.RankingSpec(
        weights=(("evidence", 3.0), ("effectiveness", 2.0)), gates=(("evidence", "3"),)
    )
    data = ranking.ranking_data(
        store, STAFF, scores.DEFAULT_FRAMEWORK, ranking.InnovationFilter(), "en"
    )
    comparison = comparison_of(store, STAFF, Selection(ids=tuple(ids)), "en")
    # A funder on two panels of ten pitches each: the rule grows by their sessions' pitches.
    member = Sight(Visibility.SHARED, tuple((1 + n // 10, i) for n, i in enumerate(ids[:20])))
    cases = {
        "compare 30 x 10: heatmap view": lambda: heatmap_view(store, ids),
        "  as a funder (shared only)": lambda: heatmap_view(store, ids, Visibility.SHARED),
        "  as a panel's member (20 pitches)": lambda: heatmap_view(store, ids, member),
        "compare 30 x 10: all views at once": lambda: other_views(store, heatmap_view(store, ids)),
        # a tab switch: the comparison itself comes from the page's cache
        "  tab: assessor agreement": lambda: agreement_view(comparison),
        "  tab: change between rounds": lambda: rounds_view(store, comparison),
        "  tab: self vs external": lambda: self_view(store, comparison),
        "rank 10k, equal weights": lambda: funder_ranking(store, ranking.RankingSpec()),
        "rank 10k, weights + must-pass": lambda: funder_ranking(store, gated),
        "rank 10k, a weight moved (cached)": lambda: reweigh(data, gated),
    }
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    header = f"{'case':36} {'median ms':>10} {'worst ms':>9} {'cpu ms':>8}"
    print(f"{header}  (target: median under {TARGET_MS:.0f} ms)")
    for name, fn in cases.items():
        median, worst, cpu = timed(fn, args.repeat)
        verdict = "ok" if median < TARGET_MS else "OVER"
        print(f"{name:36} {median:10.1f} {worst:9.1f} {cpu:8.1f}  {verdict}")


if __name__ == "__main__":
    main()
