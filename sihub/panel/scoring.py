"""A member's scores of the open pitch, saved as one assessment of type ``funder_panel``.

One assessment per member and pitch: a repeated save replaces its scores and comment and
moves its ``saved_at``, never adds a second one. The writer queue (``sessions.write``) makes
saves of many members one after another, so that none is lost. The derived summaries that
profiles and comparisons read take the pitch's scores in when scoring closes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import duckdb

from sihub.db import derived
from sihub.db.store import Store
from sihub.funding.status import finnish_time, now_to_store
from sihub.panel.sessions import OPEN, Member, PitchNotOpenError, new_id, write
from sihub.reference import load_scales
from sihub.reference.scales import Scale
from sihub.scores import PANEL_TYPE

MAX_COMMENT = 2000  # characters kept of a comment typed on a phone


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    guidance: str | None
    scale_code: str


@dataclass(frozen=True)
class SavedScores:
    """What a member has saved for a pitch (level codes by criterion, the comment, when)."""

    levels: dict[str, str | None]
    comment: str | None
    saved_at: datetime | None  # Finnish wall time (``funding.status.finnish_time``)


def criteria(store: Store, framework_code: str, lang: str) -> list[Criterion]:
    """The framework's current criteria in order, named in ``lang`` (one of ours)."""
    rows = store.rows(
        f"""SELECT code, coalesce(name_{lang}, name_fi, code), guidance_{lang}, scale_code
            FROM criteria WHERE framework_code = ? AND NOT retired ORDER BY sort_order""",
        [framework_code],
    )
    return [Criterion(*row) for row in rows]


def scale_options(store: Store, scale_code: str, lang: str) -> list[tuple[str, str]]:
    """The levels a member picks from: (level code, label in ``lang``), lowest first."""
    return [
        (code, label)
        for code, label in store.rows(
            f"SELECT code, coalesce(label_{lang}, code) FROM scale_levels "
            "WHERE scale_code = ? ORDER BY sort_order",
            [scale_code],
        )
    ]


def save_scores(
    store: Store,
    member: Member,
    position: int,
    levels: Mapping[str, str | None],
    comment: str | None,
) -> datetime:
    """Save ``member``'s scores (level codes by criterion; None: not scored) and comment of
    pitch ``position``; committed when this returns, with the time it was saved (in Finland).
    PitchNotOpenError when the pitch is not open (staff closed it)."""
    scales = load_scales(store)
    text = (comment or "").strip()[:MAX_COMMENT] or None

    def work(cur: duckdb.DuckDBPyConnection) -> datetime:
        pitch = _open_pitch(cur, member.session_id, position)
        assessment_id = _assessment_of(cur, member, pitch, text)
        cur.execute("DELETE FROM scores WHERE assessment_id = ?", [assessment_id])
        for code, scale_code in _criteria_scales(cur, pitch["framework_code"]):
            _insert_score(cur, assessment_id, code, scales[scale_code], levels.get(code))
        # The summaries take in an open pitch's scores when staff close it (sessions._move):
        # nobody may see them before, and a refresh per save queued 30 members for 20 s.
        derived.still_current(cur)
        saved_at = cur.execute(
            "SELECT saved_at FROM assessments WHERE id = ?", [assessment_id]
        ).fetchone()[0]
        return finnish_time(saved_at)

    return write(store, work)


def _open_pitch(cur: duckdb.DuckDBPyConnection, session_id: int, position: int) -> dict:
    row = cur.execute(
        """SELECT p.state, p.innovation_id, s.framework_code, s.held_on
           FROM panel_pitches p JOIN panel_sessions s ON s.id = p.session_id
           WHERE p.session_id = ? AND p.position = ?""",
        [session_id, position],
    ).fetchone()
    if row is None or row[0] != OPEN:
        raise PitchNotOpenError(position=position)
    return dict(zip(("state", "innovation_id", "framework_code", "held_on"), row, strict=True))


def _assessment_of(cur: duckdb.DuckDBPyConnection, member: Member, pitch: dict, text) -> int:
    """The member's one assessment of the pitch, updated, or a new one."""
    found = cur.execute(
        """SELECT id FROM assessments WHERE panel_session_id = ? AND panel_member_id = ?
           AND innovation_id = ? AND assessment_type = ?""",
        [member.session_id, member.id, pitch["innovation_id"], PANEL_TYPE],
    ).fetchone()
    if found:
        cur.execute(
            "UPDATE assessments SET summary = ?, saved_at = ? WHERE id = ?",
            [text, now_to_store(), found[0]],
        )
        return found[0]
    assessment_id = new_id(cur, "assessment_ids")
    cur.execute(
        """INSERT INTO assessments (id, ref, innovation_id, framework_code, assessor_id,
               assessment_type, assessed_on, summary, shared, published, panel_session_id,
               panel_member_id, saved_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?)""",
        [
            assessment_id,
            f"panel-{member.session_id}-{member.id}-{pitch['innovation_id']}",
            pitch["innovation_id"],
            pitch["framework_code"],
            member.assessor_id,
            PANEL_TYPE,
            pitch["held_on"],
            text,
            False,  # an open pitch's scores: shared once revealed (sessions.share_as_revealed)
            member.session_id,
            member.id,
            now_to_store(),
        ],
    )
    return assessment_id


def _criteria_scales(cur: duckdb.DuckDBPyConnection, framework_code: str) -> list[tuple]:
    return cur.execute(
        "SELECT code, scale_code FROM criteria WHERE framework_code = ? AND NOT retired "
        "ORDER BY sort_order",
        [framework_code],
    ).fetchall()


def _insert_score(cur, assessment_id: int, code: str, scale: Scale, level: str | None) -> None:
    """A chosen level as the importer stores a score; a criterion left unscored is missing."""
    if level is None:
        return
    parsed = scale.parse(level)  # a level code parses to itself (ScoreError if not on it)
    cur.execute(
        """INSERT INTO scores (assessment_id, criterion_code, raw_value, value, level_code,
                               normalised) VALUES (?, ?, ?, ?, ?, ?)""",
        [assessment_id, code, level, parsed.value, parsed.level, parsed.normalised],
    )


def saved_scores(store: Store, member: Member, position: int) -> SavedScores:
    """What ``member`` has saved for pitch ``position`` (empty when nothing yet)."""
    rows = store.current_rows(
        """SELECT a.summary, a.saved_at, s.criterion_code, s.level_code
           FROM panel_pitches p
           JOIN assessments a ON a.innovation_id = p.innovation_id
                AND a.panel_session_id = p.session_id AND a.panel_member_id = ?
           LEFT JOIN scores s ON s.assessment_id = a.id
           WHERE p.session_id = ? AND p.position = ?""",
        [member.id, member.session_id, position],
    )
    if not rows:
        return SavedScores({}, None, None)
    levels = {code: level for _, _, code, level in rows if code is not None}
    return SavedScores(levels, rows[0][0], finnish_time(rows[0][1]))


def scored_count(store: Store, session_id: int, position: int) -> int:
    """How many members have saved scores for the pitch: the number the room sees."""
    return store.current_rows(
        """SELECT count(DISTINCT a.panel_member_id) FROM panel_pitches p
           JOIN assessments a ON a.innovation_id = p.innovation_id
                AND a.panel_session_id = p.session_id
           WHERE p.session_id = ? AND p.position = ?
                 AND EXISTS (SELECT 1 FROM scores s WHERE s.assessment_id = a.id)""",
        [session_id, position],
    )[0][0]
