"""Options' values coerced without pydantic, for the kinds of option doanfield has.

Typer 0.29 coerces each option's value through a pydantic TypeAdapter, built when the option is
first used: importing pydantic (~50 ms) and building an adapter per option (~3 ms each) was a
tenth of a second of every command, a fifth of `report compliance` on the national ledger
(issue 12). doanfield's options are a parser of ours (dates, years, ids), plain text or one of
an Enum's values; those need no adapter: they are coerced here, with Typer's own choice rule
and messages. Any other kind of option goes to Typer's coercion as before.

This replaces one function of Typer's internals (`typer.core.build_runtime_param`), which is
why pyproject pins Typer to 0.29. tests/test_colreport.py checks that a report loads no pydantic,
tests/test_hard_edges.py the choices' messages; `db copy FILE` (a Path) is left to Typer.
"""

import functools
from dataclasses import dataclass
from enum import Enum
from typing import Any

import typer.core
from typer._coercion import RuntimeParam, TypeDescriptor
from typer._param_types import coerce_cli_choice

_typers_own = typer.core.build_runtime_param  # type: ignore[attr-defined]


@dataclass(frozen=True)
class _Parsed(RuntimeParam):
    """A value read by the option's own parser (cli/common.py), which says what is wrong."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        parser = self.parameter_info.parser
        assert parser is not None
        try:
            return parser(value)
        except ValueError as error:  # as Typer says it (our parsers raise BadParameter)
            raise typer.BadParameter(str(error), ctx=ctx, param=param) from None


@dataclass(frozen=True)
class _Typers(RuntimeParam):
    """Typer's own coercion, built when a value first needs it: Typer builds it for every
    option of the command, given or not (a flag left off, an --output not asked for)."""

    descriptor: TypeDescriptor

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if self.annotation is bool and isinstance(value, bool):
            return value
        return _built(self.descriptor)._coerce_value(value, param=param, ctx=ctx)


@functools.cache
def _built(descriptor: TypeDescriptor) -> RuntimeParam:
    return _typers_own(descriptor)


@dataclass(frozen=True)
class _Text(_Typers):
    """Text as given: the command line's arguments are already str."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, str):
            return value
        return super()._coerce_value(value, param, ctx)


@dataclass(frozen=True)
class _Choice(RuntimeParam):
    """One of an Enum's values, by Typer's own rule (case, token normalising, message)."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            return coerce_cli_choice(
                value,
                choices=list(self.annotation),
                case_sensitive=self.parameter_info.case_sensitive,
                ctx=ctx,
            )
        except ValueError as error:
            raise typer.BadParameter(str(error), ctx=ctx, param=param) from None


def runtime_param(descriptor: TypeDescriptor) -> RuntimeParam:
    """The coercion of one option: ours for a parser, text or an Enum, else Typer's (built
    when first used)."""
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if descriptor.file_annotation is None and not descriptor.is_list and not descriptor.is_tuple:
        if info.parser is not None:
            return _Parsed(info, annotation)
        if annotation is str:
            return _Text(info, annotation, descriptor)
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            return _Choice(info, annotation)
    return _Typers(info, annotation, descriptor)


def install() -> None:
    typer.core.build_runtime_param = runtime_param  # type: ignore[attr-defined]
