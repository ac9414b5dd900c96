"""A score as the comparison pages print it: on its criterion's own scale or 0-100, rounded
the way people round; and names cut short for chart axes."""

from __future__ import annotations

from functools import lru_cache

from sihub.i18n import format_common, format_number, half_up, score_on_scale
from sihub.reference.scales import Level, Scale

SHORT_LABEL = 34  # characters of a name on a chart axis; the full name is in the hover


@lru_cache(maxsize=256)
def scale_of(levels: tuple[tuple, ...]) -> Scale:
    """The comparison's level tuples (code, value, normalised, label) as the ``Scale`` they
    come from, so that a 0-1 score reaches its scale by the one rule, ``Scale.value_of``."""
    kind = "numeric" if any(lv[1] is not None for lv in levels) else "ordinal"
    return Scale(
        code="",
        kind=kind,
        levels=tuple(
            Level(str(lv[0]), float(lv[2]), None if lv[1] is None else float(lv[1]))
            for lv in levels
        ),
    )


def to_scale(normalised: float | None, levels: tuple[tuple, ...]) -> float | None:
    """The point on a numeric scale that ``normalised`` stands for (levels need not be even)."""
    return scale_of(tuple(levels)).value_of(normalised)


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


def on_scale_value(normalised: float | None, levels: tuple[tuple, ...], lang: str) -> object:
    """A 0-1 score as an export cell on its criterion's own scale: a number on a numeric scale
    (3.92 on 1-5), a level's name on a scale without numbers ("yellow"), and between such
    levels 0-100, labelled ("25 / 100"); None when missing, never 0."""
    if normalised is None or normalised != normalised:
        return None
    scale = scale_of(tuple(levels))
    if scale.numeric:
        return score_on_scale(float(normalised), scale)
    if scale.level_at(float(normalised)) is not None:
        return shown(float(normalised), levels, "scale", lang)
    return format_common(float(normalised), lang)


def shown_points(spread: float, levels: tuple[tuple, ...], display: str, lang: str) -> str:
    """A distance between two scores: scale points for numeric scales, else 0-100 points."""
    scale = scale_of(tuple(levels))
    if display == "scale" and scale.numeric:
        return format_number(half_up(spread * (scale.top - scale.bottom), 1), lang, decimals=1)
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
