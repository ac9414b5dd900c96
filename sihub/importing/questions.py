"""The questions a person must answer before a file can go in, each asked once, with the
importer's proposal, and answered into the ``Mapping`` (so that a saved mapping remembers it
for the pilot's next file).

- a value the hub does not know ("ulkopuolinen" as an assessment type): which known value it
  means, or leave it empty where the field is optional (``Mapping.values``);
- a column that looks like a criterion but names none: which criterion, or leave it out;
- a column naming a criterion of another framework than the sheet's: confirm it, map it
  elsewhere, or leave it out (``Mapping.columns``);
- a column whose header states another scale than its criterion's: read it on the stated
  scale, on the criterion's own, or leave it out (``Mapping.scales``).

The Import page asks them with a choice each; the command line prints them with a
ready-to-run command (``cli_options``) and takes the same answers as options.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sihub.i18n import current_language, localized, t
from sihub.importing.context import Context
from sihub.importing.issues import Issue
from sihub.importing.layout import target_label
from sihub.importing.plans import IGNORE, ColumnPlan, Mapping, SheetPlan
from sihub.importing.resolve import scale_for
from sihub.importing.validation import ParsedWorkbook
from sihub.importing.vocabulary import LEAVE_EMPTY
from sihub.text import fold

VALUE, COLUMN, SCALE = "value", "column", "scale"
SCALE_PREFIX = "scale:"  # an answer to a scale question: "scale:0-5"
# What a question is about, by the issue that raises it
QUESTION_CODES = {
    "unknown_code": VALUE,
    "unknown_criterion_column": COLUMN,
    "other_framework_column": COLUMN,
    "header_scale_mismatch": SCALE,
}
MAX_OPTIONS = 12  # criteria offered for a column: the sheet's framework's, nearest first


@dataclass(frozen=True)
class Question:
    id: str  # stable for a file and a mapping: what the page keys its answer on
    kind: str  # value | column | scale
    code: str  # the issue that asks it
    location: str  # where it is first asked ("Vastaukset!E4")
    subject: str  # the value or the header, as the file writes it
    about: str  # value: the field; column and scale: the sheet's kind
    key: str  # value: the value folded; column and scale: the column's key
    options: tuple[str, ...]  # the answers, the proposed one first
    proposed: str | None  # what the importer would answer
    count: int = 1  # the cells it settles
    blocking: bool = True
    vocabulary: str | None = None  # value: the vocabulary its answers come from
    issue: Issue | None = None  # the issue that asks it (its message is the question)


def questions(parsed: ParsedWorkbook) -> list[Question]:
    """Every question the file raises, in the order of the report, each once."""
    ctx = parsed.context
    plans = {p.sheet: p for p in parsed.plan.mapped}
    found: dict[str, Question] = {}
    counts: Counter = Counter()
    for issue in parsed.issues:
        kind = QUESTION_CODES.get(issue.code)
        plan = plans.get(issue.sheet or "")
        if kind is None or plan is None or ctx is None:
            continue
        asked = _value(issue, plan, ctx) if kind == VALUE else _column(issue, plan, ctx)
        if asked is not None:
            counts[asked.id] += 1
            found.setdefault(asked.id, asked)
    return [_counted(q, counts[q.id]) for q in found.values()]


def _counted(q: Question, count: int) -> Question:
    return q if q.kind != VALUE else Question(**{**q.__dict__, "count": count})


def _value(issue: Issue, plan: SheetPlan, ctx: Context) -> Question | None:
    field_name = issue.params.get("field")
    column = plan.spec.column(field_name) if field_name else None
    if column is None or not column.kind.startswith("code"):
        return None
    vocabulary = ctx.vocabularies[column.kind.partition(":")[2]]
    text = str(issue.value).strip()
    nearest = vocabulary.nearest(text, n=len(vocabulary.names))
    options = (*nearest, *(() if column.required else (LEAVE_EMPTY,)))
    return Question(
        f"value:{field_name}:{fold(text)}",
        VALUE,
        issue.code,
        issue.location,
        text,
        field_name,
        fold(text),
        options,
        vocabulary.proposal(text),
        issue=issue,
        vocabulary=vocabulary.table,
    )


def _column(issue: Issue, plan: SheetPlan, ctx: Context) -> Question | None:
    column = next((c for c in plan.columns if c.letter == issue.column), None)
    if column is None:
        return None
    if issue.code == "header_scale_mismatch":
        return _scale(issue, plan, column, ctx)
    options = list(dict.fromkeys(filter(None, (column.suggested, *_criteria_left(plan, ctx)))))
    options = [*options[:MAX_OPTIONS], IGNORE]
    return _about_column(
        COLUMN, issue, plan, column, options, column.suggested or IGNORE, issue.blocking
    )


def _about_column(
    kind: str,
    issue: Issue,
    plan: SheetPlan,
    column: ColumnPlan,
    options: list[str],
    proposed: str,
    blocking: bool = True,
) -> Question:
    """A question about one column of a sheet (what it holds, or the scale of its values)."""
    return Question(
        f"{kind}:{plan.kind}:{column.key}",
        kind,
        issue.code,
        issue.location,
        column.header,
        plan.kind,
        column.key,
        tuple(options),
        proposed,
        blocking=blocking,
        issue=issue,
    )


def _criteria_left(plan: SheetPlan, ctx: Context) -> list[str]:
    """The criteria of the sheet's framework that no column has."""
    taken = {c.target for c in plan.columns}
    return [
        f"criterion:{fw}.{code}"
        for fw, code in ctx.criteria
        if fw == plan.framework and f"criterion:{fw}.{code}" not in taken
    ]


def _scale(issue: Issue, plan: SheetPlan, column: ColumnPlan, ctx: Context) -> Question:
    criterion = ctx.criterion(column.suggested or "")
    stated = scale_for(ctx, column.stated_scale)
    numeric = criterion is not None and ctx.scales[criterion.scale].kind == "numeric"
    options = [
        *((f"{SCALE_PREFIX}{stated}",) if stated and numeric else ()),
        *((f"{SCALE_PREFIX}{criterion.scale}",) if criterion else ()),
        IGNORE,
    ]
    return _about_column(SCALE, issue, plan, column, options, options[0])


def answer(mapping: Mapping, question: Question, option: str) -> Mapping:
    """``mapping`` with ``option`` as the answer to ``question``."""
    if question.kind == VALUE:
        return mapping.value(question.about, question.subject, option)
    if option.startswith(SCALE_PREFIX):
        return mapping.scale(question.about, question.key, option.removeprefix(SCALE_PREFIX))
    return mapping.override(question.about, question.key, option)


def option_label(question: Question, option: str, ctx: Context, lang: str | None = None) -> str:
    """An answer as the page and the command line offer it, in the user's language."""
    lang = lang or current_language()
    if question.kind == VALUE:
        if option == LEAVE_EMPTY:
            return t("import.question.leave_empty", lang=lang)
        names = ctx.vocabularies[question.vocabulary or ""].names
        return names[option][lang] if option in names else option
    if option.startswith(SCALE_PREFIX):
        code = option.removeprefix(SCALE_PREFIX)
        name = localized(ctx.scale_names.get(code, {}), "name", lang) or code
        return t("import.question.read_on", lang=lang, scale=name)
    if option == IGNORE:
        return t("import.question.leave_out", lang=lang)
    return target_label(option, question.about, ctx, lang)


UNANSWERED = "?"  # in a proposed command: the answer the user has to choose


def cli_options(question: Question, option: str | None) -> list[str]:
    """The command-line options that give ``option`` as the answer to ``question`` (None: a
    ``?`` for the user to replace)."""
    option = UNANSWERED if option is None else option
    if question.kind == VALUE:
        return ["--map-value", f"{question.about}:{question.subject}={option}"]
    if option.startswith(SCALE_PREFIX):
        return ["--map-scale", f"{question.about}:{question.key}={option[len(SCALE_PREFIX) :]}"]
    return ["--map-column", f"{question.about}:{question.key}={option}"]
