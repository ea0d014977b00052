"""doanfield policy: the ledger's rule settings, which differ between provinces and years."""

from typing import Annotated

import typer

from doanfield.cli.common import (
    YEARS,
    ForceOpt,
    FormatOpt,
    OutputOpt,
    destination,
    lang,
    reading,
    tell,
    today,
    writing,
)
from doanfield.domain import BadUsage, InvalidValue, OutputFormat
from doanfield.messages import Msg

UNREADABLE = {
    Msg.POLICY_UNKNOWN_KEY,
    Msg.POLICY_NOT_NUMBER,
    Msg.POLICY_NOT_BOOL,
    Msg.POLICY_UNKNOWN_CATEGORY,
    Msg.POLICY_NOT_LEVEL_DAYS,
}

app = typer.Typer(help="Show and set the rule settings.", no_args_is_help=True)

PolicyUnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit",
        metavar="CODE",
        help="For this unit and every unit below it (default: the whole ledger).",
    ),
]


@app.command("show")
def show(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option("--year", parser=YEARS, help="Settings in force in YEAR."),
    ] = None,
    unit: PolicyUnitOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Show the settings in force in a year (default: this year), for the ledger or a unit.

    A unit's value is the one set on the nearest unit at or above it, else the ledger's, else
    the default; the table says which.
    """
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import ledger, render

    when = year or today(ctx).year
    with reading(ctx) as session:
        policy, sources = ledger.policy_sources(session, when, unit, today(ctx))
    render.policy(policy.as_dict(), sources, fmt, target, lang(ctx), when, unit)


@app.command("set")
def set_(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", help="e.g. field_days_per_year.")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="e.g. 30.")],
    from_year: Annotated[
        int,
        typer.Option(
            "--from-year",
            parser=YEARS,
            help="Applies from this year on (default: 1900).",
        ),
    ] = 1900,
    unit: PolicyUnitOpt = None,
) -> None:
    """Set a rule value; with --from-year, earlier years keep what they had; with --unit, only
    that unit and those below it take it."""
    from doanfield import ledger, rules

    try:
        rules.parse_policy_value(key, value)
    except InvalidValue as error:
        # A key or value that cannot be read is bad usage (SPEC §4); a number out of its
        # range was read, and cannot be done.
        if error.message.key in UNREADABLE:
            raise BadUsage(error.message) from None
        raise
    with writing(ctx) as session:
        stored = ledger.set_policy(session, key, value, from_year, unit)
    if unit:
        tell(ctx, Msg.POLICY_SET_FOR_UNIT, key=key, value=stored, year=from_year, unit=unit)
    else:
        tell(ctx, Msg.POLICY_SET, key=key, value=stored, year=from_year)
