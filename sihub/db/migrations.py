"""Named, ordered schema migrations, each applied once in its own transaction.

Applied migrations are recorded in ``_migrations``. A store that records a migration this
code does not know was written by a newer SI Hub and is refused rather than guessed at.

DuckDB implements an UPDATE of an indexed row as delete + insert, so a declared foreign key
would block updating any referenced row (vocabularies are re-synced, innovations edited).
References are therefore plain columns; the loader checks them and the tests pin that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from sihub.db import meta
from sihub.errors import StoreTooNewError
from sihub.funding.status import now_to_store

if TYPE_CHECKING:
    from sihub.db.store import Store

Cursor = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[Cursor], None]


MIGRATIONS: list[Migration] = []


def migration(fn: Callable[[Cursor], None]) -> Callable[[Cursor], None]:
    """Register ``fn`` as the next migration; its function name is its permanent name."""
    MIGRATIONS.append(Migration(fn.__name__, fn))
    return fn


def _names_of(field: str) -> str:
    """Columns ``<field>_fi, <field>_sv, <field>_en``: names that come from data, per language."""
    return ", ".join(f"{field}_{lang} VARCHAR" for lang in ("fi", "sv", "en"))


NAMES = _names_of("name")
# Where an imported row came from: its batch, sheet and row (the score also its column).
PROVENANCE = "batch_id INTEGER, source_sheet VARCHAR, source_row INTEGER"


@migration
def m001_vocabularies(cur: Cursor) -> None:
    cur.execute(f"""
        CREATE TABLE regions (
            code VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, maakunta VARCHAR,
            sort_order INTEGER, {NAMES})""")
    for table in (
        "themes",
        "target_groups",
        "org_types",
        "funder_types",
        "dimensions",
        "instruments",
        "scopes",
        "assessment_types",
    ):
        cur.execute(f"CREATE TABLE {table} (code VARCHAR PRIMARY KEY, sort_order INTEGER, {NAMES})")
    cur.execute(f"""
        CREATE TABLE stages (
            code VARCHAR PRIMARY KEY, sort_order INTEGER NOT NULL, {NAMES},
            {_names_of("description")})""")
    cur.execute(f"""
        CREATE TABLE scales (
            code VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL,   -- numeric | ordinal
            min_value DOUBLE, max_value DOUBLE, allow_decimals BOOLEAN DEFAULT FALSE, {NAMES})""")
    cur.execute(f"""
        CREATE TABLE scale_levels (
            scale_code VARCHAR NOT NULL, code VARCHAR NOT NULL, value DOUBLE,
            normalised DOUBLE NOT NULL CHECK (normalised BETWEEN 0 AND 1),
            sort_order INTEGER, synonyms VARCHAR[], {_names_of("label")},
            PRIMARY KEY (scale_code, code))""")
    cur.execute(f"""
        CREATE TABLE frameworks (
            code VARCHAR PRIMARY KEY, version VARCHAR, provisional BOOLEAN DEFAULT FALSE,
            default_scale VARCHAR, source_url VARCHAR, source_file VARCHAR, sort_order INTEGER,
            {NAMES}, {_names_of("description")})""")
    cur.execute(f"""
        CREATE TABLE criteria (
            framework_code VARCHAR NOT NULL, code VARCHAR NOT NULL, dimension_code VARCHAR,
            scale_code VARCHAR NOT NULL, sort_order INTEGER, retired BOOLEAN DEFAULT FALSE,
            synonyms VARCHAR[], {NAMES}, {_names_of("guidance")},
            PRIMARY KEY (framework_code, code))""")


@migration
def m002_innovations_and_assessments(cur: Cursor) -> None:
    for seq in ("organisation_ids", "innovation_ids", "assessor_ids", "assessment_ids"):
        cur.execute(f"CREATE SEQUENCE {seq} START 1")
    cur.execute(f"""
        CREATE TABLE organisations (
            id INTEGER PRIMARY KEY DEFAULT nextval('organisation_ids'),
            ref VARCHAR, name VARCHAR NOT NULL, name_key VARCHAR NOT NULL, org_type VARCHAR,
            region_code VARCHAR, business_id VARCHAR, municipality VARCHAR,
            country VARCHAR DEFAULT 'FI', website VARCHAR, innokyla_url VARCHAR,
            description VARCHAR, {PROVENANCE})""")
    cur.execute(f"""
        CREATE TABLE innovations (
            id INTEGER PRIMARY KEY DEFAULT nextval('innovation_ids'),
            ref VARCHAR, name VARCHAR NOT NULL, name_key VARCHAR NOT NULL,
            short_description VARCHAR, basic_idea VARCHAR, operating_environment VARCHAR,
            target_group_insight VARCHAR, adoption_conditions VARCHAR,
            implementation_place VARCHAR, scope VARCHAR, funder_text VARCHAR,
            collection VARCHAR, stage_code VARCHAR, author VARCHAR,
            created_on DATE, modified_on DATE, innokyla_url VARCHAR, sim_url VARCHAR,
            {PROVENANCE})""")
    for table, column in (
        ("innovation_regions", "region_code"),
        ("innovation_themes", "theme_code"),
        ("innovation_target_groups", "target_group_code"),
    ):
        cur.execute(f"""
            CREATE TABLE {table} (innovation_id INTEGER NOT NULL, {column} VARCHAR NOT NULL,
                                  batch_id INTEGER, PRIMARY KEY (innovation_id, {column}))""")
    cur.execute("""
        CREATE TABLE innovation_organisations (
            innovation_id INTEGER NOT NULL, organisation_id INTEGER NOT NULL,
            role VARCHAR NOT NULL,   -- lead | partner | pilot_site | funder
            batch_id INTEGER, PRIMARY KEY (innovation_id, organisation_id, role))""")
    cur.execute(f"""
        CREATE TABLE stage_history (
            innovation_id INTEGER NOT NULL, stage_code VARCHAR NOT NULL, entered_on DATE NOT NULL,
            note VARCHAR, {PROVENANCE}, PRIMARY KEY (innovation_id, stage_code, entered_on))""")
    cur.execute(f"""
        CREATE TABLE assessors (
            id INTEGER PRIMARY KEY DEFAULT nextval('assessor_ids'),
            name VARCHAR NOT NULL, name_key VARCHAR NOT NULL, organisation VARCHAR,
            expertise VARCHAR, {PROVENANCE})""")
    cur.execute(f"""
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY DEFAULT nextval('assessment_ids'),
            ref VARCHAR, innovation_id INTEGER NOT NULL, framework_code VARCHAR NOT NULL,
            assessor_id INTEGER,
            assessment_type VARCHAR NOT NULL CHECK (assessment_type IN
                ('self', 'peer', 'expert', 'funder', 'jury')),
            assessed_on DATE, round INTEGER, summary VARCHAR,
            shared BOOLEAN NOT NULL DEFAULT TRUE,   -- FALSE: internal, never shown to funders
            superseded_by_batch INTEGER,            -- set when a later import replaced it
            {PROVENANCE}, source_column VARCHAR)""")
    cur.execute(f"""
        CREATE TABLE scores (
            assessment_id INTEGER NOT NULL, criterion_code VARCHAR NOT NULL,
            raw_value VARCHAR,          -- as typed in the source
            value DOUBLE,               -- position on a numeric scale; NULL = missing
            level_code VARCHAR,         -- the scale level, when the score sits on one
            normalised DOUBLE CHECK (normalised BETWEEN 0 AND 1),   -- NULL = missing, never 0
            comment VARCHAR, {PROVENANCE}, source_column VARCHAR,
            PRIMARY KEY (assessment_id, criterion_code))""")
    cur.execute(f"""
        CREATE TABLE developer_answers (
            innovation_id INTEGER NOT NULL, question_no VARCHAR NOT NULL, question VARCHAR,
            answer VARCHAR, answered_on DATE, {PROVENANCE},
            PRIMARY KEY (innovation_id, question_no))""")


@migration
def m003_funding(cur: Cursor) -> None:
    cur.execute("CREATE SEQUENCE funding_opportunity_ids START 1")
    cur.execute("CREATE SEQUENCE funding_award_ids START 1")
    cur.execute(f"""
        CREATE TABLE funding_opportunities (
            id INTEGER PRIMARY KEY DEFAULT nextval('funding_opportunity_ids'),
            ref VARCHAR, funder VARCHAR NOT NULL, funder_type VARCHAR, programme VARCHAR,
            call_name VARCHAR NOT NULL, instrument VARCHAR,
            amount_min DOUBLE, amount_max DOUBLE, currency VARCHAR DEFAULT 'EUR',
            funding_rate_max DOUBLE,   -- share of eligible costs, 0-1
            duration_months_min INTEGER, duration_months_max INTEGER,
            consortium_required BOOLEAN, consortium_rule VARCHAR,
            eligible_applicant_types VARCHAR[], themes VARCHAR[], target_groups VARCHAR[],
            stage_fit VARCHAR[], geographic_scope VARCHAR, regions VARCHAR[],
            min_normalised_score DOUBLE,   -- a call's minimum mean assessment score, if it sets one
            opens_on DATE, deadline DATE, continuous BOOLEAN NOT NULL DEFAULT FALSE,
            description VARCHAR, source_url VARCHAR, last_checked DATE, {PROVENANCE})""")
    cur.execute(f"""
        CREATE TABLE funding_awards (
            id INTEGER PRIMARY KEY DEFAULT nextval('funding_award_ids'),
            innovation_id INTEGER NOT NULL, organisation_id INTEGER, opportunity_id INTEGER,
            funder VARCHAR NOT NULL, programme VARCHAR, amount DOUBLE, awarded_on DATE,
            {PROVENANCE})""")


@migration
def m004_import_tracking(cur: Cursor) -> None:
    cur.execute("CREATE SEQUENCE import_batch_ids START 1")
    cur.execute("""
        CREATE TABLE import_batches (
            id INTEGER PRIMARY KEY DEFAULT nextval('import_batch_ids'),
            kind VARCHAR NOT NULL DEFAULT 'import',   -- import | demo
            file_name VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL, file_size BIGINT,
            sheets VARCHAR, layout VARCHAR, pilot VARCHAR, mapping_name VARCHAR,
            imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp, imported_by VARCHAR,
            counts VARCHAR,   -- JSON object of what the batch added, replaced and skipped
            status VARCHAR NOT NULL DEFAULT 'committed',   -- committed | undone
            undone_at TIMESTAMP)""")
    cur.execute("""
        CREATE TABLE batch_journal (
            batch_id INTEGER NOT NULL, seq INTEGER NOT NULL, table_name VARCHAR NOT NULL,
            action VARCHAR NOT NULL,   -- insert | update | delete
            row_key VARCHAR NOT NULL,  -- JSON object of the key columns
            old_row VARCHAR,           -- JSON of the row before an update or delete
            PRIMARY KEY (batch_id, seq))""")
    cur.execute("""
        CREATE TABLE saved_mappings (
            name VARCHAR PRIMARY KEY, layout VARCHAR, mapping VARCHAR NOT NULL,
            created_at TIMESTAMP DEFAULT current_timestamp, updated_at TIMESTAMP)""")
    meta.create_table(cur)  # a store from before the bookkeeping tables existed
    cur.execute("""
        CREATE TABLE data_files (
            path VARCHAR PRIMARY KEY, sha256 VARCHAR NOT NULL,
            loaded_at TIMESTAMP DEFAULT current_timestamp)""")


def _create_bookkeeping(cur: Cursor) -> None:
    """The tables every store has before any migration: which migrations ran, and metadata."""
    cur.execute("""
        CREATE TABLE IF NOT EXISTS _migrations (
            name VARCHAR PRIMARY KEY, applied_order INTEGER NOT NULL,
            applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)""")
    meta.create_table(cur)


def applied_migrations(store: Store) -> list[str]:
    if not store.has_table("_migrations"):
        return []
    return [r[0] for r in store.current_rows("SELECT name FROM _migrations ORDER BY applied_order")]


def _recorded(cur: Cursor, name: str) -> bool:
    """Inside a migration's transaction: whether another process applied it meanwhile (several
    processes may open a shared PostgreSQL store at once; its writers run one at a time)."""
    found = cur.execute("SELECT count(*) FROM _migrations WHERE name = ?", [name]).fetchone()
    return bool(found[0])


def migrate(store: Store, upto: str | None = None) -> list[str]:
    """Apply every pending migration (or those up to and including ``upto``); return their names."""
    if not store.has_table("_migrations"):  # opening an up-to-date store writes nothing
        with store.transaction(bump_version=False) as cur:
            _create_bookkeeping(cur)
    done = applied_migrations(store)
    known = [m.name for m in MIGRATIONS]
    unknown = [name for name in done if name not in known]
    if unknown:
        raise StoreTooNewError(unknown[0], path=store.path, migration=unknown[0])
    applied: list[str] = []
    for order, m in enumerate(MIGRATIONS, start=1):
        if m.name not in done and _apply(store, m, order):
            applied.append(m.name)
        if m.name == upto:
            break
    return applied


def _apply(store: Store, m: Migration, order: int) -> bool:
    """Apply and record ``m`` in one transaction; False if another process was first."""
    with store.transaction() as cur:
        if _recorded(cur, m.name):
            return False
        m.apply(cur)
        cur.execute(
            "INSERT INTO _migrations (name, applied_order, applied_at) VALUES (?, ?, ?)",
            [m.name, order, now_to_store()],
        )
    return True


@migration
def m101_scores_without_index(cur: Cursor) -> None:
    """Scores lose their primary-key index; the importer keeps one score per criterion.

    Scores are written only by imports, in bulk: a new assessment's scores, one per criterion
    (the loader checks it, and a long export's repeats are reported as errors). DuckDB's ART
    index on (assessment_id, criterion_code) doubled the cost of writing them. Every query
    joins scores to assessments, which DuckDB does by hashing, without the index. DuckDB cannot
    drop a constraint, so the table is rebuilt with the same columns, order and checks.
    """
    cur.execute(f"""
        CREATE TABLE scores_rebuilt (
            assessment_id INTEGER NOT NULL, criterion_code VARCHAR NOT NULL,
            raw_value VARCHAR, value DOUBLE, level_code VARCHAR,
            normalised DOUBLE CHECK (normalised BETWEEN 0 AND 1),
            comment VARCHAR, {PROVENANCE}, source_column VARCHAR)""")
    cur.execute("INSERT INTO scores_rebuilt SELECT * FROM scores")
    cur.execute("DROP TABLE scores")
    cur.execute("ALTER TABLE scores_rebuilt RENAME TO scores")


@migration
def m201_derived_tables(cur: Cursor) -> None:
    """Derived data (sihub.db.derived), rebuilt whenever the data version moves, never a source
    of truth: the text index of innovations for search and similarity, and score summaries
    (the figures of sihub.scores for every framework) that the explorer filters on."""
    cur.execute("""
        CREATE TABLE innovation_text (
            innovation_id INTEGER NOT NULL, name_folded VARCHAR NOT NULL,
            text_folded VARCHAR NOT NULL, norm DOUBLE)""")
    cur.execute("CREATE TABLE innovation_terms (innovation_id INTEGER NOT NULL, term VARCHAR)")
    cur.execute("CREATE TABLE term_weights (term VARCHAR NOT NULL, docs INTEGER, idf DOUBLE)")
    cur.execute("""
        CREATE TABLE score_summary (
            framework_code VARCHAR NOT NULL, scope VARCHAR NOT NULL, innovation_id INTEGER,
            mean_score DOUBLE, criteria_scored INTEGER, criteria_total INTEGER, scores INTEGER,
            assessors INTEGER, assessments INTEGER, round INTEGER, latest_assessed_on DATE)""")
    cur.execute("""
        CREATE TABLE criterion_summary (
            framework_code VARCHAR NOT NULL, scope VARCHAR NOT NULL, innovation_id INTEGER,
            criterion_code VARCHAR, dimension_code VARCHAR, mean DOUBLE, min DOUBLE,
            max DOUBLE, spread DOUBLE, scores INTEGER, assessors INTEGER)""")
    cur.execute("""
        CREATE TABLE innovation_facts (
            innovation_id INTEGER NOT NULL, status VARCHAR NOT NULL, assessments INTEGER,
            external INTEGER, latest_assessed_on DATE)""")
    cur.execute("""
        CREATE TABLE innovation_display (
            innovation_id INTEGER NOT NULL, lang VARCHAR NOT NULL, organisation VARCHAR,
            partners VARCHAR, regions VARCHAR, stage VARCHAR, stage_order INTEGER,
            themes VARCHAR, target_groups VARCHAR, sort_name VARCHAR)""")
    cur.execute("""
        CREATE TABLE facet_values (
            facet VARCHAR NOT NULL, innovation_id INTEGER NOT NULL, code VARCHAR NOT NULL)""")
    cur.execute("""
        CREATE TABLE derived_state (
            built_for_version INTEGER NOT NULL, built_at TIMESTAMP, stemmer VARCHAR)""")


@migration
def m301_published_assessments(cur: Cursor) -> None:
    """An assessment says whether its results are published (shown to visitors who have not
    signed in, ``sihub.access``); none is until an import or the demo says so."""
    cur.execute("ALTER TABLE assessments ADD COLUMN published BOOLEAN DEFAULT FALSE")


@migration
def m302_summaries_per_visibility(cur: Cursor) -> None:
    """The derived tables that rest on assessments are built once per visibility (published,
    shared, all: ``sihub.access``), so that a funder's explorer, profile and comparison read
    summaries of shared assessments only. Derived data: rebuilt, never migrated."""
    for table in ("score_summary", "criterion_summary", "innovation_facts", "facet_values"):
        cur.execute(f"DROP TABLE {table}")
    cur.execute("""
        CREATE TABLE score_summary (
            framework_code VARCHAR NOT NULL, scope VARCHAR NOT NULL, visibility VARCHAR NOT NULL,
            innovation_id INTEGER, mean_score DOUBLE, criteria_scored INTEGER,
            criteria_total INTEGER, scores INTEGER, assessors INTEGER, assessments INTEGER,
            round INTEGER, latest_assessed_on DATE)""")
    cur.execute("""
        CREATE TABLE criterion_summary (
            framework_code VARCHAR NOT NULL, scope VARCHAR NOT NULL, visibility VARCHAR NOT NULL,
            innovation_id INTEGER, criterion_code VARCHAR, dimension_code VARCHAR, mean DOUBLE,
            min DOUBLE, max DOUBLE, spread DOUBLE, scores INTEGER, assessors INTEGER)""")
    cur.execute("""
        CREATE TABLE innovation_facts (
            innovation_id INTEGER NOT NULL, visibility VARCHAR NOT NULL, status VARCHAR NOT NULL,
            assessments INTEGER, external INTEGER, latest_assessed_on DATE)""")
    # visibility NULL: the same for every viewer (the facets that do not rest on assessments)
    cur.execute("""
        CREATE TABLE facet_values (
            facet VARCHAR NOT NULL, innovation_id INTEGER NOT NULL, code VARCHAR NOT NULL,
            visibility VARCHAR)""")


@migration
def m303_who_changed_data(cur: Cursor) -> None:
    """Who undid an import and who saved a mapping, as signed in (``import_batches``
    already keeps who imported)."""
    cur.execute("ALTER TABLE import_batches ADD COLUMN undone_by VARCHAR")
    cur.execute("ALTER TABLE saved_mappings ADD COLUMN saved_by VARCHAR")


@migration
def m304_framework_combine(cur: Cursor) -> None:
    """How a framework's criteria combine into a result (``sihub.reference.outcomes``): a mean
    (the default, as before), all must pass, a pass/fail checklist or traffic-light counts."""
    cur.execute("ALTER TABLE frameworks ADD COLUMN combine VARCHAR DEFAULT 'mean'")


# The assessments table as m002 and m301 left it, and the columns a panel's assessment adds.
# m401 rebuilds it from these (DuckDB cannot drop or change a CHECK constraint); a column added
# by a migration it does not know keeps its type (``DESCRIBE``) and its values.
_ASSESSMENT_COLUMNS = {
    "id": "INTEGER PRIMARY KEY DEFAULT nextval('assessment_ids')",
    "ref": "VARCHAR",
    "innovation_id": "INTEGER NOT NULL",
    "framework_code": "VARCHAR NOT NULL",
    "assessor_id": "INTEGER",
    "assessment_type": "VARCHAR NOT NULL CHECK (assessment_type IN "
    "('self', 'peer', 'expert', 'funder', 'jury', 'funder_panel'))",
    "assessed_on": "DATE",
    "round": "INTEGER",
    "summary": "VARCHAR",
    "shared": "BOOLEAN NOT NULL DEFAULT TRUE",
    "superseded_by_batch": "INTEGER",
    "batch_id": "INTEGER",
    "source_sheet": "VARCHAR",
    "source_row": "INTEGER",
    "source_column": "VARCHAR",
    "published": "BOOLEAN DEFAULT FALSE",
}
# A panel's assessment names its session and member and the moment it was last saved.
_PANEL_PROVENANCE = {
    "panel_session_id": "INTEGER",
    "panel_member_id": "INTEGER",
    "saved_at": "TIMESTAMP",
}


@migration
def m401_funder_panel(cur: Cursor) -> None:
    """The lion's den (``sihub.panel``): panel sessions, their pitches in order and members,
    and assessments of type ``funder_panel`` that name their session, member and time. The
    assessments table is rebuilt for its widened CHECK, every row and column kept."""
    for seq in ("panel_session_ids", "panel_member_ids"):
        cur.execute(f"CREATE SEQUENCE {seq} START 1")
    cur.execute("""
        CREATE TABLE panel_sessions (
            id INTEGER PRIMARY KEY DEFAULT nextval('panel_session_ids'),
            name VARCHAR NOT NULL, held_on DATE, framework_code VARCHAR NOT NULL,
            join_code VARCHAR NOT NULL, shared BOOLEAN NOT NULL DEFAULT FALSE,
            current_position INTEGER, created_by VARCHAR, created_at TIMESTAMP)""")
    cur.execute("""
        CREATE TABLE panel_pitches (
            session_id INTEGER NOT NULL, position INTEGER NOT NULL,
            innovation_id INTEGER NOT NULL,
            state VARCHAR NOT NULL,   -- waiting | open | closed | revealed
            opened_at TIMESTAMP, closed_at TIMESTAMP, PRIMARY KEY (session_id, position))""")
    cur.execute("""
        CREATE TABLE panel_members (
            id INTEGER PRIMARY KEY DEFAULT nextval('panel_member_ids'),
            session_id INTEGER NOT NULL, name VARCHAR NOT NULL, identity VARCHAR,
            token VARCHAR NOT NULL, assessor_id INTEGER NOT NULL, joined_at TIMESTAMP)""")
    _rebuild_assessments(cur)


def _rebuild_assessments(cur: Cursor) -> None:
    described = cur.execute("DESCRIBE assessments").fetchall()
    present = [row[0] for row in described]
    unknown = {row[0]: row[1] for row in described if row[0] not in _ASSESSMENT_COLUMNS}
    columns = {**_ASSESSMENT_COLUMNS, **unknown, **_PANEL_PROVENANCE}
    listed = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    cur.execute(f"CREATE TABLE assessments_rebuilt ({listed})")
    kept = ", ".join(present)
    cur.execute(f"INSERT INTO assessments_rebuilt ({kept}) SELECT {kept} FROM assessments")
    cur.execute("DROP TABLE assessments")
    cur.execute("ALTER TABLE assessments_rebuilt RENAME TO assessments")


# The vocabularies m501 adds (``data/vocabularies.toml``), each of codes and names per language.
SIM_VOCABULARIES = ("countries", "initiative_types", "funding_sources", "participant_roles")
# The fields of a SIM case study that innovations lacked: the problem addressed and the
# innovative solution as texts of their own, one per language given (SIM takes English, the
# hub's users write Finnish and Swedish); the rest once, as SIM says them.
SIM_INNOVATION_COLUMNS = {
    **{f"problem_addressed_{lang}": "VARCHAR" for lang in ("fi", "sv", "en")},
    **{f"innovative_solution_{lang}": "VARCHAR" for lang in ("fi", "sv", "en")},
    "initiative_type": "VARCHAR",
    "funding_source": "VARCHAR",
    "budget_amount": "DOUBLE",
    "budget_currency": "VARCHAR",
    "budget_text": "VARCHAR",  # the budget as given when it is no single amount
    "programming_period": "VARCHAR",  # an EU programming period, "2021–2027"
    "project_start": "DATE",
    "project_end": "DATE",
}


@migration
def m501_sim_case_study_fields(cur: Cursor) -> None:
    """Social Innovation Match's case-study fields and Innokylä's development path: the
    vocabularies they use, the innovations' new columns, the countries an innovation works
    in, and the dated steps of its development. The level of action is ``innovations.scope``
    and an organisation's country ``organisations.country`` (m002, no longer
    Finland by default); participants are the
    organisations linked to an innovation with their role."""
    for table in SIM_VOCABULARIES:
        cur.execute(f"CREATE TABLE {table} (code VARCHAR PRIMARY KEY, sort_order INTEGER, {NAMES})")
    for column, kind in SIM_INNOVATION_COLUMNS.items():
        cur.execute(f"ALTER TABLE innovations ADD COLUMN {column} {kind}")
    # A country no file gave is unknown from now on, not Finland: the countries of a
    # consortium decide eligibility for EU calls (rows stored so far keep theirs)
    cur.execute("ALTER TABLE organisations ALTER COLUMN country DROP DEFAULT")
    cur.execute("""
        CREATE TABLE innovation_countries (
            innovation_id INTEGER NOT NULL, country_code VARCHAR NOT NULL, batch_id INTEGER,
            PRIMARY KEY (innovation_id, country_code))""")
    cur.execute(f"""
        CREATE TABLE development_steps (
            innovation_id INTEGER NOT NULL, step_on DATE NOT NULL, step VARCHAR NOT NULL,
            description VARCHAR, {PROVENANCE}, PRIMARY KEY (innovation_id, step_on, step))""")


@migration
def m502_consortium_rules(cur: Cursor) -> None:
    """A funding call's consortium rules as data, which decide eligibility for EU calls: the
    least number of partners (the lead included), the least number of countries they come
    from, and who may lead (``lead_types``: public, non-profit, any). NULL is unknown, never
    "not required"."""
    cur.execute(f"CREATE TABLE lead_types (code VARCHAR PRIMARY KEY, sort_order INTEGER, {NAMES})")
    cur.execute("ALTER TABLE funding_opportunities ADD COLUMN min_partners INTEGER")
    cur.execute("ALTER TABLE funding_opportunities ADD COLUMN min_countries INTEGER")
    cur.execute("ALTER TABLE funding_opportunities ADD COLUMN lead_type VARCHAR")


@migration
def m503_panel_ratings_shared_once_revealed(cur: Cursor) -> None:
    """A shared panel session's ratings are shared with every funder only once staff reveal
    their pitch (``sihub.panel.sessions.share_as_revealed``); before, sharing a session shared
    every rating in it, those of pitches still open or closed included."""
    cur.execute("""
        UPDATE assessments SET shared = FALSE
        WHERE shared AND panel_session_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM panel_pitches p
            WHERE p.session_id = assessments.panel_session_id
              AND p.innovation_id = assessments.innovation_id AND p.state = 'revealed')""")
