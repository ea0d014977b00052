"""Dates as Vietnamese documents write them: ISO, or day first with `/` or `-`."""

from __future__ import annotations

import re
from datetime import date

from doanfield.messages import Message, Msg

# ASCII digits only: `\d` alone would take ٢٠٢٤ or ２０２４ too.
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", re.ASCII)
# The days doanfield counts: every year a --year may name. A date beyond (31/12/9999, typed
# for "open") would break every report that counts past it; it is refused on the way in.
MIN_DAY, MAX_DAY = date(1900, 1, 1), date(2200, 12, 31)


class BadDate(ValueError):
    """A text that is no date; `problem` says why without repeating the text."""

    def __init__(self, text: str, problem: Msg | Message) -> None:
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
        found = date(year, month, day)
    except ValueError:
        raise BadDate(text, Msg.DATE_DOES_NOT_EXIST) from None
    if not in_range(found):
        raise BadDate(text, out_of_range())
    return found


def in_range(day: date) -> bool:
    return MIN_DAY <= day <= MAX_DAY


def out_of_range() -> Message:
    """What is wrong with a date outside MIN_DAY..MAX_DAY."""
    return Msg.DATE_OUT_OF_RANGE(first=MIN_DAY, last=MAX_DAY)


def bounded(day: date) -> date:
    """A stored date, as the rules can count it: one outside MIN_DAY..MAX_DAY (written before
    the bound, or behind doanfield's back) is read as the bound it passes; db check names it."""
    return MAX_DAY if day > MAX_DAY else MIN_DAY if day < MIN_DAY else day


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""
