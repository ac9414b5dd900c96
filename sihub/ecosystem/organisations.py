"""Who develops innovations: organisations per type, and the collaboration network of
organisations that share innovations (funders are not co-developers)."""

from __future__ import annotations

import pandas as pd

from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.i18n import t
from sihub.overview import NOT_RECORDED

DEVELOPER_ROLES = ("lead", "partner", "pilot_site")  # funders are not co-developers

_WORK = """work AS (  -- who develops what: one row per organisation and innovation
      SELECT organisation_id, innovation_id, bool_or(role = 'lead') AS led
      FROM innovation_organisations WHERE role IN (SELECT unnest($roles)) GROUP BY ALL)"""


def organisations_by_type(store: Store, lang: str) -> pd.DataFrame:
    """Organisations per type, with the innovations they develop and lead."""
    lang = sql_language(lang)
    return store.query(
        f"""WITH {_WORK},
            per AS (SELECT coalesce(g.org_type, '{NOT_RECORDED}') AS code,
                           count(DISTINCT g.id) AS organisations,
                           count(DISTINCT w.innovation_id) AS innovations,
                           count(DISTINCT w.innovation_id) FILTER (WHERE w.led) AS led
                    FROM organisations g LEFT JOIN work w ON w.organisation_id = g.id
                    GROUP BY 1)
            SELECT per.code, coalesce(v.name_{lang}, $missing) AS label, per.organisations,
                   per.innovations, per.led
            FROM per LEFT JOIN org_types v ON v.code = per.code
            ORDER BY coalesce(v.sort_order, 999)""",
        {"missing": t("common.not_recorded", lang=lang), "roles": list(DEVELOPER_ROLES)},
    )


_EDGES = """edges AS (  -- organisations sharing innovations; work rows are unique pairs
      SELECT a.organisation_id AS source, b.organisation_id AS target, count(*) AS shared
      FROM work a JOIN work b ON a.innovation_id = b.innovation_id
           AND a.organisation_id < b.organisation_id
      GROUP BY ALL)"""


def collaboration_network(store: Store, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Organisations that develop innovations (nodes) and the innovations they share (edges).

    Nodes: id, name, org_type, type_name, innovations, partners (distinct organisations worked
    with), shared (its innovations that another organisation works on too: never more than
    its innovations). Edges: source, target, shared (the innovations the two share).
    """
    lang = sql_language(lang)
    params = {"roles": list(DEVELOPER_ROLES)}
    edges = store.query(
        f"WITH {_WORK}, {_EDGES} SELECT * FROM edges ORDER BY shared DESC, source, target",
        params,
    )
    nodes = store.query(
        f"""WITH {_WORK}, {_EDGES},
            ends AS (SELECT source AS id FROM edges UNION ALL SELECT target FROM edges),
            partnered AS (SELECT a.organisation_id AS id,
                                 count(DISTINCT a.innovation_id) AS shared
                          FROM work a JOIN work b ON a.innovation_id = b.innovation_id
                               AND a.organisation_id <> b.organisation_id
                          GROUP BY 1),
            degree AS (SELECT e.id, count(*) AS partners,
                              CAST(any_value(p.shared) AS INTEGER) AS shared
                       FROM ends e LEFT JOIN partnered p ON p.id = e.id GROUP BY 1),
            counts AS (SELECT organisation_id AS id, count(*) AS innovations FROM work
                       GROUP BY 1)
            SELECT g.id, g.name, g.org_type, v.name_{lang} AS type_name, c.innovations,
                   coalesce(d.partners, 0) AS partners, coalesce(d.shared, 0) AS shared
            FROM counts c JOIN organisations g ON g.id = c.id
            LEFT JOIN org_types v ON v.code = g.org_type LEFT JOIN degree d ON d.id = c.id
            ORDER BY c.innovations DESC, g.name""",
        params,
    )
    return nodes, edges


def most_connected(nodes: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """The organisations that work with most others (ties: more shared innovations)."""
    return nodes.sort_values(
        ["partners", "shared", "innovations", "name"],
        ascending=[False, False, False, True],
        kind="stable",
    ).head(limit)


def network_sentence(nodes: pd.DataFrame, edges: pd.DataFrame, lang: str) -> str:
    if edges.empty:
        return t("ecosystem.who.no_network", lang=lang, count=len(nodes))
    top = most_connected(nodes, 1).iloc[0]
    alone = int((nodes.partners == 0).sum())
    return t(
        "ecosystem.who.network",
        lang=lang,
        organisations=len(nodes),
        links=len(edges),
        top=top["name"],
        partners=int(top.partners),
        alone=alone,
    )
