"""Every workbook doanfield writes, opened as Excel would: title, headings, cell types, totals,
and a page set-up that prints. Figures are those of the `year` ledger (tests/test_reports.py),
worked out by hand there."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.test_reports import PLAN, year  # noqa: F401  (the ledger of the report tests)


def open_book(path: Path) -> Any:
    from openpyxl import load_workbook

    return load_workbook(path)


def header_row(sheet: Any) -> int:
    """The row repeated on every printed page: the header."""
    rows = sheet.print_title_rows
    assert rows, f"{sheet.title}: no header row repeated on printed pages"
    first, _, last = rows.partition(":")
    assert first == last
    return int(first.lstrip("$"))


def table(sheet: Any) -> tuple[list[str], list[list[Any]]]:
    """The headings and the rows under them (up to the first blank row)."""
    top = header_row(sheet)
    headings = [c.value for c in sheet[top] if c.value is not None]
    rows = []
    for line in sheet.iter_rows(min_row=top + 1, values_only=True):
        if all(v is None for v in line):
            break
        rows.append(list(line[: len(headings)]))
    return headings, rows


def assert_prints(sheet: Any) -> None:
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    top = header_row(sheet)
    assert sheet.freeze_panes == f"A{top + 1}"


def write(cli: Cli, tmp_path: Path, name: str, *args: str, lang: str = "en") -> Any:
    out = tmp_path / name
    cli.ok(*args, "--format", "xlsx", "--output", str(out), lang=lang)
    return open_book(out)


def test_compliance_workbook_in_vietnamese(year: Cli, tmp_path: Path) -> None:  # noqa: F811
    book = write(year, tmp_path, "c.xlsx", "report", "compliance", "--year", "2024", lang="vi")
    sheet = book.active
    assert sheet["A1"].value == "Kết quả thực hiện năm 2024"
    assert sheet["A2"].value == "Đơn vị: toàn bộ các đơn vị"
    assert sheet["A3"].value == "Kỳ báo cáo: từ ngày 01/01/2024 đến ngày 31/12/2024"
    assert sheet["A4"].value == "Tính đến ngày 31/12/2024"
    assert_prints(sheet)
    headings, rows = table(sheet)
    assert headings[:8] == [
        "STT",
        "Mã cán bộ",
        "Họ và tên",
        "Đơn vị",
        "Đối tượng",
        "Ngày đi cơ sở",
        "Số ngày phải đi",
        "Đạt 1+2",
    ]
    assert headings[-4:] == [
        "Đào tạo thực tế 3 tháng",
        "Chưa nộp báo cáo",
        "Báo cáo đi cơ sở quá hạn",
        "Còn thiếu",
    ]
    assert headings[8:10] == ["Số ngày ở cấp huyện", "Số ngày ở cấp xã"]
    by_code = {row[1]: dict(zip(headings, row, strict=True)) for row in rows[:-1]}
    gl01 = by_code["GL01"]
    assert gl01["Ngày đi cơ sở"] == 2 and gl01["Số ngày phải đi"] == 60  # numbers, not text
    assert gl01["Đạt 1+2"] == "không" and gl01["Đối tượng"] == "lãnh đạo Tỉnh Đoàn"
    assert gl01["Đào tạo thực tế 3 tháng"] == "chưa thực hiện"
    assert gl01["Còn thiếu"] == "thiếu 58 ngày"
    assert by_code["GL04"]["Chưa nộp báo cáo"] == "có"
    totals = dict(zip(headings, rows[-1], strict=True))
    # 93 + 2 + 62 + 0 field days; 60 + 60 + 30 + 31 required (test_reports.py).
    assert totals["STT"] == "Tổng cộng" and totals["Họ và tên"] == "4 cán bộ"
    assert totals["Ngày đi cơ sở"] == 157 and totals["Số ngày phải đi"] == 181
    assert totals["Đạt 1+2"] == "2/4"
    assert totals["Đào tạo thực tế 3 tháng"] == "đã đào tạo 1/3"
    assert sheet.cell(row=header_row(sheet) + len(rows), column=1).font.bold


def test_compliance_workbook_for_one_unit(year: Cli, tmp_path: Path) -> None:  # noqa: F811
    book = write(
        year,
        tmp_path,
        "c.xlsx",
        "report",
        "compliance",
        "--year",
        "2024",
        "--unit",
        "HD-PT",
        "--as-of",
        "30/6/2024",
    )
    sheet = book.active
    assert [sheet[f"A{n}"].value for n in range(1, 5)] == [
        "Compliance 2024",
        "Unit: HD-PT – Huyện Đoàn Phú Thiện",
        "Period: 2024-01-01 to 2024-06-30",
        "As of 2024-06-30",
    ]
    headings, rows = table(sheet)
    assert headings[:3] == ["No.", "Cadre", "Full name"]
    assert [row[:2] for row in rows] == [[1, "PT01"], ["Total", None]]


def test_summary_workbook(year: Cli, tmp_path: Path) -> None:  # noqa: F811
    book = write(year, tmp_path, "s.xlsx", "report", "summary", "--year", "2024", lang="vi")
    assert book.sheetnames == [
        "Tổng hợp",
        "Số đợt theo hình thức",
        "Số đợt theo chương trình",
        "Ngày đi cơ sở theo đơn vị",
    ]
    figures = book["Tổng hợp"]
    assert figures["A1"].value == "Năm 2024 qua các con số"
    assert_prints(figures)
    _, rows = table(figures)
    assert [row[1:] for row in rows] == [
        ["cán bộ đi cơ sở", 3],
        ["ngày đi cơ sở", 157],
        ["đợt đi cơ sở bắt đầu trong năm", 3],
        ["đợt tăng cường bắt đầu", 2],
        ["đợt tăng cường kết thúc", 1],
    ]
    kinds = book["Số đợt theo hình thức"]
    assert_prints(kinds)
    headings, rows = table(kinds)
    assert headings == ["STT", "Hình thức", "Số đợt"]
    assert rows == [[1, "khác", 1], [2, "theo chuyên đề", 2], ["Tổng cộng", None, 3]]
    # Host units by code and name; a trip with no host unit under words, not "(none)". The
    # figures are test_reports.py's days_by_unit: 90 + 64 + 2 + 2 = 158, one more than the 157
    # field days (GL04's trip of 1 March, with no host, falls inside his secondment at HD-PT).
    units = book["Ngày đi cơ sở theo đơn vị"]
    headings, rows = table(units)
    assert headings == ["STT", "Đơn vị", "Tên đơn vị", "Số ngày"]
    assert sorted(tuple(row[1:]) for row in rows[:-1]) == [
        ("HD-DC", "Huyện Đoàn Đức Cơ", 2),
        ("HD-PT", "Huyện Đoàn Phú Thiện", 90),
        ("X-PT1", "Đoàn xã Ia Sol", 64),
        ("không ghi đơn vị", None, 2),
    ]
    assert rows[-1] == ["Tổng cộng", None, None, 158]
    note = units.cell(row=header_row(units) + len(rows) + 2, column=1).value
    assert note.startswith("Mỗi ngày của một cán bộ được tính một lần cho mỗi đơn vị")
    assert "tổng 158 ngày theo đơn vị nhiều hơn 157 ngày đi cơ sở" in note
    shown = year.ok("report", "summary", "--year", "2024", lang="vi").stdout
    assert "(none)" not in shown and "không ghi đơn vị" in shown
    assert "Huyện Đoàn Phú Thiện" in shown
    assert "┃ Hình thức" in shown and "┃ Chỉ số" in shown  # no empty header rows


def test_weekly_workbook_and_its_calendar(year: Cli, tmp_path: Path) -> None:  # noqa: F811
    book = write(year, tmp_path, "w.xlsx", "report", "weekly", "--year", "2024")
    weeks = book.worksheets[0]
    assert weeks["A1"].value == "4 days at the office, 1 at the grassroots — 2024"
    assert_prints(weeks)
    headings, rows = table(weeks)
    assert headings == ["No.", "Cadre", "Full name", "Weeks met", "Weeks", "Weeks missed"]
    assert rows[-1][:3] == ["Total", None, "4 cadre(s)"]
    assert weeks.title == "Weeks 4+1"  # a short sheet name, not the title cut mid-word
    calendar = book["Calendar"]
    assert calendar["A1"].value == "Field days in 2024, day by day"
    assert_prints(calendar)
    # The header repeated on every printed page is the month and the days of a month, once at
    # the top, not the first cadre's line; a page holds three cadres' years, whole.
    top = header_row(calendar)
    assert [c.value for c in calendar[top]][:3] == ["Month", 1, 2]
    assert calendar.cell(row=top, column=33).value == "Days"
    assert [b.id for b in calendar.row_breaks.brk] == [top + 3 * 14]  # 4 cadres: one break
    blocks = {
        str(row[0].value).split(" · ")[0]: row[0].row
        for row in calendar.iter_rows(min_col=1, max_col=1)
        if row[0].value and " · " in str(row[0].value) and str(row[0].value)[:2] in "GLPTDC"
    }

    def day(code: str, month: int, number: int) -> Any:
        # The cadre's line, then a row per month; a column per day.
        return calendar.cell(row=blocks[code] + month, column=1 + number)

    assert calendar.cell(row=blocks["GL04"], column=1).value == (
        "GL04 · Nguyễn Thành Hưng · 93 field day(s)"
    )
    # Seconded from 19 Feb 2024; 18 Feb is a Sunday; there is no 30 Feb.
    assert day("GL04", 2, 19).value == "x" and day("GL04", 2, 18).value is None
    assert day("GL04", 2, 18).fill.fgColor.rgb.endswith("EDEDED")
    assert day("GL04", 2, 30).fill.fgColor.rgb.endswith("595959")
    assert [day("GL04", 7, n).value for n in (1, 2, 3, 4)] == ["x", "x", "x", None]
    # 11 days of February (19..29), the month's total at the end of its row.
    assert calendar.cell(row=blocks["GL04"] + 2, column=33).value == 11
    assert day("PT01", 3, 1).value == "v"  # away studying from 1 March
    assert day("DC01", 6, 30).value == "-" and day("DC01", 7, 1).value is None  # in post 1 July


def test_plan_workbook(year: Cli, tmp_path: Path) -> None:  # noqa: F811
    book = write(year, tmp_path, "p.xlsx", "report", "plan", PLAN, lang="vi")
    quotas = book["Chỉ tiêu"]
    assert quotas["A1"].value == f"Kế hoạch {PLAN} (năm 2024)"
    assert_prints(quotas)
    headings, rows = table(quotas)
    assert headings == [
        "STT",
        "Cấp",
        "Chỉ tiêu",
        "Đã cử",
        "Đang thực hiện",
        "Đã hoàn thành",
        "Tuổi tối đa",
    ]
    assert rows == [
        [1, "tỉnh", 7, 1, 0, 1, None],
        [2, "huyện", 13, 1, 1, 0, 35],
        ["Tổng cộng", None, 20, 2, 1, 1, None],
    ]
    violations = book["Vượt quá độ tuổi"]
    assert_prints(violations)
    assert table(violations)[1] == []


def test_cadre_workbook(year: Cli, tmp_path: Path) -> None:  # noqa: F811
    book = write(year, tmp_path, "gl04.xlsx", "cadre", "show", "GL04", "--year", "2024", lang="vi")
    assert book.sheetnames == [
        "Cán bộ",
        "Tổng hợp theo năm",
        "Đợt đi cơ sở",
        "Tăng cường, đào tạo thực tế",
        "Vắng mặt",
        "Quá trình công tác",
        "Lịch năm",
    ]
    profile = book["Cán bộ"]
    assert profile["A1"].value == "Nguyễn Thành Hưng (GL04)"
    _, rows = table(profile)
    values = dict(rows)
    # Real numbers and dates: 93 field days of 60 required, 14 weeks met of 52
    # (test_reports.py), born 14/05/1992 (the fixture).
    assert values["Ngày đi cơ sở"] == 93 and values["Số ngày phải đi"] == 60
    assert values["Số tuần đạt"] == 14 and values["Tổng số tuần"] == 52
    assert values["Ngày sinh"] == datetime(1992, 5, 14)
    birth = next(r for r in profile.iter_rows() if r[0].value == "Ngày sinh")[1]
    assert birth.number_format == "dd/mm/yyyy"
    assert values["Đối tượng"] == "cán bộ chuyên trách Tỉnh Đoàn"
    for name in book.sheetnames:  # page numbers in every sheet's footer
        assert book[name].oddFooter.center.text == "Trang &P/&N"
    trips = book["Đợt đi cơ sở"]
    assert_prints(trips)
    headings, rows = table(trips)
    assert headings[:4] == ["STT", "Số", "Từ ngày", "Đến ngày"]
    assert rows[0][2] == datetime(2024, 3, 1)
    assert trips.cell(row=header_row(trips) + 1, column=3).number_format == "dd/mm/yyyy"
    calendar = book["Lịch năm"]
    assert calendar["A1"].value == "Lịch đi cơ sở năm 2024"


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_list_workbooks_have_no_totals_and_import_back(
    year: Cli,  # noqa: F811
    tmp_path: Path,
    lang: str,
) -> None:
    book = write(year, tmp_path, "units.xlsx", "unit", "list", lang=lang)
    sheet = book.active
    headings, rows = table(sheet)
    name = {"en": "Unit name", "vi": "Tên đơn vị"}[lang]
    assert headings[:3] == [{"en": "No.", "vi": "STT"}[lang], headings[1], name]
    assert len(rows) == 4 and rows[-1][0] == 4  # four units, no totals row
    assert_prints(sheet)
    for kind in ("cadres", "trips", "assignments", "absences", "plans"):
        exported = write(year, tmp_path, f"{kind}.xlsx", "export", kind, lang=lang)
        assert_prints(exported.active)
        _, rows = table(exported.active)
        assert all(isinstance(row[0], int) for row in rows)  # numbered, no totals
    log = write(year, tmp_path, "log.xlsx", "log", lang=lang).active
    assert table(log)[0][1] == {"en": "#", "vi": "Số"}[lang]


def test_text_stays_text(province: Cli, tmp_path: Path) -> None:
    province.ok("trip", "add", "--cadre", "GL04", "--date", "1/3/2024", "--note", "=1+1")
    book = write(province, tmp_path, "t.xlsx", "export", "trips")
    sheet = book.active
    headings, rows = table(sheet)
    note = rows[0][headings.index("Note")]
    assert note == "=1+1"
    cell = sheet.cell(row=header_row(sheet) + 1, column=headings.index("Note") + 1)
    assert cell.data_type == "s"


def test_policy_workbook(cli: Cli, tmp_path: Path) -> None:
    book = write(cli, tmp_path, "policy.xlsx", "policy", "show", "--year", "2024", lang="vi")
    sheet = book.active
    assert sheet["A1"].value == "Quy định áp dụng năm 2024"
    assert_prints(sheet)
    headings, rows = table(sheet)
    assert headings == ["STT", "Quy định", "Nội dung", "Giá trị", "Đặt cho", "Áp dụng từ năm"]
    values = {row[1]: row[3] for row in rows}
    about = {row[1]: row[2] for row in rows}
    assert values["field_days_per_year"] == 60  # SPEC §2's defaults
    assert values["assignment_counts_as_field"] == "có"
    assert values["training_categories"] == (
        "lãnh đạo Tỉnh Đoàn, cán bộ chuyên trách Tỉnh Đoàn, cán bộ chủ chốt cấp huyện"
    )
    assert values["exempt_absence_reasons"] == "học tập, ốm đau, thai sản"
    assert about["max_trip_days"] == (
        "số ngày dài nhất của một đợt đi cơ sở; dài hơn là đợt tăng cường"
    )
    assert all(about.values())  # every setting says what it sets
    assert {row[4] for row in rows} == {"mặc định"} and {row[5] for row in rows} == {None}
    shown = cli.ok("policy", "show", "--year", "2024", lang="vi").stdout
    assert "học tập, ốm đau, thai sản" in shown and "field_days_per_year" in shown
    english = cli.ok("policy", "show", "--year", "2024").stdout
    assert "provincial leader, provincial staff, district key" in english
    scripts = cli.ok("policy", "show", "--year", "2024", "--format", "csv", lang="vi").stdout
    assert 'training_categories,"provincial_leader,provincial_staff,district_key"' in scripts


def test_the_change_log_for_people(
    province: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time
    from datetime import timedelta

    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        province.ok("cadre", "edit", "PT01", "--position", "Bí thư", "--category", "other")
        (raw,) = province.ok("log", "--limit", "1", "--format", "json").json()
        assert raw["entity"] == "cadre" and raw["before"].startswith("{")  # JSON: as stored
        stored = datetime.fromisoformat(raw["at"])
        book = write(province, tmp_path, "log.xlsx", "log", "--limit", "2", lang="vi")
        sheet = book.active
        headings, rows = table(sheet)
        entry = dict(zip(headings, rows[0], strict=True))
        # Kept in UTC; the sheet holds the moment as a clock in Gia Lai read it (UTC+7), a
        # real date-time (to the second), shown day first.
        local = (stored + timedelta(hours=7)).replace(tzinfo=None, microsecond=0)
        assert entry["Thời gian"] == local
        cell = sheet.cell(row=header_row(sheet) + 1, column=headings.index("Thời gian") + 1)
        assert cell.number_format == "dd/mm/yyyy hh:mm"
        assert (entry["Loại bản ghi"], entry["Thao tác"]) == ("cán bộ", "sửa")
        assert entry["Nội dung thay đổi"] == (
            "Chức vụ: (trống) → Bí thư; Đối tượng: cán bộ chủ chốt cấp huyện → khác"
        )
        added = dict(zip(headings, rows[1], strict=True))  # DC01, added by the fixture
        assert added["Thao tác"] == "thêm"
        assert "Họ và tên: Lê Thị Ánh" in added["Nội dung thay đổi"]
        assert "Ngày sinh: 09/09/1988" in added["Nội dung thay đổi"]
        csv = province.ok("log", "--limit", "1", "--format", "csv").stdout.splitlines()
        assert csv == [
            "id,at,os_user,command,entity,key,action,change",
            f"{raw['id']},{local.isoformat(sep=' ')},{raw['os_user']},doanfield cadre edit,"
            "cadre,PT01,edit,position: (empty) → Bí thư; category: district key → other",
        ]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_sheet_names_are_cut_between_words() -> None:
    from doanfield.xlsx import _sheet_name

    taken: set[str] = set()
    name = "Tăng cường, đào tạo thực tế tại cơ sở năm 2024"  # 46 characters; Excel takes 31
    assert _sheet_name(name, taken) == "Tăng cường, đào tạo thực tế tại"
    assert _sheet_name(name, taken) == "Tăng cường, đào tạo thực tế 2"
    assert _sheet_name("Đợt: 1/2", taken) == "Đợt 1 2"


def test_missed_weeks_read_as_dates(year: Cli, tmp_path: Path) -> None:  # noqa: F811
    # DC01 holds the post from Monday 1 July 2024 (ISO week 27) and made no trip: weeks 27 to
    # 52 (which ends on Sunday 29 December) are all missed, one run.
    book = write(year, tmp_path, "w.xlsx", "report", "weekly", "--year", "2024", lang="vi")
    headings, rows = table(book.worksheets[0])
    dc01 = next(dict(zip(headings, r, strict=True)) for r in rows if r[1] == "DC01")
    assert dc01["Tuần chưa đạt"] == "tuần 27–52 (01/07–29/12)"
    shown = year.ok("report", "weekly", "--year", "2024", "--cadre", "DC01").stdout
    assert "weeks 27–52 (01 Jul–29 Dec)" in shown
    scripts = year.ok("report", "weekly", "--year", "2024", "--cadre", "DC01", "--format", "json")
    assert scripts.json()["rows"][0]["missed_weeks"][0] == "2024-W27"
