"""Policy per unit subtree and days by host level (SPEC §2, §3), through the CLI.

One national ledger holding two provinces that count differently: province A wants 60 days a
year (the default) of which 10 at branches and 5 at communes; province B wants 30 days and no
minimum by level. Every figure is worked out by hand in the comments.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Cli, Ledgers


def _build(cli: Cli) -> None:
    for code, level, parent in [
        ("TW", "central", None),
        ("P-A", "province", "TW"),
        ("H-A", "district", "P-A"),
        ("X-A", "commune", "H-A"),
        ("C-A", "branch", "X-A"),
        ("P-B", "province", "TW"),
        ("X-B", "commune", "P-B"),
    ]:
        under = ("--parent", parent) if parent else ()
        cli.ok("unit", "add", code, "--name", f"Đoàn {code}", "--level", level, *under)
    for code, name, unit in [
        ("A1", "Nguyễn Văn An", "P-A"),
        ("A2", "Trần Thị Bình", "H-A"),
        ("B1", "Lê Văn Cường", "P-B"),
    ]:
        cli.ok("cadre", "add", code, "--name", name, "--unit", unit)
    cli.ok("policy", "set", "field_days_per_year", "30", "--unit", "P-B")
    minimums = ("min_days_by_host_level", "chi đoàn=10, xã=5")
    cli.ok("policy", "set", *minimums, "--unit", "P-A", "--from-year", "2024")
    cli.ok("policy", "set", "field_days_per_year", "45", "--unit", "H-A", "--from-year", "2025")
    trips = [
        ("A1", "4/3/2024", "8/3/2024", "C-A"),  # 5 days at a branch
        ("A1", "1/4/2024", "3/4/2024", "X-A"),  # 3 at a commune
        ("A1", "10/5/2024", "10/5/2024", ""),  # 1 with no host
        ("A2", "1/7/2024", "12/7/2024", "C-A"),  # 12 at a branch
        ("A2", "1/8/2024", "31/8/2024", "X-A"),  # 31 at a commune
        ("A2", "1/9/2024", "17/9/2024", "X-A"),  # 17 at a commune
        ("B1", "1/10/2024", "30/10/2024", "X-B"),  # 30 at a commune
    ]
    for cadre, start, end, host in trips:
        where = ("--unit", host) if host else ()
        cli.ok("trip", "add", "--cadre", cadre, "--start", start, "--end", end, *where)


@pytest.fixture
def nation(ledgers: Ledgers, tmp_path: Any) -> Any:
    made = ledgers.prepared("two-provinces", _build, tmp_path)
    yield made
    ledgers.discard(made)


def report(cli: Cli, *args: str, **options: Any) -> dict[str, Any]:
    return cli.ok("report", "compliance", "--format", "json", *args, **options).json()  # type: ignore[no-any-return]


def by_cadre(found: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["cadre"]: r for r in found["rows"]}


def test_each_province_counts_its_own_way(nation: Cli) -> None:
    found = report(nation, "--year", "2024")
    # The top-level policy is the ledger's: the defaults, no minimum by level.
    assert found["policy"]["field_days_per_year"] == 60
    assert found["policy"]["min_days_by_host_level"] == {}
    rows = by_cadre(found)
    # A1 (province A): 5 + 3 + 1 = 9 of 60, and short at both levels with a minimum.
    a1 = rows["A1"]
    assert (a1["field_days"], a1["required_days"], a1["field_ok"]) == (9, 60, False)
    assert a1["days_by_level"] == {"commune": 3, "branch": 5}
    # A2 (under H-A, in province A; H-A's 45 days apply only from 2025): 12 + 31 + 17 = 60 of
    # 60, 12 ≥ 10 at branches, 48 ≥ 5 at communes: met.
    a2 = rows["A2"]
    assert (a2["field_days"], a2["required_days"], a2["field_ok"]) == (60, 60, True)
    assert a2["days_by_level"] == {"commune": 48, "branch": 12}
    # B1 (province B): 30 of 30, no minimum by level.
    b1 = rows["B1"]
    assert (b1["field_days"], b1["required_days"], b1["field_ok"]) == (30, 30, True)
    assert b1["days_by_level"] == {"commune": 30}
    assert found["totals"]["field_ok"] == 2


def test_minimums_by_level_are_pro_rated_like_the_required_days(nation: Cli) -> None:
    rows = by_cadre(report(nation, "--year", "2025"))
    # As of 30 June 2025, 181 of 365 days. A1: ceil(60 * 181 / 365) = ceil(29.75) = 30 days,
    # of them ceil(10 * 181 / 365) = 5 at branches and ceil(5 * 181 / 365) = 3 at communes.
    # A2: H-A's 45 from 2025: ceil(45 * 181 / 365) = ceil(22.32) = 23. B1: ceil(14.88) = 15.
    assert [rows[c]["required_days"] for c in ("A1", "A2", "B1")] == [30, 23, 15]
    table = nation.ok("report", "compliance", "--year", "2025").stdout
    # A1 has no day in 2025: short by 30 days, and at each level by its whole minimum.
    assert "short by 30 days; 3 day(s) short at commune level; 5 day(s) short at branch" in table
    vietnamese = nation.ok("report", "compliance", "--year", "2024", lang="vi").stdout
    # 2024: A1 short by 60 - 9 = 51, by 10 - 5 = 5 at branches and 5 - 3 = 2 at communes.
    assert "thiếu 51 ngày; thiếu 2 ngày ở cấp xã; thiếu 5 ngày ở cấp chi đoàn" in vietnamese
    assert "xã 3 · chi đoàn 5" in vietnamese  # the days-by-level column


def test_policy_show_for_a_unit_says_where_each_value_comes_from(nation: Cli) -> None:
    assert nation.ok(
        "policy", "show", "--year", "2024", "--unit", "H-A", "--format", "json"
    ).json()["min_days_by_host_level"] == {"branch": 10, "commune": 5}
    csv_2024 = nation.ok(
        "policy", "show", "--year", "2024", "--unit", "H-A", "--format", "csv"
    ).stdout.splitlines()
    assert csv_2024[0] == "key,value,set_for,from_year"
    assert "field_days_per_year,60,default," in csv_2024
    assert '"branch=10,commune=5",P-A,2024' in "\n".join(csv_2024)
    csv_2025 = nation.ok(
        "policy", "show", "--year", "2025", "--unit", "X-A", "--format", "csv"
    ).stdout
    assert "field_days_per_year,45,H-A,2025" in csv_2025  # X-A is under H-A
    nation.ok("policy", "set", "weekly_field_days", "2")
    table = nation.ok("policy", "show", "--year", "2024", "--unit", "X-B", lang="vi").stdout
    assert "Quy định áp dụng năm 2024 cho đơn vị X-B" in table
    assert "toàn bộ các đơn vị" in table and "mặc định" in table and "P-B" in table


def test_a_unit_value_follows_the_tree_as_it_stood_on_the_row_day(nation: Cli) -> None:
    # H-A moves from province A to province B on 1 July 2024 (written as `unit move` will).
    nation.sql(
        "INSERT INTO unit_parent (unit_id, parent_id, start) SELECT h.id, b.id, '2024-07-01' "
        "FROM unit h, unit b WHERE h.code = 'H-A' AND b.code = 'P-B'"
    )
    # A2's row day is 30 June: H-A was under P-A: 60 days with the minimums (by 30 June 182 of
    # 366 days: ceil(60 * 182 / 366) = 30; A2's trips are all later: 0 of 30).
    mid = by_cadre(report(nation, "--year", "2024", "--as-of", "30/6/2024"))["A2"]
    assert (mid["field_days"], mid["required_days"]) == (0, 30)
    # On 31 December H-A is under P-B: 30 days and no minimum by level: 60 of 30, met.
    end = by_cadre(report(nation, "--year", "2024"))["A2"]
    assert (end["required_days"], end["field_ok"]) == (30, True)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("max_trip_days", "20", "--unit", "P-A"),
            1,
            "policy max_trip_days is the same for the whole ledger; it cannot be set for a unit",
        ),
        (("field_days_per_year", "30", "--unit", "P-C"), 1, "unknown unit 'P-C'"),
        (("min_days_by_host_level", "xóm=3"), 1, "xóm"),
        (("min_days_by_host_level", "branch"), 2, "takes LEVEL=DAYS pairs"),  # unreadable
        (("min_days_by_host_level", "branch=400"), 1, "between 0 and 366"),
        (("min_days_by_host_level", "xã=1,commune=2"), 1, "names level commune twice"),
    ],
)
def test_bad_policy_settings_are_refused(
    nation: Cli, args: tuple[str, ...], code: int, message: str
) -> None:
    before = nation.dump()
    result = nation("policy", "set", *args)
    assert result.exit_code == code and message in result.stderr
    assert nation.dump() == before


def test_a_unit_setting_is_logged_and_replaced(nation: Cli) -> None:
    said = nation.ok("policy", "set", "field_days_per_year", "25", "--unit", "P-B", lang="vi")
    assert said.stdout.strip() == (
        "đã đặt quy định field_days_per_year = 25 từ năm 1900 cho P-B và các đơn vị cấp dưới"
    )
    assert by_cadre(report(nation, "--year", "2024"))["B1"]["required_days"] == 25
    entry = nation.ok("log", "--limit", "1", "--format", "json").json()[0]
    assert entry["key"] == "field_days_per_year@1900@P-B" and '"value": "30"' in entry["before"]
