"""What the layout step tells about a sheet's columns, as issues at their header cells: columns
left out and why, questions that wait for the user's answer, headers found by a similar name.

Names from the data (criteria, frameworks, scales) travel as ``{lang: text}`` parameters, so
that a message reads in the reader's language (``Issue.message``).
"""

from __future__ import annotations

from sihub.i18n import LANGUAGES, t
from sihub.importing.assessments import Defaults
from sihub.importing.context import Context
from sihub.importing.issues import Issue, column_letter
from sihub.importing.plans import IGNORE, ColumnPlan, SheetPlan
from sihub.importing.reading import Sheet
from sihub.importing.resolve import scale_for
from sihub.importing.values import is_blank

# Columns that change how rows are counted when left out: what happens instead (import.counting)
COUNTING = ("field:assessment_type", "field:assessor", "field:round")


def column_issues(
    p: SheetPlan, sheet: Sheet, ctx: Context, defaults: Defaults, issues: list[Issue]
) -> None:
    row = p.header_row + 1
    for c in p.columns:
        if c.rejected:
            issues.append(Issue("unknown_mapping_target", p.sheet, row, c.letter, c.rejected))
        if c.left_out:
            issues.append(_left_out(p, c, ctx))
        elif c.target == IGNORE and not c.header:
            sample = _first_value(sheet, c.index, row)
            issues.append(
                Issue("unnamed_column", p.sheet, row, c.letter, sample, {"column": c.letter})
            )
        elif c.target == IGNORE and c.explicit and c.proposed in COUNTING:
            issues.append(_counting_left_out(p, c, defaults))
        elif c.target == IGNORE and c.how != "tool" and not c.explicit:
            issues.append(Issue("ignored_column", p.sheet, row, c.letter, c.header))
        elif c.how == "fuzzy":
            issues.append(Issue("fuzzy_header", p.sheet, row, c.letter, c.header))
    for c in p.duplicates():
        issues.append(Issue("duplicate_column", p.sheet, row, c.letter, c.header))


def _left_out(p: SheetPlan, c: ColumnPlan, ctx: Context) -> Issue:
    at = (p.sheet, p.header_row + 1, c.letter, c.header)
    if c.left_out == "respondent_number":
        return Issue("respondent_number_column", *at)
    if c.left_out == "weaker":
        other = p.columns_by_index()[c.instead]
        return Issue(
            "column_left_out",
            *at,
            {
                "label": _target_names(c.suggested, p.kind, ctx),
                "other": column_letter(c.instead),
                "other_header": other.header,
            },
        )
    if c.left_out == "unknown_criterion":
        why = "import.looks_like.scale" if c.stated_scale else "import.looks_like.values"
        nearest = _target_names(c.suggested, p.kind, ctx) if c.suggested else None
        return Issue(
            "unknown_criterion_column",
            *at,
            {
                "why": {lang: t(why, lang=lang) for lang in LANGUAGES},
                "nearest": _nearest(nearest),
            },
        )
    criterion = ctx.criterion(c.suggested or "")
    names = {
        lang: ctx.criterion_name(criterion.framework, criterion.code, lang) for lang in LANGUAGES
    }
    if c.left_out == "scale":
        own = ctx.scales[criterion.scale]
        stated = f"{c.stated_scale[0]}–{c.stated_scale[1]}"
        return Issue(
            "header_scale_mismatch",
            *at,
            {
                "criterion": names,
                "stated": stated,
                "scale": ctx.scale_name(own.code),
                "hub_has": _hub_has(ctx, c.stated_scale),
            },
        )
    return Issue(
        "other_framework_column",
        *at,
        {
            "criterion": names,
            "framework": ctx.framework_name(criterion.framework),
            "sheet_framework": ctx.framework_name(p.framework or ""),
        },
    )


def _counting_left_out(p: SheetPlan, c: ColumnPlan, defaults: Defaults) -> Issue:
    """Leaving out the type, assessor or round column changes how the rows are counted."""
    field_name = c.proposed.removeprefix("field:")
    values: dict = {"type": "", "round": defaults.round}
    if field_name == "assessment_type":
        values["type"] = {
            lang: t(f"import.type.{defaults.assessment_type}", lang=lang) for lang in LANGUAGES
        }
    key = f"import.counting.{field_name}"
    if field_name == "round" and defaults.round is None:
        key += "_none"
    return Issue(
        "counting_column_left_out",
        p.sheet,
        p.header_row + 1,
        c.letter,
        c.header,
        {"consequence": {lang: _filled(key, lang, values) for lang in LANGUAGES}},
    )


def _filled(key: str, lang: str, values: dict) -> str:
    shown = {k: v.get(lang, "") if isinstance(v, dict) else v for k, v in values.items()}
    return t(key, lang=lang, **shown)


def _target_names(target: str | None, kind: str | None, ctx: Context) -> dict[str, str]:
    from sihub.importing.layout import target_label

    return {lang: target_label(target or IGNORE, kind or "", ctx, lang) for lang in LANGUAGES}


def _nearest(names: dict[str, str] | None) -> dict[str, str]:
    return {
        lang: t("import.looks_like.nearest", lang=lang, target=names[lang]) if names else ""
        for lang in LANGUAGES
    }


def _hub_has(ctx: Context, stated: tuple[int, int]) -> dict[str, str]:
    """Whether the hub can read the column on the scale its header states."""
    code = scale_for(ctx, stated)
    return {
        lang: t("import.scale.hub_has", lang=lang, scale=ctx.scale_name(code)[lang])
        if code
        else t("import.scale.hub_lacks", lang=lang)
        for lang in LANGUAGES
    }


def _first_value(sheet: Sheet, col: int, start: int) -> object:
    """The first value of a column from row index ``start`` on (an example for a report)."""
    return next((r[col] for r in sheet.rows[start:] if col < len(r) and not is_blank(r[col])), None)
