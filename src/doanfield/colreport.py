"""The compliance report of a SQLite ledger, read and judged column-wise (issue 12).

A national ledger's report is 20,000 cadres over 335,000 trips a year. Row by row that is
SQLAlchemy's start-up, 335,000 row objects and the rules one cadre at a time (~2.5 s). Here:
the stdlib's sqlite3 reads the small tables (units, policy, cadres, postings, assignments,
absences) and, meanwhile on a connection of its own, the year's trips as one string that numpy
reads as columns (SQLite releases the GIL meanwhile); `colrules` judges every cadre at once.

It only *answers* when it can answer exactly as reports.compliance would: any doubt (no
numpy, not a SQLite ledger file of this version, a file it may not write, a
`--unit` it does not find as typed or that needs an error message, a date it cannot read, a
ledger written to between its two reads) and it declines, reading nothing more, and the row
path answers with its own words. The property in tests/test_colrules.py keeps the two sets of
rules one; tests/test_colreport.py compares the two whole reports.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from doanfield import names, orgtree, rules
from doanfield.compliance import Compliance, ComplianceRow, by_level
from doanfield.dates import MAX_DAY, MIN_DAY, bounded
from doanfield.orgtree import sorted_postings
from doanfield.outfile import is_ledger_file, ledger_writable
from doanfield.schema import SCHEMA_REVISION

BUSY_TIMEOUT_S = 10.0


class Declined(Exception):
    """The column-wise path cannot answer exactly; the row path will."""


@dataclass
class Answer:
    report: Compliance
    unit_name: str  # the --unit's name, for the title of a workbook


def compliance(path: Path | None, period: rules.Period, unit: str | None) -> Answer | None:
    """The compliance report (as reports.compliance), or None when this path declines."""
    if path is None or os.environ.get("DOANFIELD_ROW_REPORTS"):
        return None
    try:
        return _compliance(path, period, unit)
    except (Declined, sqlite3.Error, ValueError, ImportError, OSError):
        return None


@functools.lru_cache(maxsize=4096)  # a ledger's dates repeat: 1 January, a post's start
def _date(text: str) -> date:
    """A stored date as the row path reads it (models.Day); one it cannot read declines."""
    return bounded(date.fromisoformat(text))


def _day(text: str | None) -> date | None:
    return None if text is None else _date(text)


def _open(path: Path) -> sqlite3.Connection:
    """The ledger for reading, in one snapshot, if it is a ledger of this version that this
    process may write (a read-only one is the row path's: it opens it its own careful way)."""
    if not path.is_file() or not ledger_writable(path) or not is_ledger_file(path):
        raise Declined
    conn = _connect(path)
    conn.execute("BEGIN")
    if conn.execute("SELECT version_num FROM alembic_version").fetchall() != [(SCHEMA_REVISION,)]:
        conn.close()
        raise Declined
    return conn


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=rw",
        uri=True,
        timeout=BUSY_TIMEOUT_S,
        isolation_level=None,
        check_same_thread=False,
    )


LAST_CHANGE = "SELECT max(id) FROM change_log"

# The year's trips as one string SQLite builds in C, 34 ASCII bytes a trip: the cadre's id and
# the host's (0: none) each plus 1,000,000 (seven digits), the first and last day (ISO, ten
# each). numpy reads it as columns at once. Measured on the national ledger (335,401 trips):
# 0.19 s to build, 0.03 s to read, and no pyarrow to load; Arrow ADBC's reader took 0.20 s
# plus 0.12 s to load pyarrow, holding the interpreter while the main thread had work to do.
TRIPS_AS_TEXT = (
    'SELECT group_concat((cadre_id + 1000000) || start || "end" || '
    "(coalesce(unit_id, 0) + 1000000), '') FROM trip WHERE "
)
RECORD = 34
ID_COLUMNS = [*range(0, 7), *range(27, 34)]
DATE_DASHES = [11, 14, 21, 24]
EPOCH = date(1970, 1, 1).toordinal()


@dataclass
class TripColumns:
    """The trips read: cadre ids, first and last days (ordinals), host unit ids (0: none)."""

    cadre_ids: Any
    starts: Any
    ends: Any
    hosts: Any


def trip_columns(text: bytes) -> TripColumns:
    """TRIPS_AS_TEXT's string as columns; anything but what it should be (an id of eight
    digits, a date not written YYYY-MM-DD, a date out of bounds) declines."""
    import numpy as np

    raw = np.frombuffer(text, np.uint8)
    if raw.size % RECORD:
        raise Declined
    records = raw.reshape(-1, RECORD)
    digits = records[:, ID_COLUMNS] - np.uint8(ord("0"))  # a byte that is no digit wraps > 9
    if (digits > 9).any() or (records[:, DATE_DASHES] != ord("-")).any():
        raise Declined
    by_digit = digits.reshape(-1, 2, 7)
    ids = by_digit[:, :, 0].astype(np.int64)
    for place in range(1, 7):
        ids *= 10
        ids += by_digit[:, :, place]
    ids -= 1_000_000
    # numpy reads each day strictly (no 30 February): one it cannot read raises ValueError
    days = records[:, 7:27].copy().view("S10").astype("datetime64[D]").view(np.int64)
    days += EPOCH
    if days.size and (days.min() < MIN_DAY.toordinal() or days.max() > MAX_DAY.toordinal()):
        raise Declined  # a day the row path reads as the bound it passes
    return TripColumns(ids[:, 0], days[:, 0], days[:, 1], ids[:, 1])


class TripReader(threading.Thread):
    """The year's trips of the reported cadres as TRIPS_AS_TEXT's string, read on a connection
    of its own while the main thread reads the rest; with the last change it saw, to make sure
    both read the same ledger. SQLite leaves the interpreter to the main thread meanwhile."""

    def __init__(self, path: Path, lo: date, hi: date, cadre_ids: Iterable[int] | None) -> None:
        super().__init__(daemon=True)
        self.path, self.lo, self.hi = path, lo, hi
        self.cadre_ids = None if cadre_ids is None else sorted(cadre_ids)
        self.text: bytes | None = None
        self.last_change: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            where = 'start <= ? AND "end" >= ?'
            if self.cadre_ids is not None:
                where += f" AND cadre_id IN ({','.join(map(str, self.cadre_ids))})"
            conn = _connect(self.path)
            try:
                conn.text_factory = bytes
                conn.execute("BEGIN")  # one snapshot for both reads
                ((text,),) = conn.execute(
                    TRIPS_AS_TEXT + where, (self.hi.isoformat(), self.lo.isoformat())
                ).fetchall()
                self.last_change = conn.execute(LAST_CHANGE).fetchall()
            finally:
                conn.close()
            self.text = text or b""
        except BaseException as error:  # handed to the main thread, which declines
            self.error = error


def _organisation(conn: sqlite3.Connection) -> orgtree.Organisation:
    """Every unit with its life, parent links and successors (ledger.organisation)."""
    codes: dict[int, str] = {}
    lives = []
    for ident, code, name, level, first, last in conn.execute(
        "SELECT id, code, name, level, active_from, active_to FROM unit"
    ):
        codes[ident] = code
        lives.append(orgtree.Life(code, name, level, _day(first), _day(last)))
    links = [
        orgtree.Link(codes[unit], codes[parent] if parent is not None else None, _day(start))
        for unit, parent, start in conn.execute("SELECT unit_id, parent_id, start FROM unit_parent")
    ]
    successors = [
        (codes[old], codes[new])
        for old, new in conn.execute("SELECT unit_id, successor_id FROM unit_successor")
    ]
    return orgtree.Organisation(lives, links, successors)


class Tree:
    """The organisation, read when first needed: a national report without unit policies
    never needs it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._org: orgtree.Organisation | None = None

    @property
    def org(self) -> orgtree.Organisation:
        if self._org is None:
            self._org = _organisation(self.conn)
        return self._org

    def chain(self, unit: str, day: date) -> list[str]:
        return orgtree.unit_chain(self.org, unit, day)


def _policies(conn: sqlite3.Connection, year: int, tree: Tree) -> rules.UnitPolicies:
    settings = [
        rules.Setting(key, from_year, value, unit)
        for key, from_year, value, unit in conn.execute(
            'SELECT p."key", p.from_year, p.value, u.code FROM policy_setting p '
            "LEFT JOIN unit u ON u.id = p.unit_id"
        )
    ]
    return rules.UnitPolicies(rules.PolicyBook(settings, year), tree.chain)


@dataclass(slots=True)
class Person:
    """A reported cadre: who, the posting their row shows, and what the rules need."""

    id: int
    code: str
    name: str
    given_name: str | None
    unit: str
    category: str
    day: date  # the row's day: the last of the period in post
    post: rules.Post


# Each cadre with their first posting (open at its start); a cadre moved since (or with no
# open posting) has all their postings read apart.
PEOPLE = (
    "SELECT c.id, c.code, c.name, c.given_name, c.active_from, c.active_to, u.code, p.category "
    "FROM cadre c LEFT JOIN posting p ON p.cadre_id = c.id AND p.start IS NULL "
    "LEFT JOIN unit u ON u.id = p.unit_id "
    "WHERE (c.active_from IS NULL OR c.active_from <= ?) "
    "AND (c.active_to IS NULL OR c.active_to >= ?)"
)
MOVED = (
    "SELECT p.cadre_id, u.code, p.category, p.position, p.start FROM posting p "
    "JOIN unit u ON u.id = p.unit_id WHERE p.cadre_id IN "
    "(SELECT cadre_id FROM posting WHERE start IS NOT NULL)"
)


def _people(
    conn: sqlite3.Connection,
    period: rules.Period,
    covered: set[str] | None,
    policies: rules.UnitPolicies,
) -> list[Person]:
    """Cadres whose post overlaps the period (reports.load_people), with their policy."""
    first, last = period.start, period.end
    moved: dict[int, list[orgtree.Posting]] = {}
    for cadre_id, unit, category, position, start in conn.execute(MOVED):
        moved.setdefault(cadre_id, []).append(
            orgtree.Posting(unit, category, position, _day(start))
        )
    people = []
    for ident, code, name, given, active_from, active_to, unit, category in conn.execute(
        PEOPLE, (last.isoformat(), first.isoformat())
    ):
        since = None if active_from is None else _date(active_from)
        until = None if active_to is None else _date(active_to)
        day = orgtree.last_day_in_post(since, until, first, last)
        if day is None:
            continue
        if ident in moved or unit is None:
            posting = orgtree.posting_on(sorted_postings(moved[ident]), day)
            unit, category = posting.unit, posting.category
        if covered is not None and unit not in covered:
            continue
        policy = policies.at(unit, day)
        people.append(
            Person(
                ident,
                code,
                name,
                given,
                unit,
                category,
                day,
                rules.Post(since, until, policy, [], []),
            )
        )
    return people


def _stays(conn: sqlite3.Connection, people: dict[int, Person], lo: date, hi: date) -> None:
    """Each reported cadre's assignments (as the training rule sees them) and absences near
    the period."""
    for cadre_id, start, end, cancelled, filed, host, ident in conn.execute(
        'SELECT cadre_id, start, "end", cancelled, report_date, host_id, id FROM assignment'
    ):
        if (p := people.get(cadre_id)) is not None:
            p.post.stints.append(
                rules.Stint(_date(start), _date(end), bool(cancelled), _day(filed), host, ident)
            )
    for cadre_id, start, end, reason in conn.execute(
        'SELECT cadre_id, start, "end", reason FROM absence WHERE start <= ? AND "end" >= ?',
        (hi.isoformat(), lo.isoformat()),
    ):
        if (p := people.get(cadre_id)) is not None:
            p.post.absences.append((_date(start), _date(end), reason))


def _trip_reports(
    conn: sqlite3.Connection, people: dict[int, Person], period: rules.Period, longest: int
) -> dict[int, list[tuple[int, date, date, date | None]]]:
    """The trips whose first day late (end + days + 1) may fall in the period
    (reports._load_trip_reports)."""
    since = date.fromordinal(period.start.toordinal() - longest - 1)
    found: dict[int, list[tuple[int, date, date, date | None]]] = {}
    for cadre_id, ident, start, end, filed in conn.execute(
        'SELECT cadre_id, id, start, "end", report_date FROM trip WHERE "end" >= ? AND "end" <= ?',
        (since.isoformat(), period.end.isoformat()),
    ):
        if cadre_id in people:
            found.setdefault(cadre_id, []).append((ident, _date(start), _date(end), _day(filed)))
    return found


# Up to this many cadres, each is judged by `rules.cadre_figures` on trips read by the stdlib:
# quicker than loading numpy (~0.07 s) and building day grids. More: colrules, all at once.
FEW_CADRES = 2000
IN_PERIOD = (
    "SELECT count(*) FROM cadre WHERE (active_from IS NULL OR active_from <= ?) "
    "AND (active_to IS NULL OR active_to >= ?)"
)


def _compliance(path: Path, period: rules.Period, unit: str | None) -> Answer:
    first_monday = date.fromordinal(rules.iso_year_bounds(period.year)[0])
    lo, hi = min(period.start, first_monday), period.end
    conn = _open(path)
    reader: TripReader | None = None
    try:
        if unit is None:
            (count,) = conn.execute(
                IN_PERIOD, (hi.isoformat(), period.start.isoformat())
            ).fetchone()
            if count > FEW_CADRES:  # every cadre: the trips are read meanwhile, from the start
                reader = TripReader(path, lo, hi, None)
                reader.start()
        level_of: dict[int | None, str] = dict(conn.execute("SELECT id, level FROM unit"))
        tree = Tree(conn)
        covered: set[str] | None = None
        unit_name = ""
        if unit is not None:
            org = tree.org
            if unit not in org.units or not org.existed_within(unit, period.start, period.end):
                raise Declined  # the row path names the unknown unit, or the unit's dates
            covered = org.covered(unit, period.start, period.end)
            unit_name = org.life(unit).name
        policies = _policies(conn, period.year, tree)
        listed = _people(conn, period, covered, policies)
        if reader is None and len(listed) > FEW_CADRES:  # a big province
            few = len(listed) <= 5000  # its cadres' trips through the index
            reader = TripReader(path, lo, hi, [p.id for p in listed] if few else None)
            reader.start()
        people = {p.id: p for p in listed}
        _stays(conn, people, lo, hi)
        longest = policies.book.longest_report_days()
        reports = _trip_reports(conn, people, period, longest) if longest and people else {}
        if reader is None:
            judged = _judged_one_by_one(conn, period, listed, level_of, lo, hi)
        last_change = conn.execute(LAST_CHANGE).fetchall()
        # While the trips are read: the rows' order and what the trips do not change.
        order = _order(listed)
        standing = [_standing(period, p, reports.get(p.id, ())) for p in listed]
        if reader is not None:
            # Loaded here while SQLite still builds the trips' text (loading holds the
            # interpreter; the reader, waiting on SQLite, does not).
            from doanfield import colrules  # noqa: F401  (and numpy)
    finally:
        if reader is not None:
            reader.join()
        conn.close()
    if reader is not None:
        if reader.error is not None or reader.text is None or reader.last_change != last_change:
            raise Declined  # written to between the two reads: the row path reads it whole
        # Read here, not by the reader: numpy's steps would each wait for the interpreter
        # while this thread still had Python to run.
        judged = _judged_at_once(period, listed, level_of, trip_columns(reader.text))
    rows = [_row(listed[i], judged[i], standing[i]) for i in order]
    return Answer(Compliance(period.year, period.end, policies.ledger_wide, rows), unit_name)


# One cadre's figures as a report row wants them: field days, required days, 1+2 met, weeks
# met, weeks with an active day, days by host level, each level's minimum.
Judged = tuple[int, int, bool, int, int, dict[str, int], dict[str, int]]


def _judged_one_by_one(
    conn: sqlite3.Connection,
    period: rules.Period,
    listed: list[Person],
    level_of: dict[int | None, str],
    lo: date,
    hi: date,
) -> list[Judged]:
    """Each cadre by `rules.cadre_figures`, on their trips near the period."""
    trips: dict[int, tuple[list[rules.Span], list[int | None]]] = {p.id: ([], []) for p in listed}
    ids = ",".join(str(p.id) for p in listed)
    for cadre_id, start, end, host in conn.execute(
        f'SELECT cadre_id, start, "end", unit_id FROM trip WHERE cadre_id IN ({ids}) '
        'AND start <= ? AND "end" >= ?',
        (hi.isoformat(), lo.isoformat()),
    ):
        spans, hosts = trips[cadre_id]
        spans.append((_date(start).toordinal(), _date(end).toordinal()))
        hosts.append(host)
    judged: list[Judged] = []
    for person in listed:
        post = person.post
        spans, hosts = trips[person.id]
        f = rules.cadre_figures(
            period,
            post.active_from,
            post.active_to,
            post.absences,
            spans,
            hosts,
            post.stints,
            post.policy,
            level_of,
        )
        judged.append(
            (
                f.field_days,
                f.required_days,
                f.field_ok,
                f.weeks_met,
                f.weeks_total,
                f.days_by_level,
                f.level_minimums,
            )
        )
    return judged


def _judged_at_once(
    period: rules.Period,
    listed: list[Person],
    level_of: dict[int | None, str],
    trips: TripColumns,
) -> list[Judged]:
    """Every cadre at once by `colrules`, on the trips read as columns."""
    import numpy as np

    from doanfield import colrules

    ids = np.fromiter((p.id for p in listed), np.int64, len(listed))
    row_of = np.full(int(ids.max(initial=0)) + 1, -1, np.int64)
    row_of[ids] = np.arange(len(listed))
    inside = trips.cadre_ids < len(row_of)
    rows = np.where(inside, row_of[np.where(inside, trips.cadre_ids, 0)], -1)
    levels = sorted(set(level_of.values()))
    level_index = {level: i for i, level in enumerate(levels)}
    unit_ids = [ident for ident in level_of if ident is not None]
    level_at = np.full(max(unit_ids, default=0) + 1, -1, np.int64)
    for ident in unit_ids:
        level_at[ident] = level_index[level_of[ident]]
    known = trips.hosts < len(level_at)
    host_levels = np.where(known, level_at[np.where(known, trips.hosts, 0)], -1)
    mine = rows >= 0
    stays = colrules.Stays(rows[mine], trips.starts[mine], trips.ends[mine], host_levels[mine])
    figures = colrules.figures(period, [p.post for p in listed], stays, levels, level_of)
    return list(
        zip(
            figures.field_days.tolist(),
            figures.required_days.tolist(),
            figures.field_ok.tolist(),
            figures.weeks_met.tolist(),
            figures.weeks_total.tolist(),
            figures.levels_by_row(),
            figures.level_minimums,
            strict=True,
        )
    )


def _order(listed: list[Person]) -> list[int]:
    """The rows in reports.compliance's order: by unit, then as Vietnamese lists are."""
    return sorted(
        range(len(listed)),
        key=lambda i: (listed[i].unit, names.cadre_sort_key(listed[i].name, listed[i].given_name)),
    )


# What a row says that the trips do not change: training required, its status, a report still
# owed for it, and the trip reports overdue.
Standing = tuple[bool, str, bool, int]


def _standing(
    period: rules.Period,
    person: Person,
    trip_reports: Iterable[tuple[int, date, date, date | None]],
) -> Standing:
    post = person.post
    policy = post.policy
    needs_training = person.category in policy.training_categories
    status, pending = rules.training_status(
        post.stints, period.end, needs_training, policy.training_months
    )
    days = policy.trip_report_days
    late = rules.reports_due("trip", trip_reports, period, days) if days else []
    overdue = sum(d.status == "overdue" for d in late) if late else 0
    return needs_training, status.value, pending, overdue


def _row(person: Person, judged: Judged, standing: Standing) -> ComplianceRow:
    """The cadre's row as reports.compliance makes it."""
    field_days, required, ok, met, total, got, minimums = judged
    needs_training, status, pending, overdue = standing
    short = (
        {
            level: need - got.get(level, 0)
            for level, need in minimums.items()
            if got.get(level, 0) < need
        }
        if minimums
        else {}
    )
    return ComplianceRow(
        cadre=person.code,
        name=person.name,
        unit=person.unit,
        category=person.category,
        field_days=field_days,
        required_days=required,
        field_ok=ok,
        weeks_met=met,
        weeks_total=total,
        training_required=needs_training,
        training_status=status,
        report_pending=pending,
        days_by_level=by_level(got) if len(got) > 1 else got,  # a row's own dicts
        trip_reports_overdue=overdue,
        short_at=by_level(short) if len(short) > 1 else short,
    )
