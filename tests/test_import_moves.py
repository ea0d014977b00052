"""`import moves FILE`: a province's reorganisation in one file (SPEC §5, §6).

The province fixture (tests/conftest.py): TD, HD-PT and HD-DC under it, X-PT1 under HD-PT;
GL04 (TD, provincial_staff), GL01 (TD, provincial_leader), PT01 (HD-PT, district_key), DC01
(HD-DC, other, in post from 01/07/2024). Each test adds what it needs; today is 30/06/2025.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.test_import_ledger import _postings, _without_log
from tests.test_office_files import office_workbook

WriteCsv = Callable[..., Path]

GOOD = (
    "cadre,unit,from,category,position\n"
    "PT01,TD,01/07/2025,provincial_staff,Chuyên viên Ban Tổ chức\n"
    "DC01,X-IASOL,1/7/2025,,\n"
    "GL04,TD,01/07/2025,,Phó Trưởng Ban\n"
    "GL04,HD-DC,01/03/2025,,\n"
)


@pytest.fixture
def merging(province: Cli) -> Cli:
    """The province with the merged commune that exists from 01/07/2025."""
    province.ok(
        "unit", "add", "X-IASOL", "--name", "Đoàn xã Ia Sol (mới)", "--level", "commune",
        "--parent", "TD", "--from", "1/7/2025",
    )  # fmt: skip
    return province


def test_a_good_file_records_every_move(merging: Cli, write_csv: WriteCsv) -> None:
    result = merging.ok("import", "moves", str(write_csv("moves.csv", GOOD)))
    assert result.stdout.strip() == ("moves.csv: 4 added, 0 updated, 0 skipped as already recorded")
    assert _postings(merging, "PT01") == [
        ("HD-PT", "district_key", "", None),
        ("TD", "provincial_staff", "Chuyên viên Ban Tổ chức", "2025-07-01"),
    ]
    # Empty category and position: unchanged (DC01 keeps other and no position).
    assert _postings(merging, "DC01") == [
        ("HD-DC", "other", "", None),
        ("X-IASOL", "other", "", "2025-07-01"),
    ]
    # GL04's rows come in date order whatever the file's order: seconded to HD-DC from
    # 01/03/2025 keeping provincial_staff, then back at TD as Phó Trưởng Ban from 01/07/2025.
    assert _postings(merging, "GL04") == [
        ("TD", "provincial_staff", "", None),
        ("HD-DC", "provincial_staff", "", "2025-03-01"),
        ("TD", "provincial_staff", "Phó Trưởng Ban", "2025-07-01"),
    ]
    entries = merging.ok("log", "--limit", "5", "--format", "json").json()
    # Newest first: the import's own entry with its counts, then the four moves.
    assert [(e["entity"], e["key"], e["action"]) for e in entries] == [
        ("moves", "moves.csv", "import"),
        *[("cadre", code, "move") for code in ("PT01", "GL04", "GL04", "DC01")],
    ]


def test_a_second_run_adds_nothing(merging: Cli, write_csv: WriteCsv) -> None:
    path = write_csv("moves.csv", GOOD)
    merging.ok("import", "moves", str(path))
    before = merging.dump()
    again = merging.ok("import", "moves", str(path))
    assert again.stdout.strip() == "moves.csv: 0 added, 0 updated, 4 skipped as already recorded"
    after = merging.dump()
    assert _without_log(after) == _without_log(before)
    assert len(after["change_log"]) == len(before["change_log"]) + 1  # the import's entry only


def test_vietnamese_headers_in_a_workbook(merging: Cli, tmp_path: Path) -> None:
    header = ["STT", "Mã cán bộ", "Họ và tên", "Đơn vị mới", "Từ ngày", "Đối tượng", "Chức vụ"]
    rows: list[list[Any]] = [
        [1, "PT01", "Trần Văn An", "TD", date(2025, 7, 1), "cán bộ chuyên trách Tỉnh Đoàn", ""],
        [2, "DC01", "Lê Thị Ánh", "X-IASOL", date(2025, 7, 1), "", "Bí thư Đoàn xã"],
    ]
    path = office_workbook(tmp_path / "sap-xep-2025.xlsx", header, rows)
    result = merging.ok("import", "moves", str(path), lang="vi")
    assert result.stdout.strip() == "sap-xep-2025.xlsx: thêm mới 2, cập nhật 0, bỏ qua 0 dòng đã có"
    assert _postings(merging, "PT01")[1] == ("TD", "provincial_staff", "", "2025-07-01")
    assert _postings(merging, "DC01")[1] == ("X-IASOL", "other", "Bí thư Đoàn xã", "2025-07-01")


def test_every_bad_row_is_reported_and_nothing_written(merging: Cli, write_csv: WriteCsv) -> None:
    text = (
        "cadre,unit,from,category,position\n"
        "GL99,TD,01/07/2025,,\n"  # 2: no such cadre
        "PT01,HD-XX,01/07/2025,,\n"  # 3: no such unit
        "PT01,X-IASOL,01/06/2025,,\n"  # 4: X-IASOL exists only from 01/07/2025
        "DC01,TD,01/07/2024,,\n"  # 5: DC01's first day in post: not a move
        "PT01,TD,31/02/2025,,\n"  # 6: no such date
        "GL04,TD,01/08/2025,boss,\n"  # 7: no such category
        "GL01,HD-PT,01/08/2025,,\n"  # 8: good
        "GL01,HD-DC,01/08/2025,,\n"  # 9: disagrees with line 8
        "GL01,HD-PT,01/08/2025,,\n"  # 10: repeats line 8: skipped
    )
    before = merging.dump()
    result = merging("import", "moves", str(write_csv("moves.csv", text)))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "doanfield: error: moves.csv: 7 bad row(s); nothing was imported"
    assert lines[1] == "moves.csv:2: cadre: unknown cadre (GL99)"
    assert lines[2] == "moves.csv:3: unit: unknown unit (HD-XX)"
    assert lines[3].startswith("moves.csv:4: unit: ") and "X-IASOL" in lines[3]
    assert "2025-07-01" in lines[3]  # its first day
    assert lines[4].startswith("moves.csv:5: from: DC01 cannot move on 2024-07-01")
    assert lines[5] == "moves.csv:6: from: does not exist (31/02/2025)"
    assert lines[6].startswith("moves.csv:7: category: ") and "(boss)" in lines[6]
    assert lines[7] == (
        "moves.csv:9: from: line 8 moves this cadre on the same day otherwise (2025-08-01)"
    )
    assert len(lines) == 8
    assert merging.dump() == before


def test_one_bad_row_after_good_ones_writes_nothing(merging: Cli, write_csv: WriteCsv) -> None:
    before = merging.dump()
    result = merging(
        "import", "moves", str(write_csv("moves.csv", GOOD + "GL01,HD-XX,1/8/2025,,\n"))
    )
    assert result.exit_code == 1 and "moves.csv:6: unit: unknown unit (HD-XX)" in result.stderr
    assert merging.dump() == before


def test_dry_run_counts_and_writes_nothing(merging: Cli, write_csv: WriteCsv) -> None:
    path = write_csv("moves.csv", GOOD + "PT01,HD-PT,01/03/2025,,\n")
    before = merging.dump()
    result = merging.ok("import", "moves", str(path), "--dry-run")
    # The last row names the posting PT01 already holds: nothing to move, skipped.
    assert result.stdout.strip() == (
        "moves.csv: dry run: 4 would be added, 0 updated, 1 skipped; nothing was written"
    )
    assert merging.dump() == before


def test_a_stored_move_of_that_day_is_replaced_only_with_update(
    merging: Cli, write_csv: WriteCsv
) -> None:
    merging.ok("cadre", "move", "PT01", "--unit", "TD", "--from", "1/7/2025", "--position", "A")
    path = write_csv("moves.csv", "cadre,unit,from,position\nPT01,TD,01/07/2025,B\n")
    refused = merging("import", "moves", str(path))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[1] == (
        "moves.csv:2: from: already recorded with other values; use --update (2025-07-01)"
    )
    done = merging.ok("import", "moves", str(path), "--update")
    assert done.stdout.strip() == "moves.csv: 0 added, 1 updated, 0 skipped as already recorded"
    assert _postings(merging, "PT01")[1] == ("TD", "district_key", "B", "2025-07-01")


def test_template_of_moves(cli: Cli) -> None:
    lines = cli.ok("template", "moves").stdout.splitlines()
    assert lines[0] == "cadre,unit,from,category,position"
