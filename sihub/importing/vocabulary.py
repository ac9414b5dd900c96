"""Values of a vocabulary (assessment types, stages, regions, themes, target groups, org types,
scopes…) as people type them: by code or name in any language, and by natural variants.

A cell is read as a code when it names one exactly (case, accents and spacing aside), when the
user chose what it means (``Mapping.values``: "asiantuntija" -> expert, or leave it empty), or
when it is a variant of exactly one code's names: the same letters without spaces or hyphens
("self assessment"), a start of a name ("asiantuntija" for "Asiantuntija-arviointi", "itse",
"Pirkanmaa"), a name with more after it, or every word a start of one of a name's words
("Helsinki" for "City of Helsinki"). A variant that could mean two codes is not guessed: the
import asks, offering the nearest codes. Extra spellings per code are in ``synonyms.toml``
(``[values.<vocabulary>]``).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from sihub.i18n import LANGUAGES
from sihub.importing.values import ValueProblem, as_list, as_text
from sihub.text import fold

LEAVE_EMPTY = ""  # the user's answer "leave the cell empty" to a value the hub does not know
MIN_START = 4  # "itse", "peer": shorter starts of names mean too many things
MIN_LEADING_NAME = 6  # a name with more after it ("expert assessment (external)")
NEAREST = 4  # codes offered for a value the hub does not know
LIKE = 0.8  # how alike (0-1, and 0.5 more for a shared start) a value the nearest code must be to
# be proposed as what it means; a value less like any code gets no proposal, only the choices
_SEPARATORS = re.compile(r"[\s\-_/.,:;()'’&+]+")


def _words(text: str) -> list[str]:
    return [w for w in _SEPARATORS.split(fold(text)) if w]


@dataclass
class Vocabulary:
    """Codes of one vocabulary table and what they are called."""

    table: str
    entries: list[dict]
    spellings: dict[str, list[str]] = field(default_factory=dict)  # code -> extra spellings
    names: dict[str, dict[str, str]] = field(init=False)  # code -> lang -> name
    _exact: dict[str, str] = field(init=False, repr=False)
    _labels: list[tuple[list[str], str]] = field(init=False, repr=False)  # (words, code)

    def __post_init__(self) -> None:
        self.names = {}
        self._exact = {}
        self._labels = []
        for e in self.entries:
            code = e["code"]
            self.names[code] = {lang: e.get(f"name_{lang}") or code for lang in LANGUAGES}
            labels = [code, *(e.get(f"name_{lang}") for lang in LANGUAGES)]
            for label in [*labels, *self.spellings.get(code, ())]:
                if label:
                    self._add(label, code)
                    # stage names carry a leading number ("3 Prototypes and pilots")
                    self._add(re.sub(r"^\d+\s+", "", label), code)

    def _add(self, label: str, code: str) -> None:
        self._exact.setdefault(fold(label), code)
        words = _words(label)
        if words:
            self._exact.setdefault("".join(words), code)
            self._labels.append((words, code))

    def codes_known(self) -> list[str]:
        return list(self.names)

    def code(self, value: object, chosen: dict[str, str] | None = None) -> str | None:
        """The code a cell names; ``ValueProblem("unknown_code")`` if it names none."""
        found = self.read(value, chosen)
        return None if found is None else found[0]

    def read(self, value: object, chosen: dict[str, str] | None = None) -> tuple[str, str] | None:
        """(code, how) of a cell: how is ``exact``, ``chosen`` or ``variant``; None when blank
        or when the user chose to leave it empty."""
        text = as_text(value)
        if text is None:
            return None
        key = fold(text)
        if chosen and key in chosen:
            answer = chosen[key]
            if answer == LEAVE_EMPTY:
                return None
            if answer in self.names:
                return answer, "chosen"
        found = self._exact.get(key) or self._exact.get("".join(_words(text)))
        if found is not None:
            return found, "exact"
        found = self.variant(text)
        if found is not None:
            return found, "variant"
        raise ValueProblem(
            "unknown_code",
            label_key=f"import.template.list.{self.table}",
            nearest=self.nearest_names(text),
        )

    def codes(self, value: object, chosen: dict[str, str] | None = None) -> list[str]:
        found = (self.code(item, chosen) for item in as_list(value))
        return list(dict.fromkeys(code for code in found if code is not None))

    def variant(self, text: str) -> str | None:
        """The one code whose names ``text`` is a variant of, tier by tier; None if no code or
        more than one fits the first tier that fits at all."""
        words = _words(text)
        if not words:
            return None
        joined = "".join(words)
        tiers = (
            lambda label: "".join(label).startswith(joined) and len(joined) >= MIN_START,
            lambda label: (
                len("".join(label)) >= MIN_LEADING_NAME and joined.startswith("".join(label))
            ),
            lambda label: _starts_of_words(words, label),
        )
        for fits in tiers:
            found = {code for label, code in self._labels if fits(label)}
            if found:
                return found.pop() if len(found) == 1 else None
        return None

    def nearest(self, text: str, n: int = NEAREST) -> list[str]:
        """The codes whose names look most like ``text``, most alike first."""
        return [code for code, _ in self.alike(text)[:n]]

    def proposal(self, text: str) -> str | None:
        """The code ``text`` most likely means, if it is like enough to propose."""
        found = self.alike(text)
        return found[0][0] if found and found[0][1] >= LIKE else None

    def alike(self, text: str) -> list[tuple[str, float]]:
        """Every code with how alike its names are to ``text``, most alike first."""
        joined = "".join(_words(text))
        best: dict[str, float] = {}
        for label, code in self._labels:
            other = "".join(label)
            score = difflib.SequenceMatcher(None, joined, other).ratio()
            if joined and (other.startswith(joined[:MIN_START]) or joined.startswith(other)):
                score += 0.5
            best[code] = max(best.get(code, 0.0), score)
        order = self.codes_known()
        return sorted(best.items(), key=lambda item: (-item[1], order.index(item[0])))

    def nearest_names(self, text: str) -> dict[str, str]:
        """The nearest codes' names, per language, as a report shows them."""
        codes = self.nearest(text)
        return {lang: ", ".join(self.names[c][lang] for c in codes) for lang in LANGUAGES}


def _starts_of_words(words: list[str], label: list[str]) -> bool:
    """Every word (of three letters or more) starts a different word of the label, in order:
    "Helsinki" of "City of Helsinki", "expert review" is not of "expert assessment"."""
    if any(len(w) < 3 for w in words) or len(words) > len(label):
        return False
    position = 0
    for word in words:
        while position < len(label) and not label[position].startswith(word):
            position += 1
        if position == len(label):
            return False
        position += 1
    return True
