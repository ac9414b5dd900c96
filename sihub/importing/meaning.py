"""What one header cell means in a sheet of some kind, with the store's criteria at hand: a
field, the criteria it may name (each with how surely), a criterion's comment, or nothing.
"""

from __future__ import annotations

import difflib
import re

from sihub.importing.context import Context
from sihub.importing.headers import (
    FUZZY_CUTOFF,
    MAX_HEADER,
    Meaning,
    criterion_target,
    strip_words,
    without_survey_code,
)
from sihub.importing.specs import SURE_FUZZY, SheetSpec, clean_header
from sihub.importing.values import is_blank
from sihub.text import fold


def header_meaning(text: object, spec: SheetSpec, ctx: Context, misspelt: bool = False) -> Meaning:
    """What ``text`` may mean as a header of a sheet of ``spec``'s kind.

    Remembered per file: finding the header row tries the first rows of a sheet against
    several kinds of sheet, so the same cells are asked about again and again.
    """
    if not isinstance(text, str) or is_blank(text) or len(text) > MAX_HEADER:
        return Meaning()
    key = (text, spec.entity, misspelt)
    if key not in ctx.header_targets:
        ctx.header_targets[key] = _meaning(text, spec, ctx, misspelt)
    return ctx.header_targets[key]


def _meaning(text: str, spec: SheetSpec, ctx: Context, misspelt: bool) -> Meaning:
    cleaned = clean_header(without_survey_code(text))
    field_name, field_sure = spec.header_fields().get(cleaned, (None, 0))
    found_field = f"field:{field_name}" if field_name else None
    if not spec.takes_criteria:
        if found_field is None and misspelt:
            return _misspelt_field(cleaned, spec)
        return Meaning(found_field, field_sure)
    without_comment = strip_words(cleaned, "comment")
    if without_comment is not None:  # "Uutuusarvo – perustelut", or "Perustelut" alone
        base, _ = ctx.criterion_index.candidates(without_comment, misspelt=False)
        if base:
            best = max(base, key=lambda k: (base[k], -ctx.framework_order.get(k[0], 99)))
            comment = criterion_target(best, "comment")
            return Meaning(found_field, field_sure, comment=comment, commented=base)
        return Meaning(found_field, field_sure, comment=None if without_comment else "comment:?")
    criteria, by_misspelling = ctx.criterion_index.candidates(text, misspelt=False)
    without_score = strip_words(cleaned, "score")  # "Uutuusarvo Pisteet" in a two-row header
    if without_score and not criteria:
        criteria, by_misspelling = ctx.criterion_index.candidates(without_score, misspelt=False)
    if not criteria and not found_field and misspelt:
        field_guess = _misspelt_field(cleaned, spec)
        if field_guess:
            return field_guess
        criteria, by_misspelling = ctx.criterion_index.candidates(text, misspelt=True)
    return Meaning(found_field, field_sure, criteria, by_misspelling, code=bracket_code(text, ctx))


def _misspelt_field(cleaned: str, spec: SheetSpec) -> Meaning:
    """A misspelt field's label ("Arviointipäivämääärä"), if it is close enough."""
    if len(cleaned) < 5:
        return Meaning()
    fields = spec.header_fields()
    close = difflib.get_close_matches(cleaned, list(fields), n=1, cutoff=FUZZY_CUTOFF)
    if not close:
        return Meaning()
    return Meaning(f"field:{fields[close[0]][0]}", SURE_FUZZY, misspelt=True)


def bracket_code(text: str, ctx: Context) -> str | None:
    """``Uutuusarvo [novelty]``: the template writes the criterion code in brackets."""
    found = re.search(r"\[([a-z0-9_.]+)\]\s*$", fold(text))
    if not found:
        return None
    code = found.group(1)
    key = ctx.criterion_codes.get(code)
    return criterion_target(key) if key else None
