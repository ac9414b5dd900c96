"""A revealed pitch's result on the framework's own scale, the spread between members and
their comments; the whole session side by side; each pitch summed up in words.

Nothing here shows a pitch's scores before staff reveal it, to anyone: the room sees counts
until then. Who sees revealed results at all is ``sihub.access.sees_panel``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sihub.access import Viewer, sees_panel
from sihub.db.store import Store
from sihub.i18n import format_number, format_score, t
from sihub.panel.sessions import REVEALED, PanelSession, is_member, load_session
from sihub.reference import Scale, framework_scale
from sihub.scores import DISAGREEMENT

TOP = 3  # the panel's top pitches shown at the end of the day


@dataclass(frozen=True)
class CriterionResult:
    code: str
    name: str
    mean: float  # normalised 0-1, the mean of the members' scores
    low: float
    high: float
    members: int

    @property
    def spread(self) -> float:
        """How far apart the members' scores lie (0-1 of the scale)."""
        return self.high - self.low


@dataclass(frozen=True)
class PitchResult:
    position: int
    name: str
    organisation: str | None
    members: int  # who scored it
    mean: float | None  # normalised 0-1: the mean of the criterion means
    criteria: tuple[CriterionResult, ...]
    comments: tuple[str, ...]


@dataclass(frozen=True)
class ScaleShape:
    """How a result is written on the framework's own scale: the hub's one score formatter
    (``4,2 / 5``, or a level's name), with "not scored" where no member scored."""

    scale: Scale

    def written(self, normalised: float | None, lang: str) -> str:
        if normalised is None:
            return t("panel.not_scored", lang=lang)
        return format_score(normalised, self.scale, lang)

    def ticks(self, lang: str) -> tuple[list[float], list[str]] | None:
        """Chart ticks at the scale's numbered levels (positions 0-100, as the comparison
        charts take them): a 1-5 rating reads 1-5 on the screen, never 0-100; None for a
        scale without numbers."""
        points = [level for level in self.scale.levels if level.value is not None]
        if not points:
            return None
        return [100 * lv.normalised for lv in points], [
            format_number(lv.value, lang) for lv in points
        ]


def viewer_sees(store: Store, viewer: Viewer, session: PanelSession) -> bool:
    member = is_member(store, session.id, viewer.identity)
    return sees_panel(viewer, member=member, shared=session.shared)


def scale_shape(store: Store, framework_code: str, lang: str) -> ScaleShape:
    """The shape of the framework's default scale (a panel rates on one scale)."""
    return ScaleShape(framework_scale(store, framework_code))


# The members' scores of a session's pitches; never filtered by visibility (sees_panel decides
# for the whole session), always by the pitch being revealed.
_SCORES_SQL = """
    SELECT p.position, a.panel_member_id AS member, s.criterion_code, s.normalised
    FROM panel_pitches p
    JOIN assessments a ON a.innovation_id = p.innovation_id AND a.panel_session_id = p.session_id
    JOIN scores s ON s.assessment_id = a.id
    WHERE p.session_id = ? AND p.state = 'revealed' AND s.normalised IS NOT NULL"""
_COMMENTS_SQL = """
    SELECT p.position, a.summary FROM panel_pitches p
    JOIN assessments a ON a.innovation_id = p.innovation_id AND a.panel_session_id = p.session_id
    WHERE p.session_id = ? AND p.state = 'revealed' AND a.summary IS NOT NULL
    ORDER BY a.saved_at"""


def revealed_results(
    store: Store, viewer: Viewer, session: PanelSession, lang: str
) -> list[PitchResult]:
    """The result of every revealed pitch, in order (empty for a viewer who may not see)."""
    if not viewer_sees(store, viewer, session):
        return []
    names = criterion_names(store, session.framework_code, lang)
    rows = store.current_rows(_SCORES_SQL, [session.id])
    frame = pd.DataFrame(rows, columns=["position", "member", "criterion", "normalised"])
    comments = store.current_rows(_COMMENTS_SQL, [session.id])
    return [
        _pitch_result(pitch, frame[frame.position == pitch.position], names, comments)
        for pitch in session.pitches
        if pitch.state == REVEALED
    ]


def pitch_result(
    store: Store, viewer: Viewer, session: PanelSession, position: int, lang: str
) -> PitchResult | None:
    """The result of pitch ``position`` once revealed (None before, or for a viewer who may
    not see it)."""
    found = [r for r in revealed_results(store, viewer, session, lang) if r.position == position]
    return found[0] if found else None


def innovation_results(
    store: Store, viewer: Viewer, innovation_id: int, lang: str
) -> list[tuple[PanelSession, PitchResult]]:
    """How each panel that ``viewer`` may see rated ``innovation_id`` (revealed pitches only),
    newest session first: the profile shows them, so that a panel's own members find their
    panel's result there before staff share the session with every funder."""
    found = store.rows(
        "SELECT DISTINCT s.id, s.held_on FROM panel_pitches p "
        "JOIN panel_sessions s ON s.id = p.session_id "
        "WHERE p.innovation_id = ? AND p.state = 'revealed' "
        "ORDER BY s.held_on DESC NULLS LAST, s.id DESC",
        [innovation_id],
    )
    out = []
    for session_id, _ in found:
        session = load_session(store, session_id)
        for result in revealed_results(store, viewer, session, lang):
            if session.pitch(result.position).innovation_id == innovation_id:
                out.append((session, result))
    return out


def criterion_names(store: Store, framework_code: str, lang: str) -> dict[str, str]:
    """The framework's criteria: code -> name in ``lang``, in the framework's order."""
    return dict(
        store.rows(
            f"SELECT code, coalesce(name_{lang}, name_fi, code) FROM criteria "
            "WHERE framework_code = ? ORDER BY sort_order",
            [framework_code],
        )
    )


def _pitch_result(pitch, scores: pd.DataFrame, names: dict, comments: list) -> PitchResult:
    per = scores.groupby("criterion", sort=False).normalised.agg(["mean", "min", "max", "count"])
    criteria = tuple(
        CriterionResult(
            code,
            name,
            *(float(per.at[code, k]) for k in ("mean", "min", "max")),
            int(per.at[code, "count"]),
        )
        for code, name in names.items()
        if code in per.index
    )
    mean = sum(c.mean for c in criteria) / len(criteria) if criteria else None
    said = tuple(text for position, text in comments if position == pitch.position)
    return PitchResult(
        pitch.position,
        pitch.name,
        pitch.organisation,
        int(scores.member.nunique()),
        mean,
        criteria,
        said,
    )


def top_pitches(results: list[PitchResult], n: int = TOP) -> list[PitchResult]:
    """The panel's best-rated pitches, highest mean first (unscored ones left out)."""
    rated = [r for r in results if r.mean is not None]
    return sorted(rated, key=lambda r: (-r.mean, r.position))[:n]


def side_by_side(results: list[PitchResult]) -> pd.DataFrame:
    """The session as the comparison draws it: one row per pitch and criterion, with columns
    criterion_code, criterion, dimension, column, label, value (0-1), low, high, members."""
    rows = [
        {
            "criterion_code": c.code,
            "criterion": c.name,
            "dimension": "",
            "column": f"{r.position}. {r.name}",
            "label": r.name,
            "value": c.mean,
            "low": c.low,
            "high": c.high,
            "members": c.members,
        }
        for r in results
        for c in r.criteria
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "criterion_code",
            "criterion",
            "dimension",
            "column",
            "label",
            "value",
            "low",
            "high",
            "members",
        ],
    )


def summary_sentence(result: PitchResult, shape: ScaleShape, lang: str) -> str:
    """A revealed pitch in words: its overall result, strongest and weakest criterion, and
    where the members disagreed (scores at least ``DISAGREEMENT`` of the scale apart)."""
    if result.mean is None:
        return t("panel.summary.none", lang=lang, name=result.name)
    text = t(
        "panel.summary.overall",
        lang=lang,
        name=result.name,
        members=result.members,
        result=shape.written(result.mean, lang),
    )
    if len(result.criteria) > 1:
        best = max(result.criteria, key=lambda c: c.mean)
        worst = min(result.criteria, key=lambda c: c.mean)
        high, low = shape.written(best.mean, lang), shape.written(worst.mean, lang)
        if high == low:  # not "strongest on Need, weakest on Need"
            text += " " + t("panel.summary.even", lang=lang, result=high)
        else:
            text += " " + t(
                "panel.summary.range",
                lang=lang,
                best=best.name,
                best_result=high,
                worst=worst.name,
                worst_result=low,
            )
    split = [c for c in result.criteria if c.spread >= DISAGREEMENT]
    if split:
        widest = max(split, key=lambda c: c.spread)
        text += " " + t(
            "panel.summary.disagreed",
            lang=lang,
            criterion=widest.name,
            low=shape.written(widest.low, lang),
            high=shape.written(widest.high, lang),
        )
    return text
