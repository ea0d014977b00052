"""CSV import: read, validate every row, then write in one transaction (SPEC §5).

A file with any bad row writes nothing and every bad row is reported as
`FILE:LINE: column: problem (value)`. Rows equal to stored records are skipped, so importing the
same file twice adds nothing. Trips take a hand-written fast path (a million rows per run); the
other kinds are validated through the same input models as the commands.
"""

from __future__ import annotations

import gc
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, SQLModel, col, select

from doanfield import bulk, checks, ledger, orgtree, rules, vocabulary
from doanfield.checks import Clash, Held
from doanfield.columns import COLUMNS
from doanfield.dates import BadDate, parse_date
from doanfield.domain import (
    MAX_LISTED,
    AssignmentStatus,
    Category,
    DoanfieldError,
    TripKind,
    listed,
    whole_number,
)
from doanfield.engine import deferred_indexes, insert_rows
from doanfield.i18n import import_headings
from doanfield.messages import Heading, Message, Msg, Word, message
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
    Posting,
    Trip,
    Unit,
    UnitIn,
    UnitParent,
    UnitSuccessor,
    validated,
)
from doanfield.names import fold
from doanfield.reading import (
    Columns,
    FileRefused,
    Layout,
    Rows,
    either,
    map_header,
    open_rows,
    without_footer,
)
from doanfield.vocabulary import (
    ASSIGNMENT_STATUSES,
    CATEGORIES,
    TRIP_KINDS,
    UnknownWord,
    Vocabulary,
)

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
        "Cấp đơn vị": "level",
        "Đơn vị cấp trên": "parent",
        "Mã đơn vị cấp trên": "parent",
        "Cấp trên": "parent",
        "Trực thuộc": "parent",
        "Từ ngày": "active_from",
        "Ngày thành lập": "active_from",
        "Đến ngày": "active_to",
        "Ngày giải thể": "active_to",
        "Ngày kết thúc": "active_to",
        "Đơn vị kế tục": "successors",
        "Sáp nhập vào": "successors",
    },
    "cadres": {
        "Mã cán bộ": "code",
        "Mã": "code",
        "Họ và tên": "name",
        "Họ tên": "name",
        "Tên cán bộ": "name",
        "Đơn vị": "unit",
        "Đơn vị công tác": "unit",
        "Mã đơn vị": "unit",
        "Chức vụ": "position",
        "Chức danh": "position",
        "Đối tượng": "category",
        "Phân loại": "category",
        "Phân loại cán bộ": "category",
        "Ngày sinh": "birth_date",
        "Ngày, tháng, năm sinh": "birth_date",
        "Sinh ngày": "birth_date",
        "Giới tính": "gender",
        "Nam/Nữ": "gender",
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
        "Ngày đi": "start",
        "Ngày về": "end",
        "Hình thức": "kind",
        "Hình thức đi cơ sở": "kind",
        "Loại hình": "kind",
        "Loại": "kind",
        "Địa điểm": "place",
        "Nơi đến": "place",
        "Địa bàn": "place",
        "Đơn vị": "unit",
        "Đơn vị cơ sở": "unit",
        "Đơn vị đến": "unit",
        "Mã đơn vị": "unit",
        "Chương trình": "program",
        "Nội dung": "note",
        "Ghi chú": "note",
        "Số công lệnh": "order",
        "Công lệnh": "order",
        "Giấy công lệnh": "order",
        "Quyết định cử": "order",
        "Số quyết định": "order",
        "Ngày báo cáo": "report_date",
        "Ngày nộp báo cáo": "report_date",
        "Báo cáo": "report",
        "Nội dung báo cáo": "report",
        "Báo cáo kết quả": "report",
    },
    "assignments": {
        **_COMMON,
        "Đơn vị tiếp nhận": "host",
        "Đơn vị": "host",
        "Đơn vị nhận": "host",
        "Đơn vị tăng cường": "host",
        "Nơi tăng cường": "host",
        "Mã đơn vị": "host",
        "Chức danh": "role",
        "Chức vụ": "role",
        "Chức danh đảm nhiệm": "role",
        "Chức vụ đảm nhiệm": "role",
        "Quyết định": "decision",
        "Số quyết định": "decision",
        "Số, ngày quyết định": "decision",
        "Quyết định cử": "decision",
        "Kế hoạch": "plan",
        "Trạng thái": "status",
        "Ngày báo cáo": "report_date",
        "Báo cáo": "report",
        "Nội dung báo cáo": "report",
    },
    "absences": {
        **_COMMON,
        "Nghỉ từ ngày": "start",
        "Nghỉ đến ngày": "end",
        "Lý do": "reason",
        "Lý do vắng mặt": "reason",
        "Lý do nghỉ": "reason",
    },
    # A province's reorganisation (SPEC §5-6): each row a cadre's new posting from a day.
    "moves": {
        "Mã cán bộ": "cadre",
        "Cán bộ": "cadre",
        "Đơn vị mới": "unit",
        "Đơn vị công tác mới": "unit",
        "Chuyển đến": "unit",
        "Đơn vị": "unit",
        "Mã đơn vị": "unit",
        "Từ ngày": "from",
        "Ngày chuyển": "from",
        "Kể từ ngày": "from",
        "Ngày hiệu lực": "from",
        "Đối tượng": "category",
        "Đối tượng mới": "category",
        "Phân loại": "category",
        "Chức vụ": "position",
        "Chức vụ mới": "position",
        "Chức danh": "position",
    },
}
# Office sheets carry the cadre's name beside the code (checked against the ledger: it catches a
# wrong code) and give an assignment's length in months instead of its last day.
_NAME = {"Họ và tên": "name", "Họ tên": "name", "Tên cán bộ": "name"}
EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {
    "trips": ("name",),
    "assignments": ("name", "months"),
    "absences": ("name",),
    "moves": ("name",),
}
for _kind, _extra in EXTRA_COLUMNS.items():
    ALIASES[_kind].update(_NAME)
# Whatever headings a workbook for people carries, in either language, import back.
for _kind, _aliases in ALIASES.items():
    _aliases.update(import_headings(_kind, COLUMNS[_kind]))
ALIASES["assignments"].update(
    {"Số tháng": "months", "Thời gian (tháng)": "months", "Số tháng tăng cường": "months"}
)
# A tuple of several names: one of them.
REQUIRED: dict[str, tuple[str | tuple[str, ...], ...]] = {
    "units": ("code", "name", "level"),
    "cadres": ("code", "name", "unit"),
    "plans": ("plan", "year", "level", "target"),
    "trips": ("cadre", "start"),
    "assignments": ("cadre", "host", "start", ("end", "months")),
    "absences": ("cadre", "start", "end"),
    "moves": ("cadre", "unit", "from"),
}
# What each kind's header may name.
HEADERS = {
    kind: Columns(kind, COLUMNS[kind] + EXTRA_COLUMNS.get(kind, ()), ALIASES[kind], REQUIRED[kind])
    for kind in COLUMNS
}
# Excel counts days from 30 Dec 1899; 20000..80000 is 1954..2119.
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")


class RowError(Exception):
    """What is wrong with one cell: its column, the problem (a catalogue message), the value."""

    def __init__(
        self, column: str | tuple[str, ...] | Message, problem: Msg | Message, value: str = ""
    ) -> None:
        self.problem = message(problem)
        super().__init__(str(self.problem))
        self.column, self.value = column, value

    @classmethod
    def clash(cls, clash: Clash) -> RowError:
        """A row that contradicts the ledger or an earlier line (the message names the values)."""
        return cls(clash.column, clash.message)


def refuse_row(clash: Clash | None) -> None:
    if clash is not None:
        raise RowError.clash(clash)


class ImportFailed(DoanfieldError):
    pass


_UNKNOWN_UNIT = Msg.ROW_UNKNOWN(what=Msg.UNIT)
_UNKNOWN_CADRE = Msg.ROW_UNKNOWN(what=Msg.CADRE)


@dataclass
class ImportResult:
    kind: str
    added: int = 0
    updated: int = 0
    skipped: int = 0
    rows: int = 0


class Cells:
    """One row's cells by field, with conversions that raise RowError naming the column."""

    def __init__(self, values: dict[str, str], dates: dict[str, date]) -> None:
        self.values = values
        self._dates = dates

    def text(self, column: str, limit: int = MAX_TEXT) -> str:
        value = self.values.get(column, "")
        if len(value) > limit:
            raise RowError(column, Msg.TOO_LONG(limit=limit), value[:20] + "…")
        return value

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            raise RowError(column, Msg.IS_EMPTY)
        return value

    def day(self, column: str, default: date | None = None) -> date | None:
        value = self.values.get(column, "")
        if not value:
            return default
        found = self._dates.get(value)
        if found is None:
            try:
                found = parse_date(value)
            except BadDate as error:
                if EXCEL_SERIAL.match(value) and 20000 <= float(value) < 80000:
                    meant = EXCEL_EPOCH + timedelta(days=int(float(value)))
                    raise RowError(column, Msg.EXCEL_SERIAL_DATE(date=meant), value) from None
                raise RowError(column, error.problem, value) from None
            self._dates[value] = found
        return found

    def required_day(self, column: str) -> date:
        found = self.day(column)
        if found is None:
            raise RowError(column, Msg.IS_EMPTY)
        return found

    def number(self, column: str, low: int, high: int) -> int | None:
        value = self.values.get(column, "")
        if not value:
            return None
        number = whole_number(value)
        if number is None or not low <= number <= high:
            raise RowError(column, Msg.NOT_WHOLE_NUMBER(low=low, high=high), value)
        return number

    def word(self, column: str, words: Vocabulary, default: str) -> str:
        """A code given by its code or any of its Vietnamese words."""
        value = self.values.get(column, "")
        if not value:
            return default
        try:
            return words.parse(value)
        except UnknownWord as error:
            known = [Word(code, column) for code in words.codes]
            problem = (
                Msg.NOT_ONE_OF_MEANT(known=known, meant=error.shown_hint)
                if error.shown_hint
                else Msg.NOT_ONE_OF(known=known)
            )
            raise RowError(column, problem, value) from None


def _validated(model: type[SQLModel], data: dict[str, Any]) -> Any:
    """Validate through the same input model as the commands; the first problem names its column."""
    try:
        return validated(model, data)
    except FieldProblem as problem:
        raise RowError(problem.field, problem.problem, problem.value) from None


# ------------------------------------------------------------------------ per kind


class KindImporter:
    """Takes validated rows one by one; writes at `flush` (streamed kinds) or `finish`."""

    new_level = False

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
    """Units with their parent (from the beginning; for a stored unit its current parent),
    life and successors. A column the file lacks keeps what the ledger holds."""

    def __init__(self, session: Session, update: bool, result: ImportResult) -> None:
        super().__init__(session, update, result)
        self.stored = {row["code"]: row for row in ledger.list_units(session)}
        self.rows: dict[str, tuple[int, UnitIn]] = {}
        self.levels = set(ledger.used_levels(session))

    def level(self, text: str) -> str:
        """A known or used level; with --new-level, a new one (used by the rows after it)."""
        if self.new_level:
            found = vocabulary.new_level(text, self.levels)
            self.levels.add(found)
            return found
        found, clash = checks.unknown_level(text, self.levels)
        refuse_row(clash)
        return found

    def take(self, line: int, cells: Cells) -> None:
        code = cells.required("code")
        stored = self.stored.get(code, {})

        def given(column: str) -> str:
            return cells.text(column) if column in cells.values else stored.get(column, "")

        def day(column: str) -> date | None:
            if column in cells.values:
                return cells.day(column)
            text = stored.get(column, "")
            return date.fromisoformat(text) if text else None

        data: UnitIn = _validated(
            UnitIn,
            {
                "code": code,
                "name": cells.required("name"),
                "level": cells.required("level"),
                "parent": given("parent") or None,
                "active_from": day("active_from"),
                "active_to": day("active_to"),
                "successors": _codes(given("successors")),
            },
        )
        data.level = self.level(data.level)
        if data.successors and data.active_to is None:
            raise RowError(
                "successors", Msg.ROW_SUCCESSORS_NEED_LAST_DAY, " ".join(data.successors)
            )
        earlier = self.rows.get(data.code)
        if earlier is not None:
            if earlier[1] != data:
                raise RowError("code", Msg.ROW_REPEATS_LINE(line=earlier[0]), data.code)
            self.result.skipped += 1
            return
        self.rows[data.code] = (line, data)

    def check_all(self) -> list[tuple[int, RowError]]:
        problems = []
        known = set(self.rows) | set(self.stored)
        lives = {code: _life(row) for code, row in self.stored.items()}
        lives.update({code: _life(ledger.unit_record(d)) for code, (_, d) in self.rows.items()})
        for line, data in self.rows.values():
            if data.parent and data.parent not in known:
                problems.append((line, RowError("parent", _UNKNOWN_UNIT, data.parent)))
            for successor in data.successors:
                if successor not in known:
                    problems.append((line, RowError("successors", _UNKNOWN_UNIT, successor)))
            if data.code not in self.stored and not any(p[0] == line for p in problems):
                clash = ledger.successors_clash(
                    data.code, data.active_to, [lives[s] for s in data.successors]
                )
                if data.parent:
                    clash = clash or checks.parent_not_alive(
                        data.code, lives[data.parent], [], data.active_from, data.active_to
                    )
                if clash is not None:
                    problems.append((line, RowError.clash(clash)))
            stored = self.stored.get(data.code)
            if stored and not self.update and _differs(stored, ledger.unit_record(data)):
                problems.append(
                    (
                        line,
                        RowError("code", Msg.ROW_RECORDED_OTHERWISE, data.code),
                    )
                )
        return problems

    def finish(self) -> None:
        new = [d for _, d in self.rows.values() if d.code not in self.stored]
        changed = [
            d
            for _, d in self.rows.values()
            if d.code in self.stored and _differs(self.stored[d.code], ledger.unit_record(d))
        ]
        self.result.skipped += len(self.rows) - len(new) - len(changed)
        if new:
            self.session.execute(
                insert(Unit),
                [
                    {
                        "code": d.code,
                        "name": d.name,
                        "level": d.level,
                        "active_from": d.active_from,
                        "active_to": d.active_to,
                    }
                    for d in new
                ],
            )
        ids = _code_map(self.session, Unit)
        links = [
            {"unit_id": ids[d.code], "parent_id": ids[d.parent], "start": None}
            for d in new
            if d.parent
        ]
        if links:
            self.session.execute(insert(UnitParent), links)
        successors = [
            {"unit_id": ids[d.code], "successor_id": ids[s]} for d in new for s in d.successors
        ]
        if successors:
            self.session.execute(insert(UnitSuccessor), successors)
        _log_added(self.session, "unit", new)
        for d in changed:
            ledger.update_unit(self.session, d)
        cycles = [p for p in ledger.consistency_problems(self.session) if "ancestor" in p]
        if cycles:
            raise ImportFailed(Msg.UNITS_LOOP, problem=cycles[0])
        self.result.added += len(new)
        self.result.updated += len(changed)


def _life(row: dict[str, Any]) -> orgtree.Life:
    """A unit's life from its row (stored, or as the file gives it)."""
    first, last = (
        date.fromisoformat(row[k]) if row[k] else None for k in ("active_from", "active_to")
    )
    return orgtree.Life(row["code"], row["name"], row["level"], first, last)


def _codes(text: str) -> list[str]:
    """Unit codes separated by spaces, commas or semicolons."""
    return [code for code in re.split(r"[\s,;]+", text) if code]


def _log_added(session: Session, entity: str, added: Iterable[UnitIn | CadreIn]) -> None:
    """Each record an import adds, logged as `unit add` / `cadre add` log it (trips aside: a
    file may hold a million, and the import's own entry counts them)."""
    changes = [(entity, d.code, "add", None, d.model_dump(mode="json")) for d in added]
    ledger.log_changes(session, changes)


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
        self.stored = {row["code"]: row for row in ledger.list_cadres(session)}
        self.org = ledger.organisation(session)
        self.ids = _code_map(session, Cadre)
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
                "category": cells.word("category", CATEGORIES, Category.other.value),
                "birth_date": cells.day("birth_date"),
                "gender": cells.text("gender") or None,
                "active_from": cells.day("active_from"),
                "active_to": cells.day("active_to"),
                "given_name": cells.text("given_name") or None,
            },
        )
        if data.unit not in self.units:
            raise RowError("unit", _UNKNOWN_UNIT, data.unit)
        stored_id = self.ids.get(data.code) if self.update else None
        refuse_row(ledger.cadre_clash(self.session, data, stored_id, self.org))
        if data.code in self.new:
            earlier_line, earlier = self.new[data.code]
            if earlier != data:
                raise RowError("code", Msg.ROW_REPEATS_LINE(line=earlier_line), data.code)
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
            raise RowError("code", Msg.ROW_RECORDED_OTHERWISE, data.code)

    def finish(self) -> None:
        """New cadres with their first posting; changed ones corrected as `cadre edit` does."""
        rows = [
            {
                "code": d.code,
                "name": d.name,
                "given_name": d.given_name,
                "birth_date": d.birth_date,
                "gender": d.gender,
                "active_from": d.active_from,
                "active_to": d.active_to,
            }
            for _, d in self.new.values()
        ]
        if rows:
            self.session.execute(insert(Cadre), rows)
            ids = _code_map(self.session, Cadre)
            postings = [
                {
                    "cadre_id": ids[d.code],
                    "unit_id": self.units[d.unit],
                    "category": d.category.value,
                    "position": d.position,
                    "start": None,
                }
                for _, d in self.new.values()
            ]
            self.session.execute(insert(Posting), postings)
            _log_added(self.session, "cadre", [d for _, d in self.new.values()])
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
        self.levels = ledger.used_levels(session)

    def take(self, line: int, cells: Cells) -> None:
        code = cells.required("plan")
        year = cells.number("year", 1900, 2200)
        if year is None:
            raise RowError("year", Msg.IS_EMPTY)
        title = cells.text("title")
        level, clash = checks.unknown_level(cells.required("level"), self.levels)
        refuse_row(clash)
        target = cells.number("target", 0, 1_000_000)
        if target is None:
            raise RowError("target", Msg.IS_EMPTY)
        max_age = cells.number("max_age", 0, 150)
        plan = self.plans.setdefault(
            code, {"code": code, "year": year, "title": title, "quotas": [], "line": line}
        )
        if plan["year"] != year:
            raise RowError("year", Msg.ROW_YEAR_DIFFERS(line=plan["line"]), str(year))
        if any(q["level"] == level for q in plan["quotas"]):
            raise RowError("level", Msg.ROW_LEVEL_TWICE, level)
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
                        RowError("plan", Msg.ROW_PLAN_OTHER_QUOTAS, plan["code"]),
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


TRIP_FIELDS = COLUMNS["trips"]
TRIP_COLUMNS = (
    "cadre_id",
    "start",
    "end",
    "kind",
    "place",
    "unit_id",
    "program",
    "note",
    "travel_order",
    "report_date",
    "report",
)
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
        self.facts = ledger.TripFacts.load(session)
        self.may_clash = self.facts.may_clash
        self.cadres = {code: ident for ident, code in self.facts.codes.items()}
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
            code, start_text, end_text, kind, place, host, program, note, order, filed, report = (
                self.pick(cells)
            )
        except IndexError:  # a short row
            super().take_row(line, cells, fields)
            return
        if filed or report:  # a trip with its report: the careful way checks both
            super().take_row(line, cells, fields)
            return
        place, program, note, order = place.strip(), program.strip(), note.strip(), order.strip()
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
            or len(order) > MAX_TEXT
            or self.may_clash(cadre_id, start, end)
            or (unit_id is not None and self.facts.host_outside(unit_id, start, end))
        ):
            super().take_row(line, cells, fields)
            return
        key = (cadre_id, start, end, kind, place)
        if key in self.seen:
            self.result.skipped += 1
            return
        self.seen.add(key)
        self.batch.append(
            (cadre_id, start, end, kind, place, unit_id, program, note, order, None, None)
        )

    def take(self, line: int, cells: Cells) -> None:
        code = cells.required("cadre")
        cadre_id = self.cadres.get(code)
        if cadre_id is None:
            raise RowError("cadre", _UNKNOWN_CADRE, code)
        start = cells.required_day("start")
        end = cells.day("end", start) or start
        if end < start:
            raise RowError("end", Msg.ROW_BEFORE_START(start=start), cells.values["end"])
        kind = cells.word("kind", TRIP_KINDS, TripKind.other.value)
        place = cells.text("place")
        host = cells.values.get("unit", "")
        unit_id = self.units.get(host) if host else None
        if host and unit_id is None:
            raise RowError("unit", _UNKNOWN_UNIT, host)
        refuse_row(self.facts.clash(cadre_id, start, end))
        if unit_id is not None:
            refuse_row(self.facts.host_clash(cadre_id, unit_id, start, end))
        first, last = start.isoformat(), end.isoformat()
        key = (cadre_id, first, last, kind, place)
        if key in self.seen:
            self.result.skipped += 1
            return
        program, note, order = cells.text("program"), cells.text("note"), cells.text("order")
        report = cells.text("report", limit=20000)
        filed = cells.day("report_date")
        if bool(report) != bool(filed):
            raise RowError("report" if filed else "report_date", Msg.ROW_REPORT_NEEDS_BOTH)
        if filed is not None and filed < start:
            raise RowError("report_date", Msg.ROW_BEFORE_START(start=start), str(filed))
        self.seen.add(key)
        self.batch.append(
            (
                cadre_id,
                first,
                last,
                kind,
                place,
                unit_id,
                program,
                note,
                order,
                filed.isoformat() if filed else None,
                report or None,
            )
        )

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
    """Assignments and absences: few rows, each checked against the ledger and the lines above
    it, then added through the same function as the CLI."""

    def __init__(self, session: Session, update: bool, result: ImportResult) -> None:
        super().__init__(session, update, result)
        self.cadres = _code_map(session, Cadre)
        self.pending: list[tuple[Any, dict[str, Any]]] = []
        self.seen: set[tuple[Any, ...]] = set(self.stored_keys())
        # Per cadre id: the records a new one may overlap, stored ones and the file's own.
        self.held: dict[int, list[Held]] = {}
        for cadre_id, record in self.stored_held():
            self.held.setdefault(cadre_id, []).append(record)

    def stored_keys(self) -> Iterable[tuple[Any, ...]]:
        raise NotImplementedError

    def stored_held(self) -> Iterable[tuple[int, Held]]:
        raise NotImplementedError

    def key(self, data: Any) -> tuple[Any, ...]:
        raise NotImplementedError

    def clash(self, cadre_id: int, data: Any, extra: dict[str, Any]) -> Clash | None:
        raise NotImplementedError

    def held_from(self, line: int, data: Any, extra: dict[str, Any]) -> Held | None:
        """What a later line of the file may clash with, once this one is accepted."""
        raise NotImplementedError

    def accept(self, line: int, data: Any, extra: dict[str, Any]) -> None:
        cadre_id = self.cadres.get(data.cadre)
        if cadre_id is None:
            raise RowError("cadre", _UNKNOWN_CADRE, data.cadre)
        key = self.key(data)
        if key in self.seen:  # a stored record or an earlier line, repeated: nothing to add
            self.result.skipped += 1
            return
        refuse_row(self.clash(cadre_id, data, extra))
        self.seen.add(key)
        record = self.held_from(line, data, extra)
        if record is not None:
            self.held.setdefault(cadre_id, []).append(record)
        self.pending.append((data, extra))


class AbsenceImporter(_SmallImporter):
    def stored_keys(self) -> Iterable[tuple[Any, ...]]:
        query = select(Cadre.code, Absence.start, Absence.end).join(
            Cadre, col(Cadre.id) == Absence.cadre_id
        )
        return list(self.session.exec(query).all())

    def stored_held(self) -> Iterable[tuple[int, Held]]:
        query = select(Absence.cadre_id, Absence.id, Absence.start, Absence.end, Absence.reason)
        for cadre_id, ident, start, end, reason in self.session.exec(query):
            yield cadre_id, Held("absence", start, end, ident=ident, detail=reason)

    def key(self, data: AbsenceIn) -> tuple[Any, ...]:
        return (data.cadre, data.start, data.end)

    def clash(self, cadre_id: int, data: AbsenceIn, extra: dict[str, Any]) -> Clash | None:
        trips = ledger.held_trips(self.session, cadre_id, data.start, data.end)
        absences = self.held.get(cadre_id, ())
        return checks.absence_clash(data.cadre, data.start, data.end, absences, trips)

    def held_from(self, line: int, data: AbsenceIn, extra: dict[str, Any]) -> Held | None:
        return Held("absence", data.start, data.end, line=line, detail=data.reason)

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
        self.accept(line, data, {})

    def finish(self) -> None:
        for data, _ in self.pending:
            ledger.add_absence(self.session, data, check=False)
        self.result.added += len(self.pending)


class AssignmentImporter(_SmallImporter):
    def __init__(self, session: Session, update: bool, result: ImportResult) -> None:
        super().__init__(session, update, result)
        self.units = _code_map(session, Unit)
        self.plans = _code_map(session, Plan)
        posts = select(Cadre.id, col(Cadre.active_from), col(Cadre.active_to))
        self.posts = {ident: (first, last) for ident, first, last in session.exec(posts)}
        self.org = ledger.organisation(session)

    def stored_held(self) -> Iterable[tuple[int, Held]]:
        """Non-cancelled assignments: a cancelled one overlaps nothing."""
        query = (
            select(Assignment.cadre_id, Assignment.id, Assignment.start, Assignment.end, Unit.code)
            .join(Unit, col(Unit.id) == Assignment.host_id)
            .where(col(Assignment.cancelled).is_(False))
        )
        for cadre_id, ident, start, end, host in self.session.exec(query):
            yield cadre_id, Held("assignment", start, end, ident=ident, detail=host)

    def clash(self, cadre_id: int, data: AssignmentIn, extra: dict[str, Any]) -> Clash | None:
        first, last = self.posts.get(cadre_id, (None, None))
        held = self.held.get(cadre_id, ())
        return checks.assignment_clash(
            data.cadre, data.start, data.end, extra["cancelled"], first, last, held
        ) or (
            None
            if extra["cancelled"]
            else checks.host_not_alive(
                "assignment",
                data.cadre,
                data.start,
                data.end,
                self.org.life(data.host),
                self.org.successors(data.host),
            )
        )

    def held_from(self, line: int, data: AssignmentIn, extra: dict[str, Any]) -> Held | None:
        if extra["cancelled"]:
            return None
        return Held("assignment", data.start, data.end, line=line, detail=data.host)

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
        start = cells.required_day("start")
        data: AssignmentIn = _validated(
            AssignmentIn,
            {
                "cadre": cells.required("cadre"),
                "host": cells.required("host"),
                "start": start,
                "end": _assignment_end(cells, start),
                "role": cells.text("role"),
                "decision": cells.text("decision"),
                "plan": cells.text("plan") or None,
            },
        )
        if data.host not in self.units:
            raise RowError("host", _UNKNOWN_UNIT, data.host)
        if data.plan and data.plan not in self.plans:
            raise RowError("plan", Msg.ROW_UNKNOWN(what=Msg.PLAN), data.plan)
        # Only `cancelled` is kept: the other statuses follow from the dates.
        status = cells.word("status", ASSIGNMENT_STATUSES, AssignmentStatus.planned.value)
        report = cells.text("report", limit=20000)
        report_date = cells.day("report_date")
        if bool(report) != bool(report_date):
            missing = "report" if report_date else "report_date"
            raise RowError(missing, Msg.ROW_REPORT_NEEDS_BOTH)
        self.accept(
            line,
            data,
            {
                "cancelled": status == AssignmentStatus.cancelled,
                "report": report,
                "report_date": report_date,
            },
        )

    def finish(self) -> None:
        for data, extra in self.pending:
            assignment = ledger.add_assignment(
                self.session, data, cancelled=extra["cancelled"], check=False
            )
            if extra["report"]:
                ledger.file_report(
                    self.session, assignment.id or 0, extra["report_date"], extra["report"]
                )
        self.result.added += len(self.pending)


def _assignment_end(cells: Cells, start: date) -> date:
    """The last day: the `end` column, or `months` after the start (the day before)."""
    end = cells.day("end")
    months = cells.number("months", 1, 120)
    if months is None:
        if end is None:
            raise RowError(("end", "months"), Msg.IS_EMPTY)
        return end
    counted = rules.end_for_months(start, months)
    if end is not None and end != counted:
        raise RowError("months", Msg.MONTHS_DISAGREE(months=months, end=end, counted=counted))
    return counted


class MoveImporter(KindImporter):
    """Moves (new postings, SPEC §5-6): a province's reorganisation in one file.

    Every row goes through the same ledger function as `cadre move`, in date order for each
    cadre (a later move keeps what an earlier one set), each in a savepoint: a refused row is
    undone and noted, and the next rows are still tried, so that every bad row is reported. The
    moves are written while the file is checked; with any bad row the import's transaction is
    rolled back and nothing is kept. A move repeating a stored posting, or naming the posting
    already in force, is skipped; one that contradicts a stored posting of the same day
    replaces it only with --update.
    """

    def __init__(self, session: Session, update: bool, result: ImportResult) -> None:
        super().__init__(session, update, result)
        self.cadres = _code_map(session, Cadre)
        self.units = _code_map(session, Unit)
        self.moves: list[tuple[str, date, int, str, str | None, str | None]] = []

    def take(self, line: int, cells: Cells) -> None:
        code = cells.required("cadre")
        if code not in self.cadres:
            raise RowError("cadre", _UNKNOWN_CADRE, code)
        unit = cells.required("unit")
        if unit not in self.units:
            raise RowError("unit", _UNKNOWN_UNIT, unit)
        start = cells.required_day("from")
        category = cells.word("category", CATEGORIES, "") or None
        position = cells.text("position") or None
        self.moves.append((code, start, line, unit, category, position))

    def check_all(self) -> list[tuple[int, RowError]]:
        from doanfield import organisation

        org = ledger.organisation(self.session)
        problems: list[tuple[int, RowError]] = []
        first_line: dict[tuple[str, date], int] = {}
        for code, start, line, unit, category, position in sorted(self.moves):
            try:
                with self.session.begin_nested():
                    done = organisation.move_cadre(
                        self.session, code, unit, start, category, position, org=org
                    )
                    if done == organisation.CHANGED:
                        earlier = first_line.get((code, start))
                        if earlier is not None:
                            problem = Msg.ROW_MOVE_DISAGREES(line=earlier)
                            raise RowError("from", problem, start.isoformat())
                        if not self.update:
                            raise RowError("from", Msg.ROW_RECORDED_OTHERWISE, start.isoformat())
            except RowError as error:
                problems.append((line, error))
                continue
            except checks.Contradiction as error:
                clash = error.clash
                problems.append((line, RowError(clash.column, clash.message, clash.value)))
                continue
            except DoanfieldError as error:
                if error.message.key is Msg.MOVE_CHANGES_NOTHING:
                    self.result.skipped += 1
                    continue
                problems.append((line, RowError("from", error.message, start.isoformat())))
                continue
            first_line.setdefault((code, start), line)
            if done == organisation.ADDED:
                self.result.added += 1
            elif done == organisation.CHANGED:
                self.result.updated += 1
            else:
                self.result.skipped += 1
        return problems


IMPORTERS: dict[str, type[KindImporter]] = {
    "units": UnitImporter,
    "cadres": CadreImporter,
    "plans": PlanImporter,
    "trips": TripImporter,
    "assignments": AssignmentImporter,
    "absences": AbsenceImporter,
    "moves": MoveImporter,
}


# ------------------------------------------------------------------------ the pipeline


def _problem_line(rows: Rows, layout: Layout, line: int, error: RowError) -> Message:
    """`FILE:ROW: column: problem (value)`, the column named as the file's header names it."""
    value = Msg.IN_PARENS(value=_shown(error.value)) if error.value else ""
    named = error.column
    if isinstance(named, str):
        column: str | Message | Heading = layout.title(named)
    elif isinstance(named, tuple):
        column = either(layout.title(c) for c in named)
    else:
        column = named
    return Msg.ROW_PROBLEM(
        where=rows.where(line), column=column, problem=error.problem, value=value
    )


def _shown(value: str) -> str | date:
    """A cell as the reader expects it: a workbook's date cell (ISO here) is a date."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


class RowShape:
    """Checks every row's shape against the header before its values are read."""

    def __init__(self, session: Session, layout: Layout, rows: Rows) -> None:
        self.column = rows.column
        fields = layout.fields
        self.width = len(fields)
        self.unnamed = [i for i, f in enumerate(fields) if f == ""]
        self.name_at = fields.index("name") if "name" in fields and "cadre" in fields else -1
        self.cadre_at = fields.index("cadre") if self.name_at >= 0 else -1
        self.names: dict[str, str] = {}
        if self.name_at >= 0:
            self.names = {code: name for code, name in session.exec(select(Cadre.code, Cadre.name))}

    def check(self, cells: list[str]) -> None:
        width = self.width
        if len(cells) != width:
            if len(cells) < width:
                raise RowError(
                    self.column(len(cells) + 1), Msg.ROW_SHORT(cells=len(cells), columns=width)
                )
            if any(c.strip() for c in cells[width:]):
                extra = cells[width].strip()[:40] or next(c for c in cells[width:] if c.strip())
                raise RowError(self.column(width + 1), Msg.ROW_BEYOND_HEADER, extra[:40])
        for index in self.unnamed:
            if cells[index].strip():
                raise RowError(self.column(index + 1), Msg.ROW_UNNAMED_COLUMN, cells[index])
        if self.name_at >= 0:
            self.check_name(cells[self.cadre_at].strip(), cells[self.name_at])

    def check_name(self, code: str, written: str) -> None:
        """The name beside the code is that cadre's name: a wrong code is caught here."""
        stored = self.names.get(code)
        if stored is None or not written.strip() or _same_name(stored, written):
            return
        raise RowError("name", Msg.NAME_MISMATCH(code=code, stored=stored, written=written.strip()))


def _same_name(stored: str, written: str) -> bool:
    """Equal as people read them: case, spacing, Unicode form, or typed without diacritics."""

    def plain(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return plain(stored) == plain(written) or fold(stored) == fold(written)


def import_file(
    session: Session,
    kind: str,
    path: Path,
    update: bool = False,
    progress: Callable[[int, int], None] | None = None,
    sheet: str | None = None,
    new_level: bool = False,
    ahead: bulk.ReadAhead | None = None,
) -> ImportResult:
    """Validate the whole file, then write it; raises ImportFailed (nothing kept) on any bad row.

    `new_level`: levels of a units file that are neither known nor used are new ones to add.
    `ahead`: a trips file's column-wise reading, begun before (bulk.read_ahead).
    """
    header = HEADERS[kind]
    rows = open_rows(path, sheet, header.names)
    with ExitStack() as stack:
        stack.callback(rows.close)
        # A million rows make a million small lists: the cyclic collector would walk them all
        # again and again, and none of them is part of a cycle.
        if gc.isenabled():
            gc.disable()
            stack.callback(gc.enable)
        layout = map_header(rows, header)
        result = ImportResult(kind)
        importer = IMPORTERS[kind](session, update, result)
        importer.new_level = new_level
        if not (
            isinstance(importer, TripImporter)
            and bulk.import_trips(session, path, rows, layout, importer, progress, ahead)
        ):
            stack.enter_context(importer.loading(rows.size))
            _import_rows(session, rows, layout, header, importer, progress)
            importer.finish()
        if progress:
            progress(rows.size, rows.size)
    ledger.log_change(
        session,
        kind,
        path.name,
        "import",
        after={"added": result.added, "updated": result.updated, "skipped": result.skipped},
    )
    return result


def _import_rows(
    session: Session,
    rows: Rows,
    layout: Layout,
    header: Columns,
    importer: KindImporter,
    progress: Callable[[int, int], None] | None,
) -> None:
    """The row path: every row checked and taken in turn; ImportFailed names every bad one."""
    result = importer.result
    fields = layout.fields
    shape = RowShape(session, layout, rows)
    problems: list[tuple[int, RowError]] = []
    take = importer.take_row
    count = 0
    keys = layout.key_positions(header.required)
    for line, cells in without_footer(rows.records(), keys):
        count += 1
        try:
            shape.check(cells)
            take(line, cells, fields)
        except RowError as error:
            if not any(i < len(cells) and cells[i].strip() for i in keys):
                # Likely the signature block, straight under the table: say how to mark it.
                error.problem = Msg.ROW_KEYS_EMPTY(problem=error.problem)
            problems.append((line, error))
        if count % BATCH_ROWS == 0:
            if not problems:
                importer.flush()
            if progress:
                progress(rows.position(), rows.size)
    result.rows = count
    problems.extend(importer.check_all())
    if problems:
        problems.sort(key=lambda p: p[0])
        first = [_problem_line(rows, layout, n, error) for n, error in problems[:MAX_LISTED]]
        lines = listed(first, len(problems), Msg.IMPORT_MORE)
        raise ImportFailed(Msg.IMPORT_FAILED, file=rows.name, count=len(problems), details=lines)


__all__ = ["FileRefused", "ImportFailed", "ImportResult", "import_file"]
