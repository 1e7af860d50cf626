"""Export commands: `quiz export anki`, `quiz export csv`, `quiz export json`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer

from quiz.cli.app import HELP_OPTIONS, TYPER_SETTINGS, command, command_group
from quiz.cli.groups import Banks, Filters, Progress
from quiz.cli.options import LangOpt, progress_bar, resolve_lang, say_error
from quiz.safetext import for_message

if TYPE_CHECKING:
    from quiz.export.anki_outputs import AnkiResult
    from quiz.export.anki_progress import Memory
    from quiz.model import Lang
    from quiz.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing file that quiz did not write.")]

export_app = command_group("export", typer.Typer(
    no_args_is_help=True,
    help="Write the bank (and progress) for Anki, spreadsheets and other tools.",
    context_settings=HELP_OPTIONS,
    **TYPER_SETTINGS,
))


def export_command(name: str, **kwargs: Any) -> Callable[[F], F]:
    """Register an export subcommand (errors become one line on stderr, as for every command)."""
    return command(name, group=export_app, **kwargs)


def _screen(text: str) -> str:
    """Lines that quote paths or bank text, each cleaned for the terminal (no escape sequence gets through)."""
    return "".join(for_message(line) + "\n" for line in text.splitlines())


def _langs(option: str | None) -> tuple[Lang, ...]:
    value = str(resolve_lang(option))
    return ("ar", "en") if value == "both" else (value,)  # type: ignore[return-value]


def _anki_summary(result: AnkiResult, with_progress: bool = False) -> str:
    """The counts, per output when there is more than one; removed ids with their Anki search; warnings."""
    counts = f"{result.new} new, {result.changed} changed, {result.unchanged} unchanged"
    cards = f" ({result.cards} cards)" if result.cards != result.notes else ""
    if result.dry_run:
        lines = [f"Would write {result.notes} notes{cards} to {result.path} ({counts} since the previous export)"]
    else:
        lines = [f"Wrote {result.notes} notes{cards} to {result.path} ({counts})"]
    if len(result.outputs) > 1:
        lines += [f"  {o.deck} [{o.lang}]: {o.notes} notes, {o.new} new, {o.changed} changed, {o.unchanged} unchanged"
                  for o in result.outputs]
    if with_progress:
        lines.append(f"With the progress of {result.scheduled_cards} studied cards and {result.reviews} reviews: "
                     "import with \"Import any learning progress\" ticked")
    for gone in result.removed:
        if gone.keys:
            lines.append(f"No longer in the bank ({len(gone.keys)}): {', '.join(gone.keys)}; Anki keeps them, "
                         f"find them with the search: {gone.search}")
        else:
            lines.append(f"{gone.unnamed} notes of an earlier export are no longer exported (that export did not "
                         "record their ids)")
    return "\n".join(lines) + "\n"


def _kind_warning(result: AnkiResult) -> str | None:
    if not result.kind_changes:
        return None
    shown = ", ".join(result.kind_changes[:10]) + (" …" if len(result.kind_changes) > 10 else "")
    return (f"Warning: {len(result.kind_changes)} notes changed their kind under the same id ({shown}); Anki skips "
            "them as conflicting unless \"Merge note types\" is ticked on import (or delete the old notes first)")


def _memory(settings: Settings) -> Memory:
    """The FSRS settings Anki keeps on each card: desired retention and the decay of the profile's parameters."""
    from quiz.export.anki_progress import Memory
    from quiz.scheduler import default_parameters

    parameters = settings.parameters() or default_parameters()
    return Memory(settings.desired_retention, parameters[20] if len(parameters) > 20 else 0.5)


@export_command("anki")
def anki_cmd(
    out: Annotated[Path, typer.Argument(metavar="OUT.apkg", help="The package to write.")] = Path(
        "timeline-quiz.apkg"),
    lang: LangOpt = None,
    filters: Filters = Filters(),
    deck: Annotated[Optional[str], typer.Option("--deck", metavar="NAME", help="The top deck's name (default: "  # noqa: UP045
                                                "the bank's own).", show_default=False)] = None,
    with_progress: Annotated[bool, typer.Option("--with-progress", help="Carry the profile's progress (card "
                                                "states and review log) for Anki's \"Import any learning "
                                                "progress\".")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count new, changed and unchanged notes since the "
                                          "previous export; write nothing.")] = False,
    banks: Banks = Banks(),
    progress: Progress = Progress(),
    force: ForceOpt = False,
) -> None:
    """Write an Anki package: a deck per bank and language with a subdeck per era. Re-import it to update notes."""
    from quiz import clock
    from quiz.bank.cache import fetcher
    from quiz.errors import UsageError
    from quiz.export import anki, anki_outputs, collector_paused, revisions
    from quiz.export.anki_notes import renderer
    from quiz.locations import teacher_banks

    if deck is not None and not deck.strip():
        raise UsageError("--deck: give a deck name")
    langs = _langs(lang)
    the_bank = banks.valid()
    # Planned from a stream of the questions, rendered note by note as the package is written: a large bank's
    # questions and fields never all sit in memory (`quiz.bank.stream`, `fetcher`).
    chosen = filters.stream(the_bank)
    fetch = fetcher(the_bank.questions, the_bank.by_id)
    size = len(the_bank.questions)
    now = clock.now()
    refresh = None
    briefs = None
    with collector_paused(size):
        if not dry_run and filters.whole():
            # the whole bank: its revision records are brought up to date from the plan's own pass over it,
            # made on two cores
            from quiz.export.anki_notes import briefs_split
            from quiz.export.revision_pass import refresher

            refresh = refresher(the_bank, teacher_banks(banks.bank), not banks.no_builtin, now)
            briefs = briefs_split(the_bank.questions, langs, refresh)
        notes = anki.plan(the_bank, chosen, langs, deck=deck.strip() if deck else None, fetch=fetch, briefs=briefs)
    db_path = progress.path
    if dry_run:
        from quiz.export import check_target

        check_target(out, force=force, ours=anki.written_by_quiz)
        if db_path.exists():
            from quiz.store import Store

            with Store.open(db_path) as store:  # the previous record is read as it is compared
                previous = anki_outputs.previous_record(store, check_target(out, force=True))
                result = anki_outputs.dry_run(notes, out, previous, the_bank)
        else:
            result = anki_outputs.dry_run(notes, out, None, the_bank)
        warning = _kind_warning(result)
        if warning:
            say_error(warning)
        sys.stdout.write(_screen(_anki_summary(result)))
        return
    from quiz.workspace import open_workspace

    with collector_paused(size):
        times, written = revisions.note_times_for(the_bank, teacher_banks(banks.bank), not banks.no_builtin, now,
                                                  write=True, refresh=refresh)
        del refresh
    with collector_paused(size), open_workspace(db_path, the_bank, progress.name, now) as ws, \
            progress_bar("Writing notes", len(notes)) as bar:
        memory = _memory(ws.settings) if with_progress else None
        result = anki_outputs.export_anki(notes, out, the_bank, ws.store, now, times, profile=ws.profile,
                                          with_progress=memory, progress=bar, force=force,
                                          render=renderer(the_bank, fetch))
    warning = _kind_warning(result)
    if warning:
        say_error(warning)
    for line in written:
        say_error(line)
    sys.stdout.write(_screen(_anki_summary(result, with_progress)))


@export_command("csv")
def csv_cmd(
    out: Annotated[Path, typer.Argument(metavar="OUT.csv", help="The file to write.")],
    filters: Filters = Filters(),
    bom: Annotated[bool, typer.Option("--bom", help="Start with a UTF-8 byte order mark (for Excel).")] = False,
    banks: Banks = Banks(),
    force: ForceOpt = False,
) -> None:
    """Write one row per question, Arabic and English side by side (UTF-8, comma-separated, with a header)."""
    from quiz.export.table import write_csv

    the_bank = banks.valid()
    chosen = filters.select(the_bank)
    written = write_csv(the_bank, chosen, out, bom=bom, force=force)
    sys.stdout.write(for_message(f"Wrote {len(chosen)} questions to {written}") + "\n")


@export_command("json")
def json_cmd(
    out: Annotated[Path, typer.Argument(metavar="OUT.json", help="The file to write.")],
    banks: Banks = Banks(),
    progress: Progress = Progress(),
    force: ForceOpt = False,
) -> None:
    """Write the bank and the profile's progress (cards and reviews) as JSON, for backups and other tools."""
    from quiz import clock
    from quiz.export.backup import backup, write_json

    the_bank = banks.valid()
    name = progress.name
    db_path = progress.path
    now = clock.now()
    if db_path.exists():
        from quiz.store import Store

        with Store.open(db_path, now=now) as store:
            data = backup(the_bank, store, name, now)
    else:
        data = backup(the_bank, None, name, now)
    written = write_json(data, out, force=force)
    kept = data["progress"]
    sys.stdout.write(for_message(f"Wrote {len(data['bank']['questions'])} questions, {len(kept['cards'])} cards "
                                 f"and {len(kept['reviews'])} reviews of profile '{name}' to {written}") + "\n")
