"""The vocabularies (regions, stages, themes, target groups, ...): the one list of their tables,
and their names in a language.

``VOCABULARY_TABLES`` is every vocabulary of ``data/vocabularies.toml``, in the order they are
loaded; a table name reaches SQL only from this list.
"""

from __future__ import annotations

from sihub.db.store import Store
from sihub.i18n import LANGUAGES

VOCABULARY_TABLES = (
    "regions",
    "stages",
    "target_groups",
    "themes",
    "org_types",
    "funder_types",
    "dimensions",
    "instruments",
    "scopes",
    "assessment_types",
    "countries",
    "initiative_types",
    "funding_sources",
    "participant_roles",
    "lead_types",
)


def vocabulary_names(store: Store, table: str, lang: str) -> dict[str, str]:
    """Code -> name in ``lang`` for one vocabulary table, in the vocabulary's order."""
    if table not in VOCABULARY_TABLES or lang not in LANGUAGES:
        raise ValueError(f"{table}/{lang}")
    return dict(store.rows(f"SELECT code, name_{lang} FROM {table} ORDER BY sort_order, code"))


def all_vocabulary_names(store: Store, lang: str) -> dict[str, dict[str, str]]:
    """``vocabulary_names`` of every vocabulary table (for the call filter and the catalogue)."""
    return {table: vocabulary_names(store, table, lang) for table in VOCABULARY_TABLES}
