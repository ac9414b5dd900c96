"""Panel sessions, their pitches and members, and the state machine staff move them through.

A pitch is ``waiting`` until staff open it, ``open`` while members score it, ``closed`` when
scoring has stopped (nobody sees anyone else's scores yet) and ``revealed`` once its result is
shown. At most one pitch of a session is open: the session's current pitch.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import duckdb

from sihub.access import Role, Sight, Viewer, require
from sihub.db import derived
from sihub.db.postgres import sequence_values
from sihub.db.store import Store
from sihub.errors import SihubError
from sihub.funding.status import now_to_store
from sihub.importing.writer import one_writer, retried
from sihub.text import name_key

T = TypeVar("T")
WAITING, OPEN, CLOSED, REVEALED = "waiting", "open", "closed", "revealed"
# Join codes are typed from a screen across a room: no 0/O, 1/I/L to mistake for each other.
CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
TOKEN_BYTES = 18  # a member's rejoin token travels in the phone's address; unguessable


class PanelError(SihubError):
    """A panel action that does not fit the session as it is now."""

    key = "error.panel"


class PanelStateError(PanelError):
    """Staff asked for a move the pitch's state does not allow (e.g. reveal an open pitch)."""

    key = "error.panel_state"


class PitchNotOpenError(PanelError):
    """A member saved scores for a pitch that is not open (staff closed it meanwhile)."""

    key = "error.panel_not_open"


class PitchTwiceError(PanelError):
    """Staff added an innovation that is already a pitch of the session."""

    key = "error.panel_pitch_twice"


class UnknownSessionError(PanelError):
    """No session has this id or join code."""

    key = "error.panel_unknown"


@dataclass(frozen=True)
class Pitch:
    position: int
    innovation_id: int
    name: str
    organisation: str | None
    state: str


@dataclass(frozen=True)
class Member:
    id: int
    session_id: int
    name: str
    identity: str | None
    token: str
    assessor_id: int


@dataclass(frozen=True)
class PanelSession:
    id: int
    name: str
    held_on: date | None
    framework_code: str
    join_code: str
    shared: bool
    current_position: int | None
    pitches: tuple[Pitch, ...]

    @property
    def current(self) -> Pitch | None:
        return next((p for p in self.pitches if p.position == self.current_position), None)

    def pitch(self, position: int) -> Pitch:
        return next(p for p in self.pitches if p.position == position)


def write(store: Store, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """``work(cur)`` in one transaction, queued behind any other write of the store (imports
    included) and tried once more after a conflict; committed when this returns."""

    def attempt() -> T:
        with one_writer(store), store.transaction() as cur:
            return work(cur)

    return retried(attempt, failure=PanelError)


def new_id(cur: duckdb.DuckDBPyConnection, sequence: str) -> int:
    """A fresh id of ``sequence`` (PostgreSQL inserts return nothing through DuckDB)."""
    return sequence_values(cur, sequence, 1)[0]


# sessions --------------------------------------------------------------------------------------
def create_session(
    store: Store, name: str, held_on: date | None, framework_code: str, *, by: Viewer
) -> int:
    """A new session with a fresh join code, created by ``by`` (staff); its id."""
    require(by, "run_panel")
    created_by = by.identity

    def work(cur: duckdb.DuckDBPyConnection) -> int:
        code = _new_join_code(cur)
        session_id = new_id(cur, "panel_session_ids")
        cur.execute(
            """INSERT INTO panel_sessions (id, name, held_on, framework_code, join_code,
                                           created_by, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [session_id, name.strip(), held_on, framework_code, code, created_by, now_to_store()],
        )
        derived.still_current(cur)
        return session_id

    return write(store, work)


def _new_join_code(cur: duckdb.DuckDBPyConnection) -> str:
    taken = {r[0] for r in cur.execute("SELECT join_code FROM panel_sessions").fetchall()}
    while True:
        code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def list_sessions(store: Store) -> list[dict]:
    """Every session, newest first: id, name, held_on, pitches, members."""
    return store.records("""
        SELECT s.id, s.name, s.held_on,
               (SELECT count(*) FROM panel_pitches p WHERE p.session_id = s.id) AS pitches,
               (SELECT count(*) FROM panel_members m WHERE m.session_id = s.id) AS members
        FROM panel_sessions s ORDER BY s.created_at DESC, s.id DESC""")


def load_session(store: Store, session_id: int) -> PanelSession:
    """The session as it is in the store now (never cached: the room moves on)."""
    found = store.current_rows(
        "SELECT id, name, held_on, framework_code, join_code, shared, current_position "
        "FROM panel_sessions WHERE id = ?",
        [session_id],
    )
    if not found:
        raise UnknownSessionError(session=str(session_id))
    return PanelSession(*found[0], pitches=_pitches(store, session_id))


def session_by_code(store: Store, join_code: str) -> PanelSession:
    found = store.current_rows(
        "SELECT id FROM panel_sessions WHERE join_code = ?", [join_code.strip().upper()]
    )
    if not found:
        raise UnknownSessionError(session=join_code)
    return load_session(store, found[0][0])


def _pitches(store: Store, session_id: int) -> tuple[Pitch, ...]:
    rows = store.current_rows(
        """SELECT p.position, p.innovation_id, i.name,
                  (SELECT min(o.name) FROM innovation_organisations io
                   JOIN organisations o ON o.id = io.organisation_id
                   WHERE io.innovation_id = i.id AND io.role = 'lead') AS organisation,
                  p.state
           FROM panel_pitches p JOIN innovations i ON i.id = p.innovation_id
           WHERE p.session_id = ? ORDER BY p.position""",
        [session_id],
    )
    return tuple(Pitch(*row) for row in rows)


def set_shared(store: Store, session_id: int, shared: bool, *, by: Viewer) -> None:
    """Share the session's assessments with every funder (or stop): the assessments carry the
    flag themselves, so that profiles and comparisons apply the one rule of ``sihub.access``.
    Staff only, as every change of a session below (``by``; NotAllowedError otherwise)."""
    require(by, "run_panel")

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute("UPDATE panel_sessions SET shared = ? WHERE id = ?", [shared, session_id])
        changed = share_as_revealed(cur, session_id)
        if changed:
            derived.refresh_in(cur, changed)
        else:
            derived.still_current(cur)

    write(store, work)


def share_as_revealed(
    cur: duckdb.DuckDBPyConnection, session_id: int, position: int | None = None
) -> list[int]:
    """Give the session's assessments (of the pitch at ``position``, or all) the flag the rule
    asks for: shared with every funder once the session is shared *and* the pitch revealed,
    never before staff reveal it (nobody sees a pitch's scores until then, and a session may
    be shared before its last pitch). The innovations whose assessments changed."""
    one = "" if position is None else " AND p.position = ?"
    pitches = cur.execute(
        f"""SELECT p.innovation_id, s.shared AND p.state = ? FROM panel_pitches p
            JOIN panel_sessions s ON s.id = p.session_id WHERE p.session_id = ?{one}""",
        [REVEALED, session_id] + ([] if position is None else [position]),
    ).fetchall()
    changed = []
    for innovation_id, shared in pitches:
        differs = cur.execute(
            """SELECT count(*) FROM assessments WHERE panel_session_id = ? AND innovation_id = ?
               AND shared IS DISTINCT FROM ?""",
            [session_id, innovation_id, shared],
        ).fetchone()[0]
        if differs:
            cur.execute(
                """UPDATE assessments SET shared = ?
                   WHERE panel_session_id = ? AND innovation_id = ?""",
                [shared, session_id, innovation_id],
            )
            changed.append(innovation_id)
    return changed


# pitches ---------------------------------------------------------------------------------------
def add_pitch(store: Store, session_id: int, innovation_id: int, *, by: Viewer) -> int:
    """An innovation of the hub as the session's next pitch; its position."""
    require(by, "run_panel")
    return write(store, lambda cur: _append_pitch(cur, session_id, innovation_id))


def add_new_pitch(
    store: Store, session_id: int, name: str, organisation: str | None, *, by: Viewer
) -> int:
    """A new innovation (and organisation, if not in the hub yet), created on the spot, as the
    session's next pitch; its position."""
    require(by, "run_panel")

    def work(cur: duckdb.DuckDBPyConnection) -> int:
        innovation_id = _new_innovation(cur, name.strip(), (organisation or "").strip())
        derived.refresh_in(cur, [innovation_id])
        return _append_pitch(cur, session_id, innovation_id)

    return write(store, work)


def _append_pitch(cur: duckdb.DuckDBPyConnection, session_id: int, innovation_id: int) -> int:
    """Refuses an innovation pitched in the session already: its members' scores are one
    assessment per innovation and session, so a second pitch would share (and mix) them.
    Checked here rather than by a constraint: every write holds the store's one writer."""
    already = cur.execute(
        """SELECT p.position, i.name FROM panel_pitches p
           JOIN innovations i ON i.id = p.innovation_id
           WHERE p.session_id = ? AND p.innovation_id = ?""",
        [session_id, innovation_id],
    ).fetchone()
    if already is not None:
        raise PitchTwiceError(position=already[0], name=already[1])
    position = cur.execute(
        "SELECT coalesce(max(position), 0) + 1 FROM panel_pitches WHERE session_id = ?",
        [session_id],
    ).fetchone()[0]
    cur.execute(
        "INSERT INTO panel_pitches (session_id, position, innovation_id, state) VALUES (?,?,?,?)",
        [session_id, position, innovation_id, WAITING],
    )
    derived.still_current(cur)
    return position


def _new_innovation(cur: duckdb.DuckDBPyConnection, name: str, organisation: str) -> int:
    innovation_id = new_id(cur, "innovation_ids")
    cur.execute(
        "INSERT INTO innovations (id, name, name_key) VALUES (?, ?, ?)",
        [innovation_id, name, name_key(name)],
    )
    if organisation:
        found = cur.execute(
            "SELECT min(id) FROM organisations WHERE name_key = ?", [name_key(organisation)]
        ).fetchone()[0]
        org_id = found or new_id(cur, "organisation_ids")
        if not found:
            cur.execute(
                "INSERT INTO organisations (id, name, name_key) VALUES (?, ?, ?)",
                [org_id, organisation, name_key(organisation)],
            )
        cur.execute(
            "INSERT INTO innovation_organisations VALUES (?, ?, 'lead', NULL)",
            [innovation_id, org_id],
        )
    return innovation_id


# members ---------------------------------------------------------------------------------------
def add_member(store: Store, session_id: int, name: str, identity: str | None = None) -> Member:
    """A panel member (named by staff, or joining); a signed-in identity that is already a
    member of the session gets that member back, never a second one."""

    def work(cur: duckdb.DuckDBPyConnection) -> Member:
        if identity:
            known = _member_rows(cur, "session_id = ? AND identity = ?", [session_id, identity])
            if known:
                return known[0]
        assessor_id = new_id(cur, "assessor_ids")
        cur.execute(
            "INSERT INTO assessors (id, name, name_key) VALUES (?, ?, ?)",
            [assessor_id, name.strip(), name_key(name)],
        )
        token = secrets.token_urlsafe(TOKEN_BYTES)
        cur.execute(
            """INSERT INTO panel_members (id, session_id, name, identity, token, assessor_id,
                                          joined_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [
                new_id(cur, "panel_member_ids"),
                session_id,
                name.strip(),
                identity,
                token,
                assessor_id,
                now_to_store(),
            ],
        )
        derived.still_current(cur)
        return _member_rows(cur, "token = ?", [token])[0]

    return write(store, work)


def join_by_code(store: Store, join_code: str, name: str, identity: str | None = None) -> Member:
    """Join the session whose code is ``join_code`` (UnknownSessionError otherwise)."""
    session = session_by_code(store, join_code)
    return add_member(store, session.id, name, identity)


_MEMBER_COLUMNS = "id, session_id, name, identity, token, assessor_id"


def _member_rows(cur: duckdb.DuckDBPyConnection, where: str, params: list) -> list[Member]:
    rows = cur.execute(
        f"SELECT {_MEMBER_COLUMNS} FROM panel_members WHERE {where} ORDER BY id", params
    ).fetchall()
    return [Member(*row) for row in rows]


def member_by_token(store: Store, token: str | None) -> Member | None:
    """The member a phone's address names (its token), if any: how a reload finds them."""
    if not token:
        return None
    rows = store.current_rows(
        f"SELECT {_MEMBER_COLUMNS} FROM panel_members WHERE token = ?", [token]
    )
    return Member(*rows[0]) if rows else None


def member_by_identity(store: Store, session_id: int, identity: str | None) -> Member | None:
    """The member a signed-in identity is in ``session_id``, if any."""
    if not identity:
        return None
    rows = store.current_rows(
        f"SELECT {_MEMBER_COLUMNS} FROM panel_members WHERE session_id = ? AND identity = ?",
        [session_id, identity],
    )
    return Member(*rows[0]) if rows else None


def members(store: Store, session_id: int) -> list[Member]:
    rows = store.current_rows(
        f"SELECT {_MEMBER_COLUMNS} FROM panel_members WHERE session_id = ? ORDER BY id",
        [session_id],
    )
    return [Member(*row) for row in rows]


def is_member(store: Store, session_id: int, identity: str | None) -> bool:
    return member_by_identity(store, session_id, identity) is not None


def sight(store: Store, viewer: Viewer) -> Sight:
    """What ``viewer`` sees of the assessments wherever scores are compared: their visibility
    and, for a signed-in funder on a panel, the revealed pitches of the unshared sessions they
    sat on (``sees_panel``: a member sees their session's results; a pitch's scores stay
    hidden from everyone until staff reveal it). Staff see them all anyway; others none."""
    if viewer.at_least(Role.STAFF) or not viewer.at_least(Role.FUNDER) or not viewer.identity:
        return Sight(viewer.visibility)
    pitches = store.rows(
        """SELECT p.session_id, p.innovation_id FROM panel_pitches p
           JOIN panel_sessions s ON s.id = p.session_id
           WHERE p.state = ? AND NOT s.shared AND p.session_id IN (
               SELECT session_id FROM panel_members WHERE identity = ?)""",
        [REVEALED, viewer.identity],
    )
    return Sight(viewer.visibility, tuple(pitches))


# the state machine -----------------------------------------------------------------------------
# Which states each move starts from, and the state it leaves the pitch in.
MOVES: dict[str, tuple[frozenset[str], str]] = {
    "open": (frozenset({WAITING}), OPEN),
    "close": (frozenset({OPEN}), CLOSED),
    "reveal": (frozenset({CLOSED}), REVEALED),
    "reopen": (frozenset({CLOSED, REVEALED}), OPEN),
}


def next_pitch(store: Store, session_id: int, *, by: Viewer) -> int | None:
    """Close the current pitch (if open) and open the next waiting one; its position, or None
    when none is left."""
    require(by, "run_panel")

    def work(cur: duckdb.DuckDBPyConnection) -> int | None:
        _close_open(cur, session_id)
        following = cur.execute(
            "SELECT min(position) FROM panel_pitches WHERE session_id = ? AND state = ?",
            [session_id, WAITING],
        ).fetchone()[0]
        if following is not None:
            _move(cur, session_id, following, "open")
        derived.still_current(cur)
        return following

    return write(store, work)


def close_pitch(store: Store, session_id: int, position: int, *, by: Viewer) -> None:
    require(by, "run_panel")
    _single_move(store, session_id, position, "close")


def reveal_pitch(store: Store, session_id: int, position: int, *, by: Viewer) -> None:
    """Show a pitch's result; an open pitch is closed first (nobody scores a shown result)."""
    require(by, "run_panel")

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        if _state(cur, session_id, position) == OPEN:
            _move(cur, session_id, position, "close")
        _move(cur, session_id, position, "reveal")
        derived.still_current(cur)

    write(store, work)


def reopen_pitch(store: Store, session_id: int, position: int, *, by: Viewer) -> None:
    """Let members change their scores of a closed or revealed pitch again (the open one, if
    another, is closed: one pitch is scored at a time)."""
    require(by, "run_panel")

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        _close_open(cur, session_id)
        _move(cur, session_id, position, "reopen")
        derived.still_current(cur)

    write(store, work)


def _single_move(store: Store, session_id: int, position: int, move: str) -> None:
    def work(cur: duckdb.DuckDBPyConnection) -> None:
        _move(cur, session_id, position, move)
        derived.still_current(cur)

    write(store, work)


def _state(cur: duckdb.DuckDBPyConnection, session_id: int, position: int) -> str:
    found = cur.execute(
        "SELECT state FROM panel_pitches WHERE session_id = ? AND position = ?",
        [session_id, position],
    ).fetchone()
    if found is None:
        raise UnknownSessionError(session=f"{session_id}/{position}")
    return found[0]


def _move(cur: duckdb.DuckDBPyConnection, session_id: int, position: int, move: str) -> None:
    allowed, after = MOVES[move]
    state = _state(cur, session_id, position)
    if state not in allowed:
        raise PanelStateError(move=move, state=state)
    stamp = "opened_at" if after == OPEN else "closed_at" if after == CLOSED else None
    stamped = f", {stamp} = ?" if stamp else ""
    cur.execute(
        f"UPDATE panel_pitches SET state = ?{stamped} WHERE session_id = ? AND position = ?",
        [after, *([now_to_store()] if stamp else []), session_id, position],
    )
    if after == OPEN:
        cur.execute(
            "UPDATE panel_sessions SET current_position = ? WHERE id = ?", [position, session_id]
        )
    if after == CLOSED:  # the scores saved while it was open reach the summaries now
        innovation = cur.execute(
            "SELECT innovation_id FROM panel_pitches WHERE session_id = ? AND position = ?",
            [session_id, position],
        ).fetchone()[0]
        derived.refresh_in(cur, [innovation])
    elif changed := share_as_revealed(cur, session_id, position):  # revealed, or taken back
        derived.refresh_in(cur, changed)


def _close_open(cur: duckdb.DuckDBPyConnection, session_id: int) -> None:
    for (position,) in cur.execute(
        "SELECT position FROM panel_pitches WHERE session_id = ? AND state = ?",
        [session_id, OPEN],
    ).fetchall():
        _move(cur, session_id, position, "close")
