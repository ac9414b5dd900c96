"""Everything known about one innovation, for its profile page.

Scores follow ``sihub.scores`` (latest round, missing left out, self and external apart); the
per-criterion figures of other innovations (the cohort) come from the score summaries of
``sihub.db.derived``, which hold the same definition. Every score can be traced to its assessment,
assessor, import batch, file, sheet and row (``score_provenance``).

Assessments, scores and answers are those the viewer may see: each such function takes the
viewer's ``visibility`` (``sihub.access``) after the store, the cohort included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from sihub import scores
from sihub.access import Visibility, sees, unseen_provenance, visible_assessments_sql
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.errors import NotFoundError
from sihub.i18n import format_number, t
from sihub.narrative import and_joined
from sihub.personal import shown_assessor_sql
from sihub.reference.outcomes import framework_rules, outcomes, result_text
from sihub.reference.scales import Scale
from sihub.scores import DISAGREEMENT

COHORTS = ("all", "theme", "stage")  # whom a criterion score is compared with


def innovation(store: Store, visibility: str, innovation_id: int, lang: str) -> dict:
    """The innovation's own fields, its stage name and, for viewers who see it, its provenance
    (import batch, file, sheet, row); NotFoundError if unknown."""
    lang = sql_language(lang)
    found = store.records(
        f"""
        SELECT i.*, s.name_{lang} AS stage, s.sort_order AS stage_order,
               sc.name_{lang} AS scope_name, b.file_name, b.imported_at
        FROM innovations i LEFT JOIN stages s ON s.code = i.stage_code
        LEFT JOIN scopes sc ON sc.code = i.scope
        LEFT JOIN import_batches b ON b.id = i.batch_id
        WHERE i.id = ?""",
        [innovation_id],
    )
    if not found:
        raise NotFoundError(str(innovation_id))
    unseen = unseen_provenance(visibility)
    return {k: v for k, v in found[0].items() if k not in unseen}


def organisations(store: Store, innovation_id: int, lang: str) -> pd.DataFrame:
    """Organisations and their roles (lead first): name, role, type, region, municipality."""
    lang = sql_language(lang)
    df = store.query(
        f"""
        SELECT o.id, o.name, io.role, ot.name_{lang} AS org_type, r.name_{lang} AS region,
               o.municipality, o.website
        FROM innovation_organisations io JOIN organisations o ON o.id = io.organisation_id
        LEFT JOIN org_types ot ON ot.code = o.org_type
        LEFT JOIN regions r ON r.code = o.region_code
        WHERE io.innovation_id = ?
        ORDER BY CASE io.role WHEN 'lead' THEN 0 WHEN 'partner' THEN 1 ELSE 2 END, o.name""",
        [innovation_id],
    )
    df["role"] = [t(f"profile.role.{r}", lang=lang) for r in df.role]
    return df


def tags(store: Store, innovation_id: int, lang: str) -> dict[str, list[str]]:
    """Names of the innovation's themes, target groups and regions, in vocabulary order."""
    lang = sql_language(lang)
    out = {}
    for key, link, column, table in (
        ("themes", "innovation_themes", "theme_code", "themes"),
        ("target_groups", "innovation_target_groups", "target_group_code", "target_groups"),
        ("regions", "innovation_regions", "region_code", "regions"),
    ):
        out[key] = [
            r[0]
            for r in store.rows(
                f"SELECT v.name_{lang} FROM {link} x JOIN {table} v ON v.code = x.{column} "
                "WHERE x.innovation_id = ? ORDER BY v.sort_order",
                [innovation_id],
            )
        ]
    return out


def stage_history(store: Store, innovation_id: int, lang: str) -> pd.DataFrame:
    """The stages the innovation has been in, oldest first: entered_on, stage, note."""
    lang = sql_language(lang)
    return store.query(
        f"""
        SELECT h.entered_on, s.name_{lang} AS stage, h.note, h.stage_code
        FROM stage_history h LEFT JOIN stages s ON s.code = h.stage_code
        WHERE h.innovation_id = ? ORDER BY h.entered_on, s.sort_order""",
        [innovation_id],
    )


def funding_received(store: Store, innovation_id: int) -> pd.DataFrame:
    """Funding awards: funder, programme, amount, date, recipient organisation, the call."""
    return store.query(
        """
        SELECT a.funder, a.programme, a.amount, a.awarded_on, o.name AS organisation,
               f.call_name
        FROM funding_awards a LEFT JOIN organisations o ON o.id = a.organisation_id
        LEFT JOIN funding_opportunities f ON f.id = a.opportunity_id
        WHERE a.innovation_id = ? ORDER BY a.awarded_on DESC NULLS LAST, a.funder""",
        [innovation_id],
    )


def developer_answers(store: Store, visibility: str, innovation_id: int) -> pd.DataFrame:
    """The developers' answers to the form's questions, in question order: self-assessment in
    full, so only for the viewers ``sihub.access`` lets see them (staff); others get no rows."""
    if not sees(visibility, "developer_answers"):
        return pd.DataFrame(columns=["question_no", "question", "answer", "answered_on"])
    return store.query(
        """
        SELECT question_no, question, answer, answered_on FROM developer_answers
        WHERE innovation_id = ?
        ORDER BY try_cast(regexp_extract(question_no, '^[0-9]+') AS INTEGER) NULLS LAST,
                 question_no""",
        [innovation_id],
    )


# --- assessments and scores -------------------------------------------------------------------
def assessments(store: Store, visibility: str, innovation_id: int, lang: str) -> pd.DataFrame:
    """Every active assessment ``visibility`` sees, newest first, with how many criteria it
    scored and left empty.

    Columns: id, framework, provisional, assessment_type (name), type_code, assessor,
    assessor_organisation, assessed_on, round, summary, shared, scored, missing, and for viewers
    who see provenance file_name, source_sheet, source_row.
    """
    lang = sql_language(lang)
    found = store.query(
        f"""
        WITH mine AS (
            SELECT * FROM assessments a WHERE a.innovation_id = ?
            AND a.superseded_by_batch IS NULL AND {visible_assessments_sql(visibility, "a")}),
        scored AS (
            SELECT assessment_id, count(*) AS scored FROM scores
            WHERE assessment_id IN (SELECT id FROM mine) AND normalised IS NOT NULL
            GROUP BY assessment_id),
        totals AS (
            SELECT framework_code, count(*) AS total FROM criteria WHERE NOT retired
            GROUP BY framework_code)
        SELECT a.id, f.name_{lang} AS framework, f.provisional, ty.name_{lang} AS assessment_type,
               a.assessment_type AS type_code, {shown_assessor_sql("r")} AS assessor,
               r.organisation AS assessor_organisation, a.assessed_on, a.round, a.summary,
               a.shared, coalesce(s.scored, 0) AS scored,
               greatest(coalesce(tt.total, 0) - coalesce(s.scored, 0), 0) AS missing,
               b.file_name, a.source_sheet, a.source_row
        FROM mine a LEFT JOIN frameworks f ON f.code = a.framework_code
        LEFT JOIN assessment_types ty ON ty.code = a.assessment_type
        LEFT JOIN assessors r ON r.id = a.assessor_id
        LEFT JOIN import_batches b ON b.id = a.batch_id
        LEFT JOIN scored s ON s.assessment_id = a.id
        LEFT JOIN totals tt ON tt.framework_code = a.framework_code
        ORDER BY a.assessed_on DESC NULLS LAST, a.round DESC NULLS LAST, f.sort_order, a.id""",
        [innovation_id],
    )
    return found.drop(columns=list(unseen_provenance(visibility)), errors="ignore")


def unassessed_text(visibility: str, lang: str, scope: str | None = None) -> str:
    """What the profile says when ``visibility`` sees no assessment of an innovation (or none
    of ``scope``, external or self): for the public that none is published yet, for a funder
    that none is shared with funders yet, for staff that none was made. Never whether
    assessments the viewer may not see exist."""
    key = {None: "unassessed", "external": "no_external_seen", "self": "no_self_seen"}[scope]
    return t(f"profile.{key}.{Visibility(visibility)}", lang=lang)


def assessed_frameworks(
    store: Store, visibility: str, innovation_id: int, lang: str
) -> pd.DataFrame:
    """Frameworks the innovation has scores on that ``visibility`` sees (code, name,
    provisional), the default first."""
    lang = sql_language(lang)
    return store.query(
        f"""
        SELECT f.code, f.name_{lang} AS name, f.provisional FROM frameworks f
        WHERE f.code IN (SELECT a.framework_code FROM assessments a JOIN scores s
                         ON s.assessment_id = a.id WHERE a.innovation_id = ?
                         AND a.superseded_by_batch IS NULL AND s.normalised IS NOT NULL
                         AND {visible_assessments_sql(visibility, "a")})
        ORDER BY f.code <> ?, f.sort_order, f.code""",
        [innovation_id, scores.DEFAULT_FRAMEWORK],
    )


def headline_scores(store: Store, visibility: str, innovation_id: int, lang: str) -> pd.DataFrame:
    """The innovation's mean per framework, external and self-assessment apart, with basis,
    from the assessments ``visibility`` sees (its score summary).

    Columns: framework_code, framework, provisional, scope (external | self), mean_score (0-1),
    criteria_scored, criteria_total, assessors, round, latest_assessed_on, basis, result (the
    figure as shown: on the framework's own scale, or its pass/fail or colour outcome).
    """
    lang = sql_language(lang)
    df = store.query(
        f"""
        SELECT s.framework_code, f.name_{lang} AS framework, f.provisional, s.scope,
               s.mean_score, s.criteria_scored, s.criteria_total, s.assessors, s.round,
               s.latest_assessed_on
        FROM score_summary s JOIN frameworks f ON f.code = s.framework_code
        WHERE s.innovation_id = ? AND s.visibility = ?
        ORDER BY s.framework_code <> ?, f.sort_order, s.scope""",
        [innovation_id, visibility, scores.DEFAULT_FRAMEWORK],
    )
    df["basis"] = [
        scores.basis_text(c, total, a, lang=lang)
        for c, total, a in zip(df.criteria_scored, df.criteria_total, df.assessors, strict=True)
    ]
    df["result"] = _results(store, visibility, innovation_id, df, lang)
    return df


def _results(
    store: Store, visibility: str, innovation_id: int, heads: pd.DataFrame, lang: str
) -> list[str]:
    """Each headline in its framework's own terms: "4,2 / 5", "passes", "fails on: …"."""
    rules = framework_rules(store, lang)
    out = []
    for code, scope, mean in zip(heads.framework_code, heads.scope, heads.mean_score, strict=True):
        rule = rules[code]
        outcome = None
        if not rule.averaged:
            found = outcomes(store, visibility, rule, [innovation_id], types=scores.SCOPES[scope])
            outcome = found.get(innovation_id)
        out.append(result_text(rule, mean, outcome, lang))
    return out


COHORT_SQL = {
    "all": "TRUE",
    "theme": """c.innovation_id IN (SELECT x.innovation_id FROM innovation_themes x
                WHERE x.theme_code IN (SELECT theme_code FROM innovation_themes
                                       WHERE innovation_id = $id))""",
    "stage": """c.innovation_id IN (SELECT id FROM innovations WHERE stage_code =
                (SELECT stage_code FROM innovations WHERE id = $id))""",
}


def criterion_comparison(
    store: Store, visibility: str, innovation_id: int, framework: str, cohort: str, lang: str
) -> pd.DataFrame:
    """Per criterion of the framework: this innovation's latest external and self means, the
    spread between its assessors, and the cohort's median and quartiles.

    The cohort is the other innovations with external scores on the criterion that
    ``visibility`` sees: all of them, those sharing a theme, or those at the same stage
    (``COHORTS``). Columns: criterion_code,
    criterion, sort_order, mean, min, max, spread, scores, assessors, self_mean, cohort_n,
    cohort_p25, cohort_median, cohort_p75, disagreement (bool).
    """
    lang = sql_language(lang)
    df = store.query(
        f"""
        WITH cohort AS (
            SELECT c.criterion_code, count(*) AS cohort_n,
                   quantile_cont(c.mean, 0.25) AS cohort_p25,
                   median(c.mean) AS cohort_median,
                   quantile_cont(c.mean, 0.75) AS cohort_p75
            FROM criterion_summary c
            WHERE c.framework_code = $fw AND c.scope = 'external' AND c.visibility = $vis
              AND c.innovation_id <> $id AND {COHORT_SQL[cohort]}
            GROUP BY c.criterion_code),
        mine AS (SELECT * FROM criterion_summary WHERE framework_code = $fw
                 AND innovation_id = $id AND visibility = $vis)
        SELECT k.code AS criterion_code, k.name_{lang} AS criterion, k.sort_order,
               e.mean, e.min, e.max, e.spread, e.scores, e.assessors,
               s.mean AS self_mean, coalesce(h.cohort_n, 0) AS cohort_n, h.cohort_p25,
               h.cohort_median, h.cohort_p75
        FROM criteria k
        LEFT JOIN mine e ON e.criterion_code = k.code AND e.scope = 'external'
        LEFT JOIN mine s ON s.criterion_code = k.code AND s.scope = 'self'
        LEFT JOIN cohort h ON h.criterion_code = k.code
        WHERE k.framework_code = $fw AND (NOT k.retired OR e.mean IS NOT NULL)
        ORDER BY k.sort_order, k.code""",
        {"fw": framework, "id": innovation_id, "vis": visibility},
    )
    df["disagreement"] = (df.spread >= DISAGREEMENT - 1e-9).fillna(False).astype(bool)
    return df


def assessor_scores(
    store: Store, visibility: str, innovation_id: int, framework: str
) -> pd.DataFrame:
    """Each assessor's scores of the latest round, external and self apart (for the dots).

    One read of the innovation's scores; each scope keeps the round that its score summary
    (``sihub.scores`` via ``sihub.db.derived``) was taken from, so "latest round" has one
    definition. Columns: criterion_code, assessor, assessment_type, scope, normalised,
    raw_value, round.
    """
    rows = scores.score_rows(store, visibility, framework=framework, innovation_ids=[innovation_id])
    latest = dict(
        store.rows(
            "SELECT scope, coalesce(round, 0) FROM score_summary "
            "WHERE innovation_id = ? AND framework_code = ? AND visibility = ?",
            [innovation_id, framework, visibility],
        )
    )
    parts = []
    for scope, types in scores.SCOPES.items():
        mine = rows[
            rows.assessment_type.isin(types) & (rows["round"].fillna(0) == latest.get(scope))
        ]
        parts.append(mine.assign(scope=scope))
    columns = ["criterion_code", "assessor", "assessment_type", "scope", "normalised"]
    return pd.concat(parts, ignore_index=True)[[*columns, "raw_value", "round"]]


def round_changes(
    store: Store, visibility: str, innovation_id: int, framework: str, lang: str
) -> pd.DataFrame:
    """External criterion means per round (one column per round) and the latest change.

    Index: criterion names in framework order. Columns: the rounds found (ints, 0 = no round
    recorded) and ``change`` (latest round minus the one before, missing when either is).
    """
    lang = sql_language(lang)
    rows = scores.score_rows(
        store,
        visibility,
        framework=framework,
        types=scores.EXTERNAL_TYPES,
        innovation_ids=[innovation_id],
    )
    names = store.query(
        f"SELECT code, name_{lang} AS criterion FROM criteria WHERE framework_code = ? "
        "ORDER BY sort_order",
        [framework],
    )
    if rows.empty:
        return pd.DataFrame(index=pd.Index([], name="criterion"), columns=["change"])
    rows["round"] = rows["round"].fillna(0).astype(int)
    table = rows.pivot_table(
        index="criterion_code", columns="round", values="normalised", aggfunc="mean"
    )
    order = [c for c in names.code if c in table.index]
    table = table.reindex(order)
    rounds = sorted(table.columns)
    table["change"] = table[rounds[-1]] - table[rounds[-2]] if len(rounds) > 1 else float("nan")
    table.index = names.set_index("code").loc[order, "criterion"].rename("criterion")
    table.columns.name = None
    return table


SCORE_PROVENANCE_COLUMNS = (  # the columns of score_provenance, in order
    "framework",
    "criterion",
    "assessor",
    "assessment_type",
    "round",
    "assessed_on",
    "raw_value",
    "normalised",
    "comment",
    "batch_id",
    "file_name",
    "source_sheet",
    "source_row",
    "source_column",
    "location",
    "assessment_id",
)


def score_provenance(store: Store, visibility: str, innovation_id: int, lang: str) -> pd.DataFrame:
    """Every active score of the innovation that ``visibility`` sees and where it came from,
    for "show provenance".

    Columns: framework, criterion, assessor, assessment_type, round, assessed_on, raw_value,
    normalised, comment, batch_id, file_name, source_sheet, source_row, source_column,
    location (such as ``Assessments!K12``), assessment_id; the provenance columns only for
    viewers who may see them (``sihub.access.unseen_provenance``).
    """
    lang = sql_language(lang)
    rows = scores.score_rows(
        store, visibility, framework=None, types=scores.ALL_TYPES, innovation_ids=[innovation_id]
    )
    names = store.query(
        f"""SELECT c.framework_code, c.code AS criterion_code, c.name_{lang} AS criterion,
               f.name_{lang} AS framework, c.sort_order
            FROM criteria c JOIN frameworks f ON f.code = c.framework_code"""
    )
    types = scores.assessment_type_names(store, lang)
    df = rows.merge(names, on=["framework_code", "criterion_code"], how="left")
    df["assessment_type"] = df.assessment_type.map(types).fillna(df.assessment_type)
    if "source_sheet" in df:  # score_rows leaves provenance out for viewers who may not see it
        df["location"] = [
            f"{sheet}!{column or ''}{row}" if isinstance(sheet, str) and pd.notna(row) else ""
            for sheet, column, row in zip(
                df.source_sheet, df.source_column, df.source_row, strict=True
            )
        ]
    df = df.sort_values(["framework", "round", "assessed_on", "sort_order", "assessor"])
    return df[[c for c in SCORE_PROVENANCE_COLUMNS if c in df]].reset_index(drop=True)


# --- the scores on the framework's scale --------------------------------------------------------
@dataclass(frozen=True)
class Axis:
    """Where the criterion figures of one framework are drawn and written: on its own scale
    (1 to 5), or 0-100 for a scale without numbers. Stored 0-1 values map linearly onto it
    (the scales here space their levels evenly)."""

    low: float = 0.0
    high: float = 100.0
    title: str = "0–100"

    @property
    def span(self) -> float:
        return self.high - self.low

    def point(self, normalised: float) -> float:
        return self.low + normalised * self.span

    def ticks(self, lang: str) -> tuple[list[int], list[str]] | None:
        """A numbered scale's whole points as axis ticks ("1" … "5"): left to plotly, a 1-5
        axis reads "1.5", "2.5" with a decimal point on a Finnish or Swedish page. None on the
        0-100 axis, whose own ticks are whole numbers."""
        if self.span >= 100:
            return None
        points = list(range(math.ceil(self.low), math.floor(self.high) + 1))
        return points, [format_number(p, lang) for p in points]


def axis_of(scale: Scale) -> Axis:
    if not scale.numeric:
        return Axis()
    low, high = float(scale.bottom), float(scale.top)
    return Axis(low, high, f"{low:g}–{high:g}")


POINT_COLUMNS = ("mean", "self_mean", "min", "max", "cohort_p25", "cohort_median", "cohort_p75")


def on_axis(df: pd.DataFrame, axis: Axis, columns=POINT_COLUMNS, spans=("spread",)):
    """``df`` with its 0-1 points (and spreads, as distances) on ``axis``, for tables and
    charts; the sentences are written from the 0-1 values."""
    out = df.copy()
    for column in columns:
        if column in out:
            out[column] = [None if pd.isna(v) else round(axis.point(v), 2) for v in out[column]]
    for column in spans:
        if column in out:
            out[column] = [None if pd.isna(v) else round(v * axis.span, 2) for v in out[column]]
    return out


# --- the scores in words -----------------------------------------------------------------------
LEVEL = 0.05  # differences smaller than this (a fifth of a step on 1-5) count as level


def signed_points(diff: float, axis: Axis, lang: str) -> str:
    """A difference in points of the axis: "+1,0" (fi), "+1.0" (en)."""
    return ("+" if diff >= 0 else "−") + format_number(abs(diff) * axis.span, lang, 1)


def _directions(diff: pd.Series, names: tuple[str, str, str]) -> dict[str, int]:
    """How many differences are up, down and level (``LEVEL``), under the given names."""
    up, down, level = names
    return {
        up: int((diff >= LEVEL).sum()),
        down: int((diff <= -LEVEL).sum()),
        level: int((diff.abs() < LEVEL).sum()),
    }


def _counted(section: str, counts: dict[str, int], lang: str) -> str:
    """ "higher on 2 criteria and about the same on 1": the parts with a count, joined; a part
    of none is left out (a sentence once said "lower on 0 and about the same on 0")."""
    parts = [t(f"{section}.{name}", lang=lang, count=n) for name, n in counts.items() if n]
    return and_joined(parts, lang)


def comparison_sentence(
    comparison: pd.DataFrame, cohort_label: str, lang: str, axis: Axis = Axis(0, 1)
) -> str:
    """How the innovation's criterion means sit against the cohort's medians, in words."""
    both = comparison.dropna(subset=["mean", "cohort_median"])
    if both.empty:
        return t("profile.compare.none", lang=lang)
    diff = both["mean"] - both["cohort_median"]
    text = t(
        "profile.compare.sentence",
        lang=lang,
        cohort=cohort_label,
        parts=_counted("profile.compare", _directions(diff, ("above", "below", "level")), lang),
    )
    if diff.max() >= LEVEL:
        best = both.loc[diff.idxmax()]
        text += " " + t(
            "profile.compare.best",
            lang=lang,
            name=best.criterion,
            diff=signed_points(diff.max(), axis, lang),
        )
    if diff.min() <= -LEVEL:
        worst = both.loc[diff.idxmin()]
        text += " " + t(
            "profile.compare.worst",
            lang=lang,
            name=worst.criterion,
            diff=signed_points(diff.min(), axis, lang),
        )
    unscored = comparison[comparison["mean"].isna()].criterion.tolist()
    if unscored:
        text += " " + t("profile.compare.unscored", lang=lang, names=", ".join(unscored))
    return text


def disagreement_sentence(comparison: pd.DataFrame, lang: str, axis: Axis = Axis(0, 1)) -> str:
    """Where the assessors of the latest round disagree (a spread of half the scale or more)."""
    several = comparison[comparison.assessors >= 2]
    if several.empty:
        return t("profile.disagree.single", lang=lang)
    flagged = several[several.disagreement]
    if flagged.empty:
        return t("profile.disagree.none", lang=lang)
    decimals = 0 if axis.span >= 100 else 1

    def point(value: float) -> str:
        return format_number(axis.point(value), lang, decimals)

    items = [f"{r.criterion} ({point(r.min)}–{point(r.max)})" for r in flagged.itertuples()]
    return t("profile.disagree.some", lang=lang, items="; ".join(items))


def change_sentence(changes: pd.DataFrame, lang: str, axis: Axis = Axis(0, 1)) -> str:
    """What changed between the two latest rounds, in words."""
    rounds = [c for c in changes.columns if c != "change"]
    if len(rounds) == 1 and rounds[0]:  # which one (round 0: none recorded)
        return t("profile.change.single", lang=lang, round=str(rounds[0]))
    if len(rounds) < 2 or changes["change"].dropna().empty:
        return t("profile.change.none", lang=lang)
    change = changes["change"].dropna()
    text = t(
        "profile.change.sentence",
        lang=lang,
        before=str(rounds[-2]),
        after=str(rounds[-1]),
        parts=_counted("profile.change", _directions(change, ("rose", "fell", "same")), lang),
    )
    if change.max() >= LEVEL:
        text += " " + t(
            "profile.change.up",
            lang=lang,
            name=change.idxmax(),
            diff=signed_points(change.max(), axis, lang),
        )
    if change.min() <= -LEVEL:
        text += " " + t(
            "profile.change.down",
            lang=lang,
            name=change.idxmin(),
            diff=signed_points(change.min(), axis, lang),
        )
    return text
