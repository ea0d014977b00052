"""Trips' travel orders and reports, and reports overdue or late (SPEC §2, §3, §4).

On the `province` ledger (tests/conftest.py; today is 30 June 2025). With trip_report_days 10
a stay ending on E is due on E + 10; every figure below is worked out by hand in comments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli


def trip(cli: Cli, cadre: str, start: str, end: str, *more: str) -> None:
    cli.ok("trip", "add", "--cadre", cadre, "--start", start, "--end", end, *more)


@pytest.fixture
def reported(province: Cli) -> Cli:
    cli = province
    trip(cli, "GL04", "4/3/2024", "8/3/2024", "--order", "15-CL/TĐTN")  # #1, due 18 March
    trip(cli, "GL04", "1/4/2024", "3/4/2024")  # #2, due 13 April
    trip(cli, "GL04", "10/5/2024", "10/5/2024")  # #3, due 20 May
    trip(cli, "GL01", "25/12/2024", "27/12/2024")  # #4, due 6 January 2025
    trip(cli, "GL01", "15/12/2024", "20/12/2024")  # #5, due 30 December 2024
    cli.ok("trip", "report", "1", "--date", "15/3/2024", "--text", "Đúng hạn.")
    cli.ok("trip", "report", "2", "--date", "20/4/2024", "--text", "Nộp muộn.")
    # Assignment #1: 1 Feb - 30 Apr 2024, due 10 May; its report came on 12 May.
    stint = ("--cadre", "PT01", "--host", "X-PT1", "--start", "1/2/2024", "--months", "3")
    cli.ok("assignment", "add", *stint)
    cli.ok("assignment", "report", "1", "--date", "12/5/2024", "--text", "Báo cáo.")
    return cli


def overdue(cli: Cli, *args: str) -> dict[str, Any]:
    return cli.ok("report", "overdue", "--format", "json", *args).json()  # type: ignore[no-any-return]


def test_not_tracked_until_trip_report_days_is_set(reported: Cli) -> None:
    assert overdue(reported, "--year", "2024") == {"as_of": "2024-12-31", "rows": []}
    table = reported.ok("report", "overdue", "--year", "2024").stdout
    assert "Reports are not tracked: trip_report_days is 0" in table
    rows = reported.ok("report", "compliance", "--year", "2024", "--format", "json").json()
    assert {r["trip_reports_overdue"] for r in rows["rows"]} == {0}


def test_on_time_late_and_overdue(reported: Cli) -> None:
    reported.ok("policy", "set", "trip_report_days", "10")
    found = overdue(reported, "--year", "2024")
    assert found["as_of"] == "2024-12-31"
    # #1 was on time (15 March ≤ 18 March). #2 late (20 April > 13 April). The assignment
    # late (12 May > 10 May). #3 overdue (no report; 31 Dec > 20 May). #5 overdue (due 30
    # December, late from 31 December). #4 falls due on 6 January 2025: next year's.
    columns = ("kind", "id", "cadre", "start", "end", "due", "report_date", "status")
    assert [tuple(r[c] for c in columns) for r in found["rows"]] == [
        ("trip", 2, "GL04", "2024-04-01", "2024-04-03", "2024-04-13", "2024-04-20", "late"),
        ("assignment", 1, "PT01", "2024-02-01", "2024-04-30", "2024-05-10", "2024-05-12", "late"),
        ("trip", 3, "GL04", "2024-05-10", "2024-05-10", "2024-05-20", None, "overdue"),
        ("trip", 5, "GL01", "2024-12-15", "2024-12-20", "2024-12-30", None, "overdue"),
    ]
    assert set(found["rows"][0]) == set(columns)
    compliance = reported.ok("report", "compliance", "--year", "2024", "--format", "json").json()
    counts = {r["cadre"]: r["trip_reports_overdue"] for r in compliance["rows"]}
    # Trips only: GL04's #3, GL01's #5; PT01's late assignment report is not a trip's.
    assert counts == {"GL04": 1, "GL01": 1, "PT01": 0, "DC01": 0}
    assert (
        "1 trip report(s) overdue" in reported.ok("report", "compliance", "--year", "2024").stdout
    )


def test_as_of_a_date_a_late_report_was_still_overdue(reported: Cli) -> None:
    reported.ok("policy", "set", "trip_report_days", "10")
    # As of 15 April: #2's deadline (13 April) has passed and its report (20 April) is not in
    # yet: overdue. Nothing else has passed its deadline unreported.
    rows = overdue(reported, "--as-of", "15/4/2024")["rows"]
    assert [(r["id"], r["status"], r["report_date"]) for r in rows] == [(2, "overdue", None)]
    # On its due date a report is not overdue yet: as of 13 April nothing is.
    assert overdue(reported, "--as-of", "13/4/2024")["rows"] == []
    # The running year (default: today, 30 June 2025): #4, due 6 January 2025, overdue.
    rows = overdue(reported)["rows"]
    assert overdue(reported)["as_of"] == "2025-06-30"
    assert [(r["id"], r["due"], r["status"]) for r in rows] == [(4, "2025-01-06", "overdue")]
    vietnamese = reported.ok("report", "overdue", lang="vi").stdout
    assert "quá hạn" in vietnamese and "06/01/2025" in vietnamese
    assert reported("report", "overdue", "--year", "2024", "--as-of", "1/1/2025").exit_code == 2


def test_each_unit_its_own_deadline(reported: Cli) -> None:
    reported.ok("policy", "set", "trip_report_days", "10")
    # Phú Thiện does not track reports: PT01's late assignment report leaves the list; with 2
    # days (due 2 May) it would still be late.
    reported.ok("policy", "set", "trip_report_days", "0", "--unit", "HD-PT")
    assert [r["cadre"] for r in overdue(reported, "--year", "2024")["rows"]] == [
        "GL04",
        "GL04",
        "GL01",
    ]
    assert overdue(reported, "--year", "2024", "--unit", "HD-PT")["rows"] == []
    reported.ok("policy", "set", "trip_report_days", "2", "--unit", "HD-PT")
    rows = overdue(reported, "--year", "2024", "--unit", "HD-PT")["rows"]
    assert [(r["kind"], r["due"], r["status"]) for r in rows] == [
        ("assignment", "2024-05-02", "late")
    ]


def test_trip_orders_and_reports_are_recorded(reported: Cli, tmp_path: Path) -> None:
    (first,) = [t for t in reported.ok("trip", "list", "--format", "json").json() if t["id"] == 1]
    assert (first["order"], first["report_date"], first["report"]) == (
        "15-CL/TĐTN",
        "2024-03-15",
        "Đúng hạn.",
    )
    reported.ok("trip", "edit", "1", "--order", "16-CL/TĐTN")
    text = tmp_path / "bc.txt"
    text.write_bytes("\ufeffBáo cáo kết quả đi cơ sở.\n".encode())
    said = reported.ok("trip", "report", "1", "--date", "16/3/2024", "--file", str(text), lang="vi")
    assert said.stdout.strip() == "đã ghi nhận báo cáo của đợt đi cơ sở #1"
    (first,) = [t for t in reported.ok("trip", "list", "--format", "json").json() if t["id"] == 1]
    assert (first["order"], first["report_date"], first["report"]) == (
        "16-CL/TĐTN",
        "2024-03-16",
        "Báo cáo kết quả đi cơ sở.",
    )
    entry = reported.ok("log", "--limit", "1", "--format", "json").json()[0]
    assert (entry["entity"], entry["key"], entry["action"]) == ("trip", "#1", "report")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--date", "3/3/2024", "--text", "x"), 1, "report date 2024-03-03 is before trip #1"),
        (("--date", "15/3/2024", "--text", "  "), 1, "the report for trip #1 is empty"),
        (("--date", "15/3/2024"), 2, "give either --text TEXT or --file PATH"),
        (("--date", "15/3/2024", "--file", "no-such-file.txt"), 1, "cannot open"),
    ],
)
def test_a_bad_trip_report_is_refused(
    reported: Cli, args: tuple[str, ...], code: int, message: str
) -> None:
    before = reported.dump()
    result = reported("trip", "report", "1", *args)
    assert result.exit_code == code and message in result.stderr
    assert reported.dump() == before
    assert reported("trip", "report", "99", "--date", "1/1/2024", "--text", "x").exit_code == 1


def test_a_trip_cannot_move_after_its_report(reported: Cli) -> None:
    result = reported("trip", "edit", "1", "--start", "16/3/2024", "--end", "17/3/2024")
    assert result.exit_code == 1
    assert "trip #1 would start after its report's date (2024-03-15)" in result.stderr


def test_orders_and_reports_import_and_export(
    province: Cli, write_csv: Any, tmp_path: Path
) -> None:
    sheet = write_csv(
        "trips.csv",
        "Mã cán bộ,Từ ngày,Đến ngày,Địa điểm,Số công lệnh,Ngày báo cáo,Báo cáo\n"
        "GL04,4/3/2024,8/3/2024,Ia Sol,15-CL/TĐTN,15/3/2024,Đã báo cáo.\n"
        "GL01,1/4/2024,3/4/2024,Ia Yeng,16-CL/TĐTN,,\n",
    )
    assert "2 added" in province.ok("import", "trips", str(sheet)).stdout
    rows = province.ok("trip", "list", "--format", "json").json()
    assert [(r["order"], r["report_date"], r["report"]) for r in rows] == [
        ("15-CL/TĐTN", "2024-03-15", "Đã báo cáo."),
        ("16-CL/TĐTN", "", ""),
    ]
    assert "0 added" in province.ok("import", "trips", str(sheet)).stdout
    bad = write_csv(
        "bad.csv",
        "cadre,start,end,report_date,report\n"
        "GL04,1/5/2024,2/5/2024,,Có nội dung mà không có ngày.\n"
        "GL04,1/6/2024,2/6/2024,30/5/2024,Trước khi đi.\n",
    )
    result = province("import", "trips", str(bad))
    assert result.exit_code == 1
    assert "bad.csv:2: report_date: is empty; a report needs both its date and its text" in (
        result.stderr
    )
    assert "bad.csv:3: report_date: is before start 2024-06-01" in result.stderr
    out = tmp_path / "out.csv"
    province.ok("export", "trips", "--output", str(out))
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].endswith(",15-CL/TĐTN,2024-03-15,Đã báo cáo.")
