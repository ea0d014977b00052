"""The organisation over time (SPEC §6) as pure functions over plain values: no database.

A unit lives from `active_from` to `active_to` (inclusive; an open end means it always existed /
still exists). It sits under a parent from a date on: its parent links, the earliest open at its
start (from the beginning). When it closes it may name its successors. A cadre's postings (unit,
category, position) likewise run from a date on, the earliest open at its start.

Units are named by their codes here: the storage layer maps its ids to codes when it loads them.
Everything answers "on day d" (the tree, a unit's parent, a cadre's posting) or "over a period"
(which units a report's `--unit U` covers). The storage layer keeps one row per link and per
posting, so "parent on d" and "posting on d" are each computed one way only: here.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


def _next_day(day: date) -> date | None:
    return None if day == date.max else day + timedelta(days=1)


def _day_before(day: date) -> date | None:
    return None if day == date.min else day - timedelta(days=1)


@dataclass(frozen=True)
class Life:
    """A unit and its first and last day (None: open)."""

    code: str
    name: str = ""
    level: str = ""
    active_from: date | None = None
    active_to: date | None = None

    def alive(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or day <= self.active_to
        )

    def alive_over(self, start: date | None, end: date | None) -> bool:
        """Alive on every day of start..end (None: open, i.e. since always / for ever)."""
        if self.active_from is not None and (start is None or start < self.active_from):
            return False
        return self.active_to is None or (end is not None and end <= self.active_to)

    def meets(self, first: date, last: date) -> bool:
        """Alive on some day of first..last."""
        return (self.active_from is None or self.active_from <= last) and (
            self.active_to is None or self.active_to >= first
        )


@dataclass(frozen=True)
class Link:
    """`unit` is under `parent` (None: at the top) from `start` on (None: from the beginning)."""

    unit: str
    parent: str | None
    start: date | None = None


@dataclass(frozen=True)
class Posting:
    """A cadre belongs to `unit` with this category and position from `start` on."""

    unit: str
    category: str = "other"
    position: str = ""
    start: date | None = None


def _start_key(start: date | None) -> date:
    return date.min if start is None else start


def _latest_on(starts: Sequence[date], day: date) -> int:
    """Index of the last start ≤ day in ascending `starts` whose first entry is the open one."""
    return max(0, bisect.bisect_right(starts, day) - 1)


# ------------------------------------------------------------------------ postings


def sorted_postings(postings: Iterable[Posting]) -> list[Posting]:
    return sorted(postings, key=lambda p: _start_key(p.start))


def posting_on(postings: Sequence[Posting], day: date) -> Posting:
    """The posting in force on `day` (`postings` sorted by start, the first open at its start).

    Before the first dated move the earliest posting holds: it is open at its start.
    """
    starts = [_start_key(p.start) for p in postings]
    return postings[_latest_on(starts, day)]


def held_spans(
    starts: Sequence[date | None], first_day: date | None, last_day: date | None
) -> list[tuple[int, date | None, date | None]]:
    """For records that run from their start until the next one starts (`starts` ascending,
    the first may be open), each one's index and the days it holds within first..last day
    (None: open); records holding no day are left out."""
    spans = []
    for index, start in enumerate(starts):
        first = start
        if first_day is not None and (first is None or first < first_day):
            first = first_day
        last = None
        if index + 1 < len(starts):
            following = starts[index + 1]
            last = _day_before(following) if following is not None else None
        if last_day is not None and (last is None or last > last_day):
            last = last_day
        if first is not None and last is not None and last < first:
            continue
        spans.append((index, first, last))
    return spans


def posting_spans(
    postings: Sequence[Posting], active_from: date | None, active_to: date | None
) -> list[tuple[Posting, date | None, date | None]]:
    """Each posting with the days it holds within the post (None: open); empty ones left out."""
    starts = [p.start for p in postings]
    return [(postings[i], a, b) for i, a, b in held_spans(starts, active_from, active_to)]


def last_day_in_post(
    active_from: date | None, active_to: date | None, first: date, last: date
) -> date | None:
    """The last day of first..last on which the cadre held the post (None: no day)."""
    day = last if active_to is None or active_to > last else active_to
    if day < first or (active_from is not None and day < active_from):
        return None
    return day


def nearest_day(active_from: date | None, active_to: date | None, day: date) -> date:
    """`day`, or the first or last day of active_from..active_to when `day` is outside it."""
    if active_to is not None and day > active_to:
        return active_to
    if active_from is not None and day < active_from:
        return active_from
    return day


# ------------------------------------------------------------------------ the organisation


class Organisation:
    """Every unit with its life, its parent links and its successors."""

    def __init__(
        self,
        units: Iterable[Life],
        links: Iterable[Link] = (),
        successors: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.units: dict[str, Life] = {u.code: u for u in units}
        by_unit: dict[str, list[Link]] = {}
        for link in links:
            by_unit.setdefault(link.unit, []).append(link)
        self._links = {
            code: sorted(found, key=lambda k: _start_key(k.start))
            for code, found in by_unit.items()
        }
        self._starts = {
            code: [_start_key(k.start) for k in found] for code, found in self._links.items()
        }
        self._successors: dict[str, list[str]] = {}
        self._formed_from: dict[str, list[str]] = {}
        for old, new in successors:
            self._successors.setdefault(old, []).append(new)
            self._formed_from.setdefault(new, []).append(old)
        for found in (*self._successors.values(), *self._formed_from.values()):
            found.sort()

    # ------------------------------------------------------------------ one unit

    def life(self, code: str) -> Life:
        return self.units[code]

    def alive(self, code: str, day: date) -> bool:
        return self.units[code].alive(day)

    def links(self, code: str) -> list[Link]:
        """The unit's parent links, earliest first."""
        return list(self._links.get(code, ()))

    def parent_on(self, code: str, day: date) -> str | None:
        """The unit's parent as of `day` (None: at the top, or no parent recorded)."""
        links = self._links.get(code)
        if not links:
            return None
        link = links[_latest_on(self._starts[code], day)]
        if link.start is not None and link.start > day:
            return None  # the first link is dated and starts later: no parent before it
        return link.parent

    def link_spans(self, code: str) -> list[tuple[Link, date | None, date | None]]:
        """Each parent link with the days it holds within the unit's life; empty ones left out."""
        life = self.units[code]
        links = self._links.get(code, [])
        starts = [k.start for k in links]
        return [
            (links[i], a, b) for i, a, b in held_spans(starts, life.active_from, life.active_to)
        ]

    def successors(self, code: str) -> list[str]:
        return list(self._successors.get(code, ()))

    def formed_from(self, code: str) -> list[str]:
        """The units that named `code` as a successor (direct predecessors)."""
        return list(self._formed_from.get(code, ()))

    def predecessors(self, code: str) -> set[str]:
        """Every unit `code` was formed from, through successor links transitively."""
        found: set[str] = set()
        stack = list(self._formed_from.get(code, ()))
        while stack:
            unit = stack.pop()
            if unit in found or unit == code:
                continue
            found.add(unit)
            stack.extend(self._formed_from.get(unit, ()))
        return found

    def within(self, code: str, day: date, roots: set[str]) -> bool:
        """`code` is one of `roots` or under one of them on `day`."""
        return code in roots or any(a in roots for a in self.ancestors_on(code, day))

    def current_parent(self, code: str, today: date) -> str | None:
        """The parent as of today, or as of the unit's last (first) day if it is closed (not
        yet formed): where the unit sits when it is listed or exported."""
        life = self.units[code]
        return self.parent_on(code, nearest_day(life.active_from, life.active_to, today))

    def ancestors_on(self, code: str, day: date) -> list[str]:
        """The units above `code` on `day`, nearest first (a loop is cut where it closes)."""
        found: list[str] = []
        seen = {code}
        parent = self.parent_on(code, day)
        while parent is not None and parent not in seen and parent in self.units:
            found.append(parent)
            seen.add(parent)
            parent = self.parent_on(parent, day)
        return found

    # ------------------------------------------------------------------ the tree on a day

    def children_on(self, day: date) -> dict[str | None, list[str]]:
        """The tree on `day`: each alive unit under its parent as of `day` (None: the top).

        A unit whose parent is not alive that day (a ledger written before the checks) is
        shown at the top rather than lost.
        """
        children: dict[str | None, list[str]] = {}
        for code, life in self.units.items():
            if not life.alive(day):
                continue
            parent = self.parent_on(code, day)
            if parent is not None and (parent not in self.units or not self.alive(parent, day)):
                parent = None
            children.setdefault(parent, []).append(code)
        for found in children.values():
            found.sort()
        return children

    def tree_on(self, day: date) -> list[tuple[str, int]]:
        """The alive units in tree order (each followed by those under it), with their depth."""
        children = self.children_on(day)
        ordered: list[tuple[str, int]] = []
        seen: set[str] = set()
        stack = [(code, 0) for code in reversed(children.get(None, []))]
        while stack:
            code, depth = stack.pop()
            if code in seen:
                continue
            seen.add(code)
            ordered.append((code, depth))
            stack.extend((c, depth + 1) for c in reversed(children.get(code, [])))
        return ordered

    def under_on(self, roots: Iterable[str], day: date) -> set[str]:
        """The roots alive on `day` and every unit under one of them that day."""
        below = self.children_on(day)
        found: set[str] = set()
        stack = [r for r in roots if r in self.units and self.alive(r, day)]
        while stack:
            code = stack.pop()
            if code in found:
                continue
            found.add(code)
            stack.extend(below.get(code, ()))
        return found

    # ------------------------------------------------------------------ over a period

    def changes_within(self, first: date, last: date) -> list[date]:
        """`first` and every later day of the period on which the tree may differ from the day
        before (a unit's first day, the day after a unit's last, a parent link's start)."""
        days = {first}
        for life in self.units.values():
            for day in (life.active_from, _next_day(life.active_to) if life.active_to else None):
                if day is not None and first < day <= last:
                    days.add(day)
        for links in self._links.values():
            for link in links:
                if link.start is not None and first < link.start <= last:
                    days.add(link.start)
        return sorted(days)

    def covered(self, code: str, first: date, last: date) -> set[str]:
        """What a report's `--unit code` covers over first..last (SPEC §6): the unit, the units
        it was formed from, and every unit that on some day of the period was under one of them.
        """
        roots = {code} | self.predecessors(code)
        found = set(roots)
        for day in self.changes_within(first, last):
            found |= self.under_on(roots, day)
        return found

    def existed_within(self, code: str, first: date, last: date) -> bool:
        """The unit, or one it was formed from, was alive on some day of first..last."""
        return any(
            self.units[u].meets(first, last)
            for u in ({code} | self.predecessors(code))
            if u in self.units
        )

    def has_loop(self) -> str | None:
        """A unit that is its own ancestor on some day, if any (the first by code)."""
        days: set[date] = {date.min}
        for links in self._links.values():
            days.update(link.start for link in links if link.start is not None)
        for day in sorted(days):
            for code in sorted(self.units):
                if self._loops_on(code, day):
                    return code
        return None

    def _loops_on(self, code: str, day: date) -> bool:
        seen: set[str] = set()
        parent = self.parent_on(code, day)
        while parent is not None and parent not in seen:
            if parent == code:
                return True
            seen.add(parent)
            parent = self.parent_on(parent, day) if parent in self.units else None
        return False


def unit_chain(org: Organisation, code: str, day: date) -> list[str]:
    """The unit and every unit above it on `day`, nearest first: whose policy values apply.

    The one place a unit's policy looks up its ancestors (in the tree as it stood that day).
    """
    return [code, *org.ancestors_on(code, day)]
