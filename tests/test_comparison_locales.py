"""Every string of the comparison and funder pages exists in Finnish, Swedish and English,
with the same placeholders in each language."""

from __future__ import annotations

import re
import string
import tomllib

import pytest

from sihub import PACKAGE_DIR, PROJECT_DIR
from sihub.i18n import LANGUAGES, catalogue

SOURCES = [
    *(PACKAGE_DIR / "compare").glob("*.py"),
    *(PACKAGE_DIR / "funders").glob("*.py"),
    PACKAGE_DIR / "ui" / "compare.py",
    PACKAGE_DIR / "ui" / "funders.py",
    PROJECT_DIR / "pages" / "compare.py",
    PROJECT_DIR / "pages" / "funders.py",
]
# Keys built from codes: every code the pages can pass.
FAMILIES = {
    "compare.mode_": ("innovations", "groups"),
    "compare.basis_": ("external", "self"),
    "compare.group.": ("theme", "target_group", "stage", "region", "org_type", "round"),
    "compare.csort.": ("dimension", "spread"),
    "compare.show_": ("scale", "pct"),
    "compare.colour_title_": ("scale", "pct"),
    "compare.heatmap_help_": ("scale", "pct"),
    "compare.sort.": ("mean", "name", "chosen"),
    "compare.tab.": ("heatmap", "dots", "agreement", "rounds", "self"),
    "funders.mode.": ("criterion", "dimension"),
    "funders.status.": ("ranked", "insufficient", "failed"),
    "funders.facet.": ("stages", "regions", "themes", "target_groups"),
}
# A call of t(...), or a key written as a bare string (lists of column titles).
KEY = re.compile(r'\bt\(\s*f?"([a-z_.{}]+)"|"((?:compare|funders|briefing|common)\.[a-z_.]+)"')


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in SOURCES:
        for m in KEY.finditer(path.read_text(encoding="utf-8")):
            key = m.group(1) or m.group(2)
            if "{" not in key and not key.endswith((".", "_")):  # prefixes of FAMILIES
                keys.add(key)
    for prefix, codes in FAMILIES.items():
        keys |= {prefix + code for code in codes}
    return keys


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_the_pages_use_is_translated(lang):
    missing = sorted(k for k in used_keys() if k not in catalogue(lang))
    assert not missing


def test_the_three_catalogues_have_the_same_keys_and_placeholders():
    flat = {lang: _flatten_file(lang) for lang in LANGUAGES}
    assert set(flat["fi"]) == set(flat["sv"]) == set(flat["en"])
    for key, text in flat["en"].items():
        names = _placeholders(text)
        assert _placeholders(flat["fi"][key]) == names, key
        assert _placeholders(flat["sv"][key]) == names, key


PROPER_NAMES = {"briefing.profile.sim_url", "briefing.profile.innokyla_url"}


def test_finnish_and_swedish_are_written_not_copied():
    fi, sv, en = (_flatten_file(lang) for lang in ("fi", "sv", "en"))
    words = {k: re.sub(r"\{[^}]*\}|[^A-Za-zÅÄÖåäö]", "", v) for k, v in en.items()}
    # Swedish shares single words with English ("Region", "Status"); a sentence it does not.
    same = [
        k
        for k, v in en.items()
        if len(words[k]) >= 6
        and k not in PROPER_NAMES
        and (fi[k] == v or (sv[k] == v and len(v.split()) >= 3))
    ]
    assert not same


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _flatten_file(lang: str) -> dict[str, str]:
    with (PACKAGE_DIR / "locales" / lang / "compare.toml").open("rb") as f:
        return _flatten(tomllib.load(f))


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
