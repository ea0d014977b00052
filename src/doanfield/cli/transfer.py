"""doanfield import, export and template: the committee's spreadsheets in and out."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from doanfield.cli.common import (
    ForceOpt,
    OutputOpt,
    bad_parameter,
    destination,
    lang,
    reading,
    tell,
    today,
    writing,
)
from doanfield.columns import FILE_KINDS, IMPORT_KINDS, KINDS
from doanfield.domain import CsvFormat, ExportFormat, OutputFormat
from doanfield.messages import Msg, text

if TYPE_CHECKING:
    from doanfield.bulk import ReadAhead

Kind = StrEnum("Kind", {k: k for k in KINDS})  # type: ignore[misc]
KindArg = Annotated[Kind, typer.Argument(metavar="KIND", help="The kind of records.")]
FileKind = StrEnum("FileKind", {k: k for k in FILE_KINDS})  # type: ignore[misc]
ImportKind = StrEnum("ImportKind", {k: k for k in IMPORT_KINDS})  # type: ignore[misc]
PROGRESS_FROM_BYTES = 4 << 20


@contextmanager
def _progress(path: Path, lang: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar for large files on a terminal; nothing when output is piped."""
    if not sys.stdout.isatty() or path.stat().st_size < PROGRESS_FROM_BYTES:
        yield None
        return
    from rich.progress import BarColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}", BarColumn(), TimeRemainingColumn()
    ) as bar:
        label = text(lang, Msg.READING, file=path.name)
        task = bar.add_task(label, total=path.stat().st_size)
        yield lambda done, total: bar.update(task, completed=done, total=total)


class _DryRun(Exception):
    """Raised after a dry run has done everything but commit, to roll it back."""


def import_file(
    ctx: typer.Context,
    kind: Annotated[
        ImportKind,
        typer.Argument(
            metavar="KIND", help="The kind of records; ledger: another doanfield ledger."
        ),
    ],
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help=(
                "CSV (UTF-8, UTF-16 or Windows-1258), Excel workbook (.xlsx) or JSON export; "
                "for ledger, a doanfield ledger file."
            ),
        ),
    ],
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", metavar="NAME", help="The workbook's sheet (default: the first)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count; write nothing.")
    ] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Change units and cadres already recorded; moves: replace a move of that day.",
        ),
    ] = False,
    new_level: Annotated[
        bool,
        typer.Option("--new-level", help="Units: levels not known or used yet are new levels."),
    ] = False,
    prefix: Annotated[
        str | None,
        typer.Option(
            "--prefix", metavar="P", help="Ledger: put P in front of every code from FILE."
        ),
    ] = None,
) -> None:
    """Import a CSV, Excel or JSON file; with any bad row (all are listed) nothing is written."""
    from doanfield import bulk

    # A large trips file: pyarrow reads it while the rest of doanfield loads (bulk.ReadAhead).
    ahead = bulk.read_ahead(file, sheet) if kind.value == "trips" else None
    try:
        _import_file(ctx, kind, file, sheet, dry_run, update, new_level, prefix, ahead)
    finally:
        if ahead is not None:
            ahead.close()


def _import_file(
    ctx: typer.Context,
    kind: ImportKind,
    file: Path,
    sheet: str | None,
    dry_run: bool,
    update: bool,
    new_level: bool,
    prefix: str | None,
    ahead: "ReadAhead | None",
) -> None:
    from doanfield import importer

    if new_level and kind.value != "units":
        raise bad_parameter(Msg.NEW_LEVEL_UNITS_ONLY, param_hint="--new-level")
    if not file.is_file():
        missing = Msg.NO_SUCH_FILE if not file.exists() else Msg.NOT_A_FILE
        raise bad_parameter(missing, param_hint="FILE", path=str(file))
    given = {"--sheet": sheet is not None, "--update": update, "--prefix": prefix is not None}
    for option, used in given.items():
        if used and (option == "--prefix") != (kind.value == "ledger"):
            raise bad_parameter(Msg.OPTION_NOT_FOR_KIND, option=option, kind=kind.value)
    if kind.value == "ledger":
        _import_ledger(ctx, file, _prefix(prefix), dry_run)
        return
    result = None
    try:
        bulk = kind.value == "trips"
        with writing(ctx, bulk=bulk) as session, _progress(file, lang(ctx)) as progress:
            result = importer.import_file(
                session, kind.value, file, update, progress, sheet, new_level, ahead
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    assert result is not None
    tell(
        ctx,
        Msg.IMPORT_DRY_RUN if dry_run else Msg.IMPORTED,
        file=file.name,
        added=result.added,
        updated=result.updated,
        skipped=result.skipped,
    )


def _prefix(value: str | None) -> str:
    """A prefix for codes: no spaces, nothing a code could not hold."""
    import re

    if value is None:
        return ""
    if not re.fullmatch(r"[\w.\-/]{1,20}", value):
        raise bad_parameter(Msg.PREFIX_NOT_A_CODE, param_hint="--prefix", value=value)
    return value


def _import_ledger(ctx: typer.Context, file: Path, prefix: str, dry_run: bool) -> None:
    """Another ledger's records, read from an upgraded copy in a folder of our own."""
    import tempfile

    from doanfield import engine, ledgerimport
    from doanfield.cli.common import app_context

    here = app_context(ctx).ledger(ctx.command_path)
    if here.is_sqlite and here.url.database and Path(here.url.database).resolve() == file.resolve():
        raise bad_parameter(Msg.LEDGER_IS_THIS_ONE, param_hint="FILE", path=str(file))
    merged = None
    with tempfile.TemporaryDirectory(prefix="doanfield-") as folder:
        copy = engine.private_copy(file, Path(folder))
        source = engine.open_ledger(copy, command=ctx.command_path)
        try:
            with writing(ctx, bulk=True) as session, source.read() as other:
                merged = ledgerimport.import_ledger(session, other, file.name, prefix)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        finally:
            source.engine.dispose()
    assert merged is not None
    counts = {f"{kind}s": n for kind, n in merged.added.items()}
    tell(
        ctx,
        Msg.LEDGER_IMPORT_DRY_RUN if dry_run else Msg.LEDGER_IMPORTED,
        file=file.name,
        skipped=sum(merged.skipped.values()),
        **counts,
    )
    lines = list(ledgerimport.policy_lines(merged))
    if lines:
        tell(ctx, Msg.LEDGER_POLICY_NOT_COPIED, file=file.name)
        for line in lines:
            tell(ctx, line)


def export(
    ctx: typer.Context,
    kind: KindArg,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="csv, json or xlsx.")
    ] = ExportFormat.csv,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Export records in the import's columns (CSV in UTF-8 with BOM, for Excel)."""
    fmt, target = destination(ctx, fmt, output, force)
    from doanfield import ledger, render
    from doanfield.columns import COLUMNS

    with reading(ctx) as session:
        if kind.value == "trips" and fmt.value == "csv" and target is not None:
            from doanfield import bulk
            from doanfield.cli.common import app_context

            here = app_context(ctx).ledger(ctx.command_path)
            if bulk.export_trips(session, here, target):
                return
        rows = ledger.records(session, kind.value, today(ctx))
        render.rows_out(
            rows,
            COLUMNS[kind.value],
            OutputFormat(fmt.value),
            target,
            lang(ctx),
            kind.value,
            bom=True,
        )


def template(
    ctx: typer.Context,
    kind: Annotated[FileKind, typer.Argument(metavar="KIND", help="The kind of records.")],
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Print the CSV header of KIND with one example row (or write it to --output FILE)."""
    _, target = destination(ctx, CsvFormat.csv, output, force)
    from doanfield import render

    text = render.template_text(kind.value, lang(ctx))
    render.write_text(text, target, bom=target is not None)
