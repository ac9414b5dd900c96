"""The call list as exported: the import template's labels (so that an edited download imports
back), names rather than codes, and what the export contains."""

from __future__ import annotations

from datetime import date

import pandas as pd

from sihub.funding.filters import CallFilter
from sihub.funding.status import now_in_finland
from sihub.i18n import format_date, score_on_scale, t
from sihub.reference.scales import Scale

_EXPORT = (  # column of ``calls`` -> label key; names rather than codes, as people read them
    ("ref", "field.Funding.ref"),
    ("status_name", "funding.col.status"),
    ("days_left", "funding.col.days_left"),
    ("funder", "field.Funding.funder"),
    ("funder_type_name", "field.Funding.funder_type"),
    ("programme", "field.Funding.programme"),
    ("call_name", "field.Funding.call_name"),
    ("instrument_name", "field.Funding.instrument"),
    ("amount_min", "field.Funding.amount_min"),
    ("amount_max", "field.Funding.amount_max"),
    ("funding_rate_max", "field.Funding.funding_rate_max"),
    ("duration_months_min", "field.Funding.duration_months_min"),
    ("duration_months_max", "field.Funding.duration_months_max"),
    ("consortium_required", "field.Funding.consortium_required"),
    ("consortium_rule", "field.Funding.consortium_rule"),
    ("eligible_applicant_types_names", "field.Funding.eligible_applicant_types"),
    ("themes_names", "field.Funding.themes"),
    ("target_groups_names", "field.Funding.target_groups"),
    ("stage_fit_names", "field.Funding.stage_fit"),
    ("geographic_scope_name", "field.Funding.geographic_scope"),
    ("regions_names", "field.Funding.regions"),
    ("min_normalised_score", "field.Funding.min_normalised_score"),
    ("opens_on", "field.Funding.opens_on"),
    ("deadline", "field.Funding.deadline"),
    ("continuous", "field.Funding.continuous"),
    ("source_url", "field.Funding.source_url"),
    ("last_checked", "field.Funding.last_checked"),
    ("outdated", "funding.col.outdated"),
    ("file_name", "funding.col.file"),
    ("source_row", "funding.col.row"),
)


def export_frame(df: pd.DataFrame, lang: str, scale: Scale | None = None) -> pd.DataFrame:
    """The call list as exported: labelled columns (the import template's labels), names, and
    the file and row each call came from when ``df`` has them (``catalogue.calls``).

    The labels are those the import recognises, so an exported list can be edited and
    imported back: a minimum score is written on ``scale`` (3 for 3 / 5), as it is typed.
    """
    labels = [(c, key) for c, key in _EXPORT if c in df]  # provenance only where it was seen
    out = df[[c for c, _ in labels]].copy()
    if scale is not None:
        out["min_normalised_score"] = [score_on_scale(v, scale) for v in out.min_normalised_score]
    for column in out.columns:
        if column.endswith("_names"):
            out[column] = ["; ".join(v) for v in out[column]]
    out.columns = [t(key, lang=lang) for _, key in labels]
    return out


def export_about(flt: CallFilter, today: date, count: int, lang: str) -> dict[str, object]:
    """What an export contains: the filter, the day the statuses refer to, when it was made."""
    return {
        t("funding.export.what", lang=lang): t("funding.export.calls", lang=lang, count=count),
        t("funding.export.filter", lang=lang): ", ".join(
            f"{k}={v}" for k, v in flt.to_query().items()
        )
        or t("funding.export.no_filter", lang=lang),
        t("funding.export.status_on", lang=lang): format_date(today, lang),  # 1.6.2026 in fi/sv
        t("funding.export.made", lang=lang): now_in_finland(),
    }
