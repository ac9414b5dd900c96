"""What the exports for Innokylä and SIM send of each innovation, gathered in one pass: the
innovation's own fields, its lead and partners, regions, countries, participants and
development path. Names of vocabularies come in the language the target system reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sihub.db.sql import sql_language
from sihub.db.store import Store


@dataclass
class Entry:
    """One innovation as the exports see it."""

    record: dict  # the innovations row, with vocabulary names (scope_name, ...) beside codes
    lead: str | None = None
    partners: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    participants: list[dict] = field(default_factory=list)  # organisation, role, country
    steps: list[dict] = field(default_factory=list)  # step_on, step, description
    validation: object = None  # sihub.sim.validation.Validation, for SIM

    @property
    def id(self) -> int:
        return int(self.record["id"])

    def get(self, name: str) -> object:
        return self.record.get(name)


def entries(store: Store, innovation_ids: Sequence[int], lang: str) -> list[Entry]:
    """The innovations of ``innovation_ids``, in that order (ids the store lacks left out)."""
    lang = sql_language(lang)
    ids = [int(i) for i in innovation_ids]
    rows = store.records(
        f"""SELECT i.*, sc.name_{lang} AS scope_name, it.name_{lang} AS initiative_name,
                   fs.name_{lang} AS source_name
            FROM innovations i LEFT JOIN scopes sc ON sc.code = i.scope
            LEFT JOIN initiative_types it ON it.code = i.initiative_type
            LEFT JOIN funding_sources fs ON fs.code = i.funding_source
            WHERE list_contains(?::INTEGER[], i.id)""",
        [ids],
    )
    found = {int(r["id"]): Entry(r) for r in rows}
    _add_organisations(store, found, ids, lang)
    _add_names(store, found, ids, lang)
    _add_steps(store, found, ids)
    return [found[i] for i in ids if i in found]


def _add_organisations(store: Store, found: dict[int, Entry], ids: list[int], lang: str) -> None:
    for innovation_id, name, role, role_name, country in store.rows(
        f"""SELECT io.innovation_id, o.name, io.role, r.name_{lang}, c.name_{lang}
            FROM innovation_organisations io JOIN organisations o ON o.id = io.organisation_id
            LEFT JOIN participant_roles r ON r.code = io.role
            LEFT JOIN countries c ON c.code = o.country
            WHERE list_contains(?::INTEGER[], io.innovation_id)
            ORDER BY r.sort_order NULLS LAST, o.name""",
        [ids],
    ):
        entry = found[innovation_id]
        if role == "lead" and entry.lead is None:
            entry.lead = name
        elif role == "partner":
            entry.partners.append(name)
        entry.participants.append({"organisation": name, "role": role_name, "country": country})


def _add_names(store: Store, found: dict[int, Entry], ids: list[int], lang: str) -> None:
    """Regions and countries by name, in their vocabulary's order."""
    for attribute, link, column, table in (
        ("regions", "innovation_regions", "region_code", "regions"),
        ("countries", "innovation_countries", "country_code", "countries"),
    ):
        for innovation_id, name in store.rows(
            f"SELECT x.innovation_id, v.name_{lang} FROM {link} x "
            f"JOIN {table} v ON v.code = x.{column} "
            "WHERE list_contains(?::INTEGER[], x.innovation_id) ORDER BY v.sort_order",
            [ids],
        ):
            getattr(found[innovation_id], attribute).append(name)


def _add_steps(store: Store, found: dict[int, Entry], ids: list[int]) -> None:
    for innovation_id, step_on, step, description in store.rows(
        "SELECT innovation_id, step_on, step, description FROM development_steps "
        "WHERE list_contains(?::INTEGER[], innovation_id) ORDER BY step_on, step",
        [ids],
    ):
        found[innovation_id].steps.append(
            {"step_on": step_on, "step": step, "description": description}
        )
