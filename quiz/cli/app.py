"""The Typer app, its error handling and the options that commands share.

This is the only module that prints or reads input. Heavy modules are imported inside the commands that need
them so that `quiz --version` and `quiz due` start fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer
from typer.core import TyperGroup

from quiz import __version__
from quiz.errors import QuizError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from quiz.bank import LoadResult
    from quiz.model import Bank, Lang
    from quiz.render import Display

F = TypeVar("F", bound=Callable[..., Any])


def say_error(line: str) -> None:
    sys.stderr.write(line.rstrip("\n") + "\n")
    sys.stderr.flush()


HELP_ORDER = (
    "study", "due", "stats", "history", "suspend", "unsuspend", "reset", "config", "optimize",
    "export", "backup", "restore", "list", "show", "validate", "init-bank", "add", "import", "derive",
)


class QuizGroup(TyperGroup):
    """Turns every failure into one line on stderr: `Error: ...`, exit 1 (2 for bad usage). Its commands are
    built on first use (`_PENDING`, below)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commands = _LazyCommands(self.commands)
        for name, build in _PENDING.items():
            if name not in commands:
                dict.__setitem__(commands, name, _Recipe(build))
        # `--help` lists commands the way people meet them: learners' first, then exports, then teachers'.
        rank = {name: index for index, name in enumerate(HELP_ORDER)}
        ordered = _LazyCommands()
        for name in sorted(dict.keys(commands), key=lambda n: rank.get(n, len(rank))):
            dict.__setitem__(ordered, name, dict.__getitem__(commands, name))
        self.commands = ordered
        for param in self.params:
            _defaults_first(param)

    def get_help_option(self, ctx: Any) -> Any:
        return _defaults_first(super().get_help_option(ctx))

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except QuizError as exc:
            say_error(f"Error: {exc.line()}")
            sys.exit(exc.exit_code)
        except typer.Abort:
            say_error("Aborted.")
            sys.exit(1)
        except typer.TyperException as exc:
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            say_error(f"Error: {message}{hint}")
            sys.exit(getattr(exc, "exit_code", 2))
        except KeyboardInterrupt:
            say_error("Interrupted.")
            sys.exit(130)
        except OSError as exc:
            if os.environ.get("QUIZ_DEBUG"):
                raise
            say_error(f"Error: {exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
            sys.exit(1)
        except Exception as exc:  # a bug: say so in one line; QUIZ_DEBUG=1 shows the traceback
            if os.environ.get("QUIZ_DEBUG"):
                raise
            say_error(f"Error: internal error ({type(exc).__name__}: {exc}); please report it, and rerun with "
                 "QUIZ_DEBUG=1 to see the traceback")
            sys.exit(70)
        sys.exit(code if isinstance(code, int) else 0)


# --- start-up: build only the command that runs ----------------------------------------------------------------
# Typer turns every registered command into a Click command before it parses anything (~30 ms for the whole app)
# and coerces every option value, defaults included, through a pydantic TypeAdapter built on first use (importing
# pydantic alone costs ~0.1 s). `QuizTyper` keeps commands and sub-apps as recipes, `QuizGroup` builds a command
# when it is looked up (help lists build them all), and options left at their defaults skip coercion. Both fall
# back to Typer's own behaviour where its internals are not what they expect.

_PENDING: dict[str, Callable[[], Any]] = {}
"""Command name -> how to build its Click command, in registration order."""


class _LazyCommands(dict):  # type: ignore[type-arg]
    """The group's commands: names known at once, each Click command built on first use."""

    def _built(self, name: str, value: Any) -> Any:
        if isinstance(value, _Recipe):
            value = value.build()
            dict.__setitem__(self, name, value)
        return value

    def __getitem__(self, name: str) -> Any:
        return self._built(name, dict.__getitem__(self, name))

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return self._built(name, dict.get(self, name, default))

    def items(self) -> Any:  # type: ignore[override]
        return [(name, self[name]) for name in list(self.keys())]

    def values(self) -> Any:  # type: ignore[override]
        return [self[name] for name in list(self.keys())]


class _Recipe:
    def __init__(self, build: Callable[[], Any]) -> None:
        self.build = lambda: _skip_default_coercion(build())


def _skip_default_coercion(command: Any) -> Any:
    """Options left at their defaults skip Typer's pydantic coercion (see above); a command group's too."""
    for param in getattr(command, "params", ()):
        _defaults_first(param)
    original = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        return _defaults_first(original(ctx))

    command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        _skip_default_coercion(sub)
    return command


def _defaults_first(param: Any) -> Any:
    if getattr(param, "_runtime_param", 0) is None and hasattr(param, "type_descriptor"):
        try:
            from typer._coercion import build_runtime_param
        except ImportError:  # another Typer: keep its behaviour
            return param
        param._runtime_param = _DefaultsFirst(param, build_runtime_param)
    return param


class _DefaultsFirst:
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
                return self._path(value, annotation, info, param, ctx)
            if (getattr(annotation, "__origin__", None) is list and getattr(annotation, "__args__", ()) == (Path,)
                    and isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
                    and getattr(info, "path_type", None) is None):
                return [self._path(v, Path, info, param, ctx) for v in value]
        if self.real is None:
            self.real = self.build(param.type_descriptor)
            param._runtime_param = self.real
        return self.real.coerce(value, param=param, ctx=ctx)

    @staticmethod
    def _path(value: str, path_type: type, info: Any, param: Any, ctx: Any) -> Any:
        from typer._param_types import coerce_cli_path

        return coerce_cli_path(path_type(value), info, path_type=path_type, param=param, ctx=ctx)


class QuizTyper(typer.Typer):
    """The main app: commands and sub-apps are registered as recipes for `QuizGroup` (see above).

    Called as the console script (`quiz.cli.main`), it leaves without tearing the interpreter down: once the
    command is done, output flushed and exit handlers run, freeing every module and object one by one only
    delays the prompt (~30 ms for `quiz due`, seconds after a large bank). Tests invoke the Click command and
    are not affected."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            super().__call__(*args, **kwargs)
        except SystemExit as exc:
            _leave(exc.code)
        _leave(0)

    def command(self, name: str | None = None, **kwargs: Any) -> Callable[[F], F]:
        register = super().command(name, **kwargs)

        def lazily(fn: F) -> F:
            result = register(fn)
            info = self.registered_commands[-1]
            try:
                from typer.main import get_command_from_info, get_command_name
            except ImportError:
                return result
            self.registered_commands.pop()
            command_name = info.name or get_command_name(info.callback.__name__)  # type: ignore[union-attr]
            _PENDING[command_name] = lambda: get_command_from_info(
                info, pretty_exceptions_short=self.pretty_exceptions_short, rich_markup_mode=self.rich_markup_mode)
            return result

        return lazily

    def add_typer(self, typer_instance: typer.Typer, **kwargs: Any) -> None:
        super().add_typer(typer_instance, **kwargs)
        info = self.registered_groups[-1]
        try:
            import inspect

            from typer.main import get_group_from_info
        except ImportError:
            return
        if not isinstance(info.name, str) or not info.name:
            return
        self.registered_groups.pop()
        extra = {}
        if "suggest_commands" in inspect.signature(get_group_from_info).parameters:
            extra["suggest_commands"] = getattr(self, "suggest_commands", True)
        _PENDING[info.name] = lambda: get_group_from_info(
            info, pretty_exceptions_short=self.pretty_exceptions_short, rich_markup_mode=self.rich_markup_mode,
            **extra)


def _leave(code: object) -> None:
    """Exit with `code` as `sys.exit` would, but at once: streams flushed, atexit handlers run, no teardown."""
    import atexit

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        say_error(str(code))
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            status = status or 1
    atexit._run_exitfuncs()
    os._exit(status)


app = QuizTyper(
    cls=QuizGroup,
    add_completion=False,
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="A bilingual (Arabic/English) spaced-repetition quiz on timelines: the built-in bank, or a teacher's.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def command(name: str | None = None, *, group: typer.Typer | None = None, **kwargs: Any) -> Callable[[F], F]:
    """Register a command (on `group`, default the main app) whose QuizErrors become one line on stderr."""

    def register(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kw: Any) -> Any:
            try:
                return fn(*args, **kw)
            except QuizError as exc:
                say_error(f"Error: {exc.line()}")
                raise typer.Exit(exc.exit_code) from None

        (group or app).command(name, **kwargs)(wrapper)
        return fn

    return register


# --- shared options ---------------------------------------------------------------------------------------------

BankOpt = Annotated[
    Optional[list[Path]],  # noqa: UP045 - typer needs Optional here on Python 3.10
    typer.Option("--bank", metavar="DIR", help="A teacher's bank folder or file (repeatable); also QUIZ_BANKS.",
                 show_default=False),
]
NoBuiltinOpt = Annotated[bool, typer.Option("--no-builtin", help="Leave out the built-in bank.")]
LangOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--lang", metavar="LANG", help="ar, en or both (default: QUIZ_LANG, else the locale).",
                 show_default=False),
]
BidiOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--bidi", metavar="MODE",
                 help="auto, on or off: reorder Arabic for terminals that do not (also QUIZ_BIDI).",
                 show_default=False),
]
EraOpt = Annotated[Optional[str], typer.Option("--era", metavar="ERA", help="Only this era (id).", show_default=False)]  # noqa: UP045
KindOpt = Annotated[Optional[str], typer.Option("--kind", metavar="KIND", help="Only this kind.", show_default=False)]  # noqa: UP045
TagOpt = Annotated[Optional[str], typer.Option("--tag", metavar="TAG", help="Only questions with this tag.",  # noqa: UP045
                                               show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for other tools.")]
DbOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--db", metavar="PATH", help="The progress database (default: QUIZ_DB, else the user data folder).",
                 show_default=False),
]
ProfileOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--profile", metavar="NAME", help="Whose progress (default: QUIZ_PROFILE, else 'default').",
                 show_default=False),
]


def resolve_lang(option: str | None, *, allow_both: bool = True) -> Lang | str:
    """--lang, else QUIZ_LANG, else the locale: Arabic locales get `ar`, others `en`."""
    value = option or os.environ.get("QUIZ_LANG") or ""
    if not value:
        locale_name = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
        value = "ar" if locale_name.lower().startswith("ar") else "en"
    value = value.lower()
    if value == "both" and not allow_both and not option:
        # QUIZ_LANG=both (for `quiz study`): commands that show one language use the locale's, or English.
        locale_name = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
        value = "ar" if locale_name.lower().startswith("ar") else "en"
    allowed = ("ar", "en", "both") if allow_both else ("ar", "en")
    if value not in allowed:
        source = "--lang" if option else "QUIZ_LANG"
        raise UsageError(f"{source}: '{value}' is not a language; use " + ", ".join(allowed))
    return value


def resolve_bidi(option: str | None, setting: str | None = None) -> str:
    """--bidi, else QUIZ_BIDI, else the profile's `bidi` setting, else `auto` (see quiz.terminal)."""
    from quiz.terminal import MODES, BadMode

    for source, raw in (("--bidi", option), ("QUIZ_BIDI", os.environ.get("QUIZ_BIDI")), ("bidi setting", setting)):
        if raw:
            if raw.lower() not in MODES:
                raise UsageError(str(BadMode(source, raw)))
            return raw.lower()
    return "auto"


def console(stderr: bool = False) -> Console:
    from quiz.render import make_console

    return make_console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False)


def display_for(lang: str, bidi: str | None, out: Console, setting: str | None = None) -> Display:
    from quiz.render import Display
    from quiz.terminal import prepare

    display = Display.for_terminal(lang, resolve_bidi(bidi, setting), out.is_terminal, out.width)  # type: ignore[arg-type]
    if out.is_terminal and not display.reorder and lang != "en":
        prepare(out.file, lang)
    return display


def load(banks: list[Path] | None, no_builtin: bool) -> LoadResult:
    from quiz.bank import load_bank
    from quiz.locations import cache_dir, teacher_banks

    paths = teacher_banks(banks)
    if no_builtin and not paths:
        raise UsageError("--no-builtin leaves no bank; add --bank DIR")
    return load_bank(paths, builtin=not no_builtin, cache_dir=cache_dir())


def valid_bank(banks: list[Path] | None, no_builtin: bool) -> Bank:
    """The bank, or a QuizError naming the first error (and how many more) when it is broken."""
    from quiz.errors import BankError

    result = load(banks, no_builtin)
    if result.errors:
        raise BankError(list(result.errors))
    return result.bank


# --- commands ----------------------------------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        from quiz.terminal import choose

        try:
            layout = choose(None, is_terminal=sys.stdout.isatty()).describe()
        except ValueError as exc:
            layout = f"Arabic layout: {exc}"
        sys.stdout.write(f"quiz {__version__}\n{layout}\n")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Study every day with `quiz study`; see `quiz COMMAND --help` for each command."""
    if ctx.invoked_subcommand is None and _status_hook is not None:
        _status_hook()


_status_hook: Callable[[], None] | None = None
