"""The one place that turns rows and report data into a rich table, CSV, JSON or XLSX."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from doanfield.columns import neutralise
from doanfield.domain import BadUsage, OutputFormat
from doanfield.i18n import day, heading, number
from doanfield.messages import Message, Msg, Word, local_time, text
from doanfield.vocabulary import label

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from doanfield.compliance import Compliance
    from doanfield.outfile import Output
    from doanfield.reports import (
        CadreDays,
        CadreSheet,
        Overdue,
        PlanReport,
        Summary,
        Weekly,
    )
    from doanfield.rules import Setting
    from doanfield.xlsx import Calendar
    from doanfield.xlsx import Table as Sheet

Row = dict[str, Any]


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def say(text: str) -> None:
    """A line for the person at the terminal (summaries, confirmations)."""
    print(text)


def csv_text(columns: Sequence[str], rows: Iterable[Row]) -> str:
    buffer = io.StringIO()
    write_csv(buffer, columns, rows)
    return buffer.getvalue()


def write_csv(handle: Any, columns: Sequence[str], rows: Iterable[Row]) -> None:
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([neutralise(_cell(row.get(c))) for c in columns] for row in rows)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):  # days by level: 'commune=20 branch=5'
        return " ".join(f"{k}={v}" for k, v in value.items())
    return value


def template_text(kind: str, lang: str) -> str:
    """The header of a `kind` file and an example row: the column names and codes in English;
    in Vietnamese, the headings and words a Vietnamese sheet has (they import back alike)."""
    from doanfield.columns import COLUMNS, EXAMPLE_ROWS

    columns = COLUMNS[kind]
    example = EXAMPLE_ROWS[kind]
    if lang != "vi":
        return csv_text(columns, [example])
    headings = [heading(c, lang, kind) for c in columns]
    words = {h: label(c, example.get(c, ""), lang) for c, h in zip(columns, headings, strict=True)}
    return csv_text(headings, [words])


def json_text(data: Any) -> str:
    # One line: the C encoder (an indent would take the pure-Python one, 10x slower).
    return json.dumps(data, ensure_ascii=False, default=str) + "\n"


def write_text(text: str, output: Output | None, bom: bool = False) -> None:
    """To the screen, or into the --output file (outfile.py: whole or not at all)."""
    write_pieces([text], output, bom)


def write_pieces(pieces: Iterable[str], output: Output | None, bom: bool = False) -> None:
    """A text made as it is written, piece by piece (a national report's 7 MB of JSON need not
    be held whole, nor copied)."""
    if output is None:
        sys.stdout.writelines(pieces)
        sys.stdout.flush()
    else:
        with output.open() as handle:
            handle.write("\ufeff" if bom else "")
            handle.writelines(pieces)


def _require_output(fmt: OutputFormat, output: Output | None) -> Output:
    if output is None:
        raise BadUsage(Msg.FORMAT_NEEDS_FILE, format=fmt.value)
    return output


def write_book(parts: Sequence[Sheet | Calendar], lang: str, output: Output | None) -> None:
    """A workbook for people (xlsx.py) into the --output file."""
    from doanfield import xlsx

    with _require_output(OutputFormat.xlsx, output).open_binary() as handle:
        xlsx.save(parts, lang, handle)


def table(
    title: str | None,
    headings: Sequence[str],
    no_wrap: Sequence[bool | int] = (),
    show_header: bool = True,
) -> Table:
    from rich.table import Table

    grid = Table(title=title, title_justify="left", header_style="bold", show_header=show_header)
    for index, name in enumerate(headings):
        keep = index < len(no_wrap) and bool(no_wrap[index])
        grid.add_column(name, overflow="fold", no_wrap=keep)
    return grid


def keyed(title: str | None, keys: Sequence[str], lang: str, kind: str = "") -> Table:
    """A table of the columns `keys`, headed in `lang`: on a narrow console dates, codes and
    figures stay on one line and names keep a readable width, the other columns (and any
    heading) wrap. The widths are settled when it is shown (`_fit`), from the cells."""
    grid = table(title, [heading(k, lang, kind) for k in keys])
    grid.columns_keys = list(keys)  # type: ignore[attr-defined]
    return grid


def _fit(grid: Any, out: Console) -> None:
    """On a console too narrow for a table (80 columns, output redirected), a column of dates,
    codes or figures keeps the width of its widest cell (its heading wraps instead), and a name
    column MIN_WIDTH when the others leave room: the remaining columns wrap."""
    keys = getattr(grid, "columns_keys", None)
    wide = out.options.update_width(10_000)
    if keys is None or out.measure(grid, options=wide).maximum <= out.width:
        return
    from rich.text import Text

    from doanfield.columns import MIN_WIDTH, NO_WRAP

    def widest(texts: Iterable[str]) -> int:
        return max((len(line) for t in texts for line in t.splitlines()), default=1)

    used = len(keys) + 1  # the borders
    loose, fixed = [], []
    for column, key in zip(grid.columns, keys, strict=True):
        cells = [Text.from_markup(c).plain for c in column.cells if isinstance(c, str)]
        if key in NO_WRAP:
            column.width = max(widest(cells), widest(str(column.header).split()))
            used += column.width + 2
            fixed.append(column)
        else:
            loose.append((column, key, widest(cells)))
    # A name column keeps its least width, or its share of the room when that is more (and the
    # others 6 each at least), so that it is left alone when they shrink to fit.
    share = (out.width - used) // max(len(loose), 1) - 2
    others = 8 * (len(loose) - 1)
    for column, key, natural in loose:
        least = MIN_WIDTH.get(key)
        if least and used + least + 2 + others <= out.width:
            column.width = min(natural, max(least, share))
            used += column.width + 2
            others -= 8
    # Room to spare once every other column has its natural width: headings on one line.
    spare = out.width - used - sum(natural + 2 for c, _, natural in loose if c.width is None)
    for column in fixed:
        need = len(str(column.header)) - column.width
        if 0 < need <= spare:
            column.width += need
            spare -= need


def profile(title: str) -> Table:
    """A record's particulars, a line each: what (kept on one line) and its value."""
    return table(title, ["", ""], [1], show_header=False)


def show(*renderables: Any, output: Output | None = None) -> None:
    if output is None:
        out = console()
        for renderable in renderables:
            _fit(renderable, out)
            out.print(renderable)
        return
    from rich.console import Console

    with output.open(newline=None) as handle:
        file_console = Console(file=handle, width=200, color_system=None)
        for renderable in renderables:
            _fit(renderable, file_console)
            file_console.print(renderable)


# What each list is called, by the kind of record it holds.
LIST_TITLES: dict[str, Msg] = {
    "units": Msg.LIST_UNITS,
    "cadres": Msg.LIST_CADRES,
    "plans": Msg.LIST_PLANS,
    "trips": Msg.LIST_TRIPS,
    "assignments": Msg.LIST_ASSIGNMENTS,
    "absences": Msg.LIST_ABSENCES,
    "log": Msg.LIST_LOG,
}


@dataclass(frozen=True)
class Scope:
    """What a report covers, for its title: the unit (all units when None) and the period."""

    unit: str | None = None
    unit_name: str = ""
    start: date | None = None
    end: date | None = None
    as_of: date | None = None

    def lines(self, lang: str) -> list[str]:
        unit = f"{self.unit} – {self.unit_name}" if self.unit else Msg.ALL_UNITS
        lines = [text(lang, Msg.UNIT_LINE, unit=unit)]
        if self.start and self.end:
            lines.append(text(lang, Msg.PERIOD_LINE, start=self.start, end=self.end))
        if self.as_of:
            lines.append(text(lang, Msg.AS_OF_LINE, date=self.as_of))
        return lines


def rows_out(
    rows: Iterable[Row],
    columns: Sequence[str],
    fmt: OutputFormat,
    output: Output | None,
    lang: str,
    title: str | Message,
    bom: bool = False,
    table_kind: str | None = None,
    scope: Scope | None = None,
) -> None:
    """A list of records in any format; keys are `columns` whatever the language."""
    if fmt is OutputFormat.json:
        write_text(json_text([{c: row.get(c) for c in columns} for row in rows]), output)
    elif fmt is OutputFormat.csv and output is not None:
        with output.open(encoding="utf-8-sig") as handle:
            write_csv(handle, columns, rows)
    elif fmt is OutputFormat.csv:
        write_text(csv_text(columns, rows), output, bom=bom)
    else:
        kind = table_kind or (title if isinstance(title, str) else "")
        name = _list_title(title, kind, lang)
        if fmt is OutputFormat.xlsx:
            _list_book(list(rows), columns, kind, name, lang, output, scope)
            return
        from doanfield.columns import TABLE_COLUMNS

        columns = TABLE_COLUMNS.get(kind, columns)
        grid = keyed(name, columns, lang, kind)
        for row in rows:
            grid.add_row(*(_plain(row.get(c), lang, c) for c in columns))
        show(grid if grid.row_count else text(lang, Msg.NOTHING_TO_SHOW), output=output)


def _list_title(title: str | Message, kind: str, lang: str) -> str:
    if isinstance(title, Message):
        return title.text(lang)
    key = LIST_TITLES.get(kind) or LIST_TITLES.get(title.lower())
    return text(lang, key) if key else title


def _list_book(
    rows: list[Row],
    columns: Sequence[str],
    kind: str,
    name: str,
    lang: str,
    output: Output | None,
    scope: Scope | None,
) -> None:
    """A list as a workbook: no totals row, so that it imports back as it is."""
    from doanfield.xlsx import Table, columns_for

    lines = [name, *(scope.lines(lang) if scope and scope.unit else [])]
    lines.append(text(lang, Msg.RECORD_COUNT, n=len(rows)))
    sample = rows[0] if rows else None
    write_book([Table(name, lines, columns_for(columns, lang, kind, sample), rows)], lang, output)


WORD_COLUMNS = {"kind", "category", "status", "level", "reason", "training_status"}
DATE_COLUMNS = {"start", "end", "birth_date", "active_from", "active_to", "report_date", "due"}


def _plain(value: Any, lang: str, column: str = "") -> str:
    """A cell for people: yes/no, words and dates in the user's language, times local."""
    if isinstance(value, bool):
        return text(lang, Msg.YES if value else Msg.NO)
    if value is None or value == "":
        return ""
    if column in WORD_COLUMNS:
        return label(column, str(value), lang)
    if column in DATE_COLUMNS:
        return day(lang, str(value))
    if column == "at":
        return local_time(datetime.fromisoformat(str(value)), lang)
    if column in ("entity", "action"):
        said = LOG_WORDS.get(str(value))
        return text(lang, said) if said else str(value)
    return str(value)


def log(rows: list[Row], fmt: OutputFormat, output: Output | None, lang: str) -> None:
    """The change log. JSON keeps each entry as stored (UTC, codes, the records as JSON); the
    table, the workbook and the CSV are for people: the local time (a real date-time in the
    workbook), the record and the action in `lang`, and what changed as `field: old → new`."""
    from doanfield.columns import LOG_COLUMNS

    if fmt in (OutputFormat.json, OutputFormat.table):
        rows_out(rows, LOG_COLUMNS, fmt, output, lang, "Change log", table_kind="log")
        return
    people = [
        {
            **{c: row[c] for c in ("id", "os_user", "command", "key")},
            "at": _local(str(row["at"])),
            "entity": _plain(row["entity"], lang, "entity"),
            "action": _plain(row["action"], lang, "action"),
            "change": change_text(row["entity"], row["before"], row["after"], lang),
        }
        for row in rows
    ]
    columns = ("id", "at", "os_user", "command", "entity", "key", "action", "change")
    rows_out(people, columns, fmt, output, lang, "Change log", table_kind="log")


def _local(stored: str) -> datetime:
    """A stored moment (UTC) as this computer's clock showed it, to the second, without a zone:
    what Excel takes for a date-time."""
    moment = datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().replace(tzinfo=None, microsecond=0)


def change_text(entity: str, before: str, after: str, lang: str) -> str:
    """What an entry changed, for people: `position: (empty) → Bí thư; unit: TD → HD-PT` for an
    edit, `field: value; …` for what was added (or removed), the counts of an import."""
    old = json.loads(before) if before else {}
    new = json.loads(after) if after else {}
    kind = entity if entity.endswith("s") else entity + "s"
    parts = []
    for field in [*new, *(k for k in old if k not in new)] if isinstance(new, dict) else []:
        was, now = old.get(field), new.get(field)
        name = heading(field, lang, kind) if lang == "vi" else field
        if old and new:
            if was != now:
                parts.append(f"{name}: {_said(field, was, lang)} → {_said(field, now, lang)}")
        elif (now if new else was) not in (None, "", []):
            parts.append(f"{name}: {_said(field, now if new else was, lang)}")
    return "; ".join(parts)


def _said(field: str, value: Any, lang: str) -> str:
    """A value in a change, the reader's way: dates day-first, words in `lang`."""
    if value is None or value == "" or value == []:
        return text(lang, Msg.EMPTY_VALUE)
    if isinstance(value, bool):
        return text(lang, Msg.YES if value else Msg.NO)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_said(k, v, lang)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_said(field, v, lang) for v in value)
    shown = str(value)
    if field in WORD_COLUMNS:
        return label(field, shown, lang)
    if len(shown) == 10 and shown[4] == "-" and shown[7] == "-":
        return day(lang, shown)
    return shown


# The change log's records and actions, as people read them (`trips` from an import too).
LOG_WORDS: dict[str, Msg] = {
    **{
        kind: noun
        for noun in (
            Msg.UNIT,
            Msg.CADRE,
            Msg.PLAN,
            Msg.TRIP,
            Msg.ASSIGNMENT,
            Msg.ABSENCE,
            Msg.POLICY,
            Msg.LEDGER,
        )
        for kind in (noun.en, noun.en + "s")
    },
    **{said.en: said for said in Msg if said.name.startswith("DID_")},
}


def policy(
    values: dict[str, Any],
    sources: dict[str, Setting],
    fmt: OutputFormat,
    output: Output | None,
    lang: str,
    year: int,
    unit: str | None = None,
) -> None:
    """The settings in force: for people, what each key sets and its value in words (the keys
    stay as `policy set` takes them); for scripts, keys and codes. Both say where each value
    comes from: a unit's code, the ledger (`ledger`: all units) or the default."""
    if fmt is OutputFormat.json:
        write_text(json_text(values), output)
        return
    title = Msg.POLICY_FOR_UNIT(year=year, unit=unit) if unit else Msg.POLICY_FOR(year=year)
    columns = ("key", "value", "set_for", "from_year")
    rows = []
    for key, value in values.items():
        source = sources.get(key)
        set_for = "default" if source is None else source.unit or "ledger"
        rows.append(
            {
                "key": key,
                "value": _policy_code(value),
                "set_for": set_for,
                "from_year": source.from_year if source is not None else None,
            }
        )
    if fmt is OutputFormat.csv:
        rows_out(rows, columns, fmt, output, lang, title, table_kind="policy")
        return
    said = {"ledger": Msg.ALL_UNITS, "default": Msg.DEFAULT_VALUE}
    for row in rows:
        row["about"] = _about(row["key"], lang)
        row["value"] = _policy_words(row["key"], values[row["key"]], lang)
        if row["set_for"] in said:
            row["set_for"] = text(lang, said[row["set_for"]])
    shown = ("key", "about", "value", "set_for", "from_year")
    rows_out(rows, shown, fmt, output, lang, title, table_kind="policy")


def _about(key: str, lang: str) -> str:
    said = Msg.__members__.get(f"ABOUT_{key.upper()}")
    return text(lang, said) if said else ""


def _policy_code(value: Any) -> Any:
    if isinstance(value, dict):
        return ",".join(f"{k}={v}" for k, v in value.items())
    return ",".join(map(str, value)) if isinstance(value, list | tuple) else value


# What the words of a list-valued setting are.
POLICY_WORDS = {
    "training_categories": "category",
    "exempt_absence_reasons": "reason",
    "min_days_by_host_level": "level",
}


def _policy_words(key: str, value: Any, lang: str) -> Any:
    """A setting's value as people read it: numbers and yes/no as they are, words in `lang`."""
    column = POLICY_WORDS.get(key, "")
    if isinstance(value, dict):
        value = [f"{k}={v}" for k, v in value.items()]
    if not isinstance(value, list | tuple):
        return value
    shown = []
    for item in map(str, value):
        word, equals, count = item.partition("=")
        shown.append(label(column, word, lang) + (f"={count}" if equals else ""))
    return ", ".join(shown)


# ------------------------------------------------------------------------ reports


def _tabular(rows: Sequence[Row], columns: Sequence[str], output: Output | None) -> None:
    """CSV for scripts: the SPEC's English keys and codes."""
    write_text(csv_text(columns, rows), output, bom=output is not None)


def _gap(lang: str, row: Any) -> str:
    gaps = []
    short = row.required_days - row.field_days
    if short > 0:
        gaps.append(text(lang, Msg.SHORT_BY_ONE if short == 1 else Msg.SHORT_BY, n=short))
    for level, missing in row.short_at.items():
        gaps.append(text(lang, Msg.SHORT_AT_LEVEL, n=missing, level=Word(level, "level")))
    if row.report_pending:
        gaps.append(text(lang, Msg.REPORT_NOT_FILED))
    if row.trip_reports_overdue:
        gaps.append(text(lang, Msg.TRIP_REPORTS_OVERDUE, n=row.trip_reports_overdue))
    return "; ".join(gaps)


_ROWS_GO_HERE = "\x00rows"
_JSON_TRUTH = {True: "true", False: "false"}


def compliance_json(report: Compliance, rows_a_piece: int = 1000) -> Iterator[str]:
    """json_text(report.to_json()) in pieces, its rows written by an f-string: a national
    report's 20,000 rows in 0.05 s rather than 0.1 s (dicts made, then encoded key by key), a
    thousand at a time. The strings go through the json module's own encoder;
    tests/test_render.py holds that the text is the same for any rows."""
    from json.encoder import encode_basestring as quoted  # what json.dumps uses, no ASCII

    named: dict[str, str] = {}  # each level's JSON string, once

    def level(name: str) -> str:
        if (found := named.get(name)) is None:
            found = named[name] = quoted(name)
        return found

    def levels(days: dict[str, int]) -> str:
        if len(days) == 1:  # most rows: days at one level
            ((name, n),) = days.items()
            return f"{{{level(name)}: {n}}}"
        return "{" + ", ".join(f"{level(name)}: {n}" for name, n in days.items()) + "}"

    t = _JSON_TRUTH
    q = quoted
    head, tail = json_text({**report.to_json(rows=False), "rows": _ROWS_GO_HERE}).split(
        json.dumps(_ROWS_GO_HERE)
    )
    yield head + "["
    for first in range(0, len(report.rows), rows_a_piece):
        piece = ", ".join(
            [
                f'{{"cadre": {q(r.cadre)}, "name": {q(r.name)}, "unit": {q(r.unit)}, '
                f'"category": {q(r.category)}, "field_days": {r.field_days:d}, '
                f'"required_days": {r.required_days:d}, "field_ok": {t[r.field_ok]}, '
                f'"weeks_met": {r.weeks_met:d}, "weeks_total": {r.weeks_total:d}, '
                f'"training_required": {t[r.training_required]}, '
                f'"training_status": {q(r.training_status)}, '
                f'"report_pending": {t[r.report_pending]}, '
                f'"days_by_level": {levels(r.days_by_level) if r.days_by_level else "{}"}, '
                f'"trip_reports_overdue": {r.trip_reports_overdue:d}}}'
                for r in report.rows[first : first + rows_a_piece]
            ]
        )
        yield piece if first == 0 else ", " + piece
    yield "]" + tail


def compliance(
    report: Compliance,
    fmt: OutputFormat,
    output: Output | None,
    lang: str,
    scope: Scope | None = None,
) -> None:
    if fmt is OutputFormat.json:
        write_pieces(compliance_json(report), output)
        return
    rows = [dict(vars(r)) for r in report.rows]
    t = report.totals()
    title = text(lang, Msg.COMPLIANCE_TITLE, year=report.year)
    if fmt is OutputFormat.csv:
        from doanfield.compliance import COMPLIANCE_COLUMNS

        _tabular(rows, COMPLIANCE_COLUMNS, output)
        return
    levels = report.levels()
    if fmt is OutputFormat.xlsx:
        from doanfield.compliance import COMPLIANCE_COLUMNS
        from doanfield.xlsx import NUMBER, Column, Table, columns_for

        # One number column per host level, after the 1+2 figures.
        for row, r in zip(rows, report.rows, strict=True):
            row["gap"] = _gap(lang, r)
            row.update({f"level:{level}": r.days_by_level.get(level, 0) for level in levels})
        keys = [k for k in COMPLIANCE_COLUMNS if k != "days_by_level"] + ["gap"]
        columns = columns_for(keys, lang, "compliance", rows[0] if rows else None)
        at = keys.index("field_ok") + 1
        columns[at:at] = [
            Column(
                f"level:{level}", text(lang, Msg.DAYS_AT_LEVEL, level=Word(level, "level")), NUMBER
            )
            for level in levels
        ]
        where = replace(
            scope or Scope(), start=date(report.year, 1, 1), end=report.as_of, as_of=report.as_of
        )
        totals = {
            "name": text(lang, Msg.N_CADRES, n=t["cadres"]),
            "field_days": sum(r.field_days for r in report.rows),
            "required_days": sum(r.required_days for r in report.rows),
            "field_ok": text(lang, Msg.N_OF, n=t["field_ok"], total=t["cadres"]),
            "training_status": text(
                lang, Msg.TRAINING_DONE_OF, done=t["training_done"], required=t["training_required"]
            ),
            **{
                f"level:{level}": sum(r.days_by_level.get(level, 0) for r in report.rows)
                for level in levels
            },
        }
        sheet = Table(title, [title, *where.lines(lang)], columns, rows, totals)
        write_book([sheet], lang, output)
        return
    title = f"{title} · {text(lang, Msg.AS_OF, date=report.as_of)}"
    headings = ["cadre", "name", "unit", "field_days", "weeks", "training_status", "gap"]
    if levels:
        headings.insert(4, "days_by_level")
    grid = keyed(title, headings, lang)
    for r in report.rows:
        gaps = _gap(lang, r)
        days_style = "green" if r.field_ok else "bold red"
        training = label("training_status", r.training_status, lang)
        training_style = {
            "done": "green",
            "missing": "red",
            "in_progress": "yellow",
            "planned": "yellow",
        }.get(r.training_status, "dim")
        cells = [
            r.cadre,
            r.name,
            r.unit,
            f"[{days_style}]{r.field_days}/{r.required_days}[/]",
            f"{r.weeks_met}/{r.weeks_total}",
            f"[{training_style}]{training}[/]",
            f"[red]{gaps}[/]" if gaps else "",
        ]
        if levels:
            cells.insert(4, _levels_cell(r.days_by_level, lang))
        grid.add_row(*cells)
    grid.caption = text(
        lang,
        Msg.COMPLIANCE_CAPTION,
        cadres=t["cadres"],
        ok=t["field_ok"],
        done=t["training_done"],
        required=t["training_required"],
    )
    grid.caption_justify = "left"
    show(grid, output=output)


def _levels_cell(days: dict[str, int], lang: str) -> str:
    """A row's days by host level for people: 'commune 20 · branch 5'."""
    return " · ".join(f"{label('level', level, lang)} {n}" for level, n in days.items())


REPORT_STATUS = {"overdue": Msg.REPORT_OVERDUE, "late": Msg.REPORT_LATE}
RECORD_KIND = {"trip": Msg.TRIP, "assignment": Msg.ASSIGNMENT}


def overdue(
    report: Overdue,
    fmt: OutputFormat,
    output: Output | None,
    lang: str,
    scope: Scope | None = None,
) -> None:
    """Reports overdue or filed late: for scripts SPEC's keys and codes, for people words."""
    from doanfield.reports import OVERDUE_COLUMNS

    if fmt is OutputFormat.json:
        write_text(json_text(report.to_json()), output)
        return
    if fmt is OutputFormat.csv:
        _tabular(report.to_json()["rows"], OVERDUE_COLUMNS, output)
        return
    title = text(lang, Msg.OVERDUE_TITLE, year=report.year)
    note = text(lang, Msg.NO_REPORTS_LATE if report.tracked else Msg.REPORTS_NOT_TRACKED)
    rows = [
        {
            **vars(r),
            "entity": text(lang, RECORD_KIND[r.kind]),
            "status": text(lang, REPORT_STATUS[r.status]),
        }
        for r in report.rows
    ]
    shown = ("entity", "id", "cadre", "name", "start", "end", "due", "report_date", "status")
    if fmt is OutputFormat.xlsx:
        from doanfield.xlsx import Table, columns_for

        where = replace(
            scope or Scope(), start=date(report.year, 1, 1), end=report.as_of, as_of=report.as_of
        )
        sheet = Table(
            title,
            [title, *where.lines(lang)],
            columns_for(shown, lang, "overdue"),
            rows,
            notes=[] if rows else [note],
        )
        write_book([sheet], lang, output)
        return
    grid = table(
        f"{title} · {text(lang, Msg.AS_OF, date=report.as_of)}", [heading(c, lang) for c in shown]
    )
    for row in rows:
        style = "bold red" if row["status"] == text(lang, Msg.REPORT_OVERDUE) else "yellow"
        cells = [_plain(row.get(c), lang, c if c != "status" else "") for c in shown]
        cells[-1] = f"[{style}]{cells[-1]}[/]"
        grid.add_row(*cells)
    show(grid if grid.row_count else note, output=output)


SUMMARY_FIGURES: dict[str, Msg] = {
    "cadres_in_field": Msg.CADRES_IN_FIELD,
    "field_days": Msg.FIELD_DAYS,
    "trips": Msg.TRIPS_STARTED,
    "assignments_started": Msg.ASSIGNMENTS_STARTED,
    "assignments_completed": Msg.ASSIGNMENTS_COMPLETED,
}


def summary(
    report: Summary,
    fmt: OutputFormat,
    output: Output | None,
    lang: str,
    scope: Scope | None = None,
) -> None:
    if fmt is OutputFormat.json:
        write_text(json_text(report.to_json()), output)
        return
    sections: list[tuple[Msg, str, dict[str, int]]] = [
        (Msg.TRIPS_BY_KIND, "kind", report.trips_by_kind),
        (Msg.TRIPS_BY_PROGRAM, "program", report.trips_by_program),
        (Msg.DAYS_BY_UNIT, "unit", report.days_by_unit),
    ]
    headline = {key: getattr(report, key) for key in SUMMARY_FIGURES}
    if fmt is OutputFormat.csv:
        flat = [{"section": "year", "key": k, "value": v} for k, v in headline.items()]
        for key, _, values in sections:
            english = key.en  # the CSV keeps the English names
            flat.extend({"section": english, "key": k, "value": v} for k, v in values.items())
        _tabular(flat, ("section", "key", "value"), output)
        return
    title = text(lang, Msg.SUMMARY_TITLE, year=report.year)
    sentence = text(
        lang,
        Msg.SUMMARY_SENTENCE,
        year=report.year,
        cadres=number(lang, report.cadres_in_field),
        days=number(lang, report.field_days),
        thematic=number(lang, report.trips_by_kind.get("thematic", 0)),
    )
    if fmt is OutputFormat.xlsx:
        _summary_book(report, headline, title, sentence, lang, output, scope)
        return
    head = table(title, [heading("figure", lang), heading("count", lang)], [0, 1])
    for figure, value in headline.items():
        head.add_row(text(lang, SUMMARY_FIGURES[figure]), number(lang, value))
    grids: list[Any] = [sentence, head]
    for part in _breakdowns(report, lang):
        grid = table(
            part.title, [h for _, h, _ in part.columns], [k != TEXT for _, _, k in part.columns]
        )
        for row in part.rows:
            grid.add_row(
                *(number(lang, row[c]) if k == COUNT else str(row[c]) for c, _, k in part.columns)
            )
        if part.note:
            grid.caption, grid.caption_justify = part.note, "left"
        grids.append(grid)
    show(*grids, output=output)


TEXT, CODE, COUNT = "text", "code", "count"


@dataclass(frozen=True)
class Breakdown:
    """One of the summary's breakdowns, as people read it: title, columns, rows, a note."""

    title: str
    columns: list[tuple[str, str, str]]  # key, heading, TEXT | CODE | COUNT
    rows: list[Row]
    measure: str
    note: str = ""


def _breakdowns(report: Summary, lang: str) -> list[Breakdown]:
    """Trips by kind and by program, field days by host unit (its code and name)."""
    from doanfield.reports import NO_UNIT

    def trips(title: Msg, column: str, values: dict[str, int]) -> Breakdown:
        rows = [{column: label(column, k, lang), "trips": v} for k, v in values.items()]
        columns = [(column, heading(column, lang), TEXT), ("trips", heading("trips", lang), COUNT)]
        return Breakdown(text(lang, title), columns, rows, "trips")

    units = [
        {
            "unit": text(lang, Msg.NO_HOST_UNIT) if code == NO_UNIT else code,
            "name": report.unit_names.get(code, ""),
            "days": days,
        }
        for code, days in report.days_by_unit.items()
    ]
    # A day at two host units at once (a trip during an assignment elsewhere) counts for each.
    counted = sum(report.days_by_unit.values())
    note = text(lang, Msg.DAYS_BY_UNIT_NOTE, total=counted, days=report.field_days)
    return [
        trips(Msg.TRIPS_BY_KIND, "kind", report.trips_by_kind),
        trips(Msg.TRIPS_BY_PROGRAM, "program", report.trips_by_program),
        Breakdown(
            text(lang, Msg.DAYS_BY_UNIT),
            [
                ("unit", heading("unit", lang), CODE),
                ("name", heading("name", lang, "units"), TEXT),
                ("days", heading("days", lang), COUNT),
            ],
            units,
            "days",
            note if counted != report.field_days else "",
        ),
    ]


def _summary_book(
    report: Summary,
    headline: dict[str, int],
    title: str,
    sentence: str,
    lang: str,
    output: Output | None,
    scope: Scope | None,
) -> None:
    from doanfield import xlsx

    where = replace(scope or Scope(), start=date(report.year, 1, 1), end=date(report.year, 12, 31))
    top = [title, *where.lines(lang)]
    figures = [{"figure": text(lang, SUMMARY_FIGURES[k]), "value": v} for k, v in headline.items()]
    parts: list[Sheet | Calendar] = [
        xlsx.Table(
            text(lang, Msg.SHEET_FIGURES),
            top,
            [
                xlsx.Column("figure", heading("figure", lang)),
                xlsx.Column("value", heading("count", lang), xlsx.NUMBER),
            ],
            figures,
            notes=[sentence],
        )
    ]
    for part in _breakdowns(report, lang):
        columns = [
            xlsx.Column(c, h, xlsx.NUMBER if k == COUNT else xlsx.TEXT) for c, h, k in part.columns
        ]
        total = {part.measure: sum(row[part.measure] for row in part.rows)}
        notes = [part.note] if part.note else []
        parts.append(
            xlsx.Table(part.title, [*top, part.title], columns, part.rows, total, notes=notes)
        )
    write_book(parts, lang, output)


SHEET_TRIPS = 10
STRIP_CELLS = {"met": "[green]█[/]", "missed": "[red]·[/]", "inactive": "[dim] [/]"}


def weekly(
    report: Weekly,
    fmt: OutputFormat,
    output: Output | None,
    lang: str,
    scope: Scope | None = None,
    days: Sequence[CadreDays] = (),
) -> None:
    if fmt is OutputFormat.json:
        write_text(json_text(report.to_json()), output)
        return
    columns = ("cadre", "weeks_met", "weeks_total", "missed_weeks")
    rows: list[Row] = [
        {
            "cadre": r.cadre,
            "name": r.name,
            "weeks_met": r.weeks_met,
            "weeks_total": r.weeks_total,
            "missed_weeks": r.missed_weeks,
        }
        for r in report.rows
    ]
    if fmt is OutputFormat.csv:
        _tabular(rows, columns, output)
        return
    title = text(lang, Msg.WEEKLY_TITLE, year=report.year)
    for row in rows:  # for people: `tuần 7 (12/02–18/02)`, not 2024-W07
        row["missed_weeks"] = week_labels(row["missed_weeks"], lang)
    if fmt is OutputFormat.xlsx:
        from doanfield.xlsx import Calendar, Table, columns_for

        where = replace(
            scope or Scope(), start=date(report.year, 1, 1), end=date(report.year, 12, 31)
        )
        top = [title, *where.lines(lang)]
        totals = {
            "name": text(lang, Msg.N_CADRES, n=len(rows)),
            "weeks_met": sum(r.weeks_met for r in report.rows),
            "weeks_total": sum(r.weeks_total for r in report.rows),
        }
        keys = ("cadre", "name", "weeks_met", "weeks_total", "missed_weeks")
        calendar_title = text(lang, Msg.CALENDAR_TITLE, year=report.year)
        write_book(
            [
                Table(
                    text(lang, Msg.SHEET_WEEKS),
                    top,
                    columns_for(keys, lang, "weekly"),
                    rows,
                    totals,
                ),
                Calendar(text(lang, Msg.SHEET_CALENDAR), [calendar_title, *top[1:]], days),
            ],
            lang,
            output,
        )
        return
    # The strip takes 52 columns; on a narrow console (80) it goes on two lines of 26 weeks so
    # that the name keeps its room.
    halves = console().width < STRIP_FITS
    grid = keyed(title, ("cadre", "name", "weeks", "week_strip"), lang)
    grid.caption, grid.caption_justify = text(lang, Msg.STRIP_LEGEND), "left"
    for r in report.rows:
        cells = [STRIP_CELLS[cell] for cell in r.strip]
        strip = "".join(cells[:26]) + "\n" + "".join(cells[26:]) if halves else "".join(cells)
        grid.add_row(r.cadre, r.name, f"{r.weeks_met}/{r.weeks_total}", strip)
    missed = keyed(text(lang, Msg.MISSED_WEEKS_TITLE), ("cadre", "missed_weeks"), lang)
    for row in rows:
        if row["missed_weeks"]:
            missed.add_row(row["cadre"], ", ".join(row["missed_weeks"]))
    show(grid, *([missed] if missed.row_count else []), output=output)


# The week strip fits on one line from this width of console.
STRIP_FITS = 100


def week_labels(iso_weeks: Sequence[str], lang: str) -> list[str]:
    """ISO weeks (`2024-W07`) for people, a run of weeks as one: `tuần 7 (12/02–18/02)`,
    `tuần 9–10 (26/02–10/03)`; `week 7 (12 Feb–18 Feb)` in English."""
    runs: list[list[tuple[int, int]]] = []
    for iso in iso_weeks:
        year_text, _, number = iso.partition("-W")
        week = (int(year_text), int(number))
        if runs and runs[-1][-1][0] == week[0] and runs[-1][-1][1] + 1 == week[1]:
            runs[-1].append(week)
        else:
            runs.append([week])
    shape = "%d/%m" if lang == "vi" else "%d %b"
    labels = []
    for run in runs:
        (year, first), (_, last) = run[0], run[-1]
        monday = date.fromisocalendar(year, first, 1)
        sunday = date.fromisocalendar(year, last, 7)
        start, end = monday.strftime(shape), sunday.strftime(shape)
        if first == last:
            labels.append(text(lang, Msg.WEEK_LABEL, n=first, start=start, end=end))
        else:
            weeks = f"{first}–{last}"
            labels.append(text(lang, Msg.WEEKS_LABEL, n=weeks, start=start, end=end))
    return labels


def plan(report: PlanReport, fmt: OutputFormat, output: Output | None, lang: str) -> None:
    if fmt is OutputFormat.json:
        write_text(json_text(report.to_json()), output)
        return
    data = report.to_json()
    quota_cols = ("level", "target", "assigned", "active", "completed", "max_age")
    violation_cols = ("assignment", "cadre", "age", "max_age")
    if fmt is OutputFormat.csv:
        _tabular(data["quotas"], quota_cols, output)
        return
    title = text(lang, Msg.PLAN_TITLE, plan=report.plan, year=report.year)
    if fmt is OutputFormat.xlsx:
        from doanfield.xlsx import Table, columns_for

        top = [title, text(lang, Msg.AS_OF_LINE, date=report.as_of)]
        totals = {
            key: sum(q[key] for q in data["quotas"])
            for key in ("target", "assigned", "active", "completed")
        }
        violations = text(lang, Msg.AGE_VIOLATIONS)
        write_book(
            [
                Table(
                    text(lang, Msg.SHEET_QUOTAS),
                    top,
                    columns_for(quota_cols, lang, "plans"),
                    data["quotas"],
                    totals,
                ),
                Table(
                    violations,
                    [*top, violations],
                    columns_for(violation_cols, lang, "plans"),
                    data["violations"],
                    notes=[] if data["violations"] else [text(lang, Msg.NO_VIOLATIONS)],
                ),
            ],
            lang,
            output,
        )
        return
    title += f" · {text(lang, Msg.AS_OF, date=report.as_of)}"
    grid = keyed(title, quota_cols, lang)
    for q in report.quotas:
        short = q.assigned < q.target
        grid.add_row(
            label("level", q.level, lang),
            str(q.target),
            f"[{'yellow' if short else 'green'}]{q.assigned}[/]",
            str(q.active),
            str(q.completed),
            "" if q.max_age is None else str(q.max_age),
        )
    renderables: list[Any] = [grid]
    if report.violations:
        bad = keyed(text(lang, Msg.AGE_VIOLATIONS), violation_cols, lang)
        for v in report.violations:
            bad.add_row(f"#{v.assignment}", v.cadre, f"[red]{v.age}[/]", str(v.max_age))
        renderables.append(bad)
    else:
        renderables.append(text(lang, Msg.NO_VIOLATIONS))
    show(*renderables, output=output)


SHEET_SECTIONS: list[tuple[Msg, str, tuple[str, ...]]] = [
    (Msg.TOTALS_BY_YEAR, "totals", ("year", "trips", "field_days")),
    (Msg.LIST_TRIPS, "trips", ("id", "start", "end", "kind", "place", "unit", "program")),
    (
        Msg.LIST_ASSIGNMENTS,
        "assignments",
        ("id", "host", "start", "end", "role", "status", "report_date"),
    ),
    (Msg.LIST_ABSENCES, "absences", ("id", "start", "end", "reason")),
    (Msg.LIST_POSTINGS, "postings", ("unit", "category", "position", "start", "end")),
]
PROFILE = ("unit", "position", "category", "birth_date", "active_from", "active_to")


def cadre_sheet(
    sheet: CadreSheet,
    fmt: OutputFormat,
    output: Output | None,
    lang: str,
    days: Sequence[CadreDays] = (),
) -> None:
    if fmt is OutputFormat.json:
        write_text(json_text(sheet.to_json()), output)
        return
    if fmt is OutputFormat.xlsx:
        _cadre_book(sheet, lang, output, days)
        return
    c = sheet.cadre
    head = profile(f"{c['name']} ({c['code']})")
    for key in PROFILE:
        if c.get(key):
            head.add_row(heading(key, lang), _plain(c[key], lang, key))
    renderables: list[Any] = [head]
    if sheet.compliance:
        r = sheet.compliance
        head.add_row(heading("field_days", lang), f"{r.field_days}/{r.required_days}")
        head.add_row(heading("weeks", lang), f"{r.weeks_met}/{r.weeks_total}")
        training = label("training_status", r.training_status, lang)
        head.add_row(heading("training_status", lang), training)
    # One screen: the latest trips; `trip list --cadre` has them all.
    latest = sheet.trips[-SHEET_TRIPS:]
    for name, part, columns in SHEET_SECTIONS:
        rows = latest if part == "trips" else getattr(sheet, part)
        if not rows:
            continue
        grid = keyed(text(lang, name), columns, lang, part)
        for row in rows:
            grid.add_row(*(_plain(row.get(col), lang, col) for col in columns))
        if rows is latest and len(sheet.trips) > len(latest):
            grid.caption = text(
                lang, Msg.LATEST_TRIPS, n=len(latest), total=len(sheet.trips), code=c["code"]
            )
            grid.caption_justify = "left"
        renderables.append(grid)
    show(*renderables, output=output)


def unit_sheet(sheet: dict[str, Any], fmt: OutputFormat, output: Output | None, lang: str) -> None:
    """`unit show`: the unit's life, parents over time, predecessors, successors, cadres."""
    if fmt is OutputFormat.json:
        write_text(json_text(sheet), output)
        return
    from doanfield import checks

    head = profile(f"{sheet['name']} ({sheet['code']})")
    head.add_row(heading("level", lang), _plain(sheet["level"], lang, "level"))
    first, last = (
        date.fromisoformat(sheet[k]) if sheet[k] else None for k in ("active_from", "active_to")
    )
    head.add_row(text(lang, Msg.SHEET_UNIT_LIFE), checks.post_words(first, last).text(lang))
    for key, part in (
        (Msg.SHEET_FORMED_FROM, "formed_from"),
        (Msg.SHEET_PREDECESSORS, "predecessors"),
        (Msg.SHEET_SUCCESSORS, "successors"),
    ):
        if sheet[part] and not (part == "predecessors" and sheet[part] == sheet["formed_from"]):
            head.add_row(text(lang, key), ", ".join(sheet[part]))
    on = day(lang, sheet["on"])
    if sheet["units"]:
        head.add_row(text(lang, Msg.SHEET_SUB_UNITS, day=on), ", ".join(sheet["units"]))
    renderables: list[Any] = [head]
    for title, part, columns in (
        (text(lang, Msg.LIST_PARENTS), "parents", ("parent", "start", "end")),
        (
            text(lang, Msg.LIST_UNIT_CADRES, day=on),
            "cadres",
            ("code", "name", "category", "position"),
        ),
    ):
        if sheet[part]:
            grid = keyed(title, columns, lang)
            for row in sheet[part]:
                grid.add_row(*(_plain(row.get(col), lang, col) for col in columns))
            renderables.append(grid)
    show(*renderables, output=output)


def _typed(value: Any, lang: str, column: str) -> Any:
    """A profile's value for a workbook: a date as a date, a word in `lang`, the rest as text."""
    if column in DATE_COLUMNS and value:
        return date.fromisoformat(str(value))
    return _plain(value, lang, column)


def _cadre_book(
    sheet: CadreSheet, lang: str, output: Output | None, days: Sequence[CadreDays]
) -> None:
    """A cadre's file: the profile, every trip, assignment and absence, the year's calendar."""
    from doanfield.xlsx import ANY, Calendar, Column, Table, columns_for

    c = sheet.cadre
    who = f"{c['name']} ({c['code']})"
    # Each value in its own kind of cell: dates as dates, figures as numbers.
    profile = [{"figure": heading(k, lang), "value": _typed(c.get(k), lang, k)} for k in PROFILE]
    if sheet.compliance:
        r = sheet.compliance
        profile += [
            {"figure": heading(key, lang), "value": getattr(r, key)}
            for key in ("field_days", "required_days", "weeks_met", "weeks_total")
        ]
        profile.append(
            {
                "figure": heading("training_status", lang),
                "value": label("training_status", r.training_status, lang),
            }
        )
    top = [who, text(lang, Msg.AS_OF_LINE, date=sheet.as_of)]
    parts: list[Sheet | Calendar] = [
        Table(
            text(lang, Msg.SHEET_CADRE),
            top,
            [
                Column("figure", heading("figure", lang)),
                Column("value", heading("value", lang), ANY),
            ],
            profile,
            numbered=False,
        )
    ]
    for name, part, columns in SHEET_SECTIONS:
        rows = getattr(sheet, part)
        title = text(lang, name)
        parts.append(Table(title, [*top, title], columns_for(columns, lang, part), rows))
    if days:
        year = days[0].year
        parts.append(
            Calendar(
                text(lang, Msg.SHEET_CALENDAR),
                [text(lang, Msg.CALENDAR_TITLE, year=year), who],
                days,
            )
        )
    write_book(parts, lang, output)
