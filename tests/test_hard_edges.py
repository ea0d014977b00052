"""Issue 13's hard edges, each through the CLI: no command, argument or file destroys the ledger
or breaks a report (the output files have their own tests: test_output_files.py)."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from doanfield.columns import FORMULA_LEADS, neutralise, restore
from tests.conftest import Cli, run_doanfield

# ------------------------------------------------------------------ 2. dates the rules can count

FAR_OFF = "doanfield counts (1900-01-01 to 2200-12-31)"


def test_a_far_off_date_is_refused_on_the_command_line(province: Cli) -> None:
    """`--end 31/12/9999` was accepted and broke every report of its year (issue 13, 2)."""
    before = province.dump()
    for args in (
        ["assignment", "add", "--cadre", "GL04", "--host", "HD-PT", "--start", "1/1/2024"],
        ["trip", "add", "--cadre", "GL04", "--start", "1/1/2024"],
        ["absence", "add", "--cadre", "GL04", "--start", "1/1/2024"],
    ):
        result = province(*args, "--end", "31/12/9999")
        assert result.exit_code == 2
        assert result.stderr.startswith(
            "doanfield: error: Invalid value for '--end': date '31/12/9999' is outside the days "
            f"{FAR_OFF}"
        )
    result = province("cadre", "add", "X1", "--name", "A B", "--unit", "TD", "--birth", "1/1/1899")
    assert result.exit_code == 2 and "date '1/1/1899' is outside" in result.stderr
    vi = province("trip", "add", "--cadre", "GL04", "--date", "1/1/2201", lang="vi")
    assert "ngày '1/1/2201' nằm ngoài khoảng ngày doanfield tính được" in vi.stderr
    assert province.dump() == before


def test_a_far_off_date_is_refused_in_edits_and_files(
    province: Cli, write_csv: Callable[..., Path]
) -> None:
    province.ok("trip", "add", "--cadre", "GL04", "--date", "1/3/2024")
    before = province.dump()
    result = province("trip", "edit", "1", "--end", "9999-12-31")
    assert result.exit_code == 2 and FAR_OFF in result.stderr
    trips = write_csv(
        "trips.csv", "cadre,start,end\nGL04,2/3/2024,2/3/2024\nGL01,1/1/2024,31/12/9999\n"
    )
    result = province("import", "trips", str(trips))
    assert result.exit_code == 1
    assert f"trips.csv:3: end: is outside the days {FAR_OFF} (31/12/9999)" in result.stderr
    plans = write_csv(
        "assignments.json",
        '[{"cadre": "GL01", "host": "HD-PT", "start": "2024-01-01", "end": "9999-12-31"}]',
    )
    result = province("import", "assignments", str(plans))
    assert result.exit_code == 1 and FAR_OFF in result.stderr
    assert province.dump() == before


def test_a_far_off_date_stored_before_the_rule_breaks_no_report(province: Cli) -> None:
    """Written by an older doanfield (or behind its back): reports count it as 31/12/2200."""
    province.ok(
        *shlex.split("assignment add --cadre GL04 --host HD-PT --start 19/2/2024 --months 3")
    )
    province.ok("trip", "add", "--cadre", "GL01", "--date", "5/3/2024")
    province.sql("UPDATE assignment SET \"end\" = '9999-12-31'")
    province.sql("UPDATE trip SET \"end\" = '9999-12-31', start = '1800-01-01'")
    for args in (
        ["report", "compliance", "--year", "2024"],
        ["report", "compliance", "--year", "2024", "--format", "json"],
        ["report", "summary", "--year", "2024"],
        ["report", "weekly", "--year", "2024"],
        ["cadre", "show", "GL04"],
        ["cadre", "show", "GL01", "--year", "2024"],
        ["assignment", "list"],
        ["trip", "list", "--format", "json"],
        ["export", "trips"],
    ):
        province.ok(*args)
    # GL04's assignment from 19/02/2024 "to 2200": by 31/12/2024, 317 days of 2024 in post
    # (19 Feb to 31 Dec: 366 - 49), all field days; it has not ended, so training is in progress.
    (row,) = [
        r
        for r in province.ok("report", "compliance", "--year", "2024", "--format", "json").json()[
            "rows"
        ]
        if r["cadre"] == "GL04"
    ]
    assert row["field_days"] == 317 and row["training_status"] == "in_progress"
    result = province("db", "check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        "assignment #1: end 9999-12-31 is outside the days doanfield counts (1900-01-01 to "
        "2200-12-31); reports count it as 2200-12-31: correct it"
    ) in lines
    assert any(line.startswith("trip #1: start 1800-01-01 is outside") for line in lines)


# ------------------------------------------------------------------ 3. a password with an '@'


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://clerk:Pa@S3cr3t@host/db",
        "postgresql+psycopg://clerk:Pa@S3:cr3t@host:5432/db",
        "postgresql+psycopg://clerk:S3cr3t@@host/db",
    ],
)
def test_a_password_is_never_shown_whatever_the_url_holds(url: str) -> None:
    """`clerk:Pa@S3cr3t@host` was shown as `clerk:***@S3cr3t@host` (issue 13, 3)."""
    from doanfield.cli.main import app

    runner = CliRunner()
    for args in (
        ["db", "path"],
        ["unit", "list"],
        ["--lang", "vi", "trip", "add", "--cadre", "X", "--date", "1/1/2024"],
    ):
        result = runner.invoke(app, ["--db", url, *args])
        assert result.exit_code == 2, result.stderr
        assert "S3cr3t" not in result.stderr + result.stdout and "cr3t" not in result.stderr
        assert result.stderr.count("\n") == 1
        assert "%40" in result.stderr and "~/.pgpass" in result.stderr


def test_a_percent_encoded_password_is_masked() -> None:
    from doanfield.cli.main import app

    result = CliRunner().invoke(
        app, ["--db", "postgresql+psycopg://clerk:Pa%40S3cr3t@host/db", "db", "path"]
    )
    assert result.stdout == "postgresql+psycopg://clerk:***@host/db\n"


# ------------------------------------------------------------------ 4. a newer ledger untouched


@pytest.mark.sqlite_only
def test_a_newer_ledger_in_rollback_journal_mode_is_left_byte_for_byte(tmp_path: Path) -> None:
    """WAL was switched on at connect, before the revision check (issue 13, 4)."""
    cli = Cli(tmp_path / "newer.db", CliRunner())
    cli.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn", "--level", "province")
    conn = sqlite3.connect(cli.db)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.execute("PRAGMA journal_mode=DELETE")  # the mode db backup writes
    conn.close()
    before = cli.db.read_bytes()
    for args in (
        ["unit", "list"],
        ["unit", "add", "X", "--name", "x", "--level", "province"],
        ["db", "upgrade"],
        ["db", "check"],
    ):
        result = cli(*args)
        assert result.exit_code == 1 and "newer doanfield" in result.stderr
    assert cli.db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["newer.db"]


# ------------------------------------------------------------------ 5. neutralised CSV cells


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "a", " ", "ễ"]), max_size=6
    )
)
def test_neutralising_is_undone_exactly(value: str) -> None:
    written = neutralise(value)
    assert restore(written) == value
    assert not written.startswith(FORMULA_LEADS)  # a spreadsheet runs none of them


def test_an_export_imports_back_adding_nothing(province: Cli, ledgers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The `'` an export adds stayed on import, so re-importing an export doubled (issue 13, 5)."""
    values = ["=SUM(A1)", "+84 90", "-5 độ", "@home", "'quoted", "'=already", "''"]
    for number, value in enumerate(values, start=1):
        province.ok(
            "trip",
            "add",
            "--cadre",
            "GL04",
            "--date",
            f"{number}/3/2024",
            "--place",
            value,
            "--program",
            value,
            "--note",
            value,
        )
    out = tmp_path / "trips.csv"
    province.ok("export", "trips", "--output", str(out))
    again = province.ok("import", "trips", str(out))
    assert again.stdout.endswith(f"0 added, 0 updated, {len(values)} skipped as already recorded\n")
    (tmp_path / "fresh").mkdir()
    fresh = ledgers.new(tmp_path / "fresh")
    for kind in ("units", "cadres"):
        province.ok("export", kind, "--output", str(tmp_path / f"{kind}.csv"))
        fresh.ok("import", kind, str(tmp_path / f"{kind}.csv"))
    fresh.ok("import", "trips", str(out))
    places = [t["place"] for t in fresh.ok("trip", "list", "--format", "json").json()]
    assert places == values


# ------------------------------------------------------- 6. a duplicate from the constraint


def test_a_duplicate_the_constraint_refuses_is_the_usual_line(province: Cli) -> None:
    """The check before writing saw nothing (another desk's add was not committed yet); the
    unique constraint refuses, and it says so as the check would (both engines)."""
    from doanfield import engine
    from doanfield.domain import Conflict
    from doanfield.models import Unit

    store = engine.open_ledger(province.db)
    try:
        with pytest.raises(Conflict) as refused, store.write() as session:
            session.add(Unit(code="HD-PT", name="again", level="district"))
            session.flush()
    finally:
        store.engine.dispose()
    assert str(refused.value) == "unit 'HD-PT' already exists"


@pytest.mark.postgresql_only
def test_the_loser_of_a_race_on_postgresql_gets_already_exists(province: Cli) -> None:
    """7 of 40 races ended in a raw IntegrityError (issue 13, 6). Another desk's add of X is
    written but not committed when this one checks; this one's insert waits for it, then loses."""
    from sqlalchemy import create_engine, text

    from doanfield.engine import to_url

    other = create_engine(to_url(province.db))
    with other.connect() as conn:
        conn.execute(text("INSERT INTO unit (code, name, level) VALUES ('X', 'x', 'commune')"))
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "doanfield",
                "--db",
                str(province.db),
                "unit",
                "add",
                "X",
                "--name",
                "Đoàn xã X",
                "--level",
                "commune",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        waiting = text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        watcher = other.connect()
        try:
            while watcher.execute(waiting).scalar() == 0:  # until its insert waits for ours
                watcher.rollback()  # a new snapshot of pg_stat_activity each time
                assert process.poll() is None, process.communicate()
                threading.Event().wait(0.05)
        finally:
            watcher.close()
        conn.commit()
    other.dispose()
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, (out, err)
    assert err == "doanfield: error: unit 'X' already exists\n"


# ------------------------------------------------------------------ 7. error lists capped


def test_a_header_of_two_million_empty_columns_is_one_short_line(
    province: Cli, write_csv: Callable[..., Path]
) -> None:
    """213 MB of error output from a 2 MB file (issue 13, 7)."""
    path = write_csv(
        "wide.csv", "," * 2_000_000 + "cadre,start\n" + "," * 2_000_000 + "GL04,1/3/2024\n"
    )
    result = province("import", "trips", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        "doanfield: error: wide.csv:1: the header has 2000002 columns; a sheet has at most 16384 "
        "(Excel's own limit): this is no list of records\n"
    )


def test_header_problems_are_capped_at_twenty(
    province: Cli, write_csv: Callable[..., Path]
) -> None:
    titles = ",".join(f"cot{n}" for n in range(1, 31))  # 30 unknown columns, and no start
    path = write_csv("cols.csv", f"cadre,{titles}\nGL04\n")
    result = province("import", "trips", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    # 30 unknown columns and the missing start: 31 problems, 20 shown, then the rest counted.
    assert len(lines) == 21
    assert lines[-1] == "… and 11 more problems in the header"


# ------------------------------------------------------------------ 8. numbers, text


@pytest.mark.parametrize(
    "args, shown",
    [
        (
            ["trip", "remove", "99999999999999999999999"],
            "Invalid value for 'ID': '99999999999999999999999' is not a whole number from 1 to "
            "2147483647",
        ),
        (
            ["assignment", "cancel", "3000000000"],
            "Invalid value for 'ID': '3000000000' is not a whole number from 1 to 2147483647",
        ),
        (
            ["absence", "remove", "٣"],
            "Invalid value for 'ID': '٣' is not a whole number from 1 to 2147483647",
        ),
        (
            ["report", "summary", "--year", "２０２４"],
            "Invalid value for '--year': '２０２４' is not a whole number from 1900 to 2200",
        ),
        (
            ["log", "--limit", "1_000"],
            "Invalid value for '--limit': '1_000' is not a whole number from 1 to 2147483647",
        ),
        (
            ["plan", "add", "P1", "--year", "2025", "--quota", "tỉnh=３"],
            "Invalid value for --quota: 'tỉnh=３' is not LEVEL=NUMBER (e.g. district=13)",
        ),
    ],
)
def test_numbers_are_read_strictly(province: Cli, args: list[str], shown: str) -> None:
    """An id beyond any record's was an OverflowError (issue 13, 8); `３` passed as 3."""
    before = province.dump()
    result = province(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"doanfield: error: {shown} (see 'doanfield ")
    assert result.stderr.count("\n") == 1
    assert province.dump() == before


def test_a_choice_not_offered_is_named_with_the_choices(province: Cli) -> None:
    # Choices are read by doanfield's own coercion (cli/coercion.py), not Typer's pydantic one:
    # the same rule and words (exact case), in either language.
    shown = {
        "en": "Invalid value for '--format' / '-f': 'JSON' is not one of 'table', 'csv', "
        "'json', 'xlsx'. (see 'doanfield report summary --help')",
        "vi": "Giá trị không hợp lệ cho '--format' / '-f': 'JSON' không phải một trong: "
        "'table', 'csv', 'json', 'xlsx'. (xem 'doanfield report summary --help')",
    }
    for lang, said in shown.items():
        result = province("report", "summary", "--year", "2024", "-f", "JSON", lang=lang)
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            f"doanfield: {'error' if lang == 'en' else 'lỗi'}: {said}"
        ]
    assert province("report", "summary", "--year", "2024", "-f", "json").exit_code == 0


def test_a_number_in_a_file_is_read_strictly(province: Cli, write_csv: Callable[..., Path]) -> None:
    """`202⁴` passed str.isdigit and then broke int() (issue 13, 8)."""
    path = write_csv(
        "plans.csv", "plan,year,level,target\nP1,202⁴,province,3\nP2,2025,district,１\n"
    )
    result = province("import", "plans", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        "plans.csv:2: year: is not a whole number from 1900 to 2200 (202⁴)",
        "plans.csv:3: target: is not a whole number from 0 to 1000000 (１)",
    ]


def test_an_argument_that_is_no_text_is_one_line(province: Cli) -> None:
    """`report plan $'\\xff'` was a UnicodeEncodeError (issue 13, 8): real bytes in argv."""
    result = subprocess.run(
        [sys.executable, "-m", "doanfield", "--db", str(province.db), "report", "plan", b"\xff"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        b"doanfield: error: argument 5 ('\\xff') is not text: its bytes are not UTF-8\n"
    )


# ------------------------------------------------------------------ 9, 11. read-only, full disk


@contextmanager
def _unprivileged() -> Iterator[None]:
    """As a user whom a file's mode binds: `nobody` when the tests run as root (root writes
    whatever the mode says), oneself otherwise."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


NOBODY = 65534
READERS = [
    ["unit", "list"],
    ["cadre", "list", "--format", "json"],
    ["trip", "list"],
    ["report", "compliance", "--year", "2024"],
    ["cadre", "show", "GL04", "--year", "2024"],
    ["export", "trips"],
    ["log"],
    ["db", "check"],
    ["db", "upgrade"],
]
WRITERS = [
    ["trip", "add", "--cadre", "GL04", "--date", "2/3/2024"],
    ["unit", "add", "X", "--name", "Đoàn xã X", "--level", "commune"],
    ["policy", "set", "field_days_per_year", "30"],
]


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder of its own that another user may enter (pytest's are private to root)."""
    made = Path(tempfile.mkdtemp(prefix="doanfield-ro-"))
    os.chmod(made, 0o755)
    try:
        yield made
    finally:
        os.chmod(made, 0o755)
        shutil.rmtree(made)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_read_only_ledger_is_read_and_never_written(
    province: Cli, folder: Path, what: str
) -> None:
    """A ledger in a read-only folder could not even be read (issue 13, 8 and 11)."""
    province.ok("trip", "add", "--cadre", "GL04", "--date", "1/3/2024")
    db = folder / "ledger.db"
    shutil.copyfile(province.db, db)
    cli = Cli(db, province.runner)
    for args in READERS:  # once with write access: every module these commands need is loaded
        cli.ok(*args)
    os.chmod(db, 0o644 if what == "folder" else 0o444)
    os.chmod(folder, 0o555 if what == "folder" else 0o777)
    before = db.read_bytes()
    with _unprivileged():
        for args in READERS:
            cli.ok(*args)
        trips = cli.ok("trip", "list", "--format", "json").json()
        for args in WRITERS:
            result = cli(*args)
            assert result.exit_code == 1, args
            assert result.stderr == (
                f"doanfield: error: the ledger '{db}' is read-only (its file or its folder "
                "cannot be written); nothing was changed\n"
            )
    assert [t["start"] for t in trips] == ["2024-03-01"]
    assert db.read_bytes() == before
    assert {p.name for p in folder.iterdir()} <= {"ledger.db", "ledger.db-shm", "ledger.db-wal"}


@pytest.mark.sqlite_only
def test_a_full_disk_changes_nothing_and_says_so(province: Cli) -> None:
    """`database or disk is full` was the driver's words (issue 11); nothing may change."""
    before = province.dump()
    db = ["--db", str(province.db)]
    # 40,000 bytes: room for SQLite's -shm (32 KiB) and two WAL frames, not for a trip's pages.
    result = run_doanfield(
        [*db, "trip", "add", "--cadre", "GL04", "--date", "1/3/2024"], limit=40_000
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr in (
        f"doanfield: error: no space left on the disk for the ledger '{province.db}'; nothing "
        "was changed; free some space and try again\n",
        f"doanfield: error: the disk refused to write the ledger '{province.db}' (an I/O error: "
        "is it full, or failing?); nothing was changed\n",
    )
    assert province.dump() == before
    province.ok("db", "check")


# ------------------------------------------------------------------ 10. Ctrl-C

CTRL_C_WHILE_ADDING = """
import os, signal, time
import doanfield.ledger as ledger
real = ledger.add_trip
def add_trip(*args, **kwargs):
    real(*args, **kwargs)  # the trip is written in the transaction, then Ctrl-C
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(30)
ledger.add_trip = add_trip
"""


@pytest.mark.sqlite_only
def test_ctrl_c_says_nothing_was_changed(province: Cli) -> None:
    """A real SIGINT half-way through a command: exit 130, the line said, nothing kept."""
    before = province.dump()
    for lang, said in (
        ("en", "doanfield: error: interrupted; nothing was changed\n"),
        ("vi", "doanfield: lỗi: đã dừng theo yêu cầu (Ctrl-C); sổ không thay đổi gì\n"),
    ):
        args = [
            "--db",
            str(province.db),
            "--lang",
            lang,
            "trip",
            "add",
            "--cadre",
            "GL04",
            "--date",
            "1/3/2024",
        ]
        result = run_doanfield(args, CTRL_C_WHILE_ADDING)
        assert (result.returncode, result.stderr) == (130, said)
    assert province.dump() == before
