"""Dates as Vietnamese documents write them: ISO, or day first with `/` or `-`."""

from __future__ import annotations

import re
from datetime import date

from doanfield.messages import Message, Msg

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class BadDate(ValueError):
    """A text that is no date; `problem` says why without repeating the text."""

    def __init__(self, text: str, problem: Msg) -> None:
        self.text, self.problem = text, problem
        self.message: Message = Msg.DATE_PROBLEM(text=text, problem=problem)
        super().__init__(str(self.message))


def parse_date(text: str) -> date:
    """Read `2024-02-19`, `19/02/2024`, `19-2-2024` or `19/2/2024`; raise BadDate otherwise."""
    value = text.strip()
    if m := _ISO.match(value):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DAY_FIRST.match(value):
        day, month, year = (int(g) for g in m.groups())
    else:
        raise BadDate(text, Msg.DATE_BAD_FORM)
    try:
        return date(year, month, day)
    except ValueError:
        raise BadDate(text, Msg.DATE_DOES_NOT_EXIST) from None


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""
