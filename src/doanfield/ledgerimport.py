"""`import ledger`: another doanfield ledger's records added to this one (SPEC §6).

Two provinces' ledgers become one: every unit (its life, parents over time, successors), cadre
(with its postings), plan (with its quotas), trip, assignment and absence of the other ledger is
added, each code with an optional prefix in front. The other ledger is read from a copy (upgraded
there to this schema if it is older); the file itself is never opened.

A code present in both ledgers is refused unless the two records are identical — every value,
parents, successors, postings and quotas, references compared by code — and then skipped. The
trips, assignments and absences of a skipped cadre are skipped when equal to a stored one (trips:
same cadre, start, end, kind, place; assignments: same host and dates; absences: same dates), and
otherwise checked against this ledger as an import of them would be; so importing the same ledger
again adds nothing. Any refusal lists every problem (the first 20 and a count) and writes nothing.

Tables are read and written set-based (`engine.insert_rows`: executemany, COPY on PostgreSQL),
and by their columns: a column added to a table later is carried over without a change here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Connection, Date, String, Table, cast, select
from sqlmodel import Session, SQLModel

from doanfield import ledger
from doanfield.checks import Clash
from doanfield.domain import DoanfieldError
from doanfield.engine import insert_rows
from doanfield.messages import Heading, Message, Msg
from doanfield.models import Cadre, Day

BATCH_ROWS = 50_000
MAX_REPORTED = 20
CODE_LENGTH = 64

# Records named by a code (the prefix goes in front of it), and what they own.
CODED = ("unit", "cadre", "plan")
OWNED: dict[str, tuple[str, str]] = {  # table -> (owner table, owner column)
    "unit_parent": ("unit", "unit_id"),
    "unit_successor": ("unit", "unit_id"),
    "posting": ("cadre", "cadre_id"),
    "plan_quota": ("plan", "plan_id"),
}
# What a collision names when two records differ in what they own.
OWNED_WORDS = {
    "unit_parent": "parents",
    "unit_successor": "successors",
    "posting": "postings",
    "plan_quota": "quotas",
}
# A cadre's records, and what makes two of them the same record (column names).
CADRE_RECORDS: dict[str, tuple[str, ...]] = {
    "trip": ("cadre_id", "start", "end", "kind", "place"),
    "assignment": ("cadre_id", "host_id", "start", "end"),
    "absence": ("cadre_id", "start", "end"),
}
# Not copied: the other ledger's rules are reported (`Merged.policy`); its change log stays
# its own (this ledger logs the import).
NOT_COPIED = ("policy_setting", "change_log")
NOUNS = {"unit": Msg.UNIT, "cadre": Msg.CADRE, "plan": Msg.PLAN}
COUNTED = ("unit", "cadre", "plan", "trip", "assignment", "absence")


class LedgerImportRefused(DoanfieldError):
    pass


@dataclass
class Merged:
    """What an import of a ledger added and skipped, by table; the other ledger's policy."""

    file: str
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED, 0))
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED, 0))
    policy: list[dict[str, Any]] = field(default_factory=list)


def tables() -> dict[str, Table]:
    import doanfield.models  # noqa: F401  (registers the tables)

    return dict(SQLModel.metadata.tables)


def _referred(column: Column[Any]) -> str | None:
    """The table a foreign-key column refers to (unit, cadre, plan), else None."""
    for key in column.foreign_keys:
        return key.column.table.name
    return None


def _stored(value: Any) -> Any:
    """A value as insert_rows writes it on both engines (dates as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _canonical(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)


class Side:
    """One ledger's coded records as values by column, references as codes (the prefix added
    on the other ledger's side): two records are identical when these are equal."""

    def __init__(self, conn: Connection, prefix: str = "") -> None:
        self.conn = conn
        self.prefix = prefix
        self.tables = tables()
        # table -> id -> code (prefixed), and code -> values (with what the record owns).
        self.codes: dict[str, dict[int, str]] = {}
        self.records: dict[str, dict[str, dict[str, Any]]] = {}
        for name in CODED:
            table = self.tables[name]
            self.codes[name] = {}
            self.records[name] = {}
            for row in conn.execute(select(table)).mappings():
                code = prefix + row["code"]
                self.codes[name][row["id"]] = code
                values = {k: v for k, v in row.items() if k not in ("id", "code")}
                self.records[name][code] = {"code": code, **values}
        for name, (owner, column) in OWNED.items():
            owned: dict[str, list[dict[str, Any]]] = {}
            for row in conn.execute(select(self.tables[name])).mappings():
                values = self.values(name, row, skip=("id", column))
                owned.setdefault(self.codes[owner][row[column]], []).append(values)
            for code, record in self.records[owner].items():
                record[OWNED_WORDS[name]] = sorted(
                    owned.get(code, []), key=lambda values: _canonical(values)
                )

    def values(self, table: str, row: Any, skip: Sequence[str] = ("id",)) -> dict[str, Any]:
        """A row's values by column, each reference as the code it refers to."""
        found = {}
        for column in self.tables[table].columns:
            if column.name in skip:
                continue
            value = row[column.name]
            referred = _referred(column)
            if referred is not None and value is not None:
                value = self.codes[referred][value]
            found[column.name] = value
        return found


def _difference(here: dict[str, Any], there: dict[str, Any]) -> str:
    """The first field in which two records differ."""
    for key in here:
        if here[key] != there.get(key):
            return key
    return next(key for key in there if key not in here)


def _collision(
    kind: str, code: str, here: dict[str, Any], there: dict[str, Any], file: str
) -> Message:
    key = _difference(here, there)
    shown = Heading(key, f"{kind}s")
    if key in OWNED_WORDS.values():
        return Msg.LEDGER_CODE_DIFFERS_IN(what=NOUNS[kind], code=code, field=shown, file=file)
    return Msg.LEDGER_CODE_DIFFERS(
        what=NOUNS[kind],
        code=code,
        field=shown,
        here=_shown(here.get(key)),
        there=_shown(there.get(key)),
        file=file,
    )


def _shown(value: Any) -> Any:
    if value is None or value == "":
        return Msg.NONE()
    return value if isinstance(value, date) else f"'{value}'"


def import_ledger(session: Session, source: Session, file: str, prefix: str = "") -> Merged:
    """Add the records of the ledger `source` reads to the one `session` writes (see above).

    Raises LedgerImportRefused, listing every problem, before anything is kept."""
    merged = Merged(file)
    theirs = Side(source.connection(), prefix)
    ours = Side(session.connection())
    problems: list[Message] = []
    new: dict[str, list[str]] = {}
    for kind in CODED:
        new[kind] = []
        for code, record in theirs.records[kind].items():
            if len(code) > CODE_LENGTH:
                problems.append(Msg.LEDGER_CODE_TOO_LONG(what=NOUNS[kind], code=code))
                continue
            stored = ours.records[kind].get(code)
            if stored is None:
                new[kind].append(code)
            elif stored == record:
                merged.skipped[kind] += 1
            else:
                problems.append(_collision(kind, code, stored, record, file))
    if problems:
        _refuse(file, problems, hint=not prefix)
    merged.policy = [
        theirs.values("policy_setting", row)
        for row in source.connection()
        .execute(
            select(theirs.tables["policy_setting"]).order_by(
                theirs.tables["policy_setting"].c.key, theirs.tables["policy_setting"].c.from_year
            )
        )
        .mappings()
    ]
    ids = _Ids(session)
    for kind in CODED:
        _add_coded(session, kind, [theirs.records[kind][code] for code in new[kind]], ids)
        merged.added[kind] = len(new[kind])
    skipped_cadres = {
        ids.of("cadre", code) for code in theirs.records["cadre"] if code not in new["cadre"]
    }
    for kind in CADRE_RECORDS:
        problems += _add_records(session, source, theirs, kind, ids, skipped_cadres, merged)
    if problems:
        _refuse(file, problems, hint=False)
    ledger.log_change(
        session,
        "ledger",
        file,
        "import",
        after={
            "prefix": prefix,
            "added": {f"{k}s": n for k, n in merged.added.items()},
            "skipped": {f"{k}s": n for k, n in merged.skipped.items()},
        },
    )
    return merged


def _refuse(file: str, problems: list[Message], hint: bool) -> None:
    lines = problems[:MAX_REPORTED]
    if len(problems) > MAX_REPORTED:
        lines.append(Msg.CHECK_MORE(count=len(problems) - MAX_REPORTED))
    raise LedgerImportRefused(
        Msg.LEDGER_IMPORT_REFUSED,
        file=file,
        count=len(problems),
        hint=Msg.LEDGER_PREFIX_HINT() if hint else "",
        details=lines,
    )


class _Ids:
    """This ledger's ids by code, read again after each kind of record is added."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.tables = tables()
        self.by_code: dict[str, dict[str, int]] = {}
        for kind in CODED:
            self.reload(kind)

    def reload(self, kind: str) -> None:
        table = self.tables[kind]
        self.by_code[kind] = {
            code: ident
            for ident, code in self.session.connection().execute(select(table.c.id, table.c.code))
        }

    def of(self, kind: str, code: str) -> int:
        return self.by_code[kind][code]


def _add_coded(session: Session, kind: str, records: list[dict[str, Any]], ids: _Ids) -> None:
    """New units, cadres or plans, then what each owns, references turned into this ledger's
    ids (units first: parents and successors may be new units of the same import)."""
    if not records:
        return
    table = ids.tables[kind]
    columns = [c.name for c in table.columns if c.name != "id"]
    insert_rows(session, kind, columns, [[_stored(r[c]) for c in columns] for r in records])
    ids.reload(kind)
    for name, (owner, owner_column) in OWNED.items():
        if owner != kind:
            continue
        owned_table = ids.tables[name]
        owned_columns = [c for c in owned_table.columns if c.name != "id"]
        rows = []
        for record in records:
            for values in record[OWNED_WORDS[name]]:
                row = []
                for column in owned_columns:
                    if column.name == owner_column:
                        row.append(ids.of(kind, record["code"]))
                        continue
                    value = values[column.name]
                    referred = _referred(column)
                    if referred is not None and value is not None:
                        value = ids.of(referred, value)
                    row.append(_stored(value))
                rows.append(row)
        if rows:
            insert_rows(session, name, [c.name for c in owned_columns], rows)


def _add_records(
    session: Session,
    source: Session,
    theirs: Side,
    kind: str,
    ids: _Ids,
    skipped_cadres: set[int],
    merged: Merged,
) -> list[Message]:
    """The other ledger's trips, assignments or absences, streamed in batches; those of a
    cadre already here skipped when stored already, else checked against this ledger."""
    table = theirs.tables[kind]
    columns = [c for c in table.columns if c.name != "id"]
    names = [c.name for c in columns]
    # Each reference: the other ledger's id -> this ledger's id, once for all rows.
    maps = [
        (index, {ident: ids.of(refers, code) for ident, code in theirs.codes[refers].items()})
        for index, refers in enumerate(_referred(c) for c in columns)
        if refers is not None
    ]
    key_at = [names.index(k) for k in CADRE_RECORDS[kind]]
    cadre_at = names.index("cadre_id")
    stored = _stored_keys(session, table, key_at, columns, skipped_cadres)
    problems: list[Message] = []
    checker = _Checker(session, kind) if skipped_cadres else None
    batch: list[list[Any]] = []
    for row in _source_rows(source, columns):
        values = list(row)
        for index, mapping in maps:
            if values[index] is not None:
                values[index] = mapping[values[index]]
        if values[cadre_at] in skipped_cadres:
            if tuple(values[i] for i in key_at) in stored:
                merged.skipped[kind] += 1
                continue
            assert checker is not None
            clash = checker.clash(dict(zip(names, values, strict=True)))
            if clash is not None:
                problems.append(clash.message)
                continue
        batch.append(values)
        if len(batch) >= BATCH_ROWS:
            merged.added[kind] += _write(session, kind, names, batch, problems)
            batch = []
    merged.added[kind] += _write(session, kind, names, batch, problems)
    return problems


def _source_rows(source: Session, columns: list[Column[Any]]) -> Iterator[Sequence[Any]]:
    """The rows of the other ledger's table, dates as ISO text: a SQLite ledger stores them so,
    and they are read as they are (a million dates parsed and written back cost seconds)."""
    conn = source.connection()
    if conn.dialect.name == "sqlite":
        selected = [cast(c, String) if isinstance(c.type, Date | Day) else c for c in columns]
        yield from conn.execute(select(*selected).execution_options(yield_per=BATCH_ROWS))
        return
    for row in conn.execute(select(*columns).execution_options(yield_per=BATCH_ROWS)):
        yield [_stored(value) for value in row]


def _write(
    session: Session, kind: str, names: list[str], batch: list[list[Any]], problems: list[Any]
) -> int:
    if batch and not problems:
        insert_rows(session, kind, names, batch)
    return len(batch)


def _stored_keys(
    session: Session,
    table: Table,
    key_at: list[int],
    columns: list[Column[Any]],
    cadres: set[int],
) -> set[tuple[Any, ...]]:
    """The keys of this ledger's records of the given cadres, as `_add_records` writes them."""
    if not cadres:
        return set()
    keys = [table.c[columns[i].name] for i in key_at]
    found: set[tuple[Any, ...]] = set()
    ordered = sorted(cadres)
    for index in range(0, len(ordered), 900):
        query = select(*keys).where(table.c.cadre_id.in_(ordered[index : index + 900]))
        for row in session.connection().execute(query):
            found.add(tuple(_stored(value) for value in row))
    return found


class _Checker:
    """A new record of a cadre this ledger holds already, checked as the commands check it."""

    def __init__(self, session: Session, kind: str) -> None:
        self.session = session
        self.kind = kind
        self.facts = ledger.TripFacts.load(session) if kind == "trip" else None

    def clash(self, values: dict[str, Any]) -> Clash | None:
        start, end = date.fromisoformat(values["start"]), date.fromisoformat(values["end"])
        cadre_id = values["cadre_id"]
        if self.facts is not None:
            if not self.facts.may_clash(cadre_id, values["start"], values["end"]):
                return None
            return self.facts.clash(cadre_id, start, end)
        cadre = self.session.get(Cadre, cadre_id)
        assert cadre is not None
        if self.kind == "absence":
            return ledger.absence_clash(self.session, cadre, start, end)
        return ledger.assignment_clash(
            self.session, cadre, start, end, bool(values.get("cancelled"))
        )


def policy_lines(merged: Merged) -> Iterator[Message]:
    """The other ledger's own policy values, one line each (they are not copied)."""
    for setting in merged.policy:
        unit = setting.get("unit_id")
        yield Msg.LEDGER_POLICY_LINE(
            key=setting["key"],
            value=setting["value"],
            year=setting["from_year"],
            extra=Msg.LEDGER_POLICY_UNIT(unit=unit) if unit else "",
        )


def copied_tables() -> Iterable[str]:
    """Every table an import of a ledger carries over (the rest are in NOT_COPIED)."""
    return (*CODED, *OWNED, *CADRE_RECORDS)
