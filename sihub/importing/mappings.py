"""Named mappings: a pilot's corrected column mapping and defaults, saved for its next file."""

from __future__ import annotations

from sihub.db import derived
from sihub.db.store import Store
from sihub.errors import SihubError
from sihub.importing.layout import Mapping

MAX_NAME = 80


class MappingNotFoundError(SihubError):
    """No mapping has been saved under this name."""

    key = "error.mapping_not_found"


class MappingNameError(SihubError):
    """A mapping needs a name (at most 80 characters)."""

    key = "error.mapping_name"


def _clean(name: object) -> str:
    text = " ".join(str(name or "").split())
    if not text or len(text) > MAX_NAME:
        raise MappingNameError(text, limit=MAX_NAME)
    return text


def save_mapping(store: Store, name: str, mapping: Mapping, layout: str | None = None) -> str:
    """Save (or replace) ``mapping`` under ``name``; returns the name as stored."""
    name = _clean(name)
    defaults = {k: v for k, v in mapping.defaults.items() if k != "name"}
    stored = Mapping(mapping.columns, mapping.sheet_kinds, defaults)
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO saved_mappings (name, layout, mapping) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET layout = excluded.layout, "
            "mapping = excluded.mapping, updated_at = now()",
            [name, layout, stored.to_json()],
        )
        derived.still_current(cur)
    return name


def load_mapping(store: Store, name: str) -> Mapping:
    """The mapping saved under ``name``, remembering its name for the import history."""
    found = store.scalar("SELECT mapping FROM saved_mappings WHERE name = ?", [name])
    if found is None:
        raise MappingNotFoundError(name, name=name)
    mapping = Mapping.from_json(found)
    mapping.defaults["name"] = name
    return mapping


def mapping_names(store: Store) -> list[str]:
    return [r[0] for r in store.rows("SELECT name FROM saved_mappings ORDER BY lower(name)")]
