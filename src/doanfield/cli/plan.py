"""doanfield plan: a year's secondment plan with quotas per level."""

from typing import Annotated

import typer

from doanfield.cli.common import (
    YEARS,
    ForceOpt,
    FormatOpt,
    OutputOpt,
    destination,
    lang,
    parse_pairs,
    reading,
    tell,
    writing,
)
from doanfield.domain import OutputFormat
from doanfield.messages import Msg

app = typer.Typer(help="Add, correct and list secondment plans.", no_args_is_help=True)

LEVEL_WORDS = "LEVEL: province, district… or tỉnh, huyện, xã…"
CodeArg = Annotated[str, typer.Argument(metavar="CODE", help="e.g. 152-KH/TĐTN-TCKT.")]
TitleOpt = Annotated[str | None, typer.Option("--title", metavar="TEXT", help="Title.")]
MaxAgeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--max-age", metavar="LEVEL=AGE", help="Oldest age allowed at the assignment's start."
    ),
]


@app.command("add")
def add(
    ctx: typer.Context,
    code: CodeArg,
    year: Annotated[int, typer.Option("--year", parser=YEARS, metavar="YEAR")],
    quota: Annotated[
        list[str],
        typer.Option(
            "--quota",
            metavar="LEVEL=COUNT",
            help=f"Cadres to send from home units of LEVEL ({LEVEL_WORDS}).",
        ),
    ],
    title: TitleOpt = "",
    max_age: MaxAgeOpt = None,
) -> None:
    """Add a plan: --quota province=7 --quota district=13 --max-age district=35."""
    from doanfield import ledger

    targets = parse_pairs(quota, "--quota")
    ages = parse_pairs(max_age or [], "--max-age")
    with writing(ctx) as session:
        data = ledger.plan_input(session, code, year, title or "", targets, ages)
        ledger.add_plan(session, data)
    tell(ctx, Msg.PLAN_ADDED, code=data.code)


@app.command("edit")
def edit(
    ctx: typer.Context,
    code: CodeArg,
    year: Annotated[int | None, typer.Option("--year", parser=YEARS, metavar="YEAR")] = None,
    title: TitleOpt = None,
    quota: Annotated[
        list[str] | None,
        typer.Option(
            "--quota",
            metavar="LEVEL=COUNT",
            help="Set or replace the quota of LEVEL (its age limit stays).",
        ),
    ] = None,
    max_age: MaxAgeOpt = None,
    drop: Annotated[
        list[str] | None,
        typer.Option("--drop", metavar="LEVEL", help="Drop the quota of LEVEL."),
    ] = None,
    no_max_age: Annotated[
        list[str] | None,
        typer.Option("--no-max-age", metavar="LEVEL", help="Drop the age limit of LEVEL."),
    ] = None,
) -> None:
    """Correct a plan: its year or title; set, replace or drop a level's quota or age limit."""
    from doanfield import ledger

    targets = parse_pairs(quota or [], "--quota")
    ages = parse_pairs(max_age or [], "--max-age")
    with writing(ctx) as session:
        changed = ledger.edit_plan(
            session,
            code,
            {"year": year, "title": title},
            targets,
            ages,
            drop or [],
            no_max_age or [],
        )
    tell(ctx, Msg.PLAN_UPDATED if changed else Msg.PLAN_UNCHANGED, code=code)


@app.command("list")
def list_(
    ctx: typer.Context,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """List plans, one row per quota."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import ledger, render
    from doanfield.columns import list_columns

    with reading(ctx) as session:
        rows = ledger.list_plans(session)
    render.rows_out(
        rows, list_columns("plans"), fmt, target, lang(ctx), "Plans", table_kind="plans"
    )
