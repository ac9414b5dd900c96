"""The demo data: realistic, fictional workbooks built deterministically for a reference date.

``generate_demo_workbooks`` writes the canonical hub workbooks into ``data/demo/``; the demo
store is then built by importing them through the same loader as any other workbook, so the
demo exercises exactly the code path of real imports. Dates (assessment rounds, call deadlines)
are placed relative to the reference date, so the demo stays current; the same date always
gives the same files.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import openpyxl

from sihub import DATA_DIR
from sihub.access import Role, Viewer
from sihub.db import connect, derived, meta
from sihub.db.copying import CopyTargetNotEmptyError, copy_store
from sihub.db.locations import is_postgres_url, redacted
from sihub.demo.case_study import development_path_rows, participant_rows, with_case_study
from sihub.demo.content import (
    ASSESSORS,
    AWARD_FUNDERS,
    COMMENTS,
    CONCEPTS,
    CONSORTIUM_RULES,
    FOREIGN_PARTNERS,
    FUNDING,
    INVENTED,
    ORGANISATIONS,
    OTHER_SCALE_FRAMEWORKS,
    QUESTIONS,
    STAGE_PROFILE,
    SUMMARY_DISAGREEMENT,
    SUMMARY_EVEN,
    SUMMARY_OPENINGS,
    SUMMARY_PHRASES,
    TRAFFIC_LIGHTS,
)
from sihub.errors import SihubError
from sihub.exports import DEMO_MARK
from sihub.funding.status import now_to_store, today_in_finland
from sihub.importing import import_file
from sihub.importing.specs import SPECS_BY_ENTITY
from sihub.reference import sync_reference_data
from sihub.scores import DISAGREEMENT

DEMO_DIR = DATA_DIR / "demo"
DEMO_BUILDER = Viewer(Role.STAFF, identity="demo")  # the import history's "who" of the demo
SEED = 20231107  # the first Social Innovation Day; any fixed number keeps the demo stable
TARGET_INNOVATIONS = 80
STAGES = ("prompts", "proposals", "prototypes", "sustaining", "scaling", "systemic")
SI_CRITERIA = (
    "need",
    "novelty",
    "in_practice",
    "effectiveness",
    "evidence",
    "participation",
    "collaboration",
    "sustainability",
    "transferability",
    "systemic",
)
# Every eighth innovation's external assessments are published: a few results for the public
# view (sihub.access); the funder's own ratings stay internal and are never published.
PUBLISHED_EVERY = 8
SI_SCALE = (1, 5)  # the SI tool's scale (data/frameworks/si_tool.toml): lowest and highest score
MATURITY_CRITERIA = {"in_practice", "evidence", "sustainability", "transferability", "systemic"}
CATALOGUE_FILE = "demo-catalogue.xlsx"
OTHER_SCALES_FILE = "demo-assessments-other-scales.xlsx"
DEMO_COLLECTION = "Esimerkkipilotin arvioinnit"  # Innokylä's "kokonaisuus" of the demo's models
ABOUT_SHEET = "About"  # the demo mark of every demo workbook (``_about_rows``)


class DemoStoreExistsError(SihubError):
    """The target store exists and replacing it was not asked for."""

    key = "error.demo_exists"


@dataclass
class Innovation:
    ref: str
    name: str
    concept: tuple
    lead: int
    partners: list[int]
    region: str
    place: str
    stage: str
    created: date
    modified: date
    quality: dict[str, float]


def _instances() -> list[tuple[tuple, tuple]]:
    """(concept, instance) pairs, topped up to TARGET_INNOVATIONS with further local variants."""
    pairs = [(c, inst) for c in CONCEPTS for inst in c[5]]
    rng = random.Random(SEED)
    local = [c for c in CONCEPTS if c[4] in ("local", "regional")]
    while len(pairs) < TARGET_INNOVATIONS:
        concept = local[len(pairs) % len(local)]
        used = {inst[2] for c, inst in pairs if c is concept}
        candidates = [
            i
            for i, org in enumerate(ORGANISATIONS)
            if org[2] not in used
            and org[2] not in ("national", "international")
            and org[1] in ("association", "foundation", "municipality", "cooperative")
        ]
        lead = rng.choice(candidates)
        pairs.append((concept, (lead, [], ORGANISATIONS[lead][2], ORGANISATIONS[lead][3])))
    return pairs


def _innovations(today: date, rng: random.Random) -> list[Innovation]:
    pairs = _instances()
    counts: dict[str, int] = {}
    for concept, _ in pairs:
        counts[concept[0]] = counts.get(concept[0], 0) + 1
    result = []
    for number, (concept, (lead, partners, region, place)) in enumerate(pairs, start=1):
        name = concept[0] if counts[concept[0]] == 1 else f"{concept[0]} – {place}"
        stage = rng.choice(STAGE_PROFILE)
        age = (
            rng.randint(120, 2400)
            if stage not in ("prompts", "proposals")
            else rng.randint(30, 700)
        )
        created = today - timedelta(days=age)
        stale = rng.random() < 0.1
        modified = created + timedelta(days=rng.randint(0, age // 3 if stale else age))
        level = STAGES.index(stage)
        quality = {
            c: min(
                4.6, max(1.4, rng.gauss(2.6 + 0.2 * level * (c in MATURITY_CRITERIA) + 0.3, 0.6))
            )
            for c in SI_CRITERIA
        }
        result.append(
            Innovation(
                f"DEMO-{number:03d}",
                name,
                concept,
                lead,
                partners,
                region,
                place,
                stage,
                created,
                modified,
                quality,
            )
        )
    return result


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A real .xlsx file, one sheet per entry, rows as given (the demo's and the tests')."""
    wb = openpyxl.Workbook(write_only=True)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _organisation_rows() -> list[list]:
    rows = [["ref", "name", "org_type", "region", "municipality", "country", "description"]]
    for i, (name, org_type, region, municipality) in enumerate(ORGANISATIONS, start=1):
        rows.append(
            [
                f"ORG-{i:03d}",
                name,
                org_type,
                region,
                municipality,
                "FI",
                "Demoaineiston kuvitteellinen organisaatio.",
            ]
        )
    for n, (name, org_type, country) in enumerate(FOREIGN_PARTNERS, start=len(rows)):
        rows.append(
            [f"ORG-{n:03d}", name, org_type, None, None, country, "Demo: a fictional partner."]
        )
    return rows


# Who funds an innovation, as Innokylä's free text says it: fictional or generic, never a real
# funder (that would say a real funder paid for a fictional, scored innovation).
FUNDER_TEXTS = (
    "Esimerkkisäätiö",
    "Kuvitelmarahasto",
    "Ei erillisrahoitusta",
    "Hyvinvointialueen oma rahoitus",
    "Kunnan rahoitus",
    "Säätiön avustus",
)


def _innovation_rows(innovations: list[Innovation], rng: random.Random) -> list[list]:
    rows = [
        [
            "ref",
            "name",
            "short_description",
            "basic_idea",
            "target_group_insight",
            "adoption_conditions",
            "implementation_place",
            "scope",
            "funder_text",
            "collection",
            "stage",
            "created_on",
            "modified_on",
            "lead_organisation",
            "partner_organisations",
            "regions",
            "themes",
            "target_groups",
        ]
    ]
    for inn in innovations:
        concept = inn.concept
        does = concept[3]
        # A few records lack fields on purpose, as real Innokylä entries do.
        gaps = rng.random()
        rows.append(
            [
                inn.ref,
                inn.name,
                f"Toimintamalli, joka {does}.",
                f"Perusajatus: {does[0].upper() + does[1:]}. Työ tehdään yhdessä kohderyhmän ja "
                f"paikallisten toimijoiden kanssa, ja mallia kehitetään kokemusten perusteella.",
                None
                if gaps < 0.15
                else "Kohderyhmän kanssa tehdyt haastattelut osoittivat, että "
                "nykyiset palvelut ovat hajallaan ja vaikeasti löydettävissä.",
                None
                if gaps < 0.25
                else "Vaatii koulutetun koordinaattorin, sitoutuneet "
                "yhteistyökumppanit ja tilat, joihin kohderyhmän on helppo tulla.",
                inn.place,
                concept[4],
                rng.choice(FUNDER_TEXTS),
                # a fictional collection: Innokylä's real pilot collection never assessed these
                DEMO_COLLECTION if rng.random() < 0.4 else None,
                inn.stage,
                inn.created,
                inn.modified,
                ORGANISATIONS[inn.lead][0],
                "; ".join(ORGANISATIONS[p][0] for p in inn.partners) or None,
                None if gaps > 0.95 else inn.region,
                "; ".join(concept[1]),
                None if 0.9 < gaps <= 0.95 else "; ".join(concept[2]),
            ]
        )
    return rows


def _stage_history_rows(
    innovations: list[Innovation], today: date, rng: random.Random
) -> list[list]:
    rows = [["innovation", "stage", "entered_on", "note"]]
    for inn in innovations:
        reached = STAGES.index(inn.stage)
        first = 0 if rng.random() < 0.5 else 1
        steps = list(range(min(first, reached), reached + 1))
        span = max((min(inn.modified, today) - inn.created).days, len(steps))
        for n, step in enumerate(steps):
            when = inn.created + timedelta(days=span * n // max(len(steps), 1))
            rows.append([inn.ref, STAGES[step], when, None])
    return rows


def _answer_rows(assessed: list[Innovation], today: date) -> list[list]:
    rows = [["innovation", "question_no", "question", "answer", "answered_on"]]
    names = _target_group_names()

    def groups(codes: list[str]) -> str:
        return ", ".join(names[c][0].lower() + names[c][1:] for c in codes)

    for inn in assessed:
        does = inn.concept[3]
        answers = (
            f"Kohderyhmä ({groups(inn.concept[2])}) jää nykyisissä palveluissa usein väliin.",
            f"Uutta on se, että malli {does}.",
            f"Mallia on kokeiltu paikassa {inn.place}.",
            "Seuraamme osallistujamääriä ja teemme alku- ja loppukyselyn.",
            "Kokemusasiantuntijat ovat mukana suunnitteluryhmässä.",
            f"Kumppaneina ovat {ORGANISATIONS[inn.lead][0]} ja alueen järjestöt.",
            "Jatkorahoitusta haetaan; osa toiminnasta on siirtymässä perustoimintaan.",
            "Toimintamallin kuvaus ja koulutusmateriaali on koottu Innokylään.",
        )
        for (number, question), answer in zip(QUESTIONS, answers, strict=True):
            rows.append(
                [inn.ref, number, question, answer, inn.modified if inn.modified < today else today]
            )
    return rows


def _round_dates(today: date) -> dict[int, date]:
    """Three assessment rounds: two autumns ago, last autumn, and about two months ago."""
    return {
        1: today - timedelta(days=760),
        2: today - timedelta(days=395),
        3: today - timedelta(days=60),
    }


def _score(quality: float, bias: float, round_no: int, rng: random.Random) -> int:
    return int(min(5, max(1, round(quality + bias + 0.25 * (round_no - 1) + rng.gauss(0, 0.55)))))


def _comment(criterion: str, value: int) -> str:
    return COMMENTS[criterion][0 if value <= 2 else 1 if value == 3 else 2]


@cache
def _target_group_names() -> dict[str, str]:
    """Target groups as a Finnish answer names them (``data/vocabularies.toml``), not codes."""
    with (DATA_DIR / "vocabularies.toml").open("rb") as f:
        return {g["code"]: g["fi"] for g in tomllib.load(f)["target_groups"]}


@cache
def _criterion_names() -> dict[str, str]:
    """The SI tool's criteria as a Finnish sentence names them (``data/frameworks``)."""
    with (DATA_DIR / "frameworks" / "si_tool.toml").open("rb") as f:
        criteria = tomllib.load(f)["criteria"]
    return {c["code"]: c["fi"][0].lower() + c["fi"][1:] for c in criteria}


def _disputed(panel: list[dict[str, int]]) -> str | None:
    """The criterion on which the panel's external assessors lie furthest apart, if at least
    ``scores.DISAGREEMENT`` of the scale: the one the profile and comparison flag too."""
    spreads = {}
    for c in SI_CRITERIA:
        values = [own[c] for own in panel if c in own]
        if len(values) >= 2:
            spreads[c] = (max(values) - min(values)) / (SI_SCALE[1] - SI_SCALE[0])
    widest = max(spreads, key=spreads.get, default=None)
    return widest if widest and spreads[widest] >= DISAGREEMENT - 1e-9 else None


def _summary(own: dict[str, int], variant: int, disputed: str | None) -> str | None:
    """An assessor's summary, said from their own scores and the panel's disagreement."""
    if not own:
        return None
    names = _criterion_names()
    mean = sum(own.values()) / len(own)
    opening = SUMMARY_OPENINGS[0 if mean < 2.5 else 1 if mean < 3.5 else 2]
    best, worst = max(own, key=own.get), min(own, key=own.get)
    if own[best] == own[worst]:
        text = SUMMARY_EVEN.format(opening=opening)
    else:
        text = SUMMARY_PHRASES[variant].format(
            opening=opening, best=names[best], worst=names[worst]
        )
    if disputed:
        text += SUMMARY_DISAGREEMENT.format(criterion=names[disputed])
    return text


def _write_summaries(rows: list[list], header: list[str]) -> None:
    """Replace each external assessment's phrasing number by its summary, written from the
    scores of its panel (``rows``: one innovation's SI tool assessments in one round)."""
    column = {name: i for i, name in enumerate(header)}
    scored = [
        {c: row[column[c]] for c in SI_CRITERIA if isinstance(row[column[c]], int)} for row in rows
    ]
    external = [
        own
        for own, row in zip(scored, rows, strict=True)
        if row[column["assessment_type"]] != "self"
    ]
    disputed = _disputed(external)
    for own, row in zip(scored, rows, strict=True):
        variant = row[column["summary"]]
        if variant is not None:
            row[column["summary"]] = _summary(own, variant, disputed)


def _assessment_rows(
    innovations: list[Innovation], today: date, rng: random.Random
) -> dict[int, list[list]]:
    criteria = [
        *SI_CRITERIA,
        "nesta_level",
        "award_in_practice",
        "award_new",
        "award_answers_problem",
        "sim_problem",
        "sim_approach",
        "sim_results",
        "sim_scaling",
    ]
    header = [
        "innovation",
        "framework",
        "assessor",
        "assessor_organisation",
        "assessment_type",
        "assessed_on",
        "round",
        "summary",
        "shared",
        "published",
        *criteria,
        *(f"{c}_comment" for c in SI_CRITERIA),
    ]
    rounds = {n: [header] for n in (1, 2, 3)}
    dates = _round_dates(today)
    assessor_bias = {a[0]: rng.gauss(0, 0.35) for a in ASSESSORS}
    for inn in innovations:
        if STAGES.index(inn.stage) < 2 and rng.random() < 0.7:
            continue  # early-stage ideas are seldom assessed yet
        if rng.random() < 0.2:
            continue
        first_round = max(
            rng.choice((1, 1, 2, 3)),
            1 if inn.created < dates[1] else 2 if inn.created < dates[2] else 3,
        )
        if inn.created > dates[3]:
            continue
        for round_no in range(first_round, 4):
            if round_no > first_round and rng.random() < 0.35:
                break
            when = dates[round_no] + timedelta(days=rng.randint(-20, 20))
            panel = rng.sample(ASSESSORS, rng.choice((1, 2, 2, 3)))
            if rng.random() < 0.6:
                panel = [
                    (
                        "Kehittäjätiimi: " + ORGANISATIONS[inn.lead][0],
                        ORGANISATIONS[inn.lead][0],
                        "self",
                    ),
                    *panel,
                ]
            disputed = rng.choice(SI_CRITERIA)
            first_row = len(rounds[round_no])
            for k, (assessor, organisation, kind) in enumerate(panel):
                bias = 0.6 if kind == "self" else assessor_bias[assessor]
                scores: list[object] = []
                comments: list[object] = []
                for c in SI_CRITERIA:
                    value = _score(inn.quality[c], bias, round_no, rng)
                    if c == disputed and k == 1:
                        value = 5 if value <= 3 else 1  # a strong disagreement to flag
                    cell: object = value
                    if rng.random() < 0.06:
                        cell = None if rng.random() < 0.7 else "–"
                    scores.append(cell)
                    comments.append(
                        _comment(c, value)
                        if cell is not None and cell != "–" and rng.random() < 0.35
                        else None
                    )
                rounds[round_no].append(
                    [
                        inn.ref,
                        "si_tool",
                        assessor,
                        organisation,
                        kind,
                        when,
                        round_no,
                        # which phrasing; ``_write_summaries`` turns it into the text
                        rng.choice(range(len(SUMMARY_PHRASES))) if kind != "self" else None,
                        kind != "funder",
                        _published(inn, kind),
                        *scores,
                        *([None] * 8),
                        *comments,
                    ]
                )
            _write_summaries(rounds[round_no][first_row:], header)
            if round_no == 3 and rng.random() < 0.5:
                expert = rng.choice([a for a in ASSESSORS if a[2] == "expert"])
                level = int(
                    min(5, max(1, round(inn.quality["evidence"] - 0.8 + rng.gauss(0, 0.5))))
                )
                rounds[3].append(
                    [
                        inn.ref,
                        "nesta_soe",
                        expert[0],
                        expert[1],
                        "expert",
                        when,
                        3,
                        None,
                        True,
                        _published(inn, "expert"),
                        *([None] * 10),
                        level,
                        *([None] * 7),
                        *([None] * 10),
                    ]
                )
            if round_no == 2 and rng.random() < 0.25:
                expert = rng.choice(ASSESSORS)
                answers = [rng.choice(("kyllä", "osittain", "ei", "kyllä")) for _ in range(3)]
                rounds[2].append(
                    [
                        inn.ref,
                        "innokyla_award",
                        expert[0],
                        expert[1],
                        "jury",
                        when,
                        2,
                        None,
                        True,
                        _published(inn, "jury"),
                        *([None] * 11),
                        *answers,
                        *([None] * 4),
                        *([None] * 10),
                    ]
                )
            if round_no == 3 and STAGES.index(inn.stage) >= 3 and rng.random() < 0.25:
                checks = [rng.choice(("pass", "pass", "fail")) for _ in range(4)]
                rounds[3].append(
                    [
                        inn.ref,
                        "sim_validation",
                        ASSESSORS[0][0],
                        ASSESSORS[0][1],
                        "expert",
                        when,
                        3,
                        None,
                        True,
                        _published(inn, "expert"),
                        *([None] * 14),
                        *checks,
                        *([None] * 10),
                    ]
                )
    return rounds


def _published(inn: Innovation, kind: str) -> bool:
    """Whether an assessment of the demo is published (see PUBLISHED_EVERY)."""
    return kind not in ("self", "funder") and int(inn.ref[-3:]) % PUBLISHED_EVERY == 0


def _other_scale_rows(
    innovations: list[Innovation], last_round: list[list], today: date
) -> list[list]:
    """A few last-round assessments on the frameworks of the 0-5, 0-3 and traffic-light scales,
    so that every scale of ``data/scales.toml`` is used end to end. A random stream of their
    own leaves the rest of the demo as it was."""
    rng = random.Random(SEED + 1)
    codes = [c for _, _, criteria in OTHER_SCALE_FRAMEWORKS.values() for c in criteria]
    header = ["innovation", "framework", "assessor", "assessor_organisation",
              "assessment_type", "assessed_on", "round", "shared", *codes]  # fmt: skip
    rows = [header]
    assessed = {row[0] for row in last_round[1:]}
    pool = [i for i in innovations if i.ref in assessed and STAGES.index(i.stage) >= 2]
    experts = [a for a in ASSESSORS if a[2] == "expert"]
    when = min(today, _round_dates(today)[3] + timedelta(days=rng.randint(-10, 10)))
    for framework, (top, count, criteria) in OTHER_SCALE_FRAMEWORKS.items():
        for inn in rng.sample(pool, count):
            name, organisation, _ = rng.choice(experts)
            values = {c: _on_scale(inn.quality[si], top, rng) for c, si in criteria.items()}
            rows.append([inn.ref, framework, name, organisation, "expert", when, 3, True,
                         *(values.get(c) for c in codes)])  # fmt: skip
    return rows


def _on_scale(quality: float, top: object, rng: random.Random) -> object:
    """A quality on the SI tool's 1-5 as a score on another scale: 0-``top`` in half points
    (0-5) or whole points, or a traffic light as typed."""
    share = min(
        1.0, max(0.0, (quality - SI_SCALE[0]) / (SI_SCALE[1] - SI_SCALE[0]) + rng.gauss(0, 0.1))
    )
    if top == "traffic_light":
        return TRAFFIC_LIGHTS[0 if share < 0.35 else 1 if share < 0.65 else 2]
    step = 0.5 if top == 5 else 1
    value = round(share * top / step) * step
    return int(value) if value == int(value) else value


def _funding_rows(today: date) -> list[list]:
    """The Funding sheet, in the hub template's column order (``specs``).

    Each call says in its description what the public sources say and what the demo invented;
    "last checked" stays empty, because nobody checked these entries against the funder's page.
    """
    header = [c.field for c in SPECS_BY_ENTITY["Funding"].columns]
    rows = [header]
    for n, f in enumerate(FUNDING, start=1):
        opens, deadline = _call_window(f, today)
        rules = CONSORTIUM_RULES.get(f["call_name"], (None, None, None))
        call = {
            **{field: f.get(field) for field in header},
            **dict(zip(("min_partners", "min_countries", "lead_type"), rules, strict=True)),
            "ref": f"CALL-{n:03d}",
            "eligible_applicant_types": "; ".join(f["eligible"]),
            "themes": "; ".join(f["themes"]),
            "target_groups": "; ".join(f["tgs"]),
            "stage_fit": "; ".join(f["stages"]),
            "geographic_scope": f["scope"],
            "regions": "; ".join(f["regions"]),
            "opens_on": opens,
            "deadline": deadline,
            "continuous": bool(f.get("continuous")),
            "description": invented_note(f),
            "last_checked": None,
        }
        rows.append([call[field] for field in header])
    return rows


def invented_note(call: dict) -> str:
    """What a demo call takes from the public sources and what it invents, in its own words."""
    invented = ", ".join(INVENTED[code] for code in call["invented"])
    if call["sourced"]:
        said = f"Demoaineisto: ohjelma on todellinen; lähteiden mukaan {call['sourced']}."
    else:
        said = (
            "Demoaineisto: rahoittaja on todellinen, mutta tätä hakua ei ole tarkistettu lähteistä."
        )
    return f"{said} Keksitty demoa varten: {invented}. Tarkista tiedot rahoittajan sivuilta."


def _call_window(f: dict, today: date) -> tuple[date | None, date | None]:
    """Opening day and deadline of a call, placed around ``today`` the way the funder runs it."""
    if f.get("continuous"):
        return today + timedelta(days=f.get("open_offset", -365)), None
    if f.get("yearly_may"):  # STEA: new-grant call in May-June every year
        year = today.year if today <= date(today.year, 6, 30) else today.year + 1
        return date(year, 5, 1), date(year, 6, 30)
    if f.get("month_call"):  # Kulttuurirahasto: a call in a fixed month
        month = f["month_call"]
        year = today.year if today < date(today.year, month, 28) else today.year + 1
        return date(year, month, 1), date(year, month, 31 if month in (3, 8, 10) else 30)
    return today + timedelta(days=f["open_offset"]), today + timedelta(days=f["deadline_offset"])


def _award_rows(innovations: list[Innovation], today: date, rng: random.Random) -> list[list]:
    """Awards to innovations at stage 3 or later, from the fictional funders of the content."""
    rows = [
        ["innovation", "funder", "programme", "amount", "awarded_on", "organisation", "call_ref"]
    ]
    funded = [i for i in innovations if STAGES.index(i.stage) >= 2]
    for inn in rng.sample(funded, min(18, len(funded))):
        funder, programme, low, high = AWARD_FUNDERS[rng.choice((0, 1, 2, 1, 3, 0))]
        amount = round(rng.uniform(low, min(high, low * 4)) / 1000) * 1000
        when = max(inn.created, today - timedelta(days=rng.randint(60, 900)))
        rows.append(
            [inn.ref, funder, programme, amount, min(when, today), ORGANISATIONS[inn.lead][0], None]
        )
    return rows


def _about_rows(today: date) -> list[list]:
    """The demo workbooks say what they are, as every demo export does (``exports.DEMO_MARK``):
    imported into a real store, they are refused unless the user insists."""
    return [
        list(DEMO_MARK),
        ["reference_date", today],
        [
            "note",
            "Kuvitteellista esittelyaineistoa / fiktiva demonstrationsdata / fictional demo data",
        ],
    ]


def generate_demo_workbooks(
    out_dir: Path = DEMO_DIR, reference_date: date | None = None
) -> list[Path]:
    """Write the demo workbooks for ``reference_date`` (default today) into ``out_dir``."""
    today = reference_date or today_in_finland()
    rng = random.Random(SEED)
    out_dir.mkdir(parents=True, exist_ok=True)
    innovations = _innovations(today, rng)
    rounds = _assessment_rows(innovations, today, rng)
    assessed_refs = {row[0] for rows in rounds.values() for row in rows[1:]}
    assessed = [i for i in innovations if i.ref in assessed_refs]
    paths = [
        write_workbook(
            out_dir / CATALOGUE_FILE,
            {
                "Organisations": _organisation_rows(),
                "Innovations": with_case_study(_innovation_rows(innovations, rng), innovations),
                "StageHistory": _stage_history_rows(innovations, today, rng),
                "DevelopmentPath": development_path_rows(innovations, today),
                "Participants": participant_rows(innovations),
                "Answers": _answer_rows(assessed, today),
                "Funding": _funding_rows(today),
                "Awards": _award_rows(innovations, today, rng),
                ABOUT_SHEET: _about_rows(today),
            },
        )
    ]
    for round_no, rows in rounds.items():
        paths.append(
            write_workbook(
                out_dir / f"demo-assessments-round-{round_no}.xlsx",
                {"Assessments": rows, ABOUT_SHEET: _about_rows(today)},
            )
        )
    paths.append(
        write_workbook(
            out_dir / OTHER_SCALES_FILE,
            {
                "Assessments": _other_scale_rows(innovations, rounds[3], today),
                ABOUT_SHEET: _about_rows(today),
            },
        )
    )
    return paths


def build_demo_store(
    db: str | os.PathLike,
    reference_date: date | None = None,
    replace: bool = False,
    workbook_dir: Path = DEMO_DIR,
) -> dict[str, int]:
    """Build a demo store at ``db`` from freshly generated workbooks; returns counts per table.

    The store is built in a temporary file and moved into place only when every workbook
    loaded cleanly, so a failure never leaves a half-built store behind.
    """
    if is_postgres_url(db):  # built in a file, then copied over in one transaction
        return _build_in_postgres(str(db), reference_date, replace, workbook_dir)
    target = Path(db)
    if target.exists() and not replace:
        raise DemoStoreExistsError(str(target), path=str(target))
    today = reference_date or today_in_finland()
    paths = generate_demo_workbooks(workbook_dir, today)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        building = Path(tmp) / target.name
        store = connect(str(building))
        try:
            sync_reference_data(store)
            for path in paths:
                result = import_file(
                    store, path, kind="demo", by=DEMO_BUILDER, today=today, allow_demo=True
                )
                if not result.ok:
                    problems = "; ".join(
                        f"{i.location} {i.code}" for i in result.issues if i.blocking
                    )
                    raise SihubError(f"{path.name}: {problems}")
            with store.transaction() as cur:
                _dated_on(cur, today)
                meta.write(cur, "dataset", "demo")
                meta.write(cur, "demo_reference_date", today.isoformat())
                derived.still_current(cur)
            counts = {
                t: store.scalar(f"SELECT count(*) FROM {t}")
                for t in (
                    "organisations",
                    "innovations",
                    "assessments",
                    "scores",
                    "funding_opportunities",
                    "funding_awards",
                )
            }
            store.checkpoint()
        finally:
            store.close()
        for suffix in ("", ".wal"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.move(str(building), str(target))
    return counts


def _dated_on(cur, today: date) -> None:
    """The demo's batches as if imported on its reference day (at this time of day): the
    history and the method page then agree with the demo's "today"."""
    if today != today_in_finland():  # else the import stamped them so (SIHUB_TODAY, or today)
        cur.execute("UPDATE import_batches SET imported_at = ?", [now_to_store(today)])


def _build_in_postgres(
    url: str, reference_date: date | None, replace: bool, workbook_dir: Path
) -> dict[str, int]:
    """The demo store built in a temporary DuckDB file and copied into PostgreSQL."""
    try:
        with tempfile.TemporaryDirectory() as tmp:
            counts = build_demo_store(
                Path(tmp) / "demo.duckdb", reference_date, False, workbook_dir
            )
            copy_store(str(Path(tmp) / "demo.duckdb"), url, replace=replace)
    except CopyTargetNotEmptyError as e:
        raise DemoStoreExistsError(redacted(url), path=redacted(url)) from e
    return counts
