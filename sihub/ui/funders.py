"""Widgets and sections of the funder page: priorities, the ranked list, the shortlist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from sihub import ui, urls
from sihub.access import Viewer, seen_text
from sihub.compare.queries import criteria_frame, frameworks_with_scores, innovation_names
from sihub.compare.selection import MAX_ITEMS, Selection
from sihub.db import Store
from sihub.funders import briefing, ranking
from sihub.funders.ranking import MAX_WEIGHT, Ranking, RankingSpec
from sihub.funding.status import now_in_finland
from sihub.i18n import date_pattern, format_count, t
from sihub.pipeline.filters import InnovationFilter
from sihub.text import escape_markdown
from sihub.ui.compare import labels_of, points
from sihub.ui.downloads import csv_button, workbook_button
from sihub.ui.pipeline import picked_innovation
from sihub.ui.url import back_here, kept_query, left_out_notice, publish_query, seed
from sihub.urls import LeftOut, known_only

SHORTLIST_PARAM, SHORTLIST_KIND = "shortlist", urls.Ints()  # innovation ids
PARAMS = (*RankingSpec.params(), SHORTLIST_PARAM)
FACETS = (("stages", "fu_stage"), ("regions", "fu_region"), ("themes", "fu_theme"),
          ("target_groups", "fu_tg"))  # fmt: skip


def _weight_key(code: str) -> str:
    return f"fu_w.{code}"


def _gate_key(code: str) -> str:
    return f"fu_gate.{code}"


def ranked(store: Store, visibility: str, spec: RankingSpec, lang: str) -> Ranking:
    """The ranking the page shows (``ui.shared``: one per spec and data version, never
    changed): the ranking data of the framework and filter, cached apart so that moving a
    weight ranks again without reading the store."""
    data = ui.cached(
        ranking.ranking_data, visibility, spec.framework, spec.filter, lang, None, spec.must_pass
    )
    return ranking.rank_from(data, spec)


@dataclass(frozen=True)
class ShownRanking:
    """What the page draws of a ranking: its sentences, its first rows as the table shows
    them (``table``, innovation ids kept; ``sent``, as Streamlit sends it), the name column's
    width and every ranked innovation's name for the shortlist."""

    words: list[str]
    table: pd.DataFrame
    sent: pa.Table
    name_width: int
    names: dict[int, str]


def shown_ranking(
    store: Store, visibility: str, spec: RankingSpec, lang: str, rows: int
) -> ShownRanking:
    """``ShownRanking`` of ``ranked`` with its first ``rows`` rows in the table, for
    ``ui.shared``: built once per ranking, not on every visit (its words, table and names
    were a quarter of the page's run at 10,000 innovations)."""
    result = ui.shared(ranked, visibility, spec, lang)
    table = ranking.display_table(result, lang, rows)
    ids = result.table.innovation_id.astype(int).tolist()
    return ShownRanking(
        words=ranking.ranking_words(result, lang),
        table=table,
        sent=ui.arrow_table(table.drop(columns="innovation_id")),
        name_width=ui.name_width(table.name),
        names=dict(zip(ids, result.table.name.tolist(), strict=True)),
    )


# priorities -----------------------------------------------------------------------------------
def spec_widgets(visibility: str, lang: str) -> RankingSpec:
    """Framework, weights, must-pass minimums and filters, all kept in the URL; the shortlist
    (also in the URL) is seeded here and shown by ``shortlist_section``."""
    query, from_url = kept_query("funders", PARAMS)
    spec, left_out = RankingSpec.parse_query(query)
    shortlist, shortlist_left_out = urls.parse_param(
        SHORTLIST_PARAM, query.get(SHORTLIST_PARAM), SHORTLIST_KIND
    )
    seed(
        {
            "fu_fw": spec.framework,
            "fu_wmode": spec.weight_mode,
            "fu_shortlist": list(shortlist or ()),
        },
        from_url,
    )
    frameworks = ui.cached(frameworks_with_scores, visibility, lang)
    weighable = ui.cached(ranking.weighable_frameworks, lang)  # pass/fail ones are gates
    names = {c: n for c, n in zip(frameworks.code, frameworks.name, strict=True) if c in weighable}
    if st.session_state["fu_fw"] not in names and names:
        st.session_state["fu_fw"] = next(iter(names))
    ui.choice_box(
        st, t("compare.framework"), list(names), format_func=names.get, key="fu_fw", lang=lang
    )
    criteria = ui.cached(criteria_frame, st.session_state["fu_fw"], lang)
    _seed_details(spec, criteria, from_url)
    if from_url:
        left_out += shortlist_left_out + _not_in_store(spec, names, criteria, lang)
        left_out_notice(left_out)
    with st.expander(t("funders.weights"), expanded=True, icon=":material/tune:"):
        _weight_widgets(criteria, lang)
    with st.expander(
        t("funders.gates"), expanded=bool(spec.gates or spec.must_pass), icon=":material/rule:"
    ):
        must_pass = _must_pass_widget(lang)
        gates = _gate_widgets(criteria)
    with st.expander(
        t("funders.filters"), expanded=not spec.filter.is_empty(), icon=":material/filter_alt:"
    ):
        facets = _filter_widgets(lang)
    mode = st.session_state["fu_wmode"]
    units = _units(criteria, mode)
    weights = tuple((code, float(st.session_state[_weight_key(code)])) for code in units)
    chosen = RankingSpec(
        framework=st.session_state["fu_fw"],
        weight_mode=mode,
        weights=weights,
        gates=gates,
        must_pass=must_pass,
        enough=None,
        filter=facets,
    )
    enough = _enough_widget(chosen, criteria)
    return chosen.with_(enough=enough)


def _not_in_store(
    spec: RankingSpec, frameworks: dict[str, str], criteria: pd.DataFrame, lang: str
) -> tuple[LeftOut, ...]:
    """The framework, weights, minimums and facet codes a link names that the store does not
    hold (a framework without scores, a vanished criterion, an unknown region, ...)."""
    left_out: tuple[LeftOut, ...] = ()
    named = spec.framework != RankingSpec().framework  # the default is never in a link
    if named and frameworks and spec.framework not in frameworks:
        left_out += (LeftOut(RankingSpec.PARAMS["framework"][0], spec.framework),)
    left_out += tuple(ranking.unknown_settings(spec, criteria))
    gates = ui.cached(ranking.pass_fail_frameworks, lang)
    left_out += known_only(spec.must_pass, gates, RankingSpec.PARAMS["must_pass"][0])[1]
    for facet, _ in FACETS:
        known = ui.cached(ranking.facet_names, facet, lang)
        param = RankingSpec.FILTER_PARAMS[facet][0]
        left_out += known_only(getattr(spec.filter, facet), known, param)[1]
    return left_out


def _units(criteria: pd.DataFrame, mode: str) -> dict[str, str]:
    """What carries a weight: criterion code -> name, or dimension code -> name."""
    if mode == "dimension":
        return dict(zip(criteria.dimension_code, criteria.dimension, strict=True))
    return dict(zip(criteria.code, criteria.name, strict=True))


def _seed_details(spec: RankingSpec, criteria: pd.DataFrame, from_url: bool) -> None:
    values: dict[str, Any] = {}
    for code in _units(criteria, st.session_state["fu_wmode"]):
        values[_weight_key(code)] = min(MAX_WEIGHT, round(spec.weight_of(code)))
    known = ranking.gate_thresholds(criteria, spec)  # minimums on a criterion's own levels
    gates = [(c, lv) for c, lv in spec.gates if c in known]
    values["fu_gates"] = [c for c, _ in gates]
    for code, level in gates:
        values[_gate_key(code)] = str(level)
    for facet, key in FACETS:
        values[key] = list(getattr(spec.filter, facet))
    values["fu_pass"] = list(spec.must_pass)
    values["fu_enough"] = spec.enough
    values["fu_enough_set"] = spec.enough is not None
    seed(values, from_url)


def _apply_preset(criteria: pd.DataFrame) -> None:
    code = st.session_state.get("fu_preset")
    if not code:
        return
    weights = ranking.preset_weights(code, criteria, st.session_state["fu_wmode"])
    for unit, weight in weights.items():
        st.session_state[_weight_key(unit)] = round(weight)


def _matching_preset(criteria: pd.DataFrame) -> str | None:
    """The preset whose weights the sliders hold now, if any (shown as chosen)."""
    mode = st.session_state["fu_wmode"]
    for preset in ranking.presets():
        wanted = ranking.preset_weights(preset["code"], criteria, mode)
        if all(st.session_state.get(_weight_key(u)) == round(w) for u, w in wanted.items()):
            return preset["code"]
    return None


def _switch_mode(criteria: pd.DataFrame) -> None:
    """Carry the weights over: a dimension takes the mean of its criteria, a criterion its
    dimension's weight."""
    if st.session_state["fu_wmode"] == "dimension":
        for dim, own in criteria.groupby("dimension_code"):
            values = [st.session_state.get(_weight_key(c), 1) for c in own.code]
            st.session_state[_weight_key(dim)] = round(sum(values) / len(values))
    else:
        for code, dim in zip(criteria.code, criteria.dimension_code, strict=True):
            st.session_state[_weight_key(code)] = st.session_state.get(_weight_key(dim), 1)


def _weight_widgets(criteria: pd.DataFrame, lang: str) -> None:
    st.session_state["fu_preset"] = _matching_preset(criteria)
    st.pills(
        t("funders.presets"),
        [p["code"] for p in ranking.presets()],
        format_func=lambda code: escape_markdown(ranking.preset_name(code, lang)),
        key="fu_preset",
        on_change=_apply_preset,
        args=(criteria,),
    )
    st.segmented_control(
        t("funders.weight_mode"),
        ranking.WEIGHT_MODES,
        format_func=labels_of("funders.mode.", lang),
        key="fu_wmode",
        required=True,
        on_change=_switch_mode,
        args=(criteria,),
    )
    units = _units(criteria, st.session_state["fu_wmode"])
    for code, name in units.items():
        st.slider(escape_markdown(name), 0, MAX_WEIGHT, step=1, key=_weight_key(code))
    st.caption(t("funders.weight_help"))


def _coded_choice(label_key: str, names: dict[str, str], key: str, **kwargs) -> None:
    """A multiselect over codes shown by name, its label and its empty text from the
    catalogue (``<label_key>`` and ``<label_key>_placeholder``)."""
    st.multiselect(
        t(label_key),
        list(names),
        format_func=names.get,
        key=key,
        placeholder=t(f"{label_key}_placeholder"),
        **kwargs,
    )


def _gate_widgets(criteria: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    names = dict(zip(criteria.code, criteria.name, strict=True))
    levels = dict(zip(criteria.code, criteria.levels, strict=True))
    _coded_choice("funders.gate_criteria", names, "fu_gates")
    gates = []
    for code in st.session_state["fu_gates"]:
        options = [str(lv[0]) for lv in levels[code]]
        labels = {str(lv[0]): escape_markdown(lv[3]) for lv in levels[code]}
        if st.session_state.get(_gate_key(code)) not in options:
            st.session_state[_gate_key(code)] = options[len(options) // 2]
        st.select_slider(
            ui.t_escaped("funders.gate_minimum", criterion=names[code]),
            options,
            format_func=labels.get,
            key=_gate_key(code),
        )
        gates.append((code, st.session_state[_gate_key(code)]))
    st.caption(t("funders.gates_help"))
    return tuple(gates)


def _must_pass_widget(lang: str) -> tuple[str, ...]:
    """Pass/fail frameworks (SIM validation, Innokylä's award criteria) an innovation must
    pass: a gate, never a weight."""
    names = ui.cached(ranking.pass_fail_frameworks, lang)
    st.session_state["fu_pass"] = [c for c in st.session_state.get("fu_pass", []) if c in names]
    _coded_choice("funders.must_pass", names, "fu_pass", help=t("funders.must_pass_help"))
    return tuple(st.session_state["fu_pass"])


def _filter_widgets(lang: str) -> InnovationFilter:
    chosen = {}
    for facet, key in FACETS:
        names = ui.cached(ranking.facet_names, facet, lang)
        st.session_state[key] = [c for c in st.session_state.get(key, []) if c in names]
        st.multiselect(
            t(f"funders.facet.{facet}"),
            list(names),
            format_func=names.get,
            key=key,
            placeholder=t("funders.facet_placeholder"),
        )
        chosen[facet] = tuple(st.session_state[key])
    return InnovationFilter(**chosen)


def _mark_enough() -> None:
    st.session_state["fu_enough_set"] = True


def _enough_widget(spec: RankingSpec, criteria: pd.DataFrame) -> int | None:
    """Weighted criteria an innovation needs; follows the weights until the user sets it."""
    weights = ranking.criterion_weights(criteria, spec)
    weighted = max(1, int((weights > 0).sum()))
    default = ranking.default_enough(weights) or 1
    if not st.session_state.get("fu_enough_set") or st.session_state.get("fu_enough") is None:
        st.session_state["fu_enough"] = default
    st.session_state["fu_enough"] = min(max(1, int(st.session_state["fu_enough"])), weighted)
    st.number_input(
        t("funders.enough", weighted=weighted),
        min_value=1,
        max_value=weighted,
        step=1,
        key="fu_enough",
        on_change=_mark_enough,
        help=t("funders.enough_help"),
    )
    value = int(st.session_state["fu_enough"])
    return None if value == default else value


def view_query(spec: RankingSpec) -> dict[str, str]:
    """The view's URL parameters: the funder's choices and the shortlist."""
    shortlist = list(st.session_state.get("fu_shortlist", []))
    query = dict(spec.to_query())
    if shortlist:
        query[SHORTLIST_PARAM] = SHORTLIST_KIND.format(tuple(shortlist))
    return query


def publish(spec: RankingSpec) -> None:
    """Put the funder's choices and the shortlist into the URL."""
    publish_query("funders", PARAMS, view_query(spec))


# the ranked list ------------------------------------------------------------------------------
def ranking_summary(result: Ranking, shown: ShownRanking, lang: str) -> None:
    """The ranking in words, and what it rests on."""
    points(shown.words)
    st.caption(ranking.basis_note(result.visibility, lang))


def _add_ticked(chosen: list[int]) -> None:
    current = list(st.session_state.get("fu_shortlist", []))
    st.session_state["fu_shortlist"] = list(dict.fromkeys([*current, *chosen]))


# The table shows the first rows of a ranking only: at 100,000 innovations a ranking holds
# 50,000, which nobody reads in a browser table and which took the page past a second. The
# whole ranking is a download.
SHOWN_ROWS = 1000


def _first_rows_only(result: Ranking, lang: str) -> None:
    """Says that the table shows the first rows, and offers the whole ranking as a CSV."""
    st.caption(
        t(
            "funders.first_rows",
            shown=format_count(SHOWN_ROWS, lang),
            total=format_count(len(result.table), lang),
        )
    )
    csv_button(lambda: _whole_ranking(result, lang), t("file.ranking"), key="fu_ranking")


# The catalogue key of each column's heading, in the table and in its download.
COLUMN_LABELS = {
    "rank": "funders.col.rank",
    "name": "common.innovation",
    "score": "funders.col.score",
    "basis": "funders.col.basis",
    "gates": "funders.col.gates",
    "status": "funders.col.status",
    "stage": "common.stage",
    "regions": "funders.col.regions",
    "latest": "funders.col.latest",
}


def _whole_ranking(result: Ranking, lang: str) -> pd.DataFrame:
    """Every row of the ranking with the table's column headings, for the download."""
    table = ranking.display_table(result, lang).drop(columns="innovation_id")
    return table.rename(columns={c: t(key, lang=lang) for c, key in COLUMN_LABELS.items()})


def ranking_table(result: Ranking, shown: ShownRanking, lang: str) -> None:
    """The ranked list (``shown``). A ticked row shows above the table with the way to its
    profile and to the shortlist: a link in the table itself opened a new tab, and only once
    the pointer had rested on it (a tap, a quick click or the keyboard opened nothing)."""
    if result.table.empty:
        said = t("funders.nothing_ranked", what=seen_text(result.visibility))
        st.info(said, icon=":material/filter_alt_off:")
        return
    table = shown.table
    if len(result.table) > SHOWN_ROWS:
        _first_rows_only(result, lang)
    ticked_bar = st.container()  # above the table, where the eye is when ticking a row
    label = {column: t(heading) for column, heading in COLUMN_LABELS.items()}
    event = st.dataframe(
        shown.sent,
        hide_index=True,
        width="stretch",
        height=min(600, 38 + 35 * max(len(table), 1)),
        key=f"fu_table.{abs(hash(result.spec))}",
        on_select="rerun",
        selection_mode="multi-row",
        column_config={
            "rank": st.column_config.NumberColumn(
                label["rank"], format="%d", width="small", help=t("funders.rank_help")
            ),
            "name": st.column_config.TextColumn(label["name"], width=shown.name_width),
            "score": st.column_config.TextColumn(label["score"], help=t("funders.score_help")),
            "basis": st.column_config.TextColumn(label["basis"]),
            "gates": st.column_config.TextColumn(label["gates"], width="medium")
            if result.thresholds or result.spec.must_pass
            else None,  # no must-pass minimums set: nothing to show
            "status": st.column_config.TextColumn(label["status"]),
            "stage": st.column_config.TextColumn(label["stage"]),
            "regions": st.column_config.TextColumn(label["regions"]),
            "latest": st.column_config.DateColumn(label["latest"], format=date_pattern()),
        },
        placeholder=ui.EMPTY_CELL,
    )
    ticked = [r for r in (event.selection.rows if event is not None else []) if r < len(table)]
    with ticked_bar:
        ticked_rows(table.iloc[ticked], result.spec)


def ticked_rows(rows: pd.DataFrame, spec: RankingSpec) -> None:
    """One ticked row: its name, score and the way to its profile, in this tab, whose Back
    returns to this view with its shortlist. Several: how many. The bar is there, about as
    tall, whatever is ticked, so that the table under the pointer hardly moves."""
    st.caption(t("funders.table.help"))
    ids = rows.innovation_id.astype(int).tolist()
    add = {"on_click": _add_ticked, "args": (ids,), "icon": ":material/playlist_add:"}
    if len(rows) == 1:
        with picked_innovation(rows.iloc[0], ids[0], **back_here("funders", view_query(spec))):
            st.button(t("funders.table.add_one"), **add)
        return
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        if ids:
            st.markdown(t("funders.table.ticked", count=len(ids)))
        st.button(t("funders.add_selected"), disabled=not ids, **add)


# the shortlist --------------------------------------------------------------------------------
def shortlist_section(
    store: Store, viewer: Viewer, result: Ranking, shown: ShownRanking, lang: str
) -> None:
    names = dict(shown.names)  # a copy: names outside the ranking are added below
    extra = [i for i in st.session_state["fu_shortlist"] if i not in names]
    names.update(ui.cached(innovation_names, tuple(extra)) if extra else {})
    st.session_state["fu_shortlist"] = [i for i in st.session_state["fu_shortlist"] if i in names]
    st.multiselect(
        t("funders.shortlist"),
        list(names),
        format_func=lambda i: names.get(i, str(i)),
        key="fu_shortlist",
        placeholder=t("funders.shortlist_placeholder"),
    )
    shortlist = list(st.session_state["fu_shortlist"])
    if not shortlist:
        st.caption(t("funders.shortlist_empty"))
        return
    left, right = st.columns(2)
    with left:
        compared = Selection(ids=tuple(shortlist[:MAX_ITEMS]))
        ui.link("compare", t("funders.compare_shortlist"), **compared.to_query())
    with right:
        now = now_in_finland()
        workbook_button(
            t("funders.briefing", count=len(shortlist)),
            lambda: briefing.briefing_pack(
                store, result, shortlist, lang, now, prepared_by=viewer.identity
            ),
            briefing.file_name(now, lang),
            primary=True,
        )
