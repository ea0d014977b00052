"""The columns of every record kind: list output, CSV/JSON/XLSX export, import and templates.

Stdlib only, so the CLI can name kinds without loading the storage layer.
"""

from __future__ import annotations

from typing import Any

# A CSV cell a spreadsheet would run as a formula starts with one of these (SPEC §4).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_QUOTED = (*FORMULA_LEADS, "'")


def neutralise(value: Any) -> str:
    """A CSV cell that a spreadsheet would run as a formula, written as text: a leading `'`.

    `restore` undoes it exactly, whatever the value: a value that itself starts with `'` and
    then one of those characters (or another `'`) gets a `'` too, so that nothing else loses
    one on the way back. An export thus imports back to the same values.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_LEADS) or (text[:1] == "'" and text[1:2].startswith(_QUOTED)):
        return "'" + text
    return text


def restore(cell: str) -> str:
    """A CSV cell as it was before `neutralise`."""
    if cell[:1] == "'" and cell[1:2] and cell[1:2].startswith(_QUOTED):
        return cell[1:]
    return cell


KINDS = ("units", "cadres", "plans", "trips", "assignments", "absences")
# Files of moves (new postings, SPEC §5-6) are imported and have a template, but no export.
FILE_KINDS = (*KINDS, "moves")
# `import ledger FILE` takes another doanfield ledger.
IMPORT_KINDS = (*FILE_KINDS, "ledger")

COLUMNS: dict[str, tuple[str, ...]] = {
    "units": ("code", "name", "level", "parent", "active_from", "active_to", "successors"),
    "cadres": (
        "code",
        "name",
        "unit",
        "position",
        "category",
        "birth_date",
        "gender",
        "active_from",
        "active_to",
        "given_name",
    ),
    "plans": ("plan", "year", "title", "level", "target", "max_age"),
    "trips": (
        "cadre",
        "start",
        "end",
        "kind",
        "place",
        "unit",
        "program",
        "note",
        "order",
        "report_date",
        "report",
    ),
    "assignments": (
        "cadre",
        "host",
        "start",
        "end",
        "role",
        "decision",
        "plan",
        "status",
        "report_date",
        "report",
    ),
    "absences": ("cadre", "start", "end", "reason"),
    "moves": ("cadre", "unit", "from", "category", "position"),
}

# Lists show the surrogate id that `trip remove`, `assignment report|cancel`, `absence remove` take.
WITH_ID = {"trips", "assignments", "absences"}


def list_columns(kind: str) -> tuple[str, ...]:
    return (("id",) if kind in WITH_ID else ()) + COLUMNS[kind]


# What a table on the screen shows; CSV, JSON and XLSX carry every column.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "cadres": ("code", "name", "unit", "position", "category", "birth_date", "active_to"),
    "trips": ("id", "cadre", "start", "end", "kind", "place", "unit", "program"),
    "assignments": ("id", "cadre", "host", "start", "end", "role", "plan", "status"),
    "log": ("id", "at", "os_user", "command", "entity", "key", "action"),
}
LOG_COLUMNS = ("id", "at", "os_user", "command", "entity", "key", "action", "before", "after")
# Kept on one line in a table (dates, numbers, short codes); the rest wraps on a narrow console,
# so that no column is squeezed to nothing.
NO_WRAP = {
    "id",
    "code",
    "cadre",
    "start",
    "end",
    "birth_date",
    "active_from",
    "active_to",
    "report_date",
    "year",
    "at",
    "key",
    "unit",
    "host",
    "parent",
    "field_days",
    "required_days",
    "weeks",
    "weeks_met",
    "weeks_total",
    "week_strip",
    "target",
    "assigned",
    "active",
    "completed",
    "max_age",
    "age",
    "trips",
    "days",
    "count",
    "assignment",
}
# The least room a column of names or words keeps on a narrow console.
MIN_WIDTH = {"name": 12}


EXAMPLE_ROWS: dict[str, dict[str, str]] = {
    "units": {
        "code": "HD-PT",
        "name": "Huyện Đoàn Phú Thiện",
        "level": "district",
        "parent": "TD",
        "active_from": "",
        "active_to": "30/06/2025",
        "successors": "TD",
    },
    "cadres": {
        "code": "CB001",
        "name": "Nguyễn Văn An",
        "unit": "TD",
        "position": "Phó Bí thư Tỉnh Đoàn",
        "category": "provincial_leader",
        "birth_date": "15/03/1988",
        "gender": "Nam",
        "active_from": "01/01/2022",
        "active_to": "",
        "given_name": "",
    },
    "plans": {
        "plan": "152-KH/TĐTN-TCKT",
        "year": "2024",
        "title": "Tăng cường cán bộ về cơ sở",
        "level": "district",
        "target": "13",
        "max_age": "35",
    },
    "trips": {
        "cadre": "CB001",
        "start": "19/02/2024",
        "end": "20/02/2024",
        "kind": "thematic",
        "place": "Xã Ia Sol",
        "unit": "HD-PT",
        "program": "Xuân yêu thương",
        "note": "",
        "order": "15-CL/TĐTN",
        "report_date": "26/02/2024",
        "report": "Đã làm việc với BCH Đoàn xã.",
    },
    "assignments": {
        "cadre": "CB001",
        "host": "HD-PT",
        "start": "19/02/2024",
        "end": "18/05/2024",
        "role": "Phó Bí thư Huyện Đoàn",
        "decision": "QĐ 45-QĐ/TĐTN ngày 15/02/2024",
        "plan": "152-KH/TĐTN-TCKT",
        "status": "",
        "report_date": "",
        "report": "",
    },
    "absences": {
        "cadre": "CB001",
        "start": "01/09/2024",
        "end": "30/11/2024",
        "reason": "study",
    },
    "moves": {
        "cadre": "CB001",
        "unit": "TD",
        "from": "01/07/2025",
        "category": "provincial_staff",
        "position": "Chuyên viên Ban Tổ chức",
    },
}
