"""The Typer app: the one error boundary, and a command group that builds only the command that runs.

This package is the only place that prints or reads input. Every command module registers its commands with
`command` (below); `COMMANDS` says which module registers which command, so that a command's module is imported,
and its Click command built, only when it is used (Click's lazy-loading pattern: `list_commands` and
`get_command` of the group). Heavy modules are imported inside the commands that need them, so that
`quiz --version` and `quiz due` start fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal, TypeVar

import typer
import typer.main
from typer.core import TyperGroup

from quiz import __version__
from quiz.cli.coercion import defaults_first, skip_default_coercion
from quiz.cli.options import DbOpt, ProfileOpt, UiLangOpt, say_error
from quiz.errors import QuizError

F = TypeVar("F", bound=Callable[..., Any])

COMMANDS: dict[str, str] = {
    # `--help` lists commands the way people meet them: learners' first, then exports, then teachers'.
    "study": "quiz.cli.study_cmds",
    "due": "quiz.cli.status_cmds",
    "stats": "quiz.cli.stats_cmds",
    "history": "quiz.cli.stats_cmds",
    "suspend": "quiz.cli.study_cmds",
    "unsuspend": "quiz.cli.study_cmds",
    "reset": "quiz.cli.study_cmds",
    "config": "quiz.cli.study_cmds",
    "optimize": "quiz.cli.stats_cmds",
    "export": "quiz.cli.export_cmds",
    "backup": "quiz.cli.backup_cmds",
    "restore": "quiz.cli.backup_cmds",
    "completion": "quiz.cli.completion_cmds",
    "list": "quiz.cli.bank_cmds",
    "show": "quiz.cli.bank_cmds",
    "validate": "quiz.cli.bank_cmds",
    "init-bank": "quiz.cli.teach_cmds",
    "add": "quiz.cli.add_cmds",
    "import": "quiz.cli.teach_cmds",
    "derive": "quiz.cli.teach_cmds",
}
"""Command name -> the module that registers it, in `--help` order."""

TYPER_SETTINGS: dict[str, Any] = {"add_completion": False, "pretty_exceptions_enable": False, "rich_markup_mode": None}
"""What every Typer app of quiz is: no completion options of Typer's own (`quiz completion` prints the script), no
pretty tracebacks (the app's boundary says each failure in one line), plain help text."""
HELP_OPTIONS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}
"""The context settings of the app and its command groups: -h as well as --help."""

_REGISTERED: dict[str, typer.Typer] = {}
"""Command name -> the Typer app holding that one command (or a group's sub-app), filled by `command` and
`command_group` as each command module is imported."""


def command(name: str, *, group: typer.Typer | None = None, **kwargs: Any) -> Callable[[F], F]:
    """Register a command of the main app (or of a sub-app `group`): its QuizErrors, like every command's,
    become one line on stderr at the app's boundary (`QuizGroup.main`); its option groups (`Banks`, `Progress`,
    `Filters`, `Report` of quiz.cli.groups) are shown to Typer as their options."""

    def register(fn: F) -> F:
        from quiz.cli.groups import expand_groups

        if group is not None:
            group.command(name, **kwargs)(expand_groups(fn))
            return fn
        single = typer.Typer(**TYPER_SETTINGS)
        single.command(name, **kwargs)(expand_groups(fn))
        _REGISTERED[name] = single
        return fn

    return register


def command_group(name: str, sub_app: typer.Typer) -> typer.Typer:
    """Register `sub_app` as the command group `name` of the main app."""
    _REGISTERED[name] = sub_app
    return sub_app


def build(name: str) -> Any:
    """The Click command `name`, its module imported; None for a name that is no command."""
    module = COMMANDS.get(name)
    if module is None:
        return None
    importlib.import_module(module)
    from quiz.cli.helptext import plain_help

    return plain_help(skip_default_coercion(typer.main.get_command(_REGISTERED[name])))


class QuizGroup(TyperGroup):
    """The main command group: commands are built on first use (`COMMANDS`), and every failure becomes one line
    on stderr, `Error: ...`, with exit status 1 (2 for bad usage): the app's one error boundary."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            defaults_first(param)

    def list_commands(self, ctx: Any) -> list[str]:
        eager = [name for name in super().list_commands(ctx) if name not in COMMANDS]
        return [*COMMANDS, *eager]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands:
            built = build(cmd_name)
            if built is not None:
                self.add_command(built, cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in COMMANDS:  # an unknown name: every command built, for "Did you mean ...?"
            for name in COMMANDS:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def get_help_option(self, ctx: Any) -> Any:
        return defaults_first(super().get_help_option(ctx))

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        if os.environ.get("_QUIZ_COMPLETE"):  # the shell asks for completions: only then is Typer's set up
            from typer._completion_classes import completion_init

            completion_init()
            complete_var = "_QUIZ_COMPLETE"
            for name in COMMANDS:  # every command built: options and arguments complete too
                self.get_command(None, name)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except (Exception, KeyboardInterrupt) as exc:
            sys.exit(failed(exc, args))
        sys.exit(code if isinstance(code, int) else 0)


def failed(exc: BaseException, args: Sequence[str] | None) -> int:
    """The app's error boundary: `exc` said in one line on stderr (`Error: ...`); the exit status (1, 2 for bad
    usage, 130 for Ctrl-C, 70 for a bug). QUIZ_DEBUG=1 raises OS errors and bugs instead, with their traceback.
    Also `quiz study`'s fast path's boundary (`quiz.cli.quick_study`)."""
    if isinstance(exc, QuizError):
        _say_error(args, f"Error: {exc.line()}", exc.message, where=exc.where, hint=exc.hint)
        return exc.exit_code
    if isinstance(exc, typer.Abort):
        _say_error(args, "Aborted.", "Aborted.", prefix=False)
        return 1
    if isinstance(exc, typer.TyperException):
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        ctx = getattr(exc, "ctx", None)
        see = f"see '{ctx.command_path} --help'" if ctx is not None else None
        _say_error(args, f"Error: {message}" + (f" ({see})" if see else ""), message, hint=see)
        return int(getattr(exc, "exit_code", 2))
    if isinstance(exc, KeyboardInterrupt):
        _say_error(args, "Interrupted.", "Interrupted.", prefix=False)
        return 130
    if os.environ.get("QUIZ_DEBUG"):
        raise exc
    if isinstance(exc, OSError):
        reason = str(exc.strerror or exc)
        _say_error(args, f"Error: {reason}" + (f": {exc.filename}" if exc.filename else ""), reason,
                   where=None, suffix=f": {exc.filename}" if exc.filename else "")
        return 1
    message = (f"internal error ({type(exc).__name__}: {exc}); please report it, and rerun with "
               "QUIZ_DEBUG=1 to see the traceback")
    _say_error(args, f"Error: {message}", message)
    return 70


def _say_error(args: Sequence[str] | None, english: str, message: str, *, where: str | None = None,
               hint: str | None = None, prefix: bool = True, suffix: str = "") -> None:
    """Write the error line `english`, or its Arabic (quiz.error_text) when the interface language is Arabic and
    every part of the message has an Arabic text; Arabic is laid out by quiz where the terminal needs it."""
    if _interface_lang(args) == "ar":
        try:
            from quiz.error_text import arabic, error_line

            line = error_line(message, where=where, hint=hint) if prefix else arabic(message)
            if line is not None:
                _say_arabic(args, line + suffix)
                return
        except Exception:  # the English line is always there to say it
            pass
    say_error(english)


def _option(args: Sequence[str] | None, name: str, *, unless_after: str | None = None) -> str | None:
    """The value of the option `name` on the command line (the last one given), read before Click parses it."""
    tokens = list(sys.argv[1:] if args is None else args)
    value = None
    for index, token in enumerate(tokens):
        if token == "--":
            break
        if unless_after is not None and token == unless_after:
            break  # `quiz import --lang ar` names the language of the imported file, not the interface's
        if token.startswith(name + "="):
            value = token.split("=", 1)[1]
        elif token == name and index + 1 < len(tokens):
            value = tokens[index + 1]
    return value


def _interface_lang(args: Sequence[str] | None) -> str:
    """The interface language errors are shown in: --lang, else QUIZ_LANG, else the locale (as `ui_lang`; `both`
    and anything unknown show the locale's language, or English)."""
    value = (_option(args, "--lang", unless_after="import") or os.environ.get("QUIZ_LANG") or "").lower()
    if value in ("ar", "en"):
        return value
    locale_name = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "ar" if locale_name.lower().startswith("ar") else "en"


def _say_arabic(args: Sequence[str] | None, line: str) -> None:
    """Write the Arabic error `line` on stderr as the commands show Arabic (`quiz.cli.options.display_for`, without
    rich): reshaped, wrapped and reordered where quiz lays it out, each line then guarded where the terminal has
    a bidi of its own (an override in Konsole and mlterm, VTE's explicit mode); marked where the terminal lays it
    out. The mode is the app's: --bidi, QUIZ_BIDI, the profile's `bidi` setting, else `auto`."""
    from quiz.safetext import for_message

    is_terminal = sys.stderr.isatty()
    mode = _bidi_mode(args, is_terminal)
    if mode == "off" and not is_terminal:  # captured output: the line as it is, without quiz.render
        say_error(line)
        return
    import shutil

    from quiz.render import Display, marked, visual
    from quiz.terminal import detect, guarded, prepare

    terminal = detect()
    width = shutil.get_terminal_size().columns
    display = Display.for_terminal("ar", mode, is_terminal, width)
    text = for_message(line)  # paths and bank text: no escape reaches the terminal
    if display.reorder:
        text = visual(text, width - (terminal.guard_cells if display.guard else 0), "R")
    elif display.marks:
        text = marked(text, rtl=True)
    if is_terminal:
        prepare(sys.stderr, "ar", display.reorder)
    stream = guarded(sys.stderr, terminal) if display.guard else sys.stderr
    stream.write(text + "\n")
    sys.stderr.flush()


def _bidi_mode(args: Sequence[str] | None, is_terminal: bool) -> Literal["on", "off"]:
    """Who lays out the error line, as `quiz.terminal.choose` says for the rest of the app; a bad --bidi or
    QUIZ_BIDI (which may be the very error shown) is left out."""
    from quiz.terminal import choose

    option = _option(args, "--bidi")
    setting = None if option or os.environ.get("QUIZ_BIDI") else _saved_bidi(args)
    try:
        return choose(option, setting, is_terminal=is_terminal).mode
    except ValueError:
        env = {key: value for key, value in os.environ.items() if key != "QUIZ_BIDI"}
        try:
            return choose(None, setting, is_terminal=is_terminal, env=env).mode
        except ValueError:
            return choose(None, None, is_terminal=is_terminal, env=env).mode


def _saved_bidi(args: Sequence[str] | None) -> str | None:
    """The profile's saved `bidi` setting, read as `quiz due`'s fast path reads settings (`quiz.cli.quick`: bare
    sqlite3, here read-only, nothing created or upgraded), or None: no database, not a regular SQLite file, busy,
    no such profile or setting."""
    import sqlite3
    import stat
    from pathlib import Path

    from quiz.locations import database_path

    try:
        db = _option(args, "--db")
        path = database_path(Path(db) if db else None).resolve()
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a FIFO would block the open
        with open(path, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                return None
        profile = _option(args, "--profile") or os.environ.get("QUIZ_PROFILE") or "default"
        conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True, timeout=0.2)
        try:
            row = conn.execute("SELECT s.value FROM settings s JOIN profiles p ON p.id = s.profile_id "
                               "WHERE p.name = ? AND s.key = 'bidi'", (profile,)).fetchone()
        finally:
            conn.close()
    except (OSError, ValueError, sqlite3.Error):
        return None
    return None if row is None else str(row[0])


class QuizTyper(typer.Typer):
    """The main app. Called as the console script (`quiz.cli.main`), it leaves without tearing the interpreter
    down: once the command is done, output flushed and exit handlers run, freeing every module and object one by
    one only delays the prompt (~30 ms for `quiz due`, seconds after a large bank). Tests invoke the Click
    command and are not affected."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            super().__call__(*args, **kwargs)
        except SystemExit as exc:
            _leave(exc.code)
        _leave(0)


def _leave(code: object) -> None:
    """Exit with `code` as `sys.exit` would, but at once (`quiz.cli.quick.exit_now`)."""
    from quiz.cli.quick import exit_now

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        say_error(str(code))
        status = 1
    exit_now(status)


app = QuizTyper(
    cls=QuizGroup,
    no_args_is_help=False,
    invoke_without_command=True,
    help="A bilingual (Arabic/English) spaced-repetition quiz on timelines: the built-in bank, or a teacher's.",
    context_settings=HELP_OPTIONS,
    **TYPER_SETTINGS,
)


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
    db: DbOpt = None,
    profile: ProfileOpt = None,
    lang: UiLangOpt = None,
) -> None:
    """Study every day with `quiz study`; see `quiz COMMAND --help` for each command."""
    if ctx.invoked_subcommand is None:
        from quiz.cli.status_cmds import show_status

        show_status(db, profile, lang)
        return
    # Given before a command (`quiz --profile ana study`), they hold for it as their environment variables do.
    for variable, value in (("QUIZ_DB", db), ("QUIZ_PROFILE", profile), ("QUIZ_LANG", lang)):
        if value is not None:
            os.environ[variable] = str(value)
