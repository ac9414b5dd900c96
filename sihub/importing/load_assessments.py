"""Loads assessments, the assessors new to the hub, and the scores, in bulk."""

from __future__ import annotations

from collections.abc import Iterator

from sihub.importing.context import key_of
from sihub.importing.supersede import supersede_earlier_assessments
from sihub.importing.upsert import LoadState, first_rows, write
from sihub.text import name_key

# the scores table's column for each column of a ScorePart
SCORE_FIELDS = {
    "criterion": "criterion_code",
    "raw_value": "raw_value",
    "value": "value",
    "level_code": "level_code",
    "normalised": "normalised",
    "comment": "comment",
    "sheet": "source_sheet",
    "row": "source_row",
    "column": "source_column",
}


def load_assessments(state: LoadState) -> None:
    """The file's assessments and scores; the earlier ones they replace are superseded."""
    table = state.parsed.assessments
    if not len(table):
        return
    innovation_ids = _innovation_ids(state)
    assessor_ids = _assessor_ids(state)
    supersede_earlier_assessments(state, innovation_ids, assessor_ids)
    ids = state.journal.next_ids("assessment_ids", len(table))
    state.journal.insert(
        "assessments", _assessment_columns(state, ids, innovation_ids, assessor_ids), ("id",)
    )
    state.summary.add("assessments_new", n=len(table))
    # each assessment without an assessor is one anonymous assessor (see scores.ASSESSOR_KEY)
    state.summary.add("assessors_anonymous", n=assessor_ids.count(None))
    state.journal.insert_owned(
        "scores",
        _score_parts(state, ids),
        # a blank cell of a form column: no score, not stored (see ScorePart)
        where="raw_value IS NOT NULL OR comment IS NOT NULL",
    )
    scored = sum(
        len(p.columns["normalised"]) - p.columns["normalised"].count(None) for p in table.parts
    )
    state.summary.add("scores_new", n=scored)


def _assessment_columns(
    state: LoadState, ids: list[int], innovation_ids: list[int], assessor_ids: list[int | None]
) -> dict[str, list]:
    a = state.parsed.assessments.a
    return {
        "id": ids,
        "ref": a["ref"],
        "innovation_id": innovation_ids,
        "framework_code": a["framework"],
        "assessor_id": assessor_ids,
        "assessment_type": a["assessment_type"],
        "assessed_on": a["assessed_on"],
        "round": a["round"],
        "summary": a["summary"],
        "shared": a["shared"],
        "published": a["published"],
        "batch_id": [state.batch_id] * len(ids),
        "source_sheet": a["sheet"],
        "source_row": a["row"],
    }


def _score_parts(state: LoadState, ids: list[int]) -> Iterator[tuple[dict[str, list], dict]]:
    """Each part of the scores as columns (one Arrow table) and the values it shares."""
    for part in state.parsed.assessments.parts:
        a = part.columns["a"]
        columns = {
            "assessment_id": ids[a.start : a.stop]
            if isinstance(a, range)
            else list(map(ids.__getitem__, a)),
            **{SCORE_FIELDS[k]: v for k, v in part.columns.items() if k != "a"},
        }
        shared = {SCORE_FIELDS[k]: v for k, v in part.shared.items()}
        yield columns, shared | {"batch_id": state.batch_id}


def _innovation_ids(state: LoadState) -> list[int | None]:
    """The innovation of each assessment: by its reference, else by its name (which may be a
    reference too)."""
    a = state.parsed.assessments.a
    pairs = list(zip(a["innovation_ref"], a["innovation"], strict=True))
    found = {pair: _innovation_for(state, *pair) for pair in set(pairs)}  # names repeat
    return list(map(found.__getitem__, pairs))


def _innovation_for(state: LoadState, ref: object, name: object) -> int | None:
    return state.innovations.find(ref, name) if ref else state.innovations.find(name, name)


def _assessor_ids(state: LoadState) -> list[int | None]:
    """The assessor of each assessment; those the hub does not have are added by name."""
    a = state.parsed.assessments.a
    wanted: dict[str, tuple[str, object, dict]] = {}
    first = first_rows(a["assessor"])
    for (name,), i in first.items():
        if name and state.assessors.find(None, name) is None:
            key = state.assessors.canonical(key_of(name))[1]
            prov = state.provenance(a["sheet"][i], a["row"][i])
            wanted.setdefault(key, (name, a["assessor_organisation"][i], prov))
    rows = [
        (None, {"name": name, "name_key": name_key(name), "organisation": org, **prov})
        for name, org, prov in wanted.values()
    ]
    write(state, state.assessors, rows)
    found = {name: state.assessors.find(None, name) for (name,) in first if name}
    return list(map(found.get, a["assessor"]))
