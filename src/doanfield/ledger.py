"""Record keeping: plain functions over a session, each change written to the change log.

Codes are what users type; ids stay inside. Every function that changes a record logs it in the
same transaction, so the log and the records never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import String, cast, func, insert, or_
from sqlmodel import Session, SQLModel, col, select

from doanfield import changelog, checks, names, orgtree, rules, vocabulary
from doanfield.checks import Clash, Held
from doanfield.dates import MAX_DAY, MIN_DAY, bounded, format_date
from doanfield.domain import Conflict, InvalidValue, NotFound
from doanfield.engine import stream_rows
from doanfield.messages import Heading, Message, Msg, Word
from doanfield.models import (
    Absence,
    AbsenceIn,
    Assignment,
    AssignmentIn,
    Cadre,
    CadreIn,
    ChangeLog,
    Plan,
    PlanIn,
    PlanQuota,
    PolicySetting,
    Posting,
    Trip,
    TripIn,
    Unit,
    UnitIn,
    UnitParent,
    UnitSuccessor,
    validated,
)

Row = dict[str, Any]
T = TypeVar("T", bound=SQLModel)


# ------------------------------------------------------------------------ change log


def log_change(
    session: Session,
    entity: str,
    key: str,
    action: str,
    before: Row | None = None,
    after: Row | None = None,
) -> None:
    """Append an entry, chained to the last one (the writer holds the ledger's write lock)."""
    log_changes(session, [(entity, key, action, before, after)])


Change = tuple[str, str, str, Row | None, Row | None]  # entity, key, action, before, after


def log_changes(session: Session, changes: Iterable[Change]) -> None:
    """Append entries in order, each chained to the one before: the last one is read once, so
    that an import logging every record it adds stays quick. One statement per entry: the
    database's guard checks each against the entry before it."""
    session.flush()
    last = session.exec(
        select(ChangeLog.at, ChangeLog.entry_hash).order_by(col(ChangeLog.id).desc()).limit(1)
    ).first()
    # On a shared server, the server's clock: desks' clocks disagree.
    now = (
        session.exec(select(func.clock_timestamp())).one()
        if session.get_bind().dialect.name == "postgresql"
        else datetime.now(UTC)
    )
    at = changelog.entry_time(now, last[0] if last else None)
    prev_hash = last[1] if last else changelog.GENESIS
    os_user = session.info.get("os_user", "unknown")
    command = session.info.get("command", "doanfield")
    for entity, key, action, before, after in changes:
        entry = {
            "at": at,
            "os_user": os_user,
            "command": command,
            "entity": entity,
            "key": key,
            "action": action,
            "before": json.dumps(before, ensure_ascii=False, default=str) if before else None,
            "after": json.dumps(after, ensure_ascii=False, default=str) if after else None,
            "prev_hash": prev_hash,
        }
        entry["entry_hash"] = prev_hash = changelog.entry_hash(**entry)
        session.execute(insert(ChangeLog).values(**entry))


def change_log(session: Session, limit: int) -> list[Row]:
    entries = session.exec(select(ChangeLog).order_by(col(ChangeLog.id).desc()).limit(limit))
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(timespec="seconds"),
            "os_user": e.os_user,
            "command": e.command,
            "entity": e.entity,
            "key": e.key,
            "action": e.action,
            "before": e.before or "",
            "after": e.after or "",
        }
        for e in entries
    ]


# ------------------------------------------------------------------------ look-ups


def _by_code(session: Session, model: type[T], code: str, what: Msg) -> T:
    found = session.exec(select(model).where(model.code == code)).first()  # type: ignore[attr-defined]
    if found is None:
        codes = list(session.exec(select(model.code)))  # type: ignore[attr-defined]
        hint = names.closest(code, codes)
        suffix = Msg.DID_YOU_MEAN(code=hint) if hint else ""
        raise NotFound(Msg.UNKNOWN_CODE, what=what, code=code, hint=suffix)
    return found


def get_unit(session: Session, code: str) -> Unit:
    return _by_code(session, Unit, code, Msg.UNIT)


def get_cadre(session: Session, code: str) -> Cadre:
    return _by_code(session, Cadre, code, Msg.CADRE)


def get_plan(session: Session, code: str) -> Plan:
    return _by_code(session, Plan, code, Msg.PLAN)


def _by_id(session: Session, model: type[T], ident: int, what: Msg) -> T:
    found = session.get(model, ident)
    if found is None:
        raise NotFound(Msg.UNKNOWN_ID, what=what, id=ident)
    return found


def unit_codes(session: Session, among: Any = None) -> dict[int, str]:
    """Each unit's code, by id; `among`: only the ids this subquery selects."""
    query = select(Unit.id, Unit.code)
    if among is not None:
        query = query.where(col(Unit.id).in_(among))
    return {uid: code for uid, code in session.exec(query) if uid is not None}


def unit_levels(session: Session) -> dict[int | None, str]:
    """Each unit's level, by id: what days by host level group the hosts by."""
    query = select(Unit.id, Unit.level)
    return {uid: level for uid, level in session.exec(query) if uid is not None}


# ------------------------------------------------------------------------ the organisation


def organisation(session: Session) -> orgtree.Organisation:
    """Every unit with its life, parent links and successors, in three reads (by code).

    Plain Core rows: a national ledger has thousands of units and every report reads them."""
    conn = session.connection()
    codes: dict[int, str] = {}
    units = []
    for ident, code, name, level, first, last in conn.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.level).add_columns(
            col(Unit.active_from), col(Unit.active_to)
        )
    ):
        codes[ident] = code
        units.append(orgtree.Life(code, name, level, first, last))
    links = [
        orgtree.Link(codes[unit], codes[parent] if parent is not None else None, start)
        for unit, parent, start in conn.execute(
            select(UnitParent.unit_id, col(UnitParent.parent_id), col(UnitParent.start))
        )
    ]
    successors = [
        (codes[old], codes[new])
        for old, new in conn.execute(select(UnitSuccessor.unit_id, UnitSuccessor.successor_id))
    ]
    return orgtree.Organisation(units, links, successors)


def postings_of(
    session: Session, cadre_ids: Collection[int] | None = None
) -> dict[int, list[orgtree.Posting]]:
    """Each cadre's postings, earliest first, in one read (all cadres, or those given)."""
    query = select(
        Posting.cadre_id, Unit.code, Posting.category, Posting.position, Posting.start
    ).join(Unit, col(Unit.id) == Posting.unit_id)
    if cadre_ids is not None and len(cadre_ids) <= 900:
        query = query.where(col(Posting.cadre_id).in_(list(cadre_ids)))
    found: dict[int, list[orgtree.Posting]] = {}
    for cadre_id, unit, category, position, start in session.connection().execute(query):
        if cadre_ids is None or cadre_id in cadre_ids:
            found.setdefault(cadre_id, []).append(orgtree.Posting(unit, category, position, start))
    return {
        ident: postings if len(postings) == 1 else orgtree.sorted_postings(postings)
        for ident, postings in found.items()
    }


def cadres_posted_at(session: Session, units: Collection[str]) -> set[int]:
    """The cadres with a posting (at any time) at one of `units` (codes)."""
    wanted = {ident for ident, code in unit_codes(session).items() if code in units}
    query = select(Posting.cadre_id, Posting.unit_id).distinct()
    return {
        cadre_id for cadre_id, unit_id in session.connection().execute(query) if unit_id in wanted
    }


def current_posting(
    cadre: Cadre, postings: Sequence[orgtree.Posting], today: date
) -> orgtree.Posting:
    """The posting in force today, or on the post's last (first) day when it is over (not yet
    begun): what lists and exports show and `cadre edit` corrects."""
    day = orgtree.nearest_day(cadre.active_from, cadre.active_to, today)
    return orgtree.posting_on(postings, day)


def _current_posting_row(session: Session, cadre: Cadre) -> Posting:
    """The stored posting row that `current_posting` names."""
    rows = sorted(
        session.exec(select(Posting).where(Posting.cadre_id == cadre.id)).all(),
        key=lambda p: p.start or date.min,
    )
    day = orgtree.nearest_day(cadre.active_from, cadre.active_to, today_of(session))
    return [p for p in rows if p.start is None or p.start <= day][-1]


# ------------------------------------------------------------------------ units


def unit_row(org: orgtree.Organisation, code: str, parent: str | None) -> Row:
    life = org.life(code)
    return {
        "code": code,
        "name": life.name,
        "level": life.level,
        "parent": parent or "",
        "active_from": format_date(life.active_from),
        "active_to": format_date(life.active_to),
        "successors": " ".join(org.successors(code)),
    }


def _life_clash(session: Session, data: UnitIn) -> Clash | None:
    """A new unit under a parent that does not exist all its life, or with a successor that
    does not exist the day after its last."""
    if data.parent:
        life, successors = unit_life(session, data.parent)
        clash = checks.parent_not_alive(
            data.code, life, successors, data.active_from, data.active_to
        )
        if clash is not None:
            return clash
    return successors_clash(
        data.code, data.active_to, [unit_life(session, s)[0] for s in data.successors]
    )


def successors_clash(
    code: str, last: date | None, successors: Sequence[orgtree.Life]
) -> Clash | None:
    """A unit's successors must exist on the day after its last."""
    if last is None:
        return None
    following = last + timedelta(days=1)
    for life in successors:
        if not life.alive(following):
            return checks.successor_not_alive(code, life, following)
    return None


def unit_record(data: UnitIn) -> Row:
    """A unit's input in the shape of `unit_row` (to compare with a stored unit)."""
    return {
        "code": data.code,
        "name": data.name,
        "level": data.level,
        "parent": data.parent or "",
        "active_from": format_date(data.active_from),
        "active_to": format_date(data.active_to),
        "successors": " ".join(sorted(data.successors)),
    }


def _loop_in(session: Session) -> str | None:
    return organisation(session).has_loop()


def add_unit(session: Session, data: UnitIn, new_level: bool = False) -> Unit:
    """Add a unit; its level must be known or used already, unless `new_level` says it is new."""
    if session.exec(select(Unit.id).where(Unit.code == data.code)).first() is not None:
        raise Conflict(Msg.ALREADY_EXISTS, what=Msg.UNIT, code=data.code)
    parent_id = get_unit(session, data.parent).id if data.parent else None
    data.level = resolve_level(session, data.level, new=new_level)
    checks.refuse(_life_clash(session, data))
    unit = Unit(
        code=data.code,
        name=data.name,
        level=data.level,
        active_from=data.active_from,
        active_to=data.active_to,
    )
    session.add(unit)
    session.flush()
    if parent_id is not None:
        session.add(UnitParent(unit_id=unit.id or 0, parent_id=parent_id))
    for successor in data.successors:
        session.add(
            UnitSuccessor(unit_id=unit.id or 0, successor_id=get_unit(session, successor).id or 0)
        )
    session.flush()
    log_change(session, "unit", unit.code, "add", after=data.model_dump(mode="json"))
    return unit


def update_unit(session: Session, data: UnitIn) -> bool:
    """Correct a stored unit to `data` (name, level, current parent, life, successors);
    False when nothing differs."""
    unit = get_unit(session, data.code)
    today = today_of(session)
    org = organisation(session)
    before = unit_row(org, unit.code, org.current_parent(unit.code, today))
    parent_id = get_unit(session, data.parent).id if data.parent else None
    successors = [get_unit(session, code).id or 0 for code in data.successors]
    level = resolve_level(session, data.level)
    unit.name, unit.level = data.name, level
    unit.active_from, unit.active_to = data.active_from, data.active_to
    session.add(unit)
    if (before["parent"] or None) != data.parent:
        _correct_current_parent(session, unit, parent_id, today)
    if before["successors"] != " ".join(sorted(data.successors)):
        for row in session.exec(select(UnitSuccessor).where(UnitSuccessor.unit_id == unit.id)):
            session.delete(row)
        session.flush()
        for successor in successors:
            session.add(UnitSuccessor(unit_id=unit.id or 0, successor_id=successor))
    session.flush()
    if _loop_in(session) is not None:
        raise InvalidValue(Msg.UNIT_UNDER_ITSELF, code=data.code)
    org = organisation(session)
    checks.refuse(next(life_contradictions(session, {unit.code}), None))
    checks.refuse(
        successors_clash(unit.code, unit.active_to, [org.life(s) for s in data.successors])
    )
    for link, first, last in org.link_spans(unit.code):
        if link.parent is not None:
            above = org.life(link.parent)
            clash = checks.parent_not_alive(
                unit.code, above, org.successors(above.code), first, last
            )
            checks.refuse(clash)
    after = unit_row(org, unit.code, org.current_parent(unit.code, today))
    if after == before:
        return False
    log_change(session, "unit", unit.code, "edit", before=before, after=after)
    return True


def _correct_current_parent(
    session: Session, unit: Unit, parent_id: int | None, today: date
) -> None:
    """The link in force today (the unit's last or first day if it is not alive) names
    `parent_id` instead; a unit with no link gets one from the beginning."""
    links = sorted(
        session.exec(select(UnitParent).where(UnitParent.unit_id == unit.id)).all(),
        key=lambda k: k.start or date.min,
    )
    day = orgtree.nearest_day(unit.active_from, unit.active_to, today)
    current = [k for k in links if k.start is None or k.start <= day]
    if current:
        current[-1].parent_id = parent_id
        session.add(current[-1])
    elif parent_id is not None:
        session.add(UnitParent(unit_id=unit.id or 0, parent_id=parent_id))
    session.flush()


def list_units(session: Session, on: date | None = None) -> list[Row]:
    """The tree on `on` (the units alive that day, each under its parent as of that day), or,
    without `on`, every unit ever under its current parent; each unit followed by those below
    it, siblings by code."""
    org = organisation(session)
    if on is not None:
        return [unit_row(org, code, org.parent_on(code, on)) for code, _ in org.tree_on(on)]
    today = today_of(session)
    parents = {code: org.current_parent(code, today) for code in org.units}
    children: dict[str | None, list[str]] = {}
    for code, parent in parents.items():
        children.setdefault(parent if parent in parents else None, []).append(code)
    ordered: list[str] = []
    stack = sorted(children.get(None, []), key=names.sort_key, reverse=True)
    seen: set[str] = set()
    while stack:
        code = stack.pop()
        if code in seen:
            continue
        seen.add(code)
        ordered.append(code)
        stack.extend(sorted(children.get(code, []), key=names.sort_key, reverse=True))
    ordered += sorted(set(parents) - seen, key=names.sort_key)  # a loop written by hand
    return [unit_row(org, code, parents[code]) for code in ordered]


# ------------------------------------------------------------------------ cadres


def cadre_row(cadre: Cadre, posting: orgtree.Posting) -> Row:
    """A cadre with one posting (usually the current one) as a list row."""
    return {
        "code": cadre.code,
        "name": cadre.name,
        "unit": posting.unit,
        "position": posting.position,
        "category": posting.category,
        "birth_date": format_date(cadre.birth_date),
        "gender": cadre.gender or "",
        "active_from": format_date(cadre.active_from),
        "active_to": format_date(cadre.active_to),
        "given_name": cadre.given_name or "",
    }


def current_row(session: Session, cadre: Cadre) -> Row:
    postings = postings_of(session, [cadre.id or 0])[cadre.id or 0]
    return cadre_row(cadre, current_posting(cadre, postings, today_of(session)))


def _apply_person(cadre: Cadre, data: CadreIn) -> None:
    cadre.name = data.name
    cadre.birth_date = data.birth_date
    cadre.gender = data.gender or None
    cadre.active_from = data.active_from
    cadre.active_to = data.active_to
    cadre.given_name = data.given_name or None


def add_cadre(session: Session, data: CadreIn) -> Cadre:
    """Add a cadre with their first posting (open at its start)."""
    if session.exec(select(Cadre.id).where(Cadre.code == data.code)).first() is not None:
        raise Conflict(Msg.ALREADY_EXISTS, what=Msg.CADRE, code=data.code)
    checks.refuse(cadre_clash(session, data, None))
    unit = get_unit(session, data.unit)
    cadre = Cadre(code=data.code, name=data.name)
    _apply_person(cadre, data)
    session.add(cadre)
    session.flush()
    session.add(
        Posting(
            cadre_id=cadre.id or 0,
            unit_id=unit.id or 0,
            category=data.category.value,
            position=data.position,
        )
    )
    session.flush()
    log_change(session, "cadre", cadre.code, "add", after=data.model_dump(mode="json"))
    return cadre


def cadre_input(session: Session, code: str, changes: Row, cleared: Sequence[str] = ()) -> CadreIn:
    """The cadre's current values with `changes` laid over them and `cleared` emptied,
    validated."""
    current = current_row(session, get_cadre(session, code))
    merged = {k: (v if v != "" else None) for k, v in current.items()}
    merged.update({k: v for k, v in changes.items() if v is not None})
    merged.update(dict.fromkeys(cleared))
    merged["position"] = merged.get("position") or ""
    merged["category"] = merged.get("category") or "other"
    return validated(CadreIn, merged)


def update_cadre(session: Session, data: CadreIn) -> bool:
    """Correct a cadre's details and their current posting (no new history: `cadre move`
    records a new posting)."""
    cadre = get_cadre(session, data.code)
    checks.refuse(cadre_clash(session, data, cadre.id))
    before = current_row(session, cadre)
    posting = _current_posting_row(session, cadre)
    _apply_person(cadre, data)
    posting.unit_id = get_unit(session, data.unit).id or 0
    posting.category, posting.position = data.category.value, data.position
    session.add(cadre)
    session.add(posting)
    session.flush()
    after = current_row(session, cadre)
    if after == before:
        return False
    log_change(session, "cadre", cadre.code, "edit", before=before, after=after)
    return True


def remove_cadre(session: Session, code: str) -> None:
    cadre = get_cadre(session, code)
    counts = {
        Msg.N_TRIPS: session.exec(select(func.count()).where(Trip.cadre_id == cadre.id)).one(),
        Msg.N_ASSIGNMENTS: session.exec(
            select(func.count()).where(Assignment.cadre_id == cadre.id)
        ).one(),
        Msg.N_ABSENCES: session.exec(
            select(func.count()).where(Absence.cadre_id == cadre.id)
        ).one(),
    }
    held = [what(n=n) for what, n in counts.items() if n]
    if held:
        raise Conflict(Msg.CADRE_HAS_RECORDS, code=code, held=held)
    before = current_row(session, cadre)
    session.delete(cadre)  # and their postings (ON DELETE CASCADE)
    log_change(session, "cadre", code, "remove", before=before)


def list_cadres(session: Session, unit: str | None = None) -> list[Row]:
    """Cadres with their current posting; `unit`: those whose current posting is at the unit,
    at one it was formed from, or under one of them, on the day that posting is shown for."""
    today = today_of(session)
    cadres = sorted(
        session.exec(select(Cadre)).all(), key=lambda c: names.cadre_sort_key(c.name, c.given_name)
    )
    postings = postings_of(session)
    org = organisation(session) if unit else None
    roots: set[str] = set()
    if unit and org is not None:
        roots = {get_unit(session, unit).code} | org.predecessors(unit)
    rows = []
    for cadre in cadres:
        day = orgtree.nearest_day(cadre.active_from, cadre.active_to, today)
        posting = orgtree.posting_on(postings[cadre.id or 0], day)
        if org is not None and not org.within(posting.unit, day, roots):
            continue
        rows.append(cadre_row(cadre, posting))
    return rows


# ------------------------------------------------------------------------ trips


def trip_row(trip: Trip, cadre_code: str, codes: dict[int, str]) -> Row:
    return {
        "id": trip.id,
        "cadre": cadre_code,
        "start": format_date(trip.start),
        "end": format_date(trip.end),
        "kind": trip.kind,
        "place": trip.place,
        "unit": codes.get(trip.unit_id, "") if trip.unit_id is not None else "",
        "program": trip.program,
        "note": trip.note,
        "order": trip.travel_order,
        "report_date": format_date(trip.report_date),
        "report": trip.report or "",
    }


TRIP_FIELDS = ("cadre", "start", "end", "kind", "place", "unit", "program", "note", "order")


def _apply_trip(session: Session, trip: Trip, data: TripIn, ident: int | None = None) -> None:
    """Set a trip to `data` once every check has passed (`ident`: the trip being edited)."""
    cadre = get_cadre(session, data.cadre)
    host = get_unit(session, data.unit).id if data.unit else None
    checks.refuse(trip_clash(session, cadre, data, ident))
    trip.cadre_id = cadre.id or 0
    trip.start, trip.end = data.start, data.end
    trip.kind, trip.place = data.kind.value, data.place
    trip.unit_id, trip.program, trip.note = host, data.program, data.note
    trip.travel_order = data.order
    if trip.report_date is not None and trip.report_date < data.start:
        raise InvalidValue(
            Msg.REPORT_BEFORE_NEW_START, what=Msg.TRIP, id=ident, date=trip.report_date
        )


def add_trip(session: Session, data: TripIn) -> Trip:
    trip = Trip(cadre_id=0, start=data.start, end=data.end)
    _apply_trip(session, trip, data)
    session.add(trip)
    session.flush()
    log_change(session, "trip", f"#{trip.id}", "add", after=data.model_dump(mode="json"))
    return trip


def _edited(current: Row, changes: Row, fields: Sequence[str]) -> Row:
    """A record's fields with the given changes laid over them; '' clears an optional code."""
    merged = {key: current[key] for key in fields}
    merged.update({key: value for key, value in changes.items() if value is not None})
    return {
        key: (None if value == "" and key in OPTIONAL_CODES else value)
        for key, value in merged.items()
    }


OPTIONAL_CODES = {"unit", "plan"}


def _log_edit(session: Session, entity: str, key: str, before: Row, after: Row) -> bool:
    if after == before:
        return False
    log_change(session, entity, key, "edit", before=before, after=after)
    return True


def edit_trip(session: Session, ident: int, changes: Row) -> bool:
    """Change a trip, checked exactly like a new one (itself aside); False if nothing differs."""
    trip = _by_id(session, Trip, ident, Msg.TRIP)
    codes = unit_codes(session)
    before = trip_row(trip, get_cadre_code(session, trip.cadre_id), codes)
    data = validated(TripIn, _edited(before, changes, TRIP_FIELDS))
    _apply_trip(session, trip, data, ident)
    session.add(trip)
    return _log_edit(session, "trip", f"#{ident}", before, trip_row(trip, data.cadre, codes))


def _year_overlap(start: Any, end: Any, year: int | None) -> list[Any]:
    if year is None:
        return []
    first, last = rules.year_bounds(year)
    return [start <= last, end >= first]


def list_trips(
    session: Session, cadre: str | None = None, year: int | None = None, unit: str | None = None
) -> list[Row]:
    return list(iter_trips(session, cadre, year, unit))


def iter_trips(
    session: Session, cadre: str | None = None, year: int | None = None, unit: str | None = None
) -> Iterator[Row]:
    """Trips as rows, oldest first, streamed: a national export holds a million of them."""
    query = select(
        Trip.id,
        Cadre.code,
        Trip.start,
        Trip.end,
        Trip.kind,
        Trip.place,
        Trip.unit_id,
        Trip.program,
        Trip.note,
        Trip.travel_order,
        Trip.report_date,
        Trip.report,
    ).join(Cadre, col(Cadre.id) == Trip.cadre_id)
    codes: dict[int, str]
    if cadre:
        cadre_id = get_cadre(session, cadre).id
        query = query.where(Trip.cadre_id == cadre_id)
        # Only that cadre's hosts (the covering index has them): not a national ledger's
        # thousands of units for a few dozen trips.
        codes = unit_codes(session, select(Trip.unit_id).where(Trip.cadre_id == cadre_id))
    else:
        codes = unit_codes(session)
    for condition in _year_overlap(Trip.start, Trip.end, year):
        query = query.where(condition)
    query = query.order_by(col(Trip.start), col(Cadre.code), col(Trip.id))
    # A unit filter: trips of the unit's cadres (their posting on the trip's first day) or
    # hosted by it, on that day, with the units under it and those it was formed from.
    belongs = _trip_filter(session, unit) if unit else None
    for (
        ident,
        code,
        start,
        end,
        kind,
        place,
        unit_id,
        program,
        note,
        order,
        report_date,
        report,
    ) in stream_rows(session.connection(), query):
        if belongs is not None and not belongs(code, unit_id, start):
            continue
        yield {
            "id": ident,
            "cadre": code,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "kind": kind,
            "place": place,
            "unit": codes.get(unit_id, "") if unit_id is not None else "",
            "program": program,
            "note": note,
            "order": order,
            "report_date": report_date.isoformat() if report_date else "",
            "report": report or "",
        }


def _trip_filter(session: Session, unit: str) -> Callable[[str, int | None, date], bool]:
    """Whether a trip (its cadre's code, host id, first day) belongs to `unit`'s trips."""
    org = organisation(session)
    roots = {get_unit(session, unit).code} | org.predecessors(unit)
    codes = unit_codes(session)
    cadres = {c.code: c for c in session.exec(select(Cadre))}
    postings = postings_of(session)

    def belongs(cadre: str, host: int | None, day: date) -> bool:
        if host is not None and org.within(codes[host], day, roots):
            return True
        person = cadres[cadre]
        posting = orgtree.posting_on(postings[person.id or 0], day)
        return org.within(posting.unit, day, roots)

    return belongs


def remove_trip(session: Session, ident: int) -> None:
    trip = _by_id(session, Trip, ident, Msg.TRIP)
    before = trip_row(trip, get_cadre_code(session, trip.cadre_id), unit_codes(session))
    session.delete(trip)
    log_change(session, "trip", f"#{ident}", "remove", before=before)


def get_cadre_code(session: Session, cadre_id: int) -> str:
    return session.exec(select(Cadre.code).where(Cadre.id == cadre_id)).one()


# ------------------------------------------------------------------------ absences


def absence_row(absence: Absence, cadre_code: str) -> Row:
    return {
        "id": absence.id,
        "cadre": cadre_code,
        "start": format_date(absence.start),
        "end": format_date(absence.end),
        "reason": absence.reason,
    }


def add_absence(session: Session, data: AbsenceIn, check: bool = True) -> Absence:
    """Add an absence (`check`: False when an import has checked it against the ledger)."""
    cadre = get_cadre(session, data.cadre)
    if check:
        checks.refuse(absence_clash(session, cadre, data.start, data.end))
    absence = Absence(cadre_id=cadre.id or 0, start=data.start, end=data.end, reason=data.reason)
    session.add(absence)
    session.flush()
    log_change(session, "absence", f"#{absence.id}", "add", after=data.model_dump(mode="json"))
    return absence


def list_absences(session: Session, cadre: str | None = None, year: int | None = None) -> list[Row]:
    query = select(Absence, Cadre.code).join(Cadre, col(Cadre.id) == Absence.cadre_id)
    if cadre:
        query = query.where(Absence.cadre_id == get_cadre(session, cadre).id)
    for condition in _year_overlap(Absence.start, Absence.end, year):
        query = query.where(condition)
    query = query.order_by(col(Absence.start), col(Cadre.code))
    return [absence_row(a, code) for a, code in session.exec(query)]


def edit_absence(session: Session, ident: int, changes: Row) -> bool:
    """Change an absence, checked exactly like a new one (itself aside)."""
    absence = _by_id(session, Absence, ident, Msg.ABSENCE)
    before = absence_row(absence, get_cadre_code(session, absence.cadre_id))
    data = validated(AbsenceIn, _edited(before, changes, ("cadre", "start", "end", "reason")))
    cadre = get_cadre(session, data.cadre)
    checks.refuse(absence_clash(session, cadre, data.start, data.end, ident))
    absence.cadre_id = cadre.id or 0
    absence.start, absence.end, absence.reason = data.start, data.end, data.reason
    session.add(absence)
    return _log_edit(session, "absence", f"#{ident}", before, absence_row(absence, cadre.code))


def remove_absence(session: Session, ident: int) -> None:
    absence = _by_id(session, Absence, ident, Msg.ABSENCE)
    before = absence_row(absence, get_cadre_code(session, absence.cadre_id))
    session.delete(absence)
    log_change(session, "absence", f"#{ident}", "remove", before=before)


# ------------------------------------------------------------------------ assignments


def assignment_row(
    a: Assignment, cadre_code: str, codes: dict[int, str], plans: dict[int, str], as_of: date
) -> Row:
    return {
        "id": a.id,
        "cadre": cadre_code,
        "host": codes.get(a.host_id, ""),
        "start": format_date(a.start),
        "end": format_date(a.end),
        "role": a.role,
        "decision": a.decision,
        "plan": plans.get(a.plan_id, "") if a.plan_id is not None else "",
        "status": rules.assignment_status(a.start, a.end, as_of, a.cancelled).value,
        "report_date": format_date(a.report_date),
        "report": a.report or "",
    }


def add_assignment(
    session: Session, data: AssignmentIn, cancelled: bool = False, check: bool = True
) -> Assignment:
    """Add an assignment (`check`: False when an import has checked it against the ledger)."""
    cadre = get_cadre(session, data.cadre)
    host = get_unit(session, data.host)
    plan_id = get_plan(session, data.plan).id if data.plan else None
    if check:
        checks.refuse(
            assignment_clash(session, cadre, data.start, data.end, cancelled, host=data.host)
        )
    assignment = Assignment(
        cadre_id=cadre.id or 0,
        host_id=host.id or 0,
        start=data.start,
        end=data.end,
        role=data.role,
        decision=data.decision,
        plan_id=plan_id,
        cancelled=cancelled,
    )
    session.add(assignment)
    session.flush()
    log_change(
        session, "assignment", f"#{assignment.id}", "add", after=data.model_dump(mode="json")
    )
    return assignment


def plan_codes(session: Session) -> dict[int, str]:
    return {pid: code for pid, code in session.exec(select(Plan.id, Plan.code)) if pid is not None}


def list_assignments(
    session: Session, as_of: date, year: int | None = None, plan: str | None = None
) -> list[Row]:
    query = select(Assignment, Cadre.code).join(Cadre, col(Cadre.id) == Assignment.cadre_id)
    if plan:
        query = query.where(Assignment.plan_id == get_plan(session, plan).id)
    for condition in _year_overlap(Assignment.start, Assignment.end, year):
        query = query.where(condition)
    query = query.order_by(col(Assignment.start), col(Cadre.code))
    codes, plans = unit_codes(session), plan_codes(session)
    return [assignment_row(a, code, codes, plans, as_of) for a, code in session.exec(query)]


ASSIGNMENT_FIELDS = ("cadre", "host", "start", "end", "role", "decision", "plan")


def edit_assignment(session: Session, ident: int, changes: Row, months: int | None = None) -> bool:
    """Change an assignment, checked exactly like a new one (itself aside).

    `months` sets the end from the (new or stored) start, as `assignment add --months` does.
    """
    assignment = _by_id(session, Assignment, ident, Msg.ASSIGNMENT)
    codes, plans = unit_codes(session), plan_codes(session)
    as_of = today_of(session)
    cadre_code = get_cadre_code(session, assignment.cadre_id)
    before = assignment_row(assignment, cadre_code, codes, plans, as_of)
    merged = _edited(before, changes, ASSIGNMENT_FIELDS)
    if months is not None:
        start = merged["start"]
        start = start if isinstance(start, date) else date.fromisoformat(start)
        merged["end"] = rules.end_for_months(start, months)
    data = validated(AssignmentIn, merged)
    cadre = get_cadre(session, data.cadre)
    host = get_unit(session, data.host)
    plan_id = get_plan(session, data.plan).id if data.plan else None
    checks.refuse(
        assignment_clash(
            session, cadre, data.start, data.end, assignment.cancelled, ident, host=data.host
        )
    )
    if assignment.report_date is not None and assignment.report_date < data.start:
        raise InvalidValue(
            Msg.REPORT_BEFORE_NEW_START, what=Msg.ASSIGNMENT, id=ident, date=assignment.report_date
        )
    assignment.cadre_id, assignment.host_id, assignment.plan_id = (
        cadre.id or 0,
        host.id or 0,
        plan_id,
    )
    assignment.start, assignment.end = data.start, data.end
    assignment.role, assignment.decision = data.role, data.decision
    session.add(assignment)
    after = assignment_row(assignment, cadre.code, codes, plans, as_of)
    return _log_edit(session, "assignment", f"#{ident}", before, after)


def _report_fields(record: Assignment | Trip) -> Row:
    return {"report_date": format_date(record.report_date), "report": record.report or ""}


def _assignment_change(session: Session, ident: int) -> tuple[Assignment, Row]:
    assignment = _by_id(session, Assignment, ident, Msg.ASSIGNMENT)
    return assignment, {"cancelled": assignment.cancelled, **_report_fields(assignment)}


def file_report(session: Session, ident: int, on: date, text: str) -> None:
    """File the report after assignment #ident (`assignment report`)."""
    assignment, before = _assignment_change(session, ident)
    _file(session, assignment, "assignment", Msg.ASSIGNMENT, ident, on, text, before)


def file_trip_report(session: Session, ident: int, on: date, text: str) -> None:
    """File the report after trip #ident (`trip report`)."""
    trip = _by_id(session, Trip, ident, Msg.TRIP)
    _file(session, trip, "trip", Msg.TRIP, ident, on, text, _report_fields(trip))


def _file(
    session: Session,
    record: Assignment | Trip,
    entity: str,
    what: Msg,
    ident: int,
    on: date,
    text: str,
    before: Row,
) -> None:
    """A report on `on`: not empty, not before the stay began; filing again replaces it."""
    if not text.strip():
        raise InvalidValue(Msg.REPORT_EMPTY, what=what, id=ident)
    if on < record.start:
        raise InvalidValue(
            Msg.REPORT_BEFORE_START, what=what, date=on, id=ident, start=record.start
        )
    record.report_date, record.report = on, text.strip()
    session.add(record)
    after = {**before, "report_date": on.isoformat(), "report": record.report}
    log_change(session, entity, f"#{ident}", "report", before=before, after=after)


def cancel_assignment(session: Session, ident: int) -> None:
    assignment, before = _assignment_change(session, ident)
    if assignment.cancelled:
        raise Conflict(Msg.ALREADY_CANCELLED, id=ident)
    assignment.cancelled = True
    session.add(assignment)
    log_change(
        session, "assignment", f"#{ident}", "cancel", before=before, after={"cancelled": True}
    )


# ------------------------------------------------------------------------ plans


def quota_levels(
    session: Session, texts: Iterable[str], also: Iterable[str] = ()
) -> dict[str, str]:
    """Each level as typed -> the level it names (known, or used by a unit, or in `also`)."""
    used = [*used_levels(session), *also]
    resolved: dict[str, str] = {}
    for text in texts:
        level, clash = checks.unknown_level(text, used)
        checks.refuse(clash)
        resolved[text] = level
    return resolved


def plan_input(
    session: Session, code: str, year: int, title: str, targets: Row, ages: Row
) -> PlanIn:
    """A new plan from `--quota LEVEL=COUNT` and `--max-age LEVEL=AGE`, levels in any words."""
    quotas = _quotas_set({}, session, targets, ages, ())
    return validated(
        PlanIn,
        {
            "code": code,
            "year": year,
            "title": title,
            "quotas": [
                {"level": level, "target": target, "max_age": age}
                for level, (target, age) in quotas.items()
            ],
        },
    )


Quotas = dict[str, tuple[int, int | None]]  # level -> (target, max age)


def _quotas_set(
    stored: Quotas,
    session: Session,
    targets: Row,
    ages: Row,
    drop: Iterable[str],
    drop_ages: Iterable[str] = (),
) -> Quotas:
    """`stored` with quotas set or replaced, dropped, and age limits set or cleared."""
    drop, drop_ages = list(drop), list(drop_ages)
    words = quota_levels(session, [*targets, *ages, *drop, *drop_ages], also=stored)
    quotas = dict(stored)
    for text in drop:
        if words[text] not in quotas:
            raise InvalidValue(Msg.PLAN_NO_QUOTA_TO_DROP, level=text)
        del quotas[words[text]]
    named: dict[str, str] = {}
    for text, target in targets.items():
        level = words[text]
        if level in named:
            raise InvalidValue(
                Msg.PLAN_LEVEL_SAME, first=named[level], second=text, level=Word(level, "level")
            )
        named[level] = text
        quotas[level] = (target, quotas.get(level, (0, None))[1])
    for text, age in ages.items():
        level = words[text]
        if level not in quotas:
            raise InvalidValue(Msg.MAX_AGE_WITHOUT_QUOTA, level=text)
        quotas[level] = (quotas[level][0], age)
    for text in drop_ages:
        level = words[text]
        if level not in quotas:
            raise InvalidValue(Msg.PLAN_NO_QUOTA, level=text)
        quotas[level] = (quotas[level][0], None)
    return quotas


def add_plan(session: Session, data: PlanIn) -> Plan:
    if session.exec(select(Plan.id).where(Plan.code == data.code)).first() is not None:
        raise Conflict(Msg.ALREADY_EXISTS, what=Msg.PLAN, code=data.code)
    if not data.quotas:
        raise InvalidValue(Msg.PLAN_NEEDS_QUOTA, code=data.code)
    words = quota_levels(session, [q.level for q in data.quotas])
    for quota in data.quotas:
        quota.level = words[quota.level]
    levels = [q.level for q in data.quotas]
    if len(set(levels)) != len(levels):
        raise InvalidValue(Msg.PLAN_LEVEL_TWICE, code=data.code)
    plan = Plan(code=data.code, year=data.year, title=data.title)
    session.add(plan)
    session.flush()
    for q in data.quotas:
        session.add(
            PlanQuota(plan_id=plan.id or 0, level=q.level, target=q.target, max_age=q.max_age)
        )
    log_change(session, "plan", plan.code, "add", after=data.model_dump(mode="json"))
    return plan


def _plan_record(plan: Plan, quotas: Quotas) -> Row:
    return {
        "code": plan.code,
        "year": plan.year,
        "title": plan.title,
        "quotas": [
            {"level": level, "target": target, "max_age": age}
            for level, (target, age) in quotas.items()
        ],
    }


def edit_plan(
    session: Session,
    code: str,
    changes: Row,
    targets: Row,
    ages: Row,
    drop: Iterable[str] = (),
    drop_ages: Iterable[str] = (),
) -> bool:
    """Change a plan's year or title, set or replace quotas and age limits, or drop them."""
    plan = get_plan(session, code)
    rows = {
        q.level: q
        for q in session.exec(
            select(PlanQuota).where(PlanQuota.plan_id == plan.id).order_by(col(PlanQuota.id))
        )
    }
    stored: Quotas = {level: (q.target, q.max_age) for level, q in rows.items()}
    before = _plan_record(plan, stored)
    quotas = _quotas_set(stored, session, targets, ages, drop, drop_ages)
    if not quotas:
        raise InvalidValue(Msg.PLAN_DROPS_EVERY_QUOTA, code=code)
    data = validated(
        PlanIn,
        {
            "code": code,
            "year": changes.get("year") or plan.year,
            "title": plan.title if changes.get("title") is None else changes["title"],
            "quotas": [
                {"level": level, "target": target, "max_age": age}
                for level, (target, age) in quotas.items()
            ],
        },
    )
    plan.year, plan.title = data.year, data.title
    session.add(plan)
    for level, row in rows.items():
        if level not in quotas:
            session.delete(row)
    session.flush()
    for level, (target, age) in quotas.items():
        row = rows.get(level) or PlanQuota(plan_id=plan.id or 0, level=level, target=0)
        row.target, row.max_age = target, age
        session.add(row)
    return _log_edit(session, "plan", code, before, _plan_record(plan, quotas))


def list_plans(session: Session) -> list[Row]:
    query = (
        select(Plan, PlanQuota)
        .join(PlanQuota, col(PlanQuota.plan_id) == Plan.id)
        .order_by(col(Plan.year), col(Plan.code), col(PlanQuota.id))
    )
    return [
        {
            "plan": p.code,
            "year": p.year,
            "title": p.title,
            "level": q.level,
            "target": q.target,
            "max_age": q.max_age if q.max_age is not None else "",
        }
        for p, q in session.exec(query)
    ]


def plan_quotas(session: Session, plan: Plan) -> list[rules.Quota]:
    query = select(PlanQuota).where(PlanQuota.plan_id == plan.id).order_by(col(PlanQuota.id))
    return [rules.Quota(q.level, q.target, q.max_age) for q in session.exec(query)]


# ------------------------------------------------------------------------ policy


def policy_settings(session: Session) -> list[rules.Setting]:
    """Every stored rule value, with the code of the unit it was set for (None: ledger-wide)."""
    rows = session.exec(
        select(PolicySetting.key, PolicySetting.from_year, PolicySetting.value, Unit.code).join(
            Unit, col(Unit.id) == PolicySetting.unit_id, isouter=True
        )
    )
    return [rules.Setting(k, y, v, u) for k, y, v, u in rows]


def policy_for_year(session: Session, year: int) -> rules.Policy:
    """The ledger-wide values in force in `year`."""
    return rules.policy_for_year(policy_settings(session), year)


def policies(session: Session, year: int) -> rules.UnitPolicies:
    """The values in force for each report row, read once for a whole report; the tree is
    read only when some unit has values of its own."""
    found: list[orgtree.Organisation] = []

    def chain(unit: str, day: date) -> list[str]:
        if not found:
            found.append(organisation(session))
        return orgtree.unit_chain(found[0], unit, day)

    return rules.UnitPolicies(rules.PolicyBook(policy_settings(session), year), chain)


def policy_sources(
    session: Session, year: int, unit: str | None, today: date
) -> tuple[rules.Policy, dict[str, rules.Setting]]:
    """The values in force in `year` for `unit` (None: ledger-wide), and the setting each
    comes from (a key not in it has its default). The tree is taken as it stands on the last
    day of the year, or today if that is earlier (within the unit's life)."""
    settings = policy_settings(session)
    chain: list[str] = []
    if unit is not None:
        code = get_unit(session, unit).code
        org = organisation(session)
        life = org.life(code)
        day = orgtree.nearest_day(
            life.active_from, life.active_to, rules.default_as_of(year, today)
        )
        chain = orgtree.unit_chain(org, code, day)
    return rules.policy_for_year(settings, year, chain), rules.chosen_settings(
        settings, year, chain
    )


def set_policy(
    session: Session, key: str, value: str, from_year: int, unit: str | None = None
) -> str:
    """Set a rule value from `from_year` on, ledger-wide or for `unit` and below; returns the
    value as stored (known words as their codes: 'xã=20' is stored 'commune=20')."""
    parsed = rules.parse_policy_value(key, value)
    unit_id = None
    if unit is not None:
        if key not in rules.UNIT_KEYS:
            raise InvalidValue(Msg.POLICY_NOT_PER_UNIT, key=key)
        unit_id = get_unit(session, unit).id
    if key == "min_days_by_host_level":  # a level must be known or used, as in plan quotas
        pairs: tuple[tuple[str, int], ...] = parsed  # type: ignore[assignment]
        parsed = tuple((resolve_level(session, level), days) for level, days in pairs)
    stored = rules.policy_text(key, parsed)
    existing = session.exec(
        select(PolicySetting).where(
            PolicySetting.key == key,
            PolicySetting.from_year == from_year,
            col(PolicySetting.unit_id).is_(None)
            if unit_id is None
            else PolicySetting.unit_id == unit_id,
        )
    ).first()
    scope = {"unit": unit} if unit is not None else {}
    before = (
        {"key": key, "from_year": from_year, **scope, "value": existing.value} if existing else None
    )
    if existing:
        existing.value = stored
        session.add(existing)
    else:
        session.add(PolicySetting(key=key, from_year=from_year, value=stored, unit_id=unit_id))
    log_change(
        session,
        "policy",
        f"{key}@{from_year}" + (f"@{unit}" if unit is not None else ""),
        "set",
        before=before,
        after={"key": key, "from_year": from_year, **scope, "value": stored},
    )
    return stored


def records(session: Session, kind: str, as_of: date) -> Iterable[Row]:
    """Every record of a kind, as the import reads it back (`export`)."""
    if kind == "trips":
        return iter_trips(session)
    if kind == "assignments":
        return list_assignments(session, as_of)
    if kind == "units":
        return list_units(session)
    if kind == "cadres":
        return list_cadres(session)
    if kind == "plans":
        return list_plans(session)
    return list_absences(session)


# ------------------------------------------------------------------------ contradictions


def today_of(session: Session) -> date:
    """The command's today (the hidden --today in tests), else the clock's."""
    found = session.info.get("today")
    return found if isinstance(found, date) else date.today()


def used_levels(session: Session) -> list[str]:
    return sorted({level for level in session.exec(select(Unit.level).distinct())})


def resolve_level(session: Session, text: str, new: bool = False) -> str:
    """The level as stored: a known level's code, or one a unit uses; with `new`, any level."""
    used = used_levels(session)
    if new:
        return vocabulary.new_level(text, used)
    level, clash = checks.unknown_level(text, used)
    checks.refuse(clash)
    return level


def max_trip_days(session: Session, year: int) -> int:
    return policy_for_year(session, year).max_trip_days


def held_trips(session: Session, cadre_id: int, start: date, end: date) -> list[Held]:
    """The cadre's trips sharing a day with start..end."""
    query = (
        select(Trip.id, Trip.start, Trip.end, Trip.kind, Trip.place)
        .where(Trip.cadre_id == cadre_id, Trip.start <= end, Trip.end >= start)
        .order_by(col(Trip.start), col(Trip.id))
    )
    return [
        Held("trip", first, last, ident=ident, kind=kind, place=place)
        for ident, first, last, kind, place in session.exec(query)
    ]


def held_absences(session: Session, cadre_id: int, start: date, end: date) -> list[Held]:
    query = (
        select(Absence.id, Absence.start, Absence.end, Absence.reason)
        .where(Absence.cadre_id == cadre_id, Absence.start <= end, Absence.end >= start)
        .order_by(col(Absence.start), col(Absence.id))
    )
    return [
        Held("absence", first, last, ident=ident, detail=reason)
        for ident, first, last, reason in session.exec(query)
    ]


def held_assignments(session: Session, cadre_id: int, start: date, end: date) -> list[Held]:
    """The cadre's non-cancelled assignments sharing a day with start..end."""
    query = (
        select(Assignment.id, Assignment.start, Assignment.end, Unit.code)
        .join(Unit, col(Unit.id) == Assignment.host_id)
        .where(
            Assignment.cadre_id == cadre_id,
            Assignment.start <= end,
            Assignment.end >= start,
            col(Assignment.cancelled).is_(False),
        )
        .order_by(col(Assignment.start), col(Assignment.id))
    )
    return [
        Held("assignment", first, last, ident=ident, detail=host)
        for ident, first, last, host in session.exec(query)
    ]


def trip_clash(
    session: Session, cadre: Cadre, data: TripIn, ident: int | None = None
) -> Clash | None:
    """What a new or edited trip (`ident`) contradicts: the first clash found."""
    code, start, end = cadre.code, data.start, data.end
    cadre_id = cadre.id or 0
    trips = held_trips(session, cadre_id, start, end)
    return (
        checks.duplicate_trip(code, start, end, data.kind.value, data.place, trips, ident)
        or checks.trip_clash(
            code,
            start,
            end,
            max_trip_days(session, start.year),
            cadre.active_from,
            cadre.active_to,
            held_absences(session, cadre_id, start, end),
            ident,
        )
        or (host_clash(session, "trip", code, start, end, data.unit, ident) if data.unit else None)
    )


def unit_life(session: Session, code: str) -> tuple[orgtree.Life, list[str]]:
    """One unit's life and successors (for a single record's checks)."""
    unit = get_unit(session, code)
    successors = session.exec(
        select(Unit.code)
        .join(UnitSuccessor, col(UnitSuccessor.successor_id) == Unit.id)
        .where(UnitSuccessor.unit_id == unit.id)
        .order_by(col(Unit.code))
    ).all()
    life = orgtree.Life(unit.code, unit.name, unit.level, unit.active_from, unit.active_to)
    return life, list(successors)


def host_clash(
    session: Session,
    what: str,
    cadre: str,
    start: date,
    end: date,
    host: str,
    ident: int | None = None,
) -> Clash | None:
    """A trip's or assignment's host unit that does not exist on all of its days."""
    life, successors = unit_life(session, host)
    return checks.host_not_alive(what, cadre, start, end, life, successors, ident)


def assignment_clash(
    session: Session,
    cadre: Cadre,
    start: date,
    end: date,
    cancelled: bool,
    ident: int | None = None,
    host: str | None = None,
) -> Clash | None:
    """The post, another assignment, and (unless cancelled) the host unit's life."""
    held = [] if cancelled else held_assignments(session, cadre.id or 0, start, end)
    return checks.assignment_clash(
        cadre.code, start, end, cancelled, cadre.active_from, cadre.active_to, held, ident
    ) or (
        host_clash(session, "assignment", cadre.code, start, end, host, ident)
        if host and not cancelled
        else None
    )


def absence_clash(
    session: Session, cadre: Cadre, start: date, end: date, ident: int | None = None
) -> Clash | None:
    cadre_id = cadre.id or 0
    return checks.absence_clash(
        cadre.code,
        start,
        end,
        held_absences(session, cadre_id, start, end),
        held_trips(session, cadre_id, start, end),
        ident,
    )


def cadre_clash(
    session: Session,
    data: CadreIn,
    cadre_id: int | None,
    org: orgtree.Organisation | None = None,
) -> Clash | None:
    """A birth date in the future; a posting at a unit that does not exist over the days it
    holds; for a stored cadre, a post that would leave out a record.

    `org`: the organisation, loaded once by an import (else the units named are read)."""
    clash = checks.birth_in_future(data.code, data.birth_date, today_of(session))
    if clash is not None:
        return clash
    clash = _posting_clash(session, data, cadre_id, org)
    if clash is not None or cadre_id is None:
        return clash
    lo, hi = data.active_from or date.min, data.active_to or date.max
    for what, model in (("trip", Trip), ("assignment", Assignment)):
        query = select(model.id, model.start, model.end).where(
            model.cadre_id == cadre_id, or_(col(model.start) < lo, col(model.end) > hi)
        )
        for ident, start, end in session.exec(query.limit(1)):
            return checks.outside_post(
                what, data.code, start, end, data.active_from, data.active_to, ident
            )
    return None


def _posting_clash(
    session: Session, data: CadreIn, cadre_id: int | None, org: orgtree.Organisation | None
) -> Clash | None:
    """Each posting (the current one as `data` corrects it) over the days it holds in the post
    `data` gives must be at a unit alive then."""
    new = orgtree.Posting(data.unit, data.category.value, data.position)
    postings = [new]
    if cadre_id is not None:
        stored = postings_of(session, [cadre_id]).get(cadre_id, [])
        if stored:
            cadre = session.get(Cadre, cadre_id)
            assert cadre is not None
            current = current_posting(cadre, stored, today_of(session))
            postings = [replace(new, start=p.start) if p == current else p for p in stored]
    for posting, first, last in orgtree.posting_spans(postings, data.active_from, data.active_to):
        if org is not None and posting.unit in org.units:
            life, successors = org.life(posting.unit), org.successors(posting.unit)
        else:
            life, successors = unit_life(session, posting.unit)
        clash = checks.posting_not_alive(data.code, life, successors, first, last)
        if clash is not None:
            return clash
    return None


class MaxTripDays(dict[str, int]):
    """Year (as text, the first four characters of an ISO date) -> the policy's max_trip_days."""

    def __init__(self, settings: list[rules.Setting]) -> None:
        super().__init__()
        self.settings = settings

    def __missing__(self, year: str) -> int:
        value = self[year] = rules.policy_for_year(self.settings, int(year)).max_trip_days
        return value


class LatestEnds(dict[str, str]):
    """A trip's first day -> the last day it may end on under max_trip_days (ISO text)."""

    def __init__(self, max_days: MaxTripDays) -> None:
        super().__init__()
        self.max_days = max_days

    def __missing__(self, start: str) -> str:
        first = date.fromisoformat(start)
        try:
            value = (first + timedelta(days=self.max_days[start[:4]] - 1)).isoformat()
        except OverflowError:
            value = date.max.isoformat()
        self[start] = value
        return value


Post = tuple[date | None, date | None]
OPEN_START, OPEN_END = "", "9999-12-31"  # ISO text that sorts before / after every date


def _day_number(text: str) -> int:
    """An ISO date (or OPEN_START) as its day number, which compares as the text does."""
    return date.fromisoformat(text).toordinal() if text != OPEN_START else 0


def post_text(first: date | None, last: date | None) -> tuple[str, str]:
    """A post's dates as ISO text, open ends as OPEN_START / OPEN_END."""
    return (first.isoformat() if first else OPEN_START, last.isoformat() if last else OPEN_END)


def _iso(value: date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


class TripFacts:
    """What a trip may contradict, held in memory for a whole import or check: the cadres'
    posts, their absences, the policy's max_trip_days (a query per row would take hours for a
    country's million trips).

    `may_clash` tests a row's ISO dates against them, exactly: a row it passes contradicts
    nothing; one it flags goes to `clash`, which asks the named checks for the verdict.
    """

    def __init__(
        self,
        codes: dict[int, str],
        posts: dict[int, tuple[str, str]],
        absences: Iterable[tuple[int, Held]],
        settings: list[rules.Setting],
        org: orgtree.Organisation | None = None,
        unit_ids: dict[int, str] | None = None,
    ) -> None:
        self.codes = codes
        # Host units with a first or last day: id -> (first, last) as ISO text, and the code.
        self.org = org
        self.hosts: dict[int, tuple[str, str, str]] = {}
        for ident, code in (unit_ids or {}).items():
            assert org is not None
            life = org.life(code)
            if life.active_from is not None or life.active_to is not None:
                self.hosts[ident] = (*post_text(life.active_from, life.active_to), code)
        # Per cadre with a bounded post or an absence: (first day, last day, absence spans),
        # all ISO text, so that a row's dates are compared as they come, unparsed.
        self.windows: dict[int, tuple[str, str, list[tuple[str, str]] | None]] = {
            ident: (first, last, None)
            for ident, (first, last) in posts.items()
            if (first, last) != (OPEN_START, OPEN_END)
        }
        self.absences: dict[int, list[Held]] = {}
        for cadre_id, absence in absences:
            self.add_absence(cadre_id, absence)
        self.max_days = MaxTripDays(settings)
        self.latest_end = LatestEnds(self.max_days)

    @classmethod
    def load(cls, session: Session) -> TripFacts:
        """From the ledger, in two reads; post dates come as text (what SQLite stores)."""
        cadre = Cadre.__table__.c  # type: ignore[attr-defined]
        first_day, last_day = cadre.active_from, cadre.active_to
        if session.connection().dialect.name == "sqlite":  # stored as ISO text: keep it so
            first_day, last_day = cast(first_day, String), cast(last_day, String)
        query = select(cadre.id, cadre.code, first_day, last_day)
        codes: dict[int, str] = {}
        posts: dict[int, tuple[str, str]] = {}
        for ident, code, first, last in session.connection().execute(query):
            codes[ident] = code
            if first is not None or last is not None:
                posts[ident] = (_iso(first) or OPEN_START, _iso(last) or OPEN_END)
        query = select(Absence.id, Absence.cadre_id, Absence.start, Absence.end, Absence.reason)
        absences = [
            (cadre_id, Held("absence", first, last, ident=ident, detail=reason))
            for ident, cadre_id, first, last, reason in session.exec(query)
        ]
        return cls(
            codes,
            posts,
            absences,
            policy_settings(session),
            organisation(session),
            unit_codes(session),
        )

    def add_absence(self, cadre_id: int, absence: Held) -> None:
        self.absences.setdefault(cadre_id, []).append(absence)
        first, last, spans = self.windows.get(cadre_id, (OPEN_START, OPEN_END, None))
        span = (absence.start.isoformat(), absence.end.isoformat())
        self.windows[cadre_id] = (first, last, [*(spans or []), span])

    def may_clash(self, cadre_id: int, start: str, end: str) -> bool:
        window = self.windows.get(cadre_id)
        if window is not None and (
            start < window[0]
            or end > window[1]
            or (window[2] is not None and any(a <= end and start <= b for a, b in window[2]))
        ):
            return True
        return end != start and end > self.latest_end[start]

    def host_outside(self, unit_id: int, start: str, end: str) -> bool:
        """A host unit with a bounded life not alive on some day of start..end (ISO text)."""
        life = self.hosts.get(unit_id)
        return life is not None and (start < life[0] or end > life[1])

    # The same two tests over whole columns (pyarrow arrays: cadre or unit ids, and dates as day
    # numbers, date.toordinal), for a file read column-wise (bulk.py): True when `may_clash` or
    # `host_outside` would flag some row. Keep each beside its one-row twin: a test changed
    # there is changed here.

    def may_clash_any(self, cadre_ids: Any, starts: Any, ends: Any) -> bool:
        import pyarrow as pa
        import pyarrow.compute as pc

        idents = list(self.windows)
        if idents:
            at = pc.index_in(cadre_ids, value_set=pa.array(idents, pa.int64()))
            first = pa.array([_day_number(self.windows[i][0]) for i in idents], pa.int64())
            last = pa.array([_day_number(self.windows[i][1]) for i in idents], pa.int64())
            outside = pc.or_(
                pc.less(starts, pc.take(first, at)), pc.greater(ends, pc.take(last, at))
            )
            if pc.any(outside).as_py():
                return True
            spans = {i: w[2] for i, w in self.windows.items() if w[2]}
            if spans:  # few cadres are ever away: their rows one by one
                away = {
                    i: [(_day_number(a), _day_number(b)) for a, b in s] for i, s in spans.items()
                }
                mine = pc.is_in(cadre_ids, value_set=pa.array(list(spans), pa.int64()))
                picked = (pc.filter(c, mine).to_pylist() for c in (cadre_ids, starts, ends))
                for cadre_id, start, end in zip(*picked, strict=True):
                    if any(a <= end and start <= b for a, b in away[cadre_id]):
                        return True
        days = pc.unique(starts)
        latest = pa.array(
            [
                _day_number(self.latest_end[date.fromordinal(d).isoformat()])
                for d in days.to_pylist()
            ],
            pa.int64(),
        )
        limit = pc.take(latest, pc.index_in(starts, value_set=days))
        return bool(pc.any(pc.and_(pc.not_equal(ends, starts), pc.greater(ends, limit))).as_py())

    def host_outside_any(self, unit_ids: Any, starts: Any, ends: Any) -> bool:
        import pyarrow as pa
        import pyarrow.compute as pc

        if not self.hosts:
            return False
        idents = list(self.hosts)
        at = pc.index_in(unit_ids, value_set=pa.array(idents, pa.int64()))
        first = pa.array([_day_number(self.hosts[i][0]) for i in idents], pa.int64())
        last = pa.array([_day_number(self.hosts[i][1]) for i in idents], pa.int64())
        outside = pc.or_(pc.less(starts, pc.take(first, at)), pc.greater(ends, pc.take(last, at)))
        return bool(pc.any(outside).as_py())

    def host_clash(self, cadre_id: int, unit_id: int, start: date, end: date) -> Clash | None:
        life = self.hosts.get(unit_id)
        if life is None or self.org is None:
            return None
        code = life[2]
        return checks.host_not_alive(
            "trip", self.codes[cadre_id], start, end, self.org.life(code), self.org.successors(code)
        )

    def post(self, cadre_id: int) -> Post:
        first, last, _ = self.windows.get(cadre_id, (OPEN_START, OPEN_END, None))
        return (
            date.fromisoformat(first) if first != OPEN_START else None,
            date.fromisoformat(last) if last != OPEN_END else None,
        )

    def clash(
        self, cadre_id: int, start: date, end: date, ident: int | None = None
    ) -> Clash | None:
        first, last = self.post(cadre_id)
        return checks.trip_clash(
            self.codes[cadre_id],
            start,
            end,
            self.max_days[f"{start.year:04d}"],
            first,
            last,
            self.absences.get(cadre_id, ()),
            ident,
        )


def contradictions(session: Session) -> Iterator[Clash]:
    """Every record that contradicts the ledger, as the commands would now refuse it.

    For a ledger written before these checks (or by hand): the same named checks, run over
    everything in a few set-based reads; each clash is reported once, from its later record.
    """
    today = today_of(session)
    facts = TripFacts.load(session)
    cadres = select(Cadre.id, Cadre.code, col(Cadre.birth_date))
    for _, code, birth in session.exec(cadres):
        clash = checks.birth_in_future(code, birth, today)
        if clash is not None:
            yield clash
    levels = used_levels(session)
    quotas = select(Plan.code, PlanQuota.level).join(Plan, col(Plan.id) == PlanQuota.plan_id)
    for _, level in session.exec(quotas.order_by(col(Plan.code))):
        _, clash = checks.unknown_level(level, levels)
        if clash is not None:
            yield clash
    for cadre_id, absences in facts.absences.items():
        code = facts.codes[cadre_id]
        for index, absence in enumerate(absences):
            found = checks.overlapping_absence(
                code, absence.start, absence.end, absences[:index], absence.ident
            )
            if found is not None:
                yield found
    yield from _assignment_contradictions(session, facts)
    yield from _trip_contradictions(session, facts)
    yield from life_contradictions(session)


def life_contradictions(session: Session, units: set[str] | None = None) -> Iterator[Clash]:
    """Postings, parents, hosted trips and assignments naming a unit on a day it did not exist
    (for `db check`: a ledger written before these checks, or by hand; for a unit whose life
    changes, `units`: only records naming those). Set-based: a few reads."""
    org = organisation(session)
    codes = unit_codes(session)
    bounded = {
        ident: org.life(code)
        for ident, code in codes.items()
        if (org.life(code).active_from is not None or org.life(code).active_to is not None)
        and (units is None or code in units)
    }
    if not bounded:
        return
    named = {life.code for life in bounded.values()}
    cadres = {c.id or 0: c for c in session.exec(select(Cadre))}
    for ident, postings in sorted(postings_of(session).items()):
        cadre = cadres[ident]
        for posting, first, last in orgtree.posting_spans(
            postings, cadre.active_from, cadre.active_to
        ):
            if posting.unit not in named:
                continue
            clash = checks.posting_not_alive(
                cadre.code, org.life(posting.unit), org.successors(posting.unit), first, last
            )
            if clash is not None:
                yield clash
    for code in sorted(org.units):
        for link, first, last in org.link_spans(code):
            if link.parent is None or link.parent not in named:
                continue
            clash = checks.parent_not_alive(
                code, org.life(link.parent), org.successors(link.parent), first, last
            )
            if clash is not None:
                yield clash
    ids = list(bounded)
    trips = (
        select(col(Trip.id), col(Trip.start), col(Trip.end), col(Cadre.code))
        .add_columns(col(Trip.unit_id))
        .join(Cadre, col(Cadre.id) == Trip.cadre_id)
        .where(col(Trip.unit_id).in_(ids))
        .order_by(col(Trip.id))
    )
    assignments = (
        select(col(Assignment.id), col(Assignment.start), col(Assignment.end), col(Cadre.code))
        .add_columns(col(Assignment.host_id))
        .join(Cadre, col(Cadre.id) == Assignment.cadre_id)
        .where(col(Assignment.host_id).in_(ids), col(Assignment.cancelled).is_(False))
        .order_by(col(Assignment.id))
    )
    for what, query in (("trip", trips), ("assignment", assignments)):
        for ident, start, end, cadre, host_id in session.connection().execute(query):
            life = bounded[host_id or 0]
            clash = checks.host_not_alive(
                what, cadre, start, end, life, org.successors(life.code), ident
            )
            if clash is not None:
                yield clash


def _assignment_contradictions(session: Session, facts: TripFacts) -> Iterator[Clash]:
    query = (
        select(Assignment.id, Assignment.cadre_id, Assignment.start, Assignment.end)
        .add_columns(col(Assignment.cancelled), Unit.code)
        .join(Unit, col(Unit.id) == Assignment.host_id)
        .order_by(col(Assignment.cadre_id), col(Assignment.start), col(Assignment.id))
    )
    earlier: list[Held] = []
    last_cadre = None
    for ident, cadre_id, start, end, cancelled, host in session.exec(query):
        if cadre_id != last_cadre:
            earlier, last_cadre = [], cadre_id
        first, last = facts.post(cadre_id)
        code = facts.codes[cadre_id]
        clash = checks.assignment_clash(code, start, end, cancelled, first, last, earlier, ident)
        if clash is not None:
            yield clash
        if not cancelled:
            earlier.append(Held("assignment", start, end, ident=ident, detail=host))


def _trip_contradictions(session: Session, facts: TripFacts) -> Iterator[Clash]:
    """Trips in (cadre, start, end, kind, place) order: a repeat follows the trip it repeats."""
    query = select(Trip.id, Trip.cadre_id, Trip.start, Trip.end, Trip.kind, Trip.place).order_by(
        col(Trip.cadre_id),
        col(Trip.start),
        col(Trip.end),
        col(Trip.kind),
        col(Trip.place),
        col(Trip.id),
    )
    previous: Held | None = None
    previous_cadre = None
    for ident, cadre_id, start, end, kind, place in session.connection().execute(query):
        code = facts.codes[cadre_id]
        if previous is not None and previous_cadre == cadre_id:
            clash = checks.duplicate_trip(code, start, end, kind, place, [previous], ident)
            if clash is not None:
                yield clash
                continue
        previous = Held("trip", start, end, ident=ident, kind=kind, place=place)
        previous_cadre = cadre_id
        if facts.may_clash(cadre_id, start.isoformat(), end.isoformat()):
            clash = facts.clash(cadre_id, start, end, ident)
            if clash is not None:
                yield clash


# ------------------------------------------------------------------------ consistency


RECORD_NOUNS = {
    "unit": Msg.UNIT,
    "cadre": Msg.CADRE,
    "trip": Msg.TRIP,
    "assignment": Msg.ASSIGNMENT,
    "absence": Msg.ABSENCE,
}


def days_out_of_range(session: Session) -> list[Message]:
    """Stored dates outside the days doanfield counts (written before the bound, or behind its
    back): reports read them as the bound (models.Day); each is named so it gets corrected."""
    from sqlalchemy import Table

    from doanfield.models import Day

    found: list[Message] = []
    for table in SQLModel.metadata.sorted_tables:
        assert isinstance(table, Table)
        days = [c for c in table.columns if isinstance(c.type, Day)]
        if not days:
            continue
        key = table.c.code if "code" in table.c else next(iter(table.primary_key.columns))
        for column in days:
            query = (
                select(key, cast(column, String))
                .where(or_(column < MIN_DAY, column > MAX_DAY))
                .order_by(key)
            )
            for ident, stored in session.exec(query):
                noun = RECORD_NOUNS.get(table.name, table.name)
                record = Msg.RECORD_ID(what=noun, id=ident)
                if key.name == "code":
                    record = Msg.RECORD_CODE(what=noun, code=ident)
                day = date.fromisoformat(stored)
                found.append(
                    Msg.DAY_OUT_OF_RANGE(
                        record=record,
                        field=Heading(column.name, table.name + "s"),
                        day=day,
                        first=MIN_DAY,
                        last=MAX_DAY,
                        counted=bounded(day),
                    )
                )
    return found


def consistency_problems(session: Session) -> list[str]:
    """The ledger's own checks beyond the database's: dates in order, parents without cycles."""
    problems: list[str] = []
    dated: Sequence[tuple[str, Any]] = (("trip", Trip), ("absence", Absence))
    for what, model in (*dated, ("assignment", Assignment)):
        bad = session.exec(select(model.id).where(model.end < model.start)).all()
        problems.extend(f"{what} #{ident}: end is before start" for ident in bad)
    bad_cadres = session.exec(
        select(Cadre.code).where(col(Cadre.active_to) < col(Cadre.active_from))
    ).all()
    problems.extend(f"cadre '{code}': active_to is before active_from" for code in bad_cadres)
    loop = _loop_in(session)
    if loop is not None:
        problems.append(f"unit '{loop}' is its own ancestor")
    return problems
