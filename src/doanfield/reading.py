"""Rows to import, whatever they come in: CSV text, an Excel workbook, or a JSON export.

Every file becomes the same thing, `Rows`: a header, and rows of text cells, each with the row
number a person sees in the file (the CSV line, the Excel row, the JSON record's position), so
that the importer treats them all alike and every problem reads `FILE:ROW` (`FILE:SHEET:ROW` in a
workbook).

* CSV: UTF-8 (with or without BOM), UTF-16 with or without BOM (Excel's "Unicode text"),
  Windows-1258 (Excel's plain CSV on Vietnamese Windows, which writes tones as combining marks,
  hence NFC everywhere); delimiters `,` `;` and tab. Files in the legacy font encodings (TCVN3,
  VNI) decode to nonsense, so they are refused.
* Workbooks (.xlsx, .xlsm, .xls, .ods), read with python-calamine: the first sheet, or the one
  named. A date cell is a date and a number a number; both become text the importer reads as it
  reads CSV (ISO dates, whole numbers without `.0`).
* JSON: an array of objects, as `export --format json` and the list commands write.

Office sheets put a title block above the header (the committee's name, "DANH SÁCH …", a date
line, blank rows, often merged across the columns) and sometimes a row of column numbers
("1, 2, 3…" or "(1), (2)…") under it. The header is the first row with at least two cells filled
in (a merged title fills one); rows above it are passed over, as is a row of column numbers right
below it. A header on two rows (a group title merged over sub-headings) is read as one. A
row-number column (`STT`) carries no data and is passed over too.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from doanfield.columns import restore
from doanfield.domain import MAX_LISTED, DoanfieldError, Listing
from doanfield.messages import Heading, Message, Msg, os_reason
from doanfield.names import Spellings, fold

SAMPLE_BYTES = 1 << 20
DELIMITERS = (",", ";", "\t")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# Columns of row numbers that every Vietnamese spreadsheet has, and the #id that lists show
# (`#`, `Số`, `id`): they carry nothing to import.
ROW_NUMBER_HEADERS = {"stt", "tt", "sott", "no", "so", "id"}
# No sheet has more columns than Excel's own limit; a wider header is no record's.
MAX_COLUMNS = 16384
# How many rows a title block above the header may take.
MAX_TITLE_ROWS = 12
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")

# Letters outside ASCII that Vietnamese uses, in both cases, plus typographic punctuation.
_VIETNAMESE = set("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
_VIETNAMESE |= {c.upper() for c in _VIETNAMESE}
_ALLOWED_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0306", "\u0302", "\u031b"}
_NFC = functools.partial(unicodedata.normalize, "NFC")


class FileRefused(DoanfieldError):
    pass


Record = tuple[int, list[str]]


@dataclass
class Rows:
    """A file's rows: its header, then (row number, text cells) for every row below it."""

    name: str  # how problems name the file: `trips.csv`, `trips.xlsx:Đợt đi`
    header: list[str]
    header_row: int  # 0 when the file has no header row (JSON)
    size: int  # bytes, for the progress bar
    _rows: Iterator[Record]
    _position: Callable[[], int]
    _close: Callable[[], None] = lambda: None
    lettered: bool = False  # a workbook: columns are A, B, … as Excel shows them
    # A CSV file's encoding and delimiter, as detected ("" for a workbook or JSON).
    encoding: str = ""
    delimiter: str = ""

    def records(self) -> Iterator[Record]:
        """(row number, cells); blank rows are passed over."""
        return self._rows

    def where(self, row: int) -> str:
        return f"{self.name}:{row}" if row else self.name

    def position(self) -> int:
        """How far the reading has gone, in bytes of the file."""
        return self._position()

    def close(self) -> None:
        self._close()

    def column(self, number: int) -> Message:
        """Column `number` (1 = the first) as the file's reader sees it: `cột F`, `cột 6`."""
        return Msg.COLUMN_N(n=column_letter(number) if self.lettered else number)


def column_letter(number: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA: Excel's name for a column."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def open_rows(
    path: Path, sheet: str | None = None, known: Callable[[str], bool] | None = None
) -> Rows:
    """The rows of a CSV, workbook or JSON file, the header found (title rows passed over).

    `known` tells whether a cell names a column the reader expects: the header is the first row
    that names them (see `_with_header`).
    """
    try:
        raw = path.open("rb")
    except OSError as error:
        raise FileRefused(Msg.FILE_CANNOT_OPEN, path=str(path), reason=os_reason(error)) from None
    try:
        head = raw.read(8)
        raw.seek(0)
        workbook = head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))  # zip (xlsx), OLE (xls)
        if workbook or path.suffix.lower() in WORKBOOK_SUFFIXES:
            raw.close()
            return _workbook(path, sheet, known)
        if sheet is not None:
            raise FileRefused(Msg.SHEET_NOT_WORKBOOK, file=path.name)
        if path.suffix.lower() == ".json":
            raw.close()
            return _json(path)
        return _csv(path, raw, known)
    except BaseException:
        raw.close()
        raise


def _with_header(
    name: str,
    rows: Iterator[Record],
    size: int,
    position: Callable[[], int],
    close: Callable[[], None] = lambda: None,
    known: Callable[[str], bool] | None = None,
) -> Rows:
    """Find the header below any title block; the rows after it are the records.

    The header is what it is, not where it is: the first row, among the first dozen, with two
    or more cells that name known columns (an official form's first row also has two cells, the
    committee's name and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", but they name no column). Without
    such a row, the one naming the most, else the first with two cells filled, else the first
    row is the header, and the importer names the columns it does not know or lacks.
    """
    known = functools.lru_cache(maxsize=4096)(known or (lambda title: False))

    def naming(cells: list[str]) -> int:
        # A row wider than any sheet is looked at no further than a sheet goes.
        return sum(1 for c in cells[:MAX_COLUMNS] if c.strip() and known(c))

    passed: list[Record] = []
    header: Record | None = None
    for record in rows:
        if naming(record[1]) >= 2:
            header = record
            break
        passed.append(record)
        if len(passed) > MAX_TITLE_ROWS:
            break
    if header is not None:
        records: Iterator[Record] = rows
    elif not passed:
        raise FileRefused(Msg.FILE_EMPTY, file=name)
    else:
        named = [naming(r[1]) for r in passed]
        filled = [sum(1 for c in r[1] if c.strip()) for r in passed]
        if max(named) > 0:
            at = named.index(max(named))
        else:
            at = next((i for i, n in enumerate(filled) if n >= 2), 0)
        header = passed[at]
        records = itertools.chain(passed[at + 1 :], rows)
    titles = [c.strip() for c in header[1]]
    while titles and not titles[-1]:
        titles.pop()
    return Rows(name, titles, header[0], size, _after_header(records), position, close)


def _after_header(rows: Iterator[Record]) -> Iterator[Record]:
    """The records, without a row of column numbers right under the header."""
    first = next(rows, None)
    if first is None:
        return
    filled = [c.strip() for c in first[1] if c.strip()]
    if not (len(filled) >= 2 and all(_COLUMN_NUMBER.match(c) for c in filled)):
        yield first
    yield from rows


# ------------------------------------------------------------------------ CSV


def _looks_legacy(text: str) -> str | None:
    """A character no Vietnamese Unicode text has: the mark of TCVN3/VNI or a wrong code page."""
    for char in set(text):
        code = ord(char)
        if code < 0x80 or char in _VIETNAMESE or char in _ALLOWED_MARKS:
            continue
        if 0x80 <= code <= 0x24F or char == "\ufffd":
            return char
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 written without its BOM: text in Latin script puts a zero in every other byte."""
    pairs = sample[: len(sample) - len(sample) % 2]
    if len(pairs) < 4:
        return None
    half = len(pairs) // 2
    zeros_odd = pairs[1::2].count(0)
    zeros_even = pairs[0::2].count(0)
    if zeros_odd > half * 0.3 and zeros_even < half * 0.05:
        return "utf-16-le"
    if zeros_even > half * 0.3 and zeros_odd < half * 0.05:
        return "utf-16-be"
    return None


def detect_encoding(name: str, sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    bare16 = _utf16_without_bom(sample)
    if bare16 is not None:
        return bare16
    try:
        # A sample cut mid-character is fine: only the end may be incomplete.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1258")
    except UnicodeDecodeError:
        raise FileRefused(Msg.FILE_NOT_TEXT, file=name) from None
    return "cp1258"


def read_text(path: Path) -> str:
    """A whole text file (a report to file): UTF-8, UTF-16 or Windows-1258, as NFC."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileRefused(Msg.FILE_CANNOT_OPEN, path=str(path), reason=os_reason(error)) from None
    encoding = detect_encoding(path.name, data)
    try:
        return unicodedata.normalize("NFC", data.decode(encoding))
    except UnicodeDecodeError:
        raise FileRefused(Msg.FILE_NOT_TEXT, file=path.name) from None


def detect_delimiter(lines: Iterable[str]) -> str:
    """The delimiter of the widest of the first lines (the header, not a title above it).

    csv.Sniffer prefers ',' even in ';' files, and a title line may hold a comma of its own.
    """
    best, most = ",", 0
    for line in lines:
        for delimiter in DELIMITERS:
            if line.count(delimiter) > most:
                best, most = delimiter, line.count(delimiter)
    return best


def _csv(path: Path, raw: BinaryIO, known: Callable[[str], bool] | None) -> Rows:
    sample = raw.read(SAMPLE_BYTES)
    encoding = detect_encoding(path.name, sample)
    if not encoding.startswith("utf-16"):
        decoded = sample.decode("utf-8" if encoding.startswith("utf-8") else encoding, "ignore")
        bad = _looks_legacy(unicodedata.normalize("NFC", decoded))
        if bad is not None:
            raise FileRefused(Msg.FILE_LEGACY, file=path.name, char=bad, code=f"{ord(bad):04X}")
    raw.seek(0)
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    try:
        first = list(itertools.islice(text, MAX_TITLE_ROWS + 1))
    except UnicodeDecodeError:
        raise FileRefused(Msg.FILE_HEADER_NOT_TEXT, file=path.name, encoding=encoding) from None
    if not any(line.strip() for line in first):
        raise FileRefused(Msg.FILE_EMPTY, file=path.name)
    delimiter = detect_delimiter(first)
    # strict: a quote never closed is an error, not the rest of the file read into one cell.
    reader = csv.reader(map(_NFC, itertools.chain(first, text)), delimiter=delimiter, strict=True)
    reading = _CsvReading(path.name, encoding, reader)
    size = path.stat().st_size
    found = _with_header(path.name, reading.records(), size, raw.tell, raw.close, known)
    found.encoding, found.delimiter = encoding, delimiter
    return found


@dataclass
class _CsvReading:
    name: str
    encoding: str
    reader: Any  # csv.reader; `line_num` is the last physical line read

    def records(self) -> Iterator[Record]:
        """(line where the record starts, cells); blank lines are passed over.

        A record may span lines (a quoted cell with a line break): its first line is reported.
        """
        last = 0
        try:
            for cells in self.reader:
                start, last = last + 1, self.reader.line_num
                joined = "".join(cells)  # as cheap as any(cells), and finds a ' in passing
                if joined:
                    if "'" in joined:  # cells an export neutralised (columns.neutralise)
                        cells = [restore(cell) for cell in cells]
                    yield start, cells
        except UnicodeDecodeError:
            raise FileRefused(
                Msg.FILE_NOT_THROUGHOUT,
                file=self.name,
                encoding=self.encoding,
                line=self.reader.line_num + 1,
            ) from None
        except csv.Error as error:
            if str(error) == "unexpected end of data":
                opened = f"{self.name}:{last + 1}"
                raise FileRefused(Msg.FILE_QUOTE_NOT_CLOSED, where=opened) from None
            where = f"{self.name}:{self.reader.line_num}"
            raise FileRefused(Msg.FILE_CSV_BROKEN, where=where, problem=str(error)) from None


# ------------------------------------------------------------------------ workbooks


def cell_text(value: Any) -> str:
    """A workbook or JSON cell as the text a CSV would hold: dates ISO, whole numbers bare."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _NFC(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return " ".join(cell_text(v) for v in value)
    return str(value)


def _workbook(path: Path, sheet: str | None, known: Callable[[str], bool] | None) -> Rows:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        raise FileRefused(Msg.WORKBOOK_UNREADABLE, file=path.name, problem=str(error)) from None
    names = list(book.sheet_names)
    if sheet is None:
        if not names:
            raise FileRefused(Msg.FILE_EMPTY, file=path.name)
        sheet = names[0]
    elif sheet not in names:
        raise FileRefused(Msg.NO_SUCH_SHEET, file=path.name, sheet=sheet, sheets=names)
    try:
        values = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except (CalamineError, ValueError) as error:
        raise FileRefused(Msg.WORKBOOK_UNREADABLE, file=path.name, problem=str(error)) from None
    name = f"{path.name}:{sheet}"
    size = path.stat().st_size
    done = [0]

    def rows() -> Iterator[Record]:
        for index, line in enumerate(values):
            done[0] = index
            cells = [cell_text(v) for v in line]
            if any(cells):
                yield index + 1, cells  # the row number Excel shows

    def position() -> int:
        return size * done[0] // max(len(values), 1)

    found = _with_header(name, rows(), size, position, known=known)
    found.lettered = True
    return found


# ------------------------------------------------------------------------ JSON


def _json(path: Path) -> Rows:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FileRefused(Msg.JSON_UNREADABLE, file=path.name, problem=str(error)) from None
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise FileRefused(Msg.JSON_NOT_RECORDS, file=path.name)
    header: dict[str, None] = {}
    for item in data:
        header.update(dict.fromkeys(item))
    columns = list(header)
    records = (
        (number, [cell_text(item.get(column)) for column in columns])
        for number, item in enumerate(data, start=1)
    )
    return Rows(path.name, columns, 0, path.stat().st_size, records, lambda: 0)


# ------------------------------------------------------------------------ header


def is_row_number(title: str) -> bool:
    """`STT`, `TT`, `#`, `Số`, `id`: a column of row numbers or list ids, carrying nothing."""
    return fold(title) in ROW_NUMBER_HEADERS or title.strip() == "#"


@dataclass
class Columns:
    """What the header of one kind of file may name: its columns, the other names offices give
    them (`Mã cán bộ` for `cadre`), and the ones it must have (a tuple: one of them)."""

    kind: str
    columns: tuple[str, ...]
    aliases: Mapping[str, str]
    required: tuple[str | tuple[str, ...], ...]
    words: Spellings[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.words = Spellings()
        for column in self.columns:
            self.words.add(column, column)
        for alias, column in self.aliases.items():
            self.words.add(alias, column)

    def column(self, title: str) -> str | None:
        """The column a heading names: as written, or without its diacritics, never with others."""
        return self.words.get(title)

    def names(self, title: str) -> bool:
        """True for a heading of this kind of file (a row-number column too)."""
        return is_row_number(title) or self.column(title) is not None


@dataclass
class Layout:
    """Which field each column feeds, and the header's own titles.

    A field is None for a row-number column (`STT`), whose cells are passed over, and "" for a
    column without a title, whose cells must be empty.
    """

    fields: list[str | None]
    titles: dict[str, str] = field(default_factory=dict)
    kind: str = ""

    def title(self, column: str) -> str | Heading:
        """The column as the file's header names it (`Từ ngày` for `start`); one the file has
        not, by its heading in the reader's language."""
        return self.titles.get(column) or Heading(column, self.kind)

    def key_positions(self, required: Iterable[str | tuple[str, ...]]) -> list[int]:
        """Where the cells of the required columns are."""
        wanted = {c for need in required for c in (need if isinstance(need, tuple) else (need,))}
        return [i for i, f in enumerate(self.fields) if f in wanted]


def either(columns: Iterable[str | Heading]) -> Message | str | Heading:
    """`Đến ngày or Số tháng`: one of several columns."""
    names = list(columns)
    said: Message | str | Heading = names[-1]
    for name in reversed(names[:-1]):
        said = Msg.EITHER(first=name, second=said)
    return said


def map_header(rows: Rows, columns: Columns) -> Layout:
    """For each position, the field it feeds; unknown, repeated or missing columns refused."""
    if len(rows.header) > MAX_COLUMNS:
        where = rows.where(rows.header_row)
        raise FileRefused(
            Msg.HEADER_TOO_WIDE, where=where, count=len(rows.header), limit=MAX_COLUMNS
        )
    _two_row_header(rows, columns)
    fields: list[str | None] = []
    seen: set[str] = set()
    problems = Listing()  # a header of a million bad columns is still a few lines
    where = rows.where(rows.header_row)
    expected = [Heading(c, columns.kind) for c in columns.columns]
    for number, title in enumerate(rows.header, start=1):
        if is_row_number(title):
            fields.append(None)
            continue
        if not fold(title):
            fields.append("")
            continue
        column = columns.column(title)
        if column is None:
            meant = columns.words.meant(title) if problems.count < MAX_LISTED else None
            problems.add(
                Msg.HEADER_UNKNOWN(
                    where=where,
                    column=rows.column(number),
                    title=title,
                    hint=Msg.DID_YOU_MEAN(code=meant) if meant else "",
                    expected=expected,
                )
            )
        elif column in seen:
            problems.add(
                Msg.HEADER_REPEATS(
                    where=where,
                    column=rows.column(number),
                    title=title,
                    other=Heading(column, columns.kind),
                )
            )
        fields.append(column)
        if column:
            seen.add(column)
    missing = [
        either(Heading(c, columns.kind) for c in (need if isinstance(need, tuple) else (need,)))
        for need in columns.required
        if not any(c in fields for c in (need if isinstance(need, tuple) else (need,)))
    ]
    if missing:
        problems.add(Msg.HEADER_MISSING(where=where, columns=missing))
    if problems.count:
        first, *rest = problems.lines(Msg.HEADER_MORE)
        raise FileRefused(first, details=rest)
    # A workbook's problems name the column's letter too, as Excel shows it: `Ngày về (E)`.
    titles = {
        f: f"{t} ({column_letter(n)})" if rows.lettered else t
        for n, (f, t) in enumerate(zip(fields, rows.header, strict=True), start=1)
        if f
    }
    return Layout(fields, titles, columns.kind)


def _two_row_header(rows: Rows, columns: Columns) -> None:
    """A header on two rows, as official forms have: a group title merged over sub-headings.

        | STT | Họ và tên | Thời gian          | Địa điểm |
        |     |           | Từ ngày | Đến ngày |          |

    When the row under the header names only known columns, it completes the header: a cell
    filled below replaces the one above it. Any other row is left to be read as a record.
    """
    if all(columns.names(title) or not fold(title) for title in rows.header):
        return
    first = next(rows._rows, None)
    if first is None:
        return
    below = [cell.strip() for cell in first[1]]
    filled = [cell for cell in below if cell]
    if not filled or not all(columns.names(cell) for cell in filled):
        rows._rows = itertools.chain([first], rows._rows)
        return
    width = max(len(rows.header), len(below))
    header = rows.header + [""] * (width - len(rows.header))
    rows.header = [below[i] if i < len(below) and below[i] else header[i] for i in range(width)]
    rows.header_row = first[0]
    rows._rows = _after_header(rows._rows)


def without_footer(records: Iterable[Record], keys: list[int]) -> Iterator[Record]:
    """The records, less the signature block under the table.

    Official lists end with one: a blank row, then "Người lập biểu", "Bí thư", a name, a date
    line. Once the table has ended with a blank row (a row number skipped), a row whose key
    cells (the columns the file must have: the cadre's code and the start, say) are all empty is
    part of that block and is passed over. A row right under the table with its key cells empty
    is still a record (a code or a date forgotten), and so is any row after a blank one that
    has a key cell filled.
    """
    last = None
    ended = False
    for line, cells in records:
        ended = ended or (last is not None and line > last + 1)
        last = line
        if ended and not any(i < len(cells) and cells[i].strip() for i in keys):
            continue
        yield line, cells
