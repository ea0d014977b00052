"""Record keeping for the organisation over time (SPEC §6): moves, closings, corrections.

`move_cadre` (a new posting from a date), `move_unit` (a new parent from a date), `close_unit`
(a unit's last day and successors, moving what is left to a single successor), `edit_unit`
(corrections), and what the ledger holds about one unit (`unit_sheet`). Each checks the record
against the units' lives (checks.py), logs what it did, and can be called many times in one
transaction (an import of a whole reorganisation): pass the same `Organisation` through (it is
reloaded only where a change alters it) to avoid reading the tree per row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from doanfield import checks, ledger, orgtree
from doanfield.dates import format_date
from doanfield.domain import Conflict, InvalidValue
from doanfield.messages import Message, Msg
from doanfield.models import (
    Assignment,
    Cadre,
    Posting,
    Trip,
    Unit,
    UnitParent,
    UnitSuccessor,
)

Row = dict[str, Any]
ADDED, CHANGED, UNCHANGED = "added", "changed", "unchanged"


def _in_post(cadre: Cadre, day: date) -> bool:
    return (cadre.active_from is None or cadre.active_from <= day) and (
        cadre.active_to is None or day <= cadre.active_to
    )


# ------------------------------------------------------------------------ postings


def _posting_record(posting: orgtree.Posting) -> Row:
    return {
        "unit": posting.unit,
        "category": posting.category,
        "position": posting.position,
        "from": format_date(posting.start),
    }


def move_cadre(
    session: Session,
    code: str,
    unit: str,
    start: date,
    category: str | None = None,
    position: str | None = None,
    org: orgtree.Organisation | None = None,
) -> str:
    """Record that from `start` the cadre belongs to `unit` (with a new category or position,
    or those of the posting before). Earlier postings are kept. `org` is read for the units'
    lives only: an import may pass one organisation for all its rows.

    A move repeating the stored posting from that day is UNCHANGED (an import run twice); one
    with other values replaces it (CHANGED); otherwise the posting is ADDED.
    """
    cadre = ledger.get_cadre(session, code)
    target = ledger.get_unit(session, unit)
    org = org or ledger.organisation(session)
    if (cadre.active_from is not None and start <= cadre.active_from) or (
        cadre.active_to is not None and start > cadre.active_to
    ):
        raise InvalidValue(
            Msg.MOVE_OUTSIDE_POST,
            cadre=cadre.code,
            day=start,
            post=checks.post_words(cadre.active_from, cadre.active_to),
        )
    rows = sorted(
        session.exec(select(Posting).where(Posting.cadre_id == cadre.id)).all(),
        key=lambda p: p.start or date.min,
    )
    same_day = next((p for p in rows if p.start == start), None)
    earlier = [p for p in rows if p.start is None or p.start < start]
    before = earlier[-1]  # the first posting is open at its start: always one
    kept = same_day or before  # what a value not given stays as
    new = orgtree.Posting(
        target.code,
        category if category is not None else kept.category,
        position if position is not None else kept.position,
        start,
    )
    before_record = _posting_record(_as_posting(session, before))
    if same_day is not None:
        stored = _as_posting(session, same_day)
        if stored == new:
            return UNCHANGED
    elif (before.unit_id, before.category, before.position) == (
        target.id,
        new.category,
        new.position,
    ):
        raise Conflict(Msg.MOVE_CHANGES_NOTHING, cadre=cadre.code, unit=target.code, day=start)
    following = [p.start for p in rows if p.start is not None and p.start > start]
    last = following[0] - timedelta(days=1) if following else None
    if cadre.active_to is not None and (last is None or last > cadre.active_to):
        last = cadre.active_to
    checks.refuse(
        checks.posting_not_alive(
            cadre.code, org.life(target.code), org.successors(target.code), start, last
        )
    )
    row = same_day or Posting(cadre_id=cadre.id or 0, unit_id=0, start=start)
    row.unit_id, row.category, row.position = target.id or 0, new.category, new.position
    session.add(row)
    session.flush()
    if same_day is not None:
        ledger.log_change(
            session,
            "cadre",
            cadre.code,
            "move",
            before=_posting_record(stored),
            after=_posting_record(new),
        )
        return CHANGED
    ledger.log_change(
        session, "cadre", cadre.code, "move", before=before_record, after=_posting_record(new)
    )
    return ADDED


def _as_posting(session: Session, row: Posting) -> orgtree.Posting:
    unit = session.get(Unit, row.unit_id)
    assert unit is not None  # a foreign key
    return orgtree.Posting(unit.code, row.category, row.position, row.start)


def postings_table(cadre: Cadre, postings: Sequence[orgtree.Posting]) -> list[Row]:
    """A cadre's postings for `cadre show`: unit, category, position, first and last day held."""
    starts = [p.start for p in postings]
    rows = []
    for index, first, last in orgtree.held_spans(starts, cadre.active_from, cadre.active_to):
        posting = postings[index]
        rows.append(
            {
                "unit": posting.unit,
                "category": posting.category,
                "position": posting.position,
                "start": format_date(first),
                "end": format_date(last),
            }
        )
    return rows


# ------------------------------------------------------------------------ units


def _link_record(parent: str | None, start: date | None) -> Row:
    return {"parent": parent or "", "from": format_date(start)}


def move_unit(
    session: Session,
    code: str,
    parent: str,
    start: date,
    org: orgtree.Organisation | None = None,
) -> str:
    """Put the unit under `parent` from `start` on (its earlier parents are kept).

    `org` is read for the units' lives only (which moves do not change): an import may pass
    one organisation for all its rows."""
    unit = ledger.get_unit(session, code)
    above = ledger.get_unit(session, parent)
    org = org or ledger.organisation(session)
    if above.id == unit.id:
        raise InvalidValue(Msg.UNIT_UNDER_ITSELF, code=code)
    life = org.life(unit.code)
    if not life.alive(start):
        raise InvalidValue(
            Msg.UNIT_MOVE_OUTSIDE_LIFE, code=unit.code, day=start, life=checks.life(life)
        )
    rows = sorted(
        session.exec(select(UnitParent).where(UnitParent.unit_id == unit.id)).all(),
        key=lambda k: k.start or date.min,
    )
    same_day = next((k for k in rows if k.start == start), None)
    if same_day is not None and same_day.parent_id == above.id:
        return UNCHANGED
    in_force = [k for k in rows if k.start is None or k.start < start]
    before_id = in_force[-1].parent_id if in_force else None
    if same_day is None and before_id == above.id:
        raise Conflict(Msg.UNIT_ALREADY_UNDER, code=unit.code, parent=above.code, day=start)
    following = [k.start for k in rows if k.start is not None and k.start > start]
    last = following[0] - timedelta(days=1) if following else None
    if life.active_to is not None and (last is None or last > life.active_to):
        last = life.active_to
    checks.refuse(
        checks.parent_not_alive(
            unit.code, org.life(above.code), org.successors(above.code), start, last
        )
    )
    shown = same_day.parent_id if same_day is not None else before_id
    before_parent = _code_of(session, shown)
    row = same_day or UnitParent(unit_id=unit.id or 0, start=start)
    row.parent_id = above.id
    session.add(row)
    session.flush()
    if ledger.organisation(session).has_loop() is not None:
        raise InvalidValue(Msg.UNIT_UNDER_ITSELF, code=code)
    ledger.log_change(
        session,
        "unit",
        unit.code,
        "move",
        before=_link_record(before_parent, same_day.start if same_day else None),
        after=_link_record(above.code, start),
    )
    return CHANGED if same_day is not None else ADDED


def _code_of(session: Session, unit_id: int | None) -> str | None:
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    return unit.code if unit is not None else None


def edit_unit(
    session: Session, code: str, name: str | None = None, level: str | None = None
) -> bool:
    """Correct a unit's name or level (no history: the unit was always so); False if the same."""
    unit = ledger.get_unit(session, code)
    before = {"name": unit.name, "level": unit.level}
    if name is not None:
        if not name.strip():
            raise InvalidValue(Msg.FIELD_PROBLEM, field="name", problem=Msg.IS_EMPTY(), value="")
        unit.name = name.strip()
    if level is not None:
        unit.level = ledger.resolve_level(session, level)
    after = {"name": unit.name, "level": unit.level}
    if after == before:
        return False
    session.add(unit)
    ledger.log_change(session, "unit", unit.code, "edit", before=before, after=after)
    return True


@dataclass
class Closed:
    """What `close_unit` did: the unit's last day, and what followed its one successor."""

    code: str
    on: date
    cadres: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    unchanged: bool = False

    @property
    def next_day(self) -> date:
        return self.on + timedelta(days=1)


def close_unit(session: Session, code: str, on: date, into: Sequence[str]) -> Closed:
    """End the unit on `on` (its last day) and name its successors (SPEC §6).

    With exactly one successor, the cadres in post and posted to the unit on the next day, and
    the units under it alive that day, are moved to the successor from that day (as moves). What
    still names the unit after `on` (with several successors or none, those cadres and units;
    in any case trips and assignments hosted by it) is listed in one refusal.
    """
    unit = ledger.get_unit(session, code)
    successors = [ledger.get_unit(session, s) for s in dict.fromkeys(into)]
    names = sorted(s.code for s in successors)
    org = ledger.organisation(session)
    if unit.active_to is not None:
        if unit.active_to == on and org.successors(unit.code) == names:
            return Closed(unit.code, on, unchanged=True)
        raise Conflict(
            Msg.UNIT_ALREADY_CLOSED,
            code=unit.code,
            last=unit.active_to,
            successors=checks.successors(org.successors(unit.code)),
        )
    if unit.active_from is not None and on < unit.active_from:
        raise InvalidValue(
            Msg.UNIT_CLOSE_BEFORE_FIRST, code=unit.code, day=on, first=unit.active_from
        )
    next_day = on + timedelta(days=1)
    if any(successor.id == unit.id for successor in successors):
        raise InvalidValue(Msg.UNIT_OWN_SUCCESSOR, code=unit.code)
    checks.refuse(ledger.successors_clash(unit.code, on, [org.life(s.code) for s in successors]))
    unit.active_to = on
    session.add(unit)
    for successor in successors:
        session.add(UnitSuccessor(unit_id=unit.id or 0, successor_id=successor.id or 0))
    session.flush()
    ledger.log_change(
        session,
        "unit",
        unit.code,
        "close",
        before={"active_to": "", "successors": []},
        after={"active_to": on.isoformat(), "successors": names},
    )
    done = Closed(unit.code, on)
    if len(successors) == 1:
        heir = successors[0].code
        for cadre in _posted_on(session, org, unit.code, next_day):
            move_cadre(session, cadre, heir, next_day, org=org)
            done.cadres.append(cadre)
        for child in sorted(org.children_on(next_day).get(unit.code, [])):
            move_unit(session, child, heir, next_day, org=org)
            done.units.append(child)
    left = list(still_named(session, unit.code, on))
    if left:
        raise Conflict(
            Msg.UNIT_CLOSE_LEFT,
            code=unit.code,
            day=on,
            left=left[:20],
            more=Msg.AND_MORE(n=len(left) - 20) if len(left) > 20 else "",
            hint=Msg.UNIT_CLOSE_HINT() if len(successors) != 1 else Msg.UNIT_CLOSE_HOSTED(),
        )
    return done


def _posted_on(session: Session, org: orgtree.Organisation, unit: str, day: date) -> list[str]:
    """The cadres in post on `day` whose posting that day is at `unit`."""
    cadres = {c.id: c for c in session.exec(select(Cadre))}
    postings = ledger.postings_of(session)
    return sorted(
        cadre.code
        for ident, cadre in cadres.items()
        if _in_post(cadre, day) and orgtree.posting_on(postings[ident or 0], day).unit == unit
    )


def still_named(session: Session, code: str, after: date) -> Iterator[Message]:
    """What names the unit on a day after `after`: postings, sub-units, hosted trips and
    (non-cancelled) assignments, each as a short phrase."""
    org = ledger.organisation(session)
    cadres = {c.id: c for c in session.exec(select(Cadre))}
    postings = ledger.postings_of(session)
    for ident, cadre in sorted(cadres.items(), key=lambda kv: kv[1].code):
        for posting, _, last in orgtree.posting_spans(
            postings[ident or 0], cadre.active_from, cadre.active_to
        ):
            if posting.unit == code and (last is None or last > after):
                yield Msg.LEFT_CADRE(code=cadre.code)
                break
    for child in sorted(org.units):
        for link, _, last in org.link_spans(child):
            if link.parent == code and (last is None or last > after):
                yield Msg.LEFT_UNIT(code=child)
                break
    unit_id = ledger.get_unit(session, code).id
    for ident in session.exec(
        select(col(Trip.id))
        .where(Trip.unit_id == unit_id, Trip.end > after)
        .order_by(col(Trip.start), col(Trip.id))
    ):
        yield Msg.RECORD_ID(what=Msg.TRIP, id=ident)
    for ident in session.exec(
        select(col(Assignment.id))
        .where(
            Assignment.host_id == unit_id,
            Assignment.end > after,
            col(Assignment.cancelled).is_(False),
        )
        .order_by(col(Assignment.start), col(Assignment.id))
    ):
        yield Msg.RECORD_ID(what=Msg.ASSIGNMENT, id=ident)


# ------------------------------------------------------------------------ one unit's sheet


def unit_sheet(session: Session, code: str) -> Row:
    """A unit's life, parents over time, predecessors, successors and cadres posted now."""
    unit = ledger.get_unit(session, code)
    org = ledger.organisation(session)
    today = ledger.today_of(session)
    life = org.life(unit.code)
    day = orgtree.nearest_day(life.active_from, life.active_to, today)
    postings = ledger.postings_of(session)
    cadres = [
        (cadre, orgtree.posting_on(postings[cadre.id or 0], day))
        for cadre in session.exec(select(Cadre).order_by(col(Cadre.code)))
        if _in_post(cadre, day)
    ]
    return {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "active_from": format_date(unit.active_from),
        "active_to": format_date(unit.active_to),
        "parents": [
            {"parent": link.parent or "", "start": format_date(a), "end": format_date(b)}
            for link, a, b in org.link_spans(unit.code)
        ],
        "formed_from": org.formed_from(unit.code),
        "predecessors": sorted(org.predecessors(unit.code)),
        "successors": org.successors(unit.code),
        "units": sorted(org.children_on(day).get(unit.code, [])) if life.alive(day) else [],
        "on": day.isoformat(),
        "cadres": [
            {
                "code": cadre.code,
                "name": cadre.name,
                "category": posting.category,
                "position": posting.position,
            }
            for cadre, posting in cadres
            if posting.unit == unit.code
        ],
    }
