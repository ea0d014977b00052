"""The ledger keeps data safe: real transactions, private files, refusing what is not ours."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from doanfield import engine, ledger
from doanfield.cli.main import app
from doanfield.domain import LedgerRefused
from doanfield.models import TripIn, Unit
from tests.conftest import Cli, holding_write_lock, modules_loaded


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.sqlite_only
def test_new_ledger_is_private_and_marked(cli: Cli) -> None:
    cli.ok("unit", "list")
    assert _mode(cli.db) == 0o600
    conn = sqlite3.connect(cli.db)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == engine.APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_pragmas_on_every_connection(tmp_path: Path) -> None:
    store = engine.open_ledger(tmp_path / "l.db")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == engine.BUSY_TIMEOUT_MS
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.engine.dispose()


@pytest.mark.parametrize("name", ["with space.db", "a?b#c.db", "sổ cái Đoàn.db", "x%20y.db"])
def test_awkward_paths_open_the_right_file(tmp_path: Path, name: str) -> None:
    (tmp_path / "thư mục").mkdir()
    path = tmp_path / "thư mục" / name
    cli = Cli(path, CliRunner())
    cli.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn", "--level", "province")
    assert path.exists()
    assert sorted(p.name for p in path.parent.iterdir() if p.suffix == ".db") == [name]
    assert cli.ok("db", "path").stdout.strip() == str(path)


def test_default_ledger_lives_in_the_data_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["db", "path"])
    assert result.stdout.strip().startswith(str(tmp_path / "home"))
    assert result.stdout.strip().endswith("doanfield.db")


def test_env_var_names_the_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOANFIELD_DB", str(tmp_path / "env.db"))
    assert CliRunner().invoke(app, ["unit", "list"]).exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_a_sqlite_file_that_is_not_a_ledger_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    cli = Cli(other, CliRunner())
    result = cli("unit", "list")
    assert result.exit_code == 1 and "not a doanfield ledger" in result.stderr
    assert other.read_bytes() == before
    text_file = tmp_path / "notes.db"
    text_file.write_text("hello")
    assert "not a SQLite database" in Cli(text_file, cli.runner)("unit", "list").stderr


def test_a_ledger_from_a_newer_doanfield_is_refused(cli: Cli) -> None:
    cli.ok("unit", "list")
    cli.sql("UPDATE alembic_version SET version_num = '9999'")
    result = cli("unit", "list")
    assert result.exit_code == 1 and "newer doanfield" in result.stderr


def test_schema_revision_matches_the_migrations() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(engine.__file__).parent / "migrations"))
    script = ScriptDirectory.from_config(config)
    assert script.get_current_head() == engine.SCHEMA_REVISION
    assert set(engine.KNOWN_REVISIONS) == {r.revision for r in script.walk_revisions()}


def test_migrations_build_the_models_schema(cli: Cli) -> None:
    """Alembic's autogenerate finds nothing to add: the migrations and the models agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    store = engine.open_ledger(cli.db)
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"render_as_batch": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    store.engine.dispose()


def test_db_upgrade_and_check(cli: Cli) -> None:
    head = engine.SCHEMA_REVISION
    assert cli.ok("db", "upgrade").stdout.strip() == f"schema none -> {head}"
    assert cli.ok("db", "upgrade").stdout.strip() == f"schema at {head}, nothing to do"
    result = cli.ok("db", "check")
    assert result.stdout == "" and result.stderr == ""


def test_db_check_reports_inconsistencies(province: Cli) -> None:
    province.ok("trip", "add", "--cadre", "GL04", "--date", "1/3/2024")
    if province.is_sqlite:
        conn = sqlite3.connect(province.db)
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE trip SET \"end\" = '2024-01-01'")
        conn.commit()
        conn.close()
    else:
        province.sql("ALTER TABLE trip DROP CONSTRAINT ck_trip_dates")
        province.sql("UPDATE trip SET \"end\" = '2024-01-01'")
    result = province("db", "check")
    assert result.exit_code == 1 and "trip #1: end is before start" in result.stderr


@pytest.mark.sqlite_only
def test_backup_is_a_private_consistent_copy(province: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "sao lưu.db"
    province.ok("db", "backup", str(copy))
    assert _mode(copy) == 0o600
    restored = Cli(copy, province.runner)
    assert len(restored.ok("cadre", "list", "--format", "json").json()) == 4
    again = province("db", "backup", str(copy))
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_a_command_that_fails_half_way_changes_nothing(province: Cli) -> None:
    """Work done before the failure is rolled back: the ledger is byte-for-byte as it was."""
    before = province.dump()
    store = engine.open_ledger(province.db)
    with pytest.raises(LedgerRefused), store.write() as session:
        ledger.add_trip(
            session,
            TripIn.model_validate({"cadre": "GL04", "start": "2024-03-01", "end": "2024-03-02"}),
        )
        session.add(Unit(code="NEW", name="x", level="commune"))
        session.flush()
        raise LedgerRefused("simulated failure after two writes")
    store.engine.dispose()
    assert province.dump() == before


def test_failed_import_leaves_the_ledger_as_it_was(province: Cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    before = province.dump()
    path = write_csv("trips.csv", "cadre,start\nGL04,1/3/2024\nGL04,2/3/2024\nNOBODY,3/3/2024\n")
    assert province("import", "trips", str(path)).exit_code == 1
    assert province.dump() == before


@pytest.mark.sqlite_only
def test_writers_take_the_lock_up_front(province: Cli) -> None:
    """A second writer waits for the first instead of failing half-way (BEGIN IMMEDIATE)."""
    store = engine.open_ledger(province.db)
    with store.write() as session:
        in_transaction = session.connection().exec_driver_sql("SELECT 1").scalar()
        assert in_transaction == 1
        other = sqlite3.connect(province.db, timeout=0.1)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    store.engine.dispose()


def test_log_never_shows_a_password() -> None:
    url = engine.to_url("postgresql+psycopg://clerk:s3cret@db.example/doan")
    assert "s3cret" not in engine.safe_url(url)


def test_reading_does_not_change_the_file(province: Cli) -> None:
    before = province.dump()
    province.ok("cadre", "list")
    province.ok("report", "compliance", "--year", "2024")
    assert province.dump() == before
    with engine.open_ledger(province.db).read() as session:
        assert session.exec(select(Unit.code)).all()


def test_start_up_does_not_load_the_database_layers() -> None:
    _, loaded = modules_loaded(
        ["--help"],
        ["--version"],
        ["report", "--help"],
        of=("sqlalchemy", "sqlmodel", "rich.table", "alembic", "pyarrow", "numpy"),
    )
    assert loaded == []


def test_an_older_ledger_is_upgraded_after_a_private_backup(tmp_path: Path) -> None:
    old = tmp_path / "cũ.db"
    engine._create_ledger_file(old)
    first = engine.create_engine(engine.to_url(old))
    engine._migrate(first, "0001")
    with first.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO unit (code, name, level) VALUES ('TD', 'Tỉnh Đoàn Gia Lai', 'province')"
        )
    first.dispose()
    cli = Cli(old, CliRunner())
    assert [u["code"] for u in cli.ok("unit", "list", "--format", "json").json()] == ["TD"]
    (backup,) = tmp_path.glob("cũ.db.before-0001-*.bak")
    assert _mode(backup) == 0o600
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    finally:
        conn.close()
    conn = sqlite3.connect(old)
    try:
        head = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        assert head == (engine.SCHEMA_REVISION,)
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "ix_assignment_plan" in names
    finally:
        conn.close()


def test_a_mistyped_folder_is_not_created(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "no-such-folder" / "l.db", CliRunner())
    result = cli("unit", "list")
    assert result.exit_code == 1 and "does not exist" in result.stderr
    assert not (tmp_path / "no-such-folder").exists()


def test_an_unknown_database_driver_is_one_clear_line(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "unused.db", CliRunner())
    result = cli.runner.invoke(
        app,
        ["--db", "nosuchdb://clerk:s3cret@host/x", "unit", "list"],
    )
    assert result.exit_code == 1
    assert "no database driver for 'nosuchdb'" in result.stderr
    assert "s3cret" not in result.stderr and "Traceback" not in result.stderr


def test_the_change_log_is_append_only(province: Cli) -> None:
    from sqlalchemy.exc import DBAPIError

    for statement in ("UPDATE change_log SET os_user = 'x'", "DELETE FROM change_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            province.sql(statement)
    assert province.sql("SELECT COUNT(*) FROM change_log") == [(8,)]


def test_db_upgrade_says_what_it_did(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    engine._create_ledger_file(old)
    first = engine.create_engine(engine.to_url(old))
    engine._migrate(first, "0002")
    first.dispose()
    cli = Cli(old, CliRunner())
    assert cli.ok("db", "upgrade").stdout.strip() == f"schema 0002 -> {engine.SCHEMA_REVISION}"
    assert len(list(tmp_path.glob("old.db.before-0002-*.bak"))) == 1


def test_a_busy_ledger_is_one_clear_line(province: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer waits for another (saying so once), and past the bound gives up in one line."""
    monkeypatch.setattr(engine, "QUIET_WAIT_SECONDS", 0.1)
    monkeypatch.setattr(engine, "WRITE_WAIT_SECONDS", 0.5)
    with holding_write_lock(province):
        before = province.dump()
        result = province("trip", "add", "--cadre", "GL04", "--date", "1/3/2024")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "doanfield: waiting for another doanfield that is writing… (up to 0.5 seconds)",
        "doanfield: error: the ledger is still busy after waiting 0.5 seconds: another doanfield "
        "has been writing all that time (a large import?); nothing was changed; try again later",
    ]
    assert province.dump() == before


def test_a_0005_ledger_with_data_is_upgraded_in_place(cli: Cli) -> None:
    """Migration 0006: trips gain an (empty) order and report, settings stay ledger-wide."""
    if cli.is_sqlite:
        engine._create_ledger_file(Path(cli.db))
    old = engine.create_engine(engine.to_url(cli.db))
    engine._migrate(old, "0005")
    with old.begin() as conn:
        for statement in (
            "INSERT INTO unit (id, code, name, level) VALUES (1, 'TD', 'Tỉnh Đoàn', 'province')",
            "INSERT INTO cadre (id, code, name, unit_id, position, category)"
            " VALUES (1, 'GL04', 'Nguyễn Thành Hưng', 1, '', 'provincial_staff')",
            'INSERT INTO trip (cadre_id, start, "end", kind, place, unit_id, program, note)'
            " VALUES (1, '2024-03-04', '2024-03-08', 'thematic', 'Ia Sol', 1, '', '')",
            "INSERT INTO policy_setting (key, from_year, value)"
            " VALUES ('field_days_per_year', 2024, '30')",
        ):
            conn.exec_driver_sql(statement)
    old.dispose()
    (trip,) = cli.ok("trip", "list", "--format", "json").json()
    assert (trip["cadre"], trip["start"], trip["end"], trip["unit"]) == (
        "GL04",
        "2024-03-04",
        "2024-03-08",
        "TD",
    )
    assert cli.sql("SELECT travel_order, report_date, report FROM trip") == [("", None, None)]
    assert cli.sql("SELECT key, from_year, unit_id FROM policy_setting") == [
        ("field_days_per_year", 2024, None)
    ]
    # 5 field days at the province's level, of ceil(30 * 366 / 366) = 30.
    (row,) = cli.ok("report", "compliance", "--year", "2024", "--format", "json").json()["rows"]
    assert (row["field_days"], row["required_days"], row["days_by_level"]) == (
        5,
        30,
        {"province": 5},
    )
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):  # one ledger-wide value per key and year
        cli.sql(
            "INSERT INTO policy_setting (key, from_year, value) "
            "VALUES ('field_days_per_year', 2024, '45')"
        )
