"""Exports of real survey and form tools, rebuilt from each tool's export layout: what a pilot
downloads from Microsoft Forms, Google Forms, Webropol, SurveyMonkey or LimeSurvey, or has
typed into a sheet of its own, in Finnish, Swedish and English.

Each tool's layout as its exports have it:

- Microsoft Forms ("Open results in Excel"): ID, Start time, Completion time, Email, Name,
  Last modified time, then one column per question headed by the question's text; an
  anonymous response has "anonymous" as its e-mail and no name; times are Excel date-times.
- Google Forms (the responses sheet, or its CSV download): Timestamp first, Email address when
  the form collects it, then the questions; a grid question is one column per row, headed
  "Question [row]"; the CSV writes times as "2025/03/05 1:37:52 PM GMT+2".
- Webropol (raw data to Excel): the respondent's number and the answer time first, a scale
  question's statements as "Question: statement"; answers "En osaa sanoa" where allowed.
- SurveyMonkey (all responses, expanded): two header rows, the question over the answer
  ("Response", "Open-Ended Response") or over each row of a matrix, the question written over
  the matrix's first row only; Respondent ID, Collector ID, Start Date, End Date, IP Address,
  Email Address, First Name, Last Name, Custom Data 1 first; dates month first.
- LimeSurvey (export responses, headings "question code & question text"): its own columns
  (id, submitdate, lastpage, startlanguage, seed, startdate, datestamp), then "code. text"; an
  array question's rows as "Q1[SQ001]. Question [row]"; or full question texts only.
- Sheets built by hand: a title over the table, numbered questions with the scale in the
  header, comments beside scores, a total below; or one row per score.

``CLEAN`` are exports a staff member should be able to drop in with no mapping; ``PROBLEMS``
have one deliberate problem each. Every builder takes a folder and returns the file's path.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl

from tests.import_corpus import write_book

FI = (
    "Yhteiskunnallinen tarve",
    "Uutuusarvo",
    "Käytäntöön vienti",
    "Tulokset ja vaikuttavuus",
    "Näytön vahvuus",
    "Osallisuus ja yhteiskehittäminen",
    "Monialainen yhteistyö",
    "Kestävyys ja jatkuvuus",
    "Levitettävyys ja skaalautuvuus",
    "Systeeminen muutos",
)
SV = (
    "Samhälleligt behov",
    "Nyhetsvärde",
    "Genomförande i praktiken",
    "Resultat och effekt",
    "Evidensens styrka",
    "Delaktighet och samutveckling",
    "Sektorsövergripande samarbete",
    "Hållbarhet och kontinuitet",
    "Spridbarhet och skalbarhet",
    "Systemförändring",
)
EN = (  # as people write them, not as the hub names them
    "Societal need",
    "Novelty",
    "Put into practice",
    "Results and effectiveness",
    "Strength of evidence",
    "Participation and co-creation",
    "Cross-sector collaboration",
    "Sustainability and continuity",
    "Transferability and scalability",
    "Systemic change",
)
START = datetime(2025, 3, 5, 9, 0)


def score(row: int, criterion: int) -> int:
    """A score on 1–5 that varies by row and criterion."""
    return 1 + (row * 3 + criterion * 2) % 5


def scores(row: int, gaps: dict[tuple[int, int], object] | None = None, n: int = 10) -> list:
    """The ten scores of a row; ``gaps`` puts a blank or a mark ("–") at (row, criterion)."""
    gaps = gaps or {}
    return [gaps.get((row, c), score(row, c)) for c in range(n)]


def csv_file(path: Path, rows: list[list], delimiter: str = ",") -> Path:
    """A CSV as tools download it: UTF-8, quoted where a value needs it."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))
    return path


# Microsoft Forms ------------------------------------------------------------------------------
def ms_forms_en(folder: Path) -> Path:
    """Five responses, two of them anonymous; ratings as numbers."""
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    header += ["Innovation", "Organisation", *EN, "Anything else?"]
    people = [
        ("anna.virtanen@example.fi", "Anna Virtanen"),
        ("anonymous", None),
        ("mikko.k@example.fi", "Mikko Korhonen"),
        ("anonymous", None),
        ("laura.n@example.fi", "Laura Nieminen"),
    ]
    models = ["Youth drop-in", "Youth drop-in", "Digital helpers", "Digital helpers", "Village hub"]
    rows = []
    for r, ((email, name), model) in enumerate(zip(people, models, strict=True)):
        done = START + timedelta(hours=r)
        rows.append(
            [
                r + 1,
                done - timedelta(minutes=9),
                done,
                email,
                name,
                None,
                model,
                "Kohtaamo ry",
                *scores(r, {(1, 4): None}),
                "Good pilot" if r == 0 else None,
            ]
        )
    return write_book(folder / "Innovation assessment(1-5).xlsx", {"Sheet1": [header, *rows]})


def ms_forms_fi(folder: Path) -> Path:
    """Four responses in Finnish; the assessment type in everyday words, Likert labels."""
    header = ["Tunnus", "Aloitusaika", "Valmistumisaika", "Sähköposti", "Nimi"]
    header += ["Viimeisimmän muokkauksen aika", "Arvioitava innovaatio", "Arvioinnin tyyppi", *FI]
    typed = ["itsearviointi", "vertaisarviointi", "asiantuntija", "Asiantuntija-arvio"]
    labels = {1: "Hyvä", 2: "Erinomainen", 3: "Tyydyttävä"}
    rows = []
    for r, kind in enumerate(typed):
        done = START + timedelta(days=1, hours=r)
        values = scores(r)
        values[1] = labels.get(values[1], values[1])  # Uutuusarvo as a Likert question
        rows.append(
            [
                r + 1,
                done - timedelta(minutes=15),
                done,
                f"arvioija{r}@example.fi",
                f"Arvioija {r}",
                None,
                "Nuorten kohtaamo" if r < 2 else "Perhekeskus",
                kind,
                *values,
            ]
        )
    return write_book(folder / "Arviointilomake.xlsx", {"Form1": [header, *rows]})


def ms_forms_sv(folder: Path) -> Path:
    """Three responses in Swedish, one anonymous."""
    header = ["ID", "Starttid", "Tid för slutförande", "E-post", "Namn", "Innovation", *SV]
    people = [("sanna@example.fi", "Sanna Laine"), ("anonymous", None), ("asa@example.fi", None)]
    rows = [
        [r + 1, START, START + timedelta(minutes=20), email, name, "Vardagsrum", *scores(r)]
        for r, (email, name) in enumerate(people)
    ]
    return write_book(folder / "Bedömning av innovationer.xlsx", {"Blad1": [header, *rows]})


# Google Forms ---------------------------------------------------------------------------------
def google_forms_en(folder: Path) -> Path:
    """A grid question "Rate the innovation [row]", e-mails collected, a comment."""
    header = ["Timestamp", "Email address", "Innovation name", "Assessment type"]
    header += [f"Rate the innovation on a scale of 1-5 [{name}]" for name in EN]
    header += ["Comments on the assessment"]
    kinds = ["Peer review", "Expert", "peer", "self assessment", "Expert"]
    rows = [
        [
            START + timedelta(hours=r),
            f"rater{r}@example.org",
            f"Model {r % 2 + 1}",
            kind,
            *scores(r, {(2, 9): None, (3, 0): None}),
            None,
        ]
        for r, kind in enumerate(kinds)
    ]
    return write_book(
        folder / "Innovation rating (Responses).xlsx", {"Form Responses 1": [header, *rows]}
    )


def google_forms_sv(folder: Path) -> Path:
    """Google Forms' CSV download in Swedish: times as Google writes them, a grid question."""
    header = ["Tidstämpel", "E-postadress", "Innovation", "Typ av bedömning"]
    header += [f"Bedöm innovationen [{name}]" for name in SV]
    kinds = ["Självbedömning", "Kollegial bedömning", "sakkunnig", "självbedömning"]
    rows = [
        [
            f"2025/03/0{r + 5} {r + 1}:37:52 PM GMT+2",
            f"bedomare{r}@example.se",
            "Vardagsrum",
            kind,
            *scores(r, {(0, 3): ""}),
        ]
        for r, kind in enumerate(kinds)
    ]
    return csv_file(folder / "Bedömning av innovationer - Formulärsvar 1.csv", [header, *rows])


# Webropol -------------------------------------------------------------------------------------
def webropol_fi(folder: Path) -> Path:
    """Respondent numbers and answer times first, "Question: statement" headers, "En osaa
    sanoa" answers, a named assessor and comments beside two criteria."""
    question = "Arvioi toimintamallia asteikolla 1–5"
    header = ["Vastaaja", "Vastausaika", "Arvioitava toimintamalli", "Arvioijan nimi"]
    for i, name in enumerate(FI):
        header.append(f"{question}: {name}")
        if i in (0, 1):
            header.append("Perustelut")
    rows = []
    for r in range(4):
        values: list = []
        for c, value in enumerate(scores(r, {(1, 5): "En osaa sanoa", (2, 6): "En osaa sanoa"})):
            values.append(value)
            if c in (0, 1):
                values.append("Hyvin perusteltu" if r == c else None)
        rows.append(
            [
                r + 1,
                f"{5 + r}.3.2025 10:{10 + r}",
                "Kotiapu" if r % 2 else "Olohuone",
                f"Arvioija {chr(65 + r)}",
                *values,
            ]
        )
    return write_book(folder / "Webropol_raportti_arvioinnit.xlsx", {"Raportti": [header, *rows]})


def webropol_en(folder: Path) -> Path:
    """Webropol in English: the respondent, the answer time, the type as a choice."""
    header = ["Respondent", "Answer time", "Innovation", "Assessor", "Role of the assessor"]
    header += [f"Assess the innovation: {name}" for name in EN]
    roles = ["Expert", "Peer", "Self-assessment"]
    rows = [
        [
            r + 1,
            f"{10 + r}.3.2025 14:0{r}",
            "Work trial",
            f"Assessor {r + 1}",
            role,
            *scores(r, {(0, 9): "Don't know"}),
        ]
        for r, role in enumerate(roles)
    ]
    return write_book(folder / "webropol_export.xlsx", {"Report": [header, *rows]})


# SurveyMonkey ---------------------------------------------------------------------------------
SM_META_EN = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
SM_META_EN += ["Email Address", "First Name", "Last Name", "Custom Data 1"]


def surveymonkey_en(folder: Path) -> Path:
    """Two header rows, a matrix question written over its first row, dates month first; a web
    link collector's responses have no name or e-mail (anonymous)."""
    upper = [*SM_META_EN, "Innovation name", "Rate the innovation on a scale of 1-5"]
    upper += [None] * 9 + ["Other comments"]
    lower = [None] * 9 + ["Response", *EN, "Open-Ended Response"]
    people = [
        ("jane@example.org", "Jane", "Smith"),
        (None, None, None),
        ("tom@example.org", "Tom", "Brown"),
        (None, None, None),
    ]
    rows = []
    for r, (email, first, last) in enumerate(people):
        when = f"03/{14 + r}/2025 10:1{r}:13 AM"
        rows.append(
            [
                11400000000 + r,
                4040000,
                when,
                when,
                f"192.0.2.{r}",
                email,
                first,
                last,
                None,
                "Youth drop-in",
                *scores(r, {(3, 2): None}),
                None,
            ]
        )
    return write_book(folder / "Data_All_250320.xlsx", {"Sheet": [upper, lower, *rows]})


def surveymonkey_fi(folder: Path) -> Path:
    """SurveyMonkey in Finnish: the same two rows, Finnish headers and answer words."""
    upper = ["Vastaajan tunnus", "Kerääjän tunnus", "Aloituspäivämäärä", "Päättymispäivämäärä"]
    upper += ["IP-osoite", "Sähköpostiosoite", "Etunimi", "Sukunimi", "Mukautetut tiedot 1"]
    upper += ["Arvioitava toimintamalli", "Arvioi toimintamallia (1–5)", *[None] * 9]
    lower = [None] * 9 + ["Vastaus", *FI]
    people = [("Anna", "Virtanen"), ("Mikko", "Korhonen"), (None, None)]
    rows = [
        [
            11500000000 + r,
            4050000,
            "14.3.2025 10.12",
            f"14.3.2025 10.2{r}",
            None,
            None,
            first,
            last,
            None,
            "Perhekeskus",
            *scores(r),
        ]
        for r, (first, last) in enumerate(people)
    ]
    return write_book(folder / "Tiedot_Kaikki_250320.xlsx", {"Taulukko": [upper, lower, *rows]})


# LimeSurvey -----------------------------------------------------------------------------------
def limesurvey_en(folder: Path) -> Path:
    """Headings "question code & question text": LimeSurvey's own columns, then the array."""
    header = ["id. Response ID", "submitdate. Date submitted", "lastpage. Last page"]
    header += ["startlanguage. Start language", "seed. Seed", "startdate. Date started"]
    header += ["datestamp. Date last action", "G01Q01. Innovation", "G01Q02. Your name"]
    header += [f"Q1[SQ{c + 1:03d}]. Rate the innovation [{name}]" for c, name in enumerate(EN)]
    rows = [
        [
            r + 1,
            f"2025-03-0{r + 5} 10:12:13",
            3,
            "en",
            123456 + r,
            f"2025-03-0{r + 5} 10:00:01",
            f"2025-03-0{r + 5} 10:12:13",
            "Job coach",
            f"Assessor {r + 1}",
            *scores(r),
        ]
        for r in range(3)
    ]
    return write_book(folder / "results-survey482913.xlsx", {"results": [header, *rows]})


def limesurvey_fi(folder: Path) -> Path:
    """Full question texts in Finnish, the array's rows in brackets; no names (anonymous)."""
    header = ["Vastauksen tunnus", "Lähetyspäivä", "Viimeinen sivu", "Aloituskieli"]
    header += ["Arvioitava innovaatio", *(f"Arvioi innovaatiota [{name}]" for name in FI)]
    rows = [
        [
            r + 10,
            f"2025-04-0{r + 1} 09:30:00",
            2,
            "fi",
            "Työpaja",
            *scores(r, {(0, 0): None, (1, 1): None}),
        ]
        for r in range(5)
    ]
    return write_book(folder / "results-survey519377.xlsx", {"results": [header, *rows]})


# sheets built by hand -------------------------------------------------------------------------
def handmade_fi(folder: Path) -> Path:
    """A title over the table, numbered questions with scales, comments, a total below."""
    title = ["SOILA-arvioinnit, kevät 2025", *[None] * 16]
    header = ["Nro", "Toimintamalli", "Arvioija", "Pvm", "Kierros"]
    for i, name in enumerate(FI):
        header.append(f"{i + 1}. {name} (1–5)")
        if i == 3:
            header.append("Perustelut")
    header.append("Yhteenveto")
    rows = []
    for r in range(4):
        values = scores(r, {(0, 2): "–", (1, 2): "3,5", (2, 2): "4 – hyvä", (3, 8): None})
        values.insert(4, "Näyttöä kertynyt" if r == 1 else None)
        rows.append([r + 1, "Kylätalo", f"Arvioija {r + 1}", f"{r + 1}.4.2025", 2, *values])
        rows[-1].append("Lupaava" if r == 0 else None)
    total = ["Yhteensä 4 arviointia", *[None] * 16]
    sheet = [title, [None] * 17, header, *rows, [None] * 17, total]
    return write_book(
        folder / "SOILA arvioinnit syksy.xlsx",
        {"Arvioinnit": sheet},
        merged={"Arvioinnit": ["A1:Q1"]},
    )


def handmade_sv(folder: Path) -> Path:
    """A Swedish sheet: the type in everyday words, the scale in the header, comments."""
    header = ["Innovation", "Bedömare", "Datum", "Typ av bedömning"]
    header += [f"{name} (1–5)" for name in SV] + ["Kommentar"]
    kinds = ["självbedömning", "expert", "kollega"]
    rows = [
        [
            "Arbetsprövning",
            f"Bedömare {r + 1}",
            f"{r + 2}.5.2025",
            kind,
            *scores(r, {(2, 4): "ej bedömd"}),
            None,
        ]
        for r, kind in enumerate(kinds)
    ]
    return write_book(folder / "Bedömningar 2025.xlsx", {"Bedömningar": [header, *rows]})


def handmade_long_en(folder: Path) -> Path:
    """One row per score, as someone copied them from paper forms."""
    header = ["Innovation", "Assessor", "Date", "Criterion", "Score", "Comment"]
    rows = []
    for r, who in enumerate(["Alex", "Sam"]):
        for c, name in enumerate(EN[:5]):
            rows.append(["Family centre", who, f"2025-05-1{r}", name, score(r, c), None])
    rows[3][4] = "n/a"
    return write_book(folder / "paper forms typed.xlsx", {"Scores": [header, *rows]})


CLEAN: dict[str, Callable[[Path], Path]] = {
    "ms_forms_en": ms_forms_en,
    "ms_forms_fi": ms_forms_fi,
    "ms_forms_sv": ms_forms_sv,
    "google_forms_en": google_forms_en,
    "google_forms_sv": google_forms_sv,
    "webropol_fi": webropol_fi,
    "webropol_en": webropol_en,
    "surveymonkey_en": surveymonkey_en,
    "surveymonkey_fi": surveymonkey_fi,
    "limesurvey_en": limesurvey_en,
    "limesurvey_fi": limesurvey_fi,
    "handmade_fi": handmade_fi,
    "handmade_sv": handmade_sv,
    "handmade_long_en": handmade_long_en,
}


# one deliberate problem each ------------------------------------------------------------------
def value_needs_a_map(folder: Path) -> Path:
    """Microsoft Forms, Finnish: an assessment type the hub cannot read ("ohjausryhmä")."""
    path = ms_forms_fi(folder)
    book = openpyxl.load_workbook(path)
    book["Form1"]["H3"] = "ohjausryhmä"
    book["Form1"]["H5"] = "Ohjausryhmä"
    out = folder / "Arviointilomake ohjausryhmä.xlsx"
    book.save(out)
    return out


def mixes_frameworks(folder: Path) -> Path:
    """Google Forms, English: nine criteria of the SI tool and the award's "Answers the
    problem" (yes / partly / no)."""
    header = ["Timestamp", "Innovation name", *EN[:9], "Answers the problem"]
    rows = [
        [START + timedelta(hours=r), "Model 1", *scores(r, n=9), ["yes", "partly"][r]]
        for r in range(2)
    ]
    return write_book(folder / "Mixed (Responses).xlsx", {"Form Responses 1": [header, *rows]})


def respondent_numbers_only(folder: Path) -> Path:
    """A hand-made sheet whose only assessor-like column is the respondent's number."""
    header = ["Vastaaja", "Innovaatio", *FI[:3]]
    rows = [[r + 1, "Olohuone", *scores(r, n=3)] for r in range(3)]
    return write_book(folder / "vastaajat.xlsx", {"Vastaukset": [header, *rows]})


def looks_like_a_criterion(folder: Path) -> Path:
    """Ten criteria and an eleventh question with a scale that the hub has not."""
    header = ["Innovaatio", "Arvioija", *(f"{n} (1–5)" for n in FI), "Kustannustehokkuus (1–5)"]
    rows = [["Olohuone", f"Arvioija {r}", *scores(r), 3] for r in range(2)]
    return write_book(folder / "yksitoista.xlsx", {"Vastaukset": [header, *rows]})


def stated_scale_differs(folder: Path) -> Path:
    """A criterion headed "(0–5)": the SI tool rates it on 1–5."""
    header = ["Innovaatio", "Arvioija", "Yhteiskunnallinen tarve (0–5)", "Uutuusarvo (1–5)"]
    rows = [["Olohuone", "A", 1, 4], ["Kotiapu", "B", 3, 4], ["Työpaja", "C", 5, 2]]
    return write_book(folder / "asteikot.xlsx", {"Vastaukset": [header, *rows]})


PROBLEMS: dict[str, Callable[[Path], Path]] = {
    "value_needs_a_map": value_needs_a_map,
    "mixes_frameworks": mixes_frameworks,
    "respondent_numbers_only": respondent_numbers_only,
    "looks_like_a_criterion": looks_like_a_criterion,
    "stated_scale_differs": stated_scale_differs,
}
