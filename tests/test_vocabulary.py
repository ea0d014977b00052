"""The one vocabulary: codes and Vietnamese words, read the same way wherever they are typed."""

from __future__ import annotations

import pytest

from doanfield import vocabulary
from doanfield.domain import AssignmentStatus, Category, TrainingStatus, TripKind
from doanfield.vocabulary import (
    ABSENCE_REASONS,
    CATEGORIES,
    LEVELS,
    TRIP_KINDS,
    UnknownWord,
)


def test_codes_are_the_domains_codes() -> None:
    assert TRIP_KINDS.codes == tuple(k.value for k in TripKind)
    assert CATEGORIES.codes == tuple(c.value for c in Category)
    assert vocabulary.ASSIGNMENT_STATUSES.codes == tuple(s.value for s in AssignmentStatus)
    assert vocabulary.TRAINING_STATUSES.codes == tuple(s.value for s in TrainingStatus)
    assert LEVELS.codes == ("central", "province", "district", "commune", "branch")


@pytest.mark.parametrize(
    ("words", "text", "code"),
    [
        (TRIP_KINDS, "thematic", "thematic"),
        (TRIP_KINDS, "THEMATIC", "thematic"),
        (TRIP_KINDS, "theo chuyên đề", "thematic"),
        (TRIP_KINDS, "Theo chuyen de", "thematic"),
        (TRIP_KINDS, "kiểm tra, giám sát", "inspection"),
        (TRIP_KINDS, "committee meeting", "committee_meeting"),
        (TRIP_KINDS, "dự sinh hoạt chi đoàn", "branch_meeting"),
        (TRIP_KINDS, "Khác", "other"),
        (CATEGORIES, "lãnh đạo Tỉnh Đoàn", "provincial_leader"),
        (CATEGORIES, "lanh dao tinh doan", "provincial_leader"),
        (CATEGORIES, "cán bộ chủ chốt cấp huyện", "district_key"),
        # SPEC §4: the known levels and their Vietnamese words
        (LEVELS, "trung ương", "central"),
        (LEVELS, "tỉnh", "province"),
        (LEVELS, "Thành phố", "province"),
        (LEVELS, "huyện", "district"),
        (LEVELS, "Huyen", "district"),
        (LEVELS, "quận", "district"),
        (LEVELS, "thị xã", "district"),
        (LEVELS, "xã", "commune"),
        (LEVELS, "phường", "commune"),
        (LEVELS, "thị trấn", "commune"),
        (LEVELS, "đặc khu", "commune"),
        (LEVELS, "chi đoàn", "branch"),
        (LEVELS, "Commune", "commune"),
        (ABSENCE_REASONS, "học tập", "study"),
        (ABSENCE_REASONS, "đi học", "study"),
        (ABSENCE_REASONS, "ốm đau", "sick"),
        (ABSENCE_REASONS, "nghỉ ốm", "sick"),
        (ABSENCE_REASONS, "thai sản", "maternity"),
        (ABSENCE_REASONS, "Nghi thai san", "maternity"),
    ],
)
def test_words_name_their_code(words: vocabulary.Vocabulary, text: str, code: str) -> None:
    assert words.parse(text) == code


def test_thi_xa_is_a_district_and_xa_a_commune() -> None:
    # Folding drops diacritics and spaces; 'thị xã' must not fall to 'xã'.
    assert LEVELS.parse("thi xa") == "district" and LEVELS.parse("xa") == "commune"


def test_unknown_word_lists_the_accepted_ones_in_the_users_language() -> None:
    with pytest.raises(UnknownWord) as caught:
        TRIP_KINDS.parse("party")
    english = caught.value.in_language("en")
    assert english.startswith("unknown kind 'party'; use one of: thematic, inspection,")
    vietnamese = caught.value.in_language("vi")
    assert vietnamese.startswith("hình thức 'party' không có trong danh mục")
    assert "dùng một trong: theo chuyên đề; kiểm tra, giám sát; phối hợp" in vietnamese


def test_a_mistyped_level_gets_a_hint() -> None:
    with pytest.raises(UnknownWord) as caught:
        vocabulary.level("provnce")
    assert caught.value.hint == "province"
    assert "unknown level 'provnce' (did you mean province?)" in str(caught.value)
    assert "(có phải tỉnh không?)" in caught.value.in_language("vi")


def test_levels_used_by_a_unit_are_accepted_and_listed() -> None:
    used = ["province", "liên chi đoàn"]
    assert vocabulary.level("Liên Chi Đoàn", used) == "liên chi đoàn"
    assert vocabulary.level("tỉnh", used) == "province"
    with pytest.raises(UnknownWord) as caught:
        vocabulary.level("lien chi doan x", used)
    assert "branch, liên chi đoàn" in str(caught.value)
    assert caught.value.hint == "liên chi đoàn"


def test_new_level_keeps_known_and_used_words() -> None:
    assert vocabulary.new_level("xã", []) == "commune"
    assert vocabulary.new_level("  liên   chi đoàn ", []) == "liên chi đoàn"
    assert vocabulary.new_level("Lien chi doan", ["liên chi đoàn"]) == "liên chi đoàn"


@pytest.mark.parametrize(
    ("text", "stored", "code"),
    [
        ("nghỉ ốm", "sick", "sick"),
        ("Học tập: Trung cấp lý luận chính trị", "study: Trung cấp lý luận chính trị", "study"),
        ("study: course", "study: course", "study"),
        ("nghỉ phép năm", "nghỉ phép năm", "nghỉ phép năm"),
        ("  annual   leave ", "annual leave", "annual leave"),
    ],
)
def test_absence_reasons_known_or_kept_as_written(text: str, stored: str, code: str) -> None:
    assert vocabulary.reason(text) == stored
    assert vocabulary.reason_code(stored) == code


def test_labels_for_people() -> None:
    assert vocabulary.label("kind", "thematic", "vi") == "theo chuyên đề"
    assert vocabulary.label("kind", "committee_meeting", "en") == "committee meeting"
    assert vocabulary.label("level", "commune", "vi") == "xã"
    assert vocabulary.label("level", "liên chi đoàn", "vi") == "liên chi đoàn"
    assert vocabulary.label("reason", "study: Trung cấp", "vi") == "học tập: Trung cấp"
    assert vocabulary.label("reason", "nghỉ phép", "vi") == "nghỉ phép"
    assert vocabulary.label("status", "cancelled", "vi") == "đã hủy"
    assert vocabulary.label("training_status", "not_required", "vi") == "không bắt buộc"


def test_no_word_means_two_things() -> None:
    with pytest.raises(ValueError, match="means both"):
        vocabulary.Vocabulary("x", vocabulary.Msg.WORD_LEVEL, {"a": ("xã",), "b": ("Xa",)})


@pytest.mark.parametrize(
    ("words", "text", "code"),
    [
        (LEVELS, "xả", None),  # a hook for a tilde: another word, never xã
        (LEVELS, "thị xả", None),
        (LEVELS, "huyễn", None),
        (LEVELS, "xa", "commune"),  # every diacritic left out
        (LEVELS, "XÃ", "commune"),
        (TRIP_KINDS, "kiểm tra, giám sat", "inspection"),  # one tone left out, none wrong
        (TRIP_KINDS, "thẹo chuyên đề", None),
        (CATEGORIES, "lảnh đạo Tỉnh Đoàn", None),
        (ABSENCE_REASONS, "nghỉ ôm", "sick"),  # the hat kept, the tone left out
        (ABSENCE_REASONS, "nghỉ ờm", None),
    ],
)
def test_diacritics_may_be_left_out_but_not_wrong(
    words: vocabulary.Vocabulary, text: str, code: str | None
) -> None:
    assert words.code(text) == code


def test_a_wrong_tone_is_refused_naming_the_word_meant() -> None:
    with pytest.raises(UnknownWord) as caught:
        vocabulary.level("xả")
    assert "unknown level 'xả' (did you mean xã?)" in str(caught.value)
    assert "cấp 'xả' không có trong danh mục (có phải xã không?)" in caught.value.in_language("vi")
    # A reason may be any text, but a known one with another tone is a slip, not a new reason.
    with pytest.raises(UnknownWord) as reason:
        vocabulary.reason("hóc tập: Trung cấp")
    assert reason.value.in_language("vi") == (
        "lý do vắng mặt 'hóc tập' là 'học tập' nhưng sai dấu; hãy ghi 'học tập' "
        "(sai dấu là một từ khác)"
    )
    assert vocabulary.reason("hoc tap: Trung cấp") == "study: Trung cấp"
