"""doanfield cadre: the people whose grassroots time is tracked."""

from datetime import date
from typing import Annotated, Any

import typer

from doanfield.cli.common import (
    ForceOpt,
    FormatOpt,
    OutputOpt,
    UnitOpt,
    YearOpt,
    date_option,
    destination,
    lang,
    reading,
    tell,
    today,
    word_option,
    writing,
)
from doanfield.domain import BadUsage, OutputFormat, SheetFormat
from doanfield.messages import Msg

app = typer.Typer(help="Add, list, show, edit, move and remove cadres.", no_args_is_help=True)

CodeArg = Annotated[str, typer.Argument(metavar="CODE", help="Cadre code.")]
PositionOpt = Annotated[
    str | None, typer.Option("--position", metavar="TEXT", help="Post, e.g. Phó Bí thư.")
]
GenderOpt = Annotated[str | None, typer.Option("--gender", metavar="TEXT", help="Gender.")]
GivenOpt = Annotated[
    str | None,
    typer.Option(
        "--given-name", metavar="NAME", help="Name to sort by (default: last word of the name)."
    ),
]


def _fields(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


@app.command("add")
def add(
    ctx: typer.Context,
    code: CodeArg,
    name: Annotated[str, typer.Option("--name", metavar="NAME", help="Full Vietnamese name.")],
    unit: Annotated[str, typer.Option("--unit", metavar="CODE", help="Home unit.")],
    category: str | None = word_option("--category", "category", "Category of the post:"),
    position: PositionOpt = None,
    birth: date | None = date_option("--birth", "Birth date."),
    gender: GenderOpt = None,
    active_from: date | None = date_option("--active-from", "First day in the post."),
    active_to: date | None = date_option("--active-to", "Last day in the post."),
    given_name: GivenOpt = None,
) -> None:
    """Add a cadre."""
    from doanfield import ledger
    from doanfield.models import CadreIn, validated

    data = validated(
        CadreIn,
        _fields(
            code=code,
            name=name,
            unit=unit,
            category=category,
            position=position,
            birth_date=birth,
            gender=gender,
            active_from=active_from,
            active_to=active_to,
            given_name=given_name,
        ),
    )
    with writing(ctx) as session:
        ledger.add_cadre(session, data)
    tell(ctx, Msg.CADRE_ADDED, code=data.code)


@app.command("edit")
def edit(
    ctx: typer.Context,
    code: CodeArg,
    name: Annotated[
        str | None, typer.Option("--name", metavar="NAME", help="Full Vietnamese name.")
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", metavar="CODE", help="Home unit.")] = None,
    category: str | None = word_option("--category", "category", "Category of the post:"),
    position: PositionOpt = None,
    birth: date | None = date_option("--birth", "Birth date."),
    gender: GenderOpt = None,
    active_from: date | None = date_option("--active-from", "First day in the post."),
    active_to: date | None = date_option("--active-to", "Last day in the post."),
    no_active_to: Annotated[
        bool,
        typer.Option("--no-active-to", help="The post has no last day (undoes --active-to)."),
    ] = False,
    given_name: GivenOpt = None,
) -> None:
    """Change a cadre's details; options not given keep their value.

    --unit, --category and --position correct the current posting (no new history); a cadre
    who moves to another unit from a date is recorded with cadre move.
    """
    from doanfield import ledger

    if no_active_to and active_to is not None:
        raise BadUsage(Msg.OPTIONS_EXCLUDE, first="--active-to", second="--no-active-to")
    changes = _fields(
        name=name,
        unit=unit,
        category=category,
        position=position,
        birth_date=birth,
        gender=gender,
        active_from=active_from,
        active_to=active_to,
        given_name=given_name,
    )
    with writing(ctx) as session:
        cleared = ("active_to",) if no_active_to else ()
        data = ledger.cadre_input(session, code, changes, cleared)
        changed = ledger.update_cadre(session, data)
    tell(ctx, Msg.CADRE_UPDATED if changed else Msg.CADRE_UNCHANGED, code=code)


@app.command("move")
def move(
    ctx: typer.Context,
    code: CodeArg,
    unit: Annotated[str, typer.Option("--unit", metavar="CODE", help="The new unit.")],
    start: date = date_option("--from", "The first day in the new unit.", required=True),
    category: str | None = word_option(
        "--category", "category", "The new category (default: unchanged):"
    ),
    position: Annotated[
        str | None,
        typer.Option("--position", metavar="TEXT", help="The new post (default: unchanged)."),
    ] = None,
) -> None:
    """Record that from a day on the cadre belongs to another unit (or category, position).

    Earlier postings are kept: reports on earlier days show the cadre where they were.
    """
    from doanfield import organisation

    with writing(ctx) as session:
        done = organisation.move_cadre(session, code, unit, start, category, position)
    key = {
        organisation.ADDED: Msg.CADRE_MOVED,
        organisation.CHANGED: Msg.CADRE_MOVE_REPLACED,
        organisation.UNCHANGED: Msg.CADRE_MOVE_UNCHANGED,
    }[done]
    tell(ctx, key, code=code, unit=unit, day=start)


@app.command("remove")
def remove(ctx: typer.Context, code: CodeArg) -> None:
    """Remove a cadre who has no trips, assignments or absences on record."""
    from doanfield import ledger

    with writing(ctx) as session:
        ledger.remove_cadre(session, code)
    tell(ctx, Msg.CADRE_REMOVED, code=code)


@app.command("list")
def list_(
    ctx: typer.Context,
    unit: UnitOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """List cadres in Vietnamese order: by given name, then the whole name."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import ledger, render
    from doanfield.columns import list_columns

    with reading(ctx) as session:
        rows = ledger.list_cadres(session, unit)
    render.rows_out(
        rows, list_columns("cadres"), fmt, target, lang(ctx), "Cadres", table_kind="cadres"
    )


@app.command("show")
def show(
    ctx: typer.Context,
    code: CodeArg,
    year: YearOpt = None,
    fmt: Annotated[
        SheetFormat,
        typer.Option("--format", "-f", help="Output: table to read; json, xlsx for files."),
    ] = SheetFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Show a cadre's sheet: details, totals by year, trips, assignments, absences."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import render, reports, rules

    with reading(ctx) as session:
        sheet = reports.cadre_sheet(session, code, year, today(ctx))
        days = []
        if fmt is SheetFormat.xlsx:  # the workbook's calendar sheet: the year day by day
            period = rules.Period(sheet.as_of.year, sheet.as_of)
            days = reports.calendars(session, period, cadre=code)
    render.cadre_sheet(sheet, OutputFormat(fmt.value), target, lang(ctx), days)
