"""Reports: load what a report needs in a few set-based queries, then apply `rules` in one pass.

Each report is a plain dataclass with `to_json()`, whose keys are those of SPEC §4.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from doanfield import checks, ledger, names, orgtree, rules
from doanfield.compliance import Compliance, ComplianceRow, by_level
from doanfield.domain import InvalidValue, TrainingStatus
from doanfield.engine import day_number, stream_rows
from doanfield.messages import Msg
from doanfield.models import Absence, Assignment, Cadre, Trip, Unit

# ------------------------------------------------------------------------ loading


@dataclass
class CadreFacts:
    id: int
    code: str
    name: str
    given_name: str | None
    unit: str
    level: str
    category: str
    birth_date: date | None
    active_from: date | None
    active_to: date | None
    day: date  # the row's day: the last of the period in post, whose posting the row shows
    trips: list[rules.Span] = field(default_factory=list)
    hosts: list[int | None] = field(default_factory=list)  # each trip's host unit
    # Trips whose report may be late in the period (#id, start, end, report date): read only
    # when some unit tracks reports (`trip_report_days`).
    trip_reports: list[tuple[int, date, date, date | None]] = field(default_factory=list)
    stints: list[rules.Stint] = field(default_factory=list)
    absences: list[tuple[date, date, str]] = field(default_factory=list)  # with the reason

    def sort_key(self) -> Any:
        return names.cadre_sort_key(self.name, self.given_name)


# Up to this many cadres, a report reads their trips through the index rather than the year's.
LOOKED_UP_CADRES = 5000


def _window(period: rules.Period) -> tuple[date, date]:
    """The period and the ISO weeks of its year up to the as-of date, together."""
    first_monday = date.fromordinal(rules.iso_year_bounds(period.year)[0])
    return min(period.start, first_monday), period.end


def load_people(
    session: Session,
    period: rules.Period,
    unit: str | None = None,
    cadre: str | None = None,
) -> dict[int, CadreFacts]:
    """Cadres whose post overlaps `period`, by id, without their records yet.

    Each shows the posting (unit, category) of their last day in post in the period (SPEC §6);
    `unit` keeps those whose posting that day is at a unit the report's `--unit` covers
    (`covered_units`).
    """
    first, period_last = period.start, period.end
    query = select(
        Cadre.id,
        Cadre.code,
        Cadre.name,
        Cadre.given_name,
        Cadre.birth_date,
        Cadre.active_from,
        Cadre.active_to,
    ).where(
        (col(Cadre.active_from).is_(None)) | (col(Cadre.active_from) <= period_last),
        (col(Cadre.active_to).is_(None)) | (col(Cadre.active_to) >= first),
    )
    if cadre:
        query = query.where(Cadre.id == ledger.get_cadre(session, cadre).id)
    org = ledger.organisation(session)
    covered = covered_units(session, org, unit, first, period_last) if unit else None
    few = False
    if covered is not None:  # only a cadre posted at some covered unit can be reported
        posted = ledger.cadres_posted_at(session, covered)
        if len(posted) <= LOOKED_UP_CADRES:  # a province of a national ledger
            query, few = query.where(col(Cadre.id).in_(sorted(posted))), True
    people = session.connection().execute(query).all()
    postings = ledger.postings_of(session, [p[0] for p in people] if cadre or few else None)
    facts: dict[int, CadreFacts] = {}
    for ident, code, name, given, birth, active_from, active_to in people:
        day = orgtree.last_day_in_post(active_from, active_to, first, period_last)
        if day is None:  # not in post in the period (the query leaves none such)
            continue
        posting = orgtree.posting_on(postings[ident or 0], day)
        if covered is not None and posting.unit not in covered:
            continue
        level = org.life(posting.unit).level
        facts[ident or 0] = CadreFacts(
            ident or 0,
            code,
            name,
            given,
            posting.unit,
            level,
            posting.category,
            birth,
            active_from,
            active_to,
            day,
        )
    return facts


def load_cadres(
    session: Session,
    period: rules.Period,
    unit: str | None = None,
    cadre: str | None = None,
) -> list[CadreFacts]:
    """Cadres whose post overlaps `period` (`load_people`), with their trips, assignments and
    absences near it."""
    lo, hi = _window(period)
    facts = load_people(session, period, unit, cadre)
    if not facts:
        return []
    in_scope = facts.get  # the cadres the report covers; others' records are passed over
    conn = session.connection()
    trip_query: Any = (
        select(
            Trip.cadre_id,
            day_number(conn, Trip.start),
            day_number(conn, Trip.end),
            Trip.unit_id,
        )
        .where(Trip.start <= hi, Trip.end >= lo)
        .order_by(col(Trip.cadre_id))
    )
    if cadre or len(facts) <= LOOKED_UP_CADRES:  # a province: its cadres' trips, by the index
        trip_query = trip_query.where(col(Trip.cadre_id).in_(sorted(facts)))
    # The bulk of a national report: the driver's rows in cadre order (the covering index),
    # dates as day numbers; each cadre's run appended to its lists.
    current = None
    trips: list[rules.Span] | None = None
    hosts: list[int | None] = []
    for cadre_id, start, end, host in stream_rows(conn, trip_query, plain=True):
        if cadre_id != current:
            current = cadre_id
            f = in_scope(cadre_id)
            trips, hosts = (f.trips, f.hosts) if f is not None else (None, [])
        if trips is not None:
            trips.append((start, end))
            hosts.append(host)
    for cadre_id, start, end, cancelled, report_date, host, ident in session.exec(
        select(
            Assignment.cadre_id,
            Assignment.start,
            Assignment.end,
            Assignment.cancelled,
            Assignment.report_date,
            Assignment.host_id,
            Assignment.id,
        )
    ):
        if (f := in_scope(cadre_id)) is not None:
            f.stints.append(rules.Stint(start, end, cancelled, report_date, host, ident or 0))
    for cadre_id, start, end, reason in session.exec(
        select(Absence.cadre_id, Absence.start, Absence.end, Absence.reason).where(
            Absence.start <= hi, Absence.end >= lo
        )
    ):
        if (f := in_scope(cadre_id)) is not None:
            f.absences.append((start, end, reason))
    return sorted(facts.values(), key=lambda f: (f.unit, f.sort_key()))


def covered_units(
    session: Session, org: orgtree.Organisation, unit: str, first: date, last: date
) -> set[str]:
    """What `--unit` covers over first..last (SPEC §6); a unit that existed on no day of the
    period and was formed from nothing that did is refused, naming its dates and successors."""
    code = ledger.get_unit(session, unit).code
    if not org.existed_within(code, first, last):
        raise InvalidValue(
            Msg.UNIT_NOT_IN_PERIOD,
            code=code,
            life=checks.life(org.life(code)),
            first=first,
            last=last,
            successors=checks.successors(org.successors(code)),
        )
    return org.covered(code, first, last)


# ------------------------------------------------------------------------ compliance


@dataclass(frozen=True)
class CadreYear:
    """One cadre's figures for one period: what every report is made of."""

    figures: rules.Figures
    training: TrainingStatus
    report_pending: bool
    training_required: bool


def cadre_year(
    facts: CadreFacts,
    period: rules.Period,
    policy: rules.Policy,
    levels: Mapping[int | None, str],
    week_by_week: bool = False,
) -> CadreYear:
    """One cadre's figures with the cadre's own `policy`; `levels`: each unit's level by id."""
    figures = rules.cadre_figures(
        period,
        facts.active_from,
        facts.active_to,
        facts.absences,
        facts.trips,
        facts.hosts,
        facts.stints,
        policy,
        levels,
        week_by_week,
    )
    needs_training = facts.category in policy.training_categories
    status, pending = rules.training_status(
        facts.stints, period.end, needs_training, policy.training_months
    )
    return CadreYear(figures, status, pending, needs_training)


def with_policies(
    session: Session,
    period: rules.Period,
    unit: str | None = None,
    cadre: str | None = None,
) -> Iterator[tuple[CadreFacts, rules.Policy]]:
    """Every reported cadre with the policy in force for their row (the posting's unit on the
    row's day, SPEC §2), and the trips whose report may be late when reports are tracked."""
    policies = ledger.policies(session, period.year)
    cadres = load_cadres(session, period, unit, cadre)
    longest = policies.book.longest_report_days()
    if longest and cadres:
        _load_trip_reports(session, {f.id: f for f in cadres}, period, longest)
    for facts in cadres:
        yield facts, policies.at(facts.unit, facts.day)


def _load_trip_reports(
    session: Session, facts: dict[int, CadreFacts], period: rules.Period, longest: int
) -> None:
    """The trips whose first day late (end + days + 1) may fall in the period."""
    since = period.start - timedelta(days=longest + 1)
    query = select(Trip.cadre_id, Trip.id, Trip.start, Trip.end, Trip.report_date).where(
        Trip.end >= since, Trip.end <= period.end
    )
    if len(facts) <= 900:
        query = query.where(col(Trip.cadre_id).in_(list(facts)))
    for cadre_id, ident, start, end, filed in session.exec(query):
        if (f := facts.get(cadre_id)) is not None:
            f.trip_reports.append((ident or 0, start, end, filed))


def each_cadre(
    session: Session,
    period: rules.Period,
    unit: str | None = None,
    cadre: str | None = None,
    week_by_week: bool = False,
) -> Iterator[tuple[CadreFacts, rules.Policy, CadreYear]]:
    """Every reported cadre with their policy (`with_policies`) and their figures: what every
    report is made of."""
    levels = ledger.unit_levels(session)
    for facts, policy in with_policies(session, period, unit, cadre):
        yield facts, policy, cadre_year(facts, period, policy, levels, week_by_week)


def compliance(
    session: Session, period: rules.Period, unit: str | None = None, cadre: str | None = None
) -> Compliance:
    rows = []
    for facts, policy, fig in each_cadre(session, period, unit, cadre):
        figures = fig.figures
        late = rules.reports_due("trip", facts.trip_reports, period, policy.trip_report_days)
        rows.append(
            ComplianceRow(
                cadre=facts.code,
                name=facts.name,
                unit=facts.unit,
                category=facts.category,
                field_days=figures.field_days,
                required_days=figures.required_days,
                field_ok=figures.field_ok,
                weeks_met=figures.weeks_met,
                weeks_total=figures.weeks_total,
                training_required=fig.training_required,
                training_status=fig.training.value,
                report_pending=fig.report_pending,
                days_by_level=by_level(figures.days_by_level),
                trip_reports_overdue=sum(d.status == "overdue" for d in late),
                short_at=by_level(figures.short_at()),
            )
        )
    # The top-level policy is the ledger-wide one; each row was judged with its own.
    return Compliance(period.year, period.end, ledger.policy_for_year(session, period.year), rows)


# ------------------------------------------------------------------------ overdue reports


@dataclass
class OverdueRow:
    kind: str  # trip or assignment
    id: int
    cadre: str
    name: str
    start: date
    end: date
    due: date
    report_date: date | None
    status: str  # overdue or late


OVERDUE_COLUMNS = ("kind", "id", "cadre", "start", "end", "due", "report_date", "status")


@dataclass
class Overdue:
    as_of: date
    year: int
    tracked: bool  # some unit (or the ledger) tracks reports in the year
    rows: list[OverdueRow]

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "rows": [
                {
                    c: v.isoformat() if isinstance(v, date) else v
                    for c, v in ((c, getattr(r, c)) for c in OVERDUE_COLUMNS)
                }
                for r in self.rows
            ],
        }


def overdue(session: Session, period: rules.Period, unit: str | None = None) -> Overdue:
    """Trip and assignment reports overdue as of the period's end, or filed late in it, with
    each cadre's `trip_report_days` (SPEC §3)."""
    rows = []
    tracked = False
    for facts, policy in with_policies(session, period, unit):
        days = policy.trip_report_days
        tracked = tracked or days > 0
        stints = [(s.ident, s.start, s.end, s.report_date) for s in facts.stints if not s.cancelled]
        for due in (
            *rules.reports_due("trip", facts.trip_reports, period, days),
            *rules.reports_due("assignment", stints, period, days),
        ):
            rows.append(
                OverdueRow(
                    due.kind,
                    due.ident,
                    facts.code,
                    facts.name,
                    due.start,
                    due.end,
                    due.due,
                    due.report_date,
                    due.status,
                )
            )
    rows.sort(key=lambda r: (r.due, r.kind, r.id))
    return Overdue(period.end, period.year, tracked, rows)


# ------------------------------------------------------------------------ weekly


@dataclass
class WeeklyRow:
    cadre: str
    name: str
    weeks_met: int
    weeks_total: int
    missed_weeks: list[str]
    strip: list[str]


@dataclass
class Weekly:
    year: int
    rows: list[WeeklyRow]

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "rows": [
                {
                    "cadre": r.cadre,
                    "weeks_met": r.weeks_met,
                    "weeks_total": r.weeks_total,
                    "missed_weeks": r.missed_weeks,
                }
                for r in self.rows
            ],
        }


def weekly(
    session: Session, period: rules.Period, unit: str | None = None, cadre: str | None = None
) -> Weekly:
    rows = []
    for facts, _, fig in each_cadre(session, period, unit, cadre, week_by_week=True):
        w = fig.figures.weekly
        assert w is not None
        rows.append(
            WeeklyRow(
                facts.code, facts.name, w.weeks_met, w.weeks_total, list(w.missed), list(w.strip)
            )
        )
    return Weekly(period.year, rows)


# ------------------------------------------------------------------------ summary


@dataclass
class Summary:
    year: int
    cadres_in_field: int
    field_days: int
    trips: int
    trips_by_kind: dict[str, int]
    trips_by_program: dict[str, int]
    days_by_unit: dict[str, int]
    assignments_started: int
    assignments_completed: int
    # The host units' names, for people (not in the JSON: the SPEC's keys only).
    unit_names: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["unit_names"]
        return data


NO_UNIT = "(none)"


def summary(session: Session, period: rules.Period, unit: str | None = None) -> Summary:
    """The period in figures: each cadre's field days as compliance counts them, by host unit,
    and the trips and assignments of the reported cadres."""
    codes: dict[int | None, str] = {None: NO_UNIT}
    codes.update(ledger.unit_codes(session).items())
    days: list[int] = []
    by_unit: Counter[str] = Counter()
    started = completed = 0
    reported = set()
    for facts, policy, fig in each_cadre(session, period, unit):
        figures = fig.figures
        reported.add(facts.id)
        days.append(figures.field_days)
        spans, hosts = rules.stays(facts.trips, facts.hosts, facts.stints, policy)
        by_unit.update(rules.days_by(spans, hosts, codes, figures.active, figures.field))
        for s in facts.stints:
            if not s.cancelled:
                started += period.start <= s.start <= period.end
                completed += period.start <= s.end <= period.end
    by_kind: Counter[str] = Counter()
    by_program: Counter[str] = Counter()
    trips = 0
    for cadre_id, kind, program in session.exec(
        select(Trip.cadre_id, Trip.kind, Trip.program).where(
            Trip.start >= period.start, Trip.start <= period.end
        )
    ):
        if cadre_id in reported:
            trips += 1
            by_kind[kind] += 1
            if program:
                by_program[program] += 1
    return Summary(
        year=period.year,
        cadres_in_field=sum(1 for d in days if d > 0),
        field_days=sum(days),
        trips=trips,
        trips_by_kind=dict(sorted(by_kind.items())),
        trips_by_program=dict(by_program.most_common()),
        days_by_unit=dict(by_unit.most_common()),
        assignments_started=started,
        assignments_completed=completed,
        unit_names={
            code: name
            for code, name in session.exec(select(Unit.code, Unit.name))
            if code in by_unit
        },
    )


# ------------------------------------------------------------------------ plan


@dataclass
class PlanReport:
    plan: str
    year: int
    title: str
    as_of: date
    quotas: list[rules.QuotaProgress]
    violations: list[rules.AgeViolation]

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "year": self.year,
            "quotas": [
                {
                    "level": q.level,
                    "target": q.target,
                    "assigned": q.assigned,
                    "active": q.active,
                    "completed": q.completed,
                    "max_age": q.max_age,
                }
                for q in self.quotas
            ],
            "violations": [asdict(v) for v in self.violations],
        }


def plan_report(session: Session, code: str, as_of: date | None, today: date) -> PlanReport:
    plan = ledger.get_plan(session, code)
    when = as_of or rules.default_as_of(plan.year, today)
    # A cadre's level is that of their posting's unit on the assignment's first day (SPEC §6).
    org = ledger.organisation(session)
    rows = session.exec(
        select(
            Assignment.id,
            Assignment.cadre_id,
            Cadre.code,
            Cadre.birth_date,
            Assignment.start,
            Assignment.end,
            Assignment.cancelled,
        )
        .join(Cadre, col(Cadre.id) == Assignment.cadre_id)
        .where(Assignment.plan_id == plan.id)
    ).all()
    postings = ledger.postings_of(session, {row[1] for row in rows})
    stints = [
        rules.PlanStint(
            ident or 0,
            cadre,
            org.life(orgtree.posting_on(postings[cadre_id], start).unit).level,
            birth,
            start,
            end,
            cancelled,
        )
        for ident, cadre_id, cadre, birth, start, end, cancelled in rows
    ]
    progress, violations = rules.plan_progress(ledger.plan_quotas(session, plan), stints, when)
    return PlanReport(plan.code, plan.year, plan.title, when, progress, violations)


# ------------------------------------------------------------------------ one cadre's sheet


@dataclass
class CadreSheet:
    cadre: dict[str, Any]
    year: int | None
    as_of: date
    trips: list[dict[str, Any]]
    assignments: list[dict[str, Any]]
    absences: list[dict[str, Any]]
    totals: list[dict[str, Any]]  # per year: year, trips, field_days
    compliance: ComplianceRow | None
    postings: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "cadre": self.cadre,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "compliance": asdict(self.compliance) if self.compliance else None,
            "totals": self.totals,
            "trips": self.trips,
            "assignments": self.assignments,
            "absences": self.absences,
            "postings": self.postings,
        }


def cadre_sheet(session: Session, code: str, year: int | None, today: date) -> CadreSheet:
    """A cadre's sheet; with `year`, its figures for the period of that year (SPEC §3)."""
    cadre = ledger.get_cadre(session, code)
    period = rules.report_period(year, None, today) if year else None
    as_of = period.end if period else today
    row = ledger.current_row(session, cadre)
    trips = ledger.list_trips(session, cadre=code, year=year)
    all_trips = trips if year is None else ledger.list_trips(session, cadre=code)
    assignments = [a for a in ledger.list_assignments(session, as_of) if a["cadre"] == code]
    absences = ledger.list_absences(session, cadre=code, year=year)
    years = sorted(
        {int(t["start"][:4]) for t in all_trips}
        | {int(t["end"][:4]) for t in all_trips}
        | ({year} if year else set())
    )
    report = compliance(session, period, cadre=code) if period else None
    chosen = report.rows[0] if report and report.rows else None
    totals = []
    for y in years:
        if chosen is not None and y == year:
            days = chosen.field_days
        elif date(y, 1, 1) > today:  # a year not begun has no field days yet
            days = 0
        else:
            each = rules.Period(y, rules.default_as_of(y, today))
            found = [fig.figures.field_days for _, _, fig in each_cadre(session, each, cadre=code)]
            days = found[0] if found else 0
        count = sum(1 for t in all_trips if t["start"][:4] == str(y))
        totals.append({"year": y, "trips": count, "field_days": days})
    from doanfield.organisation import postings_table

    postings = postings_table(cadre, ledger.postings_of(session, [cadre.id or 0])[cadre.id or 0])
    return CadreSheet(row, year, as_of, trips, assignments, absences, totals, chosen, postings)


# ------------------------------------------------------------------------ calendar


@dataclass
class CadreDays:
    """One cadre's year day by day, for a calendar: field days, days away, the post's ends."""

    code: str
    name: str
    year: int
    field: set[date]
    away: set[date]
    first: date | None  # first day in post, when it falls in the year
    last: date | None  # last day in post, when it falls in the year


def _dates(spans: list[rules.Span]) -> set[date]:
    return {date.fromordinal(d) for lo, hi in spans for d in range(lo, hi + 1)}


def calendars(
    session: Session, period: rules.Period, unit: str | None = None, cadre: str | None = None
) -> list[CadreDays]:
    """Every reported cadre's field days and absences in the period, day by day."""
    y_lo, y_hi = (d.toordinal() for d in rules.year_bounds(period.year))
    out = []
    for facts, _, fig in each_cadre(session, period, unit, cadre):
        figures = fig.figures
        away = [(a.toordinal(), b.toordinal()) for a, b, _ in facts.absences]
        year = period.year
        out.append(
            CadreDays(
                facts.code,
                facts.name,
                year,
                _dates(figures.field),
                _dates(rules.clip_spans(rules.merge_spans(away), y_lo, y_hi)),
                facts.active_from if facts.active_from and facts.active_from.year == year else None,
                facts.active_to if facts.active_to and facts.active_to.year == year else None,
            )
        )
    return out
