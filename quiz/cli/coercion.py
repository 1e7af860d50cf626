"""Start-up: option values that need no conversion skip Typer's pydantic coercion.

Typer coerces every option value, defaults included, through a pydantic TypeAdapter built on first use; importing
pydantic alone costs ~0.1 s, more than the rest of `quiz due`. This module, the only one that touches Typer's
private names (`typer._coercion`, `typer._param_types` and a parameter's `_runtime_param`), lets the usual values
through as Typer would return them: None for an option not given, an unconstrained int, str or bool default,
text, and paths (through Typer's own path checks). Anything else goes to Typer's own coercion. Where Typer's
internals are not what this expects it changes nothing; `tests/test_cli_coercion.py` compares it with Typer's
own behaviour, and pyproject.toml bounds typer below its next minor version.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

_INTEGER = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?")
"""What Typer's coercion (pydantic, lax mode) reads as an int: ASCII digits, `_` between them, a zero fraction."""
_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
          "\u2028\u2029\u202f\u205f\u3000")
"""Unicode's White_Space, which pydantic strips (Python's `str.strip` also strips \\x1c-\\x1f)."""


def bounded_int(ctx: Any, value: str, option: str, low: int | None = None, high: int | None = None) -> int:
    """`value` of the int option `option` (`--days`) as Typer would coerce an int option with `min=low` and
    `max=high`: the same value, or the same message as a usage error (exit 2). An int option with limits would
    have Typer import pydantic (~0.1 s) to coerce it; declared as text and read by this, it needs none."""
    import typer

    text = value.strip(_SPACE)
    if not _INTEGER.fullmatch(text):
        problem = "Input should be a valid integer, unable to parse string as an integer"
    else:
        number = int(text.split(".")[0])
        if low is not None and number < low:
            problem = f"Input should be greater than or equal to {low}"
        elif high is not None and number > high:
            problem = f"Input should be less than or equal to {high}"
        else:
            return number
    raise typer.BadParameter(problem, ctx=ctx, param_hint=f"'{option}'")


def skip_default_coercion(command: Any) -> Any:
    """`command` (and a group's subcommands), its options and its help option made to skip needless coercion."""
    for param in getattr(command, "params", ()):
        defaults_first(param)
    original = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        return defaults_first(original(ctx))

    command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        skip_default_coercion(sub)
    return command


def defaults_first(param: Any) -> Any:
    """`param`, its coercion replaced by `DefaultsFirst` when Typer would build its own on first use."""
    if getattr(param, "_runtime_param", 0) is None and hasattr(param, "type_descriptor"):
        try:
            from typer._coercion import build_runtime_param
        except ImportError:  # another Typer: keep its behaviour
            return param
        param._runtime_param = DefaultsFirst(param, build_runtime_param)
    return param


class DefaultsFirst:
    """Typer's runtime coercion of one parameter, built only for a value that needs it: None (an option not
    given) and an unconstrained int, str or bool default pass through unchanged, as Typer would return them."""

    def __init__(self, param: Any, build: Callable[[Any], Any]) -> None:
        self.param = param
        self.build = build
        self.real: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:
            return () if (param.multiple or param.nargs == -1) else None
        descriptor = param.type_descriptor
        info = descriptor.parameter_info
        annotation = descriptor.annotation
        if getattr(info, "parser", None) is None and not isinstance(value, bytes):
            if (value is param.default and type(value) in (int, str, bool) and annotation is type(value)
                    and getattr(info, "min", None) is None and getattr(info, "max", None) is None):
                return value
            # The usual values, as Typer's adapters make them, without pydantic: text, and paths (through
            # Typer's own checks, given a Path already so that it needs no pydantic conversion).
            if annotation is str and type(value) is str:
                return value
            if isinstance(annotation, type) and issubclass(annotation, Path) and isinstance(value, str) \
                    and getattr(info, "path_type", None) is None:
                try:
                    return self._path(value, annotation, param, ctx)
                except _NoShortcut:
                    pass
            if (getattr(annotation, "__origin__", None) is list and getattr(annotation, "__args__", ()) == (Path,)
                    and isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
                    and getattr(info, "path_type", None) is None):
                try:
                    return [self._path(v, Path, param, ctx) for v in value]
                except _NoShortcut:
                    pass
        return self._typer(value, param, ctx)

    def _typer(self, value: Any, param: Any, ctx: Any) -> Any:
        if self.real is None:
            self.real = self.build(param.type_descriptor)
            param._runtime_param = self.real
        return self.real.coerce(value, param=param, ctx=ctx)

    def _path(self, value: str, path_type: type, param: Any, ctx: Any) -> Any:
        try:
            from typer._param_types import coerce_cli_path
        except ImportError:  # another Typer: its own coercion
            raise _NoShortcut() from None
        info = param.type_descriptor.parameter_info
        return coerce_cli_path(path_type(value), info, path_type=path_type, param=param, ctx=ctx)


class _NoShortcut(Exception):
    pass
