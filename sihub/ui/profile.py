"""Widgets of an innovation's profile: facts, assessments and scores against a cohort,
provenance of every score, the developers' answers, similar innovations and funding."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from sihub import profile, ui, urls
from sihub.access import Viewer
from sihub.charts import pipeline as charts
from sihub.errors import NotFoundError
from sihub.i18n import current_language, date_pattern, format_date, format_number, t
from sihub.pipeline import as_list
from sihub.profile import similarity
from sihub.reference import framework_scale
from sihub.text import escape_markdown
from sihub.ui.pipeline import LAST_QUERY
from sihub.ui.url import came_from, left_out_notice

ID_PARAM = "id"
COHORT_PARAM = "cohort"
FRAMEWORK_PARAM = "fw"


def web(url: object) -> str | None:
    """A web address from the data, or None: only http(s) links are ever made clickable."""
    text = str(url).strip() if isinstance(url, str) else ""
    return text if text.lower().startswith(("https://", "http://")) else None


BACK_LABELS = {"compare": "profile.back_compare", "funders": "profile.back_funders"}


def back_link() -> None:
    """Back to the view the user came from (the comparison or the funder view, as it was),
    else to the explorer with the selection last made there."""
    origin = came_from(BACK_LABELS)
    if origin is not None:
        page_key, params = origin
        ui.link(page_key, t(BACK_LABELS[page_key]), **params)
        return
    ui.link("pipeline", t("profile.back"), **st.session_state.get(LAST_QUERY, {}))


def load(visibility: str) -> dict:
    """The innovation named by ``?id=`` as ``visibility`` sees it; a friendly message and a way
    back when there is none."""
    raw = urls.param_text(st.query_params.get(ID_PARAM))
    innovation_id, _ = urls.parse_param(ID_PARAM, raw, urls.Int())
    if innovation_id is None:
        st.info(
            t(
                "profile.no_id" if not raw else "profile.bad_id",
                id=escape_markdown(urls.shortened(raw)),
            ),
            icon=":material/help:",
        )
    else:
        try:
            return ui.cached(profile.innovation, visibility, innovation_id, current_language())
        except NotFoundError:
            st.warning(t("profile.not_found", id=str(innovation_id)), icon=":material/search_off:")
    back_link()
    st.stop()
    raise AssertionError  # unreachable


def header(record: dict, tags: dict[str, list[str]]) -> None:
    """Name as written, reference, stage, links out, and the tags."""
    st.title(escape_markdown(record["name"]))
    facts = [record.get("ref"), record.get("stage") or t("profile.no_stage")]
    st.caption(" · ".join(escape_markdown(x) for x in facts if x))
    links = [
        (web(u), label)
        for u, label in ((record.get("innokyla_url"), "Innokylä"), (record.get("sim_url"), "SIM"))
        if web(u)
    ]
    if links:
        columns = st.columns(len(links) + 3)
        for column, (url, label) in zip(columns, links, strict=False):
            column.link_button(label, url, icon=":material/open_in_new:")
    for key, icon in (
        ("themes", ":material/category:"),
        ("target_groups", ":material/groups:"),
        ("regions", ":material/location_on:"),
    ):
        names = tags[key] or [t("common.not_recorded")]
        label = t(f"profile.{key}")
        st.markdown(f"{icon} **{label}:** " + ", ".join(escape_markdown(n) for n in names))


def headline(visibility: str, innovation_id: int) -> None:
    """External and self-assessment means of the main framework, each with its basis."""
    scores = ui.cached(profile.headline_scores, visibility, innovation_id, current_language())
    # widths that keep every label and figure whole down to 1280 pixels ("Mean score, external …")
    cols = st.columns([3, 3, 1.5, 2.5], gap="xsmall")
    main = (
        scores[scores.framework_code == scores.framework_code.iloc[0]]
        if not scores.empty
        else scores
    )
    for column, scope in zip(cols[:2], ("external", "self"), strict=True):
        row = main[main.scope == scope]
        label = t(f"profile.mean_{scope}")
        if row.empty:
            unseen = profile.unassessed_text(visibility, current_language(), scope)
            ui.metric(column, label, "–", unseen)
        else:
            r = row.iloc[0]
            ui.metric(column, label, r.result, f"{r.basis} · {escape_markdown(r.framework)}")
    listing = ui.shared(profile.assessments, visibility, innovation_id, current_language())
    ui.metric(cols[2], t("profile.assessments"), format_number(len(listing)))
    latest = listing.assessed_on.max() if not listing.empty else None
    ui.metric(cols[3], t("profile.latest"), format_date(latest if pd.notna(latest) else None))
    ui.rests_on(visibility)  # the headline and every tab below


# --- overview ---------------------------------------------------------------------------------
DESCRIPTIONS = (
    "short_description",
    "basic_idea",
    "operating_environment",
    "target_group_insight",
    "adoption_conditions",
)
FACTS = ("implementation_place", "scope_name", "funder_text", "collection", "author")


def overview(record: dict) -> None:
    """Descriptions, facts, organisations and roles, stage history and funding received."""
    lang = current_language()
    innovation_id = record["id"]
    written = [(k, record.get(k)) for k in DESCRIPTIONS if record.get(k)]
    if not written:
        st.info(t("profile.no_description"), icon=":material/description:")
    for key, text in written:
        st.markdown(f"**{t(f'profile.field.{key}')}**")
        st.markdown(escape_markdown(text))
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("profile.facts"))
        facts = [(t(f"profile.field.{k}"), record.get(k)) for k in FACTS if record.get(k)]
        facts += [
            (t("profile.field.created_on"), format_date(_day(record.get("created_on")))),
            (t("profile.field.modified_on"), format_date(_day(record.get("modified_on")))),
        ]
        if "file_name" in record:  # the library leaves it out for viewers who may not see it
            facts.append((t("profile.field.source"), _source(record)))
        st.dataframe(
            pd.DataFrame(facts, columns=[t("profile.fact"), t("profile.value")]),
            hide_index=True,
            width="stretch",
            placeholder=ui.EMPTY_CELL,
        )
    with right:
        st.subheader(t("profile.organisations"))
        orgs = ui.cached(profile.organisations, innovation_id, lang)
        if orgs.empty:
            st.info(t("profile.no_organisations"), icon=":material/domain_disabled:")
        else:
            st.dataframe(
                orgs.drop(columns=["id"]).assign(website=[web(u) for u in orgs.website]),
                hide_index=True,
                width="stretch",
                column_config=organisation_columns(),
                placeholder=ui.EMPTY_CELL,
            )
    left, right = st.columns(2, gap="large")
    with left:
        stage_history(record)
    with right:
        funding_received(innovation_id)


def _day(value: object) -> date | None:
    return value.date() if hasattr(value, "date") else value  # type: ignore[return-value]


def _source(record: dict) -> str:
    if not record.get("file_name"):
        return "–"
    return t(
        "profile.source_value",
        file=record["file_name"],
        sheet=record.get("source_sheet") or "",
        row=record.get("source_row") or "",
    )


def organisation_columns() -> dict:
    return {
        "name": st.column_config.TextColumn(t("profile.org.name")),
        "role": st.column_config.TextColumn(t("profile.org.role")),
        "org_type": st.column_config.TextColumn(t("profile.org.type")),
        "region": st.column_config.TextColumn(t("profile.org.region")),
        "municipality": st.column_config.TextColumn(t("profile.org.municipality")),
        "website": st.column_config.LinkColumn(t("profile.org.website")),
    }


def stage_history(record: dict) -> None:
    st.subheader(t("profile.stage_history"))
    history = ui.cached(profile.stage_history, record["id"], current_language())
    current = record.get("stage") or t("profile.no_stage")
    st.markdown(t("profile.current_stage", stage=escape_markdown(current)))
    if history.empty:
        st.caption(t("profile.no_history"))
        return
    st.dataframe(
        history.drop(columns=["stage_code"]),
        hide_index=True,
        width="stretch",
        column_config={
            "entered_on": st.column_config.DateColumn(
                t("profile.entered_on"), format=date_pattern()
            ),
            "stage": st.column_config.TextColumn(t("common.stage")),
            "note": st.column_config.TextColumn(t("profile.note")),
        },
        placeholder=ui.EMPTY_CELL,
    )


def funding_received(innovation_id: int) -> None:
    st.subheader(t("profile.funding_received"))
    awards = ui.cached(profile.funding_received, innovation_id)
    if awards.empty:
        st.caption(t("profile.no_funding"))
        return
    st.dataframe(
        awards,
        hide_index=True,
        width="stretch",
        column_config={
            "funder": st.column_config.TextColumn(t("profile.award.funder")),
            "programme": st.column_config.TextColumn(t("profile.award.programme")),
            "amount": st.column_config.NumberColumn(t("profile.award.amount"), format="euro"),
            "awarded_on": st.column_config.DateColumn(
                t("profile.award.date"), format=date_pattern()
            ),
            "organisation": st.column_config.TextColumn(t("profile.award.organisation")),
            "call_name": st.column_config.TextColumn(t("profile.award.call")),
        },
        placeholder=ui.EMPTY_CELL,
    )


# --- assessments and scores -------------------------------------------------------------------
def assessments(viewer: Viewer, innovation_id: int) -> None:
    """Headline scores per framework, the assessments over time, criterion comparison against
    a cohort, disagreement, change between rounds and (for those who may see it) the
    provenance of every score; all of the assessments the viewer sees."""
    lang = current_language()
    visibility = viewer.visibility
    listing = ui.shared(profile.assessments, visibility, innovation_id, lang)
    if listing.empty:
        st.info(profile.unassessed_text(visibility, lang), icon=":material/pending:")
        return
    st.subheader(t("profile.scores_per_framework"))
    heads = ui.shared(profile.headline_scores, visibility, innovation_id, lang)
    st.dataframe(
        heads.assign(scope=[t(f"profile.scope.{s}") for s in heads.scope])[
            ["framework", "scope", "result", "basis", "round", "latest_assessed_on"]
        ],
        hide_index=True,
        width="stretch",
        column_config=headline_columns(),
        placeholder=ui.EMPTY_CELL,
    )
    st.caption(t("profile.scores_rule"))
    st.subheader(t("profile.assessments_over_time"))
    st.dataframe(
        listing.drop(columns=["id", "type_code", "provisional"]),
        hide_index=True,
        width="stretch",
        column_config=assessment_columns(),
        placeholder=ui.EMPTY_CELL,
    )
    criterion_scores(visibility, innovation_id)
    if not viewer.may("provenance"):
        return
    with st.expander(t("profile.provenance"), icon=":material/fact_check:"):
        st.caption(t("profile.provenance_help"))
        st.dataframe(
            ui.decimal_text(
                ui.cached(profile.score_provenance, visibility, innovation_id, lang),
                {"normalised": 2},
                lang,
            ),
            hide_index=True,
            width="stretch",
            column_config=provenance_columns(),
            placeholder=ui.EMPTY_CELL,
        )


def headline_columns() -> dict:
    return {
        "framework": st.column_config.TextColumn(t("profile.framework")),
        "scope": st.column_config.TextColumn(t("profile.scope_label")),
        "result": st.column_config.TextColumn(t("profile.result"), help=t("profile.result_help")),
        "basis": st.column_config.TextColumn(t("profile.basis")),
        "round": st.column_config.NumberColumn(t("profile.round")),
        "latest_assessed_on": st.column_config.DateColumn(
            t("profile.latest"), format=date_pattern()
        ),
    }


def assessment_columns() -> dict:
    return {
        "framework": st.column_config.TextColumn(t("profile.framework")),
        "assessment_type": st.column_config.TextColumn(t("profile.type")),
        "assessor": st.column_config.TextColumn(
            t("profile.assessor"), help=t("profile.assessor_help")
        ),
        "assessor_organisation": st.column_config.TextColumn(t("profile.assessor_organisation")),
        "assessed_on": st.column_config.DateColumn(t("common.date"), format=date_pattern()),
        "round": st.column_config.NumberColumn(t("profile.round")),
        "summary": st.column_config.TextColumn(t("profile.summary"), width="large"),
        "shared": st.column_config.CheckboxColumn(
            t("profile.shared"), help=t("profile.shared_help")
        ),
        "scored": st.column_config.NumberColumn(t("profile.scored")),
        "missing": st.column_config.NumberColumn(t("profile.missing")),
        "file_name": st.column_config.TextColumn(t("profile.file")),
        "source_sheet": st.column_config.TextColumn(t("profile.sheet")),
        "source_row": st.column_config.NumberColumn(t("profile.row")),
    }


def provenance_columns() -> dict:
    return {
        "framework": st.column_config.TextColumn(t("profile.framework")),
        "criterion": st.column_config.TextColumn(t("common.criterion")),
        "assessor": st.column_config.TextColumn(
            t("profile.assessor"), help=t("profile.assessor_help")
        ),
        "assessment_type": st.column_config.TextColumn(t("profile.type")),
        "round": st.column_config.NumberColumn(t("profile.round")),
        "assessed_on": st.column_config.DateColumn(t("common.date"), format=date_pattern()),
        "raw_value": st.column_config.TextColumn(t("profile.raw_value")),
        "normalised": st.column_config.TextColumn(t("profile.normalised")),
        "comment": st.column_config.TextColumn(t("profile.comment"), width="large"),
        "batch_id": st.column_config.NumberColumn(t("profile.batch")),
        "file_name": st.column_config.TextColumn(t("profile.file")),
        "source_sheet": None,
        "source_row": None,
        "source_column": None,
        "location": st.column_config.TextColumn(t("profile.location")),
        "assessment_id": st.column_config.NumberColumn(t("profile.assessment_id")),
    }


def _url_choice(param: str, options: list[str], label: str, labels: dict[str, str]) -> str:
    """A choice kept in the URL (``?param=code``), so a shared profile link shows the same; a
    code that is not among the options is left out, with the notice."""
    key = f"profile_{param}"
    kind = urls.Code(tuple(options))
    chosen, left_out = urls.parse_param(param, st.query_params.get(param), kind)
    left_out_notice(left_out)
    st.session_state[key] = chosen or options[0]

    def changed() -> None:
        st.query_params[param] = st.session_state[key]

    return st.segmented_control(
        label, options, key=key, format_func=labels.get, on_change=changed, required=True
    )


def criterion_scores(visibility: str, innovation_id: int) -> None:
    lang = current_language()
    frameworks = ui.cached(profile.assessed_frameworks, visibility, innovation_id, lang)
    if frameworks.empty:
        return
    st.subheader(t("profile.criteria"))
    names = dict(zip(frameworks.code, map(escape_markdown, frameworks.name), strict=True))
    framework = _url_choice(FRAMEWORK_PARAM, list(names), t("profile.framework"), names)
    cohorts = {c: t(f"profile.cohort.{c}") for c in profile.COHORTS}
    cohort = _url_choice(COHORT_PARAM, list(cohorts), t("profile.cohort_label"), cohorts)
    comparison = ui.cached(
        profile.criterion_comparison, visibility, innovation_id, framework, cohort, lang
    )
    dots = ui.cached(profile.assessor_scores, visibility, innovation_id, framework)
    # Drawn and written on the framework's own scale (1-5), never as 0-1
    axis = profile.axis_of(ui.cached(framework_scale, framework))
    shown = profile.on_axis(comparison, axis)
    figure = charts.criterion_dot_plot(
        shown,
        profile.on_axis(dots, axis, columns=("normalised",)),
        {
            "cohort": t("profile.dots.cohort"),
            "median": t("profile.dots.median"),
            "assessor": t("profile.dots.assessor"),
            "mine": t("profile.dots.mine"),
            "self": t("profile.dots.self"),
        },
        (axis.low, axis.high, axis.title),
    )
    ticks = axis.ticks(lang)
    if ticks:
        figure.update_xaxes(tickvals=ticks[0], ticktext=ticks[1])
    sentence = profile.comparison_sentence(comparison, cohorts[cohort].lower(), lang, axis)
    ui.chart_with_words(figure, sentence, comparison_table(shown, lang), key="profile_dots")
    st.markdown("**" + t("profile.disagreement") + "**")
    st.markdown(escape_markdown(profile.disagreement_sentence(comparison, lang, axis)))
    several = shown[shown.assessors >= 2]
    if not several.empty:
        st.dataframe(
            ui.decimal_text(
                several[["criterion", "min", "max", "spread", "assessors", "disagreement"]],
                {"min": 1, "max": 1, "spread": 1},
                current_language(),
            ),
            hide_index=True,
            width="stretch",
            column_config=disagreement_columns(),
            placeholder=ui.EMPTY_CELL,
        )
    st.markdown("**" + t("profile.changes") + "**")
    changes = ui.cached(profile.round_changes, visibility, innovation_id, framework, lang)
    st.markdown(escape_markdown(profile.change_sentence(changes, lang, axis)))
    if len(changes.columns) > 2:
        st.dataframe(
            changes_table(changes, axis, lang),
            hide_index=True,
            width="stretch",
            column_config=changes_columns(changes),
            placeholder=ui.EMPTY_CELL,
        )


def disagreement_columns() -> dict:
    return {
        "criterion": st.column_config.TextColumn(t("common.criterion")),
        "min": st.column_config.TextColumn(t("profile.col.min")),
        "max": st.column_config.TextColumn(t("profile.col.max")),
        "spread": st.column_config.TextColumn(t("profile.col.spread")),
        "assessors": st.column_config.NumberColumn(t("profile.col.assessors")),
        "disagreement": st.column_config.CheckboxColumn(
            t("profile.col.disagreement"), help=t("profile.col.disagreement_help")
        ),
    }


def changes_table(changes: pd.DataFrame, axis: profile.Axis, lang: str) -> pd.DataFrame:
    """The round means on the framework's scale and the change signed, on one decimal as the
    language writes it ("3,7", "−2,3"; Streamlit's number formats write a point)."""
    rounds = [c for c in changes.columns if c != "change"]
    table = profile.on_axis(changes, axis, columns=rounds, spans=()).reset_index()
    table.columns = [str(c) for c in table.columns]
    table["change"] = [
        None if pd.isna(v) else profile.signed_points(v, axis, lang) for v in changes["change"]
    ]
    return ui.decimal_text(table, {str(c): 1 for c in rounds}, lang)


def changes_columns(changes: pd.DataFrame) -> dict:
    """Rounds as "Round 2", then the change."""
    config = {"criterion": st.column_config.TextColumn(t("common.criterion"))}
    for c in changes.columns:
        label = t("profile.change_label") if c == "change" else t("profile.round_n", n=str(c))
        config[str(c)] = st.column_config.TextColumn(label)
    return config


# The comparison table's points on the scale, written on one decimal as the language does
COMPARISON_DECIMALS = dict.fromkeys(
    ("mean", "self_mean", "min", "max", "cohort_median", "cohort_p25", "cohort_p75"), 1
)


def comparison_table(comparison: pd.DataFrame, lang: str) -> pd.DataFrame:
    table = ui.decimal_text(comparison, COMPARISON_DECIMALS, lang)[
        [
            "criterion",
            "mean",
            "self_mean",
            "min",
            "max",
            "assessors",
            "cohort_median",
            "cohort_p25",
            "cohort_p75",
            "cohort_n",
        ]
    ]
    return table.rename(columns={c: t(f"profile.col.{c}") for c in table.columns})


# --- answers, similar innovations, funding ----------------------------------------------------
def _joined(*lists: object) -> str:
    """Names from list cells (a missing cell counts as empty), joined with commas."""
    return ", ".join(str(name) for value in lists for name in as_list(value))


def developer_answers(visibility: str, innovation_id: int) -> None:
    answers = ui.cached(profile.developer_answers, visibility, innovation_id)
    if answers.empty:
        st.info(t("profile.no_answers"), icon=":material/quiz:")
        return
    st.caption(t("profile.answers_help"))
    for row in answers.itertuples():
        st.markdown(
            f"**{escape_markdown(row.question_no)}. {escape_markdown(row.question or '')}**"
        )
        st.markdown(escape_markdown(row.answer) if row.answer else "–")


def similar_innovations(innovation_id: int) -> None:
    lang = current_language()
    st.subheader(t("profile.similar"))
    st.caption(t("profile.similar_help"))
    similar = ui.cached(similarity.similar_innovations, innovation_id, lang)
    if similar.empty:
        st.info(t("profile.no_similar"), icon=":material/travel_explore:")
        return
    shown = similar.assign(
        link=[urls.page_url("profile", lang, id=i) for i in similar.innovation_id],
        similarity=(100 * similar.similarity).round(),
        text_similarity=(100 * similar.text_similarity).round(),
        shared=[
            _joined(a, b)
            for a, b in zip(similar.shared_themes, similar.shared_target_groups, strict=True)
        ],
    )[["name", "stage", "similarity", "text_similarity", "shared", "link"]]
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn(t("pipeline.column.name"), width="large"),
            "stage": st.column_config.TextColumn(t("common.stage")),
            "similarity": st.column_config.ProgressColumn(
                t("profile.similarity"), min_value=0, max_value=100, format="%d %%"
            ),
            "text_similarity": st.column_config.NumberColumn(
                t("profile.text_similarity"), format="%d %%"
            ),
            "shared": st.column_config.TextColumn(t("profile.shared_tags")),
            "link": st.column_config.LinkColumn(
                t("pipeline.column.profile"), display_text=t("pipeline.open_profile")
            ),
        },
        placeholder=ui.EMPTY_CELL,
    )
