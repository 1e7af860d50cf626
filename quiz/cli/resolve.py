"""What the commands resolve their common options to (the language, the layout, the console, the bank, the
workspace), without Typer: `quiz study`'s fast path (`quiz.cli.quick_study`) starts a session with these alone;
`quiz.cli.options` re-exports them beside the options themselves."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.errors import UsageError

if TYPE_CHECKING:
    from datetime import datetime

    from quiz.bank import LoadResult
    from quiz.bank.format import Begun
    from quiz.cli.options import Console  # rich lives in quiz.cli.options (and the renderers)
    from quiz.model import Bank, Lang
    from quiz.render import Display
    from quiz.workspace import Workspace


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


def load(banks: list[Path] | None, no_builtin: bool, begun: Begun | None = None) -> LoadResult:
    from quiz.bank import load_bank
    from quiz.locations import cache_dir, teacher_banks

    paths = teacher_banks(banks)
    if no_builtin and not paths:
        raise UsageError("--no-builtin leaves no bank; add --bank DIR")
    return load_bank(paths, builtin=not no_builtin, cache_dir=cache_dir(), begun=begun)


def valid_bank(banks: list[Path] | None, no_builtin: bool) -> Bank:
    """The bank, or a QuizError naming the first error (and how many more) when it is broken."""
    from quiz.errors import BankError

    result = load(banks, no_builtin)
    if result.errors:
        raise BankError(list(result.errors))
    return result.bank


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
