"""The ledger's words: English codes and their Vietnamese words (SPEC §1, §4 "The same words").

One place for trip kinds, cadre categories, unit levels, absence reasons and the statuses shown in
reports. The ledger stores the English code; people may type either the code or any of its
Vietnamese words, with or without diacritics, in any case (`theo chuyên đề`, `Theo chuyen de`,
`THEMATIC`), on the command line and in files alike; `--lang vi` shows the first Vietnamese word.

Stdlib only: the CLI parses its options with it at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from doanfield.messages import Msg, Word
from doanfield.names import Spellings, closest, fold, written_as


class UnknownWord(ValueError):
    """A word that is none of a vocabulary's codes or words; names the accepted ones."""

    def __init__(self, vocabulary: Vocabulary, value: str, extra: list[str]) -> None:
        self.vocabulary, self.value, self.extra = vocabulary, value, extra
        hint = closest(value, vocabulary.choices(extra))
        # What the hint means (a code, or a level in use), and how it is shown: by its code's
        # label, but a word typed with other diacritics by the word itself ('xả': 'xã'?).
        self.hint = (vocabulary.code(hint) or hint) if hint else None
        column = vocabulary.column
        shown: Word | str | None = Word(self.hint, column) if self.hint else None
        if hint is not None and fold(hint) == fold(value) and hint not in vocabulary.words:
            shown = hint
        self.shown_hint = shown
        self.message = Msg.UNKNOWN_WORD(
            what=vocabulary.title,
            value=value,
            hint=Msg.DID_YOU_MEAN(code=shown) if shown else "",
            known=[Word(code, column) for code in vocabulary.codes] + extra,
        )
        super().__init__(str(self.message))

    def in_language(self, lang: str) -> str:
        return self.message.text(lang)


class WrongMarks(UnknownWord):
    """A known word written with other diacritics, where any other text would be kept as it is
    (absence reasons): said as the slip it is."""

    def __init__(self, vocabulary: Vocabulary, value: str, meant: str) -> None:
        super().__init__(vocabulary, value, [])
        self.message = Msg.WORD_WRONG_MARKS(what=vocabulary.title, value=value, meant=meant)
        self.args = (str(self.message),)


@dataclass(frozen=True)
class Vocabulary:
    """Codes, each with its Vietnamese words; the first word is the one shown."""

    column: str  # the column of lists and files that holds these words
    title: Msg
    words: Mapping[str, tuple[str, ...]]
    # Other spellings accepted but never shown (English synonyms, older labels).
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _lookup: Spellings[str] = field(default_factory=Spellings, compare=False, repr=False)

    def __post_init__(self) -> None:
        for code, words in self.words.items():
            for word in (code, *words, *self.aliases.get(code, ())):
                taken = self._lookup.add(word, code)
                if taken is not None:  # a word may mean one thing only, however it is typed
                    raise ValueError(f"{self.column} word '{word}' means both {taken} and {code}")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.words)

    def code(self, text: str) -> str | None:
        """The code that `text` names (as `names.written_as` reads it), or None."""
        return self._lookup.get(text) if text.strip() else None

    def meant(self, text: str) -> str | None:
        """The word `text` is with other diacritics ('xả' -> 'xã'), when it names none."""
        return self._lookup.meant(text) if text.strip() else None

    def parse(self, text: str, extra: Iterable[str] = ()) -> str:
        """The code `text` names; raises UnknownWord naming the accepted words."""
        found = self.code(text)
        if found is None:
            raise UnknownWord(self, text.strip(), [e for e in extra if self.code(e) is None])
        return found

    def choices(self, extra: Iterable[str] = ()) -> list[str]:
        """Every code and word, for 'did you mean'."""
        listed = [w for code, words in self.words.items() for w in (code, *words)]
        return listed + [e for e in extra if e not in listed]

    def label(self, code: str, lang: str) -> str:
        """What people read: the Vietnamese word, or the code with spaces."""
        if lang == "vi":
            words = self.words.get(code)
            return words[0] if words else code
        return code.replace("_", " ")


TRIP_KINDS = Vocabulary(
    "kind",
    Msg.WORD_KIND,
    {
        "thematic": ("theo chuyên đề", "chuyên đề"),
        "inspection": ("kiểm tra, giám sát", "kiểm tra", "giám sát"),
        "activity": (
            "phối hợp tổ chức hoạt động",
            "phối hợp tổ chức, triển khai hoạt động",
            "phối hợp tổ chức",
            "triển khai hoạt động",
        ),
        "committee_meeting": (
            "dự hội nghị BCH/BTV",
            "dự sinh hoạt chuyên đề, hội nghị BCH/BTV Đoàn cấp dưới",
            "dự sinh hoạt chuyên đề",
            "hội nghị BCH/BTV",
            "dự hội nghị",
        ),
        "branch_meeting": ("dự sinh hoạt chi đoàn", "sinh hoạt chi đoàn"),
        "other": ("khác",),
    },
)

CATEGORIES = Vocabulary(
    "category",
    Msg.WORD_CATEGORY,
    {
        "provincial_leader": ("lãnh đạo Tỉnh Đoàn", "lãnh đạo tỉnh"),
        "provincial_staff": (
            "cán bộ chuyên trách Tỉnh Đoàn",
            "chuyên trách Tỉnh Đoàn",
            "cán bộ Tỉnh Đoàn",
        ),
        "district_key": (
            "cán bộ chủ chốt cấp huyện",
            "chủ chốt cấp huyện",
            "cán bộ chủ chốt huyện",
        ),
        "other": ("khác",),
    },
)

# Top-down. Since 2025 many districts are gone; nothing may assume the tree's depth.
LEVELS = Vocabulary(
    "level",
    Msg.WORD_LEVEL,
    {
        "central": ("trung ương", "cấp trung ương", "Trung ương Đoàn"),
        "province": (
            "tỉnh",
            "thành phố",
            "tỉnh/thành phố",
            "cấp tỉnh",
            "Tỉnh Đoàn",
            "Thành Đoàn",
        ),
        "district": (
            "huyện",
            "quận",
            "thị xã",
            "cấp huyện",
            "thành phố thuộc tỉnh",
            "Huyện Đoàn",
            "Quận Đoàn",
            "Thị Đoàn",
        ),
        "commune": (
            "xã",
            "phường",
            "thị trấn",
            "đặc khu",
            "cấp xã",
            "Đoàn xã",
            "Đoàn phường",
            "Đoàn thị trấn",
        ),
        "branch": ("chi đoàn", "cấp chi đoàn"),
    },
)

ABSENCE_REASONS = Vocabulary(
    "reason",
    Msg.WORD_REASON,
    {
        "study": ("học tập", "đi học"),
        "sick": ("ốm đau", "nghỉ ốm"),
        "maternity": ("thai sản", "nghỉ thai sản"),
    },
    aliases={"sick": ("sick leave", "ốm"), "maternity": ("maternity leave",)},
)

ASSIGNMENT_STATUSES = Vocabulary(
    "status",
    Msg.WORD_STATUS,
    {
        "planned": ("kế hoạch", "chưa bắt đầu"),
        "active": ("đang thực hiện",),
        "completed": ("đã hoàn thành", "hoàn thành"),
        "cancelled": ("đã hủy", "hủy"),
    },
    aliases={"active": ("in_progress",), "cancelled": ("canceled",)},
)

TRAINING_STATUSES = Vocabulary(
    "training_status",
    Msg.WORD_TRAINING_STATUS,
    {
        "done": ("đã hoàn thành",),
        "in_progress": ("đang thực hiện",),
        "planned": ("kế hoạch",),
        "missing": ("chưa thực hiện",),
        "not_required": ("không bắt buộc",),
    },
)

# The vocabulary behind each column of lists, exports and reports.
BY_COLUMN: dict[str, Vocabulary] = {
    "kind": TRIP_KINDS,
    "category": CATEGORIES,
    "level": LEVELS,
    "reason": ABSENCE_REASONS,
    "status": ASSIGNMENT_STATUSES,
    "training_status": TRAINING_STATUSES,
}


# ------------------------------------------------------------------------ levels


def level(text: str, used: Iterable[str] = ()) -> str:
    """The level `text` names: a known level's code, or one already used by a unit.

    Raises UnknownWord (with 'did you mean') for anything else: a new level is added on purpose
    (`unit add … --new-level`), never by a typo.
    """
    known = LEVELS.code(text)
    if known is not None:
        return known
    others = [u for u in used if LEVELS.code(u) is None]
    for other in others:
        if fold(text) and written_as(text, other):
            return other
    raise UnknownWord(LEVELS, text.strip(), sorted(set(others)))


def new_level(text: str, used: Iterable[str] = ()) -> str:
    """A level given with --new-level: a known or used one if it is that, else the text itself."""
    try:
        return level(text, used)
    except UnknownWord:
        return " ".join(text.split())


# ------------------------------------------------------------------------ absence reasons


def reason(text: str) -> str:
    """An absence reason as stored: a known reason's code, else the text as written.

    A known reason may carry details after a colon: 'học tập: Trung cấp lý luận chính trị'
    is stored as 'study: Trung cấp lý luận chính trị'.
    """
    text = " ".join(text.split())
    found = ABSENCE_REASONS.code(text)
    if found is not None:
        return found
    head, colon, rest = text.partition(":")
    found = ABSENCE_REASONS.code(head) if colon else None
    if found is not None:
        return f"{found}: {rest.strip()}" if rest.strip() else found
    # A known reason with other diacritics ('hóc tập') is a slip, not a reason of its own: kept
    # as written it would silently count as a reason that exempts nothing.
    meant = ABSENCE_REASONS.meant(text) or (ABSENCE_REASONS.meant(head) if colon else None)
    if meant is not None:
        raise WrongMarks(ABSENCE_REASONS, head if colon else text, meant)
    return text


def reason_code(stored: str) -> str:
    """The code of a stored reason, details dropped ('study: …' -> 'study'); free text as is."""
    head, colon, _ = stored.partition(":")
    if colon and ABSENCE_REASONS.code(head) is not None:
        return ABSENCE_REASONS.code(head) or head
    return ABSENCE_REASONS.code(stored) or stored


def reason_label(stored: str, lang: str) -> str:
    """A stored reason for people: 'study: …' reads 'học tập: …' in Vietnamese."""
    head, colon, rest = stored.partition(":")
    code = ABSENCE_REASONS.code(head) if colon else ABSENCE_REASONS.code(stored)
    if code is None or lang != "vi":
        return stored
    return ABSENCE_REASONS.label(code, lang) + (f":{rest}" if colon else "")


def label(column: str, value: str, lang: str) -> str:
    """A stored word of `column` as people read it in `lang` (unknown words as they are)."""
    if column == "reason":
        return reason_label(value, lang)
    vocabulary = BY_COLUMN.get(column)
    if vocabulary is None or value not in vocabulary.words:
        return value
    return vocabulary.label(value, lang)
