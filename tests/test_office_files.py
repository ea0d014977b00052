"""The sheets an office really keeps: Excel workbooks with a title block, names beside codes."""

from __future__ import annotations

import codecs
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tests.conftest import Cli


def office_workbook(path: Path, header: list[str], rows: list[list[Any]], **sheets: Any) -> Path:
    """A sheet as a clerk makes one: a merged title, a date line, the header, column numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Đi cơ sở"
    width = len(header)
    sheet.append(["TỈNH ĐOÀN GIA LAI"])
    sheet.append(["DANH SÁCH CÁN BỘ ĐI CƠ SỞ NĂM 2024"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.append([None] * (width - 1) + ["Gia Lai, ngày 15 tháng 01 năm 2025"])
    sheet.append([])
    sheet.append(header)
    sheet.append([f"({n})" for n in range(1, width + 1)])
    for row in rows:
        sheet.append(row)
    for title, (other_header, other_rows) in sheets.items():
        extra = book.create_sheet(title)
        extra.append(other_header)
        for row in other_rows:
            extra.append(row)
    book.save(path)
    return path


TRIP_HEADER = ["STT", "Mã cán bộ", "Họ và tên", "Từ ngày", "Đến ngày", "Hình thức", "Địa điểm"]


def test_an_office_workbook_imports(province: Cli, tmp_path: Path) -> None:
    rows = [
        [
            1,
            "GL04",
            "Nguyễn Thành Hưng",
            date(2024, 2, 19),
            date(2024, 2, 20),
            "theo chuyên đề",
            "Xã Ia Sol",
        ],
        # A date cell holding a moment at midnight, and the name typed without diacritics.
        [2, "GL01", "Ro Mah Tuan", datetime(2024, 3, 1), None, "kiểm tra, giám sát", "Xã Ia Hiao"],
        # A date typed as text, day first.
        [3, "PT01", "Trần Văn An", "05/03/2024", "07/03/2024", None, "Thôn Plei Ơi"],
    ]
    path = office_workbook(tmp_path / "dot-di.xlsx", TRIP_HEADER, rows)
    added = province.ok("import", "trips", str(path))
    assert "3 added" in added.stdout
    listed = province.ok("trip", "list", "--format", "json").json()
    got = [(r["cadre"], r["start"], r["end"], r["kind"], r["place"]) for r in listed]
    assert sorted(got) == [
        ("GL01", "2024-03-01", "2024-03-01", "inspection", "Xã Ia Hiao"),
        ("GL04", "2024-02-19", "2024-02-20", "thematic", "Xã Ia Sol"),
        ("PT01", "2024-03-05", "2024-03-07", "other", "Thôn Plei Ơi"),
    ]


def test_workbook_problems_name_file_sheet_row_and_column(province: Cli, tmp_path: Path) -> None:
    rows = [
        [1, "GL04", "Nguyễn Thành Hưng", date(2024, 2, 19), None, None, "Xã Ia Sol"],
        # 45341 is 19/02/2024 counted the Excel way: a date column formatted as a number.
        [2, "GL04", "Nguyễn Thành Hưng", 45341, None, None, "Xã Ia Sol"],
        # The code of one cadre beside the name of another: a wrong code.
        [3, "GL01", "Nguyễn Thành Hưng", date(2024, 2, 21), None, None, "Xã Ia Sol"],
    ]
    path = office_workbook(tmp_path / "dot-di.xlsx", TRIP_HEADER, rows)
    before = province.dump()
    refused = province("import", "trips", str(path))
    assert refused.exit_code == 1
    # Rows: 1-2 title, 3 date line, 4 blank, 5 header, 6 column numbers, 7.. data.
    assert refused.stderr.splitlines() == [
        "doanfield: error: dot-di.xlsx:Đi cơ sở: 2 bad row(s); nothing was imported",
        "dot-di.xlsx:Đi cơ sở:8: Từ ngày (D): looks like an Excel serial date (2024-02-19); "
        "format the column as Date (45341)",
        "dot-di.xlsx:Đi cơ sở:9: Họ và tên (C): cadre GL01 is 'Rơ Mah Tuấn' in the ledger, "
        "not 'Nguyễn Thành Hưng'; is the code right?",
    ]
    assert province.dump() == before
    vi = province("import", "trips", str(path), lang="vi")
    assert vi.stderr.splitlines()[1] == (
        "dot-di.xlsx:Đi cơ sở:8: Từ ngày (D): có vẻ là số ngày kiểu Excel (19/02/2024); "
        "hãy định dạng cột là Ngày (Date) (45341)"
    )


def test_sheet_by_name(province: Cli, tmp_path: Path) -> None:
    other = (["Mã cán bộ", "Từ ngày", "Lý do"], [["GL04", "01/09/2024", "học tập"]])
    path = office_workbook(tmp_path / "so.xlsx", TRIP_HEADER, [], **{"Vắng mặt": other})
    unknown = province("import", "absences", str(path), "--sheet", "Vang")
    assert unknown.exit_code == 1
    assert "so.xlsx: no sheet 'Vang' (sheets: Đi cơ sở, Vắng mặt)" in unknown.stderr
    missing_end = province("import", "absences", str(path), "--sheet", "Vắng mặt")
    assert "so.xlsx:Vắng mặt:1: missing column(s): end" in missing_end.stderr
    csv = tmp_path / "a.csv"
    csv.write_text("cadre,start,end\n")
    assert province("import", "absences", str(csv), "--sheet", "x").exit_code == 1


def test_assignment_months_instead_of_an_end(province: Cli, tmp_path: Path) -> None:
    header = ["STT", "Mã cán bộ", "Họ và tên", "Đơn vị tiếp nhận", "Từ ngày", "Số tháng"]
    rows = [[1, "PT01", "Trần Văn An", "X-PT1", date(2024, 2, 19), 3]]
    path = office_workbook(tmp_path / "tang-cuong.xlsx", header, rows)
    province.ok("import", "assignments", str(path))
    row = province.ok("assignment", "list", "--format", "json").json()[0]
    # SPEC §3: 3 months from 19/02/2024 end the day before 19/05/2024.
    assert (row["start"], row["end"]) == ("2024-02-19", "2024-05-18")
    both = tmp_path / "both.csv"
    # 1/3/2024 + 3 months is 1/6/2024, so the last day is 31/5/2024; the file says 30/5.
    both.write_text("cadre,host,start,end,Số tháng\nGL04,X-PT1,1/3/2024,30/5/2024,3\n")
    refused = province("import", "assignments", str(both))
    assert refused.stderr.splitlines()[1] == (
        "both.csv:2: Số tháng: 3 months from the start end on 2024-05-31, not on 2024-05-30"
    )
    agreeing = tmp_path / "agree.csv"
    agreeing.write_text("cadre,host,start,end,Số tháng\nGL04,X-PT1,1/3/2024,31/5/2024,3\n")
    province.ok("import", "assignments", str(agreeing))


def test_short_rows_and_cells_without_a_heading(province: Cli, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "cadre,start,end,kind,place\nGL04,1/3/2024\nGL04,2/3/2024,,,,\nGL04,3/3/2024,,,,stray\n"
    )
    refused = province("import", "trips", str(path))
    assert refused.stderr.splitlines()[1:] == [
        "t.csv:2: column 3: the row has 2 cell(s) but the header 5 columns",
        "t.csv:4: column 6: a cell beyond the header (stray)",
    ]
    gap = tmp_path / "g.csv"
    gap.write_text("cadre,,start\nGL04,,1/3/2024\nGL04,x,2/3/2024\n")
    assert province("import", "trips", str(gap)).stderr.splitlines()[1:] == [
        "g.csv:3: column 2: a cell in a column without a heading (x)",
    ]


def test_utf16_without_a_bom_is_read(province: Cli, tmp_path: Path) -> None:
    text = "Mã cán bộ\tTừ ngày\tĐịa điểm\r\nGL04\t19/02/2024\tXã Ia Sol\r\n"
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        assert not path.read_bytes().startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        province.ok("import", "trips", str(path))
    assert [t["place"] for t in province.ok("trip", "list", "--format", "json").json()] == [
        "Xã Ia Sol"
    ]


def test_a_csv_title_block_is_passed_over(province: Cli, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "DANH SÁCH CÁN BỘ ĐI CƠ SỞ,,,\n"
        ',,,"Gia Lai, ngày 15 tháng 01 năm 2025"\n'
        "STT;Mã cán bộ;Từ ngày;Địa điểm\n".replace(";", ",")
        + "1,2,3,4\n"
        "1,GL04,19/02/2024,Xã Ia Sol\n"
    )
    province.ok("import", "trips", str(path))
    bad = tmp_path / "b.csv"
    bad.write_text("DANH SÁCH\nSTT,Mã cán bộ,Từ ngày\n1,GL4,19/02/2024\n")
    assert "b.csv:3: Mã cán bộ: unknown cadre (GL4)" in province("import", "trips", str(bad)).stderr


def test_a_list_imports_back_too(province: Cli, tmp_path: Path) -> None:
    province.ok("trip", "add", "--cadre", "GL04", "--date", "19/2/2024", "--kind", "thematic")
    province.ok("trip", "add", "--cadre", "PT01", "--start", "1/3/2024", "--end", "2/3/2024")
    for fmt, lang in (("json", "en"), ("xlsx", "vi"), ("xlsx", "en")):
        listed = tmp_path / f"trips-{lang}.{fmt}"
        province.ok("trip", "list", "--format", fmt, "--output", str(listed), lang=lang)
        again = province.ok("import", "trips", str(listed))
        assert "0 added, 0 updated, 2 skipped" in again.stdout  # the #id column passed over


def test_a_header_on_two_rows(province: Cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH CÁN BỘ ĐI CƠ SỞ"])
    sheet.append(["STT", "Mã cán bộ", "Họ và tên", "Thời gian", None, "Địa điểm"])
    sheet.append([None, None, None, "Từ ngày", "Đến ngày", None])
    for column in ("A", "B", "C", "F"):  # the cells that span both header rows
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("D2:E2")
    sheet.append([1, 2, 3, 4, 5, 6])
    sheet.append([1, "GL04", "Nguyễn Thành Hưng", date(2024, 2, 19), date(2024, 2, 20), "Ia Sol"])
    sheet.append([2, "GL4", "Nguyễn Thành Hưng", date(2024, 2, 21), None, "Ia Sol"])
    path = tmp_path / "hai-dong.xlsx"
    book.save(path)
    refused = province("import", "trips", str(path))
    # Rows: 1 title, 2-3 the header, 4 column numbers, 5-6 data.
    assert refused.stderr.splitlines()[1:] == [
        "hai-dong.xlsx:Sheet:6: Mã cán bộ (B): unknown cadre (GL4)"
    ]
    sheet.delete_rows(6)
    book.save(path)
    province.ok("import", "trips", str(path))
    (trip,) = province.ok("trip", "list", "--format", "json").json()
    assert (trip["start"], trip["end"], trip["place"]) == ("2024-02-19", "2024-02-20", "Ia Sol")


def official_form(path: Path, rows: list[list[Any]], footer_gap: bool = True) -> Path:
    """A list as an official document lays it out: the committee's name and the national motto
    side by side in row 1, its number and date, a title, a header on two rows, column numbers,
    the table, then the signature block."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "T12"
    sheet.append(
        ["BAN CHẤP HÀNH TỈNH ĐOÀN GIA LAI", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    )
    sheet.append(["***", None, None, "Độc lập - Tự do - Hạnh phúc"])
    sheet.append(["Số: 12-DS/TĐTN", None, None, "Gia Lai, ngày 31 tháng 12 năm 2024"])
    sheet.append([])
    sheet.append(["DANH SÁCH CÁN BỘ ĐI CƠ SỞ THÁNG 12/2024"])
    sheet.append(["STT", "Mã cán bộ", "Họ và tên", "Thời gian", None, "Hình thức", "Địa điểm"])
    sheet.append([None, None, None, "Từ ngày", "Đến ngày"])
    sheet.append([f"({n})" for n in range(1, 8)])
    for row in rows:
        sheet.append(row)
    if footer_gap:
        sheet.append([])
    sheet.append(["Người lập biểu", None, None, None, None, "TM. BAN THƯỜNG VỤ"])
    sheet.append([None, None, None, None, None, "Bí thư"])
    sheet.append([])
    sheet.append(["Nguyễn Văn Bình", None, None, None, None, "Trần Thị Cúc"])
    book.save(path)
    return path


def test_an_official_form_is_read_by_what_its_rows_are(province: Cli, tmp_path: Path) -> None:
    rows = [
        [1, "GL04", "Nguyễn Thành Hưng", date(2024, 12, 2), date(2024, 12, 3), "khác", "Ia Sol"],
        [2, "PT01", "Trần Văn An", date(2024, 12, 9), None, "theo chuyên đề", "Ia Hiao"],
    ]
    path = official_form(tmp_path / "t12.xlsx", rows)
    # Row 1 has two filled cells, but they name no column; the header is row 6 (and 7 under
    # it); the signature block after the blank row is passed over.
    assert "2 added" in province.ok("import", "trips", str(path)).stdout
    listed = province.ok("trip", "list", "--format", "json").json()
    assert sorted((t["cadre"], t["start"], t["end"]) for t in listed) == [
        ("GL04", "2024-12-02", "2024-12-03"),
        ("PT01", "2024-12-09", "2024-12-09"),
    ]
    # Straight under the table, with no blank row, the block is a row without a code: a bad
    # row, that says how to mark it (rows: 9-10 the table, 11 "Người lập biểu", 12 "Bí thư").
    close = official_form(tmp_path / "sat.xlsx", rows, footer_gap=False)
    refused = province("import", "trips", str(close), lang="vi")
    assert refused.exit_code == 1
    hint = "(nếu dòng này là phần ký tên dưới bảng, hãy để một dòng trống phía trên nó)"
    # The names under "Bí thư" come after a blank row: passed over.
    assert refused.stderr.splitlines()[1:] == [
        f"sat.xlsx:T12:11: Mã cán bộ (B): bị bỏ trống {hint}",
        f"sat.xlsx:T12:12: Mã cán bộ (B): bị bỏ trống {hint}",
    ]
    # After a blank row, a row with its code and date filled is still a record.
    again = tmp_path / "sau.csv"
    again.write_text(
        "Mã cán bộ,Từ ngày,Địa điểm\nGL01,1/12/2024,\n\nGL01,2/12/2024,\n,,\n,,Người lập biểu\n"
    )
    assert "2 added" in province.ok("import", "trips", str(again)).stdout


def test_office_headers_and_columns_named_as_the_file_names_them(
    province: Cli, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "CB"
    sheet.append(
        ["STT", "Mã cán bộ", "Họ tên", "Đơn vị công tác", "Chức vụ", "Phân loại", "Ngày sinh"]
    )
    sheet.append([1, "GL30", "Đinh Văn Dũng", "HD-PT", "Phó Bí thư", "chủ chốt cấp huyện", None])
    path = tmp_path / "cb.xlsx"
    book.save(path)
    province.ok("import", "cadres", str(path))
    (cadre,) = [
        c for c in province.ok("cadre", "list", "--format", "json").json() if c["code"] == "GL30"
    ]
    assert (cadre["unit"], cadre["position"], cadre["category"]) == (
        "HD-PT",
        "Phó Bí thư",
        "district_key",
    )
    # Unknown and missing columns, by their Vietnamese headings; a workbook's column by letter.
    sheet["H1"] = "Quê quán"
    sheet.delete_cols(2)  # no Mã cán bộ any more: Quê quán is now column G
    book.save(path)
    refused = province("import", "cadres", str(path), lang="vi")
    assert refused.stderr.splitlines() == [
        "doanfield: lỗi: cb.xlsx:CB:1: cột G: không biết cột 'Quê quán' (các cột nhận: Mã cán "
        "bộ, Họ và tên, Đơn vị, Chức vụ, Đối tượng, Ngày sinh, Giới tính, Từ ngày, Đến ngày, Tên)",
        "cb.xlsx:CB:1: thiếu cột: Mã cán bộ",
    ]
    # In CSV, columns are numbered; one of two columns is named so; a heading with a wrong tone
    # is no heading, and says which it may be.
    csv = tmp_path / "tc.csv"
    csv.write_text("Mã cán bộ,Đơn vị tiếp nhận,Từ ngày,Chức danh,Sồ quyết định\n")
    refused = province("import", "assignments", str(csv), lang="vi")
    assert refused.stderr.splitlines()[0] == (
        "doanfield: lỗi: tc.csv:1: cột 5: không biết cột 'Sồ quyết định' (có phải Số quyết định "
        "không?) (các cột nhận: Mã cán bộ, Đơn vị tiếp nhận, Từ ngày, Đến ngày, Chức danh, "
        "Quyết định, Kế hoạch, Trạng thái, Ngày báo cáo, Báo cáo, Họ và tên, Số tháng)"
    )
    assert refused.stderr.splitlines()[-1] == "tc.csv:1: thiếu cột: Đến ngày hoặc Số tháng"
    english = province("import", "assignments", str(csv))
    assert english.stderr.splitlines()[-1] == "tc.csv:1: missing column(s): end or months"


def test_row_problems_name_the_column_as_the_file_does(province: Cli, tmp_path: Path) -> None:
    absences = tmp_path / "vang.csv"
    absences.write_text(
        "Mã cán bộ,Nghỉ từ ngày,Nghỉ đến ngày,Lý do\nGL04,20/12/2024,10/12/2024,ốm\n"
    )
    for lang, line in (
        ("vi", "vang.csv:2: Nghỉ đến ngày: ngày kết thúc 10/12/2024 trước ngày bắt đầu 20/12/2024"),
        ("en", "vang.csv:2: Nghỉ đến ngày: end 2024-12-10 is before start 2024-12-20"),
    ):
        assert (
            province("import", "absences", str(absences), lang=lang).stderr.splitlines()[1] == line
        )
    months = tmp_path / "tc.csv"
    months.write_text(
        "Mã cán bộ,Đơn vị tiếp nhận,Từ ngày,Đến ngày,Số tháng\nGL04,X-PT1,1/3/2024,,\n"
    )
    refused = province("import", "assignments", str(months), lang="vi")
    assert refused.stderr.splitlines()[1] == "tc.csv:2: Đến ngày hoặc Số tháng: bị bỏ trống"
    short = tmp_path / "ngan.xlsx"
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Mã cán bộ", "Từ ngày", None, "Địa điểm"])
    book.active.append(["GL04", date(2024, 3, 1), "x", "Ia Sol"])
    book.save(short)
    assert province("import", "trips", str(short), lang="vi").stderr.splitlines()[1] == (
        "ngan.xlsx:Sheet:2: cột C: có ô nằm trong một cột không có tiêu đề (x)"
    )


def test_wrong_tones_are_refused_everywhere(province: Cli, tmp_path: Path) -> None:
    level = province(
        "unit", "add", "X-PT5", "--name", "Đoàn xã Ia Peng", "--level", "xả", lang="vi"
    )
    assert level.exit_code == 1
    assert "cấp 'xả' không có trong danh mục (có phải xã không?)" in level.stderr
    kind = province(
        "trip", "add", "--cadre", "GL04", "--date", "1/3/2024", "--kind", "thẹo chuyên đề"
    )
    assert kind.exit_code == 2
    assert "unknown kind 'thẹo chuyên đề' (did you mean theo chuyên đề?)" in kind.stderr
    reason = province(
        "absence", "add", "--cadre", "GL04", "--start", "1/9/2024", "--end", "2/9/2024",
        "--reason", "hóc tập", lang="vi",
    )  # fmt: skip
    assert reason.exit_code == 1
    assert reason.stderr.startswith("doanfield: lỗi: Lý do: lý do vắng mặt 'hóc tập' là 'học tập'")
    cadres = tmp_path / "cb.csv"
    cadres.write_text("Mã cán bộ,Họ và tên,Đơn vị,Phân loại\nGL31,Đỗ Minh Khang,TD,lảnh đạo tỉnh\n")
    refused = province("import", "cadres", str(cadres))
    assert refused.stderr.splitlines()[1] == (
        "cb.csv:2: Phân loại: is not one of provincial_leader, provincial_staff, district_key, "
        "other (did you mean lãnh đạo tỉnh?) (lảnh đạo tỉnh)"
    )
    # Diacritics left out, or some of them, are fine.
    province.ok("unit", "add", "X-PT5", "--name", "Đoàn xã Ia Peng", "--level", "xa")
    province.ok("trip", "add", "--cadre", "GL04", "--date", "1/3/2024", "--kind", "giám sat")


def test_a_vietnamese_template_imports_back(cli: Cli, tmp_path: Path) -> None:
    """`template KIND` in Vietnamese: the headings and words a Vietnamese sheet has; filled in
    as it stands, every kind imports (the example rows refer to one another: HD-PT under TD,
    CB001 at TD, plan 152-KH/TĐTN-TCKT)."""
    cli.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn", "--level", "province")
    trips = cli.ok("template", "trips", lang="vi").stdout.splitlines()
    assert trips == [
        "Mã cán bộ,Từ ngày,Đến ngày,Hình thức,Địa điểm,Đơn vị,Chương trình,Ghi chú,"
        "Số công lệnh,Ngày báo cáo,Báo cáo",
        "CB001,19/02/2024,20/02/2024,theo chuyên đề,Xã Ia Sol,HD-PT,Xuân yêu thương,,"
        "15-CL/TĐTN,26/02/2024,Đã làm việc với BCH Đoàn xã.",
    ]
    cadres = cli.ok("template", "cadres", lang="vi").stdout.splitlines()
    assert cadres[0].startswith("Mã cán bộ,Họ và tên,Đơn vị,Chức vụ,Đối tượng,Ngày sinh")
    assert "lãnh đạo Tỉnh Đoàn" in cadres[1]
    for kind in ("units", "cadres", "plans", "trips", "assignments", "absences"):
        path = tmp_path / f"{kind}.csv"
        path.write_text(cli.ok("template", kind, lang="vi").stdout, encoding="utf-8")
        assert "1 added" in cli.ok("import", kind, str(path)).stdout or kind == "plans"
    (trip,) = cli.ok("trip", "list", "--format", "json").json()
    assert (trip["kind"], trip["unit"]) == ("thematic", "HD-PT")
    (absence,) = cli.ok("absence", "list", "--format", "json").json()
    assert absence["reason"] == "study"
    assert cli.ok("template", "trips").stdout.startswith("cadre,start,end,kind,")  # English: codes
