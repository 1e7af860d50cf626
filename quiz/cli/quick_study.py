"""The fast path of `quiz study` (issue 18): the session started without Typer.

`quiz study` with no other options than `--lang`, `--bidi`, `--db`, `--profile`, `--bank`, `--no-builtin`,
`--era`, `--kind`, `--tag`, `--limit` and `--new` (values as Typer reads them: anything else, `--help`, shell
completion, goes to the full command before anything is done) runs the very session the command runs
(`quiz.cli.study_loop.study`, which `quiz.cli.study_cmds.study_cmd` calls), behind the app's own error boundary
(`quiz.cli.app.failed`, imported only when something fails), and leaves as the app leaves. Typer is ~45 ms of
the start-up, a third of the time until the first question is on screen.
"""

from __future__ import annotations

import os
import sys

from quiz.cli.quick import _Full, _options, exit_now

TYPE_CHECKING = False  # not typing's (~7 ms)
if TYPE_CHECKING:
    from collections.abc import Sequence

FLAGS = {"--no-builtin"}
VALUES = {"--lang", "--bidi", "--db", "--profile", "--bank", "--era", "--kind", "--tag", "--limit", "--new"}
LOWEST = {"--limit": 1, "--new": 0}
"""`quiz.cli.study_cmds.study_cmd`: the lowest --limit and --new (tests hold them equal)."""


def study(argv: Sequence[str]) -> None:
    """Run `quiz study ARGV` and leave the process with its status; return at once (nothing done) for a command
    line the full command must read."""
    try:
        options = _options(list(argv), FLAGS, VALUES)
        numbers = {name: _number(options.get(name), low) for name, low in LOWEST.items()}
        if os.environ.get("_QUIZ_COMPLETE") or any(value == "" for value in options.values()):
            raise _Full()  # completion; an empty value (Typer reads an empty path as ".")
    except Exception:
        return
    from pathlib import Path

    from quiz.cli.study_loop import study as run

    banks = options.get("--bank")
    db = options.get("--db")
    try:
        code: object = run(lang=_text(options.get("--lang")), bidi=_text(options.get("--bidi")),
                           db=Path(db) if isinstance(db, str) else None, profile=_text(options.get("--profile")),
                           bank=[Path(b) for b in banks] if isinstance(banks, list) else None,
                           no_builtin="--no-builtin" in options, era=_text(options.get("--era")),
                           kind=_text(options.get("--kind")), tag=_text(options.get("--tag")),
                           limit=numbers["--limit"], new=numbers["--new"])
    except SystemExit as exc:  # a hangup (129), as the app lets it through
        code = exc.code
    except (Exception, KeyboardInterrupt) as exc:
        from quiz.cli.app import failed

        code = failed(exc, ["study", *argv])
    _leave(code)


def _leave(code: object) -> None:
    """`quiz.cli.app._leave` without importing the app (and Typer)."""
    if code is None or isinstance(code, int):
        status = code or 0
    else:
        from quiz.safetext import for_message

        try:
            sys.stderr.write(for_message(str(code).rstrip("\n")) + "\n")
        except (OSError, ValueError):
            pass
        status = 1
    exit_now(status)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: object, low: int) -> int | None:
    """--limit or --new as `bounded_int` reads it, for plain digits only (anything else: the full command)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or int(value) < low:
        raise _Full()
    return int(value)
