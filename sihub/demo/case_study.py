"""The demo's Social Innovation Match fields, participants and development paths: columns added
to the Innovations sheet and two sheets of their own, filled for the fictional innovations.

Each innovation draws from a random generator of its own (seeded by its reference), so that the
rest of the demo (scores, summaries, awards) stays exactly what it was before these fields came.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sihub.demo.content import DEVELOPMENT_STEPS, FOREIGN_PARTNERS, ORGANISATIONS, THEME_PROBLEMS

CASE_STUDY_COLUMNS = (
    "problem_addressed_fi",
    "problem_addressed_sv",
    "problem_addressed_en",
    "innovative_solution_fi",
    "innovative_solution_sv",
    "innovative_solution_en",
    "countries",
    "initiative_type",
    "funding_source",
    "budget_amount",
    "budget_currency",
    "budget_text",
    "programming_period",
    "project_start",
    "project_end",
)
INTERREG_SHARE = 0.12  # regional models with a partner across the border (Interreg)
# stage -> how many steps of DEVELOPMENT_STEPS it has walked
STEPS_BY_STAGE = {
    "prompts": 1,
    "proposals": 2,
    "prototypes": 3,
    "sustaining": 4,
    "scaling": 6,
    "systemic": 6,
}


def _rng(inn) -> random.Random:
    return random.Random(f"sim-{inn.ref}")


def foreign_partners(inn) -> list[tuple[str, str, str]]:
    """The partners abroad of an innovation: the whole consortium of a European network, one
    neighbour's association for a few regional models."""
    if inn.concept[4] in ("european", "international"):
        return list(FOREIGN_PARTNERS)
    if inn.concept[4] == "regional" and _rng(inn).random() < INTERREG_SHARE:
        return [FOREIGN_PARTNERS[_rng(inn).randrange(2)]]  # Sweden or Estonia
    return []


def with_case_study(rows: list[list], innovations: list) -> list[list]:
    """The Innovations sheet's rows with the case-study columns added."""
    out = [[*rows[0], *CASE_STUDY_COLUMNS]]
    for row, inn in zip(rows[1:], innovations, strict=True):
        out.append([*row, *_case_study(inn)])
    return out


def _case_study(inn) -> list:
    rng = _rng(inn)
    problem_fi, problem_en = THEME_PROBLEMS.get(inn.concept[1][0], THEME_PROBLEMS["loneliness"])
    european = bool(foreign_partners(inn)) or inn.concept[4] == "european"
    # SIM takes English, so an EU consortium writes it; many Innokylä entries are Finnish only
    english = rng.random() < 0.6 or european
    swedish = rng.random() < 0.15
    solution_fi = f"Toimintamalli {inn.concept[3]}."
    solution_en = "An operating model co-created with the people it serves." if english else None
    kind = rng.choices(["service", "project", "network", "programme", None], [5, 3, 1, 1, 1])[0]
    source = (
        "public_eu"
        if european
        else rng.choice(["public_regional", "public_national", "philanthropic", "mixed", None])
    )
    amount, text = _budget(rng)
    start = inn.created
    end = start + timedelta(days=rng.choice((730, 1095))) if kind == "project" or european else None
    return [
        problem_fi,
        "Tjänsterna når inte dem som behöver dem mest." if swedish else None,
        problem_en if english else None,
        solution_fi,
        "En verksamhetsmodell som utvecklats tillsammans med målgruppen." if swedish else None,
        solution_en,
        "; ".join(["FI", *(country for _, _, country in foreign_partners(inn))]),
        kind,
        source,
        amount,
        "EUR" if amount is not None else None,
        text,
        _period(start) if source == "public_eu" else None,
        start if (kind == "project" or european) else None,
        end,
    ]


def _budget(rng: random.Random) -> tuple[float | None, str | None]:
    """An amount in euros for most, the budget in words for a few, nothing for the rest."""
    draw = rng.random()
    if draw < 0.6:
        return float(rng.randrange(40, 1200) * 1000), None
    if draw < 0.7:
        return None, "Noin 300 000 euroa kolmelle vuodelle, osin omarahoitusta."
    return None, None


def _period(start: date) -> str:
    return "2014–2020" if start.year < 2021 else "2021–2027"


def participant_rows(innovations: list) -> list[list]:
    """The Participants sheet: partners abroad with their countries, and a pilot site for
    some models (a municipality of the demo's own, in Finland)."""
    rows = [["innovation", "organisation", "role", "country"]]
    municipalities = [o[0] for o in ORGANISATIONS if o[1] == "municipality"]
    for inn in innovations:
        for name, _, country in foreign_partners(inn):
            rows.append([inn.ref, name, "partner", country])
        if inn.concept[4] == "local" and _rng(inn).random() < 0.3:
            rows.append([inn.ref, _rng(inn).choice(municipalities), "pilot_site", "FI"])
    return rows


def development_path_rows(innovations: list, today: date) -> list[list]:
    """The DevelopmentPath sheet: the steps each innovation has walked, dated between its
    creation and its last change (never after the reference date)."""
    rows = [["innovation", "step_on", "step", "description"]]
    for inn in innovations:
        steps = DEVELOPMENT_STEPS[: STEPS_BY_STAGE.get(inn.stage, 1)]
        span = max((min(inn.modified, today) - inn.created).days, len(steps))
        for n, (step, description) in enumerate(steps):
            rows.append([inn.ref, inn.created + timedelta(days=span * n // len(steps)), step,
                         description])  # fmt: skip
    return rows
