"""An innovation's SIM validation for the SIM export: pass or fail per point of the checklist
(``data/frameworks/sim_validation.toml``, ``combine = "checklist"``), who validated it and when,
from the latest round of the external assessments the viewer may see (``sihub.access``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sihub import scores
from sihub.db.store import Store
from sihub.personal import shown_assessor_sql
from sihub.reference.outcomes import TOLERANCE, FrameworkRule, framework_rules, outcome_of

FRAMEWORK = "sim_validation"
PASS, FAIL, NOT_ASSESSED = "pass", "fail", "not_assessed"


@dataclass(frozen=True)
class Point:
    code: str
    name: str
    result: str  # pass | fail | not_assessed
    validated_by: tuple[str, ...] = ()
    validated_on: date | None = None


@dataclass(frozen=True)
class Validation:
    passed: bool | None  # None: not every point validated yet
    points: tuple[Point, ...]

    @property
    def validated_by(self) -> tuple[str, ...]:
        return tuple(sorted({name for p in self.points for name in p.validated_by}))

    @property
    def validated_on(self) -> date | None:
        return max((p.validated_on for p in self.points if p.validated_on), default=None)


def validations(
    store: Store, visibility: str, innovation_ids: Sequence[int], lang: str
) -> dict[int, Validation]:
    """Per innovation in ``innovation_ids``: its SIM validation (every point, the ones not
    assessed too); an innovation nobody validated has every point not assessed."""
    rule = framework_rules(store, lang).get(FRAMEWORK)
    if rule is None:
        return {}
    means = scores.latest_criterion_means(
        store,
        visibility,
        framework=FRAMEWORK,
        innovation_ids=list(innovation_ids),
        with_assessor_ids=True,
    )
    names = _assessor_names(store, {i for ids in means.assessor_ids for i in ids})
    found: dict[int, dict[str, tuple[float, tuple[str, ...], date | None]]] = {}
    for row in means.itertuples():
        people = tuple(sorted(names.get(int(i), "") for i in row.assessor_ids))
        when = row.assessed_on.date() if hasattr(row.assessed_on, "date") else row.assessed_on
        found.setdefault(int(row.innovation_id), {})[row.criterion_code] = (row.min, people, when)
    return {i: _validation(rule, found.get(int(i), {})) for i in innovation_ids}


def _validation(rule: FrameworkRule, found: dict) -> Validation:
    top = max(level.normalised for level in rule.scale.levels)
    points = []
    for code, name in rule.criteria.items():
        if code not in found:
            points.append(Point(code, name, NOT_ASSESSED))
            continue
        low, people, when = found[code]
        result = PASS if low >= top - TOLERANCE else FAIL
        points.append(Point(code, name, result, people, when))
    outcome = outcome_of(rule, {code: value[0] for code, value in found.items()})
    return Validation(outcome.passed, tuple(points))


def _assessor_names(store: Store, ids: set[int]) -> dict[int, str]:
    """Assessors as every page shows them (an e-mail address only as a number)."""
    if not ids:
        return {}
    return dict(
        store.rows(
            f"SELECT s.id, {shown_assessor_sql('s')} FROM assessors s "
            "WHERE list_contains(?::INTEGER[], s.id)",
            [sorted(ids)],
        )
    )
