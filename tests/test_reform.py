"""The 2025 reform over the examples, applied as `make demo` applies it (SPEC §6).

examples/ (Gia Lai: TD, 8 districts, 18 communes; 19 provincial and 15 district cadres) is loaded,
examples/binh-dinh/ (TD, 4 districts, 8 communes; 8 provincial and 6 district cadres) is built in
a SQLite file of its own and brought in with `import ledger --prefix BD-`, then
examples/reform-2025/: the new GL and 12 merged communes from 01/07/2025, 21 moves, the 38 old
communes and districts closed on 30/06/2025, TD and BD-TD closed into GL, the 2025-2026 trips.
The figures below are counted from those files (the trips of tools/make_examples.py's
HAND_TRIPS for the cadres whose days are checked).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, Ledgers

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REFORM = EXAMPLES / "reform-2025"
LATER = "2026-03-01"  # a today after the year 2025, so that its reports cover all of it
KINDS = ("units", "cadres", "plans", "assignments", "absences")
# What `make demo` runs on the merged ledger after bringing Bình Định in (Makefile).
STEPS = [
    "import units examples/reform-2025/units.csv",
    "cadre edit KB01 --active-to 30/06/2025",
    "import moves examples/reform-2025/moves.csv",
    "import units examples/reform-2025/closed.csv --update",
    "unit close TD --on 30/06/2025 --into GL",
    "unit close BD-TD --on 30/06/2025 --into GL",
    "import trips examples/reform-2025/trips-2025.csv",
    "import trips examples/reform-2025/trips-2026.csv",
]


def _load(cli: Cli, folder: Path) -> None:
    for kind in KINDS:
        cli.ok("import", kind, str(folder / f"{kind}.csv"))
    for path in sorted(folder.glob("trips*.csv")):
        cli.ok("import", "trips", str(path))


@pytest.fixture(scope="module")
def merged(ledgers: Ledgers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = ledgers.new(tmp_path_factory.mktemp("gialai"))
    _load(cli, EXAMPLES)
    binh_dinh = Cli(tmp_path_factory.mktemp("binhdinh") / "binh-dinh.db")
    _load(binh_dinh, EXAMPLES / "binh-dinh")
    binh_dinh.ok("policy", "set", "field_days_per_year", "45", "--from-year", "2024")
    cli.ok("import", "ledger", str(binh_dinh.db), "--prefix", "BD-")
    for step in STEPS:
        args = [str(ROOT / a) if a.startswith("examples/") else a for a in shlex.split(step)]
        cli.ok(*args, today=LATER)
    yield cli
    ledgers.discard(cli)


@pytest.fixture(scope="module")
def gia_lai_alone(ledgers: Ledgers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = ledgers.new(tmp_path_factory.mktemp("alone"))
    _load(cli, EXAMPLES)
    yield cli
    ledgers.discard(cli)


def _report(cli: Cli, year: int, unit: str) -> dict[str, Any]:
    args = ("report", "compliance", "--year", str(year), "--unit", unit, "--format", "json")
    return cli.ok(*args, today=LATER).json()  # type: ignore[no-any-return]


def test_the_demo_applies_the_same_steps() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("$(REFORM)", str(REFORM))
    for step in STEPS:
        assert step.replace("examples/reform-2025", str(REFORM)) in makefile, step
    assert "import ledger $(BD_DB) --prefix BD-" in makefile


def test_the_2025_report_of_the_new_province(merged: Cli) -> None:
    report = _report(merged, 2025, "GL")
    rows = {r["cadre"]: r for r in report["rows"]}
    # Every cadre of both provinces: 34 of Gia Lai and 14 of Bình Định, KB01 too, who left at
    # the reform (his last posting, HD-KB, was under TD, which GL was formed from).
    assert len(rows) == 34 + 14 == report["totals"]["cadres"]
    assert sum(code.startswith("BD-") for code in rows) == 14
    # PT01 moved to the merged commune X25-PT as its secretary (category other). Trips:
    # 14/01, 10-12/02, 17/03, 21-23/04, 26/05 = 1+3+1+3+1 = 9 days before the reform;
    # 07-11/07 (the visit of 08/07 inside it), 18/08, 15-16/09, 20/10, 17-19/11, 08/12 =
    # 5+1+2+1+3+1 = 13 after: 22 of ceil(60 * 365 / 365) = 60.
    pt01 = rows["PT01"]
    assert (pt01["unit"], pt01["category"]) == ("X25-PT", "other")
    assert (pt01["field_days"], pt01["required_days"], pt01["field_ok"]) == (22, 60, False)
    assert pt01["training_required"] is False
    # AN01 of Bình Định: 06-08/01, 03/03, 09/06 (5 days, recorded in its own ledger and brought
    # in), then as BD-AN01 at X25-AN 14-18/07, 25/08 (6): 11. Required 60: this ledger's policy,
    # not the 45 the Bình Định ledger had set.
    an01 = rows["BD-AN01"]
    assert (an01["unit"], an01["category"], an01["field_days"]) == ("X25-AN", "other", 11)
    assert an01["required_days"] == 60
    # KB01 left on 30/06/2025: his row shows his posting that day, Huyện Đoàn Kbang as a key
    # district cadre. 13/01 and 24-25/02: 3 days, of ceil(60 * 181 / 365) = 30 (1 January to
    # 30 June is 31+28+31+30+31+30 = 181 days). His 3 months at X-KB1 from 01/10/2024 (ended
    # 31/12/2024) are his training.
    kb01 = rows["KB01"]
    assert (kb01["unit"], kb01["category"]) == ("HD-KB", "district_key")
    assert (kb01["field_days"], kb01["required_days"]) == (3, 30)
    assert kb01["training_status"] == "done"
    # Moved by the file, with new posts; and by `unit close TD --into GL`, keeping theirs.
    assert (rows["DC01"]["unit"], rows["DC01"]["category"]) == ("GL", "provincial_staff")
    assert (rows["BD-CB01"]["unit"], rows["BD-CB01"]["category"]) == ("GL", "provincial_leader")
    assert (rows["GL04"]["unit"], rows["GL04"]["category"]) == ("GL", "provincial_staff")
    assert (rows["BD-CB03"]["unit"], rows["BD-CB03"]["category"]) == ("GL", "provincial_staff")


def test_a_merged_commune_covers_the_communes_it_was_formed_from(merged: Cli) -> None:
    # X25-PT was formed from X-PT1..X-PT3 (not from HD-PT, whose successor is GL): PT01 and
    # PT02, posted there from 01/07/2025, are its 2025 cadres.
    rows = _report(merged, 2025, "X25-PT")["rows"]
    assert sorted((r["cadre"], r["unit"]) for r in rows) == [("PT01", "X25-PT"), ("PT02", "X25-PT")]


def test_2024_reports_show_the_organisation_as_it_was(merged: Cli, gia_lai_alone: Cli) -> None:
    # Phú Thiện's 2024 cadres are PT01 (Bí thư, district_key) and PT02 (other), as cadres.csv
    # says; the reform changed nothing in that report.
    old = _report(merged, 2024, "HD-PT")
    assert [(r["cadre"], r["unit"], r["category"]) for r in old["rows"]] == [
        ("PT01", "HD-PT", "district_key"),
        ("PT02", "HD-PT", "other"),
    ]
    assert old["rows"] == _report(gia_lai_alone, 2024, "HD-PT")["rows"]
    # The new province's 2024: both old provinces (GL did not exist, TD and BD-TD did).
    assert len(_report(merged, 2024, "GL")["rows"]) == 48
    bd = _report(merged, 2024, "BD-TD")["rows"]
    assert len(bd) == 14 and all(r["unit"].startswith("BD-") for r in bd)
    assert {r["unit"] for r in bd if r["cadre"] == "BD-AN01"} == {"BD-HD-AN"}


def test_the_tree_before_and_after(merged: Cli) -> None:
    before = merged.ok("unit", "list", "--on", "30/6/2025", "--format", "json").json()
    after = merged.ok("unit", "list", "--on", "1/7/2025", "--format", "json").json()
    # 27 units of Gia Lai and 13 of Bình Định until 30/06/2025; GL and 12 communes after.
    assert len(before) == 27 + 13
    merged_communes = ["PT", "DC", "CS", "IG", "KP", "DD", "CP", "KB", "AN", "PC", "TS", "QN"]
    assert sorted(u["code"] for u in after) == sorted(
        ["GL", *(f"X25-{d}" for d in merged_communes)]
    )
    assert {u["parent"] for u in after if u["code"] != "GL"} == {"GL"}
    every = {u["code"]: u for u in merged.ok("unit", "list", "--all", "--format", "json").json()}
    assert (every["HD-PT"]["active_to"], every["HD-PT"]["successors"]) == ("2025-06-30", "GL")
    assert every["X-PT1"]["successors"] == "X25-PT"
    assert every["BD-X-AN1"]["successors"] == "X25-AN"


def test_the_reform_files_import_again_adding_nothing(merged: Cli) -> None:
    again = merged.ok("import", "moves", str(REFORM / "moves.csv"), today=LATER)
    assert again.stdout.strip() == "moves.csv: 0 added, 0 updated, 21 skipped as already recorded"
    assert merged.ok("db", "check", today=LATER).stdout == ""
