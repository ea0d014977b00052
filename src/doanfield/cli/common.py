"""What every command shares: the context object, option bundles, and the ledger opener.

Only stdlib and Typer are imported here, so `doanfield --help` stays fast.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from doanfield.dates import MAX_DAY, MIN_DAY, BadDate, parse_date
from doanfield.domain import MAX_ID, BadUsage, OutputFormat, whole_number
from doanfield.messages import Message, Msg, message

if TYPE_CHECKING:
    from sqlmodel import Session

    from doanfield.engine import Ledger
    from doanfield.outfile import Output


# The console script's start-up (cli.main.run): Typer, pydantic, SQLAlchemy and SQLModel make
# some 300,000 objects that live as long as the process. The cyclic collector would walk them
# again and again while they are made, and once more, all of them, when the process ends:
# about a fifth of a `trip list`. So it is off while they are made, and they are then frozen
# (gc.freeze: never walked again); what the command makes afterwards is collected as usual.
_starting = False


def starting_up() -> None:
    """Called by the console script before anything heavy is imported."""
    global _starting
    _starting = gc.isenabled()
    if _starting:
        gc.disable()


def started() -> None:
    """The long-lived modules are in: freeze them and let the collector run again."""
    global _starting
    if _starting:
        _starting = False
        gc.freeze()
        gc.enable()


@dataclass
class AppContext:
    """Built once by the root command from --db, --lang and --today; handed down in ctx.obj."""

    db: str | None
    lang: str
    today: date
    debug: bool = False
    _ledger: Ledger | None = field(default=None, repr=False)

    def ledger(self, command: str, upgrade: bool = True) -> Ledger:
        """The ledger, opened once; an older schema is upgraded unless `upgrade` is False."""
        from doanfield.engine import open_ledger
        from doanfield.schema import default_ledger_path

        started()
        if self._ledger is None:
            target = self.db or default_ledger_path()
            self._ledger = open_ledger(
                target,
                command=command,
                make_folder=self.db is None,
                upgrade=upgrade,
                on_wait=lambda: _say_waiting(self.lang),
            )
        return self._ledger

    def ledger_file(self) -> Path | None:
        """The ledger's file (a SQLite ledger), which no output may replace; None for a server."""
        if self.db is None:
            from doanfield.schema import default_ledger_path

            return default_ledger_path()
        if "://" not in self.db:
            return Path(self.db).expanduser()
        from doanfield.engine import sqlite_file

        return sqlite_file(self.db)

    def close(self) -> None:
        if self._ledger is not None:
            self._ledger.engine.dispose()
            self._ledger = None


def _say_waiting(lang: str) -> None:
    from doanfield.engine import waiting_message

    sys.stderr.write(f"doanfield: {waiting_message().text(lang)}\n")
    sys.stderr.flush()


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext)
    return obj


@contextmanager
def writing(ctx: typer.Context, bulk: bool = False) -> Iterator[Session]:
    """One transaction for the whole command; nothing is kept if it fails."""
    context = app_context(ctx)
    with context.ledger(ctx.command_path).write(bulk=bulk) as session:
        session.info["today"] = context.today  # a birth date "in the future" is after this
        yield session


@contextmanager
def reading(ctx: typer.Context) -> Iterator[Session]:
    context = app_context(ctx)
    with context.ledger(ctx.command_path).read() as session:
        session.info["today"] = context.today  # lists show postings and parents as of today
        yield session


def lang(ctx: typer.Context) -> str:
    return app_context(ctx).lang


def today(ctx: typer.Context) -> date:
    return app_context(ctx).today


def tell(ctx: typer.Context, key: Msg | Message, /, **values: Any) -> None:
    """Say on stdout, in the user's language, that something was done."""
    from doanfield import render

    render.say(message(key, values).text(lang(ctx)))


def bad_parameter(
    key: Msg | Message, /, param_hint: str | None = None, **values: Any
) -> typer.BadParameter:
    """A usage error (exit 2) about one option's value, said in the user's language."""
    said = message(key, values)
    error = typer.BadParameter(str(said), param_hint=param_hint)
    error.said = said  # type: ignore[attr-defined]  # read by cli/main.py
    return error


def _date(value: str) -> date:
    try:
        return parse_date(value)
    except BadDate as error:
        raise bad_parameter(error.message) from None


DATE_HELP = "Date as 19/02/2024 or 2024-02-19."


def date_option(flag: str, help: str, required: bool = False) -> Any:
    """A day-first date option; an impossible date is a usage error naming the value."""
    default = ... if required else None
    return typer.Option(default, flag, parser=_date, metavar="DATE", help=f"{help} {DATE_HELP}")


def whole(low: int, high: int) -> Callable[[str | int], int]:
    """The parser of a whole-number option or argument: ASCII digits from `low` to `high`
    (an id beyond any record's, `３` or `1_000` is one usage line naming the value)."""

    def parse(value: str | int) -> int:
        if isinstance(value, int):  # the option's default
            return value
        number = whole_number(value)
        if number is None or not low <= number <= high:
            raise bad_parameter(Msg.NOT_WHOLE_IN_RANGE, value=value, low=low, high=high)
        return number

    return parse


# The #id of a record (`trip remove ID`): no record has a larger one.
RECORD_ID = whole(1, MAX_ID)
# A year a report, a plan or a policy value may name (the days dates.py bounds).
YEARS = whole(MIN_DAY.year, MAX_DAY.year)


FormatOpt = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output: table for people; csv, json, xlsx for files."),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of the screen."),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace FILE if it exists (never the ledger).")
]
FILE_FORMATS = ("csv", "json", "xlsx")
E = TypeVar("E", bound=Enum)


def destination(
    ctx: typer.Context, fmt: E, output: Path | None, force: bool = False
) -> tuple[E, Output | None]:
    """The format and the file of a command's --format/--output/--force, checked up front.

    With --output and no --format, the file's extension (.csv, .json, .xlsx) gives the format;
    a --format that contradicts it is a usage error, as is an extension the command cannot
    write. The file is checked before any work (outfile.py: never the ledger, never a device,
    an existing file only with --force) and written whole at the end.
    """
    from doanfield.outfile import Output

    if output is None:
        return fmt, None
    target = Output(
        output,
        force,
        app_context(ctx).ledger_file(),
        written=lambda path: tell(ctx, Msg.FILE_WRITTEN, file=str(path)),
    )
    wanted = target.suffix if target.suffix in FILE_FORMATS else None
    offered = type(fmt)
    source = ctx.get_parameter_source("fmt")
    given = source is not None and source.name != "DEFAULT"
    if wanted is not None and given and fmt.value != wanted:
        raise BadUsage(
            Msg.FORMAT_CONTRADICTS_FILE, format=fmt.value, path=str(output), extension=wanted
        )
    if wanted is not None and not given:
        if wanted not in offered.__members__:
            raise BadUsage(
                Msg.FORMAT_NOT_OFFERED,
                format=wanted,
                path=str(output),
                offered=", ".join(offered.__members__),
            )
        fmt = offered[wanted]
    target.check()
    return fmt, target


YearOpt = Annotated[
    int | None,
    typer.Option("--year", metavar="YEAR", parser=YEARS, help="Only this year."),
]
ReportYearOpt = Annotated[
    int,
    typer.Option("--year", metavar="YEAR", parser=YEARS, help="The year to report."),
]
UnitOpt = Annotated[
    str | None,
    typer.Option("--unit", metavar="CODE", help="Only this unit and every unit below it."),
]
CadreOpt = Annotated[str | None, typer.Option("--cadre", metavar="CODE", help="Only this cadre.")]
AsOfOpt = Annotated[
    date | None,
    typer.Option(
        "--as-of",
        parser=_date,
        metavar="DATE",
        help="Judge statuses as of DATE (default: 31 Dec of the year, or today if earlier).",
    ),
]


def parse_pairs(values: list[str], option: str) -> dict[str, int]:
    """`LEVEL=NUMBER` pairs of --quota and --max-age."""
    pairs: dict[str, int] = {}
    for value in values:
        level, sep, number = value.partition("=")
        count = whole_number(number)
        if not sep or not level.strip() or count is None:
            raise bad_parameter(Msg.NOT_A_PAIR, param_hint=option, value=value)
        pairs[level.strip()] = count
    return pairs


def word_option(flag: str, column: str, help: str) -> Any:
    """An option taking a word of the vocabulary (`--kind "theo chuyên đề"`); gives the code.

    An unknown word is a usage error listing the accepted words in the user's language.
    """
    from doanfield.vocabulary import BY_COLUMN, UnknownWord

    words = BY_COLUMN[column]

    def parse(value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return words.parse(value)
        except UnknownWord as error:
            raise bad_parameter(error.message) from None

    metavar = column.upper()
    shown = f"{help} {', '.join(words.codes)}, or the Vietnamese words."
    return typer.Option(None, flag, callback=parse, metavar=metavar, help=shown)


# `trip report` and `assignment report` take the same options.
ReportTextOpt = Annotated[
    str | None, typer.Option("--text", metavar="TEXT", help="The report itself.")
]
ReportFileOpt = Annotated[
    Path | None,
    typer.Option("--file", metavar="PATH", help="Read the report from a text file."),
]


def report_date_option() -> Any:
    return date_option("--date", "Date of the report.", required=True)


def report_text(text: str | None, file: Path | None) -> str:
    """The report of `trip report` / `assignment report`: --text, or the text of --file."""
    if (text is None) == (file is None):
        raise BadUsage(Msg.TEXT_OR_FILE)
    if text is not None:
        return text
    from doanfield.reading import read_text

    assert file is not None
    return read_text(file)
