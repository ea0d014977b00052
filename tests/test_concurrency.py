"""Several doanfields writing one ledger at once, as several desks do (on both engines).

Writers queue for the ledger (SQLite's write lock, a PostgreSQL advisory lock) and wait instead
of failing: nothing is lost, nothing is doubled, and a duplicate code is refused as usual.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import Cli, holding_write_lock

# Runs several doanfield commands in one process, one after the other, each as a user types it.
COMMANDS = """
import sys
from doanfield.cli.main import app
failed = 0
for args in [line.split("\\t") for line in sys.argv[1:]]:
    try:
        app(args)
    except SystemExit as exit:
        failed += exit.code != 0
sys.exit(failed)
"""


def _start(cli: Cli, *commands: list[str]) -> subprocess.Popen[str]:
    lines = ["\t".join(["--db", str(cli.db), "--today", "2025-06-30", *c]) for c in commands]
    return subprocess.Popen(
        [sys.executable, "-c", COMMANDS, *lines],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def test_imports_and_adds_at_once_lose_and_double_nothing(province: Cli, tmp_path: Path) -> None:
    rows = 3000
    # 3,000 one-day trips of GL01 in 2024, each at its own place: all distinct. The others add
    # in August, inside every post (DC01 holds hers from 1/7/2024).
    lines = "".join(
        f"GL01,{1 + i % 28}/{1 + i % 12}/2024,,activity,Thôn {i}\n" for i in range(rows)
    )
    trips = tmp_path / "trips.csv"
    trips.write_text("cadre,start,end,kind,place\n" + lines, encoding="utf-8")
    adders = [
        [
            ["trip", "add", "--cadre", cadre, "--date", f"{day}/8/2024", "--place", "Xã Ia Sol"]
            for day in range(1, 5)
        ]
        for cadre in ("GL04", "PT01", "GL01")
    ]
    importers = [_start(province, ["import", "trips", str(trips)]) for _ in range(2)]
    others = [_start(province, *commands) for commands in adders]
    results = [_finish(p) for p in importers + others]
    assert [code for code, _ in results] == [0] * 5, [err for _, err in results]
    assert all("busy" not in err for _, err in results)
    listed = province.ok("trip", "list", "--format", "json").json()
    # Every file row once (the second import skips them all) and the 3 × 4 added trips.
    assert len(listed) == rows + 12
    keys = {(t["cadre"], t["start"], t["end"], t["kind"], t["place"]) for t in listed}
    assert len(keys) == len(listed)
    entries = province.ok("log", "--limit", "100", "--format", "json").json()
    imports = sorted(e["after"] for e in entries if e["action"] == "import")
    assert imports == [
        '{"added": 0, "updated": 0, "skipped": 3000}',
        '{"added": 3000, "updated": 0, "skipped": 0}',
    ]
    assert province.ok("db", "check").stdout == ""


def test_a_writer_waits_for_another_and_says_so_once(province: Cli) -> None:
    with holding_write_lock(province):
        adder = _start(province, ["trip", "add", "--cadre", "GL04", "--date", "2/3/2024"])
        assert adder.stderr is not None
        # It says so once it has waited a second, and goes on waiting quietly.
        assert adder.stderr.readline() == (
            "doanfield: waiting for another doanfield that is writing… (up to 2 minutes)\n"
        )
    code, err = _finish(adder)
    assert (code, err) == (0, "")
    assert len(province.ok("trip", "list", "--format", "json").json()) == 1


def test_two_desks_adding_the_same_code_one_wins(province: Cli) -> None:
    add = ["unit", "add", "X-PT2", "--name", "Đoàn xã Ia Phang", "--level", "commune"]
    desks = [_start(province, [*add, "--parent", parent]) for parent in ("HD-PT", "HD-DC")]
    results = sorted(_finish(p) for p in desks)
    assert [code for code, _ in results] == [0, 1]
    assert results[1][1].strip() == "doanfield: error: unit 'X-PT2' already exists"
    units = province.ok("unit", "list", "--format", "json").json()
    assert [u["code"] for u in units].count("X-PT2") == 1
