"""Backups of the progress database: `quiz backup [PATH]` and `quiz restore PATH`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from quiz.cli.app import command
from quiz.cli.options import DbOpt
from quiz.safetext import for_message


@command("backup")
def backup_cmd(
    path: Annotated[Optional[Path], typer.Argument(  # noqa: UP045
        metavar="PATH", help="Where to write the copy: a new file, or a folder (default: beside the database, "
        "named <database>.backup-<time>).", show_default=False)] = None,
    db: DbOpt = None,
) -> None:
    """Copy the progress database (safe while `quiz study` runs); restore it with `quiz restore`."""
    from quiz import backup, clock
    from quiz.locations import database_path

    written, info = backup.backup(database_path(db), path, clock.now())
    sys.stdout.write(for_message(f"Backed up {database_path(db)} to {written} ({info.describe()}).") + "\n")


@command("restore")
def restore_cmd(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A backup made by `quiz backup` (or a copy of a "
                                         "quiz database).", show_default=False)],
    db: DbOpt = None,
) -> None:
    """Replace the progress database with a checked backup; the current database is kept beside it."""
    from quiz import backup, clock
    from quiz.locations import database_path

    done = backup.restore(database_path(db), path, clock.now())
    line = f"Restored {done.db} from {done.source} ({done.info.describe()})"
    if done.kept is not None:
        what = "the damaged database was moved to" if done.damaged else "the previous database is kept as"
        line += f"; {what} {done.kept}"
    sys.stdout.write(for_message(line + ".") + "\n")
