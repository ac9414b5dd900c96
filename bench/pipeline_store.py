"""A generated store for the pipeline benchmark: 10 000 innovations and 50 000 assessments.

Built with bulk SQL (pandas frames inserted in one statement each, scores derived inside
DuckDB), never through xlsx, so that building takes seconds. The texts reuse the demo's
hand-written concepts so that search and similarity work on realistic Finnish sentences.
Everything is deterministic for a given seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from sihub.db import connect, derived, meta
from sihub.demo.content import CONCEPTS, QUESTIONS
from sihub.reference import sync_reference_data
from sihub.text import name_key

SEED = 4
STAGES = ("prompts", "proposals", "prototypes", "sustaining", "scaling", "systemic")
PLACES = (
    "Oulu", "Kotka", "Jyväskylä", "Hämeenlinna", "Seinäjoki", "Vaasa", "Pori", "Kuopio",
    "Joensuu", "Lahti", "Mikkeli", "Rovaniemi", "Kajaani", "Espoo", "Vantaa", "Turku",
    "Tampere", "Lappeenranta", "Porvoo", "Äänekoski", "Närpes", "Jakobstad", "Kokkola", "Salo",
)  # fmt: skip
ORG_WORDS = (
    "Nuorten", "Perhe", "Ikäihmisten", "Työllisyys", "Kotoutumis", "Mielenterveys", "Asumis",
    "Osallisuus", "Kylä", "Vertais", "Kokemus", "Kulttuuri", "Digi", "Päihde", "Liikunta",
)  # fmt: skip
ORG_FORMS = (
    ("ry", "association"),
    ("säätiö sr", "foundation"),
    ("osuuskunta", "cooperative"),
    ("Oy", "social_enterprise"),
    ("kaupunki", "municipality"),
    ("hyvinvointialue", "wellbeing_county"),
    ("ammattikorkeakoulu", "university"),
)
REGIONS = (
    "east_uusimaa", "central_uusimaa", "west_uusimaa", "vantaa_kerava", "helsinki",
    "southwest_finland", "satakunta", "kanta_hame", "pirkanmaa", "paijat_hame", "kymenlaakso",
    "south_karelia", "south_savo", "north_savo", "north_karelia", "central_finland",
    "south_ostrobothnia", "ostrobothnia", "central_ostrobothnia", "north_ostrobothnia",
    "kainuu", "lapland", "national",
)  # fmt: skip


def _organisations(rng: random.Random, count: int) -> pd.DataFrame:
    rows = []
    for n in range(1, count + 1):
        suffix, org_type = rng.choice(ORG_FORMS)
        place = rng.choice(PLACES)
        name = f"{rng.choice(ORG_WORDS)}keskus {place} {n} {suffix}"
        rows.append(
            dict(
                id=n,
                ref=f"BORG-{n:05d}",
                name=name,
                name_key=name_key(name),
                org_type=None if rng.random() < 0.05 else org_type,
                region_code=rng.choice(REGIONS),
                municipality=place,
                country="FI",
                batch_id=1,
                source_sheet="Organisations",
                source_row=n + 1,
            )
        )
    return pd.DataFrame(rows)


def _innovations(rng: random.Random, count: int, today: date) -> pd.DataFrame:
    rows = []
    for n in range(1, count + 1):
        concept = rng.choice(CONCEPTS)
        place = rng.choice(PLACES)
        does = concept[3]
        age = rng.randint(30, 2400)
        created = today - timedelta(days=age)
        name = f"{concept[0]} – {place} {n}"
        rows.append(
            dict(
                id=n,
                ref=f"BENCH-{n:05d}",
                name=name,
                name_key=name_key(name),
                short_description=f"Toimintamalli, joka {does}.",
                basic_idea=f"Perusajatus: {does}. Työ tehdään yhdessä kohderyhmän kanssa "
                f"paikkakunnalla {place}.",
                target_group_insight=None if rng.random() < 0.2 else "Kohderyhmä jää väliin.",
                implementation_place=place,
                scope=concept[4],
                funder_text=rng.choice(("Euroopan sosiaalirahasto (ESR)", "STEA", None)),
                stage_code=None if rng.random() < 0.05 else rng.choice(STAGES),
                created_on=created,
                modified_on=created + timedelta(days=rng.randint(0, age)),
                innokyla_url=f"https://innokyla.fi/fi/toimintamalli/bench-{n}"
                if rng.random() < 0.3
                else None,
                batch_id=1,
                source_sheet="Innovations",
                source_row=n + 1,
                tag_themes=list(concept[1]) if rng.random() > 0.04 else [],
                tag_tgs=list(concept[2]) if rng.random() > 0.08 else [],
            )
        )
    return pd.DataFrame(rows)


def _links(inns: pd.DataFrame, rng: random.Random, orgs: int) -> dict[str, pd.DataFrame]:
    themes, tgs, regions, io, history = [], [], [], [], []
    for row in inns.itertuples():
        themes += [(row.id, code, 1) for code in row.tag_themes]
        tgs += [(row.id, code, 1) for code in row.tag_tgs]
        if rng.random() > 0.05:
            regions.append((row.id, rng.choice(REGIONS), 1))
        partners = rng.sample(range(1, orgs + 1), rng.choice((0, 0, 1, 2)) + 1)
        if rng.random() > 0.03:
            io.append((row.id, partners[0], "lead", 1))
        io += [(row.id, p, "partner", 1) for p in partners[1:]]
        if isinstance(row.stage_code, str):
            reached = STAGES.index(row.stage_code)
            steps = range(max(0, reached - rng.randint(0, 3)), reached + 1)
            span = max((row.modified_on - row.created_on).days, len(steps))
            for k, step in enumerate(steps):
                when = row.created_on + timedelta(days=span * k // len(steps))
                history.append((row.id, STAGES[step], when, None, 1, "StageHistory", None))
    return {
        "innovation_themes": pd.DataFrame(themes, columns=["innovation_id", "theme_code", "b"]),
        "innovation_target_groups": pd.DataFrame(tgs, columns=["i", "c", "b"]),
        "innovation_regions": pd.DataFrame(regions, columns=["i", "c", "b"]),
        "innovation_organisations": pd.DataFrame(io, columns=["i", "o", "r", "b"]),
        "stage_history": pd.DataFrame(history, columns=list("abcdefg")),
    }


ASSESSMENTS_SQL = """
    INSERT INTO assessments (id, ref, innovation_id, framework_code, assessor_id,
        assessment_type, assessed_on, round, summary, shared, batch_id, source_sheet, source_row)
    WITH assessed AS (
        SELECT id, row_number() OVER (ORDER BY id) - 1 AS k,
               hash(id, 'self-only') % 8 = 0 AS self_only
        FROM innovations WHERE hash(id, 'assessed') % 10 < 6),
    n AS (SELECT range AS n, (SELECT count(*) FROM assessed) AS m FROM range($count))
    SELECT n.n + 1, 'BA-' || (n.n + 1), a.id,
           CASE WHEN hash(n.n, 'fw') % 100 < 88 THEN 'si_tool'
                WHEN hash(n.n, 'fw') % 100 < 96 THEN 'nesta_soe' ELSE 'innokyla_award' END,
           1 + hash(n.n, 'assessor') % $assessors,
           CASE WHEN a.self_only OR hash(n.n, 'type') % 4 = 0 THEN 'self'
                ELSE ['peer', 'expert', 'funder', 'jury'][CAST(1 + hash(n.n, 'ext') % 4 AS INT)]
           END,
           DATE '2023-09-01' + INTERVAL (365 * ((n.n // n.m) % 3) + hash(n.n, 'd') % 40) DAY,
           1 + (n.n // n.m) % 3,
           CASE WHEN hash(n.n, 's') % 3 = 0 THEN 'Lupaava aihio, näyttö vielä ohutta.' END,
           hash(n.n, 'shared') % 10 > 0, 2, 'Assessments', n.n + 2
    FROM n JOIN assessed a ON a.k = n.n % n.m"""

# One score per criterion of the assessment's framework; about 6 % left out (missing) and
# 1 % kept as a row with no value, as typed "–" in a sheet. The level leans on a per-
# innovation quality so that innovations differ and assessors mostly agree.
SCORES_SQL = """
    INSERT INTO scores
    WITH levels AS (
        SELECT scale_code, code, value, normalised,
               row_number() OVER (PARTITION BY scale_code ORDER BY sort_order) - 1 AS k,
               count(*) OVER (PARTITION BY scale_code) AS n
        FROM scale_levels),
    picked AS (
        SELECT a.id AS assessment_id, c.code AS criterion_code, c.scale_code, a.source_row,
               hash(a.id, c.code, 'missing') % 100 AS gap,
               least(greatest(CAST(hash(a.innovation_id, c.code) % 4 AS INTEGER)
                     + CAST(hash(a.id, c.code) % 3 AS INTEGER) - 1, 0), 4) AS pos
        FROM assessments a JOIN criteria c ON c.framework_code = a.framework_code
        WHERE NOT c.retired)
    SELECT p.assessment_id, p.criterion_code,
           CASE WHEN p.gap = 0 THEN '–' ELSE l.code END,
           CASE WHEN p.gap > 0 THEN l.value END,
           CASE WHEN p.gap > 0 THEN l.code END,
           CASE WHEN p.gap > 0 THEN l.normalised END,
           CASE WHEN hash(p.assessment_id, p.criterion_code, 'c') % 5 = 0
                THEN 'Perusteltu arvio, lisänäyttöä tarvitaan.' END,
           2, 'Assessments', p.source_row, p.criterion_code
    FROM picked p JOIN levels l ON l.scale_code = p.scale_code
         AND l.k = least(p.pos * (l.n - 1) // 4, l.n - 1)
    WHERE p.gap >= 6 OR p.gap = 0
    ORDER BY p.assessment_id, p.criterion_code   -- as an import writes them: row by row"""


def _insert(cur, table: str, frame: pd.DataFrame) -> None:
    cur.register("bench_frame", frame)
    columns = [c for c in frame.columns if not c.startswith("tag_")]
    if table in ("innovations", "organisations"):
        cur.execute(f"INSERT INTO {table} BY NAME SELECT {', '.join(columns)} FROM bench_frame")
    else:
        cur.execute(f"INSERT INTO {table} SELECT * FROM bench_frame")
    cur.unregister("bench_frame")


def build_bench_store(
    path: Path, innovations: int = 10_000, assessments: int = 50_000, seed: int = SEED
) -> dict[str, int]:
    """Create the benchmark store at ``path`` (replacing it); returns row counts per table."""
    for suffix in ("", ".wal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = random.Random(seed)
    today = date(2026, 6, 1)
    store = connect(str(path))
    try:
        sync_reference_data(store)
        orgs = _organisations(rng, max(50, innovations // 5))
        inns = _innovations(rng, innovations, today)
        links = _links(inns, rng, len(orgs))
        with store.transaction() as cur:
            cur.execute(
                "INSERT INTO import_batches (id, kind, file_name, file_sha256, sheets) VALUES "
                "(1, 'import', 'bench-catalogue.xlsx', 'bench', 'Innovations'), "
                "(2, 'import', 'bench-assessments.xlsx', 'bench', 'Assessments')"
            )
            _insert(cur, "organisations", orgs)
            _insert(cur, "innovations", inns)
            for table, frame in links.items():
                _insert(cur, table, frame)
            cur.execute(
                "INSERT INTO assessors (id, name, name_key, organisation) SELECT range, "
                "'Arvioija ' || range, 'arvioija ' || range, 'THL' FROM range(1, 301)"
            )
            cur.execute(ASSESSMENTS_SQL, {"count": assessments, "assessors": 300})
            cur.execute(SCORES_SQL)
            cur.execute(
                "INSERT INTO developer_answers SELECT DISTINCT a.innovation_id, q.no, q.question,"
                " 'Vastaus kysymykseen ' || q.no || '.', DATE '2024-01-15', 1, 'Answers', NULL "
                "FROM assessments a, (SELECT unnest($no) AS no, unnest($q) AS question) q",
                {"no": [q[0] for q in QUESTIONS], "q": [q[1] for q in QUESTIONS]},
            )
            _funding(cur)
            for seq, table in (
                ("organisation_ids", "organisations"),
                ("innovation_ids", "innovations"),
                ("assessor_ids", "assessors"),
                ("assessment_ids", "assessments"),
                ("import_batch_ids", "import_batches"),
            ):  # later inserts (an import into this store) must not reuse ids
                advance_sequence(cur, seq, table)
            meta.write(cur, "dataset", "bench")
            derived.rebuild_in(cur)
        counts = {
            t: store.scalar(f"SELECT count(*) FROM {t}")
            for t in ("innovations", "organisations", "assessments", "scores", "stage_history")
        }
        store.rows("CHECKPOINT")
        return counts
    finally:
        store.close()


def advance_sequence(cur, sequence: str, table: str) -> int:
    """Draw ``sequence`` up to ``table``'s largest id (DuckDB cannot set a sequence), and say
    where it stands. An aggregate, since a plain ``SELECT nextval(...)`` that nobody fetches
    stops after its first 129,024 rows: the 100k store's assessments (500,000) kept ids that
    an import then drew again, and every import into it failed on a duplicate key."""
    return cur.execute(
        f"SELECT max(nextval('{sequence}')) FROM range((SELECT max(id) FROM {table}))"
    ).fetchone()[0]


def _funding(cur) -> None:
    """A handful of calls, open and closed, so the profile's funding matches have work to do."""
    cur.execute("""
        INSERT INTO funding_opportunities (ref, funder, call_name, themes, target_groups,
            opens_on, deadline, continuous, batch_id)
        SELECT 'BCALL-' || range, 'Rahoittaja ' || (range % 7),
               'Haku ' || range,
               [(SELECT list(code ORDER BY code) FROM themes)[1 + range % 14]],
               [(SELECT list(code ORDER BY code) FROM target_groups)[1 + range % 9]],
               DATE '2026-01-01' + INTERVAL (range * 11) DAY,
               DATE '2026-03-01' + INTERVAL (range * 13) DAY, range % 5 = 0, 1
        FROM range(60)""")
