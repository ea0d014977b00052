"""The same answers from PostgreSQL as from SQLite (SPEC §2: any SQLAlchemy URL).

Every test on the `cli` fixture already runs on both engines; this one compares the two engines'
answers on the examples ledger side by side.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli, PostgresServer

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
    postgres_server.drop_database(str(pg.db))
