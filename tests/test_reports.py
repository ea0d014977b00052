"""The reports of SPEC §4 through the CLI, on small ledgers whose answers are worked out by hand."""

from __future__ import annotations

import pytest

from tests.conftest import Cli

PLAN = "152-KH/TĐTN-TCKT"


@pytest.fixture
def year(province: Cli) -> Cli:
    """2024 for the `province` ledger: trips, a 3-month secondment, an absence."""
    cli = province
    cli.ok(
        "plan",
        "add",
        PLAN,
        "--year",
        "2024",
        "--quota",
        "province=7",
        "--quota",
        "district=13",
        "--max-age",
        "district=35",
    )
    cli.ok(
        "assignment",
        "add",
        "--cadre",
        "GL04",
        "--host",
        "HD-PT",
        "--start",
        "19/2/2024",
        "--months",
        "3",
        "--role",
        "Phó Bí thư Huyện Đoàn Phú Thiện",
        "--plan",
        PLAN,
    )
    cli.ok("trip", "add", "--cadre", "GL04", "--date", "1/3/2024")  # inside the secondment
    cli.ok(
        "trip",
        "add",
        "--cadre",
        "GL04",
        "--start",
        "1/7/2024",
        "--end",
        "3/7/2024",
        "--kind",
        "thematic",
        "--program",
        "Ấm áp mùa đông",
        "--unit",
        "X-PT1",
    )
    cli.ok(
        "trip",
        "add",
        "--cadre",
        "GL01",
        "--start",
        "30/12/2023",
        "--end",
        "2/1/2024",
        "--kind",
        "inspection",
        "--unit",
        "HD-DC",
    )
    cli.ok("trip", "add", "--cadre", "PT01", "--date", "8/1/2024", "--kind", "thematic")
    cli.ok(
        "absence",
        "add",
        "--cadre",
        "PT01",
        "--start",
        "1/3/2024",
        "--end",
        "31/8/2024",
        "--reason",
        "study",
    )
    cli.ok(
        "assignment",
        "add",
        "--cadre",
        "PT01",
        "--host",
        "X-PT1",
        "--start",
        "1/11/2024",
        "--end",
        "31/1/2025",
        "--plan",
        PLAN,
    )
    return cli


def rows_by_cadre(report: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {r["cadre"]: r for r in report["rows"]}


def test_compliance_json(year: Cli) -> None:
    report = year.ok("report", "compliance", "--year", "2024", "--format", "json").json()
    assert set(report) == {"year", "as_of", "policy", "rows", "totals"}
    assert report["year"] == 2024 and report["as_of"] == "2024-12-31"
    assert report["policy"]["field_days_per_year"] == 60
    rows = rows_by_cadre(report)
    assert set(rows["GL04"]) == {
        "cadre",
        "name",
        "unit",
        "category",
        "field_days",
        "required_days",
        "field_ok",
        "weeks_met",
        "weeks_total",
        "training_required",
        "training_status",
        "report_pending",
        "days_by_level",
        "trip_reports_overdue",
    }
    # 90 days seconded (1 Mar inside them) + 3 days in July.
    assert rows["GL04"]["field_days"] == 93 and rows["GL04"]["required_days"] == 60
    assert rows["GL04"]["field_ok"] is True
    assert rows["GL04"]["training_status"] == "done" and rows["GL04"]["report_pending"] is True
    # 2 days of 2024 from a trip that began in 2023.
    assert rows["GL01"]["field_days"] == 2 and rows["GL01"]["training_status"] == "missing"
    # Absent 184 days: active 182 of 366 -> ceil(60 * 182 / 366) = 30.
    assert rows["PT01"]["required_days"] == 30
    assert rows["PT01"]["field_days"] == 1 + 61  # a trip and Nov-Dec of the secondment
    assert rows["PT01"]["training_status"] == "in_progress"
    # In the post from 1 July: 184 of 366 days -> ceil(30.16) = 31.
    assert rows["DC01"]["required_days"] == 31
    assert rows["DC01"]["training_required"] is False
    assert rows["DC01"]["training_status"] == "not_required"
    # By host level: GL04's secondment at HD-PT (district) covers 90 days, 1 March among them
    # (that day's trip has no host); the July trip at X-PT1 (commune) 3. GL01's trip at HD-DC
    # (district): its 2 days of 2024. PT01: Nov-Dec of the secondment at X-PT1, 30 + 31 days;
    # the 8 January trip has no host. DC01: nothing.
    assert rows["GL04"]["days_by_level"] == {"district": 90, "commune": 3}
    assert rows["GL01"]["days_by_level"] == {"district": 2}
    assert rows["PT01"]["days_by_level"] == {"commune": 61}
    assert rows["DC01"]["days_by_level"] == {}
    assert report["totals"] == {
        "cadres": 4,
        "field_ok": 2,
        "training_done": 1,
        "training_required": 3,
    }


def test_compliance_weeks(year: Cli) -> None:
    rows = rows_by_cadre(
        year.ok("report", "compliance", "--year", "2024", "--format", "json").json()
    )
    # DC01 is active from Monday 1 July (week 27) to week 52: 26 weeks, none met.
    assert (rows["DC01"]["weeks_met"], rows["DC01"]["weeks_total"]) == (0, 26)
    # GL04: the secondment covers weeks 8-20 (13 weeks), the July trip week 27.
    assert (rows["GL04"]["weeks_met"], rows["GL04"]["weeks_total"]) == (14, 52)


def test_as_of_and_report_filed(year: Cli) -> None:
    early = year.ok(
        "report", "compliance", "--year", "2024", "--as-of", "1/4/2024", "--format", "json"
    ).json()
    assert early["as_of"] == "2024-04-01"
    assert rows_by_cadre(early)["GL04"]["training_status"] == "in_progress"
    before = rows_by_cadre(
        year.ok(
            "report", "compliance", "--year", "2024", "--as-of", "2024-02-01", "--format", "json"
        ).json()
    )
    assert before["GL04"]["training_status"] == "planned"
    year.ok("assignment", "report", "1", "--date", "27/5/2024", "--text", "Báo cáo.")
    after = rows_by_cadre(
        year.ok("report", "compliance", "--year", "2024", "--format", "json").json()
    )
    assert after["GL04"]["report_pending"] is False


def test_default_as_of_is_today_within_the_year(year: Cli) -> None:
    report = year.ok(
        "report", "compliance", "--year", "2024", "--format", "json", today="2024-03-15"
    ).json()
    assert report["as_of"] == "2024-03-15"


def test_unit_filter_and_posts_outside_the_year(year: Cli) -> None:
    district = year.ok(
        "report", "compliance", "--year", "2024", "--unit", "HD-PT", "--format", "json"
    ).json()
    assert [r["cadre"] for r in district["rows"]] == ["PT01"]
    earlier = year.ok("report", "compliance", "--year", "2023", "--format", "json").json()
    assert "DC01" not in rows_by_cadre(earlier)  # in the post only from July 2024
    assert rows_by_cadre(earlier)["GL01"]["field_days"] == 2


def test_fail_on_gap(year: Cli) -> None:
    gap = year("report", "compliance", "--year", "2024", "--fail-on-gap")
    assert gap.exit_code == 1
    assert "short by" in gap.stdout
    # GL01 (2 of 60 days) and DC01 (0 of 31) fall short; GL04 and PT01 meet 1+2.
    assert (
        gap.stderr == "doanfield: error: 2 of 4 cadre(s) are short of their required field days\n"
    )
    vi = year("report", "compliance", "--year", "2024", "--fail-on-gap", lang="vi")
    assert vi.stderr == "doanfield: lỗi: 2/4 cán bộ chưa đủ số ngày đi cơ sở phải đi\n"
    ok = year(
        "report",
        "compliance",
        "--year",
        "2024",
        "--unit",
        "TD",
        "--fail-on-gap",
        "--format",
        "json",
    )
    assert ok.exit_code == 1
    year.ok("policy", "set", "field_days_per_year", "1", "--from-year", "2024")
    year.ok("trip", "add", "--cadre", "DC01", "--date", "2/7/2024")
    passes = year("report", "compliance", "--year", "2024", "--fail-on-gap")
    assert passes.exit_code == 0


def test_policy_changes_the_answer_from_its_year(year: Cli) -> None:
    year.ok("policy", "set", "assignment_counts_as_field", "false", "--from-year", "2024")
    year.ok("policy", "set", "field_days_per_year", "30", "--from-year", "2024")
    report = year.ok("report", "compliance", "--year", "2024", "--format", "json").json()
    assert report["policy"]["assignment_counts_as_field"] is False
    rows = rows_by_cadre(report)
    assert rows["GL04"]["field_days"] == 4 and rows["GL04"]["required_days"] == 30
    old = year.ok("report", "compliance", "--year", "2023", "--format", "json").json()
    assert old["policy"]["field_days_per_year"] == 60


def test_compliance_table_shows_gaps_in_both_languages(year: Cli) -> None:
    english = year.ok("report", "compliance", "--year", "2024").stdout
    assert "Compliance 2024" in english and "short by 58 days" in english
    assert "Cadres: 4 · meeting 1+2: 2 · training done: 1 of 3" in english
    vietnamese = year.ok("report", "compliance", "--year", "2024", lang="vi").stdout
    assert "Kết quả thực hiện năm 2024" in vietnamese and "thiếu 58 ngày" in vietnamese
    assert "đang thực hiện" in vietnamese
    keys = year.ok("report", "compliance", "--year", "2024", "--format", "json", lang="vi").json()
    assert "rows" in keys and keys["rows"][0]["training_status"] in {
        "done",
        "in_progress",
        "planned",
        "missing",
        "not_required",
    }


def test_compliance_csv(year: Cli) -> None:
    csv_text = year.ok("report", "compliance", "--year", "2024", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == (
        "cadre,name,unit,category,field_days,required_days,field_ok,weeks_met,weeks_total,"
        "training_required,training_status,report_pending,days_by_level,trip_reports_overdue"
    )
    gl04 = next(line for line in csv_text.splitlines() if line.startswith("GL04,"))
    assert gl04.endswith(",district=90 commune=3,0")
    # The workbook for people: tests/test_workbooks.py.


def test_summary(year: Cli) -> None:
    summary = year.ok("report", "summary", "--year", "2024", "--format", "json").json()
    assert summary == {
        "year": 2024,
        "cadres_in_field": 3,
        "field_days": 93 + 2 + 62,
        "trips": 3,  # the trip that began in 2023 belongs to 2023
        "trips_by_kind": {"other": 1, "thematic": 2},
        "trips_by_program": {"Ấm áp mùa đông": 1},
        "days_by_unit": {"HD-PT": 90, "X-PT1": 61 + 3, "(none)": 2, "HD-DC": 2},
        "assignments_started": 2,
        "assignments_completed": 1,
    }
    table = year.ok("report", "summary", "--year", "2024").stdout
    assert "The year 2024 in figures" in table and "157" in table
    in_district = year.ok(
        "report", "summary", "--year", "2024", "--unit", "HD-PT", "--format", "json"
    ).json()
    assert in_district["cadres_in_field"] == 1 and in_district["field_days"] == 62


def test_weekly(year: Cli) -> None:
    report = year.ok(
        "report", "weekly", "--year", "2024", "--cadre", "DC01", "--format", "json"
    ).json()
    assert report["year"] == 2024
    (row,) = report["rows"]
    assert row["cadre"] == "DC01" and (row["weeks_met"], row["weeks_total"]) == (0, 26)
    assert row["missed_weeks"][0] == "2024-W27" and row["missed_weeks"][-1] == "2024-W52"
    table = year.ok("report", "weekly", "--year", "2024").stdout
    assert "█" in table and "14/52" in table
    assert "week strip: █ a week met, · a week missed, blank: not in post" in table
    vi = year.ok("--lang", "vi", "report", "weekly", "--year", "2024").stdout
    assert "dải tuần: █ tuần đạt, · tuần chưa đạt, để trống: không giữ chức vụ" in vi


def test_plan_report(year: Cli) -> None:
    report = year.ok("report", "plan", PLAN, "--format", "json").json()
    assert report == {
        "plan": PLAN,
        "year": 2024,
        "quotas": [
            {
                "level": "province",
                "target": 7,
                "assigned": 1,
                "active": 0,
                "completed": 1,
                "max_age": None,
            },
            {
                "level": "district",
                "target": 13,
                "assigned": 1,
                "active": 1,
                "completed": 0,
                "max_age": 35,
            },
        ],
        "violations": [],
    }
    year.ok("cadre", "edit", "PT01", "--birth", "1/1/1980")
    violations = year.ok("report", "plan", PLAN, "--format", "json").json()["violations"]
    assert violations == [{"assignment": 2, "cadre": "PT01", "age": 44, "max_age": 35}]
    table = year.ok("report", "plan", PLAN, "--as-of", "1/3/2024").stdout
    assert "Age violations" in table
    assert year("report", "plan", "NO-PLAN").exit_code == 1


def test_cadre_sheet(year: Cli) -> None:
    sheet = year.ok("cadre", "show", "GL04", "--year", "2024", "--format", "json").json()
    assert sheet["compliance"]["field_days"] == 93
    assert sheet["totals"] == [{"year": 2024, "trips": 2, "field_days": 93}]
    assert [a["role"] for a in sheet["assignments"]] == ["Phó Bí thư Huyện Đoàn Phú Thiện"]
    table = year.ok("cadre", "show", "GL04", "--year", "2024").stdout
    assert "Nguyễn Thành Hưng" in table and "Assignments" in table and "93/60" in table
    assert year("cadre", "show", "NOBODY").exit_code == 1


def test_reports_on_an_empty_ledger(cli: Cli) -> None:
    report = cli.ok("report", "compliance", "--year", "2024", "--format", "json").json()
    assert report["rows"] == [] and report["totals"]["cadres"] == 0
    assert cli.ok("report", "summary", "--year", "2024", "--format", "json").json()["trips"] == 0


def test_tables_on_a_console_of_80_columns(year: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Output redirected on Windows gets 80 columns: dates and codes stay whole, a name keeps
    room, nothing is cut off at the right."""
    monkeypatch.setenv("COLUMNS", "80")
    for args in (
        ("report", "weekly", "--year", "2024"),
        ("cadre", "show", "GL04", "--year", "2024"),
        ("report", "compliance", "--year", "2024"),
        ("trip", "list"),
        ("assignment", "list"),
        ("cadre", "list"),
    ):
        shown = year.ok(*args, lang="vi").stdout
        lines = shown.splitlines()
        assert max(len(line) for line in lines) <= 80, args
        # Every table line ends at its right border: no column was cropped.
        assert all(line.rstrip()[-1] in "┓┃┩│┘┐┤" for line in lines if line[:1] in "┏┃┡│└"), args
    weekly = year.ok("report", "weekly", "--year", "2024", lang="vi").stdout
    assert "│ Nguyễn Thành Hưng " in weekly  # the name on one line beside the week strip
    # The name keeps 12 columns at least where it shares the line with seven others.
    compliance = year.ok("report", "compliance", "--year", "2024", lang="vi").stdout
    assert "│ Nguyễn Thành " in compliance
    profile = year.ok("cadre", "show", "GL04", "--year", "2024", lang="vi").stdout
    assert "19/02/2024" in profile and "14/05/1992" in profile  # dates never wrap
    trips = year.ok("trip", "list", lang="vi").stdout
    assert "01/07/2024" in trips and "03/07/2024" in trips
