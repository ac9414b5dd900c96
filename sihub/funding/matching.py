"""Explainable matching of funding calls and innovations, in both directions.

Each rule compares one aspect of a call with one aspect of an innovation and gives, for every
(innovation, call) pair, one outcome: a **reason** the pair fits, a **mismatch**, something
**to check** (data missing, or a judgement the data cannot make), or nothing when the call sets
no condition on that aspect. Rules work on whole arrays at once (all innovations against all
calls in well under a second), and ``explain`` turns one pair's outcomes into sentences.

A pair is a **match** when the call is not closed (closed calls never match) and the pair
shares a theme or a target group, or the call names neither (it is open to any topic).
Matches are ranked by fewest mismatches, then most reasons; mismatches are shown, not hidden,
because a partner organisation or a later round can often fix them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from sihub.access import seen_text
from sihub.db.store import Store
from sihub.errors import NotFoundError
from sihub.funding import eligibility
from sihub.funding.status import status_sql
from sihub.funding.words import date_or_none
from sihub.i18n import format_date, format_score, t
from sihub.reference import framework_scale
from sihub.reference.scales import Scale
from sihub.reference.vocabularies import vocabulary_names
from sihub.scores import DEFAULT_FRAMEWORK, EXTERNAL_TYPES, basis_text, innovation_scores

REASON, MISMATCH, TO_CHECK, NO_CONDITION = 1, -1, 2, 0
OUTCOME_NAMES = {REASON: "reason", MISMATCH: "mismatch", TO_CHECK: "check"}
MIN_PREPARATION_DAYS = 14  # fewer days than this rarely suffice to prepare an application
WIDE_REGIONS = ("national", "multi_region")  # innovations that work beyond one county
NOT_A_PLACE = ("unknown",)  # a region code that says nothing about where
FACET_TABLES = ("themes", "target_groups", "stages", "org_types", "regions")  # set-valued facets


# the two sides as arrays ---------------------------------------------------------------------
@dataclass
class Vocabulary:
    """Codes of the set-valued facets, in a fixed order: the columns of the boolean matrices."""

    codes: dict[str, list[str]]

    @classmethod
    def load(cls, store: Store) -> Vocabulary:
        return cls(
            {
                table: [r[0] for r in store.rows(f"SELECT code FROM {table} ORDER BY sort_order")]
                for table in FACET_TABLES
            }
        )

    def mask(self, facet: str, codes: Sequence[str]) -> np.ndarray:
        return np.array([c in codes for c in self.codes[facet]], dtype=bool)

    def codes_of(self, facet: str, row: np.ndarray) -> list[str]:
        return [c for c, on in zip(self.codes[facet], row, strict=True) if on]


@dataclass
class Calls:
    frame: pd.DataFrame  # id, call_name, funder, status, days_left, deadline, opens_on, ...
    themes: np.ndarray
    target_groups: np.ndarray
    stages: np.ndarray
    applicants: np.ndarray
    regions: np.ndarray

    def __len__(self) -> int:
        return len(self.frame)


@dataclass
class Innovations:
    frame: pd.DataFrame  # id, name, stage_code, partners, score, criteria_scored, ...
    themes: np.ndarray
    target_groups: np.ndarray
    stages: np.ndarray
    lead_types: np.ndarray
    partner_types: np.ndarray
    regions: np.ndarray
    scale: Scale | None = None  # the default framework's: how a score and a minimum read

    def __len__(self) -> int:
        return len(self.frame)


def _facet_matrices(
    store: Store,
    vocab: Vocabulary,
    facets: Sequence[tuple[str, str]],
    params: dict,
    ids: np.ndarray,
) -> list[np.ndarray]:
    """Boolean matrices, one per (vocabulary, pairs SQL) in ``facets``: a row per id in ``ids``
    (ascending) and a column per code, True where the SQL yields (id, code). Codes outside the
    vocabulary are skipped; DuckDB turns codes into column numbers, all facets in one query,
    so that no Python loop touches the pairs and a single innovation costs one round trip."""
    parts = [
        f"""SELECT {k} AS facet, x.id, CAST(list_position($codes{k}, x.code) - 1 AS INTEGER) AS col
            FROM ({pairs_sql}) x WHERE list_position($codes{k}, x.code) IS NOT NULL"""
        for k, (_, pairs_sql) in enumerate(facets)
    ]
    codes = {f"codes{k}": vocab.codes[name] for k, (name, _) in enumerate(facets)}
    found = store.query(" UNION ALL ".join(parts), {**params, **codes})
    out = [np.zeros((len(ids), len(vocab.codes[name])), dtype=bool) for name, _ in facets]
    if found.empty or not len(ids):
        return out
    found_ids = found.id.to_numpy()
    rows = np.minimum(np.searchsorted(ids, found_ids), len(ids) - 1)
    keep = ids[rows] == found_ids
    facet_of, cols = found.facet.to_numpy()[keep], found.col.to_numpy()[keep]
    for k, matrix in enumerate(out):
        mine = facet_of == k
        matrix[rows[keep][mine], cols[mine]] = True
    return out


def load_calls(
    store: Store, vocab: Vocabulary, today: date, call_ids: Sequence[int] | None = None
) -> Calls:
    """Calls with their status on ``today`` (all calls, or those in ``call_ids``)."""
    ids = None if call_ids is None else [int(i) for i in call_ids]
    only = "" if ids is None else "WHERE id IN (SELECT unnest($ids::INTEGER[]))"
    chosen = {} if ids is None else {"ids": ids}
    df = store.query(
        f"""SELECT id, call_name, funder, opens_on, deadline, continuous,
                   consortium_required, consortium_rule, min_normalised_score,
                   min_partners, min_countries, lead_type, geographic_scope,
                   {status_sql("$today")} AS status,
                   CAST(date_diff('day', $today, deadline) AS INTEGER) AS days_left
            FROM funding_opportunities {only} ORDER BY id""",
        {"today": today, **chosen},
    )
    columns = (
        ("themes", "themes"),
        ("target_groups", "target_groups"),
        ("stage_fit", "stages"),
        ("eligible_applicant_types", "org_types"),
        ("regions", "regions"),
    )
    facets = [
        (name, f"SELECT id, unnest({column}) AS code FROM funding_opportunities {only}")
        for column, name in columns
    ]
    return Calls(df, *_facet_matrices(store, vocab, facets, chosen, df.id.to_numpy()))


def load_innovations(
    store: Store,
    visibility: str,
    vocab: Vocabulary,
    innovation_ids: Sequence[int] | None = None,
) -> Innovations:
    """Innovations (all, or those in ``innovation_ids``) with their facets, lead organisation,
    partners and mean external score (latest round, of the assessments ``visibility``
    sees)."""
    ids = None if innovation_ids is None else [int(i) for i in innovation_ids]
    chosen = {} if ids is None else {"ids": ids}

    def only(column: str) -> str:
        # list_contains, not IN (SELECT unnest(...)): DuckDB filters first instead of joining
        return "" if ids is None else f"AND list_contains($ids::INTEGER[], {column})"

    df = store.query(
        f"""WITH lead AS (
                  SELECT o.innovation_id, string_agg(DISTINCT g.name, ', ') AS lead
                  FROM innovation_organisations o JOIN organisations g ON g.id = o.organisation_id
                  WHERE o.role = 'lead' {only("o.innovation_id")} GROUP BY 1),
                partners AS (
                  SELECT innovation_id, count(DISTINCT organisation_id) AS partners
                  FROM innovation_organisations
                  WHERE role = 'partner' {only("innovation_id")} GROUP BY 1),
                consortium AS (  -- its members and their countries (funding.eligibility)
                  SELECT o.innovation_id, count(DISTINCT o.organisation_id) AS members,
                         count(DISTINCT g.country) AS member_countries,
                         count(DISTINCT o.organisation_id) FILTER (WHERE g.country IS NULL)
                           AS members_without_country
                  FROM innovation_organisations o JOIN organisations g ON g.id = o.organisation_id
                  WHERE list_contains($roles, o.role) {only("o.innovation_id")} GROUP BY 1)
            SELECT i.id, i.name, i.stage_code, coalesce(p.partners, 0) AS partners, l.lead,
                   coalesce(c.members, 0) AS members,
                   coalesce(c.member_countries, 0) AS member_countries,
                   coalesce(c.members_without_country, 0) AS members_without_country
            FROM innovations i LEFT JOIN lead l ON l.innovation_id = i.id
            LEFT JOIN partners p ON p.innovation_id = i.id
            LEFT JOIN consortium c ON c.innovation_id = i.id
            WHERE TRUE {only("i.id")} ORDER BY i.id""",
        {**chosen, "roles": list(eligibility.CONSORTIUM_ROLES)},
    )
    orgs = (
        "SELECT o.innovation_id AS id, g.org_type AS code FROM innovation_organisations o "
        f"JOIN organisations g ON g.id = o.organisation_id WHERE TRUE {only('o.innovation_id')} "
        "AND o.role = "
    )
    scores = innovation_scores(store, visibility, types=EXTERNAL_TYPES, innovation_ids=ids)
    facets = [
        ("themes", _links("innovation_themes", "theme_code", only)),
        ("target_groups", _links("innovation_target_groups", "target_group_code", only)),
        ("stages", f"SELECT id, stage_code AS code FROM innovations WHERE TRUE {only('id')}"),
        ("org_types", orgs + "'lead'"),
        ("org_types", orgs + "'partner'"),
        ("regions", _links("innovation_regions", "region_code", only)),
    ]
    matrices = _facet_matrices(store, vocab, facets, chosen, df.id.to_numpy())
    df = df.merge(scores, how="left", left_on="id", right_on="innovation_id").drop(
        columns="innovation_id"
    )
    return Innovations(df, *matrices, framework_scale(store, DEFAULT_FRAMEWORK))


def _links(table: str, column: str, only) -> str:
    return (
        f"SELECT innovation_id AS id, {column} AS code FROM {table} "
        f"WHERE TRUE {only('innovation_id')}"
    )


# the rules -----------------------------------------------------------------------------------
def _overlap(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """N x C: does row n of ``left`` share a code with row c of ``right``? (one matrix product)"""
    return (left.astype(np.float32) @ right.T.astype(np.float32)) > 0


def _i8(outcome: int) -> np.int8:
    """Outcomes stay int8 (five million pairs fit in five megabytes per rule)."""
    return np.int8(outcome)


def _shared_codes_rule(inn: np.ndarray, call: np.ndarray) -> np.ndarray:
    """Reason when they share a code, mismatch when the innovation has others, else to check."""
    otherwise = np.where(inn.any(1), _i8(MISMATCH), _i8(TO_CHECK))[:, None]
    out = np.where(_overlap(inn, call), _i8(REASON), otherwise)
    out *= call.any(1)[None, :]  # NO_CONDITION (0) where the call names no code
    return out


def theme_rule(calls: Calls, inns: Innovations, vocab: Vocabulary) -> np.ndarray:
    """Themes in common (the call names themes)."""
    return _shared_codes_rule(inns.themes, calls.themes)


def target_group_rule(calls: Calls, inns: Innovations, vocab: Vocabulary) -> np.ndarray:
    """Target groups in common (the call names target groups)."""
    return _shared_codes_rule(inns.target_groups, calls.target_groups)


def stage_rule(calls: Calls, inns: Innovations, vocab: Vocabulary) -> np.ndarray:
    """The innovation's pipeline stage is one the call funds."""
    return _shared_codes_rule(inns.stages, calls.stages)


def applicant_rule(calls: Calls, inns: Innovations, vocab: Vocabulary) -> np.ndarray:
    """The lead organisation's type may apply; an eligible partner or an unknown type: check."""
    otherwise = np.where(
        _overlap(inns.partner_types, calls.applicants), _i8(TO_CHECK), _i8(MISMATCH)
    )
    otherwise[~inns.lead_types.any(1)] = TO_CHECK
    out = np.where(_overlap(inns.lead_types, calls.applicants), _i8(REASON), otherwise)
    out *= calls.applicants.any(1)[None, :]
    return out


def region_rule(calls: Calls, inns: Innovations, vocab: Vocabulary) -> np.ndarray:
    """The innovation works in a region the call is limited to (calls naming regions only).

    An innovation that works nationally or in several regions, or whose region is not
    recorded, is to be checked: the data cannot say whether it can apply in the call's area.
    """
    wide = inns.regions[:, vocab.mask("regions", WIDE_REGIONS)].any(1)
    known = inns.regions[:, ~vocab.mask("regions", NOT_A_PLACE)].any(1)
    otherwise = np.where(wide | ~known, _i8(TO_CHECK), _i8(MISMATCH))[:, None]
    out = np.where(_overlap(inns.regions, calls.regions), _i8(REASON), otherwise)
    out *= calls.regions.any(1)[None, :]
    return out


def score_rule(calls: Calls, inns: Innovations, vocab: Vocabulary) -> np.ndarray:
    """The innovation's mean external score (latest round) reaches the call's minimum."""
    minimum = calls.frame.min_normalised_score.to_numpy(dtype=np.float32, na_value=np.nan)
    score = inns.frame.mean_score.to_numpy(dtype=np.float32, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        out = np.where(score[:, None] >= minimum[None, :], _i8(REASON), _i8(MISMATCH))
    out[np.isnan(score)] = TO_CHECK
    out *= ~np.isnan(minimum)[None, :]
    return out


def deadline_rule(calls: Calls, inns: Innovations, vocab: Vocabulary) -> np.ndarray:
    """Time to apply: continuous or forthcoming calls and far deadlines are reasons."""
    status = calls.frame.status.to_numpy()
    days = calls.frame.days_left.to_numpy(dtype=float, na_value=np.nan)
    per_call = np.full(len(calls), TO_CHECK, dtype=np.int8)
    per_call[np.isin(status, ("continuous", "forthcoming"))] = REASON
    dated = np.isin(status, ("open", "closing")) & ~np.isnan(days)
    with np.errstate(invalid="ignore"):
        per_call[dated & (days >= MIN_PREPARATION_DAYS)] = REASON
        per_call[dated & (days < MIN_PREPARATION_DAYS)] = MISMATCH
    per_call[status == "closed"] = MISMATCH
    return np.broadcast_to(per_call[None, :], (len(inns), len(calls)))


RULE_FUNCTIONS: dict[str, Callable[[Calls, Innovations, Vocabulary], np.ndarray]] = {
    "theme": theme_rule,
    "target_group": target_group_rule,
    "stage": stage_rule,
    "applicant": applicant_rule,
    "region": region_rule,
    "consortium": eligibility.consortium_rule,
    "countries": eligibility.countries_rule,
    "lead": eligibility.lead_rule,
    "score": score_rule,
    "deadline": deadline_rule,
}
RULES = tuple(RULE_FUNCTIONS)  # the order of outcomes and of explanations


# matching ------------------------------------------------------------------------------------
@dataclass
class Matching:
    """Every rule's outcome for every (innovation, call) pair, and which pairs match."""

    vocab: Vocabulary
    calls: Calls
    innovations: Innovations
    outcomes: np.ndarray  # rules x innovations x calls, int8
    matched: np.ndarray  # innovations x calls, bool

    # Counts per pair, made when first asked for: all pairs at once is millions of them.
    @cached_property
    def reasons(self) -> np.ndarray:
        return self._count(REASON)

    @cached_property
    def mismatches(self) -> np.ndarray:
        return self._count(MISMATCH)

    def _count(self, outcome: int) -> np.ndarray:
        counts = np.zeros(self.matched.shape, dtype=np.int8)
        for rule_outcomes in self.outcomes:
            counts += rule_outcomes == outcome
        return counts


def evaluate(calls: Calls, inns: Innovations, vocab: Vocabulary) -> Matching:
    """Run every rule on every pair; a pair matches when the call is not closed and on topic."""
    outcomes = np.empty((len(RULES), len(inns), len(calls)), dtype=np.int8)
    for r, rule in enumerate(RULES):
        outcomes[r] = RULE_FUNCTIONS[rule](calls, inns, vocab)
    theme, group = outcomes[RULES.index("theme")], outcomes[RULES.index("target_group")]
    on_topic = (theme == REASON) | (group == REASON)
    on_topic |= (theme == NO_CONDITION) & (group == NO_CONDITION)
    not_closed = (calls.frame.status.to_numpy() != "closed")[None, :]
    return Matching(vocab, calls, inns, outcomes, on_topic & not_closed)


def match_all(store: Store, visibility: str, today: date) -> Matching:
    """All calls against all innovations."""
    vocab = Vocabulary.load(store)
    inns = load_innovations(store, visibility, vocab)
    return evaluate(load_calls(store, vocab, today), inns, vocab)


def call_match_counts(store: Store, visibility: str, today: date) -> pd.DataFrame:
    """Per call: matching innovations and full fits (the catalogue's "fits" column)."""
    return match_counts(match_all(store, visibility, today))


def innovation_choices(store: Store) -> pd.DataFrame:
    """Every innovation's id and name, alphabetically (for pickers)."""
    return store.query("SELECT id, name FROM innovations ORDER BY name_key, id")


def match_counts(matching: Matching) -> pd.DataFrame:
    """Per call: matching innovations, and those without any mismatch."""
    return pd.DataFrame(
        {
            "call_id": matching.calls.frame.id.to_numpy(),
            "matches": matching.matched.sum(0),
            "full_fits": (matching.matched & (matching.mismatches == 0)).sum(0),
        }
    )


# explanations -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    rule: str
    outcome: str  # reason | mismatch | check
    text: str


class Names:
    """Names in one language for the codes that explanations mention, and which assessments
    the viewer's scores rest on (``visibility``), for the findings that say so."""

    def __init__(self, store: Store, lang: str, visibility: str) -> None:
        self.lang = lang
        self.visibility = visibility
        self._names = {tb: vocabulary_names(store, tb, lang) for tb in FACET_TABLES}

    def list(self, facet: str, codes: Sequence[str]) -> str:
        return ", ".join(self._names[facet].get(c, c) for c in codes) or "–"


def explain(matching: Matching, n: int, c: int, names: Names) -> list[Finding]:
    """One pair's findings in rule order, in the language of ``names``; rules without a
    condition are left out."""
    found = []
    for r, rule in enumerate(RULES):
        outcome = int(matching.outcomes[r, n, c])
        if outcome == NO_CONDITION:
            continue
        key, values = _EXPLAINERS[rule](matching, n, c, outcome, names)
        text = t(f"matching.{rule}.{key}", lang=names.lang, **values)
        found.append(Finding(rule, OUTCOME_NAMES[outcome], text))
    return found


def _sets(matching: Matching, n: int, c: int, facet: str, inn_attr: str, call_attr: str):
    inn = matching.vocab.codes_of(facet, getattr(matching.innovations, inn_attr)[n])
    call = matching.vocab.codes_of(facet, getattr(matching.calls, call_attr)[c])
    return inn, call


def _explain_sets(facet: str, inn_attr: str, call_attr: str):
    def explain_one(matching: Matching, n: int, c: int, outcome: int, names: Names):
        inn, call = _sets(matching, n, c, facet, inn_attr, call_attr)
        shared = [x for x in inn if x in call]
        return OUTCOME_NAMES[outcome], {
            "shared": names.list(facet, shared),
            "innovation": names.list(facet, inn),
            "call": names.list(facet, call),
        }

    return explain_one


def _explain_applicant(matching: Matching, n: int, c: int, outcome: int, names: Names):
    lead, call = _sets(matching, n, c, "org_types", "lead_types", "applicants")
    partners = matching.vocab.codes_of("org_types", matching.innovations.partner_types[n])
    values = {
        "lead": names.list("org_types", lead),
        "call": names.list("org_types", call),
        "partners": names.list("org_types", [p for p in partners if p in call]),
    }
    if outcome == TO_CHECK:
        return ("partner" if lead else "unknown"), values
    return OUTCOME_NAMES[outcome], values


def _explain_region(matching: Matching, n: int, c: int, outcome: int, names: Names):
    key, values = _explain_sets("regions", "regions", "regions")(matching, n, c, outcome, names)
    if outcome == TO_CHECK:
        inn, _ = _sets(matching, n, c, "regions", "regions", "regions")
        return ("wide" if any(x not in NOT_A_PLACE for x in inn) else "unknown"), values
    return key, values


def _explain_score(matching: Matching, n: int, c: int, outcome: int, names: Names):
    row = matching.innovations.frame.iloc[n]
    scale = matching.innovations.scale
    minimum = format_score(matching.calls.frame.min_normalised_score.iloc[c], scale, names.lang)
    if outcome == TO_CHECK:  # no score among the assessments the viewer sees: say which
        return "check", {"minimum": minimum, "what": seen_text(names.visibility, names.lang)}
    return OUTCOME_NAMES[outcome], {
        "score": format_score(row.mean_score, scale, names.lang),
        "minimum": minimum,
        "basis": basis_text(row.criteria_scored, row.criteria_total, row.assessors, names.lang),
    }


def _explain_deadline(matching: Matching, n: int, c: int, outcome: int, names: Names):
    call = matching.calls.frame.iloc[c]
    values = {
        "days": None if pd.isna(call.days_left) else int(call.days_left),
        "deadline": format_date(date_or_none(call.deadline), names.lang),
        "opens": format_date(date_or_none(call.opens_on), names.lang),
        "minimum": MIN_PREPARATION_DAYS,
    }
    if call.status in ("continuous", "forthcoming", "closed"):
        return call.status, values
    if values["days"] is None:
        return "unknown", values
    return ("open" if outcome == REASON else "soon"), values


_EXPLAINERS = {
    "theme": _explain_sets("themes", "themes", "themes"),
    "target_group": _explain_sets("target_groups", "target_groups", "target_groups"),
    "stage": _explain_sets("stages", "stages", "stages"),
    "applicant": _explain_applicant,
    "region": _explain_region,
    "consortium": eligibility.explain_consortium,
    "countries": eligibility.explain_countries,
    "lead": eligibility.explain_lead,
    "score": _explain_score,
    "deadline": _explain_deadline,
}


# the two directions, as tables ---------------------------------------------------------------
def _rows(matching: Matching, pairs: list[tuple[int, int]], names: Names) -> list[dict]:
    out = []
    for n, c in pairs:
        findings = explain(matching, n, c, names)
        out.append(
            {
                "reasons": [f.text for f in findings if f.outcome == "reason"],
                "mismatches": [f.text for f in findings if f.outcome == "mismatch"],
                "to_check": [f.text for f in findings if f.outcome == "check"],
                "fit": _fit(int(matching.mismatches[n, c])),
                "reason_count": int(matching.reasons[n, c]),
                "mismatch_count": int(matching.mismatches[n, c]),
            }
        )
    return out


def _fit(mismatches: int) -> str:
    return "full" if mismatches == 0 else "partial" if mismatches == 1 else "weak"


def call_matches(
    store: Store,
    visibility: str,
    call_id: int,
    today: date,
    lang: str,
    limit: int | None = None,
) -> pd.DataFrame:
    """The innovations that fit one call, best first, each with its reasons and mismatches."""
    vocab = Vocabulary.load(store)
    calls = load_calls(store, vocab, today, [call_id])
    if not len(calls):
        raise NotFoundError(str(call_id), what="call", id=call_id)
    matching = evaluate(calls, load_innovations(store, visibility, vocab), vocab)
    order = np.lexsort(
        (
            matching.innovations.frame.name.to_numpy(),
            -matching.reasons[:, 0],
            matching.mismatches[:, 0],
        )
    )
    pairs = [(int(n), 0) for n in order if matching.matched[n, 0]][:limit]
    inn = matching.innovations.frame
    stages = vocabulary_names(store, "stages", lang)
    rows = _rows(matching, pairs, Names(store, lang, visibility))
    for (n, _), row in zip(pairs, rows, strict=True):
        row.update(
            innovation_id=int(inn.id.iloc[n]),
            name=inn.name.iloc[n],
            lead=inn.lead.iloc[n],
            stage=stages.get(inn.stage_code.iloc[n]) if inn.stage_code.iloc[n] else None,
        )
    return _frame(rows, ["innovation_id", "name", "lead", "stage"])


def innovation_matches(
    store: Store, visibility: str, innovation_id: int, today: date, lang: str
) -> pd.DataFrame:
    """The calls that fit one innovation, best first, each with its reasons and mismatches."""
    vocab = Vocabulary.load(store)
    inns = load_innovations(store, visibility, vocab, [innovation_id])
    if not len(inns):
        raise NotFoundError(str(innovation_id), what="innovation", id=innovation_id)
    matching = evaluate(load_calls(store, vocab, today), inns, vocab)
    calls = matching.calls.frame
    days = calls.days_left.to_numpy(dtype=float, na_value=np.inf)  # no deadline sorts last
    order = np.lexsort((days, -matching.reasons[0], matching.mismatches[0]))
    pairs = [(0, int(c)) for c in order if matching.matched[0, c]]
    rows = _rows(matching, pairs, Names(store, lang, visibility))
    for (_, c), row in zip(pairs, rows, strict=True):
        row.update(
            call_id=int(calls.id.iloc[c]),
            call_name=calls.call_name.iloc[c],
            funder=calls.funder.iloc[c],
            status=t(f"funding.status.{calls.status.iloc[c]}", lang=lang),
            deadline=date_or_none(calls.deadline.iloc[c]),
            days_left=None if pd.isna(calls.days_left.iloc[c]) else int(calls.days_left.iloc[c]),
        )
    return _frame(rows, ["call_id", "call_name", "funder", "status", "deadline", "days_left"])


_MATCH_COLUMNS = ["fit", "reasons", "mismatches", "to_check", "reason_count", "mismatch_count"]


def _frame(rows: list[dict], head: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[*head, *_MATCH_COLUMNS])


def export_frame(df: pd.DataFrame, lang: str, head: dict[str, str]) -> pd.DataFrame:
    """Matches as exported: ``head`` (column -> label key) then fit, reasons, mismatches."""
    out = df[list(head)].copy()
    out.columns = [t(k, lang=lang) for k in head.values()]
    out[t("matching.col.fit", lang=lang)] = [t(f"matching.fit.{f}", lang=lang) for f in df.fit]
    for column in ("reasons", "mismatches", "to_check"):
        out[t(f"matching.col.{column}", lang=lang)] = ["\n".join(v) for v in df[column]]
    return out
