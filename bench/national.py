"""National-scale benchmark: `make bench`.

Generates, from a fixed seed, a country's worth of data (a unit tree of 63 provinces, 20,000
cadres, 1,000,000 trips over 2023-2025, some overlapping) and measures, side by side in one run:

* `doanfield import trips` against sqlite3's own `.import` and `sqlite-utils insert --csv`;
* `doanfield report compliance --year 2024 --format json` against the bare per-cadre SQL sum of
  trip lengths for 2024 run through the sqlite3 CLI;
* everyday commands on the national ledger: `trip add`, a province's report, `trip list --cadre`
  (medians, target under 0.5 s);
* `doanfield export trips` of the national ledger;
* when PostgreSQL's server programs are installed, the same on a throwaway PostgreSQL cluster
  (tools/pgcluster.py): the import against `psql \\copy` of the same file into a bare table,
  the report against the bare SQL sum through `psql`, and `db copy` and `export trips` of the
  national ledger.

Each figure is the median of whole-process runs, with the peak memory of the process; the
commands compared are run in turns, so that each meets the same load. `--only import,report`
measures some sections, `--runs N` sets the runs; the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SEED = 20240219
PROVINCES = 63
DISTRICTS_PER_PROVINCE = 11
COMMUNES_PER_DISTRICT = 10
CADRES = 20_000
TRIPS = 1_000_000
KINDS = ["thematic", "inspection", "activity", "committee_meeting", "branch_meeting", "other"]
PROGRAMS = ["", "", "", "Ấm áp mùa đông", "Xuân yêu thương-Tết biên cương", "Tháng Thanh niên"]

# What the issues ask of doanfield here.
TARGET_IMPORT_VS_SQLITE = 2.5
TARGET_IMPORT_VS_SQLITE_UTILS = 5.0
TARGET_IMPORT_MEMORY_MB = 1024
TARGET_REPORT_VS_SQL = 3.0
TARGET_REPORT_MEMORY_MB = 500

BARE_PG_SQL_2024 = (
    "SELECT cadre_id, SUM(LEAST(\"end\", DATE '2024-12-31') - GREATEST(start, DATE '2024-01-01')"
    " + 1) FROM trip WHERE start <= '2024-12-31' AND \"end\" >= '2024-01-01' GROUP BY cadre_id"
)
BARE_PG_TABLE = (
    'CREATE TABLE trip (cadre text, start text, "end" text, kind text, place text, unit text, '
    "program text, note text)"
)
BARE_SQL_2024 = (
    "SELECT cadre_id, SUM(julianday(MIN(\"end\", '2024-12-31')) - "
    "julianday(MAX(start, '2024-01-01')) + 1) FROM trip "
    "WHERE start <= '2024-12-31' AND \"end\" >= '2024-01-01' GROUP BY cadre_id;"
)


def generate() -> None:
    """Write units.csv, cadres.csv and trips.csv once; the seed makes them the same every time."""
    marker = DATA / f"seed-{SEED}-{TRIPS}"
    if marker.exists():
        return
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    rng = random.Random(SEED)
    communes: list[str] = []
    with (DATA / "units.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["code", "name", "level", "parent"])
        out.writerow(["TW", "Trung ương Đoàn", "central", ""])
        for p in range(PROVINCES):
            province = f"T{p:02d}"
            out.writerow([province, f"Tỉnh Đoàn {p:02d}", "province", "TW"])
            for d in range(DISTRICTS_PER_PROVINCE):
                district = f"{province}-H{d:02d}"
                out.writerow([district, f"Huyện Đoàn {p:02d}.{d:02d}", "district", province])
                for c in range(COMMUNES_PER_DISTRICT):
                    commune = f"{district}-X{c:02d}"
                    out.writerow([commune, f"Đoàn xã {p:02d}.{d:02d}.{c:02d}", "commune", district])
                    communes.append(commune)
    categories = ["provincial_leader", "provincial_staff", "district_key", "other"]
    with (DATA / "cadres.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["code", "name", "unit", "category", "birth_date", "active_from"])
        for i in range(CADRES):
            province = f"T{rng.randrange(PROVINCES):02d}"
            level = rng.random()
            unit = province if level < 0.3 else f"{province}-H{rng.randrange(11):02d}"
            birth = date(1980, 1, 1) + timedelta(days=rng.randrange(7300))
            out.writerow(
                [
                    f"CB{i:05d}",
                    f"Nguyễn Văn {i:05d}",
                    unit,
                    rng.choice(categories),
                    birth.strftime("%d/%m/%Y"),
                    "01/01/2020",
                ]
            )
    first = date(2023, 1, 1).toordinal()
    span = date(2025, 12, 31).toordinal() - first
    with (DATA / "trips.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["cadre", "start", "end", "kind", "place", "unit", "program", "note"])
        for _ in range(TRIPS):
            start = date.fromordinal(first + rng.randrange(span))
            length = 1 if rng.random() < 0.8 else rng.randrange(2, 6)
            end = start + timedelta(days=length - 1)
            commune = rng.choice(communes)
            out.writerow(
                [
                    f"CB{rng.randrange(CADRES):05d}",
                    start.strftime("%d/%m/%Y"),
                    end.strftime("%d/%m/%Y") if length > 1 else "",
                    rng.choice(KINDS),
                    f"Xã {commune[-6:]}",
                    commune,
                    rng.choice(PROGRAMS),
                    "",
                ]
            )
    marker.touch()


MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "wall = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "print(f'{wall} {peak} {code}')\n"
)


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time (s) and peak memory (MB) of one whole process."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    wall, peak, code = done.stdout.split()
    if code != "0":
        raise SystemExit(f"failed ({code}): {' '.join(command)}")
    return float(wall), float(peak)


def median_of(runs: int, prepare: Any, command_for: Any) -> tuple[float, float]:
    ((_, wall, peak),) = interleaved(runs, [("", prepare, command_for)])
    return wall, peak


def postgres_section(runs: int, doanfield: str, trips_csv: Path) -> list[tuple[str, float, float]]:
    """The PostgreSQL figures, on a cluster started for the run and removed after it."""
    sys.path.insert(0, str(HERE.parent))
    from tools.pgcluster import ClusterUnavailable, start_cluster

    try:
        cluster = start_cluster()
    except ClusterUnavailable as error:
        print(f"PostgreSQL section skipped: {error}")
        return []
    psql = str(cluster.bindir / "psql")
    results: list[tuple[str, float, float]] = []
    counter = iter(range(10_000))

    def sql(database: str, statement: str) -> None:
        subprocess.run(
            [psql, "-q", "-h", str(cluster.folder), "-U", "postgres", "-d", database],
            input=statement,
            text=True,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def new_database(template: str | None = None) -> str:
        name = f"db{next(counter)}"
        sql("postgres", f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name

    def psql_command(database: str, statement: str) -> list[str]:
        return [
            psql,
            "-q",
            "-h",
            str(cluster.folder),
            "-U",
            "postgres",
            "-d",
            database,
            "-c",
            statement,
        ]

    try:
        sql("postgres", "CREATE DATABASE base")
        for kind in ("units", "cadres"):
            subprocess.run(
                [doanfield, "--db", cluster.url("base"), "import", kind, str(DATA / f"{kind}.csv")],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        imported: list[str] = []

        def copy_of_base() -> str:
            imported.append(new_database(template="base"))
            return imported[-1]

        wall, peak = median_of(
            runs,
            copy_of_base,
            lambda db: [doanfield, "--db", cluster.url(db), "import", "trips", str(trips_csv)],
        )
        results.append(("PostgreSQL: doanfield import trips", wall, peak))

        def bare_table() -> str:
            name = new_database()
            sql(name, BARE_PG_TABLE)
            return name

        wall, peak = median_of(
            runs,
            bare_table,
            lambda db: psql_command(db, f"\\copy trip FROM '{trips_csv}' CSV HEADER"),
        )
        results.append(("PostgreSQL: psql \\copy", wall, peak))
        ledger = cluster.url(imported[-1])
        report = [doanfield, "--db", ledger, "report", "compliance", "--year", "2024"]
        wall, peak = median_of(runs, lambda: ledger, lambda _db: [*report, "--format", "json"])
        results.append(("PostgreSQL: doanfield report 2024", wall, peak))
        wall, peak = median_of(
            runs, lambda: imported[-1], lambda db: psql_command(db, BARE_PG_SQL_2024)
        )
        results.append(("PostgreSQL: psql per-cadre SUM 2024", wall, peak))
        output = trips_csv.with_name("exported-trips.csv")
        wall, peak = median_of(
            1,
            lambda: ledger,
            lambda db: [doanfield, "--db", db, "export", "trips", "--output", str(output)],
        )
        output.unlink(missing_ok=True)
        results.append(("PostgreSQL: doanfield export trips", wall, peak))
        wall, peak = median_of(
            1,
            lambda: cluster.url(new_database()),
            lambda target: [doanfield, "--db", ledger, "db", "copy", target],
        )
        results.append(("PostgreSQL: doanfield db copy (to PG)", wall, peak))
    finally:
        cluster.stop()
    return results


SECTIONS = ("import", "report", "everyday", "postgres")


def interleaved(runs: int, named: list[tuple[str, Any, Any]]) -> list[tuple[str, float, float]]:
    """Median wall time and peak memory of each command, run in turns (A, B, C, A, B, C …) so
    that every one meets the same load on this shared machine: side by side."""
    walls: dict[str, list[float]] = {name: [] for name, _, _ in named}
    peaks: dict[str, float] = dict.fromkeys(walls, 0.0)
    # The ledgers just built go to disk first, so that their write-back does not run during the
    # first turns (os.sync: not on Windows).
    if hasattr(os, "sync"):
        os.sync()
    for _ in range(runs):
        for name, prepare, command_for in named:
            wall, peak = measure(command_for(prepare()))
            walls[name].append(wall)
            peaks[name] = max(peaks[name], peak)
    return [(name, statistics.median(walls[name]), peaks[name]) for name, _, _ in named]


def load_average() -> str:
    """`uptime`'s load averages (1, 5, 15 minutes): how busy the 2 cores were."""
    try:
        with open("/proc/loadavg", encoding="ascii") as handle:
            return " ".join(handle.read().split()[:3])
    except OSError:
        return "?"


class Bench:
    """One run of the benchmark: the tools, a work folder, and the national ledger."""

    def __init__(self, work: Path) -> None:
        self.doanfield = str(Path(sys.executable).with_name("doanfield"))
        self.sqlite3 = shutil.which("sqlite3")
        utils = shutil.which("sqlite-utils") or str(Path(sys.executable).with_name("sqlite-utils"))
        self.sqlite_utils = utils if Path(utils).exists() else None
        self.work = work
        self.trips_csv = DATA / "trips.csv"
        self.counter = iter(range(10_000))
        self.base = work / "base.db"
        self.national: Path | None = None

    def run(self, *args: str) -> None:
        subprocess.run([self.doanfield, *args], check=True, stdout=subprocess.DEVNULL)

    def make_base(self) -> None:
        """Units and cadres, checkpointed, copied for every import run."""
        for kind in ("units", "cadres"):
            self.run("--db", str(self.base), "import", kind, str(DATA / f"{kind}.csv"))
        checkpoint(self.base)

    def fresh_copy(self, of: Path | None = None) -> Path:
        target = self.work / f"ledger-{next(self.counter)}.db"
        shutil.copyfile(of or self.base, target)
        return target

    def fresh_empty(self) -> Path:
        return self.work / f"raw-{next(self.counter)}.db"

    def ledger(self) -> Path:
        """The national ledger: the base with every trip imported (once per bench run)."""
        if self.national is None:
            self.national = self.fresh_copy()
            self.run("--db", str(self.national), "import", "trips", str(self.trips_csv))
            checkpoint(self.national)
        return self.national

    def import_section(self, runs: int) -> list[tuple[str, float, float]]:
        trips = str(self.trips_csv)
        named: list[tuple[str, Any, Any]] = [
            (
                "doanfield import trips",
                self.fresh_copy,
                lambda db: [self.doanfield, "--db", str(db), "import", "trips", trips],
            )
        ]
        if self.sqlite3:
            sqlite3_cli = self.sqlite3
            named.append(
                (
                    "sqlite3 .import",
                    self.fresh_empty,
                    lambda db: [sqlite3_cli, str(db), "-cmd", ".mode csv", f".import {trips} trip"],
                )
            )
        if self.sqlite_utils:
            utils = self.sqlite_utils
            named.append(
                (
                    "sqlite-utils insert --csv",
                    self.fresh_empty,
                    lambda db: [
                        utils,
                        "insert",
                        str(db),
                        "trip",
                        trips,
                        "--csv",
                        "--no-detect-types",
                    ],
                )
            )
        results = interleaved(runs, named)
        export = self.work / "exported-trips.csv"
        ledger = self.ledger()

        def exporting() -> Path:
            export.unlink(missing_ok=True)
            return ledger

        results += interleaved(
            1,
            [
                (
                    "doanfield export trips",
                    exporting,
                    lambda db: [
                        self.doanfield,
                        "--db",
                        str(db),
                        "export",
                        "trips",
                        "-o",
                        str(export),
                    ],
                )
            ],
        )
        return results

    def report_section(self, runs: int) -> list[tuple[str, float, float]]:
        ledger = self.ledger()
        named: list[tuple[str, Any, Any]] = [
            (
                "doanfield report compliance 2024",
                lambda: ledger,
                lambda db: [self.doanfield, "--db", str(db), *REPORT_2024],
            )
        ]
        if self.sqlite3:
            sqlite3_cli = self.sqlite3
            named.append(
                (
                    "sqlite3 per-cadre SUM 2024",
                    lambda: ledger,
                    lambda db: [sqlite3_cli, str(db), BARE_SQL_2024],
                )
            )
        # Under a second each: seven turns at least (the everyday commands have five), so that
        # one slow turn on this shared machine does not make the median.
        return interleaved(max(runs, 7), named)

    def everyday_section(self, runs: int) -> list[tuple[str, float, float]]:
        """What a clerk does all day on the national ledger, each a whole process."""
        ledger = self.fresh_copy(self.ledger())
        days = iter(range(1, 10_000))

        def add_trip(db: Path) -> list[str]:
            day = date(2024, 1, 1) + timedelta(days=next(days) % 366)
            when = day.strftime("%d/%m/%Y")
            return [
                self.doanfield,
                "--db",
                str(db),
                "trip",
                "add",
                "--cadre",
                "CB00042",
                "--date",
                when,
                "--kind",
                "inspection",
                "--place",
                f"Xã bench {next(days)}",
            ]

        return interleaved(
            max(runs, 5),
            [
                ("everyday: trip add", lambda: ledger, add_trip),
                (
                    "everyday: a province's report",
                    lambda: ledger,
                    lambda db: [self.doanfield, "--db", str(db), *REPORT_2024, "--unit", "T07"],
                ),
                (
                    "everyday: trip list --cadre",
                    lambda: ledger,
                    lambda db: [
                        self.doanfield,
                        "--db",
                        str(db),
                        "trip",
                        "list",
                        "--cadre",
                        "CB00042",
                        "--format",
                        "json",
                    ],
                ),
            ],
        )


REPORT_2024 = ("report", "compliance", "--year", "2024", "--format", "json")
EVERYDAY_TARGET_S = 0.5


def checkpoint(db: Path) -> None:
    """The write-ahead log folded into the file, so that a plain copy is the whole ledger."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement")
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"the sections to measure, comma-separated: {', '.join(SECTIONS)}",
    )
    args = parser.parse_args()
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; known: {', '.join(SECTIONS)}")
    print(f"generating the national data set in {DATA.relative_to(HERE.parent)} (seed {SEED}) …")
    generate()
    trips_csv = DATA / "trips.csv"
    print(f"trips.csv: {TRIPS:,} trips, {trips_csv.stat().st_size / 1e6:.0f} MB")
    # A wheel install has its bytecode compiled; an editable one where PYTHONDONTWRITEBYTECODE is
    # set would compile doanfield's own modules afresh at every start (~75 ms here).
    compileall.compile_dir(HERE.parent / "src", quiet=1)
    print(f"load average before (1, 5, 15 min): {load_average()}")
    results: list[tuple[str, float, float]] = []
    work = Path(tempfile.mkdtemp(prefix="doanfield-bench-"))
    try:
        bench = Bench(work)
        if {"import", "report", "everyday"} & set(sections):
            bench.make_base()
        if "import" in sections:
            results += bench.import_section(args.runs)
        if "report" in sections:
            results += bench.report_section(args.runs)
        if "everyday" in sections:
            results += bench.everyday_section(args.runs)
        doanfield, sqlite3_cli = bench.doanfield, bench.sqlite3
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if "postgres" in sections:
        results += postgres_section(args.runs, doanfield, trips_csv)
    figures = show(results)
    print_checks(figures)
    print(f"load average after (1, 5, 15 min): {load_average()}")
    if not sqlite3_cli:
        print("(no sqlite3 CLI on this machine: apt-get install sqlite3 for the side-by-side)")


def print_checks(figures: dict[str, tuple[float, float]]) -> None:
    """Each target of the issues, met or not, from the figures measured side by side."""
    checks: list[tuple[str, float, str, bool]] = []
    if "doanfield import trips" in figures:
        ours, ours_peak = figures["doanfield import trips"]
        if "sqlite3 .import" in figures:
            ratio = ours / figures["sqlite3 .import"][0]
            checks.append(
                (
                    "import vs sqlite3 .import",
                    ratio,
                    f"≤ {TARGET_IMPORT_VS_SQLITE}×",
                    ratio <= TARGET_IMPORT_VS_SQLITE,
                )
            )
        if "sqlite-utils insert --csv" in figures:
            speedup = figures["sqlite-utils insert --csv"][0] / ours
            checks.append(
                (
                    "import faster than sqlite-utils",
                    speedup,
                    f"≥ {TARGET_IMPORT_VS_SQLITE_UTILS}×",
                    speedup >= TARGET_IMPORT_VS_SQLITE_UTILS,
                )
            )
        checks.append(
            (
                "import peak memory MB",
                ours_peak,
                f"< {TARGET_IMPORT_MEMORY_MB}",
                ours_peak < TARGET_IMPORT_MEMORY_MB,
            )
        )
    if "doanfield report compliance 2024" in figures:
        report, report_peak = figures["doanfield report compliance 2024"]
        if "sqlite3 per-cadre SUM 2024" in figures:
            ratio = report / figures["sqlite3 per-cadre SUM 2024"][0]
            checks.append(
                (
                    "report vs bare SQL sum",
                    ratio,
                    f"≤ {TARGET_REPORT_VS_SQL}×",
                    ratio <= TARGET_REPORT_VS_SQL,
                )
            )
        checks.append(
            (
                "report peak memory MB",
                report_peak,
                f"< {TARGET_REPORT_MEMORY_MB}",
                report_peak < TARGET_REPORT_MEMORY_MB,
            )
        )
    for name, (wall, _) in figures.items():
        if name.startswith("everyday: "):
            checks.append(
                (
                    f"{name.removeprefix('everyday: ')} median s",
                    wall,
                    f"< {EVERYDAY_TARGET_S}",
                    wall < EVERYDAY_TARGET_S,
                )
            )
    if not checks:
        return
    print(f"{'check':36} {'value':>8} {'target':>8}")
    for name, value, target, met in checks:
        print(f"{name:36} {value:8.2f} {target:>8}  {'met' if met else 'NOT met'}")


def show(results: list[tuple[str, float, float]]) -> dict[str, tuple[float, float]]:
    print()
    print(f"{'measurement':40} {'wall s':>8} {'peak MB':>8}")
    for name, wall, peak in results:
        print(f"{name:40} {wall:8.2f} {peak:8.0f}")
    figures = {name: (wall, peak) for name, wall, peak in results}
    for ours, bare in (
        ("PostgreSQL: doanfield import trips", "PostgreSQL: psql \\copy"),
        ("PostgreSQL: doanfield report 2024", "PostgreSQL: psql per-cadre SUM 2024"),
    ):
        if ours in figures and bare in figures:
            print(f"{ours} / {bare}: {figures[ours][0] / figures[bare][0]:.1f}×")
    print()
    return figures


if __name__ == "__main__":
    main()
