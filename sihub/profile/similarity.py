"""Similar innovations, inside DuckDB: "does something like this already exist?"

A weighted mix of text similarity (cosine of the idf-weighted, stemmed words of names and
descriptions, from the text index of ``sihub.db.derived``) and tag overlap (Jaccard of themes and
target groups). Both parts are returned, with the shared tags, so the user sees why two
innovations are close.
"""

from __future__ import annotations

import pandas as pd

from sihub.db.sql import sql_language
from sihub.db.store import Store

TEXT_WEIGHT = 0.6  # wording matters most for "does this exist already?"; tags break ties
TAG_WEIGHT = 0.4
# Words in more than half of all texts ("toimintamalli", "joka") say nothing about likeness
# and would make every pair a candidate, so they are not matched on.
COMMON_SHARE = 0.5

SIMILAR_SQL = """
    WITH mine AS (
        SELECT t.term, w.idf FROM innovation_terms t JOIN term_weights w USING (term)
        WHERE t.innovation_id = $id
          AND w.docs <= greatest(2, $common * (SELECT count(*) FROM innovation_text))),
    text_sim AS (
        SELECT t.innovation_id, sum(m.idf * m.idf) AS dot
        FROM innovation_terms t JOIN mine m USING (term)
        WHERE t.innovation_id <> $id GROUP BY t.innovation_id),
    tags AS MATERIALIZED (
        SELECT innovation_id, 'theme:' || theme_code AS tag FROM innovation_themes
        UNION ALL
        SELECT innovation_id, 'tg:' || target_group_code FROM innovation_target_groups),
    my_tags AS (SELECT tag FROM tags WHERE innovation_id = $id),
    tag_hits AS (
        SELECT x.innovation_id, count(*) AS shared FROM tags x JOIN my_tags USING (tag)
        WHERE x.innovation_id <> $id GROUP BY x.innovation_id),
    candidates AS (
        SELECT innovation_id FROM text_sim UNION SELECT innovation_id FROM tag_hits),
    own AS (
        SELECT innovation_id, count(*) AS n FROM tags
        WHERE innovation_id IN (SELECT innovation_id FROM candidates) GROUP BY innovation_id),
    scored AS (
        SELECT c.innovation_id,
               least(coalesce(ts.dot / nullif(me.norm * it.norm, 0), 0), 1) AS text_similarity,
               coalesce(h.shared / nullif(o.n + (SELECT count(*) FROM my_tags) - h.shared, 0),
                        0) AS tag_similarity
        FROM candidates c
        LEFT JOIN text_sim ts USING (innovation_id)
        LEFT JOIN tag_hits h USING (innovation_id)
        LEFT JOIN own o USING (innovation_id)
        LEFT JOIN innovation_text it USING (innovation_id)
        LEFT JOIN (SELECT norm FROM innovation_text WHERE innovation_id = $id) me ON TRUE),
    top AS (
        SELECT s.*, $tw * s.text_similarity + $gw * s.tag_similarity AS similarity,
               i.name, i.stage_code
        FROM scored s JOIN innovations i ON i.id = s.innovation_id
        ORDER BY round(similarity, 6) DESC, i.name, i.id LIMIT $limit)
    SELECT t.innovation_id, t.name, st.name_{lang} AS stage, t.similarity,
           t.text_similarity, t.tag_similarity,
           (SELECT list(th.name_{lang} ORDER BY th.sort_order) FROM innovation_themes x
            JOIN themes th ON th.code = x.theme_code
            WHERE x.innovation_id = t.innovation_id
              AND 'theme:' || x.theme_code IN (SELECT tag FROM my_tags)) AS shared_themes,
           (SELECT list(g.name_{lang} ORDER BY g.sort_order) FROM innovation_target_groups x
            JOIN target_groups g ON g.code = x.target_group_code
            WHERE x.innovation_id = t.innovation_id
              AND 'tg:' || x.target_group_code IN (SELECT tag FROM my_tags))
               AS shared_target_groups
    FROM top t LEFT JOIN stages st ON st.code = t.stage_code
    ORDER BY round(t.similarity, 6) DESC, t.name, t.innovation_id"""


def similar_innovations(
    store: Store, innovation_id: int, lang: str, limit: int = 5
) -> pd.DataFrame:
    """The ``limit`` innovations most like this one, with the text and tag parts of the score."""
    return store.query(
        SIMILAR_SQL.format(lang=sql_language(lang)),
        {
            "id": innovation_id,
            "limit": limit,
            "tw": TEXT_WEIGHT,
            "gw": TAG_WEIGHT,
            "common": COMMON_SHARE,
        },
    )
