"""The fast path of `quiz stats` (issue 18): the same page without Typer or rich.

`quiz stats` with no other options than `--days`, `--era`, `--json`, `--lang`, `--bidi`, `--db`, `--profile`,
`--bank` and `--no-builtin` makes the very calls the full command makes (`quiz.cli.stats_cmds.stats_cmd`: the
bank from `load_bank`, the workspace from `open_workspace`, the figures from `quiz.stats.compute`), so it reads
and writes what the full command would. Only the start-up and the drawing differ: no Typer (its import is half
of the full command's start-up), and the page drawn as plain text by `quiz.render_stats_plain` where rich would
print it without colours, to output that is not a terminal, neither reordering nor marking Arabic. `--json`
prints the same document in every case.

Anything else, or anything unusual — a terminal (colours), `--bidi on`, an option value Typer would read
otherwise or reject, a bank with errors, an unknown era, a page rich would lay out by rules the plain drawing
does not mirror (`stats_text` returns None), any error at all — and `stats` returns without a word, and the full
command runs, which does it again with rich or says what is wrong. tests/test_stats_fast.py runs both paths on
the same databases and compares stdout, stderr and the exit status.
"""

from __future__ import annotations

import os
import sys

from quiz.cli.quick import _Full, _options, _ui_lang, leave

TYPE_CHECKING = False  # not typing's (~7 ms)
if TYPE_CHECKING:
    from collections.abc import Sequence

FLAGS = {"--json", "--no-builtin"}
VALUES = {"--db", "--profile", "--lang", "--bank", "--days", "--era", "--bidi"}
DAYS = ("182", 7, 3660)
"""`quiz.cli.stats_cmds`: --days's default and limits (tests hold them equal)."""
BIDI_MODES = ("auto", "on", "off")
RICH_ENVIRONMENT = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES")
"""Variables that make rich treat its output otherwise (a terminal, a notebook): the full command decides."""


def stats(argv: Sequence[str]) -> None:
    """Print what `quiz stats ARGV` prints and leave the process (status 0), or return having printed nothing."""
    try:
        text = _answer(list(argv))
    except Exception:  # anything at all: the full command knows what to do, or what to say
        return
    leave(text)


def _answer(argv: list[str]) -> str:
    options = _options(argv, FLAGS, VALUES)
    as_json = "--json" in options
    width = 0 if as_json else _plain_width()
    days = options.get("--days", DAYS[0])
    if not isinstance(days, str) or not days.isascii() or not days.isdigit() or not DAYS[1] <= int(days) <= DAYS[2]:
        raise _Full()  # Typer's coercion reads (or rejects) it
    lang = _ui_lang(options.get("--lang"))
    bidi = options.get("--bidi")
    if not as_json and isinstance(bidi, str) and bidi.lower() not in BIDI_MODES:
        raise _Full()  # a usage error
    from pathlib import Path

    from quiz import clock, stats
    from quiz.bank import load_bank
    from quiz.locations import cache_dir, database_path, teacher_banks
    from quiz.workspace import open_workspace, profile_name

    now = clock.now()
    banks = options.get("--bank")
    paths = teacher_banks([Path(p) for p in banks] if isinstance(banks, list) else None)
    no_builtin = "--no-builtin" in options
    if no_builtin and not paths or any(not str(p) for p in banks or ()):  # type: ignore[union-attr]
        raise _Full()
    loaded = load_bank(paths, builtin=not no_builtin, cache_dir=cache_dir())
    if loaded.errors:
        raise _Full()
    bank = loaded.bank
    era = options.get("--era")
    if era is not None and (not isinstance(era, str) or bank.era(era) is None):
        raise _Full()  # the usage error that lists the eras
    era_order = [e.id for e in sorted(bank.eras, key=lambda e: (e.start, e.end))]
    db = options.get("--db")
    if db is not None and (not isinstance(db, str) or not db):
        raise _Full()
    profile = options.get("--profile")
    ws = open_workspace(database_path(Path(db) if db else None), bank,
                        profile_name(profile if isinstance(profile, str) else None), now)
    try:
        settings = ws.settings
        result = stats.compute(ws.store, ws.profile, now, ws.tz, days=int(days), era=era, era_order=era_order,
                               desired_retention=settings.desired_retention, parameters=settings.parameters())
    finally:
        ws.close()
    if as_json:
        import json

        return json.dumps(result.as_json(), ensure_ascii=False) + "\n"
    if _bidi(bidi, settings.bidi) == "on":
        raise _Full()  # Arabic reordered even where output is not a terminal: rich lays it out
    from quiz.render_stats_plain import stats_text

    text = stats_text(result, bank, lang, width)
    if text is None:
        raise _Full()
    return text


def _bidi(option: object, setting: str | None) -> str:
    """`quiz.cli.options.resolve_bidi`: --bidi, else QUIZ_BIDI, else the profile's setting, else auto."""
    for raw in (option, os.environ.get("QUIZ_BIDI"), setting):
        if raw:
            assert isinstance(raw, str)
            if raw.lower() not in BIDI_MODES:
                raise _Full()  # a usage error
            return raw.lower()
    return "auto"


def _plain_width() -> int:
    """The width of rich's console (`rich.console.Console.size`) when it prints to stdout without colours (not a
    terminal, UTF-8); _Full otherwise."""
    if sys.stdout.isatty() or any(name in os.environ for name in RICH_ENVIRONMENT) or sys.platform == "win32":
        raise _Full()
    if (getattr(sys.stdout, "encoding", None) or "").lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise _Full()  # quiz.cli.encoding's stand-ins
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        width = int(columns)
        if width < 1:
            raise _Full()
        return width
    width = 0
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80
