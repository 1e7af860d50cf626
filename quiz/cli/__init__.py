"""The `quiz` command: parse options, make one call, render the result.

Each command module of this package registers its commands on the one Typer app (`quiz.cli.app.COMMANDS` says
which module holds which command; a module is imported when one of its commands runs). This package is the only
place that prints or reads input; heavy modules are imported inside the commands that need them, so start-up
stays fast.

The package imports neither Typer nor the app until it is needed: `quiz due`, the command shell prompts and
status lines run, first tries its fast path (`quiz.cli.quick`), which needs neither; so does `quiz stats`
(`quiz.cli.quick_stats`, which draws its page without rich where it can), and `quiz study` starts its
session without Typer (`quiz.cli.quick_study`).
"""

from __future__ import annotations

import sys
import types

TYPE_CHECKING = False  # not typing's (~7 ms)
if TYPE_CHECKING:
    from quiz.cli.app import QuizTyper

    app: QuizTyper

__all__ = ["app", "main"]


def main() -> None:
    """The console script."""
    from quiz.cli.encoding import install

    install()  # an output that is not UTF-8 gets ASCII stand-ins, never an encoding error
    if sys.argv[1:2] in (["due"], ["stats"], ["study"]):
        if sys.argv[1] == "due":
            from quiz.cli.quick import due as fast
        elif sys.argv[1] == "stats":
            from quiz.cli.quick_stats import stats as fast
        else:
            from quiz.cli.quick_study import study as fast
        try:
            fast(sys.argv[2:])  # leaves the process when it could answer
        except KeyboardInterrupt:  # as the app's error boundary says it
            sys.stderr.write("Interrupted.\n")
            sys.stderr.flush()
            sys.exit(130)
    from quiz.cli.app import app

    app()


class _Package(types.ModuleType):
    """`quiz.cli.app` is the Typer app, imported on first use (as `from quiz.cli.app import app` here made it),
    also after the submodule of the same name was imported first (the import system then binds the submodule as
    this package's attribute `app`: that binding is ignored)."""

    @property
    def app(self) -> QuizTyper:
        from quiz.cli.app import app

        return app

    @app.setter
    def app(self, value: object) -> None:
        pass


sys.modules[__name__].__class__ = _Package
