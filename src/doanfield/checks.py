"""Records that contradict the ledger (SPEC §4), found by named checks.

Each check is a pure function over plain values: the record, and what the ledger (or the file
being imported) already holds that it could clash with. It returns a `Clash` naming the stored
record, or None. The commands, the importers, the trip import's fast path and `db check` all run
these same functions, so a record is judged the same way wherever it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from doanfield import vocabulary
from doanfield.domain import Conflict
from doanfield.messages import Message, Msg, Word

RECORDS = {"trip": Msg.TRIP, "assignment": Msg.ASSIGNMENT, "absence": Msg.ABSENCE}


def span(start: date, end: date) -> Message:
    """'on 2024-02-19' for one day, '2024-02-19 to 2024-02-20' for more (day-first in vi)."""
    return Msg.ON_DAY(day=start) if start == end else Msg.DAY_TO_DAY(start=start, end=end)


def life(unit: Any) -> Message:
    """A unit's life (an `orgtree.Life`) in words: 'from 01/07/2025', 'until 30/06/2025'…"""
    first, last = unit.active_from, unit.active_to
    if first is not None and last is not None:
        return Msg.DAY_TO_DAY(start=first, end=last)
    if first is not None:
        return Msg.FROM_DAY(day=first)
    if last is not None:
        return Msg.UNTIL_DAY(day=last)
    return Msg.ALWAYS()


def post_words(first: date | None, last: date | None) -> Message:
    """A post's or a posting's days: '2024-01-01 to 2024-12-31', 'from …', 'until …'."""
    return life(_Days(first, last))


@dataclass(frozen=True)
class _Days:
    active_from: date | None
    active_to: date | None


def successors(codes: Iterable[str]) -> Message:
    found = list(codes)
    return Msg.SUCCESSORS(codes=", ".join(found)) if found else Msg.NO_SUCCESSORS()


@dataclass(frozen=True)
class Span:
    """A record's inclusive dates."""

    start: date
    end: date

    def overlaps(self, other: Span) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass(frozen=True)
class Held:
    """A record the ledger (or an earlier line of the file) holds, that a new one may clash with.

    `ident` is its #id; a record not yet written is named by its file `line` instead.
    """

    what: str  # trip, assignment, absence
    start: date
    end: date
    ident: int | None = None
    line: int | None = None
    detail: str = ""  # absence reason, host unit code
    kind: str = ""
    place: str = ""

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def name(self) -> Message:
        if self.ident is not None:
            return Msg.RECORD_ID(what=RECORDS[self.what], id=self.ident)
        return Msg.RECORD_LINE(what=RECORDS[self.what], line=self.line)

    def same(self, ident: int | None) -> bool:
        return ident is not None and self.ident == ident


@dataclass(frozen=True)
class Clash:
    """What a record contradicts: the check's name, the field to blame in an import row and
    its value, and the message (a catalogue key with its values) naming the other record."""

    check: str
    column: str
    value: str
    message: Message

    def in_language(self, lang: str) -> str:
        return self.message.text(lang)

    def __str__(self) -> str:
        return self.message.text("en")


def _record(what: str, start: date, end: date, cadre: str, ident: int | None) -> dict[str, Any]:
    name = RECORDS[what] if ident is None else Msg.RECORD_ID(what=RECORDS[what], id=ident)
    return {"record": name, "span": span(start, end), "cadre": cadre}


def _other(held: Held) -> dict[str, Any]:
    return {"other": held.name, "other_span": span(held.start, held.end)}


def _reason(stored: str) -> Word | Message:
    return Word(stored, "reason") if stored else Msg.NO_REASON()


def _clash(check: str, key: Msg, column: str, value: date | str, **values: Any) -> Clash:
    shown = value.isoformat() if isinstance(value, date) else value
    return Clash(check, column, shown, key(**values))


class Contradiction(Conflict):
    """A record refused because it contradicts the ledger (exit 1)."""

    def __init__(self, clash: Clash) -> None:
        super().__init__(clash.message)
        self.clash = clash


def refuse(clash: Clash | None) -> None:
    """Raise the first clash found, if any."""
    if clash is not None:
        raise Contradiction(clash)


def first_overlap(
    start: date, end: date, held: Iterable[Held], ident: int | None = None
) -> Held | None:
    """The first held record (other than the record itself) sharing a day with start..end."""
    span = Span(start, end)
    return next((h for h in held if not h.same(ident) and h.span.overlaps(span)), None)


# ------------------------------------------------------------------------ the checks


def duplicate_trip(
    cadre: str,
    start: date,
    end: date,
    kind: str,
    place: str,
    held: Iterable[Held],
    ident: int | None = None,
) -> Clash | None:
    """A trip identical to a stored one: same cadre, start, end, kind and place."""
    for other in held:
        if other.same(ident) or other.what != "trip":
            continue
        if (other.start, other.end, other.kind, other.place) == (start, end, kind, place):
            return _clash(
                "duplicate_trip",
                Msg.CLASH_DUPLICATE_TRIP,
                "start",
                start,
                **_record("trip", start, end, cadre, ident),
                **_other(other),
                kind=Word(kind, "kind"),
                place=place,
            )
    return None


def outside_post(
    what: str,
    cadre: str,
    start: date,
    end: date,
    active_from: date | None,
    active_to: date | None,
    ident: int | None = None,
) -> Clash | None:
    """A trip or assignment with a day outside the cadre's post (open ends: always)."""
    early = active_from is not None and start < active_from
    late = active_to is not None and end > active_to
    if not (early or late):
        return None

    post = post_words(active_from, active_to)
    column, value = ("start", start) if early else ("end", end)
    return _clash(
        "outside_post",
        Msg.CLASH_OUTSIDE_POST,
        column,
        value,
        **_record(what, start, end, cadre, ident),
        post=post,
    )


def trip_on_absence(
    cadre: str, start: date, end: date, absences: Iterable[Held], ident: int | None = None
) -> Clash | None:
    """A trip on a day of one of the cadre's absences."""
    absence = first_overlap(start, end, absences)
    if absence is None:
        return None
    return _clash(
        "trip_on_absence",
        Msg.CLASH_TRIP_ON_ABSENCE,
        "start",
        start,
        **_record("trip", start, end, cadre, ident),
        **_other(absence),
        reason=_reason(absence.detail),
    )


def absence_over_trip(
    cadre: str, start: date, end: date, trips: Iterable[Held], ident: int | None = None
) -> Clash | None:
    """An absence over days on which the cadre is recorded at the grassroots (the same clash
    as a trip on an absence, met from the other side)."""
    trip = first_overlap(start, end, trips)
    if trip is None:
        return None
    return _clash(
        "absence_over_trip",
        Msg.CLASH_ABSENCE_OVER_TRIP,
        "start",
        start,
        **_record("absence", start, end, cadre, ident),
        **_other(trip),
    )


def overlapping_assignment(
    cadre: str,
    start: date,
    end: date,
    assignments: Iterable[Held],
    ident: int | None = None,
) -> Clash | None:
    """Two non-cancelled assignments of one cadre at the same time (pass only those)."""
    other = first_overlap(start, end, assignments, ident)
    if other is None:
        return None
    return _clash(
        "overlapping_assignment",
        Msg.CLASH_OVERLAPPING_ASSIGNMENT,
        "start",
        start,
        **_record("assignment", start, end, cadre, ident),
        **_other(other),
        host=other.detail,
    )


def overlapping_absence(
    cadre: str, start: date, end: date, absences: Iterable[Held], ident: int | None = None
) -> Clash | None:
    """Two absences of one cadre at the same time."""
    other = first_overlap(start, end, absences, ident)
    if other is None:
        return None
    return _clash(
        "overlapping_absence",
        Msg.CLASH_OVERLAPPING_ABSENCE,
        "start",
        start,
        **_record("absence", start, end, cadre, ident),
        **_other(other),
        reason=_reason(other.detail),
    )


def trip_too_long(
    cadre: str, start: date, end: date, max_days: int, ident: int | None = None
) -> Clash | None:
    """A trip longer than the policy's max_trip_days: a stay that long is an assignment."""
    days = (end - start).days + 1
    if days <= max_days:
        return None
    return _clash(
        "trip_too_long",
        Msg.CLASH_TRIP_TOO_LONG,
        "end",
        end,
        **_record("trip", start, end, cadre, ident),
        days=days,
        limit=max_days,
    )


def trip_clash(
    cadre: str,
    start: date,
    end: date,
    max_days: int,
    active_from: date | None,
    active_to: date | None,
    absences: Iterable[Held],
    ident: int | None = None,
) -> Clash | None:
    """What a trip contradicts besides a stored twin: its length, the post, an absence."""
    return (
        trip_too_long(cadre, start, end, max_days, ident)
        or outside_post("trip", cadre, start, end, active_from, active_to, ident)
        or trip_on_absence(cadre, start, end, absences, ident)
    )


def assignment_clash(
    cadre: str,
    start: date,
    end: date,
    cancelled: bool,
    active_from: date | None,
    active_to: date | None,
    assignments: Iterable[Held],
    ident: int | None = None,
) -> Clash | None:
    """What an assignment contradicts: the post, or (unless cancelled) another assignment."""
    return outside_post("assignment", cadre, start, end, active_from, active_to, ident) or (
        None if cancelled else overlapping_assignment(cadre, start, end, assignments, ident)
    )


def absence_clash(
    cadre: str,
    start: date,
    end: date,
    absences: Iterable[Held],
    trips: Iterable[Held],
    ident: int | None = None,
) -> Clash | None:
    """What an absence contradicts: another absence, or a trip on its days."""
    return overlapping_absence(cadre, start, end, absences, ident) or absence_over_trip(
        cadre, start, end, trips, ident
    )


def birth_in_future(cadre: str, birth: date | None, today: date) -> Clash | None:
    """A birth date after today."""
    if birth is None or birth <= today:
        return None
    return _clash(
        "birth_in_future",
        Msg.CLASH_BIRTH_IN_FUTURE,
        "birth_date",
        birth,
        cadre=cadre,
        birth=birth,
        today=today,
    )


# ------------------------------------------------------------------------ units' lives


def _not_alive(
    unit: Any, heirs: Iterable[str], start: date | None, end: date | None
) -> Message | None:
    """Why `unit` (an `orgtree.Life`) does not exist on every day of start..end (None: open),
    or None when it does: its first day, or its last day and successors."""
    if unit.alive_over(start, end):
        return None
    if unit.active_from is not None and (start is None or start < unit.active_from):
        return Msg.UNIT_FIRST_DAY(unit=unit.code, first=unit.active_from)
    return Msg.UNIT_LAST_DAY(unit=unit.code, last=unit.active_to, successors=successors(heirs))


def host_not_alive(
    what: str,
    cadre: str,
    start: date,
    end: date,
    host: Any,
    heirs: Iterable[str],
    ident: int | None = None,
) -> Clash | None:
    """A trip or assignment hosted by a unit that does not exist on all of its days."""
    why = _not_alive(host, heirs, start, end)
    if why is None:
        return None
    column = "unit" if what == "trip" else "host"
    return _clash(
        "host_not_alive",
        Msg.CLASH_HOST_NOT_ALIVE,
        column,
        host.code,
        **_record(what, start, end, cadre, ident),
        alive=why,
    )


def posting_not_alive(
    cadre: str, unit: Any, heirs: Iterable[str], start: date | None, end: date | None
) -> Clash | None:
    """A posting (of a cadre, over the days it holds in the post) at a unit not alive then."""
    why = _not_alive(unit, heirs, start, end)
    if why is None:
        return None
    return _clash(
        "posting_not_alive",
        Msg.CLASH_POSTING_NOT_ALIVE,
        "unit",
        unit.code,
        cadre=cadre,
        unit=unit.code,
        span=post_words(start, end) if start or end else Msg.ALWAYS_POSTED(),
        alive=why,
    )


def parent_not_alive(
    child: str, parent: Any, heirs: Iterable[str], start: date | None, end: date | None
) -> Clash | None:
    """A unit under a parent (over the days the link holds) that does not exist then."""
    why = _not_alive(parent, heirs, start, end)
    if why is None:
        return None
    return _clash(
        "parent_not_alive",
        Msg.CLASH_PARENT_NOT_ALIVE,
        "parent",
        parent.code,
        child=child,
        unit=parent.code,
        span=post_words(start, end) if start or end else Msg.ALWAYS_POSTED(),
        alive=why,
    )


def successor_not_alive(code: str, successor: Any, day: date) -> Clash | None:
    """A closed unit's successor that does not exist the day after its last."""
    return _clash(
        "successor_not_alive",
        Msg.CLASH_SUCCESSOR_NOT_ALIVE,
        "successors",
        successor.code,
        unit=code,
        code=successor.code,
        day=day,
        life=life(successor),
    )


def unknown_level(text: str, used: Iterable[str]) -> tuple[str, Clash | None]:
    """The level `text` names (known, or used by a unit), or a clash with 'did you mean'."""
    try:
        return vocabulary.level(text, used), None
    except vocabulary.UnknownWord as error:
        return text, _clash(
            "unknown_level", Msg.CLASH_UNKNOWN_LEVEL, "level", text, problem=error.message
        )
