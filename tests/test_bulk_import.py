"""The column-wise trips import (bulk.py) agrees with the row path: one set of rules.

Over generated files — good rows mixed with bad dates, unknown cadres, kinds and units, ends
before starts, days outside a post, on an absence or at a closed unit, trips too long, repeats
of each other and of stored trips, spaces, Vietnamese words — the import with the column-wise
path allowed and the import row by row give the same verdict, the same counts, the same error
lines and the same stored trips; and the column-wise path accepts a file exactly when the row
path does (every generated file is of the plain kind it reads: header on the first line, every
row as wide, no quotes).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from doanfield import bulk, importer
from doanfield.engine import open_ledger
from tests.conftest import Cli

pytest.importorskip("pyarrow")

CADRES = ["GL04", "PT01", "HD02", "AB03"]
UNITS = ["TD", "X-PT1", "X-OLD"]


def _seed(cli: Cli) -> None:
    """Cadres with an open post, a bounded post, an absence; a unit closed mid-2024."""
    cli.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn", "--level", "province")
    cli.ok("unit", "add", "X-PT1", "--name", "Đoàn xã Ia Sol", "--level", "commune")
    cli.ok("unit", "add", "X-OLD", "--name", "Đoàn xã cũ", "--level", "commune")
    cli.ok("unit", "close", "X-OLD", "--on", "30/06/2024")
    cli.ok("cadre", "add", "GL04", "--name", "Nguyễn Thành Hưng", "--unit", "TD")
    cli.ok("cadre", "add", "PT01", "--name", "Trần Văn An", "--unit", "TD")
    cli.ok(
        "cadre", "add", "HD02", "--name", "Lê Thị Hoa", "--unit", "TD",
        "--active-from", "01/03/2024", "--active-to", "31/10/2024",
    )  # fmt: skip
    cli.ok("cadre", "add", "AB03", "--name", "Ksor H'Mloan", "--unit", "TD")
    cli.ok("absence", "add", "--cadre", "AB03", "--start", "10/05/2024", "--end", "20/05/2024",
           "--reason", "sick")  # fmt: skip
    cli.ok("trip", "add", "--cadre", "GL04", "--date", "05/03/2024", "--kind", "thematic",
           "--place", "Xã Ia Sol")  # fmt: skip


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("bulk") / "ledger.db"
    _seed(Cli(db))
    return db


class _Rollback(Exception):
    pass


@contextmanager
def _columnwise(allowed: bool) -> Iterator[list[bool]]:
    """The column-wise path tried on every file (allowed) or on none; its verdicts noted."""
    verdicts: list[bool] = []
    real = bulk.import_trips

    def noted(*args: Any, **kwargs: Any) -> bool:
        verdicts.append(real(*args, **kwargs))
        return verdicts[-1]

    with (
        mock.patch.object(bulk, "BULK_FROM_BYTES", 0 if allowed else 1 << 62),
        mock.patch.object(importer.bulk, "import_trips", noted),
    ):
        yield verdicts


def _import(db: Path, path: Path, allowed: bool) -> tuple[Any, list[tuple[Any, ...]], list[bool]]:
    """(outcome, the trips stored after it, the column-wise verdicts); nothing kept."""
    ledger = open_ledger(db)
    outcome: Any = None
    stored: list[tuple[Any, ...]] = []
    try:
        with _columnwise(allowed) as verdicts, ledger.write(bulk=True) as session:
            try:
                result = importer.import_file(session, "trips", path)
                outcome = ("imported", result.added, result.skipped, result.rows)
            except importer.ImportFailed as error:
                outcome = ("failed", error.text("en"))
            stored = [tuple(r) for r in session.execute(text("SELECT * FROM trip ORDER BY id"))]
            raise _Rollback
    except _Rollback:
        pass
    finally:
        ledger.engine.dispose()
    return outcome, stored, verdicts


dates = st.sampled_from(
    [
        "01/03/2024", "1/3/2024", "2024-03-01", "15/05/2024", "15-5-2024", "30/06/2024",
        "01/07/2024", "20/02/2024", "31/12/2024", "05/03/2024", "31/02/2024", "2024-13-01",
        "45352", "hôm qua", "",
    ]
)  # fmt: skip
cadres = st.sampled_from([*CADRES, " GL04 ", "gl04", "NOBODY", ""])
kinds = st.sampled_from(
    ["", "thematic", "inspection", "other", "theo chuyên đề", "kiểm tra, giám sát", "party"]
)
units = st.sampled_from(["", *UNITS, " TD", "NOWHERE"])
texts = st.sampled_from(["", "Xã Ia Sol", " Xã Ia Sol ", "Thôn Plei Ơi", "x" * 2001, "Xã\u0301"])
orders = st.sampled_from(["", "15-CL/TĐTN", " 15-CL/TĐTN ", "x" * 2001])
row = st.tuples(cadres, dates, dates | st.just(""), kinds, texts, units, texts, texts, orders)


@st.composite
def files(draw: st.DrawFn) -> tuple[str, str, list[tuple[str, ...]]]:
    rows = draw(st.lists(row, min_size=1, max_size=12))
    # Repeats of earlier rows, and of the stored trip, somewhere in the file.
    for _ in range(draw(st.integers(0, 3))):
        rows.insert(draw(st.integers(0, len(rows))), draw(st.sampled_from(rows)))
    if draw(st.booleans()):
        rows.append(("GL04", "05/03/2024", "", "thematic", "Xã Ia Sol", "", "", "", ""))
    return (
        draw(st.sampled_from([",", ";", "\t"])),
        draw(st.sampled_from(["utf-8", "utf-8-sig"])),
        rows,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files())
def test_column_wise_and_row_by_row_agree(
    seeded: Path, file: tuple[str, str, list[tuple[str, ...]]]
) -> None:
    delimiter, encoding, rows = file
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_NONE)
    writer.writerow(["cadre", "start", "end", "kind", "place", "unit", "program", "note", "order"])
    # Every row as wide as the header (a wider one, even with blank cells, is read row by row).
    writer.writerows([[cell.replace(delimiter, " ") for cell in r] for r in rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trips.csv"
        path.write_text(buffer.getvalue(), encoding=encoding)
        by_rows, stored_by_rows, none = _import(seeded, path, allowed=False)
        both, stored_both, verdicts = _import(seeded, path, allowed=True)
    assert not any(none)
    assert both == by_rows
    assert stored_both == stored_by_rows
    # Accepted column-wise exactly when the row path accepts the file.
    assert verdicts == [by_rows[0] == "imported"]


@pytest.fixture(scope="module")
def seeded_without_trips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same ledger with its one trip removed: the column-wise path into an empty table
    stages the table's index with the rows (engine.StagedTable), the ids its own."""
    db = tmp_path_factory.mktemp("without-trips") / "ledger.db"
    cli = Cli(db)
    _seed(cli)
    cli.ok("trip", "remove", "1")
    return db


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files())
def test_into_an_empty_table_both_paths_store_the_same(
    seeded_without_trips: Path, file: tuple[str, str, list[tuple[str, ...]]]
) -> None:
    delimiter, encoding, rows = file
    header = ("cadre", "start", "end", "kind", "place", "unit", "program", "note", "order")
    lines = [delimiter.join(c.replace(delimiter, " ") for c in r) for r in [header, *rows]]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trips.csv"
        path.write_text("\n".join(lines) + "\n", encoding=encoding)
        (outcome, stored, _), (both, stored_both, verdicts) = (
            _import(seeded_without_trips, path, allowed) for allowed in (False, True)
        )
    assert (both, stored_both) == (outcome, stored)
    assert verdicts == [outcome[0] == "imported"]


def test_a_national_file_goes_column_wise_and_stores_what_rows_store(
    cli: Cli, tmp_path: Path
) -> None:
    """On both engines: the same trips, ids and counts as row by row; repeats skipped."""
    _seed(cli)
    lines = ["cadre,start,end,kind,place,unit,program,note"]
    for day in range(1, 29):
        lines.append(f"GL04,{day}/3/2024,,theo chuyên đề,Xã Ia Sol,X-PT1,Xuân yêu thương,")
        lines.append(f"PT01,{day}/4/2024,{day + 1}/4/2024,inspection,Thôn {day},,,ghi chú")
    lines.append("GL04,5/3/2024,,thematic,Xã Ia Sol,,,")  # the stored trip, again
    lines.append(lines[1])  # a repeat within the file
    path = tmp_path / "trips.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with _columnwise(True) as verdicts:
        result = cli.ok("import", "trips", str(path))
    assert verdicts == [True]
    # 58 rows: 28 days x 2, the stored trip again, line 2 again; GL04's day-5 row (theo chuyên
    # đề is thematic) is the stored trip too. 58 - 3 repeats = 55 added, 1 + 55 listed.
    assert "55 added, 0 updated, 3 skipped as already recorded" in result.stdout
    listed = cli.ok("trip", "list", "--format", "json").json()
    assert len(listed) == 56
    first_new = sorted(listed, key=lambda t: int(t["id"]))[1]  # the file's line 2
    assert (first_new["cadre"], first_new["start"], first_new["kind"], first_new["unit"]) == (
        "GL04",
        "2024-03-01",
        "thematic",
        "X-PT1",
    )
    assert cli.ok("db", "check").stdout == ""


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(CADRES),
            st.sampled_from(["01/03/2024", "02/03/2024", "28/02/2024"]),
            st.sampled_from(["", "=SUM(A1)", "+84 90", "-x", "@me", "'=x", "''", "a,b",
                             'có "ngoặc"', "dòng\nhai", "Xã Ia Sol", "\tTab", "'x"]),
            st.sampled_from(["", "X-PT1", "TD"]),
        ),
        min_size=1,
        max_size=8,
    )
)  # fmt: skip
def test_a_column_wise_export_writes_what_rows_write(
    seeded: Path, trips: list[tuple[str, str, str, str]]
) -> None:
    """The same bytes, cell for cell: formula leads neutralised, quotes and line breaks quoted."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "ledger.db"
        db.write_bytes(seeded.read_bytes())
        cli = Cli(db)
        for cadre, day, text_cell, unit in trips:
            cli("trip", "add", "--cadre", cadre, "--date", day, "--place", text_cell,
                "--note", text_cell, *(["--unit", unit] if unit else []))  # fmt: skip
        written = {}
        for allowed in (False, True):
            path = Path(folder) / f"trips-{allowed}.csv"
            with mock.patch.object(bulk, "EXPORT_FROM_TRIPS", 0 if allowed else 1 << 62):
                cli.ok("export", "trips", "--output", str(path))
            written[allowed] = path.read_bytes()
    assert written[True] == written[False]
