"""An innovation's case study in Social Innovation Match's terms and its development path in
Innokylä's: what the profile shows and the exports send.

A field no file gave is ``None`` here and "not recorded" on the page: a case study with a
gap is never filled with a guess (the problem addressed in Swedish is not the Finnish one).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.i18n import LANGUAGES, format_date, format_number

TEXTS = ("problem_addressed", "innovative_solution")  # one text per language given


@dataclass(frozen=True)
class CaseStudy:
    """The SIM fields of one innovation, named in one language; ``None`` where not recorded."""

    texts: dict[str, dict[str, str]]  # field -> language -> text, only the languages given
    countries: list[str]  # names of the countries involved, in the vocabulary's order
    level_of_action: str | None
    initiative_type: str | None
    funding_source: str | None
    budget: str | None
    programming_period: str | None
    project_start: object
    project_end: object

    @property
    def is_empty(self) -> bool:
        return not self.texts and not self.countries and all(v is None for v in self.facts_values())

    def facts_values(self) -> tuple:
        return (
            self.level_of_action,
            self.initiative_type,
            self.funding_source,
            self.budget,
            self.programming_period,
            self.project_start,
            self.project_end,
        )


def case_study(store: Store, innovation_id: int, lang: str) -> CaseStudy:
    """The innovation's SIM case-study fields with vocabulary names in ``lang``."""
    lang = sql_language(lang)
    row = store.records(
        f"""
        SELECT i.*, sc.name_{lang} AS level_name, it.name_{lang} AS initiative_name,
               fs.name_{lang} AS source_name
        FROM innovations i LEFT JOIN scopes sc ON sc.code = i.scope
        LEFT JOIN initiative_types it ON it.code = i.initiative_type
        LEFT JOIN funding_sources fs ON fs.code = i.funding_source
        WHERE i.id = ?""",
        [innovation_id],
    )[0]
    texts = {
        field: {x: row[f"{field}_{x}"] for x in LANGUAGES if row.get(f"{field}_{x}")}
        for field in TEXTS
    }
    return CaseStudy(
        texts={k: v for k, v in texts.items() if v},
        countries=countries(store, innovation_id, lang),
        level_of_action=row["level_name"],
        initiative_type=row["initiative_name"],
        funding_source=row["source_name"],
        budget=budget_text(row, lang),
        programming_period=row["programming_period"],
        project_start=row["project_start"],
        project_end=row["project_end"],
    )


def budget_text(row: dict, lang: str) -> str | None:
    """The budget as an amount in its currency ("250 000 EUR"), else as the file gave it."""
    if row.get("budget_amount") is not None:
        amount = format_number(row["budget_amount"], lang)
        return f"{amount} {row.get('budget_currency') or ''}".strip()
    return row.get("budget_text") or None


def project_period(start: object, end: object, lang: str) -> str | None:
    """The project's dates, "1.3.2023 – 28.2.2025"; an open end stays open."""
    if start is None and end is None:
        return None
    return f"{format_date(start, lang) if start else ''} – {format_date(end, lang) if end else ''}"


def countries(store: Store, innovation_id: int, lang: str) -> list[str]:
    """Names of the countries recorded as involved, in the vocabulary's order."""
    lang = sql_language(lang)
    return [
        r[0]
        for r in store.rows(
            f"SELECT c.name_{lang} FROM innovation_countries x "
            "JOIN countries c ON c.code = x.country_code "
            "WHERE x.innovation_id = ? ORDER BY c.sort_order",
            [innovation_id],
        )
    ]


def participants(store: Store, innovation_id: int, lang: str) -> pd.DataFrame:
    """Organisations with their role and country (lead first): organisation, role, country."""
    lang = sql_language(lang)
    return store.query(
        f"""
        SELECT o.name AS organisation, r.name_{lang} AS role, c.name_{lang} AS country,
               io.role AS role_code, o.country AS country_code
        FROM innovation_organisations io JOIN organisations o ON o.id = io.organisation_id
        LEFT JOIN participant_roles r ON r.code = io.role
        LEFT JOIN countries c ON c.code = o.country
        WHERE io.innovation_id = ?
        ORDER BY r.sort_order NULLS LAST, o.name""",
        [innovation_id],
    )


def development_path(store: Store, innovation_id: int) -> pd.DataFrame:
    """The dated steps of the innovation's development, oldest first."""
    return store.query(
        "SELECT step_on, step, description FROM development_steps "
        "WHERE innovation_id = ? ORDER BY step_on, step",
        [innovation_id],
    )
