"""The compliance report read column-wise (colreport.py) is the row path's, byte for byte.

A SQLite ledger's `report compliance` is answered column-wise whenever it can be; the row path
(reports.py) answers the rest and every PostgreSQL ledger. Here one ledger with everything a
report weighs — the 2025 reform's moves and closings, a ledger brought in with its own cadres,
assignments, absences, policies set for units and for the ledger, minimum days by host level,
reports tracked — is reported both ways for every year, mid-year as-of dates and units.
"""

from __future__ import annotations

import shlex
from datetime import date
from pathlib import Path

import pytest

from doanfield import colreport, rules
from tests.conftest import Cli, modules_loaded
from tests.test_reform import LATER, merged

pytest.importorskip("numpy")

pytestmark = pytest.mark.sqlite_only
__all__ = ["merged"]  # test_reform's ledger, built afresh for this module


@pytest.fixture(scope="module")
def everything(merged: Cli) -> Cli:
    """The ledger of test_reform (this module's own copy), with policies of every kind."""
    cli = merged
    for setting in (
        "field_days_per_year 45 --unit BD-TD --from-year 2024",
        "field_days_per_year 30 --unit HD-PT --from-year 2024",
        "weekly_field_days 2 --unit HD-DC --from-year 2024",
        "min_days_by_host_level xã=5,huyện=2 --unit TD --from-year 2024",
        "exempt_absence_reasons sick --unit HD-KB --from-year 2024",
        "assignment_counts_as_field false --unit GL --from-year 2025",
        "trip_report_days 10 --from-year 2025",
    ):
        cli.ok("policy", "set", *shlex.split(setting), today=LATER)
    cli.ok(
        "unit",
        "add",
        "X26-NEW",
        "--name",
        "Đoàn xã Mới",
        "--level",
        "xã",
        "--parent",
        "GL",
        "--from",
        "1/1/2026",
        today=LATER,
    )
    return cli


@pytest.fixture(params=["at once", "one by one"])
def judging(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """A ledger this small is judged cadre by cadre; "at once" makes colrules judge it."""
    if request.param == "at once":
        monkeypatch.setattr(colreport, "FEW_CADRES", 0)
    return str(request.param)


def both_ways(cli: Cli, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[str, str]:
    """The report's JSON read by colreport, and by the row path (DOANFIELD_ROW_REPORTS)."""
    command = ("report", "compliance", *args, "--format", "json")
    column_wise = cli.ok(*command, today=LATER).stdout
    with monkeypatch.context() as env:
        env.setenv("DOANFIELD_ROW_REPORTS", "1")
        row_by_row = cli.ok(*command, today=LATER).stdout
    return column_wise, row_by_row


@pytest.mark.parametrize("year", [2023, 2024, 2025])
@pytest.mark.parametrize("as_of", [None, "03/01", "30/06", "01/07", "15/11"])
def test_every_year_and_as_of_date_alike(
    everything: Cli, monkeypatch: pytest.MonkeyPatch, judging: str, year: int, as_of: str | None
) -> None:
    args = ["--year", str(year)]
    if as_of:
        args += ["--as-of", f"{as_of}/{year}"]
    column_wise, row_by_row = both_ways(everything, monkeypatch, *args)
    assert column_wise == row_by_row
    assert '"cadre"' in column_wise  # a report with rows, not two empty ones


@pytest.mark.parametrize("unit", ["GL", "TD", "HD-PT", "BD-TD", "HD-DC", "X25-PT"])
@pytest.mark.parametrize("year", [2024, 2025])
def test_every_unit_alike(
    everything: Cli, monkeypatch: pytest.MonkeyPatch, judging: str, unit: str, year: int
) -> None:
    column_wise, row_by_row = both_ways(
        everything, monkeypatch, "--year", str(year), "--unit", unit
    )
    assert column_wise == row_by_row


def test_the_column_wise_path_answers_and_declines_what_it_should(
    everything: Cli, judging: str
) -> None:
    db = Path(everything.db)
    period = rules.Period(2025, date(2025, 12, 31))
    answer = colreport.compliance(db, period, None)
    assert answer is not None and len(answer.report.rows) == 48  # 34 + 14, as test_reform says
    province = colreport.compliance(db, period, "GL")
    assert province is not None and province.unit_name == "Tỉnh Đoàn Gia Lai"
    # A unit typed in lower case, or unknown: the row path's, which finds it or names it.
    assert colreport.compliance(db, period, "gl") is None
    assert colreport.compliance(db, period, "NOPE") is None
    # X26-NEW was formed on 1 January 2026, from nothing: in 2025 the row path says so.
    assert colreport.compliance(db, period, "X26-NEW") is None
    # X25-PT was formed on 1 July 2025 from communes that were there in 2024: no cadre then.
    merged = colreport.compliance(db, rules.Period(2024, date(2024, 12, 31)), "X25-PT")
    assert merged is not None and merged.report.rows == []
    assert colreport.compliance(db.with_name("missing.db"), period, None) is None


def test_a_unit_formed_later_is_refused_alike(everything: Cli) -> None:
    args = ("report", "compliance", "--year", "2025", "--unit", "X26-NEW")
    refused = everything(*args, today=LATER)
    assert refused.exit_code == 1 and "X26-NEW" in refused.stderr


def test_a_clerks_report_loads_no_database_layer_and_no_arrays(everything: Cli) -> None:
    # A ledger of a few dozen cadres: read by the standard library's sqlite3, judged cadre by
    # cadre; neither SQLAlchemy (~0.3 s to load) nor numpy and pyarrow (~0.2 s) are imported,
    # nor pydantic for the options (cli/coercion.py).
    report = ["--db", str(everything.db), "--today", LATER, "report", "compliance"]
    printed, loaded = modules_loaded(
        [*report, "--year", "2025", "--format", "json"],
        of=("sqlalchemy", "sqlmodel", "alembic", "numpy", "pyarrow", "pydantic"),
    )
    assert '"cadre": "BD-AN01"' in printed
    assert loaded == []


def trip_text(*trips: tuple[int, str, str, int]) -> bytes:
    """Trips as TRIPS_AS_TEXT writes them: ids plus 1,000,000, days as stored."""
    return b"".join(
        f"{cadre + 1_000_000}{start}{end}{host + 1_000_000}".encode()
        for cadre, start, end, host in trips
    )


def test_the_trips_are_read_from_their_text() -> None:
    text = trip_text(
        (7, "2024-01-01", "2024-01-03", 0), (8_999_999, "2023-12-31", "2024-02-29", 42)
    )
    assert len(text) == 2 * colreport.RECORD
    trips = colreport.trip_columns(text)
    assert trips.cadre_ids.tolist() == [7, 8_999_999]
    assert trips.hosts.tolist() == [0, 42]
    # 1 January 2024 is day 738,886 of the proleptic Gregorian calendar (date.toordinal).
    assert trips.starts.tolist() == [738_886, 738_885]
    assert trips.ends.tolist() == [738_888, 738_886 + 31 + 28]
    empty = colreport.trip_columns(b"")
    assert empty.cadre_ids.tolist() == empty.starts.tolist() == []


@pytest.mark.parametrize(
    "odd",
    [
        "10000000 2024-01-01 2024-01-01 1",  # an id of eight digits once 1,000,000 is added
        "1 2024-1-01 2024-01-01 1",  # a date not written YYYY-MM-DD (behind doanfield's back)
        "1 2024-02-30 2024-03-01 1",  # a day no calendar has
        "1 1899-12-31 2024-01-01 1",  # a day before 1900, which the row path reads as 1900
        "1 2024-01-01 2201-01-01 1",  # after 2200, likewise
    ],
)
def test_trips_it_cannot_read_exactly_make_it_decline(odd: str) -> None:
    cadre, start, end, host = odd.split()
    text = trip_text((1, "2024-01-01", "2024-01-02", 0)) + trip_text(
        (int(cadre), start, end, int(host))
    )
    with pytest.raises((colreport.Declined, ValueError)):
        colreport.trip_columns(text)


def test_a_date_written_behind_its_back_is_reported_by_the_row_path(
    everything: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import shutil
    import sqlite3

    monkeypatch.setattr(colreport, "FEW_CADRES", 0)
    db = tmp_path / "copy.db"
    shutil.copy(everything.db, db)
    copy = Cli(db)
    period = rules.Period(2025, date(2025, 12, 31))
    assert colreport.compliance(db, period, None) is not None
    with sqlite3.connect(db) as conn:
        (trip,) = conn.execute("SELECT min(id) FROM trip WHERE start LIKE '2025-%'").fetchone()
        conn.execute("UPDATE trip SET \"end\" = '2025-12-31 ' WHERE id = ?", (trip,))
    assert colreport.compliance(db, period, None) is None
    column_wise, row_by_row = both_ways(copy, monkeypatch, "--year", "2025")
    assert column_wise == row_by_row
