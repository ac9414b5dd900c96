"""The demo data: deterministic for a reference date, realistic, loaded through the importer,
and defaming no one: every score, assessment, award and summary belongs to fictional bodies and
says what its scores say."""

import re
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from sihub.access import Visibility
from sihub.db import connect
from sihub.demo import DemoStoreExistsError, build_demo_store, generate_demo_workbooks
from sihub.demo.content import CONCEPTS, FUNDING, ORGANISATIONS
from sihub.profile import criterion_comparison
from sihub.scores import DISAGREEMENT, EXTERNAL_TYPES

# The real bodies the demo's content names (grep sihub/demo/content.py and the regions of
# data/vocabularies.toml): the centre and its partners, the funders of the catalogue, and the
# cities the fictional organisations work in. Places may be where something happens; none of
# these may lead, partner, assess, self-assess or fund anything that carries a judgement.
CENTRE = ("THL", "SOSTE", "Kuntaliitto", "Diak", "Kuntoutussäätiö", "LUT", "Silta-Valmennus",
          "Sosiaalisten innovaatioiden arviointipilotti")  # fmt: skip
REAL_FUNDERS = (
    "ELY-keskus",
    "ELY-keskukset",
    "STEA",
    "Business Finland",
    "Sitra",
    "Kela",
    "Kelan",
    "Suomen Kulttuurirahasto",
    "European Competence Centre for Social Innovation",
    "European Commission",
    "Opetushallitus",
    "Erasmus+",
    "Sosiaali- ja terveysministeriö",
    "Työ- ja elinkeinoministeriö",
    "ESR",
    "Euroopan sosiaalirahasto",
)
REAL_MUNICIPALITIES = (  # with the genitive, as in "Oulun kaupunki"
    "Helsinki", "Helsingin", "Oulu", "Oulun", "Tampere", "Tampereen", "Joensuu", "Joensuun",
    "Vantaa", "Vantaan", "Rovaniemi", "Rovaniemen", "Jyväskylä", "Jyväskylän", "Kajaani",
    "Kajaanin", "Turku", "Turun", "Lahti", "Lahden", "Mikkeli", "Mikkelin", "Seinäjoki",
    "Seinäjoen", "Kuopio", "Kuopion", "Hyvinkää", "Hyvinkään", "Pori", "Porin", "Vaasa",
    "Vaasan", "Kotka", "Kotkan", "Lappeenranta", "Lappeenrannan", "Hämeenlinna",
    "Hämeenlinnan", "Lohja", "Lohjan", "Porvoo", "Porvoon", "Kokkola", "Kokkolan", "Järvenpää",
    "Järvenpään", "Alavus", "Alavuden", "Tallinna", "Riika",
)  # fmt: skip
FICTIONAL_PLACES = ("Esimerkkilä", "Kuvitelmala", "Keksilä", "Länsi-Esimerkki", "Keski-Esimerkki",
                    "Tunturi-Esimerkki", "Valtakunnallinen")  # fmt: skip


def cells(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_same_reference_date_gives_identical_workbooks(tmp_path):
    day = date(2026, 3, 15)
    first = generate_demo_workbooks(tmp_path / "a", day)
    second = generate_demo_workbooks(tmp_path / "b", day)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert cells(a) == cells(b), a.name


def test_dates_follow_the_reference_date(tmp_path):
    early = cells(generate_demo_workbooks(tmp_path / "a", date(2025, 1, 10))[0])
    late = cells(generate_demo_workbooks(tmp_path / "b", date(2026, 1, 10))[0])
    header = early["Funding"][0]
    deadline = header.index("deadline")
    shifted = [
        (e[deadline], lt[deadline])
        for e, lt in zip(early["Funding"][1:], late["Funding"][1:], strict=True)
        if e[deadline] and lt[deadline]
    ]
    assert shifted and all(lt > e for e, lt in shifted)


def test_demo_store_is_realistic(demo_db):
    s = connect(str(demo_db))
    assert 75 <= s.scalar("SELECT count(*) FROM innovations") <= 85
    assert 35 <= s.scalar("SELECT count(*) FROM organisations") <= 45
    assert 180 <= s.scalar("SELECT count(*) FROM assessments") <= 260
    assert 20 <= s.scalar("SELECT count(*) FROM funding_opportunities") <= 30
    assert s.scalar("SELECT count(DISTINCT round) FROM assessments") in (2, 3)
    kinds = {r[0] for r in s.rows("SELECT DISTINCT assessment_type FROM assessments")}
    assert {"self", "peer", "expert"} <= kinds
    assert s.scalar("SELECT count(DISTINCT stage_code) FROM innovations") == 6
    assert s.scalar("SELECT count(DISTINCT region_code) FROM innovation_regions") >= 15
    assert s.scalar("SELECT count(DISTINCT theme_code) FROM innovation_themes") >= 12
    assert s.scalar("SELECT count(DISTINCT target_group_code) FROM innovation_target_groups") == 9
    # Finnish comments, and assessments that leave criteria unscored (missing, never 0)
    assert s.scalar("SELECT count(*) FROM scores WHERE comment LIKE '%ä%'") > 50
    unscored = s.scalar("""SELECT count(*) FROM assessments a WHERE a.framework_code = 'si_tool'
        AND (SELECT count(*) FROM scores WHERE assessment_id = a.id) < 10""")
    assert unscored > 10
    # strong disagreements between assessors on the same criterion in the same round
    disagreements = s.scalar("""
        SELECT count(*) FROM (SELECT a.innovation_id, a.round, s.criterion_code
          FROM scores s JOIN assessments a ON a.id = s.assessment_id
          WHERE a.assessment_type <> 'self'
          GROUP BY ALL HAVING max(s.value) - min(s.value) >= 3)""")
    assert disagreements >= 5
    assert s.meta("dataset") == "demo"
    s.close()


def test_a_few_external_results_are_published_and_no_internal_rating_is(demo_db):
    """The public view of the demo shows a few innovations' results (``sihub.access``)."""
    s = connect(str(demo_db))
    try:
        published = s.rows(
            "SELECT DISTINCT innovation_id, assessment_type, shared FROM assessments "
            "WHERE published AND superseded_by_batch IS NULL"
        )
        innovations = {i for i, _, _ in published}
        assert 3 <= len(innovations) <= 15
        assert {kind for _, kind, _ in published} <= {"peer", "expert", "jury"}
        assert all(shared for _, _, shared in published)
        internal = s.scalar("SELECT count(*) FROM assessments WHERE NOT shared")
        assert internal > 0  # the funders' own ratings: there to be kept from funders
    finally:
        s.close()


def test_developers_answers_name_groups_in_words_not_codes(demo_db):
    """A profile shows the developers' answers as written: no vocabulary code in them."""
    s = connect(str(demo_db))
    try:
        codes = {c for (c,) in s.rows("SELECT code FROM target_groups")}
        codes |= {c for (c,) in s.rows("SELECT code FROM themes")}
        answers = [a for (a,) in s.rows("SELECT answer FROM developer_answers")]
    finally:
        s.close()
    assert answers and codes
    found = {c for c in codes for a in answers if re.search(rf"\b{re.escape(c)}\b", a)}
    assert not found
    assert any("nuoret" in a for a in answers)  # a target group, in Finnish


def test_funding_calls_are_real_programmes_with_sources_and_current_deadlines(demo_db):
    s = connect(str(demo_db))
    funders = {r[0] for r in s.rows("SELECT funder FROM funding_opportunities")}
    assert {"STEA", "Business Finland", "Sitra", "Kela"} <= funders
    assert (
        s.scalar("SELECT count(*) FROM funding_opportunities WHERE source_url NOT LIKE 'https://%'")
        == 0
    )
    today = date.fromisoformat(s.meta("demo_reference_date"))
    statuses = s.rows(
        """SELECT count(*) FILTER (WHERE deadline < ?), count(*) FILTER
        (WHERE deadline >= ?), count(*) FILTER (WHERE continuous) FROM funding_opportunities""",
        [today, today],
    )[0]
    assert all(n > 0 for n in statuses)  # closed, upcoming and continuous calls all present
    assert s.scalar("SELECT max(assessed_on) FROM assessments") <= today
    assert s.scalar("SELECT max(assessed_on) FROM assessments") >= today - timedelta(days=120)
    s.close()


def test_every_demo_row_is_traceable_to_its_file_sheet_and_row(demo_db):
    s = connect(str(demo_db))
    untraced = s.scalar("""SELECT count(*) FROM scores s LEFT JOIN import_batches b
        ON b.id = s.batch_id WHERE b.file_name IS NULL OR s.source_sheet IS NULL
        OR s.source_row IS NULL OR s.source_column IS NULL""")
    assert untraced == 0
    assert s.rows("SELECT DISTINCT kind FROM import_batches") == [("demo",)]
    s.close()


def test_existing_store_is_replaced_only_when_asked(tmp_path):
    path = tmp_path / "demo.duckdb"
    path.write_bytes(b"someone's data")
    with pytest.raises(DemoStoreExistsError):
        build_demo_store(path, date(2026, 1, 1), workbook_dir=tmp_path / "wb")
    assert path.read_bytes() == b"someone's data"


# defaming no one -------------------------------------------------------------------------------
def test_the_list_of_real_names_covers_what_the_content_names():
    """A real funder or town added to the content must be added to the lists above."""
    for call in FUNDING:
        assert any(name in call["funder"] for name in REAL_FUNDERS), call["funder"]
    places = {o[3] for o in ORGANISATIONS if o[3]} | {
        part
        for concept in CONCEPTS
        for instance in concept[5]
        for part in re.split(r", | ja ", instance[3])
    }
    assert places <= set(REAL_MUNICIPALITIES) | set(FICTIONAL_PLACES)


def real_names(store) -> list[str]:
    counties = [
        name
        for row in store.rows(
            "SELECT name_fi, name_sv, name_en FROM regions WHERE kind IN ('county', 'city')"
        )
        for name in row
    ]
    return [*CENTRE, *REAL_FUNDERS, *REAL_MUNICIPALITIES, *counties]


def naming_a_real_body(texts, store) -> dict[str, list[str]]:
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(n)}(?![\w-])" for n in real_names(store)))
    found = {}
    for text in texts:
        hits = pattern.findall(text or "")
        if hits:
            found[text] = hits
    return found


def test_no_real_body_carries_a_score_an_assessment_or_an_award(demo_db):
    s = connect(str(demo_db))
    judged = """(SELECT innovation_id FROM assessments UNION SELECT innovation_id
                 FROM funding_awards)"""
    linked = [
        r[0]
        for r in s.rows(f"""SELECT DISTINCT o.name FROM innovation_organisations l
        JOIN organisations o ON o.id = l.organisation_id WHERE l.innovation_id IN {judged}""")
    ]
    assessors = [x for r in s.rows("SELECT name, organisation FROM assessors") for x in r]
    awards = [
        x
        for r in s.rows("""SELECT a.funder, a.programme, o.name FROM funding_awards a
        LEFT JOIN organisations o ON o.id = a.organisation_id""")
        for x in r
    ]
    described = [x for r in s.rows(f"""SELECT funder_text, collection FROM innovations
        WHERE id IN {judged}""") for x in r]  # fmt: skip
    assert len(linked) > 30 and len(assessors) > 10 and len(awards) > 30
    assert naming_a_real_body([*linked, *assessors, *awards, *described], s) == {}
    # and every organisation of the demo is fictional, whatever it is linked to
    organisations = [r[0] for r in s.rows("SELECT name FROM organisations")]
    assert naming_a_real_body(organisations, s) == {}
    s.close()


def test_the_check_would_catch_a_real_body(demo_db):
    s = connect(str(demo_db))
    assert naming_a_real_body(["Oulun kaupunki", "Kehittäjätiimi: THL"], s) == {
        "Oulun kaupunki": ["Oulun"],
        "Kehittäjätiimi: THL": ["THL"],
    }
    assert naming_a_real_body(["Pirkanmaan hyvinvointialue", "Diakoniaverkosto Kuvitelma"], s) == {
        "Pirkanmaan hyvinvointialue": ["Pirkanmaan hyvinvointialue"]
    }
    s.close()


def test_awards_come_from_fictional_funders_and_calls_say_what_is_invented(demo_db):
    s = connect(str(demo_db))
    award_funders = {r[0] for r in s.rows("SELECT DISTINCT funder FROM funding_awards")}
    call_funders = {r[0] for r in s.rows("SELECT DISTINCT funder FROM funding_opportunities")}
    assert award_funders and not award_funders & call_funders
    assert s.scalar("SELECT count(*) FROM funding_awards WHERE opportunity_id IS NOT NULL") == 0
    # nobody checked the demo's calls on a day: no fabricated "last checked"
    assert (
        s.scalar("SELECT count(*) FROM funding_opportunities WHERE last_checked IS NOT NULL") == 0
    )
    notes = [r[0] for r in s.rows("SELECT description FROM funding_opportunities")]
    assert all(n.startswith("Demoaineisto") and "Keksitty demoa varten:" in n for n in notes)
    s.close()


def test_summaries_say_what_the_scores_say(demo_db):
    """A summary names a disagreement where, and only where, the external assessors of that
    innovation and round lie at least ``DISAGREEMENT`` of the scale apart on that criterion,
    and names as strongest and weakest only criteria its own assessor scored."""
    s = connect(str(demo_db))
    names = {
        r[0][0].lower() + r[0][1:]: r[1]
        for r in s.rows("SELECT name_fi, code FROM criteria WHERE framework_code = 'si_tool'")
    }
    spreads = {
        (r[0], r[1], r[2]): r[3]
        for r in s.rows(
            """SELECT a.innovation_id, a.round, s.criterion_code,
                      max(s.normalised) - min(s.normalised)
               FROM assessments a JOIN scores s ON s.assessment_id = a.id
               WHERE a.framework_code = 'si_tool' AND list_contains(?, a.assessment_type)
                 AND s.normalised IS NOT NULL
               GROUP BY ALL""",
            [list(EXTERNAL_TYPES)],
        )
    }
    summaries = s.rows("""SELECT a.id, a.innovation_id, a.round, a.summary,
        list(s.criterion_code) FILTER (WHERE s.normalised IS NOT NULL)
        FROM assessments a LEFT JOIN scores s ON s.assessment_id = a.id
        WHERE a.summary IS NOT NULL GROUP BY ALL""")
    disputed = 0
    for _, innovation, round_no, summary, scored in summaries:
        own, _, dispute = summary.partition(" Arvioijat olivat eri mieltä kriteeristä ")
        if dispute:
            criterion = names[dispute.split(";")[0]]
            assert spreads[(innovation, round_no, criterion)] >= DISAGREEMENT - 1e-9, summary
            disputed += 1
        else:
            panel = [v for k, v in spreads.items() if k[:2] == (innovation, round_no)]
            widest = max(panel, default=0)
            assert widest < DISAGREEMENT - 1e-9, summary
        mentioned = {code for name, code in names.items() if name in own}
        assert mentioned <= set(scored), summary
    assert len(summaries) > 100 and disputed > 5
    # the developers' own assessments carry no summary
    assert s.scalar("SELECT count(*) FROM assessments WHERE assessment_type = 'self' "
                    "AND summary IS NOT NULL") == 0  # fmt: skip
    s.close()


# every scale, end to end -------------------------------------------------------------------------
def test_every_scale_is_used_by_some_demo_assessment(demo_db):
    s = connect(str(demo_db))
    used = {
        r[0]
        for r in s.rows("""SELECT DISTINCT c.scale_code FROM scores s
        JOIN assessments a ON a.id = s.assessment_id
        JOIN criteria c ON c.framework_code = a.framework_code AND c.code = s.criterion_code""")
    }
    assert used == {r[0] for r in s.rows("SELECT code FROM scales")}
    s.close()


@pytest.mark.parametrize(
    ("framework", "scale"),
    [("esr_content", "0-5"), ("esr_horizontal", "0-3"), ("innokyla_mittari", "traffic_light")],
)
def test_the_other_scales_are_stored_normalised_and_profiled(demo_db, framework, scale):
    """Imported from a workbook, stored raw and normalised as the scale says, and the profile's
    figures are the normalised scores (one assessor each)."""
    s = connect(str(demo_db))
    low, high = s.rows("SELECT min_value, max_value FROM scales WHERE code = ?", [scale])[0]
    levels = dict(s.rows("SELECT code, normalised FROM scale_levels WHERE scale_code = ?", [scale]))
    rows = s.rows(
        """SELECT a.innovation_id, s.criterion_code, s.value, s.level_code, s.normalised
           FROM scores s JOIN assessments a ON a.id = s.assessment_id
           WHERE a.framework_code = ?""",
        [framework],
    )
    assert len({r[0] for r in rows}) >= 3
    for _, _, value, level, normalised in rows:
        expected = levels[level] if low is None else (value - low) / (high - low)
        assert normalised == pytest.approx(expected, abs=1e-6)
    innovation = rows[0][0]
    profile = criterion_comparison(s, Visibility.ALL, innovation, framework, "all", "en").set_index(
        "criterion_code"
    )
    for _, criterion, _, _, normalised in (r for r in rows if r[0] == innovation):
        assert profile.loc[criterion, "mean"] == pytest.approx(normalised)
        assert profile.loc[criterion, "assessors"] == 1
    s.close()
