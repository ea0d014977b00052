"""Every record-keeping command through the real CLI against a temporary ledger."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from doanfield.cli.main import app
from tests.conftest import Cli


def test_units_and_tree(province: Cli) -> None:
    rows = province.ok("unit", "list", "--format", "json").json()
    assert {r["code"]: r["parent"] for r in rows} == {
        "TD": "",
        "HD-PT": "TD",
        "HD-DC": "TD",
        "X-PT1": "HD-PT",
    }
    assert set(rows[0]) == {
        "code",
        "name",
        "level",
        "parent",
        "active_from",
        "active_to",
        "successors",
    }
    assert [r["code"] for r in rows] == ["TD", "HD-DC", "HD-PT", "X-PT1"]  # tree order


def test_unit_errors(province: Cli) -> None:
    again = province("unit", "add", "TD", "--name", "x", "--level", "province")
    assert again.exit_code == 1 and "unit 'TD' already exists" in again.stderr
    orphan = province("unit", "add", "X", "--name", "x", "--level", "commune", "--parent", "HD-P")
    assert orphan.exit_code == 1
    assert "unknown unit 'HD-P' (did you mean HD-PT?)" in orphan.stderr


def test_cadre_list_in_vietnamese_order(province: Cli) -> None:
    province.ok("cadre", "add", "X1", "--name", "Hà Thị Giang Thảo", "--unit", "TD")
    province.ok("cadre", "add", "X2", "--name", "Phạm Văn Bình", "--unit", "TD")
    names = [r["name"] for r in province.ok("cadre", "list", "--format", "json").json()]
    assert names == [
        "Trần Văn An",
        "Lê Thị Ánh",
        "Phạm Văn Bình",
        "Nguyễn Thành Hưng",
        "Hà Thị Giang Thảo",
        "Rơ Mah Tuấn",
    ]
    in_district = province.ok("cadre", "list", "--unit", "HD-PT", "--format", "csv").stdout
    assert in_district.splitlines()[0].startswith("code,name,unit")
    assert "PT01" in in_district and "GL04" not in in_district


def test_given_name_changes_the_order(province: Cli) -> None:
    province.ok(
        "cadre",
        "add",
        "X1",
        "--name",
        "Hà Thị Giang Thảo",
        "--unit",
        "TD",
        "--given-name",
        "Giang Thảo",
    )
    names = [r["name"] for r in province.ok("cadre", "list", "--format", "json").json()]
    assert names.index("Hà Thị Giang Thảo") < names.index("Nguyễn Thành Hưng")


def test_cadre_edit_show_and_remove(province: Cli) -> None:
    province.ok("cadre", "edit", "PT01", "--position", "Bí thư Huyện Đoàn", "--unit", "HD-DC")
    row = next(
        r for r in province.ok("cadre", "list", "--format", "json").json() if r["code"] == "PT01"
    )
    assert row["position"] == "Bí thư Huyện Đoàn" and row["unit"] == "HD-DC"
    assert row["birth_date"] == "1990-04-04"
    unchanged = province.ok("cadre", "edit", "PT01", "--unit", "HD-DC")
    assert "unchanged" in unchanged.stdout
    bad = province("cadre", "edit", "PT01", "--active-from", "1/1/2025", "--active-to", "1/1/2024")
    assert bad.exit_code == 1 and "before start" in bad.stderr
    province.ok("trip", "add", "--cadre", "PT01", "--date", "1/3/2024")
    refused = province("cadre", "remove", "PT01")
    assert refused.exit_code == 1 and "1 trip(s)" in refused.stderr
    province.ok("cadre", "remove", "DC01")
    codes = [r["code"] for r in province.ok("cadre", "list", "--format", "json").json()]
    assert "DC01" not in codes


def test_trips(province: Cli) -> None:
    assert (
        "trip #1 added"
        in province.ok(
            "trip",
            "add",
            "--cadre",
            "GL04",
            "--date",
            "19/2/2024",
            "--kind",
            "thematic",
            "--place",
            "Xã Ia Sol",
            "--unit",
            "X-PT1",
            "--program",
            "Xuân yêu thương",
        ).stdout
    )
    province.ok("trip", "add", "--cadre", "PT01", "--start", "2023-12-30", "--end", "2-1-2024")
    province.ok("trip", "add", "--cadre", "GL01", "--date", "5/5/2023")
    rows = province.ok("trip", "list", "--year", "2024", "--format", "json").json()
    assert [r["cadre"] for r in rows] == ["PT01", "GL04"]
    assert rows[1] == {
        "id": 1,
        "cadre": "GL04",
        "start": "2024-02-19",
        "end": "2024-02-19",
        "kind": "thematic",
        "place": "Xã Ia Sol",
        "unit": "X-PT1",
        "program": "Xuân yêu thương",
        "note": "",
        "order": "",
        "report_date": "",
        "report": "",
    }
    by_unit = province.ok("trip", "list", "--unit", "HD-PT", "--format", "json").json()
    assert {r["cadre"] for r in by_unit} == {"GL04", "PT01"}
    assert len(province.ok("trip", "list", "--cadre", "GL01", "--format", "json").json()) == 1
    province.ok("trip", "remove", "1")
    assert province("trip", "remove", "1").exit_code == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--date", "31/02/2024"], 2, "date '31/02/2024' does not exist"),
        (["--date", "2024/02/19"], 2, "'2024/02/19' is not of the form"),
        (["--start", "2/3/2024", "--end", "1/3/2024"], 1, "end 2024-03-01 is before start"),
        (["--date", "1/3/2024", "--start", "1/3/2024"], 2, "not both"),
        (["--start", "1/3/2024"], 2, "both --start DATE and --end DATE"),
        (["--date", "1/3/2024", "--kind", "party"], 2, "'party'"),
    ],
)
def test_trip_errors(province: Cli, args: list[str], code: int, message: str) -> None:
    before = province.dump()
    result = province("trip", "add", "--cadre", "GL04", *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert province.dump() == before


def test_unknown_cadre_suggests_a_close_code(province: Cli) -> None:
    result = province("trip", "add", "--cadre", "GL4", "--date", "1/3/2024")
    assert result.exit_code == 1
    assert result.stderr.strip() == "doanfield: error: unknown cadre 'GL4' (did you mean GL04?)"


def test_assignments(province: Cli) -> None:
    province.ok(
        "plan",
        "add",
        "152-KH/TĐTN-TCKT",
        "--year",
        "2024",
        "--quota",
        "province=7",
        "--quota",
        "district=13",
        "--max-age",
        "district=35",
    )
    out = province.ok(
        "assignment",
        "add",
        "--cadre",
        "GL04",
        "--host",
        "HD-PT",
        "--start",
        "19-2-2024",
        "--months",
        "3",
        "--role",
        "Phó Bí thư Huyện Đoàn",
        "--plan",
        "152-KH/TĐTN-TCKT",
    )
    assert "2024-05-18" in out.stdout
    province.ok(
        "assignment",
        "add",
        "--cadre",
        "PT01",
        "--host",
        "X-PT1",
        "--start",
        "1/6/2024",
        "--end",
        "31/8/2024",
    )
    rows = province.ok("assignment", "list", "--format", "json", today="2024-07-01").json()
    assert [(r["id"], r["status"]) for r in rows] == [(1, "completed"), (2, "active")]
    assert rows[0]["plan"] == "152-KH/TĐTN-TCKT" and rows[0]["end"] == "2024-05-18"
    province.ok("assignment", "report", "1", "--date", "27/5/2024", "--text", "Tình hình tốt.")
    province.ok("assignment", "cancel", "2")
    rows = province.ok("assignment", "list", "--format", "json").json()
    assert rows[0]["report_date"] == "2024-05-27" and rows[0]["report"] == "Tình hình tốt."
    assert rows[1]["status"] == "cancelled"
    assert province("assignment", "cancel", "2").exit_code == 1
    assert (
        len(
            province.ok(
                "assignment", "list", "--plan", "152-KH/TĐTN-TCKT", "--format", "json"
            ).json()
        )
        == 1
    )


def test_assignment_report_from_file(province: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    province.ok(
        "assignment",
        "add",
        "--cadre",
        "GL04",
        "--host",
        "HD-PT",
        "--start",
        "19-2-2024",
        "--months",
        "3",
    )
    report = tmp_path / "báo cáo.txt"
    report.write_text("Khó khăn: địa bàn rộng.\nĐề xuất: tăng kinh phí.", encoding="utf-8")
    province.ok("assignment", "report", "1", "--date", "27/5/2024", "--file", str(report))
    row = province.ok("assignment", "list", "--format", "json").json()[0]
    assert row["report"].startswith("Khó khăn")
    both = province(
        "assignment",
        "add",
        "--cadre",
        "GL04",
        "--host",
        "HD-PT",
        "--start",
        "1/1/2025",
        "--months",
        "3",
        "--end",
        "1/4/2025",
    )
    assert both.exit_code == 2


def test_plans(province: Cli) -> None:
    province.ok(
        "plan",
        "add",
        "152-KH/TĐTN-TCKT",
        "--year",
        "2024",
        "--title",
        "Tăng cường",
        "--quota",
        "province=7",
        "--quota",
        "district=13",
        "--max-age",
        "district=35",
    )
    rows = province.ok("plan", "list", "--format", "json").json()
    assert rows == [
        {
            "plan": "152-KH/TĐTN-TCKT",
            "year": 2024,
            "title": "Tăng cường",
            "level": "province",
            "target": 7,
            "max_age": "",
        },
        {
            "plan": "152-KH/TĐTN-TCKT",
            "year": 2024,
            "title": "Tăng cường",
            "level": "district",
            "target": 13,
            "max_age": 35,
        },
    ]
    bad = province("plan", "add", "P2", "--year", "2024", "--quota", "district13")
    assert bad.exit_code == 2 and "district13" in bad.stderr
    dup = province("plan", "add", "152-KH/TĐTN-TCKT", "--year", "2024", "--quota", "province=1")
    assert dup.exit_code == 1


def test_absences(province: Cli) -> None:
    province.ok(
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
    rows = province.ok("absence", "list", "--year", "2024", "--format", "json").json()
    assert rows == [
        {"id": 1, "cadre": "PT01", "start": "2024-03-01", "end": "2024-08-31", "reason": "study"}
    ]
    assert province.ok("absence", "list", "--year", "2023", "--format", "json").json() == []
    province.ok("absence", "remove", "1")
    assert province.ok("absence", "list", "--format", "json").json() == []


def test_policy(province: Cli) -> None:
    assert province.ok("policy", "show", "--format", "json").json() == {
        "field_days_per_year": 60,
        "weekly_field_days": 1,
        "training_months": 3,
        "assignment_counts_as_field": True,
        "training_categories": ["provincial_leader", "provincial_staff", "district_key"],
        "exempt_absence_reasons": ["study", "sick", "maternity"],
        "min_days_by_host_level": {},
        "trip_report_days": 0,
        "max_trip_days": 31,
    }
    province.ok("policy", "set", "field_days_per_year", "30", "--from-year", "2025")
    assert (
        province.ok("policy", "show", "--year", "2024", "--format", "json").json()[
            "field_days_per_year"
        ]
        == 60
    )
    assert (
        province.ok("policy", "show", "--year", "2025", "--format", "json").json()[
            "field_days_per_year"
        ]
        == 30
    )
    # A value that cannot be read, or a key that does not exist, is bad usage (SPEC §4).
    before = province.dump()
    bad = province("policy", "set", "field_days_per_year", "lots")
    assert bad.exit_code == 2
    assert bad.stderr == (
        "doanfield: error: policy field_days_per_year takes a whole number, not 'lots'\n"
    )
    assert province("policy", "set", "field_day_per_year", "30").exit_code == 2
    assert province("policy", "set", "assignment_counts_as_field", "maybe").exit_code == 2
    assert province.dump() == before


def test_change_log_records_every_change(province: Cli) -> None:
    province.ok("cadre", "edit", "PT01", "--position", "Bí thư")
    entries = province.ok("log", "--limit", "2", "--format", "json").json()
    assert entries[0]["action"] == "edit" and entries[0]["entity"] == "cadre"
    assert entries[0]["command"] == "doanfield cadre edit"
    assert json.loads(entries[0]["before"])["position"] == ""
    assert json.loads(entries[0]["after"])["position"] == "Bí thư"
    assert entries[1]["action"] == "add"
    assert entries[0]["os_user"]
    all_entries = province.ok("log", "--limit", "100", "--format", "json").json()
    assert len(all_entries) == 4 + 4 + 1


def test_lists_in_csv_and_tables(province: Cli) -> None:
    table = province.ok("cadre", "list").stdout
    assert "Nguyễn Thành Hưng" in table and "code" in table
    vi = province.ok("cadre", "list", lang="vi").stdout
    assert "Họ và tên" in vi
    assert "14/05/1992" in vi and "lãnh đạo Tỉnh Đoàn" in vi  # day-first dates, Vietnamese words
    csv_out = province.ok("unit", "list", "--format", "csv").stdout
    assert csv_out.splitlines()[0] == "code,name,level,parent,active_from,active_to,successors"


def test_xlsx_list_needs_an_output_file(province: Cli) -> None:
    result = province("unit", "list", "--format", "xlsx")
    assert result.exit_code == 2 and "--output" in result.stderr


def test_every_command_has_help() -> None:
    from typer.main import get_command

    from doanfield.cli.main import app as root

    group = get_command(root)
    missing = []

    def walk(command, path):  # type: ignore[no-untyped-def]
        if not command.help and not command.short_help:
            missing.append(" ".join(path))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(group, ["doanfield"])
    assert missing == []
    runner = CliRunner()
    for name in [
        "unit",
        "cadre",
        "trip",
        "assignment",
        "plan",
        "absence",
        "policy",
        "report",
        "db",
        "import",
        "export",
        "template",
        "log",
    ]:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.stdout


def test_version_and_usage_errors(cli: Cli) -> None:
    from doanfield import __version__

    assert cli.ok("--version").stdout.strip() == f"doanfield {__version__}"
    unknown = cli("trip", "add", "--colour", "red")
    assert unknown.exit_code == 2 and "--colour" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_messages_in_vietnamese(province: Cli) -> None:
    unknown = province("trip", "add", "--cadre", "GL4", "--date", "1/3/2024", lang="vi")
    assert unknown.stderr.strip() == (
        "doanfield: lỗi: không có cán bộ nào mã 'GL4' (có phải GL04 không?)"
    )
    bad_date = province("trip", "add", "--cadre", "GL04", "--date", "31/02/2024", lang="vi")
    assert bad_date.exit_code == 2 and "ngày '31/02/2024' không có thật" in bad_date.stderr
    added = province.ok("import", "trips", "--help", lang="vi")
    assert "Cách dùng" in added.stdout
