"""`import ledger`: another province's ledger brought into this one (SPEC §6).

The other ledger is always a SQLite file (built here through the CLI, and by SQL where a record
needs a history the commands of this branch cannot write yet); the ledger it goes into runs on
both engines. Every expected figure is counted from the records each test writes.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from doanfield import engine, ledgerimport
from tests.conftest import Cli, _build_province


def _other(tmp_path: Path, name: str = "binh-dinh.db") -> Cli:
    folder = tmp_path / "other"
    folder.mkdir(exist_ok=True)
    return Cli(folder / name)


def _binh_dinh(tmp_path: Path) -> Cli:
    """A small Bình Định ledger: three units (the district closed into the province on
    30/06/2025, its commune under the province from 01/07/2025), two cadres (AN01 moved to
    the province from 01/07/2025), a plan, three trips, an assignment, an absence, a policy."""
    other = _other(tmp_path)
    other.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn Bình Định", "--level", "province")
    other.ok(
        "unit", "add", "HD-AN", "--name", "Huyện Đoàn An Nhơn", "--level", "district",
        "--parent", "TD",
    )  # fmt: skip
    other.ok(
        "unit", "add", "X-AN1", "--name", "Đoàn xã Nhơn Hậu", "--level", "commune",
        "--parent", "HD-AN",
    )  # fmt: skip
    other.ok(
        "cadre", "add", "BD01", "--name", "Đặng Thị Lan", "--unit", "TD",
        "--category", "provincial_leader", "--position", "Bí thư Tỉnh Đoàn",
    )  # fmt: skip
    other.ok(
        "cadre", "add", "AN01", "--name", "Võ Văn Tài", "--unit", "HD-AN",
        "--category", "district_key", "--position", "Bí thư Huyện Đoàn", "--birth", "2/2/1991",
    )  # fmt: skip
    other.ok("plan", "add", "05-KH/TĐTN", "--year", "2024", "--quota", "district=2")
    other.ok(
        "trip", "add", "--cadre", "BD01", "--date", "5/3/2024", "--kind", "thematic",
        "--place", "Xã Nhơn Hậu", "--unit", "X-AN1",
    )  # fmt: skip
    other.ok("trip", "add", "--cadre", "AN01", "--start", "11/3/2024", "--end", "13/3/2024")
    other.ok("trip", "add", "--cadre", "AN01", "--date", "2/7/2025", "--place", "Nhơn Hậu")
    other.ok(
        "assignment", "add", "--cadre", "BD01", "--host", "HD-AN", "--start", "1/4/2024",
        "--months", "3", "--plan", "05-KH/TĐTN",
    )  # fmt: skip
    other.ok("absence", "add", "--cadre", "AN01", "--start", "1/9/2024", "--end", "30/9/2024")
    other.ok("policy", "set", "field_days_per_year", "30", "--from-year", "2024")
    other.sql(
        "INSERT INTO policy_setting (key, from_year, value, unit_id) SELECT "
        "'trip_report_days', 2025, '10', id FROM unit WHERE code = 'HD-AN'"
    )
    # The reform, written behind the commands' back: HD-AN's last day and successor, X-AN1
    # under TD and AN01 posted to TD (a provincial_staff) from 01/07/2025.
    for statement in (
        "UPDATE unit SET active_to = '2025-06-30' WHERE code = 'HD-AN'",
        "INSERT INTO unit_successor (unit_id, successor_id) SELECT a.id, b.id FROM unit a, "
        "unit b WHERE a.code = 'HD-AN' AND b.code = 'TD'",
        "INSERT INTO unit_parent (unit_id, parent_id, start) SELECT a.id, b.id, '2025-07-01' "
        "FROM unit a, unit b WHERE a.code = 'X-AN1' AND b.code = 'TD'",
        "INSERT INTO posting (cadre_id, unit_id, category, position, start) SELECT c.id, u.id, "
        "'provincial_staff', 'Chuyên viên', '2025-07-01' FROM cadre c, unit u "
        "WHERE c.code = 'AN01' AND u.code = 'TD'",
    ):
        other.sql(statement)
    return other


def _postings(cli: Cli, code: str) -> list[tuple[Any, ...]]:
    rows = cli.sql(
        "SELECT u.code, p.category, p.position, p.start FROM posting p "
        "JOIN cadre c ON c.id = p.cadre_id JOIN unit u ON u.id = p.unit_id "
        "WHERE c.code = :code ORDER BY p.start IS NOT NULL, p.start",
        code=code,
    )
    return [(*row[:3], str(row[3]) if row[3] is not None else None) for row in rows]


def _without_log(dump: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    return {table: rows for table, rows in dump.items() if table != "change_log"}


def test_a_province_brought_in_with_a_prefix(province: Cli, tmp_path: Path) -> None:
    other = _binh_dinh(tmp_path)
    result = province.ok("import", "ledger", str(other.db), "--prefix", "BD-")
    # 3 units, 2 cadres, 1 plan, 3 trips, 1 assignment, 1 absence: as _binh_dinh wrote them.
    assert result.stdout.splitlines() == [
        "binh-dinh.db: added 3 unit(s), 2 cadre(s), 1 plan(s), 3 trip(s), 1 assignment(s), "
        "1 absence(s); 0 skipped as already recorded",
        "binh-dinh.db has policy values of its own; they were not copied (set those that "
        "should apply here with policy set):",
        "  field_days_per_year = 30 from 2024",
        "  trip_report_days = 10 from 2025 for BD-HD-AN and the units below it",
    ]
    units = {u["code"]: u for u in province.ok("unit", "list", "--all", "--format", "json").json()}
    assert {code for code in units if code.startswith("BD-")} == {"BD-TD", "BD-HD-AN", "BD-X-AN1"}
    assert (units["BD-HD-AN"]["parent"], units["BD-HD-AN"]["active_to"]) == ("BD-TD", "2025-06-30")
    assert units["BD-HD-AN"]["successors"] == "BD-TD"
    assert units["BD-TD"]["name"] == "Tỉnh Đoàn Bình Định"
    # The province's own units are untouched: TD is still Gia Lai's.
    assert units["TD"]["name"] == "Tỉnh Đoàn Gia Lai"
    # X-AN1's parents over time came along: HD-AN until 30/06/2025, TD from 01/07/2025.
    before = province.ok("unit", "list", "--on", "30/6/2025", "--format", "json").json()
    after = province.ok("unit", "list", "--on", "1/7/2025", "--format", "json").json()
    assert {u["code"]: u["parent"] for u in before}["BD-X-AN1"] == "BD-HD-AN"
    assert {u["code"]: u["parent"] for u in after}["BD-X-AN1"] == "BD-TD"
    assert _postings(province, "BD-AN01") == [
        ("BD-HD-AN", "district_key", "Bí thư Huyện Đoàn", None),
        ("BD-TD", "provincial_staff", "Chuyên viên", "2025-07-01"),
    ]
    trips = province.ok("trip", "list", "--format", "json").json()
    assert [(t["cadre"], t["start"], t["end"], t["kind"], t["unit"]) for t in trips] == [
        ("BD-BD01", "2024-03-05", "2024-03-05", "thematic", "BD-X-AN1"),
        ("BD-AN01", "2024-03-11", "2024-03-13", "other", ""),
        ("BD-AN01", "2025-07-02", "2025-07-02", "other", ""),
    ]
    (stint,) = province.ok("assignment", "list", "--format", "json").json()
    # --months 3 from 01/04/2024 ends the day before 01/07/2024.
    assert (stint["cadre"], stint["host"], stint["end"], stint["plan"]) == (
        "BD-BD01",
        "BD-HD-AN",
        "2024-06-30",
        "BD-05-KH/TĐTN",
    )
    (absence,) = province.ok("absence", "list", "--format", "json").json()
    assert (absence["cadre"], absence["start"], absence["end"]) == (
        "BD-AN01",
        "2024-09-01",
        "2024-09-30",
    )
    # Policy reported, not copied: this ledger keeps its own (none: the defaults).
    assert province.sql("SELECT COUNT(*) FROM policy_setting") == [(0,)]
    (entry,) = province.ok("log", "--limit", "1", "--format", "json").json()
    assert (entry["entity"], entry["key"], entry["action"]) == ("ledger", "binh-dinh.db", "import")
    assert '"trips": 3' in entry["after"] and '"prefix": "BD-"' in entry["after"]


def test_a_second_run_adds_nothing(province: Cli, tmp_path: Path) -> None:
    other = _binh_dinh(tmp_path)
    province.ok("import", "ledger", str(other.db), "--prefix", "BD-")
    before = province.dump()
    again = province.ok("import", "ledger", str(other.db), "--prefix", "BD-")
    # 3 + 2 + 1 units, cadres, plans and 3 + 1 + 1 trips, assignments, absences: all 11 skipped.
    assert again.stdout.splitlines()[0] == (
        "binh-dinh.db: added 0 unit(s), 0 cadre(s), 0 plan(s), 0 trip(s), 0 assignment(s), "
        "0 absence(s); 11 skipped as already recorded"
    )
    after = province.dump()
    assert _without_log(after) == _without_log(before)
    assert len(after["change_log"]) == len(before["change_log"]) + 1


def test_codes_in_both_ledgers_are_refused_and_all_listed(province: Cli, tmp_path: Path) -> None:
    other = _binh_dinh(tmp_path)
    # GL01 of the other ledger: same code, another name and category.
    other.ok("cadre", "add", "GL01", "--name", "Nguyễn Văn Hải", "--unit", "TD")
    before = province.dump()
    result = province("import", "ledger", str(other.db))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "doanfield: error: binh-dinh.db: 2 problem(s); nothing was imported (to keep both "
        "ledgers' records apart, give --prefix, e.g. --prefix BD-)",
        "unit 'TD' is in both ledgers, but its 'name' differs: 'Tỉnh Đoàn Gia Lai' here, "
        "'Tỉnh Đoàn Bình Định' in binh-dinh.db",
        "cadre 'GL01' is in both ledgers, but its 'name' differs: 'Rơ Mah Tuấn' here, "
        "'Nguyễn Văn Hải' in binh-dinh.db",
    ]
    vi = province("import", "ledger", str(other.db), lang="vi")
    assert "cán bộ mã 'GL01' có trong cả hai sổ nhưng khác ở 'Họ và tên'" in vi.stderr
    assert province.dump() == before


def test_at_most_twenty_collisions_then_a_count(province: Cli, tmp_path: Path) -> None:
    other = _other(tmp_path)
    _build_province(other)
    for n in range(1, 23):  # 22 cadres whose codes the province has too, under other names
        code = f"C{n:02d}"
        province.ok("cadre", "add", code, "--name", "Trần Văn Một", "--unit", "TD")
        other.ok("cadre", "add", code, "--name", "Trần Văn Hai", "--unit", "TD")
    before = province.dump()
    result = province("import", "ledger", str(other.db))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    # The head line, 20 collisions (C01..C20), then the 2 left.
    assert lines[0].startswith("doanfield: error: binh-dinh.db: 22 problem(s)")
    assert len(lines) == 22 and lines[-1] == "… and 2 more"
    assert lines[1].startswith("cadre 'C01'") and lines[20].startswith("cadre 'C20'")
    assert province.dump() == before


def test_identical_records_are_skipped_and_new_ones_added(province: Cli, tmp_path: Path) -> None:
    """The same province recorded in two ledgers: what both hold is skipped, the rest added."""
    other = _other(tmp_path)
    _build_province(other)
    trip = ("--cadre", "GL04", "--date", "5/3/2024", "--kind", "thematic", "--place", "Ia Sol")
    province.ok("trip", "add", *trip)
    other.ok("trip", "add", *trip)
    other.ok("trip", "add", "--cadre", "GL04", "--date", "6/3/2024")
    other.ok("absence", "add", "--cadre", "PT01", "--start", "1/9/2024", "--end", "30/9/2024")
    other.ok(
        "unit", "add", "X-PT2", "--name", "Đoàn xã Chư A Thai", "--level", "commune",
        "--parent", "HD-PT",
    )  # fmt: skip
    other.ok("cadre", "add", "PT02", "--name", "Rơ Châm Dung", "--unit", "X-PT2")
    result = province.ok("import", "ledger", str(other.db))
    # Skipped: 4 units, 4 cadres (_build_province) and the trip of 5/3 both hold: 9.
    assert result.stdout.splitlines() == [
        "binh-dinh.db: added 1 unit(s), 1 cadre(s), 0 plan(s), 1 trip(s), 0 assignment(s), "
        "1 absence(s); 9 skipped as already recorded"
    ]
    trips = province.ok("trip", "list", "--cadre", "GL04", "--format", "json").json()
    assert [t["start"] for t in trips] == ["2024-03-05", "2024-03-06"]
    units = {u["code"]: u["parent"] for u in province.ok("unit", "list", "--format", "json").json()}
    assert units["X-PT2"] == "HD-PT"
    again = province.ok("import", "ledger", str(other.db))
    assert again.stdout.startswith(
        "binh-dinh.db: added 0 unit(s), 0 cadre(s), 0 plan(s), 0 trip(s), 0 assignment(s), "
        "0 absence(s); 13 skipped"  # 5 units, 5 cadres, 2 trips, 1 absence
    )


def test_a_new_record_of_a_shared_cadre_is_checked(province: Cli, tmp_path: Path) -> None:
    """GL01 is away here on 10/06/2024; the other ledger has him on a trip that day."""
    other = _other(tmp_path)
    _build_province(other)
    province.ok("absence", "add", "--cadre", "GL01", "--start", "1/6/2024", "--end", "30/6/2024")
    other.ok("trip", "add", "--cadre", "GL01", "--date", "10/6/2024")
    before = province.dump()
    result = province("import", "ledger", str(other.db))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        "trip on 2024-06-10 falls on absence #1 of GL01 (2024-06-01 to 2024-06-30, no reason given)"
    )
    assert province.dump() == before


def test_dry_run_counts_and_writes_nothing(province: Cli, tmp_path: Path) -> None:
    other = _binh_dinh(tmp_path)
    before = province.dump()
    result = province.ok("import", "ledger", str(other.db), "--prefix", "BD-", "--dry-run")
    assert result.stdout.splitlines()[0] == (
        "binh-dinh.db: dry run: would add 3 unit(s), 2 cadre(s), 1 plan(s), 3 trip(s), "
        "1 assignment(s), 1 absence(s); 0 skipped as already recorded; nothing was written"
    )
    assert province.dump() == before


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_an_older_ledger_is_upgraded_in_a_copy_only(cli: Cli, tmp_path: Path) -> None:
    """A ledger at schema 0003 (a cadre's unit still a column, levels in Vietnamese words):
    read through a copy brought up to date; the file and its folder stay byte for byte."""
    folder = tmp_path / "old"
    folder.mkdir()
    path = folder / "kon-tum.db"
    engine._create_ledger_file(path)
    old = engine.create_engine(engine.to_url(path))
    engine._migrate(old, "0003")
    old.dispose()
    conn = sqlite3.connect(path)
    conn.executescript(
        "INSERT INTO unit (id, code, name, level, parent_id) VALUES "
        "(1, 'TD', 'Tỉnh Đoàn Kon Tum', 'tỉnh', NULL), (2, 'HD-DG', 'Huyện Đoàn Đăk Glei', "
        "'huyện', 1);"
        "INSERT INTO cadre (id, code, name, unit_id, position, category) VALUES "
        "(1, 'KT01', 'A Blưu', 2, 'Bí thư', 'district_key');"
        'INSERT INTO trip (cadre_id, start, "end", kind, place, unit_id, program, note) VALUES '
        "(1, '2024-03-01', '2024-03-02', 'thematic', 'Đăk Pék', 2, '', '');"
    )
    conn.commit()
    conn.close()
    before = _digest(folder)
    result = cli.ok("import", "ledger", str(path), "--prefix", "KT-")
    assert result.stdout.startswith("kon-tum.db: added 2 unit(s), 1 cadre(s), 0 plan(s), 1 trip(s)")
    assert _digest(folder) == before  # no -wal, -shm or backup beside it, nothing changed
    units = {u["code"]: u for u in cli.ok("unit", "list", "--format", "json").json()}
    # 'huyện' became its code district on the copy's way up (migration 0005).
    assert (units["KT-HD-DG"]["level"], units["KT-HD-DG"]["parent"]) == ("district", "KT-TD")
    (cadre,) = cli.ok("cadre", "list", "--format", "json").json()
    assert (cadre["code"], cadre["unit"], cadre["category"]) == (
        "KT-KT01",
        "KT-HD-DG",
        "district_key",
    )
    (trip,) = cli.ok("trip", "list", "--format", "json").json()
    assert (trip["cadre"], trip["unit"], trip["end"]) == ("KT-KT01", "KT-HD-DG", "2024-03-02")


def test_a_ledger_being_written_is_read_with_its_write_ahead_log(cli: Cli, tmp_path: Path) -> None:
    """Another program holds the other ledger open with a change still in its -wal: the copy
    takes the log along, and the change comes in."""
    other = _other(tmp_path)
    other.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn Bình Định", "--level", "province")
    holder = sqlite3.connect(other.db)
    try:
        holder.execute("PRAGMA wal_autocheckpoint=0")
        holder.execute(
            "INSERT INTO unit (code, name, level) VALUES ('HD-AN', 'Thị Đoàn An Nhơn', 'district')"
        )
        holder.commit()
        assert Path(f"{other.db}-wal").stat().st_size > 0
        before = _digest(other.db.parent)
        result = cli.ok("import", "ledger", str(other.db), "--prefix", "BD-")
        assert result.stdout.startswith("binh-dinh.db: added 2 unit(s)")
        assert _digest(other.db.parent) == before
    finally:
        holder.close()


def test_files_and_options_that_do_not_fit(cli: Cli, tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a ledger", encoding="utf-8")
    refused = cli("import", "ledger", str(text))
    assert refused.exit_code == 1 and "is not a SQLite database" in refused.stderr
    other = _other(tmp_path)
    other.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn", "--level", "province")
    for args in (
        ("import", "trips", str(other.db), "--prefix", "BD-"),
        ("import", "ledger", str(other.db), "--sheet", "x"),
        ("import", "ledger", str(other.db), "--update"),
        ("import", "ledger", str(other.db), "--prefix", "B D"),
    ):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stderr)
    assert (
        "--prefix does not apply to import trips"
        in cli("import", "trips", str(other.db), "--prefix", "BD-").stderr
    )
    if cli.is_sqlite:
        itself = cli("import", "ledger", str(cli.db))
        assert itself.exit_code == 2 and "is this ledger itself" in itself.stderr


def test_every_table_is_carried_over_or_said_not_to_be() -> None:
    """A table added later must be placed here: carried over, or reported and left."""
    known = {*ledgerimport.copied_tables(), *ledgerimport.NOT_COPIED}
    assert set(ledgerimport.tables()) == known


@pytest.mark.parametrize("prefix", ["", "BD-"])
def test_prefix_on_an_empty_ledger_copies_everything(cli: Cli, tmp_path: Path, prefix: str) -> None:
    other = _binh_dinh(tmp_path)
    args = ("--prefix", prefix) if prefix else ()
    cli.ok("import", "ledger", str(other.db), *args)
    theirs = other.ok("cadre", "list", "--format", "json").json()
    ours = cli.ok("cadre", "list", "--format", "json").json()
    assert [{**c, "code": prefix + c["code"], "unit": prefix + c["unit"]} for c in theirs] == ours
