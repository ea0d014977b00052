"""Record keeping: plain functions over a session, each change written to the change log.

Codes are what users type; ids stay inside. Every function that changes a record logs it in the
same transaction, so the log and the records never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import func, or_
from sqlmodel import Session, SQLModel, col, select

from doanfield import changelog, names, rules
from doanfield.dates import format_date
from doanfield.domain import Conflict, InvalidValue, NotFound
from doanfield.engine import stream_rows
from doanfield.messages import Msg
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
    Trip,
    TripIn,
    Unit,
    UnitIn,
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
    last = session.exec(
        select(ChangeLog.at, ChangeLog.entry_hash).order_by(col(ChangeLog.id).desc()).limit(1)
    ).first()
    # On a shared server, the server's clock: desks' clocks disagree.
    now = (
        session.exec(select(func.clock_timestamp())).one()
        if session.get_bind().dialect.name == "postgresql"
        else datetime.now(UTC)
    )
    entry = ChangeLog(
        at=changelog.entry_time(now, last[0] if last else None),
        os_user=session.info.get("os_user", "unknown"),
        command=session.info.get("command", "doanfield"),
        entity=entity,
        key=key,
        action=action,
        before=json.dumps(before, ensure_ascii=False, default=str) if before else None,
        after=json.dumps(after, ensure_ascii=False, default=str) if after else None,
        prev_hash=last[1] if last else changelog.GENESIS,
        entry_hash="",
    )
    entry.entry_hash = changelog.entry_hash(
        entry.at,
        entry.os_user,
        entry.command,
        entry.entity,
        entry.key,
        entry.action,
        entry.before,
        entry.after,
        entry.prev_hash,
    )
    session.add(entry)


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


def unit_codes(session: Session) -> dict[int, str]:
    return {uid: code for uid, code in session.exec(select(Unit.id, Unit.code)) if uid is not None}


def subtree_ids(session: Session, code: str) -> set[int]:
    """The unit and every unit below it, at whatever depth the tree has."""
    root = get_unit(session, code)
    children: dict[int | None, list[int]] = {}
    for uid, parent in session.exec(select(Unit.id, Unit.parent_id)):
        if uid is not None:
            children.setdefault(parent, []).append(uid)
    found: set[int] = set()
    stack = [root.id]
    while stack:
        uid = stack.pop()
        if uid is None or uid in found:
            continue
        found.add(uid)
        stack.extend(children.get(uid, []))
    return found


# ------------------------------------------------------------------------ units


def unit_row(unit: Unit, codes: dict[int, str]) -> Row:
    parent = codes.get(unit.parent_id) if unit.parent_id is not None else None
    return {"code": unit.code, "name": unit.name, "level": unit.level, "parent": parent or ""}


def _would_cycle(session: Session, unit_id: int, parent_id: int) -> bool:
    parents = dict(session.exec(select(Unit.id, Unit.parent_id)).all())
    seen: set[int] = set()
    current: int | None = parent_id
    while current is not None and current not in seen:
        if current == unit_id:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def add_unit(session: Session, data: UnitIn) -> Unit:
    if session.exec(select(Unit.id).where(Unit.code == data.code)).first() is not None:
        raise Conflict(Msg.ALREADY_EXISTS, what=Msg.UNIT, code=data.code)
    parent_id = get_unit(session, data.parent).id if data.parent else None
    unit = Unit(code=data.code, name=data.name, level=data.level, parent_id=parent_id)
    session.add(unit)
    session.flush()
    log_change(session, "unit", unit.code, "add", after=data.model_dump())
    return unit


def update_unit(session: Session, data: UnitIn) -> bool:
    """Bring a stored unit to `data`; False when nothing differs."""
    unit = get_unit(session, data.code)
    codes = unit_codes(session)
    before = unit_row(unit, codes)
    parent_id = get_unit(session, data.parent).id if data.parent else None
    if parent_id is not None and unit.id is not None and _would_cycle(session, unit.id, parent_id):
        raise InvalidValue(Msg.UNIT_UNDER_ITSELF, code=data.code)
    unit.name, unit.level, unit.parent_id = data.name, data.level, parent_id
    after = unit_row(unit, codes)
    if after == before:
        return False
    session.add(unit)
    log_change(session, "unit", unit.code, "edit", before=before, after=after)
    return True


def list_units(session: Session) -> list[Row]:
    """Units in tree order: each unit followed by the units below it, siblings by code."""
    codes = unit_codes(session)
    units = session.exec(select(Unit)).all()
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[Unit] = []
    stack = sorted(children.get(None, []), key=lambda u: names.sort_key(u.code), reverse=True)
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        below = children.get(unit.id, [])
        stack.extend(sorted(below, key=lambda u: names.sort_key(u.code), reverse=True))
    return [unit_row(u, codes) for u in ordered]


# ------------------------------------------------------------------------ cadres


def cadre_row(cadre: Cadre, codes: dict[int, str]) -> Row:
    return {
        "code": cadre.code,
        "name": cadre.name,
        "unit": codes.get(cadre.unit_id, ""),
        "position": cadre.position,
        "category": cadre.category,
        "birth_date": format_date(cadre.birth_date),
        "gender": cadre.gender or "",
        "active_from": format_date(cadre.active_from),
        "active_to": format_date(cadre.active_to),
        "given_name": cadre.given_name or "",
    }


def _apply_cadre(session: Session, cadre: Cadre, data: CadreIn) -> None:
    cadre.name = data.name
    cadre.unit_id = get_unit(session, data.unit).id or 0
    cadre.position = data.position
    cadre.category = data.category.value
    cadre.birth_date = data.birth_date
    cadre.gender = data.gender or None
    cadre.active_from = data.active_from
    cadre.active_to = data.active_to
    cadre.given_name = data.given_name or None


def add_cadre(session: Session, data: CadreIn) -> Cadre:
    if session.exec(select(Cadre.id).where(Cadre.code == data.code)).first() is not None:
        raise Conflict(Msg.ALREADY_EXISTS, what=Msg.CADRE, code=data.code)
    cadre = Cadre(code=data.code, name=data.name, unit_id=0)
    _apply_cadre(session, cadre, data)
    session.add(cadre)
    session.flush()
    log_change(session, "cadre", cadre.code, "add", after=data.model_dump(mode="json"))
    return cadre


def cadre_input(session: Session, code: str, changes: Row) -> CadreIn:
    """The cadre's current values with `changes` laid over them, validated."""
    cadre = get_cadre(session, code)
    current = cadre_row(cadre, unit_codes(session))
    merged = {k: (v if v != "" else None) for k, v in current.items()}
    merged.update({k: v for k, v in changes.items() if v is not None})
    merged["position"] = merged.get("position") or ""
    merged["category"] = merged.get("category") or "other"
    return validated(CadreIn, merged)


def update_cadre(session: Session, data: CadreIn) -> bool:
    cadre = get_cadre(session, data.code)
    codes = unit_codes(session)
    before = cadre_row(cadre, codes)
    _apply_cadre(session, cadre, data)
    after = cadre_row(cadre, codes)
    if after == before:
        return False
    session.add(cadre)
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
    before = cadre_row(cadre, unit_codes(session))
    session.delete(cadre)
    log_change(session, "cadre", code, "remove", before=before)


def list_cadres(session: Session, unit: str | None = None) -> list[Row]:
    query = select(Cadre)
    if unit:
        query = query.where(col(Cadre.unit_id).in_(subtree_ids(session, unit)))
    codes = unit_codes(session)
    cadres = sorted(
        session.exec(query).all(), key=lambda c: names.cadre_sort_key(c.name, c.given_name)
    )
    return [cadre_row(c, codes) for c in cadres]


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
    }


def add_trip(session: Session, data: TripIn) -> Trip:
    cadre = get_cadre(session, data.cadre)
    host = get_unit(session, data.unit).id if data.unit else None
    trip = Trip(
        cadre_id=cadre.id or 0,
        start=data.start,
        end=data.end,
        kind=data.kind.value,
        place=data.place,
        unit_id=host,
        program=data.program,
        note=data.note,
    )
    session.add(trip)
    session.flush()
    log_change(session, "trip", f"#{trip.id}", "add", after=data.model_dump(mode="json"))
    return trip


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
    ).join(Cadre, col(Cadre.id) == Trip.cadre_id)
    if cadre:
        query = query.where(Trip.cadre_id == get_cadre(session, cadre).id)
    if unit:
        # A unit filter means trips of that unit's cadres or hosted by it, subtree included.
        ids = subtree_ids(session, unit)
        query = query.where(or_(col(Cadre.unit_id).in_(ids), col(Trip.unit_id).in_(ids)))
    for condition in _year_overlap(Trip.start, Trip.end, year):
        query = query.where(condition)
    query = query.order_by(col(Trip.start), col(Cadre.code), col(Trip.id))
    codes = unit_codes(session)
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
    ) in stream_rows(session.connection(), query):
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
        }


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


def add_absence(session: Session, data: AbsenceIn) -> Absence:
    cadre = get_cadre(session, data.cadre)
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


def add_assignment(session: Session, data: AssignmentIn, cancelled: bool = False) -> Assignment:
    cadre = get_cadre(session, data.cadre)
    host = get_unit(session, data.host)
    plan_id = get_plan(session, data.plan).id if data.plan else None
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


def _assignment_change(session: Session, ident: int) -> tuple[Assignment, Row]:
    assignment = _by_id(session, Assignment, ident, Msg.ASSIGNMENT)
    before = {
        "cancelled": assignment.cancelled,
        "report_date": format_date(assignment.report_date),
        "report": assignment.report or "",
    }
    return assignment, before


def file_report(session: Session, ident: int, on: date, text: str) -> None:
    assignment, before = _assignment_change(session, ident)
    if not text.strip():
        raise InvalidValue(Msg.REPORT_EMPTY, id=ident)
    if on < assignment.start:
        raise InvalidValue(Msg.REPORT_BEFORE_START, date=on, id=ident, start=assignment.start)
    assignment.report_date, assignment.report = on, text.strip()
    session.add(assignment)
    after = {**before, "report_date": on.isoformat(), "report": assignment.report}
    log_change(session, "assignment", f"#{ident}", "report", before=before, after=after)


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


def add_plan(session: Session, data: PlanIn) -> Plan:
    if session.exec(select(Plan.id).where(Plan.code == data.code)).first() is not None:
        raise Conflict(Msg.ALREADY_EXISTS, what=Msg.PLAN, code=data.code)
    levels = [q.level for q in data.quotas]
    if not levels:
        raise InvalidValue(Msg.PLAN_NEEDS_QUOTA, code=data.code)
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


def policy_settings(session: Session) -> list[tuple[str, int, str]]:
    rows = session.exec(select(PolicySetting.key, PolicySetting.from_year, PolicySetting.value))
    return [(k, y, v) for k, y, v in rows]


def policy_for_year(session: Session, year: int) -> rules.Policy:
    return rules.policy_for_year(policy_settings(session), year)


def set_policy(session: Session, key: str, value: str, from_year: int) -> None:
    rules.parse_policy_value(key, value)
    existing = session.exec(
        select(PolicySetting).where(PolicySetting.key == key, PolicySetting.from_year == from_year)
    ).first()
    before = {"key": key, "from_year": from_year, "value": existing.value} if existing else None
    if existing:
        existing.value = value.strip()
        session.add(existing)
    else:
        session.add(PolicySetting(key=key, from_year=from_year, value=value.strip()))
    log_change(
        session,
        "policy",
        f"{key}@{from_year}",
        "set",
        before=before,
        after={"key": key, "from_year": from_year, "value": value.strip()},
    )


def records(session: Session, kind: str, as_of: date) -> Iterable[Row]:
    """Every record of a kind, as the import reads it back (`export`)."""
    if kind == "trips":
        return iter_trips(session)
    if kind == "assignments":
        return list_assignments(session, as_of)
    listers = {
        "units": list_units,
        "cadres": list_cadres,
        "plans": list_plans,
        "absences": list_absences,
    }
    return listers[kind](session)


# ------------------------------------------------------------------------ consistency


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
    parents = dict(session.exec(select(Unit.id, Unit.parent_id)).all())
    codes = unit_codes(session)
    for start in parents:
        if start is None:
            continue
        seen: set[int] = set()
        current: int | None = start
        while current is not None and current not in seen:
            seen.add(current)
            current = parents.get(current)
        if current == start:
            problems.append(f"unit '{codes[start]}' is its own ancestor")
    return problems
