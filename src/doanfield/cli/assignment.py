"""doanfield assignment: multi-month secondments to a host unit (tăng cường, đào tạo thực tế)."""

from datetime import date
from typing import Annotated, Any

import typer

from doanfield.cli.common import (
    RECORD_ID,
    ForceOpt,
    FormatOpt,
    OutputOpt,
    ReportFileOpt,
    ReportTextOpt,
    YearOpt,
    date_option,
    destination,
    lang,
    reading,
    report_date_option,
    report_text,
    tell,
    today,
    whole,
    writing,
)
from doanfield.domain import BadUsage, OutputFormat
from doanfield.messages import Msg

app = typer.Typer(
    help="Add, correct, list, report on and cancel grassroots assignments.", no_args_is_help=True
)

IdArg = Annotated[
    int, typer.Argument(metavar="ID", parser=RECORD_ID, help="Assignment #id from assignment list.")
]


MonthsOpt = Annotated[
    int | None,
    typer.Option("--months", parser=whole(1, 120), metavar="N", help="Length in months."),
]
RoleOpt = Annotated[
    str | None, typer.Option("--role", metavar="TEXT", help="e.g. Phó Bí thư Huyện Đoàn.")
]
DecisionOpt = Annotated[
    str | None, typer.Option("--decision", metavar="TEXT", help="Decision number and date.")
]
PlanOpt = Annotated[
    str | None, typer.Option("--plan", metavar="CODE", help="The plan it carries out.")
]


def _end_option() -> Any:
    return date_option("--end", "Last day (inclusive), instead of --months.")


@app.command("add")
def add(
    ctx: typer.Context,
    cadre: Annotated[str, typer.Option("--cadre", metavar="CODE", help="Who is seconded.")],
    host: Annotated[str, typer.Option("--host", metavar="CODE", help="Host unit.")],
    start: date = date_option("--start", "First day.", required=True),
    months: MonthsOpt = None,
    end: date | None = _end_option(),
    role: RoleOpt = "",
    decision: DecisionOpt = "",
    plan: PlanOpt = None,
) -> None:
    """Add an assignment lasting --months N (ends the day before) or up to --end."""
    from doanfield import ledger, rules
    from doanfield.models import AssignmentIn, validated

    if (months is None) == (end is None):
        raise BadUsage(Msg.MONTHS_OR_END)
    last = rules.end_for_months(start, months) if months is not None else end
    data = validated(
        AssignmentIn,
        {
            "cadre": cadre,
            "host": host,
            "start": start,
            "end": last,
            "role": role,
            "decision": decision,
            "plan": plan,
        },
    )
    with writing(ctx) as session:
        assignment = ledger.add_assignment(session, data)
    tell(ctx, Msg.ASSIGNMENT_ADDED, id=assignment.id, start=data.start, end=data.end)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ident: IdArg,
    cadre: Annotated[
        str | None, typer.Option("--cadre", metavar="CODE", help="Who is seconded.")
    ] = None,
    host: Annotated[str | None, typer.Option("--host", metavar="CODE", help="Host unit.")] = None,
    start: date | None = date_option("--start", "First day."),
    months: MonthsOpt = None,
    end: date | None = _end_option(),
    role: RoleOpt = None,
    decision: DecisionOpt = None,
    plan: PlanOpt = None,
) -> None:
    """Correct an assignment: options not given keep their value; --plan "" unlinks the plan.

    --months N sets the end from the (new or stored) start. The assignment is checked again
    exactly like a new one.
    """
    from doanfield import ledger

    if months is not None and end is not None:
        raise BadUsage(Msg.MONTHS_OR_END)
    changes = {
        "cadre": cadre,
        "host": host,
        "start": start,
        "end": end,
        "role": role,
        "decision": decision,
        "plan": plan,
    }
    with writing(ctx) as session:
        changed = ledger.edit_assignment(session, ident, changes, months)
    tell(ctx, Msg.ASSIGNMENT_UPDATED if changed else Msg.ASSIGNMENT_UNCHANGED, id=ident)


@app.command("list")
def list_(
    ctx: typer.Context,
    year: YearOpt = None,
    plan: Annotated[
        str | None, typer.Option("--plan", metavar="CODE", help="Only this plan.")
    ] = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """List assignments with their status as of today."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import ledger, render
    from doanfield.columns import list_columns

    with reading(ctx) as session:
        rows = ledger.list_assignments(session, today(ctx), year=year, plan=plan)
    render.rows_out(
        rows,
        list_columns("assignments"),
        fmt,
        target,
        lang(ctx),
        "Assignments",
        table_kind="assignments",
    )


@app.command("report")
def report(
    ctx: typer.Context,
    ident: IdArg,
    on: date = report_date_option(),
    text: ReportTextOpt = None,
    file: ReportFileOpt = None,
) -> None:
    """File the cadre's report after the stint: situation, difficulties, proposals."""
    from doanfield import ledger

    body = report_text(text, file)
    with writing(ctx) as session:
        ledger.file_report(session, ident, on, body)
    tell(ctx, Msg.ASSIGNMENT_REPORTED, id=ident)


@app.command("cancel")
def cancel(ctx: typer.Context, ident: IdArg) -> None:
    """Cancel an assignment; it no longer counts anywhere."""
    from doanfield import ledger

    with writing(ctx) as session:
        ledger.cancel_assignment(session, ident)
    tell(ctx, Msg.ASSIGNMENT_CANCELLED, id=ident)
