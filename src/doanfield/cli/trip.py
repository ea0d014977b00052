"""doanfield trip: days at the grassroots."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from doanfield.cli.common import (
    CadreOpt,
    FormatOpt,
    OutputOpt,
    UnitOpt,
    YearOpt,
    date_option,
    lang,
    reading,
    tell,
    word_option,
    writing,
)
from doanfield.domain import BadUsage, OutputFormat, TripKind
from doanfield.messages import Msg

app = typer.Typer(help="Record, list and remove field trips.", no_args_is_help=True)

TextOpt = Annotated[str, typer.Option(metavar="TEXT")]


@app.command("add")
def add(
    ctx: typer.Context,
    cadre: Annotated[str, typer.Option("--cadre", metavar="CODE", help="Who went.")],
    on: date | None = date_option("--date", "A one-day trip on DATE."),
    start: date | None = date_option("--start", "First day of a longer trip."),
    end: date | None = date_option("--end", "Last day of a longer trip (inclusive)."),
    kind: str | None = word_option("--kind", "kind", "What the trip was for:"),
    place: Annotated[str, typer.Option("--place", metavar="TEXT", help="Where.")] = "",
    unit: Annotated[str | None, typer.Option("--unit", metavar="CODE", help="Host unit.")] = None,
    program: Annotated[
        str, typer.Option("--program", metavar="TEXT", help="e.g. Ấm áp mùa đông.")
    ] = "",
    note: Annotated[str, typer.Option("--note", metavar="TEXT", help="Anything else.")] = "",
) -> None:
    """Record a trip: --date for one day, or --start and --end."""
    from doanfield import ledger
    from doanfield.models import TripIn, validated

    if on is not None and (start or end):
        raise BadUsage(Msg.TRIP_DATE_AND_RANGE)
    if on is None and (start is None or end is None):
        raise BadUsage(Msg.TRIP_DATE_OR_RANGE)
    first, last = (on, on) if on is not None else (start, end)
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
        },
    )
    with writing(ctx) as session:
        trip = ledger.add_trip(session, data)
    tell(ctx, Msg.TRIP_ADDED, id=trip.id)


@app.command("list")
def list_(
    ctx: typer.Context,
    cadre: CadreOpt = None,
    year: YearOpt = None,
    unit: UnitOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """List trips, with the #id that trip remove takes."""
    from doanfield import ledger, render
    from doanfield.columns import list_columns

    with reading(ctx) as session:
        rows = ledger.list_trips(session, cadre=cadre, year=year, unit=unit)
    render.rows_out(
        rows, list_columns("trips"), fmt, output, lang(ctx), "Trips", table_kind="trips"
    )


@app.command("remove")
def remove(
    ctx: typer.Context,
    ident: Annotated[int, typer.Argument(metavar="ID", help="Trip #id from trip list.")],
) -> None:
    """Remove a trip."""
    from doanfield import ledger

    with writing(ctx) as session:
        ledger.remove_trip(session, ident)
    tell(ctx, Msg.TRIP_REMOVED, id=ident)
