"""What validation needs to know of the store, loaded once per file: vocabularies, scales,
frameworks and their criteria, and the names of the records that exist already."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sihub.db.store import Store
from sihub.i18n import LANGUAGES, localized
from sihub.importing.cache import bytes_cache
from sihub.importing.headers import CriterionIndex, Meaning, build_index
from sihub.importing.specs import clean_header, value_spellings
from sihub.importing.vocabulary import Vocabulary
from sihub.reference import load_scales
from sihub.reference.scales import Scale
from sihub.reference.vocabularies import VOCABULARY_TABLES
from sihub.scores import IMPORTED_TYPES
from sihub.text import fold, record_key

# The identity of a name (see ``record_key``), remembered: an export repeats each name on many
# rows. 8 MB holds the keys of some 40,000 names of usual length.
KEYS_BUDGET = 8 * 1024 * 1024
key_of = bytes_cache("record keys", KEYS_BUDGET)(record_key)


@dataclass(frozen=True)
class Criterion:
    framework: str
    code: str
    scale: str
    names: dict[str, str]  # lang -> name


@dataclass(frozen=True)
class Framework:
    code: str
    names: dict[str, str]
    scale: str | None = None  # the scale its results are shown and typed on


@dataclass
class Known:
    """Records of one kind that exist in the store: ids by reference and by name key."""

    by_ref: dict[str, int] = field(default_factory=dict)
    by_key: dict[str, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)

    def find(self, ref: object, name: object) -> int | None:
        if ref:
            found = self.by_ref.get(key_of(ref))
            if found is not None:
                return found
        return self.by_key.get(key_of(name)) if name else None


@dataclass
class Context:
    today: date
    vocabularies: dict[str, Vocabulary]
    scales: dict[str, Scale]
    scale_names: dict[str, dict[str, str]]  # code -> {"name_fi": …, "name_sv": …, "name_en": …}
    frameworks: dict[str, Framework]
    framework_lookup: dict[str, str]
    criteria: dict[tuple[str, str], Criterion]
    criterion_lookup: dict[str, tuple[str, str]]  # clean header -> (framework, code)
    criterion_index: CriterionIndex  # what a header may say: every criterion, how surely
    criterion_codes: dict[str, tuple[str, str]]  # "novelty", "si_tool.novelty" -> its key
    innovations: Known
    organisations: Known
    assessors: Known
    # (header cell, sheet kind, misspellings too) -> its Meaning, remembered for the file (see
    # meaning.header_meaning)
    header_targets: dict[tuple[str, str, bool], Meaning] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, store: Store, today: date) -> Context:
        frameworks, framework_lookup = _frameworks(store)
        criteria, criterion_lookup, index = _criteria(store, frameworks)
        return cls(
            today,
            {
                t: Vocabulary(
                    t, _importable(t, store.records(f"SELECT * FROM {t}")), value_spellings(t)
                )
                for t in VOCABULARY_TABLES
            },
            load_scales(store),
            {
                r.pop("code"): r
                for r in store.records("SELECT code, name_fi, name_sv, name_en FROM scales")
            },
            frameworks,
            framework_lookup,
            criteria,
            criterion_lookup,
            index,
            {code: key for key in reversed(criteria) for code in (key[1], f"{key[0]}.{key[1]}")},
            _known(store, "innovations", with_ref=True),
            _known(store, "organisations", with_ref=True),
            _known(store, "assessors", with_ref=False),
        )

    @property
    def framework_order(self) -> dict[str, int]:
        """Framework -> its place (sort order): the earlier one wins a tie."""
        return {code: i for i, code in enumerate(self.frameworks)}

    def criterion(self, token: str) -> Criterion | None:
        framework, _, code = (
            token.removeprefix("criterion:").removeprefix("comment:").partition(".")
        )
        return self.criteria.get((framework, code))

    def scale_name(self, code: str) -> dict[str, str]:
        """A scale's name in every language, for messages (its code only where it has none)."""
        names = self.scale_names.get(code, {})
        return {lang: localized(names, "name", lang) or code for lang in LANGUAGES}

    def framework_name(self, code: str) -> dict[str, str]:
        """A framework's name in every language, for messages (its code only where unknown)."""
        fw = self.frameworks.get(code)
        return {lang: (fw.names.get(lang) or fw.code) if fw else code for lang in LANGUAGES}

    def criterion_names(self, framework: str, code: str) -> dict[str, str]:
        """A criterion's name in every language, for messages."""
        return {lang: self.criterion_name(framework, code, lang) for lang in LANGUAGES}

    def criterion_name(self, framework: str, code: str, lang: str | None = None) -> str:
        c = self.criteria.get((framework, code))
        return localized({f"name_{k}": v for k, v in c.names.items()}, "name", lang) if c else code


def _frameworks(store: Store) -> tuple[dict[str, Framework], dict[str, str]]:
    frameworks: dict[str, Framework] = {}
    lookup: dict[str, str] = {}
    for fw in store.records("SELECT * FROM frameworks ORDER BY sort_order, code"):
        names = {lang: fw[f"name_{lang}"] for lang in ("fi", "sv", "en")}
        frameworks[fw["code"]] = Framework(fw["code"], names, fw["default_scale"])
        for label in (fw["code"], *names.values()):
            if label:
                lookup.setdefault(fold(label), fw["code"])
                lookup.setdefault(clean_header(label), fw["code"])
    return frameworks, lookup


def _criteria(
    store: Store, frameworks: dict[str, Framework]
) -> tuple[dict[tuple[str, str], Criterion], dict[str, tuple[str, str]], CriterionIndex]:
    """Criteria by (framework, code), a lookup from names, codes and synonyms, and the index
    of every criterion a header may name (``headers.CriterionIndex``).

    In the lookup, names and codes win over synonyms, and earlier frameworks over later ones,
    so that a synonym one framework shares with another's name ("näytön taso") finds the named
    one. The index keeps them all; a sheet's other criteria decide between them.
    """
    order = {code: i for i, code in enumerate(frameworks)}
    rows = sorted(
        store.records("SELECT * FROM criteria WHERE NOT retired"),
        key=lambda c: (order.get(c["framework_code"], 99), c["sort_order"] or 0),
    )
    criteria: dict[tuple[str, str], Criterion] = {}
    lookup: dict[str, tuple[str, str]] = {}
    for c in rows:
        key = (c["framework_code"], c["code"])
        names = {lang: c[f"name_{lang}"] for lang in ("fi", "sv", "en")}
        criteria[key] = Criterion(*key, c["scale_code"], names)
        for label in (c["code"], f"{c['framework_code']}.{c['code']}", *names.values()):
            if label:
                lookup.setdefault(clean_header(label), key)
    for c in rows:
        for label in c["synonyms"] or []:
            lookup.setdefault(clean_header(label), (c["framework_code"], c["code"]))
    index = build_index(
        (
            (c["framework_code"], c["code"]),
            [c["code"], f"{c['framework_code']}.{c['code']}", *criteria[key].names.values()],
            list(c["synonyms"] or []),
        )
        for c in rows
        for key in [(c["framework_code"], c["code"])]
    )
    return criteria, lookup, index


def _known(store: Store, table: str, with_ref: bool) -> Known:
    """The records of ``table`` by reference and by the identity of their names.

    Keyed on ``record_key`` of the stored name, not on the stored ``name_key`` column: that
    column is search's key, which folds ``+Kohtaamo`` and ``Kohtaamo`` together.
    """
    known = Known()
    columns = "id, name" + (", ref" if with_ref else ", NULL")
    for record_id, name, ref in store.rows(f"SELECT {columns} FROM {table} ORDER BY id"):
        known.by_key.setdefault(key_of(name), record_id)
        known.names[record_id] = name
        if ref:
            known.by_ref.setdefault(key_of(ref), record_id)
    return known


def _importable(table: str, rows: list[dict]) -> list[dict]:
    """The codes a file may use: every one but the funder panel's type, whose ratings come
    only from the panel itself (``sihub.panel``), with their session and member."""
    if table != "assessment_types":
        return rows
    return [r for r in rows if r["code"] in IMPORTED_TYPES]
