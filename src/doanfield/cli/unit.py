"""doanfield unit: the organisation tree."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from doanfield.cli.common import (
    ForceOpt,
    FormatOpt,
    OutputOpt,
    bad_parameter,
    date_option,
    destination,
    lang,
    reading,
    tell,
    today,
    writing,
)
from doanfield.domain import OutputFormat
from doanfield.messages import Msg

app = typer.Typer(
    help="Add and list units (Tỉnh Đoàn, Huyện Đoàn, Đoàn xã…).", no_args_is_help=True
)


@app.command("add")
def add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(metavar="CODE", help="Unit code, e.g. HD-PT.")],
    name: Annotated[str, typer.Option("--name", metavar="NAME", help="Full name.")],
    level: Annotated[
        str,
        typer.Option(
            "--level",
            metavar="LEVEL",
            help="central, province, district, commune, branch (or trung ương, tỉnh, huyện, "
            "xã, chi đoàn…), or a level another unit has.",
        ),
    ],
    parent: Annotated[
        str | None, typer.Option("--parent", metavar="CODE", help="The unit above.")
    ] = None,
    new_level: Annotated[
        bool,
        typer.Option("--new-level", help="LEVEL is a new level: add it (a typo is refused)."),
    ] = False,
    first_day: date | None = date_option(
        "--from", "The unit's first day (default: it always existed)."
    ),
) -> None:
    """Add a unit."""
    from doanfield import ledger
    from doanfield.models import UnitIn, validated

    data = validated(
        UnitIn,
        {"code": code, "name": name, "level": level, "parent": parent, "active_from": first_day},
    )
    with writing(ctx) as session:
        ledger.add_unit(session, data, new_level=new_level)
    tell(ctx, Msg.UNIT_ADDED, code=data.code)


@app.command("list")
def list_(
    ctx: typer.Context,
    on: date | None = date_option("--on", "The tree on this day (default: today)."),
    every: Annotated[
        bool,
        typer.Option("--all", help="Every unit ever, with its first and last day and successors."),
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """List units: the tree on a day, each unit under its parent of that day."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import ledger, render
    from doanfield.columns import list_columns

    if every and on is not None:
        raise bad_parameter(Msg.ON_OR_ALL, param_hint="--on")
    with reading(ctx) as session:
        rows = ledger.list_units(session, None if every else on or today(ctx))
    render.rows_out(
        rows, list_columns("units"), fmt, target, lang(ctx), "Units", table_kind="units"
    )
