"""The column-wise rules (colrules.py, the national report's) agree with `rules.cadre_figures`
on every figure of every cadre: one property over generated ledgers, then hand-worked cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

np = pytest.importorskip("numpy")

from doanfield import colrules, rules  # noqa: E402

D = date
LEVELS: dict[int | None, str] = {
    1: "province",
    2: "district",
    3: "commune",
    4: "commune",
    5: "central",
}
LEVEL_NAMES = ["province", "district", "commune", "central"]


def day_in(year: int) -> st.SearchStrategy[date]:
    return st.dates(D(year - 1, 12, 1), D(year + 1, 1, 31))


@st.composite
def policies(draw: st.DrawFn) -> rules.Policy:
    return rules.Policy(
        field_days_per_year=draw(st.integers(0, 120)),
        weekly_field_days=draw(st.integers(0, 3)),
        assignment_counts_as_field=draw(st.booleans()),
        exempt_absence_reasons=draw(st.sampled_from([(), ("sick",), ("sick", "study")])),
        min_days_by_host_level=draw(
            st.sampled_from([(), (("commune", 10),), (("commune", 5), ("district", 3))])
        ),
    )


@st.composite
def spans(draw: st.DrawFn, year: int, longest: int) -> tuple[date, date]:
    start = draw(day_in(year))
    return start, start + timedelta(days=draw(st.integers(0, longest)))


@st.composite
def cadres(draw: st.DrawFn, year: int) -> tuple[rules.Post, list[tuple[date, date, int]]]:
    active_from = draw(st.none() | day_in(year))
    active_to = draw(st.none() | day_in(year))
    if active_from and active_to and active_to < active_from:
        active_from, active_to = active_to, active_from
    absences = [
        (*draw(spans(year, 40)), draw(st.sampled_from(["sick", "study: MA", "annual"])))
        for _ in range(draw(st.integers(0, 2)))
    ]
    stints = [
        rules.Stint(*draw(spans(year, 120)), cancelled=draw(st.booleans()), host=host)
        for host in draw(st.lists(st.sampled_from([1, 2, 3, None]), max_size=2))
    ]
    trips = [
        (*draw(spans(year, 6)), draw(st.sampled_from([1, 2, 3, 4, 5, None])))
        for _ in range(draw(st.integers(0, 12)))
    ]
    cadre = rules.Post(active_from, active_to, draw(policies()), absences, stints)
    return cadre, trips


@given(
    year=st.sampled_from([2020, 2021, 2024, 2026]),
    as_of=st.integers(0, 365),
    data=st.data(),
)
@settings(max_examples=150, deadline=None)
def test_column_wise_figures_agree_with_the_rules(
    year: int, as_of: int, data: st.DataObject
) -> None:
    period = rules.Period(year, min(D(year, 1, 1) + timedelta(days=as_of), D(year, 12, 31)))
    ledger = data.draw(st.lists(cadres(year), min_size=1, max_size=6))
    trips = [(row, s, e, host) for row, (_, ts) in enumerate(ledger) for s, e, host in ts]
    index = {level: i for i, level in enumerate(LEVEL_NAMES)}
    stays = colrules.Stays(
        np.array([t[0] for t in trips], np.int64),
        np.array([t[1].toordinal() for t in trips], np.int64),
        np.array([t[2].toordinal() for t in trips], np.int64),
        np.array([index.get(LEVELS.get(t[3]), -1) for t in trips], np.int64),
    )
    got = colrules.figures(period, [c for c, _ in ledger], stays, LEVEL_NAMES, LEVELS)
    for row, (cadre, own) in enumerate(ledger):
        want = rules.cadre_figures(
            period,
            cadre.active_from,
            cadre.active_to,
            cadre.absences,
            [rules.to_span(s, e) for s, e, _ in own],
            [host for _, _, host in own],
            cadre.stints,
            cadre.policy,
            LEVELS,
        )
        assert (
            int(got.field_days[row]),
            int(got.active_days[row]),
            int(got.required_days[row]),
            int(got.weeks_met[row]),
            int(got.weeks_total[row]),
            bool(got.field_ok[row]),
            got.levels_by_row()[row],
            got.level_minimums[row],
        ) == (
            want.field_days,
            want.active_days,
            want.required_days,
            want.weeks_met,
            want.weeks_total,
            want.field_ok,
            want.days_by_level,
            want.level_minimums,
        )


def stays_of(trips: list[tuple[int, date, date, int]]) -> colrules.Stays:
    return colrules.Stays(*(np.array([t[i] for t in trips], np.int64) for i in range(4)))


def test_overlapping_trips_count_once_and_weeks_follow_iso() -> None:
    # 2024: 366 days; ISO week 1 starts Monday 1 January. Trips 2-4 Jan and 3-5 Jan overlap:
    # 4 days (2, 3, 4, 5 Jan), all in week 1; 8 Jan (Monday) is week 2. 5 field days, 2 weeks.
    # As of 14 January: 14 active days, two whole weeks; required 60 × 14 / 366 = 2.29 -> 3.
    period = rules.Period(2024, D(2024, 1, 14))
    trips = [
        (0, D(2024, 1, 2).toordinal(), D(2024, 1, 4).toordinal(), 0),
        (0, D(2024, 1, 3).toordinal(), D(2024, 1, 5).toordinal(), 0),
        (0, D(2024, 1, 8).toordinal(), D(2024, 1, 8).toordinal(), 1),
    ]
    cadre = rules.Post(None, None, rules.Policy())
    got = colrules.figures(period, [cadre], stays_of(trips), ["commune", "district"], {})
    assert (int(got.field_days[0]), int(got.active_days[0]), int(got.required_days[0])) == (
        5,
        14,
        3,
    )
    assert (int(got.weeks_met[0]), int(got.weeks_total[0])) == (2, 2)
    # The first two trips at communes (4 days), the third at a district (1 day).
    assert got.levels_by_row()[0] == {"commune": 4, "district": 1}


def test_an_as_of_date_before_the_first_monday_has_no_week() -> None:
    # ISO year 2021 begins on Monday 4 January 2021; as of 2 January there is no week yet.
    period = rules.Period(2021, D(2021, 1, 2))
    trips = [(0, D(2021, 1, 1).toordinal(), D(2021, 1, 2).toordinal(), 0)]
    got = colrules.figures(
        period, [rules.Post(None, None, rules.Policy())], stays_of(trips), ["commune"], {}
    )
    assert (int(got.field_days[0]), int(got.weeks_met[0]), int(got.weeks_total[0])) == (2, 0, 0)
