"""Settings read from the environment, parsed strictly: a value that would switch a protection
off (an upload limit of ``nan``, ``inf``, ``-1`` or ``fifty``) stops SI Hub at start-up with a
message naming the variable, rather than being ignored or replaced by a default.

Streamlit-free: the command line, the frame and the importer read the same functions.
"""

from __future__ import annotations

import math
import os

from sihub.errors import SettingError

MAX_UPLOAD_VARIABLE = "SIHUB_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 50.0  # a form export of 100,000 rows is 14 MB; 50 leaves room
# Above this an upload would not fit beside the other users' work: Streamlit keeps an upload
# whole in memory, and reading it costs several times its size.
MAX_UPLOAD_MB_CEILING = 200.0


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


def check_settings() -> None:
    """Read every setting once, so that a bad one stops the program before it does anything."""
    max_upload_mb()
