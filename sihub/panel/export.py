"""The session's workbook for after the day: every score and comment with who gave it and
when, and each revealed pitch's result and summary in words. Text that a spreadsheet would
run as a formula is escaped (``sihub.exports``), as in every export of the hub."""

from __future__ import annotations

import pandas as pd

from sihub.access import Viewer
from sihub.db.store import Store
from sihub.exports import excel_bytes, is_demo, number_cell
from sihub.funding.status import finnish_times, now_in_finland
from sihub.i18n import format_date, t
from sihub.panel.links import framework_choices
from sihub.panel.results import (
    criterion_names,
    revealed_results,
    scale_shape,
    summary_sentence,
    viewer_sees,
)
from sihub.panel.sessions import PanelError, PanelSession

_EVERY_SCORE_SQL = """
    SELECT p.position, i.name AS innovation, m.name AS member, a.saved_at, s.criterion_code,
           s.raw_value, s.normalised, a.summary
    FROM panel_pitches p
    JOIN innovations i ON i.id = p.innovation_id
    JOIN assessments a ON a.innovation_id = p.innovation_id AND a.panel_session_id = p.session_id
    JOIN panel_members m ON m.id = a.panel_member_id
    LEFT JOIN scores s ON s.assessment_id = a.id
    WHERE p.session_id = ? ORDER BY p.position, m.id, s.criterion_code"""


def session_workbook(store: Store, viewer: Viewer, session: PanelSession, lang: str) -> bytes:
    """The .xlsx of ``session`` as ``viewer`` may see it (PanelError for one who may not)."""
    if not viewer_sees(store, viewer, session):
        raise PanelError(session=session.name)
    rows = store.current_rows(_EVERY_SCORE_SQL, [session.id])
    every = pd.DataFrame(
        rows,
        columns=[
            "position",
            "innovation",
            "member",
            "saved_at",
            "criterion",
            "score",
            "normalised",
            "comment",
        ],
    )
    every["saved_at"] = finnish_times(every["saved_at"])
    # A reader sees the criterion's name and a score as a number cell, never a code or text
    names = criterion_names(store, session.framework_code, lang)
    every["criterion"] = every.criterion.map(lambda code: names.get(code, code))
    every["score"] = every.score.map(number_cell)
    sheets = {
        t("panel.export.scores", lang=lang): _scores_sheet(every, lang),
        t("panel.export.comments", lang=lang): _comments_sheet(every, lang),
        t("panel.export.summary", lang=lang): _summary_sheet(store, viewer, session, lang),
    }
    about = {
        t("panel.export.session", lang=lang): session.name,
        t("panel.export.held_on", lang=lang): format_date(session.held_on, lang),
        t("panel.export.framework", lang=lang): dict(framework_choices(store, lang)).get(
            session.framework_code, session.framework_code
        ),
        t("panel.export.made", lang=lang): now_in_finland().replace(microsecond=0, tzinfo=None),
    }
    return excel_bytes(sheets, about, t("panel.export.about", lang=lang), demo=is_demo(store))


def _sheet(rows: pd.DataFrame, columns: dict[str, str], lang: str) -> pd.DataFrame:
    """The ``columns`` of ``rows`` (heading key under ``panel.export.`` -> column), in order;
    headings only when there are no rows (an empty column of times is one Excel export cannot
    write: a session without comments)."""
    headings = [t(f"panel.export.{key}", lang=lang) for key in columns]
    if rows.empty:
        return pd.DataFrame(columns=headings)
    return pd.DataFrame(dict(zip(headings, (rows[c] for c in columns.values()), strict=True)))


_SAID_BY = {"pitch": "position", "innovation": "innovation", "member": "member"}


def _scores_sheet(every: pd.DataFrame, lang: str) -> pd.DataFrame:
    scored = every[every.criterion.notna()]
    columns = {**_SAID_BY, "criterion": "criterion", "score": "score"}
    return _sheet(scored, {**columns, "normalised": "normalised", "saved_at": "saved_at"}, lang)


def _comments_sheet(every: pd.DataFrame, lang: str) -> pd.DataFrame:
    said = every[every.comment.notna()].drop_duplicates(["position", "member"])
    return _sheet(said, {**_SAID_BY, "comment": "comment", "saved_at": "saved_at"}, lang)


def _summary_sheet(store: Store, viewer: Viewer, session: PanelSession, lang: str) -> pd.DataFrame:
    shape = scale_shape(store, session.framework_code, lang)
    results = revealed_results(store, viewer, session, lang)
    return pd.DataFrame(
        {
            t("panel.export.pitch", lang=lang): [r.position for r in results],
            t("panel.export.innovation", lang=lang): [r.name for r in results],
            t("panel.export.result", lang=lang): [shape.written(r.mean, lang) for r in results],
            t("panel.export.members", lang=lang): [r.members for r in results],
            t("panel.export.summary", lang=lang): [
                summary_sentence(r, shape, lang) for r in results
            ],
        }
    )
