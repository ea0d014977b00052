"""The message catalogue: every key in both languages, values shown the reader's way."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path

import pytest

from doanfield.domain import Category, NotFound, TripKind
from doanfield.messages import Message, Msg, Word, has_words, placeholders, text
from tests.conftest import Cli


def catalogue_problems(keys: type[Enum]) -> list[str]:
    """What is wrong with a catalogue: a side missing, untranslated, or naming other values."""
    problems = []
    for key in keys:
        value = key.value
        if not (isinstance(value, tuple) and len(value) == 2 and all(value)):
            problems.append(f"{key.name}: needs (English, Vietnamese)")
            continue
        english, vietnamese = value
        if placeholders(english) != placeholders(vietnamese):
            problems.append(f"{key.name}: the two sides name different values")
        if has_words(english) and english == vietnamese:
            problems.append(f"{key.name}: the Vietnamese is the English")
    if len(keys.__members__) != len(list(keys)):
        problems.append("two keys hold the same texts (an Enum alias)")
    return problems


def test_every_message_has_its_vietnamese() -> None:
    assert catalogue_problems(Msg) == []


def test_the_check_finds_a_missing_or_wrong_translation() -> None:
    class Broken(Enum):
        MISSING = ("trip #{id} added", "")
        ALONE = ("trip #{id} added",)
        VALUES = ("trip #{id} added", "đã thêm đợt đi cơ sở")
        SAME = ("trip removed", "trip removed")
        CODES_ONLY = ("{where}: {what}", "{where}: {what}")

    assert catalogue_problems(Broken) == [
        "MISSING: needs (English, Vietnamese)",
        "ALONE: needs (English, Vietnamese)",
        "VALUES: the two sides name different values",
        "SAME: the Vietnamese is the English",
    ]


def test_values_are_shown_the_readers_way() -> None:
    said = Msg.ASSIGNMENT_ADDED(id=7, start=date(2024, 2, 19), end=date(2024, 5, 18))
    assert said.text("en") == "assignment #7 added (2024-02-19 to 2024-05-18)"
    assert said.text("vi") == "đã thêm đợt tăng cường #7 (từ 19/02/2024 đến 18/05/2024)"
    assert str(said) == said.text("en")
    nested = Msg.UNKNOWN_CODE(what=Msg.CADRE, code="GL4", hint=Msg.DID_YOU_MEAN(code="GL04"))
    assert nested.text("vi") == "không có cán bộ nào mã 'GL4' (có phải GL04 không?)"
    words = Msg.NOT_ONE_OF(known=[TripKind.thematic, Category.district_key, Word("other")])
    assert words.text("en") == "is not one of thematic, district_key, other"
    assert words.text("vi") == (
        "không phải một trong các giá trị: theo chuyên đề, cán bộ chủ chốt cấp huyện, khác"
    )


def test_a_moment_is_shown_in_the_local_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        # Stored in UTC without a zone: 03:30 UTC is 10:30 in Hanoi (UTC+7).
        said = Msg.OS_OTHER(reason=datetime(2024, 2, 19, 3, 30))
        assert said.text("vi") == "19/02/2024 10:30"
        assert said.text("en") == "2024-02-19 10:30"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_errors_carry_a_key_and_render_in_either_language() -> None:
    error = NotFound(Msg.UNKNOWN_ID, what=Msg.TRIP, id=511)
    assert str(error) == "unknown trip #511"
    assert error.text("vi") == "không có đợt đi cơ sở #511"
    plain = NotFound("a sentence not yet in the catalogue")
    assert plain.text("vi") == "a sentence not yet in the catalogue"
    assert text("vi", Msg.TRIP_ADDED, id=511) == "đã thêm đợt đi cơ sở #511"
    assert Message(Msg.IS_EMPTY).text("vi") == "bị bỏ trống"


def test_the_cli_speaks_vietnamese(province: Cli, tmp_path: Path) -> None:
    added = province.ok("trip", "add", "--cadre", "GL04", "--date", "19/2/2024", lang="vi")
    assert added.stdout == "đã thêm đợt đi cơ sở #1\n"
    months = province.ok(
        "assignment",
        "add",
        "--cadre",
        "PT01",
        "--host",
        "X-PT1",
        "--start",
        "19/2/2024",
        "--months",
        "3",
        lang="vi",
    )
    assert months.stdout == "đã thêm đợt tăng cường #1 (từ 19/02/2024 đến 18/05/2024)\n"
    early = province("assignment", "report", "1", "--date", "1/2/2024", "--text", "x", lang="vi")
    assert early.stderr == (
        "doanfield: lỗi: ngày báo cáo 01/02/2024 trước ngày bắt đầu đợt tăng cường #1 "
        "(19/02/2024)\n"
    )
    bad = tmp_path / "dot.csv"
    bad.write_text("Mã cán bộ,Từ ngày,Hình thức\nGL04,31/02/2024,\nGL4,1/3/2024,tiệc\n")
    refused = province("import", "trips", str(bad), lang="vi")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "doanfield: lỗi: dot.csv: 2 dòng lỗi; chưa nhập dòng nào",
        "dot.csv:2: Từ ngày: không có thật (31/02/2024)",
        "dot.csv:3: Mã cán bộ: không có cán bộ này (GL4)",
    ]
    usage = province("trip", "add", "--cadre", "GL04", lang="vi")
    assert usage.exit_code == 2
    assert usage.stderr == ("doanfield: lỗi: cần --date NGÀY, hoặc cả --start NGÀY và --end NGÀY\n")


def test_the_change_log_shows_local_time(province: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        (entry,) = province.ok("log", "--limit", "1", "--format", "json").json()
        stored = datetime.fromisoformat(entry["at"])
        assert stored.utcoffset() == timedelta(0)  # kept in UTC
        # The table shows it seven hours later, as a clock in Gia Lai reads.
        local = (stored + timedelta(hours=7)).strftime("%d/%m/%Y %H:%M")
        table = province.ok("log", "--limit", "1", lang="vi").stdout
        assert local in table
        assert "│ cán bộ " in table and "│ thêm " in table  # the last change: cadre add
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_ctrl_c_says_so_and_changes_nothing(province: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from doanfield import ledger

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    before = province.dump()
    monkeypatch.setattr(ledger, "add_trip", interrupted)
    stopped = province("trip", "add", "--cadre", "GL04", "--date", "1/3/2024", lang="vi")
    assert stopped.exit_code == 130
    assert stopped.stderr == (
        "doanfield: lỗi: đã dừng theo yêu cầu (Ctrl-C); sổ không thay đổi gì\n"
    )
    assert province.dump() == before
