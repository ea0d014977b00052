"""Opening a ledger: the one module that knows SQLite's particulars.

Everything SQLite-specific lives here (file checks, pragmas, BEGIN IMMEDIATE, backup, integrity
checks); the rest of doanfield speaks portable SQLAlchemy and runs unchanged on PostgreSQL.
"""

from __future__ import annotations

import getpass
import logging
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Select, Table, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
)
from sqlmodel import Session

from doanfield import changelog
from doanfield.domain import BadUsage, Conflict, DoanfieldError, LedgerRefused
from doanfield.messages import Message, Msg, os_reason
from doanfield.outfile import (
    APPLICATION_ID,
    COMPANIONS,
    SQLITE_HEADER,
    Output,
    OutputFailed,
    OutputRefused,
    file_kind,
    is_ledger_file,
    ledger_writable,
    may_write,
    new_file,
)
from doanfield.schema import KNOWN_REVISIONS, SCHEMA_REVISION


class LedgerBusy(DoanfieldError):
    """Another writer held the ledger for longer than a writer waits."""


class LedgerUnavailable(DoanfieldError):
    """The database server cannot be reached, refuses us, or went away."""


class LedgerReadOnly(DoanfieldError):
    """The ledger's file or folder cannot be written: it may be read, not changed."""


class LedgerFull(DoanfieldError):
    """The disk (or the file size limit) left no room to write; nothing was changed."""


# The newest schema revision this version knows; a test keeps it equal to Alembic's head.
BUSY_TIMEOUT_MS = 10_000
# A writer that finds another one writing waits this long (saying so once), then gives up.
WRITE_WAIT_SECONDS = 120.0
# Waits shorter than this pass without a word.
QUIET_WAIT_SECONDS = 1.0
BULK_CACHE_KIB = 256 * 1024
# The ledger's cache while StagedTable copies rows already in order: a small one will do.
COPY_CACHE_KIB = 32 * 1024
PAGE_SIZE = 16384
DEFAULT_CACHE = -2000


def to_url(target: str | os.PathLike[str]) -> URL:
    """A database URL, or a file path turned into one without string formatting.

    A URL that cannot be read as it was meant is refused before anything connects, shown
    with its password masked: above all one whose password holds an unescaped '@', which the
    URL would take for part of the host (and every message would show as the host's name).
    """
    text_target = os.fspath(target)
    if "://" not in text_target:
        return URL.create("sqlite+pysqlite", database=str(Path(text_target).expanduser()))
    try:
        url = make_url(text_target)
    except (ArgumentError, ValueError):  # their words may quote the password: not shown
        raise BadUsage(Msg.URL_UNREADABLE, url=masked_url(text_target)) from None
    if "@" in (url.host or ""):
        raise BadUsage(Msg.URL_AT_IN_PASSWORD, url=masked_url(text_target))
    return url


def masked_url(text: str) -> str:
    """A URL as typed, with everything between the user's name and the last '@' masked."""
    scheme, sep, rest = text.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in userinfo:
        return text
    return f"{scheme}://{userinfo.partition(':')[0]}:***@{host}"


def safe_url(url: URL) -> str:
    """The URL as it may be shown: never with its password."""
    return url.render_as_string(hide_password=True)


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _sqlite_path(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def sqlite_file(target: str | os.PathLike[str]) -> Path | None:
    """The file of a SQLite ledger named by a path or URL; None for a server ledger."""
    url = to_url(target)
    return _sqlite_path(url) if _is_sqlite(url) else None


def _file_state(path: Path) -> str:
    """`missing`, `empty` or `ledger`; anything else is refused before it is opened or written:
    a folder, a pipe or a device (`--db /dev/null`), a file that is not a doanfield ledger."""
    for companion in COMPANIONS[1:]:  # SQLite's own files beside a database
        owner = Path(str(path).removesuffix(companion))
        if str(path).endswith(companion) and owner.is_file():
            raise LedgerRefused(Msg.LEDGER_COMPANION, path=str(path), owner=str(owner))
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        raise LedgerRefused(
            Msg.LEDGER_UNREADABLE, path=str(path), reason=os_reason(error)
        ) from None
    kind = file_kind(found.st_mode)
    if kind is not None:
        raise LedgerRefused(Msg.LEDGER_NOT_A_FILE, path=str(path), kind=kind)
    if found.st_size == 0:
        return "empty"
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise LedgerRefused(
            Msg.LEDGER_UNREADABLE, path=str(path), reason=os_reason(error)
        ) from None
    if not header.startswith(SQLITE_HEADER):
        raise LedgerRefused(Msg.LEDGER_NOT_SQLITE, path=str(path))
    if not is_ledger_file(path):
        raise LedgerRefused(Msg.LEDGER_OTHER_SQLITE, path=str(path))
    return "ledger"


def private_copy(path: Path, folder: Path) -> Path:
    """A copy of the ledger file at `path` (with its write-ahead log, if one is beside it) in
    `folder`, for reading and upgrading there: the file itself is only read, and nothing is
    created beside it (opening it, even read-only, would leave -wal/-shm files there).
    Refuses a file that is not a doanfield ledger, and a copy that is damaged."""
    if _file_state(path) != "ledger":
        raise LedgerRefused(Msg.LEDGER_NOT_SQLITE, path=str(path))
    copy = folder / "ledger.db"
    for suffix in ("", "-wal"):
        source = path.with_name(path.name + suffix)
        if suffix and not source.is_file():
            continue
        target = copy.with_name(copy.name + suffix)
        try:
            with (
                source.open("rb") as reading,
                open(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600), "wb") as out,
            ):
                while chunk := reading.read(1 << 20):
                    out.write(chunk)
        except OSError as error:
            raise LedgerRefused(
                Msg.LEDGER_UNREADABLE, path=str(source), reason=os_reason(error)
            ) from None
    conn = sqlite3.connect(copy)
    try:
        found = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as error:
        found = (str(error),)
    finally:
        conn.close()
    if found is None or found[0] != "ok":
        problem = found[0] if found else "?"
        raise LedgerRefused(Msg.LEDGER_DAMAGED, path=str(path), problem=problem)
    return copy


def _create_ledger_file(path: Path) -> None:
    """Mark an empty private SQLite file as a ledger in its header (before WAL holds page 1)."""
    conn = sqlite3.connect(path)
    try:
        # Larger pages: bulk loads and whole-year scans run about a third faster.
        conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.commit()
    finally:
        conn.close()


def _create_ledger(path: Path, replace_empty: bool) -> None:
    """A whole new ledger, schema and all, built under a temporary name and only then given
    its name (outfile.new_file): a failure or a full disk leaves no file behind. Of two
    doanfields creating the same ledger at once, the first to finish gives it its name and
    the other opens that one."""
    try:
        with new_file(path, force=replace_empty) as temporary:
            _create_ledger_file(temporary)
            engine = create_engine(to_url(temporary))
            _install_sqlite_events(engine)
            try:
                _migrate(engine)
            except OperationalError as error:
                raise _sqlite_failure(error, path) from None
            finally:
                engine.dispose()
            _switch_to_wal(temporary)
    except OutputRefused:
        if _file_state(path) != "ledger":  # not another doanfield's new ledger: say why
            raise


def _switch_to_wal(path: Path) -> None:
    """Readers never wait for a writer (persistent in the file; a writer's first step)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as error:
        raise _sqlite_failure(error, path) from None
    finally:
        conn.close()


def _read_only_url(path: Path) -> URL:
    """The ledger opened for reading only: in a read-only folder without a -wal (nobody can be
    writing it), as immutable, since SQLite could not even create its -shm there."""
    query = {"mode": "ro", "uri": "true"}
    if not may_write(path.parent) and not Path(f"{path}-wal").exists():
        query["immutable"] = "1"
    return URL.create("sqlite+pysqlite", database=path.resolve().as_uri(), query=query)


SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL = 8, 10, 13


def _sqlite_code(error: Exception) -> int:
    return int(getattr(getattr(error, "orig", error), "sqlite_errorcode", 0)) & 0xFF


def _output_failure(error: Exception, path: Path) -> Exception:
    """SQLite's failure to write a new file (a backup) as one line naming that file."""
    code = _sqlite_code(error)
    if code == SQLITE_FULL:
        return OutputFailed(Msg.OUTPUT_NO_SPACE, path=str(path))
    if code == SQLITE_IOERR:
        return OutputFailed(Msg.OUTPUT_IO_ERROR, path=str(path))
    return error


def _sqlite_failure(error: Exception, path: Path | str) -> Exception:
    """SQLite's failures to write as one line; anything else is returned as it came."""
    code = _sqlite_code(error)
    if code == SQLITE_FULL:
        return LedgerFull(Msg.LEDGER_FULL, path=str(path))
    if code == SQLITE_READONLY:
        return LedgerReadOnly(Msg.LEDGER_READ_ONLY, path=str(path))
    if code == SQLITE_IOERR:
        return LedgerFull(Msg.LEDGER_IO_ERROR, path=str(path))
    return error


def _install_sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions start (SQLAlchemy's
        # documented fix for pysqlite), so a failed command rolls back all of its work.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Nothing here writes the file: a ledger refused after the revision check (a newer
        # one) is left byte for byte as it was. Writers switch WAL on (Ledger.write).
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        if options.get("migrating"):
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        if options.get("bulk"):
            # A bulk load resolves every reference itself under the write lock, so SQLite's
            # per-row foreign-key re-check (a third of the load's time) is redundant.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        # Writers take the write lock up front, so two offices never deadlock half-way.
        if options.get("sqlite_begin") == "IMMEDIATE":
            _begin_immediate(conn, options.get("on_wait"))
        else:
            conn.exec_driver_sql("BEGIN DEFERRED")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # A bulk load's staged rows (StagedTable): gone with the transaction.
        attached = [row[1] for row in cursor.execute("PRAGMA database_list")]
        if STAGED in attached:
            cursor.execute(f"DETACH DATABASE {STAGED}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA cache_size={DEFAULT_CACHE}")
        cursor.close()


def _is_locked(error: DBAPIError) -> bool:
    return "locked" in str(error.orig)


def _begin_immediate(conn: Any, on_wait: Callable[[], None] | None) -> None:
    """BEGIN IMMEDIATE, waiting up to WRITE_WAIT_SECONDS for another writer (saying so once)."""
    try:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(QUIET_WAIT_SECONDS * 1000)}")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as error:
            if not _is_locked(error):
                raise
        if on_wait is not None:
            on_wait()
        rest = max(WRITE_WAIT_SECONDS - QUIET_WAIT_SECONDS, 0.001)
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(rest * 1000)}")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except OperationalError as error:
            if not _is_locked(error):
                raise
            raise LedgerBusy(Msg.STILL_BUSY, wait=_duration(WRITE_WAIT_SECONDS)) from None
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _lock_server_ledger(conn: Connection, on_wait: Callable[[], None] | None) -> None:
    """Writers to a server ledger queue on one advisory lock, as SQLite's writers do on its
    write lock: an import and a `trip add` never interleave, so nothing is lost or doubled."""
    key = {"key": changelog.WRITE_LOCK_KEY}
    deadline = time.monotonic() + QUIET_WAIT_SECONDS
    while not conn.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), key).scalar():
        if time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    else:
        return
    if on_wait is not None:
        on_wait()
    rest = max(WRITE_WAIT_SECONDS - QUIET_WAIT_SECONDS, 0.001)
    conn.execute(text(f"SET LOCAL lock_timeout = '{int(rest * 1000)}ms'"))
    try:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), key)
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        raise LedgerBusy(Msg.STILL_BUSY, wait=_duration(WRITE_WAIT_SECONDS)) from None
    conn.execute(text("SET LOCAL lock_timeout = DEFAULT"))


def _duration(seconds: float) -> Message:
    if seconds >= 60 and seconds % 60 == 0:
        return Msg.N_MINUTES(n=int(seconds // 60))
    return Msg.N_SECONDS(n=f"{seconds:g}")


def waiting_message() -> Message:
    return Msg.WAITING_FOR_WRITER(wait=_duration(WRITE_WAIT_SECONDS))


@dataclass
class Ledger:
    """An open ledger: the engine, and who is changing it through which command."""

    engine: Engine
    url: URL
    command: str = "doanfield"
    # Called once when a writer has to wait for another (the CLI says so on stderr).
    on_wait: Callable[[], None] | None = None
    # A SQLite file this process cannot write (or in a folder it cannot write): read only.
    read_only: bool = False
    # The ledger's file was made by this open (its schema written then): none before.
    created: bool = False
    _in_wal: bool = False

    @property
    def is_sqlite(self) -> bool:
        return _is_sqlite(self.url)

    @property
    def path(self) -> Path | None:
        return _sqlite_path(self.url) if self.is_sqlite else None

    @property
    def shown(self) -> str:
        """The ledger as it may be shown: a file's path, or a URL without its password."""
        if self.is_sqlite and self.url.database:
            return self.url.database
        return safe_url(self.url)

    @contextmanager
    def write(self, bulk: bool = False) -> Iterator[Session]:
        """One transaction holding the write lock; commits at the end, rolls back on any error.

        `bulk` is for imports that have checked every reference themselves.
        """
        if self.read_only:
            raise LedgerReadOnly(Msg.LEDGER_READ_ONLY, path=self.shown)
        path = self.path
        if path is not None and not self._in_wal:
            _switch_to_wal(path)
            self._in_wal = True
        with self.database_errors(), Session(self.engine, expire_on_commit=False) as session:
            session.info["command"] = self.command
            session.info["os_user"] = _os_user()
            conn = session.connection(
                execution_options={
                    "sqlite_begin": "IMMEDIATE",
                    "bulk": bulk,
                    "on_wait": self.on_wait,
                }
            )
            if not self.is_sqlite:
                _lock_server_ledger(conn, self.on_wait)
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            try:
                session.commit()
            except DBAPIError as error:
                if self.is_sqlite or not error.connection_invalidated:
                    raise
                raise LedgerUnavailable(
                    Msg.SERVER_LOST_SAVING, server=server_name(self.url)
                ) from None

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.database_errors(), Session(self.engine) as session:
            yield session

    @contextmanager
    def database_errors(self) -> Iterator[None]:
        """The database's failures as one clear line: a full disk or a read-only file on
        SQLite; on a server, its connection and permission problems (never the driver's
        words with a password)."""
        try:
            yield
        except IntegrityError as error:
            duplicate = duplicate_error(error)
            if duplicate is None:
                raise
            raise duplicate from None
        except DBAPIError as error:
            if self.is_sqlite:
                raise _sqlite_failure(error, self.shown) from None
            line = describe_server_error(error, self.url)
            if line is None:
                raise
            raise LedgerUnavailable(line) from None

    def revision(self) -> str | None:
        with self.database_errors(), self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def backup(self, destination: Output) -> None:
        """A consistent copy into a new private file (SQLite's online backup API).

        Written under a temporary name beside the destination, checked (integrity_check),
        and only then renamed (outfile.py): a backup killed half-way leaves no file that
        looks like a backup.
        """
        if not self.is_sqlite:
            raise LedgerRefused(Msg.BACKUP_SQLITE_ONLY)
        with destination.file() as temporary:
            raw = self.engine.raw_connection()
            try:
                target = sqlite3.connect(temporary)
                try:
                    raw.driver_connection.backup(target)  # type: ignore[union-attr]
                    target.execute("PRAGMA journal_mode=DELETE")
                    problems = [line for (line,) in target.execute("PRAGMA integrity_check")]
                finally:
                    target.close()
            except sqlite3.OperationalError as error:
                raise _output_failure(error, destination.path) from None
            finally:
                raw.close()
            if problems != ["ok"]:
                raise LedgerRefused(
                    Msg.BACKUP_NOT_SOUND, path=str(destination.path), problem=problems[0]
                )

    def check_storage(self) -> list[str]:
        """The database's own integrity checks; an empty list when sound."""
        if not self.is_sqlite:
            return []
        problems: list[str] = []
        with self.engine.connect() as conn:
            for (line,) in conn.exec_driver_sql("PRAGMA integrity_check"):
                if line != "ok":
                    problems.append(f"integrity: {line}")
            for row in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                problems.append(f"foreign key: {row[0]} row {row[1]} refers to a missing {row[2]}")
        return problems


# Records known by a code: the noun a duplicate of that table's code is said with.
CODED = {"unit": Msg.UNIT, "cadre": Msg.CADRE, "plan": Msg.PLAN}
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w.]+(?:, [\w.]+)*)")
_PG_KEY = re.compile(r"Key \((?P<column>[^)]*)\)=\((?P<value>.*)\) already exists")


def duplicate_error(error: IntegrityError) -> Conflict | None:
    """A unique constraint's refusal as the usual "unit 'X' already exists", on either engine.

    doanfield checks for a duplicate before it writes; the constraint still decides when two
    desks add the same code at once (the check of each saw no other), and its refusal is
    said the same way.
    """
    cause = error.orig
    diag = getattr(cause, "diag", None)
    if diag is not None:  # PostgreSQL
        if getattr(cause, "sqlstate", None) != "23505":
            return None
        table, key = diag.table_name or "", _PG_KEY.search(diag.message_detail or "")
        column, value = (key["column"], key["value"]) if key else ("", None)
    else:  # SQLite names table.column, the value is in the statement's parameters
        found = _SQLITE_UNIQUE.search(str(cause))
        if found is None:
            return None
        table, _, column = found["columns"].split(", ")[0].partition(".")
        value = _inserted(error.statement or "", error.params, column)
    if table in CODED and column == "code" and value is not None:
        return Conflict(Msg.ALREADY_EXISTS, what=CODED[table], code=value)
    return Conflict(Msg.ALREADY_RECORDED, table=table, column=column or "?")


_INSERT = re.compile(r"^\s*INSERT INTO \S+ \((?P<columns>[^)]*)\)", re.I)


def _inserted(statement: str, params: Any, column: str) -> Any:
    """The value a one-row INSERT gave `column` (named or positional parameters)."""
    if isinstance(params, dict):
        return params.get(column)
    found = _INSERT.match(statement)
    if found is None or not isinstance(params, tuple | list) or not params:
        return None
    names = [name.strip().strip('"') for name in found["columns"].split(",")]
    if isinstance(params[0], tuple | list | dict) or column not in names:
        return None  # several rows at once: which one is not known
    return params[names.index(column)]


def server_name(url: URL) -> Message:
    """Where a server ledger is, for messages: host (or socket folder) and database."""
    host = url.host or url.query.get("host") or "localhost"
    if isinstance(host, tuple):
        host = ",".join(host)
    port = f":{url.port}" if url.port else ""
    return Msg.PG_SERVER(host=f"{host}{port}", database=url.database or "")


def describe_server_error(error: DBAPIError, url: URL) -> Message | None:
    """One line for a server ledger's connection, permission or lost-connection failure."""
    detail = str(error.orig)
    server = server_name(url)
    user = url.username or _os_user()
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate == "42501" or "permission denied" in detail:
        return Msg.SERVER_PERMISSION(user=user, server=server, detail=_first_line(detail))
    if not isinstance(error, OperationalError) and not error.connection_invalidated:
        return None
    if "does not exist" in detail and "database" in detail:
        return Msg.SERVER_NO_DATABASE(server=server, database=url.database or "")
    refusals = ("password authentication failed", "no password supplied", "role", "pg_hba.conf")
    if any(sign in detail for sign in (*refusals, "authentication")):
        return Msg.SERVER_REFUSED_USER(server=server, user=user)
    if error.connection_invalidated or sqlstate in ("57P01", "57P02", "57P03"):
        return Msg.SERVER_LOST(server=server)
    unreachable = ("connection", "timeout", "resolve host", "translate host name")
    if any(sign in detail for sign in unreachable):
        return Msg.SERVER_UNREACHABLE(server=server, detail=_first_line(detail))
    return None


def _first_line(detail: str) -> str:
    """The driver's own words, without its prefix and hints (they never hold a password)."""
    lines = [line.strip() for line in detail.splitlines() if line.strip()]
    first = lines[-1] if lines and lines[0].startswith("connection") else (lines or [""])[0]
    return first.removeprefix("FATAL:").strip()[:200]


def insert_rows(
    session: Session, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Many rows in the session's transaction: COPY on PostgreSQL, executemany elsewhere.

    Through the DB-API connection: ORM objects cost 50× more (PERFORMANCE.md). Values go as
    the database reads them as text (dates as ISO text are fine on both).
    """
    conn = session.connection()
    raw: Any = conn.connection.driver_connection
    names = ", ".join(f'"{column}"' for column in columns)
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    cursor = raw.cursor()
    try:
        cursor.executemany(
            f'INSERT INTO "{table}" ({names}) VALUES ({", ".join([marker] * len(columns))})', rows
        )
    finally:
        cursor.close()


STAGED = "doanfield_staged"


class StagedTable:
    """An Arrow table's rows (its columns named as the table's) on their way into a table of the
    ledger, appended in the session's transaction in their order; with `unique`, a row equal to a
    stored one in those columns is left out; with `empty` (the table holds no row: the caller
    read it so under the write lock), the rows take the ids 1, 2, … in their order, as SQLite
    gives them to rows added one by one.

    The rows are staged first, then copied by one INSERT … SELECT (`insert`). On SQLite they are
    written by Arrow ADBC's driver into a private temporary file (from Arrow memory at the speed
    of SQLite itself, on a connection of its own, which the import's write lock keeps out of the
    ledger), in a thread of its own from the moment this is made (ADBC and SQLite let go of
    Python's lock), so the caller goes on checking what it may still refuse meanwhile; then they
    are handed to the ledger's connection as an attached database (the file, memory-mapped; on
    Windows a copy in memory, as an open file cannot be removed there). Into an empty
    table, the staged table has the ledger's table's definition and indexes, built there after
    the rows: SQLite's transfer optimisation then copies the rows and each index's entries
    already in order, and the ledger's connection sorts nothing (1M trips: the copy and the
    covering index built after it 1.4-1.5 s, the same copy with the index copied 0.4-0.6 s). On
    PostgreSQL they are sent by COPY into a temporary table when `insert` is called.
    """

    def __init__(
        self,
        session: Session,
        table: str,
        data: Any,
        unique: Sequence[str] = (),
        empty: bool = False,
    ) -> None:
        self.conn = session.connection()
        self.table, self.data, self.unique = table, data, unique
        self.folder: Path | None = None
        self.thread: Any = None
        self.error: BaseException | None = None
        self.schema: list[str] = []
        if self.conn.dialect.name != "sqlite":
            return
        import tempfile
        import threading

        import adbc_driver_sqlite.dbapi  # noqa: F401  (imported here, never in the thread)

        if empty and not unique:
            self.schema = [
                sql
                for (sql,) in self.conn.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL "
                    "AND type IN ('table', 'index') ORDER BY type = 'index', rowid",
                    (table,),
                )
            ]
        self.folder = Path(tempfile.mkdtemp(prefix="doanfield-"))
        self.thread = threading.Thread(target=self._stage, name="doanfield-staging")
        self.thread.start()

    def _stage(self) -> None:
        import adbc_driver_sqlite.dbapi as adbc

        assert self.folder is not None
        try:
            path = self.folder / "staged.db"
            with adbc.connect(str(path), autocommit=True) as staging, staging.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=OFF")
                cursor.execute("PRAGMA synchronous=OFF")
                # The ledger's page size, and a helper thread for the index's sort (1M trips:
                # rows 0.85 -> 0.77 s, index 0.59 -> 0.38-0.43 s).
                cursor.execute(f"PRAGMA page_size={PAGE_SIZE}")
                cursor.execute("PRAGMA threads=2")
                if not self.schema:
                    cursor.adbc_ingest(self.table, self.data, mode="create")
                    return
                cursor.execute(self.schema[0])  # the table, then its indexes after its rows
                cursor.adbc_ingest(self.table, self.data, mode="append")
                for index in self.schema[1:]:
                    cursor.execute(index)
        except BaseException as error:  # handed to the caller's thread by insert()
            self.error = error

    def insert(self) -> int:
        """Copy the staged rows into the table; how many were added."""
        conn = self.conn
        raw: Any = conn.connection.driver_connection
        if conn.dialect.name == "postgresql":
            return _insert_table_copy(conn, raw, self.table, self.data, self.unique)
        self._wait()
        assert self.folder is not None
        path = self.folder / "staged.db"
        if os.name == "nt":
            # Into memory, so the file goes now: an attached file could not be deleted there
            # until the connection is back in the pool, which detaches it.
            import mmap

            conn.exec_driver_sql(f"ATTACH DATABASE ':memory:' AS {STAGED}")
            with (
                path.open("rb") as handle,
                mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as image,
            ):
                raw.deserialize(image, name=STAGED)
        else:
            # The file itself, read through a memory map (no copy of its 128 MB for 1M trips);
            # its name goes now, the file with the connection's return to the pool (detached).
            conn.exec_driver_sql(f"ATTACH DATABASE ? AS {STAGED}", (str(path),))
            conn.exec_driver_sql(f"PRAGMA {STAGED}.mmap_size={path.stat().st_size}")
        self.close()
        staged = f'{STAGED}."{self.table}"'
        if self.schema:
            # Exactly this form (every column, no ORDER BY) for the transfer optimisation.
            statement = f'INSERT INTO "{self.table}" SELECT * FROM {staged}'
            # Pages it fills are written to the log as it goes and their memory used again:
            # 128 MB of fresh memory fewer (the bulk cache is for the row path's look-ups).
            conn.exec_driver_sql(f"PRAGMA main.cache_size=-{COPY_CACHE_KIB}")
        else:
            columns = list(self.data.column_names)
            statement = _insert_select(self.table, columns, staged, self.unique)
            statement += " ORDER BY s.rowid"
        cursor = raw.cursor()
        try:
            cursor.execute(statement)
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def _join(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None

    def _wait(self) -> None:
        self._join()
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def close(self) -> None:
        """The staging thread waited for, its file removed (the rows not inserted if not yet)."""
        self._join()
        if self.folder is not None:
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _insert_select(table: str, columns: list[str], source: str, unique: Sequence[str]) -> str:
    """INSERT … SELECT of `columns` from `source` (as s), less the rows stored already."""
    names = ", ".join(f'"{column}"' for column in columns)
    selected = ", ".join(f's."{column}"' for column in columns)
    where = ""
    if unique:
        same = " AND ".join(f't."{column}" = s."{column}"' for column in unique)
        where = f' WHERE NOT EXISTS (SELECT 1 FROM "{table}" t WHERE {same})'
    return f'INSERT INTO "{table}" ({names}) SELECT {selected} FROM {source} s{where}'


def _insert_table_copy(
    conn: Connection, raw: Any, table: str, data: Any, unique: Sequence[str]
) -> int:
    """PostgreSQL's side of StagedTable.insert: COPY into a temporary table, INSERT … SELECT."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    columns = list(data.column_names)
    names = ", ".join(f'"{column}"' for column in columns)
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE {STAGED} ON COMMIT DROP AS SELECT 0::bigint AS seq, {names} "
        f'FROM "{table}" WITH NO DATA'
    )
    plain = [
        c.combine_chunks().dictionary_decode() if pa.types.is_dictionary(c.type) else c
        for c in data.columns
    ]
    staged = pa.table([pa.array(range(data.num_rows), pa.int64()), *plain], ["seq", *columns])
    buffer = pa.BufferOutputStream()
    # Every value quoted: an empty text stays empty, only a missing value is NULL.
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    pacsv.write_csv(staged, buffer, options)
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {STAGED} (seq, {names}) FROM STDIN (FORMAT csv)") as copy,
    ):
        view = memoryview(buffer.getvalue())
        for at in range(0, len(view), 1 << 20):
            copy.write(view[at : at + (1 << 20)])
    cursor = raw.cursor()
    try:
        cursor.execute(_insert_select(table, columns, STAGED, unique) + " ORDER BY s.seq")
        return int(cursor.rowcount)
    finally:
        cursor.close()


def day_number(conn: Connection, column: Any) -> Any:
    """A date column as its day number (date.toordinal), computed by the database: a national
    report reads a third of a million trips, and ints cost the driver far less than dates."""
    from sqlalchemy import Integer, cast, func, literal_column

    if conn.dialect.name == "sqlite":  # Julian day 1721425.5 is 0001-01-01, day number 1
        return cast(func.julianday(column) - 1721424.5, Integer)
    return cast(column - literal_column("DATE '0001-01-01'"), Integer) + 1


def stream_rows(
    conn: Connection, query: Select[Any], plain: bool = False
) -> Iterator[Sequence[Any]]:
    """A large query's rows one by one: through COPY on PostgreSQL (a national export).

    `plain`: on SQLite too, straight from the DB-API cursor, as the database gives them (a
    national report's trips: SQLAlchemy's row objects would cost a third of its time).
    """
    if conn.dialect.name != "postgresql":
        if not plain:
            yield from conn.execute(query)
            return
        sql = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            yield from cursor.execute(str(sql))
        finally:
            cursor.close()
        return
    sql = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    # Type names as psycopg knows them: VARCHAR(64) is read as varchar.
    types = [
        column.type.compile(dialect=conn.dialect).lower().partition("(")[0]
        for column in query.selected_columns
    ]
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT") as copy:
        copy.set_types(types)
        yield from copy.rows()


@contextmanager
def deferred_indexes(session: Session, table: Table) -> Iterator[None]:
    """Build a SQLite table's secondary indexes once after a large load, not row by row.

    Inside the load's transaction, so a failed load keeps the old indexes. Other databases
    keep their indexes: dropping one there would lock out every other office's readers.
    """
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    indexes = list(table.indexes)
    for index in indexes:
        index.drop(conn)
    yield
    for index in indexes:
        index.create(conn)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _migrate(engine: Engine, target: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    # Under the write lock: two doanfields opening a new ledger at once migrate it once.
    # On SQLite with foreign keys off (set before BEGIN, where SQLite honours it): rebuilding a
    # table to drop a column drops the old one, which with them on would cascade to its
    # children. They are checked before the migration commits.
    with engine.connect() as conn:
        conn.execution_options(sqlite_begin="IMMEDIATE", migrating=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": changelog.WRITE_LOCK_KEY}
                )
            config.attributes["connection"] = conn
            command.upgrade(config, target)
            if conn.dialect.name == "sqlite":
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    raise LedgerRefused(Msg.MIGRATION_BROKE_REFERENCE, table=broken[0])


def open_ledger(
    target: str | os.PathLike[str],
    command: str = "doanfield",
    make_folder: bool = False,
    upgrade: bool = True,
    on_wait: Callable[[], None] | None = None,
) -> Ledger:
    """Open (creating or upgrading as needed) the ledger at a path or SQLAlchemy URL.

    `make_folder` creates a missing folder (the default data directory); a folder typed by
    hand must exist, so a typo does not quietly start an empty ledger somewhere new.
    """
    url = to_url(target)
    path = _sqlite_path(url) if _is_sqlite(url) else None
    read_only = created = False
    if path is not None:
        state = _file_state(path)
        if state != "ledger":
            created = True
            if make_folder:
                path.parent.mkdir(parents=True, exist_ok=True)
            elif not path.parent.is_dir():
                raise LedgerRefused(Msg.FOLDER_MISSING, path=str(path.parent))
            _create_ledger(path, replace_empty=state == "empty")
        read_only = not ledger_writable(path)
    try:
        engine = create_engine(_read_only_url(path) if path and read_only else url)
    except (ModuleNotFoundError, NoSuchModuleError) as error:
        hint = (
            " (pip install 'doanfield[postgres]')" if url.get_backend_name() == "postgresql" else ""
        )
        raise LedgerRefused(
            Msg.NO_DRIVER, driver=url.drivername, hint=hint, error=str(error)
        ) from None
    if _is_sqlite(url):
        _install_sqlite_events(engine)
    else:
        from doanfield.models import with_postgresql_options

        with_postgresql_options()
        # The driver's own warnings (e.g. about a pipeline on a lost connection) are not for
        # the clerk: the failure itself becomes one line.
        logging.getLogger("psycopg").addHandler(logging.NullHandler())
        logging.getLogger("psycopg").propagate = False
    ledger = Ledger(engine, url, command, on_wait, read_only=read_only, created=created)
    if upgrade:
        with ledger.database_errors():
            _bring_schema_up_to_date(ledger)
    elif (revision := ledger.revision()) is not None and revision not in KNOWN_REVISIONS:
        raise LedgerRefused(Msg.LEDGER_NEWER, revision=revision)
    return ledger


def _bring_schema_up_to_date(ledger: Ledger) -> None:
    """Nothing is written before the revision is read: a newer ledger is left as it was."""
    revision = ledger.revision()
    if revision == SCHEMA_REVISION:
        return
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise LedgerRefused(Msg.LEDGER_NEWER, revision=revision)
    if revision is None:
        with ledger.engine.connect() as conn:
            tables = inspect(conn).get_table_names()
        if tables:
            raise LedgerRefused(Msg.DATABASE_NOT_LEDGER, url=safe_url(ledger.url))
    if ledger.read_only:
        raise LedgerReadOnly(
            Msg.LEDGER_READ_ONLY_OLD, path=ledger.shown, revision=revision or Msg.NONE
        )
    path = ledger.path
    if revision is not None and path is not None:
        stamp = datetime.now().strftime("%Y%m%d%H%M%S")
        ledger.backup(Output(path.with_name(f"{path.name}.before-{revision}-{stamp}.bak")))
    _migrate(ledger.engine)


def upgrade(ledger: Ledger) -> tuple[str | None, str]:
    """Bring the schema to this version's head; returns (before, after) revisions."""
    before = None if ledger.created else ledger.revision()
    with ledger.database_errors():
        _bring_schema_up_to_date(ledger)
    return before, SCHEMA_REVISION
