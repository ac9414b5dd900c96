"""Assessments and their scores, read from the hub's Assessments sheet, a form export (one row
per assessment, one column per criterion) or a long export (one row per score).

All three become one ``AssessmentTable``: columns of plain lists, one entry per assessment,
and the scores in parts (one per criterion column of a form), which the loader turns into bulk
inserts. A form row that scores criteria of two frameworks becomes two assessments; a row
without any score is skipped with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress
from typing import TypeVar

from sihub.importing.columns import SheetData, read_column, typed_fields
from sihub.importing.context import Context, key_of
from sihub.importing.issues import Issue, column_letter
from sihub.importing.specs import LONG, SURE_CODE, clean_header
from sihub.importing.values import (
    MAX_LONG_TEXT,
    MAX_NAME,
    MAX_SHORT_TEXT,
    ValueProblem,
    as_text,
    raw_text,
    text_notes,
)
from sihub.reference.scales import Level, ParsedScore, Scale, ScoreError
from sihub.text import fold

ASSESSMENT_COLUMNS = (
    "sheet",
    "row",
    "innovation",
    "innovation_ref",
    "organisation",
    "assessor",
    "assessor_organisation",
    "assessment_type",
    "assessed_on",
    "round",
    "framework",
    "summary",
    "shared",
    "published",
    "ref",
    "creates",  # True: an unknown innovation is a new one (exports); False: an error (hub)
)
SCORE_COLUMNS = (  # the scores as one flat table (see AssessmentTable.s)
    "a",  # index of the assessment in the table
    "criterion",
    "raw_value",
    "value",
    "level_code",
    "normalised",
    "comment",
    "sheet",
    "row",
    "column",
)


WAITING = ("scale", "other_framework")  # criterion columns set aside until the user answers


@dataclass
class Defaults:
    """Values for rows that do not give them (chosen on the Import page or the CLI)."""

    assessment_type: str = "expert"
    round: int | None = None
    framework: str | None = None


@dataclass
class ScorePart:
    """Scores given column by column: the scores of one criterion column of a form, or of a
    long sheet.

    ``columns`` holds a list per score column (one entry per candidate score; ``a`` may be a
    range), ``shared`` the columns that are the same for the whole part (a form column's
    criterion, sheet and letter). A candidate with neither a score (``raw_value``) nor a
    comment is a blank cell: it is no score and is never stored. Keeping such cells in the
    part lets a form column be taken whole, without picking its rows one by one.
    """

    columns: dict[str, list | range]
    shared: dict[str, object] = field(default_factory=dict)

    def kept(self) -> list[bool]:
        return [
            r is not None or c is not None
            for r, c in zip(self.columns["raw_value"], self.columns["comment"], strict=True)
        ]

    def column(self, name: str) -> list:
        """One score column, every candidate (shared values repeated)."""
        if name in self.shared:
            return [self.shared[name]] * len(self.columns["raw_value"])
        return list(self.columns[name])


@dataclass
class AssessmentTable:
    a: dict[str, list] = field(default_factory=lambda: {c: [] for c in ASSESSMENT_COLUMNS})
    parts: list[ScorePart] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.a["sheet"])

    @property
    def s(self) -> dict[str, list]:
        """The stored scores as one table of SCORE_COLUMNS (for tests; the loader takes parts)."""
        flat: dict[str, list] = {c: [] for c in SCORE_COLUMNS}
        for part in self.parts:
            kept = part.kept()
            for c in SCORE_COLUMNS:
                flat[c].extend(compress(part.column(c), kept))
        return flat

    def add(self, values: dict[str, object]) -> int:
        for column in ASSESSMENT_COLUMNS:
            self.a[column].append(values.get(column))
        return len(self) - 1

    def extend(self, columns: dict[str, list]) -> None:
        for column in ASSESSMENT_COLUMNS:
            self.a[column].extend(columns[column])


# "4/5": a score and the top of the scale it was given on; "hyvä (4)": a label, its number after
_FRACTION = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*/\s*(\d+(?:[.,]\d+)?)\s*$")
_NUMBER_AFTER = re.compile(r"^\D*\(\s*(\d+(?:[.,]\d+)?)\s*\)\s*$")
_LEADING_LEVEL = re.compile(r"^\d+(?:[.,]\d+)?\s*[-–—=:.)]?\s*")


def _score_parser(scale: Scale, ctx: Context) -> Callable[[object], ParsedScore | None]:
    """A score cell as form tools write it: what ``Scale.parse`` reads, a level's label without
    its number ("hyvä" for "3 – hyvä" on 0–5) or with the number after it ("hyvä (3)"); a
    fraction of another scale ("2/3" on 1–5) is not read as its numerator. A problem names
    the scale as the reader knows it, never by its code."""
    name = ctx.scale_name(scale.code)
    words = _level_words(scale)

    def parse(raw: object) -> ParsedScore | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None  # a blank cell: no score was given
        problem = "not_on_scale"
        if isinstance(raw, str):
            fraction = _FRACTION.match(raw)
            if fraction and _number(fraction.group(1)) != scale.max_value:
                raise ValueProblem("score_not_on_scale", scale=name)
        try:
            return scale.parse(raw)
        except ScoreError as e:
            problem = e.code
        if isinstance(raw, str):
            level = words.get(fold(raw))
            if level is not None:
                return ParsedScore(level.value, level.code, level.normalised)
            after = _NUMBER_AFTER.match(raw)
            if after:
                try:
                    return scale.parse(_number(after.group(1)))
                except ScoreError as e:
                    problem = e.code
        raise ValueProblem(f"score_{problem}", scale=name)

    return parse


def _rescaled(read_on: Scale, own: Scale, ctx: Context) -> Callable[[object], ParsedScore | None]:
    """Scores read on the scale a column's header states (the user said so), stored as their
    place on the criterion's own scale: 3 on 0–5 is 0.6, which is 3.4 on 1–5 (raw "3" kept)."""
    parse = _score_parser(read_on, ctx)

    def rescaled(raw: object) -> ParsedScore | None:
        found = parse(raw)
        if found is None or found.normalised is None:
            return found
        level = next(
            (lv for lv in own.levels if abs(lv.normalised - found.normalised) < 1e-6), None
        )
        if own.kind != "numeric":
            return ParsedScore(None, level.code if level else None, found.normalised)
        value = round(own.min_value + found.normalised * (own.max_value - own.min_value), 6)
        return ParsedScore(value, level.code if level else None, found.normalised)

    return rescaled


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _level_words(scale: Scale) -> dict[str, Level]:
    """A level's labels without their leading number ("3 – hyvä" -> "hyva"), where no other
    level's label reads the same."""
    found: dict[str, Level | None] = {}
    for level in scale.levels:
        for label in level.labels:
            words = _LEADING_LEVEL.sub("", fold(label)).strip()
            if words and not words[0].isdigit():
                found[words] = level if found.get(words, level) == level else None
    return {words: level for words, level in found.items() if level is not None}


T = TypeVar("T")


def _name_parser(
    lookup: dict[str, T], problem: str, *keys: Callable[[str], str]
) -> Callable[[object], T | None]:
    """A cell that names an entry of ``lookup``, looked up by each of ``keys`` in turn."""

    def parse(raw: object) -> T | None:
        text = as_text(raw)
        if text is None:
            return None
        for key in keys:
            found = lookup.get(key(text))
            if found is not None:
                return found
        raise ValueProblem(problem)

    return parse


def _basics(
    data: SheetData, fields: dict[str, list], defaults: Defaults, issues: list[Issue]
) -> dict[str, list]:
    """The assessment's own fields of every data row, column by column, defaults filled in."""
    n = len(data.rows)
    column = {name: fields.get(name) or [None] * n for name in ASSESSMENT_COLUMNS}
    if None in column["assessment_type"]:
        issues.append(
            Issue(
                "default_assessment_type",
                data.name,
                (data.plan.header_row or 0) + 1,
                value=defaults.assessment_type,
                params={"label_key": f"import.type.{defaults.assessment_type}"},
            )
        )
    return {
        **column,
        "sheet": [data.name] * n,
        "row": [i + 1 for i in data.rows],
        "assessor": _assessors(fields, n),
        "assessment_type": [v or defaults.assessment_type for v in column["assessment_type"]],
        "round": [defaults.round if v is None else v for v in column["round"]],
        "shared": [True if v is None else v for v in column["shared"]],
        # published only when the file says so (sihub.access: what visitors may see)
        "published": [v is True for v in column["published"]],
        "framework": [None] * n,
        "creates": [data.plan.spec.creates_innovations] * n,
    }


# What forms write for "no name given" (Microsoft Forms: "anonymous"): no assessor, so that each
# such row counts as one anonymous assessor instead of all of them as one called "anonymous".
ANONYMOUS = frozenset({"anonymous", "anonyymi", "nimeton", "anonym", "anonymt", "anon"})


def _assessors(fields: dict[str, list], n: int) -> list[str | None]:
    """Each row's assessor: the name, else first and last name, else the e-mail; none when the
    form says the answer was anonymous."""
    blank = [None] * n
    names = fields.get("assessor") or blank
    firsts, lasts = (
        fields.get("assessor_first_name") or blank,
        fields.get("assessor_last_name") or blank,
    )
    emails = fields.get("assessor_email") or blank
    found: list[str | None] = []
    for name, first, last, email in zip(names, firsts, lasts, emails, strict=True):
        whole = " ".join(p for p in (first, last) if p) or None
        chosen = next((v for v in (name, whole, email) if v and fold(v) not in ANONYMOUS), None)
        found.append(chosen)
    return found


def _explicit_frameworks(
    data: SheetData, ctx: Context, defaults: Defaults, issues: list[Issue]
) -> list[str | None]:
    col = data.plan.targets().get("field:framework")
    if col is None:
        return [defaults.framework] * len(data.rows)
    parse = _name_parser(ctx.framework_lookup, "unknown_framework", fold, clean_header)
    named = read_column(data, col, parse, issues, limit=MAX_NAME)
    return [v or defaults.framework for v in named]


def read_wide(
    data: SheetData,
    ctx: Context,
    defaults: Defaults,
    table: AssessmentTable,
    issues: list[Issue],
) -> None:
    """The hub's Assessments sheet or a form export: criteria are columns.

    A row becomes one assessment per framework whose criteria it scores (or only of the
    framework it names); column by column, so that 100,000 rows cost little.
    """
    fields = typed_fields(data, ctx, issues)
    basics = _basics(data, fields, defaults, issues)
    explicit = _explicit_frameworks(data, ctx, defaults, issues)
    by_framework = _criterion_columns(data, ctx, issues)
    n = len(data.rows)
    named = any(explicit)
    covered = [False] * n
    for framework, cells in by_framework.items():
        scored = _scored(cells, n)
        if named:
            scored = [h and e in (None, framework) for h, e in zip(scored, explicit, strict=True)]
        rows = list(compress(range(n), scored))
        if not rows:
            continue
        start = len(table)
        every = len(rows) == n  # the usual case: no row to pick
        table.extend(
            {c: basics[c] if every else [basics[c][i] for i in rows] for c in ASSESSMENT_COLUMNS}
            | {"framework": [framework] * len(rows)}
        )
        assessments = range(start, start + len(rows))
        excel_rows = table.a["row"][start:]
        for c in cells:
            table.parts.append(
                _score_part(c, None if every else rows, assessments, excel_rows, data)
            )
        for i in rows:
            covered[i] = True
    if named:
        _outside_framework(data, ctx, explicit, by_framework, issues)
    if any(c.left_out in WAITING for c in data.plan.columns):
        return  # rows may lack scores only because a criterion column waits for an answer
    for i in compress(range(n), [not c for c in covered]):
        issues.append(Issue("no_scores", data.name, data.rows[i] + 1))


@dataclass
class CriterionCells:
    code: str
    col: int
    parsed: list[ParsedScore | None]
    comments: list[str | None]

    @property
    def letter(self) -> str:
        return column_letter(self.col)


def _scored(cells: list[CriterionCells], n: int) -> list[bool]:
    """Rows with a score or a comment on any of these criteria."""
    scored = [False] * n
    for c in cells:
        scored = [
            f or p is not None or m is not None
            for f, p, m in zip(scored, c.parsed, c.comments, strict=True)
        ]
    return scored


def _score_part(
    c: CriterionCells,
    rows: list[int] | None,
    assessments: range,
    excel_rows: list[int],
    data: SheetData,
) -> ScorePart:
    """The scores (and comments) of one criterion column on the given rows (None: all)."""
    parsed, comments, raw = c.parsed, c.comments, data.cells[c.col]
    if rows is not None:
        parsed = [parsed[i] for i in rows]
        comments = [comments[i] for i in rows]
        raw = [raw[i] for i in rows]
    texts = {v: raw_text(v) for v in set(raw)}  # "4", "4 – hyvä": few distinct values
    return ScorePart(
        {
            "a": assessments,
            "raw_value": [
                None if p is None else texts[v] for v, p in zip(raw, parsed, strict=True)
            ],
            "value": [p and p.value for p in parsed],
            "level_code": [p and p.level for p in parsed],
            "normalised": [p and p.normalised for p in parsed],
            "comment": comments,
            "row": excel_rows,
        },
        {"criterion": c.code, "sheet": data.name, "column": c.letter},
    )


def _outside_framework(
    data: SheetData, ctx: Context, explicit: list, by_framework: dict, issues: list[Issue]
) -> None:
    """Scores of another framework's criteria on a row that names its framework."""
    for framework, cells in by_framework.items():
        for c in cells:
            for i, (e, p) in enumerate(zip(explicit, c.parsed, strict=True)):
                if e and e != framework and p is not None:
                    issues.append(
                        Issue(
                            "criterion_not_in_framework",
                            data.name,
                            data.rows[i] + 1,
                            c.letter,
                            data.cells[c.col][i],
                            {
                                "criterion": ctx.criterion_names(framework, c.code),
                                "framework": ctx.framework_name(e),
                            },
                        )
                    )


def _criterion_columns(
    data: SheetData, ctx: Context, issues: list[Issue]
) -> dict[str, list[CriterionCells]]:
    """framework -> its criteria's cells, in sheet order."""
    targets = data.plan.targets()
    found: dict[str, list] = {}
    columns = data.plan.columns_by_index()
    for target, col in targets.items():
        if not target.startswith("criterion:"):
            continue
        criterion = ctx.criterion(target)
        if criterion is None:
            continue
        own, read_on = ctx.scales[criterion.scale], columns[col].read_scale
        parse = _score_parser(own, ctx) if not read_on else _rescaled(ctx.scales[read_on], own, ctx)
        scores = read_column(data, col, parse, issues)
        comment_col = targets.get(target.replace("criterion:", "comment:"))
        comments = _comments(data, comment_col, issues)
        found.setdefault(criterion.framework, []).append(
            CriterionCells(criterion.code, col, scores, comments)
        )
    for target, col in targets.items():  # comments of criteria that have no score column
        if (
            target.startswith("comment:")
            and target.replace("comment:", "criterion:") not in targets
        ):
            criterion = ctx.criterion(target)
            if criterion:
                blank = [None] * len(data.rows)
                found.setdefault(criterion.framework, []).append(
                    CriterionCells(criterion.code, col, blank, _comments(data, col, issues))
                )
    return found


def _comments(data: SheetData, col: int | None, issues: list[Issue]) -> list[str | None]:
    if col is None:
        return [None] * len(data.rows)
    return read_column(data, col, as_text, issues, text_notes, MAX_LONG_TEXT)


def read_long(
    data: SheetData,
    ctx: Context,
    defaults: Defaults,
    table: AssessmentTable,
    issues: list[Issue],
) -> None:
    """A long export: each row one score; the rows of one form become one assessment."""
    targets = data.plan.targets()
    score_col = targets["field:score"]  # both required: a sheet without them is not read
    criterion_col = targets["field:criterion"]
    fields = typed_fields(data, ctx, issues)
    named = _long_criteria(data.cells[criterion_col], ctx)
    parse = _name_parser(named, "unknown_criterion", str)
    criteria = read_column(data, criterion_col, parse, issues, limit=MAX_NAME)
    comments = fields.get("comment") or [None] * len(data.rows)
    explicit = _explicit_frameworks(data, ctx, defaults, issues)
    columns = _basics(data, fields, defaults, issues)
    scores = _long_scores(data, criterion_col, score_col, criteria, explicit, ctx, issues)
    letter = column_letter(score_col)
    groups: dict[tuple, int] = {}
    first_rows: dict[tuple, int] = {}
    part = ScorePart(
        {c: [] for c in SCORE_COLUMNS if c not in ("sheet", "column")},
        {"sheet": data.name, "column": letter},
    )
    table.parts.append(part)
    for i, parsed in enumerate(scores):
        if parsed is _SKIP or (parsed is None and comments[i] is None):
            continue
        base = {c: columns[c][i] for c in ASSESSMENT_COLUMNS}
        raw = data.cells[score_col][i]
        framework, code = criteria[i]
        key = _group_key(base, framework)
        first = first_rows.setdefault((key, code), base["row"])
        if first != base["row"]:
            issues.append(
                Issue("duplicate_record", data.name, base["row"], letter, raw, {"first_row": first})
            )
            continue
        if key not in groups:
            groups[key] = table.add({**base, "framework": framework})
        score = {
            "a": groups[key],
            "criterion": code,
            "raw_value": raw_text(raw) if parsed is not None else None,
            "value": parsed and parsed.value,
            "level_code": parsed and parsed.level,
            "normalised": parsed and parsed.normalised,
            "comment": comments[i],
            "row": base["row"],
        }
        for column, values in part.columns.items():
            values.append(score[column])


_SKIP = object()  # a long row that gives no score (its problem is reported)


def _long_criteria(cells: list[object], ctx: Context) -> dict[str, tuple[str, str]]:
    """What each criterion cell of a long sheet names (cell as text -> criterion): its code, or
    its name read like a header, within the framework most of the sheet's criteria name when it
    names one there ("Put into practice" beside the SI tool's criteria is the SI tool's), else
    the criterion it names most surely (a long sheet may name criteria of several frameworks,
    row by row)."""
    order = ctx.framework_order
    found: dict[str, dict[tuple[str, str], float]] = {}
    for cell in set(cells):
        text = as_text(cell)
        if text is None or text in found or len(text) > MAX_NAME:
            continue
        code = ctx.criterion_codes.get(fold(text))
        found[text] = {code: SURE_CODE} if code else ctx.criterion_index.candidates(text)[0]
    weight: dict[str, float] = {}
    for candidates in found.values():
        per: dict[str, float] = {}
        for (framework, _), sure in candidates.items():
            per[framework] = max(per.get(framework, 0), sure)
        for framework, sure in per.items():
            weight[framework] = weight.get(framework, 0) + sure
    sheet = max(weight, key=lambda f: (weight[f], -order.get(f, 99)), default=None)
    named: dict[str, tuple[str, str]] = {}
    for text, candidates in found.items():
        inside = {k: v for k, v in candidates.items() if k[0] == sheet} or candidates
        if inside:
            named[text] = max(inside, key=lambda k: (inside[k], -order.get(k[0], 99)))
    return named


def _long_scores(
    data: SheetData,
    criterion_col: int,
    score_col: int,
    criteria: list[tuple[str, str] | None],
    explicit: list[str | None],
    ctx: Context,
    issues: list[Issue],
) -> list[object]:
    """The parsed score of every long row: None for a blank one, _SKIP for one that gives none."""
    parsers = {code: _score_parser(scale, ctx) for code, scale in ctx.scales.items()}
    criterion_letter, score_letter = column_letter(criterion_col), column_letter(score_col)
    scores: list[object] = []
    for i, (criterion, named, raw) in enumerate(
        zip(criteria, explicit, data.cells[score_col], strict=True)
    ):
        if criterion is None or (isinstance(raw, str) and len(raw) > MAX_SHORT_TEXT):
            scores.append(_SKIP)  # reported already, when the sheet's columns were read
        elif named and named != criterion[0]:
            issues.append(
                Issue(
                    "criterion_not_in_framework",
                    data.name,
                    data.rows[i] + 1,
                    criterion_letter,
                    data.cells[criterion_col][i],
                    {
                        "criterion": ctx.criterion_names(*criterion),
                        "framework": ctx.framework_name(named),
                    },
                )
            )
            scores.append(_SKIP)
        else:
            try:
                scores.append(parsers[ctx.criteria[criterion].scale](raw))
            except ValueProblem as p:
                issues.append(
                    Issue(p.code, data.name, data.rows[i] + 1, score_letter, raw, p.params)
                )
                scores.append(_SKIP)
    return scores


def _group_key(base: dict, framework: str) -> tuple:
    return (
        key_of(base["innovation_ref"] or base["innovation"]),
        key_of(base["assessor"]),
        base["assessment_type"],
        base["round"],
        base["assessed_on"],
        framework,
    )


def read_assessments(
    data: SheetData, ctx: Context, defaults: Defaults, table: AssessmentTable, issues: list[Issue]
) -> None:
    if data.plan.kind == LONG:
        read_long(data, ctx, defaults, table, issues)
    else:
        read_wide(data, ctx, defaults, table, issues)
