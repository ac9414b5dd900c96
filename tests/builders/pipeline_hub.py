"""A small, hand-made hub workbook for the explorer and profile tests, imported through the
real loader into a real DuckDB file, so every score has its batch, file, sheet and row.

Each innovation is there to test something:

- ``I1`` "Työpolku nuorille": two rounds of external scores, a self-assessment, stage history.
- ``I2`` "Ääneen nuoret": self-assessed only; its name has diacritics (search folding).
- ``I3`` "Senioreiden digituki": external scores on three criteria only; no region recorded;
  its organisation has no type.
- ``I4`` "Kotona kuntoutus": nothing but a name and a region (stage, themes, target groups,
  organisations, assessments all missing).
- ``I5`` "Nuorten työpolku Oulussa": worded like I1; two assessors who disagree on novelty.
- ``I6`` "Yhteisökahvila": mentions "työpolku" only in its description (ranking of search).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sihub.db.store import Store
from sihub.demo import SI_CRITERIA
from sihub.importing import import_file
from tests.builders import BY_STAFF, copy_store, write_workbook

TODAY = date(2026, 6, 1)
CRITERIA = SI_CRITERIA  # the provisional framework's ten criteria

ORGANISATIONS = [
    ["ref", "name", "org_type", "region", "municipality", "country"],
    ["ORG-1", "Nuorten Työpaja ry", "association", "north_ostrobothnia", "Oulu", "FI"],
    ["ORG-2", "Äänekosken kaupunki", "municipality", "central_finland", "Äänekoski", "FI"],
    ["ORG-3", "Ikäkaste-säätiö", None, "southwest_finland", "Turku", "FI"],
]

INNOVATIONS = [
    [
        "ref",
        "name",
        "short_description",
        "basic_idea",
        "stage",
        "lead_organisation",
        "partner_organisations",
        "regions",
        "themes",
        "target_groups",
        "innokyla_url",
    ],
    [
        "I1",
        "Työpolku nuorille",
        "Toimintamalli, joka ohjaa työttömiä nuoria työpajoista palkkatyöhön.",
        "Valmentaja kulkee nuoren rinnalla työpajasta työpaikalle.",
        "prototypes",
        "Nuorten Työpaja ry",
        None,
        "north_ostrobothnia",
        "employment; youth_inclusion",
        "youth",
        "https://innokyla.fi/fi/toimintamalli/tyopolku",
    ],
    [
        "I2",
        "Ääneen nuoret",
        "Nuorten oma foorumi kunnan päätöksentekoon.",
        "Nuoret valmistelevat aloitteita yhdessä viranhaltijoiden kanssa.",
        "prototypes",
        "Äänekosken kaupunki",
        None,
        "central_finland",
        "youth_inclusion",
        "youth",
        None,
    ],
    [
        "I3",
        "Senioreiden digituki",
        "Vapaaehtoiset opastavat ikääntyneitä digipalveluissa kirjastoissa.",
        None,
        "sustaining",
        "Ikäkaste-säätiö",
        None,
        None,
        "digital_inclusion",
        "ageing",
        None,
    ],
    ["I4", "Kotona kuntoutus", None, None, None, None, None, "central_finland", None, None, None],
    [
        "I5",
        "Nuorten työpolku Oulussa",
        "Toimintamalli, joka ohjaa työttömiä nuoria työpajoista palkkatyöhön Oulussa.",
        "Valmentaja ja työpaja tukevat nuorta työpaikalle asti.",
        "scaling",
        "Nuorten Työpaja ry",
        "Äänekosken kaupunki",
        "north_ostrobothnia",
        "employment",
        "youth; unemployed",
        None,
    ],
    [
        "I6",
        "Yhteisökahvila",
        "Kohtaamispaikka, josta moni löytää työpolku-valmennukseen.",
        "Kahvila on avoin kaikille lähiön asukkaille.",
        "proposals",
        "Ikäkaste-säätiö",
        None,
        "southwest_finland",
        "loneliness",
        None,
        None,
    ],
]

STAGE_HISTORY = [
    ["innovation", "stage", "entered_on", "note"],
    ["I1", "proposals", date(2022, 1, 10), None],
    ["I1", "prototypes", date(2023, 5, 2), "Pilotti alkoi"],
    ["I5", "prototypes", date(2023, 1, 9), None],
    ["I5", "sustaining", date(2024, 1, 15), None],
    ["I5", "scaling", date(2025, 2, 3), None],
    ["I5", "scaling", date(2025, 9, 1), "Sama vaihe kirjattu uudelleen"],  # not a move
]

ASSESSMENT_HEADER = [
    "innovation",
    "framework",
    "assessor",
    "assessor_organisation",
    "assessment_type",
    "assessed_on",
    "round",
    "summary",
    "shared",
    *CRITERIA,
    "need_comment",
]


def _assessment(ref, assessor, kind, round_no, scores, comment=None, when=None):
    """A row of the Assessments sheet: ``scores`` lists 1-5 values for CRITERIA (None = empty)."""
    values = list(scores) + [None] * (len(CRITERIA) - len(scores))
    when = when or TODAY - timedelta(days=400 - 200 * round_no)
    return [ref, "si_tool", assessor, "THL", kind, when, round_no, None, True, *values, comment]


ASSESSMENTS = [
    ASSESSMENT_HEADER,
    # I1: round 1 by one expert; round 2 by two (the latest round); a self-assessment
    _assessment("I1", "Anna Asiantuntija", "expert", 1, [2] * 10),
    _assessment("I1", "Anna Asiantuntija", "expert", 2, [4] * 10, "Tarve on perusteltu hyvin."),
    _assessment("I1", "Pekka Vertainen", "peer", 2, [4, 4, 4, 4, 4, 4, 4, 4, 4, 2]),
    _assessment("I1", "Kehittäjätiimi", "self", 2, [5] * 10),
    # I2: self-assessed only
    _assessment("I2", "Kehittäjät", "self", 1, [5] * 10),
    # I3: external, three criteria scored, the rest left empty (missing, never 0)
    _assessment("I3", "Anna Asiantuntija", "expert", 1, [3, 3, 1]),
    # I5: two assessors who disagree on novelty (1 and 5)
    _assessment("I5", "Anna Asiantuntija", "expert", 1, [3, 1, 3, 3, 3, 3, 3, 3, 3, 3]),
    _assessment("I5", "Pekka Vertainen", "peer", 1, [3, 5, 3, 3, 3, 3, 3, 3, 3, 3]),
]

ANSWERS = [
    ["innovation", "question_no", "question", "answer", "answered_on"],
    ["I1", "10", "Lisätietoja?", "Ei muuta.", TODAY],
    ["I1", "2", "Mitä uutta ratkaisussa on?", "Valmentaja kulkee rinnalla.", TODAY],
    ["I1", "1", "Mihin tarpeeseen innovaatio vastaa?", "Nuorten työttömyyteen.", TODAY],
]

FUNDING = [
    [
        "ref",
        "funder",
        "call_name",
        "instrument",
        "themes",
        "target_groups",
        "opens_on",
        "deadline",
        "continuous",
        "source_url",
    ],
    ["C-OPEN", "STEA", "Nuorten työllisyys", "grant", "employment", None,
     TODAY - timedelta(days=10), TODAY + timedelta(days=60), False, "https://stea.fi/"],
    ["C-CLOSED", "ESR+", "Päättynyt työllisyyshaku", "grant", "employment", "youth",
     TODAY - timedelta(days=200), TODAY - timedelta(days=1), False, "https://esr.fi/"],
    ["C-OTHER", "Kela", "Kuntoutustutkimus", "grant", "rehabilitation", None,
     None, None, True, "https://kela.fi/"],
    ["C-GROUPS", "Sitra", "Nuoret mukaan", "grant", None, "youth",
     None, None, True, "https://sitra.fi/"],
]  # fmt: skip


def build_workbook(folder: Path) -> Path:
    return write_workbook(
        folder / "pipeline-test.xlsx",
        {
            "Organisations": ORGANISATIONS,
            "Innovations": INNOVATIONS,
            "StageHistory": STAGE_HISTORY,
            "Assessments": ASSESSMENTS,
            "Answers": ANSWERS,
            "Funding": FUNDING,
        },
    )


def pipeline_store(template: Path, folder: Path) -> tuple[Store, dict[str, int]]:
    """A store in ``folder``, copied from ``template`` (the migrated template store), with the
    workbook imported, and innovation ids by reference (I1 … I6)."""
    store = copy_store(template, folder / "pipeline.duckdb")
    result = import_file(store, build_workbook(folder), today=TODAY, by=BY_STAFF)
    assert result.ok, [(i.location, i.code) for i in result.issues if i.blocking]
    return store, dict(store.rows("SELECT ref, id FROM innovations"))
