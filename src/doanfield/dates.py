"""Dates as Vietnamese documents write them: ISO, or day first with `/` or `-`."""

from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(text: str) -> date:
    """Read `2024-02-19`, `19/02/2024`, `19-2-2024` or `19/2/2024`; raise ValueError otherwise."""
    value = text.strip()
    if m := _ISO.match(value):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DAY_FIRST.match(value):
        day, month, year = (int(g) for g in m.groups())
    else:
        raise ValueError(f"date '{text}' is not of the form 19/02/2024 or 2024-02-19")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"date '{text}' does not exist") from None


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""
