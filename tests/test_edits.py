"""trip/assignment/absence/plan edit: checked exactly like add, one transaction, logged.

Each edit is compared with the ledger before it: the edited record changed exactly as asked,
every other record as it was, and one change-log entry with the record before and after.
The `province` ledger is described in tests/conftest.py; "today" is 2025-06-30.
"""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Cli


def listed(cli: Cli, noun: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = cli.ok(noun, "list", "--format", "json").json()
    return rows


def last_log(cli: Cli) -> dict[str, Any]:
    entry: dict[str, Any] = cli.ok("log", "--limit", "1", "--format", "json").json()[0]
    return entry


def edited(cli: Cli, noun: str, *args: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The list before and after a successful edit."""
    before = listed(cli, noun)
    result = cli.ok(noun, "edit", *args)
    assert "updated" in result.stdout
    return before, listed(cli, noun)


def refused(cli: Cli, *args: str) -> str:
    before = cli.dump()
    result = cli(*args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1
    assert cli.dump() == before
    return result.stderr.removeprefix("doanfield: error: ").strip()


# ------------------------------------------------------------------------ trips


def test_trip_edit_changes_what_is_given(province: Cli) -> None:
    province.ok(
        "trip", "add", "--cadre", "GL04", "--date", "19/2/2024", "--place", "Ia Sol",
        "--unit", "X-PT1", "--note", "ghi chú",
    )  # fmt: skip
    province.ok("trip", "add", "--cadre", "GL01", "--date", "20/2/2024")
    before, after = edited(
        province, "trip", "1", "--kind", "theo chuyên đề", "--start", "18/2/2024", "--end",
        "19/2/2024", "--unit", "", "--program", "Xuân yêu thương",
    )  # fmt: skip
    expected = {
        **before[0],
        "start": "2024-02-18",
        "end": "2024-02-19",
        "kind": "thematic",
        "unit": "",
        "program": "Xuân yêu thương",
    }
    assert after == [expected, before[1]]
    log = last_log(province)
    assert (log["entity"], log["key"], log["action"]) == ("trip", "#1", "edit")
    assert json.loads(log["before"])["kind"] == "other"
    assert json.loads(log["after"]) == expected
    again = province.ok("trip", "edit", "1", "--kind", "thematic")
    assert "trip #1 unchanged" in again.stdout  # itself is no duplicate
    moved = province.ok("trip", "edit", "1", "--date", "1/3/2024", "--cadre", "PT01")
    assert "updated" in moved.stdout
    row = listed(province, "trip")[1]
    assert (row["cadre"], row["start"], row["end"]) == ("PT01", "2024-03-01", "2024-03-01")


def test_trip_edit_is_checked_like_add(province: Cli) -> None:
    province.ok("trip", "add", "--cadre", "GL04", "--date", "19/2/2024", "--place", "Ia Sol")
    province.ok("trip", "add", "--cadre", "GL04", "--date", "20/2/2024", "--place", "Ia Sol")
    province.ok("absence", "add", "--cadre", "GL04", "--start", "1/3/2024", "--end", "5/3/2024")
    assert refused(province, "trip", "edit", "2", "--date", "19/2/2024") == (
        "trip #2 on 2024-02-19 repeats trip #1 (same cadre GL04, dates, kind other, place 'Ia Sol')"
    )
    assert refused(province, "trip", "edit", "2", "--start", "2/3/2024", "--end", "3/3/2024") == (
        "trip #2 2024-03-02 to 2024-03-03 falls on absence #1 of GL04 "
        "(2024-03-01 to 2024-03-05, no reason given)"
    )
    assert refused(province, "trip", "edit", "2", "--cadre", "DC01") == (
        "trip #2 on 2024-02-20 is outside DC01's post (from 2024-07-01)"
    )
    # 20 Feb .. 30 Apr 2024: 10 + 31 + 30 = 71 days.
    assert "lasts 71 days" in refused(province, "trip", "edit", "2", "--end", "30/4/2024")
    assert "end 2024-02-01 is before start" in refused(
        province, "trip", "edit", "2", "--end", "1/2/2024"
    )
    assert refused(province, "trip", "edit", "9", "--place", "x") == "unknown trip #9"
    bad = province("trip", "edit", "2", "--date", "1/2/2024", "--start", "1/2/2024")
    assert bad.exit_code == 2 and "not both" in bad.stderr


# ------------------------------------------------------------------------ assignments


def test_assignment_edit(province: Cli) -> None:
    province.ok("plan", "add", "P", "--year", "2024", "--quota", "province=3")
    add = ("assignment", "add", "--cadre", "GL04", "--host", "HD-PT")
    province.ok(*add, "--start", "19/2/2024", "--months", "3", "--plan", "P")
    province.ok(*add, "--start", "1/9/2024", "--months", "1")
    before, after = edited(
        province, "assignment", "1", "--start", "1/3/2024", "--months", "2", "--role",
        "Phó Bí thư", "--plan", "",
    )  # fmt: skip
    # --months 2 from 1 March 2024 ends the day before 1 May: 30 April.
    expected = {
        **before[0],
        "start": "2024-03-01",
        "end": "2024-04-30",
        "role": "Phó Bí thư",
        "plan": "",
    }
    assert after == [expected, before[1]]
    log = last_log(province)
    assert (log["entity"], log["key"], log["action"]) == ("assignment", "#1", "edit")
    assert json.loads(log["before"])["plan"] == "P" and json.loads(log["after"]) == expected
    _, after = edited(province, "assignment", "1", "--months", "1")  # from the stored start
    assert after[0]["end"] == "2024-03-31"
    assert refused(province, "assignment", "edit", "2", "--start", "31/3/2024") == (
        "assignment #2 2024-03-31 to 2024-09-30 overlaps assignment #1 of GL04 "
        "(2024-03-01 to 2024-03-31, host HD-PT)"
    )
    assert refused(province, "assignment", "edit", "1", "--cadre", "DC01") == (
        "assignment #1 2024-03-01 to 2024-03-31 is outside DC01's post (from 2024-07-01)"
    )
    assert "unknown unit 'HD-XX'" in refused(province, "assignment", "edit", "2", "--host", "HD-XX")
    province.ok("assignment", "report", "2", "--date", "5/10/2024", "--text", "Xong.")
    assert refused(
        province, "assignment", "edit", "2", "--start", "6/10/2024", "--end", "7/11/2024"
    ) == ("assignment #2 would start after its report's date (2024-10-05)")
    both = province("assignment", "edit", "2", "--months", "1", "--end", "1/10/2024")
    assert both.exit_code == 2


# ------------------------------------------------------------------------ absences


def test_absence_edit(province: Cli) -> None:
    add = ("absence", "add", "--cadre", "PT01")
    province.ok(*add, "--start", "1/3/2024", "--end", "31/3/2024", "--reason", "study")
    province.ok(*add, "--start", "1/5/2024", "--end", "31/5/2024", "--reason", "sick")
    province.ok("trip", "add", "--cadre", "PT01", "--date", "15/6/2024")
    before, after = edited(province, "absence", "1", "--end", "15/4/2024", "--reason", "Nghỉ ốm")
    expected = {**before[0], "end": "2024-04-15", "reason": "sick"}
    assert after == [expected, before[1]]
    log = last_log(province)
    assert json.loads(log["before"])["reason"] == "study" and json.loads(log["after"]) == expected
    assert refused(province, "absence", "edit", "1", "--end", "1/5/2024") == (
        "absence #1 2024-03-01 to 2024-05-01 overlaps absence #2 of PT01 "
        "(2024-05-01 to 2024-05-31, sick)"
    )
    assert refused(province, "absence", "edit", "2", "--end", "20/6/2024") == (
        "absence #2 2024-05-01 to 2024-06-20 covers trip #1 of PT01 (on 2024-06-15); "
        "move or remove the trip first"
    )
    assert "unchanged" in province.ok("absence", "edit", "2", "--reason", "ốm đau").stdout


# ------------------------------------------------------------------------ plans


def test_plan_edit(province: Cli) -> None:
    province.ok(
        "plan", "add", "P", "--year", "2024", "--title", "Kế hoạch", "--quota", "province=7",
        "--quota", "district=13", "--max-age", "district=35",
    )  # fmt: skip
    province.ok("plan", "add", "Q", "--year", "2025", "--quota", "province=1")
    before, after = edited(
        province, "plan", "P", "--quota", "tỉnh=5", "--quota", "xã=4", "--max-age", "xa=30",
        "--title", "Kế hoạch mới",
    )  # fmt: skip
    rows = {(r["plan"], r["level"]): r for r in after}
    assert rows == {
        ("P", "province"): {**before[0], "target": 5, "title": "Kế hoạch mới"},
        ("P", "district"): {**before[1], "title": "Kế hoạch mới"},
        ("P", "commune"): {
            "plan": "P",
            "year": 2024,
            "title": "Kế hoạch mới",
            "level": "commune",
            "target": 4,
            "max_age": 30,
        },
        ("Q", "province"): before[2],
    }
    log = last_log(province)
    assert (log["entity"], log["key"], log["action"]) == ("plan", "P", "edit")
    assert json.loads(log["after"])["quotas"][2] == {"level": "commune", "target": 4, "max_age": 30}
    _, after = edited(
        province, "plan", "P", "--drop", "huyện", "--no-max-age", "commune", "--year", "2025"
    )
    assert [(r["plan"], r["year"], r["level"], r["max_age"]) for r in after] == [
        ("P", 2025, "province", ""),
        ("P", 2025, "commune", ""),
        ("Q", 2025, "province", ""),
    ]
    assert refused(province, "plan", "edit", "P", "--drop", "district") == (
        "the plan has no quota for level 'district' to drop"
    )
    assert refused(province, "plan", "edit", "P", "--drop", "province", "--drop", "commune") == (
        "plan 'P' needs at least one quota; it cannot drop them all"
    )
    assert refused(province, "plan", "edit", "P", "--quota", "provnce=2").startswith(
        "unknown level 'provnce' (did you mean province?)"
    )
    assert refused(province, "plan", "edit", "P", "--max-age", "district=30") == (
        "level 'district' has a --max-age but no --quota"
    )
    assert refused(province, "plan", "edit", "X", "--year", "2024").startswith("unknown plan 'X'")
    assert "unchanged" in province.ok("plan", "edit", "P", "--quota", "province=5").stdout


# ------------------------------------------------------------------------ cadres


def test_a_post_end_set_by_mistake_is_undone(province: Cli) -> None:
    province.ok("cadre", "edit", "GL04", "--active-to", "30/6/2025")
    before = {c["code"]: c for c in listed(province, "cadre")}
    assert before["GL04"]["active_to"] == "2025-06-30"
    result = province.ok("--lang", "vi", "cadre", "edit", "GL04", "--no-active-to")
    assert "đã cập nhật cán bộ GL04" in result.stdout
    after = {c["code"]: c for c in listed(province, "cadre")}
    assert after == {**before, "GL04": {**before["GL04"], "active_to": ""}}
    log = last_log(province)
    assert (log["entity"], log["key"], log["action"]) == ("cadre", "GL04", "edit")
    assert json.loads(log["before"])["active_to"] == "2025-06-30"
    assert json.loads(log["after"])["active_to"] == ""
    both = province("cadre", "edit", "GL04", "--no-active-to", "--active-to", "1/1/2025")
    assert both.exit_code == 2
    assert "give --active-to or --no-active-to, not both" in both.stderr
    assert listed(province, "cadre") == list(after.values())
