"""The compliance report's data: one row per cadre (SPEC §4), whichever way it was computed
(reports.py row by row, colreport.py column-wise)."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from doanfield import rules, vocabulary
from doanfield.domain import TrainingStatus


@dataclass
class ComplianceRow:
    cadre: str
    name: str
    unit: str
    category: str
    field_days: int
    required_days: int
    field_ok: bool
    weeks_met: int
    weeks_total: int
    training_required: bool
    training_status: str
    report_pending: bool
    days_by_level: dict[str, int]
    trip_reports_overdue: int
    # For people, not in JSON or CSV: the days missing at each level short of its minimum.
    short_at: dict[str, int] = field(default_factory=dict)


# The CSV columns of the compliance report: the JSON row keys, in order.
COMPLIANCE_COLUMNS = tuple(f.name for f in fields(ComplianceRow) if f.name != "short_at")
_row_values = operator.attrgetter(*COMPLIANCE_COLUMNS)


@dataclass
class Compliance:
    year: int
    as_of: date
    policy: rules.Policy
    rows: list[ComplianceRow]

    def totals(self) -> dict[str, int]:
        return {
            "cadres": len(self.rows),
            "field_ok": sum(r.field_ok for r in self.rows),
            "training_done": sum(r.training_status == TrainingStatus.done for r in self.rows),
            "training_required": sum(r.training_required for r in self.rows),
        }

    def to_json(self, rows: bool = True) -> dict[str, Any]:
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "policy": self.policy.as_dict(),
            "rows": [
                dict(zip(COMPLIANCE_COLUMNS, _row_values(r), strict=True))
                for r in (self.rows if rows else ())
            ],
            "totals": self.totals(),
        }

    def levels(self) -> list[str]:
        """Every host level some row has days at, top-down."""
        return list(by_level({k: 0 for r in self.rows for k in r.days_by_level}))

    @property
    def has_gap(self) -> bool:
        return any(not r.field_ok for r in self.rows)


def by_level(days: dict[str, int]) -> dict[str, int]:
    """Levels top-down (the known ones in their order, then others by name)."""
    if len(days) < 2:  # most cadres: days at one level, or none
        return dict(days)
    known = vocabulary.LEVELS.codes
    return dict(
        sorted(days.items(), key=lambda kv: (known.index(kv[0]) if kv[0] in known else 99, kv[0]))
    )
