"""What the Import page and the command line show, as plain tables and sentences in the user's
language: the mapping of each sheet, the near matches to decide, the report, the preview."""

from __future__ import annotations

import pandas as pd

from sihub.db.store import Store
from sihub.i18n import current_language, localized, t
from sihub.importing.context import Context
from sihub.importing.issues import ERROR, HINT, WARNING, Issue
from sihub.importing.layout import Plan, SheetPlan, target_label
from sihub.importing.matching import NearMatch
from sihub.importing.questions import Question
from sihub.importing.reading import Sheet
from sihub.importing.template import sheet_help
from sihub.importing.upsert import Summary
from sihub.importing.values import as_text, is_blank
from sihub.personal import holds_email, shown_assessor

SAMPLES = 3  # example values shown beside each column
SEVERITIES = (ERROR, WARNING, HINT)
PREVIEW_COUNTS = (
    "innovations_new",
    "organisations_new",
    "assessors_new",
    "assessors_anonymous",
    "assessments_new",
    "scores_new",
    "assessments_replaced",
    "innovations_updated",
    "organisations_updated",
    "stage_history_new",
    "development_steps_new",
    "participants_new",
    "answers_new",
    "answers_updated",
    "funding_new",
    "funding_updated",
    "awards_new",
    "rows_skipped",
)
LISTED_NEW = ("innovations_new", "organisations_new", "assessors_new")  # names shown too


def framework_names(store: Store, lang: str | None = None) -> dict[str, str]:
    """Framework code -> its name in the language, in the frameworks' order."""
    return {
        f["code"]: localized(f, "name", lang)
        for f in store.records("SELECT * FROM frameworks ORDER BY sort_order, code")
    }


def samples(sheet: Sheet, header_row: int, col: int) -> str:
    """A few values of a column below its header, as the user typed them."""
    found: list[str] = []
    for row in sheet.rows[header_row + 1 :]:
        value = row[col] if col < len(row) else None
        if not is_blank(value):
            text = as_text(value) or ""
            found.append(text if len(text) <= 30 else text[:29] + "…")
            if len(found) == SAMPLES:
                break
    return " · ".join(found)


def mapping_frame(plan: SheetPlan, sheet: Sheet) -> pd.DataFrame:
    """One row per header cell: column letter, header, example values, target and how found."""
    return pd.DataFrame(
        {
            "column": [c.letter for c in plan.columns],
            "header": [c.title for c in plan.columns],
            "samples": [samples(sheet, plan.header_row, c.index) for c in plan.columns],
            "target": [c.target for c in plan.columns],
            "how": [t(f"import.map.how.{c.how}") for c in plan.columns],
            "key": [c.key for c in plan.columns],
        }
    )


def mapping_lines(plan: SheetPlan, ctx: Context, lang: str | None = None) -> list[str]:
    """The mapping of a sheet as lines of text (command line)."""
    return [
        f"  {c.letter:>3}  {c.title[:40]:40}  -> {target_label(c.target, plan.kind, ctx, lang)}"
        + ("" if c.how in ("auto", "none") else f"  ({t(f'import.map.how.{c.how}', lang=lang)})")
        for c in plan.columns
    ]


def issue_frame(issues: list[Issue], lang: str | None = None) -> pd.DataFrame:
    lang = lang or current_language()
    rows = [
        {
            "severity": t(f"import.severity.{i.severity}", lang=lang),
            "location": i.location,
            "message": i.message(lang),
            "value": i.as_row(lang)["value"],
            "code": i.code,
        }
        for i in issues
    ]
    return pd.DataFrame(rows, columns=["severity", "location", "message", "value", "code"])


def issue_counts(issues: list[Issue]) -> dict[str, int]:
    return {s: sum(1 for i in issues if i.severity == s) for s in SEVERITIES}


def count_text(counts: dict[str, int], lang: str | None = None) -> str:
    """``2 errors, 1 warning``: the non-zero counts, singular or plural."""
    parts = [
        t(f"import.report.{'one' if n == 1 else 'many'}.{severity}", lang=lang, n=n)
        for severity, n in counts.items()
        if n
    ]
    return ", ".join(parts) or t("import.report.none", lang=lang)


def near_frame(near: list[NearMatch], decisions: dict[str, str], open_: str = "") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [m.id for m in near],
            "what": [t(f"import.near.kind.{m.kind}") for m in near],
            "name": [m.name for m in near],
            "candidate": [_candidate(m) for m in near],
            "where": [
                t("import.near.existing") if m.candidate_id else t("import.near.in_file")
                for m in near
            ],
            "reason": [t(f"import.near.reason.{m.reason}") for m in near],
            "rows": [m.count for m in near],
            "answer": [decisions.get(m.id, open_) for m in near],
        }
    )


def _candidate(match: NearMatch) -> str:
    """The record a name resembles; an assessor the hub knows by an address, by number."""
    if match.kind == "assessor" and match.candidate_id is not None:
        return str(shown_assessor(match.candidate, match.candidate_id))
    return match.candidate


def new_names(summary: Summary, what: str) -> list[str]:
    """The names a preview lists of one kind of new record (``LISTED_NEW``). An assessor known
    by an e-mail address is listed without it (``sihub.personal``): once committed, the import
    history pairs the number they are shown by with the address."""
    names = summary.new.get(what) or []
    if what != "assessors_new":
        return names
    return [t("import.preview.by_address") if holds_email(name) else name for name in names]


def preview_counts(summary: Summary) -> list[tuple[str, int]]:
    """(label, count) for what a batch adds, replaces and skips; zero counts left out."""
    return [
        (t(f"import.count.{key}"), int(summary.counts[key]))
        for key in PREVIEW_COUNTS
        if summary.counts.get(key)
    ]


def replaced_frame(summary: Summary) -> pd.DataFrame:
    return pd.DataFrame(
        summary.replaced,
        columns=["assessment_id", "innovation", "assessor", "round", "framework", "batch", "file"],
    )


def skipped_frame(summary: Summary) -> pd.DataFrame:
    rows = [{**s, "reason": t(f"import.skipped.{s['reason']}")} for s in summary.skipped]
    return pd.DataFrame(rows, columns=["sheet", "row", "reason"])


def sheets_to_fill(plan: Plan, lang: str | None = None) -> list[tuple[str, str]]:
    """Each sheet the file's rows would be read from, with what it holds: the template's own
    words for its sheets (as on its instructions sheet), the kind's name for the others."""
    return [
        (s.sheet, sheet_help(s.kind, lang) or t(f"import.kind.{s.kind}", lang=lang))
        for s in plan.mapped
    ]


def sheet_facts(plan: SheetPlan, ctx: Context, lang: str | None = None) -> list[str]:
    """What the preview says of a sheet beyond its columns: the survey tool whose export it is,
    how many criteria of each framework it covers, and whether it mixes frameworks."""
    lang = lang or current_language()
    facts = []
    if plan.tool:
        facts.append(t(f"import.tool.{plan.tool}", lang=lang))
    covered: dict[str, set[str]] = {}
    for c in plan.columns:
        criterion = ctx.criterion(c.target) if c.target.startswith("criterion:") else None
        if criterion:
            covered.setdefault(criterion.framework, set()).add(criterion.code)
    for framework, codes in covered.items():
        total = sum(1 for key in ctx.criteria if key[0] == framework)
        name = ctx.frameworks[framework].names.get(lang) or framework
        facts.append(
            t("import.coverage", lang=lang, covered=len(codes), total=total, framework=name)
        )
    if len(covered) > 1:
        facts.append(t("import.mixed_frameworks", lang=lang, count=len(covered)))
    waiting = sum(1 for c in plan.columns if c.left_out in ("other_framework", "scale"))
    if waiting:
        facts.append(t("import.columns_waiting", lang=lang, count=waiting))
    return facts


def question_text(question: Question, lang: str | None = None) -> str:
    """A question in the user's language, with where it is asked."""
    column = question.location.rpartition("!")[2].rstrip("0123456789")
    return t(
        f"import.question.{question.kind}",
        lang=lang,
        value=question.subject,
        header=question.subject,
        column=column,
        count=question.count,
        location=question.location,
    )
