"""Reports: load what a report needs in a few set-based queries, then apply `rules` in one pass.

Each report is a plain dataclass with `to_json()`, whose keys are those of SPEC §4.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import String, type_coerce
from sqlmodel import Session, col, select

from doanfield import checks, ledger, names, orgtree, rules
from doanfield.domain import InvalidValue, TrainingStatus
from doanfield.messages import Msg
from doanfield.models import Absence, Assignment, Cadre, Trip

# ------------------------------------------------------------------------ loading


class _OrdinalCache(dict[Any, int]):
    """Date (or the ISO text SQLite keeps) -> ordinal day, converted once per distinct value."""

    def __missing__(self, value: Any) -> int:
        day = value if isinstance(value, date) else date.fromisoformat(value)
        self[value] = day.toordinal()
        return self[value]


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
    trips: list[rules.Span] = field(default_factory=list)
    stints: list[rules.Stint] = field(default_factory=list)
    absences: list[rules.DateRange] = field(default_factory=list)

    def sort_key(self) -> Any:
        return names.cadre_sort_key(self.name, self.given_name)


def _window(year: int) -> tuple[date, date]:
    """The calendar year and its ISO-week year together."""
    first, last, _ = rules.iso_year_bounds(year)
    return (
        min(date(year, 1, 1), date.fromordinal(first)),
        max(date(year, 12, 31), date.fromordinal(last)),
    )


def load_people(
    session: Session,
    year: int,
    unit: str | None = None,
    cadre: str | None = None,
    as_of: date | None = None,
) -> dict[int, CadreFacts]:
    """Cadres whose post overlaps `year`, by id, without their records yet.

    Each shows the posting (unit, category) of their last day in post in the period (1 Jan to
    `as_of`, default 31 Dec; SPEC §6); `unit` keeps those whose posting that day is at a unit
    the report's `--unit` covers (`covered_units`).
    """
    first, last = rules.year_bounds(year)
    period_last = min(as_of, last) if as_of is not None and as_of >= first else last
    query = select(
        Cadre.id,
        Cadre.code,
        Cadre.name,
        Cadre.given_name,
        Cadre.birth_date,
        Cadre.active_from,
        Cadre.active_to,
    ).where(
        (col(Cadre.active_from).is_(None)) | (col(Cadre.active_from) <= last),
        (col(Cadre.active_to).is_(None)) | (col(Cadre.active_to) >= first),
    )
    if cadre:
        query = query.where(Cadre.id == ledger.get_cadre(session, cadre).id)
    org = ledger.organisation(session)
    covered = covered_units(session, org, unit, first, period_last) if unit else None
    people = session.exec(query).all()
    postings = ledger.postings_of(session, [p[0] for p in people] if cadre else None)
    facts: dict[int, CadreFacts] = {}
    for ident, code, name, given, birth, active_from, active_to in people:
        day = orgtree.last_day_in_post(active_from, active_to, first, period_last)
        if day is None:  # in post later in the year than the period reaches
            day = orgtree.last_day_in_post(active_from, active_to, first, last) or last
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
        )
    return facts


def load_cadres(
    session: Session,
    year: int,
    unit: str | None = None,
    cadre: str | None = None,
    as_of: date | None = None,
) -> list[CadreFacts]:
    """Cadres whose post overlaps `year` (`load_people`), with their trips, assignments and
    absences near it."""
    lo, hi = _window(year)
    facts = load_people(session, year, unit, cadre, as_of)
    if not facts:
        return []
    in_scope = facts.get  # the cadres the report covers; others' records are passed over
    trip_query = select(
        Trip.cadre_id, type_coerce(Trip.start, String), type_coerce(Trip.end, String)
    ).where(Trip.start <= hi, Trip.end >= lo)
    if cadre:
        trip_query = trip_query.where(col(Trip.cadre_id).in_(list(facts)))
    # The bulk of a national report: plain Core rows, each distinct date converted once.
    ordinal = _OrdinalCache()
    for cadre_id, start, end in session.connection().execute(trip_query):
        if (f := in_scope(cadre_id)) is not None:
            f.trips.append((ordinal[start], ordinal[end]))
    for cadre_id, start, end, cancelled, report_date in session.exec(
        select(
            Assignment.cadre_id,
            Assignment.start,
            Assignment.end,
            Assignment.cancelled,
            Assignment.report_date,
        )
    ):
        if (f := in_scope(cadre_id)) is not None:
            f.stints.append(rules.Stint(start, end, cancelled, report_date))
    for cadre_id, start, end in session.exec(
        select(Absence.cadre_id, Absence.start, Absence.end).where(
            Absence.start <= hi, Absence.end >= lo
        )
    ):
        if (f := in_scope(cadre_id)) is not None:
            f.absences.append((start, end))
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


@dataclass
class ComplianceRow:
    cadre: str
    name: str
    unit: str
    category: str
    field_days: int
    required_days: int
    field_ok: bool
    weeks_met: int
    weeks_total: int
    training_required: bool
    training_status: str
    report_pending: bool


# The CSV columns of the compliance report: the JSON row keys, in order.
COMPLIANCE_COLUMNS = tuple(f.name for f in fields(ComplianceRow))


@dataclass
class Compliance:
    year: int
    as_of: date
    policy: rules.Policy
    rows: list[ComplianceRow]

    def totals(self) -> dict[str, int]:
        return {
            "cadres": len(self.rows),
            "field_ok": sum(r.field_ok for r in self.rows),
            "training_done": sum(r.training_status == TrainingStatus.done for r in self.rows),
            "training_required": sum(r.training_required for r in self.rows),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "policy": self.policy.as_dict(),
            "rows": [dict(vars(r)) for r in self.rows],
            "totals": self.totals(),
        }

    @property
    def has_gap(self) -> bool:
        return any(not r.field_ok for r in self.rows)


@dataclass(frozen=True)
class CadreYear:
    """One cadre's figures for one year: what every report is made of."""

    field_days: int
    required_days: int
    weeks_met: int
    weeks_total: int
    training: TrainingStatus
    report_pending: bool
    training_required: bool
    weekly: rules.WeeklyResult | None  # week by week, when asked for


def cadre_year(
    facts: CadreFacts, year: int, as_of: date, policy: rules.Policy, week_by_week: bool = False
) -> CadreYear:
    y_lo, y_hi = (d.toordinal() for d in rules.year_bounds(year))
    w_lo, w_hi, _ = rules.iso_year_bounds(year)
    live_stints = [(s.start, s.end) for s in facts.stints if not s.cancelled]
    field = rules.field_spans(facts.trips, live_stints, policy.assignment_counts_as_field)
    active_year = rules.active_spans(facts.active_from, facts.active_to, facts.absences, y_lo, y_hi)
    days = rules.count_days(rules.clip_spans(field, y_lo, y_hi))
    required = rules.required_days(policy.field_days_per_year, rules.count_days(active_year), year)
    week_field = rules.clip_spans(field, w_lo, w_hi)
    week_active = rules.active_spans(facts.active_from, facts.active_to, facts.absences, w_lo, w_hi)
    weekly = None
    if week_by_week:
        weekly = rules.weekly(week_field, week_active, year, policy.weekly_field_days)
        met, total = weekly.weeks_met, weekly.weeks_total
    else:
        met, total = rules.weeks_met(week_field, week_active, year, policy.weekly_field_days)
    needs_training = facts.category in policy.training_categories
    status, pending = rules.training_status(
        facts.stints, as_of, needs_training, policy.training_months
    )
    return CadreYear(days, required, met, total, status, pending, needs_training, weekly)


def compliance(
    session: Session, year: int, as_of: date, unit: str | None = None, cadre: str | None = None
) -> Compliance:
    policy = ledger.policy_for_year(session, year)
    rows = []
    for facts in load_cadres(session, year, unit, cadre, as_of):
        fig = cadre_year(facts, year, as_of, policy)
        rows.append(
            ComplianceRow(
                cadre=facts.code,
                name=facts.name,
                unit=facts.unit,
                category=facts.category,
                field_days=fig.field_days,
                required_days=fig.required_days,
                field_ok=fig.field_days >= fig.required_days,
                weeks_met=fig.weeks_met,
                weeks_total=fig.weeks_total,
                training_required=fig.training_required,
                training_status=fig.training.value,
                report_pending=fig.report_pending,
            )
        )
    return Compliance(year, as_of, policy, rows)


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
    session: Session, year: int, as_of: date, unit: str | None = None, cadre: str | None = None
) -> Weekly:
    policy = ledger.policy_for_year(session, year)
    rows = []
    for facts in load_cadres(session, year, unit, cadre, as_of):
        w = cadre_year(facts, year, as_of, policy, week_by_week=True).weekly
        assert w is not None
        rows.append(
            WeeklyRow(
                facts.code, facts.name, w.weeks_met, w.weeks_total, list(w.missed), list(w.strip)
            )
        )
    return Weekly(year, rows)


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

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


NO_UNIT = "(none)"


def summary(session: Session, year: int, unit: str | None = None) -> Summary:
    policy = ledger.policy_for_year(session, year)
    first, last = rules.year_bounds(year)
    y_lo, y_hi = first.toordinal(), last.toordinal()
    in_scope: set[int] | None = None
    if unit:
        in_scope = set(load_people(session, year, unit))
    codes = ledger.unit_codes(session)
    per_cadre: dict[int, list[rules.Span]] = defaultdict(list)
    per_host: dict[tuple[int, str], list[rules.Span]] = defaultdict(list)
    by_kind: Counter[str] = Counter()
    by_program: Counter[str] = Counter()
    trips = 0
    ordinal = _OrdinalCache()
    for cadre_id, start, end, kind, program, host in session.connection().execute(
        select(
            Trip.cadre_id,
            type_coerce(Trip.start, String),
            type_coerce(Trip.end, String),
            Trip.kind,
            Trip.program,
            Trip.unit_id,
        ).where(Trip.start <= last, Trip.end >= first)
    ):
        if in_scope is not None and cadre_id not in in_scope:
            continue
        span = (ordinal[start], ordinal[end])
        per_cadre[cadre_id].append(span)
        per_host[(cadre_id, codes.get(host, NO_UNIT) if host else NO_UNIT)].append(span)
        if span[0] >= y_lo:
            trips += 1
            by_kind[kind] += 1
            if program:
                by_program[program] += 1
    started = completed = 0
    for cadre_id, start, end, host, cancelled in session.exec(
        select(
            Assignment.cadre_id,
            Assignment.start,
            Assignment.end,
            Assignment.host_id,
            Assignment.cancelled,
        )
    ):
        if cancelled or (in_scope is not None and cadre_id not in in_scope):
            continue
        started += first <= start <= last
        completed += first <= end <= last
        if policy.assignment_counts_as_field and start <= last and end >= first:
            span = rules.to_span(start, end)
            per_cadre[cadre_id].append(span)
            per_host[(cadre_id, codes.get(host, NO_UNIT))].append(span)
    days = {cid: _days_in(spans, y_lo, y_hi) for cid, spans in per_cadre.items()}
    by_unit: Counter[str] = Counter()
    for (_, host_code), spans in per_host.items():
        by_unit[host_code] += _days_in(spans, y_lo, y_hi)
    return Summary(
        year=year,
        cadres_in_field=sum(1 for d in days.values() if d > 0),
        field_days=sum(days.values()),
        trips=trips,
        trips_by_kind=dict(sorted(by_kind.items())),
        trips_by_program=dict(by_program.most_common()),
        days_by_unit=dict(by_unit.most_common()),
        assignments_started=started,
        assignments_completed=completed,
    )


def _days_in(spans: list[rules.Span], lo: int, hi: int) -> int:
    if len(spans) == 1:  # most (cadre, host) pairs: one trip, nothing to merge
        first, last = spans[0]
        return max(0, min(last, hi) - max(first, lo) + 1)
    return rules.count_days(rules.clip_spans(rules.merge_spans(spans), lo, hi))


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
        }


def cadre_sheet(session: Session, code: str, year: int | None, today: date) -> CadreSheet:
    cadre = ledger.get_cadre(session, code)
    as_of = rules.default_as_of(year, today) if year else today
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
    report = compliance(session, year, as_of, cadre=code) if year else None
    chosen = report.rows[0] if report and report.rows else None
    totals = []
    for y in years:
        if chosen is not None and y == year:
            days = chosen.field_days
        else:
            facts = load_cadres(session, y, cadre=code)
            policy = ledger.policy_for_year(session, y)
            as_of_y = rules.default_as_of(y, today)
            days = cadre_year(facts[0], y, as_of_y, policy).field_days if facts else 0
        count = sum(1 for t in all_trips if t["start"][:4] == str(y))
        totals.append({"year": y, "trips": count, "field_days": days})
    return CadreSheet(row, year, as_of, trips, assignments, absences, totals, chosen)


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
    session: Session, year: int, unit: str | None = None, cadre: str | None = None
) -> list[CadreDays]:
    """Every reported cadre's field days and absences in `year`, day by day."""
    policy = ledger.policy_for_year(session, year)
    y_lo, y_hi = (d.toordinal() for d in rules.year_bounds(year))
    out = []
    for facts in load_cadres(session, year, unit, cadre):
        live = [(s.start, s.end) for s in facts.stints if not s.cancelled]
        field_days = rules.field_spans(facts.trips, live, policy.assignment_counts_as_field)
        away = [(a.toordinal(), b.toordinal()) for a, b in facts.absences]
        out.append(
            CadreDays(
                facts.code,
                facts.name,
                year,
                _dates(rules.clip_spans(field_days, y_lo, y_hi)),
                _dates(rules.clip_spans(rules.merge_spans(away), y_lo, y_hi)),
                facts.active_from if facts.active_from and facts.active_from.year == year else None,
                facts.active_to if facts.active_to and facts.active_to.year == year else None,
            )
        )
    return out
