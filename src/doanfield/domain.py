"""Vocabulary shared by every layer: the fixed choices of the spec and the domain's errors.

Kept free of third-party imports so that the CLI can load it at start-up.
"""

from __future__ import annotations

from enum import StrEnum


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


class DoanfieldError(Exception):
    """A request that was understood but cannot be done (exit code 1)."""

    def in_language(self, lang: str) -> str:
        """The message in `lang`; errors that carry their own Vietnamese text override this."""
        return str(self)


class Worded(DoanfieldError):
    """An error that carries its own Vietnamese text."""

    def __init__(self, message: str, vi: str) -> None:
        super().__init__(message)
        self.vi = vi

    def in_language(self, lang: str) -> str:
        return self.vi if lang == "vi" else str(self)


class NotFound(DoanfieldError):
    pass


class Conflict(DoanfieldError):
    pass


class InvalidValue(DoanfieldError):
    pass


class LedgerRefused(DoanfieldError):
    """The file or database is not a ledger this version may open."""


class BadUsage(Exception):
    """A value that cannot be parsed at all (exit code 2)."""
