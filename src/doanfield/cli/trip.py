"""doanfield trip: days at the grassroots."""

from datetime import date
from typing import Annotated, Any

import typer

from doanfield.cli.common import (
    RECORD_ID,
    CadreOpt,
    ForceOpt,
    FormatOpt,
    OutputOpt,
    ReportFileOpt,
    ReportTextOpt,
    UnitOpt,
    YearOpt,
    date_option,
    destination,
    lang,
    reading,
    report_date_option,
    report_text,
    tell,
    word_option,
    writing,
)
from doanfield.domain import BadUsage, OutputFormat, TripKind
from doanfield.messages import Msg

app = typer.Typer(help="Record, correct, list and remove field trips.", no_args_is_help=True)

IdArg = Annotated[
    int, typer.Argument(metavar="ID", parser=RECORD_ID, help="Trip #id from trip list.")
]

PlaceOpt = Annotated[str | None, typer.Option("--place", metavar="TEXT", help="Where.")]
HostOpt = Annotated[str | None, typer.Option("--unit", metavar="CODE", help="Host unit.")]
ProgramOpt = Annotated[
    str | None, typer.Option("--program", metavar="TEXT", help="e.g. Ấm áp mùa đông.")
]
NoteOpt = Annotated[str | None, typer.Option("--note", metavar="TEXT", help="Anything else.")]
OrderOpt = Annotated[
    str | None,
    typer.Option("--order", metavar="TEXT", help="The travel order or decision, e.g. 15-CL/TĐTN."),
]


def _kind() -> Any:
    return word_option("--kind", "kind", "What the trip was for:")


def _dates(on: date | None, start: date | None, end: date | None) -> tuple[date | None, ...]:
    if on is not None and (start or end):
        raise BadUsage(Msg.TRIP_DATE_AND_RANGE)
    return (on, on) if on is not None else (start, end)


@app.command("add")
def add(
    ctx: typer.Context,
    cadre: Annotated[str, typer.Option("--cadre", metavar="CODE", help="Who went.")],
    on: date | None = date_option("--date", "A one-day trip on DATE."),
    start: date | None = date_option("--start", "First day of a longer trip."),
    end: date | None = date_option("--end", "Last day of a longer trip (inclusive)."),
    kind: str | None = _kind(),
    place: PlaceOpt = "",
    unit: HostOpt = None,
    program: ProgramOpt = "",
    note: NoteOpt = "",
    order: OrderOpt = "",
) -> None:
    """Record a trip: --date for one day, or --start and --end."""
    from doanfield import ledger
    from doanfield.models import TripIn, validated

    first, last = _dates(on, start, end)
    if first is None or last is None:
        raise BadUsage(Msg.TRIP_DATE_OR_RANGE)
    data = validated(
        TripIn,
        {
            "cadre": cadre,
            "start": first,
            "end": last,
            "kind": kind or TripKind.other.value,
            "place": place,
            "unit": unit,
            "program": program,
            "note": note,
            "order": order,
        },
    )
    with writing(ctx) as session:
        trip = ledger.add_trip(session, data)
    tell(ctx, Msg.TRIP_ADDED, id=trip.id)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ident: IdArg,
    cadre: Annotated[str | None, typer.Option("--cadre", metavar="CODE", help="Who went.")] = None,
    on: date | None = date_option("--date", "Make it a one-day trip on DATE."),
    start: date | None = date_option("--start", "First day."),
    end: date | None = date_option("--end", "Last day (inclusive)."),
    kind: str | None = _kind(),
    place: PlaceOpt = None,
    unit: HostOpt = None,
    program: ProgramOpt = None,
    note: NoteOpt = None,
    order: OrderOpt = None,
) -> None:
    """Correct a trip: options not given keep their value; --unit "" removes the host unit.

    The trip is checked again exactly like a new one.
    """
    from doanfield import ledger

    first, last = _dates(on, start, end)
    changes = {
        "cadre": cadre,
        "start": first,
        "end": last,
        "kind": kind,
        "place": place,
        "unit": unit,
        "program": program,
        "note": note,
        "order": order,
    }
    with writing(ctx) as session:
        changed = ledger.edit_trip(session, ident, changes)
    tell(ctx, Msg.TRIP_UPDATED if changed else Msg.TRIP_UNCHANGED, id=ident)


@app.command("list")
def list_(
    ctx: typer.Context,
    cadre: CadreOpt = None,
    year: YearOpt = None,
    unit: UnitOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """List trips, with the #id that trip remove takes."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import ledger, render
    from doanfield.columns import list_columns

    with reading(ctx) as session:
        rows = ledger.list_trips(session, cadre=cadre, year=year, unit=unit)
    render.rows_out(
        rows, list_columns("trips"), fmt, target, lang(ctx), "Trips", table_kind="trips"
    )


@app.command("remove")
def remove(ctx: typer.Context, ident: IdArg) -> None:
    """Remove a trip."""
    from doanfield import ledger

    with writing(ctx) as session:
        ledger.remove_trip(session, ident)
    tell(ctx, Msg.TRIP_REMOVED, id=ident)


@app.command("report")
def report(
    ctx: typer.Context,
    ident: IdArg,
    on: date = report_date_option(),
    text: ReportTextOpt = None,
    file: ReportFileOpt = None,
) -> None:
    """File the report after a trip; filing again replaces it."""
    from doanfield import ledger

    body = report_text(text, file)
    with writing(ctx) as session:
        ledger.file_trip_report(session, ident, on, body)
    tell(ctx, Msg.TRIP_REPORTED, id=ident)
