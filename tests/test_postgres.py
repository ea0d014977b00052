"""The same answers from PostgreSQL as from SQLite (SPEC §2: any SQLAlchemy URL).

Runs when DOANFIELD_TEST_PG_URL names a PostgreSQL server the tests may create databases on,
e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres (needs `pip install -e '.[postgres]'`).
Each run works in a new database of its own and drops it afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from doanfield.engine import SCHEMA_REVISION
from tests.conftest import Cli

SERVER = os.environ.get("DOANFIELD_TEST_PG_URL")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
pytestmark = pytest.mark.skipif(not SERVER, reason="DOANFIELD_TEST_PG_URL is not set")


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    assert SERVER is not None
    server = make_url(SERVER)
    name = f"doanfield_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _load(cli: Cli) -> None:
    for kind in ("units", "cadres", "plans", "assignments", "absences"):
        cli.ok("import", kind, str(EXAMPLES / f"{kind}.csv"))
    for path in sorted(EXAMPLES.glob("trips*.csv")):
        cli.ok("import", "trips", str(path))


def test_postgresql_gives_the_same_answers(postgres: str, tmp_path: Path) -> None:
    pg, lite = Cli(postgres, CliRunner()), Cli(tmp_path / "ledger.db", CliRunner())
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
