"""The supersede policy: which earlier assessments the assessments of a new batch replace."""

from __future__ import annotations

from sihub.importing.upsert import PREVIEW_NAMES, LoadState, Summary
from sihub.personal import shown_assessor_sql

# what makes two assessments the same one
NATURAL_KEY = ("innovation_id", "framework_code", "assessor_id", "assessment_type", "round")


def supersede_earlier_assessments(
    state: LoadState, innovation_ids: list[int], assessor_ids: list[int | None]
) -> None:
    """Mark as superseded by this batch every current assessment that

    - this batch brings again: same innovation, framework, named assessor, type and round; or
    - an earlier committed import of the same pilot (case aside) made for a framework and
      round this batch covers: a corrected or cumulative export of a pilot replaces the
      pilot's earlier assessments instead of duplicating them.

    Superseded, never deleted, so that undoing this batch brings them back.
    ``innovation_ids`` and ``assessor_ids`` are those of the batch's assessments, in order.
    """
    natural = _natural_keys(state, innovation_ids, assessor_ids)
    found = _replaced(state, natural)
    if not found:
        return
    state.journal.update(
        "assessments",
        {"id": [r[0] for r in found], "superseded_by_batch": [state.batch_id] * len(found)},
        ("id",),
    )
    _report(state.summary, found)


def _natural_keys(
    state: LoadState, innovation_ids: list[int], assessor_ids: list[int | None]
) -> dict[str, list]:
    """The batch's distinct natural keys, as columns."""
    a = state.parsed.assessments.a
    combos = list(
        dict.fromkeys(
            zip(
                innovation_ids,
                a["framework"],
                assessor_ids,
                a["assessment_type"],
                a["round"],
                strict=True,
            )
        )
    )
    return {k: [c[n] for c in combos] for n, k in enumerate(NATURAL_KEY)}


def _replaced(state: LoadState, natural: dict[str, list]) -> list[tuple]:
    """The current assessments the rule replaces, with what the summary shows of them."""
    with state.journal.registered(state.journal.arrow("assessments", natural)) as name:
        return state.cur.execute(
            f"""
            SELECT a.id, a.innovation_id, i.name, {shown_assessor_sql("r")}, a.round,
                   a.framework_code, a.batch_id, b.file_name
            FROM assessments a
            JOIN innovations i ON i.id = a.innovation_id
            LEFT JOIN assessors r ON r.id = a.assessor_id
            LEFT JOIN import_batches b ON b.id = a.batch_id
            WHERE a.superseded_by_batch IS NULL AND (
                EXISTS (SELECT 1 FROM {name} n WHERE n.innovation_id = a.innovation_id
                    AND n.framework_code = a.framework_code AND n.assessor_id = a.assessor_id
                    AND n.assessment_type = a.assessment_type
                    AND n.round IS NOT DISTINCT FROM a.round)
                OR (b.status = 'committed' AND b.id <> ? AND lower(b.pilot) = lower(?)
                    AND EXISTS (SELECT 1 FROM {name} n
                        WHERE n.framework_code = a.framework_code
                          AND n.round IS NOT DISTINCT FROM a.round)))
            ORDER BY a.id""",
            [state.batch_id, state.pilot],
        ).fetchall()


def _report(summary: Summary, found: list[tuple]) -> None:
    summary.counts["assessments_replaced"] += len(found)
    for r in found[:PREVIEW_NAMES]:
        summary.replaced.append(
            {
                "assessment_id": r[0],
                "innovation": r[2],
                "assessor": r[3],
                "round": r[4],
                "framework": r[5],
                "batch": r[6],
                "file": r[7],
            }
        )
