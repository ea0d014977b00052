"""The ledger's tables (SQLModel) and the validated input shapes that feed them.

SQLModel table models do not validate on construction, so every write goes through an `…In`
model first (`UnitIn.model_validate(...)`), as in the SQLModel project template.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Self, TypeVar

from pydantic import StringConstraints, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError
from sqlalchemy import CheckConstraint, Date, Index, TypeDecorator, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from doanfield import vocabulary
from doanfield.dates import bounded, in_range, out_of_range
from doanfield.domain import Category, InvalidValue, TripKind
from doanfield.messages import Heading, Message, Msg, Word

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
OptionalText = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=20000)]


# ------------------------------------------------------------------------------- tables

# Partial unique indexes and their condition. Only SQLite's is named in the model: naming
# `postgresql_where` there makes SQLAlchemy import its whole PostgreSQL dialect to check the
# keyword, ~25 ms of every command's start on a SQLite ledger. PostgreSQL's is added by
# `with_postgresql_options` when a PostgreSQL ledger is opened (engine.open_ledger), before
# anything creates or compares these indexes there.
_PARTIAL_INDEXES: list[tuple[Index, str]] = []


def _partial_unique_index(name: str, *columns: str, where: str) -> Index:
    index = Index(name, *columns, unique=True, sqlite_where=text(where))
    _PARTIAL_INDEXES.append((index, where))
    return index


def with_postgresql_options() -> None:
    """The PostgreSQL condition of each partial index (the PostgreSQL dialect is loaded)."""
    for index, where in _PARTIAL_INDEXES:
        options = index.dialect_options["postgresql"]
        if options["where"] is None:
            options["where"] = text(where)


class Unit(SQLModel, table=True):
    """A unit and its life: first and last day (None: it always existed / still exists).

    Where it sits in the tree is in `unit_parent` (from a date on), whom it was merged or split
    into in `unit_successor`: nothing here says "the parent", so nothing can disagree.
    """

    __tablename__ = "unit"
    __table_args__ = (
        CheckConstraint(
            "active_to IS NULL OR active_from IS NULL OR active_to >= active_from",
            name="active_dates",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=64)
    name: str
    level: str
    active_from: date | None = None
    active_to: date | None = None


class UnitParent(SQLModel, table=True):
    """`unit` is under `parent` (None: at the top) from `start` on; the earliest link of a unit
    has no start (from the beginning). A unit without links has no parent."""

    __tablename__ = "unit_parent"
    __table_args__ = (
        UniqueConstraint("unit_id", "start", name="uq_unit_parent_unit_start"),
        _partial_unique_index("uq_unit_parent_first", "unit_id", where="start IS NULL"),
        Index("ix_unit_parent_parent", "parent_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE")
    parent_id: int | None = Field(default=None, foreign_key="unit.id", ondelete="RESTRICT")
    start: date | None = None


class UnitSuccessor(SQLModel, table=True):
    """When `unit` closed, it was merged or split into `successor` (one row per successor)."""

    __tablename__ = "unit_successor"
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE", primary_key=True)
    successor_id: int = Field(foreign_key="unit.id", ondelete="RESTRICT", primary_key=True)


class Cadre(SQLModel, table=True):
    """A person; their unit, category and position over time are their postings (`posting`)."""

    __tablename__ = "cadre"
    __table_args__ = (
        CheckConstraint(
            "active_to IS NULL OR active_from IS NULL OR active_to >= active_from",
            name="active_dates",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=64)
    name: str
    given_name: str | None = None
    birth_date: date | None = None
    gender: str | None = None
    active_from: date | None = None
    active_to: date | None = None


class Posting(SQLModel, table=True):
    """From `start` on (None: from the beginning, the cadre's earliest posting) the cadre
    belongs to `unit` with this category and position. Every cadre has one posting without a
    start; `cadre move` adds one from a date. The only record of a cadre's unit."""

    __tablename__ = "posting"
    __table_args__ = (
        UniqueConstraint("cadre_id", "start", name="uq_posting_cadre_start"),
        _partial_unique_index("uq_posting_first", "cadre_id", where="start IS NULL"),
        Index("ix_posting_unit", "unit_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    cadre_id: int = Field(foreign_key="cadre.id", ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", ondelete="RESTRICT")
    category: str = Category.other.value
    position: str = ""
    start: date | None = None


class Absence(SQLModel, table=True):
    __tablename__ = "absence"
    __table_args__ = (
        CheckConstraint('"end" >= start', name="dates"),
        Index("ix_absence_cadre", "cadre_id", "start"),
    )
    id: int | None = Field(default=None, primary_key=True)
    cadre_id: int = Field(foreign_key="cadre.id", ondelete="CASCADE")
    start: date
    end: date
    reason: str = ""


class Trip(SQLModel, table=True):
    __tablename__ = "trip"
    __table_args__ = (
        CheckConstraint('"end" >= start', name="dates"),
        # Covering index: whole-year reports read only these columns (see PERFORMANCE.md),
        # the host unit included (days by host level).
        Index("ix_trip_cadre_start_end_unit", "cadre_id", "start", "end", "unit_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    cadre_id: int = Field(foreign_key="cadre.id", ondelete="CASCADE")
    start: date
    end: date
    kind: str = TripKind.other.value
    place: str = ""
    unit_id: int | None = Field(default=None, foreign_key="unit.id", ondelete="RESTRICT")
    program: str = ""
    note: str = ""
    # The travel order or decision the trip went under (SPEC's `order`, an SQL keyword).
    travel_order: str = Field(default="", sa_column_kwargs={"server_default": ""})
    report_date: date | None = None
    report: str | None = None


class Plan(SQLModel, table=True):
    __tablename__ = "plan"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=64)
    year: int
    title: str = ""


class PlanQuota(SQLModel, table=True):
    __tablename__ = "plan_quota"
    __table_args__ = (UniqueConstraint("plan_id", "level", name="uq_plan_quota_plan_level"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", ondelete="CASCADE")
    level: str
    target: int
    max_age: int | None = None


class Assignment(SQLModel, table=True):
    __tablename__ = "assignment"
    __table_args__ = (
        CheckConstraint('"end" >= start', name="dates"),
        Index("ix_assignment_cadre", "cadre_id", "start"),
        # `report plan` and `assignment list --plan` read a plan's assignments.
        Index("ix_assignment_plan", "plan_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    cadre_id: int = Field(foreign_key="cadre.id", ondelete="CASCADE")
    host_id: int = Field(foreign_key="unit.id", ondelete="RESTRICT")
    start: date
    end: date
    role: str = ""
    decision: str = ""
    plan_id: int | None = Field(default=None, foreign_key="plan.id", ondelete="RESTRICT")
    cancelled: bool = False
    report_date: date | None = None
    report: str | None = None


class PolicySetting(SQLModel, table=True):
    """A rule value from a year on, for the whole ledger or for one unit and those below it."""

    __tablename__ = "policy_setting"
    __table_args__ = (
        UniqueConstraint("key", "from_year", "unit_id", name="uq_policy_setting_key_year_unit"),
        # NULLs are distinct in a unique constraint: one ledger-wide value per key and year.
        _partial_unique_index(
            "uq_policy_setting_ledger_wide", "key", "from_year", where="unit_id IS NULL"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    key: str
    from_year: int
    value: str
    unit_id: int | None = Field(default=None, foreign_key="unit.id", ondelete="RESTRICT")


class ChangeLog(SQLModel, table=True):
    """Append-only: what changed, when, by whom, through which command."""

    __tablename__ = "change_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    os_user: str
    command: str
    entity: str
    key: str
    action: str
    before: str | None = None
    after: str | None = None
    # The hash chain (doanfield.changelog): the entry before's hash, and this entry's.
    prev_hash: str
    entry_hash: str


class Day(TypeDecorator[date]):
    """A date column, read as the rules can count it (dates.bounded): a day outside the
    bounds, stored before they were kept, cannot break a report; `db check` names it."""

    impl = Date
    cache_ok = True

    def process_result_value(self, value: date | None, dialect: Any) -> date | None:
        return None if value is None else bounded(value)


# Every date column of the ledger, now and to come, reads through Day.
for _table in SQLModel.metadata.tables.values():
    for _column in _table.columns:
        if type(_column.type) is Date:
            _column.type = Day()


# ------------------------------------------------------------------------------- inputs


def _word(words: vocabulary.Vocabulary, value: Any) -> Any:
    """A code given by its code or Vietnamese words (SPEC §4 "The same words")."""
    return words.parse(value) if isinstance(value, str) else value


def _check_range(start: date | None, end: date | None, what: str, field: str = "end") -> None:
    """An end before its start: a problem of the `field` that holds the end."""
    if start is not None and end is not None and end < start:
        raise PydanticCustomError(
            "end_before_start",
            "{what} end {end} is before start {start}",
            {"what": what, "end": end.isoformat(), "start": start.isoformat(), "field": field},
        )


class Input(SQLModel):
    """What every input model checks: its dates are days doanfield counts (dates.py)."""

    @field_validator("*", mode="after")
    @classmethod
    def _day_in_range(cls, value: Any) -> Any:
        if isinstance(value, date) and not isinstance(value, datetime) and not in_range(value):
            raise PydanticCustomError(
                "date_out_of_range", "date {day} out of range", {"day": value.isoformat()}
            )
        return value


Level = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


def _level(value: Any) -> Any:
    """A known level as its code ('xã' -> commune); other levels are checked by the ledger."""
    return (vocabulary.LEVELS.code(value) or value) if isinstance(value, str) else value


class UnitIn(Input):
    """A unit as added or imported: `parent` is its parent from the beginning (or from
    `active_from`); `successors` the units it became when it closed (a closed unit only)."""

    code: Code
    name: Name
    level: Level
    parent: Code | None = None
    active_from: date | None = None
    active_to: date | None = None
    successors: list[Code] = []

    _known_level = field_validator("level", mode="before")(_level)

    @model_validator(mode="after")
    def _dates(self) -> Self:
        _check_range(self.active_from, self.active_to, "active")
        return self


class CadreIn(Input):
    code: Code
    name: Name
    unit: Code
    position: Text = ""
    category: Category = Category.other
    birth_date: date | None = None
    gender: Text | None = None
    active_from: date | None = None
    active_to: date | None = None
    given_name: Text | None = None

    @field_validator("category", mode="before")
    @classmethod
    def _category(cls, value: Any) -> Any:
        return _word(vocabulary.CATEGORIES, value)

    @model_validator(mode="after")
    def _dates(self) -> Self:
        _check_range(self.active_from, self.active_to, "active", "active_to")
        return self


class TripIn(Input):
    cadre: Code
    start: date
    end: date
    kind: TripKind = TripKind.other
    place: Text = ""
    unit: Code | None = None
    program: Text = ""
    note: Text = ""
    order: Text = ""  # the travel order or decision (stored as travel_order)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return _word(vocabulary.TRIP_KINDS, value)

    @model_validator(mode="after")
    def _dates(self) -> Self:
        _check_range(self.start, self.end, "trip")
        return self


class AbsenceIn(Input):
    cadre: Code
    start: date
    end: date
    reason: Text = ""

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, value: Any) -> Any:
        """A known reason by its code ('nghỉ ốm' -> sick); any other kept as written."""
        return vocabulary.reason(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _dates(self) -> Self:
        _check_range(self.start, self.end, "absence")
        return self


class AssignmentIn(Input):
    cadre: Code
    host: Code
    start: date
    end: date
    role: Text = ""
    decision: Text = ""
    plan: Code | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        _check_range(self.start, self.end, "assignment")
        return self


class QuotaIn(Input):
    level: Level
    target: int = Field(ge=0)
    max_age: int | None = Field(default=None, ge=0, le=150)

    _known_level = field_validator("level", mode="before")(_level)


class PlanIn(Input):
    code: Code
    year: int = Field(ge=1900, le=2200)
    title: Text = ""
    quotas: list[QuotaIn]


class FieldProblem(InvalidValue):
    """An input that fails its model, naming the field and the value."""

    def __init__(self, field: str, problem: Message, value: str) -> None:
        shown = Msg.IN_PARENS(value=value) if value else ""
        super().__init__(Msg.FIELD_PROBLEM, field=Heading(field), problem=problem, value=shown)
        self.field, self.problem, self.value = field, problem, value


def _problem(error: ErrorDetails) -> Message:
    """Pydantic's complaint as a catalogue message (its English text if it is an unusual one)."""
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "end_before_start":
        return Msg.END_BEFORE_START(
            end=date.fromisoformat(ctx["end"]), start=date.fromisoformat(ctx["start"])
        )
    if kind in ("string_too_short", "missing") or (kind == "string_type" and not error["input"]):
        return Msg.IS_EMPTY()
    if kind == "date_out_of_range":
        return out_of_range()
    if kind == "string_too_long":
        return Msg.TOO_LONG(limit=ctx["max_length"])
    if kind == "greater_than_equal":
        return Msg.AT_LEAST(low=ctx["ge"])
    if kind == "less_than_equal":
        return Msg.AT_MOST(high=ctx["le"])
    if kind == "enum":
        return Msg.NOT_ONE_OF(known=[Word(c) for c in re.findall(r"'([^']*)'", ctx["expected"])])
    cause = ctx.get("error")
    if isinstance(cause, vocabulary.UnknownWord):  # it says itself in both languages
        return cause.message
    return Message(None, raw=error["msg"].removeprefix("Value error, "))


M = TypeVar("M", bound=SQLModel)


def validated(model: type[M], data: dict[str, Any]) -> M:
    """`model.model_validate(data)`, with the first problem as one line naming its field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        if first["loc"]:
            field = str(first["loc"][0])
            value = data.get(field)
        else:  # a check of the whole record (an end before its start) names both values itself
            field, value = str(first.get("ctx", {}).get("field", "end")), ""
        raise FieldProblem(field, _problem(first), "" if value is None else str(value)) from None
