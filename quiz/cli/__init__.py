"""The `quiz` command: parse options, make one call, render the result.

Each module of this package registers its commands on the one Typer app. This package is the only place that
prints or reads input; heavy modules are imported inside the commands that need them, so start-up stays fast.
"""

from __future__ import annotations

import quiz.cli.backup_cmds  # noqa: F401  (registers commands: backup, restore)
import quiz.cli.stats_cmds  # noqa: F401  (registers commands: stats, history, optimize)
import quiz.cli.teach_cmds  # noqa: F401  (registers commands: init-bank, add, import, derive)
from quiz.cli import bank_cmds, export_cmds, study_cmds  # noqa: F401  (registers commands)
from quiz.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """The console script."""
    app()
