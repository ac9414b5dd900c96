"""Declarations of what the importer reads: the hub workbook's sheets (one per entity) and
the two export layouts of form tools ("Form": one row per assessment, one column per
criterion; "Long": one row per score), their columns and each column's type.

Headers are recognised by field code (``short_description``), by the field's label in any of
the three languages (the labels the template and the pages show) and, for the export layouts,
by the synonyms in ``synonyms.toml``; all case- and accent-blind.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sihub.i18n import LANGUAGES, t
from sihub.importing.cache import bytes_cache
from sihub.importing.values import max_length
from sihub.text import fold

SYNONYMS_FILE = Path(__file__).with_name("synonyms.toml")
FORM = "Form"  # a form export: one row per filled-in assessment form
LONG = "Long"  # a long export: one row per (innovation, criterion, score)
ASSESSMENT_KINDS = ("Assessments", FORM, LONG)  # sheets whose rows become assessments

# Column kinds: text (short), name (matched to records), long (a description or comment), date,
# int, number, rate, bool, url, list, names (a list of names), code:<vocabulary>,
# codes:<vocabulary> (a list of codes). Vocabularies are tables of the store. Each kind takes
# texts up to a length (values.max_length).


@dataclass(frozen=True)
class Column:
    field: str
    kind: str = "text"
    required: bool = False

    @property
    def max_length(self) -> int:
        return max_length(self.kind)


@dataclass(frozen=True)
class SheetSpec:
    entity: str  # also the sheet's name in the canonical workbook
    columns: tuple[Column, ...]
    takes_criteria: bool = False  # one extra column per criterion (Assessments, Form)
    creates_innovations: bool = False  # unknown innovations are new ones (exports), not errors

    def column(self, field: str) -> Column | None:
        return next((c for c in self.columns if c.field == field), None)

    def label(self, field: str, lang: str) -> str:
        return t(f"field.{self.entity}.{field}", lang=lang)

    def sheet_names(self) -> set[str]:
        """Names this sheet may have: the entity, and its title in each language."""
        return {
            fold(self.entity),
            *(fold(t(f"sheet.{self.entity}", lang=lang)) for lang in LANGUAGES),
        }

    def header_synonyms(self) -> dict[str, str]:
        """Folded header text -> field, for every label of every column in every language."""
        return {text: found[0] for text, found in self.header_fields().items()}

    def header_fields(self) -> dict[str, tuple[str, int]]:
        """Folded header text -> (field, how surely): ``SURE_NAME`` for the field's code and its
        labels, ``SURE_SYNONYM`` for the spellings of ``synonyms.toml``."""
        # remembered by entity: hashing the whole spec for a cache key costs more than a lookup
        if self.entity not in _HEADER_FIELDS:
            _HEADER_FIELDS[self.entity] = _header_fields(self)
        return _HEADER_FIELDS[self.entity]


_HEADER_FIELDS: dict[str, dict[str, tuple[str, int]]] = {}
# How surely a header names a target, when two columns could be the same field or criterion:
SURE_CODE = 4  # a criterion's code in brackets, as the template writes it ("Uutuusarvo [novelty]")
SURE_NAME = 3  # a field's code or label, a criterion's code or name, in any language
SURE_SYNONYM = 2  # a spelling of synonyms.toml, or a criterion's synonym
SURE_PART = 1.5  # part of a name ("Put into practice" of "Put into practice / tested"), two of its
# words joined by "and" / "ja" / "och", or its words in another order
SURE_FUZZY = 1  # a misspelling


def _header_fields(spec: SheetSpec) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for column in spec.columns:
        found[fold(column.field)] = (column.field, SURE_NAME)
        found[fold(column.field.replace("_", " "))] = (column.field, SURE_NAME)
        for lang in LANGUAGES:
            found.setdefault(
                clean_header(spec.label(column.field, lang)), (column.field, SURE_NAME)
            )
    section = "Form" if spec.entity in ASSESSMENT_KINDS else spec.entity
    declared = {c.field for c in spec.columns}
    for column, words in synonyms().get(section, {}).items():
        if column in declared:
            for word in words:
                found.setdefault(clean_header(word), (column, SURE_SYNONYM))
    return found


@cache
def synonyms() -> dict[str, dict[str, list[str]]]:
    """The synonym table of ``synonyms.toml``: section -> field -> spellings."""
    with SYNONYMS_FILE.open("rb") as f:
        return tomllib.load(f)


def value_spellings(vocabulary: str) -> dict[str, list[str]]:
    """Extra spellings of a vocabulary's codes (``[values.<vocabulary>]``): code -> spellings."""
    return synonyms().get("values", {}).get(vocabulary, {})


# "3.", "3)", "Q3", "K3:", "1.2", "a)" before a question; "(1–5)", "[1-5]", "1–5", "*" after it
_NUMBERING = re.compile(
    r"^\s*(?:(?:q|k|kysymys|fraga|question)\s*)?\d+(?:\.\d+)*[a-z]?\s*[.):\-–]?\s+"
    r"|^\s*(?:q|k)\d+[.:)]?\s*|^\s*[a-z]\)\s*",
    re.IGNORECASE,
)
# (?<!\d): a range starts where a run of digits starts; tried inside the run as well, a cell of
# 32,767 digits took 49 s
_HINT = re.compile(r"\s*(?:[(\[][^()\[\]]*[)\]]|(?<!\d)\d+\s*[-–—]\s*\d+)\s*$")
# a scale said in words after the question: "asteikolla 1–5", "on a scale of 0 to 5"; or by
# its ends: "1 = heikko … 5 = erinomainen" (two numbers with "=", the hint starts at the first)
SCALE_WORDS = r"(?:asteiko\w*|asteikol\w*|skala\w*|(?:on\s+a\s+)?scale(?:\s+of)?)"
_SCALE_PHRASE = re.compile(rf"{SCALE_WORDS}\s*\d+\s*(?:[-–—]|to|till)\s*\d+\s*$")
ANCHOR = re.compile(r"(?<![\d.,])\d{1,2}\s*=")
_EDGES = " *:?.\"'“”„-–—"


@bytes_cache("clean headers", 2 * 1024 * 1024)  # a few thousand header cells
def _clean(text: str) -> str:
    value = fold(text).strip(_EDGES)
    value = _NUMBERING.sub("", value, count=1)
    for _ in range(2):  # "Uutuusarvo (1–5) *" carries two hints
        value = _without_scale_words(value)
        value = _HINT.sub("", value).strip(_EDGES)
    return value


def _without_scale_words(value: str) -> str:
    """``value`` without a scale said in words at its end (searched, not matched from every
    position: a header may be a long question)."""
    anchors = [m.start() for m in itertools.islice(ANCHOR.finditer(value), 2)]
    if len(anchors) == 2:
        return value[: anchors[0]].rstrip(_EDGES + ",;(")
    phrase = _SCALE_PHRASE.search(value) if value[-1:].isdigit() else None
    return value[: phrase.start()].rstrip(_EDGES + ",;(") if phrase else value


def clean_header(text: object) -> str:
    """Header without question number or scale hint, folded.

    ``3. Uutuusarvo (1–5)`` -> ``uutuusarvo``; ``Q3 Novelty*`` -> ``novelty``.
    """
    return "" if text is None else _clean(str(text))


SPECS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "Organisations",
        (
            Column("ref", "name"),
            Column("name", "name", required=True),
            Column("org_type", "code:org_types"),
            Column("region", "code:regions"),
            Column("business_id"),
            Column("municipality"),
            Column("country", "code:countries"),
            Column("website", "url"),
            Column("innokyla_url", "url"),
            Column("description", "long"),
        ),
    ),
    SheetSpec(
        "Innovations",
        (
            Column("ref", "name"),
            Column("name", "name", required=True),
            Column("short_description", "long"),
            Column("basic_idea", "long"),
            Column("operating_environment", "long"),
            Column("target_group_insight", "long"),
            Column("adoption_conditions", "long"),
            Column("implementation_place", "long"),
            Column("scope", "code:scopes"),
            Column("funder_text", "long"),
            Column("collection"),
            Column("stage", "code:stages"),
            Column("author", "name"),
            Column("created_on", "date"),
            Column("modified_on", "date"),
            Column("innokyla_url", "url"),
            Column("sim_url", "url"),
            Column("lead_organisation", "name"),
            Column("partner_organisations", "names"),
            Column("regions", "codes:regions"),
            Column("themes", "codes:themes"),
            Column("target_groups", "codes:target_groups"),
            # Social Innovation Match's case-study fields (the level of action is ``scope``)
            *(Column(f"problem_addressed_{lang}", "long") for lang in LANGUAGES),
            *(Column(f"innovative_solution_{lang}", "long") for lang in LANGUAGES),
            Column("countries", "codes:countries"),
            Column("initiative_type", "code:initiative_types"),
            Column("funding_source", "code:funding_sources"),
            Column("budget_amount", "number"),
            Column("budget_currency"),
            Column("budget_text", "long"),
            Column("programming_period"),
            Column("project_start", "date"),
            Column("project_end", "date"),
        ),
    ),
    SheetSpec(
        "StageHistory",
        (
            Column("innovation", "name", required=True),
            Column("stage", "code:stages", required=True),
            Column("entered_on", "date", required=True),
            Column("note", "long"),
        ),
    ),
    # Innokylä's development path: the dated steps of an innovation's development
    SheetSpec(
        "DevelopmentPath",
        (
            Column("innovation", "name", required=True),
            Column("step_on", "date", required=True),
            Column("step", required=True),
            Column("description", "long"),
        ),
    ),
    # Who took part in an innovation's work, in which role and from which country (SIM's
    # participants); an organisation the hub does not know yet is added with its country.
    SheetSpec(
        "Participants",
        (
            Column("innovation", "name", required=True),
            Column("organisation", "name", required=True),
            Column("role", "code:participant_roles", required=True),
            Column("country", "code:countries"),
        ),
    ),
    SheetSpec(
        "Assessments",
        (
            Column("ref", "name"),
            Column("innovation", "name", required=True),
            Column("framework", "name"),
            Column("assessor", "name"),
            Column("assessor_organisation", "name"),
            Column("assessment_type", "code:assessment_types"),
            Column("assessed_on", "date"),
            Column("round", "int"),
            Column("summary", "long"),
            Column("shared", "bool"),
            Column("published", "bool"),
        ),
        takes_criteria=True,
    ),
    SheetSpec(
        "Answers",
        (
            Column("innovation", "name", required=True),
            Column("question_no", required=True),
            Column("question", "long"),
            Column("answer", "long"),
            Column("answered_on", "date"),
        ),
    ),
    SheetSpec(
        "Funding",
        (
            Column("ref", "name"),
            Column("funder", "name", required=True),
            Column("funder_type", "code:funder_types"),
            Column("programme"),
            Column("call_name", "name", required=True),
            Column("instrument", "code:instruments"),
            Column("amount_min", "number"),
            Column("amount_max", "number"),
            Column("funding_rate_max", "rate"),
            Column("duration_months_min", "int"),
            Column("duration_months_max", "int"),
            Column("consortium_required", "bool"),
            Column("consortium_rule", "long"),
            Column("min_partners", "int"),  # the consortium's rules as data; empty: unknown
            Column("min_countries", "int"),
            Column("lead_type", "code:lead_types"),
            Column("eligible_applicant_types", "codes:org_types"),
            Column("themes", "codes:themes"),
            Column("target_groups", "codes:target_groups"),
            Column("stage_fit", "codes:stages"),
            Column("geographic_scope", "code:scopes"),
            Column("regions", "codes:regions"),
            Column("min_normalised_score", "score"),
            Column("opens_on", "date"),
            Column("deadline", "date"),
            Column("continuous", "bool"),
            Column("description", "long"),
            Column("source_url", "url"),
            Column("last_checked", "date"),
        ),
    ),
    SheetSpec(
        "Awards",
        (
            Column("innovation", "name", required=True),
            Column("funder", "name", required=True),
            Column("programme"),
            Column("amount", "number"),
            Column("awarded_on", "date"),
            Column("organisation", "name"),
            Column("call_ref", "name"),
        ),
    ),
)
_FORM_COLUMNS = (
    Column("innovation", "name", required=True),
    Column("innovation_ref", "name"),
    Column("organisation", "name"),
    Column("assessor", "name"),
    Column("assessor_email", "name"),
    Column("assessor_first_name", "name"),  # SurveyMonkey's First Name and Last Name
    Column("assessor_last_name", "name"),
    Column("assessor_organisation", "name"),
    Column("assessment_type", "code:assessment_types"),
    Column("assessed_on", "date"),
    Column("round", "int"),
    Column("framework", "name"),
    Column("summary", "long"),
    Column("shared", "bool"),
    Column("published", "bool"),
    Column("ref", "name"),
)
FORM_SPEC = SheetSpec(FORM, _FORM_COLUMNS, takes_criteria=True, creates_innovations=True)
LONG_SPEC = SheetSpec(
    LONG,
    (
        *_FORM_COLUMNS,
        Column("criterion", "name", required=True),
        Column("score", "raw", required=True),
        Column("comment", "long"),
    ),
    creates_innovations=True,
)
EXPORT_SPECS = (FORM_SPEC, LONG_SPEC)
SPECS_BY_ENTITY = {spec.entity: spec for spec in (*SPECS, *EXPORT_SPECS)}
# Sheets of the template that carry no data (instructions, drop-down lists)
TEMPLATE_EXTRA_SHEETS = ("Instructions", "Lists")
