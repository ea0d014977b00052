"""National-scale benchmark: `make bench`.

Generates, from a fixed seed, a country's worth of data (a unit tree of 63 provinces, 20,000
cadres, 1,000,000 trips over 2023-2025, some overlapping) and measures, side by side in one run:

* `doanfield import trips` against sqlite3's own `.import` and `sqlite-utils insert --csv`;
* `doanfield report compliance --year 2024 --format json` against the bare per-cadre SQL sum of
  trip lengths for 2024 run through the sqlite3 CLI;
* when PostgreSQL's server programs are installed, the same on a throwaway PostgreSQL cluster
  (tools/pgcluster.py): the import against `psql \\copy` of the same file into a bare table,
  the report against the bare SQL sum through `psql`, and `db copy` and `export trips` of the
  national ledger.

Each figure is the median of whole-process runs, with the peak memory of the process.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

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


def median_of(runs: int, prepare, command_for) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    walls, peaks = [], []
    for _ in range(runs):
        target = prepare()
        wall, peak = measure(command_for(target))
        walls.append(wall)
        peaks.append(peak)
    return statistics.median(walls), max(peaks)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="measure one engine only")
    args = parser.parse_args()
    doanfield = str(Path(sys.executable).with_name("doanfield"))
    sqlite3_cli = shutil.which("sqlite3")
    sqlite_utils = shutil.which("sqlite-utils") or str(
        Path(sys.executable).with_name("sqlite-utils")
    )
    print(f"generating the national data set in {DATA.relative_to(HERE.parent)} (seed {SEED}) …")
    generate()
    trips_csv = DATA / "trips.csv"
    print(f"trips.csv: {TRIPS:,} trips, {trips_csv.stat().st_size / 1e6:.0f} MB")
    if args.only == "postgres":
        show(postgres_section(args.runs, doanfield, trips_csv))
        return
    work = Path(tempfile.mkdtemp(prefix="doanfield-bench-"))
    try:
        base = work / "base.db"
        for kind in ("units", "cadres"):
            subprocess.run(
                [doanfield, "--db", str(base), "import", kind, str(DATA / f"{kind}.csv")],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        subprocess.run(
            [
                sys.executable,
                "-c",
                (
                    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                    "c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()"
                ),
                str(base),
            ],
            check=True,
        )
        results: list[tuple[str, float, float]] = []
        counter = iter(range(10_000))

        def fresh_copy() -> Path:
            target = work / f"ledger-{next(counter)}.db"
            shutil.copyfile(base, target)
            return target

        def fresh_empty() -> Path:
            return work / f"raw-{next(counter)}.db"

        wall, peak = median_of(
            args.runs,
            fresh_copy,
            lambda db: [doanfield, "--db", str(db), "import", "trips", str(trips_csv)],
        )
        results.append(("doanfield import trips", wall, peak))
        imported = work / f"ledger-{next(counter) - 1}.db"
        if sqlite3_cli:
            wall, peak = median_of(
                args.runs,
                fresh_empty,
                lambda db: [sqlite3_cli, str(db), "-cmd", ".mode csv", f".import {trips_csv} trip"],
            )
            results.append(("sqlite3 .import", wall, peak))
        if Path(sqlite_utils).exists():
            wall, peak = median_of(
                1,
                fresh_empty,
                lambda db: [
                    sqlite_utils,
                    "insert",
                    str(db),
                    "trip",
                    str(trips_csv),
                    "--csv",
                    "--no-detect-types",
                ],
            )
            results.append(("sqlite-utils insert --csv", wall, peak))
        report_cmd = [
            doanfield,
            "--db",
            str(imported),
            "report",
            "compliance",
            "--year",
            "2024",
            "--format",
            "json",
        ]
        wall, peak = median_of(args.runs, lambda: imported, lambda _db: report_cmd)
        results.append(("doanfield report compliance 2024", wall, peak))
        if sqlite3_cli:
            wall, peak = median_of(
                args.runs, lambda: imported, lambda db: [sqlite3_cli, str(db), BARE_SQL_2024]
            )
            results.append(("sqlite3 per-cadre SUM 2024", wall, peak))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.only != "sqlite":
        results += postgres_section(args.runs, doanfield, trips_csv)
    figures = show(results)
    print()
    checks = []
    ours, ours_peak = figures["doanfield import trips"]
    if "sqlite3 .import" in figures:
        checks.append(
            (
                "import vs sqlite3 .import",
                ours / figures["sqlite3 .import"][0],
                f"≤ {TARGET_IMPORT_VS_SQLITE}×",
                ours / figures["sqlite3 .import"][0] <= TARGET_IMPORT_VS_SQLITE,
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
    print(f"{'check':36} {'value':>8} {'target':>8}")
    for name, value, target, met in checks:
        print(f"{name:36} {value:8.2f} {target:>8}  {'met' if met else 'NOT met'}")
    if not sqlite3_cli:
        print("(no sqlite3 CLI on this machine: apt-get install sqlite3 for the side-by-side)")


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
