"""The rules of SPEC §3 as pure functions: exact cases, then properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from doanfield import rules
from doanfield.domain import (
    AssignmentStatus,
    BadUsage,
    DoanfieldError,
    InvalidValue,
    TrainingStatus,
)
from doanfield.rules import Stint

D = date


# ------------------------------------------------------------------ months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 2, 19), 3, D(2024, 5, 19)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2024, 12, 15), 1, D(2025, 1, 15)),
        (D(2024, 3, 31), 6, D(2024, 9, 30)),
        (D(2024, 5, 1), 12, D(2025, 5, 1)),
    ],
)
def test_add_months_keeps_day_and_clamps(start: date, months: int, expected: date) -> None:
    assert rules.add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "months", "lasts"),
    [
        (D(2024, 2, 19), D(2024, 5, 18), 3, True),  # the spec's example
        (D(2024, 2, 19), D(2024, 5, 17), 3, False),
        (D(2024, 11, 30), D(2025, 2, 27), 3, True),
        (D(2024, 11, 30), D(2025, 2, 26), 3, False),
        (D(2024, 1, 1), D(2024, 3, 31), 3, True),
        (D(2024, 1, 1), D(2024, 3, 30), 3, False),
    ],
)
def test_lasts_months(start: date, end: date, months: int, lasts: bool) -> None:
    assert rules.lasts_months(start, end, months) is lasts


def test_end_for_months_is_the_day_before() -> None:
    assert rules.end_for_months(D(2024, 2, 19), 3) == D(2024, 5, 18)
    assert rules.lasts_months(D(2024, 2, 19), rules.end_for_months(D(2024, 2, 19), 3), 3)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (D(1989, 5, 14), D(2024, 5, 13), 34),
        (D(1989, 5, 14), D(2024, 5, 14), 35),
        (D(2000, 2, 29), D(2024, 2, 28), 23),
        (D(2000, 2, 29), D(2024, 2, 29), 24),
        (D(2000, 2, 29), D(2023, 3, 1), 23),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert rules.age_on(birth, on) == age


@pytest.mark.parametrize(
    ("as_of", "cancelled", "status"),
    [
        (D(2024, 2, 18), False, AssignmentStatus.planned),
        (D(2024, 2, 19), False, AssignmentStatus.active),
        (D(2024, 5, 17), False, AssignmentStatus.active),
        (D(2024, 5, 18), False, AssignmentStatus.completed),
        (D(2024, 3, 1), True, AssignmentStatus.cancelled),
    ],
)
def test_assignment_status(as_of: date, cancelled: bool, status: AssignmentStatus) -> None:
    assert rules.assignment_status(D(2024, 2, 19), D(2024, 5, 18), as_of, cancelled) is status


def test_default_as_of() -> None:
    assert rules.default_as_of(2024, D(2026, 1, 1)) == D(2024, 12, 31)
    assert rules.default_as_of(2024, D(2024, 6, 1)) == D(2024, 6, 1)


# ------------------------------------------------------------------ field and active days


def test_field_days_count_overlaps_once_and_only_inside_the_year() -> None:
    trips = [
        (D(2024, 3, 1), D(2024, 3, 5)),
        (D(2024, 3, 4), D(2024, 3, 6)),
        (D(2023, 12, 30), D(2024, 1, 2)),
    ]
    assert rules.field_days(trips, [], 2024) == 6 + 2
    assert rules.field_days(trips, [], 2023) == 2


def test_assignments_count_unless_policy_says_not() -> None:
    trips = [(D(2024, 3, 1), D(2024, 3, 1))]
    stint = [(D(2024, 2, 19), D(2024, 5, 18))]
    assert rules.field_days(trips, stint, 2024, count_assignments=True) == 90
    assert rules.field_days(trips, stint, 2024, count_assignments=False) == 1


@pytest.mark.parametrize(
    ("per_year", "active", "year", "required"),
    [
        (60, 366, 2024, 60),
        (60, 365, 2023, 60),
        (60, 183, 2024, 30),
        (60, 184, 2024, 31),  # 30.16… rounds up
        (60, 1, 2024, 1),
        (60, 0, 2024, 0),
        (30, 365, 2023, 30),
    ],
)
def test_required_days_prorated_and_rounded_up(
    per_year: int, active: int, year: int, required: int
) -> None:
    assert rules.required_days(per_year, active, year) == required


def test_active_days_exclude_absences_and_days_outside_the_post() -> None:
    lo, hi = D(2024, 1, 1).toordinal(), D(2024, 12, 31).toordinal()
    spans = rules.active_spans(
        D(2024, 7, 1),
        None,
        [(D(2024, 8, 1), D(2024, 8, 31)), (D(2024, 8, 20), D(2024, 9, 1))],
        lo,
        hi,
    )
    assert rules.count_days(spans) == 184 - 32
    assert rules.active_spans(D(2025, 1, 1), None, [], lo, hi) == []
    everything = rules.active_spans(None, None, [], lo, hi)
    assert rules.count_days(everything) == 366


def test_post_overlaps_year() -> None:
    assert rules.post_overlaps_year(None, None, 2024)
    assert rules.post_overlaps_year(D(2024, 12, 31), None, 2024)
    assert not rules.post_overlaps_year(D(2025, 1, 1), None, 2024)
    assert not rules.post_overlaps_year(None, D(2023, 12, 31), 2024)


# ------------------------------------------------------------------ the period


def test_the_period_of_a_report() -> None:
    today = D(2025, 6, 30)
    assert rules.report_period(2024, None, today) == rules.Period(2024, D(2024, 12, 31))
    assert rules.report_period(2025, None, today) == rules.Period(2025, D(2025, 6, 30))
    assert rules.report_period(2024, D(2024, 6, 30), today).start == D(2024, 1, 1)
    assert rules.report_period(2025, D(2025, 12, 31), today).end == D(2025, 12, 31)
    for outside in (D(2023, 12, 31), D(2025, 1, 1)):
        with pytest.raises(BadUsage):
            rules.report_period(2024, outside, today)
    with pytest.raises(DoanfieldError):
        rules.report_period(2026, None, today)
    with pytest.raises(DoanfieldError):  # the as-of date is in the year, the year to come
        rules.report_period(2026, D(2026, 3, 1), today)


@pytest.mark.parametrize(
    ("reason", "exempt"),
    [
        ("study", True),
        ("study: Trung cấp lý luận chính trị", True),
        ("sick", True),
        ("maternity", True),
        ("nghỉ phép năm", False),
        ("", False),
    ],
)
def test_which_absences_exempt_by_default(reason: str, exempt: bool) -> None:
    assert rules.is_exempt(reason, rules.Policy().exempt_absence_reasons) is exempt


def test_exempt_reasons_are_policy() -> None:
    parsed = rules.parse_policy_value("exempt_absence_reasons", "học tập, Nghỉ phép năm")
    assert parsed == ("study", "Nghỉ phép năm")
    assert rules.is_exempt("nghỉ phép năm", parsed) and not rules.is_exempt("sick", parsed)
    assert rules.parse_policy_value("exempt_absence_reasons", "") == ()


def test_intersect_spans() -> None:
    a = [(1, 5), (8, 12), (20, 30)]
    assert rules.intersect_spans(a, [(3, 9)]) == [(3, 5), (8, 9)]
    assert rules.intersect_spans(a, [(0, 2), (4, 8), (11, 25)]) == [
        (1, 2),
        (4, 5),
        (8, 8),
        (11, 12),
        (20, 25),
    ]
    assert rules.intersect_spans(a, []) == []


def _stint(start: date, end: date, host: int | None = None, cancelled: bool = False) -> Stint:
    return Stint(start, end, cancelled=cancelled, host=host)


LEVELS: dict[int | None, str] = {1: "district", 2: "commune", 3: "branch"}


def test_a_cadre_whose_post_ends_mid_year() -> None:
    # In post until 30 June 2024; trips 10-12 June (3 days), 1-5 July and 20 August after it.
    trips = _spans((D(2024, 6, 10), D(2024, 6, 12)), (D(2024, 7, 1), D(2024, 7, 5)))
    trips += _spans((D(2024, 8, 20), D(2024, 8, 20)))
    got = rules.cadre_figures(
        rules.Period(2024, D(2024, 12, 31)),
        None,
        D(2024, 6, 30),
        [],
        trips,
        [2, None, 2],
        [],
        rules.Policy(),
        LEVELS,
    )
    # Active: 1 Jan - 30 Jun = 182 days; due ceil(60 * 182 / 366) = ceil(29.84) = 30. Only the
    # June trip counts, at a commune (host 2); ISO weeks 1-26 have active days, week 24 is met.
    assert (got.active_days, got.required_days, got.field_days) == (182, 30, 3)
    assert (got.weeks_met, got.weeks_total, got.field_ok) == (1, 26, False)
    assert got.days_by_level == {"commune": 3}


def test_a_mid_year_review_with_absences_and_a_secondment() -> None:
    # As of 30 June 2024 (182 days in the period). Sick 1-29 February (29 days, exempt); annual
    # leave 1-10 April (10 days, not exempt). A secondment at a district (host 1) 1 May - 31
    # July, of which 1 May - 30 June = 31 + 30 = 61 days fall in the period; a trip at a branch
    # (host 3) 20-24 May inside it, and one at a commune (host 2) 3-4 January.
    absences = [
        (D(2024, 2, 1), D(2024, 2, 29), "sick"),
        (D(2024, 4, 1), D(2024, 4, 10), "nghỉ phép năm"),
    ]
    trips = _spans((D(2024, 1, 3), D(2024, 1, 4)), (D(2024, 5, 20), D(2024, 5, 24)))
    stints = [_stint(D(2024, 5, 1), D(2024, 7, 31), host=1)]
    period = rules.Period(2024, D(2024, 6, 30))
    got = rules.cadre_figures(
        period, None, None, absences, trips, [2, 3], stints, rules.Policy(), LEVELS
    )
    # Active: 182 - 29 = 153 days; due ceil(60 * 153 / 366) = ceil(25.08) = 26. Field days: 2 in
    # January + 61 seconded (the May trip inside them) = 63. By level: district 61, branch 5,
    # commune 2 (a day counts for every level hosting it).
    assert (got.active_days, got.required_days, got.field_days) == (153, 26, 63)
    assert got.days_by_level == {"district": 61, "branch": 5, "commune": 2}
    # Weeks 1-26 less those wholly sick: 5-11 Feb (week 6), 12-18 (7), 19-25 (8); week 5 (29
    # Jan - 4 Feb) and 9 (26 Feb - 3 Mar) keep active days: 23 weeks. Met: week 1 and weeks
    # 18-26 (29 April - 5 May holds 1-5 May ... 24-30 June): 1 + 9 = 10.
    assert (got.weeks_met, got.weeks_total) == (10, 23)
    # Not counting assignments: only the trips' 7 days.
    policy = rules.Policy(assignment_counts_as_field=False)
    got = rules.cadre_figures(period, None, None, absences, trips, [2, 3], stints, policy, LEVELS)
    assert (got.field_days, got.days_by_level) == (7, {"commune": 2, "branch": 5})


def test_a_cadre_exempt_all_the_period_owes_nothing() -> None:
    away = [(D(2024, 1, 1), D(2024, 12, 31), "maternity")]
    got = rules.cadre_figures(
        rules.Period(2024, D(2024, 12, 31)), None, None, away, [], [], [], rules.Policy(), {}
    )
    assert (got.active_days, got.required_days, got.field_ok, got.weeks_total) == (0, 0, True, 0)


# ------------------------------------------------------------------ reports after a stay


def test_reports_on_time_late_and_overdue() -> None:
    stays = [
        (1, D(2024, 3, 4), D(2024, 3, 8), D(2024, 3, 18)),  # due 18 March: filed that day
        (2, D(2024, 4, 1), D(2024, 4, 3), D(2024, 4, 20)),  # due 13 April: 7 days late
        (3, D(2024, 5, 10), D(2024, 5, 10), None),  # due 20 May: never filed
        (4, D(2024, 12, 25), D(2024, 12, 27), None),  # due 6 January 2025
        (5, D(2023, 12, 15), D(2023, 12, 21), None),  # due 31 Dec 2023: late from 1 Jan 2024
    ]
    year = rules.Period(2024, D(2024, 12, 31))
    got = [(d.ident, d.due, d.status) for d in rules.reports_due("trip", stays, year, 10)]
    assert got == [
        (2, D(2024, 4, 13), "late"),
        (3, D(2024, 5, 20), "overdue"),
        (5, D(2023, 12, 31), "overdue"),
    ]
    # As of 15 April #2's report is not in yet: overdue then, with no report date.
    april = rules.reports_due("trip", stays, rules.Period(2024, D(2024, 4, 15)), 10)
    assert [(d.ident, d.status, d.report_date) for d in april] == [
        (2, "overdue", None),
        (5, "overdue", None),
    ]
    # On the due date itself nothing is overdue yet; 2025 takes #4 (late from 7 January).
    assert rules.reports_due("trip", stays[1:2], rules.Period(2024, D(2024, 4, 13)), 10) == []
    later = rules.reports_due("trip", stays, rules.Period(2025, D(2025, 1, 7)), 10)
    assert [(d.ident, d.status) for d in later] == [(4, "overdue")]
    assert rules.reports_due("trip", stays, year, 0) == []  # 0: not tracked
    assert rules.parse_policy_value("trip_report_days", "10") == 10
    with pytest.raises(InvalidValue):
        rules.parse_policy_value("trip_report_days", "-1")


# ------------------------------------------------------------------ weekly 4+1


def _spans(*ranges: tuple[date, date]) -> list[rules.Span]:
    return rules.merge_spans(rules.to_span(a, b) for a, b in ranges)


def test_iso_weeks_of_a_year() -> None:
    assert rules.iso_year_bounds(2024)[2] == 52
    assert rules.iso_year_bounds(2020)[2] == 53
    assert D.fromordinal(rules.iso_year_bounds(2024)[0]) == D(2024, 1, 1)
    assert D.fromordinal(rules.iso_year_bounds(2025)[0]) == D(2024, 12, 30)


def test_weekly_counts_only_weeks_with_an_active_day() -> None:
    active = _spans((D(2024, 1, 1), D(2024, 1, 21)))  # weeks 1-3
    field = _spans((D(2024, 1, 3), D(2024, 1, 3)), (D(2024, 1, 19), D(2024, 1, 19)))
    result = rules.weekly(field, active, 2024, needed=1)
    assert (result.weeks_met, result.weeks_total) == (2, 3)
    assert result.missed == ("2024-W02",)
    assert result.strip[:4] == ("met", "missed", "met", "inactive")


def test_weekly_needs_the_policy_number_of_days() -> None:
    active = _spans((D(2024, 1, 1), D(2024, 1, 14)))
    field = _spans((D(2024, 1, 2), D(2024, 1, 3)), (D(2024, 1, 9), D(2024, 1, 9)))
    assert rules.weekly(field, active, 2024, needed=2).weeks_met == 1
    assert rules.weekly(field, active, 2024, needed=0).weeks_met == 2


# ------------------------------------------------------------------ training


def test_training_statuses() -> None:
    three = Stint(D(2024, 2, 19), D(2024, 5, 18))
    short = Stint(D(2024, 2, 19), D(2024, 5, 17))
    assert rules.training_status([three], D(2024, 12, 31), False, 3) == (
        TrainingStatus.not_required,
        False,
    )
    assert rules.training_status([three], D(2024, 12, 31), True, 3) == (TrainingStatus.done, True)
    filed = Stint(D(2024, 2, 19), D(2024, 5, 18), report_date=D(2024, 5, 30))
    assert rules.training_status([filed], D(2024, 12, 31), True, 3) == (TrainingStatus.done, False)
    assert rules.training_status([filed], D(2024, 5, 20), True, 3) == (TrainingStatus.done, True)
    assert rules.training_status([three], D(2024, 3, 1), True, 3)[0] is TrainingStatus.in_progress
    assert rules.training_status([three], D(2024, 1, 1), True, 3)[0] is TrainingStatus.planned
    assert rules.training_status([short], D(2024, 12, 31), True, 3)[0] is TrainingStatus.missing
    cancelled = Stint(D(2024, 2, 19), D(2024, 5, 18), cancelled=True)
    assert rules.training_status([cancelled], D(2024, 12, 31), True, 3)[0] is (
        TrainingStatus.missing
    )
    assert rules.training_status([], D(2024, 12, 31), True, 3)[0] is TrainingStatus.missing


# ------------------------------------------------------------------ plan progress


def test_plan_progress_and_age_violations() -> None:
    quotas = [rules.Quota("province", 7), rules.Quota("district", 13, 35)]
    stints = [
        rules.PlanStint(1, "GL04", "province", D(1992, 5, 14), D(2024, 2, 19), D(2024, 5, 18)),
        rules.PlanStint(2, "GL09", "province", None, D(2024, 11, 1), D(2025, 1, 31)),
        rules.PlanStint(3, "PT02", "district", D(1989, 3, 4), D(2024, 3, 4), D(2024, 6, 3)),
        rules.PlanStint(4, "CP01", "district", D(1988, 3, 4), D(2024, 3, 4), D(2024, 6, 3)),
        rules.PlanStint(
            5, "KB01", "district", D(1995, 1, 1), D(2024, 3, 4), D(2024, 6, 3), cancelled=True
        ),
        rules.PlanStint(6, "X", "commune", D(1950, 1, 1), D(2024, 3, 4), D(2024, 6, 3)),
    ]
    progress, violations = rules.plan_progress(quotas, stints, D(2024, 12, 31))
    province, district = progress
    assert (province.assigned, province.active, province.completed) == (2, 1, 1)
    assert (district.assigned, district.active, district.completed) == (2, 0, 2)
    assert district.target == 13 and district.max_age == 35
    # PT02 turns 35 on the start date (allowed); CP01 turned 36 that day.
    assert violations == [rules.AgeViolation(4, "CP01", 36, 35)]


# ------------------------------------------------------------------ policy


def test_policy_values_by_year() -> None:
    settings = [
        rules.Setting("field_days_per_year", 2020, "30"),
        rules.Setting("field_days_per_year", 2025, "45"),
    ]
    assert rules.policy_for_year(settings, 2019).field_days_per_year == 60
    assert rules.policy_for_year(settings, 2024).field_days_per_year == 30
    assert rules.policy_for_year(settings, 2026).field_days_per_year == 45
    one = [rules.Setting("training_categories", 2024, "provincial_leader")]
    assert rules.policy_for_year(one, 2024).training_categories == ("provincial_leader",)


def test_policy_values_by_unit() -> None:
    # Ledger-wide 45 from 2024; province P 30 from 2020 and 40 from 2026; district D (under P)
    # 20 from 2025; P's minimum by level from 2024.
    settings = [
        rules.Setting("field_days_per_year", 2024, "45"),
        rules.Setting("field_days_per_year", 2020, "30", "P"),
        rules.Setting("field_days_per_year", 2026, "40", "P"),
        rules.Setting("field_days_per_year", 2025, "20", "D"),
        rules.Setting("min_days_by_host_level", 2024, "branch=10", "P"),
    ]

    def days(year: int, chain: list[str]) -> int:
        return rules.policy_for_year(settings, year, chain).field_days_per_year

    assert days(2024, ["D", "P"]) == 30  # D's own value starts in 2025: P's holds
    assert days(2025, ["D", "P"]) == 20  # the nearest unit wins over a later value above it
    assert days(2026, ["D", "P"]) == 20
    assert days(2026, ["P"]) == 40 and days(2024, ["P"]) == 30
    assert days(2019, ["P"]) == 60  # nothing set yet: P's begins in 2020, the ledger's in 2024
    assert days(2024, ["Q"]) == 45 and days(2023, ["Q"]) == 60 and days(2024, []) == 45
    assert rules.policy_for_year(settings, 2024, ["D", "P"]).min_days_by_host_level == (
        ("branch", 10),
    )
    book = rules.PolicyBook(settings, 2025)
    assert book.policy(["X", "D", "P", "TW"]).field_days_per_year == 20
    assert book.policy(["X", "TW"]) is book.ledger_wide
    chosen = rules.chosen_settings(settings, 2025, ["D", "P"])
    assert chosen["field_days_per_year"].unit == "D" and "weekly_field_days" not in chosen


def test_minimum_days_by_level() -> None:
    assert rules.parse_policy_value("min_days_by_host_level", "chi đoàn=30, xã=20,huyện=10") == (
        ("branch", 30),
        ("commune", 20),
        ("district", 10),
    )
    assert rules.parse_policy_value("min_days_by_host_level", "liên chi đoàn=5") == (
        ("liên chi đoàn", 5),
    )
    assert rules.parse_policy_value("min_days_by_host_level", "") == ()
    policy = rules.policy_for_year(
        [rules.Setting("min_days_by_host_level", 1900, "branch=30,commune=20")], 2024
    )
    assert policy.as_dict()["min_days_by_host_level"] == {"branch": 30, "commune": 20}
    assert rules.policy_text("min_days_by_host_level", policy.min_days_by_host_level) == (
        "branch=30,commune=20"
    )
    # As of 30 June 2024 (182 active days): branch ceil(30 * 182 / 366) = ceil(14.92) = 15,
    # commune ceil(20 * 182 / 366) = ceil(9.95) = 10; the field days ceil(29.84) = 30. Trips:
    # 10 days at a branch (host 3), 12 at a commune (host 2), 8 with no host: 30 field days.
    trips = _spans(
        (D(2024, 1, 8), D(2024, 1, 17)),
        (D(2024, 2, 5), D(2024, 2, 16)),
        (D(2024, 3, 4), D(2024, 3, 11)),
    )
    got = rules.cadre_figures(
        rules.Period(2024, D(2024, 6, 30)), None, None, [], trips, [3, 2, None], [], policy, LEVELS
    )
    assert (got.field_days, got.required_days) == (30, 30)
    assert got.level_minimums == {"branch": 15, "commune": 10}
    assert got.days_by_level == {"branch": 10, "commune": 12}
    assert got.field_ok is False and got.short_at() == {"branch": 5}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("min_days_by_host_level", "branch"),
        ("min_days_by_host_level", "branch=-3"),
        ("min_days_by_host_level", "branch=367"),
        ("min_days_by_host_level", "branch=3,chi đoàn=4"),
        ("field_days_per_year", "sixty"),
        ("field_days_per_year", "400"),
        ("weekly_field_days", "8"),
        ("assignment_counts_as_field", "maybe"),
        ("training_categories", "provincial_leader,chief"),
        ("no_such_key", "1"),
    ],
)
def test_policy_rejects_bad_values(key: str, value: str) -> None:
    with pytest.raises(InvalidValue):
        rules.parse_policy_value(key, value)


# ------------------------------------------------------------------ properties

days = st.dates(min_value=D(2023, 6, 1), max_value=D(2025, 6, 30))
trips_st = st.lists(
    st.tuples(days, st.integers(min_value=0, max_value=40)).map(
        lambda t: (t[0], t[0] + timedelta(days=t[1]))
    ),
    max_size=30,
)


@given(trips_st)
def test_field_days_never_exceed_year_or_trip_lengths(trips: list[tuple[date, date]]) -> None:
    total = rules.field_days(trips, [], 2024)
    assert 0 <= total <= 366
    assert total <= sum((e - s).days + 1 for s, e in trips)


@given(trips_st, days, st.integers(min_value=0, max_value=20))
def test_adding_a_trip_never_lowers_field_days(
    trips: list[tuple[date, date]], start: date, length: int
) -> None:
    before = rules.field_days(trips, [], 2024)
    after = rules.field_days([*trips, (start, start + timedelta(days=length))], [], 2024)
    assert after >= before


@given(trips_st, days, st.integers(min_value=1, max_value=20), st.data())
def test_splitting_a_trip_leaves_field_days_unchanged(
    trips: list[tuple[date, date]], start: date, length: int, data: st.DataObject
) -> None:
    end = start + timedelta(days=length)
    cut = data.draw(st.integers(min_value=0, max_value=length - 1))
    whole = rules.field_days([*trips, (start, end)], [], 2024)
    middle = start + timedelta(days=cut)
    split = rules.field_days([*trips, (start, middle), (middle + timedelta(days=1), end)], [], 2024)
    assert split == whole


@given(trips_st)
def test_field_days_equal_a_naive_count(trips: list[tuple[date, date]]) -> None:
    naive = {
        s + timedelta(days=i)
        for s, e in trips
        for i in range((e - s).days + 1)
        if (s + timedelta(days=i)).year == 2024
    }
    assert rules.field_days(trips, [], 2024) == len(naive)


@given(trips_st, trips_st)
def test_subtract_spans_matches_sets(
    a: list[tuple[date, date]], b: list[tuple[date, date]]
) -> None:
    def days_of(spans: list[rules.Span]) -> set[int]:
        return {d for lo, hi in spans for d in range(lo, hi + 1)}

    sa = rules.merge_spans(rules.to_span(s, e) for s, e in a)
    sb = rules.merge_spans(rules.to_span(s, e) for s, e in b)
    assert days_of(rules.subtract_spans(sa, sb)) == days_of(sa) - days_of(sb)


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)), st.integers(0, 60))
def test_months_end_is_the_shortest_that_lasts(start: date, months: int) -> None:
    end = rules.end_for_months(start, months)
    if months:
        assert rules.lasts_months(start, end, months)
        assert not rules.lasts_months(start, end - timedelta(days=1), months)


@given(trips_st, trips_st, st.integers(min_value=0, max_value=7))
def test_quick_week_count_agrees_with_the_week_strip(
    field: list[tuple[date, date]], active: list[tuple[date, date]], needed: int
) -> None:
    lo, hi, _ = rules.iso_year_bounds(2024)
    f = rules.clip_spans(rules.merge_spans(rules.to_span(s, e) for s, e in field), lo, hi)
    a = rules.clip_spans(rules.merge_spans(rules.to_span(s, e) for s, e in active), lo, hi)
    full = rules.weekly(f, a, 2024, needed)
    assert rules.weeks_met(f, a, 2024, needed) == (full.weeks_met, full.weeks_total)
    assert full.strip.count("missed") == len(full.missed)


posts = st.tuples(
    st.none() | st.dates(min_value=D(2023, 6, 1), max_value=D(2024, 12, 31)),
    st.integers(min_value=0, max_value=500),
)
reasons = st.sampled_from(["study", "sick", "nghỉ phép năm", "maternity: con thứ hai"])


@given(
    trips_st,
    trips_st,
    st.lists(st.tuples(days, st.integers(0, 60), reasons), max_size=4),
    posts,
    st.dates(min_value=D(2024, 1, 1), max_value=D(2024, 12, 31)),
)
def test_field_days_never_exceed_active_days(
    trips: list[tuple[date, date]],
    stints: list[tuple[date, date]],
    away: list[tuple[date, int, str]],
    post: tuple[date | None, int],
    as_of: date,
) -> None:
    first, length = post
    last = None if first is None else first + timedelta(days=length)
    absences = [(s, s + timedelta(days=n), why) for s, n, why in away]
    spans = [rules.to_span(s, e) for s, e in trips]
    got = rules.cadre_figures(
        rules.Period(2024, as_of),
        first,
        last,
        absences,
        spans,
        [2] * len(spans),
        [_stint(s, e, host=1) for s, e in stints],
        rules.Policy(),
        LEVELS,
    )
    assert 0 <= got.field_days <= got.active_days <= (as_of - D(2024, 1, 1)).days + 1
    assert got.required_days <= 60 and got.weeks_met <= got.weeks_total
    assert all(0 < n <= got.field_days for n in got.days_by_level.values())
    assert sum(got.days_by_level.values()) >= got.field_days  # every field day here has a host
