"""Teachers' commands: init-bank, import, derive (`quiz add` is in add_cmds)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from quiz.cli.app import command
from quiz.cli.options import (
    BankOpt,
    NoBuiltinOpt,
    out,
    report_problems,
    say_error,
    teacher_context,
    validate_args,
)
from quiz.errors import UsageError

if TYPE_CHECKING:
    from quiz.authoring.importers import ImportPlan

Many = Optional[list[str]]  # noqa: UP045 - typer needs Optional here on Python 3.10


# --- init-bank -------------------------------------------------------------------------------------------------


@command("init-bank")
def init_bank_cmd(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A new (or empty) folder for the bank.")],
    title_en: Annotated[str, typer.Option("--title-en", help="The bank's title in English (default: the "
                                          "folder's name).")] = "",
    title_ar: Annotated[str, typer.Option("--title-ar", help="The bank's title in Arabic.")] = "",
) -> None:
    """Create a teacher's bank: bank.yaml (what it is), a source, an era, an event and one example question of
    each kind."""
    from quiz.authoring.scaffold import init_bank
    from quiz.bank import load_bank
    from quiz.locations import cache_dir
    from quiz.model import Text

    builtin = [era.id for era in load_bank(builtin=True, cache_dir=cache_dir()).bank.eras]
    title = Text(title_ar.strip(), title_en.strip()) if title_ar.strip() or title_en.strip() else None
    written = init_bank(folder, title=title, builtin_eras=builtin)
    out(f"Created a teacher bank in {folder}:")
    for path in written:
        out(f"  {path}")
    out("Next:")
    out(f"  quiz validate {folder}              check it (also: quiz validate --bank {folder})")
    out(f"  quiz add --bank {folder}            write a question, with checks as you type")
    out(f"  quiz study --bank {folder}          what your students run")


# --- import ----------------------------------------------------------------------------------------------------


@command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A CSV, TSV, GIFT or Aiken file.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The YAML bank file to write (default: "  # noqa: UP045
                                                   "FILE with .yaml); an existing file is added to.",
                                                   show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")] = False,
    fmt: Annotated[Optional[str], typer.Option("--format", help="csv, tsv, gift or aiken (default: from the "  # noqa: UP045
                                               "file's name or content).", show_default=False)] = None,
    era: Annotated[Optional[str], typer.Option("--era", help="The era of questions that do not name one "  # noqa: UP045
                                               "(default: a draft era made for the file).",
                                               show_default=False)] = None,
    new_era: Annotated[Optional[str], typer.Option("--new-era", metavar="ID:START-END:TITLE",  # noqa: UP045
                                                   help="Declare the era of the questions in the file written, "
                                                   "like eu-founding:1950-1967:'The founding years'.",
                                                   show_default=False)] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="GIFT and Aiken: the language of the file, ar "  # noqa: UP045
                                                "or en (default: from its script).", show_default=False)] = None,
    update: Annotated[bool, typer.Option("--update", help="Import a changed file again into the file it was "
                                         "imported into: matched questions (by id, GIFT title or prompt) are "
                                         "updated in place, keeping their ids and progress; new ones are "
                                         "added; removed ones are reported, not deleted.")] = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Import questions into a YAML bank file; every problem is FILE:line: message, and nothing is written
    when there is an error."""
    from quiz.authoring.importers import FORMAT_NAMES, plan_import, write

    if not file.is_file():
        raise UsageError(f"{file}: no such file")
    target = output if output is not None else file.with_suffix(".yaml")
    if target.resolve() == file.resolve():
        raise UsageError("the output would overwrite the imported file; choose another -o")
    context = teacher_context(bank, no_builtin, [target])
    from quiz.clock import now

    plan = plan_import(file, context, target=target, fmt=fmt.lower() if fmt else None, era=era,
                       lang=lang.lower() if lang else None, new_era=new_era, this_year=now().year,
                       update=update)
    report_problems(list(plan.problems))
    if plan.errors:
        n = len(plan.errors)
        say_error(f"Error: {n} error{'s' if n != 1 else ''} in {file}; nothing was written")
        raise typer.Exit(1)
    assert plan.new is not None
    noun = f"{plan.count} question{'s' if plan.count != 1 else ''}"
    if plan.update and plan.old is not None:
        _update(plan, file, dry_run)
        return
    if dry_run:
        if plan.old is None:
            out(f"Would write {noun} to {plan.shown_target} (new file):")
            out(plan.new.decode("utf-8").rstrip("\n"))
        else:
            out(f"Would add {noun} to {plan.shown_target}:")
            old = plan.old.decode("utf-8")
            new = plan.new.decode("utf-8")
            out(_added(old, new).rstrip("\n"))
        out("(dry run: nothing written)")
        return
    write(plan)
    out(f"Imported {noun} from {file} ({FORMAT_NAMES[plan.fmt]}) into {plan.shown_target}.")
    if plan.era is not None:
        what = "a draft era" if plan.era.draft else "the era"
        origin = " (its span from the years in the file)" if plan.era.draft else ""
        out(f"Declared {what} '{plan.era.id}' {plan.era.start}–{plan.era.end}{origin} in {plan.shown_target}; "
            "check its title and span" + (", then remove 'draft: true'." if plan.era.draft else "."))
    _describe(target, bank, plan.era.title.get("ar" if plan.lang == "ar" else "en") if plan.era is not None else "",
              ["ar", "en"] if plan.fmt in ("csv", "tsv") else [plan.lang])
    import shlex

    from quiz.authoring.scaffold import bank_folder
    from quiz.bank import shown_name
    from quiz.locations import teacher_banks

    folder = bank_folder(target, teacher_banks(bank))
    out(f"Check it with: quiz validate {validate_args(folder, plan.alone, bank, no_builtin)}")
    out(f"Study it with: quiz study --bank {shlex.quote(shown_name(folder))}")


def _update(plan: ImportPlan, file: Path, dry_run: bool) -> None:
    """What `quiz import --update` did (or, with --dry-run, would do)."""
    from quiz.authoring.importers import write

    added = plan.count - len(plan.updated) - plan.unchanged
    if not plan.changed:
        out(f"Nothing to update: {plan.shown_target} already has the {_n(plan.count)} of {file} as they are.")
        return
    parts = [f"{len(plan.updated)} updated", f"{added} added", f"{plan.unchanged} unchanged"]
    if plan.removed:
        parts.append(f"{len(plan.removed)} no longer in the file, kept")
    if dry_run:
        out(f"Would update {plan.shown_target} from {file}: " + ", ".join(parts) + ".")
        if plan.updated:
            out("Would update: " + ", ".join(plan.updated))
        out("(dry run: nothing written)")
        return
    write(plan)
    out(f"Updated {plan.shown_target} from {file}: " + ", ".join(parts) + ".")
    if plan.updated:
        out("Updated (ids and progress kept): " + ", ".join(plan.updated))


def _n(count: int) -> str:
    return f"{count} question{'s' if count != 1 else ''}"


def _describe(target: Path, bank: list[Path] | None, name: str, languages: Sequence[str]) -> None:
    """Give the bank a written file belongs to its bank.yaml (and schema copy) when it has none; say so."""
    from quiz.authoring.scaffold import describe_for
    from quiz.bank import shown_name
    from quiz.locations import teacher_banks

    for path in describe_for(target, teacher_banks(bank), name=name, languages=languages):
        out(f"Wrote {shown_name(path)}" + (": what the bank is (id, title, languages); edit it to name your subject."
                               if path.suffix == ".yaml" else ": the bank format, for your editor."))


def _added(old: str, new: str) -> str:
    """The text `new` has beyond `old` (the block `yamledit` spliced in)."""
    start = 0
    while start < len(old) and start < len(new) and old[start] == new[start]:
        start += 1
    end = 0
    while end < len(old) - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    start = new.rfind("\n", 0, start) + 1
    return new[start: len(new) - end]


# --- derive ----------------------------------------------------------------------------------------------------


@command("derive")
def derive_cmd(
    timeline: Annotated[Path, typer.Argument(metavar="TIMELINE", help="A timeline: plain text or Markdown, "
                                             "Arabic or English.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The YAML file of drafts to write "  # noqa: UP045
                                                   "(default: TIMELINE with .yaml); must not exist.",
                                                   show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the drafts; write nothing.")] = False,
    bank: BankOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Draft eras and events from a timeline document; everything is written as a draft to check."""
    from quiz.authoring.add import check_with_loader
    from quiz.authoring.derive import derive_file, list_skipped
    from quiz.authoring.yamledit import write_atomic
    from quiz.clock import now

    if not timeline.is_file():
        raise UsageError(f"{timeline}: no such file")
    target = output if output is not None else timeline.with_suffix(".yaml")
    if target.resolve() == timeline.resolve():
        raise UsageError("the output would overwrite the timeline; choose another -o")
    if target.exists() and not dry_run:
        raise UsageError(f"{target} exists; choose another -o (derive never overwrites a file)")
    from quiz.authoring.add import bank_context
    from quiz.locations import teacher_banks

    teacher = teacher_banks(bank)
    context = bank_context(teacher, builtin=not no_builtin)
    derivation = derive_file(
        timeline, this_year=now().year, taken_docs=context.doc_ids, taken_eras=context.era_ids,
        taken_events=context.event_ids,
    )
    shown = str(timeline)
    if not derivation.events:
        say_error(f"Error: {shown}: found no dated sentence that could become an event; nothing was written")
        raise typer.Exit(1)
    text = derivation.render()
    _, problems = check_with_loader(context.roots, target, text)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        report_problems(errors)
        say_error(f"Error: the drafts would not validate; nothing was written ({target})")
        raise typer.Exit(1)
    eras, events = len(derivation.eras), len(derivation.events)
    summary = (f"Found {eras} era{'s' if eras != 1 else ''} and {events} event{'s' if events != 1 else ''} "
               f"in {shown} ({derivation.dated} dated sentence{'s' if derivation.dated != 1 else ''}).")
    if dry_run:
        out(text.rstrip("\n"))
        out(summary + " (dry run: nothing written)")
    else:
        write_atomic(target, text.encode("utf-8"))
        out(summary)
        out(f"Wrote {target}: every era and event is a draft (draft: true) until you check it and remove the mark.")
        _describe(target, bank, "", ["ar", "en"])
    if derivation.eras and derivation.eras[0].line == 0:
        era = derivation.eras[0]
        out(f"No heading with a year span: one era '{era.id}' ({era.start}–{era.end}) holds every event; "
            "split it with headings like '## The founding years (1950–1957)'.")
    out("The questions the drafts will give (check each, then remove the draft marks):")
    for line in derivation.questions():
        out(f"  {line}")
    skipped = list_skipped(derivation, shown)
    if skipped:
        n = len(skipped)
        out(f"Could not turn {n} dated sentence{'s' if n != 1 else ''} into an event:")
        for line in skipped:
            out(f"  {line}")
