"""`db copy`: the whole ledger into an empty one, on either engine, checked table by table.

A province's SQLite file moves into the shared PostgreSQL server (or a snapshot comes back out)
with every record, the change log (its hash chain intact) and the policy. The source is read in
one consistent snapshot; the target is written in one transaction — COPY on PostgreSQL — and
read back before it commits: every table must hold the same rows (count and a SHA-256 of the
rows in key order), or nothing is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, select, text
from sqlmodel import SQLModel

from doanfield import changelog
from doanfield.domain import DoanfieldError
from doanfield.engine import Ledger, insert_rows, open_ledger, sqlite_file
from doanfield.messages import Msg
from doanfield.outfile import Output

BATCH_ROWS = 50_000


class CopyRefused(DoanfieldError):
    pass


@dataclass
class TableCopy:
    table: str
    rows: int
    digest: str


class Digest:
    """Rows' count and SHA-256, each value written the same way whichever engine read it."""

    def __init__(self) -> None:
        self.rows = 0
        self._hash = hashlib.sha256()

    def add(self, row: Sequence[Any]) -> None:
        self.rows += 1
        values = [_canonical(value) for value in row]
        self._hash.update(json.dumps(values, ensure_ascii=False).encode("utf-8") + b"\n")

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return changelog.utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _tables() -> list[Table]:
    import doanfield.models  # noqa: F401  (registers the tables)

    return list(SQLModel.metadata.sorted_tables)


def _ordered(table: Table) -> Any:
    return select(table).order_by(*table.primary_key.columns)


def _rows(conn: Connection, table: Table) -> Iterator[Sequence[Any]]:
    yield from conn.execute(_ordered(table).execution_options(yield_per=BATCH_ROWS))


def _held(conn: Connection, tables: Iterable[Table]) -> list[str]:
    held = []
    for table in tables:
        count = conn.execute(select(func.count()).select_from(table)).scalar_one()
        if count:
            held.append(f"{count} in {table.name}")
    return held


def copy_to(
    source: Ledger, target: str, command: str, guarded: Path | None = None
) -> tuple[list[TableCopy], str]:
    """Copy `source` into TARGET (`copy_ledger`): an empty ledger that exists, or a new SQLite
    file, made whole under a temporary name and given its name only when copied and checked
    (outfile.py: a failed copy leaves no file; never over `guarded`, the source's own file)."""
    file = sqlite_file(target)
    if file is None or os.path.lexists(file):
        destination = open_ledger(target, command=command)
        try:
            return copy_ledger(source, destination), destination.shown
        finally:
            destination.engine.dispose()
    with Output(file, ledger=guarded).file() as temporary:
        destination = open_ledger(temporary, command=command)
        try:
            copies = copy_ledger(source, destination)
        finally:
            destination.engine.dispose()
    return copies, str(file)


def copy_ledger(source: Ledger, target: Ledger) -> list[TableCopy]:
    """Copy every table of `source` into the empty `target`; the copies' counts and digests."""
    tables = _tables()
    where = target.shown
    copies: list[TableCopy] = []
    with source.read() as reading, target.write(bulk=True) as writing:
        # One snapshot of the source throughout (SQLite's read transaction gives one by itself).
        snapshot = {} if source.is_sqlite else {"isolation_level": "REPEATABLE READ"}
        src = reading.connection(execution_options=snapshot)
        dst = writing.connection()
        held = _held(dst, tables)
        if held:
            raise CopyRefused(Msg.COPY_TARGET_NOT_EMPTY, target=where, held=", ".join(held))
        for table in tables:
            digest = Digest()
            columns = [column.name for column in table.columns]
            batch: list[Sequence[Any]] = []
            for row in _rows(src, table):
                digest.add(row)
                batch.append(tuple(row))
                if len(batch) >= BATCH_ROWS:
                    _write(writing, dst, table, columns, batch)
                    batch = []
            if batch:
                _write(writing, dst, table, columns, batch)
            copies.append(TableCopy(table.name, digest.rows, digest.hexdigest()))
        if dst.dialect.name == "postgresql":
            _move_sequences_on(dst, tables)
        for copied in copies:
            check = Digest()
            for row in _rows(dst, SQLModel.metadata.tables[copied.table]):
                check.add(row)
            if (check.rows, check.hexdigest()) != (copied.rows, copied.digest):
                raise CopyRefused(
                    Msg.COPY_DIFFERS,
                    table=copied.table,
                    copied=check.rows,
                    rows=copied.rows,
                    target=where,
                )
    return copies


def _write(
    session: Any, conn: Connection, table: Table, columns: list[str], rows: list[Sequence[Any]]
) -> None:
    if conn.dialect.name == "postgresql":
        insert_rows(session, table.name, columns, rows)
    else:
        # Through SQLAlchemy, which writes dates and times as the ledger's own reads expect.
        conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])


def _move_sequences_on(conn: Connection, tables: Iterable[Table]) -> None:
    """Rows came with their ids; each id sequence must go on after the largest."""
    for table in tables:
        if "id" not in table.columns:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                f'COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{table.name}"'
            )
        )
