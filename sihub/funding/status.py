"""The one definition of a call's status, and of "today".

A call's status depends on the day: it is *forthcoming* before its opening day, *open* until
the end of its deadline day (the deadline day itself is open), *closing* when the deadline is
at most ``CLOSING_WITHIN_DAYS`` days away, *closed* after the deadline, and *continuous* when
it takes applications all the time. "Today" is the day in Finland (Europe/Helsinki), whatever
the server's clock or time zone says: a call closing on 30 June is still open at 23:30 in
Helsinki, when it is already 1 July in Tokyo and still 30 June in UTC.

Everything that asks what day it is (statuses, the demo's reference date, the importer's check
for dates in the future, the time stamps and names of exports) asks ``today_in_finland`` or
``now_in_finland``, in the app, on the command line and in the demo alike; ``SIHUB_TODAY``
fixes the day for all of them (``settings.fixed_today``).

Times the hub writes into the store (an import, an undo, a saved score) are stamped from the
same clock (``now_to_store``), never by the database's ``current_timestamp``, which follows the
server's zone and ignores ``SIHUB_TODAY``. The store keeps them as naive UTC: unambiguous in
DuckDB and PostgreSQL alike, even in the hour that repeats when summer time ends, and what
``current_timestamp`` wrote on a UTC server before. Whatever shows them (pages, the undo
question, exports, the command line) shows Finnish wall time, through ``finnish_time`` or
``finnish_times``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from sihub.settings import fixed_today

FINLAND = ZoneInfo("Europe/Helsinki")
CLOSING_WITHIN_DAYS = 30  # "closing soon": a month is the least time to write an application
STATUSES = ("open", "closing", "continuous", "forthcoming", "closed")  # display order
ACCEPTING = ("open", "closing", "continuous")  # statuses that take applications today


def today_in_finland(now: datetime | None = None) -> date:
    """The date in Finland at ``now``; naive times are taken as UTC. Without ``now``: the day
    ``SIHUB_TODAY`` fixes, else the date in Finland at this instant."""
    if now is None:
        fixed = fixed_today()
        if fixed is not None:
            return fixed
        now = datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(FINLAND).date()


def now_in_finland() -> datetime:
    """This instant as the clock in Finland shows it (aware, Europe/Helsinki), on the day
    ``today_in_finland`` gives: an export's time stamp and file name agree with its statuses."""
    now = datetime.now(FINLAND).replace(microsecond=0)
    fixed = fixed_today()
    return now if fixed is None else datetime.combine(fixed, now.time(), tzinfo=FINLAND)


def now_to_store(on: date | None = None) -> datetime:
    """``now_in_finland`` as the store keeps it (naive UTC); on the day ``on`` when given (a
    demo built for its reference day), at the time of day in Finland."""
    now = now_in_finland()
    if on is not None:
        now = datetime.combine(on, now.time(), tzinfo=FINLAND)
    return now.astimezone(UTC).replace(tzinfo=None)


def finnish_time(stored: datetime | None) -> datetime | None:
    """A time as the store keeps it (naive UTC) as the clock in Finland showed it (naive)."""
    if stored is None or pd.isna(stored):
        return None
    return stored.replace(tzinfo=UTC).astimezone(FINLAND).replace(tzinfo=None)


def finnish_times(stored: pd.Series) -> pd.Series:
    """``finnish_time`` for a column of stored times (missing ones stay missing)."""
    utc = pd.to_datetime(stored).dt.tz_localize(UTC)
    return utc.dt.tz_convert(FINLAND).dt.tz_localize(None)


def call_status(
    opens_on: date | None, deadline: date | None, continuous: bool | None, today: date
) -> str:
    """A call's status on ``today`` (see the module docstring); ``status_sql`` says the same."""
    if deadline is not None and deadline < today:
        return "closed"
    if opens_on is not None and opens_on > today:
        return "forthcoming"
    if deadline is not None and deadline <= today + timedelta(days=CLOSING_WITHIN_DAYS):
        return "closing"
    return "continuous" if continuous else "open"


def status_sql(today: str = "?") -> str:
    """SQL for ``call_status`` over ``funding_opportunities``; ``today`` is a DATE parameter."""
    return (
        f"CASE WHEN deadline IS NOT NULL AND deadline < {today} THEN 'closed' "
        f"WHEN opens_on IS NOT NULL AND opens_on > {today} THEN 'forthcoming' "
        f"WHEN deadline IS NOT NULL AND deadline <= {today} + INTERVAL {CLOSING_WITHIN_DAYS} DAY "
        f"THEN 'closing' WHEN continuous THEN 'continuous' ELSE 'open' END"
    )


def status_counts(df: pd.DataFrame) -> dict[str, int]:
    """Calls per status, every status present (zero when none)."""
    counts = df.status.value_counts().to_dict() if not df.empty else {}
    return {s: int(counts.get(s, 0)) for s in STATUSES}
