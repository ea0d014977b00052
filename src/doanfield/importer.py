"""CSV import: read, validate every row, then write in one transaction (SPEC §5).

A file with any bad row writes nothing and every bad row is reported as
`FILE:LINE: column: problem (value)`. Rows equal to stored records are skipped, so importing the
same file twice adds nothing. Trips take a hand-written fast path (a million rows per run); the
other kinds are validated through the same input models as the commands.
"""

from __future__ import annotations

import gc
import operator
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, SQLModel, col, select

from doanfield import ledger
from doanfield.columns import COLUMNS
from doanfield.csvfile import FileRefused, map_header, open_csv
from doanfield.dates import parse_date
from doanfield.domain import Category, DoanfieldError, TripKind
from doanfield.engine import deferred_indexes, insert_rows
from doanfield.i18n import vietnamese
from doanfield.models import (
    Absence,
    AbsenceIn,
    Assignment,
    AssignmentIn,
    Cadre,
    CadreIn,
    FieldProblem,
    Plan,
    PlanIn,
    Trip,
    Unit,
    UnitIn,
    validated,
)
from doanfield.names import fold

MAX_REPORTED = 20
BATCH_ROWS = 50_000
MAX_TEXT = 2000
# From this size on, a trips file into an empty table is a bulk load: indexes built at the end.
LARGE_FILE_BYTES = 8 << 20

# Vietnamese headers offices use, for each kind's columns (matched after `fold`).
_COMMON = {
    "Mã cán bộ": "cadre",
    "Cán bộ": "cadre",
    "Từ ngày": "start",
    "Ngày bắt đầu": "start",
    "Đến ngày": "end",
    "Ngày kết thúc": "end",
}
ALIASES: dict[str, dict[str, str]] = {
    "units": {
        "Mã đơn vị": "code",
        "Mã": "code",
        "Tên đơn vị": "name",
        "Tên": "name",
        "Cấp": "level",
        "Đơn vị cấp trên": "parent",
        "Cấp trên": "parent",
    },
    "cadres": {
        "Mã cán bộ": "code",
        "Mã": "code",
        "Họ và tên": "name",
        "Họ tên": "name",
        "Đơn vị": "unit",
        "Chức vụ": "position",
        "Đối tượng": "category",
        "Ngày sinh": "birth_date",
        "Giới tính": "gender",
        "Từ ngày": "active_from",
        "Đến ngày": "active_to",
        "Tên": "given_name",
    },
    "plans": {
        "Kế hoạch": "plan",
        "Mã kế hoạch": "plan",
        "Số kế hoạch": "plan",
        "Năm": "year",
        "Tên kế hoạch": "title",
        "Trích yếu": "title",
        "Cấp": "level",
        "Chỉ tiêu": "target",
        "Số lượng": "target",
        "Tuổi tối đa": "max_age",
        "Độ tuổi": "max_age",
    },
    "trips": {
        **_COMMON,
        "Ngày": "start",
        "Hình thức": "kind",
        "Loại": "kind",
        "Địa điểm": "place",
        "Nơi đến": "place",
        "Đơn vị": "unit",
        "Đơn vị cơ sở": "unit",
        "Chương trình": "program",
        "Nội dung": "note",
        "Ghi chú": "note",
    },
    "assignments": {
        **_COMMON,
        "Đơn vị tiếp nhận": "host",
        "Đơn vị": "host",
        "Chức danh": "role",
        "Chức vụ": "role",
        "Quyết định": "decision",
        "Số quyết định": "decision",
        "Kế hoạch": "plan",
        "Trạng thái": "status",
        "Ngày báo cáo": "report_date",
        "Báo cáo": "report",
        "Nội dung báo cáo": "report",
    },
    "absences": {**_COMMON, "Lý do": "reason"},
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "units": ("code", "name", "level"),
    "cadres": ("code", "name", "unit"),
    "plans": ("plan", "year", "level", "target"),
    "trips": ("cadre", "start"),
    "assignments": ("cadre", "host", "start", "end"),
    "absences": ("cadre", "start", "end"),
}


class RowError(Exception):
    def __init__(self, column: str, problem: str, value: str = "") -> None:
        super().__init__(problem)
        self.column, self.problem, self.value = column, problem, value


class ImportFailed(DoanfieldError):
    pass


@dataclass
class ImportResult:
    kind: str
    added: int = 0
    updated: int = 0
    skipped: int = 0
    rows: int = 0


def _choice_lookup(values: Iterable[str]) -> dict[str, str]:
    """English values and their Vietnamese labels, folded: 'theo chuyên đề' -> thematic."""
    lookup: dict[str, str] = {}
    for value in values:
        lookup[fold(value)] = value
        lookup[fold(vietnamese(value))] = value
    return lookup


KIND_LOOKUP = _choice_lookup(k.value for k in TripKind)
CATEGORY_LOOKUP = _choice_lookup(c.value for c in Category)


class Cells:
    """One row's cells by field, with conversions that raise RowError naming the column."""

    def __init__(self, values: dict[str, str], dates: dict[str, date]) -> None:
        self.values = values
        self._dates = dates

    def text(self, column: str, limit: int = MAX_TEXT) -> str:
        value = self.values.get(column, "")
        if len(value) > limit:
            raise RowError(column, f"longer than {limit} characters", value[:20] + "…")
        return value

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            raise RowError(column, "is empty")
        return value

    def day(self, column: str, default: date | None = None) -> date | None:
        value = self.values.get(column, "")
        if not value:
            return default
        found = self._dates.get(value)
        if found is None:
            try:
                found = parse_date(value)
            except ValueError as error:
                raise RowError(column, str(error).replace(f"date '{value}' ", ""), value) from None
            self._dates[value] = found
        return found

    def required_day(self, column: str) -> date:
        found = self.day(column)
        if found is None:
            raise RowError(column, "is empty")
        return found

    def number(self, column: str, low: int, high: int) -> int | None:
        value = self.values.get(column, "")
        if not value:
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            raise RowError(column, f"is not a whole number from {low} to {high}", value)
        return int(value)

    def choice(self, column: str, lookup: dict[str, str], default: str) -> str:
        value = self.values.get(column, "")
        if not value:
            return default
        found = lookup.get(fold(value))
        if found is None:
            known = ", ".join(sorted(set(lookup.values())))
            raise RowError(column, f"is not one of {known}", value)
        return found


def _validated(model: type[SQLModel], data: dict[str, Any]) -> Any:
    """Validate through the same input model as the commands; the first problem names its column."""
    try:
        return validated(model, data)
    except FieldProblem as problem:
        raise RowError(problem.field, problem.problem, problem.value) from None


# ------------------------------------------------------------------------ per kind


class KindImporter:
    """Takes validated rows one by one; writes at `flush` (streamed kinds) or `finish`."""

    def __init__(self, session: Session, update: bool, result: ImportResult) -> None:
        self.session = session
        self.update = update
        self.result = result
        self.dates: dict[str, date] = {}

    def take_row(self, line: int, cells: list[str], fields: list[str | None]) -> None:
        values = {f: c.strip() for f, c in zip(fields, cells, strict=False) if f}
        self.take(line, Cells(values, self.dates))

    def take(self, line: int, cells: Cells) -> None:
        raise NotImplementedError

    def check_all(self) -> list[tuple[int, RowError]]:
        """Checks that need the whole file (references within it); run before writing."""
        return []

    def loading(self, size: int) -> AbstractContextManager[None]:
        """Wraps the whole load: a chance to prepare for a large file."""
        return nullcontext()

    def flush(self) -> None:
        """Write what has been taken so far (only called while the file has no bad row)."""

    def finish(self) -> None:
        self.flush()


def _code_map(session: Session, model: Any) -> dict[str, int]:
    return {code: ident for code, ident in session.exec(select(model.code, model.id))}


class UnitImporter(KindImporter):
    def __init__(self, session: Session, update: bool, result: ImportResult) -> None:
        super().__init__(session, update, result)
        codes = ledger.unit_codes(session)
        self.stored = {u.code: ledger.unit_row(u, codes) for u in session.exec(select(Unit)).all()}
        self.rows: dict[str, tuple[int, UnitIn]] = {}

    def take(self, line: int, cells: Cells) -> None:
        data: UnitIn = _validated(
            UnitIn,
            {
                "code": cells.required("code"),
                "name": cells.required("name"),
                "level": cells.required("level"),
                "parent": cells.text("parent") or None,
            },
        )
        earlier = self.rows.get(data.code)
        if earlier is not None:
            if earlier[1] != data:
                raise RowError("code", f"repeats line {earlier[0]} with other values", data.code)
            self.result.skipped += 1
            return
        self.rows[data.code] = (line, data)

    def check_all(self) -> list[tuple[int, RowError]]:
        problems = []
        for line, data in self.rows.values():
            if data.parent and data.parent not in self.rows and data.parent not in self.stored:
                problems.append((line, RowError("parent", "unknown unit", data.parent)))
            stored = self.stored.get(data.code)
            if stored and not self.update and _differs(stored, data.model_dump()):
                problems.append(
                    (
                        line,
                        RowError(
                            "code", "already recorded with other values; use --update", data.code
                        ),
                    )
                )
        return problems

    def finish(self) -> None:
        new = [d for _, d in self.rows.values() if d.code not in self.stored]
        changed = [
            d
            for _, d in self.rows.values()
            if d.code in self.stored and _differs(self.stored[d.code], d.model_dump())
        ]
        self.result.skipped += len(self.rows) - len(new) - len(changed)
        if new:
            self.session.execute(
                insert(Unit), [{"code": d.code, "name": d.name, "level": d.level} for d in new]
            )
        ids = _code_map(self.session, Unit)
        for d in new:
            if d.parent:
                self.session.execute(
                    update(Unit).where(col(Unit.id) == ids[d.code]).values(parent_id=ids[d.parent])
                )
        for d in changed:
            ledger.update_unit(self.session, d)
        cycles = [p for p in ledger.consistency_problems(self.session) if "ancestor" in p]
        if cycles:
            raise ImportFailed(f"the units would form a loop: {cycles[0]}")
        self.result.added += len(new)
        self.result.updated += len(changed)


def _differs(stored: dict[str, Any], incoming: dict[str, Any]) -> bool:
    def norm(value: Any) -> str:
        if value is None:
            return ""
        return value.isoformat() if isinstance(value, date) else str(value)

    return any(norm(stored.get(k)) != norm(v) for k, v in incoming.items())


class CadreImporter(KindImporter):
    def __init__(self, session: Session, update: bool, result: ImportResult) -> None:
        super().__init__(session, update, result)
        self.units = _code_map(session, Unit)
        codes = ledger.unit_codes(session)
        self.stored = {
            c.code: ledger.cadre_row(c, codes) for c in session.exec(select(Cadre)).all()
        }
        self.new: dict[str, tuple[int, CadreIn]] = {}
        self.changed: list[CadreIn] = []

    def take(self, line: int, cells: Cells) -> None:
        data: CadreIn = _validated(
            CadreIn,
            {
                "code": cells.required("code"),
                "name": cells.required("name"),
                "unit": cells.required("unit"),
                "position": cells.text("position"),
                "category": cells.choice("category", CATEGORY_LOOKUP, Category.other.value),
                "birth_date": cells.day("birth_date"),
                "gender": cells.text("gender") or None,
                "active_from": cells.day("active_from"),
                "active_to": cells.day("active_to"),
                "given_name": cells.text("given_name") or None,
            },
        )
        if data.unit not in self.units:
            raise RowError("unit", "unknown unit", data.unit)
        if data.code in self.new:
            earlier_line, earlier = self.new[data.code]
            if earlier != data:
                raise RowError("code", f"repeats line {earlier_line} with other values", data.code)
            self.result.skipped += 1
            return
        stored = self.stored.get(data.code)
        if stored is None:
            self.new[data.code] = (line, data)
        elif not _differs(stored, data.model_dump()):
            self.result.skipped += 1
        elif self.update:
            self.changed.append(data)
        else:
            raise RowError("code", "already recorded with other values; use --update", data.code)

    def finish(self) -> None:
        rows = [
            {
                "code": d.code,
                "name": d.name,
                "given_name": d.given_name,
                "unit_id": self.units[d.unit],
                "position": d.position,
                "category": d.category.value,
                "birth_date": d.birth_date,
                "gender": d.gender,
                "active_from": d.active_from,
                "active_to": d.active_to,
            }
            for _, d in self.new.values()
        ]
        if rows:
            self.session.execute(insert(Cadre), rows)
        for data in self.changed:
            ledger.update_cadre(self.session, data)
        self.result.added += len(rows)
        self.result.updated += len(self.changed)


class PlanImporter(KindImporter):
    def __init__(self, session: Session, update: bool, result: ImportResult) -> None:
        super().__init__(session, update, result)
        self.plans: dict[str, dict[str, Any]] = {}
        stored_rows = ledger.list_plans(session)
        self.stored = {row["plan"] for row in stored_rows}
        self.stored_rows = {(r["plan"], r["level"]): r for r in stored_rows}

    def take(self, line: int, cells: Cells) -> None:
        code = cells.required("plan")
        year = cells.number("year", 1900, 2200)
        if year is None:
            raise RowError("year", "is empty")
        title = cells.text("title")
        level = cells.required("level")
        target = cells.number("target", 0, 1_000_000)
        if target is None:
            raise RowError("target", "is empty")
        max_age = cells.number("max_age", 0, 150)
        plan = self.plans.setdefault(
            code, {"code": code, "year": year, "title": title, "quotas": [], "line": line}
        )
        if plan["year"] != year:
            raise RowError("year", f"differs from line {plan['line']} of the same plan", str(year))
        if any(q["level"] == level for q in plan["quotas"]):
            raise RowError("level", "is listed twice for this plan", level)
        plan["quotas"].append({"level": level, "target": target, "max_age": max_age})

    def check_all(self) -> list[tuple[int, RowError]]:
        problems = []
        for plan in self.plans.values():
            try:
                _validated(PlanIn, {k: v for k, v in plan.items() if k != "line"})
            except RowError as error:
                problems.append((plan["line"], error))
            if plan["code"] in self.stored and not self._same_as_stored(plan):
                problems.append(
                    (
                        plan["line"],
                        RowError("plan", "already recorded with other quotas", plan["code"]),
                    )
                )
        return problems

    def _same_as_stored(self, plan: dict[str, Any]) -> bool:
        stored = {k: r for k, r in self.stored_rows.items() if k[0] == plan["code"]}
        if len(stored) != len(plan["quotas"]):
            return False
        for quota in plan["quotas"]:
            row = stored.get((plan["code"], quota["level"]))
            if row is None or row["year"] != plan["year"] or row["target"] != quota["target"]:
                return False
            if (row["max_age"] or None) != quota["max_age"]:
                return False
        return True

    def finish(self) -> None:
        for plan in self.plans.values():
            if plan["code"] in self.stored:
                self.result.skipped += len(plan["quotas"])
                continue
            data = PlanIn.model_validate({k: v for k, v in plan.items() if k != "line"})
            ledger.add_plan(self.session, data)
            self.result.added += len(plan["quotas"])


TRIP_FIELDS = ("cadre", "start", "end", "kind", "place", "unit", "program", "note")
TRIP_COLUMNS = ("cadre_id", "start", "end", "kind", "place", "unit_id", "program", "note")
KIND_EXACT = {k.value: k.value for k in TripKind} | {"": TripKind.other.value}


def _picker(positions: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The trip fields of a row, in TRIP_FIELDS order; '' for a column the file lacks."""
    if all(p >= 0 for p in positions):
        return operator.itemgetter(*positions)
    return lambda cells: tuple(cells[p] if p >= 0 else "" for p in positions)


class IsoDates(dict[str, str]):
    """Raw date text -> ISO date ('' when it is no date), parsed once per distinct text."""

    def __missing__(self, text: str) -> str:
        try:
            value = parse_date(text).isoformat()
        except ValueError:
            value = ""
        self[text] = value
        return value


class TripImporter(KindImporter):
    """The national-scale path: plain checks, a date cache, and DB-API executemany."""

    def __init__(self, session: Session, update: bool, result: ImportResult) -> None:
        super().__init__(session, update, result)
        self.cadres = _code_map(session, Cadre)
        self.units = _code_map(session, Unit)
        # Dates travel as ISO text: what SQLite stores, and what PostgreSQL casts to DATE.
        self.iso = IsoDates()
        # Duplicates within the file are caught as rows come. Stored trips it may repeat are
        # read once, all of them, for a large file; for a small one, batch by batch through the
        # index, for the batch's cadres only: a few rows into a national ledger stay quick.
        self.seen: set[tuple[int, str, str, str, str]] = set()
        self.stored_any = session.exec(select(Trip.id).limit(1)).first() is not None
        self.stored_in_seen = False
        self.batch: list[tuple[Any, ...]] = []
        self.pick: Callable[[list[str]], tuple[str, ...]] | None = None

    def take_row(self, line: int, cells: list[str], fields: list[str | None]) -> None:
        """The common case without a Cells object; anything unusual goes the careful way."""
        if self.pick is None:
            self.pick = _picker([fields.index(f) if f in fields else -1 for f in TRIP_FIELDS])
        try:
            code, start_text, end_text, kind, place, host, program, note = self.pick(cells)
        except IndexError:  # a short row
            super().take_row(line, cells, fields)
            return
        place, program, note = place.strip(), program.strip(), note.strip()
        cadre_id = self.cadres.get(code)
        start = self.iso[start_text]
        end = self.iso[end_text] if end_text else start
        kind = KIND_EXACT.get(kind, "")
        unit_id = self.units.get(host) if host else None
        if (
            cadre_id is None
            or not start
            or not end
            or end < start
            or not kind
            or (host and unit_id is None)
            or len(place) > MAX_TEXT
            or len(program) > MAX_TEXT
            or len(note) > MAX_TEXT
        ):
            super().take_row(line, cells, fields)
            return
        key = (cadre_id, start, end, kind, place)
        if key in self.seen:
            self.result.skipped += 1
            return
        self.seen.add(key)
        self.batch.append((cadre_id, start, end, kind, place, unit_id, program, note))

    def take(self, line: int, cells: Cells) -> None:
        code = cells.required("cadre")
        cadre_id = self.cadres.get(code)
        if cadre_id is None:
            raise RowError("cadre", "unknown cadre", code)
        start = cells.required_day("start")
        end = cells.day("end", start) or start
        if end < start:
            raise RowError("end", f"is before start {start.isoformat()}", cells.values["end"])
        kind = cells.choice("kind", KIND_LOOKUP, TripKind.other.value)
        place = cells.text("place")
        host = cells.values.get("unit", "")
        unit_id = self.units.get(host) if host else None
        if host and unit_id is None:
            raise RowError("unit", "unknown unit", host)
        first, last = start.isoformat(), end.isoformat()
        key = (cadre_id, first, last, kind, place)
        if key in self.seen:
            self.result.skipped += 1
            return
        self.seen.add(key)
        program, note = cells.text("program"), cells.text("note")
        self.batch.append((cadre_id, first, last, kind, place, unit_id, program, note))

    def loading(self, size: int) -> AbstractContextManager[None]:
        if size < LARGE_FILE_BYTES:
            return nullcontext()
        if self.stored_any:
            self.seen.update(
                (cadre_id, str(start), str(end), kind, place)
                for cadre_id, start, end, kind, place in self.session.connection().execute(
                    select(Trip.cadre_id, Trip.start, Trip.end, Trip.kind, Trip.place)
                )
            )
            self.stored_in_seen = True
            return nullcontext()
        # A large file into an empty table: build the index once, at the end.
        return deferred_indexes(self.session, Trip.__table__)  # type: ignore[attr-defined]

    def _stored(self, batch: list[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
        """Keys of stored trips that rows of the batch could repeat (same cadre, start range)."""
        first = min(row[1] for row in batch)
        last = max(row[1] for row in batch)
        cadres = sorted({row[0] for row in batch})
        keys: set[tuple[Any, ...]] = set()
        for index in range(0, len(cadres), 900):
            query = select(Trip.cadre_id, Trip.start, Trip.end, Trip.kind, Trip.place).where(
                col(Trip.cadre_id).in_(cadres[index : index + 900]),
                Trip.start >= date.fromisoformat(first),
                Trip.start <= date.fromisoformat(last),
            )
            for cadre_id, start, end, kind, place in self.session.connection().execute(query):
                keys.add((cadre_id, str(start), str(end), kind, place))
        return keys

    def flush(self) -> None:
        if self.stored_any and not self.stored_in_seen and self.batch:
            stored = self._stored(self.batch)
            fresh = [row for row in self.batch if row[:5] not in stored]
            self.result.skipped += len(self.batch) - len(fresh)
            self.batch = fresh
        if not self.batch:
            return
        insert_rows(self.session, "trip", TRIP_COLUMNS, self.batch)
        self.result.added += len(self.batch)
        self.batch = []


class _SmallImporter(KindImporter):
    """Assignments and absences: few rows, each added through the same function as the CLI."""

    model: type[SQLModel]
    add: Callable[[Session, Any], Any]

    def __init__(self, session: Session, update: bool, result: ImportResult) -> None:
        super().__init__(session, update, result)
        self.cadres = _code_map(session, Cadre)
        self.pending: list[tuple[Any, dict[str, Any]]] = []
        self.seen: set[tuple[Any, ...]] = set(self.stored_keys())

    def stored_keys(self) -> Iterable[tuple[Any, ...]]:
        raise NotImplementedError

    def key(self, data: Any) -> tuple[Any, ...]:
        raise NotImplementedError

    def accept(self, data: Any, extra: dict[str, Any]) -> None:
        if data.cadre not in self.cadres:
            raise RowError("cadre", "unknown cadre", data.cadre)
        key = self.key(data)
        if key in self.seen:
            self.result.skipped += 1
            return
        self.seen.add(key)
        self.pending.append((data, extra))


class AbsenceImporter(_SmallImporter):
    def stored_keys(self) -> Iterable[tuple[Any, ...]]:
        query = select(Cadre.code, Absence.start, Absence.end).join(
            Cadre, col(Cadre.id) == Absence.cadre_id
        )
        return list(self.session.exec(query).all())

    def key(self, data: AbsenceIn) -> tuple[Any, ...]:
        return (data.cadre, data.start, data.end)

    def take(self, line: int, cells: Cells) -> None:
        data = _validated(
            AbsenceIn,
            {
                "cadre": cells.required("cadre"),
                "start": cells.required_day("start"),
                "end": cells.required_day("end"),
                "reason": cells.text("reason"),
            },
        )
        self.accept(data, {})

    def finish(self) -> None:
        for data, _ in self.pending:
            ledger.add_absence(self.session, data)
        self.result.added += len(self.pending)


CANCELLED_WORDS = {fold("cancelled"), fold("đã hủy"), fold("hủy"), fold("đã huỷ")}
DERIVED_STATUS = {
    fold(w)
    for w in (
        "planned",
        "active",
        "completed",
        *(vietnamese(w) for w in ("planned", "in_progress", "completed")),
    )
} | {fold("kế hoạch"), ""}


class AssignmentImporter(_SmallImporter):
    def __init__(self, session: Session, update: bool, result: ImportResult) -> None:
        super().__init__(session, update, result)
        self.units = _code_map(session, Unit)
        self.plans = _code_map(session, Plan)

    def stored_keys(self) -> Iterable[tuple[Any, ...]]:
        host = Unit.__table__.alias("host")  # type: ignore[attr-defined]
        query = (
            select(Cadre.code, host.c.code, Assignment.start, Assignment.end)
            .join(Cadre, col(Cadre.id) == Assignment.cadre_id)
            .join(host, host.c.id == Assignment.host_id)
        )
        return list(self.session.exec(query).all())

    def key(self, data: AssignmentIn) -> tuple[Any, ...]:
        return (data.cadre, data.host, data.start, data.end)

    def take(self, line: int, cells: Cells) -> None:
        data: AssignmentIn = _validated(
            AssignmentIn,
            {
                "cadre": cells.required("cadre"),
                "host": cells.required("host"),
                "start": cells.required_day("start"),
                "end": cells.required_day("end"),
                "role": cells.text("role"),
                "decision": cells.text("decision"),
                "plan": cells.text("plan") or None,
            },
        )
        if data.host not in self.units:
            raise RowError("host", "unknown unit", data.host)
        if data.plan and data.plan not in self.plans:
            raise RowError("plan", "unknown plan", data.plan)
        status = fold(cells.text("status"))
        if status not in CANCELLED_WORDS and status not in DERIVED_STATUS:
            raise RowError(
                "status", "is not planned, active, completed or cancelled", cells.text("status")
            )
        report = cells.text("report", limit=20000)
        report_date = cells.day("report_date")
        if bool(report) != bool(report_date):
            missing = "report" if report_date else "report_date"
            raise RowError(missing, "is empty; a report needs both its date and its text")
        self.accept(
            data,
            {"cancelled": status in CANCELLED_WORDS, "report": report, "report_date": report_date},
        )

    def finish(self) -> None:
        for data, extra in self.pending:
            assignment = ledger.add_assignment(self.session, data, cancelled=extra["cancelled"])
            if extra["report"]:
                ledger.file_report(
                    self.session, assignment.id or 0, extra["report_date"], extra["report"]
                )
        self.result.added += len(self.pending)


IMPORTERS: dict[str, type[KindImporter]] = {
    "units": UnitImporter,
    "cadres": CadreImporter,
    "plans": PlanImporter,
    "trips": TripImporter,
    "assignments": AssignmentImporter,
    "absences": AbsenceImporter,
}


# ------------------------------------------------------------------------ the pipeline


def _problem_line(path: Path, line: int, error: RowError) -> str:
    value = f" ({error.value})" if error.value else ""
    return f"{path.name}:{line}: {error.column}: {error.problem}{value}"


def import_file(
    session: Session,
    kind: str,
    path: Path,
    update: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Validate the whole file, then write it; raises ImportFailed (nothing kept) on any bad row."""
    source = open_csv(path)
    with ExitStack() as stack:
        stack.callback(source.close)
        # A million rows make a million small lists: the cyclic collector would walk them all
        # again and again, and none of them is part of a cycle.
        if gc.isenabled():
            gc.disable()
            stack.callback(gc.enable)
        fields = map_header(path, source.header, COLUMNS[kind], ALIASES[kind], REQUIRED[kind])
        result = ImportResult(kind)
        importer = IMPORTERS[kind](session, update, result)
        problems: list[tuple[int, RowError]] = []
        width = len(fields)
        take = importer.take_row
        stack.enter_context(importer.loading(source.size))
        rows = 0
        for line, cells in source.records():
            rows += 1
            try:
                if len(cells) > width and any(c.strip() for c in cells[width:]):
                    extra = cells[width].strip()[:40]
                    raise RowError(f"column {width + 1}", "a cell beyond the header", extra)
                take(line, cells, fields)
            except RowError as error:
                problems.append((line, error))
            if rows % BATCH_ROWS == 0:
                if not problems:
                    importer.flush()
                if progress:
                    progress(source.position(), source.size)
        result.rows = rows
        problems.extend(importer.check_all())
        if problems:
            problems.sort(key=lambda p: p[0])
            lines = [_problem_line(path, line, error) for line, error in problems[:MAX_REPORTED]]
            if len(problems) > MAX_REPORTED:
                lines.append(f"… and {len(problems) - MAX_REPORTED} more bad rows")
            raise ImportFailed(
                f"{path.name}: {len(problems)} bad row(s); nothing was imported\n"
                + "\n".join(lines)
            )
        importer.finish()
        if progress:
            progress(source.size, source.size)
    ledger.log_change(
        session,
        kind,
        path.name,
        "import",
        after={"added": result.added, "updated": result.updated, "skipped": result.skipped},
    )
    return result


__all__ = ["FileRefused", "ImportFailed", "ImportResult", "import_file"]
