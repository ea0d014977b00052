"""Records that contradict the ledger (SPEC §4), found by named checks.

Each check is a pure function over plain values: the record, and what the ledger (or the file
being imported) already holds that it could clash with. It returns a `Clash` naming the stored
record, or None. The commands, the importers, the trip import's fast path and `db check` all run
these same functions, so a record is judged the same way wherever it comes from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from doanfield import vocabulary
from doanfield.domain import Conflict

# Each message in English and Vietnamese, side by side; `{…}` values are filled in per language.
TEXTS: dict[str, tuple[str, str]] = {
    "duplicate_trip": (
        "{record} {span} repeats {other} (same cadre {cadre}, dates, kind {kind}, place '{place}')",
        "{record} {span} trùng với {other} đã có (cùng cán bộ {cadre}, ngày, hình thức {kind}, "
        "địa điểm '{place}')",
    ),
    "outside_post": (
        "{record} {span} is outside {cadre}'s post ({post})",
        "{record} {span} nằm ngoài thời gian giữ chức vụ của {cadre} ({post})",
    ),
    "trip_on_absence": (
        "{record} {span} falls on {other} of {cadre} ({other_span}, {reason})",
        "{record} {span} trùng thời gian {other} của {cadre} ({other_span}, {reason})",
    ),
    "absence_over_trip": (
        "{record} {span} covers {other} of {cadre} ({other_span}); move or remove the trip first",
        "{record} {span} trùng {other} của {cadre} ({other_span}); "
        "hãy sửa hoặc xóa đợt đi cơ sở đó trước",
    ),
    "overlapping_assignment": (
        "{record} {span} overlaps {other} of {cadre} ({other_span}, host {host})",
        "{record} {span} trùng thời gian với {other} của {cadre} ({other_span}, tại {host})",
    ),
    "overlapping_absence": (
        "{record} {span} overlaps {other} of {cadre} ({other_span}, {reason})",
        "{record} {span} trùng thời gian với {other} của {cadre} ({other_span}, {reason})",
    ),
    "trip_too_long": (
        "{record} {span} lasts {days} days, more than max_trip_days ({limit}); "
        "a stay that long is an assignment",
        "{record} {span} kéo dài {days} ngày, quá max_trip_days ({limit}); "
        "ở cơ sở dài như vậy là một đợt tăng cường",
    ),
    "birth_in_future": (
        "birth date {birth} of {cadre} is in the future (today is {today})",
        "ngày sinh {birth} của {cadre} ở tương lai (hôm nay là {today})",
    ),
    "unknown_level": (
        "{problem}; a new level is added with: unit add CODE --level LEVEL --new-level",
        "{problem}; thêm cấp mới bằng: unit add MÃ --level CẤP --new-level",
    ),
}
RECORDS = {
    "trip": ("trip", "đợt đi cơ sở"),
    "assignment": ("assignment", "đợt tăng cường"),
    "absence": ("absence", "đợt vắng mặt"),
}


def _day(value: date, lang: str) -> str:
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()


def _span(start: date, end: date, lang: str) -> str:
    if start == end:
        return ("ngày " if lang == "vi" else "on ") + _day(start, lang)
    joint = " đến " if lang == "vi" else " to "
    return _day(start, lang) + joint + _day(end, lang)


@dataclass(frozen=True)
class Span:
    """A record's inclusive dates."""

    start: date
    end: date

    def overlaps(self, other: Span) -> bool:
        return self.start <= other.end and other.start <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


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

    def name(self, lang: str) -> str:
        what = RECORDS[self.what][lang == "vi"]
        if self.ident is not None:
            return f"{what} #{self.ident}"
        return f"{what} ({'dòng' if lang == 'vi' else 'line'} {self.line})"

    def same(self, ident: int | None) -> bool:
        return ident is not None and self.ident == ident


@dataclass(frozen=True)
class Clash:
    """What a record contradicts: the check's name, and the words for each language."""

    check: str
    column: str  # the field to blame in an import row
    value: str  # the value to show with it
    values: dict[str, tuple[str, str]]  # name -> (English, Vietnamese)

    def in_language(self, lang: str) -> str:
        index = 1 if lang == "vi" else 0
        return TEXTS[self.check][index].format(**{k: v[index] for k, v in self.values.items()})

    def __str__(self) -> str:
        return self.in_language("en")


def _both(make: Callable[[str], str]) -> tuple[str, str]:
    """(English, Vietnamese) of a value made per language."""
    return make("en"), make("vi")


def _same(text: str) -> tuple[str, str]:
    return text, text


def _record(
    what: str, start: date, end: date, cadre: str, ident: int | None
) -> dict[str, tuple[str, str]]:
    en, vi = RECORDS[what]
    number = f" #{ident}" if ident is not None else ""
    return {
        "record": (en + number, vi + number),
        "span": _both(lambda lang: _span(start, end, lang)),
        "cadre": _same(cadre),
    }


def _other(held: Held) -> dict[str, tuple[str, str]]:
    return {
        "other": _both(held.name),
        "other_span": _both(lambda lang: _span(held.start, held.end, lang)),
    }


def _reason(stored: str) -> tuple[str, str]:
    if not stored:
        return ("no reason given", "không ghi lý do")
    return _both(lambda lang: vocabulary.reason_label(stored, lang))


class Contradiction(Conflict):
    """A record refused because it contradicts the ledger (exit 1), in the user's language."""

    def __init__(self, clash: Clash) -> None:
        super().__init__(clash.in_language("en"))
        self.clash = clash

    def in_language(self, lang: str) -> str:
        return self.clash.in_language(lang)


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
            return Clash(
                "duplicate_trip",
                "start",
                start.isoformat(),
                {
                    **_record("trip", start, end, cadre, ident),
                    **_other(other),
                    "kind": _both(lambda lang: vocabulary.TRIP_KINDS.label(kind, lang)),
                    "place": _same(place),
                },
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

    def post(lang: str) -> str:
        vi = lang == "vi"
        if active_from is not None and active_to is not None:
            joint = " đến " if vi else " to "
            return _day(active_from, lang) + joint + _day(active_to, lang)
        if active_from is not None:
            return ("từ " if vi else "from ") + _day(active_from, lang)
        assert active_to is not None
        return ("đến " if vi else "until ") + _day(active_to, lang)

    column, value = ("start", start) if early else ("end", end)
    return Clash(
        "outside_post",
        column,
        value.isoformat(),
        {**_record(what, start, end, cadre, ident), "post": _both(post)},
    )


def trip_on_absence(
    cadre: str, start: date, end: date, absences: Iterable[Held], ident: int | None = None
) -> Clash | None:
    """A trip on a day of one of the cadre's absences."""
    absence = first_overlap(start, end, absences)
    if absence is None:
        return None
    return Clash(
        "trip_on_absence",
        "start",
        start.isoformat(),
        {
            **_record("trip", start, end, cadre, ident),
            **_other(absence),
            "reason": _reason(absence.detail),
        },
    )


def absence_over_trip(
    cadre: str, start: date, end: date, trips: Iterable[Held], ident: int | None = None
) -> Clash | None:
    """An absence over days on which the cadre is recorded at the grassroots (the same clash
    as a trip on an absence, met from the other side)."""
    trip = first_overlap(start, end, trips)
    if trip is None:
        return None
    return Clash(
        "absence_over_trip",
        "start",
        start.isoformat(),
        {**_record("absence", start, end, cadre, ident), **_other(trip)},
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
    return Clash(
        "overlapping_assignment",
        "start",
        start.isoformat(),
        {
            **_record("assignment", start, end, cadre, ident),
            **_other(other),
            "host": _same(other.detail),
        },
    )


def overlapping_absence(
    cadre: str, start: date, end: date, absences: Iterable[Held], ident: int | None = None
) -> Clash | None:
    """Two absences of one cadre at the same time."""
    other = first_overlap(start, end, absences, ident)
    if other is None:
        return None
    return Clash(
        "overlapping_absence",
        "start",
        start.isoformat(),
        {
            **_record("absence", start, end, cadre, ident),
            **_other(other),
            "reason": _reason(other.detail),
        },
    )


def trip_too_long(
    cadre: str, start: date, end: date, max_days: int, ident: int | None = None
) -> Clash | None:
    """A trip longer than the policy's max_trip_days: a stay that long is an assignment."""
    days = (end - start).days + 1
    if days <= max_days:
        return None
    return Clash(
        "trip_too_long",
        "end",
        end.isoformat(),
        {
            **_record("trip", start, end, cadre, ident),
            "days": _same(str(days)),
            "limit": _same(str(max_days)),
        },
    )


def birth_in_future(cadre: str, birth: date | None, today: date) -> Clash | None:
    """A birth date after today."""
    if birth is None or birth <= today:
        return None
    return Clash(
        "birth_in_future",
        "birth_date",
        birth.isoformat(),
        {
            "cadre": _same(cadre),
            "birth": _both(lambda lang: _day(birth, lang)),
            "today": _both(lambda lang: _day(today, lang)),
        },
    )


def unknown_level(text: str, used: Iterable[str]) -> tuple[str, Clash | None]:
    """The level `text` names (known, or used by a unit), or a clash with 'did you mean'."""
    try:
        return vocabulary.level(text, used), None
    except vocabulary.UnknownWord as error:
        return text, Clash(
            "unknown_level",
            "level",
            text,
            {"problem": (error.in_language("en"), error.in_language("vi"))},
        )
