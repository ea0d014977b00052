"""Units and cadres over time (SPEC §6): the schema, its upgrade, and the commands over it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from doanfield import engine
from tests.conftest import Cli

# ------------------------------------------------------------------------ the upgrade


def _ledger_at(cli: Cli, revision: str) -> None:
    """An empty ledger at an older schema revision, on the fixture's engine."""
    if cli.is_sqlite:
        engine._create_ledger_file(Path(cli.db))
    old = engine.create_engine(engine.to_url(cli.db))
    engine._migrate(old, revision)
    old.dispose()


def test_a_0003_ledger_upgrades_with_postings_and_parents(cli: Cli, tmp_path: Path) -> None:
    """Every cadre's unit, category and position become their first posting, every parent a
    link from the beginning, every unit alive always; no trip, assignment or absence is lost
    (SQLite rebuilds the tables it drops columns from: with foreign keys on, that would have
    cascaded to the cadres' records)."""
    _ledger_at(cli, "0003")
    for statement in (
        "INSERT INTO unit (id, code, name, level, parent_id) VALUES "
        "(1, 'TD', 'Tỉnh Đoàn', 'province', NULL), (2, 'HD', 'Huyện Đoàn', 'district', 1), "
        "(3, 'X1', 'Đoàn xã Ia Sol', 'xã', 2)",
        "INSERT INTO cadre (id, code, name, unit_id, position, category, active_from) VALUES "
        "(1, 'GL04', 'Nguyễn Thành Hưng', 1, 'Chuyên viên', 'provincial_staff', NULL), "
        "(2, 'PT01', 'Trần Văn An', 2, 'Bí thư', 'district_key', '2020-01-01')",
        'INSERT INTO trip (cadre_id, start, "end", kind, place, unit_id, program, note) VALUES '
        "(1, '2024-03-01', '2024-03-02', 'thematic', 'Ia Sol', 3, '', ''), "
        "(2, '2024-04-01', '2024-04-01', 'other', '', NULL, '', '')",
        'INSERT INTO assignment (cadre_id, host_id, start, "end", role, decision, cancelled) '
        "VALUES (1, 2, '2024-02-19', '2024-05-18', 'Phó Bí thư', '', false)",
        'INSERT INTO absence (cadre_id, start, "end", reason) VALUES '
        "(2, '2024-09-01', '2024-09-30', 'study')",
    ):
        cli.sql(statement)
    cadres = cli.ok("cadre", "list", "--format", "json").json()
    # Vietnamese order: An before Hưng.
    assert [(c["code"], c["unit"], c["category"], c["position"]) for c in cadres] == [
        ("PT01", "HD", "district_key", "Bí thư"),
        ("GL04", "TD", "provincial_staff", "Chuyên viên"),
    ]
    assert cli.sql("SELECT cadre_id, unit_id, category, position, start FROM posting") == [
        (1, 1, "provincial_staff", "Chuyên viên", None),
        (2, 2, "district_key", "Bí thư", None),
    ]
    assert cli.sql("SELECT unit_id, parent_id, start FROM unit_parent ORDER BY unit_id") == [
        (2, 1, None),
        (3, 2, None),
    ]
    units = cli.ok("unit", "list", "--all", "--format", "json").json()
    # 'xã' became commune in 0005 on the way; every unit alive always, no successors.
    assert [
        (u["code"], u["parent"], u["level"], u["active_from"], u["active_to"]) for u in units
    ] == [
        ("TD", "", "province", "", ""),
        ("HD", "TD", "district", "", ""),
        ("X1", "HD", "commune", "", ""),
    ]
    assert cli.sql("SELECT COUNT(*) FROM trip") == [(2,)]
    assert cli.sql("SELECT COUNT(*) FROM assignment") == [(1,)]
    assert cli.sql("SELECT COUNT(*) FROM absence") == [(1,)]
    assert [c["active_from"] for c in cadres] == ["2020-01-01", ""]
    columns = {c for (c,) in _columns(cli, "cadre")}
    assert {"unit_id", "category", "position"}.isdisjoint(columns)
    assert "parent_id" not in {c for (c,) in _columns(cli, "unit")}
    # The rebuilt tables keep their constraints and references.
    with pytest.raises(DBAPIError):
        cli.sql("UPDATE cadre SET active_to = '2019-01-01' WHERE code = 'PT01'")
    store = engine.open_ledger(cli.db)  # with SQLite's foreign keys on, as doanfield runs
    try:
        for statement in (
            "INSERT INTO posting (cadre_id, unit_id, category, position) "
            "VALUES (1, 99, 'other', '')",
            'INSERT INTO trip (cadre_id, start, "end", kind, place, program, note) '
            "VALUES (99, '2024-01-01', '2024-01-01', 'other', '', '', '')",
            "DELETE FROM unit WHERE code = 'HD'",
        ):
            with pytest.raises(DBAPIError), store.engine.begin() as conn:
                conn.exec_driver_sql(statement)
    finally:
        store.engine.dispose()
    assert cli.ok("db", "check").stderr == ""
    report = cli.ok("report", "compliance", "--year", "2024", "--format", "json").json()
    assert [(r["cadre"], r["unit"], r["field_days"]) for r in report["rows"]] == [
        # Rows by unit: HD before TD. PT01: one day. GL04: trip 1-2 March inside the
        # assignment 19/2..18/5 (90 days: 11 + 31 + 30 + 18): 90.
        ("PT01", "HD", 1),
        ("GL04", "TD", 90),
    ]


def _columns(cli: Cli, table: str) -> list[tuple[str]]:
    if cli.is_sqlite:
        return [(row[1],) for row in cli.sql(f"PRAGMA table_info({table})")]
    return cli.sql(
        "SELECT column_name FROM information_schema.columns WHERE table_name = :t", t=table
    )
