"""Units and cadres over time (SPEC §6): the schema, its upgrade, and the commands over it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from doanfield import engine
from tests.conftest import Cli, Ledgers, Result

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


# ------------------------------------------------------------------------ a reorganisation
#
# Two fictional provinces before 1 July 2025:
#   TD  Tỉnh Đoàn Gia Lai (old) ── HD-PT (district) ── X-PT1 (commune)
#                               └─ HD-DC (district) ── X-DC1, X-DC2 (communes)
#   BD  Tỉnh Đoàn Bình Định     ── HD-QN (district)
# On 30/6/2025 (their last day): X-DC1 and X-DC2 merge into X-DC12 (new, under GL); X-PT1 moves
# under GL; PT01 moves to GL as `other` (no longer a training category); HD-PT, HD-DC, TD and BD
# close into GL (new province from 1/7/2025): the cadres still in them follow, and HD-QN (still
# alive) moves under GL. LEFT01 left the post on 30/6/2025 and follows nobody.
#
# Cadres (unit, category) before the reform, and their trips:
#   GL04   TD     provincial_staff   2024-06-01 (1 day); 2025-09-01..05 at X-PT1 (5)
#   PT01   HD-PT  district_key       2024-03-01..03 at X-PT1 (3); 2025-08-01..02 at X-PT1 (2);
#                                    assignment 1/3/2025 for 3 months at X-PT1 (1/3..31/5: 92)
#   DC01   HD-DC  district_key       2025-06-20 at X-DC1 (1); 2025-07-10 at X-DC12 (1);
#                                    assignment 1/8/2025 for 3 months at X-DC12 (1/8..31/10: 92)
#   LEFT01 HD-DC  other, to 30/6/25  2025-03-03 (1)
#   X1C    X-DC1  other              2025-04-04 (1)
#   BD01   BD     provincial_leader  2025-02-02 (1)
#   QN01   HD-QN  district_key       none
TODAY = "2026-01-15"
REFORM_EVE = "30/6/2025"


def run(cli: Cli, *args: str, lang: str | None = None) -> Result:
    return cli(*args, today=TODAY, lang=lang)


def ok(cli: Cli, *args: str, lang: str | None = None) -> Result:
    result = run(cli, *args, lang=lang)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def refused(cli: Cli, *args: str, lang: str | None = None, lines: int = 1) -> str:
    """A command that must be refused: exit 1, one line (an import: one more per bad row), no
    traceback, the ledger unchanged."""
    before = cli.dump()
    result = run(cli, *args, lang=lang)
    assert result.exit_code == 1, (args, result.stdout, result.stderr)
    assert result.stderr.count("\n") == lines and "Traceback" not in result.stderr
    assert cli.dump() == before
    label = "lỗi" if lang == "vi" else "error"
    return result.stderr.removeprefix(f"doanfield: {label}: ").strip()


def _build_before(cli: Cli) -> Cli:
    for code, name, level, parent in (
        ("TD", "Tỉnh Đoàn Gia Lai", "province", None),
        ("BD", "Tỉnh Đoàn Bình Định", "province", None),
        ("HD-PT", "Huyện Đoàn Phú Thiện", "district", "TD"),
        ("HD-DC", "Huyện Đoàn Đức Cơ", "district", "TD"),
        ("HD-QN", "Huyện Đoàn Quy Nhơn", "district", "BD"),
        ("X-PT1", "Đoàn xã Ia Sol", "commune", "HD-PT"),
        ("X-DC1", "Đoàn xã Ia Dơk", "commune", "HD-DC"),
        ("X-DC2", "Đoàn xã Ia Krêl", "commune", "HD-DC"),
    ):
        ok(
            cli,
            "unit",
            "add",
            code,
            "--name",
            name,
            "--level",
            level,
            *(("--parent", parent) if parent else ()),
        )
    ok(
        cli,
        "unit",
        "add",
        "GL",
        "--name",
        "Tỉnh Đoàn Gia Lai",
        "--level",
        "province",
        "--from",
        "1/7/2025",
    )
    ok(
        cli,
        "unit",
        "add",
        "X-DC12",
        "--name",
        "Đoàn xã Ia Dơk",
        "--level",
        "commune",
        "--parent",
        "GL",
        "--from",
        "1/7/2025",
    )
    for code, name, unit, category, birth, *rest in (
        ("GL04", "Nguyễn Thành Hưng", "TD", "provincial_staff", "14/5/1992"),
        ("PT01", "Trần Văn An", "HD-PT", "district_key", "4/4/1990"),
        ("DC01", "Lê Thị Ánh", "HD-DC", "district_key", "9/9/1988"),
        ("LEFT01", "Phạm Văn Bình", "HD-DC", "other", "1/1/1995", "--active-to", REFORM_EVE),
        ("X1C", "Rơ Chăm Hiếu", "X-DC1", "other", "2/2/1998"),
        ("BD01", "Đặng Quốc Cường", "BD", "provincial_leader", "3/3/1985"),
        ("QN01", "Võ Thị Dung", "HD-QN", "district_key", "5/5/1991"),
    ):
        ok(
            cli,
            "cadre",
            "add",
            code,
            "--name",
            name,
            "--unit",
            unit,
            "--category",
            category,
            "--birth",
            birth,
            *rest,
        )
    for cadre, start, end, host in (
        ("GL04", "1/6/2024", "1/6/2024", None),
        ("PT01", "1/3/2024", "3/3/2024", "X-PT1"),
        ("DC01", "20/6/2025", "20/6/2025", "X-DC1"),
        ("LEFT01", "3/3/2025", "3/3/2025", None),
        ("X1C", "4/4/2025", "4/4/2025", None),
        ("BD01", "2/2/2025", "2/2/2025", None),
    ):
        ok(
            cli,
            "trip",
            "add",
            "--cadre",
            cadre,
            "--start",
            start,
            "--end",
            end,
            *(("--unit", host) if host else ()),
        )
    ok(
        cli,
        "plan",
        "add",
        "P25",
        "--year",
        "2025",
        "--quota",
        "province=2",
        "--quota",
        "district=2",
        "--max-age",
        "province=30",
    )
    ok(
        cli,
        "assignment",
        "add",
        "--cadre",
        "PT01",
        "--host",
        "X-PT1",
        "--start",
        "1/3/2025",
        "--months",
        "3",
        "--plan",
        "P25",
    )
    return cli


REFORM = (
    ("unit", "close", "X-DC1", "--on", REFORM_EVE, "--into", "X-DC12"),
    ("unit", "close", "X-DC2", "--on", REFORM_EVE, "--into", "X-DC12"),
    ("unit", "move", "X-PT1", "--parent", "GL", "--from", "1/7/2025"),
    (
        "cadre",
        "move",
        "PT01",
        "--unit",
        "GL",
        "--from",
        "1/7/2025",
        "--category",
        "other",
        "--position",
        "Chuyên viên",
    ),
    ("unit", "close", "HD-PT", "--on", REFORM_EVE, "--into", "GL"),
    ("unit", "close", "HD-DC", "--on", REFORM_EVE, "--into", "GL"),
    ("unit", "close", "TD", "--on", REFORM_EVE, "--into", "GL"),
    ("unit", "close", "BD", "--on", REFORM_EVE, "--into", "GL"),
)


def _build_after(cli: Cli) -> Cli:
    _build_before(cli)
    for step in REFORM:
        ok(cli, *step)
    for cadre, start, end, host in (
        ("PT01", "1/8/2025", "2/8/2025", "X-PT1"),
        ("DC01", "10/7/2025", "10/7/2025", "X-DC12"),
        ("GL04", "1/9/2025", "5/9/2025", "X-PT1"),
    ):
        ok(cli, "trip", "add", "--cadre", cadre, "--start", start, "--end", end, "--unit", host)
    ok(
        cli,
        "assignment",
        "add",
        "--cadre",
        "DC01",
        "--host",
        "X-DC12",
        "--start",
        "1/8/2025",
        "--months",
        "3",
        "--plan",
        "P25",
    )
    return cli


@pytest.fixture
def before(ledgers: Ledgers, tmp_path: Path) -> Iterator[Cli]:
    made = ledgers.prepared("reform-before", _build_before, tmp_path)
    yield made
    ledgers.discard(made)


@pytest.fixture
def after(ledgers: Ledgers, tmp_path: Path) -> Iterator[Cli]:
    made = ledgers.prepared("reform-after", _build_after, tmp_path)
    yield made
    ledgers.discard(made)


def test_closing_into_one_successor_moves_what_is_left(before: Cli) -> None:
    """HD-DC into GL on 30/6/2025: DC01 (in post on 1/7) follows, LEFT01 (post ended 30/6)
    does not; X-DC1 and X-DC2, still alive on 1/7 and under HD-DC, move under GL."""
    result = ok(before, "unit", "close", "HD-DC", "--on", REFORM_EVE, "--into", "GL")
    assert result.stdout.splitlines() == [
        "unit HD-DC closed on 2025-06-30 (successors: GL)",
        "moved to GL from 2025-07-01: cadre DC01, unit X-DC1, unit X-DC2",
    ]
    log = ok(before, "log", "--limit", "4", "--format", "json").json()
    assert [(e["entity"], e["key"], e["action"]) for e in log] == [
        ("unit", "X-DC2", "move"),
        ("unit", "X-DC1", "move"),
        ("cadre", "DC01", "move"),
        ("unit", "HD-DC", "close"),
    ]
    assert json.loads(log[2]["after"]) == {
        "unit": "GL",
        "category": "district_key",
        "position": "",
        "from": "2025-07-01",
    }
    assert json.loads(log[2]["before"]) == {
        "unit": "HD-DC",
        "category": "district_key",
        "position": "",
        "from": "",
    }
    sheet = ok(before, "cadre", "show", "DC01", "--format", "json").json()
    assert sheet["postings"] == [
        {
            "unit": "HD-DC",
            "category": "district_key",
            "position": "",
            "start": "",
            "end": "2025-06-30",
        },
        {
            "unit": "GL",
            "category": "district_key",
            "position": "",
            "start": "2025-07-01",
            "end": "",
        },
    ]
    left = ok(before, "cadre", "show", "LEFT01", "--format", "json").json()
    assert [p["unit"] for p in left["postings"]] == ["HD-DC"]
    tree = ok(before, "unit", "list", "--on", "1/7/2025", "--format", "json").json()
    assert [(u["code"], u["parent"]) for u in tree] == [
        ("BD", ""),
        ("HD-QN", "BD"),
        ("GL", ""),
        ("X-DC1", "GL"),
        ("X-DC12", "GL"),
        ("X-DC2", "GL"),
        ("TD", ""),
        ("HD-PT", "TD"),
        ("X-PT1", "HD-PT"),
    ]
    assert ok(
        before, "unit", "close", "X-DC1", "--on", REFORM_EVE, "--into", "X-DC12", lang="vi"
    ).stdout.splitlines() == [
        "đã giải thể đơn vị X-DC1 ngày 30/06/2025 (đơn vị kế tục: X-DC12)",
        "đã chuyển sang X-DC12 từ ngày 01/07/2025: cán bộ X1C",
    ]
    # Again, the same: nothing to do.
    again = ok(before, "unit", "close", "HD-DC", "--on", REFORM_EVE, "--into", "GL")
    assert (
        again.stdout.strip() == "unit HD-DC was already closed on 2025-06-30 with these successors"
    )


@pytest.mark.parametrize("into", [(), ("GL", "X-DC12")])
def test_closing_with_several_successors_or_none_lists_what_is_left(
    before: Cli, into: tuple[str, ...]
) -> None:
    args = [a for code in into for a in ("--into", code)]
    message = refused(before, "unit", "close", "HD-DC", "--on", REFORM_EVE, *args)
    assert message == (
        "unit HD-DC cannot close on 2025-06-30: still named after it by cadre DC01, unit X-DC1, "
        "unit X-DC2; with several successors or none, move or close them first"
    )
    vi = refused(before, "unit", "close", "HD-DC", "--on", REFORM_EVE, *args, lang="vi")
    assert vi == (
        "không thể giải thể đơn vị HD-DC ngày 30/06/2025: sau ngày đó vẫn còn cán bộ DC01, "
        "đơn vị X-DC1, đơn vị X-DC2; khi có nhiều hoặc không có đơn vị kế tục, hãy chuyển "
        "hoặc giải thể chúng trước"
    )


def test_closing_refuses_hosted_records_and_bad_successors(before: Cli) -> None:
    ok(before, "trip", "add", "--cadre", "PT01", "--date", "3/7/2025", "--unit", "HD-PT")
    assert refused(before, "unit", "close", "HD-PT", "--on", REFORM_EVE, "--into", "TD") == (
        "unit HD-PT cannot close on 2025-06-30: still named after it by trip #7; correct the "
        "trips and assignments hosted by it after its last day first"
    )
    assert refused(before, "unit", "close", "HD-PT", "--on", "30/6/2024", "--into", "GL") == (
        "successor GL of unit HD-PT does not exist on 2024-07-01, the day after its last "
        "(it exists from 2025-07-01)"
    )
    assert refused(before, "unit", "close", "HD-PT", "--on", REFORM_EVE, "--into", "HD-PT") == (
        "unit HD-PT cannot be its own successor"
    )
    assert refused(before, "unit", "close", "GL", "--on", "1/1/2025") == (
        "unit GL cannot close on 2025-01-01: it exists only from 2025-07-01"
    )
    assert refused(before, "unit", "close", "NOPE", "--on", REFORM_EVE).startswith(
        "unknown unit 'NOPE'"
    )
    bad_date = run(before, "unit", "close", "HD-PT", "--on", "31/6/2025")
    assert bad_date.exit_code == 2 and "31/6/2025" in bad_date.stderr


def test_a_closed_unit_cannot_close_again(after: Cli) -> None:
    assert refused(after, "unit", "close", "HD-PT", "--on", "31/12/2025", "--into", "GL") == (
        "unit HD-PT is already closed: its last day is 2025-06-30 (successors: GL)"
    )


def _rows(cli: Cli, *args: str) -> list[tuple[str, str, str, int, int, bool]]:
    report = ok(cli, "report", "compliance", *args, "--format", "json").json()
    return [
        (
            r["cadre"],
            r["unit"],
            r["category"],
            r["field_days"],
            r["required_days"],
            r["training_required"],
        )
        for r in report["rows"]
    ]


# 2024: nobody has moved yet; 60 days a year, full year: 60 required of everyone.
ALL_2024 = [
    ("BD01", "BD", "provincial_leader", 0, 60, True),
    ("DC01", "HD-DC", "district_key", 0, 60, True),
    ("LEFT01", "HD-DC", "other", 0, 60, False),
    ("PT01", "HD-PT", "district_key", 3, 60, True),  # 1-3/3/2024
    ("QN01", "HD-QN", "district_key", 0, 60, True),
    ("GL04", "TD", "provincial_staff", 1, 60, True),  # 1/6/2024
    ("X1C", "X-DC1", "other", 0, 60, False),
]


def test_2024_reports_show_the_organisation_as_it_was(after: Cli) -> None:
    """Rows in unit order, then Vietnamese name order within a unit (Ánh before Bình)."""
    assert _rows(after, "--year", "2024") == ALL_2024
    # The new province covers both old ones and everything under them (its predecessors).
    assert _rows(after, "--year", "2024", "--unit", "GL") == ALL_2024
    # The old Gia Lai: its districts and communes, not Bình Định's.
    assert [r[0] for r in _rows(after, "--year", "2024", "--unit", "TD")] == [
        "DC01",
        "LEFT01",
        "PT01",
        "GL04",
        "X1C",
    ]
    assert _rows(after, "--year", "2024", "--unit", "HD-PT") == [
        ("PT01", "HD-PT", "district_key", 3, 60, True)
    ]
    assert _rows(after, "--year", "2024", "--unit", "BD") == [ALL_2024[0], ALL_2024[4]]


def test_2025_reports_show_each_cadres_last_posting(after: Cli) -> None:
    """Each row: the posting on the cadre's last day in post in 2025 (31/12, or 30/6 for
    LEFT01); within GL by given name: An, Ánh, Cường, Hưng. Field days (trips and
    assignments, each day once):
      BD01 1 (2/2); DC01 1 (20/6) + 1 (10/7) + 92 (1/8..31/10) = 94; GL04 5 (1..5/9);
      PT01 92 (1/3..31/5) + 2 (1..2/8) = 94; X1C 1 (4/4);
      LEFT01 1 (3/3), required ceil(60 * 181 / 365) = ceil(29.75) = 30 (1/1..30/6 is 181 days);
      QN01 0.
    PT01 is `other` from 1/7: no training required in 2025 (it was in 2024)."""
    expected = [
        ("PT01", "GL", "other", 94, 60, False),
        ("DC01", "GL", "district_key", 94, 60, True),
        ("BD01", "GL", "provincial_leader", 1, 60, True),
        ("GL04", "GL", "provincial_staff", 5, 60, True),
        ("LEFT01", "HD-DC", "other", 1, 30, False),
        ("QN01", "HD-QN", "district_key", 0, 60, True),
        ("X1C", "X-DC12", "other", 1, 60, False),
    ]
    assert _rows(after, "--year", "2025") == expected
    # GL for 2025 covers everything: its predecessors and what was under them, HD-QN (under GL
    # from 1/7), X-DC12, and LEFT01 who left at the reform.
    assert _rows(after, "--year", "2025", "--unit", "GL") == expected
    # HD-PT for 2025: X-PT1 was under it until 30/6, but nobody's last posting is there.
    assert _rows(after, "--year", "2025", "--unit", "HD-PT") == []
    assert _rows(after, "--year", "2025", "--unit", "HD-DC") == [expected[4]]
    assert _rows(after, "--year", "2025", "--unit", "TD") == [expected[4]]
    # The merged commune covers the communes it was formed from.
    assert _rows(after, "--year", "2025", "--unit", "X-DC12") == [expected[6]]
    # Halfway through the year, the rows show the postings of 30/6/2025: the old units.
    # Required by 30/6: ceil(60 * 181 / 365) = 30.
    half = _rows(after, "--year", "2025", "--as-of", REFORM_EVE, "--unit", "GL")
    assert [(r[0], r[1], r[2]) for r in half] == [
        ("BD01", "BD", "provincial_leader"),
        ("DC01", "HD-DC", "district_key"),
        ("LEFT01", "HD-DC", "other"),
        ("PT01", "HD-PT", "district_key"),
        ("QN01", "HD-QN", "district_key"),
        ("GL04", "TD", "provincial_staff"),
        ("X1C", "X-DC1", "other"),
    ]
    weekly = ok(after, "report", "weekly", "--year", "2025", "--unit", "TD", "--format", "json")
    assert [r["cadre"] for r in weekly.json()["rows"]] == ["LEFT01"]
    summary = ok(after, "report", "summary", "--year", "2025", "--unit", "X-DC12", "-f", "json")
    assert summary.json()["field_days"] == 1  # X1C's 4/4/2025


def test_a_unit_that_existed_on_no_day_of_the_period(after: Cli) -> None:
    """HD-PT closed on 30/6/2025 and nothing named it a successor: refused for 2026 (whose
    period, on 1/3/2026, runs 1/1..1/3/2026), naming its dates and successors. GL for 2024
    did not exist either, but was formed from units that did (reported above)."""
    before = after.dump()
    result = after("report", "compliance", "--year", "2026", "--unit", "HD-PT", today="2026-03-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "doanfield: error: unit 'HD-PT' existed on no day of 2026-01-01 to 2026-03-01 and was "
        "formed from no unit that did (it exists until 2025-06-30; successors: GL)\n"
    )
    vi = after(
        "report", "weekly", "--year", "2026", "--unit", "HD-PT", today="2026-03-01", lang="vi"
    )
    assert vi.exit_code == 1
    assert vi.stderr == (
        "doanfield: lỗi: đơn vị 'HD-PT' không tồn tại ngày nào trong khoảng 01/01/2026 đến "
        "01/03/2026 và không được hình thành từ đơn vị nào tồn tại trong khoảng đó (đơn vị "
        "tồn tại đến 30/06/2025; đơn vị kế tục: GL)\n"
    )
    summary = after("report", "summary", "--year", "2026", "--unit", "HD-PT", today="2026-03-01")
    assert summary.exit_code == 1 and "existed on no day" in summary.stderr
    assert after.dump() == before


def test_plan_levels_are_taken_at_each_assignments_start(after: Cli) -> None:
    """PT01's assignment starts 1/3/2025, when PT01 is at HD-PT (district); DC01's starts
    1/8/2025, when DC01 is at GL (province). Both ended by 31/12/2025. DC01, born 9/9/1988,
    is 36 on 1/8/2025, over the province limit of 30."""
    report = ok(after, "report", "plan", "P25", "--format", "json").json()
    assert [(q["level"], q["target"], q["assigned"], q["completed"]) for q in report["quotas"]] == [
        ("province", 2, 1, 1),
        ("district", 2, 1, 1),
    ]
    assert report["violations"] == [{"assignment": 2, "cadre": "DC01", "age": 36, "max_age": 30}]


# ------------------------------------------------------------------------ units' lives refused


def test_records_naming_a_unit_on_days_it_did_not_exist(after: Cli) -> None:
    assert refused(
        after, "trip", "add", "--cadre", "DC01", "--date", "3/7/2025", "--unit", "HD-DC"
    ) == (
        "trip on 2025-07-03 of DC01 is hosted by a unit that does not exist then: the last day "
        "of HD-DC is 2025-06-30 (successors: GL)"
    )
    assert refused(
        after, "trip", "add", "--cadre", "DC01", "--date", "3/7/2025", "--unit", "HD-DC", lang="vi"
    ) == (
        "đợt đi cơ sở ngày 03/07/2025 của DC01 tại đơn vị không tồn tại vào thời gian đó: ngày "
        "cuối của HD-DC là 30/06/2025 (đơn vị kế tục: GL)"
    )
    # A trip across the last day.
    assert "the last day of HD-DC is 2025-06-30" in refused(
        after,
        "trip",
        "add",
        "--cadre",
        "DC01",
        "--start",
        "29/6/2025",
        "--end",
        "2/7/2025",
        "--unit",
        "HD-DC",
    )
    assert refused(after, "trip", "edit", "1", "--unit", "GL") == (
        "trip #1 on 2024-06-01 of GL04 is hosted by a unit that does not exist then: GL exists "
        "only from 2025-07-01"
    )
    assert refused(
        after,
        "assignment",
        "add",
        "--cadre",
        "QN01",
        "--host",
        "X-DC12",
        "--start",
        "1/6/2025",
        "--months",
        "1",
    ) == (
        "assignment 2025-06-01 to 2025-06-30 of QN01 is hosted by a unit that does not exist "
        "then: X-DC12 exists only from 2025-07-01"
    )
    assert refused(after, "cadre", "move", "QN01", "--unit", "HD-PT", "--from", "1/8/2025") == (
        "QN01 would be posted to HD-PT from 2025-08-01, when it does not exist: the last day of "
        "HD-PT is 2025-06-30 (successors: GL)"
    )
    assert refused(after, "cadre", "add", "N1", "--name", "Mới", "--unit", "GL") == (
        "N1 would be posted to GL at all times, when it does not exist: GL exists only from "
        "2025-07-01"
    )
    ok(after, "cadre", "add", "N1", "--name", "Mới", "--unit", "GL", "--active-from", "1/7/2025")
    assert refused(after, "cadre", "edit", "N1", "--active-from", "1/1/2025") == (
        "N1 would be posted to GL from 2025-01-01, when it does not exist: GL exists only from "
        "2025-07-01"
    )
    assert refused(
        after, "unit", "add", "X9", "--name", "Xã", "--level", "commune", "--parent", "HD-PT"
    ) == (
        "unit X9 would be under HD-PT at all times, when it does not exist: the last day of "
        "HD-PT is 2025-06-30 (successors: GL)"
    )
    assert refused(after, "unit", "move", "X-DC12", "--parent", "HD-DC", "--from", "1/8/2025") == (
        "unit X-DC12 would be under HD-DC from 2025-08-01, when it does not exist: the last "
        "day of HD-DC is 2025-06-30 (successors: GL)"
    )


def test_import_rows_naming_a_unit_on_days_it_did_not_exist(after: Cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    trips = write_csv(
        "trips.csv",
        "cadre,start,end,unit\nDC01,11/7/2025,11/7/2025,X-DC12\nDC01,3/7/2025,3/7/2025,HD-DC\n",
    )
    message = refused(after, "import", "trips", str(trips), lines=2)
    assert (
        "trips.csv:3: unit: trip on 2025-07-03 of DC01 is hosted by a unit that does not "
        "exist then: the last day of HD-DC is 2025-06-30 (successors: GL)" in message
    )
    units = write_csv(
        "units.csv",
        "code,name,level,parent,active_from,active_to,successors\n"
        "X7,Xã bảy,commune,HD-DC,1/1/2025,,\n"
        "X8,Xã tám,commune,GL,1/7/2025,31/12/2025,HD-PT\n",
    )
    message = refused(after, "import", "units", str(units), lines=3)
    assert (
        "units.csv:2: parent: unit X7 would be under HD-DC from 2025-01-01, when it does not"
        in message
    )
    assert (
        "units.csv:3: successors: successor HD-PT of unit X8 does not exist on 2026-01-01"
        in message
    )
    cadres = write_csv("cadres.csv", "code,name,unit\nN2,Người mới,X-DC12\n")
    assert "cadres.csv:2: unit: N2 would be posted to X-DC12 at all times" in refused(
        after, "import", "cadres", str(cadres), lines=2
    )


def test_db_check_finds_units_life_contradictions_written_by_hand(after: Cli) -> None:
    assert ok(after, "db", "check").stderr == ""
    # Behind doanfield's back: GL closes on 31/12/2025 although cadres and trips name it later
    # (GL04's posting runs on, open-ended), and X-DC12 is dated after the trip it hosts.
    after.sql("UPDATE unit SET active_to = '2025-08-31' WHERE code = 'GL'")
    result = run(after, "db", "check")
    assert result.exit_code == 1
    assert (
        "PT01 would be posted to GL from 2025-07-01, when it does not exist: the last day of "
        "GL is 2025-08-31 (no successors)" in result.stderr
    )
    assert "unit X-DC12 would be under GL from 2025-07-01" in result.stderr
    assert (
        "trip #9 2025-09-01 to 2025-09-05 of GL04 is hosted by a unit that does not exist"
        not in result.stderr
    )  # hosted by X-PT1, which lives on
    assert "assignment #2 2025-08-01 to 2025-10-31 of DC01" not in result.stderr


# ------------------------------------------------------------------------ the commands


def test_cadre_move_records_a_posting_and_keeps_the_earlier(before: Cli) -> None:
    start = before.dump()
    move = ("cadre", "move", "GL04", "--unit", "HD-PT", "--from", "1/3/2025")
    result = ok(before, *move, "--position", "Phó Bí thư")
    assert result.stdout == "cadre GL04 moved to HD-PT from 2025-03-01\n"
    vi = ok(before, *move, "--position", "Phó Bí thư", lang="vi")
    assert vi.stdout == "cán bộ GL04 đã thuộc HD-PT từ ngày 01/03/2025\n"  # the same again
    changed = ok(before, "cadre", "move", "GL04", "--unit", "HD-DC", "--from", "1/3/2025")
    assert changed.stdout == "cadre GL04: the posting from 2025-03-01 is now at HD-DC\n"
    after = before.dump()
    assert after["posting"] == [
        *start["posting"],
        # id 8: cadre 1 at HD-DC (id 4) from 1/3/2025, category kept, position as the move set.
        (8, 1, 4, "provincial_staff", "Phó Bí thư", date(2025, 3, 1)),
    ]
    log = ok(before, "log", "--limit", "2", "--format", "json").json()
    assert [(e["key"], e["action"]) for e in log] == [("GL04", "move"), ("GL04", "move")]
    assert json.loads(log[0]["before"])["unit"] == "HD-PT"
    assert json.loads(log[0]["after"])["unit"] == "HD-DC"
    # Reports: 2024 and up to 28/2/2025 at TD; from 1/3/2025 at HD-DC.
    assert _rows(before, "--year", "2024", "--unit", "TD")[-2][:2] == ("GL04", "TD")
    rows = _rows(before, "--year", "2025", "--unit", "HD-DC")
    assert ("GL04", "HD-DC", "provincial_staff", 0, 60, True) in rows


def test_cadre_move_refusals(before: Cli) -> None:
    assert refused(before, "cadre", "move", "GL04", "--unit", "TD", "--from", "1/3/2025") == (
        "GL04 is already at TD with that category and position on 2025-03-01: nothing to move"
    )
    assert refused(before, "cadre", "move", "LEFT01", "--unit", "TD", "--from", "1/7/2025") == (
        "LEFT01 cannot move on 2025-07-01: a move must come after the first day in post and no "
        "later than the last (until 2025-06-30); to correct a posting use cadre edit"
    )
    assert refused(
        before, "cadre", "move", "NOBODY", "--unit", "TD", "--from", "1/7/2025"
    ).startswith("unknown cadre 'NOBODY'")
    assert refused(
        before, "cadre", "move", "GL04", "--unit", "NOPE", "--from", "1/7/2025"
    ).startswith("unknown unit 'NOPE'")
    bad = run(
        before, "cadre", "move", "GL04", "--unit", "TD", "--from", "1/7/2025", "--category", "boss"
    )
    assert bad.exit_code == 2 and "unknown category 'boss'" in bad.stderr
    assert run(before, "cadre", "move", "GL04", "--unit", "TD").exit_code == 2


def test_cadre_edit_corrects_the_current_posting(after: Cli) -> None:
    """PT01 moved to GL from 1/7/2025; today (15/1/2026) that is the current posting: edit
    changes it, the HD-PT posting stays as it was."""
    ok(after, "cadre", "edit", "PT01", "--position", "Chánh Văn phòng")
    sheet = ok(after, "cadre", "show", "PT01", "--format", "json").json()
    assert [(p["unit"], p["position"], p["start"], p["end"]) for p in sheet["postings"]] == [
        ("HD-PT", "", "", "2025-06-30"),
        ("GL", "Chánh Văn phòng", "2025-07-01", ""),
    ]
    help_text = " ".join(run(after, "cadre", "edit", "--help").stdout.split())
    assert "--position correct the current posting (no new history)" in help_text
    assert "recorded with cadre move" in help_text
    vi = " ".join(run(after, "cadre", "edit", "--help", lang="vi").stdout.split())
    assert "sửa đơn vị, đối tượng, chức vụ hiện tại (không ghi thêm quá trình)" in vi


def test_unit_move_and_edit(before: Cli) -> None:
    start = before.dump()
    result = ok(before, "unit", "move", "X-PT1", "--parent", "TD", "--from", "1/1/2025")
    assert result.stdout == "unit X-PT1 is under TD from 2025-01-01\n"
    # Exactly one new link: X-PT1 (id 6) under TD (id 1) from 1/1/2025; nothing else but the log.
    changed = before.dump()
    assert changed["unit_parent"] == [*start["unit_parent"], (8, 6, 1, date(2025, 1, 1))]
    assert {k: v for k, v in changed.items() if k not in ("unit_parent", "change_log")} == {
        k: v for k, v in start.items() if k not in ("unit_parent", "change_log")
    }
    (entry,) = ok(before, "log", "--limit", "1", "--format", "json").json()
    assert (entry["entity"], entry["key"], entry["action"]) == ("unit", "X-PT1", "move")
    assert json.loads(entry["before"]) == {"parent": "HD-PT", "from": ""}
    assert json.loads(entry["after"]) == {"parent": "TD", "from": "2025-01-01"}
    assert (
        ok(
            before, "unit", "move", "X-PT1", "--parent", "TD", "--from", "1/1/2025", lang="vi"
        ).stdout
        == "đơn vị X-PT1 đã trực thuộc TD từ ngày 01/01/2025\n"
    )
    assert refused(before, "unit", "move", "X-PT1", "--parent", "TD", "--from", "1/2/2025") == (
        "unit X-PT1 is already under TD on 2025-02-01"
    )
    assert refused(before, "unit", "move", "TD", "--parent", "X-PT1", "--from", "1/2/2025") == (
        "unit 'TD' cannot be placed under its own sub-unit"
    )
    assert refused(before, "unit", "move", "X-DC12", "--parent", "TD", "--from", "1/1/2025") == (
        "unit X-DC12 does not exist on 2025-01-01 (it exists from 2025-07-01)"
    )
    parents = ok(before, "unit", "show", "X-PT1", "--format", "json").json()["parents"]
    assert parents == [
        {"parent": "HD-PT", "start": "", "end": "2024-12-31"},
        {"parent": "TD", "start": "2025-01-01", "end": ""},
    ]
    # 2024 reports keep X-PT1 under HD-PT; the tree on 1/1/2025 has it under TD.
    tree = ok(before, "unit", "list", "--on", "1/1/2025", "--format", "json").json()
    assert {u["code"]: u["parent"] for u in tree}["X-PT1"] == "TD"
    tree = ok(before, "unit", "list", "--on", "31/12/2024", "--format", "json").json()
    assert {u["code"]: u["parent"] for u in tree}["X-PT1"] == "HD-PT"
    # Corrections.
    assert ok(before, "unit", "edit", "HD-PT", "--name", "Huyện Đoàn Phú Thiện (cũ)").stdout == (
        "unit HD-PT updated\n"
    )
    assert ok(before, "unit", "edit", "HD-PT", "--level", "huyện").stdout == (
        "unit HD-PT unchanged\n"
    )
    assert "unknown level 'provnce'" in refused(before, "unit", "edit", "TD", "--level", "provnce")
    log = ok(before, "log", "--limit", "2", "--format", "json").json()
    assert (log[0]["key"], log[0]["action"]) == ("HD-PT", "edit")
    assert json.loads(log[0]["after"]) == {"name": "Huyện Đoàn Phú Thiện (cũ)", "level": "district"}


def test_unit_list_and_show(after: Cli) -> None:
    everything = ok(after, "unit", "list", "--all", "--format", "csv").stdout.splitlines()
    assert everything[0] == "code,name,level,parent,active_from,active_to,successors"
    assert "HD-DC,Huyện Đoàn Đức Cơ,district,TD,,2025-06-30,GL" in everything
    assert "X-DC1,Đoàn xã Ia Dơk,commune,HD-DC,,2025-06-30,X-DC12" in everything
    today = ok(after, "unit", "list", "--format", "json").json()
    assert [(u["code"], u["parent"]) for u in today] == [
        ("GL", ""),
        ("HD-QN", "GL"),
        ("X-DC12", "GL"),
        ("X-PT1", "GL"),
    ]
    assert run(after, "unit", "list", "--on", "1/1/2025", "--all").exit_code == 2
    shown = ok(after, "unit", "show", "GL", "--format", "json").json()
    assert shown["formed_from"] == ["BD", "HD-DC", "HD-PT", "TD"]
    # X-DC1 and X-DC2 became X-DC12, not GL: GL's predecessors are the four it names.
    assert shown["predecessors"] == ["BD", "HD-DC", "HD-PT", "TD"]
    assert shown["units"] == ["HD-QN", "X-DC12", "X-PT1"]
    assert [c["code"] for c in shown["cadres"]] == ["BD01", "DC01", "GL04", "PT01"]
    table = ok(after, "unit", "show", "HD-DC", lang="vi").stdout
    assert "đến 30/06/2025" in table and "GL" in table and "LEFT01" in table


def test_units_export_and_import_back_with_their_lives(before: Cli, tmp_path: Path) -> None:
    """An export of units carries each one's dates and successors and its current parent:
    it imports back into the ledger it came from adding nothing, and into a new ledger
    giving the same units."""
    ok(before, "unit", "close", "X-DC1", "--on", REFORM_EVE, "--into", "X-DC12")
    for fmt in ("csv", "json", "xlsx"):
        path = tmp_path / f"units.{fmt}"
        ok(before, "export", "units", "--output", str(path))
        again = ok(before, "import", "units", str(path))
        assert "0 added" in again.stdout, again.stdout
    everything = ok(before, "unit", "list", "--all", "--format", "json").json()
    assert ("X-DC1", "2025-06-30", "X-DC12") in {
        (u["code"], u["active_to"], u["successors"]) for u in everything
    }
    fresh = Cli(tmp_path / "fresh.db", before.runner)
    ok(fresh, "import", "units", str(tmp_path / "units.csv"))
    assert ok(fresh, "unit", "list", "--all", "--format", "json").json() == everything


def test_a_units_file_holds_one_parent_per_unit(after: Cli, tmp_path: Path) -> None:
    """Into a new ledger, a unit that changed parent is refused by line, naming why (a units
    file has one parent per unit; parents over time are recorded by unit move)."""
    ok(after, "export", "units", "--output", str(tmp_path / "units.csv"))
    assert "0 added" in ok(after, "import", "units", str(tmp_path / "units.csv")).stdout
    fresh = Cli(tmp_path / "fresh.db", after.runner)
    refusal = refused(fresh, "import", "units", str(tmp_path / "units.csv"), lines=3)
    assert (
        "units.csv:6: parent: unit X-PT1 would be under GL at all times, when it does not "
        "exist: GL exists only from 2025-07-01" in refusal
    )


def test_lists_by_unit_follow_the_postings(after: Cli) -> None:
    """cadre list --unit: the cadres whose current posting (today, 15/1/2026, or on the post's
    last day) is at the unit or under it that day; trip list --unit: trips whose cadre was
    posted there, or which it hosted, on the trip's first day."""
    listed = ok(after, "cadre", "list", "--unit", "GL", "--format", "json").json()
    # LEFT01's post ended on 30/6/2025 at HD-DC, under TD then, and TD became GL's.
    assert sorted(c["code"] for c in listed) == [
        "BD01",
        "DC01",
        "GL04",
        "LEFT01",
        "PT01",
        "QN01",
        "X1C",
    ]
    assert [
        c["code"] for c in ok(after, "cadre", "list", "--unit", "HD-DC", "-f", "json").json()
    ] == ["LEFT01"]
    trips = ok(after, "trip", "list", "--unit", "HD-PT", "--format", "json").json()
    # PT01's trip of 1-3/3/2024 (posted to HD-PT, hosted by X-PT1 under it); not PT01's
    # 1-2/8/2025 (at GL then), nor GL04's 1-5/9/2025 at X-PT1 (under GL by then).
    assert [(t["cadre"], t["start"]) for t in trips] == [("PT01", "2024-03-01")]
    trips = ok(after, "trip", "list", "--unit", "X-DC12", "--format", "json").json()
    # X-DC12 was formed from X-DC1: DC01's 20/6/2025 trip hosted by X-DC1, X1C's 4/4/2025
    # (posted to X-DC1), DC01's 10/7/2025 trip hosted by X-DC12.
    assert [(t["cadre"], t["start"]) for t in trips] == [
        ("X1C", "2025-04-04"),
        ("DC01", "2025-06-20"),
        ("DC01", "2025-07-10"),
    ]


def test_correcting_a_units_life_by_import_is_checked(after: Cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    """import units --update may correct a unit's dates, but not so that a record names it
    on a day it would not exist."""
    units = write_csv(
        "units.csv", "code,name,level,active_to\nX-PT1,Đoàn xã Ia Sol,commune,30/6/2025\n"
    )
    assert refused(after, "import", "units", str(units), "--update") == (
        "trip #7 2025-08-01 to 2025-08-02 of PT01 is hosted by a unit that does not exist then: "
        "the last day of X-PT1 is 2025-06-30 (no successors)"
    )
    later = write_csv(
        "later.csv", "code,name,level,active_to\nX-PT1,Đoàn xã Ia Sol,commune,31/12/2030\n"
    )
    assert "1 updated" in ok(after, "import", "units", str(later), "--update").stdout
    shown = ok(after, "unit", "show", "X-PT1", "--format", "json").json()
    assert (shown["active_to"], shown["parents"][-1]["end"]) == ("2030-12-31", "2030-12-31")
