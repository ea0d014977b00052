"""doanfield absence: long study, sick or maternity leave, exempt from the grassroots."""

from datetime import date
from typing import Annotated

import typer

from doanfield.cli.common import (
    RECORD_ID,
    CadreOpt,
    ForceOpt,
    FormatOpt,
    OutputOpt,
    YearOpt,
    date_option,
    destination,
    lang,
    reading,
    tell,
    writing,
)
from doanfield.domain import OutputFormat
from doanfield.messages import Msg

app = typer.Typer(help="Record, correct, list and remove absences.", no_args_is_help=True)

IdArg = Annotated[
    int, typer.Argument(metavar="ID", parser=RECORD_ID, help="Absence #id from absence list.")
]
ReasonOpt = Annotated[
    str | None,
    typer.Option(
        "--reason",
        metavar="TEXT",
        help="study (học tập, đi học), sick (ốm đau, nghỉ ốm), maternity (thai sản, nghỉ thai "
        "sản), or any other reason, kept as written.",
    ),
]


@app.command("add")
def add(
    ctx: typer.Context,
    cadre: Annotated[str, typer.Option("--cadre", metavar="CODE", help="Who is away.")],
    start: date = date_option("--start", "First day away.", required=True),
    end: date = date_option("--end", "Last day away (inclusive).", required=True),
    reason: ReasonOpt = "",
) -> None:
    """Record an absence; its days are not active days."""
    from doanfield import ledger
    from doanfield.models import AbsenceIn, validated

    data = validated(AbsenceIn, {"cadre": cadre, "start": start, "end": end, "reason": reason})
    with writing(ctx) as session:
        absence = ledger.add_absence(session, data)
    tell(ctx, Msg.ABSENCE_ADDED, id=absence.id)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ident: IdArg,
    cadre: Annotated[
        str | None, typer.Option("--cadre", metavar="CODE", help="Who is away.")
    ] = None,
    start: date | None = date_option("--start", "First day away."),
    end: date | None = date_option("--end", "Last day away (inclusive)."),
    reason: ReasonOpt = None,
) -> None:
    """Correct an absence: options not given keep their value; checked again like a new one."""
    from doanfield import ledger

    changes = {"cadre": cadre, "start": start, "end": end, "reason": reason}
    with writing(ctx) as session:
        changed = ledger.edit_absence(session, ident, changes)
    tell(ctx, Msg.ABSENCE_UPDATED if changed else Msg.ABSENCE_UNCHANGED, id=ident)


@app.command("list")
def list_(
    ctx: typer.Context,
    cadre: CadreOpt = None,
    year: YearOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """List absences."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import ledger, render
    from doanfield.columns import list_columns

    with reading(ctx) as session:
        rows = ledger.list_absences(session, cadre=cadre, year=year)
    render.rows_out(
        rows, list_columns("absences"), fmt, target, lang(ctx), "Absences", table_kind="absences"
    )


@app.command("remove")
def remove(ctx: typer.Context, ident: IdArg) -> None:
    """Remove an absence."""
    from doanfield import ledger

    with writing(ctx) as session:
        ledger.remove_absence(session, ident)
    tell(ctx, Msg.ABSENCE_REMOVED, id=ident)
