"""Settings read from the environment, parsed strictly: a value that would switch a protection
off (an upload limit of ``nan``, ``inf``, ``-1`` or ``fifty``) stops SI Hub at start-up with a
message naming the variable, rather than being ignored or replaced by a default.

Streamlit-free: the command line, the frame and the importer read the same functions.
"""

from __future__ import annotations

import math
import os
from datetime import date
from urllib.parse import urlsplit

from sihub.errors import SettingError, TodaySettingError, UrlSettingError

MAX_UPLOAD_VARIABLE = "SIHUB_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 50.0  # a form export of 100,000 rows is 14 MB; 50 leaves room
# Above this an upload would not fit beside the other users' work: Streamlit keeps an upload
# whole in memory, and reading it costs several times its size.
MAX_UPLOAD_MB_CEILING = 200.0
# Fixes the day SI Hub takes as "today" (YYYY-MM-DD), so that a demo or a test shows the same
# statuses, dates and file names whenever it runs; ``funding.status.today_in_finland`` reads it.
TODAY_VARIABLE = "SIHUB_TODAY"
# The hub's address as its users open it (https://sihub.example.fi/), for the links written
# into downloads; without it a page takes the address its browser used.
URL_VARIABLE = "SIHUB_URL"


def max_upload_mb() -> float:
    """The upload limit in MB (``SIHUB_MAX_UPLOAD_MB``, default 50), read at each call.

    Raises SettingError when the variable is set to anything but a finite number above 0
    and at most MAX_UPLOAD_MB_CEILING.
    """
    raw = os.environ.get(MAX_UPLOAD_VARIABLE)
    if raw is None or not raw.strip():
        return DEFAULT_MAX_UPLOAD_MB
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= MAX_UPLOAD_MB_CEILING):
        raise SettingError(
            raw,
            variable=MAX_UPLOAD_VARIABLE,
            value=raw,
            high=f"{MAX_UPLOAD_MB_CEILING:g}",
            default=f"{DEFAULT_MAX_UPLOAD_MB:g}",
        )
    return value


def fixed_today() -> date | None:
    """The day ``SIHUB_TODAY`` fixes as today, or None when it is unset (the clock decides).

    Raises TodaySettingError when the variable holds anything but a date YYYY-MM-DD: a typo
    must not silently give the real day in a demo that promises a fixed one.
    """
    raw = os.environ.get(TODAY_VARIABLE)
    if raw is None or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise TodaySettingError(raw, variable=TODAY_VARIABLE, value=raw) from None


def public_url() -> str | None:
    """The hub's address (``SIHUB_URL``) ending in "/", or None when it is unset.

    Raises UrlSettingError for anything but an http(s) address without a query or fragment:
    a link written into a file must open the hub.
    """
    raw = os.environ.get(URL_VARIABLE)
    if raw is None or not raw.strip():
        return None
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UrlSettingError(raw, variable=URL_VARIABLE, value=raw)
    return raw.strip().rstrip("/") + "/"


def check_settings() -> None:
    """Read every setting once, so that a bad one stops the program before it does anything."""
    max_upload_mb()
    fixed_today()
    public_url()
