"""Vocabulary shared by every layer: the fixed choices of the spec and the domain's errors.

Kept free of third-party imports so that the CLI can load it at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from doanfield.messages import Message, Msg, message


class TripKind(StrEnum):
    thematic = "thematic"
    inspection = "inspection"
    activity = "activity"
    committee_meeting = "committee_meeting"
    branch_meeting = "branch_meeting"
    other = "other"


class Category(StrEnum):
    provincial_leader = "provincial_leader"
    provincial_staff = "provincial_staff"
    district_key = "district_key"
    other = "other"


class AssignmentStatus(StrEnum):
    planned = "planned"
    active = "active"
    completed = "completed"
    cancelled = "cancelled"


class TrainingStatus(StrEnum):
    done = "done"
    in_progress = "in_progress"
    planned = "planned"
    missing = "missing"
    not_required = "not_required"


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


# What a command can write, offered as its --format choices (and by shell completion).
class ExportFormat(StrEnum):
    """Exports are files that import back: no table."""

    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class ShowFormat(StrEnum):
    """A record shown whole: a table to read, JSON for scripts."""

    table = "table"
    json = "json"


class CsvFormat(StrEnum):
    """`template` writes its CSV only."""

    csv = "csv"


class SheetFormat(StrEnum):
    """A cadre's sheet: a table to read, JSON for scripts, a workbook to print; no CSV."""

    table = "table"
    json = "json"
    xlsx = "xlsx"


# Every list of problems shows the first MAX_LISTED and then how many more there are (SPEC §4).
MAX_LISTED = 20


class Listing:
    """Problems as they are found: the first MAX_LISTED kept, the others only counted, so a
    file with a million bad columns costs neither memory nor a flood of lines."""

    def __init__(self) -> None:
        self.shown: list[Message] = []
        self.count = 0

    def add(self, problem: Message) -> None:
        self.count += 1
        if len(self.shown) < MAX_LISTED:
            self.shown.append(problem)

    def lines(self, more: Msg) -> list[Message]:
        """The problems kept, and `more` (a message of {count}) for those that were not."""
        return listed(self.shown, self.count, more)


def listed(first: Sequence[Message], total: int, more: Msg) -> list[Message]:
    """The first MAX_LISTED of `total` problems, then `more` saying how many are not shown."""
    shown = list(first[:MAX_LISTED])
    return [*shown, more(count=total - len(shown))] if total > len(shown) else shown


def capped(problems: Sequence[Message], more: Msg) -> list[Message]:
    return listed(problems, len(problems), more)


class Said(Exception):
    """An error that speaks through the message catalogue: a key and its values.

    `raise NotFound(Msg.UNKNOWN_ID, what=Msg.TRIP, id=5)`; `details` are further lines (the
    bad rows of a file). `str(error)` is the English text; the CLI renders `error.text(lang)`.
    """

    def __init__(
        self, key: Msg | Message | str, /, details: Sequence[Message] = (), **values: Any
    ) -> None:
        self.message = message(key, values)
        self.details = list(details)
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        return "\n".join(m.text(lang) for m in [self.message, *self.details])


class DoanfieldError(Said):
    """A request that was understood but cannot be done (exit code 1)."""


class NotFound(DoanfieldError):
    pass


class Conflict(DoanfieldError):
    pass


class InvalidValue(DoanfieldError):
    pass


class LedgerRefused(DoanfieldError):
    """The file or database is not a ledger this version may open."""


class BadUsage(Said):
    """A value that cannot be parsed at all (exit code 2)."""
