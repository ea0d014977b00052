"""The root command: global options, the sub-apps, and the one place errors become exit codes."""

import gc
import os
import re
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
    coercion,
    db,
    helptext,
    plan,
    policy,
    report,
    transfer,
    trip,
    unit,
)
from doanfield.cli.common import AppContext, _date, starting_up
from doanfield.domain import BadUsage, DoanfieldError, Said
from doanfield.i18n import Lang
from doanfield.messages import Message, Msg, os_reason


def _fail(said: Said | Message, code: int, lang: str = "en") -> NoReturn:
    """One line (and, for a file, one per bad row) on stderr, then the spec's exit code."""
    body = said.text(lang)
    sys.stderr.write(Msg.ERROR_LINE(message=Message(None, raw=body)).text(lang) + "\n")
    sys.stderr.flush()
    sys.exit(code)


# Click's own complaints about a value (choices, integers, ranges), to be said again in Vietnamese.
_CLICK_VALUES: list[tuple[re.Pattern[str], Msg]] = [
    (re.compile(r"^(?P<value>.*?) is not one of (?P<known>.*)\.$", re.S), Msg.CHOICE_NOT_ONE_OF),
    (re.compile(r"^(?P<value>.*?) is not a valid integer\.$", re.S), Msg.NOT_AN_INTEGER),
    (re.compile(r"^(?P<value>\S+) is not in the range (?P<range>.*)\.$", re.S), Msg.NOT_IN_RANGE),
    (re.compile(r"^Input should be a valid integer"), Msg.NOT_WHOLE),
    (re.compile(r"^Input should be greater than or equal to (?P<low>\S+)$"), Msg.AT_LEAST),
    (re.compile(r"^Input should be less than or equal to (?P<high>\S+)$"), Msg.AT_MOST),
]
_CLICK_USAGE: list[tuple[re.Pattern[str], Msg]] = [
    (
        re.compile(r"^No such command '(?P<name>.*?)'\.(?: Did you mean '(?P<guess>.*)'\?)?$"),
        Msg.NO_SUCH_COMMAND,
    ),
    (re.compile(r"^Option '(?P<option>.*)' requires an argument\.$"), Msg.NEEDS_VALUE),
    (re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$", re.S), Msg.EXTRA_ARGUMENTS),
]


def _with_hint(said: Message, hint: Message | str) -> Message:
    return Msg.WITH_HINT(message=said, hint=hint)


def _recognised(text: str, patterns: list[tuple[re.Pattern[str], Msg]]) -> Message:
    text = text.removeprefix("Value error, ")
    for pattern, key in patterns:
        if match := pattern.match(text):
            values = match.groupdict()
            for name in ("value", "name", "option"):
                if name in values:
                    values[name] = values[name].strip("'")
            if "guess" in values:
                guess = values.pop("guess")
                values["hint"] = Msg.DID_YOU_MEAN(code=guess) if guess else ""
            return key(**values)
    return Message(None, raw=text)


def _usage_message(error: typer.TyperException) -> Message:
    """A usage error of Click (vendored by Typer) as a catalogue message."""
    kind = type(error).__name__
    said = getattr(error, "said", None)
    inner = said if isinstance(said, Message) else None
    text = str(getattr(error, "message", "")) or str(error)
    param = getattr(error, "param", None)
    hint = getattr(error, "param_hint", None)
    if hint is None and param is not None:
        hint = param.get_error_hint()
    if isinstance(hint, list | tuple):
        hint = " / ".join(repr(h) for h in hint)
    if kind == "MissingParameter":
        param_type = str(
            getattr(error, "param_type", None) or getattr(param, "param_type_name", "")
        )
        noun = {"option": Msg.OPTION, "argument": Msg.ARGUMENT}.get(str(param_type), Msg.PARAMETER)
        return Msg.MISSING_PARAM(kind=noun, param=hint or "")
    if isinstance(error, typer.BadParameter):
        problem = inner or _recognised(text, _CLICK_VALUES)
        return (
            Msg.BAD_VALUE_FOR(param=hint, problem=problem)
            if hint
            else Msg.BAD_VALUE(problem=problem)
        )
    if kind == "NoSuchOption":
        possible = getattr(error, "possibilities", None)
        options = Msg.POSSIBLE_OPTIONS(options=sorted(possible)) if possible else ""
        return Msg.NO_SUCH_OPTION(option=getattr(error, "option_name", text), possible=options)
    return inner or _recognised(text, _CLICK_USAGE)


def _language(argv: list[str]) -> str:
    """--lang as the root command will read it, known even when parsing fails."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return os.environ.get("DOANFIELD_LANG", "en")


def _is_text(arg: str) -> bool:
    """An argument Python could decode: no lone surrogates standing for undecodable bytes."""
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _escaped(arg: str) -> str:
    """An undecodable argument shown as its bytes, `\xff`."""
    raw = arg.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace")


class _Interrupted(Exception):
    """Ctrl-C while a command ran; Typer would turn a KeyboardInterrupt into a silent exit 130."""


class DoanfieldGroup(TyperGroup):
    """Maps every error to one line on stderr and the spec's exit code (never a traceback)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _Interrupted from None

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
        for number, arg in enumerate(argv, start=1):
            if not _is_text(arg):  # bytes that are no UTF-8 (`report plan $'\xff'`)
                _fail(Msg.ARGUMENT_NOT_TEXT(n=number, shown=_escaped(arg)), 2, lang)
        for name in ("DOANFIELD_DB", "DOANFIELD_LANG"):
            if not _is_text(value := os.environ.get(name, "")):
                _fail(Msg.VARIABLE_NOT_TEXT(name=name, shown=_escaped(value)), 2, lang)
        helptext.prepare(self, lang)
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
            hint = Msg.SEE_HELP(command=context.command_path) if context is not None else ""
            _fail(_with_hint(_usage_message(error), hint), code, lang)
        except typer.Abort:
            _fail(Msg.ABORTED(), 1, lang)
        except BadUsage as error:
            _fail(error, 2, lang)
        except DoanfieldError as error:
            if debug:
                raise
            _fail(error, 1, lang)
        except (KeyboardInterrupt, _Interrupted):
            _fail(Msg.INTERRUPTED(), 130, lang)
        except Exception as error:
            if debug:
                raise
            _fail(_describe(error), 1, lang)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def _describe(error: Exception) -> Message:
    """One line for an unexpected failure: what went wrong, never the data or a password."""
    if isinstance(error, OSError):
        if error.filename:
            return Msg.FILE_CANNOT_OPEN(path=str(error.filename), reason=os_reason(error))
        return os_reason(error)
    name = type(error).__name__
    if name == "OperationalError" and "locked" in str(error):
        return Msg.BUSY()
    first = str(error).splitlines()[0] if str(error) else ""
    return Msg.UNEXPECTED(name=name, detail=first[:200])


coercion.install()
app = typer.Typer(
    cls=DoanfieldGroup,
    name="doanfield",
    help="A ledger of Youth Union cadres' grassroots time, and the union's compliance reports.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion / --show-completion, Typer's way
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


def utf8_output() -> None:
    """Vietnamese out whatever the console's code page: stdout and stderr in UTF-8.

    Python writes redirected output in the locale's encoding, cp1258 on Vietnamese Windows,
    which has no ễ: `cadre list --format csv > x.csv` failed half-way. Files get the BOM that
    Excel wants (render.py); the screen and a pipe get plain UTF-8.
    """
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            # Text that is no UTF-8 (a file name's undecodable bytes) is shown as \xff escapes
            # rather than failing the whole command.
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def run() -> None:
    starting_up()
    utf8_output()
    try:
        app()
    finally:
        # The command is done and its ledger closed (root's call_on_close). What is left is
        # Python's teardown, whose collections walk every object loaded on the way (SQLAlchemy,
        # pydantic, Typer): 0.15-0.2 s of a national import. Frozen, the objects are still
        # freed as their references go, only not walked again.
        gc.freeze()
