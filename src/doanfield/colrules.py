"""`rules.cadre_figures` for every cadre of a ledger at once, on day grids (numpy).

A national report judges 20,000 cadres over 335,000 trips; one cadre at a time that is ~1 s of
Python. Here each figure is a whole-array operation: a cadre is a row, a day of the report's
window (the period and the ISO weeks of its year) a column; a trip marks its days with a +1 at
its first day and a -1 after its last, and a running sum along the row says which days are
covered. The rules are those of `rules.cadre_figures`, word for word; tests/test_colrules.py
holds a hypothesis property that the two agree on every figure.

No database and no I/O: the inputs are plain dates, policies and arrays of day numbers.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from doanfield import rules

Grid = Any  # a numpy array of cadres × days


@dataclass
class Stays:
    """Trips as arrays: the cadre's row, first and last day (ordinals) and the host's level
    (an index into `Figures.levels`, -1: no level)."""

    rows: Any
    starts: Any
    ends: Any
    levels: Any


@dataclass
class Figures:
    """Each cadre's figures (`rules.Figures`), one array entry per cadre row."""

    field_days: Any
    active_days: Any
    required_days: Any
    weeks_met: Any
    weeks_total: Any
    field_ok: Any
    levels: list[str]
    days_by_level: Any  # cadres × levels
    level_minimums: list[dict[str, int]] = field(default_factory=list)

    def levels_by_row(self) -> list[dict[str, int]]:
        """Each cadre's days by host level, the levels with none left out."""
        hosting = np.flatnonzero(self.days_by_level.any(axis=0)).tolist()
        if len(hosting) == 1:  # the usual ledger: every stay at one level (communes)
            (at,) = hosting
            level = self.levels[at]
            return [{level: days} if days else {} for days in self.days_by_level[:, at].tolist()]
        levels = [self.levels[i] for i in hosting]
        return [
            {level: days for level, days in zip(levels, row, strict=True) if days}
            for row in self.days_by_level[:, hosting].tolist()
        ]


SHORT = 8  # spans up to this many days are marked day by day, longer ones a slice each


def _covered(rows: Any, starts: Any, ends: Any, cadres: int, width: int) -> Grid:
    """Which days (columns 0..width-1) each cadre's spans cover; spans already within them.

    Most trips last a day or a few: the k-th day of every span at least k+1 days long is
    marked at once; the few longer spans (assignments, long trips) are marked one by one."""
    grid = np.zeros(cadres * width, np.bool_)
    first = rows * width + starts
    lengths = ends - starts + 1
    for k in range(SHORT):
        longer = lengths > k
        if not longer.any():
            break
        first, lengths = first[longer], lengths[longer]
        grid[first + k] = True
    long = lengths > SHORT
    for at, length in zip(first[long].tolist(), lengths[long].tolist(), strict=True):
        grid[at : at + length] = True
    return grid.reshape(cadres, width)


_POLICY = operator.attrgetter("policy")
_FROM, _TO = operator.attrgetter("active_from"), operator.attrgetter("active_to")
_ABSENCES, _STINTS = operator.attrgetter("absences"), operator.attrgetter("stints")
_PER_YEAR = operator.attrgetter("field_days_per_year")
_WEEKLY = operator.attrgetter("weekly_field_days")
_MINIMUMS = operator.attrgetter("min_days_by_host_level")


def _any_day(weeks: Grid) -> Grid:
    """Cadres × weeks: some day of the week marked. (`.any(axis=2)` reduces seven bytes at a
    time, three times slower than the seven columns or-ed.)"""
    found = weeks[:, :, 0].copy()
    for day in range(1, 7):
        found |= weeks[:, :, day]
    return found


def figures(
    period: rules.Period,
    cadres: Sequence[rules.Post],
    trips: Stays,
    levels: list[str],
    level_of: Mapping[int | None, str],
) -> Figures:
    """`rules.cadre_figures` of every cadre (rows in the order of `cadres`).

    `trips`: every trip of these cadres near the period, their hosts' levels as indexes into
    `levels`; `level_of`: each unit's level by id, for the hosts of assignments.
    """
    n = len(cadres)
    p_lo, p_hi = period.start.toordinal(), period.end.toordinal()
    first_monday, last_sunday, _ = rules.iso_year_bounds(period.year)
    lo = min(p_lo, first_monday)
    # The ISO weeks up to the as-of date, whole: days past it stay in no post and no stay, so
    # the weeks are a view of the grid rather than a padded copy.
    w_lo, w_hi = first_monday - lo, min(last_sunday, p_hi) - lo
    weeks = max(0, (w_hi - w_lo) // 7 + 1)
    width = max(p_hi - lo + 1, w_lo + weeks * 7)
    levels = list(levels)
    index_of = {level: i for i, level in enumerate(levels)}

    # Each cadre's policy and post as columns (read in C: a national report has 20,000); the
    # absences that exempt and the assignments that count, the few that there are, as lists.
    policies = list(map(_POLICY, cadres))
    per_year = np.fromiter(map(_PER_YEAR, policies), np.int64, n)
    weekly = np.fromiter(map(_WEEKLY, policies), np.int64, n)
    first = [lo if d is None else d.toordinal() for d in map(_FROM, cadres)]
    last = [p_hi if d is None else d.toordinal() for d in map(_TO, cadres)]
    holes: list[tuple[int, int, int]] = []
    for row in itertools.compress(range(n), map(_ABSENCES, cadres)):
        exempt = policies[row].exempt_absence_reasons
        for start, end, why in cadres[row].absences:
            if rules.is_exempt(why, exempt):
                holes.append(
                    (row, max(start.toordinal(), lo) - lo, min(end.toordinal(), p_hi) - lo)
                )
    extra: list[tuple[int, int, int, int]] = []
    for row in itertools.compress(range(n), map(_STINTS, cadres)):
        if policies[row].assignment_counts_as_field:
            for stint in cadres[row].stints:
                if not stint.cancelled:
                    level = level_of.get(stint.host)
                    if level is not None and level not in index_of:
                        index_of[level] = len(levels)
                        levels.append(level)
                    at = -1 if level is None else index_of[level]
                    extra.append((row, stint.start.toordinal(), stint.end.toordinal(), at))

    # Active days: the post's days in the window, less absences whose reason exempts.
    days = np.arange(width)
    starting = np.maximum(np.array(first, np.int64), lo) - lo
    ending = np.minimum(np.array(last, np.int64), p_hi) - lo
    active = days >= starting[:, None]
    active &= days <= ending[:, None]
    for row, a, b in holes:
        if a <= b:
            active[row, a : b + 1] = False

    # The stays that count: the trips, and live assignments where the policy counts them.
    rows, starts, ends, hosts = trips.rows, trips.starts, trips.ends, trips.levels
    if extra:
        more = np.array(extra, np.int64).reshape(-1, 4)
        rows, starts, ends, hosts = (
            np.concatenate([a, more[:, i]]) for i, a in enumerate((rows, starts, ends, hosts))
        )
    keep = (ends >= lo) & (starts <= p_hi)
    rows, hosts = rows[keep], hosts[keep]
    starts = np.maximum(starts[keep], lo) - lo
    ends = np.minimum(ends[keep], p_hi) - lo

    counted = _covered(rows, starts, ends, n, width)
    counted &= active  # in place: each grid is 7.5 MB on the national ledger
    in_period = slice(p_lo - lo, p_hi - lo + 1)
    field_days = np.count_nonzero(counted[:, in_period], axis=1)
    active_days = np.count_nonzero(active[:, in_period], axis=1)
    by_level = np.zeros((n, len(levels)), np.int64)
    # The levels hosting some stay (-1: a stay with no host, or a host of no level).
    hosted_at = np.flatnonzero(np.bincount(hosts + 1, minlength=1)) - 1
    if len(hosted_at) == 1 and hosted_at[0] >= 0:  # every stay at one level: all field days
        by_level[:, hosted_at[0]] = field_days
    else:
        for i in hosted_at[(hosted_at >= 0) & (hosted_at < len(levels))].tolist():
            at = hosts == i
            hosted = _covered(rows[at], starts[at], ends[at], n, width)
            hosted &= active
            by_level[:, i] = np.count_nonzero(hosted[:, in_period], axis=1)

    year_days = rules.days_in_year(period.year)
    required = -(-per_year * active_days // year_days)
    ok = field_days >= required
    minimums: list[dict[str, int]] = [{} for _ in range(n)]
    for row in itertools.compress(range(n), map(_MINIMUMS, policies)):
        need = {
            level: rules.required_days(days_needed, int(active_days[row]), period.year)
            for level, days_needed in policies[row].min_days_by_host_level
        }
        minimums[row] = need
        if ok[row]:
            got = {levels[i]: by_level[row, i] for i in range(len(levels))}
            ok[row] = all(got.get(level, 0) >= n_days for level, n_days in need.items())

    # Weeks: the ISO weeks of the year up to the as-of date, with an active day.
    if weeks == 0:  # the as-of date before the ISO year's first Monday: no week yet
        none = np.zeros(n, np.int64)
        return Figures(
            field_days, active_days, required, none, none, ok, levels, by_level, minimums
        )
    in_weeks = slice(w_lo, w_lo + weeks * 7)
    active_weeks = _any_day(active[:, in_weeks].reshape(n, weeks, 7))
    total = np.count_nonzero(active_weeks, axis=1)
    needed = weekly
    week_counted = counted[:, in_weeks].reshape(n, weeks, 7)
    if needed.max(initial=0) <= 1:  # a field day a week (counted days are all active)
        met = np.count_nonzero(_any_day(week_counted), axis=1)
    else:
        per_week = week_counted.sum(axis=2, dtype=np.int8)
        met = np.count_nonzero((per_week >= needed[:, None]) & active_weeks, axis=1)
    met = np.where(needed <= 0, total, met)
    return Figures(field_days, active_days, required, met, total, ok, levels, by_level, minimums)
