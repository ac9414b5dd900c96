"""How a framework's criteria combine into an innovation's result, said by its file's
``combine``: a mean of the criteria (the default), all must pass (Innokylä's award criteria),
a pass/fail checklist (SIM validation) or counts of traffic-light colours.

A result that is not a mean is never shown or used as one: it is "passes", "fails on: …" (the
failed points named) or "2 red · 1 yellow · 2 green". A point passes when every assessor of the
latest round put it on the scale's top level ("yes", "pass"): "partly" does not pass. A
traffic-light criterion counts in the worst colour its assessors gave (one red is a red).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sihub import scores
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.i18n import format_score, t
from sihub.reference.scales import Scale

COMBINE_RULES = ("mean", "all_pass", "checklist", "traffic_light")
DEFAULT_COMBINE = "mean"
PASS_FAIL = ("all_pass", "checklist")  # a result of pass or fail: a must-pass gate, never weighed
TOLERANCE = 1e-6  # scale files give levels to six decimals


@dataclass(frozen=True)
class FrameworkRule:
    """A framework as its results are shown: its scale, how its criteria combine, and the
    names of its (current) criteria in one language."""

    code: str
    name: str
    combine: str
    scale: Scale
    criteria: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def averaged(self) -> bool:
        return self.combine == "mean"

    @property
    def pass_fail(self) -> bool:
        return self.combine in PASS_FAIL


@dataclass(frozen=True)
class Outcome:
    """An innovation's result on a framework that is not a mean."""

    combine: str
    passed: bool | None  # None: not every point assessed yet (or a traffic light)
    failed: tuple[str, ...] = ()  # criterion codes, in the framework's order
    missing: tuple[str, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()  # (level code, criteria) of a traffic light


def framework_rules(store: Store, lang: str) -> dict[str, FrameworkRule]:
    """Every framework's rule, scale and criterion names in ``lang``."""
    from sihub.reference import load_scales  # the package imports this module

    scales = load_scales(store)
    lang = sql_language(lang)
    names: dict[str, dict[str, str]] = {}
    for framework, code, name in store.rows(
        f"SELECT framework_code, code, name_{lang} FROM criteria WHERE NOT retired "
        "ORDER BY framework_code, sort_order, code"
    ):
        names.setdefault(framework, {})[code] = name
    return {
        code: FrameworkRule(
            code, name, combine or DEFAULT_COMBINE, scales[scale], names.get(code, {})
        )
        for code, name, combine, scale in store.rows(
            f"SELECT code, name_{lang}, combine, default_scale FROM frameworks ORDER BY code"
        )
    }


def outcome_of(rule: FrameworkRule, worst: Mapping[str, float]) -> Outcome:
    """The result from each criterion's lowest latest-round rating (normalised; a criterion
    absent from ``worst`` was not assessed)."""
    missing = tuple(c for c in rule.criteria if c not in worst)
    if rule.combine == "traffic_light":
        counts = {lv.code: 0 for lv in rule.scale.levels}
        for code in rule.criteria:
            level = rule.scale.level_at(worst.get(code)) if code in worst else None
            if level is not None:
                counts[level.code] += 1
        return Outcome(rule.combine, None, missing=missing, counts=tuple(counts.items()))
    top = max(lv.normalised for lv in rule.scale.levels)
    failed = tuple(c for c in rule.criteria if c in worst and worst[c] < top - TOLERANCE)
    passed = False if failed else (None if missing else True)
    return Outcome(rule.combine, passed, failed, missing)


def outcomes(
    store: Store,
    visibility: str,
    rule: FrameworkRule,
    innovation_ids: Sequence[int] | None = None,
    *,
    types: Sequence[str] = scores.EXTERNAL_TYPES,
) -> dict[int, Outcome]:
    """Per assessed innovation: its result on ``rule``'s framework (latest round, as
    ``sihub.scores`` defines it), on the assessments ``visibility`` sees."""
    means = scores.latest_criterion_means(
        store,
        visibility,
        framework=rule.code,
        types=types,
        innovation_ids=innovation_ids,
    )
    worst: dict[int, dict[str, float]] = {}
    for innovation, code, low in zip(
        means.innovation_id, means.criterion_code, means["min"], strict=True
    ):
        worst.setdefault(int(innovation), {})[code] = float(low)
    return {i: outcome_of(rule, w) for i, w in worst.items()}


def _names(rule: FrameworkRule, codes: Iterable[str]) -> str:
    return ", ".join(rule.criteria.get(c, c) for c in codes)


def level_word(rule: FrameworkRule, code: str, lang: str) -> str:
    """A level's short name: "punainen" of "punainen – pysähdy ja mieti uudelleen"."""
    level = next(lv for lv in rule.scale.levels if lv.code == code)
    return (level.names.get(lang) or code).split(" – ")[0]


def outcome_text(rule: FrameworkRule, outcome: Outcome | None, lang: str) -> str:
    """The result in the framework's own terms: "passes", "fails on: A, B",
    "2 red · 1 yellow · 2 green"; what was not assessed is named too."""
    if outcome is None:
        return t("outcome.not_assessed", lang=lang)
    if outcome.combine == "traffic_light":
        text = " · ".join(
            t("outcome.colour_count", lang=lang, n=n, colour=level_word(rule, code, lang))
            for code, n in outcome.counts
        )
    elif outcome.passed:
        text = t(f"outcome.{outcome.combine}.passes", lang=lang, n=len(rule.criteria))
    elif outcome.failed:
        text = t(f"outcome.{outcome.combine}.fails", lang=lang, failed=_names(rule, outcome.failed))
    else:
        text = t(f"outcome.{outcome.combine}.open", lang=lang)
    if outcome.missing:
        text += " · " + t("outcome.missing", lang=lang, missing=_names(rule, outcome.missing))
    return text


def group_outcome_text(rule: FrameworkRule, found: Sequence[Outcome], lang: str) -> str:
    """A group's results: "3 of 5 pass", or the colours summed over its innovations."""
    if not found:
        return t("outcome.not_assessed", lang=lang)
    if rule.combine == "traffic_light":
        totals = {code: 0 for code, _ in found[0].counts}
        for outcome in found:
            for code, n in outcome.counts:
                totals[code] += n
        return " · ".join(
            t("outcome.colour_count", lang=lang, n=n, colour=level_word(rule, code, lang))
            for code, n in totals.items()
        )
    passed = sum(1 for o in found if o.passed)
    return t("outcome.group_passes", lang=lang, passed=passed, total=len(found))


def result_text(rule: FrameworkRule, mean: float | None, outcome: Outcome | None, lang: str) -> str:
    """An innovation's result on one framework as every page shows it: a mean on the
    framework's own scale ("4,2 / 5"), or the outcome in its own terms."""
    if rule.averaged:
        return format_score(mean, rule.scale, lang)
    return outcome_text(rule, outcome, lang)
