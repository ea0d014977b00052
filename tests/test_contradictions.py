"""Records that contradict the ledger are refused everywhere (SPEC §4), naming what they clash
with, and change nothing; `db check` finds them in a ledger written before the rule.

The `province` ledger (tests/conftest.py): units TD (province), HD-PT and HD-DC (district),
X-PT1 (commune); cadres GL04, GL01, PT01 with open posts and DC01 in post from 2024-07-01.
"Today" is 2025-06-30.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doanfield import checks
from doanfield.checks import Held
from doanfield.ledger import TripFacts, post_text
from doanfield.rules import Setting
from tests.conftest import Cli

WriteCsv = Callable[..., Path]


def refused(cli: Cli, *args: str, lang: str | None = None) -> str:
    """Run a command that must be refused: exit 1, one line, the ledger as it was."""
    before = cli.dump()
    result = cli(*args, lang=lang)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert cli.dump() == before
    label = "lỗi" if lang == "vi" else "error"
    return result.stderr.removeprefix(f"doanfield: {label}: ").strip()


def trip(cli: Cli, *args: str) -> None:
    cli.ok("trip", "add", *args)


# ------------------------------------------------------------------------ on the command line


def test_a_trip_identical_to_a_stored_one(province: Cli) -> None:
    same = ("--cadre", "GL04", "--date", "19/2/2024", "--kind", "thematic", "--place", "Ia Sol")
    trip(province, *same)
    message = refused(province, "trip", "add", *same)
    assert message == (
        "trip on 2024-02-19 repeats trip #1 (same cadre GL04, dates, kind thematic, place 'Ia Sol')"
    )
    # The same day elsewhere, or for another purpose, is another trip.
    trip(province, "--cadre", "GL04", "--date", "19/2/2024", "--kind", "thematic")
    trip(province, "--cadre", "GL04", "--date", "19/2/2024", "--place", "Ia Sol")
    vietnamese = refused(province, "trip", "add", *same, lang="vi")
    assert vietnamese == (
        "đợt đi cơ sở ngày 19/02/2024 trùng với đợt đi cơ sở #1 đã có (cùng cán bộ GL04, ngày, "
        "hình thức theo chuyên đề, địa điểm 'Ia Sol')"
    )


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (("--date", "30/6/2024"), "trip on 2024-06-30 is outside DC01's post (from 2024-07-01)"),
        (
            ("--start", "29/6/2024", "--end", "2/7/2024"),
            "trip 2024-06-29 to 2024-07-02 is outside DC01's post (from 2024-07-01)",
        ),
    ],
)
def test_a_trip_outside_the_post(province: Cli, dates: tuple[str, ...], message: str) -> None:
    assert refused(province, "trip", "add", "--cadre", "DC01", *dates) == message
    trip(province, "--cadre", "DC01", "--date", "1/7/2024")  # its first day is in post


def test_a_trip_after_the_post_ended(province: Cli) -> None:
    province.ok("cadre", "edit", "GL01", "--active-to", "31/12/2024")
    message = refused(province, "trip", "add", "--cadre", "GL01", "--date", "2/1/2025")
    assert message == "trip on 2025-01-02 is outside GL01's post (until 2024-12-31)"


def test_an_assignment_outside_the_post(province: Cli) -> None:
    message = refused(
        province, "assignment", "add", "--cadre", "DC01", "--host", "HD-PT", "--start",
        "1/6/2024", "--months", "3",
    )  # fmt: skip
    assert message == "assignment 2024-06-01 to 2024-08-31 is outside DC01's post (from 2024-07-01)"


def test_a_trip_on_a_day_of_an_absence(province: Cli) -> None:
    province.ok(
        "absence", "add", "--cadre", "PT01", "--start", "1/3/2024", "--end", "31/8/2024",
        "--reason", "đi học",
    )  # fmt: skip
    message = refused(province, "trip", "add", "--cadre", "PT01", "--date", "5/3/2024")
    assert message == (
        "trip on 2024-03-05 falls on absence #1 of PT01 (2024-03-01 to 2024-08-31, study)"
    )
    message = refused(
        province, "trip", "add", "--cadre", "PT01", "--start", "28/2/2024", "--end", "1/3/2024"
    )
    assert "falls on absence #1 of PT01" in message
    vietnamese = refused(
        province, "trip", "add", "--cadre", "PT01", "--date", "5/3/2024", lang="vi"
    )
    assert vietnamese == (
        "đợt đi cơ sở ngày 05/03/2024 trùng thời gian đợt vắng mặt #1 của PT01 "
        "(01/03/2024 đến 31/08/2024, học tập)"
    )
    trip(province, "--cadre", "PT01", "--date", "29/2/2024")  # the day before


def test_an_absence_over_a_recorded_trip(province: Cli) -> None:
    trip(province, "--cadre", "PT01", "--date", "10/9/2024")
    message = refused(
        province, "absence", "add", "--cadre", "PT01", "--start", "1/9/2024", "--end", "30/9/2024"
    )
    assert message == (
        "absence 2024-09-01 to 2024-09-30 covers trip #1 of PT01 (on 2024-09-10); "
        "move or remove the trip first"
    )


def test_overlapping_assignments_unless_cancelled(province: Cli) -> None:
    first = ("assignment", "add", "--cadre", "GL04", "--host", "HD-PT")
    province.ok(*first, "--start", "19/2/2024", "--months", "3")
    message = refused(province, *first, "--start", "18/5/2024", "--months", "2")
    assert message == (
        "assignment 2024-05-18 to 2024-07-17 overlaps assignment #1 of GL04 "
        "(2024-02-19 to 2024-05-18, host HD-PT)"
    )
    province.ok(*first, "--start", "19/5/2024", "--months", "2")  # the next day is free
    province.ok("assignment", "cancel", "1")
    province.ok(*first, "--start", "1/3/2024", "--months", "1")  # #1 no longer counts


def test_overlapping_absences(province: Cli) -> None:
    add = ("absence", "add", "--cadre", "GL01")
    province.ok(*add, "--start", "1/6/2024", "--end", "30/6/2024", "--reason", "nghỉ ốm")
    message = refused(province, *add, "--start", "30/6/2024", "--end", "10/7/2024")
    assert message == (
        "absence 2024-06-30 to 2024-07-10 overlaps absence #1 of GL01 "
        "(2024-06-01 to 2024-06-30, sick)"
    )


def test_a_trip_longer_than_max_trip_days(province: Cli) -> None:
    long = ("trip", "add", "--cadre", "GL04", "--start", "1/1/2024", "--end", "1/3/2024")
    # 1 Jan .. 1 Mar 2024: 31 + 29 + 1 = 61 days, against the default limit of 31.
    assert refused(province, *long) == (
        "trip 2024-01-01 to 2024-03-01 lasts 61 days, more than max_trip_days (31); "
        "a stay that long is an assignment"
    )
    trip(province, "--cadre", "GL04", "--start", "1/4/2024", "--end", "1/5/2024")  # 31 days
    province.ok("policy", "set", "max_trip_days", "90", "--from-year", "2024")
    province.ok(*long)
    bad = province("policy", "set", "max_trip_days", "0")
    assert bad.exit_code == 1 and "between 1 and 366" in bad.stderr


def test_a_birth_date_in_the_future(province: Cli) -> None:
    message = refused(
        province, "cadre", "add", "X1", "--name", "Lê Văn Tới", "--unit", "TD", "--birth",
        "1/1/2030",
    )  # fmt: skip
    assert message == "birth date 2030-01-01 of X1 is in the future (today is 2025-06-30)"
    message = refused(province, "cadre", "edit", "GL04", "--birth", "1/7/2025")
    assert message == "birth date 2025-07-01 of GL04 is in the future (today is 2025-06-30)"
    province.ok("cadre", "edit", "GL04", "--birth", "30/6/2025")  # today is not the future


def test_a_post_that_would_leave_out_a_recorded_trip(province: Cli) -> None:
    trip(province, "--cadre", "GL04", "--date", "1/3/2024")
    message = refused(province, "cadre", "edit", "GL04", "--active-to", "29/2/2024")
    assert message == "trip #1 on 2024-03-01 is outside GL04's post (until 2024-02-29)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("unit", "add", "X", "--name", "x", "--level", "provnce"),
            "unknown level 'provnce' (did you mean province?)",
        ),
        (
            ("plan", "add", "P", "--year", "2024", "--quota", "provnce=3"),
            "unknown level 'provnce' (did you mean province?)",
        ),
        (
            ("plan", "add", "P", "--year", "2024", "--quota", "province=3", "--max-age", "xa=30"),
            "level 'xa' has a --max-age but no --quota",
        ),
        (
            ("plan", "add", "P", "--year", "2024", "--quota", "province=3", "--quota", "tỉnh=2"),
            "'province' and 'tỉnh' are the same level, province",
        ),
    ],
)
def test_a_level_neither_known_nor_used(province: Cli, args: tuple[str, ...], message: str) -> None:
    assert refused(province, *args).startswith(message)


def test_levels_in_vietnamese_and_new_levels(province: Cli) -> None:
    province.ok("unit", "add", "X-PT2", "--name", "Đoàn xã Chư A Thai", "--level", "Xã")
    province.ok("unit", "add", "CD1", "--name", "Chi đoàn thôn 1", "--level", "chi doan")
    message = refused(province, "unit", "add", "LCD", "--name", "x", "--level", "liên chi đoàn")
    assert message == (
        "unknown level 'liên chi đoàn' (did you mean branch?); use one of: central, province, "
        "district, commune, branch; to add a new level, give --new-level (unit add, import units)"
    )
    vietnamese = refused(
        province, "unit", "add", "LCD", "--name", "x", "--level", "liên chi đoàn", lang="vi"
    )
    assert vietnamese == (
        "cấp 'liên chi đoàn' không có trong danh mục (có phải chi đoàn không?); dùng một "
        "trong: trung ương, tỉnh, huyện, xã, chi đoàn; muốn thêm cấp mới, dùng "
        "--new-level (unit add, import units)"
    )
    province.ok("unit", "add", "LCD", "--name", "x", "--level", "liên chi đoàn", "--new-level")
    province.ok("unit", "add", "LCD2", "--name", "y", "--level", "Lien Chi Doan")  # used now
    province.ok("plan", "add", "P", "--year", "2024", "--quota", "tỉnh=3", "--quota", "xã=4")
    levels = {u["code"]: u["level"] for u in province.ok("unit", "list", "-f", "json").json()}
    assert [levels[c] for c in ("X-PT2", "CD1", "LCD", "LCD2")] == [
        "commune",
        "branch",
        "liên chi đoàn",
        "liên chi đoàn",
    ]
    quotas = province.ok("plan", "list", "--format", "json").json()
    assert [(q["level"], q["target"]) for q in quotas] == [("province", 3), ("commune", 4)]
    shown = province.ok("unit", "list", lang="vi").stdout
    assert "│ xã " in shown and "│ chi đoàn " in shown


def test_words_on_the_command_line(province: Cli) -> None:
    trip(province, "--cadre", "GL04", "--date", "1/3/2024", "--kind", "Kiem tra, giam sat")
    province.ok("cadre", "add", "X1", "--name", "Lê Văn Tới", "--unit", "TD", "--category",
                "lãnh đạo Tỉnh Đoàn")  # fmt: skip
    province.ok("absence", "add", "--cadre", "X1", "--start", "1/3/2024", "--end", "2/3/2024",
                "--reason", "Nghỉ thai sản")  # fmt: skip
    province.ok("absence", "add", "--cadre", "X1", "--start", "1/4/2024", "--end", "2/4/2024",
                "--reason", "nghỉ phép năm")  # fmt: skip
    assert province.ok("trip", "list", "-f", "json").json()[0]["kind"] == "inspection"
    cadres = {c["code"]: c for c in province.ok("cadre", "list", "-f", "json").json()}
    assert cadres["X1"]["category"] == "provincial_leader"
    reasons = [a["reason"] for a in province.ok("absence", "list", "-f", "json").json()]
    assert reasons == ["maternity", "nghỉ phép năm"]
    bad = province("trip", "add", "--cadre", "GL04", "--date", "2/3/2024", "--kind", "party",
                   lang="vi")  # fmt: skip
    assert bad.exit_code == 2
    assert "hình thức 'party' không có trong danh mục; dùng một trong: theo chuyên đề; " in (
        bad.stderr
    )


# ------------------------------------------------------------------------ in files


def refused_file(cli: Cli, kind: str, path: Path, *extra: str) -> list[str]:
    """Import a file that must be refused whole: exit 1, nothing written; its bad lines."""
    before = cli.dump()
    result = cli("import", kind, str(path), *extra)
    assert result.exit_code == 1, result.stdout
    assert cli.dump() == before
    return result.stderr.splitlines()[1:]


def test_trip_rows_that_contradict_the_ledger(province: Cli, write_csv: WriteCsv) -> None:
    province.ok(
        "absence", "add", "--cadre", "PT01", "--start", "1/3/2024", "--end", "31/3/2024",
        "--reason", "sick",
    )  # fmt: skip
    trip(province, "--cadre", "GL04", "--date", "1/2/2024", "--place", "Ia Sol")
    text = (
        "cadre,start,end,kind,place\n"
        "PT01,29/2/2024,,,\n"  # the day before the absence: fine
        "PT01,5/3/2024,,,\n"  # on the absence
        "DC01,30/6/2024,,,\n"  # before the post
        "GL04,1/1/2024,1/3/2024,,\n"  # 61 days
        "GL04,1/2/2024,,,Ia Sol\n"  # repeats trip #1: skipped, not refused
        "GL04,1/2/2024,,,Ia Sol\n"  # and the line above it: skipped
    )
    lines = refused_file(province, "trips", write_csv("t.csv", text))
    assert lines == [
        "t.csv:3: start: trip on 2024-03-05 falls on absence #1 of PT01 "
        "(2024-03-01 to 2024-03-31, sick)",
        "t.csv:4: start: trip on 2024-06-30 is outside DC01's post (from 2024-07-01)",
        "t.csv:5: end: trip 2024-01-01 to 2024-03-01 lasts 61 days, more than max_trip_days "
        "(31); a stay that long is an assignment",
    ]
    good = "".join(text.splitlines(keepends=True)[i] for i in (0, 1, 5, 6))
    result = province.ok("import", "trips", str(write_csv("good.csv", good)))
    assert "1 added, 0 updated, 2 skipped" in result.stdout


def test_trip_rows_in_vietnamese(province: Cli, write_csv: WriteCsv) -> None:
    text = "Mã cán bộ,Từ ngày,Hình thức\nDC01,30/6/2024,theo chuyên đề\nDC01,1/7/2024,chuyen de\n"
    result = province("import", "trips", str(write_csv("t.csv", text)), lang="vi")
    assert result.stderr.splitlines() == [
        "doanfield: lỗi: t.csv: 1 dòng lỗi; chưa nhập dòng nào",
        "t.csv:2: Từ ngày: đợt đi cơ sở ngày 30/06/2024 nằm ngoài thời gian giữ chức vụ của DC01 "
        "(từ 01/07/2024)",
    ]


def test_a_large_trip_file_is_checked_the_same_way(province: Cli, write_csv: WriteCsv) -> None:
    from doanfield.importer import LARGE_FILE_BYTES

    # A file past LARGE_FILE_BYTES takes the bulk path; its checks are the same.
    padding = "x" * 1000
    rows = "".join(f"GL04,{1 + i % 28}/{1 + i // 28 % 12}/2023,,,{i} {padding}\n" for i in
                   range(LARGE_FILE_BYTES // 1000 + 10))  # fmt: skip
    text = "cadre,start,end,kind,place\n" + rows + "DC01,1/1/2024,,,\n"
    lines = refused_file(province, "trips", write_csv("big.csv", text))
    assert len(lines) == 1 and "is outside DC01's post (from 2024-07-01)" in lines[0]


def test_assignment_rows_that_clash_with_each_other(province: Cli, write_csv: WriteCsv) -> None:
    text = (
        "cadre,host,start,end,status\n"
        "GL04,HD-PT,19/02/2024,18/05/2024,\n"
        "GL04,HD-DC,01/05/2024,31/07/2024,\n"  # overlaps the line above
        "GL04,HD-DC,01/03/2024,31/03/2024,đã hủy\n"  # cancelled: overlaps nothing
        "DC01,HD-PT,01/06/2024,31/08/2024,\n"  # before the post
        "GL04,HD-PT,19/02/2024,18/05/2024,\n"  # repeats line 2: skipped
    )
    lines = refused_file(province, "assignments", write_csv("a.csv", text))
    assert lines == [
        "a.csv:3: start: assignment 2024-05-01 to 2024-07-31 overlaps assignment (line 2) "
        "of GL04 (2024-02-19 to 2024-05-18, host HD-PT)",
        "a.csv:5: start: assignment 2024-06-01 to 2024-08-31 is outside DC01's post "
        "(from 2024-07-01)",
    ]
    province.ok(
        "assignment", "add", "--cadre", "GL04", "--host", "HD-PT", "--start", "1/10/2024",
        "--months", "1",
    )  # fmt: skip
    stored = "cadre,host,start,end\nGL04,HD-DC,15/10/2024,15/11/2024\n"
    assert refused_file(province, "assignments", write_csv("b.csv", stored)) == [
        "b.csv:2: start: assignment 2024-10-15 to 2024-11-15 overlaps assignment #1 of GL04 "
        "(2024-10-01 to 2024-10-31, host HD-PT)"
    ]


def test_absence_rows_that_clash(province: Cli, write_csv: WriteCsv) -> None:
    trip(province, "--cadre", "GL01", "--date", "10/9/2024")
    text = (
        "Mã cán bộ,Từ ngày,Đến ngày,Lý do\n"
        "PT01,01/03/2024,31/03/2024,ốm đau\n"
        "PT01,31/03/2024,05/04/2024,học tập\n"  # overlaps the line above
        "GL01,01/09/2024,30/09/2024,\n"  # over trip #1
    )
    lines = refused_file(province, "absences", write_csv("a.csv", text))
    assert lines == [
        "a.csv:3: Từ ngày: absence 2024-03-31 to 2024-04-05 overlaps absence (line 2) of PT01 "
        "(2024-03-01 to 2024-03-31, sick)",
        "a.csv:4: Từ ngày: absence 2024-09-01 to 2024-09-30 covers trip #1 of GL01 "
        "(on 2024-09-10); move or remove the trip first",
    ]
    good = "".join(text.splitlines(keepends=True)[:2])
    province.ok("import", "absences", str(write_csv("good.csv", good)))
    assert province.ok("absence", "list", "-f", "json").json()[0]["reason"] == "sick"
    again = province.ok("import", "absences", str(write_csv("good.csv", good)))
    assert "0 added, 0 updated, 1 skipped" in again.stdout


def test_unit_and_plan_rows_name_levels(cli: Cli, write_csv: WriteCsv) -> None:
    units = (
        "Mã đơn vị,Tên đơn vị,Cấp,Đơn vị cấp trên\n"
        "TD,Tỉnh Đoàn,Tỉnh,\n"
        "HD,Huyện Đoàn,Huyen,TD\n"
        "LCD,Liên chi đoàn,liên chi đoàn,HD\n"
        "X,Đoàn xã,provnce,HD\n"
    )
    lines = refused_file(cli, "units", write_csv("u.csv", units))
    assert [line.split(":")[:3] for line in lines] == [
        ["u.csv", "4", " Cấp"],
        ["u.csv", "5", " Cấp"],
    ]
    assert "unknown level 'provnce' (did you mean province?)" in lines[1]
    new = cli("import", "units", str(write_csv("u.csv", units)), "--new-level")
    assert new.exit_code == 0, new.stderr  # liên chi đoàn is new; 'provnce' too, on purpose
    plans = "plan,year,level,target\nP,2025,huyện,3\nP,2025,Lien chi doan,2\nP,2025,hamlet,1\n"
    lines = refused_file(cli, "plans", write_csv("p.csv", plans))
    assert len(lines) == 1 and lines[0].startswith("p.csv:4: level: unknown level 'hamlet'")
    cli.ok("import", "plans", str(write_csv("p.csv", plans.rsplit("P,", 1)[0])))
    quotas = cli.ok("plan", "list", "--format", "json").json()
    assert [q["level"] for q in quotas] == ["district", "liên chi đoàn"]
    wrong = cli("import", "plans", str(write_csv("p.csv", plans)), "--new-level")
    assert wrong.exit_code == 2 and "only import units adds levels" in wrong.stderr


def test_cadre_rows_with_a_future_birth_date(province: Cli, write_csv: WriteCsv) -> None:
    text = "code,name,unit,birth_date\nX1,Lê Văn Tới,TD,01/01/2030\n"
    assert refused_file(province, "cadres", write_csv("c.csv", text)) == [
        "c.csv:2: birth_date: birth date 2030-01-01 of X1 is in the future (today is 2025-06-30)"
    ]


# ------------------------------------------------------------------------ db check


def test_db_check_reports_contradictions_written_before_the_rule(province: Cli) -> None:
    trip(province, "--cadre", "GL04", "--date", "1/3/2024", "--place", "Ia Sol")
    # Written behind doanfield's back, as an older version or another tool could have.
    for statement in (
        'INSERT INTO trip (cadre_id, start, "end", kind, place, program, note) '
        "SELECT cadre_id, start, \"end\", kind, place, '', '' FROM trip WHERE id = 1",
        'INSERT INTO trip (cadre_id, start, "end", kind, place, program, note) '
        "SELECT id, '2024-06-30', '2024-06-30', 'other', '', '', '' FROM cadre "
        "WHERE code = 'DC01'",
        'INSERT INTO trip (cadre_id, start, "end", kind, place, program, note) '
        "SELECT id, '2024-01-01', '2024-12-31', 'other', 'cả năm', '', '' FROM cadre "
        "WHERE code = 'GL01'",
        'INSERT INTO absence (cadre_id, start, "end", reason) '
        "SELECT id, '2024-03-01', '2024-03-31', 'sick' FROM cadre WHERE code = 'GL04'",
        'INSERT INTO absence (cadre_id, start, "end", reason) '
        "SELECT id, '2024-03-15', '2024-04-15', 'study' FROM cadre WHERE code = 'GL04'",
        'INSERT INTO assignment (cadre_id, host_id, start, "end", role, decision, cancelled) '
        "SELECT c.id, u.id, '2024-01-01', '2024-03-31', '', '', false "
        "FROM cadre c, unit u WHERE c.code = 'PT01' AND u.code = 'TD'",
        'INSERT INTO assignment (cadre_id, host_id, start, "end", role, decision, cancelled) '
        "SELECT c.id, u.id, '2024-03-01', '2024-05-31', '', '', false "
        "FROM cadre c, unit u WHERE c.code = 'PT01' AND u.code = 'TD'",
        "UPDATE cadre SET birth_date = '2026-01-01' WHERE code = 'GL01'",
        "INSERT INTO plan (code, year, title) VALUES ('P', 2024, '')",
        "INSERT INTO plan_quota (plan_id, level, target) SELECT id, 'provnce', 3 FROM plan",
    ):
        province.sql(statement)
    result = province("db", "check")
    assert result.exit_code == 1
    # Trip #1 lies on absence #1; trip #2 repeats it (and is reported as a repeat only).
    assert result.stderr.splitlines() == [
        "doanfield: error: 8 problem(s) in the ledger:",
        "birth date 2026-01-01 of GL01 is in the future (today is 2025-06-30)",
        "unknown level 'provnce' (did you mean province?); use one of: central, province, "
        "district, commune, branch; to add a new level, give --new-level (unit add, "
        "import units)",
        "absence #2 2024-03-15 to 2024-04-15 overlaps absence #1 of GL04 "
        "(2024-03-01 to 2024-03-31, sick)",
        "assignment #2 2024-03-01 to 2024-05-31 overlaps assignment #1 of PT01 "
        "(2024-01-01 to 2024-03-31, host TD)",
        "trip #1 on 2024-03-01 falls on absence #1 of GL04 (2024-03-01 to 2024-03-31, sick)",
        "trip #2 on 2024-03-01 repeats trip #1 (same cadre GL04, dates, kind other, "
        "place 'Ia Sol')",
        "trip #4 2024-01-01 to 2024-12-31 lasts 366 days, more than max_trip_days (31); "
        "a stay that long is an assignment",
        "trip #3 on 2024-06-30 is outside DC01's post (from 2024-07-01)",
    ]
    vietnamese = province("db", "check", lang="vi").stderr.splitlines()
    assert vietnamese[0] == "doanfield: lỗi: 8 vấn đề trong sổ:"
    assert vietnamese[-1] == (
        "đợt đi cơ sở #3 ngày 30/06/2024 nằm ngoài thời gian giữ chức vụ của DC01 (từ 01/07/2024)"
    )


# ------------------------------------------------------------------------ fast path = checks


DAY = st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 3, 31))


@settings(max_examples=300, deadline=None)
@given(
    start=DAY,
    length=st.integers(min_value=0, max_value=40),
    post=st.tuples(st.none() | DAY, st.none() | DAY),
    absences=st.lists(st.tuples(DAY, st.integers(min_value=0, max_value=10)), max_size=3),
    max_days=st.integers(min_value=1, max_value=35),
)
def test_the_fast_path_flags_exactly_what_the_checks_refuse(
    start: date,
    length: int,
    post: tuple[date | None, date | None],
    absences: list[tuple[date, int]],
    max_days: int,
) -> None:
    from datetime import timedelta

    end = start + timedelta(days=length)
    held = [
        (7, Held("absence", a, a + timedelta(days=n), ident=i))
        for i, (a, n) in enumerate(absences, 1)
    ]
    posts = {7: post_text(*post)}
    facts = TripFacts({7: "C7"}, posts, held, [Setting("max_trip_days", 2000, str(max_days))])
    verdict = checks.trip_clash("C7", start, end, max_days, post[0], post[1], [h for _, h in held])
    assert facts.may_clash(7, start.isoformat(), end.isoformat()) == (verdict is not None)
    assert (facts.clash(7, start, end) is None) == (verdict is None)


# ------------------------------------------------------------------------ an older ledger


def test_levels_written_in_vietnamese_become_their_codes_on_upgrade(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from doanfield import engine

    old = tmp_path / "old.db"
    engine._create_ledger_file(old)
    first = engine.create_engine(engine.to_url(old))
    engine._migrate(first, "0003")
    with first.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO unit (code, name, level) VALUES ('TD', 'Tỉnh Đoàn', 'Tỉnh'), "
            "('HD', 'Huyện Đoàn', 'huyen'), ('X1', 'Đoàn xã', 'xã'), ('LCD', 'Liên', 'liên chi')"
        )
        conn.exec_driver_sql("INSERT INTO plan (code, year, title) VALUES ('P', 2024, '')")
        conn.exec_driver_sql(
            "INSERT INTO plan_quota (plan_id, level, target) VALUES "
            "(1, 'tỉnh', 7), (1, 'xã', 2), (1, 'commune', 3)"
        )
    first.dispose()
    cli = Cli(old, CliRunner())
    levels = {u["code"]: u["level"] for u in cli.ok("unit", "list", "-f", "json").json()}
    assert levels == {"TD": "province", "HD": "district", "X1": "commune", "LCD": "liên chi"}
    quotas = [(q["level"], q["target"]) for q in cli.ok("plan", "list", "-f", "json").json()]
    # 'xã' stays a word: the plan already has a quota for commune.
    assert quotas == [("province", 7), ("xã", 2), ("commune", 3)]


def test_policy_categories_in_vietnamese(province: Cli) -> None:
    province.ok(
        "policy", "set", "training_categories", "lãnh đạo Tỉnh Đoàn, can bo chu chot cap huyen"
    )
    shown = province.ok("policy", "show", "--format", "json").json()
    assert shown["training_categories"] == ["provincial_leader", "district_key"]
    # An unknown word is bad usage, as in --category (SPEC §4).
    bad = province("policy", "set", "training_categories", "lãnh đạo")
    assert bad.exit_code == 2 and "unknown category 'lãnh đạo'" in bad.stderr
