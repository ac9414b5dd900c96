"""Every message of the importer exists in Finnish, Swedish and English, and is translated."""

from __future__ import annotations

import re
import tomllib

import pytest

from sihub import PROJECT_DIR, importing
from sihub.i18n import LANGUAGES, LOCALES_DIR, catalogue, has_key
from sihub.importing.issues import ISSUE_CODES, Issue
from sihub.importing.present import PREVIEW_COUNTS
from sihub.importing.shapes import tools
from sihub.importing.specs import SPECS_BY_ENTITY, TEMPLATE_EXTRA_SHEETS
from sihub.importing.template import VOCABULARY_OF
from sihub.scores import IMPORTED_TYPES
from sihub.ui.importing import KINDS

OWN_FILES = ("import.toml", "issues.toml", "fields.toml")
SOURCES = [  # from the project's folder, wherever pytest runs (a relative glob finds nothing)
    *(PROJECT_DIR / "sihub" / "importing").glob("*.py"),
    PROJECT_DIR / "sihub" / "ui" / "importing.py",
    PROJECT_DIR / "pages" / "import.py",
    PROJECT_DIR / "sihub" / "__main__.py",
]
FAMILIES = {  # keys built at run time from values the code knows
    "import.kind": [k for k in KINDS if k != "auto"],
    "import.left_out": ["hidden", "unrecognised", "template", "user", "empty", "duplicate"],
    "import.layout": ["hub", "wide", "long", "mixed", "none"],
    "import.layout_short": ["hub", "wide", "long", "mixed", "none"],
    "import.map.how": ["auto", "fuzzy", "tool", "saved", "user", "none"],
    "import.tool": [tool.code for tool in tools()],
    "import.question": ["value", "column", "scale"],
    "import.looks_like": ["scale", "values", "nearest"],
    "import.counting": ["assessment_type", "assessor", "round", "round_none"],
    "import.near.kind": ["innovation", "organisation", "assessor"],
    "import.near.reason": ["joined", "word_order", "typo"],
    "import.near.answer": ["same", "new", "open"],
    "import.severity": ["error", "warning", "hint"],
    "import.report.one": ["error", "warning", "hint"],
    "import.report.many": ["error", "warning", "hint"],
    "import.report": ["severity", "location", "code", "message", "value"],
    "import.count": list(PREVIEW_COUNTS),
    "import.preview.list": ["innovations_new", "organisations_new", "assessors_new"],
    "import.replaced": [
        "assessment_id",
        "innovation",
        "assessor",
        "round",
        "framework",
        "batch",
        "file",
    ],
    "import.skipped": ["duplicate_row", "note_row", "no_scores", "already_in_hub"],
    "import.skipped_col": ["sheet", "row", "reason"],
    "import.status": ["committed", "undone"],
    "import.batch_kind": ["import", "demo"],
    "import.type": list(IMPORTED_TYPES),
    "import.template.list": [*VOCABULARY_OF, "bool"],
    "import.template.instructions": [str(n) for n in range(1, 9)],
    "import.template.sheet_help": [e for e in SPECS_BY_ENTITY if e not in ("Form", "Long")],
    "sheet": [*(e for e in SPECS_BY_ENTITY if e not in ("Form", "Long")), *TEMPLATE_EXTRA_SHEETS],
    "issue": list(ISSUE_CODES),
}


OUTCOMES = (  # the outcome of an import, as the command line and the page tell it
    importing.IMPORTED,
    importing.DRY_RUN,
    importing.BLOCKED,
    importing.UNREADABLE,
    importing.ALREADY_IMPORTED,
    importing.NOTHING_TO_IMPORT,
)


def _family_keys() -> list[str]:
    keys = [f"{prefix}.{name}" for prefix, names in FAMILIES.items() for name in names]
    keys += [f"cli.import_{outcome}" for outcome in OUTCOMES]
    for entity, spec in SPECS_BY_ENTITY.items():
        keys += [f"field.{entity}.{c.field}" for c in spec.columns]
    return keys


def _literal_keys() -> set[str]:
    found: set[str] = set()
    for path in SOURCES:
        for key in re.findall(r"\bt\(\s*\"([a-z_]+(?:\.[A-Za-z0-9_]+)+)\"", path.read_text()):
            found.add(key)
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_the_importer_uses_exists(lang):
    missing = sorted(k for k in {*_family_keys(), *_literal_keys()} if not has_key(k, lang))
    assert missing == []


def test_own_catalogue_files_have_the_same_keys_in_every_language():
    def keys(lang: str, name: str) -> set[str]:
        with (LOCALES_DIR / lang / name).open("rb") as f:
            return set(_flat(tomllib.load(f)))

    for name in OWN_FILES:
        assert keys("fi", name) == keys("sv", name) == keys("en", name), name


def _flat(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in table.items():
        out.update(_flat(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}": v})
    return out


def test_messages_are_translated_and_keep_their_placeholders():
    same_everywhere = []
    for key in sorted(_family_keys()):
        texts = {lang: catalogue(lang)[key] for lang in LANGUAGES}
        holders = {lang: set(re.findall(r"\{(\w+)\}", text)) for lang, text in texts.items()}
        assert holders["fi"] == holders["sv"] == holders["en"], key
        if len(set(texts.values())) == 1 and len(texts["en"]) > 12:
            same_everywhere.append(key)
    assert same_everywhere == []


def test_issue_messages_render_without_leftover_placeholders():
    params = {
        "limit_mb": 50,
        "types": ".xlsx",
        "label_key": "field.Form.innovation",
        "column_name": "X",
        "criterion": "c",
        "framework": "f",
        "scale": "1-5",
        "top": 5,
        "candidate": "Y",
        "first_row": 3,
        "limit": 10,
        "length": 12,
        "column": "B",
        # refusals while reading (limits.located): the cell and the sheet's size
        "sheet": "S",
        "cell": "S!B2",
        "rows": 2,
        "columns": 2,
        "max_rows": 1,
        "max_columns": 1,
        "max_cells": 1,
        "count": 2,
        # questions about values and columns: names from the data, per language
        "nearest": {"fi": "Asiantuntija-arviointi", "sv": "Expertbedömning", "en": "Expert"},
        "meaning": {"fi": "Itsearviointi", "sv": "Självbedömning", "en": "Self-assessment"},
        "why": "x",
        "other": "C",
        "other_header": "Arvioija",
        "stated": "0–5",
        "hub_has": "y",
        "consequence": "z",
        "sheet_framework": "f",
    }

    for code in ISSUE_CODES:
        for lang in LANGUAGES:
            message = Issue(code, "S", 2, "B", "arvo", dict(params)).message(lang)
            assert "{" not in message and not message.startswith("issue."), (code, lang)
