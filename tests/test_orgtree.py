"""The organisation over time, as pure functions (orgtree): hand-worked cases and properties.

The reform scenario used throughout (fictional units, real dates):
  TD   Tỉnh Đoàn Gia Lai (old), always, closed 30/6/2025 into GL.
  BD   Tỉnh Đoàn Bình Định, always, closed 30/6/2025 into GL.
  GL   Tỉnh Đoàn Gia Lai (new), from 1/7/2025.
  HD-PT, HD-DC  district unions under TD, closed 30/6/2025 into GL (HD-DC into GL too).
  X1   a commune under HD-PT, moved under GL from 1/7/2025.
  X2, X3  communes under HD-DC, merged on 30/6/2025 into X23 (under GL from 1/7/2025).
  QN   a district under BD, closed 30/6/2025 into GL.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from doanfield.orgtree import (
    Life,
    Link,
    Organisation,
    Posting,
    held_spans,
    last_day_in_post,
    nearest_day,
    posting_on,
    posting_spans,
    sorted_postings,
)

D = date
REFORM_LAST, REFORM_FIRST = D(2025, 6, 30), D(2025, 7, 1)


def reform() -> Organisation:
    units = [
        Life("TD", active_to=REFORM_LAST),
        Life("BD", active_to=REFORM_LAST),
        Life("GL", active_from=REFORM_FIRST),
        Life("HD-PT", active_to=REFORM_LAST),
        Life("HD-DC", active_to=REFORM_LAST),
        Life("QN", active_to=REFORM_LAST),
        Life("X1"),
        Life("X2", active_to=REFORM_LAST),
        Life("X3", active_to=REFORM_LAST),
        Life("X23", active_from=REFORM_FIRST),
    ]
    links = [
        Link("HD-PT", "TD"),
        Link("HD-DC", "TD"),
        Link("QN", "BD"),
        Link("X1", "HD-PT"),
        Link("X1", "GL", REFORM_FIRST),
        Link("X2", "HD-DC"),
        Link("X3", "HD-DC"),
        Link("X23", "GL"),
    ]
    successors = [
        ("TD", "GL"),
        ("BD", "GL"),
        ("HD-PT", "GL"),
        ("HD-DC", "GL"),
        ("QN", "GL"),
        ("X2", "X23"),
        ("X3", "X23"),
    ]
    return Organisation(units, links, successors)


def test_parent_on_a_day() -> None:
    org = reform()
    assert org.parent_on("X1", D(2025, 6, 30)) == "HD-PT"
    assert org.parent_on("X1", D(2025, 7, 1)) == "GL"
    assert org.parent_on("X1", D(1990, 1, 1)) == "HD-PT"  # the first link is open at its start
    assert org.parent_on("TD", D(2024, 1, 1)) is None
    only_later = Organisation([Life("A"), Life("B")], [Link("A", "B", D(2025, 1, 1))])
    assert only_later.parent_on("A", D(2024, 12, 31)) is None
    assert only_later.parent_on("A", D(2025, 1, 1)) == "B"


def test_the_tree_on_a_day() -> None:
    org = reform()
    before = org.tree_on(D(2025, 6, 30))
    assert before == [
        ("BD", 0),
        ("QN", 1),
        ("TD", 0),
        ("HD-DC", 1),
        ("X2", 2),
        ("X3", 2),
        ("HD-PT", 1),
        ("X1", 2),
    ]
    assert org.tree_on(D(2025, 7, 1)) == [("GL", 0), ("X1", 1), ("X23", 1)]


def test_predecessors_are_transitive() -> None:
    org = reform()
    assert org.predecessors("GL") == {"TD", "BD", "HD-PT", "HD-DC", "QN"}
    assert org.predecessors("X23") == {"X2", "X3"}
    assert org.predecessors("X1") == set()
    chain = Organisation(
        [Life("A", active_to=D(2020, 1, 1)), Life("B"), Life("C")], [], [("A", "B"), ("B", "C")]
    )
    assert chain.predecessors("C") == {"A", "B"}
    assert chain.formed_from("C") == ["B"]


def test_what_a_report_unit_covers() -> None:
    org = reform()
    year_2024 = (D(2024, 1, 1), D(2024, 12, 31))
    year_2025 = (D(2025, 1, 1), D(2025, 12, 31))
    year_2026 = (D(2026, 1, 1), D(2026, 12, 31))
    # GL for 2024: itself (not alive, but named), both old provinces and everything under them.
    every_old = {"TD", "BD", "HD-PT", "HD-DC", "QN", "X1", "X2", "X3"}
    assert org.covered("GL", *year_2024) == {"GL"} | every_old
    assert org.covered("GL", *year_2025) == {"GL", "X23"} | every_old
    # In 2026 the predecessors are still named (they were GL's), but only what is under GL
    # that year besides them.
    assert org.covered("GL", *year_2026) == {"GL", "X1", "X23"} | (every_old - {"X1", "X2", "X3"})
    # HD-PT in 2025: X1 was under it until 30/6.
    assert org.covered("HD-PT", *year_2025) == {"HD-PT", "X1"}
    # X23 in 2025 covers the communes it was formed from.
    assert org.covered("X23", *year_2025) == {"X23", "X2", "X3"}
    # TD in 2025 up to 30/6 only: X1 still under HD-PT.
    assert org.covered("TD", D(2025, 1, 1), D(2025, 6, 30)) == {
        "TD",
        "HD-PT",
        "HD-DC",
        "X1",
        "X2",
        "X3",
    }
    # X1 moved under GL from 1/7: TD for 2025 still covers X1 (on some day it was under TD).
    assert "X1" in org.covered("TD", *year_2025)
    # BD never had X1.
    assert "X1" not in org.covered("BD", *year_2025)


def test_existed_within() -> None:
    org = reform()
    assert org.existed_within("GL", D(2024, 1, 1), D(2024, 12, 31))  # formed from TD and BD
    assert not org.existed_within("HD-PT", D(2026, 1, 1), D(2026, 12, 31))
    assert org.existed_within("HD-PT", D(2025, 1, 1), D(2025, 12, 31))
    assert org.existed_within("X23", D(2025, 1, 1), D(2025, 6, 30))  # via X2, X3
    new = Organisation([Life("N", active_from=D(2026, 1, 1))])
    assert not new.existed_within("N", D(2025, 1, 1), D(2025, 12, 31))


def test_within_on_a_day() -> None:
    org = reform()
    roots = {"GL"} | org.predecessors("GL")
    assert org.within("X2", D(2025, 6, 30), roots)  # under HD-DC under TD
    assert org.within("X1", D(2025, 7, 1), roots)
    assert not org.within("X2", D(2025, 6, 30), {"BD"})


def test_link_spans_hold_within_the_units_life() -> None:
    org = reform()
    assert [(k.parent, a, b) for k, a, b in org.link_spans("X1")] == [
        ("HD-PT", None, D(2025, 6, 30)),
        ("GL", D(2025, 7, 1), None),
    ]
    assert [(k.parent, a, b) for k, a, b in org.link_spans("X2")] == [
        ("HD-DC", None, D(2025, 6, 30))
    ]
    assert [(k.parent, a, b) for k, a, b in org.link_spans("X23")] == [("GL", D(2025, 7, 1), None)]


def test_loops_over_time() -> None:
    fine = Organisation(
        [Life("A"), Life("B")],
        [Link("A", "B"), Link("B", "A", D(2025, 1, 1)), Link("A", None, D(2025, 1, 1))],
    )
    assert fine.has_loop() is None  # B under A only once A is at the top
    looped = Organisation([Life("A"), Life("B")], [Link("A", "B"), Link("B", "A", D(2025, 1, 1))])
    assert looped.has_loop() == "A"


# ------------------------------------------------------------------------ postings

MOVED = sorted_postings(
    [
        Posting("GL", "provincial_staff", "Chuyên viên", D(2025, 7, 1)),
        Posting("HD-PT", "district_key", "Bí thư"),
    ]
)


def test_posting_on_a_day() -> None:
    assert posting_on(MOVED, D(2025, 6, 30)).unit == "HD-PT"
    assert posting_on(MOVED, D(2025, 7, 1)).unit == "GL"
    assert posting_on(MOVED, D(1900, 1, 1)).unit == "HD-PT"  # the first is open at its start


def test_posting_spans_within_the_post() -> None:
    spans = posting_spans(MOVED, D(2020, 1, 1), D(2025, 12, 31))
    assert [(p.unit, a, b) for p, a, b in spans] == [
        ("HD-PT", D(2020, 1, 1), D(2025, 6, 30)),
        ("GL", D(2025, 7, 1), D(2025, 12, 31)),
    ]
    # A post that ended before the move: the later posting holds no day.
    assert [p.unit for p, _, _ in posting_spans(MOVED, None, D(2025, 3, 1))] == ["HD-PT"]


def test_last_day_in_post() -> None:
    year = (D(2025, 1, 1), D(2025, 12, 31))
    assert last_day_in_post(None, None, *year) == D(2025, 12, 31)
    assert last_day_in_post(None, D(2025, 6, 30), *year) == D(2025, 6, 30)
    assert last_day_in_post(D(2026, 1, 1), None, *year) is None
    assert last_day_in_post(None, D(2024, 12, 31), *year) is None
    assert nearest_day(None, D(2024, 12, 31), D(2025, 6, 30)) == D(2024, 12, 31)
    assert nearest_day(D(2025, 7, 1), None, D(2025, 6, 30)) == D(2025, 7, 1)


days = st.dates(min_value=D(2020, 1, 1), max_value=D(2027, 12, 31))


@given(st.lists(days, min_size=1, max_size=6, unique=True), days, days)
def test_held_spans_partition_the_window(starts: list[date], lo: date, hi: date) -> None:
    """The records' spans cover every day of the window once, each by the record in force."""
    lo, hi = min(lo, hi), max(lo, hi)
    ordered: list[date | None] = [None, *sorted(starts)]
    spans = held_spans(ordered, lo, hi)
    covered = 0
    for index, first, last in spans:
        assert first is not None and last is not None and first <= last
        covered += (last - first).days + 1
        probe = [Posting(str(i), start=s) for i, s in enumerate(ordered)]
        assert posting_on(probe, first).unit == str(index)
        assert posting_on(probe, last).unit == str(index)
    assert covered == (hi - lo).days + 1


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), days), max_size=12),
    st.lists(st.tuples(st.integers(0, 5), days), max_size=4),
    days,
    st.integers(0, 90),
)
def test_covered_is_the_root_and_all_under_it_day_by_day(
    links: list[tuple[int, int, date]], closes: list[tuple[int, date]], first: date, length: int
) -> None:
    """Whatever the links and lives, `covered` (which looks only at the days the tree changes)
    is what a day-by-day walk of the period finds: the root and every unit under it on a day."""
    last_days = dict(closes)
    units = [Life(f"U{i}", active_to=last_days.get(i)) for i in range(6)]
    org = Organisation(units, [Link(f"U{a}", f"U{b}", day) for a, b, day in links if a != b])
    if org.has_loop() is not None:
        return
    last = date.fromordinal(first.toordinal() + length)
    expected = {"U0"}
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        expected |= org.under_on({"U0"}, date.fromordinal(ordinal))
    assert org.covered("U0", first, last) == expected
