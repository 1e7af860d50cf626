"""What the commands share: their common options, and what those resolve to (the language, the display, the
bank, the workspace); the terminal (rich's console and progress bar: rich's one home in this package), and the
one way a command writes a line to stderr.

Heavy modules are imported inside the functions that need them, so that start-up stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from quiz.cli.resolve import console as console
from quiz.cli.resolve import display_for as display_for
from quiz.cli.resolve import load as load
from quiz.cli.resolve import resolve_bidi as resolve_bidi
from quiz.cli.resolve import resolve_lang as resolve_lang
from quiz.cli.resolve import ui_lang as ui_lang
from quiz.cli.resolve import valid_bank as valid_bank
from quiz.cli.resolve import workspace as workspace
from quiz.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console  # noqa: F401 - the type commands name (rich's home in this package)

    from quiz.authoring.add import BankContext
    from quiz.errors import Problem
    from quiz.export import Progress as ExportProgress


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


