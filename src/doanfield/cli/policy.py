"""doanfield policy: the ledger's rule settings, which differ between provinces and years."""

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
    today,
    writing,
)
from doanfield.domain import BadUsage, InvalidValue, OutputFormat
from doanfield.messages import Msg, text

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
        int | None, typer.Option("--year", min=1900, max=2200, help="Settings in force in YEAR.")
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
    from doanfield import ledger, render, rules

    when = year or today(ctx).year
    with reading(ctx) as session:
        policy, sources = ledger.policy_sources(session, when, unit, today(ctx))
    values = policy.as_dict()
    if fmt is OutputFormat.json:
        render.write_text(render.json_text(values), target)
        return
    # Where each value comes from: a unit's code, the ledger, or the default (CSV keeps these
    # words; people read them in their language).
    words = {"ledger": Msg.ALL_UNITS, "default": Msg.DEFAULT_VALUE}
    rows = []
    for key, value in values.items():
        source = sources.get(key)
        set_for = "default" if source is None else source.unit or "ledger"
        rows.append(
            {
                "key": key,
                "value": value
                if isinstance(value, int | bool)
                else rules.policy_text(key, getattr(policy, key)),
                "set_for": set_for
                if fmt is OutputFormat.csv or set_for not in words
                else text(lang(ctx), words[set_for]),
                "from_year": source.from_year if source is not None else None,
            }
        )
    title = Msg.POLICY_FOR_UNIT(year=when, unit=unit) if unit else Msg.POLICY_FOR(year=when)
    columns = ("key", "value", "set_for", "from_year")
    render.rows_out(rows, columns, fmt, target, lang(ctx), title, table_kind="policy")


@app.command("set")
def set_(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", help="e.g. field_days_per_year.")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="e.g. 30.")],
    from_year: Annotated[
        int,
        typer.Option(
            "--from-year", min=1900, max=2200, help="Applies from this year on (default: 1900)."
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
