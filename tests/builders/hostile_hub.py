"""A hub whose every text holds Markdown and HTML that would make a link or an image, and whose
assessors are partly known only by their e-mail address, imported through the real loader.

Every name, description, comment, summary, note, answer, call, funder and programme ends with
``PAYLOAD``: a Markdown link and image, raw ``<img>`` and ``<a>`` tags (unquoted, as Markdown
would take them, and quoted, as plotly takes them in chart text), a bare web address and an
e-mail address (``MAIL``), which GitHub-flavoured Markdown would make links of. Shown as
written, none of them may become a link or an image; ``URL_VALUES`` are the same made into the
values a link could carry. ``EMAILS`` are the assessors' addresses: one given in a form
export's e-mail column with no name, one typed where the name goes.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sihub.db.store import Store
from sihub.demo import SI_CRITERIA
from sihub.importing import import_file
from tests.builders import BY_STAFF, copy_store, write_workbook

TODAY = date(2026, 6, 1)
EVIL = "evil.example"
PAYLOAD = (  # the quoted link first: a shortened label (a timeline's) still holds it
    '<a href="//evil.example/q">q</a> [x](//evil.example/a) ![p](//evil.example/px.png) '
    "<img src=//evil.example/h.png> <a href=//evil.example/h>h</a> "
    "<img src='//evil.example/q.png'> https://evil.example/bare"
)
# What a made-up link may carry in any parameter (the issue's two cases first).
URL_VALUES = (
    "[Log in again](//evil.example/login):1",
    "![t](//evil.example/px.png):1",
    "<img src=//evil.example/h.png>",
)
EMAILS = ("salainen.osoite@example.org", "toinen.salainen@example.org")


MAIL = "post@evil.example"  # an address Markdown would make a mailto: link of


def hostile(text: str, mail: bool = True) -> str:
    """``text`` followed by the payload (and an address, unless the text is an assessor's name:
    a name holding an address is shown by number, see ``sihub.personal``)."""
    return f"{text} {PAYLOAD}" + (f" {MAIL}" if mail else "")


ORGANISATIONS = [
    ["ref", "name", "org_type", "region", "municipality", "country", "website", "description"],
    ["HO-1", hostile("Kohtaamo ry"), "association", "north_ostrobothnia", hostile("Oulu"), "FI",
     "https://example.org/", hostile("Yhdistys")],
    ["HO-2", hostile("Kaupunki"), "municipality", "central_finland", "Jyväskylä", "FI", None,
     None],
]  # fmt: skip

_TEXTS = (
    "short_description",
    "basic_idea",
    "operating_environment",
    "target_group_insight",
    "adoption_conditions",
    "implementation_place",
    "funder_text",
    "collection",
    "author",
    "problem_addressed_fi",  # the case study's texts (sihub.sim)
    "innovative_solution_en",
    "budget_text",
)
INNOVATIONS = [
    ["ref", "name", *_TEXTS, "stage", "lead_organisation", "partner_organisations", "regions",
     "themes", "target_groups", "created_on"],
    ["HI-1", hostile("Työpolku"), *(hostile(f"Teksti {n}") for n in range(len(_TEXTS))),
     "prototypes", hostile("Kohtaamo ry"), hostile("Kaupunki"), "north_ostrobothnia",
     "employment; youth_inclusion", "youth", TODAY - timedelta(days=400)],
    ["HI-2", hostile("Seuranta"), hostile("Kuvaus"), None, None, None, None, None, None, None,
     None, None, None, None, "prototypes", hostile("Kaupunki"), None, "central_finland",
     "employment", "youth",
     TODAY - timedelta(days=300)],
]  # fmt: skip

DEVELOPMENT_PATH = [
    ["innovation", "step_on", "step", "description"],
    ["HI-1", TODAY - timedelta(days=390), hostile("Kartoitus"), hostile("Haastattelut")],
]
PARTICIPANTS = [
    ["innovation", "organisation", "role", "country"],
    ["HI-1", hostile("Partneri"), "partner", "SE"],
]
STAGE_HISTORY = [
    ["innovation", "stage", "entered_on", "note"],
    ["HI-1", "proposals", TODAY - timedelta(days=400), hostile("Alkoi")],
    ["HI-1", "prototypes", TODAY - timedelta(days=100), hostile("Pilotti")],
]

_CRITERIA = list(SI_CRITERIA)
ANNA, TEAM = hostile("Anna", mail=False), hostile("Tiimi", mail=False)  # assessors' names
ASSESSMENTS = [
    ["innovation", "framework", "assessor", "assessor_organisation", "assessment_type",
     "assessed_on", "round", "summary", "shared", *_CRITERIA, "need_comment"],
    ["HI-1", "si_tool", ANNA, hostile("THL"), "expert", TODAY - timedelta(days=200), 1,
     hostile("Yhteenveto"), True, *[2] * 10, hostile("Perustelu")],
    ["HI-1", "si_tool", ANNA, hostile("THL"), "expert", TODAY - timedelta(days=20), 2,
     hostile("Toinen"), True, *[4] * 10, hostile("Kommentti")],
    ["HI-1", "si_tool", EMAILS[1], None, "peer", TODAY - timedelta(days=20), 2, None, True,
     *[1, 5] * 5, None],
    ["HI-1", "si_tool", TEAM, None, "self", TODAY - timedelta(days=20), 2, None, True,
     *[5] * 10, None],
    ["HI-2", "si_tool", ANNA, hostile("THL"), "expert", TODAY - timedelta(days=30), 1,
     hostile("Kolmas"), True, *[3] * 10, hostile("Huomio")],
]  # fmt: skip

ANSWERS = [
    ["innovation", "question_no", "question", "answer", "answered_on"],
    ["HI-1", "1", hostile("Mihin tarpeeseen?"), hostile("Vastaus"), TODAY],
]

FUNDING = [
    ["ref", "funder", "programme", "call_name", "instrument", "themes", "target_groups",
     "stage_fit", "consortium_rule", "description", "amount_min", "amount_max", "opens_on",
     "deadline", "continuous", "source_url"],
    ["HC-1", hostile("Säätiö"), hostile("Ohjelma"), hostile("Haku"), "grant", "employment",
     "youth", "prototypes", hostile("Sääntö"), hostile("Kuvaus"), 10_000, 50_000,
     TODAY - timedelta(days=10), TODAY + timedelta(days=40), False, "https://example.org/haku"],
    ["HC-2", hostile("Rahasto"), None, hostile("Jatkuva"), "grant", "employment", None, None,
     None, None, None, None, None, None, True, None],
]  # fmt: skip

AWARDS = [
    ["innovation", "funder", "programme", "amount", "awarded_on", "organisation", "call_ref"],
    ["HI-1", hostile("Säätiö"), hostile("Ohjelma"), 20_000, TODAY - timedelta(days=60),
     hostile("Kohtaamo ry"), "HC-1"],
]  # fmt: skip

# A survey tool's export: the assessor gave an e-mail address and no name.
FORM = [
    ["Arvioitava innovaatio", "Arvioijan nimi", "Sähköposti", "Valmistumisaika",
     *_CRITERIA, "Perustelut"],
    [hostile("Työpolku"), None, EMAILS[0], TODAY - timedelta(days=10), *[3] * 10,
     hostile("Lomakkeen perustelu")],
    # three of ten criteria: a sparse assessment, listed with its assessor on the ecosystem page
    [hostile("Seuranta"), None, EMAILS[0], TODAY - timedelta(days=10), *[4] * 3, *[None] * 7,
     None],
]  # fmt: skip


def build_workbooks(folder: Path) -> tuple[Path, Path]:
    """The hub workbook and the form export, as files in ``folder``."""
    hub = write_workbook(
        folder / "hostile-hub.xlsx",
        {
            "Organisations": ORGANISATIONS,
            "Innovations": INNOVATIONS,
            "StageHistory": STAGE_HISTORY,
            "DevelopmentPath": DEVELOPMENT_PATH,
            "Participants": PARTICIPANTS,
            "Assessments": ASSESSMENTS,
            "Answers": ANSWERS,
            "Funding": FUNDING,
            "Awards": AWARDS,
        },
    )
    form = write_workbook(folder / "hostile-form.xlsx", {"Vastaukset": FORM})
    return hub, form


def hostile_store(template: Path, folder: Path) -> Store:
    """A store in ``folder``, copied from the migrated ``template``, with both files imported
    (near matches answered "new": the names are alike on purpose)."""
    store = copy_store(template, folder / "hostile.duckdb")
    for path in build_workbooks(folder):
        result = import_file(store, path, today=TODAY, near_matches="new", by=BY_STAFF)
        assert result.ok, [(i.location, i.code) for i in result.issues if i.blocking]
    return store
