"""Learner commands: study (the interactive loop), suspend, unsuspend, reset, config."""

from __future__ import annotations

import os
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
    console,
    display_for,
    resolve_lang,
    ui_lang,
)
from quiz.cli.prompt_input import Quit, Signalled, order_example, prepare_input, preview_prompt, read_line
from quiz.errors import UsageError


def _print_lines(lines: list[str], lang: str) -> None:
    from quiz.cli.status_cmds import _print_lines as print_lines

    print_lines(lines, lang)

if TYPE_CHECKING:

    from quiz.cli.options import Console  # rich lives in quiz.cli.options (and the renderers)
    from quiz.errors import DatabaseBusy
    from quiz.model import Bank
    from quiz.render import Display
    from quiz.session import Feedback, Presented, Session
    from quiz.workspace import Workspace


# --- quiz study ------------------------------------------------------------------------------------------------


def _busy(exc: DatabaseBusy, lang: str) -> str:
    """"Not saved: <why>. Type your answer again", the why in the interface's language."""
    from quiz.messages import say

    why = exc.message.removesuffix("; try again")
    if lang == "ar":
        from quiz.error_text import arabic

        why = arabic(why) or why
    return say("busy", lang, why=why)  # type: ignore[arg-type]


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
    from quiz import clock
    from quiz.session import Limits, new_session

    limit = None if limit_text is None else bounded_int(ctx, limit_text, "--limit", low=1)
    new = None if new_text is None else bounded_int(ctx, new_text, "--new", low=0)
    now = clock.now()
    the_bank = banks.valid()
    qlang = resolve_lang(lang)
    ui: str = "ar" if qlang == "ar" else "en"
    only = filters.ids(the_bank)
    out = console()
    seed = os.environ.get("QUIZ_SEED")
    import random

    rng = random.Random(int(seed)) if seed and seed.isdigit() else random.Random()
    with progress.workspace(the_bank, now) as ws:
        if ws.store.read_only:  # no answer could be saved: say so before the first question, not after it
            from quiz.errors import StoreError

            raise StoreError(f"{ws.store.path} is read-only; check the permissions of the file and its folder, "
                             "or pass --db with another path")
        settings = ws.settings
        display = display_for(qlang, bidi, out, settings.bidi)
        day, day_end = ws.day(now)
        limits = Limits(settings.new_per_day, settings.reviews_per_day, new, limit, settings.bury_siblings)
        session = new_session(
            ws.store, the_bank, ws.scheduler(), profile=ws.profile, lang=ui,  # type: ignore[arg-type]
            now=now, day=day, day_end=day_end, only=only, limits=limits, rng=rng,
            leech_lapses=settings.leech_threshold, both_languages=qlang == "both",
        )
        code = _run(session, ws, the_bank, display, out, ui, only)
    raise typer.Exit(code)


def _run(session: Session, ws: Workspace, bank: Bank, display: Display, out: Console, ui: str,
         only: list[str] | None) -> int:
    from quiz import clock
    from quiz.errors import StoreError
    from quiz.messages import humanize_delta, say

    prepare_input()
    if session.remaining() == 0:
        now = clock.now()
        next_due = ws.store.next_due(ws.profile, now, only=only)
        if next_due is None and not ws.store.new_questions(ws.profile, now, limit=1, only=only):
            out.print(display.line(say("nothing_at_all", ui)))  # type: ignore[arg-type]
        else:
            when = humanize_delta((next_due - now).total_seconds(), ui) if next_due else say("when.day", ui)  # type: ignore[arg-type]
            out.print(display.line(say("nothing_due", ui, when=when)))  # type: ignore[arg-type]
        return 0
    code = 0
    try:
        _loop(session, bank, display, out, ui)
    except Quit:
        code = 0
    except KeyboardInterrupt as exc:
        out.print()
        out.print(display.line(say("interrupted", ui), "yellow"))  # type: ignore[arg-type]
        code = exc.code if isinstance(exc, Signalled) else 130
    except StoreError:
        raise
    now = clock.now()
    _, day_end = ws.day(now)
    from datetime import timedelta

    from quiz.render import summary_panel

    summary = session.summary(now, day_end + timedelta(days=1))
    out.print(summary_panel(summary, display, ui))  # type: ignore[arg-type]
    return code


def _loop(session: Session, bank: Bank, display: Display, out: Console, ui: str) -> None:
    from quiz import clock
    from quiz.errors import DatabaseBusy
    from quiz.messages import say
    from quiz.model import Kind
    from quiz.render import echo_line, feedback_view, question_view
    from quiz.session import Invalid

    lang = ui
    first = True
    while True:
        presented = session.next_question(clock.now())
        if presented is None:
            out.print(display.line(say("all_done_today", lang), "bold green"))  # type: ignore[arg-type]
            return
        out.print()
        if first:
            out.print(display.line(say("first_hint", lang), "dim"))  # type: ignore[arg-type]
            first = False
        out.print(question_view(presented, bank, display))
        feedback: Feedback | None = None
        kind = presented.question.kind
        while feedback is None:
            key = "prompt.card" if kind is Kind.CARD else f"prompt.{kind.value}"
            reply = read_line(say(key, lang), display, out)  # type: ignore[arg-type]
            action = _key(reply)
            if action is not None:
                if _handle_key(action, session, display, out, lang, presented, f"help.{kind.value}"):
                    break
                continue
            if kind is Kind.CARD:
                out.print(feedback_view(None, presented, bank, display, reveal_only=True))
                outcome = _rate(session, display, out, lang, presented)
                if outcome is not None:
                    out.print(feedback_view(outcome, presented, bank, display, after_rating=True))
                break
            echo = echo_line(reply, display, lang)  # type: ignore[arg-type]
            if echo is not None:
                out.print(echo)
            try:
                result = session.answer(reply, clock.now())
            except DatabaseBusy as exc:  # still the current question: the learner answers it again
                out.print(display.line(_busy(exc, lang), "yellow"))
                continue
            if isinstance(result, Invalid):
                n = result.n or len(presented.question.items)
                example = " ".join(str(i) for i in order_example(n))
                out.print(display.line(say(result.reason, lang, n=result.n, example=example), "yellow"))  # type: ignore[arg-type]
                continue
            feedback = result
            out.print(feedback_view(feedback, presented, bank, display))
            _rate(session, display, out, lang, presented, feedback)


def _rate(session: Session, display: Display, out: Console, lang: str, presented: Presented,
          feedback: Feedback | None = None) -> Feedback | None:
    """The rating prompt, with each key's interval; u, s, q and ? work here too. A card (no `feedback` yet) is
    recorded with the rating chosen; an answer's suggested rating may be overridden."""
    from quiz import clock
    from quiz.errors import CardChanged, DatabaseBusy
    from quiz.messages import humanize_delta, say
    from quiz.model import Rating

    card = feedback is None
    while True:
        now = feedback.now if feedback is not None else clock.now()
        suggested = feedback.rating if feedback is not None else Rating.GOOD
        choice = read_line(preview_prompt(session, lang, suggested, now, card), display, out)
        action = _key(choice)
        if action == "q":
            raise Quit()
        if action == "?":
            out.print(display.line(say("help", lang)))  # type: ignore[arg-type]
            out.print(display.line(say("help.rate", lang), "dim"))  # type: ignore[arg-type]
            continue
        if action in ("u", "s"):
            if feedback is None and action == "u":
                # nothing of this card is recorded yet: undo takes back the answer before it
                _handle_key("u", session, display, out, lang, presented, "help.rate")
                return None
            _handle_key(action, session, display, out, lang, presented, "help.rate")
            return None
        text = choice.strip()
        if text == "" and feedback is not None:
            return feedback
        if text == "" or text in ("1", "2", "3", "4"):
            rating = Rating.GOOD if text == "" else Rating(int(text))
            if feedback is None:
                try:
                    return session.rate_card(rating, clock.now())
                except DatabaseBusy as exc:
                    out.print(display.line(_busy(exc, lang), "yellow"))
                    continue
            if rating == feedback.rating:
                return feedback
            try:
                feedback = session.rerate(rating, clock.now())
            except CardChanged:
                out.print(display.line(say("changed_elsewhere", lang), "yellow"))  # type: ignore[arg-type]
                return feedback
            if feedback.due:
                when = humanize_delta((feedback.due - feedback.now).total_seconds(), lang)  # type: ignore[arg-type]
            else:
                when = say("when.day", lang)  # type: ignore[arg-type]
            out.print(display.line(say("rated", lang, rating=say(f"rating.{int(rating)}", lang), when=when),  # type: ignore[arg-type]
                                   "dim"))
            return feedback
        out.print(display.line(say("invalid.rating", lang), "yellow"))  # type: ignore[arg-type]


def _key(reply: str) -> str | None:
    text = reply.strip().lower().replace("؟", "?")  # on an Arabic keyboard, the ? key types ؟
    return text if text in ("u", "s", "q", "?") else None


def _handle_key(action: str, session: Session, display: Display, out: Console, lang: str,
                presented: Presented, help_key: str) -> bool:
    """Act on u/s/q/?; True when the current question is gone (undone or skipped)."""
    from quiz import clock
    from quiz.messages import say

    if action == "q":
        raise Quit()
    if action == "?":
        out.print(display.line(say("help", lang)))  # type: ignore[arg-type]
        out.print(display.line(say(help_key, lang), "dim"))  # type: ignore[arg-type]
        return False
    if action == "s":
        session.skip(clock.now())
        out.print(display.line(say("skipped", lang), "yellow"))  # type: ignore[arg-type]
        return True
    from quiz.errors import CardChanged

    try:
        undone = session.undo(clock.now())
    except CardChanged:  # another session moved the card on: keep going, nothing changed
        out.print(display.line(say("changed_elsewhere", lang), "yellow"))  # type: ignore[arg-type]
        return False
    out.print(display.line(say("undone" if undone else "nothing_to_undo", lang), "yellow"))  # type: ignore[arg-type]
    return undone is not None


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
