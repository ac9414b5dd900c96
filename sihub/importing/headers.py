"""What a header cell says beyond its plain words: the scale it states, the row of a grid
question, a survey tool's question code; and which criteria it may name, each with how surely.

Form tools write a criterion's header in many ways: numbered ("3.", "Q3"), with a scale ("(1–5)",
"asteikolla 1–5", "1 = heikko … 5 = erinomainen"), as the row of a grid question ("Arvioi
innovaatiota: [Uutuusarvo]", Google Forms' "Question [row]", LimeSurvey's
"Q1[SQ001]. Question [row]"), two of the criterion's words joined by "and" / "ja" / "och", its
words in another order, or misspelt. ``CriterionIndex.candidates`` finds every criterion a
header may mean with how surely (``specs.SURE_*``); which one it is, is decided per sheet
(``resolve``), so that a header fits the framework of the sheet's other criteria.

A ``Meaning`` is what one header cell of a sheet of some kind may mean: a field (how surely),
criteria (how surely), a criterion's comment, or nothing (``meaning.header_meaning``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from sihub.importing.specs import (
    SCALE_WORDS,
    SURE_CODE,
    SURE_FUZZY,
    SURE_NAME,
    SURE_PART,
    SURE_SYNONYM,
    clean_header,
    synonyms,
)
from sihub.text import fold

Key = tuple[str, str]  # (framework, criterion code)
FUZZY_CUTOFF = 0.82  # similarity above which a misspelt name is proposed (and flagged)
MAX_SCALE_END = 10  # "(1–5)", "0–10": a higher number is no rating scale ("2021–2027")
_PARTS = re.compile(r"\s+[/|–—-]\s+|\s*:\s+|\s*/\s*|\s*,\s+")
_JOINED = re.compile(r"\s+(?:and|ja|och|sekä|samt|&|\+)\s+|\s*,\s*")
_GRID_ROW = re.compile(r"\[([^\[\]]+)\]\s*$")
# LimeSurvey's "Question code & question text" headings: "Q1[SQ001]. Text", "submitdate. Date"
_SURVEY_CODE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*(?:\[[A-Za-z0-9_]+\])*)\.\s+(?=\S)")
_NUMBER = r"(?<![\d.,])(\d{1,2})(?![\d.,])"
_RANGE = re.compile(rf"{_NUMBER}\s*(?:[-–—]|\.\.|to|till)\s*{_NUMBER}")
_SAID_SCALE = re.compile(rf"{SCALE_WORDS}\D{{0,12}}?{_NUMBER}\s*(?:[-–—]|to|till)\s*{_NUMBER}")
_ANCHORS = re.compile(rf"{_NUMBER}\s*=")
_GROUPS = re.compile(r"[(\[]([^()\[\]]*)[)\]]")


def without_survey_code(text: str) -> str:
    """``Q1[SQ001]. Arvioi innovaatiota [Uutuusarvo]`` -> ``Arvioi innovaatiota [Uutuusarvo]``.

    Only a code with a digit or a bracket, or one of LimeSurvey's own column codes, is taken
    for a code: "Huom. Tämä…" keeps its first word."""
    found = _SURVEY_CODE.match(text)
    if not found:
        return text
    code = found.group(1)
    if any(ch.isdigit() for ch in code) or "[" in code or code.lower() in SURVEY_COLUMN_CODES:
        return text[found.end() :]
    return text


SURVEY_COLUMN_CODES = frozenset(
    {"id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"}
    | {"ipaddr", "refurl", "token"}
)


def grid_row(text: str) -> str | None:
    """The row of a grid question: ``Arvioi innovaatiota: [Uutuusarvo]`` -> ``Uutuusarvo``."""
    found = _GRID_ROW.search(text)
    if not found or found.start() == 0:
        return None
    inside = found.group(1).strip()
    return inside if inside and not _RANGE.fullmatch(inside.strip()) else None


def stated_scale(text: str) -> tuple[int, int] | None:
    """The scale a header states, as (lowest, highest): "(0–5)", "[1-5]", "asteikolla 1–5",
    "1 = heikko … 5 = erinomainen", "(1 heikko – 5 erinomainen)", a trailing "1–5"."""
    folded = fold(text)
    anchors = [int(n) for n in _ANCHORS.findall(folded)]
    if len(anchors) >= 2:
        return _scale(anchors[0], anchors[-1])
    said = _SAID_SCALE.search(folded)
    if said:
        return _scale(int(said.group(1)), int(said.group(2)))
    for inside in reversed(_GROUPS.findall(folded)):
        numbers = [int(n) for n in re.findall(_NUMBER, inside)]
        if len(numbers) >= 2:
            return _scale(numbers[0], numbers[-1])
    trailing = re.search(rf"{_RANGE.pattern}\s*\*?$", folded)
    return _scale(int(trailing.group(1)), int(trailing.group(2))) if trailing else None


def _scale(low: int, high: int) -> tuple[int, int] | None:
    return (low, high) if low < high <= MAX_SCALE_END else None


@dataclass
class CriterionIndex:
    """Every criterion by what its header may say: names, codes and synonyms, their parts and
    their words in any order. Built once per store's reference data (``Context``)."""

    exact: dict[str, dict[Key, float]] = field(default_factory=dict)
    ordered: dict[str, dict[Key, float]] = field(default_factory=dict)
    # close matches already looked for: the first rows' cells are tried for every kind of
    # sheet and header band, and difflib dominated reading a 10,000-row export
    _close: dict[tuple[str, bool], dict[Key, float]] = field(default_factory=dict, repr=False)

    def add(self, key: Key, text: str, sure: float) -> None:
        cleaned = clean_header(text)
        if not cleaned:
            return
        self._close.clear()
        self._put(self.exact, cleaned, key, sure)
        self._put(self.ordered, _word_order(cleaned), key, min(sure, SURE_PART))
        pieces = {p.strip() for p in (*_PARTS.split(cleaned), *_JOINED.split(cleaned))}
        for piece in pieces - {cleaned}:
            if len(piece) >= 4:  # "Put into practice" of "Put into practice / tested"
                self._put(self.exact, piece, key, SURE_PART)

    @staticmethod
    def _put(table: dict[str, dict[Key, float]], text: str, key: Key, sure: float) -> None:
        found = table.setdefault(text, {})
        found[key] = max(found.get(key, 0), sure)

    def candidates(self, text: str, misspelt: bool = True) -> tuple[dict[Key, float], bool]:
        """Criteria a header may name, each with how surely, and whether only by a misspelling.

        Tried in turn: the header cleaned, its grid row, its parts ("Question: row"), two or
        more names joined by "and" that all name the same criterion, its words in any order,
        and last (``misspelt``: only for a sheet's header row, not every cell of the first rows
        that finding it tries) a misspelling of a name."""
        body = without_survey_code(text)
        found: dict[Key, float] = {}
        row = grid_row(body)
        for variant in filter(None, (body, row)):
            cleaned = clean_header(variant)
            parts = [p.strip() for p in _PARTS.split(cleaned) if p.strip()]
            for text in (cleaned, *parts) if len(parts) > 1 else (cleaned,):
                cap = SURE_NAME if text == cleaned else SURE_PART
                _merge(found, self.exact.get(text, {}), cap)
                _merge(found, self._joined(text))
                _merge(found, self.ordered.get(_word_order(text), {}), SURE_PART)
        if found or not misspelt:
            return found, False
        return self._misspelt(clean_header(row or body)), True

    def _joined(self, cleaned: str) -> dict[Key, float]:
        """ "Participation and co-creation": every part names the same criterion."""
        parts = [p.strip() for p in _JOINED.split(cleaned) if p.strip()]
        if len(parts) < 2:
            return {}
        common: set[Key] | None = None
        for part in parts:
            # a misspelling is looked for only where the part is no name as written: data cells
            # of the first rows ("Esimerkki ja Kumppani") are tried too, and difflib is slow
            keys = set(self.exact.get(part, {})) or set(self._misspelt(part, names_only=True))
            common = keys if common is None else common & keys
        return dict.fromkeys(common or (), SURE_PART)

    def _misspelt(self, cleaned: str, names_only: bool = False) -> dict[Key, float]:
        if len(cleaned) < 5:
            return {}
        known = self._close.get((cleaned, names_only))
        if known is None:
            known = self._close[cleaned, names_only] = self._look_close(cleaned, names_only)
        return known

    def _look_close(self, cleaned: str, names_only: bool) -> dict[Key, float]:
        close = difflib.get_close_matches(cleaned, list(self.exact), n=3, cutoff=FUZZY_CUTOFF)
        found: dict[Key, float] = {}
        for text in close:
            for key, sure in self.exact[text].items():
                if sure >= SURE_SYNONYM or not names_only:
                    found[key] = max(found.get(key, 0), SURE_FUZZY)
        return found


def _merge(into: dict[Key, float], more: dict[Key, float], cap: float = SURE_NAME) -> None:
    for key, sure in more.items():
        into[key] = max(into.get(key, 0), min(sure, cap))


def _word_order(cleaned: str) -> str:
    return " ".join(sorted(w for w in re.split(r"[\s,/–—-]+", cleaned) if w not in _FILLERS))


_FILLERS = frozenset({"ja", "and", "och", "&", "seka", "samt", "+"})


def build_index(criteria: Iterable[tuple[Key, list[str], list[str]]]) -> CriterionIndex:
    """The index of criteria given as (key, names and codes, synonyms), earliest first."""
    index = CriterionIndex()
    for key, names, spellings in criteria:
        for name in names:
            index.add(key, name, SURE_NAME)
        for spelling in spellings:
            index.add(key, spelling, SURE_SYNONYM)
    return index


# what one header cell means ------------------------------------------------------------------
# A longer cell is no header (a survey question with its instructions is a few hundred
# characters): it is not matched, and is shown and keyed by its start only. Finding the header
# row tries every cell of the first rows, names and texts of the data included.
MAX_HEADER = 1_000


@dataclass(frozen=True)
class Meaning:
    """What a header cell may mean in a sheet of one kind."""

    field_target: str | None = None  # "field:assessor"
    field_sure: float = 0
    criteria: dict[Key, float] = field(default_factory=dict)  # every criterion it may name
    misspelt: bool = False  # the criteria only by a misspelling
    comment: str | None = None  # "comment:<framework>.<code>", or "comment:?" for a bare one
    commented: dict[Key, float] = field(default_factory=dict)  # criteria a comment may be of
    code: str | None = None  # "criterion:…" named by its code in brackets (the template)

    def __bool__(self) -> bool:
        return bool(self.field_target or self.criteria or self.comment or self.code)

    @property
    def criteria_sure(self) -> float:
        return max(self.criteria.values(), default=0)

    def best(self, order: dict[str, int] | None = None) -> tuple[str | None, float]:
        """The target it most likely names on its own, and how surely: its bracketed code, else
        the field or the surest criterion (the field on a tie), else a comment."""
        if self.code:
            return self.code, SURE_CODE
        if self.field_target and self.field_sure >= self.criteria_sure:
            return self.field_target, self.field_sure
        if self.criteria:
            order = order or {}
            key = max(self.criteria, key=lambda k: (self.criteria[k], -order.get(k[0], 99)))
            return criterion_target(key), self.criteria[key]
        return self.comment, SURE_NAME if self.comment else 0


def criterion_target(key: Key, what: str = "criterion") -> str:
    return f"{what}:{key[0]}.{key[1]}"


@cache
def _word_pattern(section: str) -> re.Pattern:
    words = sorted((clean_header(w) for w in synonyms()["words"][section]), key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    # (?<!…): a run of separators is tried from its start only (from each of its characters, a
    # cell of 32,767 dashes took 12 s)
    return re.compile(
        rf"^(?:{alternatives})(?:$|[\s:,/)–—_-]+)"
        rf"|(?:^|(?<![\s:,/(–—_-])[\s:,/(–—_-]+)(?:{alternatives})\)?$"
    )


def strip_words(cleaned: str, section: str) -> str | None:
    """``uutuusarvo perustelut`` -> ``uutuusarvo`` (None when no such word is there)."""
    stripped = _word_pattern(section).sub("", cleaned).strip()
    return stripped if stripped != cleaned else None
