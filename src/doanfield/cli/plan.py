"""doanfield plan: a year's secondment plan with quotas per level."""

from __future__ import annotations

from typing import Annotated

import typer

from doanfield.cli.common import (
    FormatOpt,
    OutputOpt,
    bad_parameter,
    lang,
    parse_pairs,
    reading,
    tell,
    writing,
)
from doanfield.domain import OutputFormat
from doanfield.messages import Msg

app = typer.Typer(help="Add and list secondment plans.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(metavar="CODE", help="e.g. 152-KH/TĐTN-TCKT.")],
    year: Annotated[int, typer.Option("--year", min=1900, max=2200, metavar="YEAR")],
    quota: Annotated[
        list[str],
        typer.Option(
            "--quota", metavar="LEVEL=COUNT", help="Cadres to send from home units of LEVEL."
        ),
    ],
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="Title.")] = "",
    max_age: Annotated[
        list[str] | None,
        typer.Option("--max-age", metavar="LEVEL=AGE", help="Oldest age allowed at the start."),
    ] = None,
) -> None:
    """Add a plan: --quota province=7 --quota district=13 --max-age district=35."""
    from doanfield import ledger
    from doanfield.models import PlanIn, validated

    targets = parse_pairs(quota, "--quota")
    ages = parse_pairs(max_age or [], "--max-age")
    unknown = sorted(set(ages) - set(targets))
    if unknown:
        raise bad_parameter(Msg.MAX_AGE_WITHOUT_QUOTA, param_hint="--max-age", level=unknown[0])
    data = validated(
        PlanIn,
        {
            "code": code,
            "year": year,
            "title": title,
            "quotas": [
                {"level": level, "target": target, "max_age": ages.get(level)}
                for level, target in targets.items()
            ],
        },
    )
    with writing(ctx) as session:
        ledger.add_plan(session, data)
    tell(ctx, Msg.PLAN_ADDED, code=data.code)


@app.command("list")
def list_(
    ctx: typer.Context, fmt: FormatOpt = OutputFormat.table, output: OutputOpt = None
) -> None:
    """List plans, one row per quota."""
    from doanfield import ledger, render
    from doanfield.columns import list_columns

    with reading(ctx) as session:
        rows = ledger.list_plans(session)
    render.rows_out(
        rows, list_columns("plans"), fmt, output, lang(ctx), "Plans", table_kind="plans"
    )
