"""doanfield db and log: the ledger itself."""

from pathlib import Path
from typing import Annotated

import typer

from doanfield.cli.common import (
    ForceOpt,
    FormatOpt,
    OutputOpt,
    app_context,
    destination,
    lang,
    reading,
    tell,
    whole,
)
from doanfield.domain import MAX_ID, DoanfieldError, OutputFormat, capped
from doanfield.messages import Message, Msg

app = typer.Typer(help="Where the ledger is, and keeping it sound.", no_args_is_help=True)


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print where the ledger is."""
    from doanfield import render
    from doanfield.engine import safe_url, to_url
    from doanfield.schema import default_ledger_path

    target = app_context(ctx).db
    render.say(
        safe_url(to_url(target))
        if target and "://" in target
        else str(Path(target).expanduser() if target else default_ledger_path())
    )


@app.command("check")
def check(ctx: typer.Context) -> None:
    """Check the ledger; print nothing and exit 0 when it is sound."""
    from doanfield import changelog
    from doanfield import ledger as records
    from doanfield.outfile import leftovers

    context = app_context(ctx)
    store = context.ledger(ctx.command_path)
    problems = store.check_storage()
    with store.read() as session:
        session.info["today"] = context.today
        problems += records.consistency_problems(session)
        clashes = [clash.message for clash in records.contradictions(session)]
        clashes += records.days_out_of_range(session)
        log_problems = changelog.problems(session.connection())
    lines = [Message(None, raw=problem) for problem in problems] + clashes + log_problems
    if store.path is not None:  # writes beside the ledger that never finished (a killed backup)
        lines += [Msg.LEFTOVER_TEMPORARY(path=str(p)) for p in leftovers(store.path.parent)]
    if lines:
        shown = capped(lines, Msg.CHECK_MORE)
        raise DoanfieldError(Msg.LEDGER_PROBLEMS, count=len(lines), details=shown)


@app.command("backup")
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A new file for the copy.")],
    force: ForceOpt = False,
) -> None:
    """Copy the ledger, consistently, into a new private file."""
    from doanfield.outfile import Output

    context = app_context(ctx)
    target = Output(file, force, context.ledger_file(), over_backups=True)
    target.check()
    context.ledger(ctx.command_path).backup(target)
    tell(ctx, Msg.BACKED_UP, file=str(file))


@app.command("copy")
def copy(
    ctx: typer.Context,
    target: Annotated[
        str,
        typer.Argument(
            metavar="TARGET", help="An empty ledger: a new SQLite file or a PostgreSQL URL."
        ),
    ],
) -> None:
    """Copy the whole ledger (records, change log, policy) into an empty one, and check it."""
    from doanfield.ledgercopy import copy_to

    context = app_context(ctx)
    source = context.ledger(ctx.command_path)
    copies, shown = copy_to(source, target, ctx.command_path, context.ledger_file())
    rows = sum(c.rows for c in copies)
    tell(ctx, Msg.COPY_DONE, rows=rows, tables=len(copies), target=shown)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring the ledger's schema up to this version (a backup is kept first)."""
    from doanfield import engine

    before, after = engine.upgrade(app_context(ctx).ledger(ctx.command_path, upgrade=False))
    if before == after:
        tell(ctx, Msg.SCHEMA_CURRENT, revision=after)
    else:
        tell(ctx, Msg.SCHEMA_UPGRADED, before=before or Msg.NONE, after=after)


def log(
    ctx: typer.Context,
    limit: Annotated[
        int, typer.Option("--limit", parser=whole(1, MAX_ID), help="How many entries.")
    ] = 20,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Show the change log, newest first."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import ledger, render

    with reading(ctx) as session:
        rows = ledger.change_log(session, limit)
    render.log(rows, fmt, target, lang(ctx))
