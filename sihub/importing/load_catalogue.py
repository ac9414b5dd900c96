"""Loads the catalogue: organisations, innovations with their links, stage history, answers."""

from __future__ import annotations

from collections.abc import Iterator

from sihub.importing.context import key_of
from sihub.importing.specs import SPECS_BY_ENTITY
from sihub.importing.upsert import (
    Columns,
    Cursor,
    LoadState,
    existing_keys,
    first_per_id,
    first_rows,
    sheet_rows,
    write,
)
from sihub.importing.validation import ParsedWorkbook, Records
from sihub.text import name_key

INNOVATION_LINKS = (
    ("regions", "innovation_regions", "region_code"),
    ("themes", "innovation_themes", "theme_code"),
    ("target_groups", "innovation_target_groups", "target_group_code"),
    ("countries", "innovation_countries", "country_code"),
)
# The table column of each column of the Organisations and Innovations sheets, named as in the
# sheet but for two; the Innovations sheet's links (regions, themes, target groups and
# organisations) are rows of link tables instead (see _links_of).
RENAMED = {"region": "region_code", "stage": "stage_code"}
LINKED = {*(f for f, _, _ in INNOVATION_LINKS), "lead_organisation", "partner_organisations"}
ORGANISATION_FIELDS = {
    c.field: RENAMED.get(c.field, c.field) for c in SPECS_BY_ENTITY["Organisations"].columns
}
INNOVATION_FIELDS = {
    c.field: RENAMED.get(c.field, c.field)
    for c in SPECS_BY_ENTITY["Innovations"].columns
    if c.field not in LINKED
}
ORGANISATION_ROLES = "AND role IN ('lead', 'partner')"  # the links an Innovations sheet owns
ANSWER_TEXT = ("question", "answer", "answered_on")  # what a later file may change of an answer


# organisations ----------------------------------------------------------------------------------
def load_organisations(state: LoadState) -> None:
    """The Organisations sheets (one row per existing organisation), then the ones named."""
    rows = sheet_rows(state, "Organisations", ORGANISATION_FIELDS, state.organisations)
    write(state, state.organisations, first_per_id(rows))
    _named_organisations(state)


def _named_organisations(state: LoadState) -> None:
    """Organisations the file only names (leads, partners, participants, recipients): new ones
    by name, with the country a Participants row gives them."""
    wanted: dict[str, tuple[str, dict]] = {}
    for name, sheet, row, country in _organisation_mentions(state.parsed):
        if state.organisations.find(None, name) is None:
            key = state.organisations.canonical(key_of(name))[1]
            extra = {"country": country} if country else {}
            wanted.setdefault(key, (name, {**state.provenance(sheet, row), **extra}))
    rows = [
        (None, {"name": name, "name_key": name_key(name), **prov}) for name, prov in wanted.values()
    ]
    write(state, state.organisations, rows)


def _organisation_mentions(
    parsed: ParsedWorkbook,
) -> Iterator[tuple[object, str, int, object]]:
    """(name, sheet, row, country) of each organisation a cell names, in the file's order;
    Participants rows first, the only ones that say a country."""
    for records in parsed.records.get("Participants", []):
        for i, row in enumerate(records.rows):
            yield records.get("organisation", i), records.sheet, row, records.get("country", i)
    yield from ((*mention, None) for mention in _organisations_named(parsed))


def _organisations_named(parsed: ParsedWorkbook) -> Iterator[tuple[object, str, int]]:
    """(name, sheet, row) of each organisation named as a lead, partner or recipient."""
    for records in parsed.records.get("Innovations", []):
        for i, row in enumerate(records.rows):
            names = [
                records.get("lead_organisation", i),
                *(records.get("partner_organisations", i) or []),
            ]
            yield from ((n, records.sheet, row) for n in names if n)
    for records in parsed.records.get("Awards", []):
        for i, row in enumerate(records.rows):
            if records.get("organisation", i):
                yield records.get("organisation", i), records.sheet, row
    a = parsed.assessments.a
    for (name, creates), i in first_rows(a["organisation"], a["creates"]).items():
        if name and creates:
            yield name, a["sheet"][i], a["row"][i]


# innovations ------------------------------------------------------------------------------------
def load_innovations(state: LoadState) -> None:
    """The Innovations sheets with their links and stages, then those form exports name."""
    # Unlike organisations and funding calls, every row is written, even a second row that
    # reaches the same existing innovation (one by reference, one by name: validation does not
    # see a repeat). Both update it, so the stored row mixes the two, and the later row's
    # links win. Keeping only the first (first_per_id) would change what such a file does, so
    # it waits for a decision rather than riding along with a refactoring.
    rows = sheet_rows(state, "Innovations", INNOVATION_FIELDS, state.innovations)
    ids = write(state, state.innovations, rows)
    sources = [
        (records, i)
        for records in state.parsed.records.get("Innovations", [])
        for i in range(len(records))
    ]
    wanted: dict[str, dict[int, set]] = {}
    for record_id, (records, i) in zip(ids, sources, strict=True):
        _links_of(state, wanted, record_id, records, i)
        _note_stage(state, record_id, records, i)
    for table, links in wanted.items():
        _replace_links(state, table, links)
    _implied_innovations(state)


def _implied_innovations(state: LoadState) -> None:
    """Innovations a form export names and the hub does not have yet, with their leads."""
    a = state.parsed.assessments.a
    wanted: dict[str, tuple[object, str, dict, object]] = {}
    for (creates, ref, name), i in first_rows(
        a["creates"], a["innovation_ref"], a["innovation"]
    ).items():
        if not creates or not name or state.innovations.find(ref, name) is not None:
            continue
        key = state.innovations.canonical(key_of(name))[1]
        if key not in wanted:
            prov = state.provenance(a["sheet"][i], a["row"][i])
            wanted[key] = (ref, name, prov, a["organisation"][i])
    rows = [
        (None, {"ref": ref, "name": name, "name_key": name_key(name), **prov})
        for ref, name, prov, _ in wanted.values()
    ]
    ids = write(state, state.innovations, rows)
    _add_leads(state, ids, [organisation for *_, organisation in wanted.values()])


def _add_leads(state: LoadState, ids: list[int], organisations: list[object]) -> None:
    """Link new innovations to their lead organisations, where the hub knows the name."""
    links = Columns()
    for record_id, organisation in zip(ids, organisations, strict=True):
        org = state.organisations.find(None, organisation) if organisation else None
        if org is not None:
            links.add(
                {
                    "innovation_id": record_id,
                    "organisation_id": org,
                    "role": "lead",
                    "batch_id": state.batch_id,
                }
            )
    state.journal.insert(
        "innovation_organisations", links.data, ("innovation_id", "organisation_id", "role")
    )


def _links_of(
    state: LoadState,
    wanted_links: dict[str, dict[int, set]],
    innovation_id: int,
    records: Records,
    i: int,
) -> None:
    """Collect the wanted regions, themes, target groups and organisations of a row."""
    for fname, table, _ in INNOVATION_LINKS:
        if records.has(fname):
            wanted_links.setdefault(table, {})[innovation_id] = set(records.get(fname, i) or [])
    if records.has("lead_organisation") or records.has("partner_organisations"):
        wanted = set()
        lead = records.get("lead_organisation", i)
        if lead:
            wanted.add((state.organisations.find(None, lead), "lead"))
        for partner in records.get("partner_organisations", i) or []:
            wanted.add((state.organisations.find(None, partner), "partner"))
        wanted_links.setdefault("innovation_organisations", {})[innovation_id] = wanted


def _replace_links(state: LoadState, table: str, wanted: dict[int, set]) -> None:
    """Make each innovation's links of ``table`` the wanted ones: delete the others, add new."""
    columns, where = _link_columns(table)
    current = _current_links(state.cur, table, columns, where, list(wanted))
    gone, added = Columns(), Columns()
    for innovation_id, items in wanted.items():
        have = current.get(innovation_id, set())
        for item in have - items:
            gone.add({"innovation_id": innovation_id, **_item(columns, item)})
        for item in sorted(items - have, key=str):
            added.add(
                {
                    "innovation_id": innovation_id,
                    **_item(columns, item),
                    "batch_id": state.batch_id,
                }
            )
    state.journal.delete(table, gone.data)
    state.journal.insert(table, added.data, ("innovation_id", *columns))


def _link_columns(table: str) -> tuple[tuple[str, ...], str]:
    """A link table's columns besides the innovation, and which of its rows a sheet owns."""
    if table == "innovation_organisations":
        return ("organisation_id", "role"), ORGANISATION_ROLES
    return (next(c for _, t, c in INNOVATION_LINKS if t == table),), ""


def _current_links(
    cur: Cursor, table: str, columns: tuple[str, ...], where: str, ids: list[int]
) -> dict[int, set]:
    current: dict[int, set] = {}
    for row in cur.execute(
        f"SELECT innovation_id, {', '.join(columns)} FROM {table} "
        f"WHERE innovation_id IN (SELECT unnest(?::INTEGER[])) {where}",
        [ids],
    ).fetchall():
        current.setdefault(row[0], set()).add(row[1:] if len(columns) > 1 else row[1])
    return current


def _item(columns: tuple[str, ...], item: object) -> dict:
    values = item if isinstance(item, tuple) else (item,)
    return dict(zip(columns, values, strict=True))


def _note_stage(state: LoadState, innovation_id: int, records: Records, i: int) -> None:
    """An innovation's stage enters its history when the history does not have it yet."""
    stage = records.get("stage", i)
    when = records.get("modified_on", i) or records.get("created_on", i)
    if stage and when:
        state.stage_notes.append((innovation_id, stage, when, records.sheet, records.rows[i]))


# participants and the development path ----------------------------------------------------------
def load_participants(state: LoadState) -> None:
    """Participants rows link an innovation to an organisation in a role; links the hub has
    already are left as they are (the Innovations sheet owns its leads and partners)."""
    link_key = ("innovation_id", "organisation_id", "role")
    existing = existing_keys(state.cur, "innovation_organisations", link_key)
    rows = Columns()
    for records in state.parsed.records.get("Participants", []):
        for i in range(len(records)):
            key = (
                state.innovation_of(records.get("innovation", i)),
                state.organisations.find(None, records.get("organisation", i)),
                records.get("role", i),
            )
            if key in existing or None in key:
                continue
            existing.add(key)
            rows.add({**dict(zip(link_key, key, strict=True)), "batch_id": state.batch_id})
    state.journal.insert("innovation_organisations", rows.data, link_key)
    state.summary.add("participants_new", n=rows.size)


STEP_KEY = ("innovation_id", "step_on", "step")


def load_development_path(state: LoadState) -> None:
    """Steps of the development path by innovation, date and step: new ones added, a changed
    description updated."""
    existing = {
        tuple(r[:3]): r[3]
        for r in state.cur.execute(
            "SELECT innovation_id, step_on, step, description FROM development_steps"
        ).fetchall()
    }
    new, changed = Columns(), Columns()
    for records in state.parsed.records.get("DevelopmentPath", []):
        for i, row in enumerate(records.rows):
            key = (
                state.innovation_of(records.get("innovation", i)),
                records.get("step_on", i),
                records.get("step", i),
            )
            description = records.get("description", i)
            full = {
                **dict(zip(STEP_KEY, key, strict=True)),
                "description": description,
                **state.provenance(records.sheet, row),
            }
            if key not in existing:
                new.add(full)
            elif existing[key] != description:
                changed.add(full)
            existing[key] = description
    state.journal.insert("development_steps", new.data, STEP_KEY)
    state.journal.update("development_steps", changed.data, STEP_KEY)
    state.summary.add("development_steps_new", n=new.size)


# stage history and answers ----------------------------------------------------------------------
def load_stage_history(state: LoadState) -> None:
    """The stages noted with innovations, then the StageHistory sheets; rows the hub already
    has are left out (the sheets' ones reported as skipped)."""
    stage_key = ("innovation_id", "stage_code", "entered_on")
    existing = existing_keys(state.cur, "stage_history", stage_key)
    rows = Columns()
    _add_noted_stages(state, existing, rows)
    _add_history_rows(state, existing, rows)
    state.journal.insert("stage_history", rows.data, stage_key)
    state.summary.add("stage_history_new", n=rows.size)


def _add_noted_stages(state: LoadState, existing: set[tuple], rows: Columns) -> None:
    """Add to ``rows`` (and ``existing``) each noted stage its innovation never had."""
    stages = {(r[0], r[1]) for r in existing}
    for innovation_id, stage, when, sheet, row in state.stage_notes:
        if (innovation_id, stage) not in stages:
            stages.add((innovation_id, stage))
            existing.add((innovation_id, stage, when))
            rows.add(
                {
                    "innovation_id": innovation_id,
                    "stage_code": stage,
                    "entered_on": when,
                    **state.provenance(sheet, row),
                }
            )


def _add_history_rows(state: LoadState, existing: set[tuple], rows: Columns) -> None:
    """Add to ``rows`` (and ``existing``) each StageHistory row not in ``existing``."""
    for records in state.parsed.records.get("StageHistory", []):
        for i, row in enumerate(records.rows):
            innovation_id = state.innovation_of(records.get("innovation", i))
            key = (innovation_id, records.get("stage", i), records.get("entered_on", i))
            if key in existing:
                state.summary.skip(records.sheet, row, "already_in_hub")
                continue
            existing.add(key)
            rows.add(
                {
                    "innovation_id": key[0],
                    "stage_code": key[1],
                    "entered_on": key[2],
                    "note": records.get("note", i),
                    **state.provenance(records.sheet, row),
                }
            )


def load_answers(state: LoadState) -> None:
    """Developer answers by innovation and question number: new ones added, changed updated."""
    existing = {
        (r[0], r[1]): r
        for r in state.cur.execute(
            "SELECT innovation_id, question_no, question, answer, answered_on "
            "FROM developer_answers"
        ).fetchall()
    }
    new, changed = Columns(), Columns()
    for records in state.parsed.records.get("Answers", []):
        for i, row in enumerate(records.rows):
            key = (state.innovation_of(records.get("innovation", i)), records.get("question_no", i))
            text = tuple(records.get(f, i) for f in ANSWER_TEXT)
            full = {
                "innovation_id": key[0],
                "question_no": key[1],
                **dict(zip(ANSWER_TEXT, text, strict=True)),
                **state.provenance(records.sheet, row),
            }
            if key not in existing:
                new.add(full)
                existing[key] = (*key, *text)
                state.summary.add("answers_new")
            elif existing[key][2:] != text:
                changed.add(full)
                state.summary.add("answers_updated")
    state.journal.insert("developer_answers", new.data, ("innovation_id", "question_no"))
    state.journal.update("developer_answers", changed.data, ("innovation_id", "question_no"))
