"""Where a store is: a DuckDB file's path, or a PostgreSQL database's URL."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

URL_SCHEMES = ("postgresql", "postgres")


def is_postgres_url(path: object) -> bool:
    """Whether ``path`` names a PostgreSQL database (``postgresql://user@host/db``)."""
    return str(path).split("://", 1)[0].lower() in URL_SCHEMES and "://" in str(path)


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")  # two letters at least: never C:\


def mistyped_url(path: object) -> str | None:
    """The scheme of a location that starts like an address but is no PostgreSQL URL
    (``postgresql:/host/db``, ``mysql://…``): taken as a path, it would silently make a
    new DuckDB file of it. None for a PostgreSQL URL or a path."""
    text = str(path)
    found = _SCHEME.match(text)
    if is_postgres_url(text) or found is None:
        return None
    scheme = found.group(1)
    looks = scheme.lower() in URL_SCHEMES or text[found.end() :].startswith("//")
    return scheme if looks else None


def redacted(url: str) -> str:
    """``url`` without its password, for messages, logs and the page."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
