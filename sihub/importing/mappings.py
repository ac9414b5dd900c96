"""Named mappings: a pilot's corrected column mapping and defaults, saved for its next file.

The command line also takes a mapping as a JSON file of the same form, e.g.
``{"columns": {"Form": {"column:F": "field:assessor_email"}}, "values": {"assessment_type":
{"asiantuntija": "expert"}}}`` (a column without a header is keyed by its letter, see
``layout.unnamed_key``; a value by the cell folded).
"""

from __future__ import annotations

import json
from pathlib import Path

from sihub.access import Viewer, require
from sihub.db import derived
from sihub.db.store import Store
from sihub.errors import SihubError
from sihub.funding.status import now_to_store
from sihub.importing.layout import Mapping
from sihub.importing.specs import ASSESSMENT_KINDS, SPECS_BY_ENTITY
from sihub.importing.writer import one_writer, retried

MAX_NAME = 80


class MappingNotFoundError(SihubError):
    """No mapping has been saved under this name."""

    key = "error.mapping_not_found"


class MappingFileError(SihubError):
    """A mapping file cannot be read, or does not hold a mapping."""

    key = "error.mapping_file"


class MappingOptionError(SihubError):
    """A --map-value, --map-column or --map-scale option that does not say what it maps."""

    key = "error.mapping_option"


class MappingNameError(SihubError):
    """A mapping needs a name (at most 80 characters)."""

    key = "error.mapping_name"


def _clean(name: object) -> str:
    text = " ".join(str(name or "").split())
    if not text or len(text) > MAX_NAME:
        raise MappingNameError(text, limit=MAX_NAME)
    return text


def save_mapping(
    store: Store,
    name: str,
    mapping: Mapping,
    layout: str | None = None,
    *,
    by: Viewer,
) -> str:
    """Save (or replace) ``mapping`` under ``name`` for ``by`` (staff only: NotAllowedError
    otherwise), recorded as who saved it; returns the name as stored."""
    require(by, "import")
    saved_by = by.identity
    name = _clean(name)
    defaults = {k: v for k, v in mapping.defaults.items() if k != "name"}
    stored = mapping.copy(defaults=defaults)

    def write() -> None:
        with store.transaction() as cur:
            cur.execute(
                "INSERT INTO saved_mappings (name, layout, mapping, saved_by, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET layout = excluded.layout, "
                "mapping = excluded.mapping, saved_by = excluded.saved_by, "
                "updated_at = excluded.created_at",
                [name, layout, stored.to_json(), saved_by, now_to_store()],
            )
            derived.still_current(cur)

    with one_writer(store):  # in turn with imports, which write the same data version
        retried(write)
    return name


def load_mapping(store: Store, name: str) -> Mapping:
    """The mapping saved under ``name``, remembering its name for the import history."""
    found = store.scalar("SELECT mapping FROM saved_mappings WHERE name = ?", [name])
    if found is None:
        raise MappingNotFoundError(name, name=name)
    mapping = Mapping.from_json(found)
    mapping.defaults["name"] = name
    return mapping


def pilot_mapping(store: Store, pilot: str) -> Mapping | None:
    """The mapping saved under the pilot's name (case aside), if one is: the answers given for
    the pilot's earlier file, for its next one."""
    found = store.scalar(
        "SELECT name FROM saved_mappings WHERE lower(name) = lower(?) ORDER BY name LIMIT 1",
        [pilot.strip()],
    )
    return load_mapping(store, found) if found else None


def mapping_names(store: Store) -> list[str]:
    return [r[0] for r in store.rows("SELECT name FROM saved_mappings ORDER BY lower(name)")]


def mapping_from_file(path: Path) -> Mapping:
    """The mapping in a JSON file (the form ``Mapping.to_json`` writes), named by the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise MappingFileError(str(e)[:200], path=str(path)) from e
    if not _is_mapping(data):
        raise MappingFileError("", path=str(path))
    mapping = Mapping.from_json(json.dumps(data))
    mapping.defaults["name"] = path.stem
    return mapping


def _is_mapping(data: object) -> bool:
    """Tables of texts where the layout step looks texts up (anything else would be a crash)."""

    def texts(table: object) -> bool:
        return isinstance(table, dict) and all(isinstance(v, str) for v in table.values())

    def tables(of: object) -> bool:
        return isinstance(of, dict) and all(texts(table) for table in of.values())

    if not isinstance(data, dict):
        return False
    return (
        tables(data.get("columns", {}))
        and texts(data.get("sheet_kinds", {}))
        and isinstance(data.get("defaults", {}), dict)
        and tables(data.get("values", {}))
        and tables(data.get("scales", {}))
    )


def with_answers(
    mapping: Mapping,
    values: list[str] = (),
    columns: list[str] = (),
    scales: list[str] = (),
) -> Mapping:
    """``mapping`` with the command line's answers: ``FIELD:VALUE=CODE`` (an empty CODE leaves
    the value empty), ``[KIND:]KEY=TARGET`` and ``[KIND:]KEY=SCALE``; a column without a kind is
    meant for every sheet of assessments (Form, Assessments, Long)."""
    changed = mapping.copy()
    for option in values:
        field_name, value, code = _split(option, "--map-value", needs_field=True)
        changed = changed.value(field_name, value, code)
    for option in columns:
        kind, key, target = _split(option, "--map-column")
        for each in (kind,) if kind else ASSESSMENT_KINDS:
            changed = changed.override(each, key, target)
    for option in scales:
        kind, key, scale = _split(option, "--map-scale")
        for each in (kind,) if kind else ASSESSMENT_KINDS:
            changed = changed.scale(each, key, scale)
    return changed


def _split(option: str, name: str, needs_field: bool = False) -> tuple[str | None, str, str]:
    """``FIRST:MIDDLE=LAST`` -> (first, middle, last); the first part only when it names a kind
    of sheet (or, with ``needs_field``, always); the last after the last "="."""
    head, equals, last = option.rpartition("=")
    if not equals or not head.strip():
        raise MappingOptionError(option, option=name, given=option)
    first, colon, middle = head.partition(":")
    if needs_field:
        if not colon or not first.strip() or not middle.strip():
            raise MappingOptionError(option, option=name, given=option)
        return first.strip(), middle.strip(), last.strip()
    if colon and first in SPECS_BY_ENTITY:
        return first, middle.strip(), last.strip()
    return None, head.strip(), last.strip()
