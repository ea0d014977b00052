"""doanfield unit: the organisation tree."""

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
from doanfield.domain import OutputFormat, ShowFormat
from doanfield.messages import Msg

app = typer.Typer(
    help="Units (Tỉnh Đoàn, Huyện Đoàn, Đoàn xã…) over time: add, correct, close, move, show.",
    no_args_is_help=True,
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


CodeArg = Annotated[str, typer.Argument(metavar="CODE", help="Unit code.")]


@app.command("edit")
def edit(
    ctx: typer.Context,
    code: CodeArg,
    name: Annotated[str | None, typer.Option("--name", metavar="NAME", help="Full name.")] = None,
    level: Annotated[
        str | None,
        typer.Option("--level", metavar="LEVEL", help="Level, known or used by another unit."),
    ] = None,
) -> None:
    """Correct a unit's name or level (a correction: the unit was always so). A unit that
    changes is closed into a new one (unit close --into); a new parent is unit move."""
    from doanfield import organisation

    with writing(ctx) as session:
        changed = organisation.edit_unit(session, code, name, level)
    tell(ctx, Msg.UNIT_UPDATED if changed else Msg.UNIT_UNCHANGED, code=code)


@app.command("close")
def close(
    ctx: typer.Context,
    code: CodeArg,
    on: date = date_option("--on", "The unit's last day.", required=True),
    into: Annotated[
        list[str] | None,
        typer.Option(
            "--into",
            metavar="CODE",
            help="A successor (repeat for a split). With one, the cadres and units still in "
            "the unit the next day move to it.",
        ),
    ] = None,
) -> None:
    """Close a unit on its last day, naming the units it was merged or split into."""
    from doanfield import checks, organisation

    with writing(ctx) as session:
        done = organisation.close_unit(session, code, on, into or [])
    if done.unchanged:
        tell(ctx, Msg.UNIT_CLOSE_UNCHANGED, code=done.code, day=on)
        return
    tell(ctx, Msg.UNIT_CLOSED, code=done.code, day=on, successors=checks.successors(into or []))
    moved = [Msg.LEFT_CADRE(code=c) for c in done.cadres] + [
        Msg.LEFT_UNIT(code=u) for u in done.units
    ]
    if moved:
        tell(ctx, Msg.UNIT_CLOSED_MOVED, heir=(into or [""])[0], day=done.next_day, moved=moved)


@app.command("move")
def move(
    ctx: typer.Context,
    code: CodeArg,
    parent: Annotated[str, typer.Option("--parent", metavar="CODE", help="The new parent.")],
    start: date = date_option("--from", "The first day under the new parent.", required=True),
) -> None:
    """Put a unit under another parent from a day on; its earlier parents are kept."""
    from doanfield import organisation

    with writing(ctx) as session:
        done = organisation.move_unit(session, code, parent, start)
    key = {
        organisation.ADDED: Msg.UNIT_MOVED,
        organisation.CHANGED: Msg.UNIT_MOVE_REPLACED,
        organisation.UNCHANGED: Msg.UNIT_MOVE_UNCHANGED,
    }[done]
    tell(ctx, key, code=code, parent=parent, day=start)


@app.command("show")
def show(
    ctx: typer.Context,
    code: CodeArg,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Output: table to read; json for files.")
    ] = ShowFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Show a unit: its life, parents over time, predecessors, successors, cadres posted now."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import organisation, render

    with reading(ctx) as session:
        sheet = organisation.unit_sheet(session, code)
    render.unit_sheet(sheet, OutputFormat(fmt.value), target, lang(ctx))
