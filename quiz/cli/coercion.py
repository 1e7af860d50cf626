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

from collections.abc import Callable
from pathlib import Path
from typing import Any


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
