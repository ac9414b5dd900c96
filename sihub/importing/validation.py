"""Map the sheets of a hub workbook to their declarations and read every row into typed values.

All problems are collected in one pass as ``Issue`` records; nothing here writes to the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sihub.importing.issues import Issue, column_letter
from sihub.importing.reading import Sheet, Workbook
from sihub.importing.specs import COMMENT_SUFFIX, SPECS, Column, SheetSpec, clean_header
from sihub.importing.values import (
    ValueProblem,
    Vocabulary,
    as_bool,
    as_date,
    as_int,
    as_list,
    as_number,
    as_rate,
    as_text,
    is_blank,
)
from sihub.reference import load_scales
from sihub.scales import ParsedScore, Scale, ScoreError
from sihub.store import Store
from sihub.text import fold, name_key

HEADER_SCAN_ROWS = 20  # header rows further down than this are not looked for
MAX_TEXT = 20_000  # longer cells are kept but flagged: usually a paste gone wrong
FORMULA_START = ("=", "+", "@")  # "-" alone is a blank mark; "-x" is flagged below


@dataclass(frozen=True)
class Framework:
    code: str
    criteria: dict[str, str]  # criterion code -> scale code
    provisional: bool


@dataclass
class Context:
    """What validation needs to know of the store, loaded once per file."""

    store: Store
    today: date
    vocabularies: dict[str, Vocabulary]
    scales: dict[str, Scale]
    frameworks: dict[str, Framework]
    framework_lookup: dict[str, str]
    criterion_lookup: dict[str, str]
    innovation_keys: set[str]
    issues: list[Issue] = field(default_factory=list)

    @classmethod
    def load(cls, store: Store, today: date) -> Context:
        vocabularies = {
            table: Vocabulary(table, store.records(f"SELECT * FROM {table}"))
            for table in (
                "regions",
                "stages",
                "themes",
                "target_groups",
                "org_types",
                "funder_types",
                "instruments",
                "scopes",
                "assessment_types",
            )
        }
        frameworks: dict[str, Framework] = {}
        framework_lookup: dict[str, str] = {}
        for fw in store.records("SELECT * FROM frameworks ORDER BY sort_order, code"):
            crit = store.rows(
                "SELECT code, scale_code FROM criteria WHERE framework_code = ? "
                "AND NOT retired ORDER BY sort_order",
                [fw["code"]],
            )
            frameworks[fw["code"]] = Framework(fw["code"], dict(crit), fw["provisional"])
            for label in (fw["code"], fw["name_fi"], fw["name_sv"], fw["name_en"]):
                framework_lookup.setdefault(fold(label), fw["code"])
        criterion_lookup: dict[str, str] = {}
        for c in store.records("SELECT * FROM criteria WHERE NOT retired"):
            for label in (
                c["code"],
                c["name_fi"],
                c["name_sv"],
                c["name_en"],
                *(c["synonyms"] or []),
            ):
                criterion_lookup.setdefault(clean_header(label), c["code"])
        keys = {r[0] for r in store.rows("SELECT name_key FROM innovations")}
        keys |= {
            name_key(r[0]) for r in store.rows("SELECT ref FROM innovations WHERE ref IS NOT NULL")
        }
        return cls(
            store,
            today,
            vocabularies,
            load_scales(store),
            frameworks,
            framework_lookup,
            criterion_lookup,
            keys,
        )

    def report(
        self,
        code: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        **params: object,
    ) -> None:
        self.issues.append(Issue(code, sheet, row, column, value, params))


@dataclass
class MappedSheet:
    spec: SheetSpec
    sheet: Sheet
    header_row: int  # 0-based index into sheet.rows
    fields: dict[str, int]  # field -> 0-based column
    criteria: dict[str, int] = field(default_factory=dict)
    comments: dict[str, int] = field(default_factory=dict)
    ignored: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Row:
    """One data row, typed. ``number`` is the Excel row; ``letters`` the column of each field."""

    sheet: str
    number: int
    values: dict[str, object]
    letters: dict[str, str]
    scores: dict[str, tuple[object, ParsedScore, str]] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> object:
        return self.values.get(name)


def find_spec(sheet_name: str) -> SheetSpec | None:
    folded = fold(sheet_name)
    return next((spec for spec in SPECS if folded in spec.sheet_names()), None)


def _match_header(spec: SheetSpec, text: object, ctx: Context) -> tuple[str, str] | None:
    """('field'|'criterion'|'comment', name) for a header cell, or None when unrecognised."""
    if is_blank(text):
        return None
    cleaned = clean_header(text)
    synonyms = spec.header_synonyms()
    if cleaned in synonyms:
        return "field", synonyms[cleaned]
    if not spec.takes_criteria:
        return None
    if cleaned in ctx.criterion_lookup:
        return "criterion", ctx.criterion_lookup[cleaned]
    for suffix in (COMMENT_SUFFIX, " comment", " kommentti", " kommentar"):
        base = fold(text).removesuffix(suffix)
        if base != fold(text) and clean_header(base) in ctx.criterion_lookup:
            return "comment", ctx.criterion_lookup[clean_header(base)]
    return None


def map_sheet(spec: SheetSpec, sheet: Sheet, ctx: Context) -> MappedSheet | None:
    """Find the header row (the one that names most known columns) and map its columns."""
    best: tuple[int, int] = (0, -1)
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        hits = sum(1 for cell in row if _match_header(spec, cell, ctx))
        if hits > best[0]:
            best = (hits, index)
    if best[1] < 0:
        ctx.report("no_header", sheet.name, sheet=sheet.name)
        return None
    header_index = best[1]
    mapped = MappedSheet(spec, sheet, header_index, {})
    targets = {"field": mapped.fields, "criterion": mapped.criteria, "comment": mapped.comments}
    for col, text in enumerate(sheet.rows[header_index]):
        match = _match_header(spec, text, ctx)
        letter = column_letter(col)
        if match is None:
            if not is_blank(text):
                mapped.ignored.append((col, str(text)))
                ctx.report("ignored_column", sheet.name, header_index + 1, letter, text)
            continue
        kind, name = match
        if name in targets[kind]:
            ctx.report("duplicate_column", sheet.name, header_index + 1, letter, text)
            continue
        targets[kind][name] = col
    for column in spec.columns:
        if column.required and column.field not in mapped.fields:
            ctx.report(
                "missing_required_column",
                sheet.name,
                header_index + 1,
                value=spec.label(column.field, "en"),
                column_name=column.field,
            )
    return mapped


def _convert(column: Column, value: object, ctx: Context) -> object:
    kind, _, vocabulary = column.kind.partition(":")
    if kind == "code":
        return ctx.vocabularies[vocabulary].code(value)
    if kind == "codes":
        return ctx.vocabularies[vocabulary].codes(value)
    converters = {
        "date": as_date,
        "int": as_int,
        "number": as_number,
        "rate": as_rate,
        "bool": as_bool,
        "list": as_list,
    }
    if kind in converters:
        return converters[kind](value)
    return as_text(value)


def _check_text(ctx: Context, sheet: str, row: int, letter: str, value: object) -> None:
    if not isinstance(value, str):
        return
    stripped = value.strip()
    if stripped.startswith(FORMULA_START) or (
        stripped.startswith("-")
        and len(stripped) > 1
        and not stripped[1:].replace(",", "").replace(".", "").isdigit()
    ):
        ctx.report("formula_text", sheet, row, letter, value)
    if len(value) > MAX_TEXT:
        ctx.report("text_too_long", sheet, row, letter, value, limit=MAX_TEXT)


def read_rows(mapped: MappedSheet, ctx: Context) -> list[Row]:
    """Every non-blank data row of ``mapped``, typed; problems go to ``ctx.issues``."""
    name = mapped.sheet.name
    rows: list[Row] = []
    for index in range(mapped.header_row + 1, len(mapped.sheet.rows)):
        cells = mapped.sheet.rows[index]
        if all(is_blank(v) for v in cells):
            continue
        number = index + 1
        row = Row(name, number, {}, {})
        for fname, col in mapped.fields.items():
            column = mapped.spec.column(fname)
            raw = mapped.sheet.cell(index, col)
            letter = column_letter(col)
            row.letters[fname] = letter
            _check_text(ctx, name, number, letter, raw)
            try:
                row.values[fname] = _convert(column, raw, ctx)
            except ValueProblem as problem:
                ctx.report(problem.code, name, number, letter, raw, **problem.params)
                row.values[fname] = None
        for fname in (c.field for c in mapped.spec.columns if c.required):
            if fname in mapped.fields and row.values.get(fname) in (None, []):
                ctx.report(
                    "required_value_missing", name, number, row.letters[fname], column_name=fname
                )
        for code, col in mapped.comments.items():
            text = as_text(mapped.sheet.cell(index, col))
            if text:
                row.comments[code] = text
        rows.append(row)
    return rows


def read_scores(mapped: MappedSheet, rows: list[Row], ctx: Context) -> None:
    """Parse each assessment row's criterion cells on the scale of the row's framework."""
    default_framework = next(iter(ctx.frameworks), None)
    for row in rows:
        index = row.number - 1
        raw_framework = (
            mapped.sheet.cell(index, mapped.fields["framework"])
            if "framework" in mapped.fields
            else None
        )
        framework_code = _framework_of(raw_framework, row, mapped, ctx) or default_framework
        row.values["framework"] = framework_code
        framework = ctx.frameworks.get(framework_code)
        if framework is None:
            continue
        for code, col in mapped.criteria.items():
            raw = mapped.sheet.cell(index, col)
            letter = column_letter(col)
            if is_blank(raw):
                continue
            if code not in framework.criteria:
                ctx.report(
                    "criterion_not_in_framework",
                    row.sheet,
                    row.number,
                    letter,
                    raw,
                    criterion=code,
                    framework=framework_code,
                )
                continue
            try:
                parsed = ctx.scales[framework.criteria[code]].parse(raw)
            except ScoreError as e:
                ctx.report(
                    f"score_{e.code}",
                    row.sheet,
                    row.number,
                    letter,
                    raw,
                    scale=framework.criteria[code],
                )
                continue
            row.scores[code] = (raw, parsed, letter)
        if not any(not p.missing for _, p, _ in row.scores.values()) and not row.comments:
            ctx.report("no_scores", row.sheet, row.number)


def _framework_of(raw: object, row: Row, mapped: MappedSheet, ctx: Context) -> str | None:
    """The framework named in the row, else the one whose criteria the row fills most."""
    if not is_blank(raw):
        code = ctx.framework_lookup.get(fold(raw))
        if code is None:
            ctx.report(
                "unknown_framework", row.sheet, row.number, row.letters.get("framework"), raw
            )
        return code
    filled = [
        code
        for code, col in mapped.criteria.items()
        if not is_blank(mapped.sheet.cell(row.number - 1, col))
    ]
    best = max(
        ctx.frameworks.values(),
        key=lambda fw: sum(1 for c in filled if c in fw.criteria),
        default=None,
    )
    return best.code if best and any(c in best.criteria for c in filled) else None


def check_rows(entity: str, rows: list[Row], ctx: Context, file_innovations: set[str]) -> None:
    """Checks that span cells of a row or rows of a sheet."""
    seen: dict[tuple, int] = {}
    for row in rows:
        if entity in ("Assessments", "StageHistory", "Answers", "Awards"):
            key = name_key(row.get("innovation"))
            if key and key not in file_innovations and key not in ctx.innovation_keys:
                ctx.report(
                    "unknown_innovation",
                    row.sheet,
                    row.number,
                    row.letters.get("innovation"),
                    row.get("innovation"),
                )
        for fname in ("assessed_on", "entered_on", "last_checked", "created_on", "modified_on"):
            when = row.get(fname)
            if isinstance(when, date) and when > ctx.today:
                ctx.report("future_date", row.sheet, row.number, row.letters.get(fname), when)
        if entity == "Funding":
            low, high = row.get("amount_min"), row.get("amount_max")
            if low is not None and high is not None and low > high:
                ctx.report(
                    "amount_range_reversed",
                    row.sheet,
                    row.number,
                    row.letters.get("amount_max"),
                    high,
                )
            opens, deadline = row.get("opens_on"), row.get("deadline")
            if opens and deadline and deadline < opens:
                ctx.report(
                    "deadline_before_opening",
                    row.sheet,
                    row.number,
                    row.letters.get("deadline"),
                    deadline,
                )
        if entity == "Assessments":
            key = (
                name_key(row.get("innovation")),
                row.get("framework"),
                name_key(row.get("assessor")),
                row.get("assessment_type"),
                row.get("round"),
            )
            if key in seen:
                ctx.report(
                    "duplicate_assessment",
                    row.sheet,
                    row.number,
                    value=row.get("innovation"),
                    first_row=seen[key],
                )
            else:
                seen[key] = row.number


@dataclass
class ParsedWorkbook:
    """A workbook read and validated: typed rows per entity and every issue found."""

    workbook: Workbook
    layout: str
    sheets: dict[str, MappedSheet]
    rows: dict[str, list[Row]]
    issues: list[Issue]

    @property
    def blocked(self) -> bool:
        return any(issue.blocking for issue in self.issues)


def validate_workbook(workbook: Workbook, store: Store, today: date) -> ParsedWorkbook:
    """Map and read every known sheet of a hub workbook; collect all problems in one pass."""
    ctx = Context.load(store, today)
    sheets: dict[str, MappedSheet] = {}
    rows: dict[str, list[Row]] = {}
    if not any(sheet.rows for sheet in workbook.sheets):
        ctx.report("empty_workbook")
    for sheet in workbook.sheets:
        spec = find_spec(sheet.name)
        if spec is None or spec.entity in sheets:
            continue
        if not sheet.visible:
            ctx.report("hidden_sheet_skipped", sheet.name, value=sheet.name)
            continue
        mapped = map_sheet(spec, sheet, ctx)
        if mapped is None:
            continue
        sheets[spec.entity] = mapped
        rows[spec.entity] = read_rows(mapped, ctx)
        if spec.takes_criteria:
            read_scores(mapped, rows[spec.entity], ctx)
    if not sheets and workbook.sheets and any(s.rows for s in workbook.sheets):
        ctx.report("no_known_sheet", value=", ".join(s.name for s in workbook.sheets))
    file_innovations = {name_key(r.get("name")) for r in rows.get("Innovations", [])}
    file_innovations |= {
        name_key(r.get("ref")) for r in rows.get("Innovations", []) if r.get("ref")
    }
    for entity, entity_rows in rows.items():
        check_rows(entity, entity_rows, ctx, file_innovations)
    return ParsedWorkbook(workbook, "hub", sheets, rows, ctx.issues)
