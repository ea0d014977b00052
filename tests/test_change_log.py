"""The change log is tamper-evident: chained by hash, guarded by triggers, checked by `db check`."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from doanfield import changelog
from tests.conftest import Cli

ENTRY = (
    "INSERT INTO change_log (id, at, os_user, command, entity, key, action, prev_hash, "
    "entry_hash) VALUES (:id, :at, 'x', 'x', 'unit', 'TD', 'add', :prev, 'forged')"
)


def _last(cli: Cli) -> tuple[int, str]:
    ((ident, own),) = cli.sql("SELECT id, entry_hash FROM change_log ORDER BY id DESC LIMIT 1")
    return ident, own


def test_every_entry_holds_the_hash_of_the_one_before(province: Cli) -> None:
    rows = province.sql("SELECT prev_hash, entry_hash FROM change_log ORDER BY id")
    assert len(rows) == 8  # 4 units and 4 cadres added by the fixture
    assert rows[0][0] == changelog.GENESIS
    for (_, earlier), (prev, _) in itertools.pairwise(rows):
        assert prev == earlier
    assert len({own for _, own in rows}) == 8
    assert province.ok("db", "check").stdout == ""


@pytest.mark.parametrize(
    "statement",
    [
        "REPLACE INTO change_log (id, at, os_user, command, entity, key, action, prev_hash, "
        "entry_hash) VALUES (1, '2030-01-01', 'x', 'x', 'unit', 'TD', 'add', '', '')",
        "INSERT OR REPLACE INTO change_log (id, at, os_user, command, entity, key, action, "
        "prev_hash, entry_hash) VALUES (2, '2030-01-01', 'x', 'x', 'unit', 'TD', 'add', '', '')",
    ],
)
@pytest.mark.sqlite_only
def test_sqlite_replace_cannot_rewrite_an_entry(province: Cli, statement: str) -> None:
    before = province.dump()
    with pytest.raises(DBAPIError, match="append-only"):
        province.sql(statement)
    assert province.dump() == before


def test_upsert_cannot_rewrite_an_entry(province: Cli) -> None:
    """PostgreSQL's REPLACE is INSERT … ON CONFLICT DO UPDATE; SQLite has it too (UPSERT)."""
    before = province.dump()
    _, own = _last(province)
    upsert = ENTRY + " ON CONFLICT (id) DO UPDATE SET os_user = 'intruder'"
    with pytest.raises(DBAPIError, match="append-only"):
        province.sql(upsert, id=1, at="2030-01-01 00:00:00", prev=own)
    assert province.dump() == before


def test_back_dated_and_unchained_entries_are_refused(province: Cli) -> None:
    before = province.dump()
    ident, own = _last(province)
    with pytest.raises(DBAPIError, match="dated before"):
        province.sql(ENTRY, id=ident + 1, at="2001-01-01 00:00:00", prev=own)
    with pytest.raises(DBAPIError, match="hash of the entry before"):
        province.sql(ENTRY, id=ident + 1, at="2099-01-01 00:00:00", prev=changelog.GENESIS)
    assert province.dump() == before


def _without_guards(cli: Cli, statement: str) -> None:
    """What someone with the database's own tools could do: lift the guards, change, restore."""
    if cli.is_sqlite:
        cli.sql("DROP TRIGGER change_log_no_update")
        cli.sql("DROP TRIGGER change_log_no_delete")
        cli.sql(statement)
        for event in ("update", "delete"):
            cli.sql(
                f"CREATE TRIGGER change_log_no_{event} BEFORE {event.upper()} ON change_log "
                "BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END"
            )
    else:
        cli.sql("ALTER TABLE change_log DISABLE TRIGGER change_log_append_only")
        cli.sql(statement)
        cli.sql("ALTER TABLE change_log ENABLE TRIGGER change_log_append_only")


def test_db_check_names_the_first_rewritten_entry(province: Cli) -> None:
    _without_guards(province, "UPDATE change_log SET os_user = 'someone else' WHERE id = 3")
    result = province("db", "check")
    assert result.exit_code == 1
    assert "change log entry #3 was changed after it was written" in result.stderr


def test_db_check_notices_a_removed_entry(province: Cli) -> None:
    _without_guards(province, "DELETE FROM change_log WHERE id = 5")
    result = province("db", "check")
    assert result.exit_code == 1
    assert "change log entry #6 does not follow entry #4" in result.stderr


def test_db_check_notices_a_back_dated_entry(province: Cli) -> None:
    """An entry re-dated (and re-hashed) behind the guards' back is still out of order."""
    stamp = "'2001-01-01 00:00:00'" if province.is_sqlite else "'2001-01-01 00:00:00+00'"
    _without_guards(province, f"UPDATE change_log SET at = {stamp} WHERE id = 8")
    result = province("db", "check")
    assert result.exit_code == 1 and "change log entry #8" in result.stderr


def test_db_check_notices_a_missing_guard(province: Cli) -> None:
    if province.is_sqlite:
        province.sql("DROP TRIGGER change_log_insert_checks")
    else:
        province.sql("ALTER TABLE change_log DISABLE TRIGGER change_log_insert_checks")
    result = province("db", "check")
    assert result.exit_code == 1
    assert "the change log's guard 'change_log_insert_checks' is missing" in result.stderr


def test_a_failed_command_logs_nothing_and_the_chain_goes_on(province: Cli) -> None:
    assert province("unit", "add", "TD", "--name", "x", "--level", "province").exit_code == 1
    province.ok("trip", "add", "--cadre", "GL04", "--date", "1/3/2024")
    assert len(province.sql("SELECT id FROM change_log")) == 9
    assert province.ok("db", "check").stdout == ""


def test_the_upgrade_chains_the_entries_already_there(cli: Cli) -> None:
    from sqlalchemy import create_engine, text

    from doanfield import engine

    if cli.is_sqlite:
        engine._create_ledger_file(Path(cli.db))
    old = create_engine(engine.to_url(cli.db))
    engine._migrate(old, "0003")
    with old.begin() as conn:
        for minute in (1, 2, 3):
            conn.execute(
                text(
                    "INSERT INTO change_log (at, os_user, command, entity, key, action, after) "
                    f"VALUES ('2024-03-01 08:0{minute}:00', 'clerk', 'doanfield unit add', "
                    f"'unit', 'U{minute}', 'add', '{{}}')"
                )
            )
    old.dispose()
    cli.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn", "--level", "province")
    rows = cli.sql("SELECT id, key, prev_hash, entry_hash FROM change_log ORDER BY id")
    assert [key for _, key, _, _ in rows] == ["U1", "U2", "U3", "TD"]
    assert rows[0][2] == changelog.GENESIS
    assert all(prev == earlier for (*_, earlier), (_, _, prev, _) in itertools.pairwise(rows))
    assert cli.ok("db", "check").stdout == ""


def test_every_import_logs_alike(cli: Cli, tmp_path: Path) -> None:
    """One rule for every kind: the import's own entry with its counts, and an entry per record
    it adds, with the record after, as the commands log them; trips (a file may hold a million)
    have the import's entry only."""
    files = {
        "units": "code,name,level,parent\nTD,Tỉnh Đoàn Hòa Bình,province,\nHD,Huyện Đoàn Lạc Sơn,"
        "district,TD\n",
        "cadres": "code,name,unit\nA1,Bùi Văn Tâm,TD\nA2,Quách Thị Hoa,HD\n",
        "plans": "plan,year,level,target\n9-KH,2024,province,1\n9-KH,2024,district,2\n",
        "trips": "cadre,start\nA1,1/3/2024\nA2,2/3/2024\n",
        "assignments": "cadre,host,start,months\nA1,HD,1/4/2024,3\n",
        "absences": "cadre,start,end,reason\nA2,1/9/2024,30/9/2024,sick\n",
    }
    for kind, body in files.items():
        path = tmp_path / f"{kind}.csv"
        path.write_text(body)
        cli.ok("import", kind, str(path))
    entries = list(reversed(cli.ok("log", "--limit", "100", "--format", "json").json()))
    got = [(e["entity"], e["key"], e["action"]) for e in entries]
    assert got == [
        ("unit", "TD", "add"),
        ("unit", "HD", "add"),
        ("units", "units.csv", "import"),
        ("cadre", "A1", "add"),
        ("cadre", "A2", "add"),
        ("cadres", "cadres.csv", "import"),
        ("plan", "9-KH", "add"),
        ("plans", "plans.csv", "import"),
        ("trips", "trips.csv", "import"),
        ("assignment", "#1", "add"),
        ("assignments", "assignments.csv", "import"),
        ("absence", "#1", "add"),
        ("absences", "absences.csv", "import"),
    ]
    assert json.loads(entries[3]["after"])["name"] == "Bùi Văn Tâm"
    assert json.loads(entries[8]["after"]) == {"added": 2, "updated": 0, "skipped": 0}
    assert cli.ok("db", "check").stdout == ""  # the chain holds across the batch
