"""Rating scales: parse a score as people type it, and normalise it to 0-1.

A missing score stays missing (``None``), never 0: blank, dash and "n/a" cells are missing.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

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
_LEADING_NUMBER = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)(?:\s*(?:[-–—:/.)]|$)|\s+\D)")


@dataclass(frozen=True)
class Level:
    code: str
    normalised: float
    value: float | None = None
    labels: tuple[str, ...] = ()


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

    def __post_init__(self) -> None:
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
        points = sorted((lv.value, lv.normalised) for lv in self.levels if lv.value is not None)
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
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
