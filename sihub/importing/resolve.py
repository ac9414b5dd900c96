"""Which column is which, sheet by sheet: the best match wins, not the first.

``layout`` gives each header its likeliest target on its own; here the sheet as a whole
decides, and every column set aside says why (``ColumnPlan.left_out``):

- one framework per sheet: the framework of most criterion columns is the sheet's, and the
  other headers are read within it ("Put into practice" beside nine criteria of the SI tool is
  the SI tool's, not the award's yes / partly / no criterion); a column that names only a
  criterion of another framework waits for an explicit mapping (``other_framework``);
- the content is evidence: a column of numbers 1, 2, 3… is a respondent number, not an
  assessor (``respondent_number``); of two columns that could be the same field, the one whose
  header says so more surely and whose values fit wins (``weaker``), e-mail addresses for the
  e-mail, dates for the date;
- a scale the header states ("(0–5)") is checked against its criterion's: read on it only when
  the user says so (``Mapping.scales``), never silently on another scale (``scale``);
- a column that looks like a criterion (a scale in its header, or values on the sheet's scale)
  but names none waits for the user to map it or confirm it is left out
  (``unknown_criterion``).
"""

from __future__ import annotations

import difflib
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable

from sihub.importing.context import Context
from sihub.importing.headers import Key, criterion_target, stated_scale
from sihub.importing.plans import IGNORE, ColumnPlan, Mapping, SheetPlan
from sihub.importing.reading import Sheet
from sihub.importing.specs import SURE_CODE, clean_header, synonyms
from sihub.importing.values import ValueProblem, as_date, as_number, is_blank
from sihub.reference.scales import Scale, ScoreError

SAMPLE = 60  # values of a column looked at as evidence: enough to see a pattern, quick on 100k
PERSON = "field:assessor"  # a person, never a number
DATES = ("field:assessed_on",)
EMAIL = "field:assessor_email"
MAX_SCALE_VALUE = 10  # numbers up to this may be scores; above, ages, sums, years
ON_A_SCALE = 0.8  # share of a column's values that must read as scores for it to look like one
NEAR_NAME = 0.6  # a header this like a criterion's name is proposed as that criterion


class Samples:
    """The first non-blank values of each column below the header, taken when first asked."""

    def __init__(self, sheet: Sheet, header_row: int) -> None:
        self.rows = sheet.rows[header_row + 1 :]
        self.taken: dict[int, list[object]] = {}

    def __call__(self, col: int) -> list[object]:
        if col not in self.taken:
            found: list[object] = []
            for row in self.rows:
                value = row[col] if col < len(row) else None
                if not is_blank(value):
                    found.append(value)
                    if len(found) == SAMPLE:
                        break
            self.taken[col] = found
        return self.taken[col]


def resolve_sheet(
    plan: SheetPlan, sheet: Sheet, ctx: Context, mapping: Mapping, titles: dict[int, str]
) -> None:
    """Decide, for the whole sheet, which column is which (see the module's docstring)."""
    samples = Samples(sheet, plan.header_row or 0)
    for c in plan.columns:
        if c.header:
            c.stated_scale = stated_scale(c.header) or (
                stated_scale(titles[c.index]) if c.index in titles else None
            )
    if plan.spec.takes_criteria:
        plan.framework = _consensus(plan, ctx, mapping)
        _criteria_within(plan, ctx)
    _not_a_person(plan, samples)
    _best_of_each(plan, samples)
    if plan.spec.takes_criteria:
        _check_scales(plan, ctx, mapping)
        _criterion_like(plan, samples, ctx)
    attach_bare_comments(plan.columns)


# one framework per sheet ----------------------------------------------------------------------
def _consensus(plan: SheetPlan, ctx: Context, mapping: Mapping) -> str | None:
    """The sheet's framework: the one the user chose, else the one its criterion columns name
    most surely (each column counts with how surely it names one of its criteria)."""
    chosen = mapping.defaults.get("framework")
    if chosen in ctx.frameworks:
        return str(chosen)
    weight: Counter = Counter()
    for c in plan.columns:
        if not c.target.startswith("criterion:"):
            continue
        if c.explicit or c.sure >= SURE_CODE:
            criterion = ctx.criterion(c.target)
            if criterion:
                weight[criterion.framework] += c.sure or SURE_CODE
            continue
        per: dict[str, float] = {}
        for (framework, _), sure in c.meaning.criteria.items():
            per[framework] = max(per.get(framework, 0), sure)
        weight.update(per)
    if not weight:
        return None
    order = ctx.framework_order
    return max(weight, key=lambda f: (weight[f], -order.get(f, 99)))


def _criteria_within(plan: SheetPlan, ctx: Context) -> None:
    """Every guessed criterion column read within the sheet's framework; one that names only
    another framework's criterion waits for an explicit mapping (unless rows name their
    framework in a column of their own)."""
    rows_say = any(c.target == "field:framework" for c in plan.columns)
    order = {key: i for i, key in enumerate(ctx.criteria)}
    for c in plan.columns:
        guessed = not c.explicit and c.how != "tool" and c.sure < SURE_CODE
        if guessed and c.target.startswith("criterion:") and c.meaning.criteria:
            inside = {k: s for k, s in c.meaning.criteria.items() if k[0] == plan.framework}
            if inside:
                best = max(
                    inside,
                    key=lambda k: (inside[k], _fits(ctx, k, c.stated_scale), -order[k]),
                )
                c.target, c.sure = criterion_target(best), inside[best]
            elif not rows_say and plan.framework:
                _set_aside(c, "other_framework")
        elif guessed and c.target.startswith("comment:") and c.meaning.commented:
            inside = {k: s for k, s in c.meaning.commented.items() if k[0] == plan.framework}
            if inside:
                c.target = criterion_target(max(inside, key=inside.get), "comment")


def _fits(ctx: Context, key: Key, stated: tuple[int, int] | None) -> bool:
    """Whether a criterion's scale is the one a header states (a tie-breaker between names)."""
    return stated is not None and _range(ctx.scales[ctx.criteria[key].scale]) == stated


def _range(scale: Scale) -> tuple[float, float] | None:
    return (scale.min_value, scale.max_value) if scale.kind == "numeric" else None


def _set_aside(c: ColumnPlan, why: str, instead: int | None = None) -> None:
    c.suggested, c.target, c.left_out, c.instead = c.target, IGNORE, why, instead


# the content as evidence ---------------------------------------------------------------------
def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def numbers_only(values: list[object]) -> bool:
    return bool(values) and all(_whole(v) is not None for v in values)


def respondent_numbers(values: list[object]) -> bool:
    """1, 2, 3… (or any rising run of different whole numbers): a respondent's number."""
    numbers = [_whole(v) for v in values]
    return (
        len(numbers) >= 2
        and None not in numbers
        and all(a < b for a, b in itertools.pairwise(numbers))
    )


def _fit(target: str, values: list[object]) -> int:
    """+1 when a column's values are what the target holds, -1 when they cannot be, else 0."""
    if not values:
        return 0
    if target == EMAIL:
        share = sum("@" in str(v) for v in values) / len(values)
        return 1 if share >= 0.5 else -1 if share == 0 else 0
    if target in DATES:
        share = sum(_reads(as_date, v) for v in values) / len(values)
        return 1 if share >= ON_A_SCALE else -1 if share == 0 else 0
    if target == PERSON:
        return -1 if numbers_only(values) else 0
    return 0


def _reads(parse: Callable[[object], object], value: object) -> bool:
    try:
        return parse(value) is not None
    except (ValueProblem, ScoreError, ValueError):
        return False


def _not_a_person(plan: SheetPlan, samples: Samples) -> None:
    """A guessed assessor column of whole numbers is a respondent number: left out (its rows
    are anonymous assessors, one each), never a list of assessors called 1, 2 and 3."""
    for c in plan.columns:
        if c.target == PERSON and not c.explicit and numbers_only(samples(c.index)):
            _set_aside(c, "respondent_number")


def _best_of_each(plan: SheetPlan, samples: Samples) -> None:
    """Of several guessed columns of one target, the surest whose values fit is read; the others
    are left out with the column read instead. A tie is the first's (``duplicate_column``)."""
    groups: dict[str, list[ColumnPlan]] = defaultdict(list)
    for c in plan.columns:
        if c.target not in (IGNORE, "comment:?"):
            groups[c.target].append(c)
    for target, columns in groups.items():
        if len(columns) < 2:
            continue

        def rank(c: ColumnPlan, target: str = target) -> tuple:
            fit = _fit(target, samples(c.index))
            return (c.explicit, fit >= 0, c.sure, fit)

        winner = max(columns, key=lambda c: (rank(c), -c.index))
        for c in columns:
            if c is not winner and not c.explicit and rank(c) < rank(winner):
                _set_aside(c, "weaker", winner.index)


# scales and criteria that are not there -------------------------------------------------------
def _check_scales(plan: SheetPlan, ctx: Context, mapping: Mapping) -> None:
    """A criterion column whose header states another scale than its criterion's is read on
    the scale the user chose for it, or waits: never silently on the criterion's own."""
    answers = mapping.scales.get(plan.kind or "", {})
    for c in plan.columns:
        criterion = ctx.criterion(c.target) if c.target.startswith("criterion:") else None
        if criterion is None or not c.stated_scale:
            continue
        own = ctx.scales[criterion.scale]
        answer = answers.get(c.key)
        if answer in ctx.scales:
            c.read_scale = answer if answer != own.code else None
        elif _range(own) != c.stated_scale:
            _set_aside(c, "scale")


def scale_for(ctx: Context, stated: tuple[int, int] | None) -> str | None:
    """The hub's numeric scale that runs from the stated lowest to the highest value."""
    found = [code for code, s in ctx.scales.items() if _range(s) == stated]
    named = f"{stated[0]}-{stated[1]}" if stated else None
    return named if named in found else (found[0] if found else None)


def _criterion_like(plan: SheetPlan, samples: Samples, ctx: Context) -> None:
    """Columns nothing was found for that look like a criterion: a scale in the header, or
    values that read as scores; they wait for a mapping or a "leave it out"."""
    scale = _sheet_scale(plan, ctx)
    for c in plan.columns:
        if c.target != IGNORE or c.explicit or c.left_out or c.how == "tool" or not c.header:
            continue
        if c.meaning.field_target or c.meaning.comment or _identifier(c.header):
            continue
        if c.stated_scale or _on_a_scale(samples(c.index), scale):
            c.left_out = "unknown_criterion"
            c.suggested = nearest_criterion(plan, ctx, c.header)


def _sheet_scale(plan: SheetPlan, ctx: Context) -> Scale | None:
    criteria = [ctx.criterion(c.target) for c in plan.columns if c.target.startswith("criterion:")]
    scales = Counter(c.scale for c in criteria if c)
    return ctx.scales[scales.most_common(1)[0][0]] if scales else None


def _on_a_scale(values: list[object], scale: Scale | None) -> bool:
    """Most values read as scores (on the sheet's scale, or as small numbers), and they are no
    respondent numbers."""
    if not values or (respondent_numbers(values) and len(values) > 2):
        return False

    def score(value: object) -> bool:
        if scale is not None and _reads(scale.parse, value):
            return True
        number = as_number(value) if _reads(as_number, value) else None
        return number is not None and 0 <= number <= MAX_SCALE_VALUE

    return sum(map(score, values)) >= ON_A_SCALE * len(values)


def _identifier(header: str) -> bool:
    """A header naming an identifier ("ID", "Nro", "Vastaustunnus"): its numbers are no scores."""
    words = synonyms()["words"]["identifier"]
    for word in clean_header(header).replace("-", " ").split():
        if word in words or any(word.endswith(w) for w in words if len(w) >= 6):
            return True
    return False


def nearest_criterion(plan: SheetPlan, ctx: Context, header: str) -> str | None:
    """The criterion of the sheet's framework no column has yet whose name is most like the
    header (None if none is like it at all)."""
    taken = {c.target for c in plan.columns}
    cleaned = clean_header(header)
    best: tuple[float, str | None] = (NEAR_NAME, None)
    for key, criterion in ctx.criteria.items():
        target = criterion_target(key)
        if key[0] != plan.framework or target in taken:
            continue
        for name in criterion.names.values():
            ratio = difflib.SequenceMatcher(None, cleaned, clean_header(name)).ratio()
            if ratio > best[0]:
                best = (ratio, target)
    return best[1]


def attach_bare_comments(columns: list[ColumnPlan]) -> None:
    """A column headed just "Perustelut" comments the nearest criterion to its left (none, when
    that column is set aside: a comment without its scores would be read as an assessment).

    One bare comment column after all the criteria, where no criterion has a comment of its
    own, is the form's closing question ("Comments", "Kommentit"): the assessment's summary,
    not the last criterion's comment."""
    taken = {c.target for c in columns}
    if _closing_comment(columns, taken):
        return
    last_criterion: str | None = None
    for c in columns:
        if c.target.startswith("criterion:"):
            last_criterion = c.target
        elif c.left_out:
            last_criterion = None
        elif c.target == "comment:?":
            comment = last_criterion.replace("criterion:", "comment:") if last_criterion else None
            if comment and comment not in taken:
                c.target = comment
                taken.add(comment)
            else:
                c.target, c.how = IGNORE, "none"


def _closing_comment(columns: list[ColumnPlan], taken: set[str]) -> bool:
    """Map a lone bare comment column that follows every criterion to the summary."""
    bare = [n for n, c in enumerate(columns) if c.target == "comment:?"]
    criteria = [n for n, c in enumerate(columns) if c.target.startswith("criterion:")]
    if len(bare) != 1 or not criteria or bare[0] < criteria[-1] or "field:summary" in taken:
        return False
    if any(c.target.startswith("comment:") and c.target != "comment:?" for c in columns):
        return False
    columns[bare[0]].target = "field:summary"
    return True
