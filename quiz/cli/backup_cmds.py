"""Backups of the progress database: `quiz backup [PATH]` and `quiz restore PATH`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from quiz.cli.app import command
from quiz.cli.options import DbOpt, UiLangOpt, ui_lang
from quiz.safetext import for_message

if TYPE_CHECKING:
    from quiz.messages import Lang
    from quiz.store import DatabaseInfo


def _what(info: DatabaseInfo, ui: Lang) -> str:
    from quiz.messages import say

    return f"{say('count.profiles', ui, n=info.profiles)}، {say('stats.answers', ui, n=info.reviews)}" if ui == "ar" \
        else info.describe()


@command("backup")
def backup_cmd(
    path: Annotated[Optional[Path], typer.Argument(  # noqa: UP045
        metavar="PATH", help="Where to write the copy: a new file, or a folder (default: beside the database, "
        "named <database>.backup-<time>).", show_default=False)] = None,
    db: DbOpt = None,
    lang: UiLangOpt = None,
) -> None:
    """Copy the progress database (safe while `quiz study` runs); restore it with `quiz restore`."""
    from quiz import backup, clock
    from quiz.locations import database_path
    from quiz.messages import say

    ui = ui_lang(lang)
    written, info = backup.backup(database_path(db), path, clock.now())
    sys.stdout.write(for_message(say("backup.done", ui, db=database_path(db), path=written, what=_what(info, ui)))
                     + "\n")


@command("restore")
def restore_cmd(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A backup made by `quiz backup` (or a copy of a "
                                         "quiz database).", show_default=False)],
    db: DbOpt = None,
    lang: UiLangOpt = None,
) -> None:
    """Replace the progress database with a checked backup; the current database is kept beside it."""
    from quiz import backup, clock
    from quiz.locations import database_path
    from quiz.messages import say

    ui = ui_lang(lang)
    done = backup.restore(database_path(db), path, clock.now())
    line = say("restore.done", ui, db=done.db, path=done.source, what=_what(done.info, ui))
    if done.kept is not None:
        line += say("restore.damaged" if done.damaged else "restore.kept", ui, kept=done.kept)
    sys.stdout.write(for_message(line + ".") + "\n")
