"""Day-first dates and Vietnamese names: pure functions, table-driven."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doanfield.dates import parse_date
from doanfield.names import cadre_sort_key, closest, default_given_name, fold, sort_key

VALID_DATES = [
    ("2024-02-19", date(2024, 2, 19)),
    ("19/02/2024", date(2024, 2, 19)),
    ("19-2-2024", date(2024, 2, 19)),
    ("19/2/2024", date(2024, 2, 19)),
    ("1/1/2024", date(2024, 1, 1)),
    ("29/02/2024", date(2024, 2, 29)),
    (" 31/12/2023 ", date(2023, 12, 31)),
    ("2024-2-9", date(2024, 2, 9)),
    ("05.03.2024", date(2024, 3, 5)),
]
INVALID_DATES = [
    ("31/02/2024", "does not exist"),
    ("29/02/2023", "does not exist"),
    ("2024-13-01", "does not exist"),
    ("00/01/2024", "does not exist"),
    ("19/02/24", "is not of the form"),
    ("2024/02/19", "is not of the form"),
    ("ngày 19 tháng 2", "is not of the form"),
    ("", "is not of the form"),
    ("19022024", "is not of the form"),
]


@pytest.mark.parametrize(("text", "expected"), VALID_DATES)
def test_valid_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "problem"), INVALID_DATES)
def test_invalid_dates_name_the_value(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem) as error:
        parse_date(text)
    assert f"'{text}'" in str(error.value)


def test_vietnamese_order_by_given_name() -> None:
    expected = [
        "Trần Văn An",
        "Lê Thị Ánh",
        "Phạm Văn Bình",
        "Nguyễn Thành Hưng",
        "Hà Thị Giang Thảo",
        "Rơ Mah Tuấn",
    ]
    shuffled = [expected[i] for i in (5, 3, 0, 4, 1, 2)]
    assert sorted(shuffled, key=lambda n: cadre_sort_key(n, None)) == expected
    # Plain code-point order gets it wrong: it sorts by family name and puts "Á" after "T".
    assert sorted(shuffled) != expected


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [
        ("a", "ă"),
        ("ă", "â"),
        ("â", "b"),
        ("d", "đ"),
        ("đ", "e"),
        ("e", "ê"),
        ("o", "ô"),
        ("ô", "ơ"),
        ("ơ", "p"),
        ("u", "ư"),
        ("ư", "v"),
        ("An", "Anh"),
        ("An", "Án"),
        ("a", "à"),
        ("à", "ả"),
        ("ả", "ã"),
        ("ã", "á"),
        ("á", "ạ"),
        ("Ánh", "Bình"),
        ("Huy", "Hưng"),
        ("Thảo", "Tuấn"),
        ("H'Mloan", "Hưng"),
    ],
)
def test_alphabet_and_tones(smaller: str, larger: str) -> None:
    assert sort_key(smaller) < sort_key(larger)


def test_combining_and_precomposed_sort_alike() -> None:
    import unicodedata

    name = "Nguyễn Thành Hưng"
    assert sort_key(unicodedata.normalize("NFD", name)) == sort_key(name)


def letter_by_letter(text: str) -> tuple[tuple[int, ...], ...]:
    """The order sort_key writes as strings, as tuples of each character's numbers."""
    import unicodedata

    from doanfield.names import _char_key

    keys = [k for k in map(_char_key, unicodedata.normalize("NFC", text)) if k is not None]
    return tuple(zip(*keys, strict=True)) if keys else ((), (), ())


names_and_more = st.one_of(
    st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ àảãáạ'-", max_size=8),
    st.text(max_size=6),
)


@settings(max_examples=500, deadline=None)
@given(names_and_more, names_and_more)
def test_the_key_strings_order_as_the_letters_numbers(a: str, b: str) -> None:
    assert (sort_key(a) < sort_key(b)) == (letter_by_letter(a) < letter_by_letter(b))
    assert (sort_key(a) == sort_key(b)) == (letter_by_letter(a) == letter_by_letter(b))


def test_given_name_defaults_to_last_word_and_can_be_set() -> None:
    assert default_given_name("Ksor H'Mloan") == "H'Mloan"
    assert default_given_name("Hà Thị Giang Thảo") == "Thảo"
    two_word = cadre_sort_key("Hà Thị Giang Thảo", "Giang Thảo")
    assert two_word < cadre_sort_key("Lê Văn Hải", None)


def test_fold_and_closest() -> None:
    assert fold("Mã cán bộ") == "macanbo"
    assert fold("ĐƠN VỊ") == "donvi"
    assert closest("H1", ["H01", "X99"]) == "H01"
    assert closest("GL4", ["GL14", "GL04", "GL40"]) == "GL04"
    assert closest("hd-pt", ["HD-PT", "HD-DC"]) == "HD-PT"
    assert closest("zzz", ["H01"]) is None
