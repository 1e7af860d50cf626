"""Progress commands: stats (figures and charts), history (every answer to a question), optimize (own FSRS
parameters)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from quiz.cli.app import command
from quiz.cli.coercion import bounded_int
from quiz.cli.groups import Banks, Progress, Report
from quiz.cli.options import EraOpt, complete_question

if TYPE_CHECKING:
    from quiz.render import Display

DAYS_MIN, DAYS_MAX = 7, 3660
DaysOpt = Annotated[
    str,  # checked by `_days`: an int option with limits would have Typer import pydantic (~0.1 s) to coerce it
    typer.Option("--days", metavar="N",
                 help=f"How many days the calendar heatmap covers, ending today ({DAYS_MIN} to {DAYS_MAX})."),
]


def _days(ctx: typer.Context, value: str) -> int:
    """`--days` as Typer would coerce an int option with min/max: the same messages, a usage error (exit 2)."""
    return bounded_int(ctx, value, "--days", DAYS_MIN, DAYS_MAX)


@command("stats")
def stats_cmd(
    ctx: typer.Context,
    days: DaysOpt = "182",
    era: EraOpt = None,
    report: Report = Report(),
    progress: Progress = Progress(),
    banks: Banks = Banks(),
) -> None:
    """Your progress: today, streak, a calendar of answers, retention, what falls due, mastery per era, the
    hardest questions and time spent."""
    from quiz import clock, stats

    day_count = _days(ctx, days)
    now = clock.now()
    the_bank = banks.valid()
    if era is not None and the_bank.era(era) is None:
        from quiz.selection import select

        select(the_bank, era=era)  # raises the usage error that lists the eras
    era_order = [e.id for e in sorted(the_bank.eras, key=lambda e: (e.start, e.end))]
    with progress.workspace(the_bank, now) as ws:
        settings = ws.settings
        result = stats.compute(
            ws.store, ws.profile, now, ws.tz, days=day_count, era=era, era_order=era_order,
            desired_retention=settings.desired_retention, parameters=settings.parameters(),
        )

    def view(display: Display) -> object:
        from quiz.render_stats import stats_view

        return stats_view(result, the_bank, display)

    report.print(result.as_json, view, settings.bidi)


@command("history")
def history_cmd(
    question_id: Annotated[str, typer.Argument(metavar="ID", help="A question id.",
                                                                autocompletion=complete_question)],
    report: Report = Report(),
    progress: Progress = Progress(),
    banks: Banks = Banks(),
) -> None:
    """Every answer to one question: when, what you answered, the rating, the interval and memory stability
    after it, and the predicted recall at that moment."""
    from quiz import clock, stats

    now = clock.now()
    the_bank = banks.valid()
    with progress.workspace(the_bank, now) as ws:
        entries = stats.history(ws.store, ws.profile, question_id)
        name, tz, setting = ws.profile, ws.tz, ws.settings.bidi
    if not entries and the_bank.question(question_id) is None:
        from quiz.selection import find

        find(the_bank, question_id)  # raises: unknown id, with the closest ids

    def view(display: Display) -> object:
        from quiz.render_stats import history_view

        return history_view(question_id, entries, the_bank, display, tz)

    report.print(lambda: {"profile": name, "id": question_id, "reviews": [e.as_json() for e in entries]}, view,
                 setting)


@command("optimize")
def optimize_cmd(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only report; never save parameters.")] = False,
    report: Report = Report(),
    progress: Progress = Progress(),
) -> None:
    """Fit FSRS parameters to your own review log; keep them only if they predict your later reviews better."""
    from quiz import clock
    from quiz.optimizer import optimize_profile
    from quiz.settings import Settings
    from quiz.store import Store

    name = progress.name
    with Store.open(progress.path, now=clock.now()) as store:
        saved = Settings.from_store(store.settings(name))
        current = saved.parameters()
        fitted = optimize_profile(store, name, current, dry_run=dry_run)

    def view(display: Display) -> object:
        from quiz.clock import local_tz
        from quiz.render_stats import optimize_view

        return optimize_view(fitted, name, display, local_tz(), dry_run=dry_run)

    report.print(lambda: {"profile": name, "dry_run": dry_run, **fitted.as_json()}, view, saved.bidi)
