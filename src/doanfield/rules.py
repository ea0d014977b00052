"""The union's rules as pure functions over plain dates and values (SPEC §3).

No database and no I/O here. Date ranges are inclusive `(start, end)` pairs; internally they are
turned into ordinal-day spans so that a year of a whole country's trips is counted quickly.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from typing import NamedTuple

from doanfield.domain import (
    AssignmentStatus,
    BadUsage,
    Category,
    DoanfieldError,
    InvalidValue,
    TrainingStatus,
    whole_number,
)
from doanfield.messages import Msg, Word
from doanfield.names import fold
from doanfield.vocabulary import CATEGORIES, LEVELS, reason, reason_code

DateRange = tuple[date, date]
Span = tuple[int, int]  # inclusive ordinal days


# ---------------------------------------------------------------- calendar arithmetic


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def year_bounds(year: int) -> DateRange:
    return date(year, 1, 1), date(year, 12, 31)


def add_months(start: date, months: int) -> date:
    """Same day of month `months` later, clamped to that month's last day."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def end_for_months(start: date, months: int) -> date:
    """The inclusive end of a stint of exactly `months` months from `start`."""
    return add_months(start, months) - timedelta(days=1)


def lasts_months(start: date, end: date, months: int) -> bool:
    return end + timedelta(days=1) >= add_months(start, months)


def age_on(birth: date, on: date) -> int:
    """Whole years on a date; a birthday not yet reached that year does not count."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def default_as_of(year: int, today: date) -> date:
    return min(date(year, 12, 31), today)


@dataclass(frozen=True)
class Period:
    """What a report for `year` counts: 1 January of the year to `end`, the as-of date."""

    year: int
    end: date

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)


def report_period(year: int, as_of: date | None, today: date) -> Period:
    """The period of a report for `year` as of `as_of` (default: 31 Dec, or today if earlier).

    An as-of date outside the year is bad usage; a year that has not begun cannot be reported.
    """
    if as_of is not None and as_of.year != year:
        raise BadUsage(Msg.AS_OF_OUTSIDE_YEAR, date=as_of, year=year)
    if date(year, 1, 1) > today:
        raise DoanfieldError(Msg.YEAR_NOT_BEGUN, year=year, today=today)
    return Period(year, as_of or default_as_of(year, today))


def assignment_status(start: date, end: date, as_of: date, cancelled: bool) -> AssignmentStatus:
    if cancelled:
        return AssignmentStatus.cancelled
    if end <= as_of:
        return AssignmentStatus.completed
    if start <= as_of:
        return AssignmentStatus.active
    return AssignmentStatus.planned


# ---------------------------------------------------------------- day sets as merged spans


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Disjoint, sorted spans covering exactly the days of the given ones."""
    merged: list[Span] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1] + 1:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def clip_spans(spans: Sequence[Span], lo: int, hi: int) -> list[Span]:
    """The days of sorted, disjoint `spans` within lo..hi."""
    if not spans or (spans[0][0] >= lo and spans[-1][1] <= hi):  # most often: all inside
        return list(spans)
    return [(max(a, lo), min(b, hi)) for a, b in spans if b >= lo and a <= hi]


def subtract_spans(spans: Sequence[Span], holes: Sequence[Span]) -> list[Span]:
    """Days of `spans` that are not in `holes` (both merged)."""
    out: list[Span] = []
    for lo, hi in spans:
        cursor = lo
        for a, b in holes:
            if b < cursor or a > hi:
                continue
            if a > cursor:
                out.append((cursor, a - 1))
            cursor = max(cursor, b + 1)
            if cursor > hi:
                break
        if cursor <= hi:
            out.append((cursor, hi))
    return out


def intersect_spans(spans: Sequence[Span], others: Sequence[Span]) -> list[Span]:
    """Days in both (both merged): the field days that are active days."""
    if len(others) == 1:  # most cadres: in post all period, no absence
        return clip_spans(spans, others[0][0], others[0][1])
    out: list[Span] = []
    i = j = 0
    while i < len(spans) and j < len(others):
        lo = max(spans[i][0], others[j][0])
        hi = min(spans[i][1], others[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if spans[i][1] < others[j][1]:
            i += 1
        else:
            j += 1
    return out


def count_days(spans: Iterable[Span]) -> int:
    total = 0
    for lo, hi in spans:  # a plain loop: twice as quick as sum() over a generator here
        total += hi - lo + 1
    return total


def to_span(start: date, end: date) -> Span:
    return start.toordinal(), end.toordinal()


# ---------------------------------------------------------------- policy


TRAINING_CATEGORIES_DEFAULT = (
    Category.provincial_leader.value,
    Category.provincial_staff.value,
    Category.district_key.value,
)
EXEMPT_REASONS_DEFAULT = ("study", "sick", "maternity")


@dataclass(frozen=True)
class Policy:
    """The ledger's rule settings for one year; provinces set their own targets."""

    field_days_per_year: int = 60
    weekly_field_days: int = 1
    training_months: int = 3
    assignment_counts_as_field: bool = True
    training_categories: tuple[str, ...] = field(default=TRAINING_CATEGORIES_DEFAULT)
    # Absences for these reasons are not active days; others (annual leave) change nothing.
    exempt_absence_reasons: tuple[str, ...] = field(default=EXEMPT_REASONS_DEFAULT)
    # The days a cadre must spend at host units of each level (none by default).
    min_days_by_host_level: tuple[tuple[str, int], ...] = ()
    # A trip's (and an assignment's) report is due within this many days of its last day;
    # 0: reports are not tracked.
    trip_report_days: int = 0
    max_trip_days: int = 31  # a longer stay is an assignment, not a trip

    def as_dict(self) -> dict[str, object]:
        return {f.name: _policy_value_out(f.name, getattr(self, f.name)) for f in fields(self)}


# Keys whose value a unit may set for itself; max_trip_days is checked on every record the
# same way, whoever holds it.
UNIT_KEYS = (
    "field_days_per_year",
    "weekly_field_days",
    "training_months",
    "assignment_counts_as_field",
    "training_categories",
    "exempt_absence_reasons",
    "min_days_by_host_level",
    "trip_report_days",
)


POLICY_KEYS = tuple(f.name for f in fields(Policy))


def _policy_value_out(key: str, value: object) -> object:
    if key == "min_days_by_host_level":
        return dict(value)  # type: ignore[call-overload]  # level=days pairs
    return list(value) if isinstance(value, tuple) else value


def policy_text(key: str, value: object) -> str:
    """A value as `policy set` takes it: 'study,sick', 'branch=30,commune=20', 'true', '60'."""
    out = _policy_value_out(key, value)
    if isinstance(out, dict):
        return ",".join(f"{k}={v}" for k, v in out.items())
    if isinstance(out, list):
        return ",".join(str(v) for v in out)
    return str(out).lower() if isinstance(out, bool) else str(out)


def parse_policy_value(key: str, text: str) -> object:
    """Check a `policy set KEY VALUE` and return it in its own type."""
    if key not in POLICY_KEYS:
        raise InvalidValue(Msg.POLICY_UNKNOWN_KEY, key=key, known=POLICY_KEYS)
    raw = text.strip()
    if key == "assignment_counts_as_field":
        truthy, falsy = {"true", "yes", "1", "on", "có"}, {"false", "no", "0", "off", "không"}
        if raw.lower() in truthy:
            return True
        if raw.lower() in falsy:
            return False
        raise InvalidValue(Msg.POLICY_NOT_BOOL, key=key, value=text)
    if key == "training_categories":
        codes = []
        for name in (part.strip() for part in raw.split(",") if part.strip()):
            code = CATEGORIES.code(name)  # a code or its Vietnamese words
            if code is None:
                known = [Word(c.value, "category") for c in Category]
                raise InvalidValue(Msg.POLICY_UNKNOWN_CATEGORY, value=name, key=key, known=known)
            codes.append(code)
        return tuple(codes)
    if key == "exempt_absence_reasons":
        # A known reason by its code or Vietnamese words ('nghỉ ốm' is sick); others as written.
        return tuple(reason_code(reason(part)) for part in raw.split(",") if part.strip())
    if key == "min_days_by_host_level":
        return _level_days(key, raw, text)
    number = whole_number(raw)
    if number is None:
        raise InvalidValue(Msg.POLICY_NOT_NUMBER, key=key, value=text)
    limits = {
        "field_days_per_year": (0, 366),
        "weekly_field_days": (0, 7),
        "training_months": (0, 120),
        "max_trip_days": (1, 366),
        "trip_report_days": (0, 366),
    }
    low, high = limits[key]
    if not low <= number <= high:
        raise InvalidValue(Msg.POLICY_OUT_OF_RANGE, key=key, low=low, high=high, value=number)
    return number


def _level_days(key: str, raw: str, text: str) -> tuple[tuple[str, int], ...]:
    """'branch=30, xã=20' -> (('branch', 30), ('commune', 20)): known levels by their code."""
    pairs: dict[str, int] = {}
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        name, sep, number = part.partition("=")
        name = " ".join(name.split())
        days = whole_number(number)
        if not sep or not name or days is None:
            raise InvalidValue(Msg.POLICY_NOT_LEVEL_DAYS, key=key, value=part)
        if days > 366:
            raise InvalidValue(Msg.POLICY_OUT_OF_RANGE, key=key, low=0, high=366, value=days)
        level = LEVELS.code(name) or name
        if level in pairs:
            raise InvalidValue(Msg.POLICY_LEVEL_TWICE, key=key, level=Word(level, "level"))
        pairs[level] = days
    return tuple(pairs.items())


class Setting(NamedTuple):
    """A stored rule value: from `from_year` on, for `unit` and below it (None: ledger-wide)."""

    key: str
    from_year: int
    value: str
    unit: str | None = None


def chosen_settings(
    settings: Iterable[Setting], year: int, chain: Sequence[str] = ()
) -> dict[str, Setting]:
    """The setting in force in `year` for each key that has one, for a unit whose `chain` is
    itself and the units above it, nearest first (empty: the ledger-wide values).

    Each key takes the value set on the nearest unit of the chain, else the ledger-wide one —
    each time the one with the latest `from_year` not after `year`. Keys with none keep their
    default.
    """
    rank = {unit: index for index, unit in enumerate(chain)}
    chosen: dict[str, tuple[int, int, Setting]] = {}  # key -> (nearness, -from_year, setting)
    for setting in settings:
        near = len(chain) if setting.unit is None else rank.get(setting.unit)
        if setting.from_year > year or near is None:
            continue
        best = chosen.get(setting.key)
        if best is None or (near, -setting.from_year) < best[:2]:
            chosen[setting.key] = (near, -setting.from_year, setting)
    return {key: found for key, (_, _, found) in chosen.items()}


def policy_for_year(settings: Iterable[Setting], year: int, chain: Sequence[str] = ()) -> Policy:
    """The values in force in `year` (`chosen_settings`), the defaults for the rest."""
    chosen = chosen_settings(settings, year, chain)
    values = {key: parse_policy_value(key, s.value) for key, s in chosen.items()}
    return replace(Policy(), **values)  # type: ignore[arg-type]


class PolicyBook:
    """Every stored setting, answering "the values in force for this unit in this year" once
    per distinct answer (a national report asks it for every cadre)."""

    def __init__(self, settings: Iterable[Setting], year: int) -> None:
        self.settings = list(settings)
        self.year = year
        self.units = {s.unit for s in self.settings if s.unit is not None}
        self.ledger_wide = policy_for_year(self.settings, year)
        self._cache: dict[tuple[str, ...], Policy] = {(): self.ledger_wide}

    def longest_report_days(self) -> int:
        """The largest trip_report_days any unit (or the ledger) has in force: 0 when reports
        are tracked nowhere, so that a report need not read them."""
        found = [
            whole_number(s.value)
            for s in self.settings
            if s.key == "trip_report_days" and s.from_year <= self.year
        ]
        return max((days for days in found if days is not None), default=0)

    def policy(self, chain: Sequence[str]) -> Policy:
        """The policy for the unit whose chain (itself, then those above it) is given."""
        relevant = tuple(u for u in chain if u in self.units)
        found = self._cache.get(relevant)
        if found is None:
            found = self._cache[relevant] = policy_for_year(self.settings, self.year, relevant)
        return found


class UnitPolicies:
    """The values in force for each report row: those of the row's posting unit on the row's
    day (SPEC §2), each distinct answer worked out once. `chain_of(unit, day)`: the unit and
    the units above it that day, nearest first."""

    def __init__(self, book: PolicyBook, chain_of: Callable[[str, date], Sequence[str]]) -> None:
        self.book = book
        self._chain_of = chain_of
        self._chains: dict[tuple[str, date], Sequence[str]] = {}

    @property
    def ledger_wide(self) -> Policy:
        return self.book.ledger_wide

    def at(self, unit: str, day: date) -> Policy:
        if not self.book.units:  # nothing set for a unit: every row has the ledger's values
            return self.book.ledger_wide
        chain = self._chains.get((unit, day))
        if chain is None:
            chain = self._chains[(unit, day)] = self._chain_of(unit, day)
        return self.book.policy(chain)


def is_exempt(stored_reason: str, exempt: Sequence[str]) -> bool:
    """Whether an absence's reason is one that exempts ('study: …' is study)."""
    code = fold(reason_code(stored_reason))
    return any(code == fold(r) for r in exempt)


# ---------------------------------------------------------------- per-cadre rules


def field_spans(
    trips: Iterable[Span],
    assignments: Iterable[DateRange],
    count_assignments: bool,
) -> list[Span]:
    """Merged days at the grassroots: trips, and non-cancelled assignments if the policy says so."""
    spans = list(trips)
    if count_assignments:
        spans.extend(to_span(s, e) for s, e in assignments)
    return merge_spans(spans)


def field_days(
    trips: Iterable[DateRange],
    assignments: Iterable[DateRange],
    year: int,
    count_assignments: bool = True,
) -> int:
    """Distinct dates of `year` covered by any trip (or assignment); overlaps count once."""
    lo, hi = (d.toordinal() for d in year_bounds(year))
    spans = field_spans((to_span(s, e) for s, e in trips), assignments, count_assignments)
    return count_days(clip_spans(spans, lo, hi))


def active_spans(
    active_from: date | None,
    active_to: date | None,
    absences: Iterable[DateRange],
    lo: int,
    hi: int,
) -> list[Span]:
    """Days in lo..hi within the post's dates (open ends: always) less the absence days."""
    start = max(lo, active_from.toordinal()) if active_from else lo
    end = min(hi, active_to.toordinal()) if active_to else hi
    if start > end:
        return []
    return subtract_spans([(start, end)], merge_spans(to_span(s, e) for s, e in absences))


def post_overlaps_year(active_from: date | None, active_to: date | None, year: int) -> bool:
    first, last = year_bounds(year)
    return (active_from is None or active_from <= last) and (
        active_to is None or active_to >= first
    )


def required_days(per_year: int, active_days: int, year: int) -> int:
    """`per_year` pro-rated by the active part of the year, rounded up."""
    return -(-per_year * active_days // days_in_year(year))


@functools.cache
def iso_year_bounds(year: int) -> tuple[int, int, int]:
    """First Monday's ordinal, last Sunday's ordinal and number of ISO weeks of ISO year `year`."""
    weeks = date(year, 12, 28).isocalendar().week
    first = date.fromisocalendar(year, 1, 1).toordinal()
    return first, first + weeks * 7 - 1, weeks


def _days_per_week(spans: Iterable[Span], first_monday: int) -> dict[int, int]:
    counts: dict[int, int] = {}
    for lo, hi in spans:
        day = lo
        while day <= hi:
            week = (day - first_monday) // 7
            week_end = first_monday + week * 7 + 6
            upto = min(hi, week_end)
            counts[week] = counts.get(week, 0) + upto - day + 1
            day = upto + 1
    return counts


def _week_mask(spans: Iterable[Span], first_monday: int) -> int:
    """Bit w set when a span touches week w (counted from `first_monday`)."""
    mask = 0
    for lo, hi in spans:
        first = (lo - first_monday) // 7
        mask |= ((2 << ((hi - first_monday) // 7 - first)) - 1) << first
    return mask


def weeks_met(
    field: Sequence[Span], active: Sequence[Span], iso_year: int, needed: int
) -> tuple[int, int]:
    """(weeks met, weeks with an active day) of ISO year `iso_year`; spans as for `weekly`."""
    first = iso_year_bounds(iso_year)[0]
    active_weeks = _week_mask(active, first)
    total = active_weeks.bit_count()
    if needed <= 0:
        return total, total
    if needed == 1:
        return (active_weeks & _week_mask(field, first)).bit_count(), total
    counts = _days_per_week(field, first)
    met = sum(1 for w, n in counts.items() if n >= needed and (active_weeks >> w) & 1)
    return met, total


@dataclass(frozen=True)
class WeeklyResult:
    weeks_met: int
    weeks_total: int
    missed: tuple[str, ...]  # "2024-W07"
    strip: tuple[str, ...]  # per ISO week: "met", "missed" or "inactive"


def weekly(
    field: Sequence[Span],
    active: Sequence[Span],
    iso_year: int,
    needed: int,
) -> WeeklyResult:
    """'4 days at the office, 1 at the grassroots': each ISO week with an active day, met or not.

    `field` and `active` are merged spans, already limited to the ISO year's weeks.
    """
    first, _, weeks = iso_year_bounds(iso_year)
    active_weeks = _week_mask(active, first)
    field_weeks = _days_per_week(field, first)
    strip: list[str] = []
    missed: list[str] = []
    for week in range(weeks):
        if not (active_weeks >> week) & 1:
            strip.append("inactive")
        elif field_weeks.get(week, 0) >= needed:
            strip.append("met")
        else:
            strip.append("missed")
            missed.append(f"{iso_year}-W{week + 1:02d}")
    met = strip.count("met")
    return WeeklyResult(met, met + len(missed), tuple(missed), tuple(strip))


@dataclass(frozen=True)
class Stint:
    """An assignment as the training rule sees it."""

    start: date
    end: date
    cancelled: bool = False
    report_date: date | None = None
    host: int | None = None  # the host unit's id
    ident: int = 0  # the assignment's #id


def training_status(
    stints: Iterable[Stint],
    as_of: date,
    required: bool,
    months: int,
) -> tuple[TrainingStatus, bool]:
    """Status of the 3-month training and whether a done stint still owes its report."""
    if not required:
        return TrainingStatus.not_required, False
    if not stints:  # most cadres: no assignment at all
        return TrainingStatus.missing, False
    long_enough = [s for s in stints if not s.cancelled and lasts_months(s.start, s.end, months)]
    done = [s for s in long_enough if s.end <= as_of]
    if done:
        filed = any(s.report_date is not None and s.report_date <= as_of for s in done)
        return TrainingStatus.done, not filed
    if any(s.start <= as_of < s.end for s in long_enough):
        return TrainingStatus.in_progress, False
    if any(as_of < s.start for s in long_enough):
        return TrainingStatus.planned, False
    return TrainingStatus.missing, False


# ---------------------------------------------------------------- a cadre's period


@dataclass(frozen=True)
class Figures:
    """One cadre's figures for a period (SPEC §3)."""

    field_days: int
    active_days: int
    required_days: int
    weeks_met: int
    weeks_total: int
    days_by_level: dict[str, int]  # field days at host units of each level
    level_minimums: dict[str, int]  # each level's minimum, pro-rated like the required days
    field_ok: bool  # 1+2: enough field days, and enough at every level with a minimum
    active: list[Span]  # the active days of the period
    field: list[Span]  # the field days themselves
    weekly: WeeklyResult | None = None  # week by week, when asked for

    def short_at(self) -> dict[str, int]:
        """Days missing at each level whose minimum is not reached."""
        got = self.days_by_level
        return {
            level: need - got.get(level, 0)
            for level, need in self.level_minimums.items()
            if got.get(level, 0) < need
        }


@dataclass(slots=True)
class Post:
    """What the rules need of one cadre besides their trips: the post's dates, the policy in
    force for their row, absences (with the reason) and assignments."""

    active_from: date | None
    active_to: date | None
    policy: Policy
    absences: list[tuple[date, date, str]] = field(default_factory=list)
    stints: list[Stint] = field(default_factory=list)


def stays(
    trips: Sequence[Span], hosts: Sequence[int | None], stints: Sequence[Stint], policy: Policy
) -> tuple[list[Span], list[int | None]]:
    """The days at the grassroots that count, with their hosts: the trips, and the non-cancelled
    assignments when the policy counts them."""
    if not policy.assignment_counts_as_field or not stints:
        return list(trips), list(hosts)
    live = [s for s in stints if not s.cancelled]
    return [*trips, *(to_span(s.start, s.end) for s in live)], [*hosts, *(s.host for s in live)]


def cadre_figures(
    period: Period,
    active_from: date | None,
    active_to: date | None,
    absences: Sequence[tuple[date, date, str]],
    trips: Sequence[Span],
    hosts: Sequence[int | None],
    stints: Sequence[Stint],
    policy: Policy,
    level_of: Mapping[int | None, str],
    week_by_week: bool = False,
) -> Figures:
    """Field days, required days, days by host level and weeks of one cadre in `period`, with
    the cadre's own policy.

    Active days: the period's days in the post, less absences whose reason exempts. Field days:
    the active days covered by a trip or (when the policy counts them) a non-cancelled
    assignment; required days: `field_days_per_year` pro-rated by the active days, rounded up,
    and so each level's minimum. Days by level: `hosts` are the trips' host units, `level_of`
    gives a unit's level. Weeks: the ISO weeks of the year with an active day up to the as-of
    date.
    """
    p_lo, p_hi = period.start.toordinal(), period.end.toordinal()
    first_monday, last_sunday, _ = iso_year_bounds(period.year)
    w_lo, w_hi = first_monday, min(last_sunday, p_hi)
    exempt = policy.exempt_absence_reasons
    away = [(s, e) for s, e, why in absences if is_exempt(why, exempt)] if absences else []
    active = active_spans(active_from, active_to, away, min(p_lo, w_lo), p_hi)
    spans, hosted_by = stays(trips, hosts, stints, policy)
    field = merge_spans(spans)
    counted = intersect_spans(field, active) if active and field else []
    period_active = clip_spans(active, p_lo, p_hi)
    period_counted = clip_spans(counted, p_lo, p_hi)
    days = count_days(period_counted)
    active_days = count_days(period_active)
    by_level = days_by(spans, hosted_by, level_of, period_active, period_counted, days)
    required = required_days(policy.field_days_per_year, active_days, period.year)
    minimums = {
        level: required_days(need, active_days, period.year)
        for level, need in policy.min_days_by_host_level
    }
    ok = days >= required and all(by_level.get(k, 0) >= n for k, n in minimums.items())
    week_active = clip_spans(active, w_lo, w_hi)
    week_field = clip_spans(counted, w_lo, w_hi)
    result = None
    if week_by_week:
        result = weekly(week_field, week_active, period.year, policy.weekly_field_days)
        met, total = result.weeks_met, result.weeks_total
    else:
        met, total = weeks_met(week_field, week_active, period.year, policy.weekly_field_days)
    return Figures(
        days,
        active_days,
        required,
        met,
        total,
        by_level,
        minimums,
        ok,
        period_active,
        period_counted,
        result,
    )


def days_by(
    spans: Sequence[Span],
    hosts: Sequence[int | None],
    group_of: Mapping[int | None, str],
    active: Sequence[Span],
    counted: Sequence[Span],
    counted_days: int | None = None,
) -> dict[str, int]:
    """The active days covered by a stay hosted in each group, groups with none left out.

    A day may count for several groups; a stay whose host `group_of` does not name counts for
    none. `counted`: every field day (all stays merged, limited to `active`; `counted_days`
    their number when known), which is the answer when every stay has the same group.
    """
    if not spans:
        return {}
    groups = set(map(group_of.get, set(hosts)))
    if len(groups) == 1:
        (only,) = groups
        days = count_days(counted) if counted_days is None else counted_days
        return {only: days} if only is not None and days else {}
    grouped: dict[str, list[Span]] = {}
    for span, host in zip(spans, hosts, strict=True):
        group = group_of.get(host)
        if group is not None:
            grouped.setdefault(group, []).append(span)
    counts = {g: count_days(intersect_spans(merge_spans(p), active)) for g, p in grouped.items()}
    return {group: days for group, days in counts.items() if days}


# ---------------------------------------------------------------- reports after a stay


@dataclass(frozen=True)
class Due:
    """A trip's or assignment's report that is overdue or was filed late."""

    kind: str  # "trip" or "assignment"
    ident: int
    start: date
    end: date
    due: date
    report_date: date | None
    status: str  # "overdue" or "late"


def reports_due(
    kind: str,
    stays: Iterable[tuple[int, date, date, date | None]],
    period: Period,
    days: int,
) -> list[Due]:
    """The reports of `stays` (#id, start, end, report date) that are overdue or were late in
    `period`, with `days` to file each (0: not tracked).

    A stay ending on E is due on E + days. As of A (the period's end) it is overdue when
    A > E + days and no report was filed by A; a report filed after E + days was late. Each
    belongs to the period in which it first was late, the day after its due date: so a
    December trip whose report falls due in January counts in the next year, once.
    """
    if days <= 0:
        return []
    found = []
    for ident, start, end, filed in stays:
        due = end + timedelta(days=days)
        first_late = due + timedelta(days=1)
        if not period.start <= first_late <= period.end:
            continue
        if filed is not None and filed <= period.end:
            if filed > due:
                found.append(Due(kind, ident, start, end, due, filed, "late"))
        else:
            found.append(Due(kind, ident, start, end, due, None, "overdue"))
    return found


# ---------------------------------------------------------------- plan progress


@dataclass(frozen=True)
class Quota:
    level: str
    target: int
    max_age: int | None = None


@dataclass(frozen=True)
class PlanStint:
    assignment: int
    cadre: str
    level: str
    birth: date | None
    start: date
    end: date
    cancelled: bool = False


@dataclass(frozen=True)
class QuotaProgress:
    level: str
    target: int
    assigned: int
    active: int
    completed: int
    max_age: int | None


@dataclass(frozen=True)
class AgeViolation:
    assignment: int
    cadre: str
    age: int
    max_age: int


def plan_progress(
    quotas: Sequence[Quota], stints: Iterable[PlanStint], as_of: date
) -> tuple[list[QuotaProgress], list[AgeViolation]]:
    """Cadres assigned / active / completed per quota level, and assignments over the age limit."""
    by_level = {q.level: q for q in quotas}
    assigned: dict[str, set[str]] = {q.level: set() for q in quotas}
    active: dict[str, set[str]] = {q.level: set() for q in quotas}
    completed: dict[str, set[str]] = {q.level: set() for q in quotas}
    violations: list[AgeViolation] = []
    for s in stints:
        quota = by_level.get(s.level)
        if s.cancelled or quota is None:
            continue
        assigned[s.level].add(s.cadre)
        status = assignment_status(s.start, s.end, as_of, False)
        if status is AssignmentStatus.active:
            active[s.level].add(s.cadre)
        elif status is AssignmentStatus.completed:
            completed[s.level].add(s.cadre)
        if quota.max_age is not None and s.birth is not None:
            age = age_on(s.birth, s.start)
            if age > quota.max_age:
                violations.append(AgeViolation(s.assignment, s.cadre, age, quota.max_age))
    progress = [
        QuotaProgress(
            q.level,
            q.target,
            len(assigned[q.level]),
            len(active[q.level]),
            len(completed[q.level]),
            q.max_age,
        )
        for q in quotas
    ]
    violations.sort(key=lambda v: v.assignment)
    return progress, violations
