"""The one place that turns rows and report data into a rich table, CSV, JSON or XLSX."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from doanfield.domain import BadUsage, OutputFormat
from doanfield.i18n import day, number, tr
from doanfield.messages import Msg
from doanfield.vocabulary import label

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from doanfield.reports import CadreSheet, Compliance, PlanReport, Summary, Weekly

Row = dict[str, Any]
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def say(text: str) -> None:
    """A line for the person at the terminal (summaries, confirmations)."""
    print(text)


def neutralise(value: Any) -> str:
    """A cell a spreadsheet would run as a formula is written as text instead."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_LEADS) else text


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
    return value


def json_text(data: Any) -> str:
    # One line: the C encoder (an indent would take the pure-Python one, 10x slower).
    return json.dumps(data, ensure_ascii=False, default=str) + "\n"


def write_text(text: str, output: Path | None, bom: bool = False) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        output.write_text(("\ufeff" if bom else "") + text, encoding="utf-8", newline="")


def write_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Row]]], output: Path) -> None:
    """Write real XLSX: text cells stay text (formulas off), bold frozen header, fitted widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title=title[:31] or "Sheet")
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(c) for c in columns]
        for row in rows:
            values = [_cell(row.get(c)) for c in columns]
            sheet.append([None if v in (None, "") else v for v in values])
            for index, value in enumerate(values):
                widths[index] = max(widths[index], len(str(value)) if value is not None else 0)
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths):
            letter = sheet.cell(row=1, column=index + 1).column_letter
            sheet.column_dimensions[letter].width = min(max(width + 2, 6), 60)
    book.save(output)


def _require_output(fmt: OutputFormat, output: Path | None) -> Path:
    if output is None:
        raise BadUsage(Msg.FORMAT_NEEDS_FILE, format=fmt.value)
    return output


def table(title: str | None, headings: Sequence[str], no_wrap: Sequence[bool | int] = ()) -> Table:
    from rich.table import Table

    grid = Table(title=title, title_justify="left", header_style="bold")
    for index, heading in enumerate(headings):
        keep = index < len(no_wrap) and bool(no_wrap[index])
        grid.add_column(heading, overflow="fold", no_wrap=keep)
    return grid


def show(*renderables: Any, output: Path | None = None) -> None:
    if output is None:
        out = console()
        for renderable in renderables:
            out.print(renderable)
        return
    from rich.console import Console

    with output.open("w", encoding="utf-8") as handle:
        file_console = Console(file=handle, width=200, color_system=None)
        for renderable in renderables:
            file_console.print(renderable)


def rows_out(
    rows: Iterable[Row],
    columns: Sequence[str],
    fmt: OutputFormat,
    output: Path | None,
    lang: str,
    title: str,
    bom: bool = False,
    table_kind: str | None = None,
) -> None:
    """A list of records in any format; keys are `columns` whatever the language."""
    if fmt is OutputFormat.json:
        write_text(json_text([{c: row.get(c) for c in columns} for row in rows]), output)
    elif fmt is OutputFormat.csv and output is not None:
        with output.open("w", encoding="utf-8-sig", newline="") as handle:
            write_csv(handle, columns, rows)
    elif fmt is OutputFormat.csv:
        write_text(csv_text(columns, rows), output, bom=bom)
    elif fmt is OutputFormat.xlsx:
        write_xlsx([(title, columns, rows)], _require_output(fmt, output))
    else:
        from doanfield.columns import NO_WRAP, TABLE_COLUMNS

        columns = TABLE_COLUMNS.get(table_kind or "", columns)
        grid = table(
            tr(lang, title), [tr(lang, c) for c in columns], [c in NO_WRAP for c in columns]
        )
        for row in rows:
            grid.add_row(*(_plain(row.get(c), lang, c) for c in columns))
        show(grid if grid.row_count else tr(lang, "nothing to show"), output=output)


WORD_COLUMNS = {"kind", "category", "status", "level", "reason", "training_status"}
DATE_COLUMNS = {"start", "end", "birth_date", "active_from", "active_to", "report_date"}


def _plain(value: Any, lang: str, column: str = "") -> str:
    """A cell for people: yes/no, words and dates in the user's language."""
    if isinstance(value, bool):
        return tr(lang, "yes" if value else "no")
    if value is None or value == "":
        return ""
    if column in WORD_COLUMNS:
        return label(column, str(value), lang)
    if column in DATE_COLUMNS:
        return day(lang, str(value))
    return str(value)


# ------------------------------------------------------------------------ reports


def compliance(report: Compliance, fmt: OutputFormat, output: Path | None, lang: str) -> None:
    if fmt is OutputFormat.json:
        write_text(json_text(report.to_json()), output)
        return
    rows = [dict(vars(r)) for r in report.rows]
    if fmt is not OutputFormat.table:
        from doanfield.reports import COMPLIANCE_COLUMNS

        _tabular(rows, COMPLIANCE_COLUMNS, fmt, output, f"compliance-{report.year}")
        return
    title = (
        f"{tr(lang, 'Compliance {year}', year=report.year)} · "
        f"{tr(lang, 'as of {date}', date=day(lang, report.as_of.isoformat()))}"
    )
    headings = ["cadre", "name", "unit", "field_days", "weeks", "training_status", "gap"]
    grid = table(title, [tr(lang, h) for h in headings])
    for r in report.rows:
        gaps = []
        if not r.field_ok:
            short = r.required_days - r.field_days
            gaps.append(tr(lang, "short by 1 day" if short == 1 else "short by {n} days", n=short))
        if r.report_pending:
            gaps.append(tr(lang, "report not filed"))
        days_style = "green" if r.field_ok else "bold red"
        training = label("training_status", r.training_status, lang)
        training_style = {
            "done": "green",
            "missing": "red",
            "in_progress": "yellow",
            "planned": "yellow",
        }.get(r.training_status, "dim")
        grid.add_row(
            r.cadre,
            r.name,
            r.unit,
            f"[{days_style}]{r.field_days}/{r.required_days}[/]",
            f"{r.weeks_met}/{r.weeks_total}",
            f"[{training_style}]{training}[/]",
            f"[red]{'; '.join(gaps)}[/]" if gaps else "",
        )
    t = report.totals()
    grid.caption = tr(
        lang,
        "Cadres: {cadres} · meeting 1+2: {ok} · training done: {done} of {required}",
        cadres=t["cadres"],
        ok=t["field_ok"],
        done=t["training_done"],
        required=t["training_required"],
    )
    grid.caption_justify = "left"
    show(grid, output=output)


def _tabular(
    rows: Sequence[Row], columns: Sequence[str], fmt: OutputFormat, output: Path | None, name: str
) -> None:
    if fmt is OutputFormat.csv:
        write_text(csv_text(columns, rows), output, bom=output is not None)
    else:
        write_xlsx([(name, columns, rows)], _require_output(fmt, output))


def summary(report: Summary, fmt: OutputFormat, output: Path | None, lang: str) -> None:
    if fmt is OutputFormat.json:
        write_text(json_text(report.to_json()), output)
        return
    sections: list[tuple[str, dict[str, int]]] = [
        ("Trips by kind", report.trips_by_kind),
        ("Trips by program", report.trips_by_program),
        ("Field days by host unit", report.days_by_unit),
    ]
    headline = {
        "cadres_in_field": report.cadres_in_field,
        "field_days": report.field_days,
        "trips": report.trips,
        "assignments_started": report.assignments_started,
        "assignments_completed": report.assignments_completed,
    }
    columns = ("section", "key", "value")
    flat = [{"section": "year", "key": k, "value": v} for k, v in headline.items()]
    for name, values in sections:
        flat.extend({"section": name, "key": k, "value": v} for k, v in values.items())
    if fmt is not OutputFormat.table:
        _tabular(flat, columns, fmt, output, f"summary-{report.year}")
        return
    head = table(tr(lang, "The year {year} in figures", year=report.year), ["", ""])
    labels = {
        "cadres_in_field": "cadres in the field",
        "field_days": "field days",
        "trips": "trips starting in the year",
        "assignments_started": "assignments started",
        "assignments_completed": "assignments completed",
    }
    for key, value in headline.items():
        head.add_row(tr(lang, labels[key]), number(lang, value))
    sentence = tr(
        lang,
        "In {year}, {cadres} cadres had {days} field days and {thematic} thematic trips.",
        year=report.year,
        cadres=number(lang, report.cadres_in_field),
        days=number(lang, report.field_days),
        thematic=number(lang, report.trips_by_kind.get("thematic", 0)),
    )
    grids: list[Any] = [sentence, head]
    for name, values in sections:
        grid = table(tr(lang, name), ["", ""])
        for key, value in values.items():
            grid.add_row(tr(lang, key), number(lang, value))
        grids.append(grid)
    show(*grids, output=output)


SHEET_TRIPS = 10
STRIP_CELLS = {"met": "[green]█[/]", "missed": "[red]·[/]", "inactive": "[dim] [/]"}


def weekly(report: Weekly, fmt: OutputFormat, output: Path | None, lang: str) -> None:
    if fmt is OutputFormat.json:
        write_text(json_text(report.to_json()), output)
        return
    columns = ("cadre", "weeks_met", "weeks_total", "missed_weeks")
    rows = [
        {
            "cadre": r.cadre,
            "weeks_met": r.weeks_met,
            "weeks_total": r.weeks_total,
            "missed_weeks": r.missed_weeks,
        }
        for r in report.rows
    ]
    if fmt is not OutputFormat.table:
        _tabular(rows, columns, fmt, output, f"weekly-{report.year}")
        return
    title = tr(lang, "4 days at the office, 1 at the grassroots — {year}", year=report.year)
    grid = table(title, [tr(lang, h) for h in ("cadre", "name", "weeks", "")], [1, 0, 1, 1])
    for r in report.rows:
        strip = "".join(STRIP_CELLS[cell] for cell in r.strip)
        grid.add_row(r.cadre, r.name, f"{r.weeks_met}/{r.weeks_total}", strip)
    show(grid, output=output)


def plan(report: PlanReport, fmt: OutputFormat, output: Path | None, lang: str) -> None:
    if fmt is OutputFormat.json:
        write_text(json_text(report.to_json()), output)
        return
    data = report.to_json()
    quota_cols = ("level", "target", "assigned", "active", "completed", "max_age")
    violation_cols = ("assignment", "cadre", "age", "max_age")
    if fmt is OutputFormat.csv:
        write_text(csv_text(quota_cols, data["quotas"]), output, bom=output is not None)
        return
    if fmt is OutputFormat.xlsx:
        write_xlsx(
            [
                ("quotas", quota_cols, data["quotas"]),
                ("violations", violation_cols, data["violations"]),
            ],
            _require_output(fmt, output),
        )
        return
    title = tr(lang, "Plan {plan} ({year})", plan=report.plan, year=report.year)
    title += f" · {tr(lang, 'as of {date}', date=day(lang, report.as_of.isoformat()))}"
    grid = table(title, [tr(lang, c) for c in quota_cols])
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
        bad = table(tr(lang, "Age violations"), [tr(lang, c) for c in violation_cols])
        for v in report.violations:
            bad.add_row(f"#{v.assignment}", v.cadre, f"[red]{v.age}[/]", str(v.max_age))
        renderables.append(bad)
    else:
        renderables.append(tr(lang, "no violations"))
    show(*renderables, output=output)


def cadre_sheet(sheet: CadreSheet, fmt: OutputFormat, output: Path | None, lang: str) -> None:
    if fmt is not OutputFormat.table:
        if fmt is not OutputFormat.json:
            raise BadUsage(Msg.SHOW_FORMATS)
        write_text(json_text(sheet.to_json()), output)
        return
    c = sheet.cadre
    head = table(f"{c['name']} ({c['code']})", ["", ""])
    for key in ("unit", "position", "category", "birth_date", "active_from", "active_to"):
        if c.get(key):
            head.add_row(tr(lang, key), _plain(c[key], lang, key))
    renderables: list[Any] = [head]
    if sheet.compliance:
        r = sheet.compliance
        head.add_row(tr(lang, "field_days"), f"{r.field_days}/{r.required_days}")
        head.add_row(tr(lang, "weeks"), f"{r.weeks_met}/{r.weeks_total}")
        training = label("training_status", r.training_status, lang)
        head.add_row(tr(lang, "training_status"), training)
    # One screen: the latest trips; `trip list --cadre` has them all.
    latest = sheet.trips[-SHEET_TRIPS:]
    sections: list[tuple[str, Sequence[Row], Sequence[str]]] = [
        ("Totals by year", sheet.totals, ("year", "trips", "field_days")),
        ("Trips", latest, ("id", "start", "end", "kind", "place", "unit", "program")),
        (
            "Assignments",
            sheet.assignments,
            ("id", "host", "start", "end", "role", "status", "report_date"),
        ),
        ("Absences", sheet.absences, ("id", "start", "end", "reason")),
    ]
    for name, rows, columns in sections:
        if not rows:
            continue
        grid = table(tr(lang, name), [tr(lang, col) for col in columns])
        for row in rows:
            grid.add_row(*(_plain(row.get(col), lang, col) for col in columns))
        if rows is latest and len(sheet.trips) > len(latest):
            grid.caption = tr(
                lang,
                "the latest {n} of {total} trips; all: doanfield trip list --cadre {code}",
                n=len(latest),
                total=len(sheet.trips),
                code=c["code"],
            )
            grid.caption_justify = "left"
        renderables.append(grid)
    show(*renderables, output=output)
