"""Every test gets its own ledger, none touches the user's data; ledgers run on both engines.

The `cli` fixture (and everything built on it) runs each test twice: on a SQLite file, then on
PostgreSQL — a database of its own in a throwaway cluster that the run starts itself (see
tools/pgcluster.py), or on the server DOANFIELD_TEST_PG_URL names. Without PostgreSQL's server
programs the PostgreSQL runs are skipped, unless DOANFIELD_REQUIRE_POSTGRES=1 (as in CI) makes that
a failure. A test about a SQLite file is marked `sqlite_only`.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from tools.pgcluster import ClusterUnavailable, start_cluster
from typer.testing import CliRunner

from doanfield.changelog import WRITE_LOCK_KEY
from doanfield.cli.main import app
from doanfield.engine import open_ledger, to_url

TODAY = "2025-06-30"
BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: the test is about a SQLite file")
    config.addinivalue_line("markers", "postgresql_only: the test is about a database server")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Drop the PostgreSQL run of tests marked sqlite_only, and the other way round."""
    kept, dropped = [], []
    other = {"postgresql": "sqlite_only", "sqlite": "postgresql_only"}
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        backend = params.get("backend")
        if backend in other and item.get_closest_marker(other[backend]):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("DOANFIELD_DB", raising=False)
    monkeypatch.delenv("DOANFIELD_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Cli:
    """Runs doanfield against one ledger (a file, or a database URL), as a user would type it."""

    db: Path | str
    runner: CliRunner = field(default_factory=CliRunner)

    def __call__(self, *args: str, today: str = TODAY, lang: str | None = None) -> Result:
        head = ["--db", str(self.db), "--today", today]
        if lang:
            head += ["--lang", lang]
        result = self.runner.invoke(app, [*head, *args])
        return Result(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, **options: Any) -> Result:
        result = self(*args, **options)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result

    @property
    def is_sqlite(self) -> bool:
        return to_url(self.db).get_backend_name() == "sqlite"

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every table's rows, in order, on either engine: for "the ledger is unchanged"."""
        from sqlalchemy import MetaData, select

        ledger = open_ledger(self.db)
        try:
            with ledger.engine.connect() as conn:
                tables = MetaData()
                tables.reflect(conn)
                return {
                    name: [
                        tuple(row) for row in conn.execute(select(table).order_by(*table.columns))
                    ]
                    for name, table in sorted(tables.tables.items())
                }
        finally:
            ledger.engine.dispose()

    def sql(self, statement: str, **params: Any) -> list[tuple[Any, ...]]:
        """Runs SQL on the ledger behind doanfield's back (tests of what the database refuses)."""
        from sqlalchemy import create_engine, text

        engine = create_engine(to_url(self.db))
        try:
            with engine.begin() as conn:
                result = conn.execute(text(statement), params)
                return [tuple(row) for row in result] if result.returns_rows else []
        finally:
            engine.dispose()


def modules_loaded(*commands: list[str], of: tuple[str, ...]) -> tuple[str, list[str]]:
    """Run doanfield's commands one after the other in a fresh interpreter: what they printed,
    and which of the modules `of` they loaded (start-up must stay light). Each must succeed."""
    code = (
        "import sys\n"
        "from doanfield.cli.main import app\n"
        f"for args in {list(commands)!r}:\n"
        "    try:\n"
        "        app(args)\n"
        "    except SystemExit as done:\n"
        "        assert done.code in (0, None), (args, done.code)\n"
        f"print('LOADED:' + ','.join(m for m in {of!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    *printed, loaded = result.stdout.splitlines()
    assert loaded.startswith("LOADED:"), result.stdout
    return "\n".join(printed), [m for m in loaded.removeprefix("LOADED:").split(",") if m]


RUN_DOANFIELD = """
import sys
from doanfield.cli.main import run
sys.argv = ["doanfield", *sys.argv[1:]]
run()
"""


def run_doanfield(
    args: list[str], code: str = "", limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    """doanfield in a process of its own, as a user starts it: after `code` (Python, run first:
    e.g. a kill at a chosen moment), its files limited to `limit` bytes (RLIMIT_FSIZE: a disk
    that fills up, with neither root nor a device)."""
    program = f"{code}\n{RUN_DOANFIELD}"

    def limited() -> None:
        import resource

        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-c", program, "--today", "2025-06-30", *args],
        capture_output=True,
        text=True,
        preexec_fn=limited,
        timeout=120,
        check=False,
    )


@contextmanager
def holding_write_lock(cli: Cli) -> Iterator[None]:
    """Another writer holds the ledger's write lock meanwhile (SQLite's, or the server's)."""
    if cli.is_sqlite:
        holder = sqlite3.connect(cli.db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    from sqlalchemy import create_engine, text

    server = create_engine(to_url(cli.db))
    try:
        with server.connect() as conn:
            key = {"key": WRITE_LOCK_KEY}
            conn.execute(text("SELECT pg_advisory_lock(:key)"), key)
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), key)
    finally:
        server.dispose()


class Ledgers:
    """Makes new, empty ledgers on one engine (each never opened, as on a user's first use)."""

    def __init__(self, backend: str, folder: Path, server: Any = None) -> None:
        self.backend = backend
        self.folder = folder
        self.server = server
        self._templates: dict[str, Cli] = {}

    def prepared(self, name: str, build: Callable[[Cli], object], folder: Path) -> Cli:
        """A new copy of a ledger that `build` fills once per run (cheaper than building it)."""
        template = self._templates.get(name)
        if template is None:
            home = self.folder / name
            home.mkdir()
            template = self.new(home)
            build(template)
            self._templates[name] = template
        return self.copy(template, folder)

    def new(self, folder: Path) -> Cli:
        if self.backend == "sqlite":
            return Cli(folder / "ledger.db")
        return Cli(self.server.create_database())

    def copy(self, template: Cli, folder: Path) -> Cli:
        """A new ledger holding exactly what `template` holds (cheaper than building it again)."""
        if self.backend == "sqlite":
            target = folder / "ledger.db"
            source = sqlite3.connect(template.db)
            try:
                os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
                copy = sqlite3.connect(target)
                source.backup(copy)
                copy.close()
            finally:
                source.close()
            return Cli(target)
        return Cli(self.server.create_database(template=str(template.db)))

    def discard(self, cli: Cli) -> None:
        if not cli.is_sqlite:
            self.server.drop_database(str(cli.db))


class PostgresServer:
    """Creates and drops test databases on a throwaway cluster or DOANFIELD_TEST_PG_URL."""

    def __init__(self, admin_url: str, close: Callable[[], None]) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.base = make_url(admin_url)
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.close = close
        self.prefix = f"doanfield_test_{uuid.uuid4().hex[:6]}"
        self.numbers = itertools.count()
        self.created: set[str] = set()

    def _execute(self, statement: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(statement))

    def create_database(self, template: str | None = None) -> str:
        from sqlalchemy.engine import make_url

        name = f"{self.prefix}_{next(self.numbers)}"
        source = f' TEMPLATE "{make_url(template).database}"' if template else ""
        self._execute(f'CREATE DATABASE "{name}"{source}')
        self.created.add(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        name = make_url(url).database
        if name in self.created:
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.created.discard(name)

    def shutdown(self) -> None:
        for name in list(self.created):
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()
        self.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    external = os.environ.get("DOANFIELD_TEST_PG_URL")
    if external:
        server = PostgresServer(external, lambda: None)
    else:
        try:
            cluster = start_cluster()
        except ClusterUnavailable as error:
            if os.environ.get("DOANFIELD_REQUIRE_POSTGRES") == "1":
                pytest.fail(f"the PostgreSQL pass is required but cannot run: {error}")
            pytest.skip(f"PostgreSQL pass skipped: {error}")
        server = PostgresServer(cluster.url("postgres"), cluster.stop)
    try:
        yield server
    finally:
        server.shutdown()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def ledgers(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Ledgers:
    folder = tmp_path_factory.mktemp(f"templates-{backend}")
    if backend == "sqlite":
        return Ledgers(backend, folder)
    return Ledgers(backend, folder, request.getfixturevalue("postgres_server"))


@pytest.fixture
def cli(ledgers: Ledgers, tmp_path: Path) -> Iterator[Cli]:
    made = ledgers.new(tmp_path)
    yield made
    ledgers.discard(made)


@pytest.fixture
def province(ledgers: Ledgers, tmp_path: Path) -> Iterator[Cli]:
    """A small ledger: a province, two districts, a commune and four cadres (built once)."""
    made = ledgers.prepared("province", _build_province, tmp_path)
    yield made
    ledgers.discard(made)


def _build_province(cli: Cli) -> Cli:
    cli.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn Gia Lai", "--level", "province")
    cli.ok(
        "unit",
        "add",
        "HD-PT",
        "--name",
        "Huyện Đoàn Phú Thiện",
        "--level",
        "district",
        "--parent",
        "TD",
    )
    cli.ok(
        "unit",
        "add",
        "HD-DC",
        "--name",
        "Huyện Đoàn Đức Cơ",
        "--level",
        "district",
        "--parent",
        "TD",
    )
    cli.ok(
        "unit",
        "add",
        "X-PT1",
        "--name",
        "Đoàn xã Ia Sol",
        "--level",
        "commune",
        "--parent",
        "HD-PT",
    )
    cli.ok(
        "cadre",
        "add",
        "GL04",
        "--name",
        "Nguyễn Thành Hưng",
        "--unit",
        "TD",
        "--category",
        "provincial_staff",
        "--birth",
        "14/05/1992",
    )
    cli.ok(
        "cadre",
        "add",
        "GL01",
        "--name",
        "Rơ Mah Tuấn",
        "--unit",
        "TD",
        "--category",
        "provincial_leader",
        "--birth",
        "11/03/1984",
    )
    cli.ok(
        "cadre",
        "add",
        "PT01",
        "--name",
        "Trần Văn An",
        "--unit",
        "HD-PT",
        "--category",
        "district_key",
        "--birth",
        "04/04/1990",
    )
    cli.ok(
        "cadre",
        "add",
        "DC01",
        "--name",
        "Lê Thị Ánh",
        "--unit",
        "HD-DC",
        "--birth",
        "09/09/1988",
        "--active-from",
        "01/07/2024",
    )
    return cli


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def examples() -> Iterator[Path]:
    yield Path(__file__).resolve().parent.parent / "examples"
