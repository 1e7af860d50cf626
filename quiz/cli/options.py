"""What the commands share: their common options, and what those resolve to (the language, the display, the
bank, the workspace); the terminal (rich's console and progress bar: rich's one home in this package), and the
one way a command writes a line to stderr.

Heavy modules are imported inside the functions that need them, so that start-up stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from quiz.errors import UsageError

if TYPE_CHECKING:
    from datetime import datetime

    from rich.console import Console

    from quiz.authoring.add import BankContext
    from quiz.bank import LoadResult
    from quiz.errors import Problem
    from quiz.export import Progress as ExportProgress
    from quiz.model import Bank, Lang
    from quiz.render import Display
    from quiz.workspace import Workspace


def say_error(line: str) -> None:
    from quiz.safetext import for_message

    sys.stderr.write(for_message(line.rstrip("\n")) + "\n")  # bank text and paths: no escape reaches the terminal
    sys.stderr.flush()


def out(line: str = "") -> None:
    from quiz.safetext import for_message

    sys.stdout.write("\n".join(for_message(part) for part in line.split("\n")) + "\n")


def report_problems(problems: Sequence[Problem]) -> None:
    """Every problem on its own line on stderr: `Error: file:line: ...` for errors, `file:line: warning: ...`."""
    for problem in problems:
        say_error(f"Error: {problem}" if problem.severity == "error" else str(problem))


def value_option(flag: str, help: str, *, metavar: str | None = None, **extra: Any) -> Any:
    """A Typer option that takes a value and shows no default: left out, it falls back as its help says."""
    return typer.Option(flag, metavar=metavar, help=help, show_default=False, **extra)


MaybeStr = Optional[str]  # noqa: UP045 - typer needs Optional here on Python 3.10
MaybePath = Optional[Path]  # noqa: UP045
MaybePaths = Optional[list[Path]]  # noqa: UP045

BankOpt = Annotated[MaybePaths, value_option(
    "--bank", "A teacher's bank folder or file (repeatable); also QUIZ_BANKS.", metavar="DIR")]
NoBuiltinOpt = Annotated[bool, typer.Option("--no-builtin", help="Leave out the built-in bank.")]
LangOpt = Annotated[MaybeStr, value_option(
    "--lang", "ar, en or both (default: QUIZ_LANG, else the locale).", metavar="LANG")]
UiLangOpt = Annotated[MaybeStr, value_option(
    "--lang", "ar or en (default: QUIZ_LANG, else the locale; QUIZ_LANG=both shows the locale's language, else "
    "English).", metavar="LANG")]
"""--lang of the commands that show one language."""
BidiOpt = Annotated[MaybeStr, value_option(
    "--bidi", "auto, on or off: reorder Arabic for terminals that do not (also QUIZ_BIDI).", metavar="MODE")]


def _complete_era(ctx: typer.Context, incomplete: str) -> list[str]:
    from quiz.cli.completion_cmds import era_ids

    return era_ids(ctx, incomplete)


def complete_question(ctx: typer.Context, incomplete: str) -> list[str]:
    """Question ids for shell completion (`autocompletion=` of an ID argument)."""
    from quiz.cli.completion_cmds import question_ids

    return question_ids(ctx, incomplete)


EraOpt = Annotated[MaybeStr, value_option(
    "--era", "Only this era, by id: c19, world-wars, cold-war, post-soviet, putin-rise, crimea, ukraine-war in the "
    "built-in bank (a teacher's bank has its own: see `quiz list`).", metavar="ERA", autocompletion=_complete_era)]
KindOpt = Annotated[MaybeStr, value_option(
    "--kind", "Only this kind: choice, typed, truefalse, order, cloze or card.", metavar="KIND")]
TagOpt = Annotated[MaybeStr, value_option("--tag", "Only questions with this tag.", metavar="TAG")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for other tools.")]
DbOpt = Annotated[MaybePath, value_option(
    "--db", "The progress database (default: QUIZ_DB, else the user data folder).", metavar="PATH")]
ProfileOpt = Annotated[MaybeStr, value_option(
    "--profile", "Whose progress (default: QUIZ_PROFILE, else 'default').", metavar="NAME")]


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


def ui_lang(option: str | None) -> Lang:
    """The interface's language (`ar` or `en`) from --lang, QUIZ_LANG or the locale."""
    return "ar" if resolve_lang(option, allow_both=False) == "ar" else "en"


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
    from quiz.render import Display, guard_console
    from quiz.terminal import prepare

    display = Display.for_terminal(lang, resolve_bidi(bidi, setting), out.is_terminal, out.width)  # type: ignore[arg-type]
    if out.is_terminal and lang != "en":
        prepare(out.file, lang, display.reorder)
    return guard_console(out, display)


PROGRESS_FROM = 200
"""Exports of fewer items than this finish in a blink: no progress bar for them."""


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[ExportProgress | None]:
    """A rich progress bar on stderr while a large export is written; nothing when stderr is not a terminal."""
    err = console(stderr=True)
    if total < PROGRESS_FROM or not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err,
                  transient=True) as bar:
        task = bar.add_task(label, total=total)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


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


def teacher_context(bank: list[Path] | None, no_builtin: bool, extra: list[Path]) -> BankContext:
    """What a teacher's tool checks against: the teacher's banks (--bank, QUIZ_BANKS), the built-in one unless
    --no-builtin, and the `extra` files about to be written."""
    from quiz.authoring.add import bank_context
    from quiz.locations import teacher_banks

    teacher = teacher_banks(bank)
    if no_builtin and not teacher and not any(p.exists() for p in extra):
        raise UsageError("--no-builtin leaves no bank; add --bank DIR")
    return bank_context(teacher, builtin=not no_builtin, extra=extra)


def validate_args(folder: Path, alone: bool, bank: list[Path] | None, no_builtin: bool) -> str:
    """The arguments of a `quiz validate` that passes on a bank folder just written to: the folder by itself when
    its files are all its questions need (`alone`), else with the banks the command read (--bank, the built-in)."""
    import shlex

    from quiz.bank import shown_name

    shown = shlex.quote(shown_name(folder))
    if alone:
        return shown
    others = "".join(f" --bank {shlex.quote(str(b))}" for b in bank or () if shlex.quote(str(b)) != shown)
    return f"--bank {shown}{others}" + (" --no-builtin" if no_builtin else "")


@contextmanager
def workspace(db: Path | None, bank: Bank, profile: str | None, now: datetime) -> Iterator[Workspace]:
    """The profile's workspace on the database of --db (else QUIZ_DB, else the user data folder)."""
    from quiz.locations import database_path
    from quiz.workspace import open_workspace, profile_name

    ws = open_workspace(database_path(db), bank, profile_name(profile), now)
    try:
        yield ws
    finally:
        ws.close()
