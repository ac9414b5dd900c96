"""A funder's ranking: weighted scores by the funder's own priorities, with must-pass minimums.

Built on ``sihub.scores`` (latest round, mean over assessors, missing left out) and on
**shared** external assessments only: internal assessments never reach a funder. The funder
view shows what a funder sees, whoever looks: the viewer's visibility (``sihub.access``), at
most the shared assessments (a public viewer would see only published ones). The weighted
score of an innovation is, over the weighted criteria it was scored on,

    100 x sum(weight x criterion mean) / sum(weight)

so a missing criterion is left out (its weight is not counted), never read as 0. An innovation
scored on fewer weighted criteria than the minimum is "insufficient data", shown apart and not
ranked low. A must-pass minimum is checked apart from the score; an innovation that fails one
(or was not assessed on it) is listed last with the reason.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from sihub import DATA_DIR, pipeline, scores
from sihub.access import Visibility, seen_text
from sihub.compare.display import shown
from sihub.compare.queries import criteria_frame
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.errors import SihubError
from sihub.i18n import LANGUAGES, format_common, format_on_scale, format_score, half_up_all, t
from sihub.pipeline.filters import MAX_CRITERIA, NOT_RECORDED, InnovationFilter
from sihub.reference.outcomes import FrameworkRule, Outcome, framework_rules, outcome_text, outcomes
from sihub.reference.scales import Scale
from sihub.reference.vocabularies import vocabulary_names
from sihub.urls import Code, Codes, Float, Int, LeftOut, Pairs, UrlState, parse_params

PRESETS_FILE = DATA_DIR / "weight_presets.toml"
DEFAULT_WEIGHT = 1.0
MAX_WEIGHT = 5
ENOUGH_SHARE = 0.7  # by default an innovation needs 70 % of the weighted criteria scored
WEIGHT_MODES = ("criterion", "dimension")
STATUSES = ("ranked", "insufficient", "failed")  # the order in which the list shows them
# Shown on the framework's scale with two decimals (0.01 on 1-5 is 0.25 of 0-100), so that
# scores that rank apart mostly read apart too; scores that read the same share a rank.
SCORE_DECIMALS = 2
EPS = 1e-9
# Scale files give normalised levels to six decimals (2/3 is 0.666667), so a mean of 1 and
# 0.333333 sits a hair below "2 of 3": a minimum is met within this tolerance.
GATE_TOLERANCE = 5e-6
FILTER_FIELDS = ("stages", "regions", "themes", "target_groups")


class NoWeightsError(SihubError):
    """Every criterion has weight 0: there is nothing to rank by."""

    key = "funders.error_no_weights"


@dataclass(frozen=True)
class RankingSpec(UrlState):
    """A funder's choices; lives in the URL (``to_query`` / ``parse_query``); the filter's
    facets travel as the pipeline explorer's parameters."""

    PARAMS: ClassVar[dict[str, tuple[str, Any]]] = {
        "framework": ("fw", Code()),  # checked against the frameworks with scores
        "weight_mode": ("wmode", Code(WEIGHT_MODES)),
        "weights": ("w", Pairs(Float(0, MAX_WEIGHT))),  # codes checked by unknown_settings
        "gates": ("gate", Pairs(Code())),
        "must_pass": ("pass", Codes()),  # pass/fail frameworks an innovation must pass
        "enough": ("enough", Int(1, MAX_CRITERIA)),
    }
    FILTER_PARAMS: ClassVar[dict[str, tuple[str, Any]]] = {
        facet: InnovationFilter.PARAMS[facet] for facet in FILTER_FIELDS
    }

    framework: str = scores.DEFAULT_FRAMEWORK
    weight_mode: str = "criterion"
    weights: tuple[tuple[str, float], ...] = ()  # (criterion or dimension code, weight)
    gates: tuple[tuple[str, str], ...] = ()  # (criterion code, minimum level code)
    must_pass: tuple[str, ...] = ()  # codes of pass/fail frameworks (never weighed)
    enough: int | None = None  # weighted criteria an innovation needs; None = ENOUGH_SHARE
    filter: InnovationFilter = field(default_factory=InnovationFilter)

    def to_query(self) -> dict[str, str]:
        """URL parameters; weights equal to the default and other defaults are left out."""
        weights = tuple((c, w) for c, w in self.weights if abs(w - DEFAULT_WEIGHT) > EPS)
        own = super(RankingSpec, replace(self, weights=weights)).to_query()
        return {**own, **self.filter.to_query()}

    @classmethod
    def parse_query(cls, params: Mapping[str, object]) -> tuple[RankingSpec, tuple[LeftOut, ...]]:
        """The choices in ``params`` and what was left out (the page checks codes)."""
        spec, left_out = super().parse_query(params)
        facets, facets_left_out = parse_params(params, cls.FILTER_PARAMS)
        return replace(spec, filter=InnovationFilter(**facets)), left_out + facets_left_out

    @classmethod
    def params(cls) -> tuple[str, ...]:
        return (*super().params(), *(param for param, _ in cls.FILTER_PARAMS.values()))

    def with_(self, **changes: object) -> RankingSpec:
        return replace(self, **changes)

    def weight_of(self, code: str) -> float:
        return dict(self.weights).get(code, DEFAULT_WEIGHT)


# presets and weights --------------------------------------------------------------------------
@cache
def presets() -> tuple[dict, ...]:
    """The weight presets of ``data/weight_presets.toml``."""
    with PRESETS_FILE.open("rb") as f:
        return tuple(tomllib.load(f)["presets"])


def _preset(code: str) -> dict:
    return next(p for p in presets() if p["code"] == code)


def preset_name(code: str, lang: str) -> str:
    preset = _preset(code)
    return preset.get(lang if lang in LANGUAGES else "en") or code


def preset_weights(code: str, criteria: pd.DataFrame, mode: str) -> dict[str, float]:
    """A preset's weights per criterion (each takes its dimension's weight) or per dimension."""
    preset = _preset(code)
    default = float(preset.get("default", DEFAULT_WEIGHT))
    by_dimension = preset.get("weights", {})
    if mode == "dimension":
        dims = dict.fromkeys(criteria.dimension_code)
        return {d: float(by_dimension.get(d, default)) for d in dims}
    return {
        c: float(by_dimension.get(d, default))
        for c, d in zip(criteria.code, criteria.dimension_code, strict=True)
    }


def criterion_weights(criteria: pd.DataFrame, spec: RankingSpec) -> pd.Series:
    """Weight per criterion. In dimension mode a dimension's weight is shared equally by its
    criteria, so that a dimension counts as much as its weight however many criteria it has."""
    if spec.weight_mode == "dimension":
        per_dim = criteria.groupby("dimension_code")["code"].transform("size")
        values = [
            spec.weight_of(d) / n for d, n in zip(criteria.dimension_code, per_dim, strict=True)
        ]
    else:
        values = [spec.weight_of(c) for c in criteria.code]
    return pd.Series(values, index=criteria.code.tolist(), dtype=float)


def gate_thresholds(criteria: pd.DataFrame, spec: RankingSpec) -> dict[str, float]:
    """Must-pass minimums as normalised values; unknown criteria or levels are left out."""
    levels = dict(zip(criteria.code, criteria.levels, strict=True))
    out = {}
    for code, level in spec.gates:
        found = [lv[2] for lv in levels.get(code, ()) if str(lv[0]) == str(level)]
        if found:
            out[code] = float(found[0])
    return out


def unknown_settings(spec: RankingSpec, criteria: pd.DataFrame) -> list[LeftOut]:
    """Weights and minimums in ``spec`` (e.g. from an old link) that name no criterion,
    dimension or scale level of the framework: they are left out, and the page says so."""
    units = set(criteria.dimension_code if spec.weight_mode == "dimension" else criteria.code)
    levels = dict(zip(criteria.code, criteria.levels, strict=True))
    weights, gates = spec.PARAMS["weights"], spec.PARAMS["gates"]
    out = [LeftOut(weights[0], weights[1].format((w,))) for w in spec.weights if w[0] not in units]
    for code, level in spec.gates:
        if not any(str(lv[0]) == str(level) for lv in levels.get(code, ())):
            out.append(LeftOut(gates[0], gates[1].format(((code, level),))))
    return out


def default_enough(weights: pd.Series) -> int:
    """Weighted criteria an innovation needs by default: 70 % of them, at least one."""
    weighted = int((weights > EPS).sum())
    return max(1, math.ceil(ENOUGH_SHARE * weighted - EPS)) if weighted else 0


# the arithmetic -------------------------------------------------------------------------------
def weighted_scores(means: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Per innovation (row of ``means``: criterion columns of 0-1 means, NaN = not assessed):
    score 0-100 over the weighted criteria it was scored on, how many those are, of how many."""
    used = weights[weights > EPS]
    values = means.reindex(columns=used.index).astype(float)
    present = values.notna()
    weight_present = present.mul(used, axis=1).sum(axis=1)
    total = values.fillna(0).mul(used, axis=1).sum(axis=1)
    score = (100 * total / weight_present).where(weight_present > EPS)
    return pd.DataFrame(
        {
            "score": score,
            "criteria_scored": present.sum(axis=1).astype(int),
            "criteria_weighted": len(used),
            "weight_covered": (weight_present / used.sum()) if used.sum() > EPS else 0.0,
        },
        index=means.index,
    )


def gate_results(means: pd.DataFrame, thresholds: dict[str, float]) -> pd.DataFrame:
    """Per innovation: the must-pass criteria passed, and those failed as (code, mean or None)."""
    passes: list[list[str]] = [[] for _ in range(len(means))]
    fails: list[list[tuple[str, float | None]]] = [[] for _ in range(len(means))]
    if not thresholds:
        return pd.DataFrame({"passes": passes, "fails": fails}, index=means.index)
    for code, minimum in thresholds.items():
        column = means[code] if code in means else pd.Series(float("nan"), index=means.index)
        for n, value in enumerate(column.to_numpy(dtype=float)):
            if value != value:  # not assessed: the minimum cannot be shown to be met
                fails[n].append((code, None))
            elif value >= minimum - GATE_TOLERANCE:
                passes[n].append(code)
            else:
                fails[n].append((code, float(value)))
    return pd.DataFrame({"passes": passes, "fails": fails}, index=means.index)


def shown_figures(scores: pd.Series, scale: Scale | None) -> np.ndarray:
    """Weighted scores (0-100) as the numbers ``shown_score`` prints: the point on the
    framework's scale at ``SCORE_DECIMALS`` ("3,92 / 5" is 3.92), or whole 0-100 where the
    scale has no numbers. Ranks tie on them, so that scores that read the same share a rank.
    Worked out for the whole column at once (a ranking can hold 50,000 innovations)."""
    score = pd.to_numeric(scores, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    values = None if scale is None else scale.values_of(score / 100)
    if values is None:
        return half_up_all(score, 0)
    return half_up_all(values, SCORE_DECIMALS)


def order(table: pd.DataFrame, enough: int, scale: Scale | None = None) -> pd.DataFrame:
    """Status, rank and order: ranked by score as shown on ``scale`` (scores that read the
    same share a rank), then insufficient data, then failed must-pass. Only ranked rows are
    ordered by score; the others are alphabetical, so that their place implies nothing."""
    sufficient = (table.criteria_scored >= enough).to_numpy()
    frameworks = table["not_passed"] if "not_passed" in table else [()] * len(table)
    failed = np.fromiter(
        (len(f) + len(p) > 0 for f, p in zip(table.fails, frameworks, strict=True)),
        bool,
        len(table),
    )
    group = np.where(failed, 2, np.where(sufficient, 0, 1))  # index into STATUSES
    shown = shown_figures(table.score, scale)
    by_score = np.where(group == 0, -shown, np.inf)  # best first; others keep their name order
    names = np.array([str(n).casefold() for n in table.name], dtype=object)
    keys = pd.DataFrame({"g": group, "s": by_score, "n": names, "i": table.innovation_id})
    positions = keys.sort_values(["g", "s", "n", "i"], kind="stable").index.to_numpy()
    out = table.iloc[positions].reset_index(drop=True)
    out["sufficient"] = sufficient[positions]
    out["status"] = np.array(STATUSES, dtype=object)[group[positions]]
    out["shown"] = shown[positions]
    ranked = group[positions] == 0
    ranks = pd.Series(shown[positions][ranked]).rank(method="min", ascending=False)
    out["rank"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out.loc[ranked, "rank"] = ranks.to_numpy(dtype="int64")
    return out


# the ranking ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Ranking:
    spec: RankingSpec
    criteria: pd.DataFrame  # criteria_frame plus the weight each got
    enough: int
    thresholds: dict[str, float]
    table: pd.DataFrame  # one row per assessed innovation in the filter, in display order
    unassessed: int  # innovations in the filter with no shared external score
    means: pd.DataFrame  # innovation_id x criterion code: the 0-1 means the scores rest on
    visibility: Visibility  # the assessments the scores rest on (``sihub.access``)
    rules: dict[str, FrameworkRule] = field(default_factory=dict)  # the framework and gates

    def counts(self) -> dict[str, int]:
        return {s: int((self.table.status == s).sum()) for s in STATUSES}


def filtered_ids(store: Store, visibility: str, filter_: InnovationFilter) -> list[int] | None:
    """Innovations matching ``filter_`` as the pipeline explorer selects them (None when it sets
    nothing): values of one facet are alternatives, facets narrow each other, NOT_RECORDED
    selects those with no value."""
    if filter_.is_empty():
        return None
    return [r[0] for r in store.rows(*pipeline.selection_sql(filter_, visibility))]


def innovation_facts(store: Store, ids: list[int] | None, lang: str) -> pd.DataFrame:
    """Name, stage and regions (in ``lang``) of the given innovations (None: all of them)."""
    lang = sql_language(lang)
    where = "" if ids is None else "WHERE i.id IN (SELECT unnest(?::INTEGER[]))"
    return store.query(
        f"""
        SELECT i.id AS innovation_id, i.name, st.name_{lang} AS stage,
               -- alphabetical: an ordered string_agg costs several times more on 10k rows
               array_to_string(list_sort(list(r.name_{lang})), ', ') AS regions
        FROM innovations i LEFT JOIN stages st ON st.code = i.stage_code
        LEFT JOIN innovation_regions ir ON ir.innovation_id = i.id
        LEFT JOIN regions r ON r.code = ir.region_code
        {where}
        GROUP BY i.id, i.name, st.name_{lang}""",
        [] if ids is None else [ids],
    )


@dataclass(frozen=True)
class RankingData:
    """What a ranking needs from the store, whatever the weights: the criteria, each filtered
    innovation's latest-round means (shared external assessments) and its facts. Pages cache
    it, so that moving a weight slider only redoes the arithmetic."""

    criteria: pd.DataFrame
    matrix: pd.DataFrame  # index innovation_id; one column of means per criterion
    facts: pd.DataFrame  # same index: assessors, latest_assessed_on, name, stage, regions
    in_filter: int  # innovations in the filter, assessed or not
    visibility: Visibility  # the assessments the means rest on
    rules: dict[str, FrameworkRule] = field(default_factory=dict)  # every framework's rule
    # per pass/fail framework: each innovation's result on the external assessments seen
    passes: dict[str, dict[int, Outcome]] = field(default_factory=dict)


def ranking_data(
    store: Store,
    visibility: str,
    framework: str,
    filter_: InnovationFilter,
    lang: str,
    only: list[int] | None = None,
    must_pass: tuple[str, ...] = (),
) -> RankingData:
    """The store's side of a ranking of the innovations in ``filter_`` (or ``only`` these), on
    the assessments ``visibility`` sees (a funder: shared ones only), with each innovation's
    result on the pass/fail frameworks in ``must_pass`` (worked out only for those: a third
    of the time at 100,000 innovations)."""
    visibility = Visibility(visibility)
    criteria = criteria_frame(store, framework, lang)
    ids = list(only) if only is not None else filtered_ids(store, visibility, filter_)
    matrix = scores.latest_score_matrix(
        store,
        visibility,
        criteria.code.tolist(),
        framework=framework,
        types=scores.EXTERNAL_TYPES,
        innovation_ids=ids,
    ).set_index("innovation_id")
    names = innovation_facts(store, ids, lang).set_index("innovation_id")
    facts = matrix[["assessors", "latest_assessed_on"]].join(names, how="left")
    in_filter = store.scalar("SELECT count(*) FROM innovations") if ids is None else len(ids)
    rules = framework_rules(store, lang)
    passes = {
        code: outcomes(store, visibility, rule, ids)
        for code, rule in rules.items()
        if rule.pass_fail and code in must_pass
    }
    return RankingData(
        criteria, matrix[criteria.code.tolist()], facts, in_filter, visibility, rules, passes
    )


def pass_fail_frameworks(store: Store, lang: str) -> dict[str, str]:
    """Frameworks whose result is pass or fail (code -> name): offered as must-pass gates,
    never weighed into a score."""
    return {c: r.name for c, r in framework_rules(store, lang).items() if r.pass_fail}


def weighable_frameworks(store: Store, lang: str) -> set[str]:
    """Frameworks whose criteria are averaged: only these can be weighed into a score."""
    return {c for c, r in framework_rules(store, lang).items() if r.averaged}


def framework_gate_results(data: RankingData, must_pass: tuple[str, ...]) -> list[list]:
    """Per innovation of ``data.matrix``: the must-pass frameworks it did not pass, as (code,
    its outcome or None when not assessed on it)."""
    out: list[list] = [[] for _ in range(len(data.matrix))]
    for code in must_pass:
        found = data.passes.get(code, {})
        for n, innovation_id in enumerate(data.matrix.index):
            outcome = found.get(int(innovation_id))
            if outcome is None or not outcome.passed:
                out[n].append((code, outcome))
    return out


def rank_from(data: RankingData, spec: RankingSpec) -> Ranking:
    """The ranking by ``spec``'s weights, minimums and threshold of ``data``."""
    weights = criterion_weights(data.criteria, spec)
    if not (weights > EPS).any():
        raise NoWeightsError()
    criteria = data.criteria.assign(weight=weights.to_numpy())
    thresholds = gate_thresholds(criteria, spec)
    enough = max(1, spec.enough if spec.enough is not None else default_enough(weights))
    means = data.matrix
    gates = gate_results(means, thresholds)
    gates["not_passed"] = framework_gate_results(data, spec.must_pass)
    table = pd.concat([weighted_scores(means, weights), gates, data.facts], axis=1).reset_index()
    unassessed = data.in_filter - len(table)
    scale = data.rules[spec.framework].scale if spec.framework in data.rules else None
    ordered = order(table, enough, scale)
    return Ranking(
        spec, criteria, enough, thresholds, ordered, unassessed, means, data.visibility, data.rules
    )


def rank(
    store: Store, visibility: str, spec: RankingSpec, lang: str, only: list[int] | None = None
) -> Ranking:
    """Rank the filtered innovations (or ``only`` these) by ``spec`` on their external
    assessments that ``visibility`` sees."""
    data = ranking_data(store, visibility, spec.framework, spec.filter, lang, only, spec.must_pass)
    return rank_from(data, spec)


def facet_names(store: Store, facet: str, lang: str) -> dict[str, str]:
    """Code -> name of one filter facet (a field of FILTER_FIELDS, named as its vocabulary
    table), "not recorded" last (so no record is dropped)."""
    names = vocabulary_names(store, facet, lang)
    return {**names, NOT_RECORDED: t("common.not_recorded", lang=lang)}


def filter_description(store: Store, filter_: InnovationFilter, lang: str) -> list[tuple[str, str]]:
    """The facets ``filter_`` sets, as (facet name, chosen names) in ``lang``."""
    out = []
    for facet in FILTER_FIELDS:
        chosen = getattr(filter_, facet)
        if chosen:
            names = facet_names(store, facet, lang)
            out.append(
                (t(f"funders.facet.{facet}", lang=lang), ", ".join(names.get(c, c) for c in chosen))
            )
    return out


# in words -------------------------------------------------------------------------------------
def gate_words(
    criteria: pd.DataFrame,
    thresholds: dict[str, float],
    lang: str,
    rules: dict[str, FrameworkRule] | None = None,
    must_pass: tuple[str, ...] = (),
):
    """A function (passes, fails, frameworks not passed) -> the must-pass results in words,
    failures first with the reason (a pass/fail framework's failed points named); built once
    per ranking so that thousands of rows stay quick."""
    rules = rules or {}
    must_pass = tuple(c for c in must_pass if c in rules)
    names = dict(zip(criteria.code, criteria.name, strict=True))
    levels = dict(zip(criteria.code, criteria.levels, strict=True))
    minimum = {c: shown(v, levels[c], "scale", lang) for c, v in thresholds.items() if c in levels}

    @cache
    def failed(code: str, value: float | None) -> str:
        if value is None:
            return t(
                "funders.gate_missing", lang=lang, criterion=names[code], minimum=minimum[code]
            )
        return t(
            "funders.gate_fail",
            lang=lang,
            criterion=names[code],
            value=shown(value, levels[code], "scale", lang),
            minimum=minimum[code],
        )

    passed = {c: t("funders.gate_pass", lang=lang, criterion=names[c]) for c in minimum}
    passed_frameworks = {
        c: t(
            "funders.gate_framework",
            lang=lang,
            framework=rules[c].name,
            result=outcome_text(rules[c], Outcome(rules[c].combine, True), lang),
        )
        for c in must_pass
    }

    def not_passed(code: str, outcome: Outcome | None) -> str:
        result = outcome_text(rules[code], outcome, lang)
        return t("funders.gate_framework", lang=lang, framework=rules[code].name, result=result)

    def words(passes: list, fails: list, frameworks: list | None = None) -> str:
        if not (passes or fails or frameworks or passed_frameworks):
            return ""  # no minimums set: most rows of a large ranking
        parts = [failed(code, value) for code, value in fails or []]
        parts += [not_passed(code, outcome) for code, outcome in frameworks or []]
        failed_codes = {code for code, _ in frameworks or []}
        kept = [w for c, w in passed_frameworks.items() if c not in failed_codes]
        return "; ".join([*parts, *(passed[c] for c in passes or []), *kept])

    return words


def shown_score(score: float | None, scale, lang: str) -> str:
    """A weighted score (kept 0-100 for ranking) on the framework's own scale ("4,2 / 5")."""
    if score is None or score != score:
        return "–"
    if scale is None:  # a ranking built without the store's rules (tests of the arithmetic)
        return format_common(score / 100, lang)
    return format_score(score / 100, scale, lang, SCORE_DECIMALS)


def _score_texts(tab: pd.DataFrame, scale: Scale | None, lang: str) -> list[str]:
    """Each row's score as shown ("–" where too few criteria were scored to show one): on a
    numeric scale written once per figure shown (a few dozen among thousands of rows)."""
    if scale is None or not scale.numeric:
        written = [shown_score(s, scale, lang) for s in tab.score]
    else:
        texts = {f: format_on_scale(f, scale, lang, SCORE_DECIMALS) for f in set(tab.shown)}
        written = [texts[f] if f == f else "–" for f in tab.shown]
    return [w if ok else "–" for w, ok in zip(written, tab.sufficient, strict=True)]


def display_table(ranking: Ranking, lang: str, rows: int | None = None) -> pd.DataFrame:
    """The ranked list as the page shows it: one row per innovation (the first ``rows``, or
    all), texts in ``lang``."""
    tab = ranking.table if rows is None else ranking.table.head(rows)
    gates = gate_words(
        ranking.criteria, ranking.thresholds, lang, ranking.rules, ranking.spec.must_pass
    )
    scale = ranking.rules[ranking.spec.framework].scale if ranking.rules else None
    statuses = {s: t(f"funders.status.{s}", lang=lang) for s in STATUSES}

    @cache  # a few dozen distinct (scored, weighted, assessors) among thousands of rows
    def basis(scored: int, weighted: int, assessors: int) -> str:
        return t(
            "funders.rests_on", lang=lang, scored=scored, weighted=weighted, assessors=assessors
        )

    return pd.DataFrame(
        {
            "innovation_id": tab.innovation_id,
            "rank": tab["rank"],
            "name": tab.name,
            # An innovation with too few scored criteria has no score to show: it is not ranked
            # low. Shown on the framework's own scale ("4,2 / 5"), as everywhere.
            "score": _score_texts(tab, scale, lang),
            "basis": [
                basis(int(s), int(w), int(a))
                for s, w, a in zip(
                    tab.criteria_scored, tab.criteria_weighted, tab.assessors, strict=True
                )
            ],
            "gates": [
                gates(p, f, n)
                for p, f, n in zip(tab.passes, tab.fails, tab.not_passed, strict=True)
            ],
            "status": tab.status.map(statuses),
            "stage": tab.stage,
            "regions": tab.regions,
            "latest": tab.latest_assessed_on,
        }
    )


def basis_note(visibility: str, lang: str) -> str:
    """Which assessments a ranking uses, for the viewer it was made for: staff's includes
    internal assessments, a funder's only those shared with funders."""
    key = "basis_note_all" if Visibility(visibility) == Visibility.ALL else "basis_note"
    return t(f"funders.{key}", lang=lang)


def ranking_words(ranking: Ranking, lang: str) -> list[str]:
    """How many were ranked, set apart and not assessed, and who leads: one sentence each."""
    counts = ranking.counts()
    tab = ranking.table
    parts = [
        t(
            "funders.words.counts",
            lang=lang,
            ranked=counts["ranked"],
            insufficient=counts["insufficient"],
            failed=counts["failed"],
            enough=ranking.enough,
        )
    ]
    if ranking.unassessed:
        what = seen_text(ranking.visibility, lang)  # staff's ranking includes internal ones
        parts.append(t("funders.words.unassessed", lang=lang, count=ranking.unassessed, what=what))
    top = tab[tab.status == "ranked"].head(3)
    scale = ranking.rules[ranking.spec.framework].scale if ranking.rules else None
    if not top.empty:
        items = [
            t(
                "funders.words.top_item",
                lang=lang,
                rank=int(r.rank),
                name=r.name,
                score=shown_score(r.score, scale, lang),
            )
            for r in top.itertuples()
        ]
        parts.append(t("funders.words.top", lang=lang, items="; ".join(items)))
        ties = tab[tab.status == "ranked"]["rank"].duplicated(keep=False).sum()
        if ties:
            parts.append(t("funders.words.ties", lang=lang, count=int(ties)))
    return parts
