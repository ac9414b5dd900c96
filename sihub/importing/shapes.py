"""The shapes of survey and form tools' exports, recognised by their tell-tale columns.

Microsoft Forms starts with ID, Start time, Completion time, Email, Name; Google Forms with
Timestamp; Webropol has a respondent number and an answer time; SurveyMonkey starts with
Respondent ID, Collector ID, Start Date, End Date and puts the answer's option under each
question; LimeSurvey starts with its own columns (id, submitdate, lastpage, startlanguage…).
The shapes are data (``synonyms.toml``, ``[tools.*]``), in Finnish, Swedish and English. A
recognised shape is named in the preview, and its bookkeeping columns are read as the fields
they are (Completion time is the assessment's date) or knowingly left out (Start time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from sihub.importing.headers import without_survey_code
from sihub.importing.specs import clean_header, synonyms

IGNORE = "ignore"


@dataclass(frozen=True)
class Tool:
    code: str  # microsoft_forms, google_forms, webropol, surveymonkey, limesurvey
    first: frozenset[str]  # headers its exports start with (empty: any)
    needed: int  # tell-tale headers that make a sheet its export
    targets: dict[str, str]  # cleaned header -> "field:<name>" or "ignore"
    month_first: bool = False  # dates as month/day/year

    def target(self, header: str) -> str | None:
        return self.targets.get(tool_key(header))


def tool_key(header: str) -> str:
    """A header as the shapes list it: LimeSurvey's code left out, cleaned."""
    return clean_header(without_survey_code(header))


@cache
def tools() -> tuple[Tool, ...]:
    found = []
    for code, table in synonyms().get("tools", {}).items():
        targets: dict[str, str] = {}
        for name, headers in table.items():
            if isinstance(headers, list) and name != "first":
                target = IGNORE if name == IGNORE else f"field:{name}"
                targets.update({clean_header(h): target for h in headers})
        first = frozenset(clean_header(h) for h in table.get("first", ()))
        found.append(
            Tool(code, first, int(table["needed"]), targets, bool(table.get("month_first")))
        )
    return tuple(found)


def detect_tool(headers: Sequence[str]) -> Tool | None:
    """The tool whose export has these headers (in their order), the one with most tell-tales."""
    keys = [tool_key(h) for h in headers if h]
    best: tuple[int, Tool | None] = (0, None)
    for tool in tools():
        if tool.first and (not keys or keys[0] not in tool.first):
            continue
        hits = len({k for k in keys if k in tool.targets})
        if hits >= tool.needed and hits > best[0]:
            best = (hits, tool)
    return best[1]
