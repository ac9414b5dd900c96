"""Widgets of the lion's den: staff's control view, a member's phone view, the room's screen.

Every action writes the store at once (``sihub.panel``); what a view shows is read from the
store on each run, never kept in the session, so a reload, a phone waking up or an app restart
finds the session where it was. Views that others move on (the phone, the screen) look again
every few seconds in a small fragment.
"""

from __future__ import annotations

from sihub.errors import SihubError
from sihub.ui.frame import note_write, show_error

SCREEN_EVERY_S = 1.0  # the room sees a new score within this (the issue asks for 2 s)
PHONE_EVERY_S = 2.0  # a phone notices that staff moved on within this
MEMBER_PARAM, CODE_PARAM, SESSION_PARAM = "member", "code", "session"


def act(store, action, *args) -> bool:
    """Run a panel write; its error, if any, shown the one way. True when it was saved."""
    try:
        action(store, *args)
    except SihubError as e:
        show_error(e)
        return False
    note_write(store)
    return True


def int_param(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
