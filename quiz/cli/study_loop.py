"""The study session of `quiz study`: the loop of questions, answers, ratings and keys, and the summary. No Typer
here: the command (`quiz.cli.study_cmds.study_cmd`) and its fast path (`quiz.cli.quick_study`, which starts a
session without importing Typer) both call `study`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.cli.prompt_input import Quit, Signalled, order_example, prepare_input, preview_prompt, read_line
from quiz.cli.resolve import console, display_for, resolve_lang, valid_bank, workspace

if TYPE_CHECKING:
    from quiz.cli.options import Console  # rich lives in quiz.cli.options (and the renderers)
    from quiz.errors import DatabaseBusy
    from quiz.model import Bank
    from quiz.render import Display
    from quiz.session import Feedback, Presented, Session
    from quiz.workspace import Workspace


def _busy(exc: DatabaseBusy, lang: str) -> str:
    """"Not saved: <why>. Type your answer again", the why in the interface's language."""
    from quiz.messages import say

    why = exc.message.removesuffix("; try again")
    if lang == "ar":
        from quiz.error_text import arabic

        why = arabic(why) or why
    return say("busy", lang, why=why)  # type: ignore[arg-type]


def study(*, lang: str | None = None, bidi: str | None = None, db: Path | None = None, profile: str | None = None,
          bank: list[Path] | None = None, no_builtin: bool = False, era: str | None = None, kind: str | None = None,
          tag: str | None = None, limit: int | None = None, new: int | None = None) -> int:
    """A study session with the options of `quiz study` (their values read as Typer reads them); its exit status."""
    from quiz import clock
    from quiz.session import Limits, new_session

    now = clock.now()
    the_bank = valid_bank(bank, no_builtin)
    qlang = resolve_lang(lang)
    ui: str = "ar" if qlang == "ar" else "en"
    only = None
    if era is not None or kind is not None or tag is not None:
        from quiz.selection import select

        only = [q.id for q in select(the_bank, era=era, kind=kind, tag=tag)]
    out = console()
    seed = os.environ.get("QUIZ_SEED")
    import random

    rng = random.Random(int(seed)) if seed and seed.isdigit() else random.Random()
    with workspace(db, the_bank, profile, now) as ws:
        if ws.store.read_only:  # no answer could be saved: say so before the first question, not after it
            from quiz.errors import StoreError

            raise StoreError(f"{ws.store.path} is read-only; check the permissions of the file and its folder, "
                             "or pass --db with another path")
        settings = ws.settings
        display = display_for(qlang, bidi, out, settings.bidi)
        day, day_end = ws.day(now)
        limits = Limits(settings.new_per_day, settings.reviews_per_day, new, limit, settings.bury_siblings)
        # Default parameters need no check: FSRS (~25 ms of imports) waits until the first answer is graded.
        scheduler = ws.scheduler() if settings.parameters() is not None else _LaterScheduler(ws)
        session = new_session(
            ws.store, the_bank, scheduler, profile=ws.profile, lang=ui,  # type: ignore[arg-type]
            now=now, day=day, day_end=day_end, only=only, limits=limits, rng=rng,
            leech_lapses=settings.leech_threshold, both_languages=qlang == "both",
        )
        return _run(session, ws, the_bank, display, out, ui, only)


class _LaterScheduler:
    """The profile's scheduler (`Workspace.scheduler`), built when the session first uses it (a graded answer,
    a card's rating preview): the first question is on screen before quiz.scheduler, fsrs and hashlib are
    imported. Fitted parameters, which FSRS checks, have it built before the session starts, as they were."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._built: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._built is None:
            self._built = self._ws.scheduler()
        return getattr(self._built, name)


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
