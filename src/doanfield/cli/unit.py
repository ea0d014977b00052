"""doanfield unit: the organisation tree."""

from __future__ import annotations

from typing import Annotated

import typer

from doanfield.cli.common import (
    ForceOpt,
    FormatOpt,
    OutputOpt,
    destination,
    lang,
    reading,
    tell,
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
) -> None:
    """Add a unit."""
    from doanfield import ledger
    from doanfield.models import UnitIn, validated

    data = validated(UnitIn, {"code": code, "name": name, "level": level, "parent": parent})
    with writing(ctx) as session:
        ledger.add_unit(session, data, new_level=new_level)
    tell(ctx, Msg.UNIT_ADDED, code=data.code)


@app.command("list")
def list_(
    ctx: typer.Context,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """List units."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import ledger, render
    from doanfield.columns import list_columns

    with reading(ctx) as session:
        rows = ledger.list_units(session)
    render.rows_out(
        rows, list_columns("units"), fmt, target, lang(ctx), "Units", table_kind="units"
    )
