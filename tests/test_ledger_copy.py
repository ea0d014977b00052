"""`db copy`: a whole ledger into an empty one, on the same engine or the other one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli

LISTS = [
    ("unit", "list", "--format", "json"),
    ("cadre", "list", "--format", "json"),
    ("trip", "list", "--format", "json"),
    ("assignment", "list", "--format", "json"),
    ("absence", "list", "--format", "json"),
    ("plan", "list", "--format", "json"),
    ("policy", "show", "--year", "2027"),
    ("log", "--limit", "100", "--format", "json"),
    ("report", "compliance", "--year", "2024", "--format", "json"),
]


def _fill(cli: Cli) -> None:
    cli.ok("trip", "add", "--cadre", "GL04", "--start", "1/3/2024", "--end", "3/3/2024")
    cli.ok("trip", "add", "--cadre", "PT01", "--date", "5/3/2024", "--kind", "thematic")
    stint = ["--start", "1/4/2024", "--months", "3", "--role", "Phó Bí thư"]
    cli.ok("assignment", "add", "--cadre", "GL01", "--host", "HD-PT", *stint)
    cli.ok("assignment", "cancel", "1")
    cli.ok("assignment", "add", "--cadre", "GL01", "--host", "HD-DC", *stint)
    away = ["--start", "1/6/2024", "--end", "30/6/2024", "--reason", "study"]
    cli.ok("absence", "add", "--cadre", "PT01", *away)
    cli.ok("plan", "add", "152-KH/TĐTN-TCKT", "--year", "2024", "--quota", "province=7")
    cli.ok("policy", "set", "field_days_per_year", "30", "--from-year", "2026")
    cli.ok("trip", "remove", "1")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_target(request: pytest.FixtureRequest, tmp_path: Path) -> Cli:
    if request.param == "sqlite":
        return Cli(tmp_path / "copy.db")
    server = request.getfixturevalue("postgres_server")
    return Cli(server.create_database())


def test_db_copy_keeps_everything(province: Cli, empty_target: Cli) -> None:
    _fill(province)
    result = province.ok("db", "copy", str(empty_target.db))
    assert "every table checked: the same rows" in result.stdout
    for args in LISTS:
        assert empty_target.ok(*args).stdout == province.ok(*args).stdout, args
    assert empty_target.ok("db", "check").stdout == ""
    # The copy goes on from where the ledger was: new ids follow the copied ones.
    added = empty_target.ok("trip", "add", "--cadre", "GL04", "--date", "9/9/2024")
    assert "#3" in added.stdout
    assert empty_target.ok("db", "check").stdout == ""


def test_db_copy_refuses_a_target_that_holds_records(province: Cli, empty_target: Cli) -> None:
    empty_target.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn", "--level", "province")
    before = empty_target.dump()
    result = province("db", "copy", str(empty_target.db))
    assert result.exit_code == 1
    assert "is not empty (1 in change_log, 1 in unit); db copy only fills an empty ledger" in (
        result.stderr
    )
    assert empty_target.dump() == before
