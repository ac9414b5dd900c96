"""Rating scales: parse a score as people type it, and normalise it to 0-1.

A missing score stays missing (``None``), never 0: blank, dash and "n/a" cells are missing.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import numpy as np

from sihub.text import fold

MISSING_MARKS = frozenset(  # folded, as cells are compared ("ej bedömd" is "ej bedomd")
    fold(mark)
    for mark in (
        *("", "-", "–", "—", "na", "n/a", "n.a.", "ei arvioitu", "ej bedömd", "not assessed"),
        *("eos", "?"),
        # the "cannot say" and "does not apply" options that survey tools export as answers
        *("en osaa sanoa", "vet ej", "don't know", "ei sovellu", "ej tillämpligt"),
        "not applicable",
    )
)
# Means of stored levels (given to six decimals: 2/3 is 0.666667) sit a hair off the level:
# a minimum is met within this tolerance.
SCORE_TOLERANCE = 5e-6
_LEADING_NUMBER = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)(?:\s*(?:[-–—:/.)]|$)|\s+\D)")


@dataclass(frozen=True)
class Level:
    code: str
    normalised: float
    value: float | None = None
    labels: tuple[str, ...] = ()  # every spelling that parses to this level
    names: dict[str, str] = field(default_factory=dict, compare=False)  # lang -> shown label


@dataclass(frozen=True)
class ParsedScore:
    """A score as stored: ``value`` on the scale, ``level`` code if on a level, ``normalised``."""

    value: float | None
    level: str | None
    normalised: float | None

    @property
    def missing(self) -> bool:
        return self.normalised is None


MISSING = ParsedScore(None, None, None)


class ScoreError(ValueError):
    """A typed score that is not on its scale; ``code`` names the problem for the report."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Scale:
    code: str
    kind: str  # numeric | ordinal
    levels: tuple[Level, ...]
    min_value: float | None = None
    max_value: float | None = None
    allow_decimals: bool = False
    _by_label: dict[str, Level] = field(default_factory=dict, compare=False, repr=False)
    # (value, normalised) of the levels with a value, in order of value: worked out once, since
    # every score shown asks for it (52,000 rows of a funder ranking spent 0.8 s sorting levels)
    _sorted: tuple[tuple[float, float], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        points = sorted((lv.value, lv.normalised) for lv in self.levels if lv.value is not None)
        object.__setattr__(self, "_sorted", tuple(points))
        for level in self.levels:
            for label in (level.code, *level.labels):
                self._by_label.setdefault(fold(label), level)

    def parse(self, raw: object) -> ParsedScore:
        """The stored form of ``raw`` or ``ScoreError`` (codes: not_on_scale, out_of_range)."""
        if raw is None:
            return MISSING
        if isinstance(raw, bool):
            raise ScoreError("not_on_scale")
        if isinstance(raw, (int, float)):
            return self._from_number(float(raw))
        text = fold(raw)
        if text in MISSING_MARKS:
            return MISSING
        level = self._by_label.get(text)
        if level is not None:
            return ParsedScore(level.value, level.code, level.normalised)
        number = _leading_number(text)
        if number is not None and self.kind == "numeric":
            return self._from_number(number)
        raise ScoreError("not_on_scale")

    @property
    def numeric(self) -> bool:
        return self.kind == "numeric" and len(self._points()) >= 2

    def _points(self) -> tuple[tuple[float, float], ...]:
        """(value, normalised) of the levels with a value, in order of value."""
        return self._sorted

    def value_of(self, normalised: float | None) -> float | None:
        """The point on a numeric scale that a stored 0-1 value stands for (0.8 on 1-5 is 4.2);
        None when missing or the scale has no numbers (levels need not be evenly spaced)."""
        points = self._points()
        if normalised is None or normalised != normalised or len(points) < 2:
            return None
        for (v0, n0), (v1, n1) in itertools.pairwise(points):
            if n0 <= normalised <= n1:
                return v0 if n1 == n0 else v0 + (v1 - v0) * (normalised - n0) / (n1 - n0)
        return points[0][0] if normalised < points[0][1] else points[-1][0]

    def values_of(self, normalised: np.ndarray) -> np.ndarray | None:
        """``value_of`` for a whole array of stored values (NaN where missing); None when the
        scale has no numbers."""
        if not self.numeric:
            return None
        values, positions = zip(*self._points(), strict=True)
        return np.interp(normalised, positions, values)  # NaN in, NaN out; clamped at the ends

    def normalised_of(self, value: float | None) -> float | None:
        """The stored 0-1 value of a point typed on a numeric scale (4 on 1-5 is 0.75); values
        beyond the ends are clamped; None when missing or the scale has no numbers."""
        if value is None or value != value or not self.numeric:
            return None
        low, high = self._points()[0], self._points()[-1]
        if value <= low[0]:
            return low[1]
        if value >= high[0]:
            return high[1]
        return self._interpolate(value)

    @property
    def bottom(self) -> float | None:
        return self._points()[0][0] if self.numeric else None

    @property
    def top(self) -> float | None:
        return self._points()[-1][0] if self.numeric else None

    def level_at(self, normalised: float | None) -> Level | None:
        """The level a stored value lies exactly on (a single rating), else None (a mean)."""
        if normalised is None or normalised != normalised:
            return None
        return next((lv for lv in self.levels if abs(lv.normalised - normalised) < 1e-6), None)

    def _from_number(self, number: float) -> ParsedScore:
        if self.kind != "numeric":
            raise ScoreError("not_on_scale")
        if number != number or not (self.min_value <= number <= self.max_value):
            raise ScoreError("out_of_range")
        on_level = next((lv for lv in self.levels if lv.value == number), None)
        if on_level is not None:
            return ParsedScore(number, on_level.code, on_level.normalised)
        if not self.allow_decimals:
            raise ScoreError("not_on_scale")
        return ParsedScore(number, None, self._interpolate(number))

    def _interpolate(self, number: float) -> float:
        """Normalised value between the two levels around ``number`` (levels need not be even)."""
        for (x0, y0), (x1, y1) in itertools.pairwise(self._points()):
            if x0 <= number <= x1:
                return round(y0 + (y1 - y0) * (number - x0) / (x1 - x0), 6)
        low, high = self.min_value, self.max_value
        return round((number - low) / (high - low), 6)


def _leading_number(text: str) -> float | None:
    """``"3,5"`` -> 3.5, ``"4 – hyvä"`` -> 4.0, ``"4/5"`` -> 4.0; None without a leading number."""
    match = _LEADING_NUMBER.match(text)
    if not match:
        return None
    return float(match.group(1).replace(",", "."))


def normalised_of_sql(scale_sql: str) -> str:
    """SQL twin of ``Scale.normalised_of`` (tests pin the two together): the stored 0-1 value of
    a point typed on the scale that ``scale_sql`` names, the point being the one ``?`` after
    those of ``scale_sql``; NULL on a scale without numbers. Lets a query filter stored values
    by a minimum typed on the scale people rated on."""
    return f"""(
        WITH lv AS (SELECT value AS v, normalised AS n FROM scale_levels
                    WHERE scale_code = {scale_sql} AND value IS NOT NULL),
             x AS (SELECT greatest(min(v), least(max(v), ?::DOUBLE)) AS x FROM lv),
             seg AS (SELECT v AS v0, n AS n0, lead(v) OVER (ORDER BY v) AS v1,
                            lead(n) OVER (ORDER BY v) AS n1 FROM lv)
        SELECT CASE WHEN v1 = v0 THEN n0
                    ELSE round(n0 + (n1 - n0) * (x - v0) / (v1 - v0), 6) END
        FROM seg, x WHERE v1 IS NOT NULL AND x BETWEEN v0 AND v1 ORDER BY v0 LIMIT 1)"""
