"""A score as the comparison pages print it: on its criterion's own scale or 0-100, rounded
the way people round; and names cut short for chart axes."""

from __future__ import annotations

import itertools

from sihub.i18n import format_number, half_up

SHORT_LABEL = 34  # characters of a name on a chart axis; the full name is in the hover


def to_scale(normalised: float | None, levels: tuple[tuple, ...]) -> float | None:
    """The point on a numeric scale that ``normalised`` stands for (levels need not be even)."""
    points = sorted((lv[2], lv[1]) for lv in levels if lv[1] is not None)
    if normalised is None or normalised != normalised or len(points) < 2:
        return None
    for (n0, v0), (n1, v1) in itertools.pairwise(points):
        if n0 <= normalised <= n1:
            return v0 if n1 == n0 else v0 + (v1 - v0) * (normalised - n0) / (n1 - n0)
    return points[0][1] if normalised < points[0][0] else points[-1][1]


def shown(normalised: float | None, levels: tuple[tuple, ...], display: str, lang: str) -> str:
    """A score as the page prints it: on its scale ("3,7", "yes") or 0-100; "–" when missing."""
    if normalised is None or normalised != normalised:
        return "–"
    if display == "scale":
        value = to_scale(normalised, levels)
        if value is not None:
            return format_number(half_up(value, 1), lang, decimals=1)
        exact = [lv[3] for lv in levels if abs(lv[2] - normalised) < 1e-6]
        if exact:
            return str(exact[0])
    return format_number(half_up(100 * normalised), lang)


def shown_points(spread: float, levels: tuple[tuple, ...], display: str, lang: str) -> str:
    """A distance between two scores: scale points for numeric scales, else 0-100 points."""
    low, high = to_scale(0.0, levels), to_scale(1.0, levels)
    if display == "scale" and low is not None and high is not None:
        return format_number(half_up(spread * (high - low), 1), lang, decimals=1)
    return format_number(half_up(100 * spread), lang)


def short_labels(labels: list[str], width: int = SHORT_LABEL) -> list[str]:
    """Labels cut to ``width`` for chart axes, kept unique (charts merge equal categories).

    The middle is cut, not the end: names often differ only in their last words ("… – Turku").
    """
    out: list[str] = []
    for label in labels:
        short = label
        if len(label) > width:
            head = (width - 1) * 3 // 5
            short = label[:head].rstrip() + "…" + label[len(label) - (width - 1 - head) :].lstrip()
        candidate, n = short, 2
        while candidate in out:
            candidate, n = f"{short} ({n})", n + 1
        out.append(candidate)
    return out
