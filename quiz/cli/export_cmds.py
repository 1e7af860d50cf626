"""Export commands: `quiz export anki`, `quiz export csv`, `quiz export json`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from quiz.cli.app import command, command_group
from quiz.cli.options import (
    BankOpt,
    DbOpt,
    EraOpt,
    KindOpt,
    LangOpt,
    NoBuiltinOpt,
    ProfileOpt,
    TagOpt,
    progress_bar,
    resolve_lang,
    valid_bank,
)
from quiz.safetext import for_message

if TYPE_CHECKING:
    from quiz.export import ExportResult
    from quiz.model import Lang

F = TypeVar("F", bound=Callable[..., Any])
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing file that quiz did not write.")]

export_app = command_group("export", typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Write the bank (and progress) for Anki, spreadsheets and other tools.",
    context_settings={"help_option_names": ["-h", "--help"]},
))


def export_command(name: str, **kwargs: Any) -> Callable[[F], F]:
    """Register an export subcommand (errors become one line on stderr, as for every command)."""
    return command(name, group=export_app, **kwargs)


def _langs(option: str | None) -> tuple[Lang, ...]:
    value = str(resolve_lang(option))
    return ("ar", "en") if value == "both" else (value,)  # type: ignore[return-value]


def _summary(result: ExportResult, what: str) -> str:
    counts = f"{result.new} new, {result.changed} changed, {result.unchanged} unchanged"
    if result.removed:
        counts += f", {result.removed} no longer exported"
    if result.dry_run:
        return f"Would write {result.notes} {what} to {result.path} ({counts} since the previous export)"
    return f"Wrote {result.notes} {what} to {result.path} ({counts})"


@export_command("anki")
def anki_cmd(
    out: Annotated[Path, typer.Argument(metavar="OUT.apkg", help="The package to write.")] = Path(
        "timeline-quiz.apkg"),
    lang: LangOpt = None,
    era: EraOpt = None,
    kind: KindOpt = None,
    tag: TagOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count new, changed and unchanged notes since the "
                                          "previous export; write nothing.")] = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    db: DbOpt = None,
    profile: ProfileOpt = None,
    force: ForceOpt = False,
) -> None:
    """Write an Anki package: a deck per language with a subdeck per era. Re-import it to update notes."""
    from quiz import clock
    from quiz.export import anki
    from quiz.locations import database_path
    from quiz.selection import select

    langs = _langs(lang)
    the_bank = valid_bank(bank, no_builtin)
    chosen = select(the_bank, era=era, kind=kind, tag=tag)
    notes = anki.plan_notes(the_bank, chosen, langs)
    db_path = database_path(db)
    if dry_run:
        from quiz.export import check_target

        check_target(out, force=force, ours=anki.written_by_quiz)
        previous = None
        if db_path.exists():
            from quiz.store import Store

            with Store.open(db_path) as store:
                previous = store.last_export(anki.EXPORT_KIND)
        sys.stdout.write(for_message(_summary(anki.dry_run(notes, out, previous), "notes")) + "\n")
        return
    from quiz.workspace import open_workspace, profile_name

    now = clock.now()
    with open_workspace(db_path, the_bank, profile_name(profile), now) as ws, \
            progress_bar("Writing notes", len(notes)) as bar:
        result = anki.export_anki(notes, out, ws.store, now, profile=ws.profile, progress=bar, force=force)
    sys.stdout.write(for_message(_summary(result, "notes")) + "\n")


@export_command("csv")
def csv_cmd(
    out: Annotated[Path, typer.Argument(metavar="OUT.csv", help="The file to write.")],
    era: EraOpt = None,
    kind: KindOpt = None,
    tag: TagOpt = None,
    bom: Annotated[bool, typer.Option("--bom", help="Start with a UTF-8 byte order mark (for Excel).")] = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    force: ForceOpt = False,
) -> None:
    """Write one row per question, Arabic and English side by side (UTF-8, comma-separated, with a header)."""
    from quiz.export.table import write_csv
    from quiz.selection import select

    the_bank = valid_bank(bank, no_builtin)
    chosen = select(the_bank, era=era, kind=kind, tag=tag)
    written = write_csv(the_bank, chosen, out, bom=bom, force=force)
    sys.stdout.write(for_message(f"Wrote {len(chosen)} questions to {written}") + "\n")


@export_command("json")
def json_cmd(
    out: Annotated[Path, typer.Argument(metavar="OUT.json", help="The file to write.")],
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
    db: DbOpt = None,
    profile: ProfileOpt = None,
    force: ForceOpt = False,
) -> None:
    """Write the bank and the profile's progress (cards and reviews) as JSON, for backups and other tools."""
    from quiz import clock
    from quiz.export.backup import backup, write_json
    from quiz.locations import database_path
    from quiz.workspace import profile_name

    the_bank = valid_bank(bank, no_builtin)
    name = profile_name(profile)
    db_path = database_path(db)
    now = clock.now()
    if db_path.exists():
        from quiz.store import Store

        with Store.open(db_path, now=now) as store:
            data = backup(the_bank, store, name, now)
    else:
        data = backup(the_bank, None, name, now)
    written = write_json(data, out, force=force)
    progress = data["progress"]
    sys.stdout.write(for_message(f"Wrote {len(data['bank']['questions'])} questions, {len(progress['cards'])} cards "
                                 f"and {len(progress['reviews'])} reviews of profile '{name}' to {written}") + "\n")
