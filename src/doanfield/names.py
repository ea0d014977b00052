"""Vietnamese names: the given name, alphabetical order, and diacritic-free folding."""

from __future__ import annotations

import functools
import sys
import unicodedata
from typing import Generic, TypeVar

T = TypeVar("T")

# The Vietnamese alphabet; f, j, w, z (foreign words) stand where the Latin alphabet puts them.
_ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# Marks that make a letter of their own (ă â ê ô ơ ư) versus marks of tone.
_LETTER_MARKS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}
# Tones in dictionary order: level, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

SortKey = tuple[str, str, str]  # letters, tones, cases: see sort_key


def _letters(text: str) -> list[tuple[str, int, bool]]:
    """Split text into (letter, tone, is_upper) with ă â đ ê ô ơ ư kept as letters."""
    out: list[tuple[str, int, bool]] = []
    for char in unicodedata.normalize("NFD", text):
        if char in _LETTER_MARKS and out:
            base, tone, upper = out[-1]
            out[-1] = (unicodedata.normalize("NFC", base + char), tone, upper)
        elif char in _TONE_RANK and out:
            base, _, upper = out[-1]
            out[-1] = (base, _TONE_RANK[char], upper)
        elif unicodedata.combining(char) and out:
            continue
        elif not (char.isalnum() or char == " "):
            continue  # H'Mloan sorts as HMloan
        else:
            out.append((char.lower(), 0, char != char.lower()))
    return out


def _rank(letter: str) -> int:
    # A space sorts before every letter, so "An" comes before "Anh"; then the alphabet; then
    # any other letter or digit by its code point (they are all below U+10FFDE).
    if letter == " ":
        return 0
    return _LETTER_RANK[letter] + 1 if letter in _LETTER_RANK else len(_ALPHABET) + 1 + ord(letter)


@functools.cache
def _char_key(char: str) -> tuple[int, int, int] | None:
    """(letter rank, tone, upper case) of one precomposed character; None for punctuation."""
    letters = _letters(char)
    if not letters:
        return None
    letter, tone, upper = letters[0]
    return _rank(letter), tone, int(upper)


class _KeyPart(dict[int, str | None]):
    """A `str.translate` table: each character to one part of its key (letter rank, tone or
    case) written as the character of that number, or None (left out); filled as met."""

    def __init__(self, part: int) -> None:
        super().__init__()
        self.part = part

    def __missing__(self, code: int) -> str | None:
        key = _char_key(chr(code))
        found = None if key is None else chr(min(key[self.part], sys.maxunicode))
        self[code] = found
        return found


_LETTER, _TONE, _CASE = _KeyPart(0), _KeyPart(1), _KeyPart(2)


def sort_key(text: str) -> SortKey:
    """Order by letters of the Vietnamese alphabet first, then tones, then case.

    Each part is a string of one character per letter, its number as the code point: strings
    compare as the numbers would, and str.translate writes them at C speed (a national list
    sorts 40,000 names)."""
    nfc = unicodedata.normalize("NFC", text)
    return nfc.translate(_LETTER), nfc.translate(_TONE), nfc.translate(_CASE)


def default_given_name(full_name: str) -> str:
    words = full_name.split()
    return words[-1] if words else ""


@functools.total_ordering
class _WholeName:
    """The whole name's key, worked out only when two given names tie (a national list of
    20,000 names needs few)."""

    __slots__ = ("_key", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self._key: SortKey | None = None

    def key(self) -> SortKey:
        if self._key is None:
            self._key = sort_key(self.name)
        return self._key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _WholeName) and self.key() == other.key()

    def __lt__(self, other: _WholeName) -> bool:
        return self.key() < other.key()

    def __hash__(self) -> int:
        return hash(self.key())


def cadre_sort_key(full_name: str, given_name: str | None) -> tuple[SortKey, _WholeName]:
    """Vietnamese lists are ordered by given name, then by the whole name."""
    given = given_name or default_given_name(full_name)
    return sort_key(given), _WholeName(full_name)


def fold(text: str) -> str:
    """Lower-case, without diacritics or spacing: 'Mã cán bộ' -> 'macanbo'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in bare.lower() if c.isalnum())


def _marked_letters(text: str) -> list[tuple[str, frozenset[str]]]:
    """Each letter or digit of `text`, lower-case, with the marks it carries (đ: d with a bar)."""
    out: list[tuple[str, set[str]]] = []
    attach = False
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if attach:
                out[-1][1].add(char)
            continue
        lower = char.lower()
        attach = lower.isalnum() or lower == "đ"
        if lower == "đ":
            out.append(("d", {"đ"}))
        elif attach:
            out.append((lower, set()))
    return [(letter, frozenset(marks)) for letter, marks in out]


def written_as(text: str, word: str) -> bool:
    """`text` is `word` as people type it: case, spacing and punctuation aside, each letter as
    the word has it or without its marks (diacritics left out), never with other marks.

    'Theo chuyen de', 'huyen' and 'giám sat' are written as 'theo chuyên đề', 'huyện' and
    'giám sát'; 'xả' is not 'xã' (a wrong tone names another word, so it is refused).
    """
    written, meant = _marked_letters(text), _marked_letters(word)
    return len(written) == len(meant) and all(
        letter == other and marks <= other_marks
        for (letter, marks), (other, other_marks) in zip(written, meant, strict=True)
    )


class Spellings(Generic[T]):
    """Words and what they stand for, looked up as `written_as` reads them."""

    def __init__(self) -> None:
        self._by_fold: dict[str, list[tuple[str, T]]] = {}

    def add(self, word: str, value: T) -> T | None:
        """Adds `word`; returns what another word folding the same way already stands for."""
        entries = self._by_fold.setdefault(fold(word), [])
        other = next((v for _, v in entries if v != value), None)
        entries.append((word, value))
        return other

    def get(self, text: str) -> T | None:
        found = {v for word, v in self._by_fold.get(fold(text), ()) if written_as(text, word)}
        return found.pop() if len(found) == 1 else None

    def __contains__(self, text: str) -> bool:
        return self.get(text) is not None

    def meant(self, text: str) -> str | None:
        """The word `text` would be with the right marks ('Mả cán bộ' -> 'Mã cán bộ'), if any."""
        entries = self._by_fold.get(fold(text), ())
        return entries[0][0] if entries and self.get(text) is None else None


def closest(value: str, choices: list[str]) -> str | None:
    """A close match for a mistyped code, for 'did you mean …?'."""
    import difflib
    import re

    def plain(code: str) -> str:  # "GL04" and "gl4" are the same code typed two ways
        return re.sub(r"\d+", lambda m: str(int(m.group())), fold(code))

    folded = {plain(c): c for c in choices}
    if plain(value) in folded:
        return folded[plain(value)]
    match = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return match[0] if match else None
