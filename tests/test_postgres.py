"""The same answers from PostgreSQL as from SQLite (SPEC §2: any SQLAlchemy URL).

Every test on the `cli` fixture already runs on both engines; this one compares the two engines'
answers on the examples ledger side by side.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from doanfield.engine import SCHEMA_REVISION
from tests.conftest import Cli, PostgresServer, Result

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _load(cli: Cli) -> None:
    for kind in ("units", "cadres", "plans", "assignments", "absences"):
        cli.ok("import", kind, str(EXAMPLES / f"{kind}.csv"))
    for path in sorted(EXAMPLES.glob("trips*.csv")):
        cli.ok("import", "trips", str(path))


def test_postgresql_gives_the_same_answers(postgres_server: PostgresServer, tmp_path: Path) -> None:
    pg, lite = Cli(postgres_server.create_database()), Cli(tmp_path / "ledger.db")
    _load(pg)
    _load(lite)
    for args in [
        ("report", "compliance", "--year", "2024", "--format", "json"),
        ("report", "compliance", "--year", "2024", "--unit", "HD-PT", "--format", "json"),
        ("report", "summary", "--year", "2023", "--format", "json"),
        ("report", "weekly", "--year", "2024", "--format", "json"),
        ("report", "plan", "152-KH/TĐTN-TCKT", "--format", "json"),
        ("cadre", "list", "--format", "json"),
        ("trip", "list", "--year", "2024", "--format", "json"),
        ("assignment", "list", "--format", "json"),
        ("export", "units", "--format", "json"),
    ]:
        assert pg.ok(*args).json() == lite.ok(*args).json(), args
    assert " 0 added" in pg.ok("import", "trips", str(EXAMPLES / "trips-2023.csv")).stdout
    failed = pg("import", "trips", str(EXAMPLES / "cadres.csv"))
    assert failed.exit_code == 1
    assert pg.ok("db", "check").stdout == ""
    assert pg.ok("db", "upgrade").stdout.strip() == f"schema at {SCHEMA_REVISION}, nothing to do"
    postgres_server.drop_database(str(pg.db))


def _one_line(result: Result) -> str:
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stderr and "psycopg" not in result.stderr
    (line,) = result.stderr.splitlines()
    return line


def test_an_unreachable_server_is_one_clear_line() -> None:
    # Port 1 on the loopback: nothing listens there.
    cli = Cli("postgresql+psycopg://clerk:s3cret@127.0.0.1:1/doan?connect_timeout=5")
    line = _one_line(cli("unit", "list"))
    assert line.startswith(
        "doanfield: error: cannot reach the PostgreSQL server at 127.0.0.1:1 (database 'doan'): "
        "is the server running, and are the host and port in --db right?"
    )
    assert "s3cret" not in line


def test_a_missing_database_and_an_unknown_user_are_one_clear_line(
    postgres_server: PostgresServer,
) -> None:
    missing = Cli(postgres_server.base.set(database="no_such_ledger").render_as_string(False))
    line = _one_line(missing("unit", "list"))
    assert line.endswith(
        "has no database 'no_such_ledger': check the name in --db, "
        "or create it first (createdb no_such_ledger)"
    )
    stranger = Cli(
        postgres_server.base.set(username="stranger", password="s3cret").render_as_string(False)
    )
    line = _one_line(stranger("unit", "list"))
    assert "refused user 'stranger': check the user name and the password" in line
    assert "s3cret" not in line


@pytest.mark.postgresql_only
def test_a_user_without_rights_is_one_clear_line(province: Cli) -> None:
    """A desk given only the right to read: reports work, a change is refused in one line."""
    from sqlalchemy.engine import make_url

    name = make_url(str(province.db)).database
    province.sql("DROP ROLE IF EXISTS reader")
    province.sql("CREATE ROLE reader LOGIN")
    province.sql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader")
    reader = Cli(make_url(str(province.db)).set(username="reader").render_as_string(False))
    assert len(reader.ok("cadre", "list", "--format", "json").json()) == 4
    before = province.dump()
    line = _one_line(reader("unit", "add", "X", "--name", "x", "--level", "commune"))
    assert line.startswith("doanfield: error: PostgreSQL user 'reader' lacks a permission on ")
    assert f"(database '{name}')" in line and line.endswith("nothing was changed")
    assert province.dump() == before
    province.sql("DROP OWNED BY reader")
    province.sql("DROP ROLE reader")


@pytest.mark.postgresql_only
def test_a_lost_connection_is_one_clear_line_and_changes_nothing(
    province: Cli, tmp_path: Path
) -> None:
    import subprocess
    import sys
    import time

    lines = "".join(f"GL01,{1 + i % 28}/{1 + i % 12}/2024,,other,T{i}\n" for i in range(300_000))
    big = tmp_path / "big.csv"
    big.write_text("cadre,start,end,kind,place\n" + lines, encoding="utf-8")
    before = province.dump()
    importer = subprocess.Popen(
        [sys.executable, "-m", "doanfield", "--db", str(province.db), "import", "trips", str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The server ends the import's session once it has begun writing (holds the write lock).
    for _ in range(300):
        held = province.sql(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> "
            "pg_backend_pid()"
        )
        if held:
            break
        time.sleep(0.1)
    assert held, "the import never took the write lock"
    province.sql("SELECT pg_terminate_backend(:pid)", pid=held[0][0])
    _, err = importer.communicate(timeout=120)
    assert importer.returncode == 1
    assert len(err.splitlines()) == 1, err
    line = err.strip()
    assert line.startswith("doanfield: error: lost the connection to the PostgreSQL server at ")
    assert line.endswith(
        "during the command; nothing was changed; check that the server is running and try again"
    )
    assert province.dump() == before
