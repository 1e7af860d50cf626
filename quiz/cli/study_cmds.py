"""Learner commands: study (the interactive loop), suspend, unsuspend, reset, config."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from quiz.cli.app import command
from quiz.cli.coercion import bounded_int
from quiz.cli.groups import Banks, Filters, Progress
from quiz.cli.options import (
    BidiOpt,
    LangOpt,
    UiLangOpt,
    complete_question,
    resolve_lang,
    ui_lang,
)
from quiz.errors import UsageError


def _print_lines(lines: list[str], lang: str) -> None:
    from quiz.cli.status_cmds import _print_lines as print_lines

    print_lines(lines, lang)

if TYPE_CHECKING:

    from quiz.model import Bank


# --- quiz study ------------------------------------------------------------------------------------------------


@command("study")
def study_cmd(
    ctx: typer.Context,
    filters: Filters = Filters(),
    # --limit and --new are ints checked by the command (`bounded_int`): an int option with `min=` would have Typer
    # import pydantic (~0.1 s) to coerce it. The help shows the range as Typer's did.
    limit_text: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--limit", metavar="N", help="At most N questions this session.  [x>=1]", show_default=False)] = None,
    new_text: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--new", metavar="N", help="At most N new questions this session (default: the daily limit).  [x>=0]",
        show_default=False)] = None,
    lang: LangOpt = None,
    bidi: BidiOpt = None,
    progress: Progress = Progress(),
    banks: Banks = Banks(),
) -> None:
    """Study: due reviews first, then a few new questions. Keys: u undo, s skip, q quit, ? help."""
    from quiz.cli.study_loop import study

    limit = None if limit_text is None else bounded_int(ctx, limit_text, "--limit", low=1)
    new = None if new_text is None else bounded_int(ctx, new_text, "--new", low=0)
    raise typer.Exit(study(lang=lang, bidi=bidi, db=progress.db, profile=progress.profile, bank=banks.bank,
                           no_builtin=banks.no_builtin, era=filters.era, kind=filters.kind, tag=filters.tag,
                           limit=limit, new=new))


if TYPE_CHECKING:
    pass


# --- suspend, unsuspend, reset, config ---------------------------------------------------------------------------


def _ids_exist(bank: Bank, ids: list[str]) -> None:
    from quiz.selection import find

    for qid in ids:
        find(bank, qid)


IdsArg = Annotated[list[str], typer.Argument(metavar="ID...", help="Question ids.", autocompletion=complete_question)]


def _suspend_command(name: str, value: bool, doc: str) -> None:
    """Register `quiz suspend` (value True) or `quiz unsuspend` (False)."""

    def suspend(ids: IdsArg, lang: UiLangOpt = None, progress: Progress = Progress(), banks: Banks = Banks()) -> None:
        _set_suspended(ids, value, progress, banks, lang)

    suspend.__doc__ = doc
    command(name)(suspend)


_suspend_command("suspend", True, "Stop scheduling questions until `quiz unsuspend`.")
_suspend_command("unsuspend", False, "Schedule suspended questions again.")


def _set_suspended(ids: list[str], value: bool, progress: Progress, banks: Banks, lang: str | None = None) -> None:
    from quiz import clock
    from quiz.messages import say

    ui = resolve_lang(lang, allow_both=False)
    now = clock.now()
    the_bank = banks.valid()
    _ids_exist(the_bank, ids)
    lines: list[str] = []
    changed = 0
    with progress.workspace(the_bank, now) as ws:
        for qid in dict.fromkeys(ids):
            if ws.store.flags(ws.profile, qid).suspended == value:
                lines.append(say("already_suspended" if value else "not_suspended", ui, id=qid))  # type: ignore[arg-type]
                continue
            ws.store.set_suspended(ws.profile, qid, value)
            changed += 1
    if changed or not lines:
        lines.append(say("questions.suspended" if value else "questions.unsuspended", ui, n=changed))  # type: ignore[arg-type]
    _print_lines(lines, ui)


@command("reset")
def reset_cmd(
    ids: Annotated[Optional[list[str]], typer.Argument(metavar="[ID...]", help="Question ids.",  # noqa: UP045
                                                       show_default=False)] = None,
    all_: Annotated[bool, typer.Option("--all", help="Reset every question of the profile.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    lang: UiLangOpt = None,
    progress: Progress = Progress(), banks: Banks = Banks(),
) -> None:
    """Make questions new again (their review history is kept)."""
    from quiz import clock
    from quiz.messages import say

    ui = resolve_lang(lang, allow_both=False)

    if not ids and not all_:
        raise UsageError("name question ids to reset, or pass --all")
    if ids and all_:
        raise UsageError("pass question ids or --all, not both")
    now = clock.now()
    the_bank = banks.valid()
    if ids:
        _ids_exist(the_bank, ids)
    with progress.workspace(the_bank, now) as ws:
        n = len(ids or [])
        what = f"all progress of profile '{ws.profile}'" if all_ else f"{n} question{'s' if n != 1 else ''}"
        if not yes:
            if not sys.stdin.isatty():
                raise UsageError(f"reset {what}: confirm with --yes (no terminal to ask on)")
            if not typer.confirm(f"Reset {what} to new? History is kept.", default=False):
                _print_lines([say("reset.nothing", ui)], ui)  # type: ignore[arg-type]
                return
        count = ws.store.reset(ws.profile, None if all_ else ids)
    _print_lines([say("questions.reset", ui, n=count)], ui)  # type: ignore[arg-type]


@command("config", context_settings={"ignore_unknown_options": True})
def config_cmd(
    key: Annotated[Optional[str], typer.Argument(help="A setting (omit to list them all).",  # noqa: UP045
                                                 show_default=False)] = None,
    value: Annotated[Optional[str], typer.Argument(help="A new value (omit to show the current one).",  # noqa: UP045
                                                   show_default=False)] = None,
    unset: Annotated[bool, typer.Option("--unset", help="Go back to the default value.")] = False,
    lang: UiLangOpt = None,
    progress: Progress = Progress(),
) -> None:
    """Show or change the profile's settings (daily limits, retention, steps)."""
    from quiz import clock
    from quiz.settings import SPEC, Settings, check
    from quiz.store import Store

    name = progress.name
    if key is not None and key not in SPEC:
        check(key, value or "")
    with Store.open(progress.path, now=clock.now()) as store:
        if key is None:
            current = Settings.from_store(store.settings(name)).as_text()
            from quiz.messages import say

            ui = ui_lang(lang)
            from quiz.messages import catalogue

            for k, (_, description) in SPEC.items():
                described = say(f"config.{k}", ui) if f"config.{k}" in catalogue() else description
                sys.stdout.write(f"{k} = {current[k]}    # {described}\n")
            return
        if unset:
            store.set_setting(name, key, None)
            from quiz.messages import say

            sys.stdout.write(f"{key} = {Settings().as_text()[key]} {say('config.default', ui_lang(lang))}\n")
            return
        if value is None:
            sys.stdout.write(f"{Settings.from_store(store.settings(name)).as_text()[key]}\n")
            return
        stored = check(key, value)
        store.ensure_profile(name)
        store.set_setting(name, key, stored)
        sys.stdout.write(f"{key} = {stored}\n")
