"""Read every mapped sheet into typed values and collect all problems in one pass.

``validate`` turns a read workbook and its ``Plan`` into a ``ParsedWorkbook``: typed records of
the hub's entities, an ``AssessmentTable`` of assessments and scores, every ``Issue`` found and
the near matches the user has to decide on. Nothing here writes to the store.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from sihub.importing.assessments import AssessmentTable, Defaults, read_assessments
from sihub.importing.column_issues import column_issues
from sihub.importing.columns import SheetData, field_letters, sheet_data, typed_fields
from sihub.importing.context import Context, Known, key_of
from sihub.importing.issues import Issue
from sihub.importing.layout import Mapping, Plan, SheetPlan
from sihub.importing.matching import NEW, SAME, NearMatch, Place, near_matches
from sihub.importing.reading import Workbook
from sihub.importing.specs import ASSESSMENT_KINDS
from sihub.scores import IMPORTED_TYPES

# Dates that cannot lie in the future (a deadline or an opening day can)
PAST_DATES = ("assessed_on", "entered_on", "created_on", "modified_on", "answered_on", "awarded_on")
REFERS_TO_INNOVATION = ("StageHistory", "DevelopmentPath", "Participants", "Answers", "Awards")
# An EU programming period as people write it: "2021–2027", "2021-2027", "2014 – 2020"
PROGRAMMING_PERIOD = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})$")
CURRENCY = re.compile(r"^[A-Z]{3}$")  # an ISO 4217 code


@dataclass
class Records:
    """Typed rows of one sheet of a hub entity, column by column."""

    entity: str
    sheet: str
    rows: list[int]  # Excel row numbers
    values: dict[str, list]
    letters: dict[str, str]

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, name: str, i: int) -> object:
        column = self.values.get(name)
        return None if column is None else column[i]

    def has(self, name: str) -> bool:
        return name in self.values


@dataclass
class ParsedWorkbook:
    """A workbook read and validated: typed records, assessments, issues and near matches."""

    workbook: Workbook
    plan: Plan
    mapping: Mapping
    today: date
    records: dict[str, list[Records]] = field(default_factory=dict)
    assessments: AssessmentTable = field(default_factory=AssessmentTable)
    found: list[Issue] = field(default_factory=list)
    near: list[NearMatch] = field(default_factory=list)
    decisions: dict[str, str] = field(default_factory=dict)
    context: Context | None = field(default=None, repr=False, compare=False)

    @property
    def layout(self) -> str:
        return self.plan.layout

    @property
    def sheets(self) -> list[str]:
        return [s.sheet for s in self.plan.mapped]

    @property
    def undecided(self) -> list[NearMatch]:
        return [m for m in self.near if self.decisions.get(m.id) not in (SAME, NEW)]

    @property
    def issues(self) -> list[Issue]:
        """Every problem, in sheet order and then by row and column."""
        pending = [
            Issue(
                "near_match",
                m.place.sheet,
                m.place.row,
                m.place.column,
                m.name,
                {"candidate": m.candidate},
            )
            for m in self.undecided
        ]
        order = {name: i for i, name in enumerate(s.name for s in self.workbook.sheets)}
        return sorted(
            [*self.found, *pending],
            key=lambda i: (i.sheet is not None, order.get(i.sheet, -1), i.sort_key()),
        )

    @property
    def nothing_to_import(self) -> bool:
        """Headers but no rows, and no other reason to refuse it: the file is not wrong, only
        not filled in yet (the hub's own template as downloaded)."""
        blocking = {issue.code for issue in self.found if issue.blocking}
        return blocking == {"nothing_to_import"} and not self.undecided

    @property
    def blocked(self) -> bool:
        # an unanswered near match is an error (see ``issues``); no need to build and sort them
        return bool(self.undecided) or any(issue.blocking for issue in self.found)

    def release_cells(self) -> ParsedWorkbook:
        """Let go of the file's raw cells once only the commit is left (the command line).

        Everything the commit writes is in the typed records; the cells of a 100,000-row
        export would otherwise stay in memory beside the database's own copy. The page keeps
        them, for its mapping table and the annotated copy of the file.
        """
        book = self.workbook
        sheets = tuple(replace(s, rows=[]) for s in book.sheets)
        self.workbook = replace(book, sheets=sheets, data=b"")
        return self

    def release_records(self) -> ParsedWorkbook:
        """Let go of the typed records once they are committed (nothing reads them after the
        commit: the result is the summary, the issues and the mapping)."""
        self.records, self.assessments = {}, AssessmentTable()
        return self

    def decide(self, decisions: dict[str, str]) -> ParsedWorkbook:
        """The same parse with the user's answers to near matches (no re-reading)."""
        known = {m.id for m in self.near}
        self.decisions = {k: v for k, v in decisions.items() if k in known and v in (SAME, NEW)}
        return self


def validate(workbook: Workbook, plan: Plan, ctx: Context, mapping: Mapping) -> ParsedWorkbook:
    """Read every mapped sheet of ``workbook`` as ``plan`` says; collect all problems."""
    parsed = ParsedWorkbook(workbook, plan, mapping, ctx.today)
    issues = parsed.found
    if not any(sheet.rows for sheet in workbook.sheets):
        issues.append(Issue("empty_workbook"))
        return parsed
    _plan_issues(plan, workbook, ctx, mapping, issues)
    defaults = _defaults(mapping, ctx)
    for sheet_plan in plan.mapped:
        if sheet_plan.header_row is None or _missing_required(sheet_plan, issues):
            continue
        data = sheet_data(sheet_plan, workbook.sheet(sheet_plan.sheet), issues, mapping.values)
        if sheet_plan.kind in ASSESSMENT_KINDS:
            read_assessments(data, ctx, defaults, parsed.assessments, issues)
        else:
            parsed.records.setdefault(sheet_plan.kind, []).append(_records(data, ctx, issues))
    _check_records(parsed, ctx, issues)
    _check_assessments(parsed, ctx, issues)
    # a cell read twice (a long export's criterion: as text, then as a criterion) reports a
    # problem once
    parsed.found = list(dict.fromkeys(issues))
    _nothing_to_import(parsed)
    parsed.near = _near_matches(parsed, ctx)
    return parsed


def _nothing_to_import(parsed: ParsedWorkbook) -> None:
    """A file whose sheets have headers but no rows that would be written (only a header row,
    or only notes and repeats) says so, instead of committing an empty batch. Files that are
    blocked for another reason already say why."""
    rows = sum(len(r) for sheets in parsed.records.values() for r in sheets)
    if rows or len(parsed.assessments) or any(i.blocking for i in parsed.found):
        return
    parsed.found.append(Issue("nothing_to_import", value=", ".join(parsed.sheets)))


def _defaults(mapping: Mapping, ctx: Context) -> Defaults:
    chosen = mapping.defaults
    kind = chosen.get("assessment_type")
    framework = chosen.get("framework")
    round_no = chosen.get("round")
    return Defaults(
        kind if kind in IMPORTED_TYPES else "expert",
        int(round_no)
        if isinstance(round_no, (int, float)) and not isinstance(round_no, bool)
        else None,
        framework if framework in ctx.frameworks else None,
    )


def _plan_issues(
    plan: Plan, workbook: Workbook, ctx: Context, mapping: Mapping, issues: list[Issue]
) -> None:
    """What the layout step found: sheets left out, headers not found, columns not used."""
    for p in plan.sheets:
        if p.reason == "hidden":
            issues.append(Issue("hidden_sheet_skipped", p.sheet, value=p.sheet))
        elif p.reason == "unrecognised" and plan.mapped:
            issues.append(Issue("sheet_skipped", p.sheet, value=p.sheet))
        elif p.kind and p.header_row is None:
            issues.append(Issue("no_header", p.sheet, value=p.sheet))
        if p.kind and p.header_row is not None:
            column_issues(p, workbook.sheet(p.sheet), ctx, _defaults(mapping, ctx), issues)
    if not plan.mapped:
        names = ", ".join(p.sheet for p in plan.sheets if p.reason == "unrecognised")
        issues.append(Issue("no_known_sheet", value=names))


def _missing_required(p: SheetPlan, issues: list[Issue]) -> bool:
    required = [c.field for c in p.spec.columns if c.required]
    targets = p.targets()
    missing = [name for name in required if f"field:{name}" not in targets]
    for name in missing:
        issues.append(
            Issue(
                "missing_required_column",
                p.sheet,
                p.header_row + 1,
                value=name,
                params={"label_key": f"field.{p.kind}.{name}"},
            )
        )
    return bool(missing)


def _records(data: SheetData, ctx: Context, issues: list[Issue]) -> Records:
    values = typed_fields(data, ctx, issues)
    return Records(data.plan.kind, data.name, data.excel_rows(), values, field_letters(data.plan))


# checks across rows -----------------------------------------------------------------------------
def _record_key(entity: str, records: Records, i: int) -> tuple | None:
    if entity in ("Innovations", "Organisations"):
        ref = records.get("ref", i)
        return ("ref", key_of(ref)) if ref else ("name", key_of(records.get("name", i)))
    if entity == "Funding":
        ref = records.get("ref", i)
        if ref:
            return ("ref", key_of(ref))
        return ("call", key_of(records.get("funder", i)), key_of(records.get("call_name", i)))
    if entity == "Answers":
        return (key_of(records.get("innovation", i)), records.get("question_no", i))
    if entity == "DevelopmentPath":
        innovation = key_of(records.get("innovation", i))
        return (innovation, records.get("step_on", i), key_of(records.get("step", i)))
    if entity == "Participants":
        innovation = key_of(records.get("innovation", i))
        return (innovation, key_of(records.get("organisation", i)), records.get("role", i))
    return None


def file_innovation_keys(parsed: ParsedWorkbook) -> set[str]:
    keys: set[str] = set()
    for records in parsed.records.get("Innovations", []):
        for i in range(len(records)):
            keys.add(key_of(records.get("name", i)))
            if records.get("ref", i):
                keys.add(key_of(records.get("ref", i)))
    return keys - {""}


def _check_records(parsed: ParsedWorkbook, ctx: Context, issues: list[Issue]) -> None:
    innovations = file_innovation_keys(parsed)
    for entity, sheets in parsed.records.items():
        seen: dict[tuple, int] = {}
        for records in sheets:
            for i, row in enumerate(records.rows):
                key = _record_key(entity, records, i)
                if key and all(key[1:]):
                    if key in seen:
                        issues.append(
                            Issue(
                                "duplicate_record",
                                records.sheet,
                                row,
                                params={"first_row": seen[key]},
                            )
                        )
                    seen.setdefault(key, row)
                if entity in REFERS_TO_INNOVATION:
                    _check_innovation(records, i, innovations, ctx, issues)
                _check_dates(records, i, ctx, issues)
                if entity == "Funding":
                    _check_funding(records, i, issues)
                if entity == "Innovations":
                    _check_case_study(records, i, issues)


def _check_innovation(
    records: Records, i: int, innovations: set[str], ctx: Context, issues: list[Issue]
) -> None:
    value = records.get("innovation", i)
    if value and key_of(value) not in innovations and ctx.innovations.find(value, value) is None:
        issues.append(
            Issue(
                "unknown_innovation",
                records.sheet,
                records.rows[i],
                records.letters.get("innovation"),
                value,
            )
        )


def _check_dates(records: Records, i: int, ctx: Context, issues: list[Issue]) -> None:
    for name in PAST_DATES:
        when = records.get(name, i)
        if isinstance(when, date) and when > ctx.today:
            issues.append(
                Issue(
                    "future_date", records.sheet, records.rows[i], records.letters.get(name), when
                )
            )


def _check_funding(records: Records, i: int, issues: list[Issue]) -> None:
    """A call's facts must be consistent, or matching and status would mislead."""

    def report(code: str, name: str | None = None, value: object = None) -> None:
        letter = records.letters.get(name) if name else None
        issues.append(Issue(code, records.sheet, records.rows[i], letter, value))

    get = records.get
    for low_field, high_field, code in (
        ("amount_min", "amount_max", "amount_range_reversed"),
        ("duration_months_min", "duration_months_max", "duration_range_reversed"),
    ):
        low, high = get(low_field, i), get(high_field, i)
        if low is not None and high is not None and low > high:
            report(code, high_field, high)
    for name in ("amount_min", "amount_max"):
        if (get(name, i) or 0) < 0:
            report("negative_amount", name, get(name, i))
    for name in ("funding_rate_max", "min_normalised_score"):
        share = get(name, i)
        if share is not None and not 0 <= share <= 1:
            report("share_out_of_range", name, f"{share * 100:g} %")
    opens, deadline = get("opens_on", i), get("deadline", i)
    if opens and deadline and deadline < opens:
        report("deadline_before_opening", "deadline", deadline)
    if not deadline and not get("continuous", i):
        report("no_deadline", "deadline")
    if get("geographic_scope", i) in ("regional", "local") and not get("regions", i):
        report("regional_call_without_regions", "regions")
    if "last_checked" in records.letters and not get("last_checked", i):
        report("not_checked", "last_checked")
    _check_consortium(get, i, report)


def _check_consortium(get, i: int, report) -> None:
    """Partners in more countries than there are partners cannot be; 0 is no rule at all."""
    partners, countries = get("min_partners", i), get("min_countries", i)
    for name, value in (("min_partners", partners), ("min_countries", countries)):
        if value is not None and value < 1:
            report("minimum_below_one", name, value)
    if partners and countries and countries > partners:
        report("more_countries_than_partners", "min_countries", countries)


def _check_case_study(records: Records, i: int, issues: list[Issue]) -> None:
    """An innovation's SIM fields must be consistent, or an export would send nonsense."""

    def report(code: str, name: str, value: object = None) -> None:
        issues.append(Issue(code, records.sheet, records.rows[i], records.letters.get(name), value))

    get = records.get
    start, end = get("project_start", i), get("project_end", i)
    if start and end and end < start:
        report("project_end_before_start", "project_end", end)
    amount, currency = get("budget_amount", i), get("budget_currency", i)
    if amount is not None and amount < 0:
        report("negative_amount", "budget_amount", amount)
    if amount is not None and not currency:
        report("budget_without_currency", "budget_currency")
    if currency and not CURRENCY.match(str(currency)):
        report("bad_currency", "budget_currency", currency)
    period = get("programming_period", i)
    if period and not _is_programming_period(str(period)):
        report("bad_programming_period", "programming_period", period)


def _is_programming_period(text: str) -> bool:
    found = PROGRAMMING_PERIOD.match(text.strip())
    return bool(found) and int(found.group(1)) < int(found.group(2))


def _check_assessments(parsed: ParsedWorkbook, ctx: Context, issues: list[Issue]) -> None:
    """Future dates, unknown innovations (hub sheets) and one assessment given twice."""
    a = parsed.assessments.a
    in_file = file_innovation_keys(parsed)
    letters = _assessment_letters(parsed.plan)
    exists: dict[object, bool] = {}
    seen: dict[tuple, int] = {}
    for i in range(len(parsed.assessments)):
        sheet, row = a["sheet"][i], a["row"][i]
        letter = letters.get(sheet, {})
        when = a["assessed_on"][i]
        if when is not None and when > ctx.today:
            issues.append(Issue("future_date", sheet, row, letter.get("assessed_on"), when))
        reference = a["innovation_ref"][i] or a["innovation"][i]
        if not a["creates"][i] and reference:
            if reference not in exists:
                exists[reference] = key_of(reference) in in_file or bool(
                    ctx.innovations.find(reference, reference)
                )
            if not exists[reference]:
                issues.append(
                    Issue("unknown_innovation", sheet, row, letter.get("innovation"), reference)
                )
        if a["assessor"][i] and reference:  # anonymous forms: two rows are two assessors
            key = (
                key_of(reference),
                a["framework"][i],
                key_of(a["assessor"][i]),
                a["assessment_type"][i],
                a["round"][i],
            )
            first = seen.setdefault(key, row)
            if first != row:
                issues.append(
                    Issue(
                        "duplicate_assessment",
                        sheet,
                        row,
                        letter.get("assessor"),
                        a["innovation"][i] or reference,
                        {"first_row": first},
                    )
                )


def _assessment_letters(plan: Plan) -> dict[str, dict[str, str]]:
    return {p.sheet: field_letters(p) for p in plan.mapped}


# near matches -----------------------------------------------------------------------------------
class Uses:
    """Names of one kind as a file uses them: key -> (first spelling, first place, count)."""

    def __init__(self) -> None:
        self.found: dict[str, tuple[str, Place, int]] = {}

    def add(self, name: object, sheet: str, row: int, letter: str | None, n: int = 1) -> None:
        key = key_of(name)
        if not key:
            return
        if key in self.found:
            first, place, count = self.found[key]
            self.found[key] = (first, place, count + n)
        else:
            self.found[key] = (str(name).strip(), Place(sheet, row, letter), n)

    def add_records(self, records: Records, field_name: str, skip=lambda i: False) -> None:
        letter = records.letters.get(field_name)
        for i, row in enumerate(records.rows):
            value = records.get(field_name, i)
            for name in value if isinstance(value, list) else [value]:
                if not skip(i):
                    self.add(name, records.sheet, row, letter)

    def add_column(self, names: list, place) -> None:
        """A column of a big table: each distinct name once, with its count."""
        counts = Counter(names)
        counts.pop(None, None)
        first = {name: i for i, name in reversed(list(enumerate(names)))}
        for name, n in counts.items():
            self.add(name, *place(first[name]), n=n)


def _near_matches(parsed: ParsedWorkbook, ctx: Context) -> list[NearMatch]:
    innovations, organisations, assessors = Uses(), Uses(), Uses()
    for records in parsed.records.get("Innovations", []):
        innovations.add_records(records, "name", _ref_in_hub(records, ctx.innovations))
        organisations.add_records(records, "lead_organisation")
        organisations.add_records(records, "partner_organisations")
    for records in parsed.records.get("Organisations", []):
        organisations.add_records(records, "name", _ref_in_hub(records, ctx.organisations))
    for records in parsed.records.get("Awards", []):
        organisations.add_records(records, "organisation")
    _assessment_uses(parsed, ctx, innovations, organisations, assessors)
    return [
        *near_matches("innovation", ctx.innovations, innovations.found),
        *near_matches("organisation", ctx.organisations, organisations.found),
        *near_matches("assessor", ctx.assessors, assessors.found),
    ]


def _ref_in_hub(records: Records, known: Known) -> Callable[[int], bool]:
    """Asks of row ``i``: does its reference name a record the hub has (its name is no new one)?"""

    def found(i: int) -> bool:
        ref = records.get("ref", i)
        return bool(ref and known.find(ref, None))

    return found


def _assessment_uses(
    parsed: ParsedWorkbook, ctx: Context, innovations: Uses, organisations: Uses, assessors: Uses
) -> None:
    a = parsed.assessments.a
    letters = _assessment_letters(parsed.plan)

    def places(field_name: str, other: str = ""):
        def place(i: int) -> tuple:
            sheet = a["sheet"][i]
            return sheet, a["row"][i], letters[sheet].get(field_name) or letters[sheet].get(other)

        return place

    new = [
        creates and not (ref and ctx.innovations.find(ref, None))
        for creates, ref in zip(a["creates"], a["innovation_ref"], strict=True)
    ]
    innovations.add_column(
        [n if w else None for n, w in zip(a["innovation"], new, strict=True)], places("innovation")
    )
    organisations.add_column(
        [n if w else None for n, w in zip(a["organisation"], new, strict=True)],
        places("organisation"),
    )
    assessors.add_column(a["assessor"], places("assessor", "assessor_email"))


__all__ = ["ParsedWorkbook", "Records", "validate"]
