"""A panel session on a store: two pitches of the hub's innovations (or new ones), members."""

from __future__ import annotations

from datetime import date

from sihub.db.store import Store
from sihub.panel import sessions
from tests.builders import BY_STAFF, staff_by

DAY = date(2026, 11, 5)


def panel_session(store: Store, members: int = 3, pitches: int = 2) -> int:
    """A session on the shipped panel framework with ``pitches`` new innovations and
    ``members`` members named Member 1, Member 2, ...; its id."""
    session_id = sessions.create_session(store, "SI Day", DAY, "panel", by=staff_by("local:staff"))
    for n in range(1, pitches + 1):
        sessions.add_new_pitch(store, session_id, f"Pitch {n}", f"Org {n}", by=BY_STAFF)
    for n in range(1, members + 1):
        sessions.add_member(store, session_id, f"Member {n}")
    return session_id
