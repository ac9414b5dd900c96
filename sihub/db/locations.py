"""Where a store is: a DuckDB file's path, or a PostgreSQL database's URL."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

URL_SCHEMES = ("postgresql", "postgres")


def is_postgres_url(path: object) -> bool:
    """Whether ``path`` names a PostgreSQL database (``postgresql://user@host/db``)."""
    return str(path).split("://", 1)[0].lower() in URL_SCHEMES and "://" in str(path)


def redacted(url: str) -> str:
    """``url`` without its password, for messages, logs and the page."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
