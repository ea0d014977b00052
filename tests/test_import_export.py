"""CSV import and export for the files offices really produce (SPEC §5)."""

from __future__ import annotations

import codecs
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Cli, Ledgers

WriteCsv = Callable[..., Path]
TRIPS_VI = (
    "Mã cán bộ,Từ ngày,Đến ngày,Hình thức,Địa điểm,Đơn vị,Chương trình,Ghi chú\n"
    "GL04,19/02/2024,20/02/2024,theo chuyên đề,Xã Ia Sol,X-PT1,Xuân yêu thương,\n"
    "PT01,01/03/2024,,inspection,Xã Chư A Thai,,,\n"
)


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258_form(text: str) -> str:
    """As Excel on Vietnamese Windows writes it: ă â ê ô ơ ư whole, tones as combining marks."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES))
        out.append(base + "".join(p for p in parts if p in TONES))
    return "".join(out)


def trips(cli: Cli) -> list[dict[str, object]]:
    return cli.ok("trip", "list", "--format", "json").json()  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8", ","),
        ("utf-8-sig", ","),
        ("utf-8", ";"),
        ("utf-8-sig", ";"),
        ("utf-16", "\t"),  # Excel's "Unicode text"
        ("cp1258", ","),
        ("cp1258", ";"),
        ("utf-8", "\t"),
    ],
)
def test_encodings_and_delimiters(
    province: Cli, write_csv: WriteCsv, encoding: str, delimiter: str
) -> None:
    text = TRIPS_VI.replace(",", delimiter)
    if encoding == "cp1258":
        text = windows_1258_form(text)
    path = write_csv("trips.csv", text, encoding)
    result = province.ok("import", "trips", str(path))
    assert "2 added, 0 updated, 0 skipped" in result.stdout
    rows = trips(province)
    assert rows[0]["place"] == "Xã Ia Sol"
    assert unicodedata.is_normalized("NFC", str(rows[0]["program"]))
    assert rows[0]["program"] == "Xuân yêu thương"
    assert (rows[0]["kind"], rows[0]["end"], rows[1]["end"]) == (
        "thematic",
        "2024-02-20",
        "2024-03-01",
    )


@pytest.mark.parametrize(
    "header",
    [
        "cadre,start,end,kind,place",
        "Mã cán bộ,Từ ngày,Đến ngày,Hình thức,Địa điểm",
        "Ma can bo,Tu ngay,Den ngay,Hinh thuc,Dia diem",
        "MÃ CÁN BỘ , TỪ NGÀY,ĐẾN  NGÀY,hình thức,địa điểm",
        "STT,Mã cán bộ,Từ ngày,Đến ngày,Hình thức,Địa điểm",
    ],
)
def test_header_aliases(province: Cli, write_csv: WriteCsv, header: str) -> None:
    numbered = header.startswith("STT")
    row = ("1," if numbered else "") + "GL04,19/02/2024,,thematic,Xã Ia Sol\n"
    province.ok("import", "trips", str(write_csv("t.csv", f"{header}\n{row}")))
    assert trips(province)[0]["place"] == "Xã Ia Sol"


def test_unknown_and_missing_columns_are_refused(province: Cli, write_csv: WriteCsv) -> None:
    path = write_csv("t.csv", "cadre,start,Số CMND\nGL04,1/3/2024,012345678\n")
    result = province("import", "trips", str(path))
    assert result.exit_code == 1
    assert "t.csv:1: column 3: unknown column 'Số CMND'" in result.stderr
    missing = province("import", "trips", str(write_csv("m.csv", "place\nX\n")))
    assert missing.exit_code == 1 and "missing column(s): cadre, start" in missing.stderr


def test_a_quote_never_closed_is_refused_at_its_line(province: Cli, write_csv: WriteCsv) -> None:
    # A clerk's stray quote on line 3 would otherwise read lines 3-4 into one place cell and
    # drop GL04's second trip without a word.
    text = (
        "cadre,start,end,kind,place\n"
        "GL04,1/10/2024,,other,Xã Ia Sol\n"
        'GL04,2/10/2024,,other,"Xã Ia Sol\n'
        "GL04,3/10/2024,,other,Xã Ia Sol\n"
    )
    before = province.dump()
    result = province("import", "trips", str(write_csv("t.csv", text)))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        'doanfield: error: t.csv:3: a quote (") opened on this line is never closed; '
        "close it or remove it"
    ]
    assert province.dump() == before
    vi = province("--lang", "vi", "import", "trips", str(write_csv("t.csv", text)))
    assert 't.csv:3: dấu ngoặc kép (") mở ở dòng này không được đóng' in vi.stderr


def test_bad_rows_are_all_reported_with_their_lines(province: Cli, write_csv: WriteCsv) -> None:
    text = (
        "cadre,start,end,kind,place,note\n"
        "GL04,31/02/2024,,,,\n"
        'GL04,1/3/2024,,thematic,"Xã Ia Sol\nthôn Plei Ơi",\n'
        "GL4,1/3/2024,,,,\n"
        "GL04,5/3/2024,4/3/2024,,,\n"
        "GL04,6/3/2024,,party,,\n"
        ",6/3/2024,,,,\n"
        "GL04,7/3/2024,,,,=HYPERLINK(1)\n"
    )
    path = write_csv("trips.csv", text)
    before = province.dump()
    result = province("import", "trips", str(path))
    assert result.exit_code == 1
    assert "trips.csv: 5 bad row(s); nothing was imported" in result.stderr
    lines = result.stderr.splitlines()[1:]
    assert lines == [
        "trips.csv:2: start: does not exist (31/02/2024)",
        "trips.csv:5: cadre: unknown cadre (GL4)",
        "trips.csv:6: end: is before start 2024-03-05 (4/3/2024)",
        "trips.csv:7: kind: is not one of thematic, inspection, activity, committee_meeting, "
        "branch_meeting, other (party)",
        "trips.csv:8: cadre: is empty",
    ]
    assert province.dump() == before


def test_at_most_twenty_bad_rows_then_a_count(province: Cli, write_csv: WriteCsv) -> None:
    rows = "".join(f"NOBODY{i},1/3/2024\n" for i in range(25))
    result = province("import", "trips", str(write_csv("t.csv", "cadre,start\n" + rows)))
    lines = result.stderr.splitlines()
    assert len(lines) == 1 + 20 + 1
    assert lines[-1] == "… and 5 more bad rows"


def test_a_bad_row_after_many_good_ones_writes_nothing(province: Cli, write_csv: WriteCsv) -> None:
    from doanfield.importer import BATCH_ROWS

    good = "".join(f"GL04,1/3/2024,,,Thôn {i}\n" for i in range(BATCH_ROWS + 10))
    path = write_csv("big.csv", "cadre,start,end,kind,place\n" + good + "GL04,30/02/2024,,,x\n")
    before = province.dump()
    result = province("import", "trips", str(path))
    assert result.exit_code == 1 and f"big.csv:{BATCH_ROWS + 12}: start" in result.stderr
    assert province.dump() == before


def test_reimport_adds_nothing(province: Cli, write_csv: WriteCsv) -> None:
    path = write_csv("trips.csv", TRIPS_VI)
    province.ok("import", "trips", str(path))
    again = province.ok("import", "trips", str(path))
    assert "0 added, 0 updated, 2 skipped as already recorded" in again.stdout
    assert len(trips(province)) == 2


def test_dry_run_writes_nothing(province: Cli, write_csv: WriteCsv) -> None:
    before = province.dump()
    result = province.ok("import", "trips", str(write_csv("t.csv", TRIPS_VI)), "--dry-run")
    assert "dry run: 2 would be added, 0 updated, 0 skipped; nothing was written" in result.stdout
    assert province.dump() == before


def test_cadres_update_only_with_update(province: Cli, write_csv: WriteCsv) -> None:
    text = (
        "Mã cán bộ;Họ và tên;Đơn vị;Chức vụ;Đối tượng;Ngày sinh\n"
        "007;Nay Minh;HD-PT;Chuyên viên;other;11/11/1999\n"
        "GL04;Nguyễn Thành Hưng;TD;Phó Chánh Văn phòng;provincial_staff;14/05/1992\n"
    )
    refused = province("import", "cadres", str(write_csv("c.csv", text)))
    assert refused.exit_code == 1
    assert "c.csv:3: Mã cán bộ: already recorded with other values; use --update (GL04)" in (
        refused.stderr
    )
    result = province.ok("import", "cadres", str(write_csv("c.csv", text)), "--update")
    assert "1 added, 1 updated, 0 skipped" in result.stdout
    rows = {r["code"]: r for r in province.ok("cadre", "list", "--format", "json").json()}
    assert rows["007"]["name"] == "Nay Minh"  # codes stay text
    assert rows["GL04"]["position"] == "Phó Chánh Văn phòng"
    again = province.ok("import", "cadres", str(write_csv("c.csv", text)), "--update")
    assert "0 added, 0 updated, 2 skipped" in again.stdout


def test_units_with_parents_later_in_the_file(cli: Cli, write_csv: WriteCsv) -> None:
    text = (
        "code,name,level,parent\n"
        "X-1,Đoàn xã Ia Sol,commune,HD-PT\n"
        "HD-PT,Huyện Đoàn Phú Thiện,district,TD\n"
        "TD,Tỉnh Đoàn Gia Lai,province,\n"
    )
    cli.ok("import", "units", str(write_csv("u.csv", text)))
    parents = {r["code"]: r["parent"] for r in cli.ok("unit", "list", "--format", "json").json()}
    assert parents == {"X-1": "HD-PT", "HD-PT": "TD", "TD": ""}
    orphan = cli(
        "import", "units", str(write_csv("o.csv", "code,name,level,parent\nA,a,commune,ZZ\n"))
    )
    assert orphan.exit_code == 1 and "o.csv:2: parent: unknown unit (ZZ)" in orphan.stderr


def test_plans_assignments_absences(province: Cli, write_csv: WriteCsv) -> None:
    plans = (
        "plan,year,title,level,target,max_age\n"
        "152-KH/TĐTN-TCKT,2024,Tăng cường,province,7,\n"
        "152-KH/TĐTN-TCKT,2024,Tăng cường,district,13,35\n"
    )
    province.ok("import", "plans", str(write_csv("p.csv", plans)))
    assert len(province.ok("plan", "list", "--format", "json").json()) == 2
    assert (
        "0 added, 0 updated, 2 skipped"
        in province.ok("import", "plans", str(write_csv("p.csv", plans))).stdout
    )
    assignments = (
        "cadre,host,start,end,role,decision,plan,status,report_date,report\n"
        "GL04,HD-PT,19/02/2024,18/05/2024,Phó Bí thư,QĐ 45,152-KH/TĐTN-TCKT,,27/05/2024,Tốt.\n"
        "PT01,X-PT1,01/03/2024,31/05/2024,,,,cancelled,,\n"
    )
    province.ok("import", "assignments", str(write_csv("a.csv", assignments)))
    rows = province.ok("assignment", "list", "--format", "json").json()
    assert [r["status"] for r in rows] == ["completed", "cancelled"]
    assert rows[0]["report"] == "Tốt."
    absences = "Mã cán bộ,Từ ngày,Đến ngày,Lý do\nPT01,1/9/2024,30/11/2024,study\n"
    province.ok("import", "absences", str(write_csv("b.csv", absences)))
    assert province.ok("absence", "list", "--format", "json").json()[0]["reason"] == "study"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("Mã cán bộ,Họ và tên\nGL01,Ph\xb9m V\xa8n An\n".encode("latin-1", "replace"), "TCVN3"),
        ("cadre,start,place\nGL04,1/3/2024,Ñoaøn xaõ\n".encode("latin-1"), "TCVN3/VNI"),
        (b"cadre,start\nGL04,1/3/2024\x81\x8d\n", "not UTF-8, UTF-16 or Windows-1258"),
    ],
)
def test_legacy_or_undecodable_files_are_refused(
    province: Cli, tmp_path: Path, raw: bytes, message: str
) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(raw)
    result = province("import", "trips", str(path))
    assert result.exit_code == 1 and message in result.stderr


def test_empty_file_and_missing_file(province: Cli, write_csv: WriteCsv) -> None:
    assert "empty" in province("import", "trips", str(write_csv("e.csv", ""))).stderr
    assert province("import", "trips", "no-such.csv").exit_code == 2


# ------------------------------------------------------------------ export


def _populate(province: Cli, write_csv: WriteCsv) -> None:
    province.ok("import", "trips", str(write_csv("t.csv", TRIPS_VI)))
    province.ok(
        "trip", "add", "--cadre", "GL01", "--date", "1/4/2024", "--note", "=cmd|' /C calc'!A0"
    )
    province.ok(
        "plan", "add", "P1", "--year", "2024", "--quota", "district=2", "--max-age", "district=35"
    )
    province.ok(
        "assignment",
        "add",
        "--cadre",
        "PT01",
        "--host",
        "X-PT1",
        "--start",
        "1/6/2024",
        "--months",
        "3",
        "--plan",
        "P1",
    )
    province.ok("absence", "add", "--cadre", "DC01", "--start", "1/9/2024", "--end", "1/10/2024")


def test_csv_export_has_bom_and_neutralises_formulas(
    province: Cli, write_csv: WriteCsv, tmp_path: Path
) -> None:
    _populate(province, write_csv)
    out = tmp_path / "trips-out.csv"
    province.ok("export", "trips", "--output", str(out))
    raw = out.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == (
        "cadre,start,end,kind,place,unit,program,note,order,report_date,report"
    )
    assert "'=cmd|' /C calc'!A0" in text
    assert ",=cmd" not in text


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
@pytest.mark.parametrize("kind", ["units", "cadres", "plans", "trips", "assignments", "absences"])
def test_export_reimports_to_the_same_records(
    province: Cli, ledgers: Ledgers, write_csv: WriteCsv, tmp_path: Path, kind: str, fmt: str
) -> None:
    _populate(province, write_csv)
    (tmp_path / "fresh").mkdir()
    fresh = ledgers.new(tmp_path / "fresh")
    for needed in ["units", "cadres", "plans", "trips", "assignments", "absences"]:
        path = tmp_path / f"{needed}.{fmt}"
        province.ok("export", needed, "--format", fmt, "--output", str(path))
        fresh.ok("import", needed, str(path))
        if needed == kind:
            break
    listing = {
        "units": ("unit",),
        "cadres": ("cadre",),
        "plans": ("plan",),
        "trips": ("trip",),
        "assignments": ("assignment",),
        "absences": ("absence",),
    }[kind]
    original = province.ok(*listing, "list", "--format", "json").json()
    copied = fresh.ok(*listing, "list", "--format", "json").json()
    assert copied == original  # a neutralised formula comes back without its quote
    again = fresh.ok("import", kind, str(tmp_path / f"{kind}.{fmt}"))
    assert " 0 added, 0 updated" in again.stdout


def test_json_export(province: Cli, write_csv: WriteCsv) -> None:
    _populate(province, write_csv)
    rows = province.ok("export", "trips", "--format", "json").json()
    assert set(rows[0]) == {
        "cadre",
        "start",
        "end",
        "kind",
        "place",
        "unit",
        "program",
        "note",
        "order",
        "report_date",
        "report",
    }


def test_templates(cli: Cli) -> None:
    out = cli.ok("template", "trips").stdout.splitlines()
    assert out[0] == "cadre,start,end,kind,place,unit,program,note,order,report_date,report"
    assert out[1].startswith("CB001,19/02/2024")
    assert cli.ok("template", "plans").stdout.splitlines()[0] == (
        "plan,year,title,level,target,max_age"
    )
    assert cli("template", "people").exit_code == 2


# ------------------------------------------------------------------ property

cell = st.sampled_from(
    [
        "GL04",
        "PT01",
        "NOBODY",
        "",
        "1/3/2024",
        "31/02/2024",
        "2024-03-05",
        "thematic",
        "party",
        "Xã Ia Sol",
        "=1+1",
        '"',
        "x" * 3000,
        "\t",
        "Đoàn",
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell, min_size=0, max_size=6), max_size=8), st.sampled_from([",", ";"]))
def test_any_csv_imports_whole_or_not_at_all(
    ledgers: Ledgers, rows: list[list[str]], delimiter: str
) -> None:
    import csv
    import io

    from tests.test_import_export import _seeded_ledger

    with tempfile.TemporaryDirectory() as directory:
        cli = ledgers.prepared("seeded", _seeded_ledger, Path(directory))
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter)
        writer.writerow(["cadre", "start", "end", "kind", "place", "note"])
        writer.writerows(rows)
        path = Path(directory) / "gen.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        before = cli.dump()
        result = cli("import", "trips", str(path))
        assert result.exit_code in (0, 1), result.stderr
        assert "Traceback" not in result.stderr + result.stdout
        if result.exit_code == 1:
            assert cli.dump() == before
            assert result.stderr.startswith("doanfield: error: gen.csv")
        else:
            listed = cli.ok("trip", "list", "--format", "json").json()
            assert 0 <= len(listed) <= len(rows)
        ledgers.discard(cli)


def _seeded_ledger(cli: Cli) -> None:
    cli.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn", "--level", "province")
    cli.ok("cadre", "add", "GL04", "--name", "Nguyễn Thành Hưng", "--unit", "TD")
    cli.ok("cadre", "add", "PT01", "--name", "Trần Văn An", "--unit", "TD")


def test_a_killed_import_leaves_the_ledger_as_it_was(province: Cli, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    path = tmp_path / "big.csv"
    lines = "".join(f"GL04,{1 + i % 28}/3/2024,,,Thôn {i}\n" for i in range(400_000))
    path.write_text("cadre,start,end,kind,place\n" + lines, encoding="utf-8")
    before = province.dump()
    process = subprocess.Popen(
        [sys.executable, "-m", "doanfield", "--db", str(province.db), "import", "trips", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    assert province.dump() == before
    assert province.ok("db", "check").stdout == ""


@pytest.mark.parametrize("large", [False, True])
def test_repeats_of_stored_trips_are_skipped_on_both_paths(
    province: Cli, write_csv: WriteCsv, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    """Small files look stored trips up batch by batch; large ones read them all first."""
    from doanfield import importer

    if large:
        monkeypatch.setattr(importer, "LARGE_FILE_BYTES", 0)
    province.ok("import", "trips", str(write_csv("t.csv", TRIPS_VI)))
    more = TRIPS_VI + "GL04,21/02/2024,,thematic,Xã Ia Sol,X-PT1,,\nGL04,19/02/2024,20/02/2024,"
    more += "theo chuyên đề,Xã Ia Sol khác,,,\n"
    result = province.ok("import", "trips", str(write_csv("more.csv", more)))
    assert "2 added, 0 updated, 2 skipped as already recorded" in result.stdout
    assert len(trips(province)) == 4
    assert province.ok("db", "check").stdout == ""


@pytest.mark.parametrize("suffix", ["csv", "json", "xlsx"])
def test_units_with_lives_and_successors_export_and_import_back(
    cli: Cli, ledgers: Ledgers, tmp_path: Path, suffix: str
) -> None:
    """A district closed into the new province: its last day and successor go out and back."""
    cli.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn Gia Lai", "--level", "province")
    cli.ok(
        "unit", "add", "GL", "--name", "Tỉnh Đoàn Gia Lai", "--level", "tỉnh", "--from", "1/7/2025"
    )
    cli.ok(
        "unit",
        "add",
        "HD-PT",
        "--name",
        "Huyện Đoàn Phú Thiện",
        "--level",
        "huyện",
        "--parent",
        "TD",
    )
    cli.ok("unit", "close", "HD-PT", "--on", "30/6/2025", "--into", "GL")
    path = tmp_path / f"units.{suffix}"
    cli.ok("export", "units", "--output", str(path))
    folder = tmp_path / "again"
    folder.mkdir()
    again = ledgers.new(folder)
    try:
        again.ok("import", "units", str(path))
        listed = again.ok("unit", "list", "--all", "--format", "json").json()
    finally:
        ledgers.discard(again)
    assert {
        u["code"]: (u["parent"], u["active_from"], u["active_to"], u["successors"]) for u in listed
    } == {
        "TD": ("", "", "", ""),
        "GL": ("", "2025-07-01", "", ""),
        "HD-PT": ("TD", "", "2025-06-30", "GL"),
    }
