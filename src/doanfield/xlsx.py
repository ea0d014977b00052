"""Workbooks for people: what a clerk prints, files, or sends up to the provincial committee.

Each sheet carries a title block (the report, the unit, the period, the day it was made), the
headings and words in the chosen language, real dates, numbers and yes/no, a totals row where
one means something, a frozen header, a filter, and a page set-up that prints: A4 landscape,
fitted to the page width, the header row repeated on every page.

Lists and exports get no totals row, so that an exported workbook imports back (the importer
passes over the title block, and reads the headings and words in either language). CSV and JSON,
for scripts, keep the SPEC's English keys and codes (render.py).

The yearly calendar (`report weekly`, `cadre show`) is a block per cadre: a row per month and a
cell per day, the field days filled in.
"""

from __future__ import annotations

import calendar
import gc
import io
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any

from doanfield.i18n import Lang, heading
from doanfield.messages import Message, Msg, text, word

if TYPE_CHECKING:
    from doanfield.reports import CadreDays

Row = dict[str, Any]

# How a column's values are written: the kind of cell, not the wording.
TEXT, DATE, DATETIME, NUMBER, YESNO, WORD = "text", "date", "datetime", "number", "yesno", "word"
ANY = "any"  # a column of mixed values (a profile's): each cell as its value's own kind
DATE_COLUMNS = {"start", "end", "birth_date", "active_from", "active_to", "report_date", "due"}
NUMBER_COLUMNS = {
    "id",
    "year",
    "target",
    "max_age",
    "field_days",
    "required_days",
    "weeks_met",
    "weeks_total",
    "assigned",
    "active",
    "completed",
    "age",
    "assignment",
    "trips",
    "days",
    "count",
    "value",
}
WORD_COLUMNS = {"kind", "category", "level", "reason", "status", "training_status"}
DATE_FORMAT = {Lang.vi: "dd/mm/yyyy", Lang.en: "yyyy-mm-dd"}
DATETIME_FORMAT = {Lang.vi: "dd/mm/yyyy hh:mm", Lang.en: "yyyy-mm-dd hh:mm"}
MAX_WIDTH = 60


@dataclass
class Column:
    key: str
    heading: str
    kind: str = TEXT


def columns_for(
    keys: Iterable[str], lang: str, kind: str = "", sample: Row | None = None
) -> list[Column]:
    """Columns with their headings, each written the way its values are."""
    out = []
    for key in keys:
        value = (sample or {}).get(key)
        if isinstance(value, bool):
            cell = YESNO
        elif isinstance(value, datetime):
            cell = DATETIME
        elif key in DATE_COLUMNS or isinstance(value, date):
            cell = DATE
        elif key in WORD_COLUMNS:
            cell = WORD
        elif key in NUMBER_COLUMNS or (isinstance(value, int) and not isinstance(value, bool)):
            cell = NUMBER
        else:
            cell = TEXT
        out.append(Column(key, heading(key, lang, kind), cell))
    return out


@dataclass
class Table:
    """One sheet: a title block, a header, the rows, and perhaps a totals row."""

    sheet: str
    title: Sequence[str]
    columns: Sequence[Column]
    rows: Iterable[Row]
    totals: Row | None = None
    numbered: bool = True  # a first column STT / No., as every office list has
    notes: Sequence[str] = ()


@dataclass
class Calendar:
    sheet: str
    title: Sequence[str]
    cadres: Sequence[CadreDays]


# ------------------------------------------------------------------------ styles


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    return {
        "title": Font(bold=True, size=14),
        "subtitle": Font(italic=True, size=10),
        "bold": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor="DDE4EE"),
        "field": PatternFill("solid", fgColor="63BE7B"),
        "away": PatternFill("solid", fgColor="9DC3E6"),
        "weekend": PatternFill("solid", fgColor="EDEDED"),
        "outside": PatternFill("solid", fgColor="BFBFBF"),
        "none": PatternFill("solid", fgColor="595959"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "top": Border(top=Side(style="medium")),
        "wrap": Alignment(wrap_text=True, vertical="center", horizontal="center"),
        "center": Alignment(horizontal="center"),
        "wrap_left": Alignment(wrap_text=True, vertical="top"),
    }


def _print_setup(sheet: Any, header_row: int, lang: str) -> None:
    """A4 landscape, fitted to the page's width, the header row on every page, and the page
    number in the footer (`Trang 1/3`)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = text(lang, Msg.PAGE_FOOTER)


SHEET_NAME_MAX = 31  # Excel's limit


def _sheet_name(name: str, taken: set[str]) -> str:
    """A sheet name Excel takes: no []:*?/\\, at most 31 characters, cut between words."""
    clean = " ".join("".join(" " if c in "[]:*?/\\" else c for c in name).split()) or "Sheet"
    candidate, n = _shortened(clean, SHEET_NAME_MAX), 2
    while candidate in taken:
        suffix = f" {n}"
        candidate = _shortened(clean, SHEET_NAME_MAX - len(suffix)) + suffix
        n += 1
    taken.add(candidate)
    return candidate


def _shortened(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    cut = name[: limit + 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut.strip() else name[:limit]
    return head.rstrip(" ,;—–-") or name[:limit]


# ------------------------------------------------------------------------ tables


def _value(column: Column, value: Any, lang: str) -> Any:
    """A cell's value as Excel should hold it."""
    if value is None or value == "":
        return None
    if column.kind == DATETIME and isinstance(value, datetime):
        return value
    if column.kind == ANY and isinstance(value, date | int | float) and not isinstance(value, bool):
        return value
    if column.kind == DATE:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    if column.kind == YESNO or isinstance(value, bool):
        return text(lang, Msg.YES if value else Msg.NO)
    if column.kind == NUMBER:
        return value if isinstance(value, int | float) else _number(value)
    if column.kind == WORD:
        return word(str(value), lang, column.key)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{word(str(k), lang)}: {v}" for k, v in value.items())
    if isinstance(value, Message):
        return value.text(lang)
    return str(value)


def _number(value: Any) -> Any:
    try:
        return int(str(value))
    except ValueError:
        return str(value)


def _title_block(sheet: Any, lines: Sequence[str], width: int, styles: dict[str, Any]) -> int:
    """The title lines, each merged across the table; returns the header's row."""
    for index, line in enumerate(lines, start=1):
        sheet.cell(row=index, column=1, value=line)
        sheet.cell(row=index, column=1).font = styles["title" if index == 1 else "subtitle"]
        if width > 1:
            sheet.merge_cells(start_row=index, start_column=1, end_row=index, end_column=width)
    return len(lines) + 2  # a blank row between the title and the header


def _write_table(book: Any, table: Table, lang: str, taken: set[str]) -> None:
    from openpyxl.utils import get_column_letter

    styles = _styles()
    sheet = book.create_sheet(_sheet_name(table.sheet, taken))
    columns = list(table.columns)
    if table.numbered:
        columns = [Column("row", heading("row", lang), NUMBER), *columns]
    width = len(columns)
    top = _title_block(sheet, table.title, width, styles)
    widths = [len(c.heading) for c in columns]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=top, column=index, value=column.heading)
        cell.font, cell.fill = styles["bold"], styles["header_fill"]
        cell.alignment, cell.border = styles["wrap"], styles["border"]
    row_number = top
    for count, row in enumerate(table.rows, start=1):
        row_number += 1
        for index, column in enumerate(columns, start=1):
            raw = count if column.key == "row" and table.numbered else row.get(column.key)
            value = _value(column, raw, lang)
            cell = sheet.cell(row=row_number, column=index, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: a leading = is no formula
                if len(value) > MAX_WIDTH:  # a long text wraps within its column
                    cell.alignment = styles["wrap_left"]
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT[Lang(lang)]
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT[Lang(lang)]
            shown = (
                16
                if isinstance(value, datetime)
                else 10
                if isinstance(value, date)
                else len(str(value))
                if value is not None
                else 0
            )
            widths[index - 1] = max(widths[index - 1], shown)
    last = row_number
    if table.totals is not None:
        last += 1
        label = text(lang, Msg.TOTAL)
        for index, column in enumerate(columns, start=1):
            raw = table.totals.get(column.key)
            value = (
                label if index == 1 else raw if isinstance(raw, str) else _value(column, raw, lang)
            )
            cell = sheet.cell(row=last, column=index, value=value)
            cell.font, cell.border = styles["bold"], styles["top"]
    for offset, note in enumerate(table.notes, start=2):
        sheet.cell(row=last + offset, column=1, value=note).font = styles["subtitle"]
    for index, size in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(size + 2, 6), MAX_WIDTH)
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    if row_number > top:
        sheet.auto_filter.ref = f"A{top}:{get_column_letter(width)}{row_number}"
    _print_setup(sheet, top, lang)


# ------------------------------------------------------------------------ calendar


# Blocks of cadres on one printed page (a line and 12 months each): a page break between them
# keeps a cadre's year on one page.
CADRES_PER_PAGE = 3


def _write_calendar(book: Any, cal: Calendar, lang: str, taken: set[str]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    styles = _styles()
    sheet = book.create_sheet(_sheet_name(cal.sheet, taken))
    width = 1 + 31 + 1
    legend = text(lang, Msg.CALENDAR_LEGEND)
    # One header, the month and the days of a month, repeated on every printed page.
    header_row = _title_block(sheet, [*cal.title, legend], width, styles)
    sheet.cell(row=header_row, column=1, value=heading("month", lang))
    for number in range(1, 32):
        sheet.cell(row=header_row, column=1 + number, value=number)
    sheet.cell(row=header_row, column=width, value=heading("days", lang))
    for cell in sheet[header_row]:
        cell.font, cell.alignment = styles["bold"], styles["center"]
        cell.fill, cell.border = styles["header_fill"], styles["border"]
    row = header_row
    for index, cadre in enumerate(cal.cadres):
        if index and index % CADRES_PER_PAGE == 0:
            sheet.row_breaks.append(Break(id=row))
        row += 1
        days = len({d for d in cadre.field if d.year == cadre.year})
        line = text(lang, Msg.CALENDAR_CADRE, code=cadre.code, name=cadre.name, days=days)
        sheet.cell(row=row, column=1, value=line).font = styles["bold"]
        for month in range(1, 13):
            row += 1
            sheet.cell(row=row, column=1, value=f"{month:02d}/{cadre.year}")
            length = calendar.monthrange(cadre.year, month)[1]
            in_month = 0
            for number in range(1, 32):
                cell = sheet.cell(row=row, column=1 + number)
                cell.border, cell.alignment = styles["border"], styles["center"]
                if number > length:
                    cell.fill = styles["none"]
                    continue
                today = date(cadre.year, month, number)
                if (cadre.first and today < cadre.first) or (cadre.last and today > cadre.last):
                    cell.fill, cell.value = styles["outside"], "-"
                elif today in cadre.field:
                    cell.fill, cell.value = styles["field"], "x"
                    in_month += 1
                elif today in cadre.away:
                    cell.fill, cell.value = styles["away"], "v"
                elif today.weekday() >= 5:
                    cell.fill = styles["weekend"]
            sheet.cell(row=row, column=width, value=in_month)
        row += 1  # a blank row between cadres
    sheet.column_dimensions["A"].width = 12
    for number in range(2, width):
        sheet.column_dimensions[get_column_letter(number)].width = 3.6
    sheet.column_dimensions[get_column_letter(width)].width = 9
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    _print_setup(sheet, header_row, lang)


# ------------------------------------------------------------------------ the book


def save(parts: Sequence[Table | Calendar], lang: str, target: str | IO[bytes]) -> None:
    """Write the sheets into a workbook at `target` (a path or a binary file)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for part in parts:
        if isinstance(part, Calendar):
            _write_calendar(book, part, lang, taken)
        else:
            _write_table(book, part, lang, taken)
    # Built in memory, then written in one go: a failing disk then fails one plain write,
    # not the zip archive half-way.
    buffer = io.BytesIO()
    _save_quietly(book, buffer)
    if isinstance(target, str):
        with open(target, "wb") as handle:
            handle.write(buffer.getbuffer())
    else:
        target.write(buffer.getbuffer())


def _save_quietly(book: Any, buffer: IO[bytes]) -> None:
    """`book.save`, whose failure (openpyxl writes each sheet to a temporary file first: a full
    disk stops it) is raised once: the half-written sheets it leaves open would say it again,
    with a traceback, when they are collected."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    failure: OSError | None = None
    try:
        try:
            book.save(buffer)
        except OSError as error:
            failure = OSError(error.errno, error.strerror, error.filename)
        gc.collect()
    finally:
        sys.unraisablehook = hook
    if failure is not None:
        raise failure
