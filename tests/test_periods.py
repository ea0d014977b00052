"""The period of a report (SPEC §3), active days and exempt absences, through the CLI.

Every figure is worked out by hand in the comments, from the `province` ledger (tests/conftest.py:
GL04, GL01 at the province, PT01 at Phú Thiện, DC01 at Đức Cơ in post from 1 July 2024; today is
30 June 2025 unless a test says otherwise).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Cli


def rows(cli: Cli, *args: str, **options: Any) -> dict[str, dict[str, Any]]:
    report = cli.ok("report", "compliance", "--format", "json", *args, **options).json()
    return {r["cadre"]: r for r in report["rows"]}


def trip(cli: Cli, cadre: str, start: str, end: str | None = None, *more: str) -> None:
    dates = ("--date", start) if end is None else ("--start", start, "--end", end)
    cli.ok("trip", "add", "--cadre", cadre, *dates, *more)


@pytest.fixture
def reviewed(province: Cli) -> Cli:
    """GL01, in post all along, with trips before and after 30 June 2024."""
    trip(province, "GL01", "4/3/2024", "8/3/2024")  # 5 days, Mon-Fri of ISO week 10
    trip(province, "GL01", "25/6/2024", "3/7/2024")  # 9 days: 25-30 June (week 26), 1-3 July
    trip(province, "GL01", "1/10/2024")  # 1 day
    return province


def test_a_mid_year_review_counts_the_days_so_far_against_the_days_due_so_far(
    reviewed: Cli,
) -> None:
    mid = rows(reviewed, "--year", "2024", "--as-of", "30/6/2024")["GL01"]
    # 1 Jan - 30 Jun 2024: 31+29+31+30+31+30 = 182 active days; ceil(60 * 182 / 366) =
    # ceil(29.84) = 30 due. Done by then: 5 in March + 6 (25-30 June) = 11.
    assert (mid["field_days"], mid["required_days"], mid["field_ok"]) == (11, 30, False)
    # ISO weeks 1-26 (1 Jan is a Monday, 30 June a Sunday); met: week 10 and week 26.
    assert (mid["weeks_met"], mid["weeks_total"]) == (2, 26)
    whole = rows(reviewed, "--year", "2024")["GL01"]
    # The whole year: 5 + 9 + 1 = 15 of 60; weeks 10, 26, 27 and 40 of 52.
    assert (whole["field_days"], whole["required_days"]) == (15, 60)
    assert (whole["weeks_met"], whole["weeks_total"]) == (4, 52)


def test_the_running_year_counts_up_to_today(reviewed: Cli) -> None:
    trip(reviewed, "GL01", "2/1/2025", "3/1/2025")
    trip(reviewed, "GL01", "1/7/2025")  # tomorrow: planned, not done yet
    report = reviewed.ok("report", "compliance", "--year", "2025", "--format", "json").json()
    assert report["as_of"] == "2025-06-30"
    gl01 = {r["cadre"]: r for r in report["rows"]}["GL01"]
    # 1 Jan - 30 Jun 2025: 31+28+31+30+31+30 = 181 days; ceil(60 * 181 / 365) = ceil(29.75) = 30.
    assert (gl01["field_days"], gl01["required_days"]) == (2, 30)
    # ISO 2025 starts on Monday 30 Dec 2024; Monday 30 June 2025 opens week 27: 27 weeks, one
    # met (week 1, with 2-3 January).
    assert (gl01["weeks_met"], gl01["weeks_total"]) == (1, 27)
    weekly = reviewed.ok(
        "report", "weekly", "--year", "2025", "--cadre", "GL01", "--format", "json"
    ).json()
    assert (weekly["rows"][0]["weeks_met"], weekly["rows"][0]["weeks_total"]) == (1, 27)
    assert weekly["rows"][0]["missed_weeks"][-1] == "2025-W27"


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("--year", "2024", "--as-of", "1/1/2025"), "2025-01-01"),
        (("--year", "2024", "--as-of", "31/12/2023"), "2023-12-31"),
    ],
)
def test_an_as_of_date_outside_the_year_is_bad_usage(
    province: Cli, args: tuple[str, ...], shown: str
) -> None:
    result = province("report", "compliance", *args)
    assert result.exit_code == 2
    assert shown in result.stderr and "2024" in result.stderr
    vietnamese = province("report", "compliance", *args, lang="vi")
    assert vietnamese.exit_code == 2 and "không thuộc năm báo cáo 2024" in vietnamese.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("report", "compliance", "--year", "2030"),
        ("report", "weekly", "--year", "2030"),
        ("report", "summary", "--year", "2030"),
        ("cadre", "show", "GL01", "--year", "2030"),
    ],
)
def test_a_year_not_yet_begun_is_refused(province: Cli, command: tuple[str, ...]) -> None:
    result = province(*command)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "doanfield: error: 2030 has not begun yet (today is 2025-06-30); there is nothing to report"
    )
    assert "năm 2030 chưa bắt đầu (hôm nay là 30/06/2025)" in province(*command, lang="vi").stderr


def test_days_outside_the_post_never_count(province: Cli) -> None:
    trip(province, "GL04", "10/6/2024", "12/6/2024")  # 3 days in ISO week 24
    trip(province, "GL04", "1/7/2024", "5/7/2024")
    trip(province, "GL04", "20/8/2024", None, "--unit", "X-PT1")
    # The post is ended on 30 June behind doanfield's back (as an older ledger may hold it;
    # `cadre edit` refuses a post that would leave out recorded trips).
    province.sql("UPDATE cadre SET active_to = '2024-06-30' WHERE code = 'GL04'")
    gl04 = rows(province, "--year", "2024")["GL04"]
    # Active 1 Jan - 30 Jun: 182 days, ceil(60 * 182 / 366) = 30 due; only the June trip's 3
    # days count; the July and August ones were after the post. Weeks 1-26, one met.
    assert (gl04["field_days"], gl04["required_days"], gl04["field_ok"]) == (3, 30, False)
    assert (gl04["weeks_met"], gl04["weeks_total"]) == (1, 26)
    assert gl04["days_by_level"] == {}  # the one hosted trip was after the post
    summary = province.ok("report", "summary", "--year", "2024", "--format", "json").json()
    assert summary["field_days"] == 3 and summary["days_by_unit"] == {"(none)": 3}
    sheet = province.ok("cadre", "show", "GL04", "--year", "2024", "--format", "json").json()
    assert sheet["totals"] == [{"year": 2024, "trips": 3, "field_days": 3}]


def test_only_exempt_absences_reduce_the_days_due(province: Cli) -> None:
    # GL01 sick in February (29 days), GL04 on annual leave in March (31 days), PT01 away
    # studying all year.
    for cadre, start, end, reason in [
        ("GL01", "1/2/2024", "29/2/2024", "nghỉ ốm"),
        ("GL04", "1/3/2024", "31/3/2024", "nghỉ phép năm"),
        ("PT01", "1/1/2024", "31/12/2024", "học tập: Trung cấp lý luận chính trị"),
    ]:
        province.ok(
            "absence", "add", "--cadre", cadre, "--start", start, "--end", end, "--reason", reason
        )
    by = rows(province, "--year", "2024")
    # GL01: 366 - 29 = 337 active days, ceil(60 * 337 / 366) = ceil(55.25) = 56.
    assert by["GL01"]["required_days"] == 56
    # GL04: annual leave does not exempt: 60, and March's weeks still count (52 weeks).
    assert by["GL04"]["required_days"] == 60 and by["GL04"]["weeks_total"] == 52
    # PT01: exempt all year, still reported: 0 due, 0 weeks, and so meeting 1+2.
    assert (by["PT01"]["required_days"], by["PT01"]["weeks_total"]) == (0, 0)
    assert by["PT01"]["field_ok"] is True
    # From 2024 only study exempts (given in Vietnamese): GL01's sick leave no longer does.
    province.ok("policy", "set", "exempt_absence_reasons", "học tập", "--from-year", "2024")
    shown = province.ok("policy", "show", "--year", "2024", "--format", "json").json()
    assert shown["exempt_absence_reasons"] == ["study"]
    by = rows(province, "--year", "2024")
    assert by["GL01"]["required_days"] == 60 and by["PT01"]["required_days"] == 0
    # Annual leave may be made to exempt too: GL04 366 - 31 = 335, ceil(54.92) = 55.
    province.ok(
        "policy", "set", "exempt_absence_reasons", "study, nghỉ phép năm", "--from-year", "2024"
    )
    assert rows(province, "--year", "2024")["GL04"]["required_days"] == 55
