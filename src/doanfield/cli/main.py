"""The root command: global options, the sub-apps, and the one place errors become exit codes."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from doanfield import __version__
from doanfield.cli import (
    absence,
    assignment,
    cadre,
    db,
    plan,
    policy,
    report,
    transfer,
    trip,
    unit,
)
from doanfield.cli.common import AppContext, _date
from doanfield.domain import BadUsage, DoanfieldError
from doanfield.i18n import Lang, translate_error


def _fail(message: str, code: int, lang: str = "en") -> NoReturn:
    label = "lỗi" if lang == "vi" else "error"
    sys.stderr.write(f"doanfield: {label}: {translate_error(lang, message)}\n")
    sys.stderr.flush()
    sys.exit(code)


def _language(argv: list[str]) -> str:
    """--lang as the root command will read it, known even when parsing fails."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return os.environ.get("DOANFIELD_LANG", "en")


class DoanfieldGroup(TyperGroup):
    """Maps every error to one line on stderr and the spec's exit code (never a traceback)."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv
        lang = _language(argv)
        try:
            result = super().main(
                args=argv,
                prog_name=prog_name or "doanfield",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except typer.TyperException as error:  # Click's usage errors, vendored by Typer
            if type(error).__name__ == "NoArgsIsHelpError":  # a bare `doanfield` or `doanfield db`
                sys.stdout.write(error.format_message() + "\n")
                sys.exit(0)
            code = getattr(error, "exit_code", 2)
            context = getattr(error, "ctx", None)
            hint = f" (see '{context.command_path} --help')" if context is not None else ""
            _fail(f"{error.format_message()}{hint}", code, lang)
        except typer.Abort:
            _fail("aborted", 1, lang)
        except BadUsage as error:
            _fail(str(error), 2, lang)
        except DoanfieldError as error:
            if debug:
                raise
            _fail(error.in_language(lang), 1, lang)
        except KeyboardInterrupt:
            _fail("interrupted; nothing was changed", 130, lang)
        except Exception as error:
            if debug:
                raise
            _fail(_describe(error), 1, lang)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def _describe(error: Exception) -> str:
    """One line for an unexpected failure: what went wrong, never the data or a password."""
    if isinstance(error, OSError):
        where = f"'{error.filename}': " if error.filename else ""
        return f"{where}{error.strerror or error}"
    name = type(error).__name__
    if name == "OperationalError" and "locked" in str(error):
        return "the ledger is busy (another doanfield is writing); try again"
    first = str(error).splitlines()[0] if str(error) else ""
    return f"{name}: {first[:200]} (run with --debug for details)"


app = typer.Typer(
    cls=DoanfieldGroup,
    name="doanfield",
    help="A ledger of Youth Union cadres' grassroots time, and the union's compliance reports.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
)


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"doanfield {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="DOANFIELD_DB",
            metavar="PATH_OR_URL",
            help="Ledger file or SQLAlchemy URL (default: doanfield.db in the data directory).",
        ),
    ] = None,
    lang: Annotated[
        Lang,
        typer.Option("--lang", envvar="DOANFIELD_LANG", help="Language of tables and messages."),
    ] = Lang.en,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback when something fails.")
    ] = False,
    today: Annotated[
        date | None,
        typer.Option("--today", parser=_date, hidden=True, help="Pretend today is DATE."),
    ] = None,
) -> None:
    """A ledger of Youth Union cadres' grassroots time, and the union's compliance reports."""
    ctx.obj = AppContext(db=db, lang=lang.value, today=today or date.today(), debug=debug)
    ctx.call_on_close(ctx.obj.close)


RECORDS, REPORTS, FILES, LEDGER = "Records", "Reports", "Files", "Ledger"
app.add_typer(unit.app, name="unit", rich_help_panel=RECORDS)
app.add_typer(cadre.app, name="cadre", rich_help_panel=RECORDS)
app.add_typer(trip.app, name="trip", rich_help_panel=RECORDS)
app.add_typer(assignment.app, name="assignment", rich_help_panel=RECORDS)
app.add_typer(plan.app, name="plan", rich_help_panel=RECORDS)
app.add_typer(absence.app, name="absence", rich_help_panel=RECORDS)
app.add_typer(policy.app, name="policy", rich_help_panel=LEDGER)
app.add_typer(report.app, name="report", rich_help_panel=REPORTS)
app.add_typer(db.app, name="db", rich_help_panel=LEDGER)
app.command("import", rich_help_panel=FILES)(transfer.import_file)
app.command("export", rich_help_panel=FILES)(transfer.export)
app.command("template", rich_help_panel=FILES)(transfer.template)
app.command("log", rich_help_panel=LEDGER)(db.log)


def run() -> None:
    app()
