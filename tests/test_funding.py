"""Funding calls: status on a given day (Finnish time, deadline day open), the catalogue and its
filters, a call's facts, exports that import back, and imports with undo."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from sihub import exports, overview
from sihub.access import Visibility
from sihub.charts.funding import DAY_MS, deadline_timeline
from sihub.db.store import Store
from sihub.errors import NotFoundError
from sihub.funding import catalogue, export, filters, status, timeline, words
from sihub.importing import import_file, undo_batch
from tests.builders import BY_STAFF, copy_store, write_workbook

STAFF = Visibility.ALL  # the calls with the files they came from

TODAY = date(2026, 6, 1)
HEADER = [
    "ref",
    "funder",
    "funder_type",
    "call_name",
    "instrument",
    "amount_min",
    "amount_max",
    "funding_rate_max",
    "consortium_required",
    "eligible_applicant_types",
    "themes",
    "target_groups",
    "geographic_scope",
    "opens_on",
    "deadline",
    "continuous",
    "last_checked",
]


def call_row(ref, **values):
    """A Funding-sheet row with sensible defaults; dates relative to TODAY in days."""
    row = {
        "ref": ref,
        "funder": "STEA",
        "funder_type": "public_national",
        "call_name": f"Call {ref}",
        "instrument": "grant",
        "amount_min": 50000,
        "amount_max": 200000,
        "funding_rate_max": "80 %",
        "consortium_required": "ei",
        "eligible_applicant_types": "association; foundation",
        "themes": "employment",
        "target_groups": "youth",
        "geographic_scope": "national",
        "opens_on": -10,
        "deadline": 60,
        "continuous": None,
        "last_checked": -5,
    }
    row.update(values)
    for key in ("opens_on", "deadline", "last_checked"):
        if isinstance(row[key], int):
            row[key] = TODAY + timedelta(days=row[key])
    return [row[h] for h in HEADER]


def import_calls(store, tmp_path: Path, rows, name="calls.xlsx"):
    path = write_workbook(tmp_path / name, {"Funding": [HEADER, *rows]})
    result = import_file(store, path, today=TODAY, by=BY_STAFF)
    assert result.ok, [(i.location, i.code) for i in result.issues]
    return result


@pytest.fixture
def catalogue_store(store, tmp_path):
    import_calls(
        store,
        tmp_path,
        [
            call_row("OPEN", call_name="Työllisyyden kehittämishanke"),
            call_row("CLOSING", deadline=10, funder_type="eu", themes="housing"),
            call_row("SOON", opens_on=20, deadline=90, instrument="loan", themes=None),
            call_row("CLOSED", opens_on=-100, deadline=-1, amount_min=None, amount_max=None),
            call_row(
                "ALWAYS",
                deadline=None,
                continuous="kyllä",
                amount_min=500000,
                amount_max=900000,
                eligible_applicant_types="company",
                last_checked=-400,
            ),
        ],
    )
    return store


@pytest.fixture
def store_factory(template_db, tmp_path):
    """Fresh migrated stores with reference data (copies of the template), closed after the
    test."""
    made = []

    def make() -> Store:
        fresh = copy_store(template_db, tmp_path / f"fresh-{len(made)}.duckdb")
        made.append(fresh)
        return fresh

    yield make
    for fresh in made:
        fresh.close()


# status --------------------------------------------------------------------------------------
STATUS_CASES = [
    # (opens_on, deadline, continuous, expected) with days relative to TODAY
    (-10, 0, False, "closing"),  # the deadline day itself is still open
    (-10, -1, False, "closed"),
    (1, 60, False, "forthcoming"),
    (0, 60, False, "open"),  # the opening day is open
    (-10, 30, False, "closing"),
    (-10, 31, False, "open"),
    (None, None, True, "continuous"),
    (5, None, True, "forthcoming"),  # a continuous call that opens later
    (-400, -1, True, "closed"),  # a continuous call that has ended
    (-10, 20, True, "closing"),  # a continuous call ending soon says so
    (None, None, False, "open"),  # nothing recorded: not closed
]


def _day(offset):
    return None if offset is None else TODAY + timedelta(days=offset)


@pytest.mark.parametrize(("opens", "deadline", "continuous", "expected"), STATUS_CASES)
def test_call_status_in_python(opens, deadline, continuous, expected):
    assert status.call_status(_day(opens), _day(deadline), continuous, TODAY) == expected


def test_sql_status_says_the_same_as_python(store):
    rows = [(_day(o), _day(d), c) for o, d, c, _ in STATUS_CASES]
    found = store.rows(
        f"""SELECT {status.status_sql("$today")} FROM (
              SELECT unnest($opens) AS opens_on, unnest($deadlines) AS deadline,
                     unnest($continuous) AS continuous)""",
        {
            "today": TODAY,
            "opens": [r[0] for r in rows],
            "deadlines": [r[1] for r in rows],
            "continuous": [r[2] for r in rows],
        },
    )
    assert [r[0] for r in found] == [case[3] for case in STATUS_CASES]


@pytest.mark.parametrize(
    ("instant", "finnish_day"),
    [
        (datetime(2026, 6, 30, 20, 59, tzinfo=UTC), date(2026, 6, 30)),  # 23:59 in summer
        (datetime(2026, 6, 30, 21, 0, tzinfo=UTC), date(2026, 7, 1)),  # midnight, UTC+3
        (datetime(2026, 1, 15, 21, 59, tzinfo=UTC), date(2026, 1, 15)),  # 23:59 in winter
        (datetime(2026, 1, 15, 22, 0, tzinfo=UTC), date(2026, 1, 16)),  # midnight, UTC+2
        (datetime(2026, 6, 30, 21, 30), date(2026, 7, 1)),  # a naive time is UTC
    ],
)
def test_today_is_the_day_in_finland_whatever_the_server_zone(instant, finnish_day):
    assert status.today_in_finland(instant) == finnish_day


def test_a_call_closing_on_30_june_is_open_until_midnight_in_helsinki():
    deadline = date(2026, 6, 30)
    evening = status.today_in_finland(datetime(2026, 6, 30, 20, 30, tzinfo=UTC))  # 23:30
    after = status.today_in_finland(datetime(2026, 6, 30, 21, 30, tzinfo=UTC))  # 00:30
    assert status.call_status(None, deadline, False, evening) == "closing"
    assert status.call_status(None, deadline, False, after) == "closed"


def test_overview_counts_open_calls_with_the_same_definition(demo_store):
    today = demo_store.meta("demo_reference_date")
    today = date.fromisoformat(today)
    calls = catalogue.calls(demo_store, STAFF, today, "en")
    accepting = calls[calls.status.isin(status.ACCEPTING)]
    figures = overview.headline_figures(demo_store, Visibility.ALL, today)
    assert figures["open_calls"] == len(accepting) > 0
    # a range of what one project may get, never a sum of different calls' largest grants
    assert figures["open_amount_low"] == accepting.amount_min.fillna(accepting.amount_max).min()
    assert figures["open_amount_high"] == accepting.amount_max.fillna(accepting.amount_min).max()
    assert "open_total" not in figures


@pytest.mark.parametrize(
    ("low", "high", "missing", "expected"),
    [
        (5000, 3500000, 0, "€5,000–€3,500,000 per project, as the calls state"),
        (
            5000,
            3500000,
            2,
            "€5,000–€3,500,000 per project, as the calls state (2 calls state none)",
        ),
        (30000, 30000, 0, "€30,000 per project, as the calls state"),
        (None, None, 3, "no call states an amount"),
    ],
)
def test_the_open_calls_note_states_the_range_of_amounts(low, high, missing, expected):
    figures = {"open_amount_low": low, "open_amount_high": high, "open_without_amount": missing}
    assert overview.open_calls_note(figures, "en") == expected


def test_the_open_calls_note_writes_euros_as_the_language_does():
    figures = {"open_amount_low": 5000, "open_amount_high": 3500000, "open_without_amount": 0}
    assert overview.open_calls_note(figures, "fi") == (
        "5\u00a0000\u00a0€–3\u00a0500\u00a0000\u00a0€ hanketta kohden hakujen mukaan"
    )
    assert overview.open_calls_note(figures, "sv").startswith("5\u00a0000\u00a0€–3\u00a0500")


@pytest.mark.parametrize(
    ("low", "high", "en", "fi"),
    [
        (12345, None, "from €12,345", "vähintään 12\u00a0345\u00a0€"),
        (None, 12345, "up to €12,345", "enintään 12\u00a0345\u00a0€"),
        (12345, 12345, "€12,345", "12\u00a0345\u00a0€"),
        (1000, 12345, "€1,000–€12,345", "1\u00a0000\u00a0€–12\u00a0345\u00a0€"),
    ],
)
def test_a_calls_amount_is_money_as_the_language_writes_it(low, high, en, fi):
    assert words.amount_text(low, high, "en") == en
    assert words.amount_text(low, high, "fi") == fi


# the catalogue -------------------------------------------------------------------------------
def refs(df: pd.DataFrame) -> set[str]:
    return set(df.ref)


def test_catalogue_lists_accepting_calls_first_with_names_in_the_language(catalogue_store):
    df = catalogue.calls(catalogue_store, STAFF, TODAY, "fi")
    assert list(df.ref) == ["CLOSING", "OPEN", "ALWAYS", "SOON", "CLOSED"]
    first = df.iloc[0]
    assert first.status_name == "Sulkeutuu 30 päivän sisällä"
    assert first.days_left == 10
    assert first.themes_names == ["Asuminen ja asunnottomuus"]
    assert df.set_index("ref").loc["OPEN", "instrument_name"] == "Avustus"


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (filters.CallFilter(statuses=("open",)), {"OPEN"}),
        (
            filters.CallFilter(statuses=("open", "closing", "continuous")),
            {"OPEN", "CLOSING", "ALWAYS"},
        ),
        (filters.CallFilter(funder_types=("eu",)), {"CLOSING"}),
        (filters.CallFilter(instruments=("loan",)), {"SOON"}),
        # a call naming no theme is open to every theme, so it stays in
        (filters.CallFilter(themes=("housing",)), {"CLOSING", "SOON"}),
        (filters.CallFilter(applicant_types=("company",)), {"ALWAYS"}),
        (filters.CallFilter(q="tyollisyyden"), {"OPEN"}),  # accents and case do not matter
        (filters.CallFilter(amount_from=300000), {"ALWAYS"}),
        (filters.CallFilter(amount_to=40000), set()),
        (filters.CallFilter(amount_from=100000, amount_to=150000), {"OPEN", "CLOSING", "SOON"}),
    ],
)
def test_catalogue_filters(catalogue_store, flt, expected):
    assert refs(catalogue.calls(catalogue_store, STAFF, TODAY, "en", flt)) == expected


def test_amount_filter_says_how_many_calls_it_left_out_for_lacking_an_amount(catalogue_store):
    flt = filters.CallFilter(amount_from=100000)
    assert "CLOSED" not in refs(catalogue.calls(catalogue_store, STAFF, TODAY, "en", flt))
    assert catalogue.left_out_without_amount(catalogue_store, flt, TODAY) == 1
    assert catalogue.left_out_without_amount(catalogue_store, filters.CallFilter(), TODAY) == 0


def test_filter_round_trips_through_the_url_and_ignores_junk():
    flt = filters.CallFilter(
        q="nuoret", statuses=("open", "closing"), themes=("employment",), amount_from=50000.0
    )
    query = flt.to_query()
    assert query == {
        "q": "nuoret",
        "status": "open,closing",
        "theme": "employment",
        "amount_from": "50000",
    }
    assert filters.CallFilter.from_query(query) == flt
    junk = filters.CallFilter.from_query({"amount_from": "lots", "amount_to": "-5", "status": ""})
    assert junk == filters.CallFilter()


def test_entries_unchecked_for_over_a_year_are_flagged_possibly_outdated(catalogue_store):
    df = catalogue.calls(catalogue_store, STAFF, TODAY, "en").set_index("ref")
    assert df.loc["ALWAYS", "outdated"]  # checked 400 days ago
    assert not df.loc["OPEN", "outdated"]  # checked 5 days ago
    later = catalogue.calls(catalogue_store, STAFF, TODAY + timedelta(days=361), "en").set_index(
        "ref"
    )
    assert later.loc["OPEN", "outdated"]  # 366 days after its check


def test_a_calls_facts_are_in_words_and_missing_ones_say_so(catalogue_store):
    call_id = catalogue_store.scalar("SELECT id FROM funding_opportunities WHERE ref = 'OPEN'")
    facts = dict(
        words.call_facts(catalogue.call(catalogue_store, STAFF, call_id, TODAY, "en"), "en")
    )
    assert facts["Amount"] == "€50,000–€200,000"
    assert facts["Maximum funding rate"] == "up to 80% of eligible costs"
    assert facts["Consortium required"] == "No"
    assert facts["Eligible applicant types"] == "Association, Foundation"
    assert facts["Deadline"] == f"{TODAY + timedelta(days=60)} (60 days left)"
    assert facts["Consortium and eligibility rules"] == "Not recorded"
    assert facts["Imported from"] == "calls.xlsx, sheet Funding, row 2"
    fi = dict(words.call_facts(catalogue.call(catalogue_store, STAFF, call_id, TODAY, "fi"), "fi"))
    assert fi["Summa"] == "50\u00a0000\u00a0€–200\u00a0000\u00a0€"
    assert fi["Tukiprosentti enintään"] == "enintään 80\u00a0% hyväksyttävistä kustannuksista"


def test_an_unknown_call_is_not_found(catalogue_store):
    with pytest.raises(NotFoundError):
        catalogue.call(catalogue_store, STAFF, 999, TODAY, "en")


# the timeline --------------------------------------------------------------------------------
def test_timeline_draws_calls_from_opening_to_the_end_of_the_deadline_day(catalogue_store):
    df = timeline.timeline_rows(catalogue.calls(catalogue_store, STAFF, TODAY, "en"))
    names = {s: s for s in status.STATUSES}
    fig = deadline_timeline(df, TODAY, status_names=names, today_label="Today")
    bars = {trace.name: trace for trace in fig.data if trace.type == "bar"}
    opened = bars["open"]
    assert list(opened.base) == [(TODAY - timedelta(days=10)).isoformat()]
    assert list(opened.x) == [71 * DAY_MS]  # 10 days before, 60 after, and the deadline day
    continuous = bars["continuous"]
    assert list(continuous.marker.pattern.shape) == ["/"]
    assert fig.layout.shapes[0].x0 == TODAY.isoformat()  # today is marked


def test_timeline_sentence_names_the_next_deadline(catalogue_store):
    df = catalogue.calls(catalogue_store, STAFF, TODAY, "en")
    sentence = timeline.timeline_sentence(df, "en")
    assert "3 of these 5 calls take applications now" in sentence
    assert "The next deadline is Call CLOSING (STEA)" in sentence
    assert "in 10 days" in sentence


# exports and imports -------------------------------------------------------------------------
def test_exported_call_list_imports_back_into_a_fresh_store(catalogue_store, store_factory):
    df = catalogue.calls(
        catalogue_store, STAFF, TODAY, "fi", filters.CallFilter(statuses=("open",))
    )
    frame = export.export_frame(df, "fi")
    assert "Tila" in frame.columns and "Haku" in frame.columns
    data = exports.excel_bytes(
        {"Rahoitus": frame},
        export.export_about(filters.CallFilter(statuses=("open",)), TODAY, len(frame), "fi"),
    )
    fresh = store_factory()
    result = import_file(fresh, data, "export.xlsx", today=TODAY, by=BY_STAFF)
    assert result.ok, [(i.location, i.code) for i in result.issues if i.blocking]
    again = catalogue.calls(fresh, STAFF, TODAY, "fi")
    assert list(again.ref) == ["OPEN"]
    assert again.iloc[0].themes == ["employment"]
    assert again.iloc[0].amount_max == 200000


def test_a_finnish_csv_export_imports_back_unchanged(catalogue_store, store_factory):
    """The semicolon-separated, decimal-comma CSV a Finnish user downloads goes back in."""
    df = catalogue.calls(
        catalogue_store, STAFF, TODAY, "fi", filters.CallFilter(statuses=("open",))
    )
    data = exports.csv_bytes(export.export_frame(df, "fi"), lang="fi")
    assert data.decode("utf-8-sig").splitlines()[0].count(";") > 10
    fresh = store_factory()
    result = import_file(fresh, data, "rahoitus.csv", today=TODAY, by=BY_STAFF)
    assert result.ok, [(i.location, i.code) for i in result.issues if i.blocking]
    again = catalogue.calls(fresh, STAFF, TODAY, "fi")
    assert list(again.ref) == ["OPEN"] and again.iloc[0].amount_max == 200000


def test_csv_export_escapes_formulas(catalogue_store, tmp_path):
    import_calls(
        catalogue_store, tmp_path, [call_row("EVIL", call_name="@HYPERLINK(1)")], "evil.xlsx"
    )
    df = catalogue.calls(catalogue_store, STAFF, TODAY, "en", filters.CallFilter(q="hyperlink"))
    text = exports.csv_bytes(export.export_frame(df, "en")).decode("utf-8-sig")
    assert "'@HYPERLINK(1)" in text


def test_funding_calls_import_update_by_reference_and_undo(store, tmp_path):
    first = import_calls(store, tmp_path, [call_row("A"), call_row("B")], "first.xlsx")
    assert set(catalogue.calls(store, STAFF, TODAY, "en").ref) == {"A", "B"}
    second = import_calls(store, tmp_path, [call_row("A", deadline=5)], "second.xlsx")
    updated = catalogue.calls(store, STAFF, TODAY, "en").set_index("ref")
    assert updated.loc["A", "days_left"] == 5 and updated.loc["A", "status"] == "closing"
    undo_batch(store, second.batch_id, by=BY_STAFF)
    restored = catalogue.calls(store, STAFF, TODAY, "en").set_index("ref")
    assert restored.loc["A", "days_left"] == 60
    undo_batch(store, first.batch_id, by=BY_STAFF)
    assert catalogue.calls(store, STAFF, TODAY, "en").empty


def test_funding_calls_import_from_csv(store, tmp_path):
    path = tmp_path / "Funding.csv"
    rows = [HEADER, call_row("CSV-1", deadline="2026-07-15", opens_on="1.5.2026")]
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(path, index=False)
    result = import_file(store, path, today=TODAY, by=BY_STAFF)
    assert result.ok, [(i.location, i.code) for i in result.issues]
    df = catalogue.calls(store, STAFF, TODAY, "en")
    assert df.iloc[0].deadline == pd.Timestamp("2026-07-15")
    assert df.iloc[0].opens_on == pd.Timestamp("2026-05-01")


def test_bad_funding_rows_are_reported_and_nothing_is_written(store, tmp_path):
    path = write_workbook(
        tmp_path / "bad.xlsx",
        {"Funding": [HEADER, call_row("X", funder_type="bank", amount_min="lots")]},
    )
    result = import_file(store, path, today=TODAY, by=BY_STAFF)
    assert not result.ok
    assert {i.code for i in result.issues if i.blocking} >= {"unknown_code", "bad_number"}
    assert catalogue.calls(store, STAFF, TODAY, "en").empty


def test_the_timeline_draws_a_mark_for_every_call_it_lists_inside_its_window():
    """A row with a label and nothing beside it reads as a call without dates; and a
    continuous call without an opening day was a one-day sliver at the window's far end."""
    start, end = TODAY - timedelta(days=60), TODAY + timedelta(days=420)
    far = TODAY + timedelta(days=500)
    calls = [  # label, opens, deadline, continuous, status
        ("spanning", TODAY - timedelta(days=10), TODAY + timedelta(days=20), False, "open"),
        ("always open", None, None, True, "continuous"),
        ("open since", TODAY - timedelta(days=400), None, True, "continuous"),
        ("deadline only", None, TODAY + timedelta(days=5), False, "closing"),
        ("far ahead", far, far + timedelta(days=100), False, "forthcoming"),
        ("long gone", TODAY - timedelta(days=900), TODAY - timedelta(days=800), False, "closed"),
        ("no dates", None, None, False, "forthcoming"),
    ]  # fmt: skip
    df = pd.DataFrame(calls, columns=["label", "opens_on", "deadline", "continuous", "status"])
    fig = deadline_timeline(df, TODAY, status_names={s: s for s in status.STATUSES},
                            today_label="Today")  # fmt: skip
    marks = {}
    for trace in fig.data:
        if trace.type == "bar":
            for label, base, width in zip(trace.y, trace.base, trace.x, strict=True):
                first = date.fromisoformat(base)
                marks[label] = ("bar", first, first + timedelta(days=width / DAY_MS - 1))
        else:
            for label, x, symbol in zip(trace.y, trace.x, trace.marker.symbol, strict=True):
                marks[label] = (symbol, date.fromisoformat(x), date.fromisoformat(x))
    assert set(marks) == set(df.label)  # every call has a mark
    assert all(start <= first <= last <= end for _, first, last in marks.values())
    assert marks["always open"] == ("bar", start, end)  # across the whole window
    assert marks["open since"] == ("bar", start, end)
    assert marks["deadline only"] == (
        "diamond",
        TODAY + timedelta(days=5),
        TODAY + timedelta(days=5),
    )
    assert marks["far ahead"][:2] == ("triangle-right", end)
    assert marks["long gone"][:2] == ("triangle-left", start)
    assert marks["no dates"][:2] == ("circle-open", TODAY)


@pytest.mark.parametrize("calls", [2, 25])
def test_the_timeline_legend_names_each_status_once_below_the_dates(calls):
    """A status drawn as bars and as markers is one legend entry (it showed "Closed" twice),
    and the legend sits the same distance below the dates however short the list (a share of
    the plot's height put it over the dates of two calls)."""
    rows = [
        (f"closed bar {n}", TODAY - timedelta(days=50), TODAY - timedelta(days=40), False)
        for n in range(calls - 1)
    ] + [("closed long ago", TODAY - timedelta(days=900), TODAY - timedelta(days=800), False)]
    df = pd.DataFrame(
        [(*r, "closed") for r in rows],
        columns=["label", "opens_on", "deadline", "continuous", "status"],
    )
    fig = deadline_timeline(df, TODAY, status_names={s: s for s in status.STATUSES},
                            today_label="Today")  # fmt: skip
    named = [t.name for t in fig.data if t.showlegend is not False]
    assert named == ["closed"] and len(fig.data) == 2  # bars and a marker, one entry
    plot = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    below = -fig.layout.legend.y * plot  # pixels between the plot's bottom and the legend
    assert 25 <= below <= 35 and fig.layout.legend.yanchor == "top"
    assert fig.layout.margin.b >= below + 30  # room for a row of legend under it
