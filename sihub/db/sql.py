"""Identifiers in SQL: the only way a name that is not a bound value reaches a query.

Values always travel as bound parameters. A few names cannot (a column per language such as
``name_fi``, a table from our own declarations); they pass through these guards, which accept
only what the code itself declares and refuse anything else before it reaches SQL.
"""

from __future__ import annotations

from sihub.i18n import LANGUAGES


def sql_language(lang: str) -> str:
    """``lang`` if it is one of our language codes (safe inside a column name like
    ``name_{lang}``); anything else, say from a URL, raises ValueError."""
    if lang not in LANGUAGES:
        raise ValueError(f"not a language code: {lang!r}")
    return lang


def declared(name: str, allowed: tuple[str, ...] | frozenset[str]) -> str:
    """``name`` if the code declares it in ``allowed`` (a table or column list of our own)."""
    if name not in allowed:
        raise ValueError(f"not a declared identifier: {name!r}")
    return name
