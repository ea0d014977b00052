"""doanfield report: the questions the committee is asked every year."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from doanfield.cli.common import (
    AsOfOpt,
    CadreOpt,
    ForceOpt,
    FormatOpt,
    OutputOpt,
    ReportYearOpt,
    UnitOpt,
    YearOpt,
    app_context,
    destination,
    lang,
    reading,
    today,
)
from doanfield.domain import DoanfieldError, OutputFormat
from doanfield.messages import Msg

if TYPE_CHECKING:
    from sqlmodel import Session

    from doanfield.render import Scope


def _scope(session: Session, unit: str | None) -> Scope:
    """What a report covers, for the title of its workbook."""
    from doanfield import ledger
    from doanfield.render import Scope

    if unit is None:
        return Scope()
    return Scope(unit, ledger.get_unit(session, unit).name)


app = typer.Typer(
    help="Compliance, the year in figures, weekly 4+1, plan progress.", no_args_is_help=True
)


@app.command("compliance")
def compliance(
    ctx: typer.Context,
    year: ReportYearOpt,
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    fail_on_gap: Annotated[
        bool, typer.Option("--fail-on-gap", help="Exit 1 when any cadre is short of days.")
    ] = False,
) -> None:
    """Each cadre's field days against the 1+2 target, weeks met, and 3-month training."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import colreport, render, rules
    from doanfield.render import Scope

    period = rules.report_period(year, as_of, today(ctx))
    # A SQLite ledger is read without SQLAlchemy when it can be, answering exactly as row by row.
    answer = colreport.compliance(app_context(ctx).ledger_file(), period, unit)
    if answer is not None:
        result, scope = answer.report, Scope(unit, answer.unit_name) if unit else Scope()
    else:
        from doanfield import reports

        with reading(ctx) as session:
            result = reports.compliance(session, period, unit=unit)
            scope = _scope(session, unit)
    render.compliance(result, fmt, target, lang(ctx), scope)
    if fail_on_gap and result.has_gap:
        short = sum(1 for row in result.rows if not row.field_ok)
        raise DoanfieldError(Msg.CADRES_SHORT, n=short, total=len(result.rows))


@app.command("summary")
def summary(
    ctx: typer.Context,
    year: ReportYearOpt,
    unit: UnitOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """The year in figures: cadres in the field, field days, trips by kind and program."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import render, reports, rules

    period = rules.report_period(year, None, today(ctx))
    with reading(ctx) as session:
        result = reports.summary(session, period, unit=unit)
        scope = _scope(session, unit)
    render.summary(result, fmt, target, lang(ctx), scope)


@app.command("weekly")
def weekly(
    ctx: typer.Context,
    year: ReportYearOpt,
    cadre: CadreOpt = None,
    unit: UnitOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """4 days at the office, 1 at the grassroots: weeks met and missed, week by week."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import render, reports, rules

    period = rules.report_period(year, None, today(ctx))
    with reading(ctx) as session:
        result = reports.weekly(session, period, unit=unit, cadre=cadre)
        scope = _scope(session, unit)
        # The calendar sheet of a workbook: every cadre's year, day by day.
        days = reports.calendars(session, period, unit, cadre) if fmt is OutputFormat.xlsx else []
    render.weekly(result, fmt, target, lang(ctx), scope, days)


@app.command("overdue")
def overdue(
    ctx: typer.Context,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Trip and assignment reports not filed within trip_report_days of the last day.

    Overdue: not filed by the as-of date, the deadline past; late: filed after the deadline.
    A report counts in the year its deadline passed. --year defaults to the as-of date's year.
    """
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import render, reports, rules

    when = year or (as_of or today(ctx)).year
    period = rules.report_period(when, as_of, today(ctx))
    with reading(ctx) as session:
        result = reports.overdue(session, period, unit=unit)
        scope = _scope(session, unit)
    render.overdue(result, fmt, target, lang(ctx), scope)


@app.command("plan")
def plan(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(metavar="CODE", help="Plan code.")],
    as_of: AsOfOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """A plan's quotas: assigned, active and completed against target; age violations."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import render, reports

    with reading(ctx) as session:
        result = reports.plan_report(session, code, as_of, today(ctx))
    render.plan(result, fmt, target, lang(ctx))
