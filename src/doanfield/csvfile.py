"""Reading the CSV files offices really produce: encoding, delimiter and headers.

UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text") and Windows-1258 (Excel's
plain CSV on Vietnamese Windows, which writes tones as combining marks, hence NFC everywhere).
Files in the legacy font encodings (TCVN3, VNI) decode to nonsense, so they are refused.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from doanfield.domain import DoanfieldError
from doanfield.messages import Message, Msg, os_reason
from doanfield.names import fold

SAMPLE_BYTES = 1 << 20
DELIMITERS = (",", ";", "\t")
# Columns of row numbers that every Vietnamese spreadsheet has; they carry no data.
ROW_NUMBER_HEADERS = {"stt", "tt", "sott", "no"}

# Letters outside ASCII that Vietnamese uses, in both cases, plus typographic punctuation.
_VIETNAMESE = set("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
_VIETNAMESE |= {c.upper() for c in _VIETNAMESE}
_ALLOWED_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0306", "\u0302", "\u031b"}


class FileRefused(DoanfieldError):
    pass


def _looks_legacy(text: str) -> str | None:
    """A character no Vietnamese Unicode text has: the mark of TCVN3/VNI or a wrong code page."""
    for char in set(text):
        code = ord(char)
        if code < 0x80 or char in _VIETNAMESE or char in _ALLOWED_MARKS:
            continue
        if 0x80 <= code <= 0x24F or char == "\ufffd":
            return char
    return None


def detect_encoding(path: Path, sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        # A sample cut mid-character is fine: only the end may be incomplete.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1258")
    except UnicodeDecodeError:
        raise FileRefused(Msg.FILE_NOT_TEXT, file=path.name) from None
    return "cp1258"


def detect_delimiter(header_line: str) -> str:
    """The delimiter of the header line (csv.Sniffer prefers ',' even in ';' files)."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class CsvSource:
    """An open CSV file: its columns as written, and a csv reader over the rest, in NFC."""

    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    reader: Any  # csv.reader; `line_num` is the last physical line read
    size: int
    _raw: BinaryIO

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(line where the record starts, cells); blank lines are passed over.

        A record may span lines (a quoted cell with a line break): its first line is reported.
        """
        last = self.reader.line_num
        with self.reading():
            for cells in self.reader:
                start, last = last + 1, self.reader.line_num
                if any(cells):
                    yield start, cells

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Turns a decoding or CSV error met while reading into one line naming the place."""
        try:
            yield
        except UnicodeDecodeError:
            raise FileRefused(
                Msg.FILE_NOT_THROUGHOUT,
                file=self.path.name,
                encoding=self.encoding,
                line=self.reader.line_num + 1,
            ) from None
        except csv.Error as error:
            where = f"{self.path.name}:{self.reader.line_num}"
            raise FileRefused(Msg.FILE_CSV_BROKEN, where=where, problem=str(error)) from None

    def position(self) -> int:
        return self._raw.tell()

    def close(self) -> None:
        self._raw.close()


_NFC = functools.partial(unicodedata.normalize, "NFC")


def open_csv(path: Path) -> CsvSource:
    try:
        raw = path.open("rb")
    except OSError as error:
        raise FileRefused(Msg.FILE_CANNOT_OPEN, path=str(path), reason=os_reason(error)) from None
    try:
        return _open(path, raw)
    except BaseException:
        raw.close()
        raise


def _open(path: Path, raw: BinaryIO) -> CsvSource:
    sample = raw.read(SAMPLE_BYTES)
    encoding = detect_encoding(path, sample)
    if encoding != "utf-16":
        decoded = sample.decode("utf-8" if encoding.startswith("utf-8") else encoding, "ignore")
        bad = _looks_legacy(unicodedata.normalize("NFC", decoded))
        if bad is not None:
            raise FileRefused(Msg.FILE_LEGACY, file=path.name, char=bad, code=f"{ord(bad):04X}")
    raw.seek(0)
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raise FileRefused(Msg.FILE_HEADER_NOT_TEXT, file=path.name, encoding=encoding) from None
    if not first.strip():
        raise FileRefused(Msg.FILE_EMPTY, file=path.name)
    reader = csv.reader(
        map(_NFC, itertools.chain([first], text)), delimiter=detect_delimiter(first)
    )
    source = CsvSource(
        path, encoding, detect_delimiter(first), [], reader, path.stat().st_size, raw
    )
    with source.reading():
        source.header = next(reader)
    return source


def map_header(
    path: Path,
    header: list[str],
    columns: tuple[str, ...],
    aliases: dict[str, str],
    required: tuple[str, ...],
) -> list[str | None]:
    """For each position, the field it feeds (None: a row-number column to pass over)."""
    lookup = {fold(c): c for c in columns}
    lookup.update({fold(a): c for a, c in aliases.items()})
    fields: list[str | None] = []
    problems: list[Message] = []
    where = f"{path.name}:1"
    for number, title in enumerate(header, start=1):
        key = fold(title)
        if key in ROW_NUMBER_HEADERS:
            fields.append(None)
            continue
        column = lookup.get(key)
        if column is None:
            problems.append(
                Msg.HEADER_UNKNOWN(where=where, n=number, title=title, expected=list(columns))
            )
        elif column in fields:
            problems.append(Msg.HEADER_REPEATS(where=where, n=number, title=title, column=column))
        fields.append(column)
    missing = [c for c in required if c not in fields]
    if missing:
        problems.append(Msg.HEADER_MISSING(where=where, columns=missing))
    if problems:
        raise FileRefused(problems[0], details=problems[1:])
    return fields
