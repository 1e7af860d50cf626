"""Where the learner stands: the bare `quiz` status, and `quiz due`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.cli.app import command
from quiz.cli.options import (
    BankOpt,
    DbOpt,
    EraOpt,
    JsonOpt,
    KindOpt,
    NoBuiltinOpt,
    ProfileOpt,
    TagOpt,
    UiLangOpt,
    console,
    display_for,
    filtered_ids,
    resolve_bidi,
    ui_lang,
    valid_bank,
    workspace,
)

if TYPE_CHECKING:
    from quiz.messages import Lang


def show_status(db: Path | None = None, profile: str | None = None, lang_option: str | None = None) -> None:
    """Bare `quiz`: today's status and a hint."""
    from quiz import clock
    from quiz.messages import humanize_delta, say
    from quiz.workspace import status

    now = clock.now()
    the_bank = valid_bank(None, False)
    lang = ui_lang(lang_option)
    with workspace(db, the_bank, profile, now) as ws:
        st = status(ws, now)
        setting = ws.settings.bidi
    out = console()
    display = display_for(lang, None, out, setting)
    out.print(display.line(say("status.due", lang, due=st.due, learning=st.learning, new=st.new)))
    out.print(display.line(say("status.streak", lang, streak=_days(st.streak, lang))))
    if st.next_due is not None and st.due + st.learning == 0:
        seconds = (st.next_due - now).total_seconds()
        out.print(display.line(say("status.next", lang, when=humanize_delta(seconds, lang))))
    out.print(display.line(say("status.hint", lang), "bold"))


def _days(n: int, lang: Lang) -> str:
    from quiz.messages import say

    return say("day", lang) if n == 1 else say("days", lang, n=n)


@command("due")
def due_cmd(
    as_json: JsonOpt = False,
    era: EraOpt = None,
    kind: KindOpt = None,
    tag: TagOpt = None,
    lang: UiLangOpt = None,
    db: DbOpt = None,
    profile: ProfileOpt = None,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """What is due today: reviews, learning, new questions, and when the next one comes."""
    from quiz import clock
    from quiz.workspace import status

    now = clock.now()
    the_bank = valid_bank(bank, no_builtin)
    only = filtered_ids(the_bank, era, kind, tag)
    with workspace(db, the_bank, profile, now) as ws:
        st = status(ws, now, only)
        setting = ws.settings.bidi
    if as_json:
        payload = {
            "profile": st.profile, "due": st.due, "new": st.new, "learning": st.learning,
            "next_due": None if st.next_due is None else st.next_due.isoformat().replace("+00:00", "Z"),
            "streak": st.streak,
        }
        import json

        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    from quiz.messages import humanize_delta, say

    ui = ui_lang(lang)
    lines = [say("status.due", ui, due=st.due, learning=st.learning, new=st.new)]
    if st.next_due is not None:
        lines.append(say("status.next", ui, when=humanize_delta((st.next_due - now).total_seconds(), ui)))
    _print_lines(lines, ui, setting)


def _print_lines(lines: list[str], lang: str, setting: str | None = None) -> None:
    """Short unstyled lines, as `console().print(display.line(...))` prints them: written directly when no
    Arabic reordering can apply and they fit the width (rich costs ~25 ms to import), through rich otherwise."""
    import shutil

    from quiz.render import clean, marked, may_reorder

    cleaned = [clean(line) for line in lines]
    width = shutil.get_terminal_size((80, 25)).columns
    mode = resolve_bidi(None, setting)
    if not may_reorder(mode, sys.stdout.isatty()) and all(len(line) < width and "\n" not in line for line in cleaned):  # type: ignore[arg-type]
        if sys.stdout.isatty() and lang != "en":  # the terminal lays out Arabic: well-formed paragraphs for it
            from quiz.terminal import detect, prepare

            prepare(sys.stdout, lang)
            if detect().marks:
                cleaned = [marked(line, rtl=lang == "ar") for line in cleaned]
        sys.stdout.write("".join(line + "\n" for line in cleaned))
        sys.stdout.flush()
        return
    out = console()
    display = display_for(lang, None, out, setting)
    for line in lines:
        out.print(display.line(line))
