"""Start-up: the lazy command group builds every command from the module `COMMANDS` names, and the shortcut of
`quiz.cli.coercion` gives what Typer's own coercion gives, for every option of every command: options not
given, defaults, text, paths and lists of paths."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
import typer.main
from typer._coercion import build_runtime_param

import quiz.cli
from quiz.cli import app
from quiz.cli.app import _REGISTERED, COMMANDS
from quiz.cli.coercion import DefaultsFirst


def _params() -> Iterator[tuple[str, Any]]:
    """(command, parameter) for every parameter of every command and subcommand, the app's own included."""
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    yield "quiz", group.get_help_option(ctx)
    for param in group.params:
        yield "quiz", param
    for name in group.list_commands(ctx):  # type: ignore[attr-defined]
        command = group.get_command(ctx, name)  # type: ignore[attr-defined]
        subs = [command.get_command(ctx, sub) for sub in command.list_commands(ctx)] \
            if hasattr(command, "list_commands") else [command]
        for sub in subs:
            yield f"{name} {sub.name}", sub.get_help_option(ctx)
            for param in sub.params:
                yield f"{name} {sub.name}", param


def _outcome(coerce: Any, given: object, param: Any) -> object:
    try:
        return coerce(given, param=param, ctx=None)
    except Exception as exc:  # noqa: BLE001 - the same failure is expected
        return (type(exc), str(exc))


def _typers(param: Any) -> Any:
    """Typer's own coercion of `param`, as Typer builds it."""
    return build_runtime_param(param.type_descriptor)


def test_every_command_is_registered_by_the_module_the_table_names_and_no_other() -> None:
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    for name, module in COMMANDS.items():
        command = group.get_command(ctx, name)  # type: ignore[attr-defined]
        assert command is not None, name
        subs = [command.get_command(ctx, sub) for sub in command.list_commands(ctx)] \
            if hasattr(command, "list_commands") else [command]
        for sub in subs:
            assert sub.callback is not None and sub.callback.__module__ == module, (name, sub.callback)
    assert group.list_commands(ctx) == list(COMMANDS)  # type: ignore[attr-defined]
    for module in Path(quiz.cli.__file__).parent.glob("*_cmds.py"):  # no command left out of the table
        importlib.import_module(f"quiz.cli.{module.stem}")
    assert set(_REGISTERED) == set(COMMANDS)


def test_every_parameter_gets_the_shortcut() -> None:
    """No parameter that Typer would coerce was missed: the app's, every command's, subcommands', help options."""
    seen = 0
    for where, param in _params():
        if hasattr(param, "type_descriptor"):
            assert isinstance(getattr(param, "_runtime_param", None), DefaultsFirst), (where, param.name)
            seen += 1
    assert seen > 100


def test_options_not_given_and_defaults_coerce_as_typer_would() -> None:
    checked = 0
    for where, param in _params():
        fast = getattr(param, "_runtime_param", None)
        if not isinstance(fast, DefaultsFirst):
            continue
        real = _typers(param)
        for given in (None, param.default):
            expected = _outcome(real.coerce, given, param)
            got = _outcome(DefaultsFirst(param, build_runtime_param).coerce, given, param)
            assert got == expected and type(got) is type(expected), (where, param.name, given)
            checked += 1
    assert checked > 100


def test_options_given_coerce_as_typer_would_without_pydantic(tmp_path: Path) -> None:
    """The start-up shortcut for option values (text, paths, lists of paths) gives what Typer's own coercion
    gives, for every such option of every command."""
    (tmp_path / "a file").write_text("x")
    values = ["plain", "", str(tmp_path / "a file"), str(tmp_path), str(tmp_path / "missing" / "x.db"), "ä/ب"]
    checked = 0
    for where, param in _params():
        fast = getattr(param, "_runtime_param", None)
        if not isinstance(fast, DefaultsFirst):
            continue
        real = _typers(param)
        for value in values:
            given = [value, value] if (param.multiple or param.nargs == -1) else value
            expected = _outcome(real.coerce, given, param)
            got = _outcome(DefaultsFirst(param, build_runtime_param).coerce, given, param)
            assert got == expected and type(got) is type(expected), (where, param.name, value)
            checked += 1
    assert checked > 50
