"""The `quiz` command: parse options, make one call, render the result.

Each command module of this package registers its commands on the one Typer app (`quiz.cli.app.COMMANDS` says
which module holds which command; a module is imported when one of its commands runs). This package is the only
place that prints or reads input; heavy modules are imported inside the commands that need them, so start-up
stays fast.
"""

from __future__ import annotations

from quiz.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """The console script."""
    from quiz.cli.encoding import install

    install()  # an output that is not UTF-8 gets ASCII stand-ins, never an encoding error
    app()
